//! Writes the game of the built-in scenario's crisis as a Gambit `.efg` file, for timing solvers
//! side by side (`bench/crisis_builtin_side_by_side.py`).
//!
//! The game is the one `brink run` solves: `brink_crisis::standoff::build` on the scenario's point
//! values, with the negotiated settlement taken from the compromise model's forecast per issue
//! (`brink_bargain::find("compromise")` through `run_points`; issues it does not cover get the
//! status quo, as in `brink run`).
//!
//! Usage: `export_builtin_crisis [OUT.efg]` (default: standard output). With several crises, the
//! first is written and the others are listed on standard error.
use brink_bargain::{find, run_points, Params};
use brink_crisis::efg::write_efg;
use brink_crisis::standoff::build;
use std::process::ExitCode;

fn main() -> ExitCode {
    match export() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_builtin_crisis: {e}");
            ExitCode::FAILURE
        }
    }
}

fn export() -> Result<(), String> {
    let sc = brink_scenario::builtin().map_err(|e| e.to_string())?;
    if sc.crises.is_empty() {
        return Err("the built-in scenario has no crisis".into());
    }
    let model = find("compromise").ok_or("no compromise model in the registry")?;
    let settlement: Vec<Option<f64>> = run_points(model.as_ref(), &sc, &Params::default())
        .iter()
        .map(|f| f.value())
        .collect();
    let v = sc.point_values();
    let built = build(&sc, &v, 0, &settlement).map_err(|e| e.to_string())?;
    let text = write_efg(&built.game);
    for (ci, c) in sc.crises.iter().enumerate() {
        eprintln!(
            "crisis {ci}: {} ({}){}",
            c.id,
            c.name,
            if ci == 0 { " written" } else { " not written" }
        );
    }
    eprintln!(
        "{} nodes; settlement {:?}",
        built.game.nodes.len(),
        built.settlement
    );
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, text).map_err(|e| format!("{path}: {e}")),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}
