//! The spatial model of politics (SMP) of KTAB, the KAPSARC Toolkit for Behavioral Analysis.
//!
//! A port of a default deterministic KTAB run (`smpc --csv`, parameters VictoryProbModel Linear,
//! VotingRule Prop, PCEModel Conditional, StateTransitions Deterministic, BigRRange Mid,
//! BigRAdjust OneThird, ThirdPartyCommit SemiCommit, InterVecBrgn S2P2, BargnModel
//! InitOnlyInterp, identity accommodation matrix). It reproduces KTAB's reference logs digit for
//! digit; every operation below is evaluated in the order written, because the reference runs
//! contain near-ties of about 2e-7 that a different summation order can flip.
//!
//! # Inputs
//! n actors, D dimensions. Actor i has power c_i > 0, position x_i in \[0,1\]^D and saliences
//! s_id in \[0,1\] with 0 < S_i = Σ_d s_id ≤ 1 (KTAB's CSV gives both on a 0-100 scale, divided by
//! 100, see [`read_ktab_csv`]). Ideal points equal positions (identity accommodation), so they are
//! not stored separately.
//!
//! # One turn (state t → state t+1), everything computed from state t
//! * Distance and utility: δ_i(y) = sqrt(Σ_d ((x_id − y_d) s_id)² / Σ_d s_id²),
//!   d_ij = δ_i(x_j); u(d, r) = (1−d)(1+d·r) if d ≤ 1, else (1−d)(1+r).
//! * PCE(w, M) over options a, b: coalitions start at 1e-8, C_ab += w_k(M_ka − M_kb) when positive
//!   (C_ba gets the negative part); P_ab = C_ab/(C_ab+C_ba), P_aa = 1/2; conditional PCE
//!   q_a = Π_b P_ab, p_a = q_a / Σ q.
//! * Risk: V_ij = u(d_ij, 0); p = PCE(c, V) over all n positions;
//!   R_i = (3p_i − (p_max + 2 p_min)) / (2(p_max − p_min)) ∈ [−1/2, 1];
//!   objective utility U_ij = u(d_ij, R_i); h's estimate of i's risk r^h_i = (2R_h + R_i)/3 and
//!   h's private matrix U^h_ij = u(d_ij, r^h_i).
//! * Challenge i→j seen by h for actor k (U = U^h, v_m = S_m c_m): a_i = v_i(U_ii − U_ij),
//!   a_j = v_j(U_ji − U_jj); base coalitions B_i, B_j (start 1e-10, positive resp. negative parts);
//!   each third party m with g = v_m(U_mi − U_mj) sees π = (B_i + g⁺)/((B_i + g⁺) + (B_j + g⁻)),
//!   commits z = v_m(X − Y) with X = π(2U_mi + U_mm) + (1−π)(3U_mj), Y = π(3U_mi) + (1−π)(2U_mj + U_mm)
//!   (SemiCommit); P = C_i/(C_i+C_j) and
//!   ΔEU_k = (1−S_j)·2U_ki + S_j·(P·2U_ki + (1−P)·2U_kj) − (U_ki + U_kj).
//! * Target: i picks the j with the largest ΔEU_i seen by i, if it exceeds 1e-5 (ties: lowest j).
//! * Bargain (S2P2 interpolation, p = i's P): ω_i = s_id² p², ω_j = s_jd² (1−p)²;
//!   bI_d = ρ(((ω_i+1e-6) x_id + ω_j x_jd)/(ω_i+1e-6+ω_j)),
//!   bR_d = ρ((ω_i x_id + (1e-6+ω_j) x_jd)/(ω_i+1e-6+ω_j)), ρ(y) = trunc(0.5 + 10⁴y)/10⁴.
//!   The bargain joins the queues of both i and j.
//! * Queue of k: status quo first, then its bargains by increasing initiator. Actor a values the
//!   status quo at Σ_x U^a_ax / n and a bargain (I, R, bI, bR) at
//!   (u(δ_a(bI), R_a) + u(δ_a(bR), R_a) + Σ_{x∉{I,R}} U^a_ax)/n; p = PCE(c, ·) over the queue and
//!   k takes the first most probable option (bI if k = I, bR if k = R, else it stays).
//! * Stopping: Δ(t) = Σ_i ‖x_i(t) − x_i(t−1)‖₂; after iteration N (creating state N) stop if
//!   N ≥ `max_turns` (100) or N ≥ `min_turns` (2) and Δ(N)/(Δ(1)+1e-4) < `stop_ratio` (0.02).
//!
//! # Outcome probabilities and forecast
//! For each state KTAB reports, per actor, the probability that its position wins: positions
//! closer than 1e-3 (Euclidean, \[0,1\] scale) are merged into one option (first actor in order is
//! the representative), M_ao = U^a_{a,rep(o)}, p = PCE(c, M); an actor reports the probability of
//! the last option within 1e-3 of it. KTAB's forecast is the final state: brink's
//! [`SmpRun::forecast`] is the position of the most probable option of the last state (ties: the
//! first), and [`SmpRun::expected_outcome`] the probability-weighted mean of the options.
//!
//! # Cost
//! One turn is O(n³ + n²D): every actor evaluates a challenge to every other actor, each
//! summing over all third parties, and every actor values every bargain. Work shared within a
//! turn is done once: a challenge's coalitions serve all three gains computed from them, each
//! actor's estimate U^h is made once (kept for the turn up to 64 actors), and the actors' own
//! utilities U^a_ax once for the status quo and every bargain. The registry model
//! ([`Smp`]) skips the record of every intermediate state unless explanations are asked for.
//!
//! # Example
//! ```
//! use brink_bargain::smp::{read_ktab_csv, run, SmpParams};
//! let csv = "Demo,three actors,3,1\nActor,Desc,Power,Pos,Sal\nA,,100,20,50\nB,,60,80,50\nC,,40,50,30\n";
//! let scen = read_ktab_csv(csv)?;
//! let r = run(&scen.actors, scen.dimension_names.len(), &SmpParams::default())?;
//! assert_eq!(r.n_states, r.turns.len() + 1);
//! println!("forecast on the 0-100 scale: {:.2}", 100.0 * r.forecast[0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Departures
//! * When every actor holds the same position, p_max = p_min and KTAB divides by zero in the
//!   risk inference; here every R_i is then 0 (risk neutral).
//! * Power must be strictly positive (KTAB accepts 0).
//! * KTAB fills the bargain queues from threads; the order used here (status quo, then by
//!   initiator) only matters for exact ties.
//! * Only the default parameter set above is implemented.
//!
//! # References
//! * KAPSARC Toolkit for Behavioral Analysis (KTAB), open-source C++ by KAPSARC: the SMP
//!   library (`src/smp`), the `smpc` driver and its reference runs
//!   `examples/smp/doc/20170530_ref-SOE-Pol-Comp.txt` and `20170530_ref-dummyData_3Dim.txt`
//!   (copied under `tests/data/ktab/`), which this module reproduces line by line.

