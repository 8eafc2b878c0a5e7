//! Forecasts scored as distributions: per model, the CRPS, the log score of the outcome's bin,
//! the coverage and width of the central 50%, 80% and 90% intervals and the PIT histogram,
//! beside the MAE of the point forecast (a point forecast's CRPS is its absolute error, so the
//! MAE is the point forecast's CRPS), each with a 95% interval from a bootstrap over groups
//! (proposals), the same resamples for every statistic and model.
//!
//! The distributions come either from cross-validation on the data itself (leave one group
//! out: each group's distributions come from an error model fitted without it), as `brink eval`
//! does on DEU, or from error models fitted elsewhere (the shipped DEU parameters), as a
//! backtest of a scenario does. See [`crate::predictive`] for the error model and
//! [`crate::scores`] for the scores.

use std::collections::BTreeMap;

use brink_scenario::{Outcomes, Scenario};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use crate::predictive::{
    cases_of, cross_validate, key, widening_of, Case, ErrorModels, IssueFeatures, PredictiveError,
    LEVELS,
};
use crate::scores::{bin_log_score, pit_histogram, Predictive};
use crate::{group_of, Forecasts};

/// Bins of the scale for the log score.
pub const LOG_BINS: usize = 20;

/// Bins of the PIT histogram.
pub const PIT_BINS: usize = 10;

/// Where the distributions' error models come from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum ErrorSource<'a> {
    /// Leave-one-group-out cross-validation on the data scored.
    CrossValidated,
    /// Error models fitted elsewhere, widened per issue by [`widening_of`] with this default;
    /// forecasts of a model without an error model are scored as points only.
    Fitted(&'a ErrorModels, f64),
}

/// A statistic with its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Est {
    /// The value on the data.
    pub value: f64,
    /// 2.5th percentile over the bootstrap resamples.
    pub lo: f64,
    /// 97.5th percentile.
    pub hi: f64,
}

/// One model scored as a distribution.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct ModelScores {
    /// The model.
    pub name: String,
    /// Issues scored.
    pub n: usize,
    /// Whether the model had a distribution (false: scored as a point, CRPS = absolute error).
    pub distribution: bool,
    /// Mean absolute error of the point forecast (= its CRPS).
    pub mae: f64,
    /// Mean CRPS of the distribution.
    pub crps: f64,
    /// Mean log score of the outcome's bin ([`LOG_BINS`] equal bins, floored at ln 0.001).
    pub log_score: f64,
    /// Share of outcomes inside the central interval, by level (`"0.5"`, `"0.8"`, `"0.9"`).
    pub coverage: BTreeMap<String, f64>,
    /// Mean width of the central interval, by level.
    pub width: BTreeMap<String, f64>,
    /// The MAE with its interval.
    pub mae_ci: Est,
    /// The CRPS with its interval.
    pub crps_ci: Est,
    /// The log score with its interval.
    pub log_score_ci: Est,
    /// Coverage with intervals, by level.
    pub coverage_ci: BTreeMap<String, Est>,
    /// Width with intervals, by level.
    pub width_ci: BTreeMap<String, Est>,
    /// The PIT histogram ([`PIT_BINS`] bins of [0, 1], shares summing to 1; flat when
    /// calibrated).
    pub pit: Vec<f64>,
    /// Mean of (CRPS - the compromise model's CRPS) over the issues both cover, with its
    /// interval: negative means better than the compromise model's distribution.
    pub crps_vs_compromise: Option<Est>,
}

/// A whole probabilistic evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct PredictiveReport {
    /// Where the distributions came from, in words.
    pub source: String,
    /// Issues with an outcome.
    pub issues_with_outcome: usize,
    /// Groups (proposals) resampled by the bootstrap.
    pub groups: usize,
    /// Bootstrap resamples.
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Per model, in the order given.
    pub models: Vec<ModelScores>,
}

/// One scored issue of one model.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    ae: f64,
    crps: f64,
    log: f64,
    covered: [bool; 3],
    width: [f64; 3],
    pit: (f64, f64),
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let pos = q * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn mean_by(
    rm: &[Option<Row>],
    ks: &mut dyn Iterator<Item = usize>,
    g: impl Fn(&Row) -> f64,
) -> Option<f64> {
    let v: Vec<f64> = ks.filter_map(|k| rm[k].as_ref().map(&g)).collect();
    (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64)
}

