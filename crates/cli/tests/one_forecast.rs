//! One forecast everywhere: `run`, `report`, `sensitivity`, `eval` and `backtest` on the built-in
//! scenario give the same forecast of every issue by every model they share (the mixture over
//! the rival hypotheses), and `run` and `backtest` the same crisis probabilities.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn brink(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs");
    assert!(
        o.status.success(),
        "brink {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

type Table = BTreeMap<(String, String), f64>;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("a JSON document")
}

/// The report's number format (crates/report: two decimals, trailing zeros cut).
fn num(v: f64) -> String {
    brink_report::table::num(v)
}

#[test]
fn run_report_sensitivity_eval_and_backtest_agree_on_the_built_in_scenario() {
    let scenario = repo("scenarios/ukraine-2021-12.toml");
    let outcomes = repo("scenarios/ukraine-2021-12.outcomes.toml");
    let (s, o) = (scenario.to_str().unwrap(), outcomes.to_str().unwrap());
    let dir = std::env::temp_dir().join(format!("brink-one-forecast-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();

    // The built-in scenario is the shipped file.
    let builtin = json(&brink(&["run", "--format", "json"]));
    let file = json(&brink(&["run", s, "--format", "json"]));
    assert_eq!(builtin["issues"], file["issues"]);
    assert!(
        builtin["types"].as_array().unwrap().len() >= 2,
        "the built-in scenario has rival hypotheses, so the mixture matters"
    );

    // run
    let mut run = Table::new();
    for is in builtin["issues"].as_array().unwrap() {
        for f in is["forecasts"].as_array().unwrap() {
            if let Some(v) = f["value"].as_f64() {
                let key = (
                    is["id"].as_str().unwrap().to_string(),
                    f["model"].as_str().unwrap().to_string(),
                );
                run.insert(key, v);
            }
        }
    }
    assert!(run.len() >= 30, "run forecasts {} values", run.len());

    // sensitivity: each tornado's base forecast.
    let sens = json(&brink(&["sensitivity", "--format", "json", "--draws", "0"]));
    let mut seen = 0;
    for t in sens["tornado"].as_array().unwrap() {
        let key = (
            t["issue"].as_str().unwrap().to_string(),
            t["model"].as_str().unwrap().to_string(),
        );
        let Some(base) = t["base"].as_f64() else {
            continue;
        };
        let r = run
            .get(&key)
            .unwrap_or_else(|| panic!("sensitivity forecasts {key:?}, run does not"));
        assert!(
            (r - base).abs() < 1e-9,
            "{key:?}: run {r}, sensitivity {base}"
        );
        seen += 1;
    }
    assert_eq!(seen, run.len(), "sensitivity covers every forecast of run");

    // backtest: the forecasts it scores, and the crisis probabilities of the same draws.
    let bt = json(&brink(&[
        "backtest", s, o, "--format", "json", "--draws", "300",
    ]));
    let mut seen = 0;
    for is in bt["backtest"]["issues"].as_array().unwrap() {
        for m in is["models"].as_array().unwrap() {
            let key = (
                is["issue"].as_str().unwrap().to_string(),
                m[0].as_str().unwrap().to_string(),
            );
            let v = m[1].as_f64().unwrap();
            let r = run
                .get(&key)
                .unwrap_or_else(|| panic!("backtest forecasts {key:?}, run does not"));
            assert!((r - v).abs() < 1e-9, "{key:?}: run {r}, backtest {v}");
            seen += 1;
        }
    }
    assert!(seen >= 30, "backtest scored {seen} forecasts");
    let run300 = json(&brink(&["run", "--format", "json", "--draws", "300"]));
    let crises = bt["backtest"]["crises"].as_array().unwrap();
    assert!(!crises.is_empty());
    for c in crises {
        let id = c["crisis"].as_str().unwrap();
        let rc = run300["crises"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["crisis"] == id)
            .expect("run has the crisis");
        for p in c["probabilities"].as_array().unwrap() {
            let name = p[0].as_str().unwrap();
            let q = rc["game"]["outcomes"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["outcome"] == name)
                .and_then(|x| x["p"].as_f64())
                .unwrap_or_else(|| panic!("run has no probability of {name}"));
            assert!(
                (q - p[1].as_f64().unwrap()).abs() < 1e-12,
                "{id}/{name}: run {q}, backtest {}",
                p[1]
            );
        }
    }

    // eval: the per-issue forecasts of the models it shares with run.
    let csv = dir.join("eval.csv");
    brink(&[
        "eval",
        s,
        "--outcomes",
        o,
        "--csv",
        csv.to_str().unwrap(),
        "--resamples",
        "50",
    ]);
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut seen = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        for (c, name) in head.iter().enumerate().skip(3) {
            let key = (cells[0].to_string(), name.to_string());
            let (Some(r), Ok(v)) = (run.get(&key), cells[c].parse::<f64>()) else {
                continue;
            };
            assert!((r - v).abs() < 1e-9, "{key:?}: run {r}, eval {v}");
            seen += 1;
        }
    }
    assert!(seen >= 20, "eval shares {seen} forecasts with run");

    // report: each issue's forecast table, in the report's number format.
    let html = dir.join("report.html");
    brink(&["report", "-o", html.to_str().unwrap(), "--draws", "0", "-q"]);
    let page = std::fs::read_to_string(&html).unwrap();
    let mut seen = 0;
    for is in builtin["issues"].as_array().unwrap() {
        let id = is["id"].as_str().unwrap();
        let start = page
            .find(&format!("id=\"issue-{id}\""))
            .unwrap_or_else(|| panic!("the report has issue {id}"));
        let section = &page[start..];
        let section = &section[..section.find("</table>").unwrap()];
        for ((issue, model), v) in run.iter().filter(|((i, _), _)| i == id) {
            let row = format!("<tr><td>{model}</td><td class=\"num\">{}</td>", num(*v));
            assert!(
                section.contains(&row),
                "the report's {issue}/{model} is not run's {v}"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, run.len());
    // The report names the hypotheses, their odds, and says the forecasts are their mixture.
    for t in builtin["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap().replace('\'', "&#39;");
        assert!(
            page.contains(&name),
            "the report names the hypothesis {name}"
        );
    }
    assert!(
        page.contains("mixture"),
        "the report says the forecasts are the mixture"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
