//! Every validation rule of the scenario format: the error names the file, the line and the
//! field path, all errors are reported at once, and no input panics.

use brink_scenario::{load_outcomes_str, load_str, Diagnostic, Dist, Evidence};

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
power = { triangular = [1, 2, 3] }

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
evidence = [{ source = "essay", quote = "something" }]

[[stances]]
actor = "b"
issue = "i"
position = 20
salience = 0.5
assumed = "a stated reason for this number"
"#;

/// Replaces the first occurrence of `from` (which must exist) in BASE.
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

/// 1-based line of the first line containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}

/// Asserts exactly one error, on the line containing `needle`, whose path is `path` and whose
/// message contains `msg`.
fn expect_one(text: &str, needle: &str, path: &str, msg: &str) {
    let errs = errors(text);
    assert_eq!(errs.len(), 1, "expected one error, got {errs:#?}");
    let e = &errs[0];
    assert_eq!(e.file, "test.toml");
    assert_eq!(e.line, line_of(text, needle), "wrong line: {e}");
    assert_eq!(e.path, path, "wrong path: {e}");
    assert!(
        e.message.contains(msg),
        "message `{}` lacks `{msg}`",
        e.message
    );
    assert!(e.column >= 1);
    // The rendered form names file, line and field.
    let s = e.to_string();
    assert!(
        s.starts_with(&format!("test.toml:{}:", e.line)) && s.contains(path),
        "{s}"
    );
}

#[test]
fn the_base_scenario_is_valid() {
    let sc = load_str(BASE, "test.toml").expect("valid");
    assert_eq!(sc.actors.len(), 2);
    assert_eq!(sc.stances.len(), 2);
    assert_eq!(sc.actors[1].power.point, 2.0);
    assert!(matches!(sc.stances[1].evidence, Evidence::Assumed(_)));
}

#[test]
fn unknown_actor_in_a_stance() {
    let t = with("actor = \"b\"", "actor = \"c\"");
    expect_one(&t, "actor = \"c\"", "stances[1].actor", "unknown actor `c`");
}

#[test]
fn unknown_issue_in_a_stance() {
    let t = with(
        "issue = \"i\"\nposition = 80",
        "issue = \"j\"\nposition = 80",
    );
    expect_one(&t, "issue = \"j\"", "stances[0].issue", "unknown issue `j`");
}

#[test]
fn duplicate_actor_id() {
    let t = with("id = \"b\"", "id = \"a\"");
    let errs = errors(&t);
    assert!(!errs.is_empty());
    let e = errs
        .iter()
        .find(|e| e.message.contains("duplicate actor id `a`"))
        .expect("duplicate reported");
    assert_eq!(e.path, "actors[1].id");
    assert_eq!(e.line, line_of(&t, "name = \"Beta\"") - 1);
}

#[test]
fn duplicate_issue_source_and_stance() {
    let t = with("id = \"later\"", "id = \"essay\"");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(
        (errs[0].path.as_str(), errs[0].line),
        ("sources[1].id", line_of(&t, "citation = \"A later") - 1)
    );
    assert!(errs[0].message.contains("duplicate source id `essay`"));
    let t = with("actor = \"b\"", "actor = \"a\"");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(errs[0].path, "stances[1]");
    assert!(errs[0].message.contains("duplicate stance"));
    let extra = format!("{BASE}\n[[issues]]\nid = \"i\"\nname = \"Again\"\nscale = {{ min = 0, max = 1 }}\npoints = [{{ at = 0, label = \"x\" }}, {{ at = 1, label = \"y\" }}]\n");
    let errs = errors(&extra);
    assert!(
        errs.iter()
            .any(|e| e.path == "issues[1].id" && e.message.contains("duplicate issue id")),
        "{errs:#?}"
    );
}

#[test]
fn position_outside_the_scale() {
    let t = with("position = 80", "position = 180");
    expect_one(&t, "position = 180", "stances[0].position", "out of range");
}

