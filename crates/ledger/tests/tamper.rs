//! Tamper evidence: rows edited, deleted or inserted with raw SQL behind the ledger's back, and
//! `verify` naming the first bad record (table, row id, chain, number, what failed).

mod common;

use brink_ledger::chain::{self, Anchor, Body, Record};
use brink_ledger::{Error, Filter, Ledger, Outcome, ProblemKind, Statement, Timestamp};
use common::*;
use rusqlite::{params, Connection};

/// A ledger of five entries (rows 1-5, records 1-5) and one resolution (record 6).
fn ledger() -> (tempfile::TempDir, std::path::PathBuf, Vec<Record>) {
    let (dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    let entries: Vec<_> = (1..=5)
        .map(|i| {
            brink_entry(
                binary(&format!("q{i}")),
                Statement::Probability(i as f64 / 10.0),
                "2021-12-28",
                &["t"],
            )
        })
        .collect();
    l.record(&entries).unwrap();
    l.resolve(
        "q1",
        Outcome::Binary(true),
        d("2022-02-24"),
        source("it happened"),
    )
    .unwrap();
    assert!(l.verify().unwrap().ok);
    let recs = l.records().unwrap();
    (dir, p, recs)
}

fn raw(p: &std::path::Path) -> Connection {
    Connection::open(p).unwrap()
}

/// Writes a record as a forger would, with raw SQL (binary-question entries only).
fn insert_raw(c: &Connection, r: &Record, table_id: Option<i64>) {
    let Body::Entry(e) = &r.body else {
        panic!("entries only")
    };
    c.execute(
        "INSERT INTO entries (id, origin, seq, prev_hash, hash, recorded_at, question, question_text,
         kind, statement, forecaster, scenario_id, scenario_sha256, brink_version, seed, draws,
         tags, horizon, as_of, backtest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '\"binary\"', ?9, 'brink', ?10, ?11, ?12, ?13, ?14,
         ?15, ?16, ?17, ?18)",
        params![
            table_id,
            r.origin,
            r.seq as i64,
            r.prev,
            r.hash,
            r.recorded_at.to_string(),
            e.question.id,
            e.question.text,
            serde_json::to_string(&e.statement).unwrap(),
            e.scenario.as_ref().map(|s| s.id.clone()),
            e.scenario.as_ref().map(|s| s.sha256.clone()),
            e.brink_version,
            e.seed.map(|s| s.to_string()),
            e.draws.map(|s| s as i64),
            serde_json::to_string(&e.tags).unwrap(),
            e.horizon.map(|h| h.to_string()),
            e.as_of.to_string(),
            e.backtest as i64,
        ],
    )
    .unwrap();
    let id = c.last_insert_rowid();
    for t in &e.tags {
        c.execute("INSERT INTO entry_tags VALUES (?1, ?2)", params![id, t])
            .unwrap();
    }
}

fn first(p: &std::path::Path) -> brink_ledger::Problem {
    let l = Ledger::open(p).unwrap();
    let v = l.verify().unwrap();
    assert!(!v.ok);
    v.first().unwrap().clone()
}

#[test]
fn an_edited_forecast_is_named() {
    let (_dir, p, _) = ledger();
    raw(&p)
        .execute(
            "UPDATE entries SET statement = '{\"probability\":0.9}' WHERE id = 3",
            [],
        )
        .unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.id, f.seq, f.kind),
        ("entries", Some(3), Some(3), ProblemKind::HashMismatch)
    );
    assert!(f.to_string().starts_with("entries row 3 (chain "), "{f}");
    assert!(f.message.contains("edited after it was written"), "{f}");
    // Scores carry the warning.
    let l = Ledger::open(&p).unwrap();
    let s = l.score(&Filter::default()).unwrap();
    assert!(!s.integrity.ok);
    assert!(s
        .to_string()
        .starts_with("WARNING: the ledger does not verify"));
}

