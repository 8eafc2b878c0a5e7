//! Stokman's exchange model, equal-gain variant, as implemented by decide-exchange-model 2025.3.1.
//!
//! Actors trade positions across pairs of issues they weigh differently: an actor gives way on an
//! issue it cares little about in return for a partner giving way on one it cares much about. The
//! issue outcome is the capability-and-salience weighted mean of the positions.
//!
//! # Equations
//! Positions are normalised to 0..100: x = (raw − lower)·step, step = 100/(upper − lower). Actor
//! a on issue k has position x_ak, salience s_ak and capability (power) c_ak.
//!
//! * Outcome: D_k = Σ_a s_ak·c_ak, O_k = Σ_a x_ak·s_ak·c_ak / D_k (0 if D_k = 0).
//! * Side: L_ak = (x_ak ≤ O_k). For each issue pair (p, q) in input order, actors on both issues
//!   fall into groups a (L_p=0, L_q=0), b (1,0), c (0,1), d (1,1); a candidate is made for each
//!   (A∈a, B∈d) and each (A∈b, B∈c).
//! * Roles: i = B if s_Ap/s_Aq < s_Bp/s_Bq, else A; j is the other. i gives way on q (moves toward
//!   j's position on q) and demands p; j gives way on p.
//! * Equal gain: j moves fully to i's position on p, shifting O_p by r_p = |x_ip − x̃_jp|·s_jp·c_jp/D_p;
//!   then r_q = r_p·(s_jp+s_ip)/(s_jq+s_iq) and i moves d_i = r_q·D_q/(c_iq·s_iq). If d_i exceeds
//!   the distance to j's position on q, i moves fully instead and r_p, d_j follow symmetrically.
//!   Both actors gain G = |r_q·s_iq − r_p·s_ip| = |r_p·s_jp − r_q·s_jq|.
//! * Validity: each shift m satisfies 1e-10 < |m| ≤ 100, the new position stays in 0..100, the
//!   actor's shifts on that issue in this round keep one sign and sum to at most 100; G ≥ 1e-10. An
//!   exchange that would carry an outcome past the partner's own position is shrunk to stop there.
//! * Round: candidates are executed greedily by descending G; after each execution every remaining
//!   candidate sharing an actor and issue with it is re-evaluated from the new positions. Ties
//!   (|ΔG| < 1e-20) are broken by one draw u: u ≥ 0.5 executes the runner-up.
//! * The voting outcome of a round uses the positions y reached; the next round starts from
//!   x ← ((1−s)·W1 + W2)·y + (1 − (1−s)·W1 − W2)·x0 with W1 = 0.4, W2 = 0.1 and s the salience.
//!
//! The package's quirks are kept on purpose (they change results): the exact order of every
//! operation, the shift histories carried across re-evaluations, the runner-up appended twice when
//! a tie keeps the leader, and the clamping rule.
//!
//! # Cost
//! A round makes C = O(n² d²) candidates (actor pairs × issue pairs) and executes E of them.
//! The package re-sorts the remaining list before each pick and offers every remaining candidate
//! to each executed exchange: O(E · C log C) per round. [`run`] ([`Algorithm::Indexed`]) makes
//! the same picks from a priority queue whose keys reproduce the re-sorted list's order exactly
//! (ties, the kept runner-up's duplicate, entries appended at the end), and offers an executed
//! exchange only to the candidates sharing an actor and an issue with it (an index by actor and
//! issue): O(C log C) per round plus the package's own re-evaluations, each O(stances of an
//! issue). Outcome sums start from running sums of the round-start terms, and in float64 the
//! test for an overshooting exchange is decided from rearranged sums with a proven error bound
//! (the exact sums only when the bound does not decide). [`Algorithm::Reference`] keeps the
//! package's loop and sums step by step; both give the same run to the last digit.
//! [`run_outcomes`] plays the rounds without recording them. On the DEU III development file as
//! one negotiation (30 actors, 233 issues, about 500,000 candidates a round) three rounds take
//! 4.9 s of CPU where the package's loop took 904 s, with the same record to the last digit
//! (`docs/performance.md`).
//!
//! # Parameters and defaults
//! [`ExchangeParams`]: `rounds` = 10; `tie_break` = [`TieBreak::Seeded`]`(0)` (the package draws
//! from Python's unseeded global generator, [`TieBreak::Keep`], [`TieBreak::Swap`] and
//! [`TieBreak::PythonSeed`] replay its pinned runs); `arithmetic` = [`Arithmetic::Float64`]. The
//! package computes in Python `decimal` (28 digits); [`Arithmetic::Decimal28`] reproduces that
//! exactly (a float64 run agrees to about 1e-13 until the first near-tie, which it may order the
//! other way). p (randomised equal gain) is fixed at 0.
//!
//! # Units of the output
//! Outcomes ([`RoundRecord::start_outcomes`], [`RoundRecord::voting_outcomes`],
//! [`ExchangeRun::final_outcomes`]) are on each issue's own scale; exchange positions and shifts
//! ([`Move`]) are in the model's normalised 0..100 units, as in the package's round files.
//!
//! # Example
//! ```
//! use brink_bargain::exchange::{read_decide, run, ExchangeParams};
//!
//! let text = "#A\ta\n#A\tb\n#P\tp\n#P\tq\n\
//!             #D\ta\tp\t0\t0.9\t1\n#D\ta\tq\t0\t0.2\t1\n\
//!             #D\tb\tp\t100\t0.3\t1\n#D\tb\tq\t100\t0.8\t1\n";
//! let input = read_decide(text)?;
//! let result = run(&input, &ExchangeParams::default())?;
//! // a cares about p, b about q: a gives way on q and b on p
//! let first = &result.rounds[0].exchanges[0];
//! assert_eq!((first.i.actor.as_str(), first.i.supply_issue.as_str()), ("a", "q"));
//! assert!(result.rounds[0].voting_outcomes[0] < result.initial_outcomes[0]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//! `examples/exchange_run.rs` runs a decide file from the command line and prints the run as JSON.
//!
//! # References
//! * Stokman, F. N. & Van Oosten, R. (1994). The exchange of voting positions: an object-oriented
//!   model of policy networks. In Bueno de Mesquita & Stokman (eds.), *European Community Decision
//!   Making*, Yale University Press, 105–127.
//! * Stokman, F. N., Van der Knoop, J. & Van Oosten, R. (2013). Modeling collective
//!   decision-making. In Wittek, Snijders & Nee (eds.), *Handbook of Rational Choice Social
//!   Research*, Stanford University Press.
//! * decide-exchange-model 2025.3.1 (PyPI), the implementation reproduced here.

