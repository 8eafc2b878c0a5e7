//! The numbers of `docs/reference-class.md`: the outside view scored on the shipped ICB
//! development split by 10-fold cross-validation by crisis, at both levels.
//!
//! `cargo run --release -p brink-refclass --example icb_eval` prints the score tables, the
//! calibration tables, the strict calibration check and how often perfectly calibrated
//! forecasts would pass it; add `--fold-sensitivity` to rescore under 10 shuffled fold
//! assignments (minutes).

use brink_refclass::eval::{calibration, evaluate_builtin, EvalOptions, IcbEval};
use brink_refclass::Level;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn table(ev: &IcbEval) {
    println!("| target | model | Brier [95% CI] | BSS | minus base [95% CI] | log loss | AUC | Spiegelhalter z |");
    println!("|---|---|---|---|---|---|---|---|");
    for t in &ev.targets {
        for m in &t.models {
            println!(
                "| {} | {} | {:.3} [{:.3}, {:.3}] | {:+.3} | {:+.3} [{:+.3}, {:+.3}] | {:.3} | {} | {:+.2} |",
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
                m.spiegelhalter_z,
            );
        }
    }
}

fn calibration_tables(ev: &IcbEval) {
    for (ti, t) in ev.targets.iter().enumerate() {
        let m = t
            .models
            .iter()
            .find(|m| m.model == "refclass")
            .expect("scored");
        println!(
            "\n{} (`refclass`): bin, n, mean forecast, observed, sd if calibrated",
            t.target
        );
        for b in m.calibration.iter().filter(|b| b.n > 0) {
            let (f, o, sd) = (
                b.mean_forecast.unwrap_or(f64::NAN),
                b.observed.unwrap_or(f64::NAN),
                b.sd.unwrap_or(f64::NAN),
            );
            let flag = if b.is_off() {
                "  <- off by more than 0.10"
            } else {
                ""
            };
            println!(
                "  [{:.1}, {:.1})  {:4}  {f:.3}  {o:.3}  {sd:.3}{flag}",
                b.lo, b.hi, b.n
            );
        }
        // How often would forecasts exactly as calibrated as they claim pass the strict check?
        let p: Vec<f64> = ev.rows.iter().map(|r| r.forecasts[2][ti]).collect();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let sims = 2000;
        let mut pass = 0;
        for _ in 0..sims {
            let y: Vec<f64> = p
                .iter()
                .map(|&q| (rng.gen::<f64>() < q) as u8 as f64)
                .collect();
            let ok = calibration(&p, &y).iter().all(|b| !b.is_off());
            pass += ok as usize;
        }
        println!(
            "  perfectly calibrated forecasts (outcomes drawn from these forecasts) pass the check in {:.0}% of {sims} draws",
            100.0 * pass as f64 / sims as f64
        );
    }
}

fn main() {
    let sensitivity = std::env::args().any(|a| a == "--fold-sensitivity");
    for level in [Level::System, Level::Actor] {
        let t0 = std::time::Instant::now();
        let ev = evaluate_builtin(level, &EvalOptions::default()).expect("evaluates");
        eprintln!(
            "{} level: {:.1} s",
            level.name(),
            t0.elapsed().as_secs_f64()
        );
        println!(
            "\n## {} level: {} rows, {} crises; {}\n",
            level.name(),
            ev.n,
            ev.n_crises,
            ev.method
        );
        table(&ev);
        calibration_tables(&ev);
        if sensitivity {
            let mut b: Vec<[f64; 3]> = Vec::new();
            for seed in 1..=10 {
                let opts = EvalOptions {
                    fold_seed: Some(seed),
                    bootstrap: 0,
                    ..Default::default()
                };
                let e = evaluate_builtin(level, &opts).expect("evaluates");
                let row = [0, 1, 2].map(|t| {
                    e.targets[t]
                        .models
                        .iter()
                        .find(|m| m.model == "refclass")
                        .expect("scored")
                        .brier
                });
                b.push(row);
            }
            println!("\n`refclass` Brier under 10 shuffled fold assignments (seeds 1-10):");
            for (t, name) in ["any_violence", "serious_or_war", "war"].iter().enumerate() {
                let v: Vec<f64> = b.iter().map(|r| r[t]).collect();
                let mean = v.iter().sum::<f64>() / v.len() as f64;
                let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (v.len() - 1) as f64)
                    .sqrt();
                let (lo, hi) = v
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, c), x| {
                        (a.min(*x), c.max(*x))
                    });
                println!("  {name}: mean {mean:.4}, sd {sd:.4}, range {lo:.4}-{hi:.4}");
            }
        }
    }
}
