//! Seeded, parallel, deterministic Monte Carlo over a scenario's uncertain inputs.
//!
//! The N draws are cut into chunks of `chunk` draws; chunk k draws from its own ChaCha8 stream
//! (seed, stream k), so what a draw sees depends only on the seed and its index, never on which
//! thread ran it. Chunks run in parallel in waves; each wave's results are folded into the
//! streaming aggregates in chunk order, so the output is byte-identical whatever the thread
//! count. Memory is flat in N: a wave's raw results, then [`Accum`]s of fixed size.
//!
//! With rival hypotheses about actors (types), each draw first draws a type per such actor with
//! its posterior probability, then the inputs as that type would hold them.
//!
//! A stop flag (Ctrl-C) is checked between waves: the result then covers the waves completed,
//! and says how many draws that is.

use std::sync::atomic::{AtomicBool, Ordering};

use brink_bargain::{Input, Model, Outcome, Params};
use brink_scenario::{Scenario, Values};
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;
use serde::Serialize;

use crate::inputs::{draw, InputRef};
use crate::stats::{Accum, Summary};

/// How to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct McConfig {
    /// Draws to make.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// Draws per chunk (part of the definition of a run: changing it changes the draws).
    pub chunk: u64,
}

/// The most draws a run may be asked for: a run's memory is flat in its draws, so the bound is
/// one of time (about 80 minutes for the built-in scenario on all default models).
pub const MAX_DRAWS: u64 = 100_000_000;

/// The most draws a computation that keeps every draw may be asked for (rank correlations,
/// panel shares, `--keep-draws` callers): they hold each draw's inputs and forecasts in memory.
pub const MAX_KEPT_DRAWS: u64 = 200_000;

/// The largest chunk (draws per random stream).
pub const MAX_CHUNK: u64 = 65_536;

/// Checks a number of draws against [`MAX_DRAWS`].
pub fn check_draws(draws: u64) -> Result<u64, brink_scenario::limits::CountError> {
    brink_scenario::limits::check_count("draws", draws, MAX_DRAWS, "a bound on the run's time")
}

/// Checks a number of draws that are all kept in memory against [`MAX_KEPT_DRAWS`].
pub fn check_kept_draws(draws: u64) -> Result<u64, brink_scenario::limits::CountError> {
    brink_scenario::limits::check_count(
        "draws",
        draws,
        MAX_KEPT_DRAWS,
        "every draw is kept in memory for this computation",
    )
}

impl McConfig {
    /// Checks the draws ([`check_draws`]) and the chunk (1 to [`MAX_CHUNK`]).
    pub fn validate(&self) -> Result<(), brink_scenario::limits::CountError> {
        check_draws(self.draws)?;
        brink_scenario::limits::check_count(
            "draws per chunk",
            self.chunk,
            MAX_CHUNK,
            "a chunk's results are held in memory",
        )?;
        Ok(())
    }

    /// `draws` draws with `seed` and the default chunk of 256 draws.
    pub fn new(draws: u64, seed: u64) -> Self {
        McConfig {
            draws,
            seed,
            chunk: 256,
        }
    }
}

/// Receives every draw in order: its index, the inputs drawn, and the forecasts (model-major:
/// `values[m * issues + k]`, NaN when not covered).
pub type KeepFn<'a> = &'a mut dyn FnMut(u64, &Values, &[f64]);

/// Optional callbacks.
#[derive(Default)]
pub struct Hooks<'a> {
    /// Called after each wave with (draws done, draws requested).
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
    /// Checked between waves: when set, the run stops.
    pub stop: Option<&'a AtomicBool>,
    /// Receives every draw (see [`KeepFn`]).
    pub keep: Option<KeepFn<'a>>,
}

/// One model's forecasts on one issue across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelMc {
    /// The model.
    pub model: String,
    /// The distribution of the forecast value (for no agreement: the status quo) over the draws
    /// the model covered.
    pub summary: Option<Summary>,
    /// Draws where the model forecast no agreement.
    pub no_agreement: u64,
    /// Draws the model did not cover (or where it gave no number).
    pub not_covered: u64,
}

