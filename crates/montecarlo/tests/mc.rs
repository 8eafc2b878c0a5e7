//! Monte Carlo and sensitivity on cases with known answers.

use brink_bargain::{find, run_points, Model, Params};
use brink_montecarlo::run::Hooks;
use brink_montecarlo::sample::phi_inv;
use brink_montecarlo::sensitivity::tornado;
use brink_montecarlo::{run, InputRef, McConfig};
use brink_scenario::{load_str, Scenario};

/// One issue on [0, 100] from (power, position, salience) given as TOML values.
fn scenario(actors: &[(&str, &str, &str)], q: &str) -> Scenario {
    let mut t = String::from(
        "brink = 1\n[scenario]\nid = \"t\"\ntitle = \"t\"\nas_of = 2020-01-01\nquestion = \"?\"\n\
         [[issues]]\nid = \"i\"\nname = \"Issue\"\nscale = { min = 0, max = 100 }\n\
         points = [{ at = 0, label = \"lo\" }, { at = 100, label = \"hi\" }]\n",
    );
    t.push_str(&format!("status_quo = {q}\n"));
    for (k, (c, _, _)) in actors.iter().enumerate() {
        t.push_str(&format!(
            "[[actors]]\nid = \"a{k}\"\nname = \"Actor {k}\"\npower = {c}\n"
        ));
    }
    for (k, (_, x, s)) in actors.iter().enumerate() {
        t.push_str(&format!(
            "[[stances]]\nactor = \"a{k}\"\nissue = \"i\"\nposition = {x}\nsalience = {s}\nassumed = \"test input\"\n"
        ));
    }
    load_str(&t, "t.toml").unwrap()
}

fn models(names: &[&str]) -> Vec<Box<dyn Model>> {
    names.iter().map(|n| find(n).unwrap()).collect()
}

#[test]
fn point_inputs_give_exactly_the_deterministic_forecast() {
    let sc = brink_scenario::builtin().unwrap();
    // The built-in scenario with every input at its point estimate.
    let mut fixed = sc.clone();
    for a in &mut fixed.actors {
        a.power = brink_scenario::Uncertain::fixed(a.power.point);
    }
    for s in &mut fixed.stances {
        s.position = brink_scenario::Uncertain::fixed(s.position.point);
        s.salience = brink_scenario::Uncertain::fixed(s.salience.point);
    }
    for is in &mut fixed.issues {
        is.status_quo = is
            .status_quo
            .as_ref()
            .map(|q| brink_scenario::Uncertain::fixed(q.point));
    }
    // Rival hypotheses are uncertainty too: a scenario of points has none.
    fixed.types.clear();
    fixed.updates.clear();
    for c in &mut fixed.crises {
        for p in &mut c.params {
            p.value = brink_scenario::Uncertain::fixed(p.value.point);
        }
    }
    assert!(InputRef::uncertain(&fixed).is_empty());
    let ms = models(&["compromise", "median", "nash", "smp"]);
    let r = run(
        &fixed,
        &ms,
        &Params::default(),
        &McConfig::new(300, 7),
        Hooks::default(),
    );
    assert_eq!(r.draws_done, 300);
    for (mi, m) in ms.iter().enumerate() {
        let det = run_points(m.as_ref(), &fixed, &Params::default());
        for (k, f) in det.iter().enumerate() {
            let s = r.issues[k].models[mi].summary.as_ref().unwrap();
            let v = f.value().unwrap();
            for q in [s.mean, s.min, s.p05, s.p25, s.p50, s.p75, s.p95, s.max] {
                assert_eq!(q, v, "{} on {}", m.name(), sc.issues[k].id);
            }
            assert_eq!(s.sd, 0.0);
        }
    }
}

