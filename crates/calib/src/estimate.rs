//! The estimation of the game's constants and of the combination's weights on the ICB
//! development split (system level), and their cross-validation by crisis.
//!
//! # Procedure
//! 1. The game's constants theta = (lambda, alpha, kappa) by maximum likelihood on all 325
//!    development crises ([`crate::icb_game::fit_game`]); the game's mean P(VIOL >= 2) and
//!    P(VIOL = 4) over them at the estimate.
//! 2. Cross-validation by crisis with the reference class's own ten folds (crises sorted by
//!    number and dealt to folds in turn; `brink_refclass::evaluate_builtin`, whose out-of-fold
//!    reference-class forecasts are used as they are): on each fold's training crises, theta
//!    again, the game's mean forecasts, the base rates; the held-out crises forecast by each.
//! 3. The weights w: on the out-of-fold forecasts, for each event, the grid point of 0, 0.01,
//!    ..., 2 with the smallest mean log loss of the combination (ties to the smaller). Shipped:
//!    the choice on all folds. Scored: nested, each fold combined with the weight chosen on the
//!    other nine folds' out-of-fold forecasts, so that no crisis's score uses a weight its own
//!    outcome helped choose.
//!
//! # Scores
//! Out of fold, per event (VIOL >= 2, VIOL = 4): mean log loss and Brier of the base rate (the
//! training share), the game, the reference class and the combination; for the game's three
//! levels (VIOL 1, 2-3, 4), the multinomial log-likelihood of the game and of the base rates.

use brink_refclass::{evaluate_builtin, EvalOptions, Level, SystemOnset};
use serde::Serialize;

use crate::combine::combine;
use crate::icb_game::{fit_game, level_of, violence, GameParams, FLOOR};
use crate::{Error, Result};

/// The grid of weights.
pub fn weight_grid() -> impl Iterator<Item = f64> {
    (0..=200).map(|k| k as f64 / 100.0)
}

/// One model's out-of-fold scores on one event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// `base`, `game`, `refclass` or `combined`.
    pub model: &'static str,
    /// `any_violence` (VIOL >= 2) or `war` (VIOL = 4).
    pub target: &'static str,
    /// Crises scored.
    pub n: usize,
    /// Mean log loss (natural logarithm).
    pub log_loss: f64,
    /// Brier score.
    pub brier: f64,
}

/// The estimate and its cross-validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Crises used (with a VIOL code).
    pub n: usize,
    /// The median of the coded power discrepancies (the value taken when one is missing).
    pub power_median: f64,
    /// The game's constants on all crises.
    pub params: GameParams,
    /// The game's log-likelihood at the estimate (three levels).
    pub log_likelihood: f64,
    /// The base rates' log-likelihood on the same crises (three levels, in sample).
    pub base_log_likelihood: f64,
    /// The game's mean P(VIOL >= 2) and P(VIOL = 4) at the estimate.
    pub game_mean: [f64; 2],
    /// The weights chosen on all out-of-fold forecasts (any violence, war).
    pub weights: [f64; 2],
    /// The game's constants fitted on each fold's training crises.
    pub fold_params: Vec<GameParams>,
    /// The weights chosen without each fold (nested), per fold.
    pub fold_weights: Vec<[f64; 2]>,
    /// Out of fold: the game's log-likelihood of the three levels.
    pub cv_log_likelihood: f64,
    /// Out of fold: the base rates' log-likelihood of the three levels.
    pub cv_base_log_likelihood: f64,
    /// Out-of-fold scores per event and model.
    pub scores: Vec<Scores>,
}

impl Estimate {
    /// The scores of `model` on `target`.
    pub fn score(&self, model: &str, target: &str) -> Option<&Scores> {
        self.scores
            .iter()
            .find(|s| s.model == model && s.target == target)
    }
}

/// One development crisis with everything the cross-validation needs.
struct Row<'a> {
    onset: &'a SystemOnset,
    viol: u8,
    fold: usize,
    refclass: [f64; 3],
}

fn log_loss(p: f64, y: bool) -> f64 {
    let p = p.clamp(FLOOR, 1.0 - FLOOR);
    -(if y { p.ln() } else { (1.0 - p).ln() })
}

