//! Validation reports only real problems: after the first error in a value, no follow-on errors
//! that are false; actors are named by id; repeated errors are capped (and counted); hints list
//! names in a fixed order; validation stays linear in the number of stances.

use brink_scenario::{load_str, Diagnostic};

const BASE: &str = r#"brink = 1

[scenario]
id = "t"
title = "Test"
as_of = 2021-12-28
question = "Where does it settle?"

[[sources]]
id = "essay"
citation = "An essay"
date = 2021-12-28

[[actors]]
id = "rus"
name = "Russia"
power = 2

[[actors]]
id = "usa"
name = "United States"
power = 3

[[issues]]
id = "nato"
name = "Enlargement"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "none" }, { at = 100, label = "all" }]
status_quo = 10

[[stances]]
actor = "rus"
issue = "nato"
position = { uniform = [70, 90] }
salience = 0.9
evidence = [{ source = "essay", quote = "something" }]

[[stances]]
actor = "usa"
issue = "nato"
position = 20
salience = 0.5
assumed = "a stated reason"
"#;

const CRISIS: &str = r#"
[[crises]]
id = "c"
name = "Crisis"
challenger = ["rus"]
defender = ["usa"]
issues = ["nato"]
model = "compromise"

[[crises.red_lines]]
actor = "rus"
issue = "nato"
threshold = 50
action = "war"
assumed = "a reason"
"#;

fn errors(text: &str) -> Vec<Diagnostic> {
    match load_str(text, "test.toml") {
        Ok(_) => Vec::new(),
        Err(e) => e.diagnostics().to_vec(),
    }
}

fn with(from: &str, to: &str) -> String {
    assert!(BASE.contains(from), "test bug: `{from}` not in BASE");
    BASE.replacen(from, to, 1)
}

/// The reported case: a status quo outside the scale. Before, the `{ uniform }` stance on the
/// issue was also reported ("expected a number, found a table") and the crisis's issue as unknown.
#[test]
fn a_status_quo_outside_the_scale_is_the_only_error() {
    let t = with("status_quo = 10", "status_quo = 150") + CRISIS;
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "issues[0].status_quo");
    assert!(
        errs[0].message.contains("out of range"),
        "{}",
        errs[0].message
    );
}

/// Any error in an issue (here its scale's labels) makes stances, crises, red lines, types and
/// updates that name it fail without an "unknown issue" of their own.
#[test]
fn an_issue_with_an_error_is_not_also_unknown() {
    let extra = r#"
[[types]]
actor = "rus"
id = "x"
name = "X"
prior = 1
assumed = "a reason"
stances = [{ issue = "nato", position = 90 }]

[[updates]]
date = 2021-12-28
what = "something"
assumed = "a reason"
stances = [{ actor = "usa", issue = "nato", position = 30 }]
"#;
    let t = with(
        "points = [{ at = 0, label = \"none\" }, { at = 100, label = \"all\" }]",
        "points = [{ at = 0, label = \"none\" }]",
    ) + CRISIS
        + extra;
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "issues[0].points");
}

/// A stance on an unknown issue: the issue is reported; its distribution is not (its form is
/// checked, its range cannot be).
#[test]
fn a_distribution_on_an_unknown_issue_is_not_a_second_error() {
    let t = with(
        "issue = \"nato\"\nposition = {",
        "issue = \"natoo\"\nposition = {",
    );
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "stances[0].issue");
    assert!(errs[0]
        .message
        .contains("unknown issue `natoo` (did you mean `nato`?)"));
    // A malformed distribution is still reported.
    let t = with(
        "issue = \"nato\"\nposition = { uniform = [70, 90] }",
        "issue = \"natoo\"\nposition = { uniform = [90, 70] }",
    );
    let errs = errors(&t);
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert_eq!(errs[1].path, "stances[0].position.uniform");
}

/// A source with an error of its own (here its date) is not also unknown where it is quoted.
#[test]
fn a_source_with_an_error_is_not_also_unknown() {
    let t = with(
        "date = 2021-12-28\n\n[[actors]]",
        "date = \"yesterday\"\n\n[[actors]]",
    );
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "sources[0].date");
}

/// An actor on both sides of a crisis is named by its id, not its index.
#[test]
fn an_actor_on_both_sides_is_named_by_id() {
    let t =
        BASE.to_string() + &CRISIS.replace("defender = [\"usa\"]", "defender = [\"usa\", \"rus\"]");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "crises[0].defender");
    assert!(
        errs[0].message.contains("actor `rus` is on both sides"),
        "{}",
        errs[0].message
    );
}

