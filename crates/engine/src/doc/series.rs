//! Documents made of forecasts: a timeline (`brink timeline`) and a what-if comparison
//! (`brink whatif`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Forecast, Header, InputInfo, ScenarioInfo};

/// The forecast at the scenario's cut-off and at each dated update: how the forecasts and the
/// odds of the rival hypotheses moved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Timeline {
    /// Schema version, kind (`timeline`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The scenario (as of its own cut-off).
    pub scenario: ScenarioInfo,
    /// Per date, in order: the cut-off, then each update's date.
    pub dates: Vec<TimelineDate>,
    /// Whether the run was stopped before the last date.
    pub stopped: bool,
}

/// The forecast as of one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TimelineDate {
    /// The date.
    pub as_of: String,
    /// The update dated that day, in words (none at the cut-off).
    pub update: Option<String>,
    /// The forecast with what was known that day.
    pub forecast: Forecast,
}

/// The forecasts as given and with some inputs changed, side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct WhatIf {
    /// Schema version, kind (`whatif`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The scenario.
    pub scenario: ScenarioInfo,
    /// The changes, in the order given.
    pub changes: Vec<Change>,
    /// The forecast as given.
    pub as_given: Forecast,
    /// The forecast with the changes.
    pub as_changed: Forecast,
    /// Per crisis: each outcome's probability as given and as changed.
    pub crises: Vec<CrisisComparison>,
}

/// One input fixed at a value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// The input's key (`rus.enlargement.salience`).
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Its point value as given.
    pub from: f64,
    /// The value it is fixed at.
    pub to: f64,
}

/// A crisis's outcome probabilities as given and as changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisComparison {
    /// The crisis's id.
    pub crisis: String,
    /// Its name.
    pub name: String,
    /// Per outcome class of the forecast as given.
    pub outcomes: Vec<OutcomeComparison>,
}

/// One outcome's probability as given and as changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeComparison {
    /// The outcome class.
    pub outcome: String,
    /// Its probability as given.
    pub as_given: f64,
    /// Its probability as changed.
    pub as_changed: f64,
}