#[test]
fn salience_outside_unit_interval() {
    let t = with("salience = 0.9", "salience = 1.5");
    expect_one(
        &t,
        "salience = 1.5",
        "stances[0].salience",
        "must be in [0, 1]",
    );
    let t = with("salience = 0.9", "salience = -0.1");
    expect_one(&t, "salience = -0.1", "stances[0].salience", "out of range");
}

#[test]
fn power_must_be_positive() {
    let t = with("power = 2", "power = 0");
    expect_one(&t, "power = 0", "actors[0].power", "must be > 0");
    let t = with("power = 2", "power = -3");
    expect_one(&t, "power = -3", "actors[0].power", "must be > 0");
}

#[test]
fn an_empty_scenario_is_refused() {
    let t =
        "brink = 1\n[scenario]\nid = \"e\"\ntitle = \"E\"\nas_of = 2021-01-01\nquestion = \"?\"\n";
    let errs = errors(t);
    assert_eq!(errs.len(), 3, "{errs:#?}");
    for (e, what) in errs.iter().zip(["actors", "issues", "stances"]) {
        assert_eq!(e.path, what);
        assert!(e.message.contains("no "), "{e}");
        assert_eq!(e.line, 1);
    }
    let errs = errors(&with(
        "[[stances]]\nactor = \"a\"",
        "[[stancesx]]\nactor = \"a\"",
    ));
    assert!(
        errs.iter()
            .any(|e| e.message.contains("unknown key `stancesx`")
                && e.message.contains("did you mean `stances`")),
        "{errs:#?}"
    );
}

#[test]
fn distributions_lo_above_hi() {
    let t = with(
        "power = { triangular = [1, 2, 3] }",
        "power = { triangular = [3, 2, 1] }",
    );
    expect_one(
        &t,
        "triangular = [3, 2, 1]",
        "actors[1].power.triangular",
        "lo <= mode <= hi",
    );
    let t = with("position = 20", "position = { uniform = [30, 20] }");
    expect_one(
        &t,
        "uniform = [30, 20]",
        "stances[1].position.uniform",
        "lo <= hi",
    );
    let t = with(
        "position = 20",
        "position = { beta = { alpha = 2, beta = 2, lo = 50, hi = 40 } }",
    );
    expect_one(&t, "beta = {", "stances[1].position.beta", "lo < hi");
}

#[test]
fn distributions_sd_and_shape_parameters() {
    let t = with(
        "position = 20",
        "position = { normal = { mean = 20, sd = 0 } }",
    );
    expect_one(
        &t,
        "normal =",
        "stances[1].position.normal.sd",
        "sd must be > 0",
    );
    let t = with(
        "position = 20",
        "position = { normal = { mean = 20, sd = -2 } }",
    );
    expect_one(
        &t,
        "normal =",
        "stances[1].position.normal.sd",
        "sd must be > 0",
    );
    let t = with(
        "salience = 0.5",
        "salience = { beta = { alpha = 0, beta = 2 } }",
    );
    expect_one(
        &t,
        "beta =",
        "stances[1].salience.beta",
        "alpha and beta must be > 0",
    );
}

#[test]
fn distribution_support_outside_the_valid_range() {
    let t = with("position = 20", "position = { uniform = [-10, 20] }");
    expect_one(
        &t,
        "uniform = [-10, 20]",
        "stances[1].position.uniform",
        "outside the valid range",
    );
    let t = with(
        "salience = 0.5",
        "salience = { triangular = [0.5, 0.9, 1.2] }",
    );
    expect_one(
        &t,
        "triangular = [0.5",
        "stances[1].salience.triangular",
        "outside the valid range",
    );
    let t = with("power = 2", "power = { uniform = [0, 2] }");
    expect_one(
        &t,
        "uniform = [0, 2]",
        "actors[0].power.uniform",
        "outside the valid range",
    );
    let t = with(
        "position = 20",
        "position = { normal = { mean = 120, sd = 5 } }",
    );
    expect_one(
        &t,
        "normal =",
        "stances[1].position.normal.mean",
        "outside the valid range",
    );
    let t = with(
        "position = 20",
        "position = { uniform = [10, 30], point = 40 }",
    );
    expect_one(
        &t,
        "uniform = [10, 30], point = 40",
        "stances[1].position.point",
        "outside the distribution's support",
    );
}

