//! The `brink` binary as a user meets it: the README's main job, imports followed by runs, the
//! JSON document, exit codes and help texts.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Mean absolute error of each model in a forecast JSON against an outcomes file, with counts.
fn mae(json: &str, outcomes: &Path) -> Vec<(String, f64, usize)> {
    let doc: serde_json::Value = serde_json::from_str(json).unwrap();
    let out = brink_scenario::load_outcomes_file(outcomes).unwrap();
    let models: Vec<String> = doc["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    models
        .iter()
        .enumerate()
        .map(|(mi, m)| {
            let mut errs = Vec::new();
            for is in doc["issues"].as_array().unwrap() {
                let (Some(o), Some(v)) = (
                    out.value_of(is["id"].as_str().unwrap()),
                    is["forecasts"][mi]["value"].as_f64(),
                ) else {
                    continue;
                };
                errs.push((v - o).abs());
            }
            (
                m.clone(),
                errs.iter().sum::<f64>() / errs.len() as f64,
                errs.len(),
            )
        })
        .collect()
}

fn import_deu(dir: &Path) {
    let o = brink(&[
        "import",
        "--from",
        "deu",
        data("deu3/deu3-dev.tsv").to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn deu_import_then_run_reproduces_the_literature_baselines() {
    let dir = tmpdir("deu");
    import_deu(&dir);
    let sc = dir.join("deu3-dev.toml");
    let o = brink(&[
        "run",
        sc.to_str().unwrap(),
        "--format",
        "json",
        "-m",
        "compromise",
        "-m",
        "compromise-equal",
        "-m",
        "median",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let got = mae(&stdout(&o), &dir.join("deu3-dev.outcomes.toml"));
    // models.md section 1: compromise 21.62, equal-capability compromise 22.02, weighted median 24.77.
    let want = [
        ("compromise", 21.62, 225),
        ("compromise-equal", 22.02, 225),
        ("median", 24.77, 225),
    ];
    assert_eq!(got.len(), want.len());
    for ((m, e, n), (wm, we, wn)) in got.iter().zip(want) {
        assert_eq!((m.as_str(), *n), (wm, wn));
        assert!((e - we).abs() < 0.005, "{m}: MAE {e:.4}, expected {we}");
    }
}

/// The README's excerpts of the main job (its first two `text` blocks: the forecasts and the
/// crisis's probabilities) are what `brink run` prints today: every line of them is a line of
/// the output, a line ending in `...` the start of one, a line of `...` alone an elision.
#[test]
fn the_readme_shows_what_the_main_job_prints() {
    let readme = std::fs::read_to_string(data("../../README.md")).unwrap();
    let o = brink(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().map(str::trim_end).collect();
    let blocks: Vec<&str> = readme
        .split("```text\n")
        .skip(1)
        .take(2)
        .map(|b| b.split("```").next().unwrap())
        .collect();
    assert_eq!(blocks.len(), 2);
    let mut checked = 0;
    for line in blocks.iter().flat_map(|b| b.lines()).map(str::trim_end) {
        if line == "..." || line.is_empty() {
            continue;
        }
        let found = match line.strip_suffix("...") {
            Some(start) => lines.iter().any(|l| l.starts_with(start)),
            None => lines.contains(&line),
        };
        assert!(found, "README line not in `brink run`'s output:\n{line}");
        checked += 1;
    }
    assert!(checked >= 15, "{checked}");
}

#[test]
fn the_main_job_runs_the_built_in_scenario() {
    let o = brink(&["run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s = stdout(&o);
    let sc = brink_scenario::builtin().unwrap();
    for is in &sc.issues {
        assert!(s.contains(&is.name), "issue {} missing", is.name);
    }
    // The point forecasts, then the predictive distributions: one row per model and issue in each.
    let (points, dists) = s
        .split_once("\nWhere each issue settles, with its uncertainty")
        .expect("the predictive distributions follow the point forecasts");
    for part in [points, dists] {
        for m in brink_bargain::DEFAULT_MODELS {
            let rows = part
                .lines()
                .filter(|l| l.split_whitespace().next() == Some(m))
                .count();
            assert_eq!(rows, sc.issues.len(), "model {m}");
        }
    }
    let sq = s
        .lines()
        .filter(|l| l.trim_start().starts_with("status quo"))
        .count();
    assert_eq!(sq, sc.issues.len());
}

#[test]
fn json_carries_schema_version_and_input_hash() {
    let dir = tmpdir("json");
    let f = dir.join("s.toml");
    std::fs::write(&f, brink_scenario::BUILTIN_TOML).unwrap();
    let o = brink(&["run", f.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(doc["schema"], brink_engine::SCHEMA_VERSION);
    assert_eq!(doc["document"], "forecast");
    assert_eq!(doc["brink_version"], env!("CARGO_PKG_VERSION"));
    // The hash is that of the file's bytes, as sha256sum computes it.
    if let Ok(h) = Command::new("sha256sum").arg(&f).output() {
        let want = String::from_utf8_lossy(&h.stdout)
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        assert_eq!(doc["input"]["sha256"].as_str().unwrap(), want);
    }
    // The built-in scenario gives the same forecasts as its file.
    let b = brink(&["run", "--format", "json"]);
    let bdoc: serde_json::Value = serde_json::from_slice(&b.stdout).unwrap();
    assert_eq!(bdoc["issues"], doc["issues"]);
    assert_eq!(bdoc["input"]["sha256"], doc["input"]["sha256"]);
    for is in doc["issues"].as_array().unwrap() {
        for f in is["forecasts"].as_array().unwrap() {
            assert!(
                f["label"].is_string(),
                "every forecast names its scale label: {f}"
            );
        }
    }
}

#[test]
fn bad_input_exits_2_with_file_line_and_field() {
    let dir = tmpdir("bad");
    let f = dir.join("bad.toml");
    let text = brink_scenario::BUILTIN_TOML.replacen("salience = ", "salience = 7 #", 1);
    std::fs::write(&f, &text).unwrap();
    let line = text
        .lines()
        .position(|l| l.contains("salience = 7 #"))
        .unwrap()
        + 1;
    for cmd in ["run", "check"] {
        let o = brink(&[cmd, f.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{cmd}");
        let e = stderr(&o);
        assert!(
            e.contains(&format!("bad.toml:{line}:"))
                && e.contains(".salience")
                && e.contains("must be in [0, 1]"),
            "{e}"
        );
    }
    let o = brink(&["run", dir.join("missing.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("missing.toml: cannot read"));
    let o = brink(&["run", "--model", "oracle"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("unknown model `oracle`"));
    let o = brink(&["import", "--from", "xls", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let o = brink(&["frobnicate"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_accepts_a_valid_scenario_and_its_outcomes() {
    let dir = tmpdir("check");
    import_deu(&dir);
    let o = brink(&[
        "check",
        dir.join("deu3-dev.toml").to_str().unwrap(),
        "--outcomes",
        dir.join("deu3-dev.outcomes.toml").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("30 actors, 233 issues"));
    assert!(stdout(&o).contains("225 outcomes"));
}

#[test]
fn every_command_has_help_with_an_example() {
    for cmd in [
        vec!["--help"],
        vec!["run", "--help"],
        vec!["check", "--help"],
        vec!["models", "--help"],
        vec!["import", "--help"],
    ] {
        let o = brink(&cmd);
        assert!(o.status.success(), "{cmd:?}");
        assert!(stdout(&o).contains("Example"), "{cmd:?} has no example");
    }
    let o = brink(&["models"]);
    for m in brink_bargain::registry() {
        assert!(stdout(&o).contains(m.name()));
    }
}

#[test]
fn explain_traces_every_move_in_words_and_in_json() {
    let dir = tmpdir("explain");
    let o = brink(&[
        "import",
        "--from",
        "bdm",
        data("bdm/ExampleActors.csv").to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let sc = dir.join("ExampleActors.toml");
    let o = brink(&["run", sc.to_str().unwrap(), "-m", "eu-scholz", "--explain"]);
    assert!(o.status.success());
    let s = stdout(&o);
    // Round 1 of Example.log, in words.
    assert!(
        s.contains("round 1: Belgium compromises with France"),
        "{s}"
    );
    assert!(
        s.contains("round 1: Luxembourg loses a confrontation to Belgium"),
        "{s}"
    );
    let o = brink(&[
        "run",
        sc.to_str().unwrap(),
        "-m",
        "eu-scholz",
        "--explain",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let f = &doc["issues"][0]["forecasts"][0];
    assert!(f["explanation"].as_array().unwrap().iter().any(|l| l
        .as_str()
        .unwrap()
        .starts_with("round 1: Ireland loses a confrontation to Luxembourg")));
    let moves = &f["trace"]["rounds"][0]["moves"];
    assert_eq!(moves.as_array().unwrap().len(), 3);
    assert!((moves[0]["new_position"].as_f64().unwrap() - 8.415932315426764).abs() < 1e-9);
}

const EXAMPLE_EFG: &str = r#"EFG 2 R "Crisis escalation (perfect info)" { "Challenger" "Defender" }
""
p "" 1 1 "" { "SQ" "Demand" } 0
t "" 1 "SQ" { 0, 0 }
p "" 2 1 "" { "Concede" "Negotiate" "Resist" } 0
t "" 2 "ACQ_D" { 1, -1 }
t "" 3 "NEG" { 1/2, -1/2 }
p "" 1 2 "" { "BackDown" "Escalate" } 0
t "" 4 "CAP_C" { -1/10, 1/10 }
p "" 2 2 "" { "Capitulate" "Fight" } 0
t "" 5 "CAP_D" { 1, -11/10 }
t "" 6 "WAR" { 2/5, -9/10 }
"#;

#[test]
fn solve_reads_a_gambit_file_and_certifies_its_equilibrium() {
    let dir = tmpdir("solve");
    let f = dir.join("g.efg");
    std::fs::write(&f, EXAMPLE_EFG).unwrap();
    let svg = dir.join("g.svg");
    let o = brink(&[
        "solve",
        f.to_str().unwrap(),
        "--svg",
        svg.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // Backward induction: at the last node the defender fights (-9/10 > -11/10); so the
    // challenger escalates (war 2/5 > backing down -1/10); so the defender negotiates (-1/2 beats
    // resisting into war, -9/10, and conceding, -1); so the challenger demands (1/2 > 0).
    let e = &doc["equilibria"][0];
    assert_eq!(e["payoffs"], serde_json::json!(["1/2", "-1/2"]));
    assert_eq!(e["max_regret"], "0");
    assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));
    let bad = dir.join("bad.efg");
    std::fs::write(
        &bad,
        EXAMPLE_EFG.replace(
            "t \"\" 3 \"NEG\" { 1/2, -1/2 }",
            "t \"\" 3 \"NEG\" { 1/2 -1/2 ",
        ),
    )
    .unwrap();
    let o = brink(&["solve", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("line"), "{}", stderr(&o));
}

#[test]
fn the_main_job_answers_both_questions() {
    let o = brink(&["run", "--format", "json", "-m", "compromise"]);
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let c = &doc["crises"][0];
    assert_eq!(c["crisis"], "standoff");
    let e = &c["equilibrium"];
    let total: f64 = e["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["p"].as_f64().unwrap())
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    assert_eq!(e["max_regret"], 0.0);
    // The crisis's probabilities by default: the three views, each with an interval.
    for view in ["game", "reference_class", "combined"] {
        assert!(c[view].is_object(), "{view}");
    }
    assert!(c["game"]["lambda"].as_f64().unwrap() > 0.0);
    let o = brink(&["run", "-m", "compromise"]);
    assert!(stdout(&o).contains("Crisis: "));
    assert!(stdout(&o).contains("certificate"));
    assert!(stdout(&o).contains("P(war): crises like this one: "));
    assert!(stdout(&o).contains("; this game: "));
    assert!(stdout(&o).contains("; together: "));
}

#[test]
fn as_of_the_cut_off_is_the_forecast_without_updates() {
    let dir = tmpdir("asof");
    // The built-in scenario with its updates removed.
    let text = brink_scenario::BUILTIN_TOML;
    let cut = text
        .find("[[updates]]")
        .expect("the built-in scenario has an update");
    let f = dir.join("no-updates.toml");
    std::fs::write(&f, &text[..cut]).unwrap();
    let a = brink(&["run", "--as-of", "2021-12-28", "--format", "json"]);
    let b = brink(&["run", f.to_str().unwrap(), "--format", "json"]);
    assert!(a.status.success() && b.status.success(), "{}", stderr(&b));
    let (a, b): (serde_json::Value, serde_json::Value) = (
        serde_json::from_slice(&a.stdout).unwrap(),
        serde_json::from_slice(&b.stdout).unwrap(),
    );
    assert_eq!(a["issues"], b["issues"]);
    // The crises' equilibrium and game (the built-in run adds its onset addendum's reference
    // class, which a file without it lacks).
    for key in ["crisis", "equilibrium", "game"] {
        assert_eq!(a["crises"][0][key], b["crises"][0][key], "{key}");
    }
    assert!(a["crises"][0]["reference_class"].is_object());
    assert!(b["crises"][0]["reference_class"].is_null());
    assert_eq!(a["updates_applied"], 0);
    // After the January update the odds of Russia's types move by Bayes' rule: 0.6*0.9 / (0.6*0.9 + 0.4*0.7).
    let c = brink(&["run", "--as-of", "2022-01-12", "--format", "json"]);
    let c: serde_json::Value = serde_json::from_slice(&c.stdout).unwrap();
    assert_eq!(c["updates_applied"], 1);
    let p = c["types"][0]["posterior"].as_f64().unwrap();
    assert!((p - 0.54 / 0.82).abs() < 1e-12, "{p}");
    let o = brink(&["run", "--as-of", "2021-12-01"]);
    assert_eq!(o.status.code(), Some(2));
    let o = brink(&["timeline", "--svg", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("as of 2022-01-10"));
    assert!(
        std::fs::read_to_string(dir.join("timeline-enlargement.svg"))
            .unwrap()
            .contains("<svg")
    );
}

/// A crisis on the escalation ladder does not use its red lines: `check` says so (a warning, not
/// an error: exit 0), and so do `run`'s text and JSON document, naming the crisis and the red
/// line; the same crisis on the International Interaction Game, which applies them, says nothing.
#[test]
fn ladder_red_lines_are_reported_as_ignored() {
    let file = data("crisis/ladder/red_line.toml");
    let f = file.to_str().unwrap();
    let said = |text: &str| {
        text.lines().any(|l| {
            l.contains("warning: crises[0].red_lines: crisis `standoff` (The standoff)")
                && l.contains("escalation ladder")
                && l.contains("does not use red lines")
                && l.contains("Actor 0's on Issue 0 (war at a settlement beyond 70)")
        })
    };
    let check = brink(&["check", f]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(said(&stdout(&check)), "{}", stdout(&check));
    // Counts in words: one of each is singular.
    assert!(
        stdout(&check).contains("ok: 2 actors, 1 issue, 2 stances, 1 source\n"),
        "{}",
        stdout(&check)
    );
    let run = brink(&["run", f, "--crisis-draws", "200"]);
    assert!(run.status.success(), "{}", stderr(&run));
    assert!(said(&stdout(&run)), "{}", stdout(&run));
    let json = brink(&["run", f, "--crisis-draws", "200", "--format", "json"]);
    assert!(json.status.success(), "{}", stderr(&json));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let warnings = doc["scenario"]["warnings"].as_array().expect("warnings");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(said(&format!("warning: {}", warnings[0].as_str().unwrap())));

    // The same crisis on the IIG uses its red line: no warning.
    let dir = tmpdir("ladder-iig");
    let iig = dir.join("iig.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &iig,
        text.replace("template = \"ladder\"\nrungs = 3", "template = \"iig\""),
    )
    .unwrap();
    let check = brink(&["check", iig.to_str().unwrap()]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(!stdout(&check).contains("warning"), "{}", stdout(&check));
    let json = brink(&[
        "run",
        iig.to_str().unwrap(),
        "--crisis-draws",
        "200",
        "--format",
        "json",
    ]);
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["scenario"]["warnings"], serde_json::json!([]));
}
