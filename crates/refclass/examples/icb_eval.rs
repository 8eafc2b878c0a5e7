//! Prints the cross-validated scores of the outside view on the shipped ICB development split
//! (both levels), as tabulated in `docs/reference-class.md`:
//! `cargo run --release -p brink-refclass --example icb_eval`.

use brink_refclass::{evaluate_builtin, EvalOptions, Level};

fn main() {
    for level in [Level::System, Level::Actor] {
        let t0 = std::time::Instant::now();
        let ev = evaluate_builtin(level, &EvalOptions::default()).expect("evaluates");
        eprintln!(
            "{} level: {:.1} s",
            level.name(),
            t0.elapsed().as_secs_f64()
        );
        println!(
            "\n{} level: {} rows, {} crises; {}",
            level.name(),
            ev.n,
            ev.n_crises,
            ev.method
        );
        println!("| target | model | Brier [95% CI] | BSS | vs base [95% CI] | log loss | AUC |");
        println!("|---|---|---|---|---|---|---|");
        for t in &ev.targets {
            for m in &t.models {
                println!(
                    "| {} | {} | {:.3} [{:.3}, {:.3}] | {:+.3} | {:+.3} [{:+.3}, {:+.3}] | {:.3} | {} |",
                    t.target,
                    m.model,
                    m.brier,
                    m.brier_ci.0,
                    m.brier_ci.1,
                    m.brier_skill,
                    m.brier_vs_base,
                    m.brier_vs_base_ci.0,
                    m.brier_vs_base_ci.1,
                    m.log_loss,
                    m.auc.map_or("-".to_string(), |a| format!("{a:.3}")),
                );
            }
        }
        println!("\ncalibration of `refclass` ({}):", ev.binning);
        for t in &ev.targets {
            let m = t
                .models
                .iter()
                .find(|m| m.model == "refclass")
                .expect("scored");
            let bins: Vec<String> = m
                .calibration
                .iter()
                .filter(|b| b.n > 0)
                .map(|b| {
                    format!(
                        "[{:.1},{:.1}) n={} f={:.3} o={:.3}",
                        b.lo,
                        b.hi,
                        b.n,
                        b.mean_forecast.unwrap_or(f64::NAN),
                        b.observed.unwrap_or(f64::NAN)
                    )
                })
                .collect();
            println!("{}: {}", t.target, bins.join("; "));
        }
    }
}
