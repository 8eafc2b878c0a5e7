//! The cost of one Monte Carlo draw, model by model, on the built-in scenario `ukraine-2021-12`
//! (9 actors, 7 issues, two rival hypotheses about Russia), for the per-model table of
//! `docs/performance.md`.
//!
//! 1. `perf_draw_model/<model>`: 256 draws of a real run (`brink_montecarlo::run` with the keep
//!    hook, seed 1) are collected first; each default model then runs on all of them as the Monte
//!    Carlo runs it (`Input::new` + `Model::run`, default parameters), on one thread. Criterion's
//!    throughput is in draws: one element is one draw.
//! 2. `perf_draw_mc/all_default_models`: the whole Monte Carlo (`brink_montecarlo::run`, 512
//!    draws, every default model, the crisis solved in each draw) on rayon's default pool, as
//!    `brink run --draws N` runs it.
//!
//! Run with `cargo bench -p brink-montecarlo --bench perf_draw`.

use brink_bargain::{find, Input, Model, Params, DEFAULT_MODELS};
use brink_montecarlo::run::{Hooks, Kept};
use brink_montecarlo::{run, McConfig};
use brink_scenario::Values;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// Draws per timed model run.
const DRAWS: u64 = 256;
/// Draws per timed whole Monte Carlo run (2 chunks of 256).
const MC_DRAWS: u64 = 512;

fn bench(c: &mut Criterion) {
    let sc = brink_scenario::builtin().expect("the built-in scenario loads");
    let mut draws: Vec<Values> = Vec::new();
    let mut keep = |_: u64, v: &Values, _: &[f64], _: &Kept<'_>| draws.push(v.clone());
    let cheap: Vec<Box<dyn Model>> = vec![find("compromise").expect("registry model")];
    run(
        &sc,
        &cheap,
        &Params::default(),
        &McConfig::new(DRAWS, 1),
        Hooks {
            keep: Some(&mut keep),
            ..Hooks::default()
        },
    );
    assert_eq!(draws.len() as u64, DRAWS);
    let mut group = c.benchmark_group("perf_draw_model");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4))
        .throughput(Throughput::Elements(DRAWS));
    for name in DEFAULT_MODELS {
        let model = find(name).expect("registry model");
        group.bench_function(*name, |b| {
            b.iter(|| {
                let mut sum = 0.0;
                for (d, v) in draws.iter().enumerate() {
                    let params = Params {
                        seed: d as u64,
                        ..Params::default()
                    };
                    let input = Input::new(&sc, v);
                    for f in model.run(black_box(&input), &params) {
                        sum += f.value().unwrap_or(0.0);
                    }
                }
                sum
            })
        });
    }
    group.finish();

    let models: Vec<Box<dyn Model>> = DEFAULT_MODELS
        .iter()
        .map(|m| find(m).expect("registry model"))
        .collect();
    let mut group = c.benchmark_group("perf_draw_mc");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .throughput(Throughput::Elements(MC_DRAWS));
    group.bench_function("all_default_models", |b| {
        b.iter(|| {
            let r = run(
                black_box(&sc),
                &models,
                &Params::default(),
                &McConfig::new(MC_DRAWS, 1),
                Hooks::default(),
            );
            assert_eq!(r.draws_done, MC_DRAWS);
            r
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
