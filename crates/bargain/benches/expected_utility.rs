//! Speed of the expected-utility model on KTAB's synthetic 160-actor input
//! (`tests/data/bdm/dummyData-a160.csv`: power = `Influence`, position and salience / 100 from the
//! first dimension), 100 rounds requested, for the first 10, 40, 80 and all 160 actors, in both
//! modes; and one probability matrix, fast against naive.
//!
//! Run with `cargo bench -p brink-bargain --bench expected_utility`.

use brink_bargain::expected_utility::{
    probability_matrix, run, EuActor, EuAlgorithm, EuMode, EuParams, EuVoter,
};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;

const A160: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/bdm/dummyData-a160.csv"
));

/// KTAB layout: row 1 `name,desc,nActors,nDims`, row 2 the header, then
/// `Actor,Description,Power,Pos1,Sal1,...` on a 0-100 scale.
fn ktab_actors() -> Vec<EuActor> {
    A160.lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split(',').map(str::trim).collect();
            let num = |k: usize| c[k].parse::<f64>().expect("number in dummyData-a160.csv");
            EuActor {
                name: c[0].to_string(),
                capability: num(2),
                position: num(3),
                salience: num(4) / 100.0,
            }
        })
        .collect()
}

fn bench_runs(c: &mut Criterion) {
    let actors = ktab_actors();
    assert_eq!(actors.len(), 160);
    let mut group = c.benchmark_group("eu_run_100_rounds");
    group.sample_size(20);
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        for n in [10, 40, 80, 160] {
            let params = EuParams {
                mode,
                rounds: 100,
                algorithm: EuAlgorithm::Fast,
            };
            let played = run(&actors[..n], &params)
                .expect("valid input")
                .rounds
                .len();
            let id = BenchmarkId::new(format!("{mode:?}"), format!("{n}_actors_{played}_rounds"));
            group.bench_with_input(id, &n, |b, &n| {
                b.iter(|| run(black_box(&actors[..n]), &params).expect("valid input"))
            });
        }
    }
    group.finish();
}

fn bench_matrix(c: &mut Criterion) {
    let actors = ktab_actors();
    let mut group = c.benchmark_group("eu_probability_matrix_160");
    group.sample_size(10);
    let voters: Vec<EuVoter> = actors
        .iter()
        .enumerate()
        .map(|(k, a)| EuVoter {
            position: a.position,
            weight: a.capability * a.salience,
            exponent: 0.5 + 1.5 * (k as f64 / 159.0),
        })
        .collect();
    let lo = voters
        .iter()
        .map(|v| v.position)
        .fold(f64::INFINITY, f64::min);
    let hi = voters
        .iter()
        .map(|v| v.position)
        .fold(f64::NEG_INFINITY, f64::max);
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        for algorithm in [EuAlgorithm::Fast, EuAlgorithm::Naive] {
            group.bench_function(format!("{mode:?}_{algorithm:?}"), |b| {
                b.iter(|| probability_matrix(black_box(&voters), hi - lo, mode, algorithm))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_runs, bench_matrix);
criterion_main!(benches);
