//! The expected-utility model (Bueno de Mesquita 1994; Scholz, Calbert & Smith 2011).
//!
//! Rounds of pairwise challenges on one issue. Actors k have a capability c_k >= 0, a position
//! x_k and a salience s_k in [0, 1]; the voting weight is w_k = c_k s_k.
//!
//! # Equations
//! - Delta = max - min of the **initial** positions, fixed for the run; d_k(y) = |x_k - y| / Delta.
//! - Vote of k for a over b: v_k(a, b) = w_k (d_k(b)^{r_k} - d_k(a)^{r_k}), r_k the voter's risk
//!   exponent.
//! - Probability that x_i prevails over x_j: P(x_i, x_j) = 0 if x_i = x_j, else
//!   sum_k max(0, v_k(x_i, x_j)) / D, where D depends on the mode (below).
//! - Expected utility of a challenge i -> j as seen by an evaluator e (exponent r_e), with
//!   g = |x_i - x_j| / Delta:
//!   EU^e(i -> j) = s_j [P U_s + (1 - P) U_f] + (1 - s_j) U_s - U_sq,
//!   U_s = 2 - 4 (0.5 - 0.5 g)^{r_e}, U_f = 2 - 4 (0.5 + 0.5 g)^{r_e}, U_sq = 2 - 4 (0.5)^{r_e}
//!   (Q = 1).
//! - Risk exponents, recomputed at the start of each round: with every r = 1,
//!   S_i = sum_{j != i} EU^j(j -> i); R_i = (2 S_i - S_max - S_min) / (S_max - S_min);
//!   r_i = (1 - R_i/3) / (1 + R_i/3) in [0.5, 2]. **If S_max = S_min, every r_i = 1** (R is
//!   undefined then; 1 is the risk-neutral value).
//! - Offers i receives from each j with x_j != x_i, both utilities seen by i:
//!   eu_ij = EU^i(i -> j), eu_ji = EU^i(j -> i). Confrontation if eu_ji > eu_ij > 0 (i moves to
//!   x_j); compromise if eu_ji > 0 > eu_ij and eu_ji > |eu_ij| (i moves to
//!   x_i + (x_j - x_i) |eu_ij / eu_ji|); capitulation if eu_ji > 0 > eu_ij otherwise (i moves to
//!   x_j); no offer otherwise.
//! - Choice: the confrontation that moves i least; else a compromise (key below); else the
//!   capitulation that moves i least. Ties go to the partner first in input order. Moves are
//!   simultaneous: all choices use the positions at the start of the round.
//! - Forecast: the w-weighted mean of the final positions, and the w-weighted median (the smallest
//!   position whose cumulative weight reaches half the total).
//!
//! # Modes
//! - [`EuMode::ScholzReplication`] reproduces the replication code of Scholz et al. exactly:
//!   D = sum over **all** ordered triples (k, a, b) of |v_k(x_a, x_b)| (one denominator shared by
//!   every pair); compromises are chosen by the smallest (|eu_ij| x_i + |eu_ji| x_j) / (|eu_ij| +
//!   |eu_ji|); capitulation never fires (the replication's test for it cannot be true).
//! - [`EuMode::Corrected`] (the default) is brink's own reading of the model: D = sum_k |v_k(x_i,
//!   x_j)| for the pair, so that P(x_i, x_j) + P(x_j, x_i) = 1 as a probability must (the shared
//!   triple sum makes every P tiny and lets the number of actors rescale all utilities); compromises
//!   are chosen by least move like the other kinds (the replication's key has no behavioural
//!   reading); capitulation is reachable as the model describes it; and Delta = 0 (all actors
//!   agree) ends the run at once with that position.
//!
//! # Degenerate inputs (both modes)
//! - No actors: [`EuError::NoActors`].
//! - Delta = 0 (one actor, or all at one position): no round is played; the run stops with
//!   [`EuStop::Consensus`] and the forecast is that position. A run whose positions all coincide
//!   at the start of a later round stops the same way.
//! - A round in which nobody moves is recorded and ends the run ([`EuStop::NoMove`]).
//! - Zero weights: if the corrected per-pair denominator is 0 (no voter cares) P = 1/2 both ways;
//!   if the replication's shared denominator is 0, P = 0. If the total weight sum_k c_k s_k is 0,
//!   the forecast mean and median use equal weights ([`EuForecast::equal_weights`] says so).
//! - Large values: weights are scaled by the largest c_k s_k before any sum (P is invariant to
//!   a common factor), and means are computed as offsets from the smallest position, so any
//!   finite input is safe; only a span max - min that overflows an f64 is an error
//!   ([`EuError::Overflow`]).
//! - Ratios g are clamped to [0, 1] and new positions to the initial [min, max], which only
//!   removes rounding drift of an ulp; no NaN can arise from valid inputs.
//!
//! # Numerical conditioning
//! The utilities of a challenge across a gap g are differences of O(1) terms of size O(g), and
//! the risk score R_i is a ratio of differences of the S_i. When distinct positions come within
//! ~1e-6 of Delta (actors converging geometrically on a point do so within a few rounds) these
//! carry few significant digits, and at ~1e-13 they are rounding noise: two exact
//! implementations may then choose different offers. The model's outputs are reproducible
//! bit-for-bit for a given input order and algorithm, but comparisons across implementations
//! are only meaningful while positions stay apart.
//!
//! # Cost
//! Per round, with n actors and m distinct positions (m falls as actors adopt each other's
//! positions): two probability matrices by the O(n m + m^2) kernel of [`probability_matrix`]
//! (n m powers for the round's exponents, none for the unit-exponent risk pass), n m powers for
//! the utility tables and O(n^2) for the offers. [`EuAlgorithm::Naive`] is O(n^3) per round.
//!
//! # Parameter defaults
//! mode = [`EuMode::Corrected`], rounds = 10, algorithm = [`EuAlgorithm::Fast`].
//!
//! # References
//! - Bueno de Mesquita, B. (1994). Political forecasting: an expected utility method. In
//!   B. Bueno de Mesquita & F. Stokman (eds.), *European Community Decision Making*, Yale UP, 71-104.
//! - Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno De Mesquita's group
//!   decision model. *Journal of Theoretical Politics* 23(4), 510-531.
//! - The replication code of that paper (ExampleActors.csv and its log are this module's fixture).