mod adapter;
mod decimal;
mod engine;
mod pyrandom;
mod reader;

pub use adapter::Exchange;
pub use decimal::Dec28;
pub use reader::{read_decide, DecideFormatError};

use serde::Serialize;
use std::collections::HashMap;

/// Version of the serialized [`ExchangeRun`] layout.
pub const SCHEMA_VERSION: u32 = 1;

/// An issue: its name and the two ends of its scale (lower < upper).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExIssue {
    /// Issue name (unique).
    pub name: String,
    /// Lower end of the scale.
    pub lower: f64,
    /// Upper end of the scale.
    pub upper: f64,
}

/// One actor's stance on one issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExStance {
    /// Actor name, one of [`ExchangeInput::actors`].
    pub actor: String,
    /// Issue name, one of [`ExchangeInput::issues`].
    pub issue: String,
    /// Position on the issue's own scale, within [lower, upper].
    pub position: f64,
    /// Salience (0..1 in the model's intent; must be > 0 for actors on two or more issues).
    pub salience: f64,
    /// Capability (power), ≥ 0.
    pub power: f64,
}

/// The model's input. Actor order and issue order matter (they fix the candidate order), and so
/// does stance order (it fixes the order of sums).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ExchangeInput {
    /// Actor names in order.
    pub actors: Vec<String>,
    /// Issues in order.
    pub issues: Vec<ExIssue>,
    /// Stances in order; at most one per actor and issue.
    pub stances: Vec<ExStance>,
}