mod adapter;
mod ktab_csv;
pub use adapter::Smp;

pub use ktab_csv::{read_ktab_csv, KtabCsv, SmpCsvError};

use serde::Serialize;
use thiserror::Error;

/// Smallest expected gain for which an actor challenges a target.
pub const MIN_CHALLENGE_GAIN: f64 = 1e-5;
/// Positions closer than this (Euclidean, \[0,1\] scale) are one outcome option.
pub const EQUIVALENCE_TOLERANCE: f64 = 1e-3;
/// Initial strength of each side of a PCE coalition.
const PCE_SEED: f64 = 1e-8;
/// Initial strength of each side of a challenge coalition.
const CHALLENGE_SEED: f64 = 1e-10;
/// Weight added to the proposer's own side in S2P2 interpolation.
const BARGAIN_EPS: f64 = 1e-6;
/// Added to the first step's move to form the denominator of the stopping ratio.
const FIRST_STEP_PAD: f64 = 1e-4;

/// One actor of an SMP run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpActor {
    /// Display name.
    pub name: String,
    /// Power (KTAB "capability"), strictly positive, used as read.
    pub power: f64,
    /// Position on each dimension, in [0, 1].
    pub positions: Vec<f64>,
    /// Salience of each dimension, in [0, 1], summing to at most 1 and to more than 0.
    pub saliences: Vec<f64>,
}

/// Parameters of a run; [`SmpParams::default`] gives KTAB's defaults.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct SmpParams {
    /// Largest number of turns (KTAB: 100).
    pub max_turns: usize,
    /// Fewest turns before the stopping ratio is consulted (KTAB: 2).
    pub min_turns: usize,
    /// Stop when Δ(N)/(Δ(1)+1e-4) falls below this (KTAB: 0.02).
    pub stop_ratio: f64,
}

impl Default for SmpParams {
    fn default() -> Self {
        SmpParams {
            max_turns: 100,
            min_turns: 2,
            stop_ratio: 0.02,
        }
    }
}

/// Why an SMP input or parameter set was rejected.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum SmpError {
    /// The actor list is empty.
    #[error("SMP needs at least one actor")]
    NoActors,
    /// The number of dimensions is zero.
    #[error("SMP needs at least one dimension")]
    NoDimensions,
    /// An actor's position or salience vector has the wrong length.
    #[error("actor {actor} ({name}): {field} has {found} entries, expected {expected}")]
    WrongLength {
        /// Actor index.
        actor: usize,
        /// Actor name.
        name: String,
        /// `positions` or `saliences`.
        field: &'static str,
        /// Entries found.
        found: usize,
        /// Entries expected (the number of dimensions).
        expected: usize,
    },
    /// A number is NaN or infinite, or outside its range.
    #[error("actor {actor} ({name}): {field} = {value} is out of range ({range})")]
    OutOfRange {
        /// Actor index.
        actor: usize,
        /// Actor name.
        name: String,
        /// Which number, e.g. `power` or `positions[1]`.
        field: String,
        /// The offending value.
        value: f64,
        /// The allowed range.
        range: &'static str,
    },
    /// A parameter is invalid.
    #[error("invalid SMP parameter: {0}")]
    BadParameter(&'static str),
}

/// An option in an actor's bargain queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SmpQueueOption {
    /// Keep the current position.
    StatusQuo,
    /// The bargain of challenge `challenge` (an index into [`SmpTurn::challenges`]).
    Bargain {
        /// Index into the turn's challenges.
        challenge: usize,
        /// The challenger.
        initiator: usize,
        /// The challenged actor.
        receiver: usize,
    },
}

/// One actor's estimate of a challenge (KTAB's `Est by` lines).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SmpEstimate {
    /// Estimated probability that the initiator prevails.
    pub prob: f64,
    /// Expected gain to the initiator.
    pub gain_initiator: f64,
    /// Expected gain to the receiver.
    pub gain_receiver: f64,
}

/// A challenge made in one turn, and the bargain it produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpChallenge {
    /// The challenger.
    pub initiator: usize,
    /// The target (receiver).
    pub receiver: usize,
    /// The initiator's estimate; its `prob` sets the bargain and its `gain_initiator` chose the
    /// target.
    pub initiator_view: SmpEstimate,
    /// The receiver's estimate of the same challenge (reported only).
    pub receiver_view: SmpEstimate,
    /// The position the bargain offers the initiator, \[0,1\] scale, multiples of 1e-4.
    pub initiator_proposal: Vec<f64>,
    /// The position the bargain offers the receiver.
    pub receiver_proposal: Vec<f64>,
}

/// How one actor's queue was resolved in one turn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpResolution {
    /// The actor whose queue this is.
    pub actor: usize,
    /// Its options: the status quo first, then bargains by increasing initiator.
    pub options: Vec<SmpQueueOption>,
    /// PCE probability of each option.
    pub probs: Vec<f64>,
    /// Index of the chosen option.
    pub chosen: usize,
    /// The initiator of the adopted bargain (`None` when the actor kept its position).
    pub adopted_from: Option<usize>,
}

/// Everything that happened in one turn (the bargaining on state `turn`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpTurn {
    /// The state bargained on; the turn creates state `turn + 1`.
    pub turn: usize,
    /// The challenges, by increasing initiator.
    pub challenges: Vec<SmpChallenge>,
    /// Actors that found no advantageous target.
    pub no_target: Vec<usize>,
    /// Each actor's queue resolution, by actor.
    pub resolutions: Vec<SmpResolution>,
    /// Δ = Σ_i ‖x_i(turn+1) − x_i(turn)‖₂.
    pub distance: f64,
    /// Δ / (Δ of the first turn + 1e-4), the stopping ratio.
    pub change_ratio: f64,
}

