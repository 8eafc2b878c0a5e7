//! Reading ICB release files (v14/v15 layout: 95 columns per level) into typed rows.
//!
//! Columns are found by their header name (case-insensitive), so any file in the release's own
//! columns reads, whatever their order: the shipped development split, a held-out split, the full
//! release. Only the columns brink uses are required; every other column is kept as text
//! ([`IcbData::value`]). Every malformed field is an [`Error::Field`] naming the file, the line
//! and the column.
//!
//! Special codes (`VARIABLES.md`, notes for developers): blank = missing; a day of 66, 77 or 88
//! means early, mid or late in the month (undocumented in v15, read as days 1-10, 11-20 and
//! 21-end); a blank day means any day of the month.

use std::collections::HashMap;

use brink_scenario::Date;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::onset::{ActorOnset, Level, OnsetValues, SystemOnset, GEOG_CODES};

/// The shipped system-level file (325 crises of the v15 development split).
pub const BUILTIN_SYSTEM_CSV: &str = include_str!("../data/icb/icb1-dev.csv");
/// The shipped actor-level file (the 723 crisis actors of those crises).
pub const BUILTIN_ACTOR_CSV: &str = include_str!("../data/icb/icb2-dev.csv");
/// The name the shipped system file goes by in messages.
pub const BUILTIN_SYSTEM_NAME: &str = "<built-in: icb1-dev.csv>";
/// The name the shipped actor file goes by in messages.
pub const BUILTIN_ACTOR_NAME: &str = "<built-in: icb2-dev.csv>";

/// The day of an ICB date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Day {
    /// A known day of the month.
    Known(u8),
    /// 66: early in the month (read as days 1-10).
    Early,
    /// 77: mid-month (days 11-20).
    Mid,
    /// 88: late in the month (days 21 to the end).
    Late,
    /// Blank: any day of the month.
    Unknown,
}

/// A date as ICB codes it: year, month, and a day that may be vague.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IcbDate {
    /// Year.
    pub year: i32,
    /// Month, 1-12 (`None`: only the year is coded, as for a few termination dates).
    pub month: Option<u8>,
    /// Day (`Unknown` when the month is).
    pub day: Day,
}

pub(crate) fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl IcbDate {
    /// The earliest day the date can mean.
    pub fn earliest(&self) -> Date {
        let Some(month) = self.month else {
            return Date {
                year: self.year,
                month: 1,
                day: 1,
            };
        };
        let day = match self.day {
            Day::Known(d) => d,
            Day::Early | Day::Unknown => 1,
            Day::Mid => 11,
            Day::Late => 21,
        };
        Date {
            year: self.year,
            month,
            day,
        }
    }

    /// The latest day the date can mean (used by the before-`as_of` rule, so that a vague date
    /// counts as "before" only when every day it can mean is).
    pub fn latest(&self) -> Date {
        let Some(month) = self.month else {
            return Date {
                year: self.year,
                month: 12,
                day: 31,
            };
        };
        let day = match self.day {
            Day::Known(d) => d,
            Day::Early => 10,
            Day::Mid => 20,
            Day::Late | Day::Unknown => days_in_month(self.year, month),
        };
        Date {
            year: self.year,
            month,
            day,
        }
    }
}

impl std::fmt::Display for IcbDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Some(m) = self.month else {
            return write!(f, "{:04}", self.year);
        };
        match self.day {
            Day::Known(d) => write!(f, "{:04}-{:02}-{:02}", self.year, m, d),
            Day::Early => write!(f, "{:04}-{:02} (early)", self.year, m),
            Day::Mid => write!(f, "{:04}-{:02} (mid)", self.year, m),
            Day::Late => write!(f, "{:04}-{:02} (late)", self.year, m),
            Day::Unknown => write!(f, "{:04}-{:02}", self.year, m),
        }
    }
}

