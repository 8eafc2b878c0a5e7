//! `brink eval` on ICB files (the outside view scored) and `brink check` on the coded crises of
//! `scenarios/crises/`, as a user meets them: documents, exit codes, messages naming file, line
//! and column.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-icb-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn shipped(level: &str) -> String {
    let f = if level == "system" {
        "icb1-dev.csv"
    } else {
        "icb2-dev.csv"
    };
    std::fs::read_to_string(repo(&format!("crates/refclass/data/icb/{f}"))).unwrap()
}

/// The shipped file split by crisis: rows of the crises whose number is in `pick` and the
/// others, each with the header.
fn split(text: &str, pick: impl Fn(u32) -> bool) -> (String, String) {
    let mut lines = text.lines();
    let head = lines.next().unwrap();
    let k = head
        .split(',')
        .position(|c| c.eq_ignore_ascii_case("crisno"))
        .unwrap();
    let (mut a, mut b) = (format!("{head}\n"), format!("{head}\n"));
    for l in lines {
        let c: u32 = l.split(',').nth(k).unwrap().trim().parse().unwrap();
        let s = if pick(c) { &mut a } else { &mut b };
        s.push_str(l);
        s.push('\n');
    }
    (a, b)
}

fn json(o: &Output) -> Value {
    assert!(o.status.success(), "{}", err(o));
    serde_json::from_str(&out(o)).unwrap()
}

