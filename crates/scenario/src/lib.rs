//! brink-scenario: the data model of a standoff (actors, issues on labelled scales, stances with
//! evidence and uncertainty, outcomes), its TOML format with validation, and importers from the
//! field's other formats (KTAB, the expected-utility CSV, decide-exchange-model, DEU).
//!
//! The format is documented in `docs/scenario-format.md`. Loading never panics: every problem is
//! reported with file, line, column and field path ([`LoadError`]).

mod addendum;
mod claims;
mod diag;
pub mod import;
pub mod limits;
mod load;
mod model;
mod node;
mod onset;
mod outcomes;
mod read;
mod record;
mod warn;
mod write;

pub use addendum::{
    load_onset_addendum_file, load_onset_addendum_str, OnsetAddendum, AFTER_THE_OUTCOME,
};
pub use claims::{
    load_claims_file, load_claims_str, About, Claim, Claims, ExternalForecast, Unscored,
};
pub use diag::{Diagnostic, LoadError};
pub use load::{load_file, load_str};
pub use model::*;
pub use onset::{
    Onset, OnsetActor, OnsetEntry, OnsetKey, OnsetKind, OnsetScope, OnsetValue, ENTITY_STATE,
};
pub use outcomes::{load_outcomes_file, load_outcomes_str};
pub use record::{load_record_str, Record, RecordCrisis, RecordIssue};
pub use warn::{warnings, Warning};
pub use write::{outcomes_to_toml, scenario_to_toml};

/// The built-in scenario `ukraine-2021-12` (Trenin's essay of 28 Dec 2021, coded as of that
/// date), as TOML text; `brink run` with no argument runs it.
pub const BUILTIN_TOML: &str = include_str!("../../../scenarios/ukraine-2021-12.toml");

/// The name the built-in scenario goes by in messages.
pub const BUILTIN_NAME: &str = "<built-in: ukraine-2021-12>";

/// The onset addendum of the built-in scenario (`scenarios/ukraine-2021-12.onset.toml`): its
/// crisis's `[crises.onset]` section, added after the outcome for the reference class, kept out
/// of the scenario's own file (which has an outcomes file and so is frozen). The engine's
/// built-in input applies it.
pub const BUILTIN_ONSET_TOML: &str = include_str!("../../../scenarios/ukraine-2021-12.onset.toml");

/// The name the built-in scenario's onset addendum goes by in messages.
pub const BUILTIN_ONSET_NAME: &str = "ukraine-2021-12.onset.toml";

/// The built-in scenario, loaded.
pub fn builtin() -> Result<Scenario, LoadError> {
    load_str(BUILTIN_TOML, BUILTIN_NAME)
}