mod adapter;
mod csv;
mod probability;

pub use adapter::ExpectedUtility;
pub use csv::{read_bdm_csv, EuCsvError};
pub use probability::{probability_matrix, EuAlgorithm, EuVoter, CANCELLATION_GUARD};

use probability::{rpow, Workspace};
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// One actor of the expected-utility model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuActor {
    /// Display name.
    pub name: String,
    /// Capability (power, resources), >= 0, on any common scale.
    pub capability: f64,
    /// Position on the issue scale.
    pub position: f64,
    /// Salience in [0, 1].
    pub salience: f64,
}

/// Which rules the model follows (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EuMode {
    /// brink's corrected model (the default): per-pair probabilities, least-move choices.
    #[default]
    Corrected,
    /// The exact rules of the Scholz, Calbert & Smith replication code.
    ScholzReplication,
}

/// Largest accepted [`EuParams::rounds`]: every round is recorded, so an unbounded request would
/// only exhaust memory.
pub const MAX_ROUNDS: usize = 100_000;

/// Parameters of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuParams {
    /// Rule set (default [`EuMode::Corrected`]).
    pub mode: EuMode,
    /// Maximum number of rounds (default 10, at most [`MAX_ROUNDS`]).
    pub rounds: usize,
    /// How the probability matrix is computed (default [`EuAlgorithm::Fast`]; the result is the
    /// same up to rounding).
    pub algorithm: EuAlgorithm,
}

impl Default for EuParams {
    fn default() -> Self {
        Self {
            mode: EuMode::Corrected,
            rounds: 10,
            algorithm: EuAlgorithm::Fast,
        }
    }
}

