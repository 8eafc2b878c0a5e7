//! Audience costs and the credibility of public threats (after Fearon 1994), kept deliberately simple.
//!
//! An issue worth 1 is held by B (status quo: A gets 0, B gets 1). A has made a **public** threat.
//! B either concedes (A gets 1, B gets 0) or resists; then A fights (war: A gets `p - c_A`, B gets
//! `1 - p - c_B`) or backs down (A gets `-a`, the audience cost of having been "seen bluffing"; B keeps 1).
//!
//! - **Credibility** (known `c_A`): A fights iff `p - c_A >= -a`, i.e. iff the audience cost exceeds the
//!   net gain from retreat, `a >= c_A - p`.
//! - **Uncertain resolve**: B sees `c_A ~ U[lo, hi]`. A is resolved with probability
//!   `r = F(p + a) = clamp((p + a - lo)/(hi - lo), 0, 1)`. B resists iff `r (1 - p - c_B) + (1 - r) > 0`,
//!   i.e. iff `r (p + c_B) < 1` (B concedes when indifferent). Then `Pr(war) = r` and
//!   `Pr(A backs down) = 1 - r`; if B concedes, `Pr(war) = 0`.
//!
//! So raising `a` makes war more likely while B still resists, until resolve is likely enough
//! (`r >= 1/(p + c_B)`) that B concedes at once, and war disappears. The threat itself is taken as
//! given (the choice to threaten is not modelled here; [`crate::templates::escalation_ladder`] has
//! the sequential version).
//!
//! # References
//! Fearon, J. D. (1994), "Domestic political audiences and the escalation of international disputes",
//! *American Political Science Review* 88(3), 577-592.

use crate::error::{CrisisError, Result};
use crate::game::{Game, Tree};
use crate::num::{rational_from_decimal, Rational};
use num_traits::{One, Zero};
use serde::Serialize;

/// Whether A, having threatened publicly, prefers fighting to backing down: `p - c_A >= -a`.
pub fn threat_credible(p: f64, c_a: f64, audience_cost: f64) -> bool {
    p - c_a >= -audience_cost
}

/// The smallest audience cost that makes the threat credible: `max(0, c_A - p)`.
pub fn credibility_threshold(p: f64, c_a: f64) -> f64 {
    (c_a - p).max(0.0)
}

/// What happens after a public threat when B is unsure of A's resolve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThreatOutcome {
    /// Probability that A is resolved (would fight).
    pub pr_resolved: f64,
    /// Whether B resists.
    pub b_resists: bool,
    /// Probability of war.
    pub pr_war: f64,
    /// Probability that A backs down (and pays the audience cost).
    pub pr_back_down: f64,
    /// Probability that B concedes.
    pub pr_concede: f64,
}

/// The threat model with `c_A ~ U[c_a_lo, c_a_hi]` (see the module docs).
pub fn threat_outcome(
    p: f64,
    c_b: f64,
    audience_cost: f64,
    c_a_lo: f64,
    c_a_hi: f64,
) -> Result<ThreatOutcome> {
    let bad = |name: &'static str, m: &str| {
        Err(CrisisError::InvalidParameter {
            name,
            message: m.into(),
        })
    };
    if !(0.0..=1.0).contains(&p) {
        return bad("p", "must be in [0, 1]");
    }
    if !(c_b.is_finite() && c_b >= 0.0) {
        return bad("c_b", "must be finite and non-negative");
    }
    if !(audience_cost.is_finite() && audience_cost >= 0.0) {
        return bad("audience_cost", "must be finite and non-negative");
    }
    if !(c_a_lo.is_finite() && c_a_hi.is_finite() && c_a_lo < c_a_hi) {
        return bad("c_a_hi", "need finite c_a_lo < c_a_hi");
    }
    let r = ((p + audience_cost - c_a_lo) / (c_a_hi - c_a_lo)).clamp(0.0, 1.0);
    let resists = r * (p + c_b) < 1.0;
    Ok(if resists {
        ThreatOutcome {
            pr_resolved: r,
            b_resists: true,
            pr_war: r,
            pr_back_down: 1.0 - r,
            pr_concede: 0.0,
        }
    } else {
        ThreatOutcome {
            pr_resolved: r,
            b_resists: false,
            pr_war: 0.0,
            pr_back_down: 0.0,
            pr_concede: 1.0,
        }
    })
}

/// The complete-information threat game as a tree (A: threaten or not; B: concede or resist; A: fight
/// or back down), for the equilibrium solvers and threshold analysis. Parameters are read as their
/// shortest decimals (`0.1` is `1/10`) and payoffs computed exactly.
pub fn threat_game(p: f64, c_a: f64, c_b: f64, audience_cost: f64) -> Result<Game> {
    let q = |x: f64, name: &'static str| {
        rational_from_decimal(x).ok_or(CrisisError::InvalidParameter {
            name,
            message: "must be finite".into(),
        })
    };
    let (p, c_a, c_b, a) = (
        q(p, "p")?,
        q(c_a, "c_a")?,
        q(c_b, "c_b")?,
        q(audience_cost, "audience_cost")?,
    );
    let (zero, one) = (Rational::zero(), Rational::one());
    let back = Tree::leaf("CAP_A", vec![-a, one.clone()]);
    let war = Tree::leaf("WAR", vec![&p - &c_a, &one - &p - &c_b]);
    let a2 = Tree::decision(0, vec![("BackDown", back), ("Fight", war)]);
    let b = Tree::decision(
        1,
        vec![
            (
                "Concede",
                Tree::leaf("ACQ_B", vec![one.clone(), zero.clone()]),
            ),
            ("Resist", a2),
        ],
    );
    let root = Tree::decision(
        0,
        vec![
            ("NoThreat", Tree::leaf("SQ", vec![zero, one])),
            ("Threaten", b),
        ],
    );
    Game::from_tree("Public threat with audience costs", &["A", "B"], root)
}
