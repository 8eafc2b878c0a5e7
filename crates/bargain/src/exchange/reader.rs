//! Reader for decide-exchange-model's input format.
//!
//! One record per line, fields separated by TAB (or, if the first record has no TAB, `;` or `,`),
//! each field optionally quoted with `'` or `"`:
//! * `#A id fullname [comment]`: an actor (file order is actor order);
//! * `#P name [description]`: an issue (file order is issue order);
//! * `#M issue value [meaning]`: a point of the issue's scale; lower = the issue's first `#M`
//!   value, upper = its largest (0..100 without `#M` rows);
//! * `#D actor issue position salience power [comment]`: a stance; salience and power in 0..100;
//! * `#/` and `#O` rows and blank lines are ignored.

use super::{ExIssue, ExStance, ExchangeInput};
use std::collections::HashMap;

/// A problem in a decide input file; `line` is 1-based.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecideFormatError {
    /// The first field is not one of `#A #P #M #D #/ #O`.
    #[error("line {line}: unknown row type `{tag}` (expected #A, #P, #M, #D, #/ or #O)")]
    UnknownRow {
        /// Line number.
        line: usize,
        /// The first field.
        tag: String,
    },
    /// A required field is missing or empty.
    #[error("line {line}: {row} row lacks its {field}")]
    MissingField {
        /// Line number.
        line: usize,
        /// Row type.
        row: &'static str,
        /// Field name.
        field: &'static str,
    },
    /// A field that must be a number is not.
    #[error("line {line}: {field} `{text}` is not a finite number")]
    BadNumber {
        /// Line number.
        line: usize,
        /// Field name.
        field: &'static str,
        /// The text.
        text: String,
    },
    /// A quoted field is not closed.
    #[error("line {line}: unterminated quote")]
    UnterminatedQuote {
        /// Line number.
        line: usize,
    },
    /// An actor id or issue name appears twice.
    #[error("line {line}: {what} `{name}` was already defined on line {first}")]
    Duplicate {
        /// Line number.
        line: usize,
        /// `actor`, `issue` or `stance`.
        what: &'static str,
        /// The name.
        name: String,
        /// Line of the first definition.
        first: usize,
    },
    /// A row names an actor that no `#A` row defines.
    #[error("line {line}: unknown actor `{actor}`")]
    UnknownActor {
        /// Line number.
        line: usize,
        /// The actor id.
        actor: String,
    },
    /// A row names an issue that no `#P` row defines.
    #[error("line {line}: unknown issue `{issue}`")]
    UnknownIssue {
        /// Line number.
        line: usize,
        /// The issue name.
        issue: String,
    },
    /// A scale point below the issue's first `#M` value (the package reads the first as lower).
    #[error("line {line}: scale point {value} of issue `{issue}` lies below its first #M value {first}; list the lowest point first")]
    ScaleOrder {
        /// Line number.
        line: usize,
        /// The issue.
        issue: String,
        /// The value.
        value: f64,
        /// The first value.
        first: f64,
    },
    /// An issue whose scale has no width.
    #[error("line {line}: issue `{issue}` has an empty scale ({lower}..{upper})")]
    EmptyScale {
        /// Line of the `#P` row.
        line: usize,
        /// The issue.
        issue: String,
        /// Lower end.
        lower: f64,
        /// Upper end.
        upper: f64,
    },
    /// A position outside the issue's scale.
    #[error(
        "line {line}: position {position} of `{actor}` on `{issue}` is outside {lower}..{upper}"
    )]
    PositionOutOfRange {
        /// Line number.
        line: usize,
        /// Actor.
        actor: String,
        /// Issue.
        issue: String,
        /// Position.
        position: f64,
        /// Lower end.
        lower: f64,
        /// Upper end.
        upper: f64,
    },
    /// Salience or power outside 0..100.
    #[error("line {line}: {field} {value} is outside 0..100")]
    WeightOutOfRange {
        /// Line number.
        line: usize,
        /// `salience` or `power`.
        field: &'static str,
        /// The value.
        value: f64,
    },
}

fn split_fields(line: &str, delim: char, lineno: usize) -> Result<Vec<String>, DecideFormatError> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        let mut field = String::new();
        if let Some(q) = chars.peek().copied().filter(|c| *c == '\'' || *c == '"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return Err(DecideFormatError::UnterminatedQuote { line: lineno }),
                    Some(c) if c == q => {
                        if chars.peek() == Some(&q) {
                            chars.next();
                            field.push(q);
                        } else {
                            break;
                        }
                    }
                    Some(c) => field.push(c),
                }
            }
        }
        // the rest up to the delimiter belongs to the same field
        let mut at_end = true;
        for c in chars.by_ref() {
            if c == delim {
                at_end = false;
                break;
            }
            field.push(c);
        }
        out.push(field.trim().to_string());
        if at_end {
            return Ok(out);
        }
    }
}

fn field<'a>(
    f: &'a [String],
    n: usize,
    line: usize,
    row: &'static str,
    name: &'static str,
) -> Result<&'a str, DecideFormatError> {
    match f.get(n).map(|s| s.trim()) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(DecideFormatError::MissingField {
            line,
            row,
            field: name,
        }),
    }
}

fn number(text: &str, line: usize, field: &'static str) -> Result<f64, DecideFormatError> {
    let bad = || DecideFormatError::BadNumber {
        line,
        field,
        text: text.to_string(),
    };
    // digits, sign, point and exponent only (no "inf"/"nan")
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return Err(bad());
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(bad()),
    }
}

struct IssueAcc {
    line: usize,
    first: Option<f64>,
    max: Option<f64>,
}

