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
//! A stop flag (Ctrl-C) and a cancellation callback are checked before each chunk and before
//! each draw: a stop takes effect within one draw, the chunk that saw it keeps the draws it had
//! made, the later chunks are skipped, and the result covers the draws before the stop (a prefix
//! of the draws, in order) and says how many draws that is.

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
#[derive(Debug, Clone, PartialEq)]
pub struct McConfig {
    /// Draws to make.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// Draws per chunk (part of the definition of a run: changing it changes the draws).
    pub chunk: u64,
    /// How the sides of a crisis choose in each draw: `None` (the default), the equilibrium (each
    /// draw's outcome probabilities are those of its subgame-perfect or perfect Bayesian
    /// equilibria, usually 0 or 1); `Some(lambda)`, with logit errors: the quantal response
    /// equilibrium at precision `lambda` in units of each side's stake
    /// (`brink_crisis::standoff::outcome_probabilities_qre`), so that every draw contributes a
    /// probability of each outcome and the shares are smooth in the inputs.
    pub crisis_lambda: Option<f64>,
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

    /// `draws` draws with `seed` and the default chunk of 256 draws; crises at their equilibrium.
    pub fn new(draws: u64, seed: u64) -> Self {
        McConfig {
            draws,
            seed,
            chunk: 256,
            crisis_lambda: None,
        }
    }

    /// The same run with crises played as quantal response equilibria at precision `lambda`.
    pub fn with_crisis_lambda(mut self, lambda: f64) -> Self {
        self.crisis_lambda = Some(lambda);
        self
    }
}

/// Receives every draw in order: its index, the inputs drawn, the forecasts (model-major:
/// `values[m * issues + k]`, NaN when not covered), and the world and crises of the draw
/// ([`Kept`]).
pub type KeepFn<'a> = &'a mut dyn FnMut(u64, &Values, &[f64], &Kept<'_>);

/// What a kept draw carries beside its inputs and forecasts.
#[derive(Debug, Clone, Copy)]
pub struct Kept<'a> {
    /// The world drawn: an index into `Scenario::worlds()` (one type per actor with rival
    /// hypotheses); 0 in a scenario without them.
    pub world: usize,
    /// The crises' records of the draw, [`CRISIS_WIDTH`] numbers per crisis.
    crises: &'a [f64],
}

impl Kept<'_> {
    /// Crisis `ci`'s outcome-class probabilities in the draw (in
    /// [`brink_crisis::standoff::CLASSES`] order), or `None` when its game could not be built
    /// or solved in this draw.
    pub fn crisis(&self, ci: usize) -> Option<&[f64]> {
        let rec = self
            .crises
            .get(ci * CRISIS_WIDTH..(ci + 1) * CRISIS_WIDTH)?;
        (rec[UNSOLVED] == 0.0).then(|| &rec[..UNSOLVED])
    }
}

/// Optional callbacks.
#[derive(Default)]
pub struct Hooks<'a> {
    /// Called after each wave with (draws done, draws requested).
    pub progress: Option<&'a (dyn Fn(u64, u64) + Sync)>,
    /// Checked before each chunk: when set, the run stops.
    pub stop: Option<&'a AtomicBool>,
    /// Called before each chunk (from any worker thread): `true` stops the run.
    pub cancel: Option<&'a (dyn Fn() -> bool + Sync)>,
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

/// A crisis's outcome shares among the draws that used one settlement model (when the crisis
/// gives an uncertain choice of models).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelShares {
    /// The settlement model.
    pub model: String,
    /// Its weight in the crisis's choice.
    pub weight: f64,
    /// Draws that used it (and were solved).
    pub draws: u64,
    /// Per outcome class, among those draws.
    pub outcomes: Vec<OutcomeShare>,
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
    /// When the crisis's settlement model is an uncertain choice: the shares per model (each draw
    /// draws the model by its weight). Empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_model: Vec<ModelShares>,
    /// Draws where the game could not be built or solved (with the first reason).
    pub unsolved: u64,
    /// Why, for the first unsolved draw.
    pub unsolved_reason: Option<String>,
    /// Each solved draw's outcome-class probabilities ([`brink_crisis::standoff::CLASSES`]
    /// order), in draw order, for the first [`KEPT_CRISIS_DRAWS`] draws (for the spread of the
    /// probabilities over the draws; not serialised).
    #[serde(skip)]
    pub per_draw: Vec<[f64; 7]>,
}

