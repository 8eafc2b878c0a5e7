//! The International Interaction Game of a crisis as numbers: the one function that turns a
//! crisis's inputs into the game's utilities ([`iig_game`]), and everything that reads them: the
//! exact game ([`iig_tree_of`]), the fast subgame-perfect path ([`iig_spe_outcomes`]) and the fast
//! logit quantal response ([`iig_qre_outcomes`], [`iig_outcome_probabilities`]).
//!
//! # Inputs
//! For each side `i` (0 the challenger, 1 the defender) facing `j`: `sq`, `other`, `neg`, its
//! utilities of the status quo, of `j`'s demand met and of the negotiated settlement, on the scale
//! where its own demand met is worth 1 (`docs/crisis-mapping.md`); `p` the challenger's probability
//! of winning a war (`p_i`: `p` for the challenger, `1 − p` for the defender); costs of war `α_i`,
//! of a first strike `τ`, of capitulating `γ_i`, audience costs `a_i`, deal costs `d_i`, sanctions
//! costs `σ_i`.
//!
//! # Mapping 1 (the original; utilities in units of the whole utility range)
//!
//! | outcome | `U_i` |
//! | --- | --- |
//! | SQ | `sq` |
//! | ACQ_i | `other` |
//! | ACQ_j, CAP_j | `1` |
//! | NEG | `neg` (i.e. `φ_i + (1 − φ_i) other`, `φ_i = (neg − other)/(1 − other)` clamped to [0, 1]) |
//! | CAP_i | `other − γ_i − a_i` |
//! | WAR_i (i strikes first) | `p_i + (1 − p_i) other − α_i` |
//! | WAR_j (i is attacked) | `p_i + (1 − p_i) other − α_i − τ` |
//!
//! A red line of side `i` crossed at outcome `o` lowers `U_i(o)` to `U_i(WAR_i) − 0.01`.
//!
//! # Mapping 2 (the revised one; utilities in units of each side's own stake)
//! Side `i`'s stake is `s_i = max(1 − other_i, 0.01)`, what it stands to gain between the other's
//! demand and its own; every utility is measured from the other's demand in units of it,
//! `u_i = (U_i − other_i)/s_i`, so the own demand is worth 1, the other's 0, the status quo
//! `u_sq = (sq − other)/s_i`, the settlement `φ_i = (neg − other)/s_i`, and every cost is a share
//! of the side's stake:
//!
//! | outcome | `u_i` |
//! | --- | --- |
//! | SQ | `u_sq` |
//! | ACQ_i (gives in without having demanded) | `−d_i` (a deal conceding everything) |
//! | ACQ_j, CAP_j | `1` |
//! | NEG | `φ_i − d_i − a_i (1 − φ_i)` (the deal cost, and the audience cost in proportion to the share of the public demand given up) |
//! | CAP_i | `−γ_i − a_i` |
//! | WAR_i | `p_i − α_i` |
//! | WAR_j | `p_i − α_i − τ` |
//!
//! Red lines are commitments that leave something to chance (Schelling 1960): at an outcome `o`
//! that sets off a red line of side `i` with probability `π` (the chance that its threshold lies
//! between the actor's position and `o`'s settlement, times the chance that the actor carries it
//! out), nature decides; with probability `π` the action follows: `war` turns `o` into WAR_i (into
//! WAR_j when `o` is CAP_i: `i` fights back); `force` makes `i` use force, after which `j`
//! retaliates (WAR_i) or gives in (CAP_j) (at CAP_i it means fighting back, WAR_j); `sanctions`
//! leave `o` but cost `j` its sanctions cost `σ_j`. Several red lines at one outcome are carried out
//! independently; the gravest action taken prevails (war, then force, the challenger's before the
//! defender's; sanctions only where `o` stands).
//!
//! # Quantal response
//! [`iig_qre_outcomes`] computes the logit agent quantal response of the complete-information game
//! (perfect information: exact backward recursion, Signorino 1999), with precision `λ` on utilities
//! in units of each side's stake (mapping 2's units; mapping 1's utilities are divided by `s_i`).
//!
//! # References
//! Bueno de Mesquita, B. and Lalman, D. (1992), *War and Reason*. Fearon, J. D. (1994), "Domestic
//! political audiences and the escalation of international disputes", *APSR* 88(3). Schelling, T.
//! C. (1960), *The Strategy of Conflict*, ch. 8 ("the threat that leaves something to chance").
//! Signorino, C. S. (1999), "Strategic interaction and the statistical analysis of international
//! conflict", *APSR* 93(2). McKelvey, R. D. and Palfrey, T. R. (1998), "Quantal response equilibria
//! for extensive form games", *Experimental Economics* 1.

