//! Each ledger operation: open (schema, id, migration from v1, refusals), record, resolve (and
//! its refusals, which change nothing), questions, score (definitions, base rate, filters,
//! external forecasters), export and import (merge, duplicates, conflicts), seeding history, the
//! track record and the default location.

mod common;

use brink_eval::words::{brier, log_score};
use brink_ledger::chain::{self, Body, GENESIS};
use brink_ledger::history::{self, History};
use brink_ledger::schema;
use brink_ledger::score::{crps_quantiles_piecewise_linear, StatementType};
use brink_ledger::{
    Error, ExportFormat, Filter, Ledger, Outcome, Resolution, Statement, Timestamp,
};
use common::*;

fn count(l: &Ledger) -> usize {
    l.records().unwrap().len()
}

#[test]
fn a_new_ledger_has_the_latest_schema_an_id_and_its_header() {
    let (_dir, p) = temp();
    let l = Ledger::open(&p).unwrap();
    assert_eq!(l.schema_version().unwrap(), schema::LATEST);
    assert_eq!(l.id().len(), 32);
    assert!(l.id().bytes().all(|b| b.is_ascii_hexdigit()));
    let id = l.id().to_string();
    drop(l);
    let l = Ledger::open(&p).unwrap();
    assert_eq!(l.id(), id, "the id is kept");
    let raw = rusqlite::Connection::open(&p).unwrap();
    let app: i64 = raw
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .unwrap();
    assert_eq!(app, schema::APPLICATION_ID);
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "delete");
    let versions: Vec<i64> = raw
        .prepare("SELECT version FROM schema_version ORDER BY version")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(versions, vec![1, 2]);
}

#[test]
fn record_chains_its_entries_and_continues_the_chain() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    let r1 = l
        .record(&[
            brink_entry(
                binary("a"),
                Statement::Probability(0.2),
                "2021-12-28",
                &["x"],
            ),
            brink_entry(crisis("c"), classes(&[0.1, 0.6, 0.3]), "2021-12-28", &[]),
        ])
        .unwrap();
    let r2 = l
        .record(&[brink_entry(
            issue("i"),
            Statement::Quantiles {
                levels: vec![0.05, 0.5, 0.95],
                values: vec![20.0, 50.0, 80.0],
                point: Some(50.0),
            },
            "2021-12-28",
            &[],
        )])
        .unwrap();
    let seqs: Vec<u64> = r1.iter().chain(&r2).map(|r| r.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    let recs = l.records().unwrap();
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[0].prev, GENESIS);
    for w in recs.windows(2) {
        assert_eq!(w[1].prev, w[0].hash);
        assert!(w[1].recorded_at >= w[0].recorded_at);
    }
    for (r, rec) in r1.iter().chain(&r2).zip(&recs) {
        assert_eq!(r.hash, rec.hash);
        assert_eq!(rec.computed_hash(), rec.hash);
        assert_eq!(rec.origin, l.id());
    }
    let v = l.verify().unwrap();
    assert!(v.ok, "{v}");
    assert_eq!(v.chains.len(), 1);
    assert_eq!(v.chains[0].head_seq, 3);
    assert_eq!(v.chains[0].head_hash, r2[0].hash);
    // Reopened, the chain goes on from its head.
    drop(l);
    let mut l = Ledger::open(&p).unwrap();
    let r3 = l
        .record(&[brink_entry(
            binary("b"),
            Statement::Probability(0.5),
            "2022-01-01",
            &[],
        )])
        .unwrap();
    assert_eq!(r3[0].seq, 4);
    assert!(l.verify().unwrap().ok);
}

#[test]
fn bad_entries_are_refused_whole_with_their_field() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    l.record(&[brink_entry(
        binary("a"),
        Statement::Probability(0.2),
        "2021-12-28",
        &[],
    )])
    .unwrap();
    let err = l
        .record(&[
            brink_entry(binary("b"), Statement::Probability(0.3), "2021-12-28", &[]),
            brink_entry(crisis("c"), classes(&[0.1, 0.6, 0.2]), "2021-12-28", &[]),
        ])
        .unwrap_err();
    match &err {
        Error::InvalidEntry {
            index,
            question,
            field,
            message,
            ..
        } => {
            assert_eq!(
                (*index, question.as_str(), field.as_str()),
                (1, "c", "statement")
            );
            assert!(message.contains("sum to"), "{message}");
        }
        e => panic!("{e}"),
    }
    assert!(err.to_string().contains("ledger.sqlite3"), "{err}");
    assert_eq!(count(&l), 1, "nothing of the batch was written");
    // The same question with another kind.
    let err = l
        .record(&[brink_entry(
            crisis("a"),
            classes(&[0.1, 0.6, 0.3]),
            "2021-12-28",
            &[],
        )])
        .unwrap_err();
    assert!(matches!(err, Error::KindConflict { index: 0, .. }), "{err}");
    // A forecast dated after the day it is recorded.
    let mut e = brink_entry(binary("z"), Statement::Probability(0.3), "2021-12-28", &[]);
    e.as_of = Timestamp(Timestamp::now().0 + 5 * 86_400_000_000).date();
    let err = l.record(&[e]).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidEntry { field, .. } if field == "as_of"),
        "{err}"
    );
    assert_eq!(count(&l), 1);
    assert!(l.verify().unwrap().ok);
}

