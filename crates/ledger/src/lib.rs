//! brink-ledger: a forecast ledger. Forecasts are recorded with their provenance (scenario and
//! its SHA-256, brink's version, seed, draws, dates), sealed in a hash chain so that a later edit,
//! deletion or back-dated insertion is detected, resolved with a cited source, and scored
//! (Brier, log, CRPS, calibration, discrimination) beside a base-rate forecaster and any external
//! forecaster on the same questions.
//!
//! The ledger is one SQLite file ([`Ledger::open`], or [`default_path`] under the user's data
//! directory). Every operation is one transaction: a failed one changes nothing, and a process
//! killed in the middle of a write leaves the ledger as it was before that write.
//!
//! **Journal mode.** The ledger uses SQLite's rollback journal (`journal_mode=DELETE`) with
//! `synchronous=FULL`, not WAL: a ledger is a file people copy, back up, mail and keep on shared
//! or network drives, and in rollback mode the database file alone holds every committed record
//! whenever no write is under way (in WAL mode committed records can sit in the `-wal` file until
//! a checkpoint, so copying the main file alone can lose them, and WAL needs shared memory, which
//! network file systems do not give). WAL's gain, readers not blocking a writer, is worth nothing
//! at the ledger's write rate (a handful of transactions per forecast run). Writers take the
//! write lock at the start of their transaction (`BEGIN IMMEDIATE`), so two processes recording at
//! once are serialised: each reads the chain's head and appends to it under the lock, and waits
//! up to [`BUSY_TIMEOUT`] for the other.
//!
//! [`wire`] turns the engine's documents into entries (a `Forecast` run, a forecast of record, a
//! claims file's stated forecasts) and an outcomes file into resolutions; [`history::repository`]
//! gathers the history kept in brink's repository; [`page`] is what the track-record page shows.
//!
//! See `docs/ledger.md` for the schema, the hash chain, the scores' definitions and how to use it.

#![deny(missing_docs)]

pub mod chain;
mod error;
pub mod exchange;
pub mod history;
pub mod model;
pub mod page;
pub mod schema;
pub mod score;
mod store;
pub mod time;
pub mod track;
mod verify;
pub mod wire;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, Transaction, TransactionBehavior};
use serde::Serialize;

pub use chain::{Anchor, Body, Record};
pub use error::{Error, Result};
pub use exchange::{Export, ExportFormat, ImportReport};
pub use model::{
    ClassP, Entry, Forecaster, Outcome, Question, QuestionKind, Resolution, ScenarioRef, Source,
    Statement,
};
pub use score::{Filter, ScoreReport};
pub use store::Table;
pub use time::{Date, Timestamp};
pub use track::TrackRecord;
pub use verify::{ChainHead, Problem, ProblemKind, VerifyReport};

/// How long a writer waits for another process's transaction before giving up.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The ledger file's name under the data directory.
pub const DEFAULT_FILE: &str = "ledger.sqlite3";

/// The default ledger: `brink/ledger.sqlite3` under the user's data directory
/// (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/Application Support` on macOS,
/// `%APPDATA%` on Windows).
pub fn default_path() -> Result<PathBuf> {
    dirs::data_dir()
        .map(|d| d.join("brink").join(DEFAULT_FILE))
        .ok_or(Error::NoDataDir)
}

/// The ids brink gives the questions its forecasts answer, so that forecasts from different
/// runs (and the resolutions from an outcomes file) meet on the same question.
pub mod question_id {
    /// A crisis of a scenario: `SCENARIO/crisis/CRISIS` (categorical: its outcome classes).
    pub fn crisis(scenario: &str, crisis: &str) -> String {
        format!("{scenario}/crisis/{crisis}")
    }

    /// An issue of a scenario: `SCENARIO/issue/ISSUE` (continuous: its scale).
    pub fn issue(scenario: &str, issue: &str) -> String {
        format!("{scenario}/issue/{issue}")
    }

