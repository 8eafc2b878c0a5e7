//! The ledger under real processes: a writer killed (SIGKILL) in the middle of its transactions,
//! again and again, leaves a ledger that opens, verifies and holds only whole batches; two
//! writer processes recording at once both land, in one consistent chain.
//!
//! This test binary is also the writer: run with `BRINK_LEDGER_TEST_WRITER` set, it records
//! batches into the ledger named by its environment and reports on stdout (`mid B` once half of
//! batch B is written inside its open transaction, `done B` once B is committed). Without it, it
//! runs the tests (harness = false, so that the same binary can be spawned as the writer).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use brink_ledger::{Body, Date, Entry, Forecaster, Ledger, Question, QuestionKind, Statement};

const WRITER: &str = "BRINK_LEDGER_TEST_WRITER";

fn entry(writer: &str, batch: usize, i: usize) -> Entry {
    Entry {
        question: Question {
            id: format!("{writer}-{batch}-{i}"),
            text: format!("Question {i} of batch {batch} by writer {writer}"),
            kind: QuestionKind::Binary,
        },
        statement: Statement::Probability((i % 10) as f64 / 10.0),
        forecaster: Forecaster::brink(None),
        scenario: None,
        brink_version: None,
        seed: Some(batch as u64),
        draws: None,
        tags: vec![format!("batch:{writer}:{batch}")],
        horizon: None,
        as_of: Date::parse("2022-01-01").unwrap(),
        backtest: false,
    }
}

/// The writer process.
fn writer() {
    let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("{k} not set"));
    let path = PathBuf::from(var("LEDGER_PATH"));
    let name = var("WRITER_NAME");
    let batches: usize = var("BATCHES").parse().unwrap();
    let size: usize = var("BATCH_SIZE").parse().unwrap();
    let pause = Duration::from_millis(var("PAUSE_MS").parse().unwrap());
    let pause_at: usize = var("PAUSE_AT").parse().unwrap();
    let between = Duration::from_millis(var("BETWEEN_MS").parse().unwrap());
    let go = std::env::var("GO_FILE").ok().map(PathBuf::from);
    let mut l = Ledger::open(&path).unwrap();
    let mut out = std::io::stdout();
    writeln!(out, "ready").unwrap();
    out.flush().unwrap();
    if let Some(go) = go {
        while !go.exists() {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    // Batches numbered on from what this writer already has in the ledger.
    let start = l
        .records()
        .unwrap()
        .iter()
        .filter(
            |r| matches!(&r.body, Body::Entry(e) if e.question.id.starts_with(&format!("{name}-"))),
        )
        .count()
        / size;
    for b in start..start + batches {
        let entries: Vec<Entry> = (0..size).map(|i| entry(&name, b, i)).collect();
        l.record_observed(&entries, &mut |i| {
            if i == pause_at && !pause.is_zero() {
                println!("mid {b}");
                std::io::stdout().flush().unwrap();
                std::thread::sleep(pause);
            }
        })
        .unwrap();
        writeln!(out, "done {b}").unwrap();
        out.flush().unwrap();
        std::thread::sleep(between);
    }
}

struct Spawned {
    child: Child,
    lines: mpsc::Receiver<String>,
}

/// Spawns a writer of `batches` batches of `size` entries that pauses `pause_ms` inside each
/// transaction after entry `pause_at` (no pause if 0).
fn spawn(
    path: &Path,
    name: &str,
    batches: usize,
    size: usize,
    (pause_ms, pause_at): (u64, usize),
    between_ms: u64,
    go: Option<&Path>,
) -> Spawned {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.env(WRITER, "1")
        .env("LEDGER_PATH", path)
        .env("WRITER_NAME", name)
        .env("BATCHES", batches.to_string())
        .env("BATCH_SIZE", size.to_string())
        .env("PAUSE_MS", pause_ms.to_string())
        .env("PAUSE_AT", pause_at.to_string())
        .env("BETWEEN_MS", between_ms.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit());
    if let Some(go) = go {
        cmd.env("GO_FILE", go);
    }
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Spawned { child, lines: rx }
}

fn next_line(s: &Spawned, deadline: Instant) -> String {
    let left = deadline.saturating_duration_since(Instant::now());
    s.lines
        .recv_timeout(left)
        .unwrap_or_else(|e| panic!("the writer said nothing in time: {e}"))
}

/// Entries per batch tag, after checking that the ledger verifies.
fn batches(path: &Path) -> BTreeMap<String, usize> {
    let l = Ledger::open(path).unwrap();
    let v = l.verify().unwrap();
    assert!(v.ok, "{v}");
    let mut m = BTreeMap::new();
    for r in l.records().unwrap() {
        if let Body::Entry(e) = &r.body {
            *m.entry(e.tags[0].clone()).or_insert(0) += 1;
        }
    }
    m
}

/// SQLite's rollback journal magic: a journal starting with it is hot (it must be played back
/// because the database file may hold part of the transaction).
const JOURNAL_MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];