/// How many draws' crisis probabilities a run keeps per crisis ([`CrisisMc::per_draw`]): a
/// prefix of the draws, so that memory stays flat in the number of draws.
pub const KEPT_CRISIS_DRAWS: usize = 65_536;

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
pub(crate) struct ChunkOut {
    pub(crate) first: u64,
    /// Draws made.
    pub(crate) count: usize,
    /// Per draw, model-major: the forecasts.
    pub(crate) values: Vec<f64>,
    /// Per draw, model-major: 0 settles, 1 no agreement, 2 not covered.
    pub(crate) kinds: Vec<u8>,
    pub(crate) inputs: Vec<Values>,
    /// The world of each kept draw.
    pub(crate) worlds: Vec<usize>,
    /// Per draw, per crisis: the outcome classes' probabilities, then 1 if unsolved.
    pub(crate) crisis: Vec<f64>,
    pub(crate) reasons: Vec<String>,
    /// Stopped before its last draw: the draws it holds are the first of the chunk.
    pub(crate) partial: bool,
}

/// Width of a crisis's record per draw: the outcome classes, an "unsolved" flag and the index of
/// the settlement model drawn.
pub(crate) const CRISIS_WIDTH: usize = brink_crisis::standoff::CLASSES.len() + 2;
/// Slot of the "unsolved" flag in a crisis's record.
const UNSOLVED: usize = CRISIS_WIDTH - 2;

/// Each crisis's outcome probabilities under one draw: the settlement is the forecast of the
/// model drawn for it (`picks[ci]`, an index into the crisis's `models`), the sides play the
/// equilibrium or, with `lambda`, the quantal response equilibrium.
#[allow(clippy::too_many_arguments)]
fn crisis_outcomes(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    extra: &[Box<dyn Model>],
    params: &Params,
    v: &Values,
    row: &[f64],
    picks: &[usize],
    lambda: Option<f64>,
    out: &mut Vec<f64>,
    reasons: &mut Vec<String>,
) {
    let n_issues = sc.issues.len();
    for (ci, c) in sc.crises.iter().enumerate() {
        let name = c.models.get(picks[ci]).map_or(&c.model, |m| &m.0);
        let settlement: Vec<Option<f64>> = match models.iter().position(|m| m.name() == name) {
            Some(m) => row[m * n_issues..(m + 1) * n_issues]
                .iter()
                .map(|x| (!x.is_nan()).then_some(*x))
                .collect(),
            None => match extra.iter().find(|m| m.name() == name) {
                Some(m) => m
                    .run(&Input::new(sc, v), params)
                    .iter()
                    .map(|f| f.value())
                    .collect(),
                None => vec![None; n_issues],
            },
        };
        let result = match lambda {
            None => brink_crisis::standoff::outcome_probabilities(sc, v, ci, &settlement),
            Some(l) => brink_crisis::standoff::outcome_probabilities_qre(sc, v, ci, &settlement, l),
        };
        let probs = result.map_err(|e| e.to_string()).and_then(|o| {
            if o.iter().all(|(_, p)| p.is_finite()) {
                Ok(o)
            } else {
                Err("the game's outcome probabilities are not numbers".to_string())
            }
        });
        match probs {
            Ok(outcomes) => {
                for (_, p) in outcomes.iter().take(UNSOLVED) {
                    out.push(*p);
                }
                for _ in outcomes.len().min(UNSOLVED)..UNSOLVED {
                    out.push(0.0);
                }
                out.push(0.0);
            }
            Err(e) => {
                out.extend(std::iter::repeat_n(0.0, UNSOLVED));
                out.push(1.0);
                reasons.push(e);
            }
        }
        out.push(picks[ci] as f64);
    }
}