/// The distributions of one model's forecasts on the issues with an outcome: (issue, case,
/// distribution, whether it is a distribution rather than a point).
pub fn distributions(
    sc: &Scenario,
    outcome: &[Option<f64>],
    f: &Forecasts,
    source: ErrorSource<'_>,
) -> Result<Vec<(usize, Case, Predictive, bool)>, PredictiveError> {
    let feats = IssueFeatures::of_values(sc, &sc.point_values());
    let cases = cases_of(sc, outcome, &f.values, &feats);
    match source {
        ErrorSource::CrossValidated => {
            let mut names: Vec<String> = Vec::new();
            let groups: Vec<usize> = cases
                .iter()
                .map(|(k, _)| {
                    let g = group_of(sc, *k);
                    match names.iter().position(|x| *x == g) {
                        Some(i) => i,
                        None => {
                            names.push(g);
                            names.len() - 1
                        }
                    }
                })
                .collect();
            let only: Vec<Case> = cases.iter().map(|c| c.1).collect();
            let ds = cross_validate(&f.name, &only, &groups);
            Ok(cases
                .into_iter()
                .zip(ds)
                .map(|((k, c), d)| (k, c, d, true))
                .collect())
        }
        ErrorSource::Fitted(models, default) => {
            let em = models.get(&f.name).ok();
            cases
                .into_iter()
                .map(|(k, c)| {
                    Ok(match em {
                        Some(em) => {
                            let w = widening_of(&sc.issues[k], default)?;
                            (k, c, em.predictive_one(c.forecast, &c.features, w)?, true)
                        }
                        None => (k, c, Predictive::point(c.forecast)?, false),
                    })
                })
                .collect()
        }
    }
}

/// One model's distributions, ready to score.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelDistributions {
    /// The model.
    pub name: String,
    /// Per issue of the scenario: the point forecast and its distribution (`None` where the
    /// model does not cover the issue).
    pub per_issue: Vec<Option<(f64, Predictive)>>,
    /// Whether these are distributions (false: point forecasts as point masses).
    pub distribution: bool,
}

/// Each model's distributions (from [`distributions`]), ready for [`score_distributions`].
pub fn model_distributions(
    sc: &Scenario,
    outcomes: &Outcomes,
    models: &[Forecasts],
    source: ErrorSource<'_>,
) -> Result<Vec<ModelDistributions>, PredictiveError> {
    let outcome: Vec<Option<f64>> = sc
        .issues
        .iter()
        .map(|is| outcomes.value_of(&is.id))
        .collect();
    models
        .iter()
        .map(|f| {
            let mut per_issue = vec![None; sc.issues.len()];
            let ds = distributions(sc, &outcome, f, source)?;
            let distribution = ds.iter().any(|d| d.3);
            for (k, c, d, _) in ds {
                per_issue[k] = Some((c.forecast, d));
            }
            Ok(ModelDistributions {
                name: f.name.clone(),
                per_issue,
                distribution,
            })
        })
        .collect()
}

/// The source of the distributions, in words.
pub fn describe(source: ErrorSource<'_>) -> String {
    match source {
        ErrorSource::CrossValidated => {
            "error models fitted by leave-one-proposal-out cross-validation on these data".into()
        }
        ErrorSource::Fitted(m, w) => format!(
            "the shipped error models, fitted on {} ({} issues, {} proposals); each issue widened by its own factor (1 for expert interviews such as DEU's, else {})",
            m.dataset, m.issues, m.groups, w
        ),
    }
}

/// Scores each model's distributions against `outcomes`; the model named `compromise`, if
/// present, is the benchmark of the paired CRPS difference.
pub fn evaluate_predictive(
    sc: &Scenario,
    outcomes: &Outcomes,
    models: &[Forecasts],
    source: ErrorSource<'_>,
    resamples: usize,
    seed: u64,
) -> Result<PredictiveReport, PredictiveError> {
    let ds = model_distributions(sc, outcomes, models, source)?;
    Ok(score_distributions(
        sc,
        outcomes,
        &ds,
        &describe(source),
        resamples,
        seed,
    ))
}