/// What went wrong in a run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EuError {
    /// The actor list is empty: there is nothing to forecast.
    #[error("the expected-utility model needs at least one actor")]
    NoActors,
    /// An actor has a value the model cannot use.
    #[error("actor {index} ({name}): {field} = {value} is invalid ({allowed})")]
    InvalidActor {
        /// Index in the input.
        index: usize,
        /// Actor name.
        name: String,
        /// Field at fault.
        field: &'static str,
        /// The value.
        value: f64,
        /// The allowed range.
        allowed: &'static str,
    },
    /// The inputs are finite but too large to compute with: the span of the positions
    /// (max - min) overflows an f64.
    #[error("{0} overflows: rescale the input")]
    Overflow(&'static str),
    /// More rounds were requested than [`MAX_ROUNDS`].
    #[error("{0} rounds requested; at most {MAX_ROUNDS} are allowed")]
    TooManyRounds(usize),
    /// Invalid arguments to [`probability_matrix`].
    #[error("invalid probability-kernel input: {0}")]
    InvalidKernelInput(String),
}

/// Kind of a move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EuMoveKind {
    /// i expects to lose a confrontation (eu_ji > eu_ij > 0) and moves to x_j.
    Confrontation,
    /// i meets j part way: x_i + (x_j - x_i) |eu_ij / eu_ji|.
    Compromise,
    /// i gives in and moves to x_j.
    Capitulation,
}

/// One actor's move in a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuMove {
    /// Index of the moving actor i.
    pub actor: usize,
    /// Index of the partner j whose offer i takes.
    pub partner: usize,
    /// Kind of move.
    pub kind: EuMoveKind,
    /// EU^i(i -> j): i's expected utility of challenging j.
    pub eu_ij: f64,
    /// EU^i(j -> i): j's expected utility of challenging i, as i sees it.
    pub eu_ji: f64,
    /// Position of i at the start of the round.
    pub old_position: f64,
    /// Position of i after the round.
    pub new_position: f64,
}

/// One round of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuRound {
    /// Round number, from 1.
    pub round: usize,
    /// Risk exponents r_i used in this round (input order).
    pub risk: Vec<f64>,
    /// The moves, in input order of the moving actor.
    pub moves: Vec<EuMove>,
    /// Every actor's position after the round (input order).
    pub positions: Vec<f64>,
    /// The c*s weighted mean of those positions.
    pub mean: f64,
}

/// Why a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum EuStop {
    /// All requested rounds were played.
    RoundLimit,
    /// All positions coincide (Delta = 0 from the start, or agreement reached before `round`).
    Consensus {
        /// The round that was not played (1 when Delta = 0).
        round: usize,
    },
    /// Round `round` produced no move (it is recorded); later rounds would repeat it.
    NoMove {
        /// The round without a move.
        round: usize,
    },
}

/// The forecast of a run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EuForecast {
    /// c*s weighted mean of the final positions.
    pub mean: f64,
    /// c*s weighted median of the final positions (smallest position whose cumulative weight
    /// reaches half the total).
    pub median: f64,
    /// True if the total weight was 0 and equal weights were used instead.
    pub equal_weights: bool,
}

impl EuStop {
    /// Why the run stopped, in words.
    pub fn in_words(&self) -> String {
        match self {
            EuStop::RoundLimit => "every requested round was played".into(),
            EuStop::Consensus { round: 1 } => "all positions coincide from the start".into(),
            EuStop::Consensus { round } => {
                format!("all positions coincide after round {}", round - 1)
            }
            EuStop::NoMove { round } => format!("round {round} produced no move"),
        }
    }
}

/// The full record of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EuRun {
    /// Rule set used.
    pub mode: EuMode,
    /// Actor names, input order.
    pub names: Vec<String>,
    /// Initial positions.
    pub initial_positions: Vec<f64>,
    /// Delta = max - min of the initial positions.
    pub delta: f64,
    /// The rounds played.
    pub rounds: Vec<EuRound>,
    /// Why the run ended.
    pub stop: EuStop,
    /// Positions after the last round (the initial ones if none was played).
    pub final_positions: Vec<f64>,
    /// The forecast from the final positions.
    pub forecast: EuForecast,
}