/// How a near-tie between the two best candidates (|ΔG| < 1e-20) is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum TieBreak {
    /// Draws from ChaCha8 seeded with this value (reproducible).
    Seeded(u64),
    /// Every draw is 0.1: the leader is executed and the runner-up is appended again (the
    /// fixtures' `KEEP` mode, the package with `random.random` ≡ 0.1).
    Keep,
    /// Every draw is 0.9: the runner-up is executed (the fixtures' `SWAP` mode).
    Swap,
    /// Draws from CPython's Mersenne Twister after `random.seed(n)`, to replay a seeded run of the
    /// package (the fixtures' `SEED1` mode is `PythonSeed(1)`).
    PythonSeed(u64),
}

/// The arithmetic a run uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub enum Arithmetic {
    /// Binary float64: fast.
    #[default]
    Float64,
    /// Python `decimal` default context (28 significant digits, half-even): reproduces the
    /// package digit for digit, including the order of near-ties.
    Decimal28,
}

/// Parameters of a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExchangeParams {
    /// Number of rounds (default 10). There is no other stopping rule.
    pub rounds: usize,
    /// Tie-breaking (default `Seeded(0)`).
    pub tie_break: TieBreak,
    /// Arithmetic (default `Float64`).
    pub arithmetic: Arithmetic,
}

impl Default for ExchangeParams {
    fn default() -> Self {
        ExchangeParams {
            rounds: 10,
            tie_break: TieBreak::Seeded(0),
            arithmetic: Arithmetic::Float64,
        }
    }
}

/// One actor's side of an executed exchange (normalised 0..100 units).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Move<N = f64> {
    /// The actor.
    pub actor: String,
    /// The issue on which this actor gives way.
    pub supply_issue: String,
    /// The issue on which the partner gives way to this actor.
    pub demand_issue: String,
    /// Position on the supply issue before the exchange.
    pub start: N,
    /// Signed shift on the supply issue.
    pub shift: N,
    /// Position after the exchange (`start + shift`).
    pub y: N,
    /// |outcome shift| on the supply issue, as the package records it (`|nbs_0 − nbs_1|`).
    pub outcome_shift: N,
}

/// One executed exchange.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExchangeRecord<N = f64> {
    /// The actor who gives way on issue q (the second issue of the pair).
    pub i: Move<N>,
    /// The actor who gives way on issue p.
    pub j: Move<N>,
    /// The (equal) utility gain of each actor.
    pub gain: N,
    /// False only for the package's duplicate-runner-up case, where the executed exchange reacted
    /// to itself (its positions still count; the package leaves it out of its round file).
    pub valid_after_round: bool,
    /// Tie draws made in this round up to and including the pick of this exchange (0: the round
    /// has been deterministic so far).
    pub draws_so_far: usize,
}

/// The externalities an actor received from the exchanges of one round, summed in execution
/// order. For each executed exchange on issues (p, q), an actor with positions on both issues
/// gains E = s_p(|O⁰_p − x_p| − |O¹_p − x_p|) + s_q(|O⁰_q − x_q| − |O¹_q − x_q|) from the outcome
/// shifts (round-start positions, normalised units). The two traders count their gain G as
/// `own`; everyone else counts E as positive (E > 0) or negative, and as inner if they belong to
/// the traders' two groups on that issue pair at the start of the round, else outer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Externalities<N = f64> {
    /// The actor.
    pub actor: String,
    /// Sum of positive externalities from exchanges between members of the actor's group pair.
    pub inner_positive: N,
    /// Sum of non-positive externalities from such exchanges.
    pub inner_negative: N,
    /// Sum of positive externalities from other exchanges.
    pub outer_positive: N,
    /// Sum of non-positive externalities from other exchanges.
    pub outer_negative: N,
    /// Sum of the gains of the actor's own exchanges.
    pub own: N,
}

/// One round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundRecord<N = f64> {
    /// 1-based round number.
    pub round: usize,
    /// Outcome of each issue at the start of the round (issue scale).
    pub start_outcomes: Vec<N>,
    /// Candidate exchanges made at the start of the round (valid or not).
    pub candidates: usize,
    /// How many of them were valid.
    pub valid_candidates: usize,
    /// Executed exchanges in order.
    pub exchanges: Vec<ExchangeRecord<N>>,
    /// Outcome of each issue with the positions reached in the round (issue scale).
    pub voting_outcomes: Vec<N>,
    /// Externalities of the round's exchanges summed per actor, in actor order.
    pub externalities: Vec<Externalities<N>>,
    /// Tie draws made in this round.
    pub tie_draws: usize,
}

