//! brink-eval: how good are the forecasts? Models scored against known outcomes.
//!
//! For every model: mean absolute error (MAE), root mean squared error, median absolute error and
//! the share of issues where it beats the compromise model, each over the issues the model covers
//! (with their count) and over the issues every model covers; 95% intervals from a bootstrap that
//! resamples proposals (groups of issues decided together, e.g. DEU's `prnr`), not issues, since
//! the issues of one proposal are not independent; and the paired difference in absolute error
//! against the compromise model, with its interval.

pub mod backtest;
pub mod backtest_dist;
pub mod better;
pub mod predictive;
pub mod probabilistic;
pub mod scores;
pub mod words;

use brink_scenario::{Outcomes, Scenario};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use schemars::JsonSchema;
use serde::Serialize;

/// One model's forecast per issue (`None` where it does not cover the issue).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Forecasts {
    /// The model's name.
    pub name: String,
    /// Per issue of the scenario, in order.
    pub values: Vec<Option<f64>>,
}

/// The baselines every evaluation includes: the reference point (status quo) and, when the
/// scenario has an actor with this id, that actor's position (DEU: the Commission, `com`).
pub fn baselines(sc: &Scenario, proposer: Option<&str>) -> Vec<Forecasts> {
    let v = sc.point_values();
    let mut out = vec![Forecasts {
        name: "reference point".into(),
        values: v.status_quo.clone(),
    }];
    if let Some(a) = proposer.and_then(|id| sc.actor_index(id)) {
        let mut values = vec![None; sc.issues.len()];
        for (j, st) in sc.stances.iter().enumerate() {
            if st.actor == a {
                values[st.issue] = Some(v.position[j]);
            }
        }
        out.push(Forecasts {
            name: format!("{}'s position", sc.actors[a].name),
            values,
        });
    }
    out
}

/// Error statistics of one model over a set of issues.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Metrics {
    /// Issues counted.
    pub n: usize,
    /// Mean absolute error.
    #[schemars(with = "Option<f64>")]
    pub mae: f64,
    /// 95% bootstrap interval of the MAE.
    #[schemars(with = "(Option<f64>, Option<f64>)")]
    pub mae_ci: (f64, f64),
    /// Root mean squared error.
    #[schemars(with = "Option<f64>")]
    pub rmse: f64,
    /// 95% bootstrap interval of the RMSE.
    #[schemars(with = "(Option<f64>, Option<f64>)")]
    pub rmse_ci: (f64, f64),
    /// Median absolute error.
    #[schemars(with = "Option<f64>")]
    pub median_ae: f64,
    /// Share of these issues where the model's error is strictly smaller than the compromise
    /// model's (NaN for the compromise model itself or when it is absent).
    #[schemars(with = "Option<f64>")]
    pub beats_compromise: f64,
    /// Share of ties with the compromise model.
    #[schemars(with = "Option<f64>")]
    pub ties_compromise: f64,
}

/// One model's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ModelEval {
    /// The model.
    pub name: String,
    /// Over the issues it covers.
    pub own: Metrics,
    /// Over the issues every model covers.
    pub common: Metrics,
    /// Mean of (|error| - |compromise's error|) over the issues both cover, with its 95%
    /// bootstrap interval: negative means more accurate than the compromise model.
    #[schemars(with = "Option<(Option<f64>, Option<f64>, Option<f64>)>")]
    pub paired_vs_compromise: Option<(f64, f64, f64)>,
}

/// A whole evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EvalReport {
    /// Issues with a known outcome.
    pub issues_with_outcome: usize,
    /// Issues every model covers.
    pub common: usize,
    /// Groups (proposals) resampled by the bootstrap.
    pub groups: usize,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Per model, in the order given.
    pub models: Vec<ModelEval>,
    /// Per issue with an outcome: id, group, outcome and each model's forecast.
    pub per_issue: Vec<IssueRow>,
}

/// One issue's forecasts and outcome.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IssueRow {
    /// The issue's id.
    pub issue: String,
    /// Its group (proposal).
    pub group: String,
    /// What happened.
    pub outcome: f64,
    /// Per model.
    pub forecasts: Vec<Option<f64>>,
}

/// The group of an issue: its `meta` proposal id (`prnr`, `proposal`) or else the issue itself.
pub fn group_of(sc: &Scenario, k: usize) -> String {
    let is = &sc.issues[k];
    is.meta
        .iter()
        .find(|(key, _)| key == "prnr" || key == "proposal")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| is.id.clone())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    percentile(&s, 0.5)
}

/// The most bootstrap resamples [`evaluate`] may be asked for: every resample is kept in memory
/// (a list of rows per resample).
pub const MAX_RESAMPLES: usize = 100_000;

/// Checks a number of bootstrap resamples against [`MAX_RESAMPLES`].
pub fn check_resamples(resamples: usize) -> Result<usize, brink_scenario::limits::CountError> {
    brink_scenario::limits::check_count(
        "resamples",
        resamples as u64,
        MAX_RESAMPLES as u64,
        "every bootstrap resample is kept in memory",
    )
    .map(|_| resamples)
}

