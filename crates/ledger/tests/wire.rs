//! A forecast document as ledger entries (`wire::entries`): what is recorded from a Monte Carlo
//! run, and the rule for unsolved draws (renormalised shares with the count sealed as a tag up
//! to the cap, refused above it or with no solved draw), on a real run of a development crisis
//! whose unsolved count is then set by hand (no shipped scenario leaves a draw unsolved).

use brink_engine::{Forecast, Loaded, Options};
use brink_ledger::wire::{self, Label, RecordOptions};
use brink_ledger::{Error, Ledger, Statement};

fn doc(draws: u64) -> Forecast {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/crises/nkorea-1993.toml");
    let loaded = Loaded::from_file(&p).unwrap();
    Forecast::run(
        &loaded,
        &Options {
            draws,
            seed: 3,
            ..Options::default()
        },
    )
    .unwrap()
}

#[test]
fn a_run_becomes_one_entry_per_statement() {
    let d = doc(200);
    let es = wire::entries(&d, &RecordOptions::default()).unwrap();
    let crises: Vec<_> = es
        .iter()
        .filter(|e| e.question.id.contains("/crisis/"))
        .collect();
    assert_eq!(crises.len(), d.crises.len());
    let g = d.crises[0].game.as_ref().unwrap();
    let Statement::Classes(ps) = &crises[0].statement else {
        panic!("a crisis gives a probability per class")
    };
    for (c, s) in ps.iter().zip(&g.outcomes) {
        assert_eq!((c.class.as_str(), c.p), (s.outcome.as_str(), s.p.unwrap()));
    }
    assert_eq!(crises[0].forecaster.label(), "brink:game");
    assert_eq!(crises[0].draws, Some(200));
    assert_eq!(crises[0].seed, Some(3));
    assert_eq!(crises[0].scenario.as_ref().unwrap().sha256, d.input.sha256);
    assert!(
        !crises[0].backtest && Label::of(crises[0]).is_none(),
        "live by default"
    );
    // One entry per issue and model with a distribution, its quantiles and point the document's.
    let n: usize = d
        .issues
        .iter()
        .map(|i| {
            i.forecasts
                .iter()
                .filter(|f| f.distribution.as_ref().is_some_and(|x| x.summary.is_some()))
                .count()
        })
        .sum();
    assert_eq!(es.len(), d.crises.len() + n);
    let f = &d.issues[0].forecasts[0];
    let e = es
        .iter()
        .find(|e| {
            e.question
                .id
                .ends_with(&format!("/issue/{}", d.issues[0].id))
                && e.forecaster.label() == format!("brink:{}", f.model)
        })
        .unwrap();
    let Statement::Quantiles {
        levels,
        values,
        point,
    } = &e.statement
    else {
        panic!("an issue gives quantiles")
    };
    let s = f.distribution.as_ref().unwrap().summary.as_ref().unwrap();
    assert_eq!(levels, &vec![0.05, 0.25, 0.5, 0.75, 0.95]);
    assert_eq!(
        values,
        &s.quantiles.iter().map(|q| q.value).collect::<Vec<_>>()
    );
    assert_eq!(*point, f.value);
    // A label marks every entry and makes it a backtest.
    let es = wire::entries(
        &d,
        &RecordOptions {
            label: Some(Label::AfterOutcome),
            ..RecordOptions::default()
        },
    )
    .unwrap();
    assert!(es
        .iter()
        .all(|e| e.backtest && Label::of(e) == Some(Label::AfterOutcome)));
    // Only some questions.
    let es = wire::entries(
        &d,
        &RecordOptions {
            questions: vec![d.crises[0].crisis.clone()],
            ..RecordOptions::default()
        },
    )
    .unwrap();
    assert_eq!(es.len(), 1);
}

#[test]
fn a_run_without_draws_is_refused() {
    let e = wire::entries(&doc(0), &RecordOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no Monte Carlo draws"), "{e}");
}

#[test]
fn unsolved_draws_within_the_cap_are_stated_above_it_refused() {
    let mut d = doc(2000);
    let dir = tempfile::tempdir().unwrap();
    let mut ledger = Ledger::open(dir.path().join("l.sqlite3")).unwrap();
    let only_crisis = RecordOptions {
        questions: vec![d.crises[0].crisis.clone()],
        ..RecordOptions::default()
    };
    // 20 of 2,000 draws unsolved (1%): at the default cap, recorded with the count.
    d.crises[0].game.as_mut().unwrap().unsolved = 20;
    let es = wire::entries(&d, &only_crisis).unwrap();
    assert!(
        es[0].tags.contains(&"unsolved:20/2000".to_string()),
        "{:?}",
        es[0].tags
    );
    // The probabilities are the document's: shares of the solved draws.
    let Statement::Classes(ps) = &es[0].statement else {
        panic!()
    };
    let sum: f64 = ps.iter().map(|c| c.p).sum();
    assert!((sum - 1.0).abs() < 1e-9);
    ledger.record(&es).unwrap();
    // 21 of 2,000: above the cap, refused, and nothing is recorded.
    d.crises[0].game.as_mut().unwrap().unsolved = 21;
    let e = wire::entries(&d, &only_crisis).unwrap_err();
    assert!(matches!(e, Error::NotRecordable { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("21 of 2000 draws unsolved (1.05%), more than the 1.00% allowed"),
        "{msg}"
    );
    assert!(msg.contains("nkorea-1993.toml"), "names the file: {msg}");
    // Accepted knowingly with a higher cap.
    let es = wire::entries(
        &d,
        &RecordOptions {
            max_unsolved: 0.05,
            ..only_crisis.clone()
        },
    )
    .unwrap();
    assert!(es[0].tags.contains(&"unsolved:21/2000".to_string()));
    // No solved draw: refused whatever the cap.
    d.crises[0].game.as_mut().unwrap().unsolved = 2000;
    assert!(wire::entries(
        &d,
        &RecordOptions {
            max_unsolved: 0.99,
            ..only_crisis
        }
    )
    .is_err());
    assert_eq!(ledger.records().unwrap().len(), 1);
}
