// Shared helpers for the brink fuzz targets (included with `include!`).
//
// Default mode: panics, hangs and out-of-memory are the findings (libFuzzer reports them).
// Strict mode (env BRINK_FUZZ_STRICT=1): also asserts the invariants brink documents: what a
// writer produces loads back with the same actors, issues and stances; forecasts hold no NaN.

#[allow(dead_code)]
fn strict() -> bool {
    use std::sync::OnceLock;
    static S: OnceLock<bool> = OnceLock::new();
    *S.get_or_init(|| std::env::var_os("BRINK_FUZZ_STRICT").is_some())
}

/// The actors, issues and stances of a scenario by id, for comparing a scenario with what its
/// TOML loads back as.
#[allow(dead_code)]
fn shape(sc: &brink_scenario::Scenario) -> (Vec<String>, Vec<String>, Vec<(String, String, f64, f64)>) {
    (
        sc.actors.iter().map(|a| a.id.clone()).collect(),
        sc.issues.iter().map(|i| i.id.clone()).collect(),
        sc.stances
            .iter()
            .map(|s| {
                (
                    sc.actors[s.actor].id.clone(),
                    sc.issues[s.issue].id.clone(),
                    s.position.point,
                    s.salience.point,
                )
            })
            .collect(),
    )
}

/// What `brink import` does with an accepted scenario: write it as TOML; in strict mode, read it
/// back (`brink check` on the written file) and compare actors, issues and stances.
#[allow(dead_code)]
fn scenario_roundtrip(sc: &brink_scenario::Scenario, what: &str) {
    let text = brink_scenario::scenario_to_toml(sc);
    if strict() {
        match brink_scenario::load_str(&text, "roundtrip.toml") {
            Ok(back) => assert!(
                shape(&back) == shape(sc),
                "{what}: actors, issues or stances changed in the round trip\n--- text ---\n{text}"
            ),
            Err(e) => panic!("{what}: scenario_to_toml output does not load back:\n{e}\n--- text ---\n{text}"),
        }
    }
}

/// An importer's whole output: the scenario round trip, and the outcomes file (when the data carry
/// one) loads back and fits the scenario.
#[allow(dead_code)]
fn import_roundtrip(format: brink_scenario::import::Format, data: &[u8], what: &str) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match brink_scenario::import::import(format, text, "dir/fuzz-input.csv") {
        Err(e) => {
            let _ = e.to_string();
        }
        Ok(imp) => {
            scenario_roundtrip(&imp.scenario, what);
            if let Some(o) = &imp.outcomes {
                let t = brink_scenario::outcomes_to_toml(o);
                if strict() {
                    match brink_scenario::load_outcomes_str(&t, "roundtrip.outcomes.toml") {
                        Ok(back) => {
                            let errs = back.check_against(&imp.scenario);
                            assert!(errs.is_empty(), "{what}: outcomes do not fit the scenario: {errs:?}\n{t}");
                        }
                        Err(e) => panic!("{what}: outcomes_to_toml output does not load back:\n{e}\n--- text ---\n{t}"),
                    }
                }
            }
        }
    }
}
