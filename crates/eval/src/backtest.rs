//! Backtests: a scenario's forecasts, its sources' forecasts in words and other forecasters'
//! stated probabilities, against what happened.
//!
//! - Issues: each model's absolute error against the resolved value.
//! - Crises: brink's outcome probabilities (Monte Carlo shares) scored with the multi-class Brier
//!   score sum_c (p_c - o_c)^2 and the log score ln p(what happened), floored at 0.001.
//! - Claims in words: each source's words turned into a probability by the fixed table
//!   ([`crate::words`]) and scored as a yes/no forecast of the event the claim names, by the
//!   claim's own horizon: an event that happened after the horizon did not happen by it. A
//!   conditional claim (`given`) is scored only if its condition happened by the horizon; else it
//!   is void. A claim whose horizon lies beyond the outcomes' horizon and whose event has not
//!   happened is open; an event that cannot be resolved from well-established facts is
//!   unresolved. Neither is scored; both are listed.
//! - Stated probabilities (a forecasting crowd, a named forecaster): scored the same way on the
//!   event they name, each with its own date and horizon, beside brink's probability of the
//!   crisis outcome.
//! - Calibration: every scored yes/no probability binned by tenths, with the share that happened.
//!
//! A forecast of record ([`brink_scenario::Record`]) is scored with [`backtest_record`], the same
//! way as a fresh run.

use brink_scenario::{About, Claims, Date, Outcomes, Record, Scenario};
use serde::{Deserialize, Serialize};

use crate::words::{brier, log_score, probability};

/// One issue's errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueScore {
    /// The issue's id.
    pub issue: String,
    /// What happened.
    pub outcome: f64,
    /// Per model: (name, forecast, absolute error).
    pub models: Vec<(String, Option<f64>, Option<f64>)>,
}

/// A probability forecast of a yes/no event, scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProbScore {
    /// Who forecast it (`brink` or a source's id).
    pub forecaster: String,
    /// `model` (brink's Monte Carlo share), `words` (a claim read with the fixed table) or
    /// `stated` (a probability the forecaster stated).
    pub kind: String,
    /// The claim's or forecast's id (`CRISIS:CLASS` for brink's shares).
    pub id: String,
    /// The claim or the model output.
    pub what: String,
    /// The event in words.
    pub event: String,
    /// When the forecast was made (`YYYY-MM-DD`), if known (brink's: the scenario's date in force).
    pub made: Option<String>,
    /// By when the event had to happen (`YYYY-MM-DD`).
    pub horizon: String,
    /// The probability given to the event.
    pub p: f64,
    /// Whether it happened by the horizon.
    pub happened: bool,
    /// Brier score (lower is better).
    pub brier: f64,
    /// Log score (higher is better).
    pub log: f64,
    /// How a stated forecast's question matches the event it is scored on.
    pub matching: Option<String>,
}

/// A claim or stated forecast that is not scored, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NotScored {
    /// Who made it.
    pub forecaster: String,
    /// Its id.
    pub id: String,
    /// The event in words.
    pub event: String,
    /// Its horizon.
    pub horizon: String,
    /// `void` (its condition did not happen), `open` (its horizon is after the outcomes' and the
    /// event has not happened), `unresolved` (no well-established outcome), `no outcome` (the
    /// outcomes file does not resolve it) or `unknown words` (not in the fixed table).
    pub status: String,
    /// Why.
    pub why: String,
}

/// A crisis's multi-class score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrisisScore {
    /// The crisis's id.
    pub crisis: String,
    /// What happened.
    pub outcome: String,
    /// brink's probability of each class.
    pub probabilities: Vec<(String, f64)>,
    /// Multi-class Brier score.
    pub brier: f64,
    /// Log score of the class that happened.
    pub log: f64,
}

/// A calibration bin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bin {
    /// Lower edge.
    pub lo: f64,
    /// Upper edge.
    pub hi: f64,
    /// Forecasts in the bin.
    pub n: usize,
    /// Their mean probability.
    pub mean_p: f64,
    /// The share that happened.
    pub observed: f64,
}

/// A whole backtest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    /// When the outcomes were read.
    pub horizon: String,
    /// Per issue.
    pub issues: Vec<IssueScore>,
    /// Issues with an outcome that this scenario does not have (not scored).
    #[serde(default)]
    pub issues_not_in_scenario: Vec<String>,
    /// Per model: (name, issues scored, mean absolute error).
    pub mae: Vec<(String, usize, f64)>,
    /// Per crisis.
    pub crises: Vec<CrisisScore>,
    /// Scored yes/no forecasts: brink's, the sources' words, other forecasters' probabilities.
    pub claims: Vec<ProbScore>,
    /// Claims and stated forecasts not scored, with the reason.
    #[serde(default)]
    pub not_scored: Vec<NotScored>,
    /// Calibration of every scored yes/no forecast.
    pub calibration: Vec<Bin>,
}

/// How an event stands by a horizon.
enum Resolved {
    Yes,
    No,
    Open,
    Unresolved(String),
    Missing(String),
}

