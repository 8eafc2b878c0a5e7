//! The asymmetric Nash bargaining solution, with the status quo as the disagreement point.
//!
//! ```text
//! x* = argmax_x  prod_i (u_i(x) - u_i(q))^(w_i),   w_i = c_i s_i,
//!      over the x where every factor is positive;
//! linear loss:    u_i(x) = -|x - x_i|
//! quadratic loss: u_i(x) = -(x - x_i)^2
//! ```
//! Actors with zero weight have no say. In one dimension each factor is positive exactly on the
//! open interval (x_i - d_i, x_i + d_i) with d_i = |q - x_i| (for both losses), and q is an end
//! of every interval: an agreement exists only if every actor with weight lies strictly on the
//! same side of q. Otherwise the forecast is "no agreement" (q stays) and the actors on the
//! lighter side of q, and any actor whose ideal point is q itself, are named as blocking it.
//!
//! On the feasible interval (L, U) the log of the Nash product, f(x) = sum_i w_i ln g_i(x), is
//! strictly concave, so the maximum is unique. Linear loss: f is smooth between the actors'
//! positions and has kinks at them; the maximum is a kink where the left derivative is >= 0 >=
//! the right one, or the root of f' within one segment. Quadratic loss: f is smooth; the maximum
//! is the root of f'. Roots are found by bisection on the strictly decreasing f' down to
//! adjacent floating-point numbers: exact to machine precision, no step sizes, no tolerance.
//!
//! Without a status quo the model cannot run (the issue says so). Parameters: the loss (linear
//! for `nash`, quadratic for `nash-quadratic`).
//!
//! # References
//! - Nash, J. F. (1950). The bargaining problem. *Econometrica* 18, 155-162.
//! - Kalai, E. (1977). Nonsymmetric Nash solutions and replications of 2-person bargaining.
//!   *International Journal of Game Theory* 6, 129-133.
//! - Achen, C. H. (2006). Evaluating political decision-making models (the compromise model as
//!   the limit of the Nash solution). In *The European Union Decides*.

use crate::{IssueForecast, IssueView, Model, Outcome, Params, Player};

/// The loss function of the actors' utilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    /// u(x) = -|x - x_i|.
    Linear,
    /// u(x) = -(x - x_i)^2.
    Quadratic,
}

/// The Nash bargaining model with a given loss.
#[derive(Debug, Clone, Copy)]
pub struct Nash {
    /// The loss.
    pub loss: Loss,
}

impl Nash {
    /// Linear loss (`nash`).
    pub fn linear() -> Self {
        Nash { loss: Loss::Linear }
    }
    /// Quadratic loss (`nash-quadratic`).
    pub fn quadratic() -> Self {
        Nash {
            loss: Loss::Quadratic,
        }
    }
}

/// The solution of one issue.
#[derive(Debug, Clone, PartialEq)]
pub enum NashSolution {
    /// The maximiser, and the index (into the players) of the actor whose position it is, if a kink.
    Agreement(f64, Option<usize>),
    /// No agreement; indices (into the players) of the blocking actors.
    NoAgreement(Vec<usize>),
}

/// g_i(x) = u_i(x) - u_i(q).
fn gain(loss: Loss, xi: f64, q: f64, x: f64) -> f64 {
    match loss {
        Loss::Linear => (q - xi).abs() - (x - xi).abs(),
        Loss::Quadratic => (q - xi) * (q - xi) - (x - xi) * (x - xi),
    }
}

/// The log of the Nash product at x (-inf outside the feasible set).
pub fn log_nash_product(loss: Loss, players: &[Player], q: f64, x: f64) -> f64 {
    let mut f = 0.0;
    for p in players.iter().filter(|p| p.weight() > 0.0) {
        let g = gain(loss, p.position, q, x);
        if g <= 0.0 {
            return f64::NEG_INFINITY;
        }
        f += p.weight() * g.ln();
    }
    f
}

/// f'(x) from the left (`right = false`) or the right.
fn derivative(loss: Loss, players: &[Player], q: f64, x: f64, right: bool) -> f64 {
    let mut d = 0.0;
    for p in players.iter().filter(|p| p.weight() > 0.0) {
        let g = gain(loss, p.position, q, x);
        let dg = match loss {
            Loss::Linear => {
                if x > p.position || (x == p.position && right) {
                    -1.0
                } else {
                    1.0
                }
            }
            Loss::Quadratic => -2.0 * (x - p.position),
        };
        d += p.weight() * dg / g;
    }
    d
}

/// Bisection for the root of a strictly decreasing function on (a, b), with f(a+) > 0 > f(b-),
/// down to adjacent floating-point numbers.
fn bisect(mut a: f64, mut b: f64, f: impl Fn(f64) -> f64) -> f64 {
    loop {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            return m;
        }
        let v = f(m);
        if v > 0.0 {
            a = m;
        } else if v < 0.0 {
            b = m;
        } else {
            return m;
        }
    }
}

