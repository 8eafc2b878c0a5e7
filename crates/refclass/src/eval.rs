//! Scoring the outside view on ICB files: every row forecast from its onset values by a model
//! that never saw it, against its VIOL code, per target and model.
//!
//! # Procedure
//! - Models: `base` (the training cases' rate), `era` (the training rate in the case's era:
//!   pre-1945, Cold War, post-1989; the base rate where the era has no training case),
//!   `refclass` (onset variables only) and `refclass_near` (plus the NEAR variables; a
//!   labelled sensitivity).
//! - Never on the rows it scores: when no scored crisis (CRISNO) is among the training crises,
//!   each model is fitted once on the training file. Otherwise K-fold cross-validation by crisis:
//!   the scored crises are sorted by number and dealt to K folds in turn; the rows of fold k are
//!   forecast by models fitted on the training rows of every crisis not in fold k (optionally the
//!   crises are shuffled by a seed first, `EvalOptions::fold_seed`). Each fit picks
//!   its own penalties by its own inner cross-validation on its own training rows (nested).
//! - Scores: Brier (mean squared error of the probability), log loss (natural log, probabilities
//!   kept in [1e-15, 1 - 1e-15]), AUC (the probability that a random case meeting the target gets
//!   a higher forecast than one that does not, ties counted half; none for `base`, a constant
//!   ranks nothing), the Brier skill score against `base`, and a calibration table.
//! - Calibration: ten fixed-width bins of the forecast, [0, 0.1), [0.1, 0.2), ... [0.9, 1.0],
//!   each with its count, mean forecast and observed rate. (Fixed before any result was seen.)
//! - Intervals: 95% percentile bootstrap over crises (all rows of a resampled crisis together),
//!   1,000 resamples from a seeded ChaCha8 generator; also for the paired Brier difference of each
//!   model against `base`.
//!
//! # References
//! - Spiegelhalter, "Probabilistic prediction in patient management and clinical trials",
//!   *Statistics in Medicine* 5 (1986) 421-433 (the z statistic of calibration).
//! - Brier, "Verification of forecasts expressed in terms of probability", *Monthly Weather
//!   Review* 78 (1950) 1-3.
//! - Hanley & McNeil, "The meaning and use of the area under a ROC curve", *Radiology* 143
//!   (1982) 29-36.
//! - Efron & Tibshirani, *An Introduction to the Bootstrap* (1993), ch. 13 (percentile
//!   intervals); Field & Welsh, "Bootstrapping clustered data", *JRSS B* 69 (2007) (resampling
//!   clusters).

use rand::{seq::SliceRandom, Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::icb::{Case, IcbData};
use crate::logit::log_loss;
use crate::model::{meets, usable, FitOptions, ReferenceClass, TARGETS};
use crate::onset::{era_of, Level, OnsetValues};

/// The version of [`IcbEval`]'s layout. Bump it when a field changes meaning or goes away.
pub const EVAL_SCHEMA_VERSION: u32 = 1;

/// The models scored, in order.
pub const MODELS: [&str; 4] = ["base", "era", "refclass", "refclass_near"];

/// How to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EvalOptions {
    /// Folds of the outer cross-validation (when scored and training crises overlap).
    pub folds: usize,
    /// Bootstrap resamples (over crises) for the intervals.
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// `None` (the default): crises dealt to the outer folds in order of their number. `Some(s)`:
    /// in an order shuffled by a ChaCha8 generator seeded with `s` (to measure how much the
    /// scores depend on the fold assignment).
    pub fold_seed: Option<u64>,
    /// Fit options of the reference-class models (inner folds).
    pub fit: FitOptions,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            folds: 10,
            bootstrap: 1000,
            seed: 20_240_601,
            fold_seed: None,
            fit: FitOptions::default(),
        }
    }
}

