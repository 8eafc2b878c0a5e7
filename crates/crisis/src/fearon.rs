//! Fearon's risk-return trade-off: a take-it-or-leave-it demand against a privately known cost of war.
//!
//! A unit pie. A wins a war with probability `p`; war costs A `c_A` and B `c_B`. A demands `x` of the pie;
//! B accepts iff `x <= p + c_B` (accepting when indifferent), otherwise war: A gets `p - c_A`, B gets
//! `1 - p - c_B`. A knows only the distribution `F` of `c_B`. With `y = x - p`,
//!
//! `EU_A(y) = (1 - F(y)) (p + y) + F(y) (p - c_A)`,  `Pr(war) = F(y)`,
//!
//! (`F(y)` read as `Pr(c_B < y)`). Interior optima satisfy `(1 - F(y)) / f(y) = y + c_A`, which picks the
//! optimum when `F` is log-concave; the numeric solver does not rely on that and searches the whole
//! feasible range `y ∈ [max(lo, -p), 1 - p]` (the demand can't exceed the pie: `x <= 1`).
//!
//! Closed forms:
//! - uniform `c_B ~ U[a, b]`: `y* = clamp((b - c_A)/2, a, b)` further capped at `1 - p`;
//!   `Pr(war) = max(0, (b - c_A - 2a) / (2(b - a)))` in the interior case; with `a = 0`,
//!   `EU_A = p + (b - c_A)^2 / (4b)`. `Pr(war)` does not depend on `p` while `p + y* <= 1`.
//! - two types (`c_L` with probability `q`, else `c_H`): the risky demand `p + c_H` is optimal iff
//!   `q < (c_H - c_L) / (c_H + c_A)`, and then `Pr(war) = q` (ties go to the safe demand `p + c_L`).
//!
//! Parameter defaults: none; every function takes all parameters. `p ∈ [0,1]`, costs `>= 0`.
//!
//! # References
//! Fearon, J. D. (1995), "Rationalist explanations for war", *International Organization* 49(3),
//! 379-414, section on private information and incentives to misrepresent.

use crate::error::{CrisisError, Result};
use serde::Serialize;

/// Distribution of B's cost of war as A sees it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub enum CostDistribution {
    /// Uniform on `[lo, hi]`.
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// `c_low` with probability `q_low`, else `c_high`.
    TwoType {
        /// Low cost (the resolved type).
        c_low: f64,
        /// High cost.
        c_high: f64,
        /// Probability of the low cost.
        q_low: f64,
    },
    /// Finitely many `(cost, probability)` atoms (probabilities summing to 1).
    Discrete(Vec<(f64, f64)>),
    /// Normal `(mean, sd)` truncated to `[lo, hi]` (log-concave).
    TruncatedNormal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation of the untruncated normal.
        sd: f64,
        /// Lower truncation point.
        lo: f64,
        /// Upper truncation point.
        hi: f64,
    },
    /// Beta(`alpha`, `beta`) rescaled to `[lo, hi]` (log-concave when both shapes are `>= 1`).
    Beta {
        /// First shape parameter.
        alpha: f64,
        /// Second shape parameter.
        beta: f64,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// A mixture `(weight, component)` of continuous components (generally not log-concave).
    Mixture(Vec<(f64, CostDistribution)>),
}

fn param(name: &'static str, message: impl Into<String>) -> CrisisError {
    CrisisError::InvalidParameter {
        name,
        message: message.into(),
    }
}

fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Regularised incomplete beta function `I_x(a, b)` (continued fraction, Numerical Recipes §6.4).
pub fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front =
        libm::lgamma(a + b) - libm::lgamma(a) - libm::lgamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_cf(x, a, b) / a
    } else {
        1.0 - front * beta_cf(1.0 - x, b, a) / b
    }
}