    /// A dated event of a scenario's outcomes file: `SCENARIO/event/EVENT` (binary).
    pub fn event(scenario: &str, event: &str) -> String {
        format!("{scenario}/event/{event}")
    }
}

/// Where a record was written: its chain, its number, its hash and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Receipt {
    /// The chain (this ledger's id for records written here).
    pub origin: String,
    /// The record's number in the chain.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

impl From<&Record> for Receipt {
    fn from(r: &Record) -> Receipt {
        Receipt {
            origin: r.origin.clone(),
            seq: r.seq,
            hash: r.hash.clone(),
            recorded_at: r.recorded_at,
        }
    }
}

/// A question in the ledger: how many forecasts it has and its resolution if any.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionStatus {
    /// The question (its first entry's wording).
    pub question: Question,
    /// Forecasts recorded about it.
    pub forecasts: usize,
    /// Its resolution.
    pub resolution: Option<Resolution>,
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
    id: String,
}

impl std::fmt::Debug for Ledger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("path", &self.path)
            .field("id", &self.id)
            .finish()
    }
}

/// The chain being appended to within one write transaction.
struct Appender {
    origin: String,
    next: u64,
    prev: String,
    now: Timestamp,
    written: Vec<Record>,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it (and its folder) if missing, and brings its schema
    /// up to date.
    pub fn open(path: impl AsRef<Path>) -> Result<Ledger> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let db = |context: &str| {
            let path = path.clone();
            let context = context.to_string();
            move |source| Error::Db {
                path,
                context,
                source,
            }
        };
        let mut conn = Connection::open(&path).map_err(db("opening"))?;
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(db("setting the busy timeout"))?;
        // Rollback journal, full sync (see the crate's documentation for why not WAL).
        let mode: String = conn
            .query_row("PRAGMA journal_mode = DELETE", [], |r| r.get(0))
            .map_err(db("setting the journal mode"))?;
        if !mode.eq_ignore_ascii_case("delete") {
            return Err(Error::Db {
                path,
                context: format!("journal mode is `{mode}`, could not set `delete`"),
                source: rusqlite::Error::InvalidQuery,
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
            .map_err(db("setting pragmas"))?;
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(db("starting the schema check"))?;
        let app: i64 = tx
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .map_err(db("reading the header"))?;
        let tables: i64 = tx
            .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
            .map_err(db("reading the schema"))?;
        let now = Timestamp::now().to_string();
        let version = if app == schema::APPLICATION_ID {
            tx.query_row("SELECT max(version) FROM schema_version", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map_err(db("reading the schema version"))?
            .unwrap_or(0)
        } else if app == 0 && tables == 0 {
            0
        } else {
            return Err(Error::NotALedger {
                path,
                application_id: app,
            });
        };
        if version > schema::LATEST {
            return Err(Error::SchemaTooNew {
                path,
                found: version,
                known: schema::LATEST,
            });
        }
        schema::migrate(&tx, version, &now).map_err(db("migrating the schema"))?;
        let id: Option<String> = tx
            .query_row("SELECT value FROM meta WHERE key = 'ledger_id'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db("reading the ledger's id"))?;
        let id = match id {
            Some(id) => id,
            None => {
                let id: String = (0..16)
                    .map(|_| format!("{:02x}", rand::random::<u8>()))
                    .collect();
                tx.execute(
                    "INSERT INTO meta (key, value) VALUES ('ledger_id', ?1)",
                    params![id],
                )
                .map_err(db("writing the ledger's id"))?;
                id
            }
        };
        tx.commit().map_err(db("committing the schema"))?;
        Ok(Ledger { conn, path, id })
    }

    /// Opens the ledger at [`default_path`].
    pub fn open_default() -> Result<Ledger> {
        Ledger::open(default_path()?)
    }

    /// The ledger file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// This ledger's id: the origin of the chain it writes.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn db(&self, context: &str) -> impl FnOnce(rusqlite::Error) -> Error {
        let path = self.path.clone();
        let context = context.to_string();
        move |source| Error::Db {
            path,
            context,
            source,
        }
    }

    /// The file's schema version.
    pub fn schema_version(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT max(version) FROM schema_version", [], |r| r.get(0))
            .map_err(self.db("reading the schema version"))
    }

    fn begin(&mut self, context: &str) -> Result<Transaction<'_>> {
        let e = self.db(context);
        self.conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(e)
    }

    fn appender(tx: &Transaction, path: &Path, origin: &str) -> Result<Appender> {
        let db = |source| Error::Db {
            path: path.to_path_buf(),
            context: "reading the chain's head".into(),
            source,
        };
        let tail: Option<(i64, String, String)> = tx
            .query_row(
                "SELECT seq, hash, recorded_at FROM (
                   SELECT seq, hash, recorded_at FROM entries WHERE origin = ?1
                   UNION ALL SELECT seq, hash, recorded_at FROM resolutions WHERE origin = ?1)
                 ORDER BY seq DESC LIMIT 1",
                params![origin],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()
            .map_err(db)?;
        let marker: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = ?1",
                params![format!("head:{origin}")],
                |r| r.get(0),
            )
            .optional()
            .map_err(db)?;
        let now = Timestamp::now();
        let damaged = |message: String| Error::Damaged {
            path: path.to_path_buf(),
            message,
        };
        match (&tail, &marker) {
            (None, None) => Ok(Appender {
                origin: origin.into(),
                next: 1,
                prev: chain::GENESIS.into(),
                now,
                written: vec![],
            }),
            (Some((seq, hash, at)), Some(m)) => {
                if *m != format!("{seq} {hash}") {
                    return Err(damaged(format!(
                        "this ledger's chain ends at record {seq} ({hash}), its head marker says {m}"
                    )));
                }
                let last = Timestamp::parse(at).ok_or_else(|| {
                    damaged(format!("record {seq} has an unreadable time `{at}`"))
                })?;
                if now < last {
                    return Err(Error::ClockBehind {
                        path: path.to_path_buf(),
                        now: now.to_string(),
                        last: last.to_string(),
                    });
                }
                Ok(Appender {
                    origin: origin.into(),
                    next: *seq as u64 + 1,
                    prev: hash.clone(),
                    now,
                    written: vec![],
                })
            }
            (Some((seq, ..)), None) => Err(damaged(format!(
                "this ledger's chain has records (to {seq}) but no head marker"
            ))),
            (None, Some(m)) => Err(damaged(format!(
                "this ledger's head marker says {m} but its chain has no record"
            ))),
        }
    }

    fn append(tx: &Transaction, path: &Path, a: &mut Appender, body: Body) -> Result<()> {
        let r = chain::seal(&a.origin, a.next, &a.prev, a.now, body);
        store::insert(tx, &r).map_err(|source| Error::Db {
            path: path.to_path_buf(),
            context: format!("writing record {}", r.seq),
            source,
        })?;
        a.next += 1;
        a.prev = r.hash.clone();
        a.written.push(r);
        Ok(())
    }

    fn set_head(tx: &Transaction, path: &Path, origin: &str, seq: u64, hash: &str) -> Result<()> {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![format!("head:{origin}"), format!("{seq} {hash}")],
        )
        .map_err(|source| Error::Db {
            path: path.to_path_buf(),
            context: "writing the chain's head".into(),
            source,
        })?;
        Ok(())
    }