/// One crisis of a system-level file (ICB1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemRow {
    /// 1-based line in the file.
    pub line: usize,
    /// Crisis number (CRISNO), stable across releases.
    pub crisno: u32,
    /// Crisis name (CRISNAME).
    pub name: String,
    /// Trigger date (YRTRIG, MOTRIG, DATRIG): the forecast origin.
    pub trigger: IcbDate,
    /// Termination date (YRTERM, MOTERM, DATERM), if coded.
    pub termination: Option<IcbDate>,
    /// The onset values.
    pub onset: SystemOnset,
    /// The outcome: violence in the crisis as a whole (VIOL), 1-4, if coded.
    pub viol: Option<u8>,
}

/// One crisis actor of an actor-level file (ICB2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorRow {
    /// 1-based line in the file.
    pub line: usize,
    /// Crisis number (CRISNO).
    pub crisno: u32,
    /// Actor-case number (CRACNO).
    pub cracno: u32,
    /// The actor's state code (CRACID).
    pub state: u32,
    /// The actor's three-letter code (ACTOR).
    pub actor: String,
    /// Crisis name (CRISNAME).
    pub name: String,
    /// The crisis's (system) trigger date (SYSTRGYR, SYSTRGMO, SYSTRGDA).
    pub system_trigger: IcbDate,
    /// The actor's own trigger date (YRTRIG, MOTRIG, DATRIG).
    pub trigger: IcbDate,
    /// The actor's termination date (YRTERM, MOTERM, DATERM), if coded.
    pub termination: Option<IcbDate>,
    /// The onset values.
    pub onset: ActorOnset,
    /// The outcome: violence the actor experienced (VIOL), 1-4, if coded.
    pub viol: Option<u8>,
}

/// A parsed ICB file of either level, with its header and every row's raw text.
#[derive(Debug, Clone, PartialEq)]
pub struct IcbData {
    /// The file's name as given (for messages).
    pub file: String,
    /// The header, lower-cased, in file order.
    pub columns: Vec<String>,
    /// Each row's fields as text, in the header's order.
    pub raw: Vec<Vec<String>>,
    /// The typed rows.
    pub rows: IcbRows,
}

/// The typed rows of an [`IcbData`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "level", content = "rows", rename_all = "snake_case")]
pub enum IcbRows {
    /// System level (ICB1).
    System(Vec<SystemRow>),
    /// Actor level (ICB2).
    Actor(Vec<ActorRow>),
}

/// A level-independent view of one row, as the models use it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Case {
    pub crisno: u32,
    /// Actor-case number (actor level).
    pub cracno: Option<u32>,
    /// `CRISIS NAME` or `CRISIS NAME (ACT)`.
    pub label: String,
    pub trigger: IcbDate,
    pub termination: Option<IcbDate>,
    pub viol: Option<u8>,
    pub onset: OnsetValues,
}