#[test]
fn a_normal_position_through_the_compromise_model_gives_the_analytic_distribution() {
    // Weights c*s: 2*0.5 = 1 (uncertain actor), 3*1 = 3 (at 20). Forecast = (x + 3*20)/4,
    // x ~ N(50, 5) (truncation at 0 and 100 is 10 sd away: negligible).
    // So the forecast ~ N((50 + 60)/4, 5/4) = N(27.5, 1.25).
    let sc = scenario(
        &[
            ("2", "{ normal = { mean = 50, sd = 5 } }", "0.5"),
            ("3", "20", "1"),
        ],
        "0",
    );
    let n = 40_000;
    let r = run(
        &sc,
        &models(&["compromise"]),
        &Params::default(),
        &McConfig::new(n, 42),
        Hooks::default(),
    );
    let s = r.issues[0].models[0].summary.clone().unwrap();
    let (mu, sd) = (27.5, 1.25);
    let se = sd / (n as f64).sqrt();
    assert!((s.mean - mu).abs() < 4.0 * se, "mean {} vs {mu}", s.mean);
    assert!((s.sd - sd).abs() < 0.03, "sd {} vs {sd}", s.sd);
    for (q, got) in [
        (0.05, s.p05),
        (0.25, s.p25),
        (0.5, s.p50),
        (0.75, s.p75),
        (0.95, s.p95),
    ] {
        let want = mu + sd * phi_inv(q);
        // Sampling error of a quantile: sqrt(q(1-q)/n)/density, plus the histogram's bin width.
        let dens = (-0.5 * phi_inv(q).powi(2)).exp() / (sd * (2.0 * std::f64::consts::PI).sqrt());
        let tol = 4.0 * (q * (1.0 - q) / n as f64).sqrt() / dens + 100.0 / 4096.0;
        assert!(
            (got - want).abs() < tol,
            "q{q}: {got} vs {want} (tol {tol})"
        );
    }
}

#[test]
fn one_seed_gives_byte_identical_output_on_1_and_4_threads() {
    let sc = brink_scenario::builtin().unwrap();
    let ms = models(&["compromise", "median", "nash"]);
    let go = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let r = run(
                &sc,
                &ms,
                &Params::default(),
                &McConfig::new(5_000, 2021),
                Hooks::default(),
            );
            serde_json::to_string(&r).unwrap()
        })
    };
    let one = go(1);
    assert_eq!(one, go(4));
    assert_eq!(one, go(2));
    // A different seed gives different draws.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let other = pool.install(|| {
        serde_json::to_string(&run(
            &sc,
            &ms,
            &Params::default(),
            &McConfig::new(5_000, 2022),
            Hooks::default(),
        ))
        .unwrap()
    });
    assert_ne!(one, other);
}

#[test]
fn a_stop_request_reports_the_draws_done() {
    let sc = brink_scenario::builtin().unwrap();
    let stop = std::sync::atomic::AtomicBool::new(true);
    let r = run(
        &sc,
        &models(&["compromise"]),
        &Params::default(),
        &McConfig::new(10_000, 1),
        Hooks {
            stop: Some(&stop),
            ..Default::default()
        },
    );
    assert!(r.stopped);
    assert_eq!(r.draws_done, 0);
    assert!(r.issues[0].models[0].summary.is_none());
}

/// Cancellation is polled before every chunk, not only between waves: on one thread (chunks in
/// order), a callback that says "stop" at its third call leaves exactly the first two chunks,
/// and the partial result is those draws' result, the same as a run asked for only them.
#[test]
fn cancellation_is_polled_per_draw_and_leaves_a_prefix() {
    let sc = brink_scenario::builtin().unwrap();
    let polls = std::sync::atomic::AtomicUsize::new(0);
    // On one thread: a poll before the first chunk and before each of its 256 draws, one before
    // the second chunk, one before each of its draws: the 268th poll stops before its tenth draw.
    let cancel = || polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 267;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let ms = models(&["compromise", "median"]);
    let cfg = McConfig::new(10_000, 4);
    let r = pool.install(|| {
        run(
            &sc,
            &ms,
            &Params::default(),
            &cfg,
            Hooks {
                cancel: Some(&cancel),
                ..Default::default()
            },
        )
    });
    assert!(r.stopped);
    assert_eq!(r.draws_requested, 10_000);
    assert_eq!(cfg.chunk, 256);
    assert_eq!(r.draws_done, cfg.chunk + 9);
    // (A check per chunk or per wave could not stop within a chunk.) The draws kept are a
    // prefix: those of a run asked for that many draws.
    let prefix = run(
        &sc,
        &ms,
        &Params::default(),
        &McConfig::new(cfg.chunk + 9, 4),
        Hooks::default(),
    );
    assert_eq!(r.issues, prefix.issues);
    assert_eq!(r.crises, prefix.crises);
}

