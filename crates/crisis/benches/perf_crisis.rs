//! The built-in scenario's crisis game (`ukraine-2021-12`, the International Interaction Game
//! between the two coalitions, settlement from the compromise model's forecast on the point
//! values): building it, solving it for its subgame-perfect equilibria in f64 and in exact
//! rationals, the whole forecast (`standoff::forecast`: build, solve, certificate, outcome
//! classes), and the closed-form fast path the Monte Carlo uses (`outcome_probabilities`). The
//! game's size does not depend on the number of actors (each side is a coalition acting as one);
//! `bench/crisis_builtin_side_by_side.py` times the same tree against pygambit.
//!
//! Run with `cargo bench -p brink-crisis --bench perf_crisis`.
use brink_bargain::{find, run_points, Params};
use brink_crisis::num::Rational;
use brink_crisis::spe::solve_spe;
use brink_crisis::standoff::{build, forecast, outcome_probabilities};
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let sc = brink_scenario::builtin().expect("the built-in scenario loads");
    let model = find("compromise").expect("registry model");
    let settlement: Vec<Option<f64>> = run_points(model.as_ref(), &sc, &Params::default())
        .iter()
        .map(|f| f.value())
        .collect();
    let v = sc.point_values();
    let built = build(&sc, &v, 0, &settlement).expect("the built-in crisis builds");
    println!(
        "builtin crisis: {} nodes, perfect information: {}",
        built.game.nodes.len(),
        built.game.is_perfect_information()
    );
    let mut g = c.benchmark_group("perf_crisis_builtin");
    g.sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    g.bench_function("build", |b| {
        b.iter(|| build(black_box(&sc), &v, 0, &settlement))
    });
    g.bench_function("spe_f64", |b| {
        b.iter(|| solve_spe::<f64>(black_box(&built.game)))
    });
    g.bench_function("spe_rational", |b| {
        b.iter(|| solve_spe::<Rational>(black_box(&built.game)))
    });
    g.bench_function("forecast", |b| {
        b.iter(|| forecast(black_box(&sc), &v, 0, &settlement))
    });
    g.bench_function("outcome_probabilities_fast_path", |b| {
        b.iter(|| outcome_probabilities(black_box(&sc), &v, 0, &settlement))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
