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
//! # References
//! Standard comparative statics of extensive-form games; see e.g. Signorino (1999) on how predicted
//! crisis outcomes move with payoff parameters.

use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeId};
use crate::num::Rational;
use crate::spe::solve_spe_capped;
use serde::Serialize;

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

/// Breakpoints of `f` on `[lo, hi]` (see the module docs); `f` returns a game for each θ.
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