use crate::error::{CrisisError, Result};
use crate::game::Tree;
use crate::num::{rational_from_f64, Rational};
use crate::templates::iig_tree_with;
use brink_scenario::RedLineAction;
use num_traits::Zero;
use serde::Serialize;

/// The smallest stake a side is taken to have (mapping 2), in units of its utility range.
pub const MIN_STAKE: f64 = 0.01;

/// The margin by which a crossed red line puts war ahead of a settlement (mapping 1).
pub const RED_LINE_MARGIN: f64 = 0.01;

/// The eight outcomes of the International Interaction Game.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum IigOutcome {
    /// The status quo.
    Sq,
    /// The challenger acquiesces.
    AcqA,
    /// The defender acquiesces.
    AcqB,
    /// A negotiated settlement.
    Neg,
    /// The challenger capitulates after force.
    CapA,
    /// The defender capitulates after force.
    CapB,
    /// War started by the challenger.
    WarA,
    /// War started by the defender.
    WarB,
}

impl IigOutcome {
    /// All eight, in this order (the index of each is `self as usize`).
    pub const ALL: [IigOutcome; 8] = [
        IigOutcome::Sq,
        IigOutcome::AcqA,
        IigOutcome::AcqB,
        IigOutcome::Neg,
        IigOutcome::CapA,
        IigOutcome::CapB,
        IigOutcome::WarA,
        IigOutcome::WarB,
    ];

    /// The outcome's label in the game (`SQ`, `ACQ_A`, ...).
    pub fn label(self) -> &'static str {
        match self {
            IigOutcome::Sq => "SQ",
            IigOutcome::AcqA => "ACQ_A",
            IigOutcome::AcqB => "ACQ_B",
            IigOutcome::Neg => "NEG",
            IigOutcome::CapA => "CAP_A",
            IigOutcome::CapB => "CAP_B",
            IigOutcome::WarA => "WAR_A",
            IigOutcome::WarB => "WAR_B",
        }
    }

    /// The outcome with this label.
    pub fn from_label(label: &str) -> Option<IigOutcome> {
        Self::ALL.into_iter().find(|o| o.label() == label)
    }

    /// Index of its class in [`crate::standoff::CLASSES`] (war, negotiated settlement, status
    /// quo, challenger / defender acquiesces, challenger / defender capitulates).
    pub fn class_index(self) -> usize {
        match self {
            IigOutcome::WarA | IigOutcome::WarB => 0,
            IigOutcome::Neg => 1,
            IigOutcome::Sq => 2,
            IigOutcome::AcqA => 3,
            IigOutcome::AcqB => 4,
            IigOutcome::CapA => 5,
            IigOutcome::CapB => 6,
        }
    }

    /// Side `i`'s acquiescence.
    pub fn acq(i: usize) -> IigOutcome {
        if i == 0 {
            IigOutcome::AcqA
        } else {
            IigOutcome::AcqB
        }
    }
    /// Side `i`'s capitulation after force.
    pub fn cap(i: usize) -> IigOutcome {
        if i == 0 {
            IigOutcome::CapA
        } else {
            IigOutcome::CapB
        }
    }
    /// War started by side `i`.
    pub fn war(i: usize) -> IigOutcome {
        if i == 0 {
            IigOutcome::WarA
        } else {
            IigOutcome::WarB
        }
    }
}

/// One side's inputs (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IigSideInputs {
    /// Utility of the status quo (own demand = 1).
    pub sq: f64,
    /// Utility of the other side's demand met.
    pub other: f64,
    /// Utility of the negotiated settlement.
    pub neg: f64,
    /// Cost of war.
    pub war_cost: f64,
    /// Cost of capitulating after force.
    pub capitulation_cost: f64,
    /// Audience cost of backing down from a public demand.
    pub audience_cost: f64,
    /// Cost of making a deal (mapping 2).
    pub deal_cost: f64,
    /// Cost of being sanctioned (mapping 2).
    pub sanctions_cost: f64,
}

