//! The repository's history in a ledger (`history::repository`, what `brink ledger seed` writes):
//! - the committed example export (`scenarios/ledger-history.json`) is what seeding writes today,
//!   record for record (set `BRINK_WRITE_LEDGER_EXAMPLE=1` to regenerate it after a change that
//!   moves a number, and review the diff), and it imports and verifies;
//! - every entry carries the label it should (of record, backtest, after the outcome);
//! - the ledger's scores of the seeded forecasts equal `brink backtest`'s on the same forecasts:
//!   the development crises' and the frozen file's (engine runs, 2,000 draws, seed 0), and the
//!   forecast of record's (`backtest_record`).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use brink_engine::{Backtest, Loaded, Options};
use brink_ledger::chain::Body;
use brink_ledger::history::{self, REPOSITORY_DRAWS};
use brink_ledger::score::ScoredForecast;
use brink_ledger::wire::Label;
use brink_ledger::{question_id, ExportFormat, Filter, Ledger, ScoreReport};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const EXAMPLE: &str = "scenarios/ledger-history.json";

/// One seeded ledger for every test of this file (seeding runs the engine on 13 files).
fn seeded() -> &'static (tempfile::TempDir, PathBuf, history::RepositoryHistory) {
    static L: OnceLock<(tempfile::TempDir, PathBuf, history::RepositoryHistory)> = OnceLock::new();
    L.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("history.sqlite3");
        let repo = history::repository(&root()).unwrap();
        let mut l = Ledger::open(&p).unwrap();
        let rep = history::seed(&mut l, &repo.history).unwrap();
        assert_eq!(rep.recorded, repo.history.entries.len());
        assert_eq!(rep.resolved, repo.history.resolutions.len());
        // Seeding again adds nothing.
        let again = history::seed(&mut l, &repo.history).unwrap();
        assert_eq!((again.recorded, again.resolved), (0, 0));
        assert_eq!(again.already_present, repo.history.entries.len());
        (dir, p, repo)
    })
}

fn ledger() -> Ledger {
    Ledger::open(&seeded().1).unwrap()
}

#[test]
fn the_committed_example_is_what_seeding_writes() {
    let l = ledger();
    assert!(l.verify().unwrap().ok);
    let text = l.export_to_string(ExportFormat::Json).unwrap();
    let path = root().join(EXAMPLE);
    if std::env::var_os("BRINK_WRITE_LEDGER_EXAMPLE").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; write it with BRINK_WRITE_LEDGER_EXAMPLE=1",
            path.display()
        )
    });
    // The committed file is a real export: every hash, link and number checks on import.
    let dir = tempfile::tempdir().unwrap();
    let mut fresh = Ledger::open(dir.path().join("f.sqlite3")).unwrap();
    let rep = fresh.import(&committed, EXAMPLE).unwrap();
    assert_eq!(rep.added, l.records().unwrap().len());
    assert!(fresh.verify().unwrap().ok);
    // Record for record the same content as seeding today (chain ids, times and hashes differ).
    let ours: Vec<Body> = l.records().unwrap().into_iter().map(|r| r.body).collect();
    let theirs: Vec<Body> = fresh
        .records()
        .unwrap()
        .into_iter()
        .map(|r| r.body)
        .collect();
    assert_eq!(ours.len(), theirs.len(), "record counts differ");
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(
            a,
            b,
            "record {} of {EXAMPLE} differs from what seeding writes today; \
             regenerate with BRINK_WRITE_LEDGER_EXAMPLE=1 and review the diff",
            i + 1
        );
    }
}

#[test]
fn every_entry_is_labelled() {
    let (_, _, repo) = seeded();
    for e in &repo.history.entries {
        let label = Label::of(e).unwrap_or_else(|| panic!("{} has no label", e.question.id));
        let file = e.scenario.as_ref().map(|s| s.sha256.as_str());
        let expected = if e.forecaster.name != "brink" {
            Label::OfRecord
        } else if e
            .brink_version
            .as_deref()
            .is_some_and(|v| v.starts_with("commit "))
        {
            // The forecast of record: made by the engine of that commit.
            Label::OfRecord
        } else if e.question.id.starts_with("ukraine-2021-12/") {
            // The file extended after the outcome, and the frozen file under today's engine,
            // whose crisis model was built after the outcome.
            assert!(file.is_some());
            Label::AfterOutcome
        } else {
            Label::Backtest
        };
        assert_eq!(label, expected, "{} by {:?}", e.question.id, e.forecaster);
        assert!(e.backtest, "everything seeded was written after the fact");
    }
    let n = |l: Label| {
        repo.history
            .entries
            .iter()
            .filter(|e| Label::of(e) == Some(l))
            .count()
    };
    assert!(n(Label::OfRecord) > 0 && n(Label::Backtest) > 0 && n(Label::AfterOutcome) > 0);
    // The crowd's three values and the superforecaster's, each on the crisis's war class.
    let external: Vec<_> = repo
        .history
        .entries
        .iter()
        .filter(|e| e.forecaster.name != "brink")
        .collect();
    assert_eq!(external.len(), 4);
    assert!(external
        .iter()
        .all(|e| e.question.id == question_id::crisis("ukraine-2021-12", "standoff")));
}