impl EuRun {
    /// Renders the moves of round `round` (numbered from 1) as plain English sentences, one per
    /// move, e.g. "Belgium compromises with France: ... moves from 7 to 8.4159." Returns `None`
    /// if the run has no such round; an empty vector if nobody moved.
    pub fn describe_round(&self, round: usize) -> Option<Vec<String>> {
        let r = self.rounds.iter().find(|r| r.round == round)?;
        Some(r.moves.iter().map(|m| self.describe_move(m)).collect())
    }

    /// One move as a sentence.
    pub fn describe_move(&self, m: &EuMove) -> String {
        let name = |k: usize| self.names.get(k).map(String::as_str).unwrap_or("?");
        let (a, b) = (name(m.actor), name(m.partner));
        let head = match m.kind {
            EuMoveKind::Confrontation => format!("{a} loses a confrontation to {b}"),
            EuMoveKind::Compromise => format!("{a} compromises with {b}"),
            EuMoveKind::Capitulation => format!("{a} capitulates to {b}"),
        };
        let mut s = String::new();
        let _ = write!(
            s,
            "{head}: as {a} sees it, challenging {b} is worth {} and {} challenge is worth {}, \
             so {a} moves from {} to {}.",
            crate::possessive(b),
            num(m.eu_ij),
            num(m.eu_ji),
            num(m.old_position),
            num(m.new_position)
        );
        s
    }
}

/// Formats a number with at most 4 decimals, trailing zeros removed.
fn num(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Weights scaled by the largest one (so that sums cannot overflow); weights that are not
/// positive and finite count as 0. `None` if no weight is positive.
fn scaled_weights(weights: &[f64]) -> Option<Vec<f64>> {
    let usable = |w: f64| w.is_finite() && w > 0.0;
    let wmax = weights
        .iter()
        .copied()
        .filter(|&w| usable(w))
        .fold(0.0, f64::max);
    (wmax > 0.0).then(|| {
        weights
            .iter()
            .map(|&w| if usable(w) { w / wmax } else { 0.0 })
            .collect()
    })
}

/// The w-weighted mean of `positions` (pairs beyond the shorter slice are ignored; weights that
/// are not positive and finite count as 0); equal weights if no weight is positive. Computed as
/// min + sum (w/W)(x - min) so that it cannot overflow for any finite span, and clamped to the
/// positions' range against rounding. Returns `(mean, equal_weights)`; an empty input gives
/// (0, true).
pub fn weighted_mean(positions: &[f64], weights: &[f64]) -> (f64, bool) {
    let n = positions.len().min(weights.len());
    if n == 0 {
        return (0.0, true);
    }
    let x = &positions[..n];
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let (w, equal) = match scaled_weights(&weights[..n]) {
        Some(w) => (w, false),
        None => (vec![1.0; n], true),
    };
    let total: f64 = w.iter().sum();
    let offset: f64 = x
        .iter()
        .zip(&w)
        .filter(|(_, &wk)| wk > 0.0)
        .map(|(&xk, &wk)| (wk / total) * (xk - lo))
        .sum();
    ((lo + offset).clamp(lo, hi), equal)
}

/// The w-weighted median: sort by position, the smallest position whose cumulative weight
/// reaches half the total (with a relative slack of 1e-12 so that an exact half is not lost to
/// rounding). Weights are treated as in [`weighted_mean`]; equal weights if no weight is
/// positive. Returns `(median, equal_weights)`; an empty input gives (0, true).
pub fn weighted_median(positions: &[f64], weights: &[f64]) -> (f64, bool) {
    let n = positions.len().min(weights.len());
    if n == 0 {
        return (0.0, true);
    }
    let (w, equal) = match scaled_weights(&weights[..n]) {
        Some(w) => (w, false),
        None => (vec![1.0; n], true),
    };
    let total: f64 = w.iter().sum();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_by(|&a, &b| positions[a].total_cmp(&positions[b]));
    let half = 0.5 * total * (1.0 - 1e-12);
    let mut cum = 0.0;
    for &k in &idx {
        cum += w[k];
        if cum >= half {
            return (positions[k], equal);
        }
    }
    (positions[idx[n - 1]], equal)
}

fn validate(actors: &[EuActor]) -> Result<(), EuError> {
    if actors.is_empty() {
        return Err(EuError::NoActors);
    }
    for (index, a) in actors.iter().enumerate() {
        let bad = |field, value, allowed| EuError::InvalidActor {
            index,
            name: a.name.clone(),
            field,
            value,
            allowed,
        };
        if !(a.capability.is_finite() && a.capability >= 0.0) {
            return Err(bad("capability", a.capability, "finite, >= 0"));
        }
        if !a.position.is_finite() {
            return Err(bad("position", a.position, "finite"));
        }
        if !(a.salience.is_finite() && (0.0..=1.0).contains(&a.salience)) {
            return Err(bad("salience", a.salience, "0..=1"));
        }
    }
    let lo = actors
        .iter()
        .map(|a| a.position)
        .fold(f64::INFINITY, f64::min);
    let hi = actors
        .iter()
        .map(|a| a.position)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(hi - lo).is_finite() {
        return Err(EuError::Overflow("the span of the positions"));
    }
    Ok(())
}

/// Per-round state and buffers.
struct Engine<'a> {
    actors: &'a [EuActor],
    mode: EuMode,
    algorithm: EuAlgorithm,
    delta: f64,
    lo: f64,
    hi: f64,
    n: usize,
    ws: Workspace,
    /// c_k s_k scaled by the largest (P is invariant to a common factor; no sum can overflow).
    weights: Vec<f64>,
    voters: Vec<EuVoter>,
    /// U_s and U_f per evaluator (row, input order) and distinct position (column, the
    /// workspace's groups), for the current exponents.
    us: Vec<f64>,
    uf: Vec<f64>,
    ln_lo: Vec<f64>,
    ln_hi: Vec<f64>,
    /// Per distinct position, for the evaluating actor: P U_s + (1 - P) U_f and eu_ji.
    a_c: Vec<f64>,
    e_c: Vec<f64>,
}