impl IigSideInputs {
    /// A side described directly in units of its own stake (mapping 2's units): the other's
    /// demand is worth 0, its own 1, the status quo `sq` and the settlement `neg`; costs zero.
    pub fn in_stake_units(sq: f64, neg: f64) -> IigSideInputs {
        IigSideInputs {
            sq,
            other: 0.0,
            neg,
            war_cost: 0.0,
            capitulation_cost: 0.0,
            audience_cost: 0.0,
            deal_cost: 0.0,
            sanctions_cost: 0.0,
        }
    }

    /// The side's stake `max(1 − other, MIN_STAKE)`.
    pub fn stake(&self) -> f64 {
        (1.0 - self.other).max(MIN_STAKE)
    }
}

/// A red line as the game sees it: whose, what it does, and the probability that it is set off and
/// carried out at each outcome (indexed like [`IigOutcome::ALL`]; zero where it does not apply).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IigRedLine {
    /// 0: the challenger's side, 1: the defender's.
    pub side: usize,
    /// What it does.
    pub action: RedLineAction,
    /// Per outcome: the probability that it acts there.
    pub probability: [f64; 8],
}

/// Everything the International Interaction Game of a crisis is built from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IigInputs {
    /// Challenger and defender.
    pub sides: [IigSideInputs; 2],
    /// The challenger's probability of winning a war.
    pub p_win: f64,
    /// The extra cost of being attacked first.
    pub first_strike_cost: f64,
    /// 1 or 2 (see the module docs).
    pub mapping: u8,
    /// Red lines.
    pub red_lines: Vec<IigRedLine>,
}

impl IigInputs {
    /// Mapping-2 inputs given directly in units of each side's stake, without red lines: each
    /// side's status quo and settlement values, the challenger's probability of winning, the war
    /// costs; other costs zero (set the fields to add them). For fitting the game to data.
    pub fn in_stake_units(sq: [f64; 2], neg: [f64; 2], p_win: f64, war_cost: [f64; 2]) -> Self {
        let mut sides = [
            IigSideInputs::in_stake_units(sq[0], neg[0]),
            IigSideInputs::in_stake_units(sq[1], neg[1]),
        ];
        sides[0].war_cost = war_cost[0];
        sides[1].war_cost = war_cost[1];
        IigInputs {
            sides,
            p_win,
            first_strike_cost: 0.0,
            mapping: 2,
            red_lines: Vec::new(),
        }
    }

    /// Checks the domain: finite numbers, `p_win` and red-line probabilities in [0, 1], costs
    /// non-negative, mapping 1 or 2, sides 0 or 1.
    pub fn validate(&self) -> Result<()> {
        let bad = |name: &'static str, m: &str| {
            Err(CrisisError::InvalidParameter {
                name,
                message: m.into(),
            })
        };
        if !(self.mapping == 1 || self.mapping == 2) {
            return bad("mapping", "must be 1 or 2");
        }
        if !(0.0..=1.0).contains(&self.p_win) {
            return bad("p_win", "must be in [0, 1]");
        }
        if !(self.first_strike_cost.is_finite() && self.first_strike_cost >= 0.0) {
            return bad("first_strike_cost", "must be finite and >= 0");
        }
        for s in &self.sides {
            if ![s.sq, s.other, s.neg].iter().all(|x| x.is_finite()) {
                return bad("utility", "must be finite");
            }
            let costs = [
                s.war_cost,
                s.capitulation_cost,
                s.audience_cost,
                s.deal_cost,
                s.sanctions_cost,
            ];
            if !costs.iter().all(|x| x.is_finite() && *x >= 0.0) {
                return bad("cost", "costs must be finite and >= 0");
            }
        }
        for r in &self.red_lines {
            if r.side > 1 {
                return bad("red_line", "side must be 0 or 1");
            }
            if !r.probability.iter().all(|p| (0.0..=1.0).contains(p)) {
                return bad("red_line", "probabilities must be in [0, 1]");
            }
        }
        Ok(())
    }
}

/// What follows at a leaf on one branch of nature's draw of the red lines.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Consequence {
    /// The game ends in this outcome with these payoffs.
    Outcome(IigOutcome, [f64; 2]),
    /// Side `by` uses force; the other retaliates (war started by `by`) or gives in (its
    /// capitulation).
    Force {
        /// Who uses force.
        by: usize,
        /// Payoffs if the other side retaliates (`WAR_by`).
        retaliate: [f64; 2],
        /// Payoffs if it gives in (its `CAP`).
        give_in: [f64; 2],
    },
}