/// One bin of a calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CalibrationBin {
    /// Lower end of the forecast range (inclusive).
    pub lo: f64,
    /// Upper end (exclusive, except 1.0).
    pub hi: f64,
    /// Forecasts in the bin.
    pub n: usize,
    /// Their mean (`None` for an empty bin).
    pub mean_forecast: Option<f64>,
    /// The share of them that met the target (`None` for an empty bin).
    pub observed: Option<f64>,
    /// The standard deviation the observed share would have if the forecasts were right:
    /// sqrt(sum p (1 - p)) / n (`None` for an empty bin).
    pub sd: Option<f64>,
}

impl CalibrationBin {
    /// Whether the bin fails the calibration check the outside view is held to: at least 20
    /// forecasts whose observed share lies more than 0.10 from their mean forecast.
    pub fn is_off(&self) -> bool {
        match (self.mean_forecast, self.observed) {
            (Some(f), Some(o)) => self.n >= 20 && (o - f).abs() > 0.10,
            _ => false,
        }
    }
}

/// The scores of one model on one target.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ModelScore {
    /// `base`, `era`, `refclass` or `refclass_near`.
    pub model: &'static str,
    /// Whether it reads NEAR variables.
    pub near: bool,
    /// Rows scored.
    pub n: usize,
    /// Brier score (lower is better).
    pub brier: f64,
    /// Its 95% bootstrap interval.
    pub brier_ci: (f64, f64),
    /// Brier skill score against `base`: 1 - brier / brier(base).
    pub brier_skill: f64,
    /// Brier minus the base rate's Brier on the same rows (negative = better than the base rate).
    pub brier_vs_base: f64,
    /// Its 95% bootstrap interval (paired, same resamples).
    pub brier_vs_base_ci: (f64, f64),
    /// Mean log loss (lower is better).
    pub log_loss: f64,
    /// Its 95% bootstrap interval.
    pub log_loss_ci: (f64, f64),
    /// Area under the ROC curve (`None` for the constant base rate).
    pub auc: Option<f64>,
    /// Its 95% bootstrap interval.
    pub auc_ci: Option<(f64, f64)>,
    /// Calibration table (ten fixed-width bins).
    pub calibration: Vec<CalibrationBin>,
    /// Mean forecast minus observed rate (calibration in the large).
    pub mean_forecast_minus_observed: f64,
    /// Spiegelhalter's z: sum (y - p)(1 - 2p) / sqrt(sum (1 - 2p)^2 p (1 - p)); standard normal
    /// if the forecasts are calibrated (|z| > 1.96 rejects calibration at 5%).
    pub spiegelhalter_z: f64,
}

/// One target's evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct TargetEval {
    /// `any_violence`, `serious_or_war` or `war`.
    pub target: &'static str,
    /// Its definition on VIOL.
    pub definition: &'static str,
    /// The share of scored rows that met it.
    pub observed_rate: f64,
    /// One entry per model, in [`MODELS`] order.
    pub models: Vec<ModelScore>,
}

/// One scored row with every model's forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct RowForecast {
    /// ICB crisis number.
    pub crisno: u32,
    /// Crisis name (with the actor at actor level).
    pub name: String,
    /// The observed VIOL.
    pub viol: u8,
    /// Outer fold (`None` when fitted once on a disjoint training file).
    pub fold: Option<usize>,
    /// Per model (in [`MODELS`] order): P(VIOL >= 2), P(VIOL >= 3), P(VIOL = 4).
    pub forecasts: Vec<[f64; 3]>,
}

/// The evaluation of the outside view on an ICB file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct IcbEval {
    /// Layout version ([`EVAL_SCHEMA_VERSION`]).
    pub schema: u32,
    /// System or actor level.
    pub level: Level,
    /// The scored file.
    pub scored_file: String,
    /// The training file.
    pub train_file: String,
    /// Rows scored (with a VIOL code).
    pub n: usize,
    /// Crises scored.
    pub n_crises: usize,
    /// Rows skipped because VIOL is blank.
    pub unscored: usize,
    /// How the rows were kept out of their own training, in words.
    pub method: String,
    /// Outer folds (`None` when the files are disjoint).
    pub folds: Option<usize>,
    /// Bootstrap resamples.
    pub bootstrap: usize,
    /// Seed of the bootstrap.
    pub seed: u64,
    /// The calibration binning, in words.
    pub binning: &'static str,
    /// Per target.
    pub targets: Vec<TargetEval>,
    /// Per row.
    pub rows: Vec<RowForecast>,
}

