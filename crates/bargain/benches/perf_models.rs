//! Time per run of every registry model at 10, 40, 80 and 160 actors, for the scaling table of
//! `docs/performance.md`.
//!
//! Inputs: KTAB's synthetic one-dimension scaling files (`tests/data/ktab/dummyData-a040.csv`,
//! `-a080`, `-a160`; each is a prefix of the next, so 10 actors are the first 10 rows of the
//! 160-actor file), imported with `brink_scenario::import` (`Format::Ktab`: power = `Influence`,
//! position on 0-100, salience / 100), and the 10-actor expected-utility example
//! (`tests/data/bdm/ExampleActors.csv`, `Format::Bdm`) as a second 10-actor case. Each model runs
//! through `brink_bargain::run_points` with the default parameters (10 rounds; the SMP runs to
//! KTAB's own stopping rule); the status quo, which neither file has, is put at the scale's
//! midpoint so that the Nash model has a disagreement point. Both files have one issue, so the
//! exchange model (which trades across issues) finds nothing to trade: its row measures set-up
//! and the outcome computation only. Before timing, each case is run once with explanations on to count
//! the rounds (turns for the SMP) actually played, printed as `rounds <model> <case> <n>` so
//! `bench/fit_scaling.py` can report time per round; the bench itself is timed without them.
//!
//! A second group times the expected-utility model alone (`expected_utility::run`, 100 rounds
//! asked for, both modes; and the first 5 rounds of the corrected mode) on all 160 actors, for
//! `bench/eu_side_by_side.py`.
//!
//! Run with `cargo bench -p brink-bargain --bench perf_models`, then
//! `python3 bench/fit_scaling.py` for the table and the fitted exponents.

use brink_bargain::expected_utility::{self, EuActor, EuMode, EuParams};
use brink_bargain::{registry, run_points, Params};
use brink_scenario::import::{import, Format};
use brink_scenario::{Scenario, Uncertain};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use std::hint::black_box;
use std::time::Duration;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/");

/// The sizes of the scaling table.
const SIZES: [usize; 4] = [10, 40, 80, 160];

fn read(rel: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The first `n` actors of KTAB's 160-actor file, as a KTAB CSV (row 1 says `n` actors). For
/// 40 and 80 this is byte-for-byte the data rows of `dummyData-a040.csv` / `-a080.csv`.
fn ktab_prefix(n: usize) -> String {
    let text = read("ktab/dummyData-a160.csv");
    let mut rows = text.lines().filter(|l| !l.trim().is_empty());
    let title = rows.next().expect("title row");
    let header = rows.next().expect("header row");
    let mut t: Vec<String> = title.split(',').map(|c| c.trim().to_string()).collect();
    t[2] = n.to_string();
    let mut out = format!("{}\n{header}\n", t.join(","));
    for r in rows.take(n) {
        out.push_str(r);
        out.push('\n');
    }
    out
}

/// Neither input format carries a status quo; without one the Nash model has no disagreement
/// point and only reports the issue as not covered. The bench puts it at the scale's midpoint so
/// that the Nash model solves (no other registry model reads it).
fn with_status_quo(mut sc: Scenario) -> Scenario {
    for is in &mut sc.issues {
        if is.status_quo.is_none() {
            is.status_quo = Some(Uncertain::fixed(0.5 * (is.min + is.max)));
        }
    }
    sc
}

/// The benchmark cases: (label, actor count, scenario).
fn cases() -> Vec<(String, usize, Scenario)> {
    let mut out = Vec::new();
    for n in SIZES {
        let text = match n {
            40 => read("ktab/dummyData-a040.csv"),
            80 => read("ktab/dummyData-a080.csv"),
            160 => read("ktab/dummyData-a160.csv"),
            _ => ktab_prefix(n),
        };
        let sc = import(Format::Ktab, &text, &format!("dummyData-a{n:03}.csv"))
            .expect("KTAB file imports")
            .scenario;
        assert_eq!(sc.actors.len(), n);
        out.push((format!("ktab-{n}"), n, with_status_quo(sc)));
    }
    let sc = import(
        Format::Bdm,
        &read("bdm/ExampleActors.csv"),
        "ExampleActors.csv",
    )
    .expect("ExampleActors.csv imports")
    .scenario;
    out.push((
        "example-10".to_string(),
        sc.actors.len(),
        with_status_quo(sc),
    ));
    out
}

/// Rounds (SMP: turns) a dynamic model played, from its trace; `None` for the static models.
fn rounds_played(trace: &serde_json::Value) -> Option<usize> {
    ["rounds", "turns"]
        .iter()
        .find_map(|k| trace.get(k).and_then(|v| v.as_array()).map(Vec::len))
}

fn bench_models(c: &mut Criterion) {
    let cases = cases();
    let params = Params::default();
    let explain = Params {
        explain: true,
        ..Params::default()
    };
    let mut group = c.benchmark_group("perf_models");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for model in registry() {
        for (label, n, sc) in &cases {
            let f = run_points(model.as_ref(), sc, &explain);
            let played = f
                .iter()
                .filter_map(|f| f.trace.as_ref())
                .find_map(rounds_played);
            let covered = f.iter().filter(|f| f.value().is_some()).count();
            println!(
                "rounds {} {label} {} covered {covered}/{} actors {n}",
                model.name(),
                played.map_or("-".to_string(), |r| r.to_string()),
                f.len()
            );
            group.bench_with_input(BenchmarkId::new(model.name(), label), sc, |b, sc| {
                b.iter(|| run_points(model.as_ref(), black_box(sc), &params))
            });
        }
    }
    group.finish();
}

fn bench_eu_160(c: &mut Criterion) {
    let sc = import(
        Format::Ktab,
        &read("ktab/dummyData-a160.csv"),
        "dummyData-a160.csv",
    )
    .expect("KTAB file imports")
    .scenario;
    let v = sc.point_values();
    let actors: Vec<EuActor> = sc
        .stances
        .iter()
        .enumerate()
        .map(|(j, st)| EuActor {
            name: sc.actors[st.actor].name.clone(),
            capability: v.stance_power[j].unwrap_or(v.power[st.actor]),
            position: v.position[j],
            salience: v.salience[j],
        })
        .collect();
    assert_eq!(actors.len(), 160);
    let mut group = c.benchmark_group("perf_eu_a160_100_rounds");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        let p = EuParams {
            mode,
            rounds: 100,
            ..EuParams::default()
        };
        let r = expected_utility::run(&actors, &p).expect("valid input");
        println!(
            "eu_a160 {mode:?} rounds_played {} stop {:?} median {} mean {}",
            r.rounds.len(),
            r.stop,
            r.forecast.median,
            r.forecast.mean
        );
        group.bench_function(format!("{mode:?}"), |b| {
            b.iter(|| expected_utility::run(black_box(&actors), &p).expect("valid input"))
        });
    }
    group.finish();
    // The first 5 rounds of the corrected mode, the work `bench/eu_side_by_side.py` gives the
    // plain-Python implementation of `scripts/eu_golden.py`.
    let mut group = c.benchmark_group("perf_eu_a160_5_rounds");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    let p = EuParams {
        rounds: 5,
        ..EuParams::default()
    };
    group.bench_function("Corrected", |b| {
        b.iter(|| expected_utility::run(black_box(&actors), &p).expect("valid input"))
    });
    group.finish();
}

criterion_group!(benches, bench_models, bench_eu_160);
criterion_main!(benches);
