//! The `[crises.onset]` section: the ICB variables known when a crisis began, each with its
//! evidence; words or codes; errors with file, line, field and the allowed words.

use brink_scenario::{load_str, Diagnostic, Dist, Evidence, OnsetKey, OnsetValue};

const BASE: &str = r#"brink = 1

[scenario]
id = "t"
title = "Test"
as_of = 2021-12-28
question = "War?"

[[sources]]
id = "essay"
citation = "An essay"
date = 2021-12-28

[[sources]]
id = "later"
citation = "A later report"
date = 2022-01-10

[[actors]]
id = "a"
name = "Alpha"
power = 2

[[actors]]
id = "b"
name = "Beta"
power = 1

[[issues]]
id = "i"
name = "Issue"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "none" }, { at = 100, label = "all" }]
status_quo = 10

[[stances]]
actor = "a"
issue = "i"
position = 80
salience = 0.9
assumed = "a reason"

[[stances]]
actor = "b"
issue = "i"
position = 20
salience = 0.5
assumed = "a reason"

[[crises]]
id = "c"
name = "A crisis"
challenger = "a"
defender = "b"
issues = ["i"]

[crises.onset]
date = 2021-11-10
trigger = { value = "non-violent military act", evidence = [{ source = "essay", quote = "troops massed" }] }
triggering_entity = { value = "state", assumed = "Alpha's government" }
power_discrepancy = { value = { triangular = [5, 10, 16] }, assumed = "Alpha is much stronger" }
proximity = { value = "contiguous", assumed = "they share a border" }
protracted = { value = 2, assumed = "an old conflict" }
intra_war = { value = false, assumed = "no war going on" }
region = { value = "east europe", assumed = "where it is" }
ethnic = { value = "irredentist", assumed = "a claim on kin" }

[[crises.onset.actors]]
actor = "b"
regime = { value = "democratic", assumed = "elections" }
nuclear = { value = 1, assumed = "none" }
power_discrepancy = { value = -20, assumed = "weaker" }
alliance = { value = "informal alliance", assumed = "a partner" }

[[crises.onset.actors]]
actor = "a"
date = 2021-12-01
power_status = { value = "great", assumed = "a great power" }
"#;

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "test bug: `{from}` not in BASE");
    BASE.replacen(from, to, 1)
}