/// The binning of every calibration table.
pub const BINNING: &str =
    "ten fixed-width bins of the forecast: [0, 0.1), [0.1, 0.2), ..., [0.9, 1.0]";

fn era_of_case(c: &Case) -> Option<usize> {
    let p = match &c.onset {
        OnsetValues::System(o) => o.period,
        OnsetValues::Actor(o) => o.period,
    };
    p.map(era_of)
}

/// Forecasts of the four models for `scored` from models fitted on `train`.
fn forecast(
    level: Level,
    train: &[Case],
    scored: &[&Case],
    opts: &EvalOptions,
) -> Result<Vec<Vec<[f64; 3]>>> {
    let mut base = [0.0; 3];
    let mut era = [[0.0; 3]; 3];
    let mut era_n = [0usize; 3];
    for c in train {
        let v = c.viol.expect("usable");
        let e = era_of_case(c);
        for t in 0..3 {
            let y = meets(v, t) as u8 as f64;
            base[t] += y;
            if let Some(e) = e {
                era[e][t] += y;
            }
        }
        if let Some(e) = e {
            era_n[e] += 1;
        }
    }
    for b in &mut base {
        *b /= train.len() as f64;
    }
    let strict = ReferenceClass::fit_cases(
        level,
        train,
        None,
        &FitOptions {
            near: false,
            ..opts.fit
        },
    )?;
    let near = ReferenceClass::fit_cases(
        level,
        train,
        None,
        &FitOptions {
            near: true,
            ..opts.fit
        },
    )?;
    scored
        .iter()
        .map(|c| {
            let e = era_of_case(c).filter(|&e| era_n[e] > 0);
            let era_p = match e {
                Some(e) => era[e].map(|s| s / era_n[e] as f64),
                None => base,
            };
            Ok(vec![
                base,
                era_p,
                strict.probabilities(&c.onset)?,
                near.probabilities(&c.onset)?,
            ])
        })
        .collect()
}

