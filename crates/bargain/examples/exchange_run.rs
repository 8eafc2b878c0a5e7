//! Runs the equal-gain exchange model on a decide-exchange-model input file and prints the run as
//! JSON on standard output.
//!
//! ```text
//! cargo run --release -p brink-bargain --example exchange_run -- FILE [--rounds N]
//!     [--tie seed:N | keep | swap | python:N] [--decimal] [--quiet]
//! ```
//! `--decimal` computes in 28-digit decimal (exact strings in the JSON); `--quiet` prints only the
//! elapsed model time in seconds (reading excluded), for timing scripts.

use brink_bargain::exchange::{
    read_decide, run, run_decimal, Arithmetic, ExchangeParams, TieBreak,
};
use std::process::ExitCode;
use std::time::Instant;

fn parse_tie(s: &str) -> Option<TieBreak> {
    match s {
        "keep" => Some(TieBreak::Keep),
        "swap" => Some(TieBreak::Swap),
        _ => {
            let (kind, n) = s.split_once(':')?;
            let n: u64 = n.parse().ok()?;
            match kind {
                "seed" => Some(TieBreak::Seeded(n)),
                "python" => Some(TieBreak::PythonSeed(n)),
                _ => None,
            }
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut file = None;
    let mut params = ExchangeParams::default();
    let mut quiet = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--rounds" => match it.next().and_then(|v| v.parse().ok()) {
                Some(n) => params.rounds = n,
                None => {
                    eprintln!("--rounds needs a number");
                    return ExitCode::from(2);
                }
            },
            "--tie" => match it.next().and_then(|v| parse_tie(v)) {
                Some(t) => params.tie_break = t,
                None => {
                    eprintln!("--tie takes seed:N, keep, swap or python:N");
                    return ExitCode::from(2);
                }
            },
            "--decimal" => params.arithmetic = Arithmetic::Decimal28,
            "--quiet" => quiet = true,
            f if file.is_none() && !f.starts_with("--") => file = Some(f.to_string()),
            other => {
                eprintln!("unexpected argument `{other}`");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("usage: exchange_run FILE [--rounds N] [--tie MODE] [--decimal] [--quiet]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(1);
        }
    };
    let input = match read_decide(&text) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::from(1);
        }
    };
    let t0 = Instant::now();
    let json = if params.arithmetic == Arithmetic::Decimal28 {
        run_decimal(&input, &params).map(|r| serde_json::to_string_pretty(&r))
    } else {
        run(&input, &params).map(|r| serde_json::to_string_pretty(&r))
    };
    let elapsed = t0.elapsed().as_secs_f64();
    match json {
        Ok(Ok(j)) => {
            if quiet {
                println!("{elapsed:.6}");
            } else {
                println!("{j}");
            }
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => {
            eprintln!("cannot write JSON: {e}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            ExitCode::from(1)
        }
    }
}
