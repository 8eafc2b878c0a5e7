//! brink-calib: one crisis forecast from two views.
//!
//! - [`icb_game`]: the inside view fitted to history. The International Interaction Game's inputs
//!   mapped from an ICB crisis's onset variables only, the logit quantal response's precision
//!   `lambda` (and the mapping's two scales: the cost of war and the power scale) estimated by
//!   maximum likelihood on the ICB development crises (the strategic-estimation approach of
//!   Signorino 1999, 2003 and Lewis & Schultz 2003).
//! - [`mod@combine`]: the stated rule that puts the game's probability on the reference class's
//!   odds as a likelihood ratio with a weight chosen by cross-validation, and the shipped
//!   constants ([`combine::LAMBDA`], ...), each re-derived from the shipped data by a test.
//! - [`mod@estimate`]: the estimation and its cross-validation by crisis (the reference class's
//!   folds): log-likelihood, log loss and Brier of the game, the reference class, the
//!   combination and the base rate.
//!
//! The equations, the mapping and its references: `docs/crisis-mapping.md` ("The inside view
//! estimated on ICB", "One forecast").

pub mod combine;
pub mod estimate;
pub mod icb_game;

pub use combine::{combine, Combination, GAME_MEAN, LAMBDA, POWER_SCALE, WAR_COST, WEIGHTS};
pub use estimate::{estimate, Estimate, Scores};
pub use icb_game::{fit_game, log_likelihood, violence, GameParams};

/// Errors of the calibration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The reference class could not be fitted or evaluated.
    #[error("reference class: {0}")]
    RefClass(#[from] brink_refclass::Error),
    /// Too few cases to fit.
    #[error("{0}")]
    TooFew(String),
}

/// A result of this crate.
pub type Result<T> = std::result::Result<T, Error>;
