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
    /// Per crisis outcome that a record, claims or outcomes file speaks of: its probability over
    /// time on one plot ([`ProbabilityPath`]); empty unless such files are given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<ProbabilityPath>,
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

/// One crisis outcome's probability over time, on one plot (`brink timeline` with `--record`,
/// `--claims` or `--outcomes`): brink's forecast of record, the forecast this scenario gives at
/// its cut-off and at each dated update, other forecasters' dated probabilities, and the date the
/// outcome happened. Recorded, computed and stated values are kept apart, each labelled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProbabilityPath {
    /// The crisis's id.
    pub crisis: String,
    /// The outcome class (`war`).
    pub outcome: String,
    /// The series, in order: brink's forecast of record, this scenario's forecasts, then each
    /// other forecaster.
    pub series: Vec<PathSeries>,
    /// What the inputs do not hold (e.g. no forecast of record at an update's date), in words.
    pub notes: Vec<String>,
    /// When the crisis ended, from the outcomes file, if it did by their horizon.
    pub happened: Option<PathOutcome>,
}

/// One forecaster's dated probabilities of the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PathSeries {
    /// The series in words, for the legend.
    pub label: String,
    /// `record` (brink's forecast of record, read from the record file), `computed` (computed now
    /// from this scenario, on its point estimates) or `stated` (another forecaster's probability,
    /// read from the claims file).
    pub kind: String,
    /// The forecaster (`brink`, or the claims file's source id).
    pub forecaster: String,
    /// The points, in date order.
    pub points: Vec<PathPoint>,
}

/// One dated probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PathPoint {
    /// The date the forecast was made (`YYYY-MM-DD`).
    pub date: String,
    /// The probability of the outcome.
    pub p: f64,
    /// Where it comes from, in words (a file and commit, a question).
    pub from: String,
}

/// What the crisis ended in and when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PathOutcome {
    /// The outcome class it ended in.
    pub outcome: String,
    /// The date (`YYYY-MM-DD`).
    pub date: String,
}
