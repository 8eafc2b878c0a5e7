//! The cost of each bargaining model on one Monte Carlo draw, for `docs/performance.md`: the
//! draws of a real run are collected first (`brink_montecarlo::run` with the keep hook, seed 1,
//! rival hypotheses drawn as in `brink run --draws`), then each model named runs on every one of
//! them as the Monte Carlo runs it (`Input::new` + `Model::run`, default parameters, the draw's
//! index as seed), single-threaded.
//!
//! Not a benchmark (the criterion figures come from `benches/perf_draw.rs`): a driver for
//! `valgrind --tool=callgrind`, whose instruction counts are repeatable on a loaded machine.
//! The model work is done in one function, `draw_cost::evaluate_all`, so that
//!
//!     valgrind --tool=callgrind --toggle-collect='draw_cost::evaluate_all*' \
//!         target/release/examples/draw_cost --draws 64 -m smp
//!
//! counts the instructions of the models alone (drawing the inputs left out). It also prints the
//! wall time per draw, which is only indicative on a shared machine.
//!
//!     draw_cost [--scenario FILE.toml] [--draws N] [--repeat R] [--dump FILE] [-m MODEL]...
//!
//! Without `--scenario` it runs the built-in scenario; without `-m`, every default model in turn.
//! `--dump FILE` writes every forecast (model, draw, issue, value to the last bit) to FILE, to
//! check that a change to a model's code changes none of its numbers.

use brink_bargain::{find, Input, Model, Params, DEFAULT_MODELS};
use brink_montecarlo::run::{Hooks, Kept};
use brink_montecarlo::{run, McConfig};
use brink_scenario::{Scenario, Values};
use std::time::Instant;

/// Runs `model` on every draw, `repeat` times; returns a checksum of the forecasts so that
/// nothing is optimised away.
#[inline(never)]
fn evaluate_all(sc: &Scenario, model: &dyn Model, draws: &[Values], repeat: usize) -> f64 {
    let mut sum = 0.0;
    for _ in 0..repeat {
        for (d, v) in draws.iter().enumerate() {
            let params = Params {
                seed: d as u64,
                ..Params::default()
            };
            let input = Input::new(sc, v);
            for f in model.run(&input, &params) {
                sum += f.value().unwrap_or(0.0);
            }
        }
    }
    sum
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut file: Option<String> = None;
    let mut n_draws: u64 = 256;
    let mut repeat: usize = 1;
    let mut models: Vec<String> = Vec::new();
    let mut dump: Option<String> = None;
    while let Some(a) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{a} needs a value"));
        match a.as_str() {
            "--scenario" => file = Some(value()),
            "--draws" => n_draws = value().parse().expect("--draws N"),
            "--repeat" => repeat = value().parse().expect("--repeat R"),
            "-m" | "--model" => models.push(value()),
            "--dump" => dump = Some(value()),
            other => panic!("unknown argument {other}"),
        }
    }
    let sc = match &file {
        Some(f) => brink_scenario::load_file(std::path::Path::new(f)).expect("scenario loads"),
        None => brink_scenario::builtin().expect("the built-in scenario loads"),
    };
    if models.is_empty() {
        models = DEFAULT_MODELS.iter().map(|m| m.to_string()).collect();
    }
    let mut draws: Vec<Values> = Vec::new();
    let mut keep = |_: u64, v: &Values, _: &[f64], _: &Kept<'_>| draws.push(v.clone());
    // The keep hook sees a draw only through the models' rows: run the cheapest model.
    let cheap: Vec<Box<dyn Model>> = vec![find("compromise").expect("registry model")];
    run(
        &sc,
        &cheap,
        &Params::default(),
        &McConfig::new(n_draws, 1),
        Hooks {
            keep: Some(&mut keep),
            ..Hooks::default()
        },
    );
    println!(
        "{}: {} actors, {} issues, {} stances, {} draws x {repeat}",
        sc.id,
        sc.actors.len(),
        sc.issues.len(),
        sc.stances.len(),
        draws.len()
    );
    if let Some(path) = dump {
        let mut out = String::new();
        for name in &models {
            let model = find(name).unwrap_or_else(|| panic!("unknown model {name}"));
            for (d, v) in draws.iter().enumerate() {
                let params = Params {
                    seed: d as u64,
                    ..Params::default()
                };
                for f in model.run(&Input::new(&sc, v), &params) {
                    out.push_str(&format!("{name} {d} {} {:?}\n", f.issue, f.outcome));
                }
            }
        }
        std::fs::write(&path, out).expect("dump file written");
    }
    for name in &models {
        let model = find(name).unwrap_or_else(|| panic!("unknown model {name}"));
        let t = Instant::now();
        let check = evaluate_all(&sc, model.as_ref(), &draws, repeat);
        let per = t.elapsed().as_secs_f64() / (draws.len() * repeat) as f64;
        println!(
            "{name:<12} {:>12.2} us per draw (checksum {check:.6})",
            per * 1e6
        );
    }
}