/// One leaf of the game: nature's branches (probabilities summing to 1; a single branch when no
/// red line acts there).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IigLeaf {
    /// (probability, what follows).
    pub branches: Vec<(f64, Consequence)>,
}

/// The game's utilities: one leaf per outcome, and the factor that puts each side's utilities in
/// units of its stake (1 in mapping 2, `1/s_i` in mapping 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IigGame {
    /// Indexed like [`IigOutcome::ALL`].
    pub leaves: [IigLeaf; 8],
    /// The plain payoffs of each outcome (no red line acting), indexed like [`IigOutcome::ALL`].
    pub payoffs: [[f64; 2]; 8],
    /// Per side: the factor from game utilities to units of its stake.
    pub to_stake: [f64; 2],
}

impl IigGame {
    /// The same game with side `i`'s utilities `u` replaced by `scale · u + offset` (`scale > 0`),
    /// a change of units that leaves its preferences unchanged; `to_stake` follows.
    pub fn rescaled(&self, i: usize, scale: f64, offset: f64) -> IigGame {
        let mut g = self.clone();
        let f = |v: &mut [f64; 2]| v[i] = scale * v[i] + offset;
        for p in g.payoffs.iter_mut() {
            f(p);
        }
        for l in g.leaves.iter_mut() {
            for (_, c) in l.branches.iter_mut() {
                match c {
                    Consequence::Outcome(_, v) => f(v),
                    Consequence::Force {
                        retaliate, give_in, ..
                    } => {
                        f(retaliate);
                        f(give_in);
                    }
                }
            }
        }
        g.to_stake[i] /= scale;
        g
    }
}

/// The one function for the game's utilities (see the module docs): the payoffs of every outcome
/// and what the red lines do at each.
pub fn iig_game(x: &IigInputs) -> IigGame {
    let p = [x.p_win, 1.0 - x.p_win];
    let tau = x.first_strike_cost;
    let s = &x.sides;
    let mut pay = [[0.0; 2]; 8];
    let to_stake;
    if x.mapping == 1 {
        let war = |i: usize, first: bool| {
            p[i] + (1.0 - p[i]) * s[i].other - s[i].war_cost - if first { 0.0 } else { tau }
        };
        let phi = |i: usize| {
            if (1.0 - s[i].other).abs() > 1e-12 {
                ((s[i].neg - s[i].other) / (1.0 - s[i].other)).clamp(0.0, 1.0)
            } else {
                0.5
            }
        };
        let negu = |i: usize| phi(i) + (1.0 - phi(i)) * s[i].other;
        for i in 0..2 {
            let j = 1 - i;
            pay[IigOutcome::Sq as usize][i] = s[i].sq;
            pay[IigOutcome::acq(i) as usize][i] = s[i].other;
            pay[IigOutcome::acq(j) as usize][i] = 1.0;
            pay[IigOutcome::Neg as usize][i] = negu(i);
            // (Summed first, as the original mapping did, so its payoffs stay bit for bit.)
            pay[IigOutcome::cap(i) as usize][i] =
                s[i].other - (s[i].capitulation_cost + s[i].audience_cost);
            pay[IigOutcome::cap(j) as usize][i] = 1.0;
            pay[IigOutcome::war(i) as usize][i] = war(i, true);
            pay[IigOutcome::war(j) as usize][i] = war(i, false);
        }
        // Red lines: the side prefers war to a crossed outcome, by a margin.
        for r in &x.red_lines {
            let cap = war(r.side, true) - RED_LINE_MARGIN;
            for o in IigOutcome::ALL {
                if r.probability[o as usize] > 0.0 {
                    let u = &mut pay[o as usize][r.side];
                    *u = u.min(cap);
                }
            }
        }
        to_stake = [1.0 / s[0].stake(), 1.0 / s[1].stake()];
        let leaves = IigOutcome::ALL.map(|o| IigLeaf {
            branches: vec![(1.0, Consequence::Outcome(o, pay[o as usize]))],
        });
        return IigGame {
            leaves,
            payoffs: pay,
            to_stake,
        };
    }
    for i in 0..2 {
        let j = 1 - i;
        let st = s[i].stake();
        let phi = (s[i].neg - s[i].other) / st;
        let (a, d) = (s[i].audience_cost, s[i].deal_cost);
        pay[IigOutcome::Sq as usize][i] = (s[i].sq - s[i].other) / st;
        pay[IigOutcome::acq(i) as usize][i] = -d;
        pay[IigOutcome::acq(j) as usize][i] = 1.0;
        pay[IigOutcome::Neg as usize][i] = phi - d - a * (1.0 - phi);
        pay[IigOutcome::cap(i) as usize][i] = -s[i].capitulation_cost - a;
        pay[IigOutcome::cap(j) as usize][i] = 1.0;
        pay[IigOutcome::war(i) as usize][i] = p[i] - s[i].war_cost;
        pay[IigOutcome::war(j) as usize][i] = p[i] - s[i].war_cost - tau;
    }
    to_stake = [1.0, 1.0];
    let leaves = IigOutcome::ALL.map(|o| leaf_v2(x, &pay, o));
    IigGame {
        leaves,
        payoffs: pay,
        to_stake,
    }
}

