//! Regenerates the shipped error models, `crates/eval/data/error-models.json`, from the DEU III
//! development split: every bargaining model run on each issue (multi-issue models per
//! proposal), one error model per model (see `brink_eval::predictive`).
//!
//! Run from the repository root: `cargo run --release -p brink-eval --example fit_error_models`.
//! The test `error_models_file_is_reproducible` checks that the committed file is what this
//! writes.

use brink_eval::predictive::ErrorModels;

fn main() {
    let dataset = "tests/data/deu3/deu3-dev.tsv";
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/{dataset}")).unwrap_or_else(|e| {
        eprintln!("{dataset}: cannot read: {e}");
        std::process::exit(2)
    });
    let m = ErrorModels::fit_deu(&text, dataset).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let out = format!("{}/data/error-models.json", env!("CARGO_MANIFEST_DIR"));
    std::fs::write(&out, m.to_json()).unwrap_or_else(|e| {
        eprintln!("{out}: cannot write: {e}");
        std::process::exit(1)
    });
    for em in &m.models {
        eprintln!(
            "{:18} k = {:>5}  residuals {} ({} oriented by the reference point)",
            em.model,
            em.k,
            em.len(),
            em.oriented.len()
        );
    }
    eprintln!("wrote {out}");
}
