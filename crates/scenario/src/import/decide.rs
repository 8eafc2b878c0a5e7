//! decide-exchange-model's input: delimited rows (TAB with `'` quotes in its samples, commas or
//! semicolons elsewhere), `#A id name [comment]` actors, `#P issue [descr]` issues,
//! `#M issue value [meaning]` scale points (lower = the first, upper = the largest; none: 0..100),
//! `#D actor issue position salience power [comment]` stances. `#/` and `#O` rows are ignored.
//!
//! Power is per actor-issue in this format: an actor's power is that of its first `#D` row, and a
//! stance whose power differs carries it as an override. Saliences on 0-100 (any above 1) are
//! rescaled to [0, 1] (a common factor: the weighted means do not change).

use super::*;
use std::collections::{HashMap, HashSet};

fn split(l: &str) -> Vec<String> {
    let delim = if l.contains('\t') {
        '\t'
    } else if l.contains(';') {
        ';'
    } else {
        ','
    };
    l.split(delim)
        .map(|c| {
            let c = c.trim();
            let c = c
                .strip_prefix('\'')
                .and_then(|c| c.strip_suffix('\''))
                .unwrap_or(c);
            let c = c
                .strip_prefix('"')
                .and_then(|c| c.strip_suffix('"'))
                .unwrap_or(c);
            c.trim().to_string()
        })
        .collect()
}