/// A distinct outcome option of a state (positions within 1e-3 merged).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpOutcomeOption {
    /// The representative actor, whose position the option is.
    pub representative: usize,
    /// Probability that this option prevails.
    pub prob: f64,
}

/// One state of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpStateRecord {
    /// Each actor's position, \[0,1\] scale.
    pub positions: Vec<Vec<f64>>,
    /// Inferred risk attitudes R_i ∈ [−0.5, 1].
    pub risk: Vec<f64>,
    /// The distinct options and their probabilities.
    pub options: Vec<SmpOutcomeOption>,
    /// Each actor's reported winning probability (KTAB's `prob :` lines).
    pub outcome_prob: Vec<f64>,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SmpStop {
    /// The stopping ratio fell below `stop_ratio`.
    Converged,
    /// `max_turns` turns were made.
    MaxTurns,
}

impl SmpStop {
    /// Why the run stopped, in words.
    pub fn in_words(&self) -> &'static str {
        match self {
            SmpStop::Converged => "positions stopped moving",
            SmpStop::MaxTurns => "the turn limit was reached",
        }
    }
}

/// The result of [`run`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SmpRun {
    /// Number of states (turns + 1).
    pub n_states: usize,
    /// States 0..n_states.
    pub states: Vec<SmpStateRecord>,
    /// Turns 0..n_states-1; turn t creates state t+1.
    pub turns: Vec<SmpTurn>,
    /// Positions of the last state, \[0,1\] scale.
    pub final_positions: Vec<Vec<f64>>,
    /// Forecast per dimension: the most probable option of the last state, \[0,1\] scale.
    pub forecast: Vec<f64>,
    /// Probability-weighted mean of the last state's options, per dimension.
    pub expected_outcome: Vec<f64>,
    /// Δ(1) + 1e-4, KTAB's `sDist [0, 1]`.
    pub first_step_distance: f64,
    /// Why the run stopped.
    pub stop: SmpStop,
}

/// The result of a PCE (probabilistic Condorcet election).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pce {
    /// Number of options m.
    pub n_options: usize,
    /// Coalition strengths, m×m row-major: entry (a, b) is the support of a over b (diagonal 0).
    pub coalitions: Vec<f64>,
    /// Pairwise victory probabilities, m×m row-major (diagonal 1/2).
    pub pairwise: Vec<f64>,
    /// Probability of each option.
    pub probs: Vec<f64>,
}

/// Runs a PCE: `weights` has n entries, `utils` is n×m row-major (actor k's utility for option a
/// at `k*m + a`). Linear victory probabilities, proportional voting, conditional PCE.
///
/// Errors if `m` is 0, `utils` does not have n·m entries, or a number is not finite.
pub fn pce(weights: &[f64], utils: &[f64], m: usize) -> Result<Pce, SmpError> {
    if m == 0 || utils.len() != weights.len() * m {
        return Err(SmpError::BadParameter(
            "PCE needs at least one option and weights.len() × m utilities",
        ));
    }
    if !weights.iter().chain(utils).all(|x| x.is_finite()) {
        return Err(SmpError::BadParameter(
            "PCE weights and utilities must be finite",
        ));
    }
    Ok(pce_unchecked(weights, utils, m))
}

fn pce_unchecked(weights: &[f64], utils: &[f64], m: usize) -> Pce {
    let mut coalitions = vec![0.0; m * m];
    let mut pairwise = Vec::new();
    let probs = pce_probs(weights, utils, m, &mut pairwise, |a, b, cab, cba| {
        coalitions[a * m + b] = cab;
        coalitions[b * m + a] = cba;
    });
    Pce {
        n_options: m,
        coalitions,
        pairwise,
        probs,
    }
}

/// The PCE's option probabilities (see [`pce`]), with the pairwise matrix left in `pairwise`
/// (a buffer reused across calls) and each pair's coalitions (a, b, C_ab, C_ba) passed to
/// `coalition`. Every PCE of the model goes through here, so the numbers are the same whether
/// or not the coalitions are kept.
fn pce_probs(
    weights: &[f64],
    utils: &[f64],
    m: usize,
    pairwise: &mut Vec<f64>,
    mut coalition: impl FnMut(usize, usize, f64, f64),
) -> Vec<f64> {
    let n = weights.len();
    pairwise.clear();
    pairwise.resize(m * m, 0.5);
    for a in 0..m {
        for b in 0..a {
            let mut cab = PCE_SEED;
            let mut cba = PCE_SEED;
            for k in 0..n {
                let v = weights[k] * (utils[k * m + a] - utils[k * m + b]);
                if v > 0.0 {
                    cab += v;
                }
                if v < 0.0 {
                    cba -= v;
                }
            }
            coalition(a, b, cab, cba);
            let total = cab + cba;
            pairwise[a * m + b] = cab / total;
            pairwise[b * m + a] = cba / total;
        }
    }
    let mut q = Vec::with_capacity(m);
    for a in 0..m {
        let mut prod = 1.0;
        for b in 0..m {
            prod *= pairwise[a * m + b];
        }
        q.push(prod);
    }
    let mut total = 0.0;
    for &qa in &q {
        total += qa;
    }
    for qa in q.iter_mut() {
        *qa /= total;
    }
    q
}