/// Scores every row of `scored` with VIOL, fitted on `train` and never on the rows it scores
/// (see the module's procedure). Both files must be of the same level.
pub fn evaluate(scored: &IcbData, train: &IcbData, opts: &EvalOptions) -> Result<IcbEval> {
    let level = scored.level();
    if train.level() != level {
        return Err(Error::Mismatch(format!(
            "{} is a {}-level file but the training file {} is {}-level",
            scored.file,
            level.name(),
            train.file,
            train.level().name()
        )));
    }
    let all = scored.cases();
    let unscored = all.iter().filter(|c| c.viol.is_none()).count();
    let cases: Vec<&Case> = all.iter().filter(|c| c.viol.is_some()).collect();
    if cases.is_empty() {
        return Err(Error::TooFew(format!(
            "{}: no row has a VIOL code to score",
            scored.file
        )));
    }
    let train_cases: Vec<Case> = train
        .cases()
        .into_iter()
        .filter(|c| usable(c, None))
        .collect();
    let mut ids: Vec<u32> = cases.iter().map(|c| c.crisno).collect();
    ids.sort_unstable();
    ids.dedup();
    let overlap = train_cases
        .iter()
        .any(|c| ids.binary_search(&c.crisno).is_ok());
    let mut forecasts: Vec<Vec<[f64; 3]>> = vec![Vec::new(); cases.len()];
    let mut fold_of: Vec<Option<usize>> = vec![None; cases.len()];
    let k = opts.folds.max(2);
    // Fold of each scored crisis (by its index in `ids`).
    let mut order: Vec<usize> = (0..ids.len()).collect();
    if let Some(s) = opts.fold_seed {
        order.shuffle(&mut ChaCha8Rng::seed_from_u64(s));
    }
    let mut fold_of_crisis = vec![0; ids.len()];
    for (rank, &g) in order.iter().enumerate() {
        fold_of_crisis[g] = rank % k;
    }
    let method;
    if overlap {
        let dealt = match opts.fold_seed {
            None => "sorted by number".to_string(),
            Some(s) => format!("shuffled (seed {s})"),
        };
        method = format!(
            "{k}-fold cross-validation by crisis: scored crises {dealt} and dealt to folds in turn; each fold forecast by models fitted on the training rows of the other crises"
        );
        for f in 0..k {
            let in_fold: Vec<usize> = (0..cases.len())
                .filter(|&i| {
                    fold_of_crisis[ids.binary_search(&cases[i].crisno).expect("listed")] == f
                })
                .collect();
            if in_fold.is_empty() {
                continue;
            }
            let held: Vec<u32> = in_fold.iter().map(|&i| cases[i].crisno).collect();
            let tr: Vec<Case> = train_cases
                .iter()
                .filter(|c| !held.contains(&c.crisno))
                .cloned()
                .collect();
            let sc: Vec<&Case> = in_fold.iter().map(|&i| cases[i]).collect();
            let fc = forecast(level, &tr, &sc, opts)?;
            for (&i, p) in in_fold.iter().zip(fc) {
                forecasts[i] = p;
                fold_of[i] = Some(f);
            }
        }
    } else {
        method = "fitted once on the training file, which shares no crisis with the scored file"
            .to_string();
        let fc = forecast(level, &train_cases, &cases, opts)?;
        for (i, p) in fc.into_iter().enumerate() {
            forecasts[i] = p;
        }
    }

    // Crisis index of each row, for the cluster bootstrap.
    let cluster: Vec<usize> = cases
        .iter()
        .map(|c| ids.binary_search(&c.crisno).expect("listed"))
        .collect();
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    for (i, &g) in cluster.iter().enumerate() {
        members[g].push(i);
    }
    // Bootstrap weights: how often each row appears in each resample.
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let weights: Vec<Vec<f64>> = (0..opts.bootstrap)
        .map(|_| {
            let mut w = vec![0.0; cases.len()];
            for _ in 0..ids.len() {
                let g = rng.gen_range(0..ids.len());
                for &i in &members[g] {
                    w[i] += 1.0;
                }
            }
            w
        })
        .collect();

    let mut targets = Vec::new();
    for (t, &(tname, def)) in TARGETS.iter().enumerate() {
        let y: Vec<f64> = cases
            .iter()
            .map(|c| meets(c.viol.expect("scored"), t) as u8 as f64)
            .collect();
        let ones = vec![1.0; y.len()];
        let p_of = |m: usize| -> Vec<f64> { forecasts.iter().map(|f| f[m][t]).collect() };
        let base_p = p_of(0);
        let base_brier = brier(&base_p, &y, &ones);
        let base_boot: Vec<f64> = weights.iter().map(|w| brier(&base_p, &y, w)).collect();
        let mut models = Vec::new();
        for (m, &mname) in MODELS.iter().enumerate() {
            let p = p_of(m);
            let b = brier(&p, &y, &ones);
            let boot_b: Vec<f64> = weights.iter().map(|w| brier(&p, &y, w)).collect();
            let boot_d: Vec<f64> = boot_b.iter().zip(&base_boot).map(|(a, c)| a - c).collect();
            let boot_l: Vec<f64> = weights.iter().map(|w| mean_log_loss(&p, &y, w)).collect();
            let (auc_v, auc_ci) = if m == 0 {
                (None, None)
            } else {
                let boot_a: Vec<f64> = weights.iter().filter_map(|w| auc(&p, &y, w)).collect();
                let a = auc(&p, &y, &ones);
                // No interval without an AUC (one class only) or without a resample that has both.
                let a_ci = (a.is_some() && !boot_a.is_empty()).then(|| ci(boot_a));
                (a, a_ci)
            };
            models.push(ModelScore {
                model: mname,
                near: mname.ends_with("_near"),
                n: y.len(),
                brier: b,
                brier_ci: ci(boot_b),
                brier_skill: 1.0 - b / base_brier,
                brier_vs_base: b - base_brier,
                brier_vs_base_ci: ci(boot_d),
                log_loss: mean_log_loss(&p, &y, &ones),
                log_loss_ci: ci(boot_l),
                auc: auc_v,
                auc_ci,
                calibration: calibration(&p, &y),
                mean_forecast_minus_observed: (p.iter().sum::<f64>() - y.iter().sum::<f64>())
                    / y.len() as f64,
                spiegelhalter_z: spiegelhalter(&p, &y),
            });
        }
        targets.push(TargetEval {
            target: tname,
            definition: def,
            observed_rate: y.iter().sum::<f64>() / y.len() as f64,
            models,
        });
    }
    let rows = cases
        .iter()
        .zip(&forecasts)
        .zip(&fold_of)
        .map(|((c, f), fold)| RowForecast {
            crisno: c.crisno,
            name: c.label.clone(),
            viol: c.viol.expect("scored"),
            fold: *fold,
            forecasts: f.clone(),
        })
        .collect();
    Ok(IcbEval {
        schema: EVAL_SCHEMA_VERSION,
        level,
        scored_file: scored.file.clone(),
        train_file: train.file.clone(),
        n: cases.len(),
        n_crises: ids.len(),
        unscored,
        method,
        folds: overlap.then_some(k),
        bootstrap: opts.bootstrap,
        seed: opts.seed,
        binning: BINNING,
        targets,
        rows,
    })
}

