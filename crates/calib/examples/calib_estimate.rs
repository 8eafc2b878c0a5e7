//! Prints the estimate of the game's constants and the combination's weights on the ICB
//! development split, with their cross-validated scores (the numbers of README.md and
//! docs/crisis-mapping.md): `cargo run --release -p brink-calib --example calib_estimate`.

fn main() {
    let e = match brink_calib::estimate() {
        Ok(e) => e,
        Err(err) => {
            eprintln!("error: {err}");
            std::process::exit(1);
        }
    };
    println!(
        "crises: {}; median power discrepancy: {}",
        e.n, e.power_median
    );
    println!(
        "estimate: lambda = {:.6}, war cost = {:.6}, power scale = {:.6}",
        e.params.lambda, e.params.war_cost, e.params.power_scale
    );
    println!(
        "log-likelihood (3 levels, in sample): game {:.3}, base rates {:.3}",
        e.log_likelihood, e.base_log_likelihood
    );
    println!(
        "log-likelihood (3 levels, 10-fold by crisis): game {:.3}, base rates {:.3}",
        e.cv_log_likelihood, e.cv_base_log_likelihood
    );
    println!(
        "game mean: P(VIOL>=2) {:.6}, P(VIOL=4) {:.6}",
        e.game_mean[0], e.game_mean[1]
    );
    println!(
        "weights (all folds): any violence {:.2}, war {:.2}",
        e.weights[0], e.weights[1]
    );
    for (f, (p, w)) in e.fold_params.iter().zip(&e.fold_weights).enumerate() {
        println!(
            "  fold {f}: lambda {:.4}, war cost {:.4}, power scale {:.4}; weights without it {:.2} {:.2}",
            p.lambda, p.war_cost, p.power_scale, w[0], w[1]
        );
    }
    println!("\n| target | model | log loss | Brier |\n|---|---|---|---|");
    for s in &e.scores {
        println!(
            "| {} | {} | {:.4} | {:.4} |",
            s.target, s.model, s.log_loss, s.brier
        );
    }
}
