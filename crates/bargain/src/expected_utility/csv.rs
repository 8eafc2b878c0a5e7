//! Reader for the expected-utility model's CSV inputs (the replication's `ExampleActors.csv`
//! layout and its variants).
//!
//! Format: a header row, then one actor per row. Columns are found by name, case-insensitively
//! and in any order; extra columns are ignored:
//! - name: `Actor`, `Stakeholder` or `Name`;
//! - capability: `Capability`, `Resources`, `Power`, `Influence` or `Clout` (any non-negative
//!   scale: the model is invariant to a common factor);
//! - position: `Position` (any finite scale);
//! - salience: `Salience`, on [0, 1]; if any value exceeds 1 the whole column is read as a
//!   0-100 scale and divided by 100 (as in `ChinaData.csv`); values above 100 are errors.
//!
//! Lines may end in `\n`, `\r\n` or a bare `\r` (as in `ChinaData.csv` and
//! `HondurasCrisisData.csv`); blank lines are skipped; fields may be double-quoted (with `""` for a
//! quote inside); spaces around fields are trimmed; a UTF-8 byte-order mark is ignored.

use super::EuActor;

/// What went wrong reading an expected-utility CSV file. Line numbers count from 1 and include
/// the header; columns count from 1.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EuCsvError {
    /// The text has no header row.
    #[error("empty input: expected a header row such as `Actor,Capability,Position,Salience`")]
    Empty,
    /// A required column is missing from the header.
    #[error("line {line}: no {what} column in the header (accepted names: {accepted})")]
    MissingColumn {
        /// Line of the header.
        line: usize,
        /// Which field is missing (name, capability, position, salience).
        what: &'static str,
        /// The accepted column names.
        accepted: &'static str,
    },
    /// Two header columns map to the same field.
    #[error("line {line}, column {column}: second {what} column `{header}`")]
    DuplicateColumn {
        /// Line of the header.
        line: usize,
        /// Column of the second occurrence.
        column: usize,
        /// The field.
        what: &'static str,
        /// The header text.
        header: String,
    },
    /// A row has too few fields.
    #[error("line {line}: {found} fields, but the header needs at least {needed}")]
    TooFewFields {
        /// Line number.
        line: usize,
        /// Fields found.
        found: usize,
        /// Fields needed to reach every required column.
        needed: usize,
    },
    /// A quoted field is not closed.
    #[error("line {line}: unterminated quoted field")]
    UnterminatedQuote {
        /// Line number.
        line: usize,
    },
    /// A name cell is empty.
    #[error("line {line}, column {column}: empty actor name")]
    EmptyName {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
    },
    /// A number does not parse or is not finite.
    #[error("line {line}, column {column} ({what}): `{value}` is not a finite number")]
    BadNumber {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
        /// The field.
        what: &'static str,
        /// The cell text.
        value: String,
    },
    /// A number is outside its allowed range.
    #[error("line {line}, column {column} ({what}): {value} is out of range ({allowed})")]
    OutOfRange {
        /// Line number.
        line: usize,
        /// Column number.
        column: usize,
        /// The field.
        what: &'static str,
        /// The value.
        value: f64,
        /// The allowed range, in words.
        allowed: &'static str,
    },
    /// The file has a header but no actor rows.
    #[error("no actor rows after the header")]
    NoActors,
}

const NAME_COLS: &[&str] = &["actor", "stakeholder", "name"];
const CAP_COLS: &[&str] = &["capability", "resources", "power", "influence", "clout"];
const POS_COLS: &[&str] = &["position"];
const SAL_COLS: &[&str] = &["salience"];

/// Splits one line into fields (double quotes group, `""` escapes a quote), trimming spaces.
fn split_fields(line: &str, line_no: usize) -> Result<Vec<String>, EuCsvError> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && cur.trim().is_empty() && !was_quoted {
            cur.clear();
            in_quotes = true;
            was_quoted = true;
        } else if c == ',' {
            fields.push(finish(&cur, was_quoted));
            cur.clear();
            was_quoted = false;
        } else {
            cur.push(c);
        }
    }
    if in_quotes {
        return Err(EuCsvError::UnterminatedQuote { line: line_no });
    }
    fields.push(finish(&cur, was_quoted));
    Ok(fields)
}