#[test]
fn point_estimates_of_distributions() {
    let t = with(
        "position = 20",
        "position = { normal = { mean = 20, sd = 5 } }",
    )
    .replacen(
        "salience = 0.5",
        "salience = { beta = { alpha = 3, beta = 1 } }",
        1,
    )
    .replacen(
        "status_quo = 10",
        "status_quo = { uniform = [0, 30], point = 5 }",
        1,
    );
    let sc = load_str(&t, "t.toml").expect("valid");
    assert_eq!(sc.stances[1].position.point, 20.0);
    assert!(
        matches!(sc.stances[1].position.dist, Dist::Normal { lo, hi, .. } if lo == 0.0 && hi == 100.0)
    );
    assert_eq!(sc.stances[1].salience.point, 0.75);
    assert_eq!(sc.issues[0].status_quo.as_ref().unwrap().point, 5.0);
    assert_eq!(sc.actors[1].power.point, 2.0);
    let t = with("position = 20", "position = { uniform = [10, 40] }");
    assert_eq!(load_str(&t, "t").unwrap().stances[1].position.point, 25.0);
}

#[test]
fn a_quote_naming_an_unknown_source() {
    let t = with("source = \"essay\"", "source = \"esay\"");
    expect_one(
        &t,
        "source = \"esay\"",
        "stances[0].evidence[0].source",
        "unknown source `esay` (did you mean `essay`?)",
    );
}

#[test]
fn a_source_dated_after_as_of_used_as_evidence() {
    let t = with("source = \"essay\"", "source = \"later\"");
    expect_one(
        &t,
        "source = \"later\"",
        "stances[0].evidence[0].source",
        "after the information cut-off 2021-12-28",
    );
}

#[test]
fn nan_and_infinite_numbers() {
    let t = with("position = 80", "position = nan");
    expect_one(&t, "position = nan", "stances[0].position", "finite");
    let t = with("power = 2", "power = inf");
    expect_one(&t, "power = inf", "actors[0].power", "finite");
    let t = with("position = 20", "position = { triangular = [0, 20, inf] }");
    expect_one(&t, "inf", "stances[1].position.triangular[2]", "finite");
}

#[test]
fn unknown_keys_are_typos() {
    let t = with("salience = 0.9", "salience = 0.9\nsalince = 0.9");
    expect_one(
        &t,
        "salince",
        "stances[0].salince",
        "did you mean `salience`?",
    );
    let t = with(
        "as_of = 2021-12-28",
        "as_of = 2021-12-28\nasof = 2021-12-28",
    );
    expect_one(&t, "asof =", "scenario.asof", "did you mean `as_of`?");
    let t = with(
        "power = { triangular = [1, 2, 3] }",
        "power = { triangle = [1, 2, 3] }",
    );
    let errs = errors(&t);
    assert!(
        errs.iter().any(|e| e.path == "actors[1].power.triangle"
            && e.message.contains("did you mean `triangular`")),
        "{errs:#?}"
    );
}

#[test]
fn missing_evidence_and_missing_fields() {
    let t = with("assumed = \"a stated reason for this number\"\n", "");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!(
        (errs[0].path.as_str(), errs[0].line),
        ("stances[1].evidence", line_of(&t, "actor = \"b\"") - 1)
    );
    assert!(errs[0].message.contains("missing evidence"));
    let t = with("name = \"Beta\"\n", "");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    // Reported at the table that lacks it.
    assert_eq!(
        (errs[0].path.as_str(), errs[0].line),
        ("actors[1].name", line_of(&t, "id = \"b\"") - 1)
    );
    assert!(errs[0].message.contains("missing required field `name`"));
}

