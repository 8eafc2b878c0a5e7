//! The exchange model on the DEU III development file as one negotiation (`brink run` on the
//! imported file), or on its first D issues: prints the work counted ([`ExchangeWork`]), the
//! candidates, exchanges and tie draws of each round, and the wall time (indicative only; for
//! instruction counts run it under `valgrind --tool=callgrind`).
//!
//!     exchange_deu [D] [ROUNDS] [indexed|reference]
//!
//! Defaults: all 233 issues, 10 rounds, the indexed algorithm. The input is built as the
//! registry model builds it (stances with salience 0 left out).

use brink_bargain::exchange::{
    run_counted, Algorithm, ExIssue, ExStance, ExchangeInput, ExchangeParams, ExchangeWork,
};
use brink_scenario::import::{import, Format};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/data/deu3/deu3-dev.tsv"
);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize, default: usize| -> usize {
        args.get(i)
            .map(|s| s.parse().expect("a number"))
            .unwrap_or(default)
    };
    let algorithm = match args.get(2).map(String::as_str) {
        None | Some("indexed") => Algorithm::Indexed,
        Some("reference") => Algorithm::Reference,
        Some(other) => panic!("unknown algorithm {other}"),
    };
    let text = std::fs::read_to_string(FILE).expect("the DEU development file");
    let sc = import(Format::Deu, &text, "deu3-dev.tsv")
        .expect("imports")
        .scenario;
    let d = arg(0, sc.issues.len()).min(sc.issues.len());
    let v = sc.point_values();
    let input = ExchangeInput {
        actors: sc.actors.iter().map(|a| a.id.clone()).collect(),
        issues: sc.issues[..d]
            .iter()
            .map(|is| ExIssue {
                name: is.id.clone(),
                lower: is.min,
                upper: is.max,
            })
            .collect(),
        stances: sc
            .stances
            .iter()
            .enumerate()
            .filter(|(j, st)| v.salience[*j] > 0.0 && st.issue < d)
            .map(|(j, st)| ExStance {
                actor: sc.actors[st.actor].id.clone(),
                issue: sc.issues[st.issue].id.clone(),
                position: v.position[j],
                salience: v.salience[j],
                power: v.stance_power[j].unwrap_or(v.power[st.actor]),
            })
            .collect(),
    };
    let params = ExchangeParams {
        rounds: arg(1, 10),
        ..ExchangeParams::default()
    };
    let t = std::time::Instant::now();
    let (r, w): (_, ExchangeWork) = run_counted(&input, &params, algorithm).expect("runs");
    let secs = t.elapsed().as_secs_f64();
    println!(
        "{} actors, {d} issues, {} stances, {} rounds, {algorithm:?}: {secs:.3} s",
        input.actors.len(),
        input.stances.len(),
        params.rounds
    );
    println!("{w:?}");
    for x in &r.rounds {
        println!(
            "round {}: {} candidates ({} valid), {} exchanges, {} tie draws",
            x.round,
            x.candidates,
            x.valid_candidates,
            x.exchanges.len(),
            x.tie_draws
        );
    }
}
