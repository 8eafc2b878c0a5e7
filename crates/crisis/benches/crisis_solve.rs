//! Criterion benchmarks: the 6-leaf example of models.md (SPE, exact and f64), the discretised
//! Fearon game with 800 leaves (PBE), and a 100,000-node random perfect-information tree.
use brink_crisis::efg::read_efg;
use brink_crisis::num::Rational;
use brink_crisis::pbe::{solve_pbe, OffPathBelief};
use brink_crisis::spe::solve_spe;
use brink_crisis::templates::fearon_game_uniform;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

const EXAMPLE: &str = include_str!("../../../tests/data/crisis/models_example.efg");

fn bench(c: &mut Criterion) {
    let g = read_efg(EXAMPLE).expect("example parses");
    c.bench_function("example_6_leaves_spe_rational", |b| {
        b.iter(|| solve_spe::<Rational>(black_box(&g)))
    });
    c.bench_function("example_6_leaves_spe_f64", |b| {
        b.iter(|| solve_spe::<f64>(black_box(&g)))
    });
    c.bench_function("example_6_leaves_parse", |b| {
        b.iter(|| read_efg(black_box(EXAMPLE)))
    });
    let f = fearon_game_uniform(0.3, 0.1, 0.0, 0.5, 20, 20).expect("fearon game");
    c.bench_function("fearon_800_leaves_pbe_f64", |b| {
        b.iter(|| solve_pbe::<f64>(black_box(&f), OffPathBelief::Supporting))
    });
    c.bench_function("fearon_800_leaves_pbe_rational", |b| {
        b.iter(|| solve_pbe::<Rational>(black_box(&f), OffPathBelief::Supporting))
    });
    let f200 = fearon_game_uniform(0.3, 0.1, 0.0, 0.5, 10, 10).expect("fearon game");
    c.bench_function("fearon_200_leaves_pbe_f64", |b| {
        b.iter(|| solve_pbe::<f64>(black_box(&f200), OffPathBelief::Supporting))
    });
    let big = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/crisis/random/g242.efg"
    ))
    .map(|t| read_efg(&t));
    if let Ok(Ok(big)) = big {
        c.bench_function("random_tree_g242_spe_rational", |b| {
            b.iter(|| solve_spe::<Rational>(black_box(&big)))
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = bench
}
criterion_main!(benches);