#[test]
fn every_edited_column_is_named() {
    for (sql, column_problem) in [
        ("UPDATE entries SET question = 'q9' WHERE id = 2", None),
        ("UPDATE entries SET as_of = '2021-12-01' WHERE id = 2", None),
        ("UPDATE entries SET backtest = 1 WHERE id = 2", None),
        ("UPDATE entries SET seed = '8' WHERE id = 2", None),
        (
            "UPDATE entries SET forecaster_model = 'eu' WHERE id = 2",
            None,
        ),
        (
            "UPDATE entries SET recorded_at = '2020-01-01T00:00:00.000000Z' WHERE id = 2",
            None,
        ),
        ("UPDATE entries SET hash = '00' WHERE id = 2", None),
        // Same meaning, another spelling: not the stored form.
        (
            "UPDATE entries SET statement = '{\"probability\": 0.2}' WHERE id = 2",
            Some("statement"),
        ),
        (
            "UPDATE entries SET as_of = '2021-12-28 ' WHERE id = 2",
            Some("as_of"),
        ),
        ("UPDATE entries SET seed = '07' WHERE id = 2", Some("seed")),
        (
            "UPDATE entries SET backtest = 2 WHERE id = 2",
            Some("backtest"),
        ),
    ] {
        let (_dir, p, _) = ledger();
        raw(&p).execute(sql, []).unwrap();
        let f = first(&p);
        assert_eq!((f.table.as_str(), f.id), ("entries", Some(2)), "{sql}: {f}");
        match column_problem {
            None => assert!(
                matches!(f.kind, ProblemKind::HashMismatch | ProblemKind::TimeOrder),
                "{sql}: {f}"
            ),
            Some(col) => {
                assert_eq!(f.kind, ProblemKind::Unreadable, "{sql}: {f}");
                assert!(f.message.contains(&format!("column `{col}`")), "{sql}: {f}");
            }
        }
    }
}

#[test]
fn an_edited_resolution_is_named() {
    let (_dir, p, _) = ledger();
    raw(&p)
        .execute(
            "UPDATE resolutions SET outcome = '{\"binary\":false}' WHERE id = 1",
            [],
        )
        .unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.id, f.seq, f.kind),
        ("resolutions", Some(1), Some(6), ProblemKind::HashMismatch)
    );
}

#[test]
fn a_deleted_row_is_named() {
    let (_dir, p, _) = ledger();
    let c = raw(&p);
    c.execute("DELETE FROM entry_tags WHERE entry = 3", [])
        .unwrap();
    c.execute("DELETE FROM entries WHERE id = 3", []).unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.id, f.seq, f.kind),
        ("entries", Some(4), Some(4), ProblemKind::Gap)
    );
    assert!(
        f.message.contains("record 3 of the chain is missing"),
        "{f}"
    );
}

#[test]
fn a_deleted_last_row_is_named_and_blocks_writing() {
    let (_dir, p, recs) = ledger();
    raw(&p)
        .execute("DELETE FROM resolutions WHERE id = 1", [])
        .unwrap();
    let f = first(&p);
    assert_eq!(f.kind, ProblemKind::Head);
    assert_eq!(f.seq, Some(5));
    assert!(f.message.contains("deleted from its end"), "{f}");
    let mut l = Ledger::open(&p).unwrap();
    let err = l
        .record(&[brink_entry(
            binary("z"),
            Statement::Probability(0.5),
            "2022-01-01",
            &[],
        )])
        .unwrap_err();
    assert!(matches!(err, Error::Damaged { .. }), "{err}");
    assert!(err.to_string().contains(&recs[5].hash), "{err}");
}

#[test]
fn a_back_dated_record_appended_with_a_valid_hash_is_named() {
    let (_dir, p, recs) = ledger();
    let last = recs.last().unwrap();
    // A forger who knows the format appends a forecast "recorded" a year before, hash and head
    // marker in order.
    let when = Timestamp(last.recorded_at.0 - 365 * 86_400_000_000);
    let e = brink_entry(
        binary("q1"),
        Statement::Probability(0.99),
        "2021-12-20",
        &[],
    );
    let r = chain::seal(&last.origin, 7, &last.hash, when, Body::Entry(Box::new(e)));
    let c = raw(&p);
    insert_raw(&c, &r, None);
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = ?2",
        params![format!("7 {}", r.hash), format!("head:{}", r.origin)],
    )
    .unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.id, f.seq, f.kind),
        ("entries", Some(6), Some(7), ProblemKind::TimeOrder)
    );
    assert!(f.message.contains("back-dated"), "{f}");
}

