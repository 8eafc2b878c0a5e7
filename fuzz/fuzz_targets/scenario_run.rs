//! A scenario run through the library crates, as `brink run` does it: every registered model on
//! the point estimates of each world (one per combination of the actors' types), each crisis
//! (built game, f64 solve), then a short seeded Monte Carlo over the uncertain inputs.
//! Sizes are bounded so that a slow model is not mistaken for a hang.
#![no_main]
use brink_bargain::{Input, Params};
use libfuzzer_sys::fuzz_target;
include!("common.rs");

fuzz_target!(|data: &[u8]| {
    if data.len() > 8192 {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(sc) = brink_scenario::load_str(text, "fuzz.toml") else { return };
    if sc.actors.len() > 40 || sc.issues.len() > 10 || sc.stances.len() > 200 {
        return;
    }
    let params = Params::default();
    let worlds = sc.worlds();
    for (_, _, w) in worlds.iter().take(4) {
        let v = w.point_values();
        let input = Input::new(w, &v);
        let mut runs = Vec::new();
        for m in brink_bargain::registry() {
            let fs = m.run(&input, &params);
            assert_eq!(fs.len(), w.issues.len(), "model {} returned a forecast per issue", m.name());
            if strict() {
                for (k, f) in fs.iter().enumerate() {
                    if let Some(x) = f.value() {
                        assert!(x.is_finite(), "model {} issue {}: non-finite forecast {x}", m.name(), w.issues[k].id);
                    }
                }
            }
            runs.push((m.name().to_string(), fs));
        }
        for (ci, c) in w.crises.iter().enumerate() {
            if let brink_scenario::CrisisTemplate::Ladder { rungs, .. } = c.template {
                if rungs > 50 {
                    continue;
                }
            }
            let settlement: Vec<Option<f64>> = match runs.iter().find(|(m, _)| *m == c.model) {
                Some((_, fs)) => fs.iter().map(|f| f.value()).collect(),
                None => continue,
            };
            if let Ok(f) = brink_crisis::standoff::forecast(w, &v, ci, &settlement) {
                if strict() {
                    for (o, p) in &f.outcomes {
                        assert!(p.is_finite(), "crisis {}: outcome {o} has probability {p}", c.id);
                    }
                }
            }
        }
    }
    // A few Monte Carlo draws (the default models; crises included unless a ladder is large).
    if sc.crises.iter().any(|c| matches!(c.template, brink_scenario::CrisisTemplate::Ladder { rungs } if rungs > 50)) {
        return;
    }
    let models: Vec<Box<dyn brink_bargain::Model>> = brink_bargain::DEFAULT_MODELS
        .iter()
        .filter_map(|n| brink_bargain::find(n))
        .collect();
    let cfg = brink_montecarlo::McConfig {
        draws: 8,
        seed: 1,
        chunk: 4,
        crisis_lambda: None,
    };
    let r = brink_montecarlo::run(&sc, &models, &params, &cfg, Default::default());
    assert_eq!(r.draws_done, 8);
});
