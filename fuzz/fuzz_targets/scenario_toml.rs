//! `brink check` / the loading half of every scenario command: brink_scenario::load_str, then
//! what every command does with a loaded scenario before any model runs.
#![no_main]
use libfuzzer_sys::fuzz_target;
include!("common.rs");

fuzz_target!(|data: &[u8]| {
    // The CLI reads with read_to_string: non-UTF-8 never reaches the loader.
    let Ok(text) = std::str::from_utf8(data) else { return };
    match brink_scenario::load_str(text, "fuzz.toml") {
        Err(e) => {
            // The CLI prints the error (line/column computed from byte offsets).
            let _ = e.to_string();
            let _ = e.diagnostics().len();
        }
        Ok(sc) => {
            let _ = sc.point_values();
            // What `run --as-of` does with the scenario's own date and a later one.
            let _ = sc.at(sc.as_of);
            for u in &sc.updates {
                let _ = sc.at(u.date);
            }
            // Validation bounds the number of worlds the types define.
            let _ = sc.worlds();
            for is in &sc.issues {
                let _ = is.nearest_label((is.min + is.max) / 2.0);
            }
            scenario_roundtrip(&sc, "load_str");
        }
    }
});