fn hot(journal: &Path) -> bool {
    std::fs::read(journal).is_ok_and(|b| b.starts_with(&JOURNAL_MAGIC))
}

fn kill_mid_write_repeatedly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    drop(Ledger::open(&path).unwrap());
    let journal = dir.path().join("ledger.sqlite3-journal");
    // Writers: `s` small batches, `b` batches large enough that SQLite spills them into the
    // database file before the commit (so a kill leaves a hot journal), `t` small batches killed
    // after fixed delays, wherever that lands.
    let size = |w: &str| if w == "b" { 6000 } else { 40 };
    let delays_ms = [3u64, 17, 41, 9, 77, 23, 55, 5, 130, 31];
    let mut committed: BTreeMap<String, usize> = BTreeMap::new();
    let (mut mid_kills, mut timed_kills, mut hot_kills, mut db_touched) = (0, 0, 0, 0);
    for round in 0..18 {
        let deadline = Instant::now() + Duration::from_secs(120);
        let w_name = ["s", "b", "t"][round % 3];
        let n = size(w_name);
        let pause = match w_name {
            "s" => (300, n / 2),
            "b" => (300, n - 10),
            _ => (0, 0),
        };
        let before = std::fs::read(&path).unwrap();
        let mut w = spawn(&path, w_name, 1000, n, pause, 0, None);
        assert_eq!(next_line(&w, deadline), "ready");
        let mut killed_in: Option<String> = None;
        if w_name == "t" {
            std::thread::sleep(Duration::from_millis(
                delays_ms[(round / 3) % delays_ms.len()],
            ));
            w.child.kill().unwrap();
            timed_kills += 1;
        } else {
            // Small batches: let one commit, then kill inside the next one's open transaction.
            // Large ones: kill inside the first.
            let mut done_now = 0;
            loop {
                let line = next_line(&w, deadline);
                if let Some(b) = line.strip_prefix("done ") {
                    committed.insert(format!("batch:{w_name}:{b}"), n);
                    done_now += 1;
                }
                if let Some(b) = line.strip_prefix("mid ") {
                    if done_now >= 1 || w_name == "b" {
                        killed_in = Some(format!("batch:{w_name}:{b}"));
                        break;
                    }
                }
            }
            w.child.kill().unwrap();
            mid_kills += 1;
        }
        w.child.wait().unwrap();
        while let Ok(line) = w.lines.try_recv() {
            if let Some(b) = line.strip_prefix("done ") {
                committed.insert(format!("batch:{w_name}:{b}"), n);
            }
        }
        let was_hot = hot(&journal);
        if was_hot {
            hot_kills += 1;
        }
        if w_name == "b" && std::fs::read(&path).unwrap() != before {
            db_touched += 1;
        }
        // Opening plays back a hot journal; the ledger verifies and holds whole batches only:
        // every committed batch, and nothing of the one killed mid-way.
        let found = batches(&path);
        for (tag, k) in &found {
            let want = size(tag.split(':').nth(1).unwrap());
            assert_eq!(*k, want, "round {round}: {tag} has {k} of {want} entries");
        }
        for tag in committed.keys() {
            assert!(
                found.contains_key(tag),
                "round {round}: committed {tag} is missing"
            );
        }
        if let Some(tag) = &killed_in {
            assert!(
                !found.contains_key(tag),
                "round {round}: {tag}, killed mid-write, is in the ledger"
            );
        }
        if was_hot {
            assert!(
                !hot(&journal),
                "round {round}: the hot journal was not played back"
            );
        }
    }
    let found = batches(&path);
    let total: usize = found.values().sum();
    println!(
        "    {mid_kills} kills inside an open transaction ({db_touched} after SQLite had written part of it into the database file), {timed_kills} at fixed delays; {hot_kills} left a hot journal, played back on the next open; {} whole batches ({total} entries) in the ledger",
        found.len()
    );
    assert!(
        db_touched >= 1 && hot_kills >= 1,
        "no kill needed a rollback"
    );
}