#[test]
fn resolve_refuses_bad_input_and_changes_nothing() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    l.record(&[
        brink_entry(crisis("c"), classes(&[0.1, 0.6, 0.3]), "2021-12-28", &[]),
        brink_entry(
            issue("i"),
            Statement::Quantiles {
                levels: vec![0.5],
                values: vec![50.0],
                point: None,
            },
            "2021-12-28",
            &[],
        ),
        brink_entry(binary("b"), Statement::Probability(0.3), "2021-12-28", &[]),
    ])
    .unwrap();
    let n = count(&l);
    let day = d("2022-02-24");
    let cases: Vec<(&str, Outcome, brink_ledger::Source, &str)> = vec![
        (
            "nope",
            Outcome::Class("war".into()),
            source("q"),
            "unknown question `nope`",
        ),
        (
            "c",
            Outcome::Class("peace".into()),
            source("q"),
            "not one of the question's classes",
        ),
        (
            "c",
            Outcome::Binary(true),
            source("q"),
            "categorical question cannot be resolved with yes/no",
        ),
        (
            "i",
            Outcome::Value(101.0),
            source("q"),
            "outside the scale [0, 100]",
        ),
        (
            "i",
            Outcome::Value(f64::NAN),
            source("q"),
            "outside the scale",
        ),
        (
            "b",
            Outcome::Value(1.0),
            source("q"),
            "binary question cannot be resolved with a value",
        ),
        (
            "b",
            Outcome::Binary(true),
            source(""),
            "source.quote: is empty",
        ),
    ];
    for (q, o, s, want) in cases {
        let err = l.resolve(q, o, day, s).unwrap_err();
        assert!(err.to_string().contains(want), "{q}: {err}");
        assert_eq!(count(&l), n, "{q}: nothing written");
    }
    let future = Timestamp(Timestamp::now().0 + 5 * 86_400_000_000).date();
    let err = l
        .resolve("b", Outcome::Binary(true), future, source("q"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidResolution { field, .. } if field == "date"),
        "{err}"
    );
    let r = l
        .resolve("c", Outcome::Class("war".into()), day, source("invaded"))
        .unwrap();
    assert_eq!(r.seq, n as u64 + 1);
    let err = l
        .resolve("c", Outcome::Class("deal".into()), day, source("q"))
        .unwrap_err();
    match &err {
        Error::AlreadyResolved { existing, .. } => {
            assert!(existing.contains("war, dated 2022-02-24"), "{existing}")
        }
        e => panic!("{e}"),
    }
    assert_eq!(count(&l), n + 1);
    l.resolve("i", Outcome::Value(100.0), day, source("annexed"))
        .unwrap();
    assert!(l.verify().unwrap().ok);
    let qs = l.questions().unwrap();
    assert_eq!(qs.len(), 3);
    let c = qs.iter().find(|q| q.question.id == "c").unwrap();
    assert_eq!(c.forecasts, 1);
    assert_eq!(
        c.resolution.as_ref().map(|r| &r.outcome),
        Some(&Outcome::Class("war".into()))
    );
    assert!(qs
        .iter()
        .find(|q| q.question.id == "b")
        .unwrap()
        .resolution
        .is_none());
}

#[test]
fn a_live_forecast_of_a_resolved_question_must_be_a_backtest() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    l.record(&[brink_entry(
        binary("b"),
        Statement::Probability(0.3),
        "2021-12-28",
        &[],
    )])
    .unwrap();
    l.resolve("b", Outcome::Binary(true), d("2022-01-05"), source("q"))
        .unwrap();
    let late = brink_entry(binary("b"), Statement::Probability(0.9), "2021-12-30", &[]);
    let err = l.record(std::slice::from_ref(&late)).unwrap_err();
    assert!(matches!(err, Error::AfterResolution { .. }), "{err}");
    let r = l
        .record(&[brink_ledger::Entry {
            backtest: true,
            ..late
        }])
        .unwrap();
    assert_eq!(r[0].seq, 3);
    assert!(l.verify().unwrap().ok);
}

