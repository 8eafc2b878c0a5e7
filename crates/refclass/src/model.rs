//! The reference-class model: P(VIOL >= 2), P(VIOL >= 3) and P(VIOL = 4) of a crisis (or a crisis
//! actor) from its onset values, fitted on the ICB crises that were over before a date.
//!
//! # Equations
//!
//! Three L2-regularised logistic regressions on the same one-hot onset features (`features`),
//! one per cumulative target t in {VIOL >= 2, VIOL >= 3, VIOL = 4}:
//! p_t(x) = 1 / (1 + exp(-x' beta_t)), each with its own penalty lambda_t chosen by 5-fold
//! cross-validation by crisis on the training cases (`logit`).
//!
//! The violent-trigger rule (VIOL >= 2 only): a crisis triggered by a violent act (BREAK or
//! TRIGGR 9) has had violence by definition (VIOL counts violence in the crisis as a whole; 206 of
//! 206 such crises in the full release are VIOL >= 2). For those cases P(VIOL >= 2) is the
//! training rate among violent triggers, k of n, by its Jeffreys estimate (k + 1/2) / (n + 1) and
//! interval; the logistic regression for VIOL >= 2 is fitted on the other cases only, so that the
//! cases whose answer is already known do not bend the fit of the rest. A case whose trigger is
//! not given gets the mixture pi p_violent + (1 - pi) p_logistic, pi the training share of violent
//! triggers (its interval the same mixture of the two intervals' ends).
//!
//! The three are made coherent
//! (p_>=2 >= p_>=3 >= p_=4, so that P(VIOL = k) >= 0) by the pool-adjacent-violators projection:
//! where an order is violated, the offending probabilities are replaced by their mean (the
//! least-squares monotone fit). The distribution of VIOL is then
//! (1 - p_>=2, p_>=2 - p_>=3, p_>=3 - p_=4, p_=4).
//!
//! Intervals: Laplace approximation. With the penalty read as a Gaussian prior, beta_t is about
//! N(beta^_t, H_t^-1), so x' beta_t is about N(eta, x' H_t^-1 x); the 90% interval is
//! sigmoid(eta -+ 1.645 sd). The bounds are made coherent like the points (a lower bound of
//! P(VIOL >= 3) also bounds P(VIOL >= 2) from below, an upper bound of P(VIOL >= 2) also bounds
//! P(VIOL >= 3) from above) and always contain the point. They express uncertainty about the
//! coefficients given the data and the chosen penalty, not about the penalty, the coding or the
//! selection of crises into ICB.
//!
//! Training cases: rows with a VIOL code whose crisis (system level) or actor crisis (actor
//! level) was triggered and had ended strictly before `before` (the label, VIOL, is only known
//! once the crisis is over; a vague ICB date counts as before only when every day it can mean
//! is; see [`crate::icb::IcbDate::latest`]). Without `before`, every row with a VIOL code.
//!
//! Nearest crises: the training cases that differ from the new case on the fewest features
//! (Hamming distance over the model's features, "missing" counting as a level of its own), ties
//! broken by the closeness of their fitted log-odds of war, then by date (most recent first).
//!
//! # Defaults
//! 5 inner folds; lambda grid 2^-2 ... 2^8; 90% intervals; 5 nearest crises; at least 30
//! training crises and 5 cases on each side of every target.
//!
//! # References
//! - Brecher & Wilkenfeld, *A Study of Crisis* (2000); Brecher, Wilkenfeld, Beardsley, James &
//!   Quinn, *ICB Data Codebook v15* (2023): the data and its variables.
//! - Kahneman & Lovallo, "Timid choices and bold forecasts", *Management Science* 39 (1993):
//!   the outside view; Tetlock & Gardner, *Superforecasting* (2015), ch. 5: base rates first.
//! - Barlow, Bartholomew, Bremner & Brunk, *Statistical Inference under Order Restrictions*
//!   (1972): pool-adjacent-violators.
//! - MacKay (1992), see `logit`: the Laplace approximation.