#[test]
fn every_error_is_reported_at_once() {
    let t = with("position = 80", "position = 180")
        .replacen("salience = 0.5", "salience = 2", 1)
        .replacen("power = 2", "power = -1", 1)
        .replacen("source = \"essay\"", "source = \"nope\"", 1);
    let errs = errors(&t);
    assert_eq!(errs.len(), 4, "{errs:#?}");
    // In file order.
    let lines: Vec<usize> = errs.iter().map(|e| e.line).collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    let msg = load_str(&t, "test.toml").unwrap_err().to_string();
    assert!(msg.ends_with("4 errors found"), "{msg}");
}

#[test]
fn syntax_errors_name_the_line() {
    let t = with("position = 80", "position = = 80");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, line_of(&t, "position = = 80"));
    assert!(errs[0].message.contains("TOML syntax error"));
}

#[test]
fn scale_and_labels() {
    let t = with(
        "scale = { min = 0, max = 100 }",
        "scale = { min = 100, max = 0 }",
    );
    let errs = errors(&t);
    assert!(
        errs.iter()
            .any(|e| e.path == "issues[0].scale" && e.message.contains("min < max")),
        "{errs:#?}"
    );
    let t = with(
        "{ at = 100, label = \"all\" }",
        "{ at = 90, label = \"most\" }",
    );
    expect_one(
        &t,
        "points =",
        "issues[0].points",
        "both ends of the scale need a label",
    );
    let t = with("status_quo = 10", "status_quo = 101");
    expect_one(
        &t,
        "status_quo = 101",
        "issues[0].status_quo",
        "out of range",
    );
}

#[test]
fn wrong_types_and_versions() {
    let t = with("position = 80", "position = \"high\"");
    expect_one(
        &t,
        "position = \"high\"",
        "stances[0].position",
        "expected a number or a distribution",
    );
    let t = with("brink = 1", "brink = 2");
    expect_one(&t, "brink = 2", "brink", "not supported");
    let t = with("as_of = 2021-12-28", "as_of = \"2021-02-30\"");
    expect_one(
        &t,
        "as_of = \"2021-02-30\"",
        "scenario.as_of",
        "is not a date",
    );
    // A TOML date literal that is not a real date is a syntax error, still with its line.
    let t = with("as_of = 2021-12-28", "as_of = 2021-02-30");
    let errs = errors(&t);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].line, line_of(&t, "as_of = 2021-02-30"));
}

#[test]
fn outcomes_files() {
    let ok = r#"brink = 1
scenario = "t"
horizon = 2024-12-31

[[sources]]
id = "news"
citation = "A report"
date = 2023-07-11

[[issues]]
issue = "i"
value = 0
date = 2023-07-11
evidence = [{ source = "news", quote = "q" }]
"#;
    let o = load_outcomes_str(ok, "o.toml").expect("valid");
    assert_eq!(o.value_of("i"), Some(0.0));
    let sc = load_str(BASE, "t").unwrap();
    assert!(o.check_against(&sc).is_empty());
    let bad = ok.replacen(
        "date = 2023-07-11\nevidence",
        "date = 2025-01-01\nevidence",
        1,
    );
    let e = load_outcomes_str(&bad, "o.toml").unwrap_err();
    let d = &e.diagnostics()[0];
    assert_eq!(
        (d.path.as_str(), d.line),
        ("issues[0].date", line_of(&bad, "date = 2025-01-01"))
    );
    let unknown = ok.replacen("issue = \"i\"", "issue = \"zz\"", 1);
    let o = load_outcomes_str(&unknown, "o.toml").unwrap();
    assert_eq!(
        o.check_against(&sc),
        vec!["outcome for unknown issue `zz`".to_string()]
    );
}
