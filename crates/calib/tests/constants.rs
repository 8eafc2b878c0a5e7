//! The shipped constants re-derived from the shipped data: the maximum-likelihood estimate of
//! the game's precision and scales, the game's mean forecasts, the cross-validated weights, the
//! median power discrepancy; and the cross-validated scores the documentation states.

use brink_calib::combine::{GAME_MEAN, LAMBDA, POWER_SCALE, WAR_COST, WEIGHTS};
use brink_calib::icb_game::{log_likelihood, MISSING_POWER};
use brink_calib::{estimate, GameParams};

#[test]
fn constants_are_the_estimate_of_the_shipped_data() {
    let e = estimate().expect("the estimate runs");
    assert_eq!(e.n, 325);
    assert_eq!(e.power_median, MISSING_POWER);
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs();
    assert!(
        rel(LAMBDA, e.params.lambda) < 1e-3,
        "lambda {}",
        e.params.lambda
    );
    assert!(
        rel(WAR_COST, e.params.war_cost) < 1e-3,
        "war cost {}",
        e.params.war_cost
    );
    assert!(
        rel(POWER_SCALE, e.params.power_scale) < 1e-3,
        "power scale {}",
        e.params.power_scale
    );
    for t in 0..2 {
        assert!(
            (GAME_MEAN[t] - e.game_mean[t]).abs() < 1e-4,
            "game mean {:?}",
            e.game_mean
        );
        assert!(
            (WEIGHTS[t] - e.weights[t]).abs() < 1e-9,
            "weights {:?}",
            e.weights
        );
    }
    // A maximum: the log-likelihood is lower a little way off the estimate in every direction.
    let ll = e.log_likelihood;
    let cases: Vec<_> = brink_refclass::icb::builtin_system()
        .system_rows()
        .unwrap()
        .iter()
        .filter_map(|r| r.viol.map(|v| (r.onset.clone(), v)))
        .collect();
    let cases: Vec<_> = cases.iter().map(|(o, v)| (o, *v)).collect();
    assert!((log_likelihood(&cases, &e.params) - ll).abs() < 1e-9);
    for k in 0..3 {
        for f in [0.97, 1.03] {
            let mut th: GameParams = e.params;
            match k {
                0 => th.lambda *= f,
                1 => th.war_cost *= f,
                _ => th.power_scale *= f,
            }
            assert!(log_likelihood(&cases, &th) < ll, "not a maximum along {k}");
        }
    }
    // The game beats the base rates out of fold (three levels), as docs/crisis-mapping.md says.
    assert!(e.cv_log_likelihood > e.cv_base_log_likelihood + 50.0);
    let s = |m: &str, t: &str| e.score(m, t).unwrap().brier;
    assert!(s("game", "war") < s("base", "war"));
    assert!(s("game", "any_violence") < s("base", "any_violence"));
}
