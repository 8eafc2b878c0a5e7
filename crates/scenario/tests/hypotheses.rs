//! Rival hypotheses (types) and dated updates: Bayes' rule exactly, one type changes nothing, the
//! scenario as of its own cut-off is the scenario without updates, and evidence dated after the
//! date in force is refused.

use brink_scenario::{load_str, Date};

const BASE: &str = r#"brink = 1
[scenario]
id = "h"
title = "Hypotheses"
as_of = 2021-12-28
question = "?"

[[sources]]
id = "s0"
citation = "Early source"
date = 2021-12-01

[[sources]]
id = "s1"
citation = "Later source"
date = 2022-01-10

[[actors]]
id = "a"
name = "A"
power = 1

[[actors]]
id = "b"
name = "B"
power = 1

[[issues]]
id = "i"
name = "I"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "lo" }, { at = 100, label = "hi" }]
status_quo = 0

[[stances]]
actor = "a"
issue = "i"
position = 80
salience = 1
assumed = "a test stance for the hypotheses"

[[stances]]
actor = "b"
issue = "i"
position = 20
salience = 1
assumed = "a test stance for the hypotheses"
"#;

const TYPES: &str = r#"
[[types]]
actor = "a"
id = "soft"
name = "soft"
prior = 3
assumed = "a test prior for the soft type"
stances = [{ issue = "i", position = 40 }]

[[types]]
actor = "a"
id = "hard"
name = "hard"
prior = 1
assumed = "a test prior for the hard type"
stances = [{ issue = "i", position = 100 }]

[[updates]]
date = 2022-01-10
what = "A says something"
evidence = [{ source = "s1", quote = "words" }]
likelihoods = [{ type = "a.soft", likelihood = 0.2 }, { type = "a.hard", likelihood = 0.8 }]
stances = [{ actor = "b", issue = "i", position = 30 }]

[[updates]]
date = 2022-02-01
what = "A says more"
evidence = [{ source = "s1", quote = "more words" }]
likelihoods = [{ type = "a.soft", likelihood = 0.5 }, { type = "a.hard", likelihood = 0.25 }]
"#;

fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn posteriors_follow_bayes_rule_exactly() {
    let sc = load_str(&format!("{BASE}{TYPES}"), "h.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((sc.types[0].prior, sc.types[1].prior), (0.75, 0.25));
    let at = |date: &str| sc.at(d(date)).unwrap();
    let s = at("2021-12-28");
    assert_eq!((s.types[0].posterior, s.applied), (0.75, 0));
    // After the first update: 0.75*0.2 : 0.25*0.8 = 0.15 : 0.2.
    let s = at("2022-01-10");
    assert!((s.types[0].posterior - 0.15 / 0.35).abs() < 1e-15);
    assert!((s.types[1].posterior - 0.2 / 0.35).abs() < 1e-15);
    assert_eq!(s.stances[1].position.point, 30.0);
    // After both: 0.15*0.5 : 0.2*0.25 = 0.075 : 0.05.
    let s = at("2022-03-01");
    assert!((s.types[0].posterior - 0.075 / 0.125).abs() < 1e-15);
    assert_eq!(s.applied, 2);
    // The worlds and their weights.
    let w = s.worlds();
    assert_eq!(w.len(), 2);
    assert!((w[0].0 - 0.6).abs() < 1e-15 && (w[1].0 - 0.4).abs() < 1e-15);
    assert_eq!(w[0].2.stances[0].position.point, 40.0);
    assert_eq!(w[1].2.stances[0].position.point, 100.0);
    assert!(sc.at(d("2021-12-01")).is_err(), "before the cut-off");
}

#[test]
fn one_type_is_the_scenario_without_types() {
    let plain = load_str(BASE, "h.toml").unwrap();
    let one = load_str(&format!("{BASE}\n[[types]]\nactor = \"a\"\nid = \"only\"\nname = \"only\"\nprior = 0.3\nassumed = \"a single hypothesis about A\"\n"), "h.toml").unwrap();
    let w = one.worlds();
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].0, 1.0);
    assert_eq!(w[0].2.stances, plain.stances);
    assert_eq!(w[0].2.point_values(), plain.point_values());
}

#[test]
fn the_scenario_at_its_own_cut_off_ignores_later_updates() {
    let with = load_str(&format!("{BASE}{TYPES}"), "h.toml").unwrap();
    let s = with.at(with.as_of).unwrap();
    assert_eq!(s.applied, 0);
    assert_eq!(s.point_values(), with.point_values());
}

#[test]
fn evidence_dated_after_the_date_in_force_is_refused() {
    // A stance citing the later source as evidence for the 2021-12-28 scenario.
    let t = BASE.replacen(
        "assumed = \"a test stance for the hypotheses\"",
        "evidence = [{ source = \"s1\", quote = \"later words\" }]",
        1,
    );
    let e = load_str(&t, "h.toml").unwrap_err();
    assert!(
        e.to_string()
            .contains("source `s1` is dated 2022-01-10, after the information cut-off 2021-12-28"),
        "{e}"
    );
    // An update citing a source dated after the update itself.
    let t =
        format!("{BASE}{TYPES}").replacen("date = 2022-01-10\nwhat", "date = 2022-01-05\nwhat", 1);
    let e = load_str(&t, "h.toml").unwrap_err();
    let d = e
        .diagnostics()
        .iter()
        .find(|d| d.path.starts_with("updates["))
        .unwrap_or_else(|| panic!("{e}"));
    assert!(
        d.message
            .contains("after the information cut-off 2022-01-05"),
        "{}",
        d.message
    );
    // Unknown type names are caught with the field.
    let t = format!("{BASE}{TYPES}").replacen("a.hard", "a.harsh", 1);
    let e = load_str(&t, "h.toml").unwrap_err();
    assert!(e.to_string().contains("unknown type `a.harsh`"), "{e}");
}