    fn finish(tx: &Transaction, path: &Path, a: &Appender) -> Result<()> {
        if let Some(r) = a.written.last() {
            Ledger::set_head(tx, path, &a.origin, r.seq, &r.hash)?;
        }
        Ok(())
    }

    /// The kind of a question as the ledger's entries have it (`None` if no entry is about it).
    fn kind_of(tx: &Connection, path: &Path, question: &str) -> Result<Option<QuestionKind>> {
        let row: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, kind FROM entries WHERE question = ?1 ORDER BY id LIMIT 1",
                params![question],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|source| Error::Db {
                path: path.to_path_buf(),
                context: format!("looking up question `{question}`"),
                source,
            })?;
        row.map(|(id, k)| {
            serde_json::from_str(&k).map_err(|e| Error::Corrupt {
                path: path.to_path_buf(),
                table: "entries".into(),
                id,
                message: format!("column `kind`: {e}"),
            })
        })
        .transpose()
    }

    /// A question's resolution in the ledger: (origin, seq, outcome, date).
    fn resolution_of(
        tx: &Connection,
        path: &Path,
        question: &str,
    ) -> Result<Option<(String, u64, String, String)>> {
        tx.query_row(
            "SELECT origin, seq, outcome, date FROM resolutions WHERE question = ?1
             ORDER BY date, id LIMIT 1",
            params![question],
            |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64, r.get(2)?, r.get(3)?)),
        )
        .optional()
        .map_err(|source| Error::Db {
            path: path.to_path_buf(),
            context: format!("looking up the resolution of `{question}`"),
            source,
        })
    }

    /// Records forecasts, all or none, in one transaction; returns each one's receipt.
    pub fn record(&mut self, entries: &[Entry]) -> Result<Vec<Receipt>> {
        self.record_observed(entries, &mut |_| {})
    }

    /// [`Ledger::record`], calling `on_row(i)` after entry `i` is written inside the transaction
    /// (before it commits): progress for long batches.
    pub fn record_observed(
        &mut self,
        entries: &[Entry],
        on_row: &mut dyn FnMut(usize),
    ) -> Result<Vec<Receipt>> {
        let path = self.path.clone();
        let origin = self.id.clone();
        let tx = self.begin("starting to record")?;
        let mut a = Ledger::appender(&tx, &path, &origin)?;
        let refs: Vec<(usize, &Entry)> = entries.iter().enumerate().collect();
        let checked = check_entries(&tx, &path, &refs, a.now.date())?;
        for (i, e) in checked.into_iter().enumerate() {
            Ledger::append(&tx, &path, &mut a, Body::Entry(Box::new(e)))?;
            on_row(i);
        }
        Ledger::finish(&tx, &path, &a)?;
        tx.commit().map_err(|source| Error::Db {
            path: path.clone(),
            context: "committing".into(),
            source,
        })?;
        Ok(a.written.iter().map(Receipt::from).collect())
    }

    /// Resolves a question: what happened, when, and the source; refused (changing nothing) for an
    /// unknown question, an outcome that is not one of its classes or is off its scale, or a
    /// question already resolved.
    pub fn resolve(
        &mut self,
        question: &str,
        outcome: Outcome,
        date: Date,
        source: Source,
    ) -> Result<Receipt> {
        let path = self.path.clone();
        let origin = self.id.clone();
        let res = Resolution {
            question: question.into(),
            outcome,
            date,
            source,
        };
        let tx = self.begin("starting to resolve")?;
        let mut a = Ledger::appender(&tx, &path, &origin)?;
        check_resolution(&tx, &path, &res, a.now.date())?;
        Ledger::append(&tx, &path, &mut a, Body::Resolution(res))?;
        Ledger::finish(&tx, &path, &a)?;
        tx.commit().map_err(|source| Error::Db {
            path: path.clone(),
            context: "committing".into(),
            source,
        })?;
        Ok(Receipt::from(&a.written[0]))
    }

    /// Seeds history in one transaction (see [`history::seed`]).
    pub(crate) fn seed_records(
        &mut self,
        entries: &[Entry],
        resolutions: &[Resolution],
    ) -> Result<history::SeedReport> {
        let path = self.path.clone();
        let origin = self.id.clone();
        let tx = self.begin("starting to seed")?;
        let mut a = Ledger::appender(&tx, &path, &origin)?;
        let today = a.now.date();
        let (stored, _) = store::read_all(&tx).map_err(|source| Error::Db {
            path: path.clone(),
            context: "reading the records".into(),
            source,
        })?;
        let mut present: std::collections::HashSet<String> = stored
            .iter()
            .filter_map(|s| match &s.record.body {
                Body::Entry(e) => Some(chain::content_hash(e)),
                _ => None,
            })
            .collect();
        let mut fresh = Vec::new();
        let mut already_present = 0;
        for (index, e) in entries.iter().enumerate() {
            let n = e.normalised(today).map_err(|inv| Error::InvalidEntry {
                path: path.clone(),
                index,
                question: e.question.id.clone(),
                field: inv.field,
                message: inv.message,
            })?;
            if present.insert(chain::content_hash(&n)) {
                fresh.push((index, n));
            } else {
                already_present += 1;
            }
        }
        let refs: Vec<(usize, &Entry)> = fresh.iter().map(|(i, e)| (*i, e)).collect();
        for e in check_entries(&tx, &path, &refs, today)? {
            Ledger::append(&tx, &path, &mut a, Body::Entry(Box::new(e)))?;
        }
        let recorded = a.written.len();
        let mut already_resolved = 0;
        for r in resolutions {
            if let Some((_, _, outcome, _)) = Ledger::resolution_of(&tx, &path, &r.question)? {
                if serde_json::from_str::<Outcome>(&outcome).ok().as_ref() == Some(&r.outcome) {
                    already_resolved += 1;
                    continue;
                }
            }
            check_resolution(&tx, &path, r, today)?;
            Ledger::append(&tx, &path, &mut a, Body::Resolution(r.clone()))?;
        }
        Ledger::finish(&tx, &path, &a)?;
        tx.commit().map_err(|source| Error::Db {
            path: path.clone(),
            context: "committing".into(),
            source,
        })?;
        Ok(history::SeedReport {
            recorded,
            already_present,
            resolved: a.written.len() - recorded,
            already_resolved,
            receipts: a.written.iter().map(Receipt::from).collect(),
        })
    }

    fn read(&self) -> Result<(Vec<store::Stored>, Vec<store::Unreadable>)> {
        store::read_all(&self.conn).map_err(self.db("reading the records"))
    }

    /// Every record that reads back, by chain and number.
    pub fn records(&self) -> Result<Vec<Record>> {
        Ok(self.read()?.0.into_iter().map(|s| s.record).collect())
    }

    /// Every question, with its number of forecasts and its resolution.
    pub fn questions(&self) -> Result<Vec<QuestionStatus>> {
        let (stored, _) = self.read()?;
        let mut out: Vec<QuestionStatus> = Vec::new();
        let mut at: HashMap<String, usize> = HashMap::new();
        for s in &stored {
            if let Body::Entry(e) = &s.record.body {
                let i = *at.entry(e.question.id.clone()).or_insert_with(|| {
                    out.push(QuestionStatus {
                        question: e.question.clone(),
                        forecasts: 0,
                        resolution: None,
                    });
                    out.len() - 1
                });
                out[i].forecasts += 1;
            }
        }
        for s in &stored {
            if let Body::Resolution(r) = &s.record.body {
                if let Some(i) = at.get(&r.question) {
                    if out[*i].resolution.is_none() {
                        out[*i].resolution = Some(r.clone());
                    }
                }
            }
        }
        Ok(out)
    }

    /// Checks the whole ledger (see [`VerifyReport`]).
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_with_anchors(&[])
    }

    /// [`Ledger::verify`], and that every anchor (a chain head written down elsewhere) is still in
    /// the ledger with its hash.
    pub fn verify_with_anchors(&self, anchors: &[Anchor]) -> Result<VerifyReport> {
        let (stored, unreadable) = self.read()?;
        self.verify_read(&stored, &unreadable, anchors)
    }

    fn verify_read(
        &self,
        stored: &[store::Stored],
        unreadable: &[store::Unreadable],
        anchors: &[Anchor],
    ) -> Result<VerifyReport> {
        let db = self.db("reading the ledger's metadata");
        let meta = (|| -> rusqlite::Result<_> {
            let id: Option<String> = self
                .conn
                .query_row("SELECT value FROM meta WHERE key = 'ledger_id'", [], |r| {
                    r.get(0)
                })
                .optional()?;
            let mut st = self
                .conn
                .prepare("SELECT key, value FROM meta WHERE key LIKE 'head:%'")?;
            let heads: Vec<(String, String)> = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let mut st = self.conn.prepare("SELECT entry, tag FROM entry_tags")?;
            let tags: Vec<(i64, String)> = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            Ok((id, heads, tags))
        })()
        .map_err(db)?;
        let (id, heads, tags) = meta;
        let heads: Vec<(String, u64, String)> = heads
            .into_iter()
            .map(|(k, v)| {
                let origin = k.trim_start_matches("head:").to_string();
                let mut it = v.splitn(2, ' ');
                let seq = it.next().and_then(|s| s.parse().ok()).unwrap_or(0);
                (origin, seq, it.next().unwrap_or("").to_string())
            })
            .collect();
        Ok(verify::check(
            stored,
            unreadable,
            &verify::Extra {
                ledger_id: id.as_deref(),
                heads: &heads,
                tags: &tags,
                anchors,
            },
        ))
    }

    /// Entry row ids having every one of `tags` (through the tag index).
    fn entries_tagged(&self, tags: &[String]) -> Result<std::collections::HashSet<i64>> {
        let mut tags: Vec<&String> = tags.iter().collect();
        tags.sort();
        tags.dedup();
        let sql = format!(
            "SELECT entry FROM entry_tags WHERE tag IN ({}) GROUP BY entry HAVING count(DISTINCT tag) = {}",
            vec!["?"; tags.len()].join(", "),
            tags.len()
        );
        let db = self.db("filtering by tag");
        let mut st = self.conn.prepare(&sql).map_err(db)?;
        let ids = st
            .query_map(rusqlite::params_from_iter(tags.iter()), |r| r.get(0))
            .and_then(|it| it.collect::<rusqlite::Result<_>>())
            .map_err(self.db("filtering by tag"))?;
        Ok(ids)
    }

    /// Scores the resolved forecasts that pass the filter (see [`score`] for the definitions).
    pub fn score(&self, filter: &Filter) -> Result<ScoreReport> {
        let (stored, unreadable) = self.read()?;
        let integrity = self.verify_read(&stored, &unreadable, &[])?;
        let tagged = if filter.tags.is_empty() {
            None
        } else {
            Some(self.entries_tagged(&filter.tags)?)
        };
        Ok(score::report(
            &stored,
            &self.id,
            filter,
            tagged.as_ref(),
            &integrity,
        ))
    }

    /// The track record: calibration, scores over time, resolved questions with receipts.
    pub fn track_record(&self, filter: &Filter) -> Result<TrackRecord> {
        let report = self.score(filter)?;
        let (stored, unreadable) = self.read()?;
        let verify = self.verify_read(&stored, &unreadable, &[])?;
        Ok(track::build(&report, &stored, &verify, &self.id))
    }

    /// The whole ledger as an export document (every chain).
    pub fn export(&self) -> Result<Export> {
        Ok(exchange::export(&self.id, self.records()?))
    }

    /// The whole ledger as text: JSON (for `import` elsewhere) or CSV (one row per record, for
    /// spreadsheets).
    pub fn export_to_string(&self, format: ExportFormat) -> Result<String> {
        let doc = self.export()?;
        Ok(match format {
            ExportFormat::Json => serde_json::to_string_pretty(&doc).expect("exports serialise"),
            ExportFormat::Csv => exchange::to_csv(&doc),
        })
    }

    /// Merges a JSON export from another ledger (`file` names it in messages): records keep their
    /// chains and hashes; records already here are recognised and skipped; a fork of a chain, a
    /// contradicting resolution or a question of another kind is reported and nothing is merged.
    pub fn import(&mut self, text: &str, file: &str) -> Result<ImportReport> {
        let doc = exchange::parse(text, file)?;
        let path = self.path.clone();
        let own = self.id.clone();
        let tx = self.begin("starting the import")?;
        // Read and plan under the write lock: no other process writes in between.
        let (stored, unreadable) = store::read_all(&tx).map_err(|source| Error::Db {
            path: path.clone(),
            context: "reading the records".into(),
            source,
        })?;
        if let Some(u) = unreadable.first() {
            return Err(Error::Corrupt {
                path,
                table: u.table.name().into(),
                id: u.id,
                message: format!("column `{}`: {}", u.column, u.message),
            });
        }
        let plan = exchange::plan(&doc, file, &stored, &own)?;
        for r in &plan.new {
            store::insert(&tx, r).map_err(|source| Error::Db {
                path: path.clone(),
                context: format!("writing record {} of chain {}", r.seq, r.origin),
                source,
            })?;
        }
        for (origin, seq, hash) in &plan.heads {
            Ledger::set_head(&tx, &path, origin, *seq, hash)?;
        }
        tx.commit().map_err(|source| Error::Db {
            path: path.clone(),
            context: "committing the import".into(),
            source,
        })?;
        Ok(plan.report)
    }
}