/// Draws each crisis's settlement model by its weight (one uniform per crisis with several
/// models; none otherwise, so that a run without such crises draws exactly as before).
fn pick_models<R: rand::Rng + ?Sized>(sc: &Scenario, rng: &mut R) -> Vec<usize> {
    sc.crises
        .iter()
        .map(|c| {
            if c.models.len() < 2 {
                return 0;
            }
            let r: f64 = rng.gen();
            let mut acc = 0.0;
            for (k, (_, w)) in c.models.iter().enumerate() {
                acc += w;
                if r < acc {
                    return k;
                }
            }
            c.models.len() - 1
        })
        .collect()
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

/// What every chunk of a run shares: the scenario's uncertain inputs and worlds, the models (and
/// the crises' settlement models that were not asked for), the counts.
pub(crate) struct Plan<'a> {
    sc: &'a Scenario,
    models: &'a [Box<dyn Model>],
    params: &'a Params,
    cfg: &'a McConfig,
    inputs: Vec<InputRef>,
    base: Values,
    worlds: Vec<(f64, Vec<usize>, Scenario)>,
    world_inputs: Vec<Vec<InputRef>>,
    world_base: Vec<Values>,
    extra: Vec<Box<dyn Model>>,
    /// Draws per chunk.
    pub(crate) chunk: u64,
    /// Draws in all.
    pub(crate) draws: u64,
    /// Chunks in all.
    pub(crate) n_chunks: u64,
}

impl<'a> Plan<'a> {
    /// The plan of a run (counts cut to their bounds).
    pub(crate) fn new(
        sc: &'a Scenario,
        models: &'a [Box<dyn Model>],
        params: &'a Params,
        cfg: &'a McConfig,
    ) -> Self {
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
        let chunk = cfg.chunk.clamp(1, MAX_CHUNK);
        let draws = cfg.draws.min(MAX_DRAWS);
        let mut wanted: Vec<&str> = Vec::new();
        for c in &sc.crises {
            for name in
                std::iter::once(c.model.as_str()).chain(c.models.iter().map(|m| m.0.as_str()))
            {
                if !models.iter().any(|m| m.name() == name) && !wanted.contains(&name) {
                    wanted.push(name);
                }
            }
        }
        let extra: Vec<Box<dyn Model>> =
            wanted.into_iter().filter_map(brink_bargain::find).collect();
        Plan {
            sc,
            models,
            params,
            cfg,
            inputs,
            base,
            worlds,
            world_inputs,
            world_base,
            extra,
            chunk,
            draws,
            n_chunks: draws.div_ceil(chunk),
        }
    }

    /// Chunk `k`: its draws from stream `k` of the seed, every model and crisis on each (and the
    /// inputs drawn, when `keep`). `halted` is polled before each draw: when it says stop, the
    /// chunk holds the draws made before (the first of the chunk) and is marked partial.
    pub(crate) fn chunk(&self, k: u64, keep: bool, halted: &dyn Fn() -> bool) -> ChunkOut {
        let (sc, models, params, cfg) = (self.sc, self.models, self.params, self.cfg);
        let (worlds, chunk, draws) = (&self.worlds, self.chunk, self.draws);
        let n_issues = sc.issues.len();
        let n_crises = sc.crises.len();
        let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
        rng.set_stream(k);
        let first = k * chunk;
        let count = chunk.min(draws - first);
        let mut values = Vec::with_capacity((count as usize) * models.len() * n_issues);
        let mut kinds = Vec::with_capacity(values.capacity());
        let mut kept = Vec::new();
        let mut kept_worlds = Vec::new();
        let mut crisis = Vec::with_capacity(count as usize * n_crises * CRISIS_WIDTH);
        let mut reasons = Vec::new();
        let mut partial = false;
        let mut made = 0usize;
        for _ in 0..count {
            if halted() {
                partial = true;
                break;
            }
            let mut world = 0;
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
                world = pick;
                draw(
                    &worlds[pick].2,
                    &self.world_inputs[pick],
                    &self.world_base[pick],
                    &mut rng,
                )
            } else {
                draw(sc, &self.inputs, &self.base, &mut rng)
            };
            let p = Params {
                seed: rng.next_u64(),
                ..params.clone()
            };
            let picks = pick_models(sc, &mut rng);
            let start = values.len();
            evaluate(sc, models, &p, &v, &mut values, &mut kinds);
            if n_crises > 0 {
                let row = values[start..].to_vec();
                crisis_outcomes(
                    sc,
                    models,
                    &self.extra,
                    &p,
                    &v,
                    &row,
                    &picks,
                    cfg.crisis_lambda,
                    &mut crisis,
                    &mut reasons,
                );
            }
            if keep {
                kept.push(v);
                kept_worlds.push(world);
            }
            made += 1;
        }
        ChunkOut {
            first,
            count: made,
            values,
            kinds,
            inputs: kept,
            worlds: kept_worlds,
            crisis,
            reasons,
            partial,
        }
    }
}