fn resolve(about: &About, horizon: Date, outcomes: &Outcomes) -> Resolved {
    let by = |d: Option<Date>| match d {
        Some(d) if d <= horizon => Resolved::Yes,
        Some(_) => Resolved::No,
        None if horizon >= outcomes.horizon => Resolved::Yes,
        None => Resolved::Unresolved("it happened, but the outcomes file gives no date".into()),
    };
    let not_yet = || {
        if horizon <= outcomes.horizon {
            Resolved::No
        } else {
            Resolved::Open
        }
    };
    match about {
        About::Crisis { crisis, outcome } => {
            match outcomes.crises.iter().find(|x| x.crisis == *crisis) {
                None => Resolved::Missing(format!("no outcome for crisis `{crisis}`")),
                Some(x) if x.outcome == *outcome => by(x.date),
                Some(_) => not_yet(),
            }
        }
        About::Event(id) => match outcomes.events.iter().find(|e| e.id == *id) {
            None => Resolved::Missing(format!("no outcome for event `{id}`")),
            Some(e) => match e.occurred {
                None => Resolved::Unresolved(e.unresolved.clone().unwrap_or_default()),
                Some(true) => by(e.date),
                Some(false) => not_yet(),
            },
        },
    }
}

fn describe(about: &About, outcomes: &Outcomes) -> String {
    match about {
        About::Crisis { crisis, outcome } => format!("{crisis} ends in {outcome}"),
        About::Event(id) => outcomes
            .events
            .iter()
            .find(|e| e.id == *id)
            .map_or_else(|| id.clone(), |e| e.description.clone()),
    }
}

