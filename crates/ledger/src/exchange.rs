//! Export and import: the ledger as one JSON document (every chain, every record with its hash,
//! for merging on another machine) or as CSV (one row per record, for spreadsheets); and the
//! merge of a JSON export into a ledger.
//!
//! Merging keeps every record in its own chain with its own hash, so the merged ledger still
//! verifies record by record. A record already present (same chain, number and hash) is a
//! duplicate and skipped. A chain that continues where the ledger's copy of it ends is appended.
//! Everything else is a conflict, reported, and the import is refused whole: a chain that forks
//! (same number, other hash), this ledger's own chain continued elsewhere (the file was copied
//! and written on in two places), a question given another kind, a question resolved with
//! another outcome.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::chain::{content_hash, Anchor, Body, Record, GENESIS};
use crate::error::{Error, Result};
use crate::model::{Outcome, QuestionKind, Statement};
use crate::store::Stored;
use crate::time::Timestamp;

/// The `format` of an export document.
pub const EXPORT_FORMAT: &str = "brink-ledger-export";

/// The schema version of the export document.
pub const EXPORT_SCHEMA: u32 = 1;

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ExportFormat {
    /// The JSON document [`Export`] (what `import` reads).
    Json,
    /// CSV, one row per record (for reading, not for import).
    Csv,
}

/// A ledger exported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Export {
    /// [`EXPORT_FORMAT`].
    pub format: String,
    /// [`EXPORT_SCHEMA`].
    pub schema: u32,
    /// The exporting ledger's id.
    pub ledger: String,
    /// When it was exported.
    pub exported_at: Timestamp,
    /// Each chain's head.
    pub chains: Vec<Anchor>,
    /// Every record, by chain and number.
    pub records: Vec<Record>,
}

/// What an import did, chain by chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainImport {
    /// The chain.
    pub origin: String,
    /// Its records in the file.
    pub in_file: usize,
    /// Records added.
    pub added: usize,
    /// Records already in the ledger.
    pub already_here: usize,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Per chain in the file.
    pub chains: Vec<ChainImport>,
    /// Records added in all.
    pub added: usize,
    /// Records skipped as already present.
    pub duplicates: usize,
    /// Added entries whose content repeats an entry of another chain (the same forecast recorded
    /// on two machines; scored once).
    pub repeated_forecasts: usize,
    /// Added resolutions agreeing with a resolution already here (kept; scored once).
    pub agreeing_resolutions: usize,
}

