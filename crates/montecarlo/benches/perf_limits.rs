//! Limits: how large a scenario brink runs within a minute on this machine, and what bounds it.
//!
//! Not a criterion bench (each point is one timed run of up to tens of seconds): a plain program
//! that generates scenarios, times them, and prints tables.
//!
//! Scenarios are generated with a fixed seed as KTAB CSV text (n actors, d issues on 0-100;
//! power uniform on [1, 10]; positions uniform on [0, 100]; each actor's saliences uniform and
//! scaled so that they sum to at most 100, as KTAB's attention shares do) and imported with
//! `brink_scenario::import` (`Format::Ktab`); every issue gets the status quo 50 so that the Nash
//! model has a disagreement point. For Monte Carlo, every position becomes triangular on
//! [x - 10, x + 10] (clipped to the scale) around its point and every salience triangular on
//! [0.5 s, min(1, 1.5 s)].
//!
//! 1. Deterministic runs (`run_points`, default parameters: 10 rounds; the SMP runs to KTAB's own
//!    stopping rule) of the smp, eu, eu-scholz, exchange and nash models against the number of
//!    actors, doubling from 160 until one run exceeds 8 s or the next is predicted to exceed 45 s
//!    (from the log-log slope of the last two points); the actor count at which one run takes a
//!    minute is then extrapolated with that slope (marked as such).
//! 2. The exchange model against the number of issues (40 actors; 2 to 32 issues).
//! 3. Monte Carlo throughput (`brink_montecarlo::run`, the models compromise, median, nash and eu,
//!    rayon's default pool) against the number of issues (20 actors; 1 to 64 issues) and of
//!    actors (4 issues; 10 to 160 actors), with the draws one minute allows at that rate.
//!
//! Run with `cargo bench -p brink-montecarlo --bench perf_limits` (about 4-6 minutes on 2 cores);
//! `-- quick` stops each doubling at 2 s instead of 8 s.

use brink_bargain::{find, run_points, Model, Params};
use brink_montecarlo::run::Hooks;
use brink_montecarlo::{run, McConfig};
use brink_scenario::import::{import, Format};
use brink_scenario::{Dist, Scenario, Uncertain};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::time::Instant;

/// A generated KTAB CSV with `n` actors and `d` dimensions.
fn ktab_text(n: usize, d: usize, seed: u64) -> String {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut s = format!("GEN, generated, {n}, {d}\nActor, Description, Power");
    for k in 0..d {
        s.push_str(&format!(", D{k} Position, D{k} Salience"));
    }
    s.push('\n');
    for a in 0..n {
        let raw: Vec<f64> = (0..d).map(|_| rng.gen_range(0.05..1.0)).collect();
        let total: f64 = raw.iter().sum::<f64>().max(1.0);
        s.push_str(&format!("A{a}, actor {a}, {:.2}", rng.gen_range(1.0..10.0)));
        for r in raw {
            s.push_str(&format!(
                ", {:.2}, {:.2}",
                rng.gen_range(0.0..100.0),
                100.0 * r / total
            ));
        }
        s.push('\n');
    }
    s
}

/// The generated scenario, with the status quo 50 on every issue.
fn scenario(n: usize, d: usize, seed: u64) -> Scenario {
    let mut sc = import(Format::Ktab, &ktab_text(n, d, seed), "generated.csv")
        .expect("generated file imports")
        .scenario;
    for is in &mut sc.issues {
        is.status_quo = Some(Uncertain::fixed(50.0));
    }
    sc
}

/// The same with triangular positions and saliences, for Monte Carlo.
fn uncertain(mut sc: Scenario) -> Scenario {
    for st in &mut sc.stances {
        let x = st.position.point;
        st.position = Uncertain {
            dist: Dist::Triangular {
                lo: (x - 10.0).max(0.0),
                mode: x,
                hi: (x + 10.0).min(100.0),
            },
            point: x,
        };
        let s = st.salience.point;
        st.salience = Uncertain {
            dist: Dist::Triangular {
                lo: 0.5 * s,
                mode: s,
                hi: (1.5 * s).min(1.0).max(s),
            },
            point: s,
        };
    }
    sc
}

fn secs<T>(f: impl FnOnce() -> T) -> (f64, T) {
    let t = Instant::now();
    let r = f();
    (t.elapsed().as_secs_f64(), r)
}

fn rounds_played(model: &dyn Model, sc: &Scenario) -> String {
    let f = run_points(
        model,
        sc,
        &Params {
            explain: true,
            ..Params::default()
        },
    );
    f.iter()
        .filter_map(|f| f.trace.as_ref())
        .find_map(|t| {
            ["rounds", "turns"]
                .iter()
                .find_map(|k| t.get(k).and_then(|v| v.as_array()).map(Vec::len))
        })
        .map_or("-".into(), |r| r.to_string())
}

