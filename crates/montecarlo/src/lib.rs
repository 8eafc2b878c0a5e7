//! brink-montecarlo: what a scenario's uncertainty does to its forecasts.
//!
//! - [`inputs`]: every numeric input of a scenario, named in words, readable and settable.
//! - [`sample`]: draws from the scenario's distributions (triangular, uniform, truncated normal,
//!   beta, expert mixtures).
//! - [`fn@run`]: seeded Monte Carlo over all uncertain inputs, parallel and deterministic: the draws
//!   are cut into fixed chunks, each with its own random stream, and merged in chunk order, so one
//!   seed gives the same numbers whatever the thread count. Memory stays flat in the number of draws.
//! - [`sensitivity`]: one-at-a-time swings (tornado) and rank correlations: which inputs move
//!   each forecast.
//! - [`shard`]: a run cut into shards computed anywhere and merged into the result of one run.

pub mod inputs;
pub mod run;
pub mod sample;
pub mod sensitivity;
pub mod shard;
pub mod stats;

pub use inputs::InputRef;
pub use run::{
    check_draws, check_kept_draws, run, McConfig, McResult, MAX_CHUNK, MAX_DRAWS, MAX_KEPT_DRAWS,
};