/// Builds the export document.
pub(crate) fn export(ledger: &str, records: Vec<Record>) -> Export {
    let mut heads: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in &records {
        heads.insert(&r.origin, r);
    }
    let chains = heads
        .values()
        .map(|r| Anchor {
            origin: r.origin.clone(),
            seq: r.seq,
            hash: r.hash.clone(),
        })
        .collect();
    Export {
        format: EXPORT_FORMAT.into(),
        schema: EXPORT_SCHEMA,
        ledger: ledger.into(),
        exported_at: Timestamp::now(),
        chains,
        records,
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.trim() != s {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A statement in words, e.g. `war 0.001; negotiated settlement 0.997`.
pub fn statement_summary(st: &Statement) -> String {
    match st {
        Statement::Probability(p) => format!("yes {p}"),
        Statement::Event { class, p } => format!("{class} {p}"),
        Statement::Classes(ps) => ps
            .iter()
            .map(|c| format!("{} {}", c.class, c.p))
            .collect::<Vec<_>>()
            .join("; "),
        Statement::Quantiles {
            levels,
            values,
            point,
        } => {
            let mut s: Vec<String> = levels
                .iter()
                .zip(values)
                .map(|(l, v)| format!("q{l} {v}"))
                .collect();
            if let Some(p) = point {
                s.push(format!("point {p}"));
            }
            s.join("; ")
        }
    }
}

/// The CSV columns.
pub const CSV_COLUMNS: &[&str] = &[
    "origin",
    "seq",
    "type",
    "hash",
    "prev_hash",
    "recorded_at",
    "question",
    "question_text",
    "kind",
    "statement",
    "statement_json",
    "forecaster",
    "forecaster_model",
    "forecaster_source",
    "scenario_id",
    "scenario_sha256",
    "brink_version",
    "seed",
    "draws",
    "tags",
    "horizon",
    "as_of",
    "backtest",
    "outcome",
    "date",
    "citation",
    "quote",
];

/// The export as CSV (RFC 4180: comma-separated, fields quoted where needed, CRLF-free), one
/// row per record: entries fill the forecast columns, resolutions the outcome columns.
pub fn to_csv(doc: &Export) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push('\n');
    for r in &doc.records {
        let mut row: Vec<String> = vec![
            r.origin.clone(),
            r.seq.to_string(),
            String::new(),
            r.hash.clone(),
            r.prev.clone(),
            r.recorded_at.to_string(),
        ];
        let o = |x: &Option<String>| x.clone().unwrap_or_default();
        match &r.body {
            Body::Entry(e) => {
                row[2] = "entry".into();
                row.extend([
                    e.question.id.clone(),
                    e.question.text.clone(),
                    crate::store::json(&e.question.kind),
                    statement_summary(&e.statement),
                    crate::store::json(&e.statement),
                    e.forecaster.name.clone(),
                    o(&e.forecaster.model),
                    o(&e.forecaster.source),
                    o(&e.scenario.as_ref().map(|s| s.id.clone())),
                    o(&e.scenario.as_ref().map(|s| s.sha256.clone())),
                    o(&e.brink_version),
                    o(&e.seed.map(|s| s.to_string())),
                    o(&e.draws.map(|s| s.to_string())),
                    e.tags.join(" "),
                    o(&e.horizon.map(|d| d.to_string())),
                    e.as_of.to_string(),
                    e.backtest.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    String::new(),
                ]);
            }
            Body::Resolution(res) => {
                row[2] = "resolution".into();
                row.extend([res.question.clone()]);
                row.extend(vec![String::new(); 16]);
                row.extend([
                    res.outcome.to_string(),
                    res.date.to_string(),
                    res.source.citation.clone(),
                    res.source.quote.clone(),
                ]);
            }
        }
        debug_assert_eq!(row.len(), CSV_COLUMNS.len());
        out.push_str(
            &row.iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    out
}

/// Reads and checks an export document: its format, every record's hash, every chain's
/// numbering, links and time order, every record's own checks.
pub(crate) fn parse(text: &str, file: &str) -> Result<Export> {
    let bad = |message: String| Error::BadImport {
        file: file.into(),
        message,
    };
    let doc: Export = serde_json::from_str(text)
        .map_err(|e| bad(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    if doc.format != EXPORT_FORMAT {
        return Err(bad(format!(
            "format is `{}`, not `{EXPORT_FORMAT}`",
            doc.format
        )));
    }
    if doc.schema != EXPORT_SCHEMA {
        return Err(bad(format!(
            "export schema {} is not {EXPORT_SCHEMA}, the one this brink reads",
            doc.schema
        )));
    }
    let mut chains: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in &doc.records {
        chains.entry(&r.origin).or_default().push(r);
    }
    for (origin, recs) in &mut chains {
        recs.sort_by_key(|r| r.seq);
        let mut prev = GENESIS;
        let mut prev_time = None;
        for (i, r) in recs.iter().enumerate() {
            let at = |m: String| bad(format!("record {} of chain {origin}: {m}", r.seq));
            if r.seq != i as u64 + 1 {
                return Err(at(format!(
                    "expected record {} here: the chain in the file is incomplete or repeats a number",
                    i + 1
                )));
            }
            if r.prev != prev {
                return Err(at("its link is not the previous record's hash".into()));
            }
            if r.computed_hash() != r.hash {
                return Err(at("its content does not give its hash".into()));
            }
            if prev_time.is_some_and(|t| r.recorded_at < t) {
                return Err(at("recorded before the previous record".into()));
            }
            match &r.body {
                Body::Entry(e) => {
                    let n = e
                        .normalised(r.recorded_at.date())
                        .map_err(|inv| at(format!("{}: {}", inv.field, inv.message)))?;
                    if n != **e {
                        return Err(at("the entry is not in its stored form".into()));
                    }
                }
                Body::Resolution(res) => res
                    .check(r.recorded_at.date())
                    .map_err(|inv| at(format!("{}: {}", inv.field, inv.message)))?,
            }
            prev = &r.hash;
            prev_time = Some(r.recorded_at);
        }
    }
    Ok(doc)
}

/// What to write, or the conflicts.
pub(crate) struct Plan {
    pub new: Vec<Record>,
    pub heads: Vec<(String, u64, String)>,
    pub report: ImportReport,
}

/// Works out what the import adds, or why it cannot.
pub(crate) fn plan(doc: &Export, file: &str, stored: &[Stored], own: &str) -> Result<Plan> {
    let mut here: HashMap<&str, Vec<&Record>> = HashMap::new();
    for s in stored {
        here.entry(&s.record.origin).or_default().push(&s.record);
    }
    for v in here.values_mut() {
        v.sort_by_key(|r| r.seq);
    }
    let mut incoming: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for r in &doc.records {
        incoming.entry(&r.origin).or_default().push(r);
    }
    for v in incoming.values_mut() {
        v.sort_by_key(|r| r.seq);
    }
    let mut conflicts = Vec::new();
    let mut new: Vec<&Record> = Vec::new();
    let mut chains = Vec::new();
    for (origin, recs) in &incoming {
        let mine = here.get(origin).map(Vec::as_slice).unwrap_or(&[]);
        let fork = mine
            .iter()
            .zip(recs.iter())
            .find(|(a, b)| a.seq != b.seq || a.hash != b.hash);
        if let Some((a, b)) = fork {
            conflicts.push(format!(
                "chain {origin} forks at record {}: this ledger has {}, the file {}",
                a.seq, a.hash, b.hash
            ));
            continue;
        }
        let added = recs.len().saturating_sub(mine.len());
        if *origin == own && added > 0 {
            conflicts.push(format!(
                "the file continues this ledger's own chain ({origin}) beyond record {}: this ledger's file was copied and written on elsewhere",
                mine.len()
            ));
            continue;
        }
        new.extend(&recs[mine.len().min(recs.len())..]);
        chains.push(ChainImport {
            origin: origin.to_string(),
            in_file: recs.len(),
            added,
            already_here: recs.len() - added,
        });
    }
    // Meaning: kinds, resolutions and repeated forecasts against the ledger and each other.
    let mut kinds: HashMap<String, QuestionKind> = HashMap::new();
    let mut outcomes: HashMap<String, Outcome> = HashMap::new();
    let mut contents: HashSet<String> = HashSet::new();
    for s in stored {
        match &s.record.body {
            Body::Entry(e) => {
                kinds
                    .entry(e.question.id.clone())
                    .or_insert_with(|| e.question.kind.clone());
                contents.insert(content_hash(e));
            }
            Body::Resolution(r) => {
                outcomes
                    .entry(r.question.clone())
                    .or_insert_with(|| r.outcome.clone());
            }
        }
    }
    for r in &new {
        if let Body::Entry(e) = &r.body {
            match kinds.get(&e.question.id) {
                Some(k) if *k != e.question.kind => conflicts.push(format!(
                    "record {} of chain {}: question `{}` is {} here, {} in the file",
                    r.seq,
                    r.origin,
                    e.question.id,
                    crate::store::json(k),
                    crate::store::json(&e.question.kind)
                )),
                Some(_) => {}
                None => {
                    kinds.insert(e.question.id.clone(), e.question.kind.clone());
                }
            }
        }
    }
    let (mut repeated, mut agreeing) = (0, 0);
    for r in &new {
        match &r.body {
            Body::Entry(e) => {
                if !contents.insert(content_hash(e)) {
                    repeated += 1;
                }
            }
            Body::Resolution(res) => {
                if !kinds.contains_key(&res.question) {
                    conflicts.push(format!(
                        "record {} of chain {}: resolves `{}`, which no entry is about",
                        r.seq, r.origin, res.question
                    ));
                }
                match outcomes.get(&res.question) {
                    Some(o) if *o != res.outcome => conflicts.push(format!(
                        "record {} of chain {}: resolves `{}` as {}, this ledger has {}",
                        r.seq, r.origin, res.question, res.outcome, o
                    )),
                    Some(_) => agreeing += 1,
                    None => {
                        outcomes.insert(res.question.clone(), res.outcome.clone());
                    }
                }
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(Error::ImportConflict {
            file: file.into(),
            conflicts,
        });
    }
    let mut heads: BTreeMap<&str, &Record> = BTreeMap::new();
    for r in &new {
        heads.insert(&r.origin, r);
    }
    let added = new.len();
    let duplicates = doc.records.len() - added;
    Ok(Plan {
        new: new.into_iter().cloned().collect(),
        heads: heads
            .values()
            .map(|r| (r.origin.clone(), r.seq, r.hash.clone()))
            .collect(),
        report: ImportReport {
            chains,
            added,
            duplicates,
            repeated_forecasts: repeated,
            agreeing_resolutions: agreeing,
        },
    })
}