/// One issue across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueMc {
    /// The issue's id.
    pub issue: String,
    /// Per model, in the order given.
    pub models: Vec<ModelMc>,
}

/// One outcome's share of the draws, with its 95% Wilson interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeShare {
    /// The outcome class (`war`, `negotiated settlement`, ...).
    pub outcome: String,
    /// Share of the draws (each draw's equilibrium outcome probabilities, averaged).
    pub share: f64,
    /// 95% Wilson interval of the share.
    pub interval: (f64, f64),
}

/// One crisis across the draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisMc {
    /// The crisis's id.
    pub crisis: String,
    /// Its name.
    pub name: String,
    /// Per outcome class.
    pub outcomes: Vec<OutcomeShare>,
    /// Draws where the game could not be built or solved (with the first reason).
    pub unsolved: u64,
    /// Why, for the first unsolved draw.
    pub unsolved_reason: Option<String>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct McResult {
    /// The seed.
    pub seed: u64,
    /// Draws per chunk.
    pub chunk: u64,
    /// Draws asked for.
    pub draws_requested: u64,
    /// Draws done (fewer when stopped).
    pub draws_done: u64,
    /// Whether the run was stopped before the end.
    pub stopped: bool,
    /// The inputs that were drawn (uncertain ones), by key.
    pub uncertain_inputs: Vec<String>,
    /// Per issue.
    pub issues: Vec<IssueMc>,
    /// Per crisis.
    pub crises: Vec<CrisisMc>,
}

/// The raw results of one chunk.
struct ChunkOut {
    first: u64,
    values: Vec<f64>,
    kinds: Vec<u8>,
    inputs: Vec<Values>,
    /// Per draw, per crisis: the outcome classes' probabilities, then 1 if unsolved.
    crisis: Vec<f64>,
    reasons: Vec<String>,
}

/// Width of a crisis's record per draw: the outcome classes and an "unsolved" flag.
const CRISIS_WIDTH: usize = brink_crisis::standoff::CLASSES.len() + 1;

/// The settlement forecast each crisis uses: its model's forecast per issue.
#[allow(clippy::too_many_arguments)]
fn crisis_outcomes(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    extra: &[Box<dyn Model>],
    params: &Params,
    v: &Values,
    row: &[f64],
    out: &mut Vec<f64>,
    reasons: &mut Vec<String>,
) {
    let n_issues = sc.issues.len();
    for (ci, c) in sc.crises.iter().enumerate() {
        let settlement: Vec<Option<f64>> = match models.iter().position(|m| m.name() == c.model) {
            Some(m) => row[m * n_issues..(m + 1) * n_issues]
                .iter()
                .map(|x| (!x.is_nan()).then_some(*x))
                .collect(),
            None => match extra.iter().find(|m| m.name() == c.model) {
                Some(m) => m
                    .run(&Input::new(sc, v), params)
                    .iter()
                    .map(|f| f.value())
                    .collect(),
                None => vec![None; n_issues],
            },
        };
        let probs = brink_crisis::standoff::outcome_probabilities(sc, v, ci, &settlement)
            .map_err(|e| e.to_string())
            .and_then(|o| {
                if o.iter().all(|(_, p)| p.is_finite()) {
                    Ok(o)
                } else {
                    Err("the game's outcome probabilities are not numbers".to_string())
                }
            });
        match probs {
            Ok(outcomes) => {
                for (_, p) in outcomes.iter().take(CRISIS_WIDTH - 1) {
                    out.push(*p);
                }
                for _ in outcomes.len().min(CRISIS_WIDTH - 1)..CRISIS_WIDTH - 1 {
                    out.push(0.0);
                }
                out.push(0.0);
            }
            Err(e) => {
                out.extend(std::iter::repeat_n(0.0, CRISIS_WIDTH - 1));
                out.push(1.0);
                reasons.push(e);
            }
        }
    }
}