/// Checks a batch of entries against each other and the ledger; returns them normalised.
fn check_entries(
    tx: &Connection,
    path: &Path,
    entries: &[(usize, &Entry)],
    today: Date,
) -> Result<Vec<Entry>> {
    let mut kinds: HashMap<String, QuestionKind> = HashMap::new();
    let mut out = Vec::with_capacity(entries.len());
    for &(index, e) in entries {
        let e = e.normalised(today).map_err(|inv| Error::InvalidEntry {
            path: path.to_path_buf(),
            index,
            question: e.question.id.clone(),
            field: inv.field,
            message: inv.message,
        })?;
        let q = &e.question.id;
        let existing = match kinds.get(q) {
            Some(k) => Some(k.clone()),
            None => Ledger::kind_of(tx, path, q)?,
        };
        if let Some(k) = existing {
            if k != e.question.kind {
                return Err(Error::KindConflict {
                    path: path.to_path_buf(),
                    index,
                    question: q.clone(),
                    detail: format!(
                        "is {} in the ledger, {} in the entry",
                        store::json(&k),
                        store::json(&e.question.kind)
                    ),
                });
            }
        }
        kinds.insert(q.clone(), e.question.kind.clone());
        if !e.backtest {
            if let Some((_, _, _, date)) = Ledger::resolution_of(tx, path, q)? {
                return Err(Error::AfterResolution {
                    path: path.to_path_buf(),
                    index,
                    question: q.clone(),
                    date,
                });
            }
        }
        out.push(e);
    }
    Ok(out)
}

/// Checks a resolution against the ledger.
fn check_resolution(tx: &Connection, path: &Path, res: &Resolution, today: Date) -> Result<()> {
    let invalid = |inv: model::Invalid| Error::InvalidResolution {
        path: path.to_path_buf(),
        question: res.question.clone(),
        field: inv.field,
        message: inv.message,
    };
    res.check(today).map_err(invalid)?;
    let Some(kind) = Ledger::kind_of(tx, path, &res.question)? else {
        return Err(Error::UnknownQuestion {
            path: path.to_path_buf(),
            question: res.question.clone(),
        });
    };
    kind.check_outcome(&res.outcome).map_err(invalid)?;
    if let Some((origin, seq, outcome, date)) = Ledger::resolution_of(tx, path, &res.question)? {
        let outcome = serde_json::from_str::<Outcome>(&outcome)
            .map(|o| o.to_string())
            .unwrap_or(outcome);
        return Err(Error::AlreadyResolved {
            path: path.to_path_buf(),
            question: res.question.clone(),
            existing: format!("{outcome}, dated {date}, record {seq} of chain {origin}"),
        });
    }
    Ok(())
}