/// Mapping 2: nature's branches at outcome `o`.
fn leaf_v2(x: &IigInputs, pay: &[[f64; 2]; 8], o: IigOutcome) -> IigLeaf {
    let k = o as usize;
    if matches!(o, IigOutcome::WarA | IigOutcome::WarB) {
        return IigLeaf {
            branches: vec![(1.0, Consequence::Outcome(o, pay[k]))],
        };
    }
    // Probability that at least one red line of `side` with `action` acts here.
    let any = |side: usize, action: RedLineAction| {
        1.0 - x
            .red_lines
            .iter()
            .filter(|r| r.side == side && r.action == action)
            .map(|r| 1.0 - r.probability[k])
            .product::<f64>()
    };
    let consequence = |side: usize, action: RedLineAction| -> Consequence {
        let j = 1 - side;
        // At the side's own capitulation, any forceful answer is fighting back: war started by j.
        if o == IigOutcome::cap(side) {
            let w = IigOutcome::war(j);
            return Consequence::Outcome(w, pay[w as usize]);
        }
        match action {
            RedLineAction::Force => Consequence::Force {
                by: side,
                retaliate: pay[IigOutcome::war(side) as usize],
                give_in: pay[IigOutcome::cap(j) as usize],
            },
            _ => {
                let w = IigOutcome::war(side);
                Consequence::Outcome(w, pay[w as usize])
            }
        }
    };
    let mut branches = Vec::new();
    let mut rest = 1.0;
    for (side, action) in [
        (0, RedLineAction::War),
        (1, RedLineAction::War),
        (0, RedLineAction::Force),
        (1, RedLineAction::Force),
    ] {
        let q = any(side, action);
        if q > 0.0 && rest > 0.0 {
            branches.push((rest * q, consequence(side, action)));
            rest *= 1.0 - q;
        }
    }
    if rest > 0.0 {
        let mut u = pay[k];
        for side in 0..2 {
            let q = any(side, RedLineAction::Sanctions);
            u[1 - side] -= q * x.sides[1 - side].sanctions_cost;
        }
        branches.push((rest, Consequence::Outcome(o, u)));
    }
    IigLeaf { branches }
}

/// A child in the fast walk: a decision node (index into `NODES`) or a leaf.
#[derive(Clone, Copy)]
enum Kid {
    Node(usize),
    Leaf(IigOutcome),
}

