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
