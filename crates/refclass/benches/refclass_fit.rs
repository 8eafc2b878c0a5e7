//! Criterion benchmarks of the reference class: reading the shipped ICB files, fitting each level
//! (the cross-validated choice of three penalties included: 3 targets x 5 folds x 11 penalties,
//! then the final fits), a remembered built-in fit, and one forecast with its nearest crises.
//!
//! `cargo bench -p brink-refclass --bench refclass_fit`
use brink_refclass::icb::{self, BUILTIN_ACTOR_CSV, BUILTIN_SYSTEM_CSV};
use brink_refclass::{Level, OnsetValues, ReferenceClass};
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("refclass");
    g.sample_size(10);
    g.bench_function("read_icb1_325_crises", |b| {
        b.iter(|| icb::read_str(black_box(BUILTIN_SYSTEM_CSV), "icb1").unwrap())
    });
    g.bench_function("read_icb2_723_actors", |b| {
        b.iter(|| icb::read_str(black_box(BUILTIN_ACTOR_CSV), "icb2").unwrap())
    });
    let sys = icb::builtin_system();
    let act = icb::builtin_actor();
    g.bench_function("fit_system_325_with_cv", |b| {
        b.iter(|| ReferenceClass::fit(black_box(&sys), None).unwrap())
    });
    g.bench_function("fit_actor_723_with_cv", |b| {
        b.iter(|| ReferenceClass::fit(black_box(&act), None).unwrap())
    });
    ReferenceClass::builtin(Level::System, None).unwrap();
    g.bench_function("builtin_system_remembered", |b| {
        b.iter(|| ReferenceClass::builtin(Level::System, None).unwrap())
    });
    let rc = ReferenceClass::fit(&sys, None).unwrap();
    let x = OnsetValues::System(sys.system_rows().unwrap()[100].onset.clone());
    g.bench_function("predict_system_with_5_nearest", |b| {
        b.iter(|| rc.predict(black_box(&x)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