/// Parses decide-exchange-model's tab-separated input (see the module docs) into an
/// [`ExchangeInput`]. Every problem is reported with its line number.
pub fn read_decide(text: &str) -> Result<ExchangeInput, DecideFormatError> {
    let mut delim = None;
    let mut input = ExchangeInput::default();
    let mut actor_line: HashMap<String, usize> = HashMap::new();
    let mut issue_acc: HashMap<String, IssueAcc> = HashMap::new();
    let mut stance_line: HashMap<(String, String), usize> = HashMap::new();
    let mut scale_rows: Vec<(usize, String, f64)> = Vec::new();
    let mut stance_rows: Vec<(usize, ExStance)> = Vec::new();

    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (n, raw) in text.lines().enumerate() {
        let line = n + 1;
        if raw.trim().is_empty() {
            continue;
        }
        let d = *delim.get_or_insert_with(|| {
            if raw.contains('\t') {
                '\t'
            } else if raw.contains(';') {
                ';'
            } else {
                ','
            }
        });
        let f = split_fields(raw, d, line)?;
        if f.iter().all(|s| s.trim().is_empty()) {
            continue;
        }
        let tag = f[0].trim();
        match tag {
            "#A" => {
                let id = field(&f, 1, line, "#A", "actor id")?.to_string();
                if let Some(&first) = actor_line.get(&id) {
                    return Err(DecideFormatError::Duplicate {
                        line,
                        what: "actor",
                        name: id,
                        first,
                    });
                }
                actor_line.insert(id.clone(), line);
                input.actors.push(id);
            }
            "#P" => {
                let name = field(&f, 1, line, "#P", "issue name")?.to_string();
                if let Some(acc) = issue_acc.get(&name) {
                    return Err(DecideFormatError::Duplicate {
                        line,
                        what: "issue",
                        name,
                        first: acc.line,
                    });
                }
                issue_acc.insert(
                    name.clone(),
                    IssueAcc {
                        line,
                        first: None,
                        max: None,
                    },
                );
                input.issues.push(ExIssue {
                    name,
                    lower: 0.0,
                    upper: 100.0,
                });
            }
            "#M" => {
                let issue = field(&f, 1, line, "#M", "issue name")?.to_string();
                let value = number(field(&f, 2, line, "#M", "value")?, line, "value")?;
                scale_rows.push((line, issue, value));
            }
            "#D" => {
                let actor = field(&f, 1, line, "#D", "actor id")?.to_string();
                let issue = field(&f, 2, line, "#D", "issue name")?.to_string();
                let position = number(field(&f, 3, line, "#D", "position")?, line, "position")?;
                let salience = number(field(&f, 4, line, "#D", "salience")?, line, "salience")?;
                let power = number(field(&f, 5, line, "#D", "power")?, line, "power")?;
                for (name, v) in [("salience", salience), ("power", power)] {
                    if !(0.0..=100.0).contains(&v) {
                        return Err(DecideFormatError::WeightOutOfRange {
                            line,
                            field: name,
                            value: v,
                        });
                    }
                }
                let key = (actor.clone(), issue.clone());
                if let Some(&first) = stance_line.get(&key) {
                    return Err(DecideFormatError::Duplicate {
                        line,
                        what: "stance",
                        name: format!("{actor} on {issue}"),
                        first,
                    });
                }
                stance_line.insert(key, line);
                stance_rows.push((
                    line,
                    ExStance {
                        actor,
                        issue,
                        position,
                        salience,
                        power,
                    },
                ));
            }
            "#/" | "#O" => {}
            other => {
                return Err(DecideFormatError::UnknownRow {
                    line,
                    tag: other.chars().take(40).collect(),
                })
            }
        }
    }

    // scales (rows may come before or after their #P)
    for (line, issue, value) in scale_rows {
        let acc = issue_acc
            .get_mut(&issue)
            .ok_or_else(|| DecideFormatError::UnknownIssue {
                line,
                issue: issue.clone(),
            })?;
        match acc.first {
            None => {
                acc.first = Some(value);
                acc.max = Some(value);
            }
            Some(first) => {
                if value < first {
                    return Err(DecideFormatError::ScaleOrder {
                        line,
                        issue,
                        value,
                        first,
                    });
                }
                if acc.max.is_none_or(|m| value > m) {
                    acc.max = Some(value);
                }
            }
        }
    }
    for is in &mut input.issues {
        if let Some(acc) = issue_acc.get(&is.name) {
            if let (Some(lo), Some(hi)) = (acc.first, acc.max) {
                is.lower = lo;
                is.upper = hi;
            }
            if is.lower >= is.upper {
                return Err(DecideFormatError::EmptyScale {
                    line: acc.line,
                    issue: is.name.clone(),
                    lower: is.lower,
                    upper: is.upper,
                });
            }
        }
    }
    let scale: HashMap<&str, (f64, f64)> = input
        .issues
        .iter()
        .map(|i| (i.name.as_str(), (i.lower, i.upper)))
        .collect();
    for (line, st) in stance_rows {
        if !actor_line.contains_key(&st.actor) {
            return Err(DecideFormatError::UnknownActor {
                line,
                actor: st.actor,
            });
        }
        let Some(&(lower, upper)) = scale.get(st.issue.as_str()) else {
            return Err(DecideFormatError::UnknownIssue {
                line,
                issue: st.issue,
            });
        };
        if !(st.position >= lower && st.position <= upper) {
            return Err(DecideFormatError::PositionOutOfRange {
                line,
                actor: st.actor,
                issue: st.issue,
                position: st.position,
                lower,
                upper,
            });
        }
        input.stances.push(st);
    }
    Ok(input)
}