/// The small world of the score tests (see the comments for each forecast's part).
fn world(l: &mut Ledger) {
    let quantiles = Statement::Quantiles {
        levels: vec![0.05, 0.5, 0.95],
        values: vec![20.0, 50.0, 80.0],
        point: Some(50.0),
    };
    let b2 = brink_entry(
        binary("b2"),
        Statement::Probability(0.2),
        "2022-01-15",
        &["t1"],
    );
    l.record(&[
        brink_entry(
            binary("b1"),
            Statement::Probability(0.7),
            "2021-12-28",
            &["t1"],
        ),
        b2.clone(),
        brink_entry(
            binary("b3"),
            Statement::Probability(0.6),
            "2022-02-15",
            &["t2"],
        ),
        brink_entry(
            crisis("c"),
            classes(&[0.1, 0.6, 0.3]),
            "2021-12-28",
            &["t2"],
        ),
        brink_entry(issue("i"), quantiles, "2021-12-28", &[]),
        // Dated after b1's outcome (2022-01-10): not scored.
        brink_entry(
            binary("b1"),
            Statement::Probability(0.99),
            "2022-01-20",
            &[],
        ),
        // The same forecast again: scored once.
        b2,
        // Never resolved.
        brink_entry(binary("b4"), Statement::Probability(0.5), "2022-01-01", &[]),
        crowd_entry(
            crisis("c"),
            Statement::Event {
                class: "war".into(),
                p: 0.35,
            },
            "2021-12-12",
        ),
        crowd_entry(binary("b1"), Statement::Probability(0.9), "2021-12-20"),
        brink_ledger::Entry {
            backtest: true,
            ..crowd_entry(binary("b3"), Statement::Probability(0.4), "2022-02-20")
        },
    ])
    .unwrap();
    l.resolve("b1", Outcome::Binary(true), d("2022-01-10"), source("a"))
        .unwrap();
    l.resolve("b2", Outcome::Binary(false), d("2022-02-01"), source("b"))
        .unwrap();
    l.resolve("b3", Outcome::Binary(true), d("2022-03-01"), source("c"))
        .unwrap();
    l.resolve(
        "c",
        Outcome::Class("war".into()),
        d("2022-02-24"),
        source("d"),
    )
    .unwrap();
    l.resolve("i", Outcome::Value(10.0), d("2022-06-01"), source("e"))
        .unwrap();
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-12
}

#[test]
fn scores_follow_their_definitions() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    world(&mut l);
    let r = l.score(&Filter::default()).unwrap();
    assert!(r.integrity.ok);
    assert_eq!(r.unresolved, 1, "b4");
    assert_eq!(r.after_outcome, 1, "the late b1");
    assert_eq!(r.duplicates, 1, "b2 twice");
    let brink = r
        .forecasters
        .iter()
        .find(|f| f.forecaster == "brink")
        .unwrap();
    let s = &brink.scores;
    assert_eq!((s.forecasts, s.questions), (5, 5));
    let bin = s.binary.as_ref().unwrap();
    assert_eq!(bin.n, 3);
    assert!(close(
        bin.brier,
        (brier(0.7, true) + brier(0.2, false) + brier(0.6, true)) / 3.0
    ));
    assert!(close(
        bin.log,
        (log_score(0.7, true) + log_score(0.2, false) + log_score(0.6, true)) / 3.0
    ));
    let cat = s.categorical.as_ref().unwrap();
    assert!(close(
        cat.brier,
        brier(0.1, true) + brier(0.6, false) + brier(0.3, false)
    ));
    assert!(close(cat.log, log_score(0.1, true)));
    let cont = s.continuous.as_ref().unwrap();
    let crps =
        crps_quantiles_piecewise_linear(&[0.05, 0.5, 0.95], &[20.0, 50.0, 80.0], 0.0, 100.0, 10.0);
    assert!(close(cont.crps, crps) && close(cont.crps_scaled, crps / 100.0));
    assert_eq!(cont.abs_error, Some(40.0));
    // Every yes/no event: b1, b2, b3 and the crisis's three classes.
    let ev = &s.events;
    assert_eq!((ev.n, ev.happened), (6, 3));
    // AUC by pairs: positives .7 .6 .1, negatives .2 .6 .3: 3 + 2.5 + 0 wins of 9.
    assert!(close(ev.auc.unwrap(), 5.5 / 9.0));
    let cal: usize = ev.calibration.iter().map(|b| b.n).sum();
    assert_eq!(cal, 6);
    let m = ev.murphy.as_ref().unwrap();
    assert!(close(
        m.reliability - m.resolution + m.uncertainty + m.within_bins,
        ev.brier.unwrap()
    ));
    // The base rate at each brink forecast's date: b1 (no history) 1/2, b2 (b1 yes) 2/3, b3 (b1
    // yes, b2 no) 2/4; the crisis 1/3 each; the issue uniform on the scale.
    let base_p = |q: &str| {
        r.base_rate
            .iter()
            .zip(&r.forecasts)
            .find(|(_, f)| f.question == q && f.forecaster == "brink")
            .map(|(b, _)| b.events.iter().map(|e| e.p).collect::<Vec<_>>())
            .unwrap()
    };
    assert_eq!(base_p("b1"), vec![0.5]);
    assert!(close(base_p("b2")[0], 2.0 / 3.0));
    assert_eq!(base_p("b3"), vec![0.5]);
    assert!(base_p("c").iter().all(|p| close(*p, 1.0 / 3.0)));
    let bc = brink.base_rate.continuous.as_ref().unwrap();
    assert!(close(
        bc.crps,
        100.0 * (0.1f64.powi(3) + 0.9f64.powi(3)) / 3.0
    ));
    assert_eq!(
        bc.abs_error,
        Some(40.0),
        "the scale's middle, 50, against 10"
    );
    let bb = brink.base_rate.binary.as_ref().unwrap();
    assert!(close(
        bb.brier,
        (brier(0.5, true) + brier(2.0 / 3.0, false) + brier(0.5, true)) / 3.0
    ));
}