fn two_concurrent_writers() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite3");
    drop(Ledger::open(&path).unwrap());
    let go = dir.path().join("go");
    let (n, size) = (25, 8);
    let deadline = Instant::now() + Duration::from_secs(120);
    // A few milliseconds between a writer's transactions give the other a chance at the lock.
    let mut a = spawn(&path, "a", n, size, (0, 0), 5, Some(&go));
    let mut b = spawn(&path, "b", n, size, (0, 0), 5, Some(&go));
    assert_eq!(next_line(&a, deadline), "ready");
    assert_eq!(next_line(&b, deadline), "ready");
    std::fs::write(&go, "").unwrap();
    assert!(a.child.wait().unwrap().success(), "writer a failed");
    assert!(b.child.wait().unwrap().success(), "writer b failed");
    let found = batches(&path);
    assert_eq!(found.len(), 2 * n);
    for w in ["a", "b"] {
        for i in 0..n {
            assert_eq!(found.get(&format!("batch:{w}:{i}")), Some(&size), "{w} {i}");
        }
    }
    // One chain, numbered 1..N without a gap (verify checked links, hashes and time order).
    let l = Ledger::open(&path).unwrap();
    let recs = l.records().unwrap();
    let seqs: Vec<u64> = recs.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, (1..=(2 * n * size) as u64).collect::<Vec<_>>());
    // Each batch is one run of consecutive records: transactions never interleaved.
    let mut runs: BTreeMap<String, Vec<u64>> = BTreeMap::new();
    for r in &recs {
        if let Body::Entry(e) = &r.body {
            runs.entry(e.tags[0].clone()).or_default().push(r.seq);
        }
    }
    for (tag, seqs) in &runs {
        assert!(seqs.windows(2).all(|w| w[1] == w[0] + 1), "{tag}: {seqs:?}");
    }
    let writers: Vec<char> = recs
        .iter()
        .filter_map(|r| match &r.body {
            Body::Entry(e) => e.question.id.chars().next(),
            _ => None,
        })
        .collect();
    let switches = writers.windows(2).filter(|w| w[0] != w[1]).count();
    println!(
        "    {} entries from two writers, one chain; the writers took turns {switches} times",
        recs.len()
    );
}

fn main() {
    if std::env::var_os(WRITER).is_some() {
        writer();
        return;
    }
    let tests: [(&str, fn()); 2] = [
        ("kill_mid_write_repeatedly", kill_mid_write_repeatedly),
        ("two_concurrent_writers", two_concurrent_writers),
    ];
    if std::env::args().any(|a| a == "--list") {
        for (name, _) in &tests {
            println!("{name}: test");
        }
        return;
    }
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let chosen: Vec<_> = tests
        .iter()
        .filter(|(n, _)| filter.is_empty() || filter.iter().any(|f| n.contains(f.as_str())))
        .collect();
    println!("\nrunning {} tests", chosen.len());
    let mut failed = Vec::new();
    for (name, f) in &chosen {
        let r = std::panic::catch_unwind(f);
        println!(
            "test {name} ... {}",
            if r.is_ok() { "ok" } else { "FAILED" }
        );
        if r.is_err() {
            failed.push(*name);
        }
    }
    println!(
        "\ntest result: {}. {} passed; {} failed; 0 ignored; 0 measured; {} filtered out\n",
        if failed.is_empty() { "ok" } else { "FAILED" },
        chosen.len() - failed.len(),
        failed.len(),
        tests.len() - chosen.len()
    );
    if !failed.is_empty() {
        std::process::exit(101);
    }
}
