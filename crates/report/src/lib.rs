//! brink-report: what brink writes for people and programs.
//!
//! - [`ForecastDoc`]: the forecast of a run as one serialisable document (the `--format json`
//!   output), with a schema version, brink's version and the SHA-256 of the input.
//! - [`table`]: the same as aligned text for a terminal.
//! - [`backtest`]: a backtest as text, and the README's backtest tables.
//! - [`predictive`]: predictive distributions (medians, intervals in the scale's words, their
//!   evaluation and backtest, an HTML section with plots).

pub mod backtest;
pub mod crisis;
pub mod html;
pub mod mc;
pub mod plot;
pub mod predictive;
pub mod table;

use brink_bargain::{IssueForecast, Outcome};
use brink_scenario::{Issue, Scenario};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The version of the JSON document's schema. Bump it when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// The SHA-256 of a text, as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    let mut h = Sha256::new();
    h.update(text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the input came from.
#[derive(Debug, Clone, Serialize)]
pub struct InputInfo {
    /// The file name as given (or `<built-in: ID>`).
    pub file: String,
    /// SHA-256 of the input text.
    pub sha256: String,
}

/// The scenario's head.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioInfo {
    /// Id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Information cut-off.
    pub as_of: String,
    /// The question.
    pub question: String,
}

/// One model's forecast on one issue, in words and numbers.
#[derive(Debug, Clone, Serialize)]
pub struct ModelForecast {
    /// The model's name.
    pub model: String,
    /// `settles`, `no_agreement` or `not_covered`.
    pub kind: String,
    /// The forecast position (for no agreement: the status quo); null when not covered.
    pub value: Option<f64>,
    /// The label of the nearest labelled point of the scale.
    pub label: Option<String>,
    /// Names of the actors whose weight decides the forecast.
    pub decisive: Vec<String>,
    /// Names of the actors blocking an agreement (no agreement only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<String>,
    /// Why the model covers no forecast here.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The explanation in words.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<String>,
    /// The structured record of a dynamic model's run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<serde_json::Value>,
}

/// One issue's forecasts.
#[derive(Debug, Clone, Serialize)]
pub struct IssueReport {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Scale.
    pub min: f64,
    /// Scale.
    pub max: f64,
    /// The labelled points of the scale.
    pub points: Vec<(f64, String)>,
    /// The status quo, if known.
    pub status_quo: Option<f64>,
    /// Its label.
    pub status_quo_label: Option<String>,
    /// One per model, in the order the models were asked for.
    pub forecasts: Vec<ModelForecast>,
}

/// A whole run.
#[derive(Debug, Clone, Serialize)]
pub struct ForecastDoc {
    /// Schema version of this document.
    pub schema: u32,
    /// brink's version.
    pub brink_version: String,
    /// The input.
    pub input: InputInfo,
    /// The scenario.
    pub scenario: ScenarioInfo,
    /// Models run, in order.
    pub models: Vec<String>,
    /// Rounds given to the dynamic models.
    pub rounds: usize,
    /// Seed for models with random tie-breaking.
    pub seed: u64,
    /// Per issue.
    pub issues: Vec<IssueReport>,
    /// Per crisis: the equilibrium forecast (see `brink_crisis::standoff::CrisisForecast`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub crises: Vec<serde_json::Value>,
}

fn names(sc: &Scenario, ix: &[usize]) -> Vec<String> {
    ix.iter().map(|&i| sc.actors[i].name.clone()).collect()
}

fn model_forecast(sc: &Scenario, issue: &Issue, model: &str, f: &IssueForecast) -> ModelForecast {
    let value = f.value();
    let (kind, blockers, reason) = match &f.outcome {
        Outcome::Settles { .. } => ("settles", Vec::new(), None),
        Outcome::NoAgreement { blockers, .. } => ("no_agreement", names(sc, blockers), None),
        Outcome::NotCovered { reason } => ("not_covered", Vec::new(), Some(reason.clone())),
    };
    ModelForecast {
        model: model.to_string(),
        kind: kind.to_string(),
        value,
        label: value.map(|v| issue.nearest_label(v).to_string()),
        decisive: names(sc, &f.decisive),
        blockers,
        reason,
        explanation: f.explanation.clone(),
        trace: f.trace.clone(),
    }
}

impl ForecastDoc {
    /// Builds the document from each model's forecasts (`runs`: model name, its forecasts in
    /// issue order).
    pub fn new(
        sc: &Scenario,
        input: InputInfo,
        runs: &[(String, Vec<IssueForecast>)],
        rounds: usize,
        seed: u64,
    ) -> Self {
        let issues = sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, is)| {
                let q = is.status_quo.as_ref().map(|q| q.point);
                IssueReport {
                    id: is.id.clone(),
                    name: is.name.clone(),
                    min: is.min,
                    max: is.max,
                    points: is.points.iter().map(|p| (p.at, p.label.clone())).collect(),
                    status_quo: q,
                    status_quo_label: q.map(|q| is.nearest_label(q).to_string()),
                    forecasts: runs
                        .iter()
                        .map(|(m, fs)| model_forecast(sc, is, m, &fs[k]))
                        .collect(),
                }
            })
            .collect();
        ForecastDoc {
            schema: SCHEMA_VERSION,
            brink_version: env!("CARGO_PKG_VERSION").to_string(),
            input,
            scenario: ScenarioInfo {
                id: sc.id.clone(),
                title: sc.title.clone(),
                as_of: sc.as_of.to_string(),
                question: sc.question.clone(),
            },
            models: runs.iter().map(|(m, _)| m.clone()).collect(),
            rounds,
            seed,
            issues,
            crises: Vec::new(),
        }
    }
}