/// Evaluates `models` (forecasts per issue of `sc`) against `outcomes`. The model named
/// `compromise`, if present, is the benchmark. `resamples` bootstrap draws with `seed`, at most
/// [`MAX_RESAMPLES`] (more are cut to it, and the report says how many ran; callers check first
/// with [`check_resamples`]).
pub fn evaluate(
    sc: &Scenario,
    outcomes: &Outcomes,
    models: &[Forecasts],
    resamples: usize,
    seed: u64,
) -> EvalReport {
    let rows: Vec<(usize, f64)> = (0..sc.issues.len())
        .filter_map(|k| outcomes.value_of(&sc.issues[k].id).map(|o| (k, o)))
        .collect();
    let mut group_names: Vec<String> = Vec::new();
    let row_group: Vec<usize> = rows
        .iter()
        .map(|&(k, _)| {
            let g = group_of(sc, k);
            match group_names.iter().position(|x| *x == g) {
                Some(i) => i,
                None => {
                    group_names.push(g);
                    group_names.len() - 1
                }
            }
        })
        .collect();
    let n_groups = group_names.len();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for (r, &g) in row_group.iter().enumerate() {
        members[g].push(r);
    }
    // err[m][r]: absolute error of model m on row r.
    let err: Vec<Vec<Option<f64>>> = models
        .iter()
        .map(|m| {
            rows.iter()
                .map(|&(k, o)| m.values[k].map(|v| (v - o).abs()))
                .collect()
        })
        .collect();
    let comp = models.iter().position(|m| m.name == "compromise");
    let common: Vec<bool> = (0..rows.len())
        .map(|r| err.iter().all(|e| e[r].is_some()))
        .collect();
    // Bootstrap resamples of groups, shared by every statistic so that intervals are comparable.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let resamples = resamples.min(MAX_RESAMPLES);
    let samples: Vec<Vec<usize>> = (0..resamples)
        .map(|_| {
            let mut rows_b = Vec::new();
            for _ in 0..n_groups {
                rows_b.extend(&members[rng.gen_range(0..n_groups.max(1))]);
            }
            rows_b
        })
        .collect();
    let metrics = |m: usize, keep: &dyn Fn(usize) -> bool| -> Metrics {
        let pick = |rs: &mut dyn Iterator<Item = usize>| -> Vec<f64> {
            rs.filter(|&r| keep(r)).filter_map(|r| err[m][r]).collect()
        };
        let e = pick(&mut (0..rows.len()));
        let n = e.len();
        let mae = e.iter().sum::<f64>() / n as f64;
        let rmse = (e.iter().map(|x| x * x).sum::<f64>() / n as f64).sqrt();
        let (mut maes, mut rmses) = (Vec::new(), Vec::new());
        for s in &samples {
            let eb = pick(&mut s.iter().copied());
            if eb.is_empty() {
                continue;
            }
            maes.push(eb.iter().sum::<f64>() / eb.len() as f64);
            rmses.push((eb.iter().map(|x| x * x).sum::<f64>() / eb.len() as f64).sqrt());
        }
        maes.sort_by(f64::total_cmp);
        rmses.sort_by(f64::total_cmp);
        let (mut beats, mut ties, mut both) = (0usize, 0usize, 0usize);
        if let Some(c) = comp.filter(|&c| c != m) {
            for r in (0..rows.len()).filter(|&r| keep(r)) {
                if let (Some(a), Some(b)) = (err[m][r], err[c][r]) {
                    both += 1;
                    if a < b {
                        beats += 1;
                    } else if a == b {
                        ties += 1;
                    }
                }
            }
        }
        Metrics {
            n,
            mae,
            mae_ci: (percentile(&maes, 0.025), percentile(&maes, 0.975)),
            rmse,
            rmse_ci: (percentile(&rmses, 0.025), percentile(&rmses, 0.975)),
            median_ae: median(&e),
            beats_compromise: if both > 0 {
                beats as f64 / both as f64
            } else {
                f64::NAN
            },
            ties_compromise: if both > 0 {
                ties as f64 / both as f64
            } else {
                f64::NAN
            },
        }
    };
    let evals = models
        .iter()
        .enumerate()
        .map(|(m, f)| {
            let paired = comp.filter(|&c| c != m).map(|c| {
                let diff = |rs: &mut dyn Iterator<Item = usize>| -> Option<f64> {
                    let d: Vec<f64> = rs.filter_map(|r| Some(err[m][r]? - err[c][r]?)).collect();
                    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
                };
                let point = diff(&mut (0..rows.len())).unwrap_or(f64::NAN);
                let mut ds: Vec<f64> = samples
                    .iter()
                    .filter_map(|s| diff(&mut s.iter().copied()))
                    .collect();
                ds.sort_by(f64::total_cmp);
                (point, percentile(&ds, 0.025), percentile(&ds, 0.975))
            });
            ModelEval {
                name: f.name.clone(),
                own: metrics(m, &|_| true),
                common: metrics(m, &|r| common[r]),
                paired_vs_compromise: paired,
            }
        })
        .collect();
    EvalReport {
        issues_with_outcome: rows.len(),
        common: common.iter().filter(|c| **c).count(),
        groups: n_groups,
        resamples,
        seed,
        models: evals,
        per_issue: rows
            .iter()
            .enumerate()
            .map(|(r, &(k, o))| IssueRow {
                issue: sc.issues[k].id.clone(),
                group: group_names[row_group[r]].clone(),
                outcome: o,
                forecasts: models.iter().map(|m| m.values[k]).collect(),
            })
            .collect(),
    }
}