impl IcbData {
    /// The level of the file.
    pub fn level(&self) -> Level {
        match self.rows {
            IcbRows::System(_) => Level::System,
            IcbRows::Actor(_) => Level::Actor,
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.raw.len()
    }

    /// True when the file has no data rows.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The raw text of row `i` (0-based) in `column` (case-insensitive), if the column exists.
    pub fn value(&self, i: usize, column: &str) -> Option<&str> {
        let c = column.to_ascii_lowercase();
        let k = self.columns.iter().position(|x| *x == c)?;
        self.raw.get(i).map(|r| r[k].as_str())
    }

    /// The system rows, if this is a system-level file.
    pub fn system_rows(&self) -> Option<&[SystemRow]> {
        match &self.rows {
            IcbRows::System(r) => Some(r),
            IcbRows::Actor(_) => None,
        }
    }

    /// The actor rows, if this is an actor-level file.
    pub fn actor_rows(&self) -> Option<&[ActorRow]> {
        match &self.rows {
            IcbRows::Actor(r) => Some(r),
            IcbRows::System(_) => None,
        }
    }

    pub(crate) fn cases(&self) -> Vec<Case> {
        match &self.rows {
            IcbRows::System(rows) => rows
                .iter()
                .map(|r| Case {
                    crisno: r.crisno,
                    cracno: None,
                    label: r.name.clone(),
                    trigger: r.trigger,
                    termination: r.termination,
                    viol: r.viol,
                    onset: OnsetValues::System(r.onset.clone()),
                })
                .collect(),
            IcbRows::Actor(rows) => rows
                .iter()
                .map(|r| Case {
                    crisno: r.crisno,
                    cracno: Some(r.cracno),
                    label: format!("{} ({})", r.name, r.actor),
                    trigger: r.trigger,
                    termination: r.termination,
                    viol: r.viol,
                    onset: OnsetValues::Actor(r.onset.clone()),
                })
                .collect(),
        }
    }
}

/// The shipped system-level development file, parsed.
pub fn builtin_system() -> IcbData {
    read_str(BUILTIN_SYSTEM_CSV, BUILTIN_SYSTEM_NAME).expect("the shipped ICB1 file reads")
}

/// The shipped actor-level development file, parsed.
pub fn builtin_actor() -> IcbData {
    read_str(BUILTIN_ACTOR_CSV, BUILTIN_ACTOR_NAME).expect("the shipped ICB2 file reads")
}

/// The shipped file of a level, parsed.
pub fn builtin(level: Level) -> IcbData {
    match level {
        Level::System => builtin_system(),
        Level::Actor => builtin_actor(),
    }
}

/// Reads an ICB file from disk (level detected from its header, see [`read_str`]).
pub fn read_file(path: &std::path::Path) -> Result<IcbData> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
        file: file.clone(),
        reason: e.to_string(),
    })?;
    read_str(&text, &file)
}

/// Reads ICB CSV text; `file` names it in messages. The level is the header's: a file with a
/// `cracno` column is actor level (ICB2), otherwise system level (ICB1).
pub fn read_str(text: &str, file: &str) -> Result<IcbData> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let Some((_, head)) = lines.next() else {
        return Err(Error::File {
            file: file.into(),
            line: 1,
            message: "the file is empty: expected a header row of ICB column names".into(),
        });
    };
    let columns: Vec<String> = split_csv(head)
        .map_err(|m| Error::File {
            file: file.into(),
            line: 1,
            message: m,
        })?
        .into_iter()
        .map(|c| c.trim().to_ascii_lowercase())
        .collect();
    let mut index = HashMap::new();
    for (k, c) in columns.iter().enumerate() {
        if index.insert(c.clone(), k).is_some() {
            return Err(Error::File {
                file: file.into(),
                line: 1,
                message: format!("column `{c}` appears twice in the header"),
            });
        }
    }
    let level = if index.contains_key("cracno") {
        Level::Actor
    } else {
        Level::System
    };
    let required: &[&str] = match level {
        Level::System => SYSTEM_COLUMNS,
        Level::Actor => ACTOR_COLUMNS,
    };
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(Error::File {
            file: file.into(),
            line: 1,
            message: format!(
                "not an ICB {} file in the release's columns: missing column{} {}",
                if level == Level::Actor {
                    "actor-level (ICB2)"
                } else {
                    "system-level (ICB1)"
                },
                if missing.len() == 1 { "" } else { "s" },
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }
    let mut raw = Vec::new();
    let mut sys = Vec::new();
    let mut act = Vec::new();
    for (line, l) in lines {
        if l.trim().is_empty() {
            continue;
        }
        let fields = split_csv(l).map_err(|m| Error::File {
            file: file.into(),
            line,
            message: m,
        })?;
        if fields.len() != columns.len() {
            return Err(Error::File {
                file: file.into(),
                line,
                message: format!(
                    "the row has {} fields, the header {}",
                    fields.len(),
                    columns.len()
                ),
            });
        }
        let r = Row {
            file,
            line,
            fields: &fields,
            index: &index,
        };
        match level {
            Level::System => sys.push(system_row(&r)?),
            Level::Actor => act.push(actor_row(&r)?),
        }
        raw.push(fields);
    }
    let rows = match level {
        Level::System => IcbRows::System(sys),
        Level::Actor => IcbRows::Actor(act),
    };
    Ok(IcbData {
        file: file.into(),
        columns,
        raw,
        rows,
    })
}

const SYSTEM_COLUMNS: &[&str] = &[
    "crisno", "crisname", "break", "trigent", "yrtrig", "motrig", "datrig", "yrterm", "moterm",
    "daterm", "viol", "iwcmb", "gravcr", "issues", "geog", "geogrel", "period", "syslevsy",
    "protrac", "powdissy", "ethnic",
];

const ACTOR_COLUMNS: &[&str] = &[
    "crisno", "cracno", "cracid", "actor", "systrgyr", "systrgmo", "systrgda", "crisname",
    "triggr", "yrtrig", "motrig", "datrig", "trigent", "trigloc", "southpow", "yrterm", "moterm",
    "daterm", "geog", "cractloc", "period", "syslev", "pc", "viol", "iwc", "powdis", "territ",
    "regime", "durreg", "allycap", "nuclear", "powsta", "issue", "gravty", "massvl", "gvinst",
];

/// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).
fn split_csv(line: &str) -> std::result::Result<Vec<String>, String> {
    let line = line.strip_suffix('\r').unwrap_or(line);
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut started = true; // at the start of a field
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    cur.push('"');
                } else {
                    quoted = false;
                }
            } else {
                cur.push(c);
            }
        } else if c == '"' && started {
            quoted = true;
            started = false;
        } else if c == ',' {
            out.push(std::mem::take(&mut cur));
            started = true;
        } else {
            cur.push(c);
            started = false;
        }
    }
    if quoted {
        return Err("a quoted field is not closed on its line".into());
    }
    out.push(cur);
    Ok(out)
}