use brink_scenario::Date;
use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::features::{Encoder, Lv};
use crate::icb::{Case, IcbData};
use crate::logit::{self, sigmoid, Logit};
use crate::onset::{viol_words, Level, OnsetValues};

/// The three targets: name and definition.
pub const TARGETS: [(&str, &str); 3] = [
    ("any_violence", "VIOL >= 2 (minor clashes or worse)"),
    (
        "serious_or_war",
        "VIOL >= 3 (serious clashes or full-scale war)",
    ),
    ("war", "VIOL = 4 (full-scale war)"),
];

/// Whether a VIOL code meets target `t` (0: >= 2, 1: >= 3, 2: = 4).
pub fn meets(viol: u8, t: usize) -> bool {
    viol >= 2 + t as u8
}

/// The z-value of the 90% intervals.
pub const Z90: f64 = 1.644_853_626_951_472_2;

/// How to fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FitOptions {
    /// Add the NEAR variables (`*_near` model; mildly leaky, a labelled sensitivity only).
    pub near: bool,
    /// Folds of the cross-validation that picks each target's penalty.
    pub folds: usize,
    /// How many nearest crises a prediction lists.
    pub nearest: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        FitOptions {
            near: false,
            folds: 5,
            nearest: 5,
        }
    }
}

/// Fewest training crises a fit accepts.
pub const MIN_CRISES: usize = 30;
/// Fewest cases on each side of every target.
pub const MIN_PER_CLASS: usize = 5;

/// The violent-trigger rate: cases with a violent trigger, how many had VIOL >= 2, and their
/// share of the training cases.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Violent {
    k: f64,
    n: f64,
    share: f64,
}

#[derive(Debug, Clone, PartialEq)]
struct TrainCase {
    crisno: u32,
    cracno: Option<u32>,
    label: String,
    year: i32,
    latest: Date,
    viol: u8,
    levels: Vec<Lv>,
    eta_war: f64,
}

/// A fitted reference class.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceClass {
    level: Level,
    near: bool,
    before: Option<Date>,
    encoder: Encoder,
    models: Vec<Logit>,
    violent: Violent,
    cv: Vec<Vec<f64>>,
    base: [f64; 3],
    train: Vec<TrainCase>,
    n_crises: usize,
    nearest: usize,
}

/// A probability interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

/// A past crisis like the one forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NearCrisis {
    /// ICB crisis number.
    pub crisno: u32,
    /// ICB name (with the actor's code at actor level).
    pub name: String,
    /// Year of the trigger.
    pub year: i32,
    /// Its VIOL code, 1-4.
    pub viol: u8,
    /// What happened, in words (`no violence` ... `full-scale war`).
    pub outcome: &'static str,
    /// On how many of the model's features it differs from the forecast case.
    pub distance: usize,
    /// Those features, `name: theirs (this case: ours)`.
    pub differs: Vec<String>,
}

/// The outside view of one crisis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutsideView {
    /// `refclass` or `refclass_near`.
    pub model: &'static str,
    /// System or actor level.
    pub level: Level,
    /// P(VIOL >= 2): minor clashes or worse.
    pub p_violence: f64,
    /// P(VIOL >= 3): serious clashes or full-scale war.
    pub p_serious_or_war: f64,
    /// P(VIOL = 4): full-scale war.
    pub p_war: f64,
    /// 90% intervals of the three, in the same order.
    pub intervals: [Interval; 3],
    /// P(VIOL = 1), P(VIOL = 2), P(VIOL = 3), P(VIOL = 4).
    pub distribution: [f64; 4],
    /// The training cases' own rates of the three targets (the base rate).
    pub base_rates: [f64; 3],
    /// The nearest past crises.
    pub nearest: Vec<NearCrisis>,
    /// Training cases (rows).
    pub n_train: usize,
    /// Training crises.
    pub n_crises: usize,
    /// Only crises over before this date were used.
    pub before: Option<Date>,
    /// Whether NEAR variables (known only over the whole crisis) entered the forecast.
    pub near_used: bool,
    /// Features the case does not give (treated as ICB's "missing" level).
    pub missing: Vec<&'static str>,
    /// What the forecast may and may not be read as.
    pub note: String,
}