#[test]
fn kept_draws_arrive_in_order_and_match_the_summary() {
    let sc = scenario(
        &[("2", "{ uniform = [10, 90] }", "0.5"), ("3", "20", "1")],
        "0",
    );
    let mut seen = Vec::new();
    let mut keep =
        |d: u64, v: &brink_scenario::Values, f: &[f64], _: &brink_montecarlo::run::Kept<'_>| {
            seen.push((d, v.position[0], f[0]))
        };
    let r = run(
        &sc,
        &models(&["compromise"]),
        &Params::default(),
        &McConfig::new(1000, 3),
        Hooks {
            keep: Some(&mut keep),
            ..Default::default()
        },
    );
    assert_eq!(seen.len(), 1000);
    assert!(seen.iter().enumerate().all(|(i, s)| s.0 == i as u64));
    for (_, x, f) in &seen {
        assert!((f - (x * 1.0 + 60.0) / 4.0).abs() < 1e-12);
    }
    let mean = seen.iter().map(|s| s.2).sum::<f64>() / 1000.0;
    assert!((mean - r.issues[0].models[0].summary.as_ref().unwrap().mean).abs() < 1e-9);
}

#[test]
fn the_tornado_ranks_and_sizes_compromise_inputs_by_their_derivative() {
    // The compromise forecast's derivative in actor i's position is c_i s_i / sum c s, so a
    // position with range [lo, hi] swings the forecast by (hi - lo) c_i s_i / sum c s.
    let sc = scenario(
        &[
            ("1", "{ uniform = [0, 40] }", "1"), // w = 1, range 40 -> swing 40 * 1/10 = 4
            ("2", "{ uniform = [40, 60] }", "1"), // w = 2, range 20 -> 20 * 2/10 = 4 (tie, by key)
            ("4", "{ uniform = [50, 100] }", "1"), // w = 4, range 50 -> 50 * 4/10 = 20
            ("3", "{ uniform = [70, 80] }", "1"), // w = 3, range 10 -> 10 * 3/10 = 3
        ],
        "0",
    );
    let t = tornado(&sc, &models(&["compromise"]), &Params::default());
    assert_eq!(t.len(), 1);
    let got: Vec<(&str, f64)> = t[0]
        .swings
        .iter()
        .map(|s| (s.input.as_str(), s.swing))
        .collect();
    let want = [
        ("a2.i.position", 20.0),
        ("a0.i.position", 4.0),
        ("a1.i.position", 4.0),
        ("a3.i.position", 3.0),
    ];
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((gi, gs), (wi, ws)) in got.iter().zip(want) {
        assert_eq!(*gi, wi);
        assert!((gs - ws).abs() < 1e-9, "{gi}: {gs} vs {ws}");
    }
    assert_eq!(t[0].swings[0].name, "Actor 2's position on Issue");
}

#[test]
fn whatif_on_the_built_in_scenario_changes_exactly_the_dependent_forecasts() {
    let sc = brink_scenario::builtin().unwrap();
    let key = "rus.enlargement.position";
    let input = InputRef::parse(&sc, key).unwrap();
    let k = input.issue(&sc).unwrap();
    let base = sc.point_values();
    let mut changed = base.clone();
    input.set(&mut changed, input.get(&base) - 30.0);
    for name in [
        "compromise",
        "median",
        "nash",
        "nash-quadratic",
        "compromise-equal",
    ] {
        let m = find(name).unwrap();
        let a = m.run(&brink_bargain::Input::new(&sc, &base), &Params::default());
        let b = m.run(
            &brink_bargain::Input::new(&sc, &changed),
            &Params::default(),
        );
        for j in 0..sc.issues.len() {
            if j != k {
                assert_eq!(
                    a[j], b[j],
                    "{name} moved on an issue the input does not bear on"
                );
            }
        }
        if name.starts_with("compromise") {
            assert_ne!(
                a[k].value(),
                b[k].value(),
                "{name} must move: its derivative is positive"
            );
        }
    }
    assert!(InputRef::parse(&sc, "rus.nothing.position").is_err());
    assert!(InputRef::parse(&sc, "xyz.power").is_err());
}

