//! The hash chain as documented can be checked without brink: `scripts/ledger_verify.py`
//! (Python's standard library only) re-derives every record's canonical form (RFC 8785) and hash
//! of an export from docs/ledger.md's description, on forecasts with awkward numbers and text,
//! and finds a tampered export.

mod common;

use std::path::Path;
use std::process::Command;

use brink_ledger::{
    ClassP, ExportFormat, Ledger, Outcome, Question, QuestionKind, Source, Statement,
};
use common::*;

fn python() -> Option<&'static str> {
    ["python3", "python"].into_iter().find(|p| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

fn run(py: &str, file: &Path) -> (bool, String) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/ledger_verify.py");
    let out = Command::new(py).arg(script).arg(file).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn an_independent_script_recomputes_every_hash() {
    let Some(py) = python() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is needed for this test under CI"
        );
        eprintln!("SKIPPED: no python3 on this machine");
        return;
    };
    let (dir, p) = temp();
    let mut l = Ledger::open(&p).unwrap();
    // Numbers that exercise every branch of the number format, and text that needs escapes.
    let awkward = [
        1.0 / 3.0,
        0.1 + 0.2,
        1e-7,
        0.000001,
        5e-324,
        2.0f64.powi(-30),
        0.999_999_999_999_999_9,
    ];
    let mut entries = Vec::new();
    for (i, p) in awkward.iter().enumerate() {
        let mut q = binary(&format!("b{i}"));
        q.text = format!("Does \"it\" happen \\ at 50 % — é, ∑, \u{2028}? ({i})");
        entries.push(brink_entry(
            q,
            Statement::Probability(*p),
            "2021-12-28",
            &["τ", "x"],
        ));
    }
    let big = Question {
        id: "wide".into(),
        text: "A wide scale".into(),
        kind: QuestionKind::Continuous {
            min: -1e22,
            max: 1e22,
        },
    };
    entries.push(brink_entry(
        big,
        Statement::Quantiles {
            levels: vec![0.0, 1.0 / 7.0, 0.5, 0.9999],
            values: vec![-1e22, -123.456, 1424953923781206.2, 9.999999999999997e21],
            point: Some(33.333333333333336),
        },
        "2021-12-28",
        &[],
    ));
    let mut e = brink_entry(
        crisis("c"),
        Statement::Classes(
            [
                ("war", 1.0 / 3.0),
                ("deal", 1.0 / 3.0),
                ("status quo", 1.0 / 3.0),
            ]
            .iter()
            .map(|(c, p)| ClassP {
                class: c.to_string(),
                p: *p,
            })
            .collect(),
        ),
        "2021-12-28",
        &[],
    );
    e.seed = Some(u64::MAX);
    entries.push(e);
    entries.push(crowd_entry(
        crisis("c"),
        Statement::Event {
            class: "war".into(),
            p: 0.35,
        },
        "2021-12-12",
    ));
    l.record(&entries).unwrap();
    l.resolve(
        "wide",
        Outcome::Value(-0.5e-6),
        d("2022-01-01"),
        Source {
            citation: "«Quoted» \"source\"".into(),
            quote: "a quote with “curly” quotes, \\ and /".into(),
        },
    )
    .unwrap();
    l.resolve(
        "c",
        Outcome::Class("war".into()),
        d("2022-02-24"),
        source("q"),
    )
    .unwrap();
    let export = l.export_to_string(ExportFormat::Json).unwrap();
    let file = dir.path().join("export.json");
    std::fs::write(&file, &export).unwrap();
    let (ok, out) = run(py, &file);
    assert!(ok, "{out}");
    let n = l.records().unwrap().len();
    assert!(
        out.starts_with(&format!("ok: {n} records in 1 chains")),
        "{out}"
    );
    assert!(
        out.contains(&l.verify().unwrap().chains[0].head_hash),
        "{out}"
    );
    // One probability changed in the export: the script names the record.
    let edited = export.replacen("0.35", "0.36", 1);
    assert_ne!(edited, export);
    std::fs::write(&file, &edited).unwrap();
    let (ok, out) = run(py, &file);
    assert!(!ok);
    assert!(
        out.contains(&format!("record {}: content gives", n - 2)),
        "{out}"
    );
}
