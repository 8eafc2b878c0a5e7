//! Monte Carlo throughput (draws per second) on the built-in scenario `ukraine-2021-12` with the
//! models compromise, median, nash and eu, as `brink run --draws N -m compromise -m median -m nash
//! -m eu` runs them (the scenario's crises are solved in every draw too), on rayon's default
//! thread pool (all cores). Criterion reports the throughput in elements per second: one element
//! is one draw.
//!
//! Run with `cargo bench -p brink-montecarlo --bench perf_mc`.

use brink_bargain::{find, Model, Params};
use brink_montecarlo::run::Hooks;
use brink_montecarlo::{run, McConfig};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::time::Duration;

/// The models of the throughput claim.
const MODELS: [&str; 4] = ["compromise", "median", "nash", "eu"];

/// Draws per timed run: 8 chunks of 256, i.e. one wave of 4 chunks per thread on 2 cores.
const DRAWS: u64 = 2048;

fn bench_mc(c: &mut Criterion) {
    let sc = brink_scenario::builtin().expect("the built-in scenario loads");
    let models: Vec<Box<dyn Model>> = MODELS
        .iter()
        .map(|m| find(m).expect("registry model"))
        .collect();
    let params = Params::default();
    let mut group = c.benchmark_group("perf_mc_builtin");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .throughput(Throughput::Elements(DRAWS));
    println!(
        "builtin: {} actors, {} issues, {} stances, {} crises, {} threads",
        sc.actors.len(),
        sc.issues.len(),
        sc.stances.len(),
        sc.crises.len(),
        rayon::current_num_threads()
    );
    group.bench_function(format!("{}_draws_compromise_median_nash_eu", DRAWS), |b| {
        b.iter(|| {
            let r = run(
                black_box(&sc),
                &models,
                &params,
                &McConfig::new(DRAWS, 1),
                Hooks::default(),
            );
            assert_eq!(r.draws_done, DRAWS);
            r
        })
    });
    group.finish();
}

criterion_group!(benches, bench_mc);
criterion_main!(benches);