/// A whole run. `N` is `f64`, or [`Dec28`] for [`run_decimal`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ExchangeRun<N = f64> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The parameters of the run (rounds, tie-breaking and its seed, arithmetic).
    pub params: ExchangeParams,
    /// Issue names; every outcome vector follows this order.
    pub issues: Vec<String>,
    /// Outcomes before any exchange (round 0, issue scale).
    pub initial_outcomes: Vec<N>,
    /// The rounds in order.
    pub rounds: Vec<RoundRecord<N>>,
    /// Outcomes from the positions after the last round's update (issue scale).
    pub final_outcomes: Vec<N>,
    /// Tie draws over the run.
    pub tie_draws: usize,
}

/// Why a run could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError {
    /// Two actors share a name.
    #[error("actor `{0}` is listed twice")]
    DuplicateActor(String),
    /// Two issues share a name.
    #[error("issue `{0}` is listed twice")]
    DuplicateIssue(String),
    /// An issue's scale is empty, reversed or not finite.
    #[error("issue `{issue}`: scale {lower}..{upper} must have lower < upper")]
    BadScale {
        /// The issue.
        issue: String,
        /// Its lower end.
        lower: f64,
        /// Its upper end.
        upper: f64,
    },
    /// A stance names an actor that is not listed.
    #[error("stance names unknown actor `{0}`")]
    UnknownActor(String),
    /// A stance names an issue that is not listed.
    #[error("stance names unknown issue `{0}`")]
    UnknownIssue(String),
    /// Two stances for the same actor and issue.
    #[error("actor `{actor}` has two stances on issue `{issue}`")]
    DuplicateStance {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
    },
    /// A position outside the issue's scale.
    #[error("actor `{actor}` on issue `{issue}`: position {position} is outside {lower}..{upper}")]
    PositionOutOfRange {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
        /// The position.
        position: f64,
        /// Scale lower end.
        lower: f64,
        /// Scale upper end.
        upper: f64,
    },
    /// A negative or non-finite salience or power.
    #[error("actor `{actor}` on issue `{issue}`: {field} {value} must be a finite number ≥ 0")]
    BadWeight {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
        /// `salience` or `power`.
        field: &'static str,
        /// The value.
        value: f64,
    },
    /// An actor in a candidate exchange has salience 0 on one of its issues: the model divides
    /// by it (the package stops with a division by zero).
    #[error(
        "actor `{actor}` has salience 0 on issue `{issue}` but takes part in an exchange on it"
    )]
    ZeroSalience {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
    },
    /// A round's picks would go on without end: a near-tie between the two best candidates is
    /// decided the same way every time and no pick removes either (e.g. two invalid candidates
    /// tied at the front under [`TieBreak::Keep`], where the package's loop, which
    /// [`Algorithm::Reference`] follows, would never end).
    #[error(
        "round {round}: the exchanges tied at the front are picked again and again without end (stopped after {picks} picks); use random tie-breaking"
    )]
    EndlessRound {
        /// The round (1-based).
        round: usize,
        /// The picks made before stopping.
        picks: u64,
    },
    /// An actor who would give way on an issue has salience·power 0 there: the model divides by it.
    #[error("actor `{actor}` has salience·power 0 on issue `{issue}` but would give way on it")]
    ZeroWeight {
        /// The actor.
        actor: String,
        /// The issue.
        issue: String,
    },
}

/// Index form of a validated input.
pub(crate) struct Validated {
    /// (actor index, issue index) per stance, in stance order.
    pub(crate) stance_index: Vec<(usize, usize)>,
}

