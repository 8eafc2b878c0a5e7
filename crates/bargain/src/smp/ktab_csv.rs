//! Reader for KTAB's SMP CSV input.
//!
//! Layout: row 1 `scenario name, description, n actors, n dimensions` (further fields ignored);
//! row 2 a header (`Actor, Description, Power, <dim 1 name>, <salience 1>, ...`; the position
//! columns give the dimension names); then one row per actor:
//! `name, description, power, position 1, salience 1, ..., position D, salience D`, positions
//! and saliences on a 0-100 scale. Fields may be quoted with `"`; surrounding spaces are trimmed;
//! trailing empty fields and blank lines are ignored. Checks: 0 ≤ position, salience ≤ 100,
//! 0 < Σ_d salience ≤ 100, 0 < power ≤ 1e8. KTAB accepts power 0 and requires 3 ≤ n ≤ 250;
//! here power must be positive and any n ≥ 1 is read.

use super::SmpActor;
use thiserror::Error;

/// A KTAB SMP scenario read from CSV, positions and saliences rescaled to \[0,1\].
#[derive(Debug, Clone, PartialEq)]
pub struct KtabCsv {
    /// Scenario name (row 1, field 1).
    pub name: String,
    /// Scenario description (row 1, field 2).
    pub description: String,
    /// Dimension names, from the position columns of the header row.
    pub dimension_names: Vec<String>,
    /// Actor descriptions (column 2), in actor order.
    pub actor_descriptions: Vec<String>,
    /// The actors: positions and saliences divided by 100, power as read.
    pub actors: Vec<SmpActor>,
}

/// Why a KTAB CSV could not be read. Line numbers count from 1.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SmpCsvError {
    /// The text has no scenario row.
    #[error("empty KTAB CSV: no scenario row")]
    Empty,
    /// A row has too few fields.
    #[error("line {line}: expected at least {expected} fields, found {found}")]
    TooFewFields {
        /// Line number.
        line: usize,
        /// Fields needed.
        expected: usize,
        /// Fields found.
        found: usize,
    },
    /// A field is not a number of the right kind.
    #[error("line {line}, field {field} ({what}): cannot read {found:?} as a number")]
    NotANumber {
        /// Line number.
        line: usize,
        /// Field number (from 1).
        field: usize,
        /// What the field holds.
        what: String,
        /// The text found.
        found: String,
    },
    /// A number is outside its range.
    #[error("line {line}, field {field} ({what}): {value} is outside {range}")]
    OutOfRange {
        /// Line number.
        line: usize,
        /// Field number (from 1).
        field: usize,
        /// What the field holds.
        what: String,
        /// The value.
        value: f64,
        /// The allowed range.
        range: &'static str,
    },
    /// The header row is missing.
    #[error("line {line}: missing header row")]
    MissingHeader {
        /// Line number where the header was expected.
        line: usize,
    },
    /// The number of actor rows differs from the declared number.
    #[error("scenario row declares {declared} actors but {found} actor rows follow")]
    ActorCount {
        /// Declared in row 1.
        declared: usize,
        /// Actor rows found.
        found: usize,
    },
    /// Row 1 declares zero actors or zero dimensions.
    #[error("line {line}: the scenario must have at least one actor and one dimension")]
    NoActorsOrDimensions {
        /// Line number.
        line: usize,
    },
}

/// Splits one CSV line into trimmed fields, honouring double quotes.
fn split_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => fields.push(std::mem::take(&mut cur).trim().to_string()),
            _ => cur.push(c),
        }
    }
    fields.push(cur.trim().to_string());
    while fields.len() > 1 && fields.last().is_some_and(|f| f.is_empty()) {
        fields.pop();
    }
    fields
}

fn number(line: usize, fields: &[String], idx: usize, what: &str) -> Result<f64, SmpCsvError> {
    let text = &fields[idx];
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(SmpCsvError::NotANumber {
            line,
            field: idx + 1,
            what: what.to_string(),
            found: text.clone(),
        }),
    }
}