/// Imports a decide-exchange-model input file.
pub fn import(text: &str, file: &str) -> Result<Imported, ImportError> {
    let mut actors: Vec<Actor> = Vec::new();
    let mut actor_ix: HashMap<String, usize> = HashMap::new();
    let mut issues: Vec<Issue> = Vec::new();
    let mut issue_ix: HashMap<String, usize> = HashMap::new();
    let mut marks: Vec<Vec<(f64, String, usize)>> = Vec::new();
    let mut issue_line: Vec<usize> = Vec::new();
    let mut notes = Vec::new();
    let mut ignored = 0usize;
    let mut rows_d = Vec::new();
    let mut taken = HashSet::new();
    for (ln, l) in lines(text) {
        if l.trim().is_empty() {
            continue;
        }
        let c = split(l);
        match c[0].as_str() {
            "#A" => {
                if c.len() < 2 || c[1].is_empty() {
                    return Err(err(file, ln, "an #A row needs an actor id"));
                }
                if actor_ix.contains_key(&c[1]) {
                    return Err(err(file, ln, format!("actor `{}` is defined twice", c[1])));
                }
                actor_ix.insert(c[1].clone(), actors.len());
                let name = c
                    .get(2)
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .unwrap_or_else(|| c[1].clone());
                actors.push(Actor {
                    id: unique_id(&mut taken, &c[1]),
                    name,
                    power: Uncertain::fixed(1.0),
                    evidence: None,
                });
            }
            "#P" => {
                if c.len() < 2 || c[1].is_empty() {
                    return Err(err(file, ln, "a #P row needs an issue name"));
                }
                if issue_ix.contains_key(&c[1]) {
                    return Err(err(file, ln, format!("issue `{}` is defined twice", c[1])));
                }
                issue_ix.insert(c[1].clone(), issues.len());
                let name = c
                    .get(3)
                    .or(c.get(2))
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .unwrap_or_else(|| c[1].clone());
                issues.push(Issue {
                    id: c[1].clone(),
                    name,
                    min: 0.0,
                    max: 100.0,
                    points: Vec::new(),
                    status_quo: None,
                    status_quo_evidence: None,
                    meta: Vec::new(),
                });
                marks.push(Vec::new());
                issue_line.push(ln);
            }
            "#M" => {
                if c.len() < 3 {
                    return Err(err(file, ln, "an #M row needs an issue and a value"));
                }
                let Some(&k) = issue_ix.get(&c[1]) else {
                    return Err(err(
                        file,
                        ln,
                        format!("#M row for unknown issue `{}`", c[1]),
                    ));
                };
                let v = cell_num(file, ln, "#M value", &c[2])?;
                let label = c
                    .get(3)
                    .filter(|s| !s.is_empty())
                    .cloned()
                    .unwrap_or_else(|| fmt_num(v));
                marks[k].push((v, label, ln));
            }
            "#D" => {
                if c.len() < 6 {
                    return Err(err(file, ln, format!("a #D row needs actor, issue, position, salience, power; found {} cells", c.len())));
                }
                rows_d.push((ln, c, l.trim().to_string()));
            }
            x if x.starts_with("#/") || x == "#O" => ignored += 1,
            x => {
                return Err(err(
                    file,
                    ln,
                    format!("unknown row type `{x}` (expected #A, #P, #M or #D)"),
                ))
            }
        }
    }
    if ignored > 0 {
        notes.push(format!(
            "{ignored} row{} of type #/ or #O (comments and model options) ignored",
            if ignored == 1 { "" } else { "s" }
        ));
    }
    for (k, m) in marks.iter().enumerate() {
        if let Some(&(first, _, ln)) = m.first() {
            let upper = m.iter().map(|x| x.0).fold(f64::NEG_INFINITY, f64::max);
            if let Err(e) = crate::limits::check_scale(first, upper) {
                return Err(err(
                    file,
                    ln,
                    format!(
                        "issue `{}`: its scale points (lower = the first #M, upper = the largest) give no usable scale: {e}",
                        issues[k].id
                    ),
                ));
            }
            issues[k].min = first;
            issues[k].max = upper;
        }
        let (lo, hi) = (issues[k].min, issues[k].max);
        let mut pts: Vec<ScalePoint> = Vec::new();
        for (v, label, ln) in m {
            if *v < lo {
                notes.push(format!(
                    "line {ln}: issue `{}`'s scale point {} is below its lower end {} (the first #M): left out",
                    issues[k].id,
                    fmt_num(*v),
                    fmt_num(lo)
                ));
            } else if pts.iter().any(|p| p.at == *v) {
                notes.push(format!(
                    "line {ln}: issue `{}` has a second label at {}: left out",
                    issues[k].id,
                    fmt_num(*v)
                ));
            } else {
                pts.push(ScalePoint {
                    at: *v,
                    label: label.clone(),
                });
            }
        }
        for end in [lo, hi] {
            if !pts.iter().any(|p| p.at == end) {
                pts.push(ScalePoint {
                    at: end,
                    label: fmt_num(end),
                });
            }
        }
        pts.sort_by(|a, b| a.at.total_cmp(&b.at));
        issues[k].points = pts;
    }
    if actors.is_empty() || issues.is_empty() {
        return Err(err(
            file,
            0,
            "the file defines no actors (#A) or no issues (#P)",
        ));
    }
    let mut stances: Vec<Stance> = Vec::new();
    let mut first_power: Vec<Option<f64>> = vec![None; actors.len()];
    let mut raw: Vec<(usize, usize, usize, f64, f64, f64, String)> = Vec::new();
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for (ln, c, line) in &rows_d {
        let Some(&a) = actor_ix.get(&c[1]) else {
            return Err(err(
                file,
                *ln,
                format!("#D row for unknown actor `{}`", c[1]),
            ));
        };
        let Some(&k) = issue_ix.get(&c[2]) else {
            return Err(err(
                file,
                *ln,
                format!("#D row for unknown issue `{}`", c[2]),
            ));
        };
        let x = cell_num(file, *ln, "position", &c[3])?;
        let s = cell_num(file, *ln, "salience", &c[4])?;
        let p = cell_num(file, *ln, "power", &c[5])?;
        if x < issues[k].min || x > issues[k].max {
            return Err(err(
                file,
                *ln,
                format!(
                    "position {x} is outside issue `{}`'s scale [{}, {}]",
                    c[2], issues[k].min, issues[k].max
                ),
            ));
        }
        if !(0.0..=100.0).contains(&s) {
            return Err(err(file, *ln, format!("salience {s} is outside 0-100")));
        }
        if p <= 0.0 {
            return Err(err(file, *ln, format!("power must be > 0, found {p}")));
        }
        if !pairs.insert((a, k)) {
            return Err(err(
                file,
                *ln,
                format!("a second #D row for actor `{}` on issue `{}`", c[1], c[2]),
            ));
        }
        if first_power[a].is_none() {
            first_power[a] = Some(p);
        }
        raw.push((*ln, a, k, x, s, p, line.clone()));
    }
    if raw.is_empty() {
        return Err(err(
            file,
            0,
            "the file has no #D rows: no actor takes a position on any issue",
        ));
    }
    let covered: HashSet<usize> = raw.iter().map(|r| r.2).collect();
    for (k, is) in issues.iter().enumerate() {
        if !covered.contains(&k) {
            notes.push(format!(
                "line {}: issue `{}` has no #D rows: no actor takes a position on it",
                issue_line[k], is.id
            ));
        }
    }
    let scale100 = raw.iter().any(|r| r.4 > 1.0);
    for (a, p) in first_power.iter().enumerate() {
        if let Some(p) = p {
            actors[a].power = Uncertain::fixed(*p);
        }
    }
    for (ln, a, k, x, s, p, line) in raw {
        stances.push(Stance {
            actor: a,
            issue: k,
            position: Uncertain::fixed(x),
            salience: Uncertain::fixed(if scale100 { s / 100.0 } else { s }),
            power: (Some(p) != first_power[a]).then(|| Uncertain::fixed(p)),
            evidence: row_evidence(ln, &line),
            estimates: Vec::new(),
        });
    }
    let id = stem(file);
    let date = Date {
        year: 2022,
        month: 1,
        day: 28,
    };
    let scenario = Scenario {
        id: id.clone(),
        title: format!("{id} (decide-exchange-model input)"),
        as_of: date,
        question: format!("Where do the issues of {id} settle?"),
        sources: vec![file_source(file, "decide-exchange-model input", date)],
        actors,
        issues,
        stances,
        crises: Vec::new(),
        types: Vec::new(),
        updates: Vec::new(),
        applied: 0,
    };
    notes.push(date_note(date, "a fixed date for files of this format"));
    finish(file, scenario, None, notes)
}