/// The fit of one target, for reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetFit {
    /// Target name.
    pub target: &'static str,
    /// Its definition.
    pub definition: &'static str,
    /// The penalty chosen by cross-validation.
    pub lambda: f64,
    /// Held-out mean log loss at each penalty of the grid: (lambda, log loss).
    pub cv_log_loss: Vec<(f64, f64)>,
    /// Newton steps of the final fit.
    pub iterations: usize,
    /// Training cases the regression was fitted on.
    pub n_fitted: usize,
    /// For VIOL >= 2: the violent-trigger cases kept out of the regression, (k with VIOL >= 2, n).
    pub violent_trigger: Option<(usize, usize)>,
    /// Coefficients by column (`intercept`, `feature = level`).
    pub coefficients: Vec<(String, f64)>,
}

/// Whether a case may train a model for a forecast made on `before`.
pub(crate) fn usable(c: &Case, before: Option<Date>) -> bool {
    if c.viol.is_none() {
        return false;
    }
    match before {
        None => true,
        Some(b) => c.trigger.latest() < b && c.termination.is_some_and(|t| t.latest() < b),
    }
}

impl ReferenceClass {
    /// Fits the strict (ONSET-only) model on `data`, using only crises over before `before`.
    pub fn fit(data: &IcbData, before: Option<Date>) -> Result<Self> {
        Self::fit_with(data, before, &FitOptions::default())
    }

    /// Fits the strict model on the shipped development data of `level` (embedded in the
    /// binary), using only crises over before `before`.
    ///
    /// Fits are remembered for the life of the process (keyed by level, variant and date; the
    /// fit is deterministic, so a remembered fit equals a new one): the cross-validated choice of
    /// the penalties costs tens to hundreds of milliseconds, a lookup nothing.
    pub fn builtin(level: Level, before: Option<Date>) -> Result<Self> {
        Self::builtin_with(level, before, &FitOptions::default())
    }

    /// [`ReferenceClass::builtin`] with options (e.g. the NEAR variant).
    pub fn builtin_with(level: Level, before: Option<Date>, opts: &FitOptions) -> Result<Self> {
        type Key = (Level, Option<Date>, FitOptions);
        static CACHE: std::sync::Mutex<Vec<(Key, ReferenceClass)>> =
            std::sync::Mutex::new(Vec::new());
        let key = (level, before, *opts);
        if let Ok(c) = CACHE.lock() {
            if let Some((_, rc)) = c.iter().find(|(k, _)| *k == key) {
                return Ok(rc.clone());
            }
        }
        let rc = Self::fit_with(&crate::icb::builtin(level), before, opts)?;
        if let Ok(mut c) = CACHE.lock() {
            if c.len() >= 32 {
                c.remove(0);
            }
            c.push((key, rc.clone()));
        }
        Ok(rc)
    }

    /// Fits with options (the NEAR variant, folds, nearest count).
    pub fn fit_with(data: &IcbData, before: Option<Date>, opts: &FitOptions) -> Result<Self> {
        let cases: Vec<Case> = data
            .cases()
            .into_iter()
            .filter(|c| usable(c, before))
            .collect();
        Self::fit_cases(data.level(), &cases, before, opts)
    }

