//! Regressions from fuzzing and pathological inputs (tests/data/fuzz-repro/): the Monte Carlo
//! never panics on a model that returns NaN, and every count it accepts is bounded.

use brink_bargain::{find, Model, Params};
use brink_montecarlo::{check_draws, check_kept_draws, run, McConfig, MAX_DRAWS, MAX_KEPT_DRAWS};

fn repro(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/../../tests/data/fuzz-repro/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn models(names: &[&str]) -> Vec<Box<dyn Model>> {
    names.iter().map(|n| find(n).unwrap()).collect()
}

/// 05c: a scale of subnormal width made the exchange model return NaN, and the Monte Carlo's
/// quantiles then called `clamp(inf, -inf)` (exit 101). Validation now refuses the number, naming
/// the field; and a NaN from a model (here forced by building the scenario past validation) counts as
/// "not covered", never a panic.
#[test]
fn a_model_returning_nan_does_not_panic_the_monte_carlo() {
    let text = repro("05c-scale-subnormal.toml");
    let e = brink_scenario::load_str(&text, "05c.toml").unwrap_err();
    let d = e.diagnostics();
    assert_eq!(d[0].path, "issues[0].scale.max", "{e}");
    assert!(d[0].message.contains("too small"), "{e}");
    // The same scenario on [0, 1], then squeezed past validation to the subnormal width.
    let ok = text.replace("5e-324", "1");
    let mut sc = brink_scenario::load_str(&ok, "05c-wide.toml").unwrap();
    sc.issues[0].max = 5e-324;
    sc.issues[0].points[1].at = 5e-324;
    for st in &mut sc.stances {
        if st.position.point == 1.0 {
            st.position = brink_scenario::Uncertain::fixed(5e-324);
        }
    }
    let ms = models(&["compromise", "exchange"]);
    let r = run(
        &sc,
        &ms,
        &Params::default(),
        &McConfig::new(50, 3),
        Default::default(),
    );
    assert_eq!(r.draws_done, 50);
    // The exchange model gives NaN here in every draw: that is what the test exercises.
    let ex = &r.issues[0].models[1];
    assert_eq!(
        (ex.model.as_str(), ex.not_covered),
        ("exchange", 50),
        "{ex:?}"
    );
    for m in &r.issues[0].models {
        if let Some(s) = &m.summary {
            assert!(s.n + m.not_covered == 50, "{m:?}");
            assert!(!s.mean.is_nan() && !s.p50.is_nan(), "{m:?}");
        } else {
            assert_eq!(m.not_covered, 50, "{m:?}");
        }
    }
}

/// Draw counts are bounded, with the bound in the message; a run asked for more than the bound
/// stops there instead of overflowing its indices, and the computations that keep every draw
/// (rank correlations) keep at most `MAX_KEPT_DRAWS` instead of aborting on the allocation.
#[test]
fn draw_counts_are_bounded() {
    assert_eq!(check_draws(MAX_DRAWS), Ok(MAX_DRAWS));
    let e = check_draws(u64::MAX).unwrap_err();
    assert!(
        e.to_string().starts_with(
            "draws = 18446744073709551615 is more than brink allows: at most 100000000"
        ),
        "{e}"
    );
    assert!(check_kept_draws(MAX_KEPT_DRAWS + 1).is_err());
    let cfg = McConfig {
        draws: 10,
        seed: 1,
        chunk: u64::MAX,
        crisis_lambda: None,
    };
    assert!(cfg.validate().is_err());
    // A huge chunk is cut to the bound: the run still does its 10 draws.
    let sc = brink_scenario::load_str(&repro("10-redline-at-own-position.toml"), "t.toml").unwrap();
    let ms = models(&["compromise"]);
    let r = run(&sc, &ms, &Params::default(), &cfg, Default::default());
    assert_eq!(r.draws_done, 10);
}

/// `sensitivity --draws 1e12` allocated for every draw up front and aborted: the rank
/// correlations keep at most `MAX_KEPT_DRAWS` draws.
#[test]
fn rank_correlations_do_not_allocate_for_a_huge_request() {
    let text = repro("10-redline-at-own-position.toml")
        .replace("position = 0\n", "position = { uniform = [0, 20] }\n")
        .replace("[[crises]]", "[[ignored]]");
    let text = text.split("[[ignored]]").next().unwrap().to_string();
    let sc = brink_scenario::load_str(&text, "t.toml").unwrap();
    let ms = models(&["compromise"]);
    let rc =
        brink_montecarlo::sensitivity::rank_correlations(&sc, &ms, &Params::default(), u64::MAX, 1);
    assert!(!rc.is_empty());
}