/// The streaming aggregates of a run, fed its chunks in chunk order.
pub(crate) struct Fold {
    accs: Vec<Vec<Accum>>,
    crisis_sum: Vec<Vec<f64>>,
    /// Per crisis, per settlement model: the outcome sums, then the number of draws.
    model_sum: Vec<Vec<Vec<f64>>>,
    crisis_reason: Vec<Option<String>>,
    per_draw: Vec<Vec<[f64; 7]>>,
    no_agree: Vec<Vec<u64>>,
    uncovered: Vec<Vec<u64>>,
    /// Draws folded in.
    pub(crate) done: u64,
}

impl Fold {
    /// Nothing folded in yet.
    pub(crate) fn new(plan: &Plan<'_>) -> Self {
        let (sc, models) = (plan.sc, plan.models);
        let n_issues = sc.issues.len();
        let n_crises = sc.crises.len();
        Fold {
            accs: models
                .iter()
                .map(|_| {
                    sc.issues
                        .iter()
                        .map(|is| Accum::new(is.min, is.max))
                        .collect()
                })
                .collect(),
            crisis_sum: vec![vec![0.0f64; CRISIS_WIDTH]; n_crises],
            model_sum: sc
                .crises
                .iter()
                .map(|c| vec![vec![0.0f64; UNSOLVED + 1]; c.models.len()])
                .collect(),
            crisis_reason: vec![None; n_crises],
            per_draw: vec![Vec::new(); n_crises],
            no_agree: vec![vec![0u64; n_issues]; models.len()],
            uncovered: vec![vec![0u64; n_issues]; models.len()],
            done: 0,
        }
    }

    /// Folds in the next chunk, passing each of its draws to `keep`.
    pub(crate) fn push(&mut self, plan: &Plan<'_>, c: ChunkOut, keep: Option<&mut KeepFn<'_>>) {
        let models = plan.models;
        let n_issues = plan.sc.issues.len();
        let n_crises = plan.sc.crises.len();
        let mut keep = keep;
        let per = models.len() * n_issues;
        let count = c.count;
        for d in 0..count {
            let row = &c.values[d * per..(d + 1) * per];
            let kr = &c.kinds[d * per..(d + 1) * per];
            for m in 0..models.len() {
                for k in 0..n_issues {
                    let i = m * n_issues + k;
                    match kr[i] {
                        // Not covered, or a model that gave no number (NaN): not a forecast.
                        2 => self.uncovered[m][k] += 1,
                        _ if !row[i].is_finite() => self.uncovered[m][k] += 1,
                        kind => {
                            if kind == 1 {
                                self.no_agree[m][k] += 1;
                            }
                            self.accs[m][k].push(row[i]);
                        }
                    }
                }
            }
            for (ci, sums) in self.crisis_sum.iter_mut().enumerate() {
                let at = (d * n_crises + ci) * CRISIS_WIDTH;
                let rec = &c.crisis[at..at + CRISIS_WIDTH];
                for (w, x) in rec[..=UNSOLVED].iter().enumerate() {
                    sums[w] += x;
                }
                if rec[UNSOLVED] == 0.0 && self.per_draw[ci].len() < KEPT_CRISIS_DRAWS {
                    let mut p = [0.0; 7];
                    for (a, b) in p.iter_mut().zip(rec) {
                        *a = *b;
                    }
                    self.per_draw[ci].push(p);
                }
                if rec[UNSOLVED] == 0.0 {
                    if let Some(m) = self.model_sum[ci].get_mut(rec[UNSOLVED + 1] as usize) {
                        for (w, x) in rec[..UNSOLVED].iter().enumerate() {
                            m[w] += x;
                        }
                        m[UNSOLVED] += 1.0;
                    }
                }
            }
            if let Some(f) = keep.as_mut() {
                let at = d * n_crises * CRISIS_WIDTH;
                let kept = Kept {
                    world: c.worlds[d],
                    crises: &c.crisis[at..at + n_crises * CRISIS_WIDTH],
                };
                f(c.first + d as u64, &c.inputs[d], row, &kept);
            }
        }
        for (ci, r) in c.reasons.into_iter().take(n_crises).enumerate() {
            self.crisis_reason[ci].get_or_insert(r);
        }
        self.done += count as u64;
    }

