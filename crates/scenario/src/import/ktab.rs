//! KTAB's SMP CSV: row 1 `name,desc,nActors,nDims`; row 2 the header; then
//! `Actor,Description,Power,Pos1,Sal1,...` with positions and saliences on 0-100.
//!
//! Each dimension becomes an issue on a 0-100 scale, named from its header (e.g. "Policy
//! Position" gives "Policy"); saliences are rescaled to [0, 1].

use super::*;
use std::collections::HashSet;

/// Imports a KTAB SMP CSV.
pub fn import(text: &str, file: &str) -> Result<Imported, ImportError> {
    let rows: Vec<(usize, &str)> = lines(text)
        .into_iter()
        .filter(|(_, l)| !l.trim().is_empty())
        .collect();
    if rows.len() < 3 {
        return Err(err(
            file,
            rows.last().map_or(0, |r| r.0),
            "expected a title row, a header row and at least one actor row",
        ));
    }
    let cells = |l: &str| -> Vec<String> {
        let mut v: Vec<String> = l
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_string())
            .collect();
        while v.last().is_some_and(|c| c.is_empty()) {
            v.pop();
        }
        v
    };
    let (l1, title_row) = rows[0];
    let t = cells(title_row);
    if t.len() < 4 {
        return Err(err(
            file,
            l1,
            "row 1 must be `name,description,nActors,nDims`",
        ));
    }
    let n_actors = t[2]
        .parse::<usize>()
        .map_err(|_| err(file, l1, format!("nActors `{}` is not a count", t[2])))?;
    let n_dims = t[3]
        .parse::<usize>()
        .map_err(|_| err(file, l1, format!("nDims `{}` is not a count", t[3])))?;
    if n_dims == 0 {
        return Err(err(file, l1, "nDims must be at least 1"));
    }
    let (l2, header) = rows[1];
    let h = cells(header);
    // Columns needed: actor, description, power, then a position and a salience per dimension
    // (checked: a huge nDims must not overflow).
    let Some(width) = n_dims.checked_mul(2).and_then(|w| w.checked_add(3)) else {
        return Err(err(
            file,
            l1,
            format!("nDims `{n_dims}` is not a plausible number of dimensions"),
        ));
    };
    if h.len() < width {
        return Err(err(
            file,
            l2,
            format!(
                "the header has {} columns; {} dimensions need {}",
                h.len(),
                n_dims,
                width
            ),
        ));
    }
    let dim_names: Vec<String> = (0..n_dims)
        .map(|d| {
            let raw = h[3 + 2 * d].trim();
            let name = raw
                .strip_suffix("Position")
                .or_else(|| raw.strip_suffix("position"))
                .unwrap_or(raw)
                .trim();
            if name.is_empty() {
                format!("Dimension {}", d + 1)
            } else {
                name.to_string()
            }
        })
        .collect();
    let date = Date {
        year: 2017,
        month: 5,
        day: 30,
    };
    let mut issues = Vec::new();
    let mut taken = HashSet::new();
    for n in &dim_names {
        let id: String = n
            .to_lowercase()
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '-' })
            .collect();
        issues.push(Issue {
            id: unique_id(&mut taken, &id),
            name: n.clone(),
            min: 0.0,
            max: 100.0,
            points: plain_points(0.0, 100.0),
            status_quo: None,
            status_quo_evidence: None,
            meta: Vec::new(),
        });
    }
    let mut actors = Vec::new();
    let mut stances = Vec::new();
    let mut taken = HashSet::new();
    for &(ln, l) in &rows[2..] {
        let c = cells(l);
        if c.len() < width {
            return Err(err(
                file,
                ln,
                format!("expected {} columns, found {}", width, c.len()),
            ));
        }
        if c[0].is_empty() {
            return Err(err(file, ln, "empty actor name"));
        }
        let power = cell_num(file, ln, "Power", &c[2])?;
        if power <= 0.0 {
            return Err(err(file, ln, format!("Power must be > 0, found {power}")));
        }
        let k = actors.len();
        actors.push(Actor {
            id: unique_id(&mut taken, &c[0]),
            name: if c[1].is_empty() {
                c[0].clone()
            } else {
                format!("{} ({})", c[0], c[1])
            },
            power: Uncertain::fixed(power),
            evidence: Some(row_evidence(ln, l.trim())),
        });
        for d in 0..n_dims {
            let p = cell_num(
                file,
                ln,
                &format!("{} position", dim_names[d]),
                &c[3 + 2 * d],
            )?;
            let s = cell_num(
                file,
                ln,
                &format!("{} salience", dim_names[d]),
                &c[4 + 2 * d],
            )?;
            if !(0.0..=100.0).contains(&p) {
                return Err(err(
                    file,
                    ln,
                    format!("{} position {p} is outside 0-100", dim_names[d]),
                ));
            }
            if !(0.0..=100.0).contains(&s) {
                return Err(err(
                    file,
                    ln,
                    format!("{} salience {s} is outside 0-100", dim_names[d]),
                ));
            }
            stances.push(Stance {
                actor: k,
                issue: d,
                position: Uncertain::fixed(p),
                salience: Uncertain::fixed(s / 100.0),
                power: None,
                evidence: row_evidence(ln, l.trim()),
                estimates: Vec::new(),
            });
        }
    }
    if actors.len() != n_actors {
        return Err(err(
            file,
            l1,
            format!(
                "row 1 says {n_actors} actors, the file has {}",
                actors.len()
            ),
        ));
    }
    let id = stem(file);
    let name = if t[0].is_empty() {
        id.clone()
    } else {
        t[0].clone()
    };
    let scenario = Scenario {
        id: id.clone(),
        title: if t[1].is_empty() {
            name.clone()
        } else {
            format!("{name} ({})", t[1])
        },
        as_of: date,
        question: format!("Where do the issues of {name} settle?"),
        sources: vec![file_source(file, "KTAB spatial-model input", date)],
        actors,
        issues,
        stances,
        crises: Vec::new(),
        types: Vec::new(),
        updates: Vec::new(),
        applied: 0,
    };
    let notes = vec![date_note(date, "the date of KTAB's reference runs")];
    finish(file, scenario, None, notes)
}