struct Row<'a> {
    file: &'a str,
    line: usize,
    fields: &'a [String],
    index: &'a HashMap<String, usize>,
}

impl Row<'_> {
    fn text(&self, col: &str) -> &str {
        self.fields[self.index[col]].trim()
    }

    fn err(&self, col: &str, message: String) -> Error {
        Error::Field {
            file: self.file.into(),
            line: self.line,
            column: col.into(),
            message,
        }
    }

    /// An integer, or `None` when blank.
    fn int(&self, col: &str) -> Result<Option<i64>> {
        let t = self.text(col);
        if t.is_empty() {
            return Ok(None);
        }
        // Some exports write whole numbers as `3.0`.
        let t = t.strip_suffix(".0").unwrap_or(t);
        t.parse::<i64>()
            .map(Some)
            .map_err(|_| self.err(col, format!("`{t}` is not a whole number")))
    }

    fn req_int(&self, col: &str) -> Result<i64> {
        self.int(col)?
            .ok_or_else(|| self.err(col, "is blank: a value is required".into()))
    }

    /// A number (blank = `None`).
    fn num(&self, col: &str) -> Result<Option<f64>> {
        let t = self.text(col);
        if t.is_empty() {
            return Ok(None);
        }
        match t.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.err(col, format!("`{t}` is not a number"))),
        }
    }

    /// A code in `lo..=hi` (blank = `None`).
    fn code(&self, col: &str, lo: i64, hi: i64) -> Result<Option<u8>> {
        match self.int(col)? {
            None => Ok(None),
            Some(v) if (lo..=hi).contains(&v) => Ok(Some(v as u8)),
            Some(v) => Err(self.err(
                col,
                format!("code {v} is outside the codebook's range {lo}-{hi}"),
            )),
        }
    }

    fn geog(&self, col: &str) -> Result<Option<u8>> {
        match self.int(col)? {
            None => Ok(None),
            Some(v) if GEOG_CODES.contains(&v) => Ok(Some(v as u8)),
            Some(v) => Err(self.err(
                col,
                format!("region code {v} is not one of the codebook's: 9-13, 15, 20-24, 30-35, 41-43, 51"),
            )),
        }
    }

    fn entity(&self, col: &str) -> Result<Option<u32>> {
        match self.int(col)? {
            None => Ok(None),
            Some(v) if (1..=999).contains(&v) => Ok(Some(v as u32)),
            Some(v) => Err(self.err(
                col,
                format!("{v} is not a state number (1-990) nor 995, 996 or 997"),
            )),
        }
    }

    fn positive(&self, col: &str) -> Result<u32> {
        let v = self.req_int(col)?;
        if v < 1 || v > u32::MAX as i64 {
            return Err(self.err(col, format!("{v} is not a positive number")));
        }
        Ok(v as u32)
    }

    /// A date from three columns; `None` when all three are blank. A year alone is accepted
    /// (some termination dates); a trigger date needs its month ([`Row::req_date`]).
    fn date(&self, y: &str, m: &str, d: &str) -> Result<Option<IcbDate>> {
        let (yy, mm, dd) = (self.int(y)?, self.int(m)?, self.int(d)?);
        let Some(yy) = yy else {
            if mm.is_some() || dd.is_some() {
                return Err(self.err(y, "is blank but the date's other fields are not".into()));
            }
            return Ok(None);
        };
        if !(1800..=2200).contains(&yy) {
            return Err(self.err(y, format!("year {yy} is implausible")));
        }
        let Some(mm) = mm else {
            if dd.is_some() {
                return Err(self.err(m, "is blank but the date's day is given".into()));
            }
            return Ok(Some(IcbDate {
                year: yy as i32,
                month: None,
                day: Day::Unknown,
            }));
        };
        if !(1..=12).contains(&mm) {
            return Err(self.err(m, format!("month {mm} is not 1-12")));
        }
        let day = match dd {
            None => Day::Unknown,
            Some(66) => Day::Early,
            Some(77) => Day::Mid,
            Some(88) => Day::Late,
            Some(v) if v >= 1 && v <= days_in_month(yy as i32, mm as u8) as i64 => {
                Day::Known(v as u8)
            }
            Some(v) => {
                return Err(self.err(
                    d,
                    format!("day {v} is not a day of {yy}-{mm:02} (nor 66, 77 or 88: early, mid or late in the month)"),
                ))
            }
        };
        Ok(Some(IcbDate {
            year: yy as i32,
            month: Some(mm as u8),
            day,
        }))
    }

    fn req_date(&self, y: &str, m: &str, d: &str) -> Result<IcbDate> {
        let date = self
            .date(y, m, d)?
            .ok_or_else(|| self.err(y, "is blank: a trigger date is required".into()))?;
        if date.month.is_none() {
            return Err(self.err(m, "is blank: a trigger date needs its month".into()));
        }
        Ok(date)
    }
}