    pub(crate) fn fit_cases(
        level: Level,
        cases: &[Case],
        before: Option<Date>,
        opts: &FitOptions,
    ) -> Result<Self> {
        let encoder = Encoder::new(level, opts.near);
        let mut crisnos: Vec<u32> = cases.iter().map(|c| c.crisno).collect();
        crisnos.sort_unstable();
        crisnos.dedup();
        let when = before.map_or(String::new(), |b| format!(" over before {b}"));
        if crisnos.len() < MIN_CRISES {
            return Err(Error::TooFew(format!(
                "only {} ICB crises with a VIOL code{when}: at least {MIN_CRISES} are needed to fit the reference class",
                crisnos.len()
            )));
        }
        let rows: Vec<Vec<u32>> = cases
            .iter()
            .map(|c| encoder.encode(&c.onset))
            .collect::<Result<_>>()?;
        let x: Vec<&[u32]> = rows.iter().map(|r| r.as_slice()).collect();
        let viol: Vec<u8> = cases.iter().map(|c| c.viol.expect("usable")).collect();
        let ys: Vec<Vec<f64>> = (0..3)
            .map(|t| viol.iter().map(|&v| meets(v, t) as u8 as f64).collect())
            .collect();
        let violent_of: Vec<Option<bool>> = cases
            .iter()
            .map(|c| encoder.violent_trigger(&c.onset))
            .collect::<Result<_>>()?;
        let mut base = [0.0; 3];
        for (t, y) in ys.iter().enumerate() {
            base[t] = y.iter().sum::<f64>() / y.len() as f64;
        }
        // VIOL >= 2 is fitted on the cases without a violent trigger (the violent-trigger rule).
        let calm: Vec<usize> = (0..cases.len())
            .filter(|&i| violent_of[i] != Some(true))
            .collect();
        let subsets: [Vec<usize>; 3] =
            [calm, (0..cases.len()).collect(), (0..cases.len()).collect()];
        for t in 0..3 {
            let pos: f64 = subsets[t].iter().map(|&i| ys[t][i]).sum();
            let neg = subsets[t].len() as f64 - pos;
            if pos < MIN_PER_CLASS as f64 || neg < MIN_PER_CLASS as f64 {
                let of = if t == 0 {
                    " without a violent trigger"
                } else {
                    ""
                };
                return Err(Error::TooFew(format!(
                    "{pos} training cases{of}{when} meet `{}` and {neg} do not: at least {MIN_PER_CLASS} of each are needed",
                    TARGETS[t].1
                )));
            }
        }
        let hot: Vec<usize> = (0..cases.len())
            .filter(|&i| violent_of[i] == Some(true))
            .collect();
        let violent = Violent {
            k: hot.iter().map(|&i| ys[0][i]).sum(),
            n: hot.len() as f64,
            share: hot.len() as f64 / cases.len() as f64,
        };
        let group: Vec<u32> = cases.iter().map(|c| c.crisno).collect();
        let k = opts.folds.max(2);
        // The three targets are independent fits (in parallel when threads are available; the
        // results do not depend on the thread count).
        let fits: Vec<(Logit, Vec<f64>)> = subsets
            .par_iter()
            .enumerate()
            .map(|(t, sub)| {
                let xs: Vec<&[u32]> = sub.iter().map(|&i| x[i]).collect();
                let y: Vec<f64> = sub.iter().map(|&i| ys[t][i]).collect();
                let g: Vec<u32> = sub.iter().map(|&i| group[i]).collect();
                let (lambda, curve) =
                    logit::choose_lambdas(&xs, std::slice::from_ref(&y), &g, encoder.width, k)
                        .pop()
                        .expect("one target");
                (logit::fit(&xs, &y, encoder.width, lambda, None), curve)
            })
            .collect();
        let (models, cv): (Vec<Logit>, Vec<Vec<f64>>) = fits.into_iter().unzip();
        let train = cases
            .iter()
            .zip(&rows)
            .map(|(c, r)| TrainCase {
                crisno: c.crisno,
                cracno: c.cracno,
                label: c.label.clone(),
                year: c.trigger.year,
                latest: c.trigger.latest(),
                viol: c.viol.expect("usable"),
                levels: encoder.levels_of(&c.onset).expect("encoded above"),
                eta_war: models[2].eta_var(r).0,
            })
            .collect();
        Ok(ReferenceClass {
            level,
            near: opts.near,
            before,
            encoder,
            models,
            violent,
            cv,
            base,
            train,
            n_crises: crisnos.len(),
            nearest: opts.nearest,
        })
    }

    /// The level the model forecasts.
    pub fn level(&self) -> Level {
        self.level
    }