/// Every target and model has the fields the issue asks for, and the Brier score, log loss and
/// AUC recomputed from the document's own rows agree with its scores.
fn check_scores(doc: &Value) {
    let ev = &doc["evaluation"];
    let rows = ev["rows"].as_array().unwrap();
    assert_eq!(rows.len() as u64, ev["n"].as_u64().unwrap());
    let targets = ev["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 3);
    for (t, target) in targets.iter().enumerate() {
        for (m, s) in target["models"].as_array().unwrap().iter().enumerate() {
            for k in ["brier", "log_loss", "auc", "n", "calibration"] {
                assert!(s.get(k).is_some(), "{k} missing");
            }
            let bins = s["calibration"].as_array().unwrap();
            assert_eq!(bins.len(), 10);
            let in_bins: u64 = bins.iter().map(|b| b["n"].as_u64().unwrap()).sum();
            assert_eq!(in_bins, s["n"].as_u64().unwrap());
            let (mut sq, mut ll) = (0.0, 0.0);
            for r in rows {
                let y = (r["viol"].as_u64().unwrap() as usize >= 2 + t) as u8 as f64;
                let p = r["forecasts"][m][t].as_f64().unwrap();
                sq += (p - y).powi(2);
                let q = p.clamp(1e-15, 1.0 - 1e-15);
                ll -= y * q.ln() + (1.0 - y) * (1.0 - q).ln();
            }
            let n = rows.len() as f64;
            assert!((sq / n - s["brier"].as_f64().unwrap()).abs() < 1e-12);
            assert!((ll / n - s["log_loss"].as_f64().unwrap()).abs() < 1e-9);
            let ci = s["brier_ci"].as_array().unwrap();
            assert!(ci[0].as_f64().unwrap() <= ci[1].as_f64().unwrap());
            if s["model"] == "base" {
                assert!(s["auc"].is_null());
            } else {
                assert!(s["auc"].as_f64().unwrap() > 0.0);
            }
        }
    }
}

#[test]
fn a_disjoint_file_is_scored_by_models_fitted_once_on_the_training_file() {
    let d = tmpdir("disjoint");
    // Every seventh crisis scored, the others the training file.
    let (scored, train) = split(&shipped("system"), |c| c % 7 == 3);
    std::fs::write(d.join("scored.csv"), &scored).unwrap();
    std::fs::write(d.join("train.csv"), &train).unwrap();
    let s = d.join("scored.csv");
    let t = d.join("train.csv");
    let csv = d.join("rows.csv");
    let o = brink(&[
        "eval",
        s.to_str().unwrap(),
        "--train",
        t.to_str().unwrap(),
        "--format",
        "json",
        "--resamples",
        "200",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let doc = json(&o);
    assert_eq!(doc["document"], "eval_icb");
    assert_eq!(doc["evaluation"]["level"], "system");
    assert!(doc["left_out_of_training"].as_array().unwrap().is_empty());
    assert!(doc["evaluation"]["folds"].is_null());
    assert!(doc["evaluation"]["method"]
        .as_str()
        .unwrap()
        .contains("fitted once"));
    check_scores(&doc);
    // The per-row CSV: a header and one line per scored row.
    let rows = std::fs::read_to_string(&csv).unwrap();
    assert!(rows.starts_with("crisno,name,viol,fold,base_any_violence"));
    assert_eq!(
        rows.lines().count() as u64,
        1 + doc["evaluation"]["n"].as_u64().unwrap()
    );
}

#[test]
fn crises_also_in_the_training_file_are_left_out_of_their_own_training() {
    let d = tmpdir("overlap");
    // An actor-level file of a few crises, scored against the shipped training file (which
    // holds them): 10-fold cross-validation by crisis, said in the text.
    let (scored, _) = split(&shipped("actor"), |c| c % 11 == 0);
    let s = d.join("actors.csv");
    std::fs::write(&s, &scored).unwrap();
    let o = brink(&["eval", s.to_str().unwrap(), "--resamples", "200"]);
    assert!(o.status.success(), "{}", err(&o));
    let text = out(&o);
    assert!(text.contains("(actor-level)"), "{text}");
    assert!(
        text.contains("left out of the training of its own forecast"),
        "{text}"
    );
    assert!(
        text.contains("10-fold cross-validation by crisis"),
        "{text}"
    );
    for t in ["any_violence", "serious_or_war", "war"] {
        assert!(text.contains(&format!("{t}: VIOL")), "{text}");
    }
    assert!(text.contains("calibration of refclass"), "{text}");
    let o = brink(&[
        "eval",
        s.to_str().unwrap(),
        "--resamples",
        "200",
        "--format",
        "json",
    ]);
    let doc = json(&o);
    assert_eq!(doc["evaluation"]["folds"], 10);
    let left: Vec<u64> = doc["left_out_of_training"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert!(!left.is_empty() && left.iter().all(|c| c % 11 == 0));
    assert_eq!(
        left.len() as u64,
        doc["evaluation"]["n_crises"].as_u64().unwrap()
    );
    check_scores(&doc);
}

/// Bad input exits 2 with a message naming the file, the line and the column, and writes
/// nothing.
#[test]
fn bad_icb_input_is_refused_naming_file_line_and_column() {
    let d = tmpdir("bad");
    let text = shipped("system");
    let head = text.lines().next().unwrap();
    let cols: Vec<&str> = head.split(',').collect();
    let k = cols
        .iter()
        .position(|c| c.eq_ignore_ascii_case("viol"))
        .unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // Line 4 (the third data row): VIOL 7, outside the codebook's 1-4.
    let mut f: Vec<String> = lines[3].split(',').map(str::to_string).collect();
    f[k] = "7".into();
    lines[3] = f.join(",");
    let bad_code = d.join("bad-code.csv");
    std::fs::write(&bad_code, lines.join("\n")).unwrap();
    let csv = d.join("never.csv");
    let o = brink(&[
        "eval",
        bad_code.to_str().unwrap(),
        "--csv",
        csv.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", err(&o));
    let e = err(&o);
    assert!(
        e.contains(&format!("{}:4: column `viol`", bad_code.display())),
        "{e}"
    );
    assert!(!csv.exists(), "nothing written");

    // A row with a field too few.
    let mut lines: Vec<String> = text.lines().take(6).map(str::to_string).collect();
    let cut = lines[5].rfind(',').unwrap();
    lines[5].truncate(cut);
    let ragged = d.join("ragged.csv");
    std::fs::write(&ragged, lines.join("\n")).unwrap();
    let o = brink(&["eval", ragged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        err(&o).contains(&format!("{}:6:", ragged.display())),
        "{}",
        err(&o)
    );
    assert!(err(&o).contains("fields"), "{}", err(&o));

    // A header without a required column.
    let no_break: String = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let kb = cols
                .iter()
                .position(|c| c.eq_ignore_ascii_case("break"))
                .unwrap();
            f.iter()
                .enumerate()
                .filter(|(i, _)| *i != kb)
                .map(|(_, x)| *x)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let missing = d.join("missing.csv");
    std::fs::write(&missing, no_break).unwrap();
    let o = brink(&["eval", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(e.contains(&format!("{}:1:", missing.display())), "{e}");
    assert!(e.contains("missing column `break`"), "{e}");

    // An empty file.
    let empty = d.join("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let o = brink(&["eval", empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("empty"), "{}", err(&o));

    // A training file of the other level.
    let (scored, _) = split(&text, |c| c % 9 == 0);
    let s = d.join("scored.csv");
    std::fs::write(&s, scored).unwrap();
    let t = d.join("actors.csv");
    std::fs::write(&t, shipped("actor")).unwrap();
    let o = brink(&["eval", s.to_str().unwrap(), "--train", t.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("system-level") && e.contains("actor-level") && e.contains("actors.csv"),
        "{e}"
    );

    // Options that do not apply.
    let o = brink(&["eval", s.to_str().unwrap(), "-m", "nash"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--model does not apply"), "{}", err(&o));
    let o = brink(&["eval", s.to_str().unwrap(), "--outcomes", "x.toml"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("--outcomes"), "{}", err(&o));
    let deu = repo("tests/data/deu3/deu3-dev.tsv");
    let o = brink(&[
        "eval",
        deu.to_str().unwrap(),
        "--train",
        t.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(err(&o).contains("applies to ICB files only"), "{}", err(&o));
}

/// Every coded crisis passes `brink check --outcomes`, and with its onset addendum.
#[test]
fn every_coded_crisis_checks_with_its_outcomes_and_its_onset_addendum() {
    let dir = repo("scenarios/crises");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let n = e.unwrap().file_name().into_string().unwrap();
            n.strip_suffix(".outcomes.toml").map(str::to_string)
        })
        .collect();
    names.sort();
    assert_eq!(names.len(), 10);
    for n in names {
        let sc = dir.join(format!("{n}.toml"));
        let oc = dir.join(format!("{n}.outcomes.toml"));
        let on = dir.join(format!("{n}.onset.toml"));
        let o = brink(&[
            "check",
            sc.to_str().unwrap(),
            "--outcomes",
            oc.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{n}: {}", err(&o));
        assert!(out(&o).contains("outcomes"), "{n}");
        let o = brink(&[
            "check",
            sc.to_str().unwrap(),
            "--outcomes",
            oc.to_str().unwrap(),
            "--onset",
            on.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{n}: {}", err(&o));
        assert!(
            out(&o).contains("onset sections for 1 of 1 crisis ("),
            "{n}: {}",
            out(&o)
        );
        assert!(out(&o).contains("after the outcome"), "{n}");
        // The same check as a document.
        let o = brink(&[
            "check",
            sc.to_str().unwrap(),
            "--onset",
            on.to_str().unwrap(),
            "--format",
            "json",
        ]);
        let doc = json(&o);
        assert_eq!(doc["document"], "check");
        assert_eq!(doc["onset"]["crises_with_onset"], 1, "{n}");
        assert_eq!(doc["onset"]["crises"], 1, "{n}");
        assert!(doc["onset"]["applied"]
            .as_str()
            .unwrap()
            .contains("after the outcome"));
    }
    // A backtest with the addendum names it in its input.
    let o = brink(&[
        "backtest",
        dir.join("berlin-1958.toml").to_str().unwrap(),
        dir.join("berlin-1958.outcomes.toml").to_str().unwrap(),
        "--onset",
        dir.join("berlin-1958.onset.toml").to_str().unwrap(),
        "--draws",
        "20",
        "--format",
        "json",
    ]);
    let doc = json(&o);
    let file = doc["input"]["file"].as_str().unwrap();
    assert!(
        file.contains("berlin-1958.onset.toml") && file.contains("after the outcome"),
        "{file}"
    );
    // An addendum given for another scenario is refused, naming the field.
    let o = brink(&[
        "check",
        dir.join("berlin-1958.toml").to_str().unwrap(),
        "--onset",
        dir.join("korea-1950.onset.toml").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = err(&o);
    assert!(
        e.contains("korea-1950.onset.toml:") && e.contains("scenario"),
        "{e}"
    );
    assert!(e.contains("sha256"), "{e}");
}
