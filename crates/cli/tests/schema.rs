//! Every subcommand's `--format json` output, as the binary prints it, is valid against the
//! committed JSON Schema of its document (`docs/schema/KIND.schema.json`).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn schema(kind: &str) -> jsonschema::Validator {
    let path = root(&format!("docs/schema/{kind}.schema.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    jsonschema::validator_for(&serde_json::from_str(&text).unwrap()).unwrap()
}

#[test]
fn every_json_output_is_valid_against_its_schema() {
    let sc = root("scenarios/ukraine-2021-12.toml");
    let oc = root("scenarios/ukraine-2021-12.outcomes.toml");
    let cl = root("scenarios/ukraine-2021-12.claims.toml");
    let efg = root("tests/data/crisis/models_example.efg");
    let pbe = root("tests/data/crisis/pbe/beer_quiche.efg");
    let deu = root("tests/data/deu3/deu3-dev.tsv");
    let p = |x: &PathBuf| x.to_str().unwrap().to_string();
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("forecast", vec!["run".into()]),
        (
            "forecast",
            vec!["run".into(), "--explain".into(), "-m".into(), "smp".into()],
        ),
        (
            "forecast",
            vec!["run".into(), "--as-of".into(), "2022-01-12".into()],
        ),
        (
            "forecast",
            vec!["run".into(), "--draws".into(), "100".into(), "-q".into()],
        ),
        ("timeline", vec!["timeline".into()]),
        (
            "sensitivity",
            vec!["sensitivity".into(), "--draws".into(), "100".into()],
        ),
        (
            "whatif",
            vec![
                "whatif".into(),
                "--set".into(),
                "rus.enlargement.salience=0.5".into(),
            ],
        ),
        (
            "crisis_analysis",
            vec!["crisis".into(), "--samples".into(), "10".into()],
        ),
        ("solve", vec!["solve".into(), p(&efg)]),
        ("solve", vec!["solve".into(), p(&pbe)]),
        (
            "check",
            vec!["check".into(), p(&sc), "--outcomes".into(), p(&oc)],
        ),
        (
            "check",
            vec![
                "check".into(),
                p(&root("scenarios/crises/berlin-1958.toml")),
                "--onset".into(),
                p(&root("scenarios/crises/berlin-1958.onset.toml")),
            ],
        ),
        (
            "backtest",
            vec![
                "backtest".into(),
                p(&sc),
                p(&oc),
                "--claims".into(),
                p(&cl),
                "--draws".into(),
                "100".into(),
            ],
        ),
        (
            "eval",
            vec!["eval".into(), p(&sc), "--resamples".into(), "50".into()],
        ),
        (
            "eval",
            vec![
                "eval".into(),
                p(&deu),
                "--resamples".into(),
                "20".into(),
                "-m".into(),
                "compromise".into(),
                "-m".into(),
                "nash".into(),
            ],
        ),
    ];
    for (kind, mut args) in cases {
        args.extend(["--format".into(), "json".into()]);
        let o = Command::new(env!("CARGO_BIN_EXE_brink"))
            .args(&args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(doc["document"], kind, "{args:?}");
        let errors: Vec<String> = schema(kind)
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .take(5)
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:#?}");
    }
}

/// The check can fail: a document with a field of the wrong type is refused.
#[test]
fn the_schema_refuses_a_wrong_document() {
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["run", "--format", "json", "-m", "median"])
        .output()
        .unwrap();
    let mut doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(schema("forecast").is_valid(&doc));
    doc["issues"][0]["forecasts"][0]["kind"] = "maybe".into();
    assert!(!schema("forecast").is_valid(&doc));
    doc.as_object_mut().unwrap().remove("issues");
    assert!(!schema("forecast").is_valid(&doc));
}

/// `brink check --format json` on a scenario that does not load: exit 2, the same messages on
/// standard error, and on standard output a `check` document valid against its schema with
/// `ok` false and every problem with its file, line, column and field, in the order the errors
/// are printed; a file that cannot be read is one problem without a place.
#[test]
fn a_failed_check_is_a_document_of_its_problems() {
    let dir = std::env::temp_dir().join(format!("brink-check-json-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read_to_string(root("tests/data/crisis/ladder/red_line.toml")).unwrap();
    // Two errors in an otherwise valid file: a salience out of range and an unknown actor.
    let bad_text = good
        .replacen("salience = ", "salience = 7 # was ", 1)
        .replacen("actor = \"", "actor = \"nobody_", 1);
    assert_ne!(bad_text, good);
    let bad = dir.join("bad.toml");
    std::fs::write(&bad, &bad_text).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["check", bad.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(schema("check").is_valid(&doc), "{doc:#}");
    assert_eq!(doc["ok"], false);
    assert!(doc["actors"].is_null());
    let problems = doc["problems"].as_array().unwrap();
    assert!(problems.len() >= 2, "{problems:#?}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    let printed: Vec<&str> = stderr.lines().filter(|l| l.contains("bad.toml:")).collect();
    assert_eq!(printed.len(), problems.len(), "{stderr}");
    for (p, line) in problems.iter().zip(&printed) {
        let at = format!(
            "bad.toml:{}:{}: {}: {}",
            p["line"],
            p["column"],
            p["field"].as_str().unwrap(),
            p["message"].as_str().unwrap()
        );
        assert!(line.ends_with(&at), "{line} vs {at}");
        // The line is that of the field at fault in the file.
        let l = p["line"].as_u64().unwrap() as usize;
        assert!(l >= 1 && l <= bad_text.lines().count());
    }
    assert!(problems
        .iter()
        .any(|p| p["field"].as_str().unwrap().ends_with(".salience")));
    assert!(problems
        .iter()
        .any(|p| p["message"].as_str().unwrap().contains("nobody_")));

    let missing = dir.join("missing.toml");
    let o = Command::new(env!("CARGO_BIN_EXE_brink"))
        .args(["check", missing.to_str().unwrap(), "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(schema("check").is_valid(&doc));
    assert_eq!(doc["problems"][0]["line"], serde_json::Value::Null);
    assert!(doc["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("cannot read"));
    let _ = std::fs::remove_dir_all(&dir);
}
