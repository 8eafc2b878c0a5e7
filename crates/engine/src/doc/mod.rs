//! The documents: one serde type per document a front end shows, each with its schema version
//! ([`SCHEMA_VERSION`]) and its kind (`document`) inside. Their JSON Schemas are generated from
//! these types ([`crate::schema`]) and committed under `docs/schema/`.
//!
//! The documents are plain data: they hold no scenario and no model, so any front end can
//! render, store or send them. Parts that only an in-process renderer needs (a crisis's game
//! tree) are skipped in JSON.

mod crisis;
mod forecast;
mod misc;
mod sensitivity;
mod series;

pub use crisis::*;
pub use forecast::*;
pub use misc::*;
pub use sensitivity::*;
pub use series::*;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The version of the documents' JSON schemas. Bump it when a field changes meaning or goes
/// away, and say what changed in `docs/schema/CHANGELOG.md`.
pub const SCHEMA_VERSION: u32 = 3;

/// brink's version, as written into every document.
pub const BRINK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Where the input came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct InputInfo {
    /// The file name as given (or `<built-in: ID>`).
    pub file: String,
    /// SHA-256 of the input text, lowercase hex.
    pub sha256: String,
}

/// The head of every document: schema version, kind, brink's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Header {
    /// The schema version of this document ([`SCHEMA_VERSION`]).
    pub schema: u32,
    /// The kind of document: `forecast`, `crisis_analysis`, `sensitivity`, `whatif`,
    /// `timeline`, `backtest`, `eval`, `solve`, `check`.
    pub document: String,
    /// brink's version.
    pub brink_version: String,
}

impl Header {
    /// The head of a document of this kind, at the current schema version.
    pub fn new(document: &str) -> Self {
        Header {
            schema: SCHEMA_VERSION,
            document: document.to_string(),
            brink_version: BRINK_VERSION.to_string(),
        }
    }
}

/// The scenario a document is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ScenarioInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// The date of the information in force: the scenario's cut-off, or the later date whose
    /// updates were applied.
    pub as_of: String,
    /// The question.
    pub question: String,
    /// What the scenario says that does not count in this document's forecasts (e.g. the red
    /// lines of a crisis played on the escalation ladder, which does not use them), each as
    /// `FIELD: what is ignored and why` ([`brink_scenario::warnings`]); empty when everything counts.
    #[serde(default)]
    pub warnings: Vec<String>,
}

impl ScenarioInfo {
    /// The head of a scenario.
    pub fn of(sc: &brink_scenario::Scenario) -> Self {
        ScenarioInfo {
            id: sc.id.clone(),
            title: sc.title.clone(),
            as_of: sc.as_of.to_string(),
            question: sc.question.clone(),
            warnings: brink_scenario::warnings(sc)
                .iter()
                .map(ToString::to_string)
                .collect(),
        }
    }
}

/// A NaN (a number that is not defined, e.g. a share of no draws) as `None`.
pub(crate) fn defined(x: f64) -> Option<f64> {
    (!x.is_nan()).then_some(x)
}
