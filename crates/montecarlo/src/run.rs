//! Seeded, parallel, deterministic Monte Carlo over a scenario's uncertain inputs.
//!
//! The N draws are cut into chunks of `chunk` draws; chunk k draws from its own ChaCha8 stream
//! (seed, stream k), so what a draw sees depends only on the seed and its index, never on which
//! thread ran it. Chunks run in parallel in waves; each wave's results are folded into the
//! streaming aggregates in chunk order, so the output is byte-identical whatever the thread
//! count. Memory is flat in N: a wave's raw results, then [`Accum`]s of fixed size.
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

impl McConfig {
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
    /// Draws the model did not cover.
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
}

/// The raw results of one chunk.
struct ChunkOut {
    first: u64,
    values: Vec<f64>,
    kinds: Vec<u8>,
    inputs: Vec<Values>,
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

/// Runs the Monte Carlo.
pub fn run(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    cfg: &McConfig,
    mut hooks: Hooks<'_>,
) -> McResult {
    let inputs = InputRef::uncertain(sc);
    let base = sc.point_values();
    let n_issues = sc.issues.len();
    let chunk = cfg.chunk.max(1);
    let n_chunks = cfg.draws.div_ceil(chunk);
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
                let count = chunk.min(cfg.draws - first);
                let mut values = Vec::with_capacity((count as usize) * models.len() * n_issues);
                let mut kinds = Vec::with_capacity(values.capacity());
                let mut kept = Vec::new();
                for _ in 0..count {
                    let v = draw(sc, &inputs, &base, &mut rng);
                    let p = Params {
                        seed: rng.next_u64(),
                        ..params.clone()
                    };
                    evaluate(sc, models, &p, &v, &mut values, &mut kinds);
                    if keep {
                        kept.push(v);
                    }
                }
                ChunkOut {
                    first,
                    values,
                    kinds,
                    inputs: kept,
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
                            2 => uncovered[m][k] += 1,
                            kind => {
                                if kind == 1 {
                                    no_agree[m][k] += 1;
                                }
                                accs[m][k].push(row[i]);
                            }
                        }
                    }
                }
                if let Some(f) = hooks.keep.as_mut() {
                    f(c.first + d as u64, &c.inputs[d], row);
                }
            }
            done += count as u64;
        }
        if let Some(p) = hooks.progress {
            p(done, cfg.draws);
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
    }
}