fn beta_cf(x: f64, a: f64, b: f64) -> f64 {
    let tiny = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < tiny {
        d = tiny;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < tiny {
            d = tiny;
        }
        c = 1.0 + aa / c;
        if c.abs() < tiny {
            c = tiny;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

impl CostDistribution {
    /// Checks the parameters.
    pub fn validate(&self) -> Result<()> {
        let finite = |v: f64, n: &'static str| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(param(n, "must be finite"))
            }
        };
        match self {
            CostDistribution::Uniform { lo, hi } => {
                finite(*lo, "lo")?;
                finite(*hi, "hi")?;
                if lo >= hi {
                    return Err(param("hi", "must exceed lo"));
                }
            }
            CostDistribution::TwoType {
                c_low,
                c_high,
                q_low,
            } => {
                finite(*c_low, "c_low")?;
                finite(*c_high, "c_high")?;
                if c_low >= c_high {
                    return Err(param("c_high", "must exceed c_low"));
                }
                if !(0.0..=1.0).contains(q_low) {
                    return Err(param("q_low", "must be a probability"));
                }
            }
            CostDistribution::Discrete(atoms) => {
                if atoms.is_empty() {
                    return Err(param("atoms", "at least one atom"));
                }
                let mut s = 0.0;
                for (c, w) in atoms {
                    finite(*c, "cost")?;
                    if !w.is_finite() || *w < 0.0 {
                        return Err(param("probability", "must be non-negative"));
                    }
                    s += w;
                }
                if (s - 1.0).abs() > 1e-9 {
                    return Err(param("probability", format!("atoms sum to {s}, not 1")));
                }
            }
            CostDistribution::TruncatedNormal { mean, sd, lo, hi } => {
                finite(*mean, "mean")?;
                finite(*lo, "lo")?;
                finite(*hi, "hi")?;
                if !(sd.is_finite() && *sd > 0.0) {
                    return Err(param("sd", "must be positive"));
                }
                if lo >= hi {
                    return Err(param("hi", "must exceed lo"));
                }
                if normal_cdf((hi - mean) / sd) - normal_cdf((lo - mean) / sd) < 1e-12 {
                    return Err(param("lo", "truncation interval has no mass"));
                }
            }
            CostDistribution::Beta {
                alpha,
                beta,
                lo,
                hi,
            } => {
                finite(*lo, "lo")?;
                finite(*hi, "hi")?;
                if !(alpha.is_finite() && *alpha > 0.0 && beta.is_finite() && *beta > 0.0) {
                    return Err(param("alpha", "shape parameters must be positive"));
                }
                if lo >= hi {
                    return Err(param("hi", "must exceed lo"));
                }
            }
            CostDistribution::Mixture(parts) => {
                if parts.is_empty() {
                    return Err(param("components", "at least one component"));
                }
                let mut s = 0.0;
                for (w, d) in parts {
                    if !w.is_finite() || *w < 0.0 {
                        return Err(param("weight", "must be non-negative"));
                    }
                    if d.is_discrete() {
                        return Err(param("components", "mixture components must be continuous"));
                    }
                    d.validate()?;
                    s += w;
                }
                if (s - 1.0).abs() > 1e-9 {
                    return Err(param("weight", format!("weights sum to {s}, not 1")));
                }
            }
        }
        Ok(())
    }

    /// Whether the distribution has atoms (two-type or discrete).
    pub fn is_discrete(&self) -> bool {
        matches!(
            self,
            CostDistribution::TwoType { .. } | CostDistribution::Discrete(_)
        )
    }

    /// Smallest and largest cost with positive probability.
    pub fn support(&self) -> (f64, f64) {
        match self {
            CostDistribution::Uniform { lo, hi }
            | CostDistribution::TruncatedNormal { lo, hi, .. }
            | CostDistribution::Beta { lo, hi, .. } => (*lo, *hi),
            CostDistribution::TwoType { c_low, c_high, .. } => (*c_low, *c_high),
            CostDistribution::Discrete(a) => a
                .iter()
                .filter(|x| x.1 > 0.0)
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), x| {
                    (l.min(x.0), h.max(x.0))
                }),
            CostDistribution::Mixture(parts) => {
                parts
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), (_, d)| {
                        let (a, b) = d.support();
                        (l.min(a), h.max(b))
                    })
            }
        }
    }

    /// `F(y) = Pr(c_B < y)` (strict: B accepts when indifferent).
    pub fn cdf(&self, y: f64) -> f64 {
        match self {
            CostDistribution::Uniform { lo, hi } => ((y - lo) / (hi - lo)).clamp(0.0, 1.0),
            CostDistribution::TwoType {
                c_low,
                c_high,
                q_low,
            } => {
                if y <= *c_low {
                    0.0
                } else if y <= *c_high {
                    *q_low
                } else {
                    1.0
                }
            }
            CostDistribution::Discrete(a) => a.iter().filter(|x| x.0 < y).map(|x| x.1).sum(),
            CostDistribution::TruncatedNormal { mean, sd, lo, hi } => {
                let (za, zb) = ((lo - mean) / sd, (hi - mean) / sd);
                let z = ((y.clamp(*lo, *hi)) - mean) / sd;
                ((normal_cdf(z) - normal_cdf(za)) / (normal_cdf(zb) - normal_cdf(za)))
                    .clamp(0.0, 1.0)
            }
            CostDistribution::Beta {
                alpha,
                beta,
                lo,
                hi,
            } => incomplete_beta((y - lo) / (hi - lo), *alpha, *beta),
            CostDistribution::Mixture(parts) => parts.iter().map(|(w, d)| w * d.cdf(y)).sum(),
        }
    }

    /// Density `f(y)` (zero for discrete distributions).
    pub fn pdf(&self, y: f64) -> f64 {
        match self {
            CostDistribution::Uniform { lo, hi } => {
                if y >= *lo && y <= *hi {
                    1.0 / (hi - lo)
                } else {
                    0.0
                }
            }
            CostDistribution::TwoType { .. } | CostDistribution::Discrete(_) => 0.0,
            CostDistribution::TruncatedNormal { mean, sd, lo, hi } => {
                if y < *lo || y > *hi {
                    return 0.0;
                }
                let (za, zb) = ((lo - mean) / sd, (hi - mean) / sd);
                normal_pdf((y - mean) / sd) / (sd * (normal_cdf(zb) - normal_cdf(za)))
            }
            CostDistribution::Beta {
                alpha,
                beta,
                lo,
                hi,
            } => {
                let u = (y - lo) / (hi - lo);
                if !(0.0..=1.0).contains(&u) {
                    return 0.0;
                }
                let ln_b = libm::lgamma(*alpha) + libm::lgamma(*beta) - libm::lgamma(alpha + beta);
                ((alpha - 1.0) * u.ln() + (beta - 1.0) * (1.0 - u).ln() - ln_b).exp() / (hi - lo)
            }
            CostDistribution::Mixture(parts) => parts.iter().map(|(w, d)| w * d.pdf(y)).sum(),
        }
    }

    fn atoms(&self) -> Vec<(f64, f64)> {
        match self {
            CostDistribution::TwoType {
                c_low,
                c_high,
                q_low,
            } => vec![(*c_low, *q_low), (*c_high, 1.0 - q_low)],
            CostDistribution::Discrete(a) => a.clone(),
            _ => Vec::new(),
        }
    }
}

