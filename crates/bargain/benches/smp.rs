//! Time of one SMP turn (challenges, bargains, queue resolution, and the analysis of the new
//! state) on KTAB's scaling inputs with 40, 80 and 160 actors on one dimension.

use brink_bargain::smp::{read_ktab_csv, SmpState};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/ktab/");

fn bench_turn(c: &mut Criterion) {
    let mut group = c.benchmark_group("smp_turn");
    group.sample_size(10);
    for name in ["dummyData-a040", "dummyData-a080", "dummyData-a160"] {
        let text = match std::fs::read_to_string(format!("{DATA}{name}.csv")) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        let scen = match read_ktab_csv(&text) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        let positions: Vec<Vec<f64>> = scen.actors.iter().map(|a| a.positions.clone()).collect();
        let state = match SmpState::new(&scen.actors, &positions) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("skipping {name}: {e}");
                continue;
            }
        };
        group.bench_function(name, |b| {
            b.iter(|| {
                let (next, turn) = state.bargain_turn(0);
                let next_state = SmpState::new(&scen.actors, &next);
                black_box((turn, next_state))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_turn);
criterion_main!(benches);