/// Scores the shipped development file of `level` by cross-validation on itself.
pub fn evaluate_builtin(level: Level, opts: &EvalOptions) -> Result<IcbEval> {
    let d = crate::icb::builtin(level);
    evaluate(&d, &d, opts)
}

/// Weighted Brier score.
pub fn brier(p: &[f64], y: &[f64], w: &[f64]) -> f64 {
    let (mut s, mut n) = (0.0, 0.0);
    for ((p, y), w) in p.iter().zip(y).zip(w) {
        s += w * (p - y) * (p - y);
        n += w;
    }
    s / n
}

/// Weighted mean log loss.
pub fn mean_log_loss(p: &[f64], y: &[f64], w: &[f64]) -> f64 {
    let (mut s, mut n) = (0.0, 0.0);
    for ((p, y), w) in p.iter().zip(y).zip(w) {
        s += w * log_loss(*p, *y);
        n += w;
    }
    s / n
}

/// Weighted AUC (ties count half); `None` without both classes.
pub fn auc(p: &[f64], y: &[f64], w: &[f64]) -> Option<f64> {
    let mut idx: Vec<usize> = (0..p.len()).filter(|&i| w[i] > 0.0).collect();
    idx.sort_by(|&a, &b| p[a].total_cmp(&p[b]));
    let (mut neg_below, mut sum, mut wpos, mut wneg) = (0.0, 0.0, 0.0, 0.0);
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        let (mut gp, mut gn) = (0.0, 0.0);
        while j < idx.len() && p[idx[j]] == p[idx[i]] {
            let k = idx[j];
            if y[k] > 0.5 {
                gp += w[k];
            } else {
                gn += w[k];
            }
            j += 1;
        }
        sum += gp * (neg_below + 0.5 * gn);
        neg_below += gn;
        wpos += gp;
        wneg += gn;
        i = j;
    }
    (wpos > 0.0 && wneg > 0.0).then(|| sum / (wpos * wneg))
}

/// The calibration table of [`BINNING`].
pub fn calibration(p: &[f64], y: &[f64]) -> Vec<CalibrationBin> {
    let mut n = [0usize; 10];
    let mut sp = [0.0; 10];
    let mut sy = [0.0; 10];
    let mut sv = [0.0; 10];
    for (p, y) in p.iter().zip(y) {
        let b = ((p * 10.0).floor() as usize).min(9);
        n[b] += 1;
        sp[b] += p;
        sy[b] += y;
        sv[b] += p * (1.0 - p);
    }
    (0..10)
        .map(|b| CalibrationBin {
            lo: b as f64 / 10.0,
            hi: (b + 1) as f64 / 10.0,
            n: n[b],
            mean_forecast: (n[b] > 0).then(|| sp[b] / n[b] as f64),
            observed: (n[b] > 0).then(|| sy[b] / n[b] as f64),
            sd: (n[b] > 0).then(|| sv[b].sqrt() / n[b] as f64),
        })
        .collect()
}