fn actors_scaling(stop_at: f64) {
    println!("\n## 1. One deterministic run against the number of actors (run_points, 10 rounds)");
    println!(
        "{:<10} {:>6} {:>7} {:>10} {:>7} {:>9}",
        "model", "issues", "actors", "seconds", "rounds", "slope"
    );
    for (name, d) in [
        ("smp", 1),
        ("eu", 1),
        ("eu-scholz", 1),
        ("exchange", 4),
        ("nash", 1),
    ] {
        let model = find(name).expect("registry model");
        let mut pts: Vec<(f64, f64)> = Vec::new();
        let mut n = 160usize;
        loop {
            let sc = scenario(n, d, 7);
            let rounds = if n <= 640 {
                rounds_played(model.as_ref(), &sc)
            } else {
                "?".into()
            };
            let (t, _) = secs(|| run_points(model.as_ref(), &sc, &Params::default()));
            pts.push((n as f64, t));
            let slope = if pts.len() >= 2 {
                let (a, b) = (pts[pts.len() - 2], pts[pts.len() - 1]);
                Some((b.1 / a.1).ln() / (b.0 / a.0).ln())
            } else {
                None
            };
            println!(
                "{name:<10} {d:>6} {n:>7} {t:>10.3} {rounds:>7} {:>9}",
                slope.map_or("-".into(), |s| format!("{s:.2}"))
            );
            let predicted = slope.map_or(t * 8.0, |s| t * 2f64.powf(s.max(1.0)));
            if t > stop_at || predicted > 45.0 || n >= 1 << 20 {
                let s = slope.unwrap_or(2.0).max(0.5);
                let n60 = n as f64 * (60.0 / t).powf(1.0 / s);
                println!(
                    "{name:<10} one run reaches 60 s at about {n60:.0} actors (extrapolated from {n} actors with slope {s:.2})"
                );
                break;
            }
            n *= 2;
        }
    }
}

fn exchange_issues() {
    println!("\n## 2. The exchange model against the number of issues (40 actors, 10 rounds)");
    println!("{:>7} {:>6} {:>10}", "actors", "issues", "seconds");
    let model = find("exchange").expect("registry model");
    for d in [2, 4, 8, 16, 32] {
        let sc = scenario(40, d, 11);
        let (t, _) = secs(|| run_points(model.as_ref(), &sc, &Params::default()));
        println!("{:>7} {d:>6} {t:>10.3}", 40);
        if t > 20.0 {
            break;
        }
    }
}

fn mc_point(models: &[Box<dyn Model>], n: usize, d: usize) {
    let sc = uncertain(scenario(n, d, 13));
    // Size the run to take about 2 s, from a first small one.
    let (t0, _) = secs(|| {
        run(
            &sc,
            models,
            &Params::default(),
            &McConfig::new(512, 1),
            Hooks::default(),
        )
    });
    let draws = ((2.0 / t0 * 512.0) as u64).clamp(512, 200_000);
    let (t, r) = secs(|| {
        run(
            &sc,
            models,
            &Params::default(),
            &McConfig::new(draws, 1),
            Hooks::default(),
        )
    });
    assert_eq!(r.draws_done, draws);
    let rate = draws as f64 / t;
    println!(
        "{n:>7} {d:>6} {draws:>8} {t:>9.2} {rate:>12.0} {:>14.0} {:>16.0}",
        rate * 60.0,
        rate * (n * d) as f64
    );
}

fn mc_scaling() {
    println!(
        "\n## 3. Monte Carlo throughput (compromise, median, nash, eu; {} threads)",
        rayon::current_num_threads()
    );
    println!(
        "{:>7} {:>6} {:>8} {:>9} {:>12} {:>14} {:>16}",
        "actors", "issues", "draws", "seconds", "draws/s", "draws/minute", "stances*draws/s"
    );
    let models: Vec<Box<dyn Model>> = ["compromise", "median", "nash", "eu"]
        .iter()
        .map(|m| find(m).expect("registry model"))
        .collect();
    for d in [1, 4, 16, 64] {
        mc_point(&models, 20, d);
    }
    for n in [10, 40, 80, 160] {
        mc_point(&models, n, 4);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "quick");
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we act on, so a test
    // build only checks that the generator imports.
    if !args.iter().any(|a| a == "--bench") {
        let sc = scenario(10, 2, 1);
        assert_eq!(sc.actors.len(), 10);
        return;
    }
    println!(
        "# brink limits ({} cores visible to rayon)",
        rayon::current_num_threads()
    );
    actors_scaling(if quick { 2.0 } else { 8.0 });
    exchange_issues();
    mc_scaling();
}
