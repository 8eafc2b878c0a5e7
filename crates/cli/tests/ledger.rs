//! `brink ledger` as a user meets it: record -> resolve -> score -> verify on a development crisis
//! (the scores equal `brink backtest`'s on the same run), tampering named by `verify`, export and
//! import round trips, and bad input refused with exit 2 and nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

fn root(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
        .display()
        .to_string()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-ledger-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `brink ledger --ledger L ARGS`, expected to succeed; its standard output.
fn ok(l: &Path, args: &[&str]) -> String {
    let mut a = vec!["ledger", "--ledger", l.to_str().unwrap()];
    a.extend(args);
    let o = brink(&a);
    assert!(o.status.success(), "brink {a:?}: {}", text(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `brink ledger --ledger L ARGS`, expected to fail with exit code 2; its messages.
fn refused(l: &Path, args: &[&str]) -> String {
    let mut a = vec!["ledger", "--ledger", l.to_str().unwrap()];
    a.extend(args);
    let o = brink(&a);
    assert_eq!(o.status.code(), Some(2), "brink {a:?}: {}", text(&o));
    text(&o)
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

fn records(l: &Path) -> usize {
    json(&ok(l, &["export"]))["records"]
        .as_array()
        .unwrap()
        .len()
}

const DRAWS: &str = "300";

#[test]
fn record_resolve_score_verify_agrees_with_backtest() {
    let d = tmpdir("cycle");
    let l = d.join("l.sqlite3");
    let sc = root("scenarios/crises/munich-1938.toml");
    let out = root("scenarios/crises/munich-1938.outcomes.toml");
    let said = ok(
        &l,
        &["record", &sc, "--draws", DRAWS, "-q", "--tag", "europe"],
    );
    assert!(
        said.contains("recorded 13 forecasts of munich-1938 as of 1938-09-07"),
        "{said}"
    );
    assert!(
        said.contains("munich-1938/crisis/sudeten  brink:game"),
        "{said}"
    );
    let qs = ok(&l, &["questions"]);
    assert!(
        qs.contains("munich-1938/crisis/sudeten  [categorical]  1 forecast(s)  open"),
        "{qs}"
    );
    // Nothing resolved yet: nothing scored.
    let s = json(&ok(&l, &["score", "--format", "json"]));
    assert_eq!(s["forecasts"].as_array().unwrap().len(), 0);
    assert_eq!(s["unresolved"], 13);

    let said = ok(&l, &["resolve", "--outcomes", &out]);
    assert!(said.contains("resolved 3 question(s)"), "{said}");
    // Resolving from the same file again changes nothing.
    let said = ok(&l, &["resolve", "--outcomes", &out]);
    assert!(
        said.contains("resolved 0 question(s)") && said.contains("3 already resolved"),
        "{said}"
    );

    let s = json(&ok(&l, &["score", "--format", "json", "--tag", "europe"]));
    let fs = s["forecasts"].as_array().unwrap();
    assert_eq!(fs.len(), 13);
    // The same forecast through `brink backtest`: the same numbers.
    let o = brink(&["backtest", &sc, &out, "--draws", DRAWS, "--format", "json"]);
    assert!(o.status.success(), "{}", text(&o));
    let bt = json(&String::from_utf8_lossy(&o.stdout));
    let c = &bt["backtest"]["crises"][0];
    let game = fs.iter().find(|f| f["forecaster"] == "brink:game").unwrap();
    assert_eq!(game["question"], "munich-1938/crisis/sudeten");
    assert_eq!(game["brier"].as_f64(), c["brier"].as_f64());
    assert_eq!(game["log"].as_f64(), c["log"].as_f64());
    let mut issues = 0;
    for is in bt["backtest"]["issues"].as_array().unwrap() {
        for m in is["models"].as_array().unwrap() {
            let (model, err) = (m[0].as_str().unwrap(), m[2].as_f64());
            let f = fs
                .iter()
                .find(|f| {
                    f["forecaster"] == format!("brink:{model}")
                        && f["question"]
                            == format!("munich-1938/issue/{}", is["issue"].as_str().unwrap())
                })
                .unwrap();
            assert_eq!(f["abs_error"].as_f64(), err, "{model}");
            issues += 1;
        }
    }
    assert_eq!(issues, 12);
    // The table and the verification.
    let t = ok(&l, &["score"]);
    assert!(t.contains("brink:game") && t.contains("base rate"), "{t}");
    let v = ok(&l, &["verify"]);
    assert!(v.contains("ok: 16 records verified"), "{v}");

    // A live forecast of a question now resolved is refused, and nothing is written.
    let e = refused(&l, &["record", &sc, "--draws", DRAWS, "-q"]);
    assert!(
        e.contains("was resolved on 1938-09-30") && e.contains("only be a backtest"),
        "{e}"
    );
    assert_eq!(records(&l), 16);
    // As a labelled backtest it is accepted, and the page draws it.
    let said = ok(
        &l,
        &["record", &sc, "--draws", DRAWS, "-q", "--label", "backtest"],
    );
    assert!(said.contains("recorded 13 forecasts"), "{said}");
    let page = d.join("t.html");
    ok(&l, &["report", "-o", page.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(
        html.contains("<h2 id=\"live\">Live forecasts</h2>"),
        "live section"
    );
    assert!(
        html.contains("<h2 id=\"backtest\">Backtests</h2>"),
        "backtest section"
    );
    assert!(html.contains("munich-1938/crisis/sudeten"));
    // `brink report --ledger` writes the same page.
    let page2 = d.join("t2.html");
    let o = brink(&[
        "report",
        "--ledger",
        l.to_str().unwrap(),
        "-o",
        page2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&page2)
        .unwrap()
        .contains("Track record"));
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let d = tmpdir("bad");
    let l = d.join("l.sqlite3");
    let sc = root("scenarios/crises/straits-1946.toml");
    ok(
        &l,
        &[
            "record",
            &sc,
            "--draws",
            "64",
            "-q",
            "--question",
            "straits",
        ],
    );
    assert_eq!(records(&l), 1);
    let berlin = root("scenarios/crises/berlin-1958.outcomes.toml");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["record", &sc, "--draws", "0"], "--draws 0"),
        (
            vec!["record", &sc, "--draws", "8", "--horizon", "1946-13-01"],
            "--horizon",
        ),
        (
            vec!["record", &sc, "--draws", "8", "--question", "nonesuch"],
            "no crisis or issue `nonesuch`",
        ),
        (
            vec!["record", &sc, "--draws", "8", "--tag", "two words"],
            "tags",
        ),
        (
            vec!["record", "no-such-file.toml", "--draws", "8"],
            "no-such-file.toml",
        ),
        (
            vec![
                "resolve",
                "straits-1946/crisis/nonesuch",
                "--outcome",
                "war",
                "--date",
                "1946-10-01",
                "--source",
                "s",
                "--quote",
                "q",
            ],
            "unknown question `straits-1946/crisis/nonesuch`",
        ),
        (
            vec![
                "resolve",
                "straits-1946/crisis/straits",
                "--outcome",
                "peace",
                "--date",
                "1946-10-01",
                "--source",
                "s",
                "--quote",
                "q",
            ],
            "outcome: `peace` is not one of the question's classes",
        ),
        (
            vec![
                "resolve",
                "straits-1946/crisis/straits",
                "--outcome",
                "war",
                "--date",
                "1946-10-01",
                "--source",
                "",
                "--quote",
                "q",
            ],
            "source.citation",
        ),
        (vec!["resolve", "--outcomes", &berlin], "none of its"),
        (vec!["verify", "--anchor", "abc"], "ORIGIN:SEQ:HASH"),
        (vec!["import", "no-such-export.json"], "no-such-export.json"),
    ];
    for (args, says) in cases {
        let e = refused(&l, &args);
        assert!(e.contains(says), "{args:?}: {e}");
        assert_eq!(records(&l), 1, "{args:?} wrote something");
    }
    // A resolution, then the same again: refused, naming the first.
    let res = [
        "resolve",
        "straits-1946/crisis/straits",
        "--outcome",
        "status quo",
        "--date",
        "1946-10-26",
        "--source",
        "a citation",
        "--quote",
        "a quote",
    ];
    ok(&l, &res);
    let e = refused(&l, &res);
    assert!(
        e.contains("already resolved (status quo, dated 1946-10-26"),
        "{e}"
    );
    assert_eq!(records(&l), 2);
    // Not a ledger.
    let other = d.join("not-a-ledger.sqlite3");
    std::fs::write(&other, "hello").unwrap();
    let e = refused(&other, &["verify"]);
    assert!(e.contains("not-a-ledger.sqlite3"), "{e}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn tampering_is_detected_by_verify() {
    let d = tmpdir("tamper");
    let l = d.join("l.sqlite3");
    let sc = root("scenarios/crises/berlin-1958.toml");
    ok(&l, &["record", &sc, "--draws", "64", "-q"]);
    let v = ok(&l, &["verify"]);
    assert!(v.contains("ok: 13 records verified"), "{v}");
    // Someone lowers a recorded probability behind the ledger's back.
    let c = rusqlite::Connection::open(&l).unwrap();
    let st: String = c
        .query_row("SELECT statement FROM entries WHERE seq = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    // The first probability in the statement moved by a quarter (kept valid JSON, so that only
    // the hash chain can tell).
    fn forge(v: &mut serde_json::Value) -> bool {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(p) = m.get("p").and_then(|p| p.as_f64()) {
                    m.insert("p".into(), serde_json::json!((p + 0.25) % 1.0));
                    return true;
                }
                m.values_mut().any(forge)
            }
            serde_json::Value::Array(a) => a.iter_mut().any(forge),
            _ => false,
        }
    }
    let mut v: serde_json::Value = serde_json::from_str(&st).unwrap();
    assert!(forge(&mut v), "a probability in {st}");
    let forged = serde_json::to_string(&v).unwrap();
    assert_ne!(forged, st);
    c.execute(
        "UPDATE entries SET statement = ?1 WHERE seq = 1",
        rusqlite::params![forged],
    )
    .unwrap();
    drop(c);
    let o = brink(&["ledger", "--ledger", l.to_str().unwrap(), "verify"]);
    assert_eq!(o.status.code(), Some(2));
    let t = text(&o);
    assert!(t.contains("NOT OK"), "{t}");
    assert!(
        t.contains("record 1)") && t.contains("does not give its hash"),
        "{t}"
    );
    // The page says so at the top.
    let page = d.join("t.html");
    ok(&l, &["report", "-o", page.to_str().unwrap()]);
    assert!(std::fs::read_to_string(&page)
        .unwrap()
        .contains("The ledger does not verify"));
    // A deleted record is named too.
    let c = rusqlite::Connection::open(&l).unwrap();
    c.execute(
        "DELETE FROM entry_tags WHERE entry = (SELECT id FROM entries WHERE seq = 5)",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM entries WHERE seq = 5", []).unwrap();
    drop(c);
    let t = refused(&l, &["verify"]);
    assert!(t.contains("record 6"), "{t}");
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn export_import_round_trip() {
    let d = tmpdir("roundtrip");
    let a = d.join("a.sqlite3");
    let b = d.join("b.sqlite3");
    let sc = root("scenarios/crises/korea-1950.toml");
    ok(&a, &["record", &sc, "--draws", "64", "-q"]);
    ok(
        &a,
        &[
            "resolve",
            "--outcomes",
            &root("scenarios/crises/korea-1950.outcomes.toml"),
        ],
    );
    let export = d.join("a.json");
    ok(&a, &["export", "-o", export.to_str().unwrap()]);
    let said = ok(&b, &["import", export.to_str().unwrap()]);
    assert!(said.contains("9 record(s) added"), "{said}");
    let said = ok(&b, &["import", export.to_str().unwrap()]);
    assert!(
        said.contains("0 record(s) added, 9 already present"),
        "{said}"
    );
    // The same records, hashes and all.
    let ra = json(&ok(&a, &["export"]))["records"].clone();
    let rb = json(&ok(&b, &["export"]))["records"].clone();
    assert_eq!(ra, rb);
    assert!(ok(&b, &["verify"]).contains("ok: 9 records verified"));
    // The same scores.
    let sa = json(&ok(&a, &["score", "--format", "json"]));
    let sb = json(&ok(&b, &["score", "--format", "json"]));
    assert_eq!(sa["forecasters"], sb["forecasters"]);
    // CSV: a header and a row per record.
    let csv = ok(&a, &["export", "--format", "csv"]);
    assert_eq!(csv.lines().count(), 10, "{csv}");
    // A forged export is refused, naming the record, and nothing is merged.
    let text = std::fs::read_to_string(&export).unwrap();
    let forged = text.replacen("\"p\": 0.0", "\"p\": 0.25", 1);
    assert_ne!(forged, text);
    let f = d.join("forged.json");
    std::fs::write(&f, forged).unwrap();
    let c = d.join("c.sqlite3");
    let e = refused(&c, &["import", f.to_str().unwrap()]);
    assert!(e.contains("forged.json") && e.contains("record 1"), "{e}");
    assert_eq!(records(&c), 0);
    let _ = std::fs::remove_dir_all(&d);
}
