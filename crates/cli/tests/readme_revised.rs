//! The README's table of the revised coding (`scenarios/ukraine-2021-12.revised.toml`, made after
//! the outcome) and the sentence under it are what brink prints: generated here from `brink
//! backtest` and `brink run` on that file, they must appear in README.md exactly. When the
//! engine's numbers change, this test fails and prints the text to paste. The revised coding is
//! scored with the same outcomes and claims as the frozen file, but it is not a backtest: it was
//! written knowing the outcome.

use brink_eval::backtest::{Backtest, ProbScore};
use brink_report::backtest::{headline_markdown, Headline};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

const REVISED: &str = "scenarios/ukraine-2021-12.revised.toml";
const OUTCOMES: &str = "scenarios/ukraine-2021-12.outcomes.toml";
const CLAIMS: &str = "scenarios/ukraine-2021-12.claims.toml";

fn json(args: &[&str]) -> serde_json::Value {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `brink backtest REVISED OUTCOMES --claims CLAIMS --format json [extra]`: the backtest, draws
/// and seed.
fn backtest(extra: &[&str]) -> (Backtest, u64, u64) {
    let (s, o, c) = (repo(REVISED), repo(OUTCOMES), repo(CLAIMS));
    let mut args = vec![
        "backtest",
        s.to_str().unwrap(),
        o.to_str().unwrap(),
        "--claims",
        c.to_str().unwrap(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let doc = json(&args);
    (
        serde_json::from_value(doc["backtest"].clone()).unwrap(),
        doc["draws"].as_u64().unwrap(),
        doc["seed"].as_u64().unwrap(),
    )
}

/// 2000 as "2,000".
fn thousands(n: u64) -> String {
    let digits: Vec<char> = n.to_string().chars().rev().collect();
    let groups: Vec<String> = digits.chunks(3).map(|c| c.iter().rev().collect()).collect();
    groups.into_iter().rev().collect::<Vec<_>>().join(",")
}

fn war(bt: &Backtest) -> &ProbScore {
    bt.brink("standoff", "war").expect("brink's P(war)")
}

/// A crisis's Monte Carlo outcome shares from `brink run --draws N --seed S --format json`.
fn shares(doc: &serde_json::Value, crisis: &str) -> Vec<(String, f64)> {
    let c = doc["crises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["crisis"] == crisis)
        .unwrap_or_else(|| panic!("crisis {crisis}"));
    c["game"]["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            (
                o["outcome"].as_str().unwrap().to_string(),
                o["p"].as_f64().unwrap(),
            )
        })
        .collect()
}

fn pct(v: &[(String, f64)], class: &str) -> String {
    let p = v.iter().find(|(c, _)| c == class).map_or(0.0, |x| x.1);
    format!("{:.1}%", 100.0 * p)
}

fn pct_sum(v: &[(String, f64)], classes: &[&str]) -> String {
    let p: f64 = v
        .iter()
        .filter(|(c, _)| classes.contains(&c.as_str()))
        .map(|x| x.1)
        .sum();
    format!("{:.1}%", 100.0 * p)
}

#[test]
fn the_readme_table_of_the_revised_coding_is_what_brink_prints() {
    let (then, draws, seed) = backtest(&[]);
    let (update, ..) = backtest(&["--as-of", "2022-01-10"]);
    let label = "**The revised coding: made after the outcome; shows what brink does with the essay, not a test of it**";
    let table = headline_markdown(
        "P(war)",
        &[
            Headline {
                forecast: format!(
                    "{label} (`{REVISED}`, written 2026-12-07; Russia against Ukraine, {} draws, seed {seed})",
                    thousands(draws)
                ),
                as_of: war(&then).made.clone().unwrap(),
                score: war(&then),
            },
            Headline {
                forecast: "The revised coding, made after the outcome (not a test), with the January update".into(),
                as_of: war(&update).made.clone().unwrap(),
                score: war(&update),
            },
        ],
    );

    let path = repo(REVISED);
    let (d, s) = (draws.to_string(), seed.to_string());
    let run = json(&[
        "run",
        path.to_str().unwrap(),
        "--draws",
        &d,
        "--seed",
        &s,
        "--format",
        "json",
    ]);
    let ukr = shares(&run, "standoff");
    let west = shares(&run, "demands");
    let sentence = format!(
        "In the revised coding, as of 2021-12-28, Russia uses force against Ukraine in {} of the \
draws, but war (Ukraine fighting back) is {}: in {} Ukraine gives in to force, and in {} it \
gives in before any force is used. Against the United States and its allies (crisis `demands`), \
Russia uses force in {} and war is {}: the West gives in to force and answers with sanctions.",
        pct_sum(&ukr, &["war", "defender capitulates"]),
        pct(&ukr, "war"),
        pct(&ukr, "defender capitulates"),
        pct(&ukr, "defender acquiesces"),
        pct_sum(&west, &["war", "defender capitulates"]),
        pct(&west, "war"),
    );

    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut missing = Vec::new();
    if !readme.contains(table.as_str()) {
        missing.push(format!(
            "README.md lacks the table of the revised coding, as brink now prints it:\n\n{table}"
        ));
    }
    if !flat(&readme).contains(&flat(&sentence)) {
        missing.push(format!(
            "README.md lacks the sentence on the revised coding's outcomes, as brink now prints it:\n\n{sentence}"
        ));
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