/// KTAB's utility of distance `d` for risk attitude `r`.
pub fn utility_of_distance(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// Salience-weighted distance from `ideal` to `y`, normalised by the saliences' norm.
fn weighted_distance(ideal: &[f64], saliences: &[f64], y: &[f64]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for ((&x, &s), &yd) in ideal.iter().zip(saliences).zip(y) {
        let t = (x - yd) * s;
        num += t * t;
        den += s * s;
    }
    (num / den).sqrt()
}

/// KTAB's rounding of bargain coordinates: half-up to four decimals on \[0,1\].
fn round4(y: f64) -> f64 {
    (0.5 + 10000.0 * y).trunc() / 10000.0
}

/// S2P2 interpolation: the bargain (initiator's position, receiver's position) that initiator
/// `i` (saliences `si`, position `xi`) offers receiver `j`, when `p` is the initiator's chance of
/// winning. KTAB also prints this with `p` set to the receiver's estimated gain.
///
/// Errors if the four slices differ in length or a number is not finite.
pub fn s2p2_bargain(
    si: &[f64],
    xi: &[f64],
    sj: &[f64],
    xj: &[f64],
    p: f64,
) -> Result<(Vec<f64>, Vec<f64>), SmpError> {
    let dims = xi.len();
    if si.len() != dims || sj.len() != dims || xj.len() != dims {
        return Err(SmpError::BadParameter(
            "S2P2 needs saliences and positions of equal length",
        ));
    }
    if !si
        .iter()
        .chain(xi)
        .chain(sj)
        .chain(xj)
        .all(|x| x.is_finite())
        || !p.is_finite()
    {
        return Err(SmpError::BadParameter("S2P2 inputs must be finite"));
    }
    Ok(s2p2_unchecked(si, xi, sj, xj, p))
}

fn s2p2_unchecked(si: &[f64], xi: &[f64], sj: &[f64], xj: &[f64], p: f64) -> (Vec<f64>, Vec<f64>) {
    let dims = xi.len();
    let mut bi = Vec::with_capacity(dims);
    let mut br = Vec::with_capacity(dims);
    let q = 1.0 - p;
    for d in 0..dims {
        let wi = (si[d] * si[d]) * (p * p);
        let wj = (sj[d] * sj[d]) * (q * q);
        let den = wi + BARGAIN_EPS + wj;
        bi.push(round4(((wi + BARGAIN_EPS) * xi[d] + wj * xj[d]) / den));
        br.push(round4((wi * xi[d] + (BARGAIN_EPS + wj) * xj[d]) / den));
    }
    (bi, br)
}

/// One state of the model: positions and everything derived from them (distances, risk
/// attitudes, utilities). Built by [`SmpState::new`]; used by [`run`] and open for inspection.
/// Methods taking actor indices panic when an index is not below [`SmpState::n_actors`], as
/// slice indexing does.
#[derive(Debug, Clone, PartialEq)]
pub struct SmpState {
    n: usize,
    positions: Vec<Vec<f64>>,
    saliences: Vec<Vec<f64>>,
    power: Vec<f64>,
    total_salience: Vec<f64>,
    challenge_weight: Vec<f64>,
    dist: Vec<f64>,
    value: Vec<f64>,
    risk: Vec<f64>,
    utility: Vec<f64>,
}

impl SmpState {
    /// Builds the state in which actor i holds `positions[i]` (its ideal point too), with the
    /// actors' powers and saliences. Validates like [`run`].
    pub fn new(actors: &[SmpActor], positions: &[Vec<f64>]) -> Result<SmpState, SmpError> {
        let dims = actors.first().map_or(0, |a| a.positions.len());
        validate(actors, dims)?;
        if positions.len() != actors.len() {
            return Err(SmpError::BadParameter(
                "one position vector per actor is needed",
            ));
        }
        for (i, (a, p)) in actors.iter().zip(positions).enumerate() {
            if p.len() != dims {
                return Err(SmpError::WrongLength {
                    actor: i,
                    name: a.name.clone(),
                    field: "positions",
                    found: p.len(),
                    expected: dims,
                });
            }
            check_unit_vector(i, &a.name, "positions", p)?;
        }
        Ok(Self::build(actors, positions.to_vec()))
    }

    fn build(actors: &[SmpActor], positions: Vec<Vec<f64>>) -> SmpState {
        let n = actors.len();
        let saliences: Vec<Vec<f64>> = actors.iter().map(|a| a.saliences.clone()).collect();
        let power: Vec<f64> = actors.iter().map(|a| a.power).collect();
        let total_salience: Vec<f64> = saliences
            .iter()
            .map(|s| {
                let mut t = 0.0;
                for &v in s {
                    t += v;
                }
                t
            })
            .collect();
        let challenge_weight = total_salience
            .iter()
            .zip(&power)
            .map(|(s, c)| s * c)
            .collect();
        let mut dist = vec![0.0; n * n];
        let mut value = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let d = weighted_distance(&positions[i], &saliences[i], &positions[j]);
                dist[i * n + j] = d;
                value[i * n + j] = utility_of_distance(d, 0.0);
            }
        }
        let p = pce_probs(&power, &value, n, &mut Vec::new(), |_, _, _, _| {});
        let mut pmax = p[0];
        let mut pmin = p[0];
        for &pi in &p {
            pmax = pmax.max(pi);
            pmin = pmin.min(pi);
        }
        let risk: Vec<f64> = if pmax > pmin {
            p.iter()
                .map(|&pi| (3.0 * pi - (pmax + 2.0 * pmin)) / (2.0 * (pmax - pmin)))
                .collect()
        } else {
            vec![0.0; n]
        };
        let mut utility = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                utility[i * n + j] = utility_of_distance(dist[i * n + j], risk[i]);
            }
        }
        SmpState {
            n,
            positions,
            saliences,
            power,
            total_salience,
            challenge_weight,
            dist,
            value,
            risk,
            utility,
        }
    }

    /// Number of actors.
    pub fn n_actors(&self) -> usize {
        self.n
    }

    /// Each actor's position.
    pub fn positions(&self) -> &[Vec<f64>] {
        &self.positions
    }

    /// d_ij: distance from i's ideal point to j's position.
    pub fn distance(&self, i: usize, j: usize) -> f64 {
        self.dist[i * self.n + j]
    }

    /// V_ij = u(d_ij, 0), KTAB's "raw actor-pos value matrix (risk neutral)".
    pub fn risk_neutral_value(&self, i: usize, j: usize) -> f64 {
        self.value[i * self.n + j]
    }

    /// Inferred risk attitudes R_i.
    pub fn risk(&self) -> &[f64] {
        &self.risk
    }

    /// U_ij = u(d_ij, R_i), the objective risk-aware utility.
    pub fn utility(&self, i: usize, j: usize) -> f64 {
        self.utility[i * self.n + j]
    }

    /// r^h_i = (2R_h + R_i)/3, h's estimate of i's risk attitude.
    pub fn estimated_risk(&self, h: usize, i: usize) -> f64 {
        ((2.0 * self.risk[h]) + self.risk[i]) / 3.0
    }

    /// U^h, h's estimate of the risk-aware utility matrix, n×n row-major.
    pub fn estimated_utility(&self, h: usize) -> Vec<f64> {
        let mut u = Vec::new();
        self.estimated_utility_into(h, &mut u);
        u
    }

    /// [`SmpState::estimated_utility`] into a buffer reused across calls.
    fn estimated_utility_into(&self, h: usize, u: &mut Vec<f64>) {
        let n = self.n;
        u.clear();
        for i in 0..n {
            let r = self.estimated_risk(h, i);
            for j in 0..n {
                u.push(utility_of_distance(self.dist[i * n + j], r));
            }
        }
    }

    /// U^a_ax for every a and x (each actor's own estimate of its utility of each position),
    /// n×n row-major: the terms of [`SmpState::status_quo_value`] and
    /// [`SmpState::bargain_value`], computed once per turn.
    fn own_utilities(&self) -> Vec<f64> {
        let n = self.n;
        let mut u = Vec::with_capacity(n * n);
        for a in 0..n {
            let r = self.estimated_risk(a, a);
            for x in 0..n {
                u.push(utility_of_distance(self.dist[a * n + x], r));
            }
        }
        u
    }

    /// E_h(k; i→j): h's estimate of the probability that i beats j, and of the expected gain to
    /// k of that challenge. Returns `(prob, gain)`.
    pub fn challenge(&self, h: usize, k: usize, i: usize, j: usize) -> (f64, f64) {
        self.challenge_with(&self.estimated_utility(h), k, i, j)
    }

    fn challenge_with(&self, u: &[f64], k: usize, i: usize, j: usize) -> (f64, f64) {
        let (p, pp) = self.challenge_odds(u, i, j);
        (p, self.challenge_gain(u, k, i, j, p, pp))
    }

    /// The coalitions of the challenge i→j under utilities `u`: (P, 1 − P) as C_i/(C_i+C_j)
    /// and C_j/(C_i+C_j). They do not depend on whose gain is estimated, so one computation
    /// serves every k.
    fn challenge_odds(&self, u: &[f64], i: usize, j: usize) -> (f64, f64) {
        let n = self.n;
        let v = &self.challenge_weight;
        let ai = v[i] * (u[i * n + i] - u[i * n + j]);
        let aj = v[j] * (u[j * n + i] - u[j * n + j]);
        let mut bi = CHALLENGE_SEED;
        if ai > 0.0 {
            bi += ai;
        }
        if aj > 0.0 {
            bi += aj;
        }
        let mut bj = CHALLENGE_SEED;
        if ai < 0.0 {
            bj -= ai;
        }
        if aj < 0.0 {
            bj -= aj;
        }
        let mut ci = bi;
        let mut cj = bj;
        for (m, (row, &vm)) in u.chunks_exact(n).zip(v).enumerate() {
            if m == i || m == j {
                continue;
            }
            let umi = row[i];
            let umj = row[j];
            let umm = row[m];
            let g = vm * (umi - umj);
            // Branch-free form of "add g to B_i if g > 0, subtract it from B_j if g < 0":
            // adding or subtracting a zero leaves these positive sums bit for bit unchanged.
            let si = bi + g.max(0.0);
            let sj = bj - g.min(0.0);
            let pi = si / (si + sj);
            let pj = 1.0 - pi;
            let x = pi * (umi + umi + umm) + pj * (umj + umj + umj);
            let y = pi * (umi + umi + umi) + pj * (umj + umj + umm);
            let z = vm * (x - y);
            ci += z.max(0.0);
            cj -= z.min(0.0);
        }
        let p = ci / (ci + cj);
        let pp = cj / (ci + cj);
        (p, pp)
    }

    /// ΔEU_k of the challenge i→j whose odds are (p, pp) ([`SmpState::challenge_odds`]).
    fn challenge_gain(&self, u: &[f64], k: usize, i: usize, j: usize, p: f64, pp: f64) -> f64 {
        let n = self.n;
        let uki = u[k * n + i];
        let ukj = u[k * n + j];
        let eu_sq = uki + ukj;
        let win = uki + uki;
        let lose = ukj + ukj;
        let sj_tot = self.total_salience[j];
        ((1.0 - sj_tot) * win + sj_tot * (p * win + pp * lose)) - eu_sq
    }

    /// Actor a's value of the status quo in a bargain queue: Σ_x U^a_ax / n.
    pub fn status_quo_value(&self, a: usize) -> f64 {
        let n = self.n;
        let r = self.estimated_risk(a, a);
        let row: Vec<f64> = (0..n)
            .map(|x| utility_of_distance(self.dist[a * n + x], r))
            .collect();
        status_quo_value_of(&row)
    }

    /// Actor a's value of the bargain in which `initiator` moves to `bi` and `receiver` to `br`:
    /// (u(δ_a(bI), R_a) + u(δ_a(bR), R_a) + Σ_{x∉{I,R}} U^a_ax)/n.
    pub fn bargain_value(
        &self,
        a: usize,
        initiator: usize,
        receiver: usize,
        bi: &[f64],
        br: &[f64],
    ) -> f64 {
        let n = self.n;
        let r = self.estimated_risk(a, a);
        let row: Vec<f64> = (0..n)
            .map(|x| utility_of_distance(self.dist[a * n + x], r))
            .collect();
        self.bargain_value_of(a, initiator, receiver, bi, br, &row)
    }

    /// [`SmpState::bargain_value`] with actor a's row of [`SmpState::own_utilities`] given.
    fn bargain_value_of(
        &self,
        a: usize,
        initiator: usize,
        receiver: usize,
        bi: &[f64],
        br: &[f64],
        own_row: &[f64],
    ) -> f64 {
        let n = self.n;
        let ideal = &self.positions[a];
        let sal = &self.saliences[a];
        let ra = self.risk[a];
        let mut s = utility_of_distance(weighted_distance(ideal, sal, bi), ra)
            + utility_of_distance(weighted_distance(ideal, sal, br), ra);
        for (x, &u) in own_row.iter().enumerate() {
            if x != initiator && x != receiver {
                s += u;
            }
        }
        s / n as f64
    }

    /// The distinct outcome options of this state (representative actors, positions within
    /// 1e-3 merged), their probabilities, and each actor's reported winning probability.
    pub fn outcome_probabilities(&self) -> (Vec<SmpOutcomeOption>, Vec<f64>) {
        let n = self.n;
        let mut reps: Vec<usize> = Vec::new();
        for i in 0..n {
            if !reps
                .iter()
                .any(|&r| euclid(&self.positions[i], &self.positions[r]) < EQUIVALENCE_TOLERANCE)
            {
                reps.push(i);
            }
        }
        let m = reps.len();
        let mut util = vec![0.0; n * m];
        for a in 0..n {
            let r = self.estimated_risk(a, a);
            for (o, &rep) in reps.iter().enumerate() {
                util[a * m + o] = utility_of_distance(self.dist[a * n + rep], r);
            }
        }
        let probs = pce_probs(&self.power, &util, m, &mut Vec::new(), |_, _, _, _| {});
        let actor_prob = (0..n)
            .map(|i| {
                let mut p = 0.0;
                for (o, &rep) in reps.iter().enumerate() {
                    if euclid(&self.positions[i], &self.positions[rep]) < EQUIVALENCE_TOLERANCE {
                        p = probs[o];
                    }
                }
                p
            })
            .collect();
        let options = reps
            .iter()
            .zip(&probs)
            .map(|(&representative, &prob)| SmpOutcomeOption {
                representative,
                prob,
            })
            .collect();
        (options, actor_prob)
    }

    fn record(&self) -> SmpStateRecord {
        let (options, outcome_prob) = self.outcome_probabilities();
        SmpStateRecord {
            positions: self.positions.clone(),
            risk: self.risk.clone(),
            options,
            outcome_prob,
        }
    }

    /// Makes one turn on this state (numbered `turn`): challenges, bargains, queue resolution.
    /// Returns every actor's new position and the turn's record, whose `change_ratio` is left
    /// NaN (it needs the first turn's move; [`run`] fills it in).
    pub fn bargain_turn(&self, turn: usize) -> (Vec<Vec<f64>>, SmpTurn) {
        self.bargain_turn_with(turn, self.n <= 64)
    }

    /// [`SmpState::bargain_turn`], keeping every actor's utility estimate for the turn
    /// (`keep_all`) or making the challenged actor's again when needed: the same numbers.
    fn bargain_turn_with(&self, turn: usize, keep_all: bool) -> (Vec<Vec<f64>>, SmpTurn) {
        let n = self.n;
        let mut challenges: Vec<SmpChallenge> = Vec::with_capacity(n);
        let mut no_target = Vec::new();
        // every actor's estimate U^h, kept for the turn when small enough (the challenged
        // actor's is needed again), else made again when needed
        let mut all = Vec::new();
        if keep_all {
            all.reserve(n * n * n);
            let mut u = Vec::with_capacity(n * n);
            for h in 0..n {
                self.estimated_utility_into(h, &mut u);
                all.extend_from_slice(&u);
            }
        }
        let mut ui_buf = Vec::with_capacity(n * n);
        let mut uj_buf = Vec::with_capacity(n * n);
        for i in 0..n {
            let ui: &[f64] = if keep_all {
                &all[i * n * n..(i + 1) * n * n]
            } else {
                self.estimated_utility_into(i, &mut ui_buf);
                &ui_buf
            };
            let mut best = -1.0;
            let mut target: Option<(usize, f64, f64)> = None;
            for j in 0..n {
                if j == i {
                    continue;
                }
                let (p, pp) = self.challenge_odds(ui, i, j);
                let g = self.challenge_gain(ui, i, i, j, p, pp);
                if g > MIN_CHALLENGE_GAIN && g > best {
                    best = g;
                    target = Some((j, p, pp));
                }
            }
            let Some((j, p, pp)) = target else {
                no_target.push(i);
                continue;
            };
            let uj: &[f64] = if keep_all {
                &all[j * n * n..(j + 1) * n * n]
            } else {
                self.estimated_utility_into(j, &mut uj_buf);
                &uj_buf
            };
            // each view: the odds once, then the gains of both sides (the initiator's own view
            // of its target was computed in the search)
            let initiator_view = SmpEstimate {
                prob: p,
                gain_initiator: best,
                gain_receiver: self.challenge_gain(ui, j, i, j, p, pp),
            };
            let (qp, qpp) = self.challenge_odds(uj, i, j);
            let receiver_view = SmpEstimate {
                prob: qp,
                gain_initiator: self.challenge_gain(uj, i, i, j, qp, qpp),
                gain_receiver: self.challenge_gain(uj, j, i, j, qp, qpp),
            };
            let (bi, br) = s2p2_unchecked(
                &self.saliences[i],
                &self.positions[i],
                &self.saliences[j],
                &self.positions[j],
                p,
            );
            challenges.push(SmpChallenge {
                initiator: i,
                receiver: j,
                initiator_view,
                receiver_view,
                initiator_proposal: bi,
                receiver_proposal: br,
            });
        }
        // Queues: status quo, then bargains by increasing initiator.
        let mut len = vec![1usize; n];
        for ch in &challenges {
            len[ch.initiator] += 1;
            len[ch.receiver] += 1;
        }
        let mut queues: Vec<Vec<SmpQueueOption>> = len
            .iter()
            .map(|&l| {
                let mut q = Vec::with_capacity(l);
                q.push(SmpQueueOption::StatusQuo);
                q
            })
            .collect();
        for (c, ch) in challenges.iter().enumerate() {
            let opt = SmpQueueOption::Bargain {
                challenge: c,
                initiator: ch.initiator,
                receiver: ch.receiver,
            };
            queues[ch.initiator].push(opt);
            queues[ch.receiver].push(opt);
        }
        let own = self.own_utilities();
        let sq: Vec<f64> = (0..n)
            .map(|a| status_quo_value_of(&own[a * n..(a + 1) * n]))
            .collect();
        // bargain_values[c * n + a]: actor a's value of challenge c's bargain
        let mut bargain_values = Vec::with_capacity(challenges.len() * n);
        for ch in &challenges {
            for a in 0..n {
                bargain_values.push(self.bargain_value_of(
                    a,
                    ch.initiator,
                    ch.receiver,
                    &ch.initiator_proposal,
                    &ch.receiver_proposal,
                    &own[a * n..(a + 1) * n],
                ));
            }
        }
        let mut new_positions = self.positions.clone();
        let mut resolutions = Vec::with_capacity(n);
        let mut util = Vec::new();
        let mut pairwise = Vec::new();
        for (k, options) in queues.into_iter().enumerate() {
            let m = options.len();
            util.clear();
            for a in 0..n {
                for opt in &options {
                    util.push(match opt {
                        SmpQueueOption::StatusQuo => sq[a],
                        SmpQueueOption::Bargain { challenge, .. } => {
                            bargain_values[*challenge * n + a]
                        }
                    });
                }
            }
            let probs = pce_probs(&self.power, &util, m, &mut pairwise, |_, _, _, _| {});
            let chosen = first_argmax(&probs);
            let adopted_from = match options[chosen] {
                SmpQueueOption::StatusQuo => None,
                SmpQueueOption::Bargain {
                    challenge,
                    initiator,
                    ..
                } => {
                    let ch = &challenges[challenge];
                    new_positions[k] = if k == ch.initiator {
                        ch.initiator_proposal.clone()
                    } else {
                        ch.receiver_proposal.clone()
                    };
                    Some(initiator)
                }
            };
            resolutions.push(SmpResolution {
                actor: k,
                options,
                probs,
                chosen,
                adopted_from,
            });
        }
        let mut distance = 0.0;
        for (new, old) in new_positions.iter().zip(&self.positions) {
            distance += euclid(new, old);
        }
        (
            new_positions,
            SmpTurn {
                turn,
                challenges,
                no_target,
                resolutions,
                distance,
                change_ratio: f64::NAN,
            },
        )
    }
}