/// The IIG's decision nodes (models.md section 5), children before parents: (mover, children).
const NODES: [(usize, [Kid; 2]); 10] = [
    // 0: node 8 / 12 (A after B's force): retaliate or give in.
    (
        0,
        [Kid::Leaf(IigOutcome::WarB), Kid::Leaf(IigOutcome::CapA)],
    ),
    // 1: node 10 / 11 (B after A's force).
    (
        1,
        [Kid::Leaf(IigOutcome::WarA), Kid::Leaf(IigOutcome::CapB)],
    ),
    // 2: node 7 (A): force (-> 11) or settle.
    (0, [Kid::Node(1), Kid::Leaf(IigOutcome::Neg)]),
    // 3: node 9 (B): force (-> 12) or settle.
    (1, [Kid::Node(0), Kid::Leaf(IigOutcome::Neg)]),
    // 4: node 6 (B): force (-> 8) or not (-> 7).
    (1, [Kid::Node(0), Kid::Node(2)]),
    // 5: node 5 (A): force (-> 10) or not (-> 9).
    (0, [Kid::Node(1), Kid::Node(3)]),
    // 6: node 4 (A): acquiesce or counter-demand (-> 6).
    (0, [Kid::Leaf(IigOutcome::AcqA), Kid::Node(4)]),
    // 7: node 3 (B): acquiesce or counter-demand (-> 5).
    (1, [Kid::Leaf(IigOutcome::AcqB), Kid::Node(5)]),
    // 8: node 2 (B): no demand (SQ) or demand (-> 4).
    (1, [Kid::Leaf(IigOutcome::Sq), Kid::Node(6)]),
    // 9: node 1 (A): no demand (-> 2) or demand (-> 3).
    (0, [Kid::Node(8), Kid::Node(7)]),
];
const ROOT: usize = 9;

/// A value and an outcome distribution.
#[derive(Clone, Copy)]
struct Vd {
    v: [f64; 2],
    d: [f64; 8],
}

impl Vd {
    fn leaf(o: IigOutcome, v: [f64; 2]) -> Vd {
        let mut d = [0.0; 8];
        d[o as usize] = 1.0;
        Vd { v, d }
    }
    fn mix(parts: &[(f64, Vd)]) -> Vd {
        let mut out = Vd {
            v: [0.0; 2],
            d: [0.0; 8],
        };
        for (w, x) in parts {
            out.v[0] += w * x.v[0];
            out.v[1] += w * x.v[1];
            for (a, b) in out.d.iter_mut().zip(&x.d) {
                *a += w * b;
            }
        }
        out
    }
}

/// How a mover chooses between two options: returns the probability of the first.
fn walk(g: &IigGame, choose: &dyn Fn(usize, f64, f64) -> Option<f64>) -> Option<[f64; 8]> {
    walk_from(g, choose, ROOT)
}

/// [`walk`] from decision node `start` (an index into `NODES`): the outcome distribution of the
/// subgame that begins there.
fn walk_from(
    g: &IigGame,
    choose: &dyn Fn(usize, f64, f64) -> Option<f64>,
    start: usize,
) -> Option<[f64; 8]> {
    let mut leaf = [Vd::leaf(IigOutcome::Sq, [0.0; 2]); 8];
    for o in IigOutcome::ALL {
        let mut acc = Vd {
            v: [0.0; 2],
            d: [0.0; 8],
        };
        for (q, c) in &g.leaves[o as usize].branches {
            let vd = match *c {
                Consequence::Outcome(x, v) => Vd::leaf(x, v),
                Consequence::Force {
                    by,
                    retaliate,
                    give_in,
                } => {
                    let j = 1 - by;
                    let pr = choose(j, retaliate[j], give_in[j])?;
                    Vd::mix(&[
                        (pr, Vd::leaf(IigOutcome::war(by), retaliate)),
                        (1.0 - pr, Vd::leaf(IigOutcome::cap(j), give_in)),
                    ])
                }
            };
            acc = Vd::mix(&[(1.0, acc), (*q, vd)]);
        }
        leaf[o as usize] = acc;
    }
    let mut node = [leaf[0]; 10];
    for (k, (mover, kids)) in NODES.iter().enumerate() {
        let get = |kid: Kid| match kid {
            Kid::Node(n) => node[n],
            Kid::Leaf(o) => leaf[o as usize],
        };
        let (a, b) = (get(kids[0]), get(kids[1]));
        let pa = choose(*mover, a.v[*mover], b.v[*mover])?;
        node[k] = Vd::mix(&[(pa, a), (1.0 - pa, b)]);
        if k == start {
            break;
        }
    }
    Some(node[start].d)
}

/// Where play of the International Interaction Game begins: at the root, or in the subgame that
/// follows a move already made (for crises observed after their first move, e.g. International
/// Crisis Behavior cases whose trigger was a demand or an act of force).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum IigStart {
    /// The challenger's first choice (demand or not): the whole game.
    Root,
    /// The challenger has demanded; the defender acquiesces or counter-demands.
    AfterDemand,
    /// The challenger has used force; the defender retaliates (war) or gives in.
    AfterForce,
}