/// "expected one of" lists known ids in file order (they came from a hash map and changed order
/// between runs), and at most `MAX_LISTED` of them.
#[test]
fn hints_list_ids_in_file_order() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/fuzz-repro/09-unknown-actor-nondeterministic-message.toml"
    ))
    .unwrap();
    let errs = errors(&text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].message.ends_with(
            "unknown actor `qqqqqqqqqqqq` (expected one of: a, b, actor0, actor1, actor2, actor3, actor4, actor5)"
        ),
        "{}",
        errs[0].message
    );
    // Many ids: the first MAX_LISTED, and how many more.
    let mut t = BASE.to_string();
    for k in 0..40 {
        t.push_str(&format!(
            "\n[[actors]]\nid = \"x{k:02}\"\nname = \"X\"\npower = 1\n"
        ));
    }
    let t = t.replacen("actor = \"usa\"", "actor = \"qqqqqqqqqqqq\"", 1);
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(
        errs[0].message.ends_with("(expected one of: rus, usa, x00, x01, x02, x03, x04, x05, x06, x07, x08, x09, and 30 more)"),
        "{}",
        errs[0].message
    );
}

/// A scenario with many bad rows gives a short list: at most `MAX_REPEATED` of each kind, then a
/// line saying how many more; the total is still counted.
#[test]
fn repeated_errors_are_capped_and_counted() {
    use brink_scenario::limits::MAX_REPEATED;
    let mut t = BASE.to_string();
    for k in 0..500 {
        t.push_str(&format!(
            "\n[[stances]]\nactor = \"nobody{k}\"\nissue = \"nato\"\nposition = 5\nsalience = {}\nassumed = \"r\"\n",
            if k % 2 == 0 { "0.5" } else { "7" }
        ));
    }
    let e = load_str(&t, "test.toml").unwrap_err();
    let d = e.diagnostics();
    // Two kinds (unknown actor x500, salience out of range x250), each listed MAX_REPEATED times
    // and then summarised.
    assert_eq!(d.len(), 2 * MAX_REPEATED + 2, "{d:#?}");
    let summary: Vec<&Diagnostic> = d.iter().filter(|x| x.omitted > 0).collect();
    assert_eq!(summary.len(), 2);
    assert_eq!(summary[0].path, "stances[*].actor");
    assert_eq!(summary[0].omitted, 500 - MAX_REPEATED);
    assert!(
        summary[0].message.starts_with(
            "490 more errors like this not listed (the first: unknown actor `nobody10`)"
        ),
        "{}",
        summary[0].message
    );
    assert_eq!(summary[1].path, "stances[*].salience");
    assert_eq!(summary[1].omitted, 250 - MAX_REPEATED);
    let text = e.to_string();
    assert!(
        text.ends_with("750 errors found (20 listed)"),
        "{}",
        &text[text.len() - 80..]
    );
}

/// Checking is linear in the stances: 2,000 actors by 50 issues (100,000 stances) load in well
/// under the time the old quadratic duplicate check took (it compared every pair). The bound
/// here is generous (a timing assertion only guards against the quadratic blow-up, which took
/// minutes); speed itself is measured by the benchmark, not here.
#[test]
fn many_stances_load() {
    use std::fmt::Write;
    let (na, ni) = (2000, 50);
    let mut t = String::from(
        "brink = 1\n[scenario]\nid = \"big\"\ntitle = \"Big\"\nas_of = 2021-12-28\nquestion = \"q\"\n",
    );
    for a in 0..na {
        let _ = write!(
            t,
            "\n[[actors]]\nid = \"a{a}\"\nname = \"A{a}\"\npower = 1\n"
        );
    }
    for i in 0..ni {
        let _ = write!(t, "\n[[issues]]\nid = \"i{i}\"\nname = \"I{i}\"\nscale = {{ min = 0, max = 100 }}\npoints = [{{ at = 0, label = \"lo\" }}, {{ at = 100, label = \"hi\" }}]\n");
    }
    for a in 0..na {
        for i in 0..ni {
            let _ = write!(t, "\n[[stances]]\nactor = \"a{a}\"\nissue = \"i{i}\"\nposition = {}\nsalience = 0.5\nassumed = \"r\"\n", (a + i) % 101);
        }
    }
    let sc = load_str(&t, "big.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sc.stances.len(), na * ni);
    // A duplicate among them is still found.
    let dup = t + "\n[[stances]]\nactor = \"a7\"\nissue = \"i3\"\nposition = 1\nsalience = 0.5\nassumed = \"r\"\n";
    let errs = errors(&dup);
    assert_eq!(errs.len(), 1);
    assert!(errs[0]
        .message
        .contains("duplicate stance: actor `a7` already has a stance on issue `i3`"));
}
