//! Speed of the exchange model: 10 rounds on the decide package's `cop21.csv` (15 actors, 13
//! issues, about 1,600-2,100 candidate exchanges a round) and `sample_data.txt`, in float64 and in
//! 28-digit decimal arithmetic.

use brink_bargain::exchange::{read_decide, run, Arithmetic, ExchangeParams, TieBreak};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/decide/");

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("exchange_10_rounds");
    g.sample_size(20);
    for file in ["cop21.csv", "sample_data.txt"] {
        let text = std::fs::read_to_string(format!("{DATA}{file}")).expect("bench data");
        let input = read_decide(&text).expect("bench input parses");
        for arithmetic in [Arithmetic::Float64, Arithmetic::Decimal28] {
            let params = ExchangeParams {
                rounds: 10,
                tie_break: TieBreak::Seeded(1),
                arithmetic,
            };
            g.bench_function(format!("{file}/{arithmetic:?}"), |b| {
                b.iter(|| run(black_box(&input), black_box(&params)).expect("run"))
            });
        }
    }
    g.bench_function("read_decide/cop21.csv", |b| {
        let text = std::fs::read_to_string(format!("{DATA}cop21.csv")).expect("bench data");
        b.iter(|| read_decide(black_box(&text)).expect("parse"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