/// Spiegelhalter's z statistic of calibration (0 when every forecast is 0, 1/2 or 1).
pub fn spiegelhalter(p: &[f64], y: &[f64]) -> f64 {
    let (mut num, mut var) = (0.0, 0.0);
    for (p, y) in p.iter().zip(y) {
        num += (y - p) * (1.0 - 2.0 * p);
        var += (1.0 - 2.0 * p).powi(2) * p * (1.0 - p);
    }
    if var > 0.0 {
        num / var.sqrt()
    } else {
        0.0
    }
}

/// The 2.5th and 97.5th percentiles (linear interpolation); (NaN, NaN) when empty.
fn ci(mut v: Vec<f64>) -> (f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let q = |q: f64| {
        let x = q * (v.len() - 1) as f64;
        let i = x.floor() as usize;
        let j = (i + 1).min(v.len() - 1);
        v[i] + (x - i as f64) * (v[j] - v[i])
    };
    (q(0.025), q(0.975))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auc_by_hand() {
        let p = [0.1, 0.4, 0.35, 0.8];
        let y = [0.0, 0.0, 1.0, 1.0];
        // Pairs (pos, neg): (0.35, 0.1) win, (0.35, 0.4) loss, (0.8, *) two wins: 3/4.
        assert_eq!(auc(&p, &y, &[1.0; 4]), Some(0.75));
        // Ties count half.
        assert_eq!(auc(&[0.5, 0.5], &[0.0, 1.0], &[1.0, 1.0]), Some(0.5));
        // Weights act as copies.
        let w = [2.0, 1.0, 1.0, 1.0];
        // Negatives: 0.1 (x2), 0.4. Positives 0.35: beats 2 of 3; 0.8: beats 3 of 3 -> 5/6.
        assert!((auc(&p, &y, &w).unwrap() - 5.0 / 6.0).abs() < 1e-12);
        assert_eq!(auc(&[0.2], &[1.0], &[1.0]), None);
    }

    #[test]
    fn brier_log_loss_calibration() {
        let p = [0.25, 0.75, 0.05, 1.0];
        let y = [0.0, 1.0, 0.0, 1.0];
        let w = [1.0; 4];
        let b = brier(&p, &y, &w);
        assert!((b - (0.0625 + 0.0625 + 0.0025 + 0.0) / 4.0).abs() < 1e-15);
        let l = mean_log_loss(&p, &y, &w);
        let want =
            -((0.75f64).ln() + (0.75f64).ln() + (0.95f64).ln() + (1.0 - 1e-15f64).ln()) / 4.0;
        assert!((l - want).abs() < 1e-12);
        let c = calibration(&p, &y);
        assert_eq!(c.len(), 10);
        assert_eq!(c[0].n, 1);
        assert_eq!(c[2].n, 1);
        assert_eq!(c[7].n, 1);
        assert_eq!(c[9].n, 1, "1.0 falls in the last bin");
        assert_eq!(c[9].observed, Some(1.0));
        assert_eq!(c[5].mean_forecast, None);
        assert_eq!(c[2].sd, Some((0.25f64 * 0.75).sqrt()));
    }

    #[test]
    fn spiegelhalter_by_hand() {
        // p = 0.2, 0.7; y = 1, 0: num = 0.8 * 0.6 + (-0.7) * (-0.4) = 0.76;
        // var = 0.36 * 0.16 + 0.16 * 0.21 = 0.0912.
        let z = spiegelhalter(&[0.2, 0.7], &[1.0, 0.0]);
        assert!((z - 0.76 / 0.0912f64.sqrt()).abs() < 1e-12);
        assert_eq!(spiegelhalter(&[0.5, 0.5], &[1.0, 0.0]), 0.0);
    }

    #[test]
    fn percentile_interval() {
        let v: Vec<f64> = (0..=1000).map(|i| i as f64).collect();
        assert_eq!(ci(v), (25.0, 975.0));
    }
}