impl IigStart {
    fn node(self) -> usize {
        match self {
            IigStart::Root => ROOT,
            IigStart::AfterDemand => 7,
            IigStart::AfterForce => 1,
        }
    }
}

/// [`iig_qre_outcomes`] of the subgame that begins at `start` (the same precisions and choice
/// rule at every node of it; outcomes outside the subgame get probability 0).
pub fn iig_qre_outcomes_at(g: &IigGame, lambda: f64, start: IigStart) -> [f64; 8] {
    let l = [lambda * g.to_stake[0], lambda * g.to_stake[1]];
    walk_from(
        g,
        &|m, a, b| Some(1.0 / (1.0 + (l[m] * (b - a)).exp())),
        start.node(),
    )
    .expect("the logit choice never ties")
}

/// The outcome probabilities of the game's subgame-perfect equilibrium (indexed like
/// [`IigOutcome::ALL`]; nature's red-line draws averaged), by backward induction in `f64` over the
/// fixed tree; `None` when any comparison is a tie (within a relative 1e-12), so that the caller
/// can fall back to the exact solver, which reports every equilibrium the ties allow.
pub fn iig_spe_outcomes(g: &IigGame) -> Option<[f64; 8]> {
    walk(g, &|_, a, b| {
        let scale = a.abs().max(b.abs()).max(1.0);
        if (a - b).abs() <= 1e-12 * scale {
            None
        } else if a > b {
            Some(1.0)
        } else {
            Some(0.0)
        }
    })
}

/// The outcome probabilities (indexed like [`IigOutcome::ALL`]) of the logit agent quantal response
/// equilibrium of the complete-information game, with precision `lambda` on utilities in units of
/// each side's stake (exact backward recursion; `lambda = 0`: uniform play at every node).
pub fn iig_qre_outcomes(g: &IigGame, lambda: f64) -> [f64; 8] {
    let l = [lambda * g.to_stake[0], lambda * g.to_stake[1]];
    walk(g, &|m, a, b| Some(1.0 / (1.0 + (l[m] * (b - a)).exp())))
        .expect("the logit choice never ties")
}

/// The violence of a crisis outcome on the International Crisis Behavior project's scale of the
/// crisis's most intense violence (`VIOL`: 1 no violence, 2 minor clashes, 3 serious clashes,
/// 4 full-scale war; Brecher and Wilkenfeld, ICB codebook).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Violence {
    /// VIOL 1: no violence (a settlement, the status quo, acquiescence; sanctions).
    None,
    /// VIOL 2-3: force short of war (one side uses force and the other gives in).
    Clashes,
    /// VIOL 4: full-scale war.
    War,
}

/// The violence level of each outcome class, indexed like [`crate::standoff::CLASSES`]: war is
/// VIOL 4; capitulation after force (either side) VIOL 2-3; a negotiated settlement, the status
/// quo and acquiescence VIOL 1.
pub const CLASS_VIOLENCE: [Violence; 7] = [
    Violence::War,
    Violence::None,
    Violence::None,
    Violence::None,
    Violence::None,
    Violence::Clashes,
    Violence::Clashes,
];

/// Probabilities of the ICB violence levels `[VIOL 1, VIOL 2-3, VIOL 4]` from outcome-class
/// probabilities indexed like [`crate::standoff::CLASSES`] (see [`CLASS_VIOLENCE`]).
pub fn violence_probabilities(classes: &[f64; 7]) -> [f64; 3] {
    let mut out = [0.0; 3];
    for (p, v) in classes.iter().zip(CLASS_VIOLENCE) {
        out[v as usize] += p;
    }
    out
}

/// The outcome-class probabilities (indexed like [`crate::standoff::CLASSES`]) of outcome
/// probabilities indexed like [`IigOutcome::ALL`].
pub fn classes_of(outcomes: &[f64; 8]) -> [f64; 7] {
    let mut c = [0.0; 7];
    for o in IigOutcome::ALL {
        c[o.class_index()] += outcomes[o as usize];
    }
    c
}

