//! The inside view's speed: the quantal response of the International Interaction Game in one
//! call (`iig::iig_outcome_probabilities`, for maximum-likelihood estimation of the precision and
//! for Monte Carlo), without and with red lines; the fast equilibrium path on the same game; and
//! the per-draw call the Monte Carlo makes on the built-in scenario
//! (`standoff::outcome_probabilities_qre`: the scenario's numbers to the game's inputs, then the
//! quantal response) beside the equilibrium path it replaces (`standoff::outcome_probabilities`).
//!
//! Run with `cargo bench -p brink-crisis --bench inside_view`.
use brink_bargain::{find, run_points, Params};
use brink_crisis::iig::{
    iig_game, iig_outcome_probabilities, iig_spe_outcomes, IigInputs, IigOutcome, IigRedLine,
};
use brink_crisis::standoff::{outcome_probabilities, outcome_probabilities_qre};
use brink_scenario::RedLineAction;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::time::Duration;

fn bench(c: &mut Criterion) {
    let plain = IigInputs::in_stake_units([0.2, 0.6], [0.5, 0.4], 0.7, [0.4, 0.3]);
    let mut red = plain.clone();
    for (side, action, o, p) in [
        (0, RedLineAction::War, IigOutcome::Neg, 0.3),
        (1, RedLineAction::Force, IigOutcome::Sq, 0.6),
        (0, RedLineAction::War, IigOutcome::CapA, 0.8),
    ] {
        let mut probability = [0.0; 8];
        probability[o as usize] = p;
        red.red_lines.push(IigRedLine {
            side,
            action,
            probability,
        });
    }
    let sc = brink_scenario::builtin().expect("the built-in scenario loads");
    let model = find("compromise").expect("registry model");
    let settlement: Vec<Option<f64>> = run_points(model.as_ref(), &sc, &Params::default())
        .iter()
        .map(|f| f.value())
        .collect();
    let v = sc.point_values();
    let mut g = c.benchmark_group("inside_view");
    g.sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    g.bench_function("iig_outcome_probabilities", |b| {
        b.iter(|| iig_outcome_probabilities(black_box(&plain), black_box(1.5)))
    });
    g.bench_function("iig_outcome_probabilities_red_lines", |b| {
        b.iter(|| iig_outcome_probabilities(black_box(&red), black_box(1.5)))
    });
    g.bench_function("iig_spe_outcomes", |b| {
        b.iter(|| iig_spe_outcomes(&iig_game(black_box(&plain))))
    });
    g.bench_function("builtin_outcome_probabilities_qre", |b| {
        b.iter(|| outcome_probabilities_qre(black_box(&sc), &v, 0, &settlement, 1.5))
    });
    g.bench_function("builtin_outcome_probabilities_equilibrium", |b| {
        b.iter(|| outcome_probabilities(black_box(&sc), &v, 0, &settlement))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
