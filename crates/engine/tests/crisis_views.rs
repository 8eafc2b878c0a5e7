//! The crisis's three views on the built-in scenario: the published P(war) is a real
//! probability (no single input within its range moves it from below 1% to above 99%), the
//! views are wired into the forecast document, and a crisis without an onset section gets the
//! game alone.

use brink_engine::views::{crisis_inputs, war_views};
use brink_engine::{Forecast, Loaded, Options};

/// The acceptance sweep: every uncertain input that bears on the built-in crisis, one at a time
/// at five points of its range (ends, quartiles, middle; the others drawn), and the settlement
/// fixed to each model brink can put there: the published P(war) never spans 1% to 99%.
#[test]
fn no_single_input_moves_the_published_war_from_corner_to_corner() {
    let loaded = Loaded::builtin().unwrap();
    let sc = &loaded.scenario;
    let ci = 0;
    let inputs = crisis_inputs(sc, ci);
    assert!(inputs.len() > 20, "only {} inputs", inputs.len());
    let draws = 256;
    let mut widest = (0.0, String::new());
    for i in &inputs {
        let (lo, hi) = i.dist(sc).range();
        let ps: Vec<f64> = (0..5)
            .map(|k| {
                let mut s = sc.clone();
                i.fix(&mut s, lo + (hi - lo) * k as f64 / 4.0);
                war_views(&s, ci, draws, 0).0
            })
            .collect();
        assert!(
            ps.iter().all(|p| p.is_finite() && (0.0..=1.0).contains(p)),
            "{ps:?}"
        );
        let (min, max) = ps
            .iter()
            .fold((1.0f64, 0.0f64), |a, &p| (a.0.min(p), a.1.max(p)));
        assert!(
            !(min < 0.01 && max > 0.99),
            "{} moves P(war) from {min} to {max}",
            i.key(sc)
        );
        if max - min > widest.0 {
            widest = (max - min, i.key(sc));
        }
    }
    for m in brink_scenario::UNFIXED_SETTLEMENT_MODELS {
        let mut s = sc.clone();
        s.crises[ci].model = m.to_string();
        s.crises[ci].models = vec![(m.to_string(), 1.0)];
        let (p, game) = war_views(&s, ci, draws, 0);
        assert!(p > 0.01 && p < 0.99, "settlement {m}: {p}");
        assert!(game > 0.0 && game < 1.0, "settlement {m}: game {game}");
    }
    eprintln!("widest swing of the published P(war): {widest:?}");
}

/// `brink run`'s document: the game at the estimated precision, the reference class with its
/// nearest crises, the combination by the stated rule, each with intervals; the same seed gives
/// the same document.
#[test]
fn the_forecast_carries_three_views() {
    let loaded = Loaded::builtin().unwrap();
    let doc = Forecast::run(&loaded, &Options::default()).unwrap();
    let c = &doc.crises[0];
    let g = c.game.as_ref().expect("the game's view");
    assert_eq!(g.lambda, Some(brink_calib::LAMBDA));
    assert_eq!(g.draws, brink_engine::DEFAULT_CRISIS_DRAWS);
    let total: f64 = g.outcomes.iter().filter_map(|o| o.p).sum();
    assert!((total - 1.0).abs() < 1e-9);
    let war = g.outcomes.iter().find(|o| o.outcome == "war").unwrap();
    let s = war.spread.unwrap();
    assert!(s.lo <= war.p.unwrap() && war.p.unwrap() <= s.hi && s.lo < s.hi);
    let r = c
        .reference_class
        .as_ref()
        .expect("the onset section gives a reference class");
    assert_eq!(r.targets.len(), 3);
    assert!(!r.nearest.is_empty());
    assert!(!r.near_used);
    let x = c.combined.as_ref().expect("the combination");
    let p: Vec<f64> = x.outcomes.iter().map(|o| o.p.unwrap()).collect();
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // The combination is the stated rule applied to the two views' points.
    let mut classes = [0.0; 7];
    for (k, o) in g.outcomes.iter().take(7).enumerate() {
        classes[k] = o.p.unwrap();
    }
    let rp: Vec<f64> = r.targets.iter().map(|t| t.p).collect();
    let expect = brink_calib::combine::combine_shipped(
        [rp[0], rp[1], rp[2]],
        brink_crisis::iig::violence_probabilities(&classes),
    );
    for ((pk, ek), o) in p.iter().zip(expect.levels).zip(&x.outcomes) {
        assert!((pk - ek).abs() < 1e-12);
        let iv = o.interval.unwrap();
        assert!(iv.lo <= *pk && *pk <= iv.hi);
    }
    let (pw, iv) = c.published_war().unwrap();
    assert_eq!(pw, p[2]);
    assert!(iv.is_some());
    let again = Forecast::run(&loaded, &Options::default()).unwrap();
    assert_eq!(again.crises[0], doc.crises[0]);
}

/// Without an onset section: no reference class, a note saying so, the game alone published.
#[test]
fn a_crisis_without_onset_gets_the_game_alone() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/ukraine-2021-12.frozen.toml");
    let loaded = Loaded::from_file(&path).unwrap();
    let opts = Options {
        crisis_draws: 300,
        ..Options::default()
    };
    let doc = Forecast::run(&loaded, &opts).unwrap();
    let c = &doc.crises[0];
    assert!(c.reference_class.is_none() && c.combined.is_none());
    assert!(c
        .reference_class_note
        .as_deref()
        .unwrap()
        .contains("no onset section"));
    let g = c.game.as_ref().unwrap();
    assert_eq!(g.draws, 300);
    let war = g
        .outcomes
        .iter()
        .find(|o| o.outcome == "war")
        .unwrap()
        .p
        .unwrap();
    assert_eq!(c.published_war().unwrap().0, war);
    // The equilibrium stays available and certified.
    assert!(c.equilibrium.as_ref().unwrap().max_regret <= 1e-9);
}
