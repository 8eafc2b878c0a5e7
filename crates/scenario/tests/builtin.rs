//! The built-in scenario `scenarios/ukraine-2021-12.toml`: it loads, it covers the parties and
//! issues of its source, and every quote in it is found in the source text it cites.
//!
//! The source is a captured web page (`tests/data/sources/000_9caa82855e2218fb.txt`, described in
//! the README next to it). Only lines 5-26 are the essay, dated 2021-12-28; the rest is later
//! (an editor's note and reader comments from January 2022) and must not be quoted as evidence.

use brink_scenario::{load_str, Evidence, Scenario};

const SCENARIO: &str = include_str!("../../../scenarios/ukraine-2021-12.toml");
const CAPTURE: &str = include_str!("../../../tests/data/sources/000_9caa82855e2218fb.txt");

/// The essay's lines in the capture, 1-based and inclusive.
const ESSAY_LINES: (usize, usize) = (5, 26);
/// The source id the essay is cited under.
const ESSAY_ID: &str = "trenin-2021";

const ACTORS: &[&str] = &[
    "rus",
    "usa",
    "ukr",
    "deu",
    "fra",
    "gbr",
    "nato_east",
    "blr",
    "chn",
];
const ISSUES: &[&str] = &[
    "enlargement",
    "infrastructure",
    "military_aid",
    "missiles",
    "donbas",
];

/// Reasons too generic to count as a reason.
const GENERIC: &[&str] = &[
    "assumed",
    "assumption",
    "judgement",
    "judgment",
    "my judgement",
    "author's judgement",
    "estimate",
    "guess",
    "educated guess",
    "expert judgement",
    "placeholder",
    "unknown",
    "n/a",
    "tbd",
    "todo",
    "see above",
    "no source",
];
const MIN_REASON_CHARS: usize = 25;

