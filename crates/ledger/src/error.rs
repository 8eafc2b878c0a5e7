//! The ledger's errors. Every failed operation changes nothing (it runs in one transaction that
//! is rolled back), and its message names the ledger file and what was wrong with which input.

use std::path::PathBuf;

/// What went wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// SQLite failed (opening, reading, writing).
    #[error("ledger {path}: {context}: {source}")]
    Db {
        /// The ledger file.
        path: PathBuf,
        /// What the ledger was doing.
        context: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is an SQLite database but not a brink ledger.
    #[error("{path}: an SQLite database but not a brink ledger (its application id is {application_id:#x}, or it has other tables)")]
    NotALedger {
        /// The file.
        path: PathBuf,
        /// The application id found in its header.
        application_id: i64,
    },
    /// The ledger was written by a newer brink.
    #[error("ledger {path}: schema version {found} is newer than this brink knows ({known}); use a newer brink")]
    SchemaTooNew {
        /// The file.
        path: PathBuf,
        /// The file's schema version.
        found: i64,
        /// The newest this build knows.
        known: i64,
    },
    /// No default location: the user's data directory is unknown.
    #[error(
        "no data directory for this user (set XDG_DATA_HOME or HOME, or give the ledger's path)"
    )]
    NoDataDir,
    /// An entry given to `record` failed its checks.
    #[error("ledger {path}: entry {index} (question `{question}`): {field}: {message}")]
    InvalidEntry {
        /// The ledger file.
        path: PathBuf,
        /// The entry's position in the batch, from 0.
        index: usize,
        /// Its question's id.
        question: String,
        /// The field at fault.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// A resolution failed its checks (bad outcome for the question's kind, empty source...).
    #[error("ledger {path}: resolving `{question}`: {field}: {message}")]
    InvalidResolution {
        /// The ledger file.
        path: PathBuf,
        /// The question.
        question: String,
        /// The field at fault.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// No forecast in the ledger is about this question.
    #[error("ledger {path}: unknown question `{question}`: no forecast in the ledger is about it")]
    UnknownQuestion {
        /// The ledger file.
        path: PathBuf,
        /// The question.
        question: String,
    },
    /// The question is already resolved.
    #[error("ledger {path}: `{question}` is already resolved ({existing}); a resolution cannot be changed")]
    AlreadyResolved {
        /// The ledger file.
        path: PathBuf,
        /// The question.
        question: String,
        /// The recorded resolution in words: outcome, date, record and chain.
        existing: String,
    },
    /// A live (non-backtest) forecast about a question that is already resolved.
    #[error("ledger {path}: entry {index}: `{question}` was resolved on {date}; a forecast recorded now can only be a backtest")]
    AfterResolution {
        /// The ledger file.
        path: PathBuf,
        /// The entry's position in the batch.
        index: usize,
        /// The question.
        question: String,
        /// The resolution's date.
        date: String,
    },
    /// An entry's question has another kind in the ledger than in the entry.
    #[error("ledger {path}: entry {index}: question `{question}` {detail}")]
    KindConflict {
        /// The ledger file.
        path: PathBuf,
        /// The entry's position in the batch.
        index: usize,
        /// The question.
        question: String,
        /// The two kinds in words.
        detail: String,
    },
    /// The system clock is behind the ledger's last record; writing now would break the chain's
    /// time order.
    #[error("ledger {path}: the system clock ({now}) is behind the ledger's last record ({last}); not writing")]
    ClockBehind {
        /// The ledger file.
        path: PathBuf,
        /// The clock.
        now: String,
        /// The last record's time.
        last: String,
    },
    /// The ledger's own chain does not end where its head marker says: it was damaged, and
    /// nothing more is appended until `verify` has been looked at.
    #[error("ledger {path}: {message}; run verify; not writing")]
    Damaged {
        /// The ledger file.
        path: PathBuf,
        /// What does not match.
        message: String,
    },
    /// A stored row cannot be read back.
    #[error("ledger {path}: {table} row {id}: {message}; run verify")]
    Corrupt {
        /// The ledger file.
        path: PathBuf,
        /// The table.
        table: String,
        /// The row id.
        id: i64,
        /// What is unreadable.
        message: String,
    },
    /// An export file given to `import` is malformed or its chains do not verify.
    #[error("import {file}: {message}")]
    BadImport {
        /// The file (or a name for the text).
        file: String,
        /// What is wrong, naming the record.
        message: String,
    },
    /// An import conflicts with the ledger: nothing was merged.
    #[error("import {file}: not merged, {} conflict(s):\n  {}", conflicts.len(), conflicts.join("\n  "))]
    ImportConflict {
        /// The file.
        file: String,
        /// Each conflict in words.
        conflicts: Vec<String>,
    },
    /// A forecast document cannot be recorded as it is (no Monte Carlo draws, a stopped run, too
    /// many unsolved draws, a question asked for that it does not have).
    #[error("{file}: {message}")]
    NotRecordable {
        /// The scenario file the document was made from.
        file: String,
        /// What is wrong, naming the crisis, issue or model.
        message: String,
    },
    /// The engine refused its input or failed (a scenario, outcomes, claims or record file that
    /// does not load, with file, line and field).
    #[error(transparent)]
    Engine(#[from] brink_engine::Error),
}

impl Error {
    /// Whether brink (or the system) is at fault rather than the input: SQLite failing on a
    /// sound file. A file that is not a database or is corrupt, and every refused input, are the
    /// input's fault.
    pub fn is_internal(&self) -> bool {
        match self {
            Error::Db { source, .. } => !matches!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt)
            ),
            Error::Engine(e) => e.kind() == brink_engine::ErrorKind::Internal,
            _ => false,
        }
    }
}

/// The ledger's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