#[test]
fn external_forecasters_are_compared_on_what_both_forecast() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    world(&mut l);
    let r = l.score(&Filter::default()).unwrap();
    let crowd = r
        .forecasters
        .iter()
        .find(|f| f.forecaster == "crowd")
        .unwrap();
    assert!(crowd.external);
    assert_eq!(r.comparisons.len(), 1);
    let c = &r.comparisons[0];
    assert_eq!((c.external.as_str(), c.brink.as_str()), ("crowd", "brink"));
    assert_eq!(c.questions, vec!["b1", "b3", "c"]);
    // Common events: b1 yes, b3 yes, the crisis's `war` (brink's distribution cut to that class).
    let eb = c.external_scores.binary.as_ref().unwrap();
    let bb = c.brink_scores.binary.as_ref().unwrap();
    assert_eq!((eb.n, bb.n), (3, 3));
    assert!(c.brink_scores.categorical.is_none());
    assert!(close(
        eb.brier,
        (brier(0.35, true) + brier(0.9, true) + brier(0.4, true)) / 3.0
    ));
    assert!(close(
        bb.brier,
        (brier(0.1, true) + brier(0.7, true) + brier(0.6, true)) / 3.0
    ));
    // The base rate at the crowd's dates: war 1/3 (2021-12-12), b1 1/2 (2021-12-20), b3 1/2
    // (2022-02-20, after b1 yes and b2 no).
    let base = c.base_rate.binary.as_ref().unwrap();
    assert!(close(
        base.brier,
        (brier(1.0 / 3.0, true) + brier(0.5, true) + brier(0.5, true)) / 3.0
    ));
    let text = r.to_string();
    assert!(
        text.contains("crowd against brink on 3 common question(s)"),
        "{text}"
    );
}