/// The inside view's probabilities in one call: the outcome-class probabilities (indexed like
/// [`crate::standoff::CLASSES`]: war, negotiated settlement, status quo, challenger acquiesces,
/// defender acquiesces, challenger capitulates, defender capitulates) of the logit quantal response
/// equilibrium of the International Interaction Game built from `inputs`, at precision `lambda`
/// (utilities in units of each side's stake; `lambda >= 0`). The inputs are not checked here (call
/// [`IigInputs::validate`] once for data from outside). Smooth in every input and in `lambda`; meant for
/// maximum-likelihood estimation of `lambda` and for Monte Carlo (about 1.2 µs a call,
/// `benches/inside_view.rs`).
pub fn iig_outcome_probabilities(inputs: &IigInputs, lambda: f64) -> [f64; 7] {
    classes_of(&iig_qre_outcomes(&iig_game(inputs), lambda))
}

/// The exact game tree of `g` (the template's tree, each leaf replaced by nature's red-line
/// branches where red lines act), with decision nodes' information-set keys from
/// `key(player, position)` as in [`iig_tree_with`] (a red line's force at a leaf is answered at
/// the position `"<leaf position>/force by A"` or `".../force by B"`). Payoffs and probabilities become the exact rationals
/// of their `f64` values (the last branch takes the remainder, so that they sum to 1).
pub fn iig_tree_of(g: &IigGame, key: &dyn Fn(usize, &str) -> Option<String>) -> Result<Tree> {
    let conv = |v: [f64; 2]| -> Result<Vec<Rational>> {
        v.iter()
            .map(|x| {
                rational_from_f64(*x).ok_or_else(|| {
                    CrisisError::InvalidGame(format!("non-finite payoff {x} in the crisis game"))
                })
            })
            .collect()
    };
    // Check every number first, so that the tree builder below cannot fail.
    for l in &g.leaves {
        for (q, c) in &l.branches {
            if !q.is_finite() {
                return Err(CrisisError::InvalidGame("non-finite probability".into()));
            }
            match c {
                Consequence::Outcome(_, v) => {
                    conv(*v)?;
                }
                Consequence::Force {
                    retaliate, give_in, ..
                } => {
                    conv(*retaliate)?;
                    conv(*give_in)?;
                }
            }
        }
    }
    let sub = |c: &Consequence, at: &str| -> Tree {
        match *c {
            Consequence::Outcome(o, v) => Tree::leaf(o.label(), conv(v).unwrap_or_default()),
            Consequence::Force {
                by,
                retaliate,
                give_in,
            } => {
                let j = 1 - by;
                // One place per leaf and user of force, whatever else nature may draw there, so
                // that the same place in several types' trees can share an information set.
                let pos = format!("{at}/force by {}", if by == 0 { "A" } else { "B" });
                Tree::Decision {
                    player: j,
                    infoset: key(j, &pos),
                    label: pos,
                    actions: vec![
                        (
                            "Retaliate".into(),
                            Tree::leaf(
                                IigOutcome::war(by).label(),
                                conv(retaliate).unwrap_or_default(),
                            ),
                        ),
                        (
                            "GiveIn".into(),
                            Tree::leaf(
                                IigOutcome::cap(j).label(),
                                conv(give_in).unwrap_or_default(),
                            ),
                        ),
                    ],
                }
            }
        }
    };
    let leaf_at = |label: &str, at: &str| -> Tree {
        let o = IigOutcome::from_label(label).expect("the template's labels");
        let branches = &g.leaves[o as usize].branches;
        let live: Vec<&(f64, Consequence)> = branches.iter().filter(|(q, _)| *q > 0.0).collect();
        if live.len() == 1 {
            return sub(&live[0].1, at);
        }
        // Exact rationals of the f64 probabilities, normalised exactly to sum to 1.
        let ps: Vec<Rational> = live
            .iter()
            .map(|(q, _)| rational_from_f64(*q).unwrap_or_default())
            .collect();
        let total: Rational = ps.iter().fold(Rational::zero(), |a, b| a + b);
        let kids = live
            .iter()
            .zip(ps)
            .map(|((_, c), p)| {
                let name = match c {
                    Consequence::Outcome(x, _) if *x == o => "stands".to_string(),
                    Consequence::Outcome(x, _) => format!("red line: {}", x.label()),
                    Consequence::Force { by, .. } => {
                        format!("red line: force by {}", if *by == 0 { "A" } else { "B" })
                    }
                };
                (name, p / &total, sub(c, at))
            })
            .collect();
        Tree::Chance {
            label: format!("{at} red lines"),
            branches: kids,
        }
    };
    Ok(iig_tree_with(&leaf_at, key))
}
