//! A scenario's predictive distributions against what happened: per issue and model the CRPS
//! (beside the point forecast's absolute error, its CRPS), the PIT and whether the outcome fell
//! in the central 50%, 80% and 90% intervals; per model the means and coverage. With a handful
//! of issues these are descriptions of one case, not estimates: the DEU evaluation
//! (`brink eval`) is where calibration is measured.

use std::collections::BTreeMap;

use brink_scenario::{Outcomes, Scenario};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::predictive::{key, Prediction, LEVELS};

/// One model's distribution on one issue, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DistScore {
    /// The model.
    pub model: String,
    /// Its point forecast, if given.
    pub point: Option<f64>,
    /// The point forecast's absolute error (= its CRPS).
    pub abs_error: Option<f64>,
    /// The distribution's median.
    pub median: f64,
    /// The distribution's CRPS.
    pub crps: f64,
    /// (P(X < y), P(X <= y)).
    pub pit: (f64, f64),
    /// Whether the outcome lies in the central interval, by level (`"0.5"`, `"0.8"`, `"0.9"`).
    pub inside: BTreeMap<String, bool>,
}

/// One issue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueDistScores {
    /// The issue's id.
    pub issue: String,
    /// What happened.
    pub outcome: f64,
    /// Per model with a distribution.
    pub models: Vec<DistScore>,
}

/// One model over the issues.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelDistSummary {
    /// The model.
    pub model: String,
    /// Issues scored.
    pub n: usize,
    /// Mean absolute error of the point forecast (= its CRPS), over the same issues.
    pub mae: Option<f64>,
    /// Mean CRPS of the distribution.
    pub crps: f64,
    /// Share of outcomes inside the central interval, by level.
    pub coverage: BTreeMap<String, f64>,
}

/// A backtest of distributions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DistBacktest {
    /// Per issue with an outcome.
    pub issues: Vec<IssueDistScores>,
    /// Per model.
    pub models: Vec<ModelDistSummary>,
}

/// Scores `predictions` (`[model][issue]`, as [`crate::predictive::predict_points`] or
/// [`crate::predictive::DrawCollector::predictions`] give them) against `outcomes`; `points`
/// (per model, per issue, same order) adds each point forecast's absolute error.
pub fn backtest_distributions(
    sc: &Scenario,
    outcomes: &Outcomes,
    points: &[(String, Vec<Option<f64>>)],
    predictions: &[Vec<Option<Prediction>>],
) -> DistBacktest {
    let mut issues = Vec::new();
    for o in &outcomes.issues {
        let Some(k) = sc.issue_index(&o.issue) else {
            continue;
        };
        let y = o.value;
        let models = predictions
            .iter()
            .enumerate()
            .filter_map(|(m, per)| {
                let p = per.get(k)?.as_ref()?;
                let d = &p.distribution;
                let point = points.get(m).and_then(|x| x.1.get(k).copied().flatten());
                Some(DistScore {
                    model: p.model.clone(),
                    point,
                    abs_error: point.map(|x| (x - y).abs()),
                    median: d.quantile(0.5),
                    crps: d.crps(y),
                    pit: d.pit(y),
                    inside: LEVELS
                        .iter()
                        .map(|&l| {
                            let (lo, hi) = d.interval(l);
                            (key(l), lo <= y && y <= hi)
                        })
                        .collect(),
                })
            })
            .collect();
        issues.push(IssueDistScores {
            issue: o.issue.clone(),
            outcome: y,
            models,
        });
    }
    let models = summarise(&issues);
    DistBacktest { issues, models }
}

impl DistBacktest {
    /// The per-model summary over the issues with these ids only (e.g. the issues two versions
    /// of a scenario share).
    pub fn models_over(&self, ids: &[&str]) -> Vec<ModelDistSummary> {
        let some: Vec<IssueDistScores> = self
            .issues
            .iter()
            .filter(|i| ids.contains(&i.issue.as_str()))
            .cloned()
            .collect();
        summarise(&some)
    }
}

/// Per model (in the order they first appear): the means and coverage over `issues`.
fn summarise(issues: &[IssueDistScores]) -> Vec<ModelDistSummary> {
    let mut names: Vec<String> = Vec::new();
    for i in issues {
        for s in &i.models {
            if !names.contains(&s.model) {
                names.push(s.model.clone());
            }
        }
    }
    names
        .into_iter()
        .map(|name| {
            let rows: Vec<&DistScore> = issues
                .iter()
                .flat_map(|i| i.models.iter().filter(|s| s.model == name))
                .collect();
            let n = rows.len();
            let ae: Vec<f64> = rows.iter().filter_map(|s| s.abs_error).collect();
            ModelDistSummary {
                model: name,
                n,
                mae: (ae.len() == n && n > 0).then(|| ae.iter().sum::<f64>() / n as f64),
                crps: rows.iter().map(|s| s.crps).sum::<f64>() / n.max(1) as f64,
                coverage: LEVELS
                    .iter()
                    .map(|&l| {
                        let k = key(l);
                        let c = rows.iter().filter(|s| s.inside[&k]).count();
                        (k, c as f64 / n.max(1) as f64)
                    })
                    .collect(),
            }
        })
        .collect()
}
