//! Importers: the field's other input formats into brink's [`Scenario`] (and, where the data
//! carry them, [`Outcomes`]).
//!
//! - [`ktab`]: KTAB's SMP CSV (one issue per dimension, 0-100 scales).
//! - [`bdm`]: the expected-utility model's CSV (Actor, Capability, Position, Salience).
//! - [`decide`]: decide-exchange-model's tab-separated `#A/#P/#M/#D` format.
//! - [`deu`]: DEU III rows (one issue per row; Commission, Parliament and member states).
//!
//! Every importer keeps the data as given (no model choices) and cites the file it read. It
//! either returns a scenario that validates (checked: the scenario is written as TOML and read
//! back before it is returned) and says in [`Imported::notes`] what it left out or supplied, or
//! fails with the file, the line and the reason. Numbers are held to brink's bounds
//! ([`crate::limits`]) at the cell they come from.

pub mod bdm;
pub mod decide;
pub mod deu;
pub mod ktab;

use crate::model::*;

/// An input file an importer could not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
#[non_exhaustive]
pub struct ImportError {
    /// The file.
    pub file: String,
    /// 1-based line (0 when the problem is the whole file).
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// What an importer produces.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The scenario.
    pub scenario: Scenario,
    /// Outcomes, when the data carry them (DEU's `out`).
    pub outcomes: Option<Outcomes>,
    /// What the importer left out or supplied, in words (rows skipped, a scale widened, a date
    /// the file does not give), for `brink import` to say.
    pub notes: Vec<String>,
}

/// The formats `brink import --from` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// KTAB SMP CSV.
    Ktab,
    /// Expected-utility CSV.
    Bdm,
    /// decide-exchange-model.
    Decide,
    /// DEU III TSV.
    Deu,
}

impl Format {
    /// Parses a format name (`ktab`, `bdm`, `decide`, `deu`).
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "ktab" => Some(Format::Ktab),
            "bdm" => Some(Format::Bdm),
            "decide" => Some(Format::Decide),
            "deu" => Some(Format::Deu),
            _ => None,
        }
    }
}

/// Imports `text` read from `file` (its name also makes the scenario id).
pub fn import(format: Format, text: &str, file: &str) -> Result<Imported, ImportError> {
    match format {
        Format::Ktab => ktab::import(text, file),
        Format::Bdm => bdm::import(text, file),
        Format::Decide => decide::import(text, file),
        Format::Deu => deu::import(text, file),
    }
}

/// Lines of a text file, with 1-based numbers, accepting `\n`, `\r\n` and bare `\r` endings.
pub(crate) fn lines(text: &str) -> Vec<(usize, &str)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out = Vec::new();
    let mut n = 0;
    for chunk in text.split('\n') {
        for l in chunk.split('\r') {
            n += 1;
            out.push((n, l));
        }
        // "\r\n" counts once: undo the empty piece after a trailing '\r'.
        if chunk.ends_with('\r') {
            n -= 1;
            out.pop();
        }
    }
    out
}

/// The file's stem, as an id.
pub(crate) fn stem(file: &str) -> String {
    let base = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let s = base.split('.').next().unwrap_or(base);
    let id: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if id.is_empty() {
        "imported".into()
    } else {
        id
    }
}

pub(crate) fn err(file: &str, line: usize, message: impl Into<String>) -> ImportError {
    ImportError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// Parses a finite number from a cell, within brink's bounds ([`crate::limits::check_magnitude`]).
pub(crate) fn cell_num(
    file: &str,
    line: usize,
    what: &str,
    cell: &str,
) -> Result<f64, ImportError> {
    let c = cell.trim().trim_matches('\'').trim_matches('"');
    match c.parse::<f64>() {
        // `+ 0.0` turns -0 into 0 (written as `0`, it would read back as +0).
        Ok(v) if v.is_finite() => crate::limits::check_magnitude(v)
            .map(|()| v + 0.0)
            .map_err(|e| err(file, line, format!("{what}: {e}"))),
        _ => Err(err(
            file,
            line,
            format!("{what}: `{c}` is not a finite number"),
        )),
    }
}

/// The last step of every importer: the scenario is written as brink's TOML and read back, and
/// the outcomes checked against it, so that an importer never returns what brink cannot read.
/// The importers check every cell where it is read (with its line); this catches anything they
/// miss, for the whole file.
pub(crate) fn finish(
    file: &str,
    scenario: Scenario,
    outcomes: Option<Outcomes>,
    notes: Vec<String>,
) -> Result<Imported, ImportError> {
    let text = crate::write::scenario_to_toml(&scenario);
    if let Err(e) = crate::load_str(&text, file) {
        let first = e
            .diagnostics()
            .first()
            .map_or_else(|| e.to_string(), |d| format!("{}: {}", d.path, d.message));
        return Err(err(
            file,
            0,
            format!("the file gives no scenario brink can read: {first}"),
        ));
    }
    if let Some(o) = &outcomes {
        let text = crate::write::outcomes_to_toml(o);
        let problem = match crate::load_outcomes_str(&text, file) {
            Err(e) => e
                .diagnostics()
                .first()
                .map(|d| format!("{}: {}", d.path, d.message)),
            Ok(back) => back.check_against(&scenario).into_iter().next(),
        };
        if let Some(p) = problem {
            return Err(err(
                file,
                0,
                format!("the file's outcomes cannot be read back: {p}"),
            ));
        }
    }
    Ok(Imported {
        scenario,
        outcomes,
        notes,
    })
}

/// The note for an `as_of` date the file does not give.
pub(crate) fn date_note(date: Date, why: &str) -> String {
    format!("the file gives no date: as_of is set to {date} ({why}); set it to the date the data describe")
}

/// A source standing for the imported file.
pub(crate) fn file_source(file: &str, citation: &str, date: Date) -> Source {
    Source {
        id: "data".into(),
        citation: format!(
            "{citation} (imported from {})",
            file.rsplit(['/', '\\']).next().unwrap_or(file)
        ),
        date,
        reliability: None,
    }
}

/// Evidence pointing at a row of the imported file.
pub(crate) fn row_evidence(line: usize, cells: &str) -> Evidence {
    Evidence::Quotes(vec![Quote {
        source: 0,
        quote: format!("line {line}: {cells}"),
    }])
}

/// A scale with both ends labelled by their values.
pub(crate) fn plain_points(min: f64, max: f64) -> Vec<ScalePoint> {
    vec![
        ScalePoint {
            at: min,
            label: fmt_num(min),
        },
        ScalePoint {
            at: max,
            label: fmt_num(max),
        },
    ]
}

pub(crate) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Makes ids unique by suffixing `-2`, `-3`, ... to repeats.
pub(crate) fn unique_id(taken: &mut std::collections::HashSet<String>, base: &str) -> String {
    let base = if base.trim().is_empty() {
        "actor"
    } else {
        base.trim()
    };
    let mut id = base.to_string();
    let mut k = 2;
    while taken.contains(&id) {
        id = format!("{base}-{k}");
        k += 1;
    }
    taken.insert(id.clone());
    id
}