impl EvalReport {
    /// The per-issue table as CSV: issue, group, outcome, then one column per model.
    pub fn per_issue_csv(&self) -> String {
        let mut s = String::from("issue,group,outcome");
        for m in &self.models {
            s.push(',');
            s.push_str(&csv_cell(&m.name));
        }
        s.push('\n');
        for r in &self.per_issue {
            s.push_str(&format!(
                "{},{},{}",
                csv_cell(&r.issue),
                csv_cell(&r.group),
                r.outcome
            ));
            for f in &r.forecasts {
                s.push(',');
                if let Some(v) = f {
                    s.push_str(&format!("{v}"));
                }
            }
            s.push('\n');
        }
        s
    }

    /// The summary as an aligned table.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{} issues with an outcome in {} proposals; {} covered by every model. 95% intervals: bootstrap over proposals ({} resamples, seed {}).\n\n",
            self.issues_with_outcome, self.groups, self.common, self.resamples, self.seed
        );
        let w = self
            .models
            .iter()
            .map(|m| m.name.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        s.push_str(&format!(
            "{:w$}  {:>4}  {:>22}  {:>6}  {:>6}  {:>7}  | common {:>4}: {:>6}  {:>24}\n",
            "model",
            "n",
            "MAE (95% CI)",
            "RMSE",
            "MdAE",
            "beats C",
            self.common,
            "MAE",
            "vs compromise (95% CI)"
        ));
        for m in &self.models {
            let beats = if m.own.beats_compromise.is_nan() {
                "-".to_string()
            } else {
                format!("{:.0}%", 100.0 * m.own.beats_compromise)
            };
            let paired = match m.paired_vs_compromise {
                Some((d, lo, hi)) => format!("{d:+.2} ({lo:+.2}, {hi:+.2})"),
                None => "-".into(),
            };
            s.push_str(&format!(
                "{}{}  {:>4}  {:>6.2} ({:>6.2}, {:>6.2})  {:>6.2}  {:>6.2}  {:>7}  |             {:>6.2}  {:>24}\n",
                m.name,
                " ".repeat(w - m.name.chars().count()),
                m.own.n,
                m.own.mae,
                m.own.mae_ci.0,
                m.own.mae_ci.1,
                m.own.rmse,
                m.own.median_ae,
                beats,
                m.common.mae,
                paired
            ));
        }
        s
    }
}

fn csv_cell(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The scenario restricted to some issues (in the given order), stances re-indexed.
pub fn sub_scenario(sc: &Scenario, issues: &[usize]) -> Scenario {
    let mut out = sc.clone();
    out.issues = issues.iter().map(|&k| sc.issues[k].clone()).collect();
    out.stances = sc
        .stances
        .iter()
        .filter_map(|st| {
            let k = issues.iter().position(|&i| i == st.issue)?;
            let mut s = st.clone();
            s.issue = k;
            Some(s)
        })
        .collect();
    out
}

/// Runs each model on the point estimates. With `per_group`, each proposal is a negotiation of
/// its own ([`brink_bargain::negotiations`]: the issues without a proposal id form one together,
/// as in `brink run`): multi-issue models (SMP, exchange) see only that negotiation's issues.
pub fn run_models(
    sc: &Scenario,
    models: &[Box<dyn brink_bargain::Model>],
    params: &brink_bargain::Params,
    per_group: bool,
) -> Vec<Forecasts> {
    let parts: Vec<Vec<usize>> = if per_group {
        brink_bargain::negotiations(sc)
    } else {
        vec![(0..sc.issues.len()).collect()]
    };
    let subs: Vec<Scenario> = parts.iter().map(|p| sub_scenario(sc, p)).collect();
    models
        .iter()
        .map(|m| {
            let mut values = vec![None; sc.issues.len()];
            for (p, sub) in parts.iter().zip(&subs) {
                for (i, f) in brink_bargain::run_points(m.as_ref(), sub, params)
                    .into_iter()
                    .enumerate()
                {
                    values[p[i]] = f.value();
                }
            }
            Forecasts {
                name: m.name().to_string(),
                values,
            }
        })
        .collect()
}
