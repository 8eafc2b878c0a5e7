//! The engine's errors: bad input (the user can fix it; a front end says so and, on a command
//! line, exits with 2) or an internal failure (exit 1).

use brink_scenario::LoadError;
use thiserror::Error;

/// What went wrong. Every message names the file, line and field at fault where there is one.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A scenario, outcomes or claims file that does not load (every problem, with file, line
    /// and field).
    #[error(transparent)]
    Load(#[from] LoadError),
    /// Other bad input: an unknown model, a malformed date or change, a file that cannot be read,
    /// a scenario without what the document needs.
    #[error("{0}")]
    Input(String),
    /// Something that should not happen with any input (the built-in scenario does not load, a
    /// worker pool cannot start).
    #[error("{0}")]
    Internal(String),
}

/// The two kinds of [`enum@Error`], for front ends that map them (to exit codes, HTTP statuses,
/// Python exceptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is at fault: the user can fix it.
    BadInput,
    /// brink is at fault.
    Internal,
}

impl Error {
    /// Whether the input or brink is at fault.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Load(_) | Error::Input(_) => ErrorKind::BadInput,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Bad input with this message.
    pub(crate) fn input(msg: impl Into<String>) -> Self {
        Error::Input(msg.into())
    }
}

/// The engine's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