#[test]
fn filters_select_by_tag_date_backtest_and_forecaster() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    world(&mut l);
    let scored = |f: Filter| {
        let mut v: Vec<(String, String)> = l
            .score(&f)
            .unwrap()
            .forecasts
            .iter()
            .map(|f| (f.forecaster.clone(), f.question.clone()))
            .collect();
        v.sort();
        v
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        scored(Filter {
            tags: vec!["t1".into()],
            ..Filter::default()
        }),
        pairs(&[("brink", "b1"), ("brink", "b2")])
    );
    assert_eq!(
        scored(Filter {
            tags: vec!["t1".into(), "t2".into()],
            ..Filter::default()
        }),
        pairs(&[])
    );
    assert_eq!(
        scored(Filter {
            since: Some(d("2022-01-01")),
            ..Filter::default()
        }),
        pairs(&[("brink", "b2"), ("brink", "b3"), ("crowd", "b3")])
    );
    assert_eq!(
        scored(Filter {
            backtests: false,
            forecaster: Some("crowd".into()),
            ..Filter::default()
        }),
        pairs(&[("crowd", "b1"), ("crowd", "c")])
    );
    let r = l
        .score(&Filter {
            forecaster: Some("crowd".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!(r.forecasters.len(), 1);
    assert_eq!(
        r.comparisons.len(),
        1,
        "the crowd's comparison with brink stays"
    );
    assert!(r.forecasts.iter().all(|f| f.forecaster == "crowd"));
    assert_eq!(r.forecasts.len(), r.base_rate.len());
    assert!(r
        .forecasts
        .iter()
        .any(|f| f.statement == StatementType::Event));
}

#[test]
fn export_and_import_merge_two_machines() {
    let (_d1, p1) = temp();
    let (_d2, p2) = temp();
    let mut a = Ledger::open(&p1).unwrap();
    let mut b = Ledger::open(&p2).unwrap();
    a.record(&[brink_entry(
        crisis("c"),
        classes(&[0.1, 0.6, 0.3]),
        "2021-12-28",
        &["u"],
    )])
    .unwrap();
    a.resolve(
        "c",
        Outcome::Class("war".into()),
        d("2022-02-24"),
        source("q"),
    )
    .unwrap();
    b.record(&[
        crowd_entry(
            crisis("c"),
            Statement::Event {
                class: "war".into(),
                p: 0.35,
            },
            "2021-12-12",
        ),
        // The same forecast as on a: scored once after the merge.
        brink_entry(crisis("c"), classes(&[0.1, 0.6, 0.3]), "2021-12-28", &["u"]),
    ])
    .unwrap();
    let ea = a.export_to_string(ExportFormat::Json).unwrap();
    let rep = b.import(&ea, "a.json").unwrap();
    assert_eq!((rep.added, rep.duplicates), (2, 0));
    assert_eq!(rep.repeated_forecasts, 1);
    assert_eq!(rep.chains.len(), 1);
    assert_eq!(rep.chains[0].origin, a.id());
    // Again: everything is recognised.
    let rep = b.import(&ea, "a.json").unwrap();
    assert_eq!((rep.added, rep.duplicates), (0, 2));
    let v = b.verify().unwrap();
    assert!(v.ok, "{v}");
    assert_eq!(v.chains.len(), 2);
    assert!(v.chains[0].local && !v.chains[1].local);
    // Imported records keep their own hashes.
    let ra = a.records().unwrap();
    let rb: Vec<_> = b
        .records()
        .unwrap()
        .into_iter()
        .filter(|r| r.origin == a.id())
        .collect();
    assert_eq!(ra, rb);
    // The merged ledger scores the crowd against brink, the repeated forecast once.
    let s = b.score(&Filter::default()).unwrap();
    assert_eq!(s.duplicates, 1);
    assert_eq!(s.comparisons.len(), 1);
    // And back: a gets b's chain; its own comes back as duplicates.
    let eb = b.export_to_string(ExportFormat::Json).unwrap();
    let rep = a.import(&eb, "b.json").unwrap();
    assert_eq!((rep.added, rep.duplicates), (2, 2));
    assert!(a.verify().unwrap().ok);
    // New local records still chain after the import.
    let r = a
        .record(&[brink_entry(
            binary("z"),
            Statement::Probability(0.5),
            "2022-01-01",
            &[],
        )])
        .unwrap();
    assert_eq!(r[0].seq, 3);
    assert!(a.verify().unwrap().ok);
}

#[test]
fn import_conflicts_are_reported_and_nothing_is_merged() {
    let (dir, p1) = temp();
    let mut a = Ledger::open(&p1).unwrap();
    a.record(&[brink_entry(
        crisis("c"),
        classes(&[0.1, 0.6, 0.3]),
        "2021-12-28",
        &[],
    )])
    .unwrap();
    drop(a);
    // The file copied to another machine, and both copies written on: a fork.
    let p_copy = dir.path().join("copy.sqlite3");
    std::fs::copy(&p1, &p_copy).unwrap();
    let mut a = Ledger::open(&p1).unwrap();
    let mut copy = Ledger::open(&p_copy).unwrap();
    assert_eq!(a.id(), copy.id());
    a.record(&[brink_entry(
        binary("x"),
        Statement::Probability(0.1),
        "2022-01-01",
        &[],
    )])
    .unwrap();
    copy.record(&[brink_entry(
        binary("y"),
        Statement::Probability(0.9),
        "2022-01-01",
        &[],
    )])
    .unwrap();
    let n = count(&a);
    let err = a
        .import(
            &copy.export_to_string(ExportFormat::Json).unwrap(),
            "copy.json",
        )
        .unwrap_err();
    let msg = err.to_string();
    assert!(matches!(err, Error::ImportConflict { .. }), "{msg}");
    assert!(msg.contains("forks at record 2"), "{msg}");
    assert_eq!(count(&a), n);
    // Only ahead (the copy written on, the original not): this ledger's own chain continued
    // elsewhere.
    let (_d3, p3) = temp();
    let mut c = Ledger::open(&p3).unwrap();
    c.record(&[brink_entry(
        binary("x"),
        Statement::Probability(0.1),
        "2022-01-01",
        &[],
    )])
    .unwrap();
    drop(c);
    let p4 = dir.path().join("copy2.sqlite3");
    std::fs::copy(&p3, &p4).unwrap();
    let c = Ledger::open(&p3).unwrap();
    let mut c2 = Ledger::open(&p4).unwrap();
    c2.record(&[brink_entry(
        binary("w"),
        Statement::Probability(0.1),
        "2022-01-01",
        &[],
    )])
    .unwrap();
    let mut c = c;
    let err = c
        .import(
            &c2.export_to_string(ExportFormat::Json).unwrap(),
            "copy2.json",
        )
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("was copied and written on elsewhere"),
        "{err}"
    );
    // Two ledgers resolving the same question differently.
    let (_d5, p5) = temp();
    let mut b = Ledger::open(&p5).unwrap();
    b.import(&a.export_to_string(ExportFormat::Json).unwrap(), "a.json")
        .unwrap();
    b.resolve(
        "c",
        Outcome::Class("deal".into()),
        d("2022-02-24"),
        source("q"),
    )
    .unwrap();
    a.resolve(
        "c",
        Outcome::Class("war".into()),
        d("2022-02-24"),
        source("q"),
    )
    .unwrap();
    let n = count(&a);
    let err = a
        .import(&b.export_to_string(ExportFormat::Json).unwrap(), "b.json")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("resolves `c` as deal, this ledger has war"),
        "{err}"
    );
    assert_eq!(count(&a), n);
    // A question of another kind.
    let (_d6, p6) = temp();
    let mut k = Ledger::open(&p6).unwrap();
    k.record(&[brink_entry(
        binary("c"),
        Statement::Probability(0.5),
        "2021-12-28",
        &[],
    )])
    .unwrap();
    let err = a
        .import(&k.export_to_string(ExportFormat::Json).unwrap(), "k.json")
        .unwrap_err();
    assert!(err.to_string().contains("question `c` is"), "{err}");
    assert_eq!(count(&a), n);
    assert!(a.verify().unwrap().ok);
}