/// Σ_x U^a_ax / n from actor a's row of own utilities, summed in order.
fn status_quo_value_of(row: &[f64]) -> f64 {
    let mut s = 0.0;
    for &u in row {
        s += u;
    }
    s / row.len() as f64
}

fn euclid(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        let d = x - y;
        s += d * d;
    }
    s.sqrt()
}

/// Index of the first entry strictly larger than every earlier one, i.e. the first maximum.
fn first_argmax(p: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in p.iter().enumerate() {
        if v > p[best] {
            best = i;
        }
    }
    best
}

fn check_unit_vector(actor: usize, name: &str, field: &str, v: &[f64]) -> Result<(), SmpError> {
    for (d, &x) in v.iter().enumerate() {
        if !(0.0..=1.0).contains(&x) {
            return Err(SmpError::OutOfRange {
                actor,
                name: name.to_string(),
                field: format!("{field}[{d}]"),
                value: x,
                range: "[0, 1]",
            });
        }
    }
    Ok(())
}

fn validate(actors: &[SmpActor], dims: usize) -> Result<(), SmpError> {
    if actors.is_empty() {
        return Err(SmpError::NoActors);
    }
    if dims == 0 {
        return Err(SmpError::NoDimensions);
    }
    for (i, a) in actors.iter().enumerate() {
        for (field, v) in [("positions", &a.positions), ("saliences", &a.saliences)] {
            if v.len() != dims {
                return Err(SmpError::WrongLength {
                    actor: i,
                    name: a.name.clone(),
                    field,
                    found: v.len(),
                    expected: dims,
                });
            }
        }
        if !(a.power > 0.0 && a.power.is_finite()) {
            return Err(SmpError::OutOfRange {
                actor: i,
                name: a.name.clone(),
                field: "power".to_string(),
                value: a.power,
                range: "finite and > 0",
            });
        }
        check_unit_vector(i, &a.name, "positions", &a.positions)?;
        check_unit_vector(i, &a.name, "saliences", &a.saliences)?;
        let mut total = 0.0;
        for &s in &a.saliences {
            total += s;
        }
        if !(total > 0.0 && total <= 1.0 + 1e-9) {
            return Err(SmpError::OutOfRange {
                actor: i,
                name: a.name.clone(),
                field: "sum of saliences".to_string(),
                value: total,
                range: "(0, 1]",
            });
        }
    }
    Ok(())
}

