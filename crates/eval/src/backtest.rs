//! Backtests: a scenario's forecasts, and its sources' forecasts in words, against what happened.
//!
//! - Issues: each model's absolute error against the resolved value.
//! - Crises: brink's outcome probabilities (Monte Carlo shares) scored with the multi-class Brier
//!   score sum_c (p_c - o_c)^2 and the log score ln p(what happened), floored at 0.001.
//! - Claims: each source's words turned into a probability by the fixed table
//!   ([`crate::words`]) and scored the same way as a yes/no forecast, beside brink's probability
//!   of the same event where brink forecasts it.
//! - Calibration: every yes/no probability (brink's per outcome class, the claims') binned by
//!   tenths, with the share that happened.

use brink_scenario::{About, Claims, Outcomes, Scenario};
use schemars::JsonSchema;
use serde::Serialize;

use crate::words::{brier, log_score, probability};

/// One issue's errors.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IssueScore {
    /// The issue's id.
    pub issue: String,
    /// What happened.
    pub outcome: f64,
    /// Per model: (name, forecast, absolute error).
    pub models: Vec<(String, Option<f64>, Option<f64>)>,
}

/// A probability forecast of a yes/no event, scored.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ProbScore {
    /// Who forecast it (`brink` or a source's id).
    pub forecaster: String,
    /// The claim or the model output.
    pub what: String,
    /// The event in words.
    pub event: String,
    /// The probability given to the event.
    pub p: f64,
    /// Whether it happened.
    pub happened: bool,
    /// Brier score (lower is better).
    pub brier: f64,
    /// Log score (higher is better).
    pub log: f64,
}

/// A crisis's multi-class score.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CrisisScore {
    /// The crisis's id.
    pub crisis: String,
    /// What happened.
    pub outcome: String,
    /// brink's probability of each class.
    #[schemars(with = "Vec<(String, Option<f64>)>")]
    pub probabilities: Vec<(String, f64)>,
    /// Multi-class Brier score.
    #[schemars(with = "Option<f64>")]
    pub brier: f64,
    /// Log score of the class that happened.
    #[schemars(with = "Option<f64>")]
    pub log: f64,
}

/// A calibration bin.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Forecasts in the bin.
    pub n: usize,
    /// Their mean probability.
    #[schemars(with = "Option<f64>")]
    pub mean_p: f64,
    /// The share that happened.
    #[schemars(with = "Option<f64>")]
    pub observed: f64,
}

/// A whole backtest.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Backtest {
    /// When the outcomes were read.
    pub horizon: String,
    /// Per issue.
    pub issues: Vec<IssueScore>,
    /// Per model: (name, issues scored, mean absolute error).
    #[schemars(with = "Vec<(String, usize, Option<f64>)>")]
    pub mae: Vec<(String, usize, f64)>,
    /// Per crisis.
    pub crises: Vec<CrisisScore>,
    /// Yes/no forecasts: brink's and the sources'.
    pub claims: Vec<ProbScore>,
    /// Calibration of every yes/no forecast.
    pub calibration: Vec<Bin>,
}

