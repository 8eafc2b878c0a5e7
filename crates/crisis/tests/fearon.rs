//! Fearon's take-it-or-leave-it model: closed forms (models.md §5) against the numeric solver and
//! against independent numeric integration.

use brink_crisis::fearon::{
    expected_utility, solve_numeric, two_type_closed_form, two_type_threshold, uniform_closed_form,
    CostDistribution,
};

#[test]
fn uniform_closed_form_matches_the_stated_formulas() {
    for &(p, c_a, a, b) in &[
        (0.3, 0.1, 0.0, 0.5),
        (0.2, 0.05, 0.0, 0.6),
        (0.4, 0.2, 0.1, 0.6),
        (0.1, 0.3, 0.2, 0.5),
    ] {
        let s = uniform_closed_form(p, c_a, a, b).unwrap();
        let pr: f64 = ((b - c_a - 2.0 * a) / (2.0 * (b - a))).max(0.0);
        assert!(
            (s.pr_war - pr).abs() < 1e-12,
            "{p} {c_a} {a} {b}: {} vs {pr}",
            s.pr_war
        );
        if a == 0.0 {
            assert!((s.eu_a - (p + (b - c_a).powi(2) / (4.0 * b))).abs() < 1e-12);
        }
        // Pr(war) does not depend on p while p + y* <= 1.
        let s2 = uniform_closed_form(p + 0.05, c_a, a, b).unwrap();
        assert!((s2.pr_war - s.pr_war).abs() < 1e-12);
        // Brute force over a grid of demands: no demand does better.
        for k in 0..=10_000 {
            let y = -p + (1.0) * k as f64 / 10_000.0;
            let eu = expected_utility(p, c_a, &CostDistribution::Uniform { lo: a, hi: b }, y);
            assert!(eu <= s.eu_a + 1e-12, "y={y} beats the closed form");
        }
    }
}

#[test]
fn demand_never_exceeds_the_pie() {
    let s = uniform_closed_form(0.9, 0.0, 0.0, 1.0).unwrap();
    assert!((s.demand - 1.0).abs() < 1e-15);
    let n = solve_numeric(0.9, 0.0, &CostDistribution::Uniform { lo: 0.0, hi: 1.0 }).unwrap();
    assert!(n.demand <= 1.0 + 1e-15 && (n.demand - 1.0).abs() < 1e-9);
    assert!((n.pr_war - 0.1).abs() < 1e-9);
    let t = two_type_closed_form(0.9, 0.1, 0.05, 0.5, 0.1).unwrap();
    assert!(t.demand <= 1.0);
}

#[test]
fn numeric_solver_matches_uniform_closed_form() {
    let mut worst: f64 = 0.0;
    for i in 0..20 {
        let p = 0.1 + 0.03 * i as f64;
        for j in 0..10 {
            let c_a = 0.02 * j as f64;
            for &(a, b) in &[(0.0, 0.4), (0.05, 0.5), (0.1, 0.3), (0.0, 0.9)] {
                let c = uniform_closed_form(p, c_a, a, b).unwrap();
                let n = solve_numeric(p, c_a, &CostDistribution::Uniform { lo: a, hi: b }).unwrap();
                worst = worst
                    .max((c.demand - n.demand).abs())
                    .max((c.pr_war - n.pr_war).abs());
                assert!((c.eu_a - n.eu_a).abs() < 1e-10);
            }
        }
    }
    eprintln!("uniform: worst deviation closed form vs numeric = {worst:e}");
    assert!(worst < 1e-6, "worst deviation {worst}");
}

#[test]
fn two_type_closed_form_and_numeric_agree() {
    let (c_l, c_h) = (0.05, 0.3);
    for &c_a in &[0.0, 0.1, 0.25] {
        let thr = two_type_threshold(c_a, c_l, c_h);
        for k in 1..40 {
            let q = k as f64 / 40.0;
            let p = 0.4;
            let c = two_type_closed_form(p, c_a, c_l, c_h, q).unwrap();
            if q < thr {
                assert!((c.demand - (p + c_h)).abs() < 1e-12);
                assert!((c.pr_war - q).abs() < 1e-12);
            } else {
                assert!((c.demand - (p + c_l)).abs() < 1e-12);
                assert_eq!(c.pr_war, 0.0);
            }
            let n = solve_numeric(
                p,
                c_a,
                &CostDistribution::TwoType {
                    c_low: c_l,
                    c_high: c_h,
                    q_low: q,
                },
            )
            .unwrap();
            assert!(
                (n.demand - c.demand).abs() < 1e-6 && (n.pr_war - c.pr_war).abs() < 1e-6,
                "q={q} c_a={c_a}"
            );
        }
    }
}

