//! Candidates for the error model, scored by leave-one-proposal-out cross-validation on the DEU
//! III development split. Run: `cargo run --release -p brink-eval --example predictive_candidates`.
use brink_eval::probabilistic::{evaluate_predictive, ErrorSource};
use brink_eval::{run_models, Forecasts};
use brink_scenario::import::{import, Format};

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/tests/data/deu3/deu3-dev.tsv")).unwrap();
    let imp = import(Format::Deu, &text, "deu3-dev.tsv").unwrap();
    let (sc, out) = (imp.scenario, imp.outcomes.unwrap());
    let models: Vec<_> = brink_bargain::registry();
    let fc: Vec<Forecasts> = run_models(&sc, &models, &brink_bargain::Params::default(), true);
    let r = evaluate_predictive(&sc, &out, &fc, ErrorSource::CrossValidated, 1000, 0).unwrap();
    for m in &r.models {
        println!(
            "{:18} n {:3} MAE {:6.2} CRPS {:6.2} ({:.2}, {:.2}) log {:6.2} cov {:.3} {:.3} {:.3} width {:5.1} {:5.1} {:5.1} pit {:?}",
            m.name, m.n, m.mae, m.crps, m.crps_ci.lo, m.crps_ci.hi, m.log_score,
            m.coverage["0.5"], m.coverage["0.8"], m.coverage["0.9"],
            m.width["0.5"], m.width["0.8"], m.width["0.9"],
            m.pit.iter().map(|x| (x * 100.0).round() / 100.0).collect::<Vec<_>>()
        );
    }
}
