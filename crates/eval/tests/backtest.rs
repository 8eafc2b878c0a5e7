//! The built-in scenario's backtest: the outcomes file cites a dated source for every entry, all
//! after the scenario's cut-off and by the horizon; the claims are quoted from their part of the
//! source, each names its event and horizon, and no event counts twice; the scores are what the
//! score definitions give, by each claim's own horizon; the frozen scenario and its forecast of
//! record are scored the same way.

use brink_eval::backtest::{backtest, backtest_record};
use brink_eval::words::{brier, log_score, probability};
use brink_scenario::{
    load_claims_str, load_outcomes_str, load_record_str, load_str, About, Evidence,
};

const OUTCOMES: &str = include_str!("../../../scenarios/ukraine-2021-12.outcomes.toml");
const CLAIMS: &str = include_str!("../../../scenarios/ukraine-2021-12.claims.toml");
const FROZEN: &str = include_str!("../../../scenarios/ukraine-2021-12.frozen.toml");
const RECORD: &str = include_str!("../../../scenarios/ukraine-2021-12.record.toml");
const CAPTURE: &str = include_str!("../../../tests/data/sources/000_9caa82855e2218fb.txt");

fn normalise(s: &str) -> String {
    s.replace(['\u{2019}', '\u{2018}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{a0}', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The lines `a-b` of the captured page that a citation names ("lines 147-153 of the captured
/// page"), normalised; `None` if it names none.
fn cited_lines(citation: &str) -> Option<String> {
    let rest = &citation[citation.find("lines ")? + 6..];
    let (a, rest) = rest.split_once('-')?;
    let b: String = rest.chars().take_while(|c| c.is_ascii_digit()).collect();
    let (a, b): (usize, usize) = (a.parse().ok()?, b.parse().ok()?);
    let lines: Vec<&str> = CAPTURE.lines().collect();
    Some(normalise(&lines[a - 1..b].join(" ")))
}

#[test]
fn every_outcome_cites_a_dated_source_after_the_cut_off() {
    let sc = brink_scenario::builtin().unwrap();
    let o = load_outcomes_str(OUTCOMES, "outcomes.toml").unwrap_or_else(|e| panic!("{e}"));
    assert!(o.check_against(&sc).is_empty());
    assert_eq!(o.issues.len(), sc.issues.len(), "every issue resolved");
    assert_eq!(o.crises.len(), sc.crises.len(), "every crisis resolved");
    let mut cited = Vec::new();
    for ev in o
        .issues
        .iter()
        .map(|x| Some(&x.evidence))
        .chain(o.crises.iter().map(|x| Some(&x.evidence)))
        .chain(o.events.iter().map(|x| x.evidence.as_ref()))
        .flatten()
    {
        let Evidence::Quotes(qs) = ev else {
            panic!("an outcome rests on an assumption: {ev:?}")
        };
        assert!(!qs.is_empty());
        cited.extend(qs.iter().map(|q| q.source));
    }
    for e in &o.events {
        cited.extend(e.reported.iter().map(|r| r.source));
        match e.occurred {
            Some(_) => assert!(
                e.evidence.is_some() || !e.reported.is_empty(),
                "event `{}` cites no source",
                e.id
            ),
            None => assert!(
                e.unresolved.as_ref().is_some_and(|r| r.len() > 40),
                "event `{}`: say why it is unresolved",
                e.id
            ),
        }
        for r in &e.reported {
            assert!(
                r.says.len() > 20,
                "event `{}`: say what the source reports",
                e.id
            );
        }
    }
    assert!(!cited.is_empty());
    for k in cited {
        let d = o.sources[k].date;
        assert!(
            d > sc.as_of && d <= o.horizon,
            "{} dated {d}",
            o.sources[k].id
        );
    }
}

#[test]
fn claims_are_quoted_from_their_part_of_the_source_and_use_the_fixed_table() {
    let c = load_claims_str(CLAIMS, "claims.toml").unwrap_or_else(|e| panic!("{e}"));
    let text_of = |source: usize| {
        let src = &c.sources[source];
        cited_lines(&src.citation)
            .unwrap_or_else(|| panic!("source `{}` names no lines of the captured page", src.id))
    };
    for cl in &c.claims {
        assert!(
            probability(&cl.words).is_some(),
            "{}: `{}` is not in the table",
            cl.id,
            cl.words
        );
        assert!(
            text_of(cl.source).contains(&normalise(&cl.quote)),
            "{}: quote not found in its part of the source: {}",
            cl.id,
            cl.quote
        );
        assert!(
            normalise(&cl.quote)
                .to_lowercase()
                .contains(&cl.words.to_lowercase())
                || cl.words == "not imminent",
            "{}: the words `{}` are not in the quote",
            cl.id,
            cl.words
        );
    }
    for u in &c.unscored {
        assert!(
            text_of(u.source).contains(&normalise(&u.quote)),
            "unscored: quote not found in its part of the source: {}",
            u.quote
        );
        assert!(
            u.reason.len() > 15,
            "unscored `{}`: give the reason",
            u.quote
        );
    }
    // The essay's claims are in the essay (lines 5-26), the comments' in the comments.
    for cl in &c.claims {
        let id = &c.sources[cl.source].id;
        let essay = c.sources[cl.source].citation.contains("lines 5-26");
        assert_eq!(
            essay,
            id == "trenin-2021" || id == "us-officials-2021-12",
            "{id}"
        );
    }
}

#[test]
fn every_claim_names_its_event_and_horizon_and_no_event_counts_twice() {
    let c = load_claims_str(CLAIMS, "claims.toml").unwrap();
    let o = load_outcomes_str(OUTCOMES, "o").unwrap();
    for cl in &c.claims {
        assert!(
            !cl.event.trim().is_empty() && cl.horizon >= cl.date,
            "{}",
            cl.id
        );
    }
    for (i, a) in c.claims.iter().enumerate() {
        for b in &c.claims[..i] {
            assert!(
                !(a.source == b.source && a.about == b.about && a.horizon == b.horizon),
                "{} and {} score one event twice",
                a.id,
                b.id
            );
        }
    }
    // The essay's words on war: one claim by the outcomes' horizon ("could"), and one about timing
    // ("not imminent", by a month after the essay), never the complement of another claim.
    let war = About::Crisis {
        crisis: "standoff".into(),
        outcome: "war".into(),
    };
    let essay_on_war: Vec<_> = c
        .claims
        .iter()
        .filter(|x| c.sources[x.source].id == "trenin-2021" && x.about == war)
        .collect();
    assert_eq!(essay_on_war.len(), 2);
    assert!(essay_on_war
        .iter()
        .any(|x| x.horizon < o.horizon && x.words == "not imminent"));
    assert!(c.claims.iter().all(|x| !x.negated));
    let opening = c.claims.iter().find(|x| x.id == "opening-bid").unwrap();
    assert_ne!(
        opening.about, war,
        "'an opening bid' is not a second P(war)"
    );
    // Comment 9's two "likely"s are two claims on two events.
    let likely: Vec<_> = c
        .claims
        .iter()
        .filter(|x| c.sources[x.source].id == "comment-9" && x.words == "likely")
        .collect();
    assert_eq!(likely.len(), 2);
    assert_ne!(likely[0].about, likely[1].about);
    // Every claim and stated forecast resolves against the outcomes file (void, open and
    // unresolved are allowed, a missing outcome is not).
    let sc = brink_scenario::builtin().unwrap();
    let bt = backtest(&sc, &o, &[], &[], Some(&c));
    for n in &bt.not_scored {
        assert!(
            ["void", "open", "unresolved"].contains(&n.status.as_str()),
            "{}: {} {}",
            n.id,
            n.status,
            n.why
        );
    }
    assert_eq!(
        bt.claims.len() + bt.not_scored.len(),
        c.claims.len() + c.forecasts.len()
    );
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
    let find = |id: &str| bt.claims.iter().find(|s| s.id == id).unwrap();
    // "Not imminent": 0.325 for an invasion within a month; the invasion came later: not happened.
    let ni = find("invasion-not-imminent");
    assert_eq!(
        (ni.p, ni.happened, ni.horizon.as_str()),
        (0.325, false, "2022-01-28")
    );
    assert!((ni.brier - brier(0.325, false)).abs() < 1e-12);
    assert!((ni.log - log_score(0.325, false)).abs() < 1e-12);
    // "Could ... dispatch troops": 0.5 for war by the horizon; it happened.
    let tr = find("troops-could-be-sent");
    assert_eq!((tr.p, tr.happened), (0.5, true));
    // "Probably an opening bid": 0.675 that Moscow settles for less; it did not.
    let ob = find("opening-bid");
    assert_eq!((ob.p, ob.happened), (0.675, false));
    // The crowd, stated: 0.35 on 12 Dec 2021, scored on an invasion before 2023.
    let crowd = bt
        .latest_stated("metaculus", &find("crowd-2021-12-12").event, "2021-12-28")
        .unwrap();
    assert_eq!(
        (crowd.p, crowd.happened, crowd.made.as_deref()),
        (0.35, true, Some("2021-12-12"))
    );
    assert!((crowd.brier - 0.4225).abs() < 1e-12);
    let at_update = bt
        .latest_stated("metaculus", &crowd.event, "2022-01-10")
        .unwrap();
    assert_eq!(
        at_update.id, "crowd-2021-12-12",
        "the value of 18 Jan 2022 is later"
    );
    assert_eq!(
        bt.latest_stated("metaculus", &crowd.event, "2022-02-12")
            .unwrap()
            .p,
        0.65
    );
    assert!(bt
        .latest_stated("metaculus", &crowd.event, "2021-12-01")
        .is_none());
    // Conditional claims whose condition did not happen are void, not scored.
    for id in [
        "reciprocal-commitments",
        "moratorium-would-satisfy",
        "nato-accord-might-assuage",
    ] {
        let n = bt.not_scored.iter().find(|n| n.id == id).unwrap();
        assert_eq!(n.status, "void", "{id}");
    }
    assert_eq!(
        bt.not_scored
            .iter()
            .find(|n| n.id == "membership-not-this-decade")
            .unwrap()
            .status,
        "open"
    );
    assert_eq!(
        bt.not_scored
            .iter()
            .find(|n| n.id == "kaliningrad-missiles")
            .unwrap()
            .status,
        "unresolved"
    );
    assert_eq!(bt.brink("standoff", "war").unwrap().p, 0.25);
    let n: usize = bt.calibration.iter().map(|b| b.n).sum();
    assert_eq!(n, bt.claims.len());
}

#[test]
fn horizons_and_conditions_decide_what_counts_as_happened() {
    let o = load_outcomes_str(OUTCOMES, "o").unwrap();
    let sc = brink_scenario::builtin().unwrap();
    let claims = |horizon: &str, given: &str| {
        let text = format!(
            "brink = 1\nscenario = \"ukraine-2021-12\"\n[[sources]]\nid = \"s\"\ncitation = \"c\"\ndate = 2021-12-28\n\
             [[claims]]\nid = \"a\"\nsource = \"s\"\ndate = 2021-12-28\nquote = \"q\"\nwords = \"likely\"\n\
             event = \"war\"\nhorizon = {horizon}\nabout = {{ crisis = \"standoff\", outcome = \"war\" }}\n{given}reading = \"r\"\n"
        );
        load_claims_str(&text, "t.toml").unwrap_or_else(|e| panic!("{e}"))
    };
    let run = |c| backtest(&sc, &o, &[], &[], Some(&c));
    // War on 2022-02-24: not by the day before, yes on the day.
    assert!(!run(claims("2022-02-23", "")).claims[0].happened);
    assert!(run(claims("2022-02-24", "")).claims[0].happened);
    // Conditions: recognition (21 Feb 2022) happened by 24 Feb, not by 20 Feb (void).
    let g = "given = { event = \"russia-recognises-republics\" }\n";
    assert!(run(claims("2022-02-24", g)).claims[0].happened);
    let void = run(claims("2022-02-20", g));
    assert!(void.claims.is_empty() && void.not_scored[0].status == "void");
    // An event that did not happen by the outcomes' horizon is open for a longer horizon.
    let text = CLAIMS.to_string();
    let c = load_claims_str(&text, "c").unwrap();
    let bt = run(c);
    assert!(bt.not_scored.iter().any(|n| n.status == "open"));
}

#[test]
fn a_claim_without_event_or_horizon_is_refused_with_line_and_field() {
    let base = "brink = 1\nscenario = \"x\"\n[[sources]]\nid = \"s\"\ncitation = \"c\"\ndate = 2021-12-28\n\
                [[claims]]\nid = \"a\"\nsource = \"s\"\ndate = 2021-12-28\nquote = \"q\"\nwords = \"likely\"\n\
                about = { event = \"e\" }\nreading = \"r\"\n";
    let e = load_claims_str(base, "c.toml").unwrap_err().to_string();
    assert!(
        e.contains("c.toml:7:1: claims[0].event: missing required field `event`"),
        "{e}"
    );
    assert!(
        e.contains("c.toml:7:1: claims[0].horizon: missing required field `horizon`"),
        "{e}"
    );
    // Two claims of one source on one event by one horizon: refused.
    let one = "[[claims]]\nid = \"ID\"\nsource = \"s\"\ndate = 2021-12-28\nquote = \"q\"\nwords = \"likely\"\n\
               event = \"e\"\nhorizon = 2022-12-31\nabout = { event = \"e\" }\nreading = \"r\"\n";
    let twice = format!(
        "brink = 1\nscenario = \"x\"\n[[sources]]\nid = \"s\"\ncitation = \"c\"\ndate = 2021-12-28\n{}{}",
        one.replace("ID", "a"),
        one.replace("ID", "b")
    );
    let e = load_claims_str(&twice, "c.toml").unwrap_err().to_string();
    assert!(
        e.contains(
            "c.toml:17:1: claims[1].about: scores the same event by the same horizon as claim `a`"
        ),
        "{e}"
    );
    // A horizon before the claim's date: refused.
    let early = twice.replacen("horizon = 2022-12-31", "horizon = 2021-01-01", 1);
    let e = load_claims_str(&early, "c.toml").unwrap_err().to_string();
    assert!(
        e.contains("claims[0].horizon: horizon 2021-01-01 is before"),
        "{e}"
    );
    // A stated forecast's probability is in [0, 1].
    let f = "brink = 1\nscenario = \"x\"\nclaims = []\n[[sources]]\nid = \"m\"\ncitation = \"c\"\ndate = 2021-12-12\n\
             [[forecasts]]\nid = \"f\"\nsource = \"m\"\ndate = 2021-12-12\nprobability = 35\nquestion = \"q\"\n\
             event = \"e\"\nhorizon = 2022-12-31\nabout = { event = \"e\" }\nmatch = \"m\"\n";
    let e = load_claims_str(f, "c.toml").unwrap_err().to_string();
    assert!(
        e.contains("c.toml:12:15: forecasts[0].probability: 35 is out of range"),
        "{e}"
    );
}

#[test]
fn the_frozen_file_backtests_and_its_record_scores_like_a_run() {
    let frozen = load_str(FROZEN, "frozen").unwrap();
    let o = load_outcomes_str(OUTCOMES, "o").unwrap();
    let c = load_claims_str(CLAIMS, "c").unwrap();
    let r = load_record_str(RECORD, "r").unwrap();
    assert!(o.check_for_scoring(&frozen).is_empty());
    assert_eq!(
        o.issues_not_in(&frozen),
        vec!["deal_form", "china_alignment"]
    );
    assert!(
        !o.check_against(&frozen).is_empty(),
        "the strict check still names them"
    );
    let bt = backtest_record(&frozen, &r, &o, Some(&c));
    assert_eq!(bt.issues.len(), 5);
    assert_eq!(
        bt.issues_not_in_scenario,
        vec!["deal_form", "china_alignment"]
    );
    let war = bt.brink("standoff", "war").unwrap();
    assert_eq!(
        (war.p, war.happened, war.made.as_deref()),
        (0.001, true, Some("2021-12-28"))
    );
    assert!((war.brier - 0.998001).abs() < 1e-12);
    // The record's MAE is the mean of its recorded forecasts' errors.
    let comp: Vec<f64> = r
        .issues
        .iter()
        .map(|i| {
            let f = i
                .forecasts
                .iter()
                .find(|(m, _)| m == "compromise")
                .unwrap()
                .1;
            (f - o.value_of(&i.issue).unwrap()).abs()
        })
        .collect();
    let want = comp.iter().sum::<f64>() / comp.len() as f64;
    let got = bt.mae.iter().find(|m| m.0 == "compromise").unwrap();
    assert_eq!(got.1, 5);
    assert!((got.2 - want).abs() < 1e-12);
    assert_eq!(bt.mae_over(&["donbas"])[0].1, 1);
}
