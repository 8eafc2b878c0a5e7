//! Reads an `.efg` file, solves it (SPE for perfect information, pure PBE otherwise) and prints an SVG
//! of the tree with the first equilibrium's path highlighted. Usage: `draw_efg FILE > tree.svg`.
use brink_crisis::efg::read_efg;
use brink_crisis::num::Rational;
use brink_crisis::pbe::{solve_pbe, OffPathBelief};
use brink_crisis::spe::solve_spe;
use brink_crisis::svg::to_svg;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(file) = std::env::args().nth(1) else {
        eprintln!("usage: draw_efg FILE > tree.svg");
        return ExitCode::from(2);
    };
    let game = match std::fs::read_to_string(&file)
        .map_err(|e| e.to_string())
        .and_then(|t| read_efg(&t).map_err(|e| e.to_string()))
    {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{file}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let eqs = if game.is_perfect_information() {
        solve_spe::<Rational>(&game).map(|s| s.equilibria)
    } else {
        solve_pbe::<Rational>(&game, OffPathBelief::Supporting).map(|s| s.equilibria)
    };
    let path = match &eqs {
        Ok(e) => e.first().map(|e| e.path.clone()),
        Err(e) => {
            eprintln!("{file}: {e} (drawing without a path)");
            None
        }
    };
    print!("{}", to_svg(&game, path.as_deref()));
    ExitCode::SUCCESS
}
