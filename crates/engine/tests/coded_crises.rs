//! The coded crises of `scenarios/crises/` with their onset addenda (`NAME.onset.toml`): every
//! addendum names its frozen scenario by the SHA-256 of its text, holds exactly the ICB codes
//! listed in the scenario's notes (committed before the outcome), and agrees with the shipped ICB
//! data; and the outside view (the reference class fitted on the crises over before each
//! scenario's `as_of`) scored on the ten crises against their ICB VIOL codes, the numbers the
//! README states.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use brink_engine::{coded_crises, sha256_hex, CodedCrisis, Loaded};
use brink_refclass::{onset_from_scenario, Level, OnsetValues, ReferenceClass, SystemOnset};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/crises")
}

fn crises() -> Vec<CodedCrisis> {
    let c = coded_crises(&dir()).unwrap();
    assert_eq!(c.len(), 10, "ten coded crises");
    c
}

/// Section 1 of a notes file: the crisis-level rows `| VARIABLE | value | ... |` (the first
/// occurrence of each upper-case variable; the actors' rows come later) and the trigger date.
fn notes_codes(text: &str) -> HashMap<String, String> {
    let sec = text
        .split("## 1.")
        .nth(1)
        .and_then(|s| s.split("## 2.").next())
        .expect("a section 1");
    let mut out = HashMap::new();
    for line in sec.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if cells.len() < 2 {
            continue;
        }
        let (name, value) = (cells[0], cells[1]);
        if name.starts_with("trigger date") {
            out.insert("DATE".to_string(), value.to_string());
        } else if !name.is_empty()
            && name.chars().all(|c| c.is_ascii_uppercase())
            && !out.contains_key(name)
        {
            out.insert(name.to_string(), value.to_string());
        }
    }
    out
}

fn int(m: &HashMap<String, String>, k: &str) -> i64 {
    m.get(k)
        .unwrap_or_else(|| panic!("notes lack {k}"))
        .parse()
        .unwrap()
}

#[test]
fn every_addendum_matches_its_frozen_file_and_its_notes() {
    for c in crises() {
        let text = std::fs::read_to_string(&c.scenario_file).unwrap();
        let add_text = std::fs::read_to_string(&c.onset_file).unwrap();
        // The SHA the addendum states is the frozen file's.
        let stated = add_text
            .lines()
            .find_map(|l| l.strip_prefix("sha256 = \""))
            .and_then(|l| l.strip_suffix('"'))
            .expect("a sha256 line");
        assert_eq!(stated, sha256_hex(&text), "{}", c.name);
        // Its label says it was made after the outcome.
        assert!(
            add_text.contains("label = \"added after the outcome"),
            "{}",
            c.name
        );
        // The frozen file has no onset section of its own.
        assert!(!text.contains("[crises.onset]"), "{}", c.name);

        let notes = std::fs::read_to_string(dir().join(format!("{}.notes.md", c.name))).unwrap();
        let n = notes_codes(&notes);
        assert_eq!(Some(int(&n, "CRISNO") as u32), c.icb_crisno, "{}", c.name);
        let crisis = &c.loaded.scenario.crises[0];
        let on = onset_from_scenario(crisis).expect("an onset section");
        let s = &on.system;
        let want = SystemOnset {
            period: Some(int(&n, "PERIOD") as u8),
            trigger: Some(int(&n, "BREAK") as u8),
            triggering_entity: Some(int(&n, "TRIGENT") as u32),
            region: Some(int(&n, "GEOG") as u8),
            proximity: Some(int(&n, "GEOGREL") as u8),
            protracted: Some(int(&n, "PROTRAC") as u8),
            power_discrepancy: Some(int(&n, "POWDISSY") as f64),
            ethnic: Some(int(&n, "ETHNIC") as u8),
            intra_war: Some(int(&n, "IWCMB") >= 3),
            gravity: None,
            system_level: None,
            issues: None,
        };
        assert_eq!(s, &want, "{}", c.name);
        // The onset date is the notes' trigger date (a vague ICB day at its earliest).
        let d: Vec<u32> = n["DATE"].split('-').map(|x| x.parse().unwrap()).collect();
        let day = match d[2] {
            66 => 1,
            77 => 11,
            88 => 21,
            x => x,
        };
        assert_eq!(
            (on.date.year, on.date.month as u32, on.date.day as u32),
            (d[0] as i32, d[1], day),
            "{}",
            c.name
        );

        // And the shipped ICB data agree with the notes on every one of these codes.
        let icb = brink_refclass::icb::builtin_system();
        let row = icb
            .system_rows()
            .unwrap()
            .iter()
            .find(|r| Some(r.crisno) == c.icb_crisno)
            .expect("the crisis is in the development split");
        let strict = SystemOnset {
            gravity: None,
            system_level: None,
            issues: None,
            ..row.onset.clone()
        };
        assert_eq!(&strict, s, "{}: the notes against ICB1", c.name);
    }
}