#[test]
fn a_tampered_or_malformed_export_is_refused() {
    let (_d1, p1) = temp();
    let (_d2, p2) = temp();
    let mut a = Ledger::open(&p1).unwrap();
    a.record(&[
        brink_entry(binary("b"), Statement::Probability(0.25), "2021-12-28", &[]),
        brink_entry(binary("c"), Statement::Probability(0.5), "2021-12-28", &[]),
    ])
    .unwrap();
    let text = a.export_to_string(ExportFormat::Json).unwrap();
    let mut b = Ledger::open(&p2).unwrap();
    let edited = text.replacen("0.25", "0.75", 1);
    assert_ne!(edited, text);
    let err = b.import(&edited, "edited.json").unwrap_err();
    assert!(
        err.to_string().contains("record 1 of chain")
            && err.to_string().contains("does not give its hash"),
        "{err}"
    );
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    doc["records"].as_array_mut().unwrap().remove(0);
    let err = b
        .import(&serde_json::to_string(&doc).unwrap(), "cut.json")
        .unwrap_err();
    assert!(err.to_string().contains("expected record 1 here"), "{err}");
    let err = b.import("{\"format\": 1", "broken.json").unwrap_err();
    assert!(
        err.to_string()
            .starts_with("import broken.json: line 1, column"),
        "{err}"
    );
    assert_eq!(count(&b), 0);
}

#[test]
fn csv_export_has_one_row_per_record() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    world(&mut l);
    let csv = l.export_to_string(ExportFormat::Csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], brink_ledger::exchange::CSV_COLUMNS.join(","));
    assert_eq!(lines.len(), count(&l) + 1);
    assert!(csv.contains(",entry,"));
    assert!(csv.contains(",resolution,"));
    // Fields with commas are quoted: the crisis kind's JSON.
    assert!(csv.contains(r#""{""categorical"":{""classes"":[""war"",""deal"",""status quo""]}}""#));
    assert!(csv.contains("war 0.1; deal 0.6; status quo 0.3"));
}

#[test]
fn migration_from_a_version_1_file() {
    let (_dir, p) = temp();
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    // A v1 ledger as an earlier brink wrote it: the v1 tables, its id, two records with tags.
    let origin = "0123456789abcdef0123456789abcdef";
    let t = Timestamp::parse("2024-05-01T10:00:00.000000Z").unwrap();
    let e1 = brink_entry(
        binary("b"),
        Statement::Probability(0.3),
        "2021-12-28",
        &["old", "x"],
    );
    let e2 = brink_entry(
        binary("c"),
        Statement::Probability(0.6),
        "2021-12-28",
        &["x"],
    );
    let r1 = chain::seal(origin, 1, GENESIS, t, Body::Entry(Box::new(e1.clone())));
    let r2 = chain::seal(origin, 2, &r1.hash, t, Body::Entry(Box::new(e2.clone())));
    {
        let raw = rusqlite::Connection::open(&p).unwrap();
        raw.execute_batch(schema::V1_SQL).unwrap();
        raw.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (1, ?1)",
            [t.to_string()],
        )
        .unwrap();
        raw.execute("INSERT INTO meta VALUES ('ledger_id', ?1)", [origin])
            .unwrap();
        raw.execute(
            "INSERT INTO meta VALUES (?1, ?2)",
            [format!("head:{origin}"), format!("2 {}", r2.hash)],
        )
        .unwrap();
        for (r, e, tags) in [(&r1, &e1, r#"["old","x"]"#), (&r2, &e2, r#"["x"]"#)] {
            raw.execute(
                "INSERT INTO entries (origin, seq, prev_hash, hash, recorded_at, question,
                 question_text, kind, statement, forecaster, scenario_id, scenario_sha256,
                 brink_version, seed, draws, tags, horizon, as_of, backtest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, '\"binary\"', ?8, 'brink', 'fixture', ?9,
                 '0.1.0', '7', 2000, ?10, '2024-12-31', '2021-12-28', 0)",
                rusqlite::params![
                    r.origin,
                    r.seq as i64,
                    r.prev,
                    r.hash,
                    t.to_string(),
                    e.question.id,
                    e.question.text,
                    serde_json::to_string(&e.statement).unwrap(),
                    "ab".repeat(32),
                    tags
                ],
            )
            .unwrap();
        }
        let tables: i64 = raw
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE name = 'entry_tags'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(tables, 0, "a v1 file has no tag index");
    }
    let l = Ledger::open(&p).unwrap();
    assert_eq!(l.schema_version().unwrap(), 2);
    assert_eq!(l.id(), origin);
    let v = l.verify().unwrap();
    assert!(v.ok, "{v}");
    assert_eq!(l.records().unwrap(), vec![r1, r2]);
    // The tag index was filled from the v1 rows: tag filters work on migrated entries.
    let raw = rusqlite::Connection::open(&p).unwrap();
    let tags: Vec<(i64, String)> = raw
        .prepare("SELECT entry, tag FROM entry_tags ORDER BY entry, tag")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        tags,
        vec![
            (1, "old".to_string()),
            (1, "x".to_string()),
            (2, "x".to_string())
        ]
    );
}