/// brink's scored forecasts of a question with a given label.
fn scored<'a>(rep: &'a ScoreReport, question: &str, forecaster: &str) -> Vec<&'a ScoredForecast> {
    rep.forecasts
        .iter()
        .filter(|f| f.question == question && f.forecaster == forecaster)
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn scores_equal_the_backtest_scores() {
    let l = ledger();
    let backtests = l
        .score(&Filter {
            tags: vec![Label::Backtest.tag().into()],
            ..Filter::default()
        })
        .unwrap();
    let opts = Options {
        draws: REPOSITORY_DRAWS,
        seed: 0,
        ..Options::default()
    };
    let mut checked_crises = 0;
    let mut checked_issues = 0;
    // The development crises (the essay's frozen file is after-outcome under today's engine).
    let mut files: Vec<(PathBuf, PathBuf)> = Vec::new();
    for e in std::fs::read_dir(root().join("scenarios/crises")).unwrap() {
        let p = e.unwrap().path();
        let s = p.to_string_lossy().to_string();
        if s.ends_with(".toml") && !s.ends_with(".outcomes.toml") && !s.ends_with(".onset.toml") {
            files.push((p.clone(), p.with_extension("outcomes.toml")));
        }
    }
    assert_eq!(files.len(), 10);
    for (scenario, outcomes) in &files {
        let loaded = Loaded::from_file(scenario).unwrap();
        let bt = Backtest::run(&loaded, outcomes, None, &opts)
            .unwrap()
            .backtest;
        let id = &loaded.scenario.id;
        for c in &bt.crises {
            let q = question_id::crisis(id, &c.crisis);
            let fs = scored(&backtests, &q, "brink:game");
            assert_eq!(fs.len(), 1, "{q}");
            assert!(close(fs[0].brier.unwrap(), c.brier), "{q}: Brier");
            assert!(close(fs[0].log.unwrap(), c.log), "{q}: log");
            // Each class as a yes/no event, as the backtest scores it.
            for (class, p) in &c.probabilities {
                let e = fs[0].events.iter().find(|e| e.event == *class).unwrap();
                assert!(close(e.p, *p), "{q} {class}");
                let s = bt.brink(&c.crisis, class).unwrap();
                assert!(
                    close(e.brier, s.brier) && close(e.log, s.log),
                    "{q} {class}"
                );
            }
            checked_crises += 1;
        }
        for is in &bt.issues {
            let q = question_id::issue(id, &is.issue);
            for (model, _, err) in &is.models {
                let fs = scored(&backtests, &q, &format!("brink:{model}"));
                match err {
                    Some(err) => {
                        assert_eq!(fs.len(), 1, "{q} {model}");
                        assert!(close(fs[0].abs_error.unwrap(), *err), "{q} {model}");
                        checked_issues += 1;
                    }
                    None => assert!(fs.is_empty(), "{q} {model}"),
                }
            }
        }
    }
    assert_eq!(checked_crises, 10);
    assert!(checked_issues > 50, "{checked_issues}");

    // The forecast of record, as `brink backtest` scores a record.
    let frozen = Loaded::from_file(&root().join("scenarios/ukraine-2021-12.frozen.toml")).unwrap();
    let record = brink_scenario::load_record_str(
        &std::fs::read_to_string(root().join("scenarios/ukraine-2021-12.record.toml")).unwrap(),
        "record",
    )
    .unwrap();
    let outcomes =
        brink_scenario::load_outcomes_file(&root().join("scenarios/ukraine-2021-12.outcomes.toml"))
            .unwrap();
    let bt = brink_eval::backtest::backtest_record(&frozen.scenario, &record, &outcomes, None);
    let of_record = l
        .score(&Filter {
            tags: vec![Label::OfRecord.tag().into()],
            ..Filter::default()
        })
        .unwrap();
    let c = &bt.crises[0];
    let q = question_id::crisis("ukraine-2021-12", &c.crisis);
    let fs = scored(&of_record, &q, "brink:game");
    assert_eq!(fs.len(), 1);
    assert!(close(fs[0].brier.unwrap(), c.brier) && close(fs[0].log.unwrap(), c.log));
    for is in &bt.issues {
        for (model, _, err) in &is.models {
            let fs = scored(
                &of_record,
                &question_id::issue("ukraine-2021-12", &is.issue),
                &format!("brink:{model}"),
            );
            assert_eq!(fs.len(), 1);
            // A point forecast is recorded as a point mass: its CRPS is its absolute error.
            let err = err.unwrap();
            assert!(close(fs[0].abs_error.unwrap(), err));
            assert!((fs[0].crps.unwrap() - err).abs() < 1e-9);
        }
    }
    // The crowd's stated forecasts, as the backtest scores them with the claims file.
    let claims =
        brink_scenario::load_claims_file(&root().join("scenarios/ukraine-2021-12.claims.toml"))
            .unwrap();
    let bt =
        brink_eval::backtest::backtest_record(&frozen.scenario, &record, &outcomes, Some(&claims));
    for s in bt.claims.iter().filter(|s| s.kind == "stated") {
        let fs: Vec<_> = of_record
            .forecasts
            .iter()
            .filter(|f| f.forecaster == s.forecaster && Some(f.as_of.to_string()) == s.made)
            .collect();
        assert_eq!(fs.len(), 1, "{}", s.id);
        assert!(close(fs[0].brier.unwrap(), s.brier) && close(fs[0].log.unwrap(), s.log));
    }
}