impl<'a> Engine<'a> {
    /// Computes P for the given positions and exponents (read with `self.ws.p`).
    fn probabilities(&mut self, x: &[f64], r: &[f64]) {
        self.voters.clear();
        for k in 0..self.n {
            self.voters.push(EuVoter {
                position: x[k],
                weight: self.weights[k],
                exponent: r[k],
            });
        }
        self.ws
            .fill(&self.voters, self.delta, self.mode, self.algorithm);
    }

    /// Fills `us`, `uf` for exponents `r`; needs the groups of [`Engine::probabilities`].
    fn utilities(&mut self, r: &[f64]) {
        let (n, q, go) = (self.n, &self.ws.q, &self.ws.group_of);
        let m = q.len();
        let non_unit = r.iter().any(|&e| e != 1.0);
        // Resized without clearing: every entry is written below.
        self.us.resize(n * m, 0.0);
        self.uf.resize(n * m, 0.0);
        if non_unit {
            // ln(0.5 -+ 0.5 g) once per pair of distinct positions.
            self.ln_lo.resize(m * m, 0.0);
            self.ln_hi.resize(m * m, 0.0);
            for c in 0..m {
                self.ln_lo[c * m + c] = 0.5f64.ln();
                self.ln_hi[c * m + c] = 0.5f64.ln();
                for d in (c + 1)..m {
                    let g = ((q[d] - q[c]) / self.delta).min(1.0);
                    let (bl, bh) = (0.5 - 0.5 * g, 0.5 + 0.5 * g);
                    let ll = if bl > 0.0 { bl.ln() } else { 0.0 };
                    let lh = bh.ln();
                    self.ln_lo[c * m + d] = ll;
                    self.ln_lo[d * m + c] = ll;
                    self.ln_hi[c * m + d] = lh;
                    self.ln_hi[d * m + c] = lh;
                }
            }
        }
        for e in 0..n {
            let (ce, re) = (go[e], r[e]);
            for c in 0..m {
                let g = ((q[c] - q[ce]).abs() / self.delta).min(1.0);
                let (bl, bh) = (0.5 - 0.5 * g, 0.5 + 0.5 * g);
                let (pl, ph) = if re == 1.0 {
                    (bl, bh)
                } else {
                    let pl = if bl > 0.0 {
                        (re * self.ln_lo[ce * m + c]).exp()
                    } else {
                        0.0
                    };
                    (pl, (re * self.ln_hi[ce * m + c]).exp())
                };
                self.us[e * m + c] = 2.0 - 4.0 * pl;
                self.uf[e * m + c] = 2.0 - 4.0 * ph;
            }
        }
    }