/// Solves one issue exactly (see the module doc).
pub fn solve(loss: Loss, players: &[Player], q: f64) -> NashSolution {
    let active: Vec<usize> = (0..players.len())
        .filter(|&i| players[i].weight() > 0.0)
        .collect();
    if active.is_empty() {
        // Nobody cares: no one gains from any move, the status quo stays.
        return NashSolution::NoAgreement(Vec::new());
    }
    let at_q: Vec<usize> = active
        .iter()
        .copied()
        .filter(|&i| players[i].position == q)
        .collect();
    let (above, below): (Vec<usize>, Vec<usize>) = active
        .iter()
        .copied()
        .filter(|&i| players[i].position != q)
        .partition(|&i| players[i].position > q);
    if !at_q.is_empty() || (!above.is_empty() && !below.is_empty()) {
        let w = |s: &[usize]| s.iter().map(|&i| players[i].weight()).sum::<f64>();
        let mut blockers = at_q;
        if !above.is_empty() && !below.is_empty() {
            // The lighter side blocks the heavier side's move (both would, but naming the minority
            // says who holds the veto against what most weight wants). Equal weight: both sides.
            let (wa, wb) = (w(&above), w(&below));
            if wa <= wb {
                blockers.extend(&above);
            }
            if wb <= wa {
                blockers.extend(&below);
            }
        }
        blockers.sort_unstable();
        return NashSolution::NoAgreement(blockers);
    }
    // All on one side of q: feasible interval (L, U) = intersection of (x_i - d_i, x_i + d_i).
    let (lo, hi) = if !above.is_empty() {
        let u = above
            .iter()
            .map(|&i| 2.0 * players[i].position - q)
            .fold(f64::INFINITY, f64::min);
        (q, u)
    } else {
        let l = below
            .iter()
            .map(|&i| 2.0 * players[i].position - q)
            .fold(f64::NEG_INFINITY, f64::max);
        (l, q)
    };
    // Kinks (linear loss): actor positions strictly inside (lo, hi), sorted.
    let mut cuts: Vec<(f64, usize)> = Vec::new();
    if loss == Loss::Linear {
        for &i in &active {
            let x = players[i].position;
            if x > lo && x < hi {
                cuts.push((x, i));
            }
        }
        cuts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        cuts.dedup_by(|a, b| a.0 == b.0);
        for &(x, i) in &cuts {
            let dl = derivative(loss, players, q, x, false);
            let dr = derivative(loss, players, q, x, true);
            if dl >= 0.0 && dr <= 0.0 {
                return NashSolution::Agreement(x, Some(i));
            }
        }
    }
    // The maximum is a root of f' inside one segment between consecutive breakpoints.
    let mut bounds = vec![lo];
    bounds.extend(cuts.iter().map(|c| c.0));
    bounds.push(hi);
    for seg in bounds.windows(2) {
        let (a, b) = (seg[0], seg[1]);
        // f' is decreasing; the root is in this segment iff f'(b-) < 0 (and f'(a+) > 0).
        let db = if b == hi {
            f64::NEG_INFINITY
        } else {
            derivative(loss, players, q, b, false)
        };
        let da = if a == lo {
            f64::INFINITY
        } else {
            derivative(loss, players, q, a, true)
        };
        if da > 0.0 && db < 0.0 {
            let x = bisect(a, b, |x| derivative(loss, players, q, x, true));
            return NashSolution::Agreement(x, None);
        }
    }
    // Unreachable for a concave f with f -> -inf at both ends; be safe: best of the breakpoints.
    let x = bounds[1..bounds.len() - 1]
        .iter()
        .copied()
        .max_by(|a, b| {
            log_nash_product(loss, players, q, *a)
                .total_cmp(&log_nash_product(loss, players, q, *b))
        })
        .unwrap_or(0.5 * (lo + hi));
    NashSolution::Agreement(x, None)
}

fn forecast(loss: Loss, is: &IssueView, input: &crate::Input<'_>) -> IssueForecast {
    let Some(q) = is.status_quo else {
        return IssueForecast::not_covered(
            is.issue,
            "the Nash bargaining solution needs the issue's status quo (disagreement point); the scenario gives none",
        );
    };
    if is.players.is_empty() {
        return IssueForecast::not_covered(is.issue, "no actor has a stance on this issue");
    }
    let name = |i: usize| input.scenario.actors[is.players[i].actor].name.clone();
    match solve(loss, &is.players, q) {
        NashSolution::Agreement(x, kink) => {
            let decisive = match kink {
                Some(i) => vec![is.players[i].actor],
                None => crate::heaviest(&is.players),
            };
            let mut f = IssueForecast::settles(is.issue, x, decisive);
            if let Some(i) = kink {
                f.explanation.push(format!(
                    "the Nash product peaks at {} position",
                    crate::possessive(&name(i))
                ));
            }
            f
        }
        NashSolution::NoAgreement(blockers) => {
            let names: Vec<String> = blockers.iter().map(|&i| name(i)).collect();
            let explanation = if names.is_empty() {
                vec!["no actor attaches weight to this issue: the status quo stays".to_string()]
            } else {
                vec![format!(
                    "no agreement: no position makes every actor better off than the status quo; blocked by {}",
                    names.join(", ")
                )]
            };
            IssueForecast {
                issue: is.issue,
                outcome: Outcome::NoAgreement {
                    status_quo: q,
                    blockers: blockers.iter().map(|&i| is.players[i].actor).collect(),
                },
                decisive: blockers.iter().map(|&i| is.players[i].actor).collect(),
                explanation,
                trace: None,
            }
        }
    }
}

impl Model for Nash {
    fn name(&self) -> &'static str {
        match self.loss {
            Loss::Linear => "nash",
            Loss::Quadratic => "nash-quadratic",
        }
    }
    fn summary(&self) -> &'static str {
        match self.loss {
            Loss::Linear => "asymmetric Nash bargaining solution, linear loss, disagreement at the status quo",
            Loss::Quadratic => "asymmetric Nash bargaining solution, quadratic loss, disagreement at the status quo",
        }
    }
    fn run(&self, input: &crate::Input<'_>, _: &Params) -> Vec<IssueForecast> {
        input
            .issues
            .iter()
            .map(|is| forecast(self.loss, is, input))
            .collect()
    }
}