/// Evaluates every model on one set of values: forecasts (model-major) and kinds
/// (0 settles, 1 no agreement, 2 not covered).
pub fn evaluate(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    v: &Values,
    out: &mut Vec<f64>,
    kinds: &mut Vec<u8>,
) {
    let input = Input::new(sc, v);
    for m in models {
        for f in m.run(&input, params) {
            out.push(f.value().unwrap_or(f64::NAN));
            kinds.push(match f.outcome {
                Outcome::Settles { .. } => 0,
                Outcome::NoAgreement { .. } => 1,
                Outcome::NotCovered { .. } => 2,
            });
        }
    }
}

/// Runs the Monte Carlo. Counts beyond the bounds ([`McConfig::validate`]) are cut to them
/// (at most [`MAX_DRAWS`] draws in chunks of at most [`MAX_CHUNK`]; `draws_done` says how many
/// ran); callers check first to give the user a clear error.
pub fn run(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    cfg: &McConfig,
    mut hooks: Hooks<'_>,
) -> McResult {
    let inputs = InputRef::uncertain(sc);
    let base = sc.point_values();
    // Rival hypotheses: each draw first draws a world (one type per actor with types) by its
    // probability, then that world's inputs.
    let worlds = sc.worlds();
    let world_inputs: Vec<Vec<InputRef>> = worlds
        .iter()
        .map(|(_, _, w)| InputRef::uncertain(w))
        .collect();
    let world_base: Vec<Values> = worlds.iter().map(|(_, _, w)| w.point_values()).collect();
    let n_issues = sc.issues.len();
    let chunk = cfg.chunk.clamp(1, MAX_CHUNK);
    let draws = cfg.draws.min(MAX_DRAWS);
    let n_chunks = draws.div_ceil(chunk);
    let keep = hooks.keep.is_some();
    let mut accs: Vec<Vec<Accum>> = models
        .iter()
        .map(|_| {
            sc.issues
                .iter()
                .map(|is| Accum::new(is.min, is.max))
                .collect()
        })
        .collect();
    let extra: Vec<Box<dyn Model>> = sc
        .crises
        .iter()
        .filter(|c| !models.iter().any(|m| m.name() == c.model))
        .filter_map(|c| brink_bargain::find(&c.model))
        .collect();
    let n_crises = sc.crises.len();
    let mut crisis_sum = vec![vec![0.0f64; CRISIS_WIDTH]; n_crises];
    let mut crisis_reason: Vec<Option<String>> = vec![None; n_crises];
    let mut no_agree = vec![vec![0u64; n_issues]; models.len()];
    let mut uncovered = vec![vec![0u64; n_issues]; models.len()];
    let wave = (rayon::current_num_threads() as u64 * 4).max(1);
    let mut done = 0u64;
    let mut stopped = false;
    let mut next = 0u64;
    while next < n_chunks {
        if hooks.stop.is_some_and(|s| s.load(Ordering::SeqCst)) {
            stopped = true;
            break;
        }
        let end = (next + wave).min(n_chunks);
        let outs: Vec<ChunkOut> = (next..end)
            .into_par_iter()
            .map(|k| {
                let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
                rng.set_stream(k);
                let first = k * chunk;
                let count = chunk.min(draws - first);
                let mut values = Vec::with_capacity((count as usize) * models.len() * n_issues);
                let mut kinds = Vec::with_capacity(values.capacity());
                let mut kept = Vec::new();
                let mut crisis = Vec::with_capacity(count as usize * n_crises * CRISIS_WIDTH);
                let mut reasons = Vec::new();
                for _ in 0..count {
                    let v = if worlds.len() > 1 {
                        let r: f64 = rand::Rng::gen(&mut rng);
                        let mut acc = 0.0;
                        let mut pick = worlds.len() - 1;
                        for (i, (w, _, _)) in worlds.iter().enumerate() {
                            acc += w;
                            if r < acc {
                                pick = i;
                                break;
                            }
                        }
                        draw(
                            &worlds[pick].2,
                            &world_inputs[pick],
                            &world_base[pick],
                            &mut rng,
                        )
                    } else {
                        draw(sc, &inputs, &base, &mut rng)
                    };
                    let p = Params {
                        seed: rng.next_u64(),
                        ..params.clone()
                    };
                    let start = values.len();
                    evaluate(sc, models, &p, &v, &mut values, &mut kinds);
                    if n_crises > 0 {
                        let row = values[start..].to_vec();
                        crisis_outcomes(
                            sc,
                            models,
                            &extra,
                            &p,
                            &v,
                            &row,
                            &mut crisis,
                            &mut reasons,
                        );
                    }
                    if keep {
                        kept.push(v);
                    }
                }
                ChunkOut {
                    first,
                    values,
                    kinds,
                    inputs: kept,
                    crisis,
                    reasons,
                }
            })
            .collect();
        for c in outs {
            let per = models.len() * n_issues;
            let count = c.values.len() / per.max(1);
            for d in 0..count {
                let row = &c.values[d * per..(d + 1) * per];
                let kr = &c.kinds[d * per..(d + 1) * per];
                for m in 0..models.len() {
                    for k in 0..n_issues {
                        let i = m * n_issues + k;
                        match kr[i] {
                            // Not covered, or a model that gave no number (NaN): not a forecast.
                            2 => uncovered[m][k] += 1,
                            _ if !row[i].is_finite() => uncovered[m][k] += 1,
                            kind => {
                                if kind == 1 {
                                    no_agree[m][k] += 1;
                                }
                                accs[m][k].push(row[i]);
                            }
                        }
                    }
                }
                for (ci, sums) in crisis_sum.iter_mut().enumerate() {
                    let at = (d * n_crises + ci) * CRISIS_WIDTH;
                    for (w, x) in c.crisis[at..at + CRISIS_WIDTH].iter().enumerate() {
                        sums[w] += x;
                    }
                }
                if let Some(f) = hooks.keep.as_mut() {
                    f(c.first + d as u64, &c.inputs[d], row);
                }
            }
            for (ci, r) in c.reasons.into_iter().take(n_crises).enumerate() {
                crisis_reason[ci].get_or_insert(r);
            }
            done += count as u64;
        }
        if let Some(p) = hooks.progress {
            p(done, draws);
        }
        next = end;
    }
    McResult {
        seed: cfg.seed,
        chunk,
        draws_requested: cfg.draws,
        draws_done: done,
        stopped,
        uncertain_inputs: inputs.iter().map(|i| i.key(sc)).collect(),
        issues: sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, is)| IssueMc {
                issue: is.id.clone(),
                models: models
                    .iter()
                    .enumerate()
                    .map(|(m, model)| ModelMc {
                        model: model.name().to_string(),
                        summary: accs[m][k].summary(),
                        no_agreement: no_agree[m][k],
                        not_covered: uncovered[m][k],
                    })
                    .collect(),
            })
            .collect(),
        crises: sc
            .crises
            .iter()
            .enumerate()
            .map(|(ci, c)| {
                let unsolved = crisis_sum[ci][CRISIS_WIDTH - 1].round() as u64;
                let n = done.saturating_sub(unsolved);
                CrisisMc {
                    crisis: c.id.clone(),
                    name: c.name.clone(),
                    outcomes: brink_crisis::standoff::CLASSES
                        .iter()
                        .enumerate()
                        .map(|(w, name)| {
                            let k = crisis_sum[ci][w];
                            let share = if n > 0 { k / n as f64 } else { f64::NAN };
                            OutcomeShare {
                                outcome: name.to_string(),
                                share,
                                interval: crate::stats::wilson_f(k, n),
                            }
                        })
                        .collect(),
                    unsolved,
                    unsolved_reason: crisis_reason[ci].clone(),
                }
            })
            .collect(),
    }
}
