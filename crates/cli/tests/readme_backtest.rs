//! The README's section "How the forecasts fared" is what brink prints: each of its tables is
//! generated here from `brink backtest` runs (the frozen file, today's extended file as of its
//! date and as of the January update) and from the forecast of record
//! (`scenarios/ukraine-2021-12.record.toml`), and must appear in README.md exactly. When the
//! engine's numbers change, this test fails and prints the tables to paste.

use brink_eval::backtest::{backtest_record, Backtest, ProbScore};
use brink_eval::backtest_dist::DistBacktest;
use brink_report::backtest::{
    claims_markdown, dist_markdown, headline_markdown, mae_markdown, not_scored_markdown, Headline,
};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

const OUTCOMES: &str = "scenarios/ukraine-2021-12.outcomes.toml";
const CLAIMS: &str = "scenarios/ukraine-2021-12.claims.toml";

/// `brink backtest SCENARIO OUTCOMES --claims CLAIMS --format json [extra]`: its backtest, its
/// draws and seed, and its distributions' scores.
fn run(scenario: &str, extra: &[&str]) -> (Backtest, u64, u64, DistBacktest) {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .arg("backtest")
        .arg(repo(scenario))
        .arg(repo(OUTCOMES))
        .arg("--claims")
        .arg(repo(CLAIMS))
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("brink runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let bt: Backtest = serde_json::from_value(doc["backtest"].clone()).unwrap();
    let dist: DistBacktest = serde_json::from_value(doc["distributions"].clone()).unwrap();
    (
        bt,
        doc["draws"].as_u64().unwrap(),
        doc["seed"].as_u64().unwrap(),
        dist,
    )
}

fn name(source: &str) -> String {
    match source {
        "trenin-2021" => "the essay".into(),
        "us-officials-2021-12" => "US officials, as the essay reports them".into(),
        "comment-9" => "comment 9 (no author line; relays Paul Craig Roberts)".into(),
        "metaculus" => "the crowd (Metaculus)".into(),
        "superforecaster" => "a superforecaster".into(),
        other => other.into(),
    }
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

#[test]
fn the_readme_backtest_tables_are_what_brink_prints() {
    let frozen_sc = brink_scenario::load_file(&repo("scenarios/ukraine-2021-12.frozen.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let outcomes = brink_scenario::load_outcomes_file(&repo(OUTCOMES)).unwrap();
    let claims = brink_scenario::load_claims_file(&repo(CLAIMS)).unwrap();
    let record_text =
        std::fs::read_to_string(repo("scenarios/ukraine-2021-12.record.toml")).unwrap();
    let record = brink_scenario::load_record_str(&record_text, "record").unwrap();
    let original = backtest_record(&frozen_sc, &record, &outcomes, Some(&claims));

    let (frozen, draws, seed, frozen_d) = run("scenarios/ukraine-2021-12.frozen.toml", &[]);
    assert_eq!(
        (draws, seed),
        (record.draws, record.seed),
        "same draws and seed as the record"
    );
    let (today, _, _, today_d) = run("scenarios/ukraine-2021-12.toml", &[]);
    let (update, _, _, update_d) =
        run("scenarios/ukraine-2021-12.toml", &["--as-of", "2022-01-10"]);

    let invasion = claims.forecasts[0].event.clone();
    let crowd_then = frozen
        .latest_stated("metaculus", &invasion, "2021-12-28")
        .unwrap();
    let crowd_update = frozen
        .latest_stated("metaculus", &invasion, "2022-01-10")
        .unwrap();
    let super_update = frozen
        .latest_stated("superforecaster", &invasion, "2022-01-10")
        .unwrap();
    let extended = "Today's built-in file, extended after the outcome";
    let headline = headline_markdown(
        "P(war)",
        &[
            Headline {
                forecast: format!(
                    "**1. The original forecast**, the forecast of record: brink's engine and the frozen file at commit {}, the last before any outcome ({} draws, seed {})",
                    &record.commit[..7],
                    thousands(record.draws),
                    record.seed
                ),
                as_of: record.as_of.to_string(),
                score: war(&original),
            },
            Headline {
                forecast: "**2. The frozen inputs under today's engine** (same draws and seed; its crisis model was built after the outcome: not a backtest of it)".into(),
                as_of: war(&frozen).made.clone().unwrap(),
                score: war(&frozen),
            },
            Headline {
                forecast: format!("**3. {extended}** (not a backtest)"),
                as_of: war(&today).made.clone().unwrap(),
                score: war(&today),
            },
            Headline {
                forecast: format!("3. {extended} (not a backtest), with the January update"),
                as_of: war(&update).made.clone().unwrap(),
                score: war(&update),
            },
            Headline {
                forecast: format!(
                    "the crowd: Metaculus, \"Russian invasion of Ukraine before 2023\" (value of {})",
                    crowd_then.made.as_deref().unwrap()
                ),
                as_of: "2021-12-28".into(),
                score: crowd_then,
            },
            Headline {
                forecast: format!(
                    "the crowd at the January update (value of {}, the latest on or before it)",
                    crowd_update.made.as_deref().unwrap()
                ),
                as_of: "2022-01-10".into(),
                score: crowd_update,
            },
            Headline {
                forecast: format!(
                    "a superforecaster (published around {})",
                    super_update.made.as_deref().unwrap()
                ),
                as_of: "2022-01-10".into(),
                score: super_update,
            },
        ],
    );

    let five: Vec<&str> = frozen_sc.issues.iter().map(|i| i.id.as_str()).collect();
    let n_today = today.issues.len();
    let mae = mae_markdown(&[
        (
            format!("1. The original forecast, the forecast of record (commit {})", &record.commit[..7]),
            original.mae.clone(),
        ),
        ("2. The frozen inputs under today's engine".into(), frozen.mae.clone()),
        (
            "3. Today's extended file, made after the outcome, as of 2021-12-28, on the frozen file's issues".into(),
            today.mae_over(&five),
        ),
        (
            format!("3. Today's extended file, made after the outcome, as of 2021-12-28, all {n_today} issues"),
            today.mae.clone(),
        ),
        (
            "3. Today's extended file, made after the outcome, with the January update, on the frozen file's issues".into(),
            update.mae_over(&five),
        ),
        (
            format!("3. Today's extended file, made after the outcome, with the January update, all {n_today} issues"),
            update.mae.clone(),
        ),
    ]);

    // The forecast of record has no distribution (it is the pre-outcome engine's points).
    let dist = dist_markdown(&[
        ("2. The frozen inputs under today's engine".into(), frozen_d.models.clone()),
        (
            "3. Today's extended file, made after the outcome, as of 2021-12-28, on the frozen file's issues".into(),
            today_d.models_over(&five),
        ),
        (
            format!("3. Today's extended file, made after the outcome, as of 2021-12-28, all {n_today} issues"),
            today_d.models.clone(),
        ),
        (
            "3. Today's extended file, made after the outcome, with the January update, on the frozen file's issues".into(),
            update_d.models_over(&five),
        ),
        (
            format!("3. Today's extended file, made after the outcome, with the January update, all {n_today} issues"),
            update_d.models.clone(),
        ),
    ]);

    let claims_table = claims_markdown(&frozen, &name);
    let not_scored = not_scored_markdown(&frozen, &name);
    // The claims' scores do not depend on the scenario file.
    assert_eq!(claims_markdown(&today, &name), claims_table);

    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let mut missing = Vec::new();
    for (what, table) in [
        ("the first table (P(war))", &headline),
        ("the claims table", &claims_table),
        ("the table of claims not scored", &not_scored),
        ("the table of mean absolute errors", &mae),
        ("the table of the issues' predictive distributions", &dist),
    ] {
        if !readme.contains(table.as_str()) {
            missing.push(format!(
                "README.md lacks {what}, as brink now prints it:\n\n{table}"
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}