    /// `refclass` or `refclass_near`.
    pub fn name(&self) -> &'static str {
        if self.near {
            "refclass_near"
        } else {
            "refclass"
        }
    }

    /// Training cases (rows).
    pub fn n_train(&self) -> usize {
        self.train.len()
    }

    /// The training cases: (CRISNO, CRACNO at actor level), in file order.
    pub fn training_cases(&self) -> Vec<(u32, Option<u32>)> {
        self.train.iter().map(|c| (c.crisno, c.cracno)).collect()
    }

    /// Only crises over before this date were used.
    pub fn before(&self) -> Option<Date> {
        self.before
    }

    /// The fit of each target: penalty, its cross-validation curve, coefficients.
    pub fn targets(&self) -> Vec<TargetFit> {
        (0..3)
            .map(|t| TargetFit {
                target: TARGETS[t].0,
                definition: TARGETS[t].1,
                lambda: self.models[t].lambda,
                cv_log_loss: logit::LAMBDAS
                    .iter()
                    .copied()
                    .zip(self.cv[t].iter().copied())
                    .collect(),
                iterations: self.models[t].iterations,
                n_fitted: if t == 0 {
                    self.train.len() - self.violent.n as usize
                } else {
                    self.train.len()
                },
                violent_trigger: (t == 0)
                    .then_some((self.violent.k as usize, self.violent.n as usize)),
                coefficients: self.models[t]
                    .beta
                    .iter()
                    .enumerate()
                    .map(|(c, b)| (self.encoder.column_name(c), *b))
                    .collect(),
            })
            .collect()
    }

    /// The three coherent probabilities and their 90% intervals for encoded `row`, whose trigger
    /// is violent (`Some(true)`), not (`Some(false)`) or not given (`None`).
    fn probs(&self, row: &[u32], violent: Option<bool>) -> ([f64; 3], [Interval; 3]) {
        let mut p = [0.0; 3];
        let mut iv = [Interval { lo: 0.0, hi: 0.0 }; 3];
        for t in 0..3 {
            let (eta, var) = self.models[t].eta_var(row);
            let sd = var.max(0.0).sqrt();
            p[t] = sigmoid(eta);
            iv[t] = Interval {
                lo: sigmoid(eta - Z90 * sd),
                hi: sigmoid(eta + Z90 * sd),
            };
        }
        if violent != Some(false) {
            let v = self.violent;
            let (pv, lo, hi) = crate::beta::jeffreys(v.k, v.n);
            let w = if violent == Some(true) { 1.0 } else { v.share };
            p[0] = w * pv + (1.0 - w) * p[0];
            iv[0] = Interval {
                lo: w * lo + (1.0 - w) * iv[0].lo,
                hi: w * hi + (1.0 - w) * iv[0].hi,
            };
        }
        let p = monotone(p);
        // A lower bound of P(>= 3) bounds P(>= 2) too; an upper bound of P(>= 2) bounds P(>= 3).
        for t in (0..2).rev() {
            iv[t].lo = iv[t].lo.max(iv[t + 1].lo);
        }
        for t in 1..3 {
            iv[t].hi = iv[t].hi.min(iv[t - 1].hi);
        }
        for t in 0..3 {
            iv[t].lo = iv[t].lo.min(p[t]);
            iv[t].hi = iv[t].hi.max(p[t]);
        }
        (p, iv)
    }

    /// The three coherent probabilities only (P(>= 2), P(>= 3), P(= 4)).
    pub fn probabilities(&self, x: &OnsetValues) -> Result<[f64; 3]> {
        let row = self.encoder.encode(x)?;
        Ok(self.probs(&row, self.encoder.violent_trigger(x)?).0)
    }

    /// The outside view of a crisis: the three probabilities with their intervals, the
    /// distribution of VIOL and the nearest past crises.
    pub fn predict(&self, x: &OnsetValues) -> Result<OutsideView> {
        let row = self.encoder.encode(x)?;
        let levels = self.encoder.levels_of(x)?;
        let (p, intervals) = self.probs(&row, self.encoder.violent_trigger(x)?);
        let eta_war = self.models[2].eta_var(&row).0;
        let missing = levels
            .iter()
            .enumerate()
            .filter(|(_, l)| matches!(l, Lv::Missing))
            .map(|(k, _)| self.encoder.feature(k).0)
            .collect();
        let what = match self.level {
            Level::System => "crises",
            Level::Actor => "crisis actors",
        };
        let mut note = format!(
            "the rate among {} past ICB {what} with these onset values (a selected population: situations that became international crises); ",
            self.train.len()
        );
        if self.near {
            note.push_str(
                "uses NEAR variables (coded over the whole crisis): a sensitivity, not a forecast",
            );
        } else {
            note.push_str("onset variables only");
        }
        Ok(OutsideView {
            model: self.name(),
            level: self.level,
            p_violence: p[0],
            p_serious_or_war: p[1],
            p_war: p[2],
            intervals,
            distribution: [1.0 - p[0], p[0] - p[1], p[1] - p[2], p[2]],
            base_rates: self.base,
            nearest: self.nearest_to(&levels, eta_war, self.nearest),
            n_train: self.train.len(),
            n_crises: self.n_crises,
            before: self.before,
            near_used: self.near,
            missing,
            note,
        })
    }

    fn nearest_to(&self, levels: &[Lv], eta_war: f64, k: usize) -> Vec<NearCrisis> {
        let mut scored: Vec<(usize, f64, &TrainCase)> = self
            .train
            .iter()
            .map(|c| {
                let d = c.levels.iter().zip(levels).filter(|(a, b)| a != b).count();
                (d, (c.eta_war - eta_war).abs(), c)
            })
            .collect();
        scored.sort_by(|a, b| {
            a.0.cmp(&b.0)
                .then(a.1.total_cmp(&b.1))
                .then(b.2.latest.cmp(&a.2.latest))
                .then(a.2.crisno.cmp(&b.2.crisno))
                .then(a.2.label.cmp(&b.2.label))
        });
        scored
            .into_iter()
            .take(k)
            .map(|(d, _, c)| NearCrisis {
                crisno: c.crisno,
                name: c.label.clone(),
                year: c.year,
                viol: c.viol,
                outcome: viol_words(c.viol),
                distance: d,
                differs: c
                    .levels
                    .iter()
                    .zip(levels)
                    .enumerate()
                    .filter(|(_, (a, b))| a != b)
                    .map(|(f, (a, b))| {
                        let (name, lv) = self.encoder.feature(f);
                        let word = |l: &Lv| match l {
                            Lv::At(j) => lv[*j],
                            _ => "missing",
                        };
                        format!("{name}: {} (this case: {})", word(a), word(b))
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Pool-adjacent-violators for a non-increasing sequence of three (equal weights): the
/// least-squares non-increasing fit, which makes P(VIOL >= 2) >= P(VIOL >= 3) >= P(VIOL = 4).
/// The combined crisis forecast (`brink-calib`) is made coherent by the same rule.
pub fn monotone(p: [f64; 3]) -> [f64; 3] {
    // Blocks of (sum, count), merged while a later block's mean exceeds an earlier one's.
    let mut blocks: Vec<(f64, usize)> = Vec::new();
    for v in p {
        blocks.push((v, 1));
        while blocks.len() > 1 {
            let (s2, c2) = blocks[blocks.len() - 1];
            let (s1, c1) = blocks[blocks.len() - 2];
            if s2 / c2 as f64 > s1 / c1 as f64 {
                blocks.pop();
                let last = blocks.len() - 1;
                blocks[last] = (s1 + s2, c1 + c2);
            } else {
                break;
            }
        }
    }
    let mut out = [0.0; 3];
    let mut i = 0;
    for (s, c) in blocks {
        for _ in 0..c {
            out[i] = s / c as f64;
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pava() {
        assert_eq!(monotone([0.9, 0.5, 0.2]), [0.9, 0.5, 0.2]);
        assert_eq!(monotone([0.4, 0.6, 0.2]), [0.5, 0.5, 0.2]);
        let m = monotone([0.3, 0.3, 0.6]);
        assert!((m[0] - 0.4).abs() < 1e-12 && m[0] == m[1] && m[1] == m[2]);
        assert_eq!(monotone([0.5, 0.1, 0.3]), [0.5, 0.2, 0.2]);
    }
}
