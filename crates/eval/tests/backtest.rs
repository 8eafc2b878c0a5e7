//! The built-in scenario's backtest: the outcomes file cites a dated source for every entry, all
//! after the scenario's cut-off and by the horizon; the claims are quoted from their sources;
//! and the scores are what the score definitions give.

use brink_eval::backtest::backtest;
use brink_eval::words::{brier, log_score, probability};
use brink_scenario::{load_claims_str, load_outcomes_str, Evidence};

const OUTCOMES: &str = include_str!("../../../scenarios/ukraine-2021-12.outcomes.toml");
const CLAIMS: &str = include_str!("../../../scenarios/ukraine-2021-12.claims.toml");
const CAPTURE: &str = include_str!("../../../tests/data/sources/000_9caa82855e2218fb.txt");

fn normalise(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_outcome_cites_a_dated_source_after_the_cut_off() {
    let sc = brink_scenario::builtin().unwrap();
    let o = load_outcomes_str(OUTCOMES, "outcomes.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(o.check_against(&sc).is_empty());
    assert_eq!(o.issues.len(), sc.issues.len(), "every issue resolved");
    assert_eq!(o.crises.len(), sc.crises.len(), "every crisis resolved");
    let evs = o
        .issues
        .iter()
        .map(|x| &x.evidence)
        .chain(o.crises.iter().map(|x| &x.evidence))
        .chain(o.events.iter().map(|x| &x.evidence));
    for ev in evs {
        let Evidence::Quotes(qs) = ev else {
            panic!("an outcome rests on an assumption: {ev:?}")
        };
        assert!(!qs.is_empty());
        for q in qs {
            let d = o.sources[q.source].date;
            assert!(
                d > sc.as_of && d <= o.horizon,
                "{} dated {d}",
                o.sources[q.source].id
            );
        }
    }
}

#[test]
fn claims_quote_their_sources_and_use_the_fixed_table() {
    let c = load_claims_str(CLAIMS, "claims.toml").unwrap_or_else(|e| panic!("{e}"));
    let lines: Vec<&str> = CAPTURE.lines().collect();
    let essay = normalise(&lines[4..26].join(" "));
    let comments = normalise(&lines[32..156].join(" "));
    for cl in &c.claims {
        assert!(
            probability(&cl.words).is_some(),
            "{}: `{}` is not in the table",
            cl.id,
            cl.words
        );
        let src = &c.sources[cl.source].id;
        let text = if src == "trenin-2021" {
            &essay
        } else {
            &comments
        };
        assert!(
            text.contains(&normalise(&cl.quote)),
            "{}: quote not found in its part of the source: {}",
            cl.id,
            cl.quote
        );
    }
}

#[test]
fn the_backtest_scores_follow_their_definitions() {
    let sc = brink_scenario::builtin().unwrap();
    let o = load_outcomes_str(OUTCOMES, "o").unwrap();
    let c = load_claims_str(CLAIMS, "c").unwrap();
    let fc = vec![("flat".to_string(), vec![Some(50.0); sc.issues.len()])];
    let cp = vec![(
        "standoff".to_string(),
        vec![
            ("war".to_string(), 0.25),
            ("negotiated settlement".to_string(), 0.75),
        ],
    )];
    let bt = backtest(&sc, &o, &fc, &cp, Some(&c));
    let want_mae =
        o.issues.iter().map(|x| (x.value - 50.0).abs()).sum::<f64>() / o.issues.len() as f64;
    assert!((bt.mae[0].2 - want_mae).abs() < 1e-12);
    // War happened: multi-class Brier (0.25 - 1)^2 + 0.75^2, log ln 0.25.
    assert!((bt.crises[0].brier - (0.5625 + 0.5625)).abs() < 1e-12);
    assert!((bt.crises[0].log - 0.25f64.ln()).abs() < 1e-12);
    // The essay's "not imminent" is 0.325 for war; "probably ... not an ultimatum" its complement.
    let essay: Vec<_> = bt
        .claims
        .iter()
        .filter(|s| s.forecaster == "trenin-2021" && s.event.contains("war"))
        .collect();
    assert_eq!(essay.len(), 2);
    for s in essay {
        assert!((s.p - 0.325).abs() < 1e-12);
        assert!(
            (s.brier - brier(0.325, true)).abs() < 1e-12
                && (s.log - log_score(0.325, true)).abs() < 1e-12
        );
    }
    let n: usize = bt.calibration.iter().map(|b| b.n).sum();
    assert_eq!(n, bt.claims.len());
}
