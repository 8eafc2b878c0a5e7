//! `brink run --draws N --keep-draws FILE`: one CSV row per draw with the inputs and forecasts,
//! then each crisis's outcome probabilities in the draw and the hypothesis drawn per actor with
//! types; the same file whatever the thread count.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brink(args: &[&str]) -> Output {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(args)
        .output()
        .expect("brink runs");
    assert!(
        o.status.success(),
        "brink {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(rel)
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("brink-keep-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The kept draws (header, rows) and the JSON document of the same run.
fn run_kept(
    scenario: Option<&Path>,
    extra: &[&str],
    csv: &Path,
) -> (Vec<String>, Vec<Vec<String>>, serde_json::Value) {
    let mut args: Vec<&str> = vec!["run"];
    if let Some(s) = scenario {
        args.push(s.to_str().unwrap());
    }
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--keep-draws", csv.to_str().unwrap(), "--format", "json"]);
    let out = brink(&args);
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = std::fs::read_to_string(csv).unwrap();
    let mut lines = text.lines();
    let head: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    for r in &rows {
        assert_eq!(r.len(), head.len(), "a row as wide as the header");
    }
    (head, rows, doc)
}

/// Per crisis of the document: its id, its outcome classes in the document's order, and its
/// game's probabilities and unsolved draws.
fn crises(doc: &serde_json::Value) -> Vec<(String, Vec<String>, Vec<f64>, u64)> {
    doc["crises"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let g = &c["game"];
            let outcomes = g["outcomes"].as_array().unwrap();
            (
                c["crisis"].as_str().unwrap().to_string(),
                outcomes
                    .iter()
                    .map(|o| o["outcome"].as_str().unwrap().to_string())
                    .collect(),
                outcomes
                    .iter()
                    .map(|o| o["p"].as_f64().unwrap_or(f64::NAN))
                    .collect(),
                g["unsolved"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The built-in scenario (one crisis; Russia's two hypotheses): the old columns first, then one
/// column per outcome class, then `type:rus`; each draw's crisis probabilities sum to 1 and
/// average to the document's game probabilities over the same draws; both hypotheses are drawn
/// about as often as their odds say; one thread and two write the same file.
#[test]
fn builtin_draws_carry_the_crisis_and_the_hypothesis() {
    let dir = tmpdir("builtin");
    let opts = ["--draws", "600", "--seed", "5", "--model", "compromise"];
    let one = dir.join("one.csv");
    let two = dir.join("two.csv");
    let (head, rows, doc) = run_kept(None, &[&opts[..], &["--threads", "1"]].concat(), &one);
    let _ = run_kept(None, &[&opts[..], &["--threads", "2"]].concat(), &two);
    assert_eq!(
        std::fs::read(&one).unwrap(),
        std::fs::read(&two).unwrap(),
        "the same draws whatever the thread count"
    );
    assert_eq!(rows.len(), 600);
    assert!(rows.iter().enumerate().all(|(i, r)| r[0] == i.to_string()));

    // The columns: draw, the inputs, the forecasts (as before), then the crises and the types.
    let crises = crises(&doc);
    assert_eq!(crises.len(), 1);
    let (id, classes, p, unsolved) = &crises[0];
    let inputs: Vec<String> = doc["montecarlo"]["uncertain_inputs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let n_issues = doc["issues"].as_array().unwrap().len();
    let first = 1 + inputs.len();
    assert_eq!(head[0], "draw");
    assert_eq!(head[1..first], inputs[..]);
    assert!(head[first..first + n_issues]
        .iter()
        .all(|h| h.starts_with("compromise:")));
    let at = first + n_issues;
    let expected: Vec<String> = classes.iter().map(|c| format!("{id}:{c}")).collect();
    assert_eq!(head[at..at + classes.len()], expected[..]);
    assert_eq!(head[at + classes.len()..], ["type:rus".to_string()]);

    // Each draw's probabilities sum to 1 (no draw is unsolved here) and average to the game's.
    assert_eq!(*unsolved, 0);
    let mut sums = vec![0.0; classes.len()];
    for r in &rows {
        let ps: Vec<f64> = r[at..at + classes.len()]
            .iter()
            .map(|x| x.parse::<f64>().expect("a probability"))
            .collect();
        assert!(ps.iter().all(|x| (0.0..=1.0).contains(x)));
        assert!((ps.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{ps:?}");
        for (s, x) in sums.iter_mut().zip(&ps) {
            *s += x;
        }
    }
    for (s, p) in sums.iter().zip(p) {
        assert!(
            (s / rows.len() as f64 - p).abs() < 1e-9,
            "{s} / 600 against {p}"
        );
    }

    // The hypotheses: Russia's type ids, each drawn about as often as its odds.
    let types = doc["types"].as_array().unwrap();
    let last = head.len() - 1;
    let rus: Vec<_> = types.iter().filter(|t| t["actor"] == "rus").collect();
    assert_eq!(
        rus.len(),
        2,
        "the built-in scenario's two hypotheses about Russia"
    );
    for t in rus {
        let id = t["type"].as_str().unwrap();
        let share = rows.iter().filter(|r| r[last] == id).count() as f64 / rows.len() as f64;
        let odds = t["posterior"].as_f64().unwrap();
        // 600 draws: the share's standard error is at most 0.021; five of them.
        assert!(
            (share - odds).abs() < 0.1,
            "{id}: drawn {share}, odds {odds}"
        );
    }
    assert!(rows
        .iter()
        .all(|r| types.iter().any(|t| t["type"] == r[last].as_str())));
}

/// A crisis whose game cannot be solved in any draw: its cells are empty in every row (as many
/// as the document's unsolved draws); a scenario without types has no type column.
#[test]
fn unsolved_draws_leave_the_crisis_cells_empty() {
    let dir = tmpdir("unsolved");
    let file = data("fuzz-repro/06a-efg-template-payoff-1e400.toml");
    let csv = dir.join("d.csv");
    let (head, rows, doc) = run_kept(Some(&file), &["--draws", "40", "--seed", "1"], &csv);
    let crises = crises(&doc);
    assert_eq!(crises.len(), 1);
    let (id, classes, _, unsolved) = &crises[0];
    assert!(!head.iter().any(|h| h.starts_with("type:")));
    let at = head
        .iter()
        .position(|h| *h == format!("{id}:{}", classes[0]))
        .expect("the crisis's columns");
    assert_eq!(
        head.len(),
        at + classes.len(),
        "the crisis's columns come last"
    );
    let empty = rows
        .iter()
        .filter(|r| r[at..].iter().all(|x| x.is_empty()))
        .count();
    assert_eq!(empty as u64, *unsolved);
    assert_eq!(empty, rows.len(), "this game is never solved");
}