/// Scores distributions made elsewhere (e.g. an ensemble's) the same way.
pub fn score_distributions(
    sc: &Scenario,
    outcomes: &Outcomes,
    models: &[ModelDistributions],
    source: &str,
    resamples: usize,
    seed: u64,
) -> PredictiveReport {
    let outcome: Vec<Option<f64>> = sc
        .issues
        .iter()
        .map(|is| outcomes.value_of(&is.id))
        .collect();
    let with_outcome: Vec<usize> = (0..sc.issues.len())
        .filter(|&k| outcome[k].is_some())
        .collect();
    let mut names: Vec<String> = Vec::new();
    let mut group = vec![usize::MAX; sc.issues.len()];
    for &k in &with_outcome {
        let g = group_of(sc, k);
        group[k] = match names.iter().position(|x| *x == g) {
            Some(i) => i,
            None => {
                names.push(g);
                names.len() - 1
            }
        };
    }
    let n_groups = names.len();
    // rows[m][k]: model m's scores on issue k.
    let mut rows: Vec<Vec<Option<Row>>> = Vec::new();
    let mut has_dist = Vec::new();
    for f in models {
        let mut r = vec![None; sc.issues.len()];
        has_dist.push(f.distribution);
        for &k in &with_outcome {
            let (Some(y), Some((point, d))) = (outcome[k], &f.per_issue[k]) else {
                continue;
            };
            let is = &sc.issues[k];
            let mut covered = [false; 3];
            let mut width = [0.0; 3];
            for (i, &l) in LEVELS.iter().enumerate() {
                let (lo, hi) = d.interval(l);
                covered[i] = lo <= y && y <= hi;
                width[i] = hi - lo;
            }
            r[k] = Some(Row {
                ae: (point - y).abs(),
                crps: d.crps(y),
                log: bin_log_score(d, y, is.min, is.max, LOG_BINS),
                covered,
                width,
                pit: d.pit(y),
            });
        }
        rows.push(r);
    }
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); n_groups];
    for &k in &with_outcome {
        members[group[k]].push(k);
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let samples: Vec<Vec<usize>> = (0..resamples)
        .map(|_| {
            let mut b = Vec::new();
            for _ in 0..n_groups {
                b.extend(&members[rng.gen_range(0..n_groups.max(1))]);
            }
            b
        })
        .collect();
    let comp = models.iter().position(|m| m.name == "compromise");
    let est = |stat: &dyn Fn(&mut dyn Iterator<Item = usize>) -> Option<f64>| -> Est {
        let value = stat(&mut with_outcome.iter().copied()).unwrap_or(f64::NAN);
        let mut bs: Vec<f64> = samples
            .iter()
            .filter_map(|s| stat(&mut s.iter().copied()))
            .collect();
        bs.sort_by(f64::total_cmp);
        Est {
            value,
            lo: percentile(&bs, 0.025),
            hi: percentile(&bs, 0.975),
        }
    };
    let out = models
        .iter()
        .enumerate()
        .map(|(m, f)| {
            let rm = &rows[m];
            let mae_ci = est(&|ks| mean_by(rm, ks, |r| r.ae));
            let crps_ci = est(&|ks| mean_by(rm, ks, |r| r.crps));
            let log_score_ci = est(&|ks| mean_by(rm, ks, |r| r.log));
            let mut coverage_ci = BTreeMap::new();
            let mut width_ci = BTreeMap::new();
            for (i, &l) in LEVELS.iter().enumerate() {
                coverage_ci.insert(
                    key(l),
                    est(&|ks| mean_by(rm, ks, |r| if r.covered[i] { 1.0 } else { 0.0 })),
                );
                width_ci.insert(key(l), est(&|ks| mean_by(rm, ks, |r| r.width[i])));
            }
            let pits: Vec<(f64, f64)> = rm.iter().flatten().map(|r| r.pit).collect();
            let crps_vs_compromise = comp.filter(|&c| c != m).map(|c| {
                let rc = &rows[c];
                est(&|ks: &mut dyn Iterator<Item = usize>| {
                    let d: Vec<f64> = ks
                        .filter_map(|k| Some(rm[k].as_ref()?.crps - rc[k].as_ref()?.crps))
                        .collect();
                    (!d.is_empty()).then(|| d.iter().sum::<f64>() / d.len() as f64)
                })
            });
            ModelScores {
                name: f.name.clone(),
                n: pits.len(),
                distribution: has_dist[m],
                mae: mae_ci.value,
                crps: crps_ci.value,
                log_score: log_score_ci.value,
                coverage: coverage_ci
                    .iter()
                    .map(|(k, e)| (k.clone(), e.value))
                    .collect(),
                width: width_ci.iter().map(|(k, e)| (k.clone(), e.value)).collect(),
                mae_ci,
                crps_ci,
                log_score_ci,
                coverage_ci,
                width_ci,
                pit: pit_histogram(&pits, PIT_BINS),
                crps_vs_compromise,
            }
        })
        .collect();
    PredictiveReport {
        source: source.to_string(),
        issues_with_outcome: with_outcome.len(),
        groups: n_groups,
        resamples,
        seed,
        models: out,
    }
}

