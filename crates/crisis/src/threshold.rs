//! Threshold analysis: the parameter values at which the equilibrium path changes.
//!
//! Given a family of perfect-information games `θ ↦ G(θ)` (a closure), the range is scanned on a grid
//! of `samples` points; wherever the equilibrium path (the nodes reached under the first subgame-perfect
//! equilibrium, solved exactly) differs between neighbours, the switch point is located by bisection
//! to within `1e-12 · max(1, |θ|)` (so well inside `1e-9`). Several switches between two grid points are
//! found by restarting the search after each one; two switches that cancel within one grid step can
//! be missed, so choose `samples` to suit the family (payoffs affine in θ switch at most once per pair of
//! leaves compared at a node).
//!
//! For families whose payoffs are affine in θ, [`exact_breakpoints`] finds every switch exactly (as
//! rationals) by parametric backward induction, with no grid.
//!
//! # References
//! Standard comparative statics of extensive-form games; see e.g. Signorino (1999) on how predicted
//! crisis outcomes move with payoff parameters.

use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeId};
use crate::num::Rational;
use crate::spe::solve_spe_capped;
use serde::Serialize;

/// The most grid points a scan may be asked for ([`breakpoints`]): each solves the game once.
pub const MAX_SAMPLES: usize = 100_000;

/// Checks a number of grid points against [`MAX_SAMPLES`].
pub fn check_samples(
    samples: usize,
) -> std::result::Result<usize, brink_scenario::limits::CountError> {
    brink_scenario::limits::check_count(
        "samples",
        samples as u64,
        MAX_SAMPLES as u64,
        "each sample solves the game once",
    )
    .map(|_| samples)
}

/// A parameter value at which the equilibrium path changes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breakpoint {
    /// The switch point (to within the tolerance).
    pub at: f64,
    /// Path just below.
    pub path_before: Vec<NodeId>,
    /// Path just above.
    pub path_after: Vec<NodeId>,
    /// Outcome labels reached just below.
    pub outcomes_before: Vec<String>,
    /// Outcome labels reached just above.
    pub outcomes_after: Vec<String>,
}

type Sig = (Vec<NodeId>, Vec<String>);

fn signature(g: &Game) -> Result<Sig> {
    let sol = solve_spe_capped::<Rational>(g, 1)?;
    let e = sol
        .equilibria
        .first()
        .ok_or_else(|| CrisisError::NoEquilibrium("empty game".into()))?;
    Ok((
        e.path.clone(),
        e.outcome_probs.iter().map(|(l, _)| l.clone()).collect(),
    ))
}

/// Breakpoints of `f` on `[lo, hi]` (see the module docs); `f` returns a game for each θ. At most
/// [`MAX_SAMPLES`] grid points.
pub fn breakpoints<F: Fn(f64) -> Game>(
    f: F,
    lo: f64,
    hi: f64,
    samples: usize,
) -> Result<Vec<Breakpoint>> {
    breakpoints_fallible(|x| Ok(f(x)), lo, hi, samples)
}

/// As [`breakpoints`] for a closure that may fail (e.g. a template with parameter checks).
pub fn breakpoints_fallible<F: Fn(f64) -> Result<Game>>(
    f: F,
    lo: f64,
    hi: f64,
    samples: usize,
) -> Result<Vec<Breakpoint>> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return Err(CrisisError::InvalidParameter {
            name: "range",
            message: "need finite lo < hi".into(),
        });
    }
    if let Err(e) = check_samples(samples) {
        return Err(CrisisError::InvalidParameter {
            name: "samples",
            message: e.to_string(),
        });
    }
    let samples = samples.max(2);
    let sig = |x: f64| -> Result<Sig> { signature(&f(x)?) };
    let mut out = Vec::new();
    let grid: Vec<f64> = (0..samples)
        .map(|k| {
            if k + 1 == samples {
                hi
            } else {
                lo + (hi - lo) * k as f64 / (samples - 1) as f64
            }
        })
        .collect();
    let mut prev = (grid[0], sig(grid[0])?);
    for &x in &grid[1..] {
        let end = sig(x)?;
        // Find every switch in (prev.0, x].
        let mut left = prev.clone();
        while left.1 != end {
            if out.len() >= 10_000 {
                return Err(CrisisError::Unsupported(
                    "more than 10,000 breakpoints: the path keeps switching".into(),
                ));
            }
            let (mut a, mut b) = (left.0, x);
            let mut sb = end.clone();
            loop {
                let tol = 1e-12 * a.abs().max(b.abs()).max(1.0);
                if b - a <= tol {
                    break;
                }
                let m = a + (b - a) / 2.0;
                if m <= a || m >= b {
                    break;
                }
                let sm = sig(m)?;
                if sm == left.1 {
                    a = m;
                } else {
                    b = m;
                    sb = sm;
                }
            }
            out.push(Breakpoint {
                at: (a + b) / 2.0,
                path_before: left.1 .0.clone(),
                path_after: sb.0.clone(),
                outcomes_before: left.1 .1.clone(),
                outcomes_after: sb.1.clone(),
            });
            left = (b, sb);
        }
        prev = (x, end);
    }
    Ok(out)
}

