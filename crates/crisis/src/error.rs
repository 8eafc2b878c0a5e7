//! Errors of the crisis crate.

use thiserror::Error;

/// Everything that can go wrong when building, reading or solving a game.
#[derive(Debug, Error, Clone, PartialEq)]
#[non_exhaustive]
pub enum CrisisError {
    /// The `.efg` text is malformed.
    #[error("efg parse error at line {line}, column {column}: {message}")]
    Parse {
        /// 1-based line of the offending token.
        line: usize,
        /// 1-based column of the offending token.
        column: usize,
        /// What was wrong.
        message: String,
    },
    /// The game is structurally invalid (bad probabilities, missing payoffs, inconsistent infosets...).
    #[error("invalid game: {0}")]
    InvalidGame(String),
    /// The solver cannot handle this class of game exactly.
    #[error("not solvable by this solver: {0}")]
    Unsupported(String),
    /// The game has no equilibrium of the kind asked for (e.g. no pure-strategy PBE).
    #[error("no equilibrium: {0}")]
    NoEquilibrium(String),
    /// A parameter of a model is out of its domain.
    #[error("invalid parameter `{name}`: {message}")]
    InvalidParameter {
        /// The parameter's name.
        name: &'static str,
        /// Why it is invalid.
        message: String,
    },
    /// A profile or belief given to the certifier does not fit the game.
    #[error("invalid profile: {0}")]
    InvalidProfile(String),
}

/// Result alias of the crate.
pub type Result<T> = std::result::Result<T, CrisisError>;
