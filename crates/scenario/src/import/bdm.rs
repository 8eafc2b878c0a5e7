//! The expected-utility model's CSV: `Actor,Capability,Position,Salience` (the replication files
//! also say `Stakeholder,Resources,...`, and some use old Mac `\r` line endings).
//!
//! One issue, named after the file. Saliences on 0-100 (any value above 1) are rescaled to [0, 1].
//! The scale runs from the lowest to the highest position in the file; when they are equal (or
//! too close for brink to compute on, [`crate::limits::check_scale`]) it is widened around them,
//! and the import says so.

use super::*;
use std::collections::HashSet;

/// Imports an expected-utility CSV.
pub fn import(text: &str, file: &str) -> Result<Imported, ImportError> {
    let rows: Vec<(usize, &str)> = lines(text)
        .into_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    let Some(&(hl, header)) = rows.first() else {
        return Err(err(file, 0, "the file is empty"));
    };
    let cols: Vec<String> = header.split(',').map(|c| c.trim().to_lowercase()).collect();
    let find = |names: &[&str]| cols.iter().position(|c| names.contains(&c.as_str()));
    let (Some(ia), Some(ic), Some(ip), Some(is)) = (
        find(&["actor", "stakeholder", "name"]),
        find(&["capability", "resources", "power", "influence"]),
        find(&["position"]),
        find(&["salience"]),
    ) else {
        return Err(err(
            file,
            hl,
            format!(
                "expected a header with Actor, Capability, Position, Salience; found `{header}`"
            ),
        ));
    };
    let mut raw = Vec::new();
    for &(ln, l) in &rows[1..] {
        let cells: Vec<&str> = l.split(',').collect();
        let need = ia.max(ic).max(ip).max(is);
        if cells.len() <= need {
            return Err(err(
                file,
                ln,
                format!(
                    "expected at least {} columns, found {}",
                    need + 1,
                    cells.len()
                ),
            ));
        }
        let name = cells[ia].trim().to_string();
        if name.is_empty() {
            return Err(err(file, ln, "empty actor name"));
        }
        let c = cell_num(file, ln, "Capability", cells[ic])?;
        if c <= 0.0 {
            return Err(err(file, ln, format!("Capability must be > 0, found {c}")));
        }
        let p = cell_num(file, ln, "Position", cells[ip])?;
        let s = cell_num(file, ln, "Salience", cells[is])?;
        if s < 0.0 {
            return Err(err(file, ln, format!("Salience must be >= 0, found {s}")));
        }
        raw.push((ln, name, c, p, s, l.trim().to_string()));
    }
    if raw.is_empty() {
        return Err(err(file, hl, "no actor rows after the header"));
    }
    let scale100 = raw.iter().any(|r| r.4 > 1.0);
    if raw.iter().any(|r| r.4 > 100.0) {
        let r = raw.iter().find(|r| r.4 > 100.0).expect("checked");
        return Err(err(file, r.0, format!("Salience {} is above 100", r.4)));
    }
    let lo = raw.iter().map(|r| r.3).fold(f64::INFINITY, f64::min);
    let hi = raw.iter().map(|r| r.3).fold(f64::NEG_INFINITY, f64::max);
    let mut notes = Vec::new();
    let (lo, hi) = match scale_around(lo, hi) {
        Some((a, b)) => {
            notes.push(format!(
                "the positions run from {} to {}, too narrow a scale to compute on: the scale is widened to [{}, {}]",
                fmt_num(lo),
                fmt_num(hi),
                fmt_num(a),
                fmt_num(b)
            ));
            (a, b)
        }
        None => (lo, hi),
    };
    let id = stem(file);
    let date = Date {
        year: 1994,
        month: 1,
        day: 1,
    };
    let mut taken = HashSet::new();
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    for (k, (ln, name, c, p, s, cells)) in raw.into_iter().enumerate() {
        actors.push(Actor {
            id: unique_id(&mut taken, &name),
            name,
            power: Uncertain::fixed(c),
            evidence: Some(row_evidence(ln, &cells)),
        });
        stances.push(Stance {
            actor: k,
            issue: 0,
            position: Uncertain::fixed(p),
            salience: Uncertain::fixed(if scale100 { s / 100.0 } else { s }),
            power: None,
            evidence: row_evidence(ln, &cells),
            estimates: Vec::new(),
        });
    }
    let scenario = Scenario {
        id: id.clone(),
        title: format!("{id} (expected-utility CSV)"),
        as_of: date,
        question: format!("Where does the issue of {id} settle?"),
        sources: vec![file_source(file, "Expected-utility model input", date)],
        actors,
        issues: vec![Issue {
            id: id.clone(),
            name: id,
            min: lo,
            max: hi,
            points: plain_points(lo, hi),
            status_quo: None,
            status_quo_evidence: None,
            meta: Vec::new(),
        }],
        stances,
        crises: Vec::new(),
        types: Vec::new(),
        updates: Vec::new(),
        applied: 0,
    };
    notes.push(date_note(date, "a fixed date for files of this format"));
    finish(file, scenario, None, notes)
}

/// A valid scale holding `[lo, hi]` when that range is not one itself (`None` when it is): one
/// unit either side (as before), or wider where the positions are large, kept within brink's
/// bounds on numbers.
fn scale_around(lo: f64, hi: f64) -> Option<(f64, f64)> {
    use crate::limits::{check_scale, MAX_MAGNITUDE};
    if check_scale(lo, hi).is_ok() {
        return None;
    }
    let mid = lo / 2.0 + hi / 2.0;
    let half = 1f64.max(mid.abs() * 1e-6);
    let a = (lo.min(mid - half)).max(-MAX_MAGNITUDE);
    let b = (hi.max(mid + half)).min(MAX_MAGNITUDE);
    // Snap to whole numbers where that keeps the positions inside (labels stay short).
    let (a2, b2) = (a.floor().max(-MAX_MAGNITUDE), b.ceil().min(MAX_MAGNITUDE));
    let (a, b) = if check_scale(a2, b2).is_ok() {
        (a2, b2)
    } else {
        (a, b)
    };
    Some((a, b))
}
