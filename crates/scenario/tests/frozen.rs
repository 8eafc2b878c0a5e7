//! The frozen scenario `scenarios/ukraine-2021-12.frozen.toml`: the built-in scenario byte for byte
//! as it stood before any outcome was written (`git show b1f8e38^:scenarios/ukraine-2021-12.toml`).
//! It may never change (its SHA-256 is pinned here), nothing in it may be dated after its `as_of`,
//! and it must keep loading as the format grows. Its forecast of record
//! (`scenarios/ukraine-2021-12.record.toml`) must describe this file.

use brink_scenario::{load_record_str, load_str, Scenario};
use sha2::{Digest, Sha256};

const FROZEN: &[u8] = include_bytes!("../../../scenarios/ukraine-2021-12.frozen.toml");
const RECORD: &str = include_str!("../../../scenarios/ukraine-2021-12.record.toml");
/// The SHA-256 of the file as committed before the outcomes (commit 8a98811).
const PINNED: &str = "8396fbf38524206f472853fa67acfb619fc66a17442b9044dd31f5e2112eeda3";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn frozen() -> Scenario {
    let text = std::str::from_utf8(FROZEN).expect("the frozen file is UTF-8");
    load_str(text, "scenarios/ukraine-2021-12.frozen.toml")
        .unwrap_or_else(|e| panic!("the frozen scenario no longer loads:\n{e}"))
}

/// Everything in a scenario that carries a date later than its `as_of`.
fn dated_after_as_of(sc: &Scenario) -> Vec<String> {
    let mut late = Vec::new();
    for s in &sc.sources {
        if s.date > sc.as_of {
            late.push(format!("source `{}` dated {}", s.id, s.date));
        }
    }
    for u in &sc.updates {
        if u.date > sc.as_of {
            late.push(format!("update `{}` dated {}", u.what, u.date));
        }
    }
    late
}

#[test]
fn the_frozen_file_is_byte_identical_to_the_pre_outcome_version() {
    assert_eq!(
        sha256(FROZEN),
        PINNED,
        "scenarios/ukraine-2021-12.frozen.toml changed. It is the forecast as made before the \
         outcome and must never change: put anything new in a separate, dated file labelled as \
         added after the outcome"
    );
}

#[test]
fn the_frozen_file_loads_and_nothing_in_it_is_dated_after_its_as_of() {
    let sc = frozen();
    assert_eq!(sc.id, "ukraine-2021-12");
    assert_eq!(sc.as_of.to_string(), "2021-12-28");
    assert_eq!(sc.issues.len(), 5);
    assert_eq!(sc.crises.len(), 1);
    let late = dated_after_as_of(&sc);
    assert!(late.is_empty(), "dated after as_of: {late:?}");
}

#[test]
fn the_date_check_catches_a_later_source() {
    // The same check on a copy with one more source, dated after the cut-off.
    let text = std::str::from_utf8(FROZEN).unwrap().to_string()
        + "\n[[sources]]\nid = \"later\"\ncitation = \"a later source\"\ndate = 2022-01-10\n";
    let sc = load_str(&text, "copy.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        dated_after_as_of(&sc),
        vec!["source `later` dated 2022-01-10"]
    );
}

#[test]
fn the_forecast_of_record_describes_the_frozen_file() {
    let sc = frozen();
    let r = load_record_str(RECORD, "scenarios/ukraine-2021-12.record.toml")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.sha256, sha256(FROZEN));
    assert_eq!(r.file, "ukraine-2021-12.frozen.toml");
    assert_eq!((r.scenario.as_str(), r.as_of), (sc.id.as_str(), sc.as_of));
    assert_eq!(r.draws, 2000);
    for c in &r.crises {
        assert!(sc.crises.iter().any(|x| x.id == c.crisis), "{}", c.crisis);
    }
    let ids: Vec<&str> = r.issues.iter().map(|i| i.issue.as_str()).collect();
    let want: Vec<&str> = sc.issues.iter().map(|i| i.id.as_str()).collect();
    assert_eq!(
        ids, want,
        "the record has a forecast for each issue of the frozen file"
    );
}