/// Runs SMP on `actors` over `dims` dimensions until the positions settle (see the module
/// documentation for every step). Deterministic: no randomness is involved.
///
/// Errors: no actors, zero dimensions, vectors of the wrong length, NaN or out-of-range numbers,
/// power ≤ 0, saliences summing to 0 or to more than 1, or `max_turns`/`min_turns` equal to 0.
pub fn run(actors: &[SmpActor], dims: usize, params: &SmpParams) -> Result<SmpRun, SmpError> {
    run_with(actors, dims, params, true)
}

/// [`run`]; without `history` the result keeps only the last state's record in `states` and no
/// turn in `turns` (`n_states` still counts every state). The forecast, the last state and the
/// stopping decision are the same numbers: the states and turns are computed alike, only the
/// records of the intermediate ones (each state's outcome probabilities) are not made.
pub(crate) fn run_with(
    actors: &[SmpActor],
    dims: usize,
    params: &SmpParams,
    history: bool,
) -> Result<SmpRun, SmpError> {
    validate(actors, dims)?;
    if params.max_turns == 0 {
        return Err(SmpError::BadParameter("max_turns must be at least 1"));
    }
    if params.min_turns == 0 {
        return Err(SmpError::BadParameter("min_turns must be at least 1"));
    }
    if params.stop_ratio.is_nan() {
        return Err(SmpError::BadParameter("stop_ratio must be a number"));
    }
    let mut state = SmpState::build(actors, actors.iter().map(|a| a.positions.clone()).collect());
    let mut states = Vec::new();
    if history {
        states.push(state.record());
    }
    let mut n_states = 1;
    let mut turns: Vec<SmpTurn> = Vec::new();
    let mut n_turns = 0;
    let mut first_step_distance = f64::NAN;
    let stop = loop {
        let t = n_turns;
        let (positions, mut turn) = state.bargain_turn(t);
        if t == 0 {
            first_step_distance = turn.distance + FIRST_STEP_PAD;
        }
        turn.change_ratio = turn.distance / first_step_distance;
        state = SmpState::build(actors, positions);
        n_states += 1;
        let ratio = turn.change_ratio;
        if history {
            turns.push(turn);
        }
        n_turns += 1;
        let done = n_turns;
        let stop = if done >= params.max_turns {
            Some(SmpStop::MaxTurns)
        } else if done >= params.min_turns && ratio < params.stop_ratio {
            Some(SmpStop::Converged)
        } else {
            None
        };
        if history || stop.is_some() {
            states.push(state.record());
        }
        if let Some(stop) = stop {
            break stop;
        }
    };
    // `states` holds at least the last state, so it is never empty.
    let last = states[states.len() - 1].clone();
    let final_positions = last.positions.clone();
    let mut best = 0;
    for (o, opt) in last.options.iter().enumerate() {
        if opt.prob > last.options[best].prob {
            best = o;
        }
    }
    let forecast = final_positions[last.options[best].representative].clone();
    let mut expected_outcome = vec![0.0; dims];
    for opt in &last.options {
        for (e, &x) in expected_outcome
            .iter_mut()
            .zip(&final_positions[opt.representative])
        {
            *e += opt.prob * x;
        }
    }
    Ok(SmpRun {
        n_states,
        states,
        turns,
        final_positions,
        forecast,
        expected_outcome,
        first_step_distance,
        stop,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utility_has_both_branches() {
        assert_eq!(utility_of_distance(0.0, 0.7), 1.0);
        assert_eq!(utility_of_distance(0.5, 1.0), 0.5 * 1.5);
        assert_eq!(utility_of_distance(0.5, -0.5), 0.5 * 0.75);
        // Beyond distance 1 the risk factor stops growing with d.
        assert_eq!(utility_of_distance(2.0, 0.5), -1.5);
    }

    #[test]
    fn rounding_is_half_up_to_four_decimals() {
        assert_eq!(round4(0.12344), 0.1234);
        assert_eq!(round4(0.12346), 0.1235);
        assert_eq!(round4(0.0), 0.0);
        assert_eq!(round4(1.0), 1.0);
    }

    #[test]
    fn weighted_distance_normalises_by_salience_norm() {
        // One dimension: the distance is |x - y| whatever the salience.
        assert!((weighted_distance(&[0.2], &[0.3], &[0.7]) - 0.5).abs() < 1e-15);
        // A dimension with zero salience does not count.
        assert!((weighted_distance(&[0.2, 0.0], &[0.5, 0.0], &[0.6, 1.0]) - 0.4).abs() < 1e-15);
    }

    #[test]
    fn pce_of_two_options() {
        // Voter 0 (weight 3) gains 1 from option 0 over 1, voter 1 (weight 1) gains 1 from 1.
        let p = pce(&[3.0, 1.0], &[1.0, 0.0, 0.0, 1.0], 2).expect("pce");
        assert!(pce(&[1.0], &[1.0], 2).is_err());
        assert!(pce(&[1.0], &[f64::NAN], 1).is_err());
        let c01 = PCE_SEED + 3.0;
        let c10 = PCE_SEED + 1.0;
        assert_eq!(p.coalitions, [0.0, c01, c10, 0.0]);
        assert_eq!(p.pairwise[1], c01 / (c01 + c10));
        let (q0, q1) = (0.5 * (c01 / (c01 + c10)), (c10 / (c01 + c10)) * 0.5);
        assert_eq!(p.probs, [q0 / (q0 + q1), q1 / (q0 + q1)]);
    }

    #[test]
    fn a_run_without_history_ends_in_the_same_state() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/ktab/");
        for name in [
            "dummyData_3Dim.csv",
            "SOE-Pol-Comp.csv",
            "dummyData-a040.csv",
        ] {
            let text = std::fs::read_to_string(format!("{dir}{name}")).expect("test data");
            let scen = read_ktab_csv(&text).expect("reads");
            let dims = scen.dimension_names.len();
            let full = run(&scen.actors, dims, &SmpParams::default()).expect("runs");
            let lean = run_with(&scen.actors, dims, &SmpParams::default(), false).expect("runs");
            assert!(full.n_states > 2, "{name}");
            assert_eq!(lean.n_states, full.n_states, "{name}");
            assert_eq!(lean.states.len(), 1);
            assert!(lean.turns.is_empty());
            assert_eq!(lean.states[0], full.states[full.states.len() - 1], "{name}");
            assert_eq!(
                (
                    &lean.forecast,
                    &lean.expected_outcome,
                    &lean.final_positions
                ),
                (
                    &full.forecast,
                    &full.expected_outcome,
                    &full.final_positions
                ),
                "{name}"
            );
            assert_eq!(
                lean.first_step_distance.to_bits(),
                full.first_step_distance.to_bits()
            );
            assert_eq!(lean.stop, full.stop);
        }
    }

    #[test]
    fn a_turn_is_the_same_whether_the_estimates_are_kept_or_made_again() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/ktab/");
        for name in ["dummyData_3Dim.csv", "dummyData-a040.csv"] {
            let text = std::fs::read_to_string(format!("{dir}{name}")).expect("test data");
            let scen = read_ktab_csv(&text).expect("reads");
            let pos: Vec<Vec<f64>> = scen.actors.iter().map(|a| a.positions.clone()).collect();
            let state = SmpState::new(&scen.actors, &pos).expect("state");
            let (pa, ta) = state.bargain_turn_with(0, true);
            let (pb, tb) = state.bargain_turn_with(0, false);
            assert!(!ta.challenges.is_empty(), "{name}");
            assert_eq!(pa, pb, "{name}");
            assert_eq!(ta.challenges, tb.challenges, "{name}");
            assert_eq!(ta.resolutions, tb.resolutions, "{name}");
            assert_eq!(ta.distance.to_bits(), tb.distance.to_bits(), "{name}");
        }
    }

    #[test]
    fn first_argmax_keeps_the_earliest_tie() {
        assert_eq!(first_argmax(&[0.2, 0.4, 0.4]), 1);
        assert_eq!(first_argmax(&[0.5, 0.5]), 0);
    }

    #[test]
    fn bargain_interpolates_towards_the_likely_winner() {
        let (bi, br) = s2p2_bargain(&[0.5], &[0.0], &[0.5], &[1.0], 1.0).expect("s2p2");
        // p = 1: the receiver has no weight, so both proposals are the initiator's position.
        assert_eq!((bi[0], br[0]), (0.0, 0.0));
        let (bi, br) = s2p2_bargain(&[0.5], &[0.0], &[0.5], &[1.0], 0.5).expect("s2p2");
        assert!(s2p2_bargain(&[0.5], &[0.0], &[0.5, 0.1], &[1.0], 0.5).is_err());
        assert_eq!((bi[0], br[0]), (0.5, 0.5));
    }
}
