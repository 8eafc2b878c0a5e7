//! The loaders never panic: random bytes, random TOML-like text and mutated valid scenarios all
//! give Ok or a diagnostic.

use proptest::prelude::*;

const VALID: &str = include_str!("../../../docs/scenario-format.md");

fn example() -> String {
    // The complete example of the format documentation.
    let start = VALID.find("```toml\nbrink = 1").expect("example in docs") + 8;
    let end = start + VALID[start..].find("```").expect("end of example");
    VALID[start..end].to_string()
}

#[test]
fn the_documented_example_loads() {
    let sc = brink_scenario::load_str(&example(), "example.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sc.actors.len(), 2);
    assert_eq!(sc.stances[0].salience.point, 0.9);
    assert_eq!(sc.stances[1].position.point, 5.0);
}

fn toml_fragment() -> impl Strategy<Value = String> {
    let key = prop::sample::select(vec![
        "brink",
        "scenario",
        "id",
        "title",
        "as_of",
        "question",
        "actors",
        "issues",
        "stances",
        "power",
        "position",
        "salience",
        "scale",
        "min",
        "max",
        "points",
        "at",
        "label",
        "evidence",
        "source",
        "quote",
        "assumed",
        "triangular",
        "uniform",
        "normal",
        "beta",
        "mean",
        "sd",
        "point",
    ]);
    let val = prop::sample::select(vec![
        "1",
        "-1",
        "0",
        "1e308",
        "nan",
        "inf",
        "\"a\"",
        "2021-12-28",
        "[1, 2, 3]",
        "[3, 1]",
        "{ }",
        "{ triangular = [1, 2] }",
        "{ normal = { mean = 1, sd = 0 } }",
        "[]",
        "true",
        "1.5",
    ]);
    let line = (key, val, prop::bool::ANY).prop_map(|(k, v, header)| {
        if header {
            format!("[[{k}]]\n")
        } else {
            format!("{k} = {v}\n")
        }
    });
    prop::collection::vec(line, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = brink_scenario::load_str(&text, "fuzz.toml");
        let _ = brink_scenario::load_outcomes_str(&text, "fuzz.toml");
        for f in [brink_scenario::import::Format::Ktab, brink_scenario::import::Format::Bdm, brink_scenario::import::Format::Decide, brink_scenario::import::Format::Deu] {
            let _ = brink_scenario::import::import(f, &text, "fuzz.txt");
        }
    }

    #[test]
    fn random_toml_never_panics(text in toml_fragment()) {
        if let Err(e) = brink_scenario::load_str(&text, "fuzz.toml") {
            prop_assert!(!e.diagnostics().is_empty());
        }
    }

    #[test]
    fn mutated_valid_scenarios_never_panic(cut in 0usize..2000, insert in "[ -~\n]{0,12}") {
        let base = example();
        let mut at = cut.min(base.len());
        while !base.is_char_boundary(at) { at -= 1; }
        let text = format!("{}{}{}", &base[..at], insert, &base[at..]);
        match brink_scenario::load_str(&text, "m.toml") {
            Ok(_) => {}
            Err(e) => prop_assert!(!e.diagnostics().is_empty()),
        }
    }
}