    /// The run's result.
    pub(crate) fn finish(mut self, plan: &Plan<'_>, stopped: bool) -> McResult {
        let (sc, models, cfg) = (plan.sc, plan.models, plan.cfg);
        let done = self.done;
        McResult {
            seed: cfg.seed,
            chunk: plan.chunk,
            draws_requested: cfg.draws,
            draws_done: done,
            stopped,
            uncertain_inputs: plan.inputs.iter().map(|i| i.key(sc)).collect(),
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
                            summary: self.accs[m][k].summary(),
                            no_agreement: self.no_agree[m][k],
                            not_covered: self.uncovered[m][k],
                        })
                        .collect(),
                })
                .collect(),
            crises: sc
                .crises
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let unsolved = self.crisis_sum[ci][UNSOLVED].round() as u64;
                    let n = done.saturating_sub(unsolved);
                    let shares = |sums: &[f64], n: u64| -> Vec<OutcomeShare> {
                        brink_crisis::standoff::CLASSES
                            .iter()
                            .enumerate()
                            .map(|(w, name)| {
                                let k = sums[w];
                                let share = if n > 0 { k / n as f64 } else { f64::NAN };
                                OutcomeShare {
                                    outcome: name.to_string(),
                                    share,
                                    interval: crate::stats::wilson_f(k, n),
                                }
                            })
                            .collect()
                    };
                    CrisisMc {
                        crisis: c.id.clone(),
                        name: c.name.clone(),
                        outcomes: shares(&self.crisis_sum[ci], n),
                        by_model: if c.models.len() > 1 {
                            c.models
                                .iter()
                                .zip(&self.model_sum[ci])
                                .map(|((m, w), sums)| {
                                    let n = sums[UNSOLVED].round() as u64;
                                    ModelShares {
                                        model: m.clone(),
                                        weight: *w,
                                        draws: n,
                                        outcomes: shares(sums, n),
                                    }
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        unsolved,
                        unsolved_reason: self.crisis_reason[ci].clone(),
                        per_draw: std::mem::take(&mut self.per_draw[ci]),
                    }
                })
                .collect(),
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
    let plan = Plan::new(sc, models, params, cfg);
    let mut fold = Fold::new(&plan);
    let keep = hooks.keep.is_some();
    let wave = (rayon::current_num_threads() as u64 * 4).max(1);
    let mut stopped = false;
    let mut next = 0u64;
    let (stop, cancel) = (hooks.stop, hooks.cancel);
    let halted = || stop.is_some_and(|s| s.load(Ordering::SeqCst)) || cancel.is_some_and(|c| c());
    if let Some(p) = hooks.progress {
        p(0, plan.draws);
    }
    'waves: while next < plan.n_chunks {
        let end = (next + wave).min(plan.n_chunks);
        let outs: Vec<Option<ChunkOut>> = (next..end)
            .into_par_iter()
            .map(|k| (!halted()).then(|| plan.chunk(k, keep, &halted)))
            .collect();
        for c in outs {
            // Chunks after the first skipped one are dropped: the result is a prefix of the draws.
            let Some(c) = c else {
                stopped = true;
                if let Some(p) = hooks.progress {
                    p(fold.done, cfg.draws);
                }
                break 'waves;
            };
            let partial = c.partial;
            fold.push(&plan, c, hooks.keep.as_mut());
            // A chunk stopped part-way ends the prefix: the chunks after it are dropped.
            if partial {
                stopped = true;
                if let Some(p) = hooks.progress {
                    p(fold.done, cfg.draws);
                }
                break 'waves;
            }
        }
        if let Some(p) = hooks.progress {
            p(fold.done, plan.draws);
        }
        next = end;
    }
    fold.finish(&plan, stopped)
}
