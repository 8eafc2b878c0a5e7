//! brink-engine: brink's pipeline as a library. Every document a front end shows (the `brink`
//! command line, a Python binding, a web server, a ledger) is made here, so no two front ends
//! can disagree.
//!
//! ```text
//! Loaded (scenario + file + SHA-256) ─┐
//! Options (models, rounds, seed,      ├─▶ Forecast::run ──────▶ Forecast (points, distributions,
//!  draws, threads, as_of, explain,    │                          crises' equilibria and probabilities)
//!  observer)                          ├─▶ CrisisAnalysis::run ▶ CrisisAnalysis (thresholds, .efg)
//!                                     ├─▶ Sensitivity::run ───▶ Sensitivity
//!                                     ├─▶ WhatIf::run ────────▶ WhatIf
//!                                     ├─▶ Timeline::run ──────▶ Timeline
//!                                     ├─▶ Backtest::run ──────▶ Backtest
//!                                     └─▶ Dossier::run ───────▶ Dossier (what the HTML report shows)
//! (Forecast::run_shard ─▶ Shard, on any process; Forecast::merge_shards ─▶ the Forecast of one run)
//! Dataset ─▶ Eval::run ▶ Eval      .efg text ─▶ Solve::run ▶ Solve      Check::run, Imported::run
//! IcbDataset ─▶ EvalIcb::run ▶ EvalIcb (the outside view on ICB files; EvalInput::load tells which)
//! ```
//!
//! Inside, one path: the date ([`Options::as_of`]), the worlds of the rival hypotheses
//! ([`worlds::worlds`], the one place that says which worlds each document sees), the bargaining
//! models mixed over them, the crises built and solved with certificates, the Monte Carlo run
//! (seeded, parallel, the same numbers whatever the thread count). Progress and cancellation go
//! through one [`Observer`]; a stopped run returns its partial document, flagged.
//!
//! Documents are serde types with a schema version inside ([`doc::SCHEMA_VERSION`]); their
//! JSON Schemas ([`schema::schemas`]) are committed under `docs/schema/`.

#![warn(missing_docs)]

pub mod crisis;
pub mod doc;
mod dossier;
mod error;
mod forecast;
pub mod input;
mod mc;
pub mod observe;
mod options;
pub mod predict;
pub mod schema;
mod score;
pub mod sensitivity;
pub mod series;
pub mod shard;
pub mod views;
pub mod worlds;

pub use brink_eval::probabilistic::ErrorChoice;
pub use doc::{
    Backtest, Check, CrisisAnalysis, Eval, EvalIcb, Forecast, Imported, InputInfo, ModelInfo,
    Sensitivity, Solve, Timeline, WhatIf, SCHEMA_VERSION,
};
pub use dossier::{Dossier, Rounds};
pub use error::{Error, ErrorKind, Result};
pub use input::{
    coded_crises, looks_like_icb, sha256_hex, CodedCrisis, Dataset, EvalInput, IcbDataset, Loaded,
};
pub use observe::{DrawColumns, Observer, Progress, Silent, Stage, StopFlag};
pub use options::{parse_date, pick_models, Options, DEFAULT_CRISIS_DRAWS};
pub use score::{models, EVAL_MODELS};
pub use shard::Shard;