fn scenario() -> Scenario {
    match load_str(SCENARIO, "scenarios/ukraine-2021-12.toml") {
        Ok(s) => s,
        Err(e) => panic!("the built-in scenario does not load:\n{e}"),
    }
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

/// The essay: lines 5-26 of the capture, normalised.
fn essay() -> String {
    let (first, last) = ESSAY_LINES;
    let lines: Vec<&str> = CAPTURE
        .lines()
        .skip(first - 1)
        .take(last - first + 1)
        .collect();
    assert_eq!(
        lines.len(),
        last - first + 1,
        "the capture is shorter than expected"
    );
    assert!(
        lines[0].starts_with("What Putin Really Wants in Ukraine"),
        "line {first} of the capture is not the essay's title: {:?}",
        lines[0]
    );
    normalise(&lines.join("\n"))
}

/// Problems with one piece of evidence, described as `what` (e.g. "stance rus/enlargement").
fn check_evidence(
    sc: &Scenario,
    essay: &str,
    what: &str,
    ev: &Evidence,
    problems: &mut Vec<String>,
) {
    match ev {
        Evidence::Quotes(quotes) => {
            if quotes.is_empty() {
                problems.push(format!("{what}: evidence has no quotes"));
            }
            for q in quotes {
                let src = &sc.sources[q.source];
                if src.id != ESSAY_ID {
                    problems.push(format!(
                        "{what}: quote from source `{}`, which has no text to check against: {:?}",
                        src.id, q.quote
                    ));
                    continue;
                }
                let needle = normalise(&q.quote);
                if needle.len() < 10 {
                    problems.push(format!(
                        "{what}: quote too short to mean anything: {:?}",
                        q.quote
                    ));
                } else if !essay.contains(&needle) {
                    problems.push(format!(
                        "{what}: quote not found in lines {}-{} of the essay: {:?}",
                        ESSAY_LINES.0, ESSAY_LINES.1, q.quote
                    ));
                }
            }
        }
        Evidence::Assumed(reason) => {
            let r = normalise(reason);
            let bare = r
                .trim_matches(|c: char| c.is_ascii_punctuation() || c == ' ')
                .to_lowercase();
            if r.chars().count() < MIN_REASON_CHARS || GENERIC.contains(&bare.as_str()) {
                problems.push(format!(
                    "{what}: `assumed` needs a specific reason (at least {MIN_REASON_CHARS} characters, saying what the number rests on), found {reason:?}"
                ));
            } else if r.split(' ').count() < 4 {
                problems.push(format!(
                    "{what}: `assumed` reason is not a sentence: {reason:?}"
                ));
            }
        }
    }
}

fn stance_name(sc: &Scenario, i: usize) -> String {
    let s = &sc.stances[i];
    format!(
        "stances[{i}] {}/{}",
        sc.actors[s.actor].id, sc.issues[s.issue].id
    )
}

fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn loads_with_its_actors_and_issues() {
    let sc = scenario();
    assert_eq!(sc.id, "ukraine-2021-12");
    assert_eq!(sc.as_of.to_string(), "2021-12-28");
    let mut problems = Vec::new();
    for a in ACTORS {
        if sc.actor_index(a).is_none() {
            problems.push(format!("missing actor `{a}`"));
        }
    }
    for i in ISSUES {
        if sc.issue_index(i).is_none() {
            problems.push(format!("missing issue `{i}`"));
        }
    }
    for is in &sc.issues {
        let labelled = |x: f64| {
            is.points
                .iter()
                .any(|p| p.at == x && !p.label.trim().is_empty())
        };
        if !labelled(is.min) || !labelled(is.max) {
            problems.push(format!(
                "issue `{}`: both ends of the scale need a label",
                is.id
            ));
        }
        if (is.min, is.max) != (0.0, 100.0) {
            problems.push(format!(
                "issue `{}`: scale is [{}, {}], expected [0, 100]",
                is.id, is.min, is.max
            ));
        }
        if is.status_quo.is_none() || is.status_quo_evidence.is_none() {
            problems.push(format!(
                "issue `{}`: needs a status quo with evidence",
                is.id
            ));
        }
    }
    for (i, s) in sc.stances.iter().enumerate() {
        if sc.stances[..i]
            .iter()
            .any(|t| t.actor == s.actor && t.issue == s.issue)
        {
            problems.push(format!("{}: duplicate", stance_name(&sc, i)));
        }
    }
    report(problems);
}

#[test]
fn every_stance_is_quoted_from_the_essay_or_says_why_not() {
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    for (i, s) in sc.stances.iter().enumerate() {
        check_evidence(
            &sc,
            &essay,
            &stance_name(&sc, i),
            &s.evidence,
            &mut problems,
        );
    }
    report(problems);
}

#[test]
fn at_least_two_thirds_of_the_stances_are_quoted() {
    let sc = scenario();
    let quoted = sc
        .stances
        .iter()
        .filter(|s| matches!(s.evidence, Evidence::Quotes(_)))
        .count();
    let total = sc.stances.len();
    assert!(total > 0);
    assert!(
        3 * quoted >= 2 * total,
        "only {quoted} of {total} stances carry quotes; at least two thirds must"
    );
}

#[test]
fn every_source_used_is_dated_on_or_before_as_of() {
    let sc = scenario();
    let mut problems = Vec::new();
    let mut check = |what: String, ev: Option<&Evidence>| {
        if let Some(Evidence::Quotes(qs)) = ev {
            for q in qs {
                let src = &sc.sources[q.source];
                if src.date > sc.as_of {
                    problems.push(format!(
                        "{what}: source `{}` is dated {}, after as_of {}",
                        src.id, src.date, sc.as_of
                    ));
                }
            }
        }
    };
    for a in &sc.actors {
        check(format!("actor {}", a.id), a.evidence.as_ref());
    }
    for is in &sc.issues {
        check(format!("issue {}", is.id), is.status_quo_evidence.as_ref());
    }
    for (i, s) in sc.stances.iter().enumerate() {
        check(stance_name(&sc, i), Some(&s.evidence));
    }
    let essay_src = sc
        .sources
        .iter()
        .find(|s| s.id == ESSAY_ID)
        .expect("the essay is a source");
    assert_eq!(essay_src.date.to_string(), "2021-12-28");
    report(problems);
}

#[test]
fn power_and_status_quo_evidence_is_checked_the_same_way() {
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    for a in &sc.actors {
        match &a.evidence {
            Some(ev) => check_evidence(
                &sc,
                &essay,
                &format!("actor {} (power)", a.id),
                ev,
                &mut problems,
            ),
            None => problems.push(format!(
                "actor {}: power has no evidence or `assumed` reason",
                a.id
            )),
        }
    }
    for is in &sc.issues {
        if let Some(ev) = &is.status_quo_evidence {
            check_evidence(
                &sc,
                &essay,
                &format!("issue {} (status quo)", is.id),
                ev,
                &mut problems,
            );
        }
    }
    report(problems);
}

#[test]
fn the_checks_catch_a_quote_that_is_not_in_the_essay() {
    // A quote from the later reader comments (line 33 onwards) must not pass as essay evidence.
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    let fake = Evidence::Quotes(vec![brink_scenario::Quote {
        source: sc.sources.iter().position(|s| s.id == ESSAY_ID).unwrap(),
        quote: "never, never, ever".into(),
    }]);
    check_evidence(&sc, &essay, "stance test/fake", &fake, &mut problems);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("stance test/fake"));

    let mut problems = Vec::new();
    check_evidence(
        &sc,
        &essay,
        "stance test/vague",
        &Evidence::Assumed("judgement".into()),
        &mut problems,
    );
    assert_eq!(problems.len(), 1, "{problems:?}");

    // Normalisation: curly quotes, non-breaking spaces and line breaks do not matter.
    let mut problems = Vec::new();
    let curly = Evidence::Quotes(vec![brink_scenario::Quote {
        source: sc.sources.iter().position(|s| s.id == ESSAY_ID).unwrap(),
        quote: "a formal halt to NATO\u{2019}s eastern\n  enlargement".into(),
    }]);
    check_evidence(&sc, &essay, "stance test/curly", &curly, &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
}

#[test]
fn crisis_inputs_and_red_lines_are_quoted_or_say_why_not() {
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    assert!(
        !sc.crises.is_empty(),
        "the built-in scenario has its crisis"
    );
    for c in &sc.crises {
        for p in &c.params {
            check_evidence(
                &sc,
                &essay,
                &format!("crisis {} {}", c.id, p.key.name()),
                &p.evidence,
                &mut problems,
            );
        }
        for (i, r) in c.red_lines.iter().enumerate() {
            check_evidence(
                &sc,
                &essay,
                &format!("crisis {} red line {i}", c.id),
                &r.evidence,
                &mut problems,
            );
        }
    }
    report(problems);
}

#[test]
fn hypotheses_and_the_january_update_are_quoted_from_the_right_part_of_the_source() {
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    assert!(sc.types.len() >= 2, "Russia's rival hypotheses");
    for t in &sc.types {
        check_evidence(
            &sc,
            &essay,
            &format!("type {}", t.id),
            &t.evidence,
            &mut problems,
        );
    }
    // The reader comments: lines 33-156 of the capture, dated about 10-12 January 2022.
    let comments = normalise(
        &CAPTURE
            .lines()
            .skip(32)
            .take(124)
            .collect::<Vec<_>>()
            .join(" "),
    );
    assert!(!sc.updates.is_empty(), "the January 2022 update");
    for u in &sc.updates {
        assert!(u.date > sc.as_of);
        match &u.evidence {
            Evidence::Quotes(qs) => {
                for q in qs {
                    let src = &sc.sources[q.source];
                    assert!(src.date <= u.date, "update evidence dated after the update");
                    if !comments.contains(&normalise(&q.quote)) {
                        problems.push(format!(
                            "update {}: quote not found in the comments: {:?}",
                            u.date, q.quote
                        ));
                    }
                    if essay.contains(&normalise(&q.quote)) {
                        problems.push(format!(
                            "update {}: quote is from the essay, not the later comments",
                            u.date
                        ));
                    }
                }
            }
            Evidence::Assumed(r) => problems.push(format!(
                "update {}: needs quotes, has `assumed` {r:?}",
                u.date
            )),
        }
    }
    report(problems);
}

#[test]
fn labels_that_edit_a_quotation_keep_the_essays_words_around_the_edit() {
    // A label with a bracketed edit ("on its [Ukraine's] territory") presents the rest as the
    // essay's words: each part outside the brackets must be in the essay. (The frozen file's
    // "U.S. intermediate-range missiles [in] Europe" reversed the essay's "out of Europe".)
    let sc = scenario();
    let essay = essay();
    let mut problems = Vec::new();
    for is in &sc.issues {
        for p in &is.points {
            if !p.label.contains('[') {
                continue;
            }
            let mut outside = String::new();
            let mut depth = 0;
            for c in p.label.chars() {
                match c {
                    '[' => {
                        depth += 1;
                        outside.push('\u{1}');
                    }
                    ']' => depth -= 1,
                    c if depth == 0 => outside.push(c),
                    _ => {}
                }
            }
            for part in outside
                .split('\u{1}')
                .map(str::trim)
                .filter(|x| !x.is_empty())
            {
                if !essay.contains(&normalise(part)) {
                    problems.push(format!(
                        "issue `{}`, point {}: `{part}` is not in the essay",
                        is.id, p.at
                    ));
                }
            }
        }
    }
    report(problems);
    let missiles = &sc.issues[sc.issue_index("missiles").unwrap()];
    assert!(missiles.points.iter().all(|p| !p.label.contains("[in]")));
}
