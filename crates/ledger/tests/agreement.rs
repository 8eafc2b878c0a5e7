//! The ledger's scores equal `brink backtest`'s (brink-eval's `backtest`) on the same forecasts
//! and outcomes: brink's crisis probabilities (multi-class Brier and log score, and each class as
//! a yes/no forecast), the sources' worded forecasts read with the fixed table, the calibration
//! bins, and the point forecasts' absolute errors. Fixtures: the built-in scenario, and an
//! outcomes file and a claims file of this crate's own (tests/data, made up, well formed).

use brink_eval::backtest::backtest;
use brink_eval::words::probability;
use brink_ledger::score::{summarise, StatementType};
use brink_ledger::{
    question_id, ClassP, Date, Entry, Filter, Forecaster, Ledger, Outcome, Question, QuestionKind,
    Source, Statement,
};
use brink_scenario::{load_claims_str, load_outcomes_str, About};

const OUTCOMES: &str = include_str!("data/agreement.outcomes.toml");
const CLAIMS: &str = include_str!("data/agreement.claims.toml");

#[test]
fn ledger_scores_equal_the_backtest_scores() {
    let sc = brink_scenario::builtin().unwrap();
    let outcomes = load_outcomes_str(OUTCOMES, "agreement.outcomes.toml").unwrap();
    let claims = load_claims_str(CLAIMS, "agreement.claims.toml").unwrap();
    let scen = &sc.id;
    let probs = vec![
        ("war".to_string(), 0.05),
        ("negotiated settlement".to_string(), 0.85),
        ("status quo".to_string(), 0.1),
    ];
    let mut values = vec![None; sc.issues.len()];
    values[sc.issue_index("enlargement").unwrap()] = Some(53.25);
    values[sc.issue_index("donbas").unwrap()] = Some(40.0);
    let bt = backtest(
        &sc,
        &outcomes,
        &[("m".to_string(), values.clone())],
        &[("standoff".to_string(), probs.clone())],
        Some(&claims),
    );

    // The same forecasts in a ledger.
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(dir.path().join("l.sqlite3")).unwrap();
    let as_of = sc.as_of;
    let crisis_q = Question {
        id: question_id::crisis(scen, "standoff"),
        text: "How does the standoff end?".into(),
        kind: QuestionKind::Categorical {
            classes: probs.iter().map(|(c, _)| c.clone()).collect(),
        },
    };
    let entry = |question: Question, statement, forecaster, as_of: Date| Entry {
        question,
        statement,
        forecaster,
        scenario: None,
        brink_version: None,
        seed: None,
        draws: None,
        tags: vec![],
        horizon: Some(outcomes.horizon),
        as_of,
        backtest: true,
    };
    let mut entries = vec![entry(
        crisis_q.clone(),
        Statement::Classes(
            probs
                .iter()
                .map(|(c, p)| ClassP {
                    class: c.clone(),
                    p: *p,
                })
                .collect(),
        ),
        Forecaster::brink(None),
        as_of,
    )];
    for (k, v) in values.iter().enumerate() {
        let Some(v) = v else { continue };
        entries.push(entry(
            Question {
                id: question_id::issue(scen, &sc.issues[k].id),
                text: sc.issues[k].name.clone(),
                kind: QuestionKind::Continuous {
                    min: sc.issues[k].min,
                    max: sc.issues[k].max,
                },
            },
            Statement::Quantiles {
                levels: vec![0.25, 0.5, 0.75],
                values: vec![v - 5.0, *v, v + 5.0],
                point: Some(*v),
            },
            Forecaster::brink(Some("m")),
            as_of,
        ));
    }
    for c in &claims.claims {
        let p0 = probability(&c.words).unwrap();
        let p = if c.negated { 1.0 - p0 } else { p0 };
        let src = &claims.sources[c.source];
        let who = Forecaster::external(&src.id, &src.citation);
        match &c.about {
            About::Crisis { outcome, .. } => entries.push(entry(
                crisis_q.clone(),
                Statement::Event {
                    class: outcome.clone(),
                    p,
                },
                who,
                c.date,
            )),
            About::Event(id) => {
                let ev = outcomes.events.iter().find(|e| e.id == *id).unwrap();
                entries.push(entry(
                    Question {
                        id: question_id::event(scen, id),
                        text: ev.description.clone(),
                        kind: QuestionKind::Binary,
                    },
                    Statement::Probability(p),
                    who,
                    c.date,
                ))
            }
        }
    }
    l.record(&entries).unwrap();
    let src = Source {
        citation: "A dated report (fixture)".into(),
        quote: "fixture".into(),
    };
    let co = &outcomes.crises[0];
    let day = Date::parse("2022-03-01").unwrap();
    l.resolve(
        &crisis_q.id,
        Outcome::Class(co.outcome.clone()),
        co.date.unwrap_or(day),
        src.clone(),
    )
    .unwrap();
    for e in &outcomes.events {
        // An event without a resolution (`unresolved`) is not scored by the backtest either.
        let Some(occurred) = e.occurred else { continue };
        l.resolve(
            &question_id::event(scen, &e.id),
            Outcome::Binary(occurred),
            e.date.unwrap_or(day),
            src.clone(),
        )
        .unwrap();
    }
    for i in &outcomes.issues {
        l.resolve(
            &question_id::issue(scen, &i.issue),
            Outcome::Value(i.value),
            i.date.unwrap_or(day),
            src.clone(),
        )
        .unwrap();
    }
    let r = l.score(&Filter::default()).unwrap();
    assert!(r.integrity.ok);
    assert_eq!((r.unresolved, r.after_outcome), (0, 0));

    // The crisis: multi-class Brier and log score, equal to the bit.
    let cat = r
        .forecasts
        .iter()
        .find(|f| f.statement == StatementType::Classes)
        .unwrap();
    assert_eq!(bt.crises.len(), 1);
    assert_eq!(cat.brier, Some(bt.crises[0].brier));
    assert_eq!(cat.log, Some(bt.crises[0].log));
    // Every yes/no forecast of the backtest (brink's per class, the sources') is in the ledger
    // with the same probability, outcome, Brier and log score.
    let mut ledger_events: Vec<(String, f64, bool, f64, f64)> = r
        .forecasts
        .iter()
        .flat_map(|f| {
            f.events.iter().map(move |e| {
                (
                    if f.external {
                        f.forecaster.clone()
                    } else {
                        "brink".into()
                    },
                    e.p,
                    e.happened,
                    e.brier,
                    e.log,
                )
            })
        })
        .collect();
    let mut bt_events: Vec<(String, f64, bool, f64, f64)> = bt
        .claims
        .iter()
        .map(|c| (c.forecaster.clone(), c.p, c.happened, c.brier, c.log))
        .collect();
    let key = |a: &(String, f64, bool, f64, f64)| (a.0.clone(), a.1.to_bits(), a.2);
    ledger_events.sort_by_key(key);
    bt_events.sort_by_key(key);
    assert_eq!(ledger_events.len(), 8);
    assert_eq!(ledger_events, bt_events);
    // Each source's mean scores.
    for src in ["pundit-a", "pundit-b"] {
        let mine = r.forecasters.iter().find(|f| f.forecaster == src).unwrap();
        let theirs: Vec<_> = bt.claims.iter().filter(|c| c.forecaster == src).collect();
        let b = mine.scores.binary.as_ref().unwrap();
        assert_eq!(b.n, theirs.len());
        let mb = theirs.iter().map(|c| c.brier).sum::<f64>() / theirs.len() as f64;
        let ml = theirs.iter().map(|c| c.log).sum::<f64>() / theirs.len() as f64;
        assert!((b.brier - mb).abs() < 1e-15 && (b.log - ml).abs() < 1e-15);
    }
    // The calibration bins over every yes/no forecast.
    let all: Vec<_> = r.forecasts.iter().collect();
    let cal = summarise(&all).events.calibration;
    assert_eq!(cal.len(), bt.calibration.len());
    for (a, b) in cal.iter().zip(&bt.calibration) {
        assert_eq!((a.lo, a.hi, a.n), (b.lo, b.hi, b.n));
        assert!((a.mean_p - b.mean_p).abs() < 1e-15 && (a.observed - b.observed).abs() < 1e-15);
    }
    // The point forecasts' absolute errors and their mean (the backtest's MAE).
    let m = r
        .forecasters
        .iter()
        .find(|f| f.forecaster == "brink:m")
        .unwrap();
    let c = m.scores.continuous.as_ref().unwrap();
    assert_eq!(c.points, bt.mae[0].1);
    assert!((c.abs_error.unwrap() - bt.mae[0].2).abs() < 1e-12);
    for i in &bt.issues {
        let f = r
            .forecasts
            .iter()
            .find(|f| f.question == question_id::issue(scen, &i.issue))
            .unwrap();
        assert_eq!(f.abs_error, i.models[0].2);
    }
}