fn errors(text: &str) -> Vec<Diagnostic> {
    match load_str(text, "test.toml") {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().to_vec(),
    }
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

/// Exactly one error, on the line containing `needle`, with this path, mentioning `msg`.
fn expect_one(text: &str, needle: &str, path: &str, msg: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = &errs[0];
    assert_eq!(e.line, line_of(text, needle), "wrong line: {e}");
    assert_eq!(e.path, path, "wrong path: {e}");
    assert!(
        e.message.contains(msg),
        "message `{}` lacks `{msg}`",
        e.message
    );
    assert!(e.to_string().starts_with(&format!("test.toml:{}:", e.line)));
}

#[test]
fn a_full_onset_section_reads() {
    let sc = load_str(BASE, "test.toml").unwrap();
    let o = sc.crises[0].onset.as_ref().expect("onset read");
    assert_eq!(o.date.to_string(), "2021-11-10");
    assert_eq!(o.entries.len(), 8);
    let code = |k| match o.get(k).map(|e| &e.value) {
        Some(OnsetValue::Code(c)) => *c,
        other => panic!("{k:?}: {other:?}"),
    };
    assert_eq!(code(OnsetKey::Trigger), 7);
    assert_eq!(
        code(OnsetKey::TriggeringEntity),
        brink_scenario::ENTITY_STATE
    );
    assert_eq!(code(OnsetKey::Proximity), 1);
    assert_eq!(code(OnsetKey::Protracted), 2);
    assert_eq!(code(OnsetKey::Region), 31, "words match case-insensitively");
    assert_eq!(code(OnsetKey::Ethnic), 2);
    match &o.get(OnsetKey::PowerDiscrepancy).unwrap().value {
        OnsetValue::Number(u) => {
            assert!(matches!(u.dist, Dist::Triangular { .. }));
            assert_eq!(u.point, 10.0);
        }
        v => panic!("{v:?}"),
    }
    assert_eq!(
        o.get(OnsetKey::IntraWar).unwrap().value,
        OnsetValue::Flag(false)
    );
    assert!(matches!(
        o.get(OnsetKey::Trigger).unwrap().evidence,
        Evidence::Quotes(_)
    ));
    assert_eq!(o.actors.len(), 2);
    assert_eq!(o.actors[0].actor, 1);
    assert_eq!(o.actors[0].entries.len(), 4);
    match &o.actors[0].get(OnsetKey::PowerDiscrepancy).unwrap().value {
        OnsetValue::Number(u) => assert_eq!(u.point, -20.0, "signed at actor level"),
        v => panic!("{v:?}"),
    }
    assert_eq!(o.actors[1].date.unwrap().to_string(), "2021-12-01");
    // A crisis without the section has none.
    let none = with("[crises.onset]", "[crises.onset_removed]");
    assert!(errors(&none)
        .iter()
        .any(|e| e.path.contains("onset_removed")));
}

#[test]
fn unknown_words_list_the_allowed_ones() {
    let t = with("\"non-violent military act\"", "\"military manoeuvres\"");
    expect_one(
        &t,
        "military manoeuvres",
        "crises[0].onset.trigger.value",
        "unknown trigger `military manoeuvres`: expected one of \"verbal act\" (1), \"political act\" (2)",
    );
    let t = with(
        "value = 2, assumed = \"an old conflict\"",
        "value = 4, assumed = \"x\"",
    );
    expect_one(
        &t,
        "protracted = ",
        "crises[0].onset.protracted.value",
        "4 is not a code of protracted: expected one of \"non-protracted\" (1)",
    );
    let t = with("value = \"state\"", "value = 993");
    expect_one(
        &t,
        "triggering_entity",
        "crises[0].onset.triggering_entity.value",
        "or a state's number (2-990)",
    );
    // A state's number is accepted.
    assert!(errors(&with("value = \"state\"", "value = 365")).is_empty());
}

#[test]
fn types_ranges_and_keys() {
    let t = with("value = false", "value = \"no\"");
    expect_one(
        &t,
        "intra_war",
        "crises[0].onset.intra_war.value",
        "true or false",
    );
    let t = with("value = { triangular = [5, 10, 16] }", "value = -3");
    expect_one(
        &t,
        "power_discrepancy",
        "crises[0].onset.power_discrepancy.value",
        "out of range",
    );
    let t = with(
        "value = 1, assumed = \"none\"",
        "value = 1.5, assumed = \"none\"",
    );
    expect_one(
        &t,
        "nuclear",
        "crises[0].onset.actors[0].nuclear.value",
        "found a float",
    );
    // A crisis-only key in an actor's table, and a typo.
    let t = with("regime = {", "ethnic = {");
    expect_one(
        &t,
        "ethnic = { value = \"democratic\"",
        "crises[0].onset.actors[0].ethnic",
        "unknown key `ethnic`",
    );
    let t = with("proximity = {", "proximmity = {");
    expect_one(
        &t,
        "proximmity",
        "crises[0].onset.proximmity",
        "did you mean `proximity`",
    );
}

#[test]
fn evidence_is_required_and_dated() {
    let t = with(
        "intra_war = { value = false, assumed = \"no war going on\" }",
        "intra_war = { value = false }",
    );
    expect_one(
        &t,
        "intra_war",
        "crises[0].onset.intra_war.evidence",
        "missing evidence",
    );
    let t = with(
        "source = \"essay\", quote = \"troops massed\"",
        "source = \"later\", quote = \"troops massed\"",
    );
    expect_one(
        &t,
        "troops massed",
        "crises[0].onset.trigger.evidence[0].source",
        "after the information cut-off",
    );
}

#[test]
fn dates_and_actors() {
    let t = with("date = 2021-11-10", "date = 2022-02-24");
    expect_one(
        &t,
        "date = 2022-02-24",
        "crises[0].onset.date",
        "after the scenario's as_of",
    );
    let t = with("date = 2021-11-10\n", "");
    expect_one(
        &t,
        "[crises.onset]",
        "crises[0].onset.date",
        "missing required field `date`",
    );
    let t = with("date = 2021-12-01", "date = 2021-10-01");
    expect_one(
        &t,
        "date = 2021-10-01",
        "crises[0].onset.actors[1].date",
        "before the crisis's onset",
    );
    let t = with("actor = \"b\"\nregime", "actor = \"c\"\nregime");
    expect_one(
        &t,
        "actor = \"c\"",
        "crises[0].onset.actors[0].actor",
        "unknown actor `c`",
    );
    let t = with("actor = \"a\"\ndate", "actor = \"b\"\ndate");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "crises[0].onset.actors[1].actor");
    assert!(errs[0].message.contains("already has an onset entry"));
    // Reported at the second actor's table, after the first one.
    assert!(errs[0].line > line_of(&t, "regime = {"), "{}", errs[0]);
}
