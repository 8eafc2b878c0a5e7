//! The expected-utility model's CSV: `Actor,Capability,Position,Salience` (the replication files
//! also say `Stakeholder,Resources,...`, and some use old Mac `\r` line endings).
//!
//! One issue, named after the file. Saliences on 0-100 (any value above 1) are rescaled to [0, 1].
//! The scale runs from the lowest to the highest position in the file.

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
    let (lo, hi) = if lo < hi {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
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
    Ok(Imported {
        scenario,
        outcomes: None,
    })
}