#[test]
fn an_addendum_for_another_text_is_refused_naming_file_line_and_field() {
    let c = &crises()[0];
    let text = std::fs::read_to_string(&c.scenario_file).unwrap();
    let add = std::fs::read_to_string(&c.onset_file).unwrap();
    // One byte more in the scenario: another text, another SHA-256.
    let changed = Loaded::from_toml(&format!("{text}\n"), "changed.toml").unwrap();
    let e = changed
        .with_onset_str(&add, "x.onset.toml")
        .unwrap_err()
        .to_string();
    assert!(e.contains("x.onset.toml:") && e.contains("sha256"), "{e}");
    assert!(e.contains("not the frozen file"), "{e}");
    // A label that does not say "after the outcome", and an unknown crisis.
    let loaded = Loaded::from_toml(&text, "frozen.toml").unwrap();
    let bad = add
        .replace("added after the outcome", "added later")
        .replace(
            &format!("crisis = \"{}\"", loaded.scenario.crises[0].id),
            "crisis = \"nope\"",
        );
    let e = loaded
        .with_onset_str(&bad, "y.onset.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("label") && e.contains("after the outcome"),
        "{e}"
    );
    assert!(e.contains("unknown crisis `nope`"), "{e}");
}

#[test]
fn the_outside_view_on_the_coded_crises() {
    let icb = brink_refclass::icb::builtin_system();
    let rows = icb.system_rows().unwrap();
    let mut sq = [0.0; 3];
    let mut sq_base = [0.0; 3];
    let mut lines = Vec::new();
    let cs = crises();
    for c in &cs {
        let sc = &c.loaded.scenario;
        let viol = rows
            .iter()
            .find(|r| Some(r.crisno) == c.icb_crisno)
            .and_then(|r| r.viol)
            .unwrap();
        // The outcomes file states the same VIOL code.
        let out = std::fs::read_to_string(&c.outcomes_file).unwrap();
        assert!(
            out.contains(&format!("VIOL = {viol}")),
            "{}: the outcomes file names VIOL = {viol}",
            c.name
        );
        // Fitted only on crises over before the scenario's as_of: the crisis itself is not.
        let rc = ReferenceClass::builtin(Level::System, Some(sc.as_of)).unwrap();
        let on = onset_from_scenario(&sc.crises[0]).unwrap();
        let v = rc.predict(&OnsetValues::System(on.system)).unwrap();
        let p = [v.p_violence, v.p_serious_or_war, v.p_war];
        for t in 0..3 {
            let y = (viol as usize >= 2 + t) as u8 as f64;
            sq[t] += (p[t] - y).powi(2);
            sq_base[t] += (v.base_rates[t] - y).powi(2);
        }
        lines.push(format!(
            "{} (VIOL {viol}): P(>=2) {:.3}  P(>=3) {:.3}  P(=4) {:.3}  base {:.3} {:.3} {:.3}  n_train {}",
            c.name, p[0], p[1], p[2], v.base_rates[0], v.base_rates[1], v.base_rates[2], v.n_crises
        ));
    }
    let n = cs.len() as f64;
    let brier: Vec<f64> = sq.iter().map(|s| s / n).collect();
    let base: Vec<f64> = sq_base.iter().map(|s| s / n).collect();
    println!("{}", lines.join("\n"));
    println!("Brier (any violence, serious or war, war): {brier:.3?}; base rate {base:.3?}");
    // The README's table of the coded crises states these numbers.
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    for (what, b) in [
        ("the reference class (outside view), system level", &brier),
        ("the base rate of the same training crises", &base),
    ] {
        let row = format!("| {what} | 10 | {:.3} | {:.3} | {:.3} |", b[0], b[1], b[2]);
        assert!(readme.contains(&row), "the README lacks the row\n{row}");
    }
}

