//! The beta distribution's quantiles, for Jeffreys intervals of a rate.
//!
//! # Equations
//! Jeffreys interval of k successes in n trials at level 1 - a: the a/2 and 1 - a/2 quantiles of
//! Beta(k + 1/2, n - k + 1/2); its posterior mean (k + 1/2) / (n + 1) is the point estimate.
//! The regularised incomplete beta I_x(a, b) is evaluated by its continued fraction (modified
//! Lentz), using the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) where the fraction converges slowly;
//! quantiles by bisection (60 halvings: below 1e-15).
//!
//! # References
//! - Brown, Cai & DasGupta, "Interval estimation for a binomial proportion", *Statistical
//!   Science* 16 (2001) 101-133 (the Jeffreys interval).
//! - Press, Teukolsky, Vetterling & Flannery, *Numerical Recipes*, 3rd ed. (2007), 6.1 and 6.4
//!   (log-gamma by Lanczos' series; the incomplete beta's continued fraction).

/// ln Gamma(x) for x > 0 (Lanczos, g = 7, 9 terms; relative error below 1e-13).
pub(crate) fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

fn cont_frac(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=500 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
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

/// The regularised incomplete beta function I_x(a, b), a, b > 0.
pub(crate) fn inc_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    let front = ln_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * cont_frac(a, b, x) / a
    } else {
        1.0 - front * cont_frac(b, a, 1.0 - x) / b
    }
}

/// The q-quantile of Beta(a, b).
pub(crate) fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let (mut lo, mut hi) = (0.0f64, 1.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if inc_beta(a, b, mid) < q {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Jeffreys estimate and 90% interval of a rate: k of n.
pub(crate) fn jeffreys(k: f64, n: f64) -> (f64, f64, f64) {
    let (a, b) = (k + 0.5, n - k + 0.5);
    (
        a / (a + b),
        beta_quantile(a, b, 0.05),
        beta_quantile(a, b, 0.95),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closed_forms() {
        // Gamma(5) = 24, Gamma(1/2) = sqrt(pi).
        assert!((ln_gamma(5.0) - 24f64.ln()).abs() < 1e-12);
        assert!((ln_gamma(0.5) - std::f64::consts::PI.sqrt().ln()).abs() < 1e-12);
        // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
        assert!((inc_beta(1.0, 1.0, 0.3) - 0.3).abs() < 1e-13);
        assert!((inc_beta(2.5, 1.0, 0.6) - 0.6f64.powf(2.5)).abs() < 1e-13);
        assert!((inc_beta(1.0, 3.5, 0.2) - (1.0 - 0.8f64.powf(3.5))).abs() < 1e-13);
        // A quantile inverts the cdf.
        let q = beta_quantile(40.5, 0.5, 0.05);
        assert!((inc_beta(40.5, 0.5, q) - 0.05).abs() < 1e-12);
        // Symmetry: the median of Beta(a, a) is 1/2.
        assert!((beta_quantile(3.7, 3.7, 0.5) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn jeffreys_interval_reference_values() {
        // Reference values from scipy.stats.beta.ppf (scripts/refclass_golden.py).
        let g: serde_json::Value =
            serde_json::from_str(include_str!("../tests/data/golden.json")).unwrap();
        let rows = g["beta_ppf"].as_array().unwrap();
        assert!(rows.len() >= 4);
        for r in rows {
            let v: Vec<f64> = r
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            let q = beta_quantile(v[0], v[1], v[2]);
            assert!(
                (q - v[3]).abs() < 1e-10,
                "Beta({}, {}) at {}: {q} vs {}",
                v[0],
                v[1],
                v[2],
                v[3]
            );
        }
        let (m, lo, hi) = jeffreys(10.0, 10.0);
        assert!((m - 10.5 / 11.0).abs() < 1e-15);
        assert_eq!(
            (lo, hi),
            (
                beta_quantile(10.5, 0.5, 0.05),
                beta_quantile(10.5, 0.5, 0.95)
            )
        );
    }
}