/// Scores `forecasts` (per model, per issue) and `crisis_probs` (per crisis: class, probability)
/// against `outcomes`; `claims` adds the sources' forecasts.
pub fn backtest(
    sc: &Scenario,
    outcomes: &Outcomes,
    forecasts: &[(String, Vec<Option<f64>>)],
    crisis_probs: &[(String, Vec<(String, f64)>)],
    claims: Option<&Claims>,
) -> Backtest {
    let mut issues = Vec::new();
    for o in &outcomes.issues {
        let Some(k) = sc.issue_index(&o.issue) else {
            continue;
        };
        issues.push(IssueScore {
            issue: o.issue.clone(),
            outcome: o.value,
            models: forecasts
                .iter()
                .map(|(m, v)| (m.clone(), v[k], v[k].map(|x| (x - o.value).abs())))
                .collect(),
        });
    }
    let mae = forecasts
        .iter()
        .enumerate()
        .map(|(m, (name, _))| {
            let e: Vec<f64> = issues.iter().filter_map(|i| i.models[m].2).collect();
            (
                name.clone(),
                e.len(),
                e.iter().sum::<f64>() / e.len().max(1) as f64,
            )
        })
        .collect();
    let mut crises = Vec::new();
    let mut yes_no = Vec::new();
    for co in &outcomes.crises {
        let Some((_, probs)) = crisis_probs.iter().find(|(c, _)| *c == co.crisis) else {
            continue;
        };
        let b: f64 = probs.iter().map(|(c, p)| brier(*p, *c == co.outcome)).sum();
        let p_obs = probs
            .iter()
            .find(|(c, _)| *c == co.outcome)
            .map_or(0.0, |x| x.1);
        crises.push(CrisisScore {
            crisis: co.crisis.clone(),
            outcome: co.outcome.clone(),
            probabilities: probs.clone(),
            brier: b,
            log: log_score(p_obs, true),
        });
        for (c, p) in probs {
            yes_no.push(ProbScore {
                forecaster: "brink".into(),
                what: format!("crisis `{}`: Monte Carlo share", co.crisis),
                event: format!("{} ends in {c}", co.crisis),
                p: *p,
                happened: *c == co.outcome,
                brier: brier(*p, *c == co.outcome),
                log: log_score(*p, *c == co.outcome),
            });
        }
    }
    if let Some(cl) = claims {
        for c in &cl.claims {
            let Some(p0) = probability(&c.words) else {
                continue;
            };
            let p = if c.negated { 1.0 - p0 } else { p0 };
            let (event, happened) = match &c.about {
                About::Crisis { crisis, outcome } => {
                    match outcomes.crises.iter().find(|x| x.crisis == *crisis) {
                        Some(x) => (format!("{crisis} ends in {outcome}"), x.outcome == *outcome),
                        None => continue,
                    }
                }
                About::Event(id) => match outcomes.events.iter().find(|e| e.id == *id) {
                    Some(e) => (e.description.clone(), e.occurred),
                    None => continue,
                },
            };
            yes_no.push(ProbScore {
                forecaster: cl.sources[c.source].id.clone(),
                what: format!("“{}” read as “{}”", c.quote, c.words),
                event,
                p,
                happened,
                brier: brier(p, happened),
                log: log_score(p, happened),
            });
        }
    }
    let calibration = (0..10)
        .map(|b| {
            let (lo, hi) = (b as f64 / 10.0, (b + 1) as f64 / 10.0);
            let inb: Vec<&ProbScore> = yes_no
                .iter()
                .filter(|s| s.p >= lo && (s.p < hi || (b == 9 && s.p <= hi)))
                .collect();
            let n = inb.len();
            Bin {
                lo,
                hi,
                n,
                mean_p: inb.iter().map(|s| s.p).sum::<f64>() / n.max(1) as f64,
                observed: inb.iter().filter(|s| s.happened).count() as f64 / n.max(1) as f64,
            }
        })
        .collect();
    Backtest {
        horizon: outcomes.horizon.to_string(),
        issues,
        mae,
        crises,
        claims: yes_no,
        calibration,
    }
}

impl Backtest {
    /// As text.
    pub fn table(&self) -> String {
        let mut s = format!("Backtest against outcomes read at {}\n\nIssues (absolute error of each model's forecast):\n", self.horizon);
        for i in &self.issues {
            let cells: Vec<String> = i
                .models
                .iter()
                .map(|(m, f, e)| match (f, e) {
                    (Some(f), Some(e)) => format!("{m} {f:.1} (err {e:.1})"),
                    _ => format!("{m} -"),
                })
                .collect();
            s.push_str(&format!(
                "  {:<16} outcome {:>5.1}: {}\n",
                i.issue,
                i.outcome,
                cells.join(", ")
            ));
        }
        s.push_str("  mean absolute error: ");
        let m: Vec<String> = self
            .mae
            .iter()
            .map(|(n, k, e)| format!("{n} {e:.1} ({k} issues)"))
            .collect();
        s.push_str(&m.join(", "));
        s.push('\n');
        for c in &self.crises {
            s.push_str(&format!(
                "\nCrisis `{}`: what happened: {}; brink's probabilities: ",
                c.crisis, c.outcome
            ));
            let ps: Vec<String> = c
                .probabilities
                .iter()
                .filter(|(_, p)| *p > 0.0)
                .map(|(o, p)| format!("{o} {:.3}", p))
                .collect();
            s.push_str(&ps.join(", "));
            s.push_str(&format!(
                "\n  multi-class Brier {:.3}, log score {:.2}\n",
                c.brier, c.log
            ));
        }
        s.push_str("\nYes/no forecasts (Brier: lower is better; log: higher is better):\n");
        for c in self
            .claims
            .iter()
            .filter(|c| c.forecaster != "brink" || c.happened || c.p > 0.0)
        {
            s.push_str(&format!(
                "  {:<12} p = {:.3}  {:<5}  Brier {:.3}  log {:>6.2}  {}\n",
                c.forecaster,
                c.p,
                if c.happened { "yes" } else { "no" },
                c.brier,
                c.log,
                c.event
            ));
        }
        s.push_str("\nCalibration (all yes/no forecasts above):\n");
        for b in self.calibration.iter().filter(|b| b.n > 0) {
            s.push_str(&format!(
                "  p in [{:.1}, {:.1}): {} forecasts, mean p {:.2}, happened {:.2}\n",
                b.lo, b.hi, b.n, b.mean_p, b.observed
            ));
        }
        s
    }
}