#[test]
fn crisis_outcome_shares_sum_to_one_with_intervals() {
    let sc = brink_scenario::builtin().unwrap();
    let r = run(
        &sc,
        &models(&["compromise"]),
        &Params::default(),
        &McConfig::new(500, 11),
        Hooks::default(),
    );
    assert_eq!(r.crises.len(), 1);
    let c = &r.crises[0];
    assert_eq!(c.unsolved, 0, "{:?}", c.unsolved_reason);
    let total: f64 = c.outcomes.iter().map(|o| o.share).sum();
    assert!((total - 1.0).abs() < 1e-9, "{total}");
    for o in &c.outcomes {
        assert!(o.interval.0 <= o.share && o.share <= o.interval.1, "{o:?}");
    }
}

#[test]
fn the_fast_iig_path_agrees_with_the_general_solver_on_random_draws() {
    use rand::SeedableRng;
    let sc = brink_scenario::builtin().unwrap();
    let inputs = InputRef::uncertain(&sc);
    let base = sc.point_values();
    let model = find("compromise").unwrap();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(99);
    let mut checked = 0;
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let mut v = brink_montecarlo::inputs::draw(&sc, &inputs, &base, &mut rng);
        // Widen the crisis inputs beyond the scenario's ranges so that every outcome occurs.
        for x in v.crisis[0].iter_mut() {
            *x = rand::Rng::gen_range(&mut rng, 0.0..1.0);
        }
        let settlement: Vec<Option<f64>> = model
            .run(&brink_bargain::Input::new(&sc, &v), &Params::default())
            .iter()
            .map(|f| f.value())
            .collect();
        let pay = brink_crisis::standoff::iig_payoffs(&sc, &v, 0, &settlement)
            .unwrap()
            .unwrap();
        let built = brink_crisis::standoff::build(&sc, &v, 0, &settlement).unwrap();
        for (label, u) in &pay {
            let o = built
                .game
                .outcomes
                .iter()
                .find(|o| o.label == *label)
                .unwrap();
            for (p, up) in u.iter().enumerate() {
                let exact = brink_crisis::num::Field::to_f64(&o.payoffs[p]);
                assert!((exact - up).abs() < 1e-9, "{label}: {exact} vs {up}");
            }
        }
        let general = brink_crisis::standoff::forecast(&sc, &v, 0, &settlement).unwrap();
        if let Some(label) = brink_crisis::standoff::iig_outcome_fast(&pay) {
            let cls = brink_crisis::standoff::class_name(
                brink_crisis::templates::classify_outcome(label),
            );
            let p = general.outcomes.iter().find(|(c, _)| c == cls).unwrap().1;
            assert_eq!(p, 1.0, "fast {cls}, general {:?}", general.outcomes);
            checked += 1;
            seen.insert(cls);
        }
    }
    // Most draws are tie-free; the rest fall back to the general solver.
    assert!(checked > 300, "{checked}");
    assert!(seen.len() >= 3, "outcomes seen: {seen:?}");
}

#[test]
fn rank_correlation_finds_the_inputs_that_move_a_forecast() {
    // The compromise forecast is increasing in each position: the uncertain position with the
    // largest weight x range correlates most; a salience whose actor sits at the forecast barely.
    let sc = scenario(
        &[
            ("4", "{ uniform = [0, 100] }", "1"),
            ("1", "{ uniform = [40, 60] }", "1"),
            ("1", "50", "1"),
        ],
        "0",
    );
    let r = brink_montecarlo::sensitivity::rank_correlations(
        &sc,
        &models(&["compromise"]),
        &Params::default(),
        3000,
        4,
    );
    assert_eq!(r[0].input, "a0.i.position");
    assert!(r[0].rho > 0.95, "{}", r[0].rho);
    let second = r.iter().find(|x| x.input == "a1.i.position").unwrap();
    assert!(second.rho > 0.0 && second.rho < r[0].rho);
}

