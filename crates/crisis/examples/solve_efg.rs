//! Solves an `.efg` file N times and prints the equilibrium and the time per solve.
//!
//! Usage: `solve_efg FILE [N] [--f64]`. Perfect-information games are solved for all subgame-perfect
//! equilibria; others for pure perfect Bayesian equilibria.
use brink_crisis::efg::read_efg;
use brink_crisis::num::{Field, Rational};
use brink_crisis::pbe::{solve_pbe, OffPathBelief};
use brink_crisis::spe::{solve_spe, Equilibrium};
use std::time::Instant;

fn run<T: Field>(text: &str, n: usize) -> Result<(), String> {
    let t0 = Instant::now();
    let g = read_efg(text).map_err(|e| e.to_string())?;
    let parse = t0.elapsed();
    let t1 = Instant::now();
    let perfect = g.is_perfect_information();
    let mut last: Option<Vec<Equilibrium<T>>> = None;
    for _ in 0..n {
        last = Some(if perfect {
            solve_spe::<T>(&g).map_err(|e| e.to_string())?.equilibria
        } else {
            solve_pbe::<T>(&g, OffPathBelief::Supporting)
                .map_err(|e| e.to_string())?
                .equilibria
        });
    }
    let per = t1.elapsed().as_secs_f64() / n as f64;
    let eqs = last.ok_or("N must be at least 1")?;
    let e = eqs.first().ok_or("no equilibrium")?;
    let kind = if perfect { "SPE" } else { "PBE" };
    println!(
        "nodes {} {kind} equilibria {} parse_s {:.6} solve_s {:.9}",
        g.nodes.len(),
        eqs.len(),
        parse.as_secs_f64(),
        per
    );
    println!(
        "payoffs {:?}",
        e.payoffs.iter().map(|x| x.to_f64()).collect::<Vec<_>>()
    );
    println!(
        "outcomes {:?}",
        e.outcome_probs
            .iter()
            .map(|(l, p)| (l.clone(), p.to_f64()))
            .collect::<Vec<_>>()
    );
    Ok(())
}

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(file) = args.get(1) else {
        eprintln!("usage: solve_efg FILE [N] [--f64]");
        return std::process::ExitCode::from(2);
    };
    let n: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let r = if args.iter().any(|a| a == "--f64") {
        run::<f64>(&text, n)
    } else {
        run::<Rational>(&text, n)
    };
    match r {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{file}: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
