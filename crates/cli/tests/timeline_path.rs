//! `brink timeline` with the forecast of record, the claims and the outcomes: P(war) over time on
//! one plot and in the text, brink's forecast of record beside the crowd's path, the dates for
//! which nothing was recorded said so, and the day the war began marked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-tl-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const RECORD: &str = "scenarios/ukraine-2021-12.record.toml";
const CLAIMS: &str = "scenarios/ukraine-2021-12.claims.toml";
const OUTCOMES: &str = "scenarios/ukraine-2021-12.outcomes.toml";

fn timeline(extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brink"))
        .arg("timeline")
        .arg("--record")
        .arg(repo(RECORD))
        .arg("--claims")
        .arg(repo(CLAIMS))
        .arg("--outcomes")
        .arg(repo(OUTCOMES))
        .args(extra)
        .output()
        .expect("brink runs")
}

/// The record's P(war), the crowd's and the superforecaster's dated values and the war's date,
/// read from the files (not typed in here).
struct Expected {
    record: (String, f64),
    stated: Vec<(String, String, f64)>,
    war: String,
}

fn expected() -> Expected {
    let text = std::fs::read_to_string(repo(RECORD)).unwrap();
    let record = brink_scenario::load_record_str(&text, "record").unwrap();
    let war = record.crises[0]
        .shares
        .iter()
        .find(|(o, _)| o == "war")
        .unwrap()
        .1;
    let claims = brink_scenario::load_claims_file(&repo(CLAIMS)).unwrap();
    let stated = claims
        .forecasts
        .iter()
        .map(|f| {
            (
                claims.sources[f.source].id.clone(),
                f.date.to_string(),
                f.probability,
            )
        })
        .collect();
    let outcomes = brink_scenario::load_outcomes_file(&repo(OUTCOMES)).unwrap();
    let c = outcomes
        .crises
        .iter()
        .find(|c| c.crisis == "standoff")
        .unwrap();
    assert_eq!(c.outcome, "war");
    Expected {
        record: (record.as_of.to_string(), war),
        stated,
        war: c.date.unwrap().to_string(),
    }
}

/// The words of every `<text>` element of an SVG, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|s| {
            let body = &s[s.find('>')? + 1..];
            Some(body[..body.find("</text>")?].trim().to_string())
        })
        .collect()
}

fn prob(p: f64) -> String {
    brink_report::plot::path::prob(p)
}

#[test]
fn the_text_shows_the_record_the_crowds_path_and_the_outcome_date() {
    let e = expected();
    assert!(
        e.stated.len() >= 4,
        "the crowd's three values and the superforecaster's"
    );
    let o = timeline(&[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    let path = &out[out
        .find("P(war) of crisis standoff over time")
        .expect("the path")..];
    assert!(path.contains("brink, forecast of record (ukraine-2021-12.frozen.toml, commit 8a98811"));
    assert!(
        path.contains(&format!("{}  {:>6}", e.record.0, prob(e.record.1))),
        "the record's 0.001 at 2021-12-28:\n{path}"
    );
    for (who, date, p) in &e.stated {
        assert!(
            path.contains(&format!("  {who} (stated)")),
            "{who}:\n{path}"
        );
        assert!(
            path.contains(&format!("{date}  {:>6}", prob(*p))),
            "{who} {date} {p}:\n{path}"
        );
    }
    assert!(
        path.contains("note: no forecast of record at 2022-01-10"),
        "the January update has no forecast of record, and the text says so:\n{path}"
    );
    assert!(path.contains(&format!("the crisis ended in war on {}", e.war)));
    for bad in ["Some(", "None", "NaN", "inf"] {
        assert!(!path.contains(bad), "debug formatting `{bad}` in:\n{path}");
    }
}

#[test]
fn the_svg_draws_each_series_labelled_with_the_war_marked() {
    let e = expected();
    let dir = tmpdir("svg");
    let o = timeline(&["--svg", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let svg = std::fs::read_to_string(dir.join("path-standoff-war.svg")).expect("the path plot");
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    let words = texts(&svg);
    for label in [
        "brink, forecast of record (ukraine-2021-12.frozen.toml, commit 8a98811, 2000 draws)",
        "brink, computed now from &lt;built-in: ukraine-2021-12&gt; + onset addendum ukraine-2021-12.onset.toml (added 2026-12-07, added after the outcome) (its published probability)",
        "metaculus (stated)",
        "superforecaster (stated)",
        "P(war)",
    ] {
        assert!(words.iter().any(|w| w == label), "no text {label:?} in {words:?}");
    }
    assert!(words.contains(&format!("war began {}", e.war)));
    // Every dated value is written beside its point.
    assert!(words.contains(&prob(e.record.1)), "0.001 in {words:?}");
    for (_, _, p) in &e.stated {
        assert!(words.contains(&prob(*p)), "value {p} in {words:?}");
    }
    // One line per series with more than one point: the crowd's and brink's computed path.
    assert!(svg.matches("<polyline").count() >= 2, "lines drawn");
    for w in &words {
        for bad in ["Some(", "None", "PathSeries", "{", "\""] {
            assert!(
                !w.contains(bad),
                "debug formatting `{bad}` in the SVG's text {w:?}"
            );
        }
        for token in w.split(|c: char| !c.is_alphanumeric()) {
            assert!(!["NaN", "inf"].contains(&token), "`{token}` in {w:?}");
        }
    }
    // The per-issue timelines are still written beside it.
    assert!(dir.join("timeline-enlargement.svg").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn the_json_carries_the_paths_and_without_the_files_there_are_none() {
    let o = timeline(&["--format", "json"]);
    assert!(o.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let path = &doc["paths"][0];
    assert_eq!(path["crisis"], "standoff");
    assert_eq!(path["outcome"], "war");
    let kinds: Vec<&str> = path["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["record", "computed", "stated", "stated"]);
    // brink's computed value at the cut-off is the P(war) `brink run` publishes.
    let run = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["run", "--format", "json"])
        .output()
        .unwrap();
    let run: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
    let published = run["crises"][0]["combined"]["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["outcome"] == "war")
        .unwrap()["p"]
        .as_f64()
        .unwrap();
    let first = path["series"][1]["points"][0]["p"].as_f64().unwrap();
    assert!((first - published).abs() < 1e-12, "{first} vs {published}");
    let plain = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["timeline", "--format", "json"])
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&plain.stdout).unwrap();
    assert!(doc.get("paths").is_none());
}

#[test]
fn a_record_of_another_scenario_is_bad_input() {
    let dir = tmpdir("other");
    let text = std::fs::read_to_string(repo(RECORD))
        .unwrap()
        .replace("scenario = \"ukraine-2021-12\"", "scenario = \"elsewhere\"");
    let f = dir.join("other.record.toml");
    std::fs::write(&f, text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .arg("timeline")
        .arg("--record")
        .arg(&f)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("record file is for scenario `elsewhere`"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