fn count(line: usize, fields: &[String], idx: usize, what: &str) -> Result<usize, SmpCsvError> {
    let text = &fields[idx];
    text.parse::<usize>().map_err(|_| SmpCsvError::NotANumber {
        line,
        field: idx + 1,
        what: what.to_string(),
        found: text.clone(),
    })
}

fn in_range(
    line: usize,
    idx: usize,
    what: &str,
    value: f64,
    ok: bool,
    range: &'static str,
) -> Result<(), SmpCsvError> {
    if ok {
        Ok(())
    } else {
        Err(SmpCsvError::OutOfRange {
            line,
            field: idx + 1,
            what: what.to_string(),
            value,
            range,
        })
    }
}

/// Reads a KTAB SMP CSV (see the module documentation for the layout). Positions and saliences
/// are divided by 100.0; errors name the line and field at fault.
pub fn read_ktab_csv(text: &str) -> Result<KtabCsv, SmpCsvError> {
    let mut rows = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, split_fields(l.trim_end_matches('\r'))))
        .filter(|(_, f)| f.iter().any(|x| !x.is_empty()));
    let (line1, head) = rows.next().ok_or(SmpCsvError::Empty)?;
    if head.len() < 4 {
        return Err(SmpCsvError::TooFewFields {
            line: line1,
            expected: 4,
            found: head.len(),
        });
    }
    let n = count(line1, &head, 2, "number of actors")?;
    let dims = count(line1, &head, 3, "number of dimensions")?;
    if n == 0 || dims == 0 {
        return Err(SmpCsvError::NoActorsOrDimensions { line: line1 });
    }
    let (_, header) = rows
        .next()
        .ok_or(SmpCsvError::MissingHeader { line: line1 + 1 })?;
    let dimension_names = (0..dims)
        .map(|d| {
            header
                .get(3 + 2 * d)
                .filter(|s| !s.is_empty())
                .cloned()
                .unwrap_or_else(|| format!("Dim {d}"))
        })
        .collect();
    let width = 3 + 2 * dims;
    let mut actors = Vec::with_capacity(n);
    let mut actor_descriptions = Vec::with_capacity(n);
    let mut extra = 0;
    for (line, f) in rows {
        if actors.len() == n {
            extra += 1;
            continue;
        }
        if f.len() < width {
            return Err(SmpCsvError::TooFewFields {
                line,
                expected: width,
                found: f.len(),
            });
        }
        let power = number(line, &f, 2, "power")?;
        in_range(
            line,
            2,
            "power",
            power,
            power > 0.0 && power <= 1e8,
            "(0, 1e8]",
        )?;
        let mut positions = Vec::with_capacity(dims);
        let mut saliences = Vec::with_capacity(dims);
        let mut total = 0.0;
        for d in 0..dims {
            let (pi, si) = (3 + 2 * d, 4 + 2 * d);
            let what_p = format!("position {}", d + 1);
            let what_s = format!("salience {}", d + 1);
            let p = number(line, &f, pi, &what_p)?;
            in_range(line, pi, &what_p, p, (0.0..=100.0).contains(&p), "[0, 100]")?;
            let s = number(line, &f, si, &what_s)?;
            in_range(line, si, &what_s, s, (0.0..=100.0).contains(&s), "[0, 100]")?;
            total += s;
            positions.push(p / 100.0);
            saliences.push(s / 100.0);
        }
        in_range(
            line,
            4,
            "sum of saliences",
            total,
            total > 0.0 && total <= 100.0 + 1e-9,
            "(0, 100]",
        )?;
        actor_descriptions.push(f[1].clone());
        actors.push(SmpActor {
            name: f[0].clone(),
            power,
            positions,
            saliences,
        });
    }
    if actors.len() != n || extra > 0 {
        return Err(SmpCsvError::ActorCount {
            declared: n,
            found: actors.len() + extra,
        });
    }
    Ok(KtabCsv {
        name: head[0].clone(),
        description: head[1].clone(),
        dimension_names,
        actor_descriptions,
        actors,
    })
}