/// The built-in scenario with every input fixed at its point and no rival hypotheses.
fn builtin_points() -> Scenario {
    let mut fixed = brink_scenario::builtin().unwrap();
    for a in &mut fixed.actors {
        a.power = brink_scenario::Uncertain::fixed(a.power.point);
    }
    for s in &mut fixed.stances {
        s.position = brink_scenario::Uncertain::fixed(s.position.point);
        s.salience = brink_scenario::Uncertain::fixed(s.salience.point);
    }
    for is in &mut fixed.issues {
        is.status_quo = is
            .status_quo
            .as_ref()
            .map(|q| brink_scenario::Uncertain::fixed(q.point));
    }
    fixed.types.clear();
    fixed.updates.clear();
    for c in &mut fixed.crises {
        for p in &mut c.params {
            p.value = brink_scenario::Uncertain::fixed(p.value.point);
        }
    }
    fixed
}

#[test]
fn with_a_precision_each_draw_contributes_its_quantal_response_probabilities() {
    // Every input fixed: every draw has the same quantal response, which the shares equal.
    let fixed = builtin_points();
    let ms = models(&["compromise"]);
    let r = run(
        &fixed,
        &ms,
        &Params::default(),
        &McConfig::new(64, 3).with_crisis_lambda(2.0),
        Hooks::default(),
    );
    let settlement: Vec<Option<f64>> = run_points(ms[0].as_ref(), &fixed, &Params::default())
        .iter()
        .map(|f| f.value())
        .collect();
    let want = brink_crisis::standoff::outcome_probabilities_qre(
        &fixed,
        &fixed.point_values(),
        0,
        &settlement,
        2.0,
    )
    .unwrap();
    let c = &r.crises[0];
    assert_eq!(c.unsolved, 0);
    for (o, (name, p)) in c.outcomes.iter().zip(&want) {
        assert_eq!(&o.outcome, name);
        assert!((o.share - p).abs() < 1e-12, "{name}: {} vs {p}", o.share);
    }
    // A real probability: neither 0 nor 1.
    let war = c
        .outcomes
        .iter()
        .find(|o| o.outcome == "war")
        .unwrap()
        .share;
    assert!(war > 0.001 && war < 0.999, "{war}");
    // Without a precision, the same run is the equilibrium's corner.
    let r0 = run(
        &fixed,
        &ms,
        &Params::default(),
        &McConfig::new(64, 3),
        Hooks::default(),
    );
    let shares: Vec<f64> = r0.crises[0].outcomes.iter().map(|o| o.share).collect();
    assert!(shares.iter().all(|s| *s == 0.0 || *s == 1.0), "{shares:?}");
    assert!(r0.crises[0].by_model.is_empty());
}

#[test]
fn an_uncertain_settlement_model_is_drawn_by_its_weight_and_reported_per_model() {
    let mut sc = brink_scenario::builtin().unwrap();
    sc.crises[0].models = vec![
        ("compromise".to_string(), 0.5),
        ("status_quo".to_string(), 0.3),
        ("median".to_string(), 0.2),
    ];
    let ms = models(&["compromise"]);
    let n = 3000;
    let r = run(
        &sc,
        &ms,
        &Params::default(),
        &McConfig::new(n, 5).with_crisis_lambda(1.0),
        Hooks::default(),
    );
    let c = &r.crises[0];
    assert_eq!(c.by_model.len(), 3);
    let draws: u64 = c.by_model.iter().map(|m| m.draws).sum();
    assert_eq!(draws + c.unsolved, n);
    for m in &c.by_model {
        // Each model drawn about as often as its weight says (4 binomial sd).
        let sd = (n as f64 * m.weight * (1.0 - m.weight)).sqrt();
        assert!(
            (m.draws as f64 - n as f64 * m.weight).abs() < 4.0 * sd,
            "{}: {} draws",
            m.model,
            m.draws
        );
    }
    // The overall shares are the per-model shares weighted by their draws.
    for (k, o) in c.outcomes.iter().enumerate() {
        let mix: f64 = c
            .by_model
            .iter()
            .map(|m| m.draws as f64 * m.outcomes[k].share)
            .sum::<f64>()
            / draws as f64;
        assert!((o.share - mix).abs() < 1e-9, "{}", o.outcome);
    }
    // The same seed gives the same run.
    let r2 = run(
        &sc,
        &ms,
        &Params::default(),
        &McConfig::new(n, 5).with_crisis_lambda(1.0),
        Hooks::default(),
    );
    assert_eq!(r, r2);
}