/// A's optimal demand and its consequences.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FearonSolution {
    /// The demand `x*` (share of the pie A asks for), `<= 1`.
    pub demand: f64,
    /// `y* = x* - p`, the premium over A's expected war share.
    pub premium: f64,
    /// Probability that B rejects and war follows.
    pub pr_war: f64,
    /// A's expected utility.
    pub eu_a: f64,
}

fn check_common(p: f64, c_a: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&p) {
        return Err(param("p", "must be in [0, 1]"));
    }
    if !(c_a.is_finite() && c_a >= 0.0) {
        return Err(param("c_a", "must be finite and non-negative"));
    }
    Ok(())
}

/// A's expected utility of the premium `y` (demand `p + y`).
pub fn expected_utility(p: f64, c_a: f64, dist: &CostDistribution, y: f64) -> f64 {
    let f = dist.cdf(y);
    (1.0 - f) * (p + y) + f * (p - c_a)
}

/// Closed form for `c_B ~ U[lo, hi]` (see the module docs).
pub fn uniform_closed_form(p: f64, c_a: f64, lo: f64, hi: f64) -> Result<FearonSolution> {
    check_common(p, c_a)?;
    let dist = CostDistribution::Uniform { lo, hi };
    dist.validate()?;
    let cap = 1.0 - p;
    let y = if cap <= lo {
        cap
    } else {
        ((hi - c_a) / 2.0).clamp(lo, hi).min(cap)
    };
    let pr_war = ((y - lo) / (hi - lo)).clamp(0.0, 1.0);
    Ok(FearonSolution {
        demand: p + y,
        premium: y,
        pr_war,
        eu_a: expected_utility(p, c_a, &dist, y),
    })
}

