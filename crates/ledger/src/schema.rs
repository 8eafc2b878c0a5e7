//! The database schema and its migrations.
//!
//! The file's header carries SQLite's `application_id` [`APPLICATION_ID`] (`brkL`), so a brink
//! ledger is told apart from any other SQLite file. The table `schema_version` has one row per
//! migration applied (version, time); opening a ledger applies, in one transaction, every
//! migration newer than the file, and refuses a file newer than this build.
//!
//! - **v1**: `meta` (the ledger's id, each chain's head), `entries` and `resolutions` (one row per
//!   record, typed columns; nested values as canonical JSON text).
//! - **v2**: `entry_tags` (one row per entry and tag, indexed) so that scores filter by tag in
//!   SQL, and an index of entries by question; filled from the entries' `tags` on migration.
//!   `entry_tags` is derived data: `verify` checks it against the hashed entries.

use rusqlite::{params, Transaction};

/// SQLite `application_id` of a brink ledger: the bytes `brkL`.
pub const APPLICATION_ID: i64 = 0x6272_6b4c;

/// The schema version this build writes.
pub const LATEST: i64 = 2;

/// Schema version 1, as SQL (kept verbatim: a v1 file is what this creates).
pub const V1_SQL: &str = "
PRAGMA application_id = 1651665740;
CREATE TABLE schema_version (
    version INTEGER PRIMARY KEY,
    applied_at TEXT NOT NULL
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    question TEXT NOT NULL,
    question_text TEXT NOT NULL,
    kind TEXT NOT NULL,
    statement TEXT NOT NULL,
    forecaster TEXT NOT NULL,
    forecaster_model TEXT,
    forecaster_source TEXT,
    scenario_id TEXT,
    scenario_sha256 TEXT,
    brink_version TEXT,
    seed TEXT,
    draws INTEGER,
    tags TEXT NOT NULL,
    horizon TEXT,
    as_of TEXT NOT NULL,
    backtest INTEGER NOT NULL,
    UNIQUE (origin, seq)
);
CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    seq INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    question TEXT NOT NULL,
    outcome TEXT NOT NULL,
    date TEXT NOT NULL,
    citation TEXT NOT NULL,
    quote TEXT NOT NULL,
    UNIQUE (origin, seq)
);
";

/// Schema version 2's new tables and indexes, as SQL (the rows of `entry_tags` are filled by
/// the migration from each entry's `tags`).
pub const V2_SQL: &str = "
CREATE TABLE entry_tags (
    entry INTEGER NOT NULL REFERENCES entries(id),
    tag TEXT NOT NULL,
    PRIMARY KEY (entry, tag)
);
CREATE INDEX entry_tags_by_tag ON entry_tags (tag);
CREATE INDEX entries_by_question ON entries (question);
";

/// Brings a file at version `from` up to [`LATEST`], recording each step.
pub(crate) fn migrate(tx: &Transaction, from: i64, now: &str) -> rusqlite::Result<()> {
    for v in from + 1..=LATEST {
        match v {
            1 => tx.execute_batch(V1_SQL)?,
            2 => {
                tx.execute_batch(V2_SQL)?;
                let rows: Vec<(i64, String)> = {
                    let mut st = tx.prepare("SELECT id, tags FROM entries ORDER BY id")?;
                    let it = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
                    it.collect::<rusqlite::Result<_>>()?
                };
                for (id, tags) in rows {
                    // A v1 row whose tags do not parse is left without tag rows; `verify` names it.
                    let tags: Vec<String> = serde_json::from_str(&tags).unwrap_or_default();
                    for t in tags {
                        tx.execute(
                            "INSERT OR IGNORE INTO entry_tags (entry, tag) VALUES (?1, ?2)",
                            params![id, t],
                        )?;
                    }
                }
            }
            _ => unreachable!("no migration to version {v}"),
        }
        tx.execute(
            "INSERT INTO schema_version (version, applied_at) VALUES (?1, ?2)",
            params![v, now],
        )?;
    }
    Ok(())
}