    /// Risk exponents for positions `x`.
    fn risk(&mut self, x: &[f64]) -> Vec<f64> {
        let n = self.n;
        let ones = vec![1.0; n];
        self.probabilities(x, &ones);
        // With every r = 1, EU^j(j -> i) depends on j only through x_j, so
        // S_i = sum over positions c != x_i of cnt_c [s_i (P(c, x_i) U_s + (1 - P) U_f)
        //       + (1 - s_i) U_s] = s_i A(x_i) + (1 - s_i) B(x_i), and U_sq = 0.
        let (q, m) = (&self.ws.q, self.ws.q.len());
        let cnt = self.ws.counts();
        let mut a_grp = vec![0.0; m];
        let mut b_grp = vec![0.0; m];
        for ci in 0..m {
            let (mut a, mut b) = (0.0, 0.0);
            for c in 0..m {
                if c == ci {
                    continue;
                }
                let g = ((q[c] - q[ci]).abs() / self.delta).min(1.0);
                let us = 2.0 - 4.0 * (0.5 - 0.5 * g);
                let uf = 2.0 - 4.0 * (0.5 + 0.5 * g);
                let p = self.ws.pd[c * m + ci];
                a += cnt[c] * (p * us + (1.0 - p) * uf);
                b += cnt[c] * us;
            }
            a_grp[ci] = a;
            b_grp[ci] = b;
        }
        let s: Vec<f64> = (0..n)
            .map(|i| {
                let (ci, si) = (self.ws.group_of[i], self.actors[i].salience);
                si * a_grp[ci] + (1.0 - si) * b_grp[ci]
            })
            .collect();
        let smax = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let smin = s.iter().copied().fold(f64::INFINITY, f64::min);
        let span = smax - smin;
        if !(span > 0.0 && span.is_finite()) {
            return ones;
        }
        s.iter()
            .map(|&si| {
                let big_r = ((2.0 * si - smax - smin) / span).clamp(-1.0, 1.0);
                (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
            })
            .collect()
    }

    /// Plays one round from positions `x`; returns (risk, moves, new positions).
    fn round(&mut self, x: &[f64]) -> (Vec<f64>, Vec<EuMove>, Vec<f64>) {
        let n = self.n;
        let r = self.risk(x);
        self.probabilities(x, &r);
        self.utilities(&r);
        let mut moves = Vec::new();
        let mut new_x = x.to_vec();
        for i in 0..n {
            let usq = 2.0 - 4.0 * rpow(0.5, r[i]);
            // Best offer of each kind: (partner, eu_ij, eu_ji, new position, key).
            type Best = Option<(usize, f64, f64, f64, f64)>;
            let (mut conf, mut comp, mut capi): (Best, Best, Best) = (None, None, None);
            let better = |best: &Best, key: f64| match best {
                None => true,
                Some(b) => key < b.4,
            };
            // Per distinct position c of a partner: eu_ji depends on c only (the target is i,
            // salience s_i), and eu_ij = s_j a_c + (1 - s_j) U_s(c) - U_sq.
            let (m, gi, si) = (
                self.ws.q.len(),
                self.ws.group_of[i],
                self.actors[i].salience,
            );
            let us_i = &self.us[i * m..(i + 1) * m];
            let uf_i = &self.uf[i * m..(i + 1) * m];
            self.a_c.clear();
            self.e_c.clear();
            for c in 0..m {
                let (us, uf) = (us_i[c], uf_i[c]);
                let p_ic = self.ws.pd[gi * m + c];
                let p_ci = self.ws.pd[c * m + gi];
                self.a_c.push(p_ic * us + (1.0 - p_ic) * uf);
                self.e_c
                    .push(si * (p_ci * us + (1.0 - p_ci) * uf) + (1.0 - si) * us - usq);
            }
            for j in 0..n {
                let c = self.ws.group_of[j];
                if c == gi {
                    continue;
                }
                let sj = self.actors[j].salience;
                let eu_ij = sj * self.a_c[c] + (1.0 - sj) * us_i[c] - usq;
                // EU^i(j -> i): target i, so the salience is s_i.
                let eu_ji = self.e_c[c];
                let dist = (x[j] - x[i]).abs();
                if eu_ji > eu_ij && eu_ij > 0.0 {
                    if better(&conf, dist) {
                        conf = Some((j, eu_ij, eu_ji, x[j], dist));
                    }
                } else if eu_ji > 0.0 && 0.0 > eu_ij {
                    if eu_ji > eu_ij.abs() {
                        let target = x[i] + (x[j] - x[i]) * (eu_ij / eu_ji).abs();
                        let key = match self.mode {
                            EuMode::ScholzReplication => {
                                (eu_ij.abs() * x[i] + eu_ji.abs() * x[j])
                                    / (eu_ij.abs() + eu_ji.abs())
                            }
                            EuMode::Corrected => (target - x[i]).abs(),
                        };
                        if better(&comp, key) {
                            comp = Some((j, eu_ij, eu_ji, target, key));
                        }
                    } else if self.mode == EuMode::Corrected && better(&capi, dist) {
                        capi = Some((j, eu_ij, eu_ji, x[j], dist));
                    }
                }
            }
            let chosen = conf
                .map(|b| (b, EuMoveKind::Confrontation))
                .or(comp.map(|b| (b, EuMoveKind::Compromise)))
                .or(capi.map(|b| (b, EuMoveKind::Capitulation)));
            if let Some(((j, eu_ij, eu_ji, target, _), kind)) = chosen {
                let target = target.clamp(self.lo, self.hi);
                new_x[i] = target;
                moves.push(EuMove {
                    actor: i,
                    partner: j,
                    kind,
                    eu_ij,
                    eu_ji,
                    old_position: x[i],
                    new_position: target,
                });
            }
        }
        (r, moves, new_x)
    }
}

/// Runs the expected-utility model on `actors` (see the module documentation for the rules).
///
/// # Errors
/// [`EuError::NoActors`] for an empty list; [`EuError::InvalidActor`] for a non-finite value, a
/// negative capability or a salience outside [0, 1]; [`EuError::Overflow`] if the positions'
/// span is not representable; [`EuError::TooManyRounds`] above [`MAX_ROUNDS`].
pub fn run(actors: &[EuActor], params: &EuParams) -> Result<EuRun, EuError> {
    run_with(actors, params, true)
}

/// [`run`]; without `history` the result has no round records (`rounds` is empty) and the
/// rounds' weighted means are not computed. The positions, the stopping rule and the forecast
/// are the same numbers: the rounds are played alike.
pub(crate) fn run_with(
    actors: &[EuActor],
    params: &EuParams,
    history: bool,
) -> Result<EuRun, EuError> {
    run_in(actors, params, history, &mut Scratch::default())
}

/// The buffers of a run, kept between runs (e.g. the issues of one scenario) so that each run
/// does not allocate them again. Their contents never carry over: every entry read is written
/// first in the run that reads it.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    ws: Workspace,
    voters: Vec<EuVoter>,
    us: Vec<f64>,
    uf: Vec<f64>,
    ln_lo: Vec<f64>,
    ln_hi: Vec<f64>,
    a_c: Vec<f64>,
    e_c: Vec<f64>,
}