/// Closed form for two types (see the module docs); ties go to the safe demand.
pub fn two_type_closed_form(
    p: f64,
    c_a: f64,
    c_low: f64,
    c_high: f64,
    q_low: f64,
) -> Result<FearonSolution> {
    check_common(p, c_a)?;
    let dist = CostDistribution::TwoType {
        c_low,
        c_high,
        q_low,
    };
    dist.validate()?;
    let cap = 1.0 - p;
    let y_safe = c_low.min(cap);
    let y_risky = c_high.min(cap);
    let safe = FearonSolution {
        demand: p + y_safe,
        premium: y_safe,
        pr_war: 0.0,
        eu_a: p + y_safe,
    };
    if y_risky <= c_low {
        return Ok(safe);
    }
    let eu_risky = (1.0 - q_low) * (p + y_risky) + q_low * (p - c_a);
    if eu_risky > p + y_safe {
        Ok(FearonSolution {
            demand: p + y_risky,
            premium: y_risky,
            pr_war: q_low,
            eu_a: eu_risky,
        })
    } else {
        Ok(safe)
    }
}

/// The threshold `(c_H - c_L) / (c_H + c_A)` below which the risky demand is optimal (uncapped case).
pub fn two_type_threshold(c_a: f64, c_low: f64, c_high: f64) -> f64 {
    (c_high - c_low) / (c_high + c_a)
}

/// Numeric optimum for any [`CostDistribution`]: for atoms, every demand that makes some type
/// indifferent (and the cap `x = 1`) is compared; for continuous distributions a 4001-point grid over
/// the whole feasible range, then golden-section refinement around the best grid points (so
/// non-log-concave distributions with several local optima are handled).
pub fn solve_numeric(p: f64, c_a: f64, dist: &CostDistribution) -> Result<FearonSolution> {
    check_common(p, c_a)?;
    dist.validate()?;
    let cap = 1.0 - p;
    let (lo, hi) = dist.support();
    let eu = |y: f64| expected_utility(p, c_a, dist, y);
    let pack = |y: f64| FearonSolution {
        demand: p + y,
        premium: y,
        pr_war: dist.cdf(y),
        eu_a: eu(y),
    };
    let start = lo.max(-p);
    if cap <= start {
        return Ok(pack(cap));
    }
    let end = hi.min(cap);
    if dist.is_discrete() {
        let mut best = cap.min(start);
        for y in dist
            .atoms()
            .iter()
            .map(|a| a.0.min(cap))
            .chain([cap, start])
        {
            if y >= start && eu(y) > eu(best) + 1e-15 {
                best = y;
            }
        }
        return Ok(pack(best));
    }
    const N: usize = 4000;
    let h = (end - start) / N as f64;
    let grid: Vec<(f64, f64)> = (0..=N)
        .map(|k| {
            let y = if k == N { end } else { start + h * k as f64 };
            (y, eu(y))
        })
        .collect();
    // Local maxima of the grid (including endpoints), best first.
    let mut cands: Vec<usize> = (0..=N)
        .filter(|&k| {
            (k == 0 || grid[k].1 >= grid[k - 1].1) && (k == N || grid[k].1 >= grid[k + 1].1)
        })
        .collect();
    cands.sort_by(|a, b| grid[*b].1.total_cmp(&grid[*a].1));
    cands.truncate(5);
    let mut best = (grid[cands[0]].0, grid[cands[0]].1);
    for k in cands {
        let (a, b) = (grid[k.saturating_sub(1)].0, grid[(k + 1).min(N)].0);
        let y = golden_max(&eu, a, b);
        for cand in [y, grid[k].0] {
            let v = eu(cand);
            if v > best.1 {
                best = (cand, v);
            }
        }
    }
    Ok(pack(best.0))
}

/// Golden-section search for the maximum of a unimodal function on `[a, b]`.
pub fn golden_max(f: &dyn Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..200 {
        if (b - a).abs() < 1e-13 {
            break;
        }
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    (a + b) / 2.0
}
