//! Rows and records: writing a sealed record into its table, and reading every row back into a
//! record, strictly (a value not in its single stored spelling is reported, not repaired).

use rusqlite::{params, Connection, Row};
use serde::{de::DeserializeOwned, Serialize};

use crate::chain::{Body, Record};
use crate::model::{Entry, Forecaster, Question, Resolution, ScenarioRef, Source};
use crate::time::{Date, Timestamp};

/// The table a record lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// `entries`.
    Entries,
    /// `resolutions`.
    Resolutions,
}

impl Table {
    /// The table's name.
    pub fn name(self) -> &'static str {
        match self {
            Table::Entries => "entries",
            Table::Resolutions => "resolutions",
        }
    }
}

/// A record with its row id.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    pub table: Table,
    pub id: i64,
    pub record: Record,
}

/// A row that does not read back as a record.
#[derive(Debug, Clone)]
pub(crate) struct Unreadable {
    pub table: Table,
    pub id: i64,
    pub origin: Option<String>,
    pub seq: Option<i64>,
    pub column: &'static str,
    pub message: String,
}

/// The canonical JSON text of a value (what nested columns hold).
pub(crate) fn json<T: Serialize>(v: &T) -> String {
    crate::chain::to_jcs(v)
}

/// Writes a sealed record (and, for an entry, its tag rows); returns the row id.
pub(crate) fn insert(conn: &Connection, r: &Record) -> rusqlite::Result<i64> {
    let seq = i64::try_from(r.seq).expect("seq fits in i64");
    match &r.body {
        Body::Entry(e) => {
            conn.execute(
                "INSERT INTO entries (origin, seq, prev_hash, hash, recorded_at, question,
                 question_text, kind, statement, forecaster, forecaster_model, forecaster_source,
                 scenario_id, scenario_sha256, brink_version, seed, draws, tags, horizon, as_of,
                 backtest)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
                 ?17, ?18, ?19, ?20, ?21)",
                params![
                    r.origin,
                    seq,
                    r.prev,
                    r.hash,
                    r.recorded_at.to_string(),
                    e.question.id,
                    e.question.text,
                    json(&e.question.kind),
                    json(&e.statement),
                    e.forecaster.name,
                    e.forecaster.model,
                    e.forecaster.source,
                    e.scenario.as_ref().map(|s| &s.id),
                    e.scenario.as_ref().map(|s| &s.sha256),
                    e.brink_version,
                    e.seed.map(|s| s.to_string()),
                    e.draws.map(|d| d as i64),
                    json(&e.tags),
                    e.horizon.map(|d| d.to_string()),
                    e.as_of.to_string(),
                    e.backtest as i64,
                ],
            )?;
            let id = conn.last_insert_rowid();
            for t in &e.tags {
                conn.execute(
                    "INSERT INTO entry_tags (entry, tag) VALUES (?1, ?2)",
                    params![id, t],
                )?;
            }
            Ok(id)
        }
        Body::Resolution(res) => {
            conn.execute(
                "INSERT INTO resolutions (origin, seq, prev_hash, hash, recorded_at, question,
                 outcome, date, citation, quote)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    r.origin,
                    seq,
                    r.prev,
                    r.hash,
                    r.recorded_at.to_string(),
                    res.question,
                    json(&res.outcome),
                    res.date.to_string(),
                    res.source.citation,
                    res.source.quote,
                ],
            )?;
            Ok(conn.last_insert_rowid())
        }
    }
}