/// A switch point found exactly (see [`exact_breakpoints`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExactBreakpoint {
    /// The switch point, exactly.
    pub at: Rational,
    /// Path just below.
    pub path_before: Vec<NodeId>,
    /// Path just above.
    pub path_after: Vec<NodeId>,
    /// Outcome labels reached just below.
    pub outcomes_before: Vec<String>,
    /// Outcome labels reached just above.
    pub outcomes_after: Vec<String>,
}

/// Exact breakpoints for a perfect-information family whose payoffs are affine in θ (chance
/// probabilities and the tree fixed), by parametric backward induction.
///
/// `f` is called at `lo`, `hi` and the midpoint only: the payoffs' slopes come from the ends, and the
/// midpoint must lie exactly on the line (otherwise the family is refused as not affine). Starting at
/// `lo`, the equilibrium valid just above θ is found by backward induction comparing `(value, slope)`
/// lexicographically (exact ties go to the lower action index); under that profile every decision's
/// margin is affine in θ, so the next θ where a margin reaches zero is computed exactly. Every switch
/// of the profile is visited; those that change the path are returned. No grid: no switch is missed.
pub fn exact_breakpoints<F: Fn(&Rational) -> Result<Game>>(
    f: F,
    lo: &Rational,
    hi: &Rational,
) -> Result<Vec<ExactBreakpoint>> {
    use crate::certify::{reach_probabilities, values_with, NumGame, Profile};
    use crate::game::{NodeKind, Owner};
    use num_traits::Zero;
    if lo >= hi {
        return Err(CrisisError::InvalidParameter {
            name: "range",
            message: "need lo < hi".into(),
        });
    }
    let g_lo = f(lo)?;
    let g_hi = f(hi)?;
    let mid = (lo + hi) / Rational::from_integer(2.into());
    let g_mid = f(&mid)?;
    if !g_lo.is_perfect_information() {
        return Err(CrisisError::Unsupported(
            "exact breakpoints need perfect information".into(),
        ));
    }
    let same_shape = |a: &Game, b: &Game| {
        a.nodes.len() == b.nodes.len()
            && a.outcomes.len() == b.outcomes.len()
            && a.nodes
                .iter()
                .zip(&b.nodes)
                .all(|(x, y)| x.kind == y.kind && x.outcome == y.outcome)
            && a.infosets
                .iter()
                .zip(&b.infosets)
                .all(|(x, y)| x.owner == y.owner && x.probs == y.probs)
    };
    if !same_shape(&g_lo, &g_hi) || !same_shape(&g_lo, &g_mid) {
        return Err(CrisisError::Unsupported(
            "the tree or chance probabilities change with the parameter".into(),
        ));
    }
    let width = hi - lo;
    let slopes: Vec<Vec<Rational>> = g_lo
        .outcomes
        .iter()
        .zip(&g_hi.outcomes)
        .map(|(a, b)| {
            a.payoffs
                .iter()
                .zip(&b.payoffs)
                .map(|(x, y)| (y - x) / &width)
                .collect()
        })
        .collect();
    for ((a, m), s) in g_lo.outcomes.iter().zip(&g_mid.outcomes).zip(&slopes) {
        for ((x, y), d) in a.payoffs.iter().zip(&m.payoffs).zip(s) {
            if *y != x + d * (&mid - lo) {
                return Err(CrisisError::Unsupported(format!(
                    "payoffs of `{}` are not affine in the parameter",
                    a.label
                )));
            }
        }
    }
    let game_at = |t: &Rational| {
        let mut g = g_lo.clone();
        for (o, s) in g.outcomes.iter_mut().zip(&slopes) {
            for (x, d) in o.payoffs.iter_mut().zip(s) {
                *x = &*x + d * (t - lo);
            }
        }
        g
    };
    let mut slope_game = g_lo.clone();
    for (o, s) in slope_game.outcomes.iter_mut().zip(&slopes) {
        o.payoffs = s.clone();
    }
    let ng1 = NumGame::<Rational>::new(&slope_game);
    let n = g_lo.nodes.len();
    let np = g_lo.players.len();
    // Profile valid just above t: backward induction on (value, slope).
    let profile_above = |t: &Rational| -> Profile {
        let g = game_at(t);
        let ng0 = NumGame::<Rational>::new(&g);
        let mut v0: Vec<Vec<Rational>> = vec![Vec::new(); n];
        let mut v1: Vec<Vec<Rational>> = vec![Vec::new(); n];
        let mut actions = vec![None; g.infosets.len()];
        for id in (0..n).rev() {
            let mut a0 = ng0.node_pay[id]
                .clone()
                .unwrap_or_else(|| vec![Rational::zero(); np]);
            let mut a1 = ng1.node_pay[id]
                .clone()
                .unwrap_or_else(|| vec![Rational::zero(); np]);
            match &g.nodes[id].kind {
                NodeKind::Terminal => {}
                NodeKind::Decision { infoset, children } => {
                    let Owner::Player(i) = g.infosets[*infoset].owner else {
                        continue;
                    };
                    let mut best = 0;
                    for k in 1..children.len() {
                        let (c, b) = (children[k], children[best]);
                        if (&v0[c][i], &v1[c][i]) > (&v0[b][i], &v1[b][i]) {
                            best = k;
                        }
                    }
                    actions[*infoset] = Some(best);
                    let c = children[best];
                    for j in 0..np {
                        a0[j] += &v0[c][j];
                        a1[j] += &v1[c][j];
                    }
                }
                NodeKind::Chance { infoset, children } => {
                    for (k, &c) in children.iter().enumerate() {
                        let q = &g.infosets[*infoset].probs[k];
                        for j in 0..np {
                            a0[j] += q * &v0[c][j];
                            a1[j] += q * &v1[c][j];
                        }
                    }
                }
            }
            v0[id] = a0;
            v1[id] = a1;
        }
        Profile { actions }
    };
    let describe = |p: &Profile| -> Result<(Vec<NodeId>, Vec<String>)> {
        let reach = reach_probabilities::<Rational>(&g_lo, p)?;
        let path: Vec<NodeId> = (0..n).filter(|&k| !reach[k].is_zero()).collect();
        let mut labels: Vec<String> = path
            .iter()
            .filter(|&&k| matches!(g_lo.nodes[k].kind, NodeKind::Terminal))
            .map(|&k| g_lo.terminal_label(k).to_string())
            .collect();
        labels.sort();
        labels.dedup();
        Ok((path, labels))
    };
    let mut t = lo.clone();
    let mut prof = profile_above(&t);
    let mut out = Vec::new();
    for _ in 0..100_000 {
        let g = game_at(&t);
        let v0 = values_with(&g, &NumGame::<Rational>::new(&g), &prof);
        let v1 = values_with(&slope_game, &ng1, &prof);
        let mut next: Option<Rational> = None;
        for node in &g.nodes {
            let NodeKind::Decision { infoset, children } = &node.kind else {
                continue;
            };
            let Owner::Player(i) = g.infosets[*infoset].owner else {
                continue;
            };
            let c = children[prof.actions[*infoset].unwrap_or(0)];
            for &d in children {
                let d0 = &v0[c][i] - &v0[d][i];
                let d1 = &v1[c][i] - &v1[d][i];
                if d1 < Rational::zero() && d0 > Rational::zero() {
                    let root = &t + d0 / -d1;
                    if next.as_ref().map(|x| root < *x).unwrap_or(true) {
                        next = Some(root);
                    }
                }
            }
        }
        let Some(tn) = next.filter(|x| x < hi) else {
            return Ok(out);
        };
        let new_prof = profile_above(&tn);
        let (pb, ob) = describe(&prof)?;
        let (pa, oa) = describe(&new_prof)?;
        if pb != pa {
            out.push(ExactBreakpoint {
                at: tn.clone(),
                path_before: pb,
                path_after: pa,
                outcomes_before: ob,
                outcomes_after: oa,
            });
        }
        t = tn;
        prof = new_prof;
    }
    Err(CrisisError::Unsupported(
        "more than 100,000 profile switches".into(),
    ))
}
