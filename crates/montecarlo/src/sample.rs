//! Sampling an uncertain number.
//!
//! | distribution | method |
//! |---|---|
//! | triangular [lo, mode, hi] | inverse CDF |
//! | uniform [lo, hi] | lo + u (hi - lo) |
//! | normal(mean, sd) truncated to [lo, hi] | inverse CDF on [Phi(a), Phi(b)], computed on the side of the smaller tail |
//! | beta(alpha, beta) on [lo, hi] | `rand_distr::Beta`, stretched |
//! | pool of estimates (expert panel) | pick an estimate by weight, then draw it |
//!
//! Every method consumes a fixed number of uniforms per call except the beta (rejection), and
//! all are deterministic given the random stream.

use brink_scenario::{Dist, Uncertain};
use rand::Rng;

/// The standard normal CDF.
pub fn phi(z: f64) -> f64 {
    0.5 * erfc(-z / std::f64::consts::SQRT_2)
}

/// The complementary error function (W. J. Cody's rational approximations via the
/// Numerical Recipes erfc with Chebyshev coefficients; relative error below 1.2e-7), refined below.
fn erfc_approx(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let r = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
}

/// erfc to near machine precision: a series for small |x|, a continued fraction for large.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    let v = if ax < 2.0 {
        // erf by its Taylor series: 2/sqrt(pi) sum (-1)^n x^(2n+1) / (n! (2n+1)).
        let mut term = ax;
        let mut sum = ax;
        let x2 = ax * ax;
        let mut n = 0.0;
        while term.abs() > 1e-17 * sum.abs() {
            n += 1.0;
            term *= -x2 / n;
            sum += term / (2.0 * n + 1.0);
            if n > 200.0 {
                break;
            }
        }
        1.0 - 2.0 / std::f64::consts::PI.sqrt() * sum
    } else if ax < 27.0 {
        // Continued fraction (Lentz): erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))).
        let tiny = 1e-300;
        let mut f = ax;
        let mut c = ax;
        let mut d = 0.0;
        for k in 1..300 {
            let a = k as f64 / 2.0;
            d = ax + a * d;
            if d.abs() < tiny {
                d = tiny;
            }
            c = ax + a / c;
            if c.abs() < tiny {
                c = tiny;
            }
            d = 1.0 / d;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        (-ax * ax).exp() / (f * std::f64::consts::PI.sqrt())
    } else {
        0.0
    };
    let v = if v.is_finite() { v } else { erfc_approx(ax) };
    if x >= 0.0 {
        v
    } else {
        2.0 - v
    }
}

/// The inverse of the standard normal CDF (Acklam's rational approximation, then two Newton
/// steps on `phi`).
pub fn phi_inv(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let pl = 0.02425;
    let mut x = if p < pl {
        let q = (-2.0 * p.ln()).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if p <= 1.0 - pl {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * (1.0 - p).ln()).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    for _ in 0..2 {
        let e = phi(x) - p;
        let dens = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        if dens > 0.0 {
            x -= e / dens;
        }
    }
    x
}

/// One draw of `u`.
pub fn sample<R: Rng + ?Sized>(u: &Uncertain, rng: &mut R) -> f64 {
    match u.dist {
        Dist::Fixed => u.point,
        Dist::Uniform { lo, hi } => lo + rng.gen::<f64>() * (hi - lo),
        Dist::Triangular { lo, mode, hi } => {
            let r: f64 = rng.gen();
            if hi <= lo {
                return lo;
            }
            let fc = (mode - lo) / (hi - lo);
            if r < fc {
                lo + (r * (hi - lo) * (mode - lo)).sqrt()
            } else {
                hi - ((1.0 - r) * (hi - lo) * (hi - mode)).sqrt()
            }
        }
        Dist::Normal { mean, sd, lo, hi } => {
            let r: f64 = rng.gen();
            truncated_normal(mean, sd, lo, hi, r)
        }
        Dist::Beta {
            alpha,
            beta,
            lo,
            hi,
        } => {
            let b = rand_distr::Beta::new(alpha, beta).expect("validated: alpha, beta > 0");
            lo + (hi - lo) * rng.sample(b)
        }
        Dist::Mixture { .. } => sample_tracked(u, rng).0,
        _ => u.point,
    }
}

/// One draw of `u` and, for a pool of estimates, the index of the estimate it came from
/// (0 otherwise): one uniform picks the estimate by weight, then the estimate is drawn.
pub fn sample_tracked<R: Rng + ?Sized>(u: &Uncertain, rng: &mut R) -> (f64, usize) {
    match &u.dist {
        Dist::Mixture { components } => {
            let r: f64 = rng.gen();
            let mut acc = 0.0;
            let mut pick = components.len() - 1;
            for (k, (w, _)) in components.iter().enumerate() {
                acc += w;
                if r < acc {
                    pick = k;
                    break;
                }
            }
            (sample(&components[pick].1, rng), pick)
        }
        _ => (sample(u, rng), 0),
    }
}

/// The quantile `r` of a normal(mean, sd) truncated to [lo, hi] (either end may be infinite).
pub fn truncated_normal(mean: f64, sd: f64, lo: f64, hi: f64, r: f64) -> f64 {
    let a = (lo - mean) / sd;
    let b = (hi - mean) / sd;
    // Work on the side where the CDF values are small, for precision in far tails.
    let x = if a > 0.0 {
        // Both ends above the mean: use the reflected lower tail, Phi(-z).
        let (pa, pb) = (phi(-a), phi(-b));
        -phi_inv(pa - r * (pa - pb))
    } else {
        let (pa, pb) = (phi(a), phi(b));
        phi_inv(pa + r * (pb - pa))
    };
    (mean + sd * x).clamp(lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phi_and_its_inverse() {
        // Reference values of the standard normal CDF.
        for (z, p) in [
            (0.0, 0.5),
            (1.0, 0.841_344_746_068_542_9),
            (-1.959_963_984_540_054, 0.025),
            (3.0, 0.998_650_101_968_369_9),
            (-5.0, 2.866_515_718_791_939e-7),
        ] {
            assert!(
                (phi(z) - p).abs() < 1e-15 + 1e-12 * p,
                "phi({z}) = {} vs {p}",
                phi(z)
            );
            assert!(
                (phi_inv(p) - z).abs() < 1e-9,
                "phi_inv({p}) = {} vs {z}",
                phi_inv(p)
            );
        }
    }

    #[test]
    fn truncated_normal_quantiles_stay_in_range() {
        for r in [0.0, 1e-9, 0.3, 0.5, 0.999_999, 1.0] {
            let x = truncated_normal(50.0, 10.0, 0.0, 100.0, r);
            assert!((0.0..=100.0).contains(&x));
            // Far tail: mean far below the range.
            let y = truncated_normal(-100.0, 5.0, 0.0, 10.0, r);
            assert!((0.0..=10.0).contains(&y), "{y}");
        }
        assert!(
            (truncated_normal(50.0, 10.0, f64::NEG_INFINITY, f64::INFINITY, 0.5) - 50.0).abs()
                < 1e-9
        );
    }
}
