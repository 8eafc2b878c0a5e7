//! The revised coding `scenarios/ukraine-2021-12.revised.toml`, made after the outcome: it says so
//! at its top and in its metadata, it is the built-in file with only its crises rewritten, and
//! every quote behind a crisis input, red line or onset variable is found on the line(s) of the
//! captured page that its `note` cites ("line 12: ...", "lines 10, 12: ...").

use brink_scenario::{load_str, Evidence, Scenario};
use toml_edit::{DocumentMut, Item, Value};

const REVISED: &str = include_str!("../../../scenarios/ukraine-2021-12.revised.toml");
const BUILTIN: &str = include_str!("../../../scenarios/ukraine-2021-12.toml");
const CAPTURE: &str = include_str!("../../../tests/data/sources/000_9caa82855e2218fb.txt");
/// The essay's lines in the capture, 1-based and inclusive.
const ESSAY_LINES: (usize, usize) = (5, 26);

fn revised() -> Scenario {
    load_str(REVISED, "scenarios/ukraine-2021-12.revised.toml")
        .unwrap_or_else(|e| panic!("the revised scenario does not load:\n{e}"))
}

/// Curly quotes to straight ones, non-breaking spaces to spaces, runs of whitespace to one space.
fn normalise(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{00A0}' => ' ',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Line `n` (1-based) of the capture, normalised.
fn line(n: usize) -> String {
    normalise(CAPTURE.lines().nth(n - 1).unwrap_or(""))
}

/// The line numbers a note cites at its start: "line 12: ..." or "lines 10, 12, 18: ...".
fn cited_lines(note: &str) -> Option<Vec<usize>> {
    let rest = note
        .strip_prefix("lines ")
        .or_else(|| note.strip_prefix("line "))?;
    let (nums, _) = rest.split_once(':')?;
    nums.split(',')
        .map(|n| n.trim().parse::<usize>().ok())
        .collect()
}

/// The quotes of an `evidence` array.
fn quotes(ev: &Value) -> Vec<String> {
    ev.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|q| q.as_inline_table()?.get("quote")?.as_str())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Checks one item with evidence: a note citing lines, each quote on one of them, each line in
/// the essay.
fn check(what: &str, evidence: Option<&Value>, note: Option<&str>, problems: &mut Vec<String>) {
    let Some(ev) = evidence else { return };
    let qs = quotes(ev);
    let Some(lines) = note.and_then(cited_lines) else {
        problems.push(format!(
            "{what}: quoted evidence without a note citing its line(s) (\"line N: ...\")"
        ));
        return;
    };
    for &n in &lines {
        if n < ESSAY_LINES.0 || n > ESSAY_LINES.1 {
            problems.push(format!(
                "{what}: cites line {n}, outside the essay (lines {}-{})",
                ESSAY_LINES.0, ESSAY_LINES.1
            ));
        }
    }
    for q in qs {
        let needle = normalise(&q);
        if !lines.iter().any(|&n| line(n).contains(&needle)) {
            problems.push(format!("{what}: quote not on line(s) {lines:?}: {q:?}"));
        }
    }
}

fn table_field<'a>(t: &'a toml_edit::Table, key: &str) -> Option<&'a Value> {
    t.get(key).and_then(Item::as_value)
}

#[test]
fn it_is_labelled_as_made_after_the_outcome_at_its_top_and_in_its_metadata() {
    let first = REVISED.lines().next().unwrap();
    assert!(
        first.contains("MADE AFTER THE OUTCOME (2026-12-07)") && first.contains("Not a backtest"),
        "first line: {first}"
    );
    let sc = revised();
    assert!(sc.title.contains("made after the outcome on 2026-12-07"));
    assert!(sc.title.contains("not a backtest"));
    for c in &sc.crises {
        assert!(c.name.contains("made after the outcome"), "{}", c.name);
    }
}

#[test]
fn it_is_the_builtin_file_with_only_its_crises_rewritten() {
    let sc = revised();
    let builtin = load_str(BUILTIN, "scenarios/ukraine-2021-12.toml").unwrap();
    assert_eq!(sc.id, builtin.id, "same id: scored with the same outcomes");
    assert_eq!(sc.as_of, builtin.as_of);
    assert_eq!(sc.sources, builtin.sources);
    assert_eq!(sc.actors, builtin.actors);
    assert_eq!(sc.issues, builtin.issues);
    assert_eq!(sc.stances, builtin.stances);
    assert_eq!(sc.types, builtin.types);
    assert_eq!(sc.updates, builtin.updates);
    assert_ne!(sc.crises, builtin.crises);
}