/// Scores `forecasts` (per model, per issue) and `crisis_probs` (per crisis: class, probability)
/// against `outcomes`; `claims` adds the sources' forecasts in words and other forecasters'
/// stated probabilities. brink's own yes/no forecasts are dated `made` (the date in force).
pub fn backtest(
    sc: &Scenario,
    outcomes: &Outcomes,
    forecasts: &[(String, Vec<Option<f64>>)],
    crisis_probs: &[(String, Vec<(String, f64)>)],
    claims: Option<&Claims>,
) -> Backtest {
    let made = Some(
        sc.updates
            .iter()
            .take(sc.applied)
            .map(|u| u.date)
            .max()
            .unwrap_or(sc.as_of)
            .max(sc.as_of)
            .to_string(),
    );
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
    let mae = mae_of(&issues, forecasts.iter().map(|(n, _)| n.clone()));
    let mut crises = Vec::new();
    let mut yes_no = Vec::new();
    let mut not_scored = Vec::new();
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
                kind: "model".into(),
                id: format!("{}:{c}", co.crisis),
                what: format!("crisis `{}`: Monte Carlo share", co.crisis),
                event: format!("{} ends in {c}", co.crisis),
                made: made.clone(),
                horizon: outcomes.horizon.to_string(),
                p: *p,
                happened: *c == co.outcome,
                brier: brier(*p, *c == co.outcome),
                log: log_score(*p, *c == co.outcome),
                matching: None,
            });
        }
    }
    if let Some(cl) = claims {
        for c in &cl.claims {
            let who = cl.sources[c.source].id.clone();
            let skip = |status: &str, why: String| NotScored {
                forecaster: who.clone(),
                id: c.id.clone(),
                event: c.event.clone(),
                horizon: c.horizon.to_string(),
                status: status.into(),
                why,
            };
            let Some(p0) = probability(&c.words) else {
                not_scored.push(skip(
                    "unknown words",
                    format!(
                        "`{}` is not in the fixed table of estimative words",
                        c.words
                    ),
                ));
                continue;
            };
            let p = if c.negated { 1.0 - p0 } else { p0 };
            if let Some(g) = &c.given {
                let cond = describe(g, outcomes);
                match resolve(g, c.horizon, outcomes) {
                    Resolved::Yes => {}
                    Resolved::No => {
                        not_scored.push(skip(
                            "void",
                            format!("its condition did not happen by {}: {cond}", c.horizon),
                        ));
                        continue;
                    }
                    Resolved::Open => {
                        not_scored
                            .push(skip("open", format!("its condition is still open: {cond}")));
                        continue;
                    }
                    Resolved::Unresolved(why) | Resolved::Missing(why) => {
                        not_scored
                            .push(skip("unresolved", format!("its condition ({cond}): {why}")));
                        continue;
                    }
                }
            }
            let happened = match resolve(&c.about, c.horizon, outcomes) {
                Resolved::Yes => true,
                Resolved::No => false,
                Resolved::Open => {
                    not_scored.push(skip(
                        "open",
                        format!(
                            "not happened by {}, the outcomes' horizon; the claim runs to {}",
                            outcomes.horizon, c.horizon
                        ),
                    ));
                    continue;
                }
                Resolved::Unresolved(why) => {
                    not_scored.push(skip("unresolved", why));
                    continue;
                }
                Resolved::Missing(why) => {
                    not_scored.push(skip("no outcome", why));
                    continue;
                }
            };
            yes_no.push(ProbScore {
                forecaster: who.clone(),
                kind: "words".into(),
                id: c.id.clone(),
                what: format!("“{}” read as “{}”", c.quote, c.words),
                event: c.event.clone(),
                made: Some(c.date.to_string()),
                horizon: c.horizon.to_string(),
                p,
                happened,
                brier: brier(p, happened),
                log: log_score(p, happened),
                matching: None,
            });
        }
        for f in &cl.forecasts {
            let who = cl.sources[f.source].id.clone();
            let skip = |status: &str, why: String| NotScored {
                forecaster: who.clone(),
                id: f.id.clone(),
                event: f.event.clone(),
                horizon: f.horizon.to_string(),
                status: status.into(),
                why,
            };
            let happened = match resolve(&f.about, f.horizon, outcomes) {
                Resolved::Yes => true,
                Resolved::No => false,
                Resolved::Open => {
                    not_scored.push(skip("open", format!("runs to {}", f.horizon)));
                    continue;
                }
                Resolved::Unresolved(why) => {
                    not_scored.push(skip("unresolved", why));
                    continue;
                }
                Resolved::Missing(why) => {
                    not_scored.push(skip("no outcome", why));
                    continue;
                }
            };
            yes_no.push(ProbScore {
                forecaster: who,
                kind: "stated".into(),
                id: f.id.clone(),
                what: format!("“{}”: {}", f.question, f.probability),
                event: f.event.clone(),
                made: Some(f.date.to_string()),
                horizon: f.horizon.to_string(),
                p: f.probability,
                happened,
                brier: brier(f.probability, happened),
                log: log_score(f.probability, happened),
                matching: Some(f.matching.clone()),
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
        issues_not_in_scenario: outcomes.issues_not_in(sc),
        mae,
        crises,
        claims: yes_no,
        not_scored,
        calibration,
    }
}

/// Per model: (name, issues scored, mean absolute error) over `issues`.
fn mae_of(
    issues: &[IssueScore],
    models: impl Iterator<Item = String>,
) -> Vec<(String, usize, f64)> {
    models
        .enumerate()
        .map(|(m, name)| {
            let e: Vec<f64> = issues.iter().filter_map(|i| i.models[m].2).collect();
            (name, e.len(), e.iter().sum::<f64>() / e.len().max(1) as f64)
        })
        .collect()
}

/// Scores a forecast of record (recorded crisis shares and issue forecasts) against `outcomes`,
/// as [`backtest`] scores a fresh run. `sc` is the frozen scenario the record was made from;
/// recorded issues it does not have are ignored, issues without a recorded forecast have none.
pub fn backtest_record(
    sc: &Scenario,
    record: &Record,
    outcomes: &Outcomes,
    claims: Option<&Claims>,
) -> Backtest {
    let mut models: Vec<String> = Vec::new();
    for i in &record.issues {
        for (m, _) in &i.forecasts {
            if !models.contains(m) {
                models.push(m.clone());
            }
        }
    }
    let forecasts: Vec<(String, Vec<Option<f64>>)> = models
        .iter()
        .map(|m| {
            let v = sc
                .issues
                .iter()
                .map(|is| {
                    record
                        .issues
                        .iter()
                        .find(|r| r.issue == is.id)
                        .and_then(|r| r.forecasts.iter().find(|(n, _)| n == m).map(|x| x.1))
                })
                .collect();
            (m.clone(), v)
        })
        .collect();
    let crisis_probs: Vec<(String, Vec<(String, f64)>)> = record
        .crises
        .iter()
        .map(|c| (c.crisis.clone(), c.shares.clone()))
        .collect();
    let mut bt = backtest(sc, outcomes, &forecasts, &crisis_probs, claims);
    for s in bt.claims.iter_mut().filter(|s| s.kind == "model") {
        s.made = Some(record.as_of.to_string());
    }
    bt
}

impl Backtest {
    /// Per model: (name, issues scored, mean absolute error) over the named issues only (e.g. the
    /// issues of a frozen, earlier version of the scenario, to compare like with like).
    pub fn mae_over(&self, issues: &[&str]) -> Vec<(String, usize, f64)> {
        let keep: Vec<IssueScore> = self
            .issues
            .iter()
            .filter(|i| issues.contains(&i.issue.as_str()))
            .cloned()
            .collect();
        mae_of(&keep, self.mae.iter().map(|(n, ..)| n.clone()))
    }

    /// brink's score for a crisis outcome class (`standoff`, `war`).
    pub fn brink(&self, crisis: &str, outcome: &str) -> Option<&ProbScore> {
        let id = format!("{crisis}:{outcome}");
        self.claims.iter().find(|s| s.kind == "model" && s.id == id)
    }

    /// A forecaster's latest scored stated forecast made on or before `date` (`YYYY-MM-DD`) on
    /// the event `event`: what the forecaster said as of that date.
    pub fn latest_stated(&self, forecaster: &str, event: &str, date: &str) -> Option<&ProbScore> {
        self.claims
            .iter()
            .filter(|s| {
                s.kind == "stated"
                    && s.forecaster == forecaster
                    && s.event == event
                    && s.made.as_deref().is_some_and(|m| m <= date)
            })
            .max_by(|a, b| a.made.cmp(&b.made))
    }
}
