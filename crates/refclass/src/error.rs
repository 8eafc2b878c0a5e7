//! Errors of the reference-class crate.

use thiserror::Error;

/// Everything that can go wrong reading ICB files, fitting the reference class or scoring it.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A field of a data row is malformed or out of its codebook range.
    #[error("{file}:{line}: column `{column}`: {message}")]
    Field {
        /// The file's name as given.
        file: String,
        /// 1-based line of the row (the header is line 1).
        line: usize,
        /// The column's name (as in the release's header).
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The file as a whole is unusable (no header, a required column missing, a ragged row).
    #[error("{file}:{line}: {message}")]
    File {
        /// The file's name as given.
        file: String,
        /// 1-based line where the problem was found.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// The file could not be read.
    #[error("{file}: cannot read: {reason}")]
    Io {
        /// The file.
        file: String,
        /// The operating system's reason.
        reason: String,
    },
    /// Too few usable training cases to fit a model (for example an early `before` date).
    #[error("{0}")]
    TooFew(String),
    /// Two inputs that must agree do not (an actor-level file given for a system-level model,
    /// onset values of the wrong level).
    #[error("{0}")]
    Mismatch(String),
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, Error>;