#[test]
fn ukraine_and_the_west_are_distinct_players_in_mapping_2_with_an_onset_section() {
    let sc = revised();
    let ids = |v: &[usize]| -> Vec<String> { v.iter().map(|&a| sc.actors[a].id.clone()).collect() };
    let standoff = sc.crises.iter().find(|c| c.id == "standoff").unwrap();
    let demands = sc.crises.iter().find(|c| c.id == "demands").unwrap();
    assert_eq!(ids(&standoff.defender), ["ukr"]);
    assert!(!ids(&demands.defender).contains(&"ukr".to_string()));
    assert!(ids(&demands.defender).contains(&"usa".to_string()));
    for c in [standoff, demands] {
        assert_eq!(c.mapping, 2, "{}", c.id);
        assert_eq!(
            c.models.len(),
            7,
            "{}: the settlement model left open",
            c.id
        );
    }
    let onset = standoff.onset.as_ref().expect("an onset section");
    assert!(onset.date <= sc.as_of);
}

#[test]
fn every_quote_in_the_crises_is_on_the_essay_line_its_note_cites() {
    let doc: DocumentMut = REVISED.parse().unwrap();
    let crises = doc["crises"].as_array_of_tables().expect("[[crises]]");
    let mut problems = Vec::new();
    let mut checked = 0;
    for c in crises {
        let id = c["id"].as_str().unwrap_or("?").to_string();
        for (key, item) in c.iter() {
            let Some(t) = item.as_table() else { continue };
            if key == "onset" {
                for (k, v) in t.iter() {
                    let Some(e) = v.as_value().and_then(Value::as_inline_table) else {
                        continue;
                    };
                    checked += e.contains_key("evidence") as usize;
                    check(
                        &format!("{id}.onset.{k}"),
                        e.get("evidence"),
                        e.get("note").and_then(Value::as_str),
                        &mut problems,
                    );
                }
                if let Some(actors) = t.get("actors").and_then(Item::as_array_of_tables) {
                    for a in actors {
                        for (k, v) in a.iter() {
                            let Some(e) = v.as_value().and_then(Value::as_inline_table) else {
                                continue;
                            };
                            checked += e.contains_key("evidence") as usize;
                            check(
                                &format!("{id}.onset.actors.{k}"),
                                e.get("evidence"),
                                e.get("note").and_then(Value::as_str),
                                &mut problems,
                            );
                        }
                    }
                }
                continue;
            }
            checked += t.contains_key("evidence") as usize;
            check(
                &format!("{id}.{key}"),
                table_field(t, "evidence"),
                table_field(t, "note").and_then(Value::as_str),
                &mut problems,
            );
        }
        if let Some(rls) = c.get("red_lines").and_then(Item::as_array_of_tables) {
            for (i, r) in rls.iter().enumerate() {
                checked += r.contains_key("evidence") as usize;
                check(
                    &format!("{id}.red_lines[{i}]"),
                    table_field(r, "evidence"),
                    table_field(r, "note").and_then(Value::as_str),
                    &mut problems,
                );
            }
        }
    }
    assert!(
        checked >= 25,
        "only {checked} quoted items found: the walk is broken"
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_line_check_catches_a_quote_on_another_line() {
    let mut problems = Vec::new();
    let ev: Value =
        "[{ source = \"trenin-2021\", quote = \"he cannot afford to be seen bluffing\" }]"
            .parse()
            .unwrap();
    check("test", Some(&ev), Some("line 12: ok"), &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    check("test", Some(&ev), Some("line 18: wrong"), &mut problems);
    check("test", Some(&ev), None, &mut problems);
    check("test", Some(&ev), Some("line 40: a comment"), &mut problems);
    assert_eq!(problems.len(), 4, "{problems:?}");
}

#[test]
fn crisis_evidence_is_from_the_essay_and_dated_by_as_of() {
    let sc = revised();
    for c in &sc.crises {
        let mut evs: Vec<&Evidence> = c.params.iter().map(|p| &p.evidence).collect();
        evs.extend(c.red_lines.iter().map(|r| &r.evidence));
        for ev in evs {
            if let Evidence::Quotes(qs) = ev {
                for q in qs {
                    let s = &sc.sources[q.source];
                    assert_eq!(s.id, "trenin-2021", "{}: {:?}", c.id, q.quote);
                    assert!(s.date <= sc.as_of);
                }
            }
        }
    }
}