/// The Brier score of probabilities `p` of events `y` (means over the crises).
fn brier(p: &[f64], y: &[bool]) -> f64 {
    p.iter()
        .zip(y)
        .map(|(p, y)| (p - (*y as u8 as f64)).powi(2))
        .sum::<f64>()
        / p.len() as f64
}

/// The three views of each coded crisis as `brink backtest NAME.toml NAME.outcomes.toml --onset
/// NAME.onset.toml --draws 2000 --seed 0` gives them (the reference class, the game, their
/// combination), scored against each crisis's ICB VIOL code (any violence: VIOL >= 2; war: VIOL =
/// 4) and, over the three levels, against the level of the outcome file's class: the README's
/// table and its sentence on whether the combination beats both.
#[test]
fn the_three_views_on_the_coded_crises() {
    use brink_engine::{Backtest, Options};
    let icb = brink_refclass::icb::builtin_system();
    let rows = icb.system_rows().unwrap();
    let views = ["reference class", "game", "combined"];
    let mut any: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut war: Vec<Vec<f64>> = vec![Vec::new(); 3];
    let mut levels: Vec<f64> = vec![0.0; 3];
    let (mut y_any, mut y_war) = (Vec::new(), Vec::new());
    let cs = crises();
    for c in &cs {
        let viol = rows
            .iter()
            .find(|r| Some(r.crisno) == c.icb_crisno)
            .and_then(|r| r.viol)
            .unwrap();
        let opts = Options {
            draws: 2000,
            seed: 0,
            ..Options::default()
        };
        let bt = Backtest::run_with(&c.loaded, &c.outcomes, "outcomes", None, &opts).unwrap();
        assert_eq!(bt.crisis_views.len(), 1, "{}", c.name);
        let cv = &bt.crisis_views[0];
        let found: Vec<&str> = cv.views.iter().map(|v| v.view.as_str()).collect();
        assert_eq!(found, views, "{}: every view", c.name);
        for (k, v) in cv.views.iter().enumerate() {
            assert!(
                (v.p.iter().sum::<f64>() - 1.0).abs() < 1e-9,
                "{} {}",
                c.name,
                v.view
            );
            any[k].push(1.0 - v.p[0]);
            war[k].push(v.p[2]);
            levels[k] += v.brier;
        }
        y_any.push(viol >= 2);
        y_war.push(viol == 4);
        println!(
            "{} (VIOL {viol}, outcome {}): {}",
            c.name,
            cv.outcome,
            cv.views
                .iter()
                .map(|v| format!("{} {:.3?}", v.view, v.p))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    let n = cs.len();
    let mut table = String::from(
        "| view | crises | any violence (VIOL >= 2) | full-scale war (VIOL = 4) | three levels, the outcome file's class |\n|---|---|---|---|---|\n",
    );
    let mut war_b = [0.0; 3];
    for k in 0..3 {
        war_b[k] = brier(&war[k], &y_war);
        table.push_str(&format!(
            "| {} | {n} | {:.3} | {:.3} | {:.3} |\n",
            views[k],
            brier(&any[k], &y_any),
            war_b[k],
            levels[k] / n as f64
        ));
    }
    let word = |better: bool| if better { "lower" } else { "not lower" };
    let sentence = format!(
        "On these {n} crises the combination's Brier score for war ({:.4}) is {} than the \
         reference class's alone ({:.4}) and {} than the game's alone ({:.4}).",
        war_b[2],
        word(war_b[2] < war_b[0]),
        war_b[0],
        word(war_b[2] < war_b[1]),
        war_b[1]
    );
    println!("{table}\n{sentence}");
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"))
            .unwrap();
    assert!(
        readme.contains(&table),
        "the README lacks the table\n{table}"
    );
    let flat = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(&sentence), "the README lacks\n{sentence}");
}