type Col<T> = Result<T, (&'static str, String)>;

fn get<T: rusqlite::types::FromSql>(row: &Row, col: &'static str) -> Col<T> {
    row.get(col).map_err(|e| (col, format!("unreadable: {e}")))
}

fn text(row: &Row, col: &'static str) -> Col<String> {
    get(row, col)
}

fn strict_json<T: DeserializeOwned + Serialize>(row: &Row, col: &'static str) -> Col<T> {
    let s: String = text(row, col)?;
    let v: T = serde_json::from_str(&s).map_err(|e| (col, format!("unreadable: {e}")))?;
    if json(&v) != s {
        return Err((col, format!("`{s}` is not in its canonical form")));
    }
    Ok(v)
}

fn strict_date(col: &'static str, s: &str) -> Col<Date> {
    Date::parse(s).ok_or((col, format!("`{s}` is not a date YYYY-MM-DD")))
}

fn opt_text(row: &Row, col: &'static str) -> Col<Option<String>> {
    get(row, col)
}

fn chain_fields(row: &Row) -> Col<(String, u64, String, String, Timestamp)> {
    let origin = text(row, "origin")?;
    let seq: i64 = get(row, "seq")?;
    let seq = u64::try_from(seq)
        .ok()
        .filter(|s| *s >= 1)
        .ok_or(("seq", format!("{seq} is not a record number")))?;
    let prev = text(row, "prev_hash")?;
    let hash = text(row, "hash")?;
    let at = text(row, "recorded_at")?;
    let recorded_at = Timestamp::parse(&at).ok_or((
        "recorded_at",
        format!("`{at}` is not a timestamp YYYY-MM-DDTHH:MM:SS.ffffffZ"),
    ))?;
    Ok((origin, seq, prev, hash, recorded_at))
}

fn entry_row(row: &Row) -> Col<Record> {
    let (origin, seq, prev, hash, recorded_at) = chain_fields(row)?;
    let scenario = match (
        opt_text(row, "scenario_id")?,
        opt_text(row, "scenario_sha256")?,
    ) {
        (Some(id), Some(sha256)) => Some(ScenarioRef { id, sha256 }),
        (None, None) => None,
        _ => {
            return Err((
                "scenario_sha256",
                "scenario id and SHA-256 must both be present or both absent".into(),
            ))
        }
    };
    let seed = match opt_text(row, "seed")? {
        None => None,
        Some(s) => {
            let v: u64 = s
                .parse()
                .map_err(|_| ("seed", format!("`{s}` is not a seed")))?;
            if v.to_string() != s {
                return Err(("seed", format!("`{s}` is not in its canonical form")));
            }
            Some(v)
        }
    };
    let draws: Option<i64> = get(row, "draws")?;
    let draws = draws
        .map(|d| u64::try_from(d).map_err(|_| ("draws", format!("{d} is negative"))))
        .transpose()?;
    let horizon = opt_text(row, "horizon")?
        .map(|s| strict_date("horizon", &s))
        .transpose()?;
    let as_of = strict_date("as_of", &text(row, "as_of")?)?;
    let backtest = match get::<i64>(row, "backtest")? {
        0 => false,
        1 => true,
        b => return Err(("backtest", format!("{b} is not 0 or 1"))),
    };
    let entry = Entry {
        question: Question {
            id: text(row, "question")?,
            text: text(row, "question_text")?,
            kind: strict_json(row, "kind")?,
        },
        statement: strict_json(row, "statement")?,
        forecaster: Forecaster {
            name: text(row, "forecaster")?,
            model: opt_text(row, "forecaster_model")?,
            source: opt_text(row, "forecaster_source")?,
        },
        scenario,
        brink_version: opt_text(row, "brink_version")?,
        seed,
        draws,
        tags: strict_json(row, "tags")?,
        horizon,
        as_of,
        backtest,
    };
    Ok(Record {
        origin,
        seq,
        prev,
        recorded_at,
        body: Body::Entry(Box::new(entry)),
        hash,
    })
}

fn resolution_row(row: &Row) -> Col<Record> {
    let (origin, seq, prev, hash, recorded_at) = chain_fields(row)?;
    let res = Resolution {
        question: text(row, "question")?,
        outcome: strict_json(row, "outcome")?,
        date: strict_date("date", &text(row, "date")?)?,
        source: Source {
            citation: text(row, "citation")?,
            quote: text(row, "quote")?,
        },
    };
    Ok(Record {
        origin,
        seq,
        prev,
        recorded_at,
        body: Body::Resolution(res),
        hash,
    })
}

/// Every row of both tables: the records that read back, ordered by chain and number, and the
/// rows that do not.
pub(crate) fn read_all(conn: &Connection) -> rusqlite::Result<(Vec<Stored>, Vec<Unreadable>)> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for table in [Table::Entries, Table::Resolutions] {
        let mut st = conn.prepare(&format!("SELECT * FROM {} ORDER BY id", table.name()))?;
        let mut rows = st.query([])?;
        while let Some(row) = rows.next()? {
            let id: i64 = row.get("id")?;
            let rec = match table {
                Table::Entries => entry_row(row),
                Table::Resolutions => resolution_row(row),
            };
            match rec {
                Ok(record) => ok.push(Stored { table, id, record }),
                Err((column, message)) => bad.push(Unreadable {
                    table,
                    id,
                    origin: row.get("origin").ok(),
                    seq: row.get("seq").ok(),
                    column,
                    message,
                }),
            }
        }
    }
    ok.sort_by(|a, b| {
        (&a.record.origin, a.record.seq, a.table.name(), a.id).cmp(&(
            &b.record.origin,
            b.record.seq,
            b.table.name(),
            b.id,
        ))
    });
    Ok((ok, bad))
}
