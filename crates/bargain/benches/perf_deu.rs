//! Every default model on the DEU III development file (`tests/data/deu3/deu3-dev.tsv`, imported
//! with `brink_scenario::import`, `Format::Deu`: 30 actors, 233 issues of 91 proposals), for
//! `docs/performance.md`. Each model runs through `brink_bargain::run_points` with the default
//! parameters (10 rounds; the SMP to KTAB's stopping rule).
//!
//! 1. `perf_deu_proposal/<model>/<proposal>`: the three proposals with the most issues, each a
//!    negotiation of its own (the scenario restricted to its issues, as `brink eval` runs them).
//! 2. `perf_deu_all/<model>`: all 233 issues as one negotiation (`brink run` on the imported
//!    file): the multi-issue models (SMP, exchange) see every issue at once.
//! 3. `perf_deu_exchange_issues/<d>`: the exchange model on the first d issues (d = 8 .. 128),
//!    for its scaling in issues at 30 actors.
//!
//! Run with `cargo bench -p brink-bargain --bench perf_deu` (a few minutes on 2 cores).

use brink_bargain::{find, run_points, Params, DEFAULT_MODELS};
use brink_scenario::import::{import, Format};
use brink_scenario::Scenario;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/deu3/deu3-dev.tsv"
);

/// The scenario restricted to some issues (in the given order), stances re-indexed.
fn restrict(sc: &Scenario, issues: &[usize]) -> Scenario {
    let mut out = sc.clone();
    out.issues = issues.iter().map(|&k| sc.issues[k].clone()).collect();
    out.stances = sc
        .stances
        .iter()
        .filter_map(|st| {
            let k = issues.iter().position(|&i| i == st.issue)?;
            let mut s = st.clone();
            s.issue = k;
            Some(s)
        })
        .collect();
    out
}

/// The proposal of an issue (its `prnr`).
fn proposal(sc: &Scenario, k: usize) -> String {
    sc.issues[k]
        .meta
        .iter()
        .find(|(key, _)| key == "prnr")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| sc.issues[k].id.clone())
}

fn bench(c: &mut Criterion) {
    let text = std::fs::read_to_string(FILE).expect("the DEU development file");
    let sc = import(Format::Deu, &text, "deu3-dev.tsv")
        .expect("the DEU file imports")
        .scenario;
    let params = Params::default();
    // proposals by size (most issues first; ties in file order)
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for k in 0..sc.issues.len() {
        let p = proposal(&sc, k);
        match groups.iter_mut().find(|(name, _)| *name == p) {
            Some((_, v)) => v.push(k),
            None => groups.push((p, vec![k])),
        }
    }
    groups.sort_by_key(|(_, v)| std::cmp::Reverse(v.len()));
    println!(
        "deu3-dev: {} actors, {} issues, {} stances, {} proposals",
        sc.actors.len(),
        sc.issues.len(),
        sc.stances.len(),
        groups.len()
    );

    let mut group = c.benchmark_group("perf_deu_proposal");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (name, issues) in groups.iter().take(3) {
        let sub = restrict(&sc, issues);
        let actors = (0..sub.actors.len())
            .filter(|&a| sub.stances.iter().any(|s| s.actor == a))
            .count();
        println!(
            "proposal {name}: {} issues, {actors} actors with a stance, {} stances",
            sub.issues.len(),
            sub.stances.len()
        );
        for m in DEFAULT_MODELS {
            let model = find(m).expect("registry model");
            group.bench_function(format!("{m}/{name}"), |b| {
                b.iter(|| run_points(model.as_ref(), black_box(&sub), &params))
            });
        }
    }
    group.finish();

    let mut group = c.benchmark_group("perf_deu_all");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(5));
    for m in DEFAULT_MODELS {
        let model = find(m).expect("registry model");
        group.bench_function(*m, |b| {
            b.iter(|| run_points(model.as_ref(), black_box(&sc), &params))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("perf_deu_exchange_issues");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(5));
    let model = find("exchange").expect("registry model");
    for d in [8, 16, 32, 64, 128] {
        let sub = restrict(&sc, &(0..d).collect::<Vec<_>>());
        group.bench_function(d.to_string(), |b| {
            b.iter(|| run_points(model.as_ref(), black_box(&sub), &params))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