/// Runs the estimation of the module docs on the shipped development data.
pub fn estimate() -> Result<Estimate> {
    let data = brink_refclass::icb::builtin_system();
    let sys = data
        .system_rows()
        .ok_or_else(|| Error::TooFew("the shipped ICB1 file is not system level".into()))?;
    let opts = EvalOptions {
        bootstrap: 10,
        ..EvalOptions::default()
    };
    let ev = evaluate_builtin(Level::System, &opts)?;
    let refclass_ix = brink_refclass::eval::MODELS
        .iter()
        .position(|m| *m == "refclass")
        .expect("refclass is scored");
    let mut rows: Vec<Row> = Vec::new();
    for r in &ev.rows {
        let Some(s) = sys.iter().find(|s| s.crisno == r.crisno) else {
            continue;
        };
        rows.push(Row {
            onset: &s.onset,
            viol: r.viol,
            fold: r.fold.unwrap_or(0),
            refclass: r.forecasts[refclass_ix],
        });
    }
    if rows.len() < 30 {
        return Err(Error::TooFew(format!(
            "only {} development crises with a VIOL code",
            rows.len()
        )));
    }
    let mut coded: Vec<f64> = sys
        .iter()
        .filter_map(|s| s.onset.power_discrepancy)
        .collect();
    coded.sort_by(f64::total_cmp);
    let power_median = if coded.len() % 2 == 1 {
        coded[coded.len() / 2]
    } else {
        0.5 * (coded[coded.len() / 2 - 1] + coded[coded.len() / 2])
    };

    let cases = |keep: &dyn Fn(&Row) -> bool| -> Vec<(&SystemOnset, u8)> {
        rows.iter()
            .filter(|r| keep(r))
            .map(|r| (r.onset, r.viol))
            .collect()
    };
    let all = cases(&|_| true);
    let (params, ll) = fit_game(&all);
    let rates = |cs: &[(&SystemOnset, u8)]| -> [f64; 3] {
        let mut k = [0.0; 3];
        for (_, v) in cs {
            k[level_of(*v)] += 1.0;
        }
        k.map(|x| x / cs.len() as f64)
    };
    let base_all = rates(&all);
    let base_ll: f64 = all.iter().map(|(_, v)| base_all[level_of(*v)].ln()).sum();
    let mean_game = |cs: &[(&SystemOnset, u8)], th: &GameParams| -> [f64; 2] {
        let mut m = [0.0; 2];
        for (o, _) in cs {
            let v = violence(o, th);
            m[0] += v[1] + v[2];
            m[1] += v[2];
        }
        m.map(|x| x / cs.len() as f64)
    };
    let game_mean = mean_game(&all, &params);

    // Out-of-fold forecasts.
    let folds = rows.iter().map(|r| r.fold).max().unwrap_or(0) + 1;
    let mut game_oof = vec![[0.0; 3]; rows.len()];
    let mut base_oof = vec![[0.0; 3]; rows.len()];
    let mut mean_oof = vec![[0.0; 2]; rows.len()];
    let mut fold_params = Vec::new();
    for f in 0..folds {
        let train = cases(&|r| r.fold != f);
        let (th, _) = fit_game(&train);
        let base = rates(&train);
        let gm = mean_game(&train, &th);
        for (i, r) in rows.iter().enumerate().filter(|(_, r)| r.fold == f) {
            game_oof[i] = violence(r.onset, &th);
            base_oof[i] = base;
            mean_oof[i] = gm;
        }
        fold_params.push(th);
    }
    let cv_ll: f64 = rows
        .iter()
        .zip(&game_oof)
        .map(|(r, g)| g[level_of(r.viol)].max(FLOOR).ln())
        .sum();
    let cv_base_ll: f64 = rows
        .iter()
        .zip(&base_oof)
        .map(|(r, b)| b[level_of(r.viol)].max(FLOOR).ln())
        .sum();

    // The combination's forecast of row i with weights w.
    let comb = |i: usize, w: [f64; 2]| combine(rows[i].refclass, game_oof[i], w, mean_oof[i]);
    let yes = |i: usize, t: usize| {
        if t == 0 {
            rows[i].viol >= 2
        } else {
            rows[i].viol == 4
        }
    };
    let ref_p = |i: usize, t: usize| rows[i].refclass[if t == 0 { 0 } else { 2 }];
    // Weight of event t chosen on the rows `keep` admits.
    let choose = |t: usize, keep: &dyn Fn(usize) -> bool| -> f64 {
        let mut best = (f64::INFINITY, 0.0);
        for w in weight_grid() {
            let mut ww = [0.0; 2];
            ww[t] = w;
            let loss: f64 = (0..rows.len())
                .filter(|&i| keep(i))
                .map(|i| {
                    let c = comb(i, ww).cumulative;
                    log_loss(if t == 0 { c[0] } else { c[2] }, yes(i, t))
                })
                .sum();
            if loss < best.0 {
                best = (loss, w);
            }
        }
        best.1
    };
    let weights = [choose(0, &|_| true), choose(1, &|_| true)];
    let fold_weights: Vec<[f64; 2]> = (0..folds)
        .map(|f| {
            let keep = |i: usize| rows[i].fold != f;
            [choose(0, &keep), choose(1, &keep)]
        })
        .collect();

    let mut scores = Vec::new();
    for (t, target) in ["any_violence", "war"].into_iter().enumerate() {
        let forecasts: [(&'static str, Vec<f64>); 4] = [
            (
                "base",
                base_oof
                    .iter()
                    .map(|b| if t == 0 { b[1] + b[2] } else { b[2] })
                    .collect(),
            ),
            (
                "game",
                game_oof
                    .iter()
                    .map(|g| if t == 0 { g[1] + g[2] } else { g[2] })
                    .collect(),
            ),
            ("refclass", (0..rows.len()).map(|i| ref_p(i, t)).collect()),
            (
                "combined",
                (0..rows.len())
                    .map(|i| {
                        let c = comb(i, fold_weights[rows[i].fold]).cumulative;
                        if t == 0 {
                            c[0]
                        } else {
                            c[2]
                        }
                    })
                    .collect(),
            ),
        ];
        for (model, p) in forecasts {
            let n = p.len();
            let ll: f64 = p
                .iter()
                .enumerate()
                .map(|(i, &q)| log_loss(q, yes(i, t)))
                .sum();
            let brier: f64 = p
                .iter()
                .enumerate()
                .map(|(i, &q)| (q - yes(i, t) as u8 as f64).powi(2))
                .sum();
            scores.push(Scores {
                model,
                target,
                n,
                log_loss: ll / n as f64,
                brier: brier / n as f64,
            });
        }
    }
    Ok(Estimate {
        n: rows.len(),
        power_median,
        params,
        log_likelihood: ll,
        base_log_likelihood: base_ll,
        game_mean,
        weights,
        fold_params,
        fold_weights,
        cv_log_likelihood: cv_ll,
        cv_base_log_likelihood: cv_base_ll,
        scores,
    })
}