fn finish(cur: &str, quoted: bool) -> String {
    if quoted {
        cur.to_string()
    } else {
        cur.trim().to_string()
    }
}

/// Reads actors from the text of an expected-utility CSV file (see the module documentation for
/// the accepted layout).
///
/// # Errors
/// An [`EuCsvError`] naming the line and column at fault: missing header columns, short rows,
/// empty names, unparsable or non-finite numbers, negative capabilities, saliences outside
/// [0, 1] (or [0, 100] for a 0-100 column), no actor rows.
pub fn read_bdm_csv(text: &str) -> Result<Vec<EuActor>, EuCsvError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Split on the three line-ending conventions; a "\r\n" pair ends one line, not two.
    let mut numbered = Vec::new();
    let mut line_no = 0usize;
    for piece in text.split('\n') {
        let subs: Vec<&str> = piece.split('\r').collect();
        let crlf = subs.len() == 2 && subs[1].is_empty();
        for (k, s) in subs.iter().enumerate() {
            if crlf && k == 1 {
                break;
            }
            line_no += 1;
            numbered.push((line_no, *s));
        }
    }
    let mut rows = numbered.into_iter().filter(|(_, l)| !l.trim().is_empty());
    let (header_line, header) = rows.next().ok_or(EuCsvError::Empty)?;
    let header_fields = split_fields(header, header_line)?;
    let find = |what: &'static str, names: &[&str], accepted: &'static str| {
        let mut found: Option<usize> = None;
        for (c, h) in header_fields.iter().enumerate() {
            if names.iter().any(|n| h.eq_ignore_ascii_case(n)) {
                if found.is_some() {
                    return Err(EuCsvError::DuplicateColumn {
                        line: header_line,
                        column: c + 1,
                        what,
                        header: h.clone(),
                    });
                }
                found = Some(c);
            }
        }
        found.ok_or(EuCsvError::MissingColumn {
            line: header_line,
            what,
            accepted,
        })
    };
    let c_name = find("name", NAME_COLS, "Actor, Stakeholder, Name")?;
    let c_cap = find(
        "capability",
        CAP_COLS,
        "Capability, Resources, Power, Influence, Clout",
    )?;
    let c_pos = find("position", POS_COLS, "Position")?;
    let c_sal = find("salience", SAL_COLS, "Salience")?;
    let needed = 1 + c_name.max(c_cap).max(c_pos).max(c_sal);

    let number = |fields: &[String], col: usize, line: usize, what: &'static str| {
        let cell = &fields[col];
        match cell.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(EuCsvError::BadNumber {
                line,
                column: col + 1,
                what,
                value: cell.clone(),
            }),
        }
    };
    let mut actors = Vec::new();
    for (line, text) in rows {
        let fields = split_fields(text, line)?;
        if fields.len() < needed {
            return Err(EuCsvError::TooFewFields {
                line,
                found: fields.len(),
                needed,
            });
        }
        let name = fields[c_name].clone();
        if name.is_empty() {
            return Err(EuCsvError::EmptyName {
                line,
                column: c_name + 1,
            });
        }
        let capability = number(&fields, c_cap, line, "capability")?;
        if capability < 0.0 {
            return Err(EuCsvError::OutOfRange {
                line,
                column: c_cap + 1,
                what: "capability",
                value: capability,
                allowed: ">= 0",
            });
        }
        let position = number(&fields, c_pos, line, "position")?;
        let salience = number(&fields, c_sal, line, "salience")?;
        if !(0.0..=100.0).contains(&salience) {
            return Err(EuCsvError::OutOfRange {
                line,
                column: c_sal + 1,
                what: "salience",
                value: salience,
                allowed: "0..=1, or 0..=100 for a 0-100 column",
            });
        }
        actors.push(EuActor {
            name,
            capability,
            position,
            salience,
        });
    }
    if actors.is_empty() {
        return Err(EuCsvError::NoActors);
    }
    if actors.iter().any(|a| a.salience > 1.0) {
        for a in &mut actors {
            a.salience /= 100.0;
        }
    }
    Ok(actors)
}