/// [`run_with`] in the buffers of `scratch`.
pub(crate) fn run_in(
    actors: &[EuActor],
    params: &EuParams,
    history: bool,
    scratch: &mut Scratch,
) -> Result<EuRun, EuError> {
    validate(actors)?;
    if params.rounds > MAX_ROUNDS {
        return Err(EuError::TooManyRounds(params.rounds));
    }
    let n = actors.len();
    let x0: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let weights: Vec<f64> = actors.iter().map(|a| a.capability * a.salience).collect();
    let lo = x0.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x0.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let delta = hi - lo;
    let mut engine = Engine {
        actors,
        mode: params.mode,
        algorithm: params.algorithm,
        delta,
        lo,
        hi,
        n,
        ws: std::mem::take(&mut scratch.ws),
        weights: scaled_weights(&weights).unwrap_or_else(|| vec![0.0; n]),
        voters: std::mem::take(&mut scratch.voters),
        us: std::mem::take(&mut scratch.us),
        uf: std::mem::take(&mut scratch.uf),
        ln_lo: std::mem::take(&mut scratch.ln_lo),
        ln_hi: std::mem::take(&mut scratch.ln_hi),
        a_c: std::mem::take(&mut scratch.a_c),
        e_c: std::mem::take(&mut scratch.e_c),
    };
    let mut rounds = Vec::new();
    let mut x = x0.clone();
    let mut stop = EuStop::RoundLimit;
    for round in 1..=params.rounds {
        if delta <= 0.0 || x.iter().all(|&v| v == x[0]) {
            stop = EuStop::Consensus { round };
            break;
        }
        let (risk, moves, new_x) = engine.round(&x);
        let none = moves.is_empty();
        x = new_x;
        if history {
            rounds.push(EuRound {
                round,
                risk,
                moves,
                mean: weighted_mean(&x, &weights).0,
                positions: x.clone(),
            });
        }
        if none {
            stop = EuStop::NoMove { round };
            break;
        }
    }
    *scratch = Scratch {
        ws: engine.ws,
        voters: engine.voters,
        us: engine.us,
        uf: engine.uf,
        ln_lo: engine.ln_lo,
        ln_hi: engine.ln_hi,
        a_c: engine.a_c,
        e_c: engine.e_c,
    };
    let (mean, equal_weights) = weighted_mean(&x, &weights);
    let (median, _) = weighted_median(&x, &weights);
    Ok(EuRun {
        mode: params.mode,
        names: actors.iter().map(|a| a.name.clone()).collect(),
        initial_positions: x0,
        delta,
        rounds,
        stop,
        final_positions: x,
        forecast: EuForecast {
            mean,
            median,
            equal_weights,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    /// Runs in one reused scratch, without history, end where fresh runs with history end:
    /// buffers never carry a number from one run into the next.
    #[test]
    fn reused_buffers_and_no_history_give_the_same_runs() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(5);
        let mut scratch = Scratch::default();
        let mut rounds_played = 0;
        for case in 0..300 {
            let n = rng.gen_range(1..=14);
            let actors: Vec<EuActor> = (0..n)
                .map(|k| EuActor {
                    name: format!("a{k}"),
                    capability: rng.gen_range(0.0..10.0),
                    // a few shared positions, so that the distinct-position groups vary
                    position: if rng.gen_bool(0.3) {
                        50.0
                    } else {
                        rng.gen_range(0.0..100.0)
                    },
                    salience: rng.gen_range(0.0..=1.0),
                })
                .collect();
            for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
                let params = EuParams {
                    mode,
                    ..EuParams::default()
                };
                let full = run(&actors, &params).expect("runs");
                let lean = run_in(&actors, &params, false, &mut scratch).expect("runs");
                assert!(lean.rounds.is_empty());
                assert_eq!(lean.final_positions, full.final_positions, "case {case}");
                assert_eq!(lean.forecast, full.forecast, "case {case}");
                assert_eq!(lean.stop, full.stop, "case {case}");
                let again = run_in(&actors, &params, true, &mut scratch).expect("runs");
                assert_eq!(again, full, "case {case}");
                rounds_played += full.rounds.len();
            }
        }
        assert!(rounds_played > 1000, "{rounds_played} rounds");
    }
}