fn system_row(r: &Row<'_>) -> Result<SystemRow> {
    let iwcmb = r.code("iwcmb", 1, 10)?;
    Ok(SystemRow {
        line: r.line,
        crisno: r.positive("crisno")?,
        name: r.text("crisname").to_string(),
        trigger: r.req_date("yrtrig", "motrig", "datrig")?,
        termination: r.date("yrterm", "moterm", "daterm")?,
        viol: r.code("viol", 1, 4)?,
        onset: SystemOnset {
            period: r.code("period", 1, 6)?,
            trigger: r.code("break", 1, 9)?,
            triggering_entity: r.entity("trigent")?,
            region: r.geog("geog")?,
            proximity: r.code("geogrel", 1, 3)?,
            protracted: r.code("protrac", 1, 3)?,
            power_discrepancy: nonneg(r, "powdissy")?,
            ethnic: r.code("ethnic", 1, 3)?,
            intra_war: iwcmb.map(|c| c >= 3),
            gravity: r.code("gravcr", 0, 7)?,
            system_level: r.code("syslevsy", 1, 4)?,
            issues: r.code("issues", 1, 5)?,
        },
    })
}

fn nonneg(r: &Row<'_>, col: &str) -> Result<Option<f64>> {
    match r.num(col)? {
        Some(v) if v < 0.0 => Err(r.err(col, format!("{v} is negative: the score is >= 0"))),
        v => Ok(v),
    }
}