impl ExchangeInput {
    /// Checks names, scales, positions and weights.
    pub(crate) fn validate(&self) -> Result<Validated, ExchangeError> {
        let mut actor_ix = HashMap::with_capacity(self.actors.len());
        for (n, a) in self.actors.iter().enumerate() {
            if actor_ix.insert(a.as_str(), n).is_some() {
                return Err(ExchangeError::DuplicateActor(a.clone()));
            }
        }
        let mut issue_ix = HashMap::with_capacity(self.issues.len());
        for (n, i) in self.issues.iter().enumerate() {
            if issue_ix.insert(i.name.as_str(), n).is_some() {
                return Err(ExchangeError::DuplicateIssue(i.name.clone()));
            }
            if !(i.lower.is_finite() && i.upper.is_finite() && i.lower < i.upper) {
                return Err(ExchangeError::BadScale {
                    issue: i.name.clone(),
                    lower: i.lower,
                    upper: i.upper,
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        let mut stance_index = Vec::with_capacity(self.stances.len());
        for st in &self.stances {
            let a = *actor_ix
                .get(st.actor.as_str())
                .ok_or_else(|| ExchangeError::UnknownActor(st.actor.clone()))?;
            let i = *issue_ix
                .get(st.issue.as_str())
                .ok_or_else(|| ExchangeError::UnknownIssue(st.issue.clone()))?;
            if !seen.insert((a, i)) {
                return Err(ExchangeError::DuplicateStance {
                    actor: st.actor.clone(),
                    issue: st.issue.clone(),
                });
            }
            let is = &self.issues[i];
            if !(st.position >= is.lower && st.position <= is.upper) {
                return Err(ExchangeError::PositionOutOfRange {
                    actor: st.actor.clone(),
                    issue: st.issue.clone(),
                    position: st.position,
                    lower: is.lower,
                    upper: is.upper,
                });
            }
            for (field, value) in [("salience", st.salience), ("power", st.power)] {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(ExchangeError::BadWeight {
                        actor: st.actor.clone(),
                        issue: st.issue.clone(),
                        field,
                        value,
                    });
                }
            }
            stance_index.push((a, i));
        }
        Ok(Validated { stance_index })
    }
}

/// How a run is computed. Both algorithms make the same picks in the same order, near-ties and
/// their draws included, and compute every number by the same operations in the same order, so
/// they give the same run to the last digit; they differ in cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[non_exhaustive]
pub enum Algorithm {
    /// What [`run`] uses. A round's picks come from a priority queue keyed so that it
    /// reproduces the order of the package's re-sorted list (ties included), and an index of
    /// the candidates by actor and issue: after an exchange only the candidates sharing an actor
    /// and an issue with it are looked at. Outcome sums start from running sums of the
    /// round-start terms. About O(log C) per pick plus the candidates affected (C candidates).
    #[default]
    Indexed,
    /// The package's algorithm step by step: the remaining list sorted again before each pick,
    /// every remaining candidate offered to each executed exchange, every outcome sum formed
    /// over all stances. O(C log C) per pick; kept as the reference the indexed algorithm is
    /// tested against, and for benchmarks.
    Reference,
}

/// Work done by a run, counted (not timed): what the selection loop costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExchangeWork {
    /// Candidate exchanges made, summed over the rounds.
    pub candidates: u64,
    /// Candidate evaluations (`calculate`): one per candidate made, plus one per re-evaluation
    /// after an executed exchange.
    pub evaluations: u64,
    /// List entries visited after executed exchanges (offered to the exchange, or dropped).
    pub visits: u64,
    /// Entries ordered: the list length at each sort ([`Algorithm::Reference`]), or heap
    /// pushes ([`Algorithm::Indexed`]).
    pub queue_ops: u64,
    /// Exchanges executed.
    pub executed: u64,
}

/// Runs the model. With [`Arithmetic::Decimal28`] the run is computed in 28-digit decimal and
/// converted to the nearest floats at the end.
pub fn run(input: &ExchangeInput, params: &ExchangeParams) -> Result<ExchangeRun, ExchangeError> {
    Ok(run_counted(input, params, Algorithm::Indexed)?.0)
}

/// Runs the model in 28-digit decimal arithmetic (whatever `params.arithmetic` says) and returns
/// the exact decimal values, for digit-by-digit comparison with decide-exchange-model.
pub fn run_decimal(
    input: &ExchangeInput,
    params: &ExchangeParams,
) -> Result<ExchangeRun<Dec28>, ExchangeError> {
    Ok(run_decimal_counted(input, params, Algorithm::Indexed)?.0)
}

/// The outcomes after the last round of [`run`] (issue scale, in input order), without the
/// record of the rounds: the same numbers, at less cost.
pub fn run_outcomes(
    input: &ExchangeInput,
    params: &ExchangeParams,
) -> Result<Vec<f64>, ExchangeError> {
    let mut work = ExchangeWork::default();
    match params.arithmetic {
        Arithmetic::Float64 => Ok(engine::Engine::<f64>::new(input)?
            .run(params, Algorithm::Indexed, &mut work, false)?
            .final_outcomes),
        Arithmetic::Decimal28 => {
            let params = ExchangeParams {
                arithmetic: Arithmetic::Decimal28,
                ..params.clone()
            };
            Ok(vf(&engine::Engine::<Dec28>::new(input)?
                .run(&params, Algorithm::Indexed, &mut work, false)?
                .final_outcomes))
        }
    }
}

/// [`run`] with a choice of [`Algorithm`], also returning the work done.
pub fn run_counted(
    input: &ExchangeInput,
    params: &ExchangeParams,
    algorithm: Algorithm,
) -> Result<(ExchangeRun, ExchangeWork), ExchangeError> {
    match params.arithmetic {
        Arithmetic::Float64 => {
            let mut work = ExchangeWork::default();
            let r = engine::Engine::<f64>::new(input)?.run(params, algorithm, &mut work, true)?;
            Ok((r, work))
        }
        Arithmetic::Decimal28 => {
            let (r, work) = run_decimal_counted(input, params, algorithm)?;
            Ok((r.to_f64(), work))
        }
    }
}

/// [`run_decimal`] with a choice of [`Algorithm`], also returning the work done.
pub fn run_decimal_counted(
    input: &ExchangeInput,
    params: &ExchangeParams,
    algorithm: Algorithm,
) -> Result<(ExchangeRun<Dec28>, ExchangeWork), ExchangeError> {
    let params = ExchangeParams {
        arithmetic: Arithmetic::Decimal28,
        ..params.clone()
    };
    let mut work = ExchangeWork::default();
    let r = engine::Engine::<Dec28>::new(input)?.run(&params, algorithm, &mut work, true)?;
    Ok((r, work))
}

impl Move<Dec28> {
    fn to_f64(&self) -> Move {
        Move {
            actor: self.actor.clone(),
            supply_issue: self.supply_issue.clone(),
            demand_issue: self.demand_issue.clone(),
            start: self.start.to_f64(),
            shift: self.shift.to_f64(),
            y: self.y.to_f64(),
            outcome_shift: self.outcome_shift.to_f64(),
        }
    }
}

fn vf(v: &[Dec28]) -> Vec<f64> {
    v.iter().map(Dec28::to_f64).collect()
}

impl ExchangeRun<Dec28> {
    /// The same run with every number rounded to the nearest float.
    pub fn to_f64(&self) -> ExchangeRun {
        ExchangeRun {
            schema_version: self.schema_version,
            params: self.params.clone(),
            issues: self.issues.clone(),
            initial_outcomes: vf(&self.initial_outcomes),
            rounds: self
                .rounds
                .iter()
                .map(|r| RoundRecord {
                    round: r.round,
                    start_outcomes: vf(&r.start_outcomes),
                    candidates: r.candidates,
                    valid_candidates: r.valid_candidates,
                    exchanges: r
                        .exchanges
                        .iter()
                        .map(|e| ExchangeRecord {
                            i: e.i.to_f64(),
                            j: e.j.to_f64(),
                            gain: e.gain.to_f64(),
                            valid_after_round: e.valid_after_round,
                            draws_so_far: e.draws_so_far,
                        })
                        .collect(),
                    voting_outcomes: vf(&r.voting_outcomes),
                    externalities: r
                        .externalities
                        .iter()
                        .map(|x| Externalities {
                            actor: x.actor.clone(),
                            inner_positive: x.inner_positive.to_f64(),
                            inner_negative: x.inner_negative.to_f64(),
                            outer_positive: x.outer_positive.to_f64(),
                            outer_negative: x.outer_negative.to_f64(),
                            own: x.own.to_f64(),
                        })
                        .collect(),
                    tie_draws: r.tie_draws,
                })
                .collect(),
            final_outcomes: vf(&self.final_outcomes),
            tie_draws: self.tie_draws,
        }
    }
}
