//! The predictive distributions in every output of the command line: `brink run` (text and
//! JSON), `brink report` and `brink backtest` show the same medians and intervals for the
//! built-in scenario; every interval holds its median and the wider interval holds the
//! narrower; their ends are labelled with the scale's own words; `--widen` changes the factor
//! and every output says which factor it used.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use brink_report::table::num;
use serde_json::Value;

fn brink(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "brink failed: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

const DRAWS: &str = "300";
const SEED: &str = "3";
const MODELS: [&str; 4] = ["-m", "compromise", "-m", "nash"];

fn run_json(extra: &[&str]) -> Value {
    let mut args = vec![
        "run", "--format", "json", "--draws", DRAWS, "--seed", SEED, "-q",
    ];
    args.extend(MODELS);
    args.extend(extra);
    serde_json::from_str(&ok(&brink(&args))).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// (model, median, 50% interval, 90% interval) per issue id, from a forecast document.
type Rows = Vec<(String, Vec<(String, f64, (f64, f64), (f64, f64))>)>;

fn rows(doc: &Value) -> Rows {
    doc["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|is| {
            let per = is["forecasts"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|m| !m["predictive"].is_null())
                .map(|m| {
                    let p = &m["predictive"];
                    let at = |level: f64| {
                        let i = p["intervals"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .find(|i| f(&i["level"]) == level)
                            .unwrap();
                        (f(&i["lo"]), f(&i["hi"]))
                    };
                    (
                        m["model"].as_str().unwrap().to_string(),
                        f(&p["median"]),
                        at(0.5),
                        at(0.9),
                    )
                })
                .collect();
            (is["id"].as_str().unwrap().to_string(), per)
        })
        .collect()
}

#[test]
fn the_json_carries_ordered_quantiles_intervals_that_hold_the_median_and_labels_of_the_scale() {
    let doc = run_json(&[]);
    let info = &doc["predictive"];
    assert_eq!(f(&info["default_widening"]), 1.5);
    assert!(info["widen"].is_null());
    assert_eq!(info["centred_on"], "draws");
    assert_eq!(info["draws_mixed"].as_u64(), Some(300));
    let mut seen = 0;
    for is in doc["issues"].as_array().unwrap() {
        let labels: Vec<&str> = is["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["label"].as_str().unwrap())
            .collect();
        let (min, max) = (f(&is["min"]), f(&is["max"]));
        for m in is["forecasts"].as_array().unwrap() {
            let p = &m["predictive"];
            if m["value"].is_null() {
                continue;
            }
            seen += 1;
            let q: Vec<f64> = p["quantiles"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| f(&x["value"]))
                .collect();
            assert_eq!(q.len(), 7);
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
            assert!(min <= q[0] && q[6] <= max, "{q:?} on [{min}, {max}]");
            let median = f(&p["median"]);
            assert_eq!(median, q[3], "the median is the 0.5 quantile");
            assert!(labels.contains(&p["median_label"].as_str().unwrap()));
            let mut last = (median, median);
            for i in p["intervals"].as_array().unwrap() {
                let (lo, hi) = (f(&i["lo"]), f(&i["hi"]));
                assert!(lo <= median && median <= hi, "{i} and median {median}");
                assert!(lo <= last.0 && last.1 <= hi, "intervals nest: {i}");
                last = (lo, hi);
                for end in ["lo_label", "hi_label"] {
                    let l = i[end].as_str().unwrap();
                    assert!(labels.contains(&l), "{l} is not a label of the scale");
                }
            }
            // The built-in scenario's inputs are not expert interviews.
            assert_eq!(f(&p["widening"]), 1.5);
        }
    }
    assert!(seen >= 7, "{seen} distributions");
}

#[test]
fn run_text_json_and_report_show_the_same_medians_and_intervals() {
    let doc = run_json(&[]);
    let want = rows(&doc);
    let mut args = vec!["run", "--draws", DRAWS, "--seed", SEED, "-q"];
    args.extend(MODELS);
    let text = ok(&brink(&args));
    assert!(
        text.contains("widened x1.5 where the inputs are not expert interviews"),
        "the text states the default factor:\n{text}"
    );
    let dir = std::env::temp_dir().join(format!("brink-predictive-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.html");
    let mut args = vec![
        "report",
        "-o",
        out.to_str().unwrap(),
        "--draws",
        DRAWS,
        "--seed",
        SEED,
        "-q",
    ];
    args.extend(MODELS);
    ok(&brink(&args));
    let html = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let mut n = 0;
    for (issue, per) in &want {
        for (model, median, i50, i90) in per {
            n += 1;
            let line = format!(
                "{:>7}  {:>16}  {:>16}",
                num(*median),
                format!("{} to {}", num(i50.0), num(i50.1)),
                format!("{} to {}", num(i90.0), num(i90.1))
            );
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(model.as_str()) && l.contains(&line)),
                "{issue}/{model}: the text lacks `{line}`:\n{text}"
            );
            let row = format!(
                "<tr><td>{model}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{} to {}</td>",
                num(*median),
                num(i50.0),
                num(i50.1),
                num(i90.0),
                num(i90.1)
            );
            assert!(
                html.contains(&row),
                "{issue}/{model}: the report lacks {row}"
            );
        }
    }
    assert!(n >= 7);
    // The report draws each issue's distributions against the actors.
    assert!(html.matches("where it settles, by model").count() >= 7);
    assert!(html.contains("position (area: capability × salience)"));
}

#[test]
fn the_text_names_the_interval_ends_in_the_scale_words() {
    let text = ok(&brink(&["run", "-m", "compromise"]));
    let sc = brink_scenario::load_file(&repo("scenarios/ukraine-2021-12.toml")).unwrap();
    let mut found = 0;
    for l in text.lines().filter(|l| l.trim_start().starts_with("90%: ")) {
        // `between "LABEL" (LO) and "LABEL" (HI)` or `"LABEL" (LO to HI)`.
        let quoted: Vec<&str> = l.split('"').skip(1).step_by(2).collect();
        assert!(!quoted.is_empty(), "{l}");
        for q in quoted {
            let stem = q.trim_end_matches('…');
            assert!(
                sc.issues
                    .iter()
                    .flat_map(|i| &i.points)
                    .any(|p| p.label.starts_with(stem)),
                "`{q}` is not a label of the scale"
            );
        }
        found += 1;
    }
    assert_eq!(
        found,
        sc.issues.len(),
        "one compromise row per issue:\n{text}"
    );
}

#[test]
fn widen_sets_every_factor_and_bad_factors_are_refused() {
    let doc = run_json(&["--widen", "2"]);
    assert_eq!(f(&doc["predictive"]["widen"]), 2.0);
    let default = rows(&run_json(&[]));
    let wide = rows(&doc);
    let mut wider = 0;
    for is in doc["issues"].as_array().unwrap() {
        for m in is["forecasts"].as_array().unwrap() {
            if !m["predictive"].is_null() {
                assert_eq!(f(&m["predictive"]["widening"]), 2.0);
            }
        }
    }
    for ((_, a), (_, b)) in default.iter().zip(&wide) {
        for (x, y) in a.iter().zip(b) {
            if y.3 .1 - y.3 .0 > x.3 .1 - x.3 .0 + 1e-9 {
                wider += 1;
            }
        }
    }
    assert!(wider > 0, "a factor of 2 widens some 90% interval");
    let text = ok(&brink(&["run", "-m", "compromise", "--widen", "0.8"]));
    assert!(
        text.contains("widened x0.8 for every issue (--widen"),
        "{text}"
    );
    for bad in ["0", "-1", "nan"] {
        let o = brink(&["run", "-m", "compromise", &format!("--widen={bad}")]);
        assert_eq!(o.status.code(), Some(2), "--widen {bad}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains("--widen"), "{err}");
    }
}

#[test]
fn backtest_scores_the_distributions_run_shows() {
    let sc = repo("scenarios/ukraine-2021-12.frozen.toml");
    let outcomes = repo("scenarios/ukraine-2021-12.outcomes.toml");
    let mut args = vec![
        "backtest",
        sc.to_str().unwrap(),
        outcomes.to_str().unwrap(),
        "--draws",
        DRAWS,
        "--seed",
        SEED,
        "--format",
        "json",
    ];
    args.extend(MODELS);
    let bt: Value = serde_json::from_str(&ok(&brink(&args))).unwrap();
    let mut args = vec![
        "run",
        sc.to_str().unwrap(),
        "--draws",
        DRAWS,
        "--seed",
        SEED,
        "--format",
        "json",
        "-q",
    ];
    args.extend(MODELS);
    let run: Value = serde_json::from_str(&ok(&brink(&args))).unwrap();
    let medians = rows(&run);
    let d = &bt["distributions"];
    let mut n = 0;
    for is in d["issues"].as_array().unwrap() {
        let id = is["issue"].as_str().unwrap();
        let y = f(&is["outcome"]);
        let per = &medians.iter().find(|r| r.0 == id).unwrap().1;
        for m in is["models"].as_array().unwrap() {
            let model = m["model"].as_str().unwrap();
            let (_, median, i50, i90) = per.iter().find(|r| r.0 == model).unwrap();
            assert_eq!(f(&m["median"]), *median, "{id}/{model}");
            assert_eq!(m["inside"]["0.5"], i50.0 <= y && y <= i50.1);
            assert_eq!(m["inside"]["0.9"], i90.0 <= y && y <= i90.1);
            assert!(f(&m["crps"]) >= 0.0);
            n += 1;
        }
    }
    assert!(n >= 5);
    for m in d["models"].as_array().unwrap() {
        for l in ["0.5", "0.8", "0.9"] {
            let c = f(&m["coverage"][l]);
            assert!((0.0..=1.0).contains(&c));
        }
    }
    let mut args = vec![
        "backtest",
        sc.to_str().unwrap(),
        outcomes.to_str().unwrap(),
        "--draws",
        DRAWS,
        "--seed",
        SEED,
    ];
    args.extend(MODELS);
    let text = ok(&brink(&args));
    assert!(text.contains("CRPS"), "{text}");
    assert!(text.contains("inside 50%"), "{text}");
}

/// The first `proposals` proposals of the DEU III development split as a TSV of their own,
/// with every proposal and issue id prefixed by `prefix` (an empty prefix keeps the ids).
fn deu_subset(dir: &Path, proposals: usize, prefix: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo("tests/data/deu3/deu3-dev.tsv")).unwrap();
    let mut lines = text.lines();
    let mut out = vec![
        lines.next().unwrap().to_string(),
        lines.next().unwrap().to_string(),
    ];
    let mut seen: Vec<String> = Vec::new();
    for line in lines {
        let mut cells: Vec<String> = line.split('\t').map(str::to_string).collect();
        if !seen.contains(&cells[2]) {
            if seen.len() == proposals {
                break;
            }
            seen.push(cells[2].clone());
        }
        cells[2] = format!("{prefix}{}", cells[2]);
        cells[4] = format!("{prefix}{}", cells[4]);
        out.push(cells.join("\t"));
    }
    let name = if prefix.is_empty() { "same" } else { "renamed" };
    let p = dir.join(format!("{name}.tsv"));
    std::fs::write(&p, out.join("\n") + "\n").unwrap();
    p
}

fn eval_json(file: &Path, extra: &[&str]) -> Value {
    let mut args = vec![
        "eval",
        file.to_str().unwrap(),
        "-m",
        "compromise",
        "--resamples",
        "100",
        "--format",
        "json",
    ];
    args.extend(extra);
    serde_json::from_str(&ok(&brink(&args))).unwrap()
}

/// `brink eval` on DEU data the shipped error models never saw scores the distributions `brink
/// run` publishes (the backtest of the imported file gives the same CRPS and coverage: an
/// out-of-sample test), not unwidened (DEU's inputs are expert interviews); on the development
/// split's own proposals it fits the error models by cross-validation, since the shipped ones
/// saw them; `--errors` forces either, and says when the shipped ones are scored in sample.
#[test]
fn eval_scores_the_shipped_distributions_on_new_data_and_cross_validates_on_their_own() {
    let dir = std::env::temp_dir().join(format!("brink-errors-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let renamed = deu_subset(&dir, 22, "new-");
    let same = deu_subset(&dir, 22, "");
    let compromise = |doc: &Value| doc["predictive"]["models"][0].clone();

    let auto = eval_json(&renamed, &[]);
    let used = &auto["error_models"];
    assert_eq!(used["used"], "shipped");
    assert_eq!(used["asked"], "auto");
    assert_eq!(
        (
            used["scored_proposals"].as_u64(),
            used["shared_proposals"].as_u64()
        ),
        (Some(22), Some(0))
    );
    assert!(auto["predictive"]["source"]
        .as_str()
        .unwrap()
        .contains("out-of-sample"));
    assert_eq!(
        eval_json(&renamed, &["--errors", "shipped"])["predictive"]["models"],
        auto["predictive"]["models"]
    );

    // The same distributions as the backtest of the imported file (what `brink run` shows).
    let o = brink(&[
        "import",
        "--from",
        "deu",
        renamed.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
    ]);
    ok(&o);
    let (sc, out) = (dir.join("renamed.toml"), dir.join("renamed.outcomes.toml"));
    let bt: Value = serde_json::from_str(&ok(&brink(&[
        "backtest",
        sc.to_str().unwrap(),
        out.to_str().unwrap(),
        "-m",
        "compromise",
        "--draws",
        "2",
        "--format",
        "json",
    ])))
    .unwrap();
    let b = &bt["distributions"]["models"][0];
    let e = compromise(&auto);
    assert_eq!(b["model"], "compromise");
    assert!((f(&b["crps"]) - f(&e["crps"])).abs() < 1e-9, "{b} vs {e}");
    for l in ["0.5", "0.8", "0.9"] {
        assert!((f(&b["coverage"][l]) - f(&e["coverage"][l])).abs() < 1e-12);
    }
    let toml = std::fs::read_to_string(&sc).unwrap();
    assert!(toml.contains("\"inputs\" = \"expert interviews\""));

    // Fitted on the scored data instead: other distributions.
    let cv = eval_json(&renamed, &["--errors", "cv"]);
    assert_eq!(cv["error_models"]["used"], "cross-validated");
    assert_ne!(compromise(&cv)["crps"], e["crps"]);

    // The development split's own proposals: cross-validated, unless the shipped ones are asked
    // for, and then said to be in sample.
    let own = eval_json(&same, &[]);
    assert_eq!(own["error_models"]["used"], "cross-validated");
    assert_eq!(own["error_models"]["shared_proposals"].as_u64(), Some(22));
    assert_eq!(compromise(&own), compromise(&cv));
    let forced = eval_json(&same, &["--errors", "shipped"]);
    assert_eq!(forced["error_models"]["used"], "shipped");
    assert!(forced["predictive"]["source"]
        .as_str()
        .unwrap()
        .contains("in sample: 22 of the 22 scored proposals"));

    // Too few proposals to cross-validate on: refused, exit 2.
    let few = deu_subset(&dir, 5, "new-");
    let o = brink(&["eval", few.to_str().unwrap(), "--errors", "cv"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("at least 20 proposals") && err.contains("have 5"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