/// Independent check: the truncated normal's CDF by composite Simpson integration of its density
/// (written out here), then golden-section search on that expected utility.
#[test]
fn truncated_normal_matches_numeric_integration() {
    let (mean, sd, lo, hi) = (0.25, 0.12, 0.0, 0.8);
    let dens = |x: f64| (-0.5 * ((x - mean) / sd).powi(2)).exp();
    let simpson = |a: f64, b: f64, n: usize| {
        let h = (b - a) / n as f64;
        let mut s = dens(a) + dens(b);
        for k in 1..n {
            s += dens(a + h * k as f64) * if k % 2 == 1 { 4.0 } else { 2.0 };
        }
        s * h / 3.0
    };
    let z = simpson(lo, hi, 20_000);
    let cdf = |y: f64| {
        if y <= lo {
            0.0
        } else {
            simpson(lo, y.min(hi), 2_000) / z
        }
    };
    let dist = CostDistribution::TruncatedNormal { mean, sd, lo, hi };
    for &(p, c_a) in &[(0.3, 0.05), (0.5, 0.1), (0.2, 0.0)] {
        let eu = |y: f64| {
            let f = cdf(y);
            (1.0 - f) * (p + y) + f * (p - c_a)
        };
        // Coarse scan then golden section, all on the integrated CDF.
        let mut best = 0.0;
        for k in 0..=400 {
            let y = lo + (hi.min(1.0 - p) - lo) * k as f64 / 400.0;
            if eu(y) > eu(best) {
                best = y;
            }
        }
        let y_ref = brink_crisis::fearon::golden_max(&eu, (best - 0.01).max(lo), best + 0.01);
        let n = solve_numeric(p, c_a, &dist).unwrap();
        eprintln!(
            "truncated normal p={p}: |y - y_ref| = {:e}, |Pr(war) - F(y_ref)| = {:e}",
            (n.premium - y_ref).abs(),
            (n.pr_war - cdf(y_ref)).abs()
        );
        assert!(
            (n.premium - y_ref).abs() < 1e-6,
            "p={p}: {} vs {y_ref}",
            n.premium
        );
        assert!((n.pr_war - cdf(y_ref)).abs() < 1e-6);
        assert!((n.eu_a - eu(y_ref)).abs() < 1e-9);
        // First-order condition (log-concave case): (1 - F)/f = y + c_A.
        let f = dist.pdf(n.premium);
        assert!(((1.0 - dist.cdf(n.premium)) / f - (n.premium + c_a)).abs() < 1e-5);
    }
}

#[test]
fn beta_cdf_matches_integration_and_solver_finds_the_optimum() {
    let dist = CostDistribution::Beta {
        alpha: 2.0,
        beta: 3.0,
        lo: 0.0,
        hi: 0.6,
    };
    // Beta(2,3) CDF in closed form: 6u^2 - 8u^3 + 3u^4.
    for k in 0..=20 {
        let u = k as f64 / 20.0;
        let want = 6.0 * u * u - 8.0 * u.powi(3) + 3.0 * u.powi(4);
        assert!((dist.cdf(0.6 * u) - want).abs() < 1e-12);
    }
    let n = solve_numeric(0.3, 0.05, &dist).unwrap();
    for k in 0..=100_000 {
        let y = -0.3 + k as f64 / 100_000.0;
        assert!(expected_utility(0.3, 0.05, &dist, y) <= n.eu_a + 1e-12);
    }
}

/// A bimodal (not log-concave) cost distribution: the first-order condition has several roots; the
/// solver must find the global optimum, checked by a dense scan.
#[test]
fn non_log_concave_mixture_global_optimum() {
    let dist = CostDistribution::Mixture(vec![
        (
            0.5,
            CostDistribution::TruncatedNormal {
                mean: 0.05,
                sd: 0.02,
                lo: 0.0,
                hi: 1.0,
            },
        ),
        (
            0.5,
            CostDistribution::TruncatedNormal {
                mean: 0.45,
                sd: 0.03,
                lo: 0.0,
                hi: 1.0,
            },
        ),
    ]);
    for &(p, c_a) in &[(0.3, 0.05), (0.3, 0.4), (0.1, 0.2)] {
        let n = solve_numeric(p, c_a, &dist).unwrap();
        let mut best = f64::NEG_INFINITY;
        for k in 0..=200_000 {
            let y = -p + k as f64 / 200_000.0;
            best = best.max(expected_utility(p, c_a, &dist, y));
        }
        assert!(
            n.eu_a >= best - 1e-9,
            "p={p} c_a={c_a}: {} < {best}",
            n.eu_a
        );
    }
}

#[test]
fn bad_parameters_are_errors() {
    assert!(uniform_closed_form(1.5, 0.1, 0.0, 1.0).is_err());
    assert!(uniform_closed_form(0.5, -0.1, 0.0, 1.0).is_err());
    assert!(uniform_closed_form(0.5, 0.1, 1.0, 0.0).is_err());
    assert!(solve_numeric(
        0.5,
        0.1,
        &CostDistribution::TruncatedNormal {
            mean: 0.0,
            sd: 0.0,
            lo: 0.0,
            hi: 1.0
        }
    )
    .is_err());
    assert!(solve_numeric(0.5, 0.1, &CostDistribution::Discrete(vec![(0.1, 0.5)])).is_err());
    assert!(two_type_closed_form(0.5, 0.1, 0.3, 0.1, 0.5).is_err());
}