#[test]
fn a_record_inserted_into_the_middle_is_named() {
    let (_dir, p, recs) = ledger();
    let c = raw(&p);
    // Renumber records 2-5 to 3-6 (and the resolution to 7), then slip a forecast in at 2 with
    // the right link from record 1, back-dated to record 1's time.
    for id in (2..=5).rev() {
        c.execute("UPDATE entries SET seq = seq + 1 WHERE id = ?1", [id])
            .unwrap();
    }
    c.execute("UPDATE resolutions SET seq = seq + 1", [])
        .unwrap();
    let e = brink_entry(
        binary("q5"),
        Statement::Probability(0.95),
        "2021-12-28",
        &[],
    );
    let r = chain::seal(
        &recs[0].origin,
        2,
        &recs[0].hash,
        recs[0].recorded_at,
        Body::Entry(Box::new(e)),
    );
    insert_raw(&c, &r, Some(100));
    let f = first(&p);
    // The inserted record itself is well formed; the record after it no longer links to its
    // predecessor (and its number, which its hash covers, has changed).
    assert_eq!(
        (f.table.as_str(), f.id, f.seq),
        ("entries", Some(2), Some(3)),
        "{f}"
    );
    assert_eq!(f.kind, ProblemKind::BrokenLink, "{f}");
    // The same record added under an existing number instead: a duplicate.
    let (_dir, p, recs) = ledger();
    let c = raw(&p);
    let e = brink_entry(
        binary("q5"),
        Statement::Probability(0.95),
        "2021-12-28",
        &[],
    );
    let r = chain::seal(
        &recs[0].origin,
        2,
        &recs[0].hash,
        recs[0].recorded_at,
        Body::Entry(Box::new(e)),
    );
    c.execute(
        "INSERT INTO resolutions (origin, seq, prev_hash, hash, recorded_at, question, outcome,
         date, citation, quote) VALUES (?1, 2, ?2, ?3, ?4, 'q5', '{\"binary\":true}', '2022-01-01',
         'c', 'q')",
        params![r.origin, r.prev, r.hash, r.recorded_at.to_string()],
    )
    .unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.seq, f.kind),
        ("resolutions", Some(2), ProblemKind::Duplicate),
        "{f}"
    );
}

#[test]
fn a_tampered_tag_index_is_named() {
    let (_dir, p, _) = ledger();
    raw(&p)
        .execute("INSERT INTO entry_tags VALUES (4, 'fake')", [])
        .unwrap();
    let f = first(&p);
    assert_eq!(
        (f.table.as_str(), f.id, f.kind),
        ("entry_tags", Some(4), ProblemKind::TagIndex)
    );
}

#[test]
fn anchors_catch_a_cut_or_a_rewrite_the_chain_alone_cannot_show() {
    let (_dir, p, recs) = ledger();
    let head = recs.last().unwrap();
    let anchor = Anchor {
        origin: head.origin.clone(),
        seq: head.seq,
        hash: head.hash.clone(),
    };
    // A careful forger deletes the last record and moves the head marker back with it.
    let c = raw(&p);
    c.execute("DELETE FROM resolutions WHERE id = 1", [])
        .unwrap();
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = ?2",
        params![
            format!("5 {}", recs[4].hash),
            format!("head:{}", head.origin)
        ],
    )
    .unwrap();
    let l = Ledger::open(&p).unwrap();
    assert!(
        l.verify().unwrap().ok,
        "undetectable from inside the ledger"
    );
    let v = l
        .verify_with_anchors(std::slice::from_ref(&anchor))
        .unwrap();
    let f = v.first().unwrap();
    assert_eq!((f.kind, f.seq), (ProblemKind::Anchor, Some(6)));
    assert!(f.message.contains("the chain was cut"), "{f}");
    // A rewrite that recomputes every later hash: the anchor no longer matches.
    let (_dir, p, recs) = ledger();
    let head = recs.last().unwrap();
    let anchor = Anchor {
        origin: head.origin.clone(),
        seq: head.seq,
        hash: head.hash.clone(),
    };
    let c = raw(&p);
    c.execute("DELETE FROM entry_tags", []).unwrap();
    c.execute("DELETE FROM entries", []).unwrap();
    c.execute("DELETE FROM resolutions", []).unwrap();
    let mut prev = chain::GENESIS.to_string();
    for (i, r) in recs.iter().take(5).enumerate() {
        let mut body = r.body.clone();
        if let (1, Body::Entry(e)) = (i, &mut body) {
            e.statement = Statement::Probability(0.99);
        }
        let n = chain::seal(&r.origin, r.seq, &prev, r.recorded_at, body);
        insert_raw(&c, &n, Some(i as i64 + 1));
        prev = n.hash.clone();
    }
    c.execute(
        "UPDATE meta SET value = ?1 WHERE key = ?2",
        params![format!("5 {prev}"), format!("head:{}", head.origin)],
    )
    .unwrap();
    let l = Ledger::open(&p).unwrap();
    assert!(l.verify().unwrap().ok);
    let early = Anchor {
        origin: recs[2].origin.clone(),
        seq: 3,
        hash: recs[2].hash.clone(),
    };
    let v = l.verify_with_anchors(&[early]).unwrap();
    assert!(v
        .first()
        .unwrap()
        .message
        .contains("the chain was rewritten"));
    assert!(!l.verify_with_anchors(&[anchor]).unwrap().ok);
}