fn actor_row(r: &Row<'_>) -> Result<ActorRow> {
    let system_trigger = r.req_date("systrgyr", "systrgmo", "systrgda")?;
    let trigger = r.req_date("yrtrig", "motrig", "datrig")?;
    let late = (trigger.year, trigger.month) > (system_trigger.year, system_trigger.month); // months are Some (req_date)
    let powdis = match r.num("powdis")? {
        Some(v) if v.abs() > 179.0 => {
            return Err(r.err(
                "powdis",
                format!("{v} is outside the codebook's range -179..179"),
            ))
        }
        v => v,
    };
    Ok(ActorRow {
        line: r.line,
        crisno: r.positive("crisno")?,
        cracno: r.positive("cracno")?,
        state: r.positive("cracid")?,
        actor: r.text("actor").to_string(),
        name: r.text("crisname").to_string(),
        system_trigger,
        trigger,
        termination: r.date("yrterm", "moterm", "daterm")?,
        viol: r.code("viol", 1, 4)?,
        onset: ActorOnset {
            period: r.code("period", 1, 6)?,
            trigger: r.code("triggr", 1, 9)?,
            triggering_entity: r.entity("trigent")?,
            trigger_location: r.code("trigloc", 1, 2)?,
            threat_source_power: r.code("southpow", 1, 4)?,
            issue: r.code("issue", 1, 5)?,
            power_status: r.code("powsta", 1, 4)?,
            nuclear: r.code("nuclear", 1, 4)?,
            regime: r.code("regime", 1, 5)?,
            regime_age: r.code("durreg", 1, 3)?,
            alliance: r.code("allycap", 1, 4)?,
            territory: r.code("territ", 1, 3)?,
            region: r.geog("geog")?,
            distance: r.code("cractloc", 1, 4)?,
            protracted: r.code("pc", 1, 3)?,
            intra_war: r.code("iwc", 1, 10)?.map(|c| c > 1),
            power_discrepancy: powdis,
            late_entrant: Some(late),
            mass_violence: r.code("massvl", 1, 4)?,
            government_instability: r.code("gvinst", 1, 4)?,
            gravity: r.code("gravty", 0, 7)?,
            system_level: r.code("syslev", 1, 2)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_commas() {
        assert_eq!(
            split_csv(r#"a,"b, c","d ""e""",,f"#).unwrap(),
            vec!["a", "b, c", "d \"e\"", "", "f"]
        );
        assert!(split_csv(r#"a,"b"#).is_err());
        assert_eq!(split_csv("x,y\r").unwrap(), vec!["x", "y"]);
    }

    #[test]
    fn vague_days() {
        let d = IcbDate {
            year: 1948,
            month: Some(2),
            day: Day::Late,
        };
        assert_eq!(d.earliest().to_string(), "1948-02-21");
        assert_eq!(d.latest().to_string(), "1948-02-29");
        let u = IcbDate {
            year: 1950,
            month: Some(6),
            day: Day::Unknown,
        };
        assert_eq!((u.earliest().day, u.latest().day), (1, 30));
        let m = IcbDate {
            year: 1950,
            month: Some(6),
            day: Day::Mid,
        };
        assert_eq!((m.earliest().day, m.latest().day), (11, 20));
    }
}