#[test]
fn a_newer_or_foreign_file_is_refused() {
    let (dir, p) = temp();
    drop(Ledger::open(&p).unwrap());
    let raw = rusqlite::Connection::open(&p).unwrap();
    raw.execute(
        "INSERT INTO schema_version (version, applied_at) VALUES (99, 'later')",
        [],
    )
    .unwrap();
    drop(raw);
    let err = Ledger::open(&p).unwrap_err();
    assert!(
        matches!(err, Error::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
    let other = dir.path().join("other.sqlite3");
    let raw = rusqlite::Connection::open(&other).unwrap();
    raw.execute_batch("CREATE TABLE t (x)").unwrap();
    drop(raw);
    let err = Ledger::open(&other).unwrap_err();
    assert!(matches!(err, Error::NotALedger { .. }), "{err}");
    let text = dir.path().join("text.sqlite3");
    std::fs::write(
        &text,
        "this is not a database, it is a text file of some length....",
    )
    .unwrap();
    let err = Ledger::open(&text).unwrap_err();
    assert!(err.to_string().contains("text.sqlite3"), "{err}");
}

/// A small history of its own: a crisis forecast as of two dates by brink, a crowd's forecasts
/// of its `war` class, and the crisis's resolution.
fn fixture_history() -> History {
    let q = crisis("fx/crisis/standoff");
    let mut entries = vec![
        brink_entry(
            q.clone(),
            classes(&[0.001, 0.996, 0.003]),
            "2021-12-28",
            &["fx"],
        ),
        brink_entry(
            q.clone(),
            classes(&[0.0, 0.997, 0.003]),
            "2022-01-10",
            &["fx"],
        ),
    ];
    entries.extend(history::metaculus_ukraine_invasion(&q, "war", &["fx"]));
    History {
        entries,
        resolutions: vec![Resolution {
            question: q.id.clone(),
            outcome: Outcome::Class("war".into()),
            date: d("2022-02-24"),
            source: source("I have decided to conduct a special military operation."),
        }],
    }
}

#[test]
fn seeding_writes_history_as_backtests_once() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    let h = fixture_history();
    let rep = history::seed(&mut l, &h).unwrap();
    assert_eq!((rep.recorded, rep.resolved), (4, 1));
    assert_eq!(rep.receipts.len(), 5);
    let recs = l.records().unwrap();
    let mut dates = Vec::new();
    for r in &recs {
        if let Body::Entry(e) = &r.body {
            assert!(e.backtest, "history is marked as backtest");
            dates.push(e.as_of.to_string());
        }
    }
    assert_eq!(
        dates,
        ["2021-12-28", "2022-01-10", "2021-12-12", "2022-01-18"]
    );
    assert!(l.verify().unwrap().ok);
    // Again: nothing new.
    let rep = history::seed(&mut l, &h).unwrap();
    assert_eq!(
        (
            rep.recorded,
            rep.already_present,
            rep.resolved,
            rep.already_resolved
        ),
        (0, 4, 0, 1)
    );
    assert_eq!(count(&l), 5);
    // The crowd against brink on the war.
    let s = l.score(&Filter::default()).unwrap();
    let c = &s.comparisons[0];
    assert_eq!(c.external, history::METACULUS);
    let eb = c.external_scores.binary.as_ref().unwrap();
    assert!(close(
        eb.brier,
        (brier(0.35, true) + brier(0.52, true)) / 2.0
    ));
    let bb = c.brink_scores.binary.as_ref().unwrap();
    assert!(close(
        bb.brier,
        (brier(0.001, true) + brier(0.0, true)) / 2.0
    ));
    assert!(close(
        bb.log,
        (log_score(0.001, true) + log_score(0.0, true)) / 2.0
    ));
    // A history contradicting the ledger is refused whole.
    let mut bad = fixture_history();
    bad.entries.push(brink_entry(
        binary("new"),
        Statement::Probability(0.5),
        "2022-01-01",
        &[],
    ));
    bad.resolutions[0].outcome = Outcome::Class("deal".into());
    let err = history::seed(&mut l, &bad).unwrap_err();
    assert!(matches!(err, Error::AlreadyResolved { .. }), "{err}");
    assert_eq!(count(&l), 5);
}

#[test]
fn the_track_record_lists_resolved_questions_with_receipts() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    history::seed(&mut l, &fixture_history()).unwrap();
    world(&mut l);
    let t = l.track_record(&Filter::default()).unwrap();
    assert!(t.integrity.ok);
    assert_eq!(t.chains.len(), 1);
    let recs = l.records().unwrap();
    let standoff = t
        .resolved
        .iter()
        .find(|q| q.question == "fx/crisis/standoff")
        .unwrap();
    assert_eq!(standoff.forecasts.len(), 4);
    assert_eq!(standoff.outcome, Outcome::Class("war".into()));
    assert!(standoff.source.quote.contains("special military operation"));
    assert!(recs.iter().any(|r| r.hash == standoff.receipt.hash));
    for f in &standoff.forecasts {
        let rec = recs.iter().find(|r| r.hash == f.receipt.hash).unwrap();
        assert_eq!(rec.seq, f.receipt.seq);
        assert!(f.backtest);
    }
    let first = &standoff.forecasts[0];
    assert_eq!(first.as_of, d("2021-12-12"));
    assert_eq!(first.p_outcome, Some(0.35));
    assert_eq!(first.statement, "war 0.35");
    // Resolved questions by date; calibration for each forecaster and the base rate.
    let dates: Vec<_> = t.resolved.iter().map(|q| q.date).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    let names: Vec<&str> = t
        .calibration
        .iter()
        .map(|c| c.forecaster.as_str())
        .collect();
    assert_eq!(
        names,
        ["brink", "Metaculus community", "crowd", "base rate"]
    );
    for s in &t.over_time {
        assert!(s
            .points
            .windows(2)
            .all(|w| w[0].date < w[1].date && w[0].events < w[1].events));
    }
    let brink = t
        .over_time
        .iter()
        .find(|s| s.forecaster == "brink")
        .unwrap();
    let last = brink.points.last().unwrap();
    let sc = &t
        .scores
        .iter()
        .find(|s| s.forecaster == "brink")
        .unwrap()
        .scores;
    assert_eq!(last.events, sc.events.n);
    assert!(close(last.mean_brier, sc.events.brier.unwrap()));
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["schema"], 1);
}