/// Groups (proposals) a dataset needs for its own error models to be fitted on it by
/// cross-validation.
pub const MIN_GROUPS_TO_FIT: usize = 20;

/// Which error models `brink eval` gives the forecasts.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorChoice {
    /// The shipped error models when the scored data share no proposal with the data they were
    /// fitted on (an out-of-sample test of what `brink run` publishes); otherwise error models
    /// fitted by leave-one-proposal-out cross-validation on the scored data (at least
    /// [`MIN_GROUPS_TO_FIT`] proposals), or, with fewer, the shipped ones labelled in-sample.
    #[default]
    Auto,
    /// The shipped error models (fitted on the DEU III development split), whatever the data.
    Shipped,
    /// Error models fitted by leave-one-proposal-out cross-validation on the scored data.
    CrossValidated,
}

/// The error models chosen for a dataset, and why.
#[derive(Debug, Clone)]
pub struct ChosenErrors<'a> {
    /// The source handed to [`evaluate_predictive`].
    pub source: ErrorSource<'a>,
    /// What was chosen: `shipped` or `cross-validated`.
    pub used: ErrorChoice,
    /// Proposals with an outcome in the scored data.
    pub scored_proposals: usize,
    /// How many of them the shipped error models were fitted on.
    pub shared_proposals: usize,
    /// The choice in words, for the report.
    pub why: String,
}

/// The error models `choice` gives a dataset (see [`ErrorChoice`]); shipped ones get the
/// issues' own widening ([`crate::predictive::widening_of`], default
/// [`crate::predictive::DEFAULT_WIDENING`]).
pub fn choose_errors(
    sc: &Scenario,
    outcomes: &Outcomes,
    choice: ErrorChoice,
) -> Result<ChosenErrors<'static>, PredictiveError> {
    let mut groups: Vec<String> = (0..sc.issues.len())
        .filter(|&k| outcomes.value_of(&sc.issues[k].id).is_some())
        .map(|k| group_of(sc, k))
        .collect();
    groups.sort();
    groups.dedup();
    let shipped = ErrorModels::builtin()?;
    let shared = groups
        .iter()
        .filter(|g| shipped.proposals.binary_search(g).is_ok())
        .count();
    let n = groups.len();
    let fitted = ErrorSource::Fitted(shipped, crate::predictive::DEFAULT_WIDENING);
    let shipped_words = |why: String| ChosenErrors {
        source: fitted,
        used: ErrorChoice::Shipped,
        scored_proposals: n,
        shared_proposals: shared,
        why,
    };
    let in_sample = || {
        format!(
            "in sample: {shared} of the {n} scored proposals are among the {} they were fitted on",
            shipped.groups
        )
    };
    let cross = |why: String| ChosenErrors {
        source: ErrorSource::CrossValidated,
        used: ErrorChoice::CrossValidated,
        scored_proposals: n,
        shared_proposals: shared,
        why,
    };
    Ok(match choice {
        ErrorChoice::Auto if shared == 0 => shipped_words(format!(
            "none of the {n} scored proposals is among the {} they were fitted on: an out-of-sample test of the distributions `brink run` publishes{}",
            shipped.groups,
            if n >= MIN_GROUPS_TO_FIT {
                " (--errors cv: fitted on these data instead)"
            } else {
                ""
            }
        )),
        ErrorChoice::Auto if n >= MIN_GROUPS_TO_FIT => cross(format!(
            "{shared} of the {n} scored proposals are among those the shipped error models were fitted on, so each proposal's are fitted on the other scored proposals (--errors shipped: the shipped ones, in sample)"
        )),
        ErrorChoice::Auto | ErrorChoice::Shipped if shared > 0 => shipped_words(in_sample()),
        ErrorChoice::Auto | ErrorChoice::Shipped => shipped_words(format!(
            "none of the {n} scored proposals is among the {} they were fitted on: out of sample",
            shipped.groups
        )),
        ErrorChoice::CrossValidated if n < MIN_GROUPS_TO_FIT => {
            return Err(PredictiveError::Choice(format!(
                "--errors cv fits the error models on the scored data by leave-one-proposal-out cross-validation and needs at least {MIN_GROUPS_TO_FIT} proposals with an outcome; these data have {n}"
            )))
        }
        ErrorChoice::CrossValidated => cross("asked for (--errors cv)".into()),
    })
}