#[test]
fn the_default_location_is_under_the_user_data_directory() {
    let p = brink_ledger::default_path().unwrap();
    assert!(p.is_absolute());
    assert!(p.ends_with("brink/ledger.sqlite3"), "{}", p.display());
    if let Ok(x) = std::env::var("XDG_DATA_HOME") {
        if std::path::Path::new(&x).is_absolute() {
            assert!(p.starts_with(x));
        }
    }
}

#[test]
fn writing_is_refused_when_the_clock_is_behind_the_chain() {
    let (_dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    l.record(&[brink_entry(
        binary("a"),
        Statement::Probability(0.2),
        "2021-12-28",
        &[],
    )])
    .unwrap();
    // The chain's last record timed a day ahead of this machine's clock (as if written by a
    // machine whose clock ran fast).
    let ahead = Timestamp(Timestamp::now().0 + 86_400_000_000).to_string();
    rusqlite::Connection::open(&p)
        .unwrap()
        .execute(
            "UPDATE entries SET recorded_at = ?1 WHERE seq = 1",
            [&ahead],
        )
        .unwrap();
    let err = l
        .record(&[brink_entry(
            binary("b"),
            Statement::Probability(0.2),
            "2021-12-28",
            &[],
        )])
        .unwrap_err();
    assert!(matches!(err, Error::ClockBehind { .. }), "{err}");
    assert!(err.to_string().contains(&ahead), "{err}");
    assert_eq!(count(&l), 1);
}
