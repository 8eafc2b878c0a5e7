//! `brink solve FILE.efg`: read, solve (exact rationals and f64), certify, render as the CLI does.
//! Bounded size.
#![no_main]
use brink_crisis::num::{format_rational, Rational};
use brink_crisis::pbe::OffPathBelief;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if data.len() > 4096 {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(game) = brink_crisis::efg::read_efg(text) else { return };
    if game.nodes.len() > 400 {
        return;
    }
    for off in [OffPathBelief::Supporting, OffPathBelief::Prior] {
        match brink_crisis::analysis::solve::<Rational>(&game, off) {
            Err(e) => {
                let _ = e.to_string();
            }
            Ok(sol) => {
                let path = sol.equilibria.first().map(|e| e.path.clone());
                let _ = brink_crisis::svg::to_svg(&game, path.as_deref());
                for e in &sol.equilibria {
                    let _ = brink_crisis::standoff::path_in_words(&game, &e.path);
                    let _: Vec<String> = e.payoffs.iter().map(format_rational).collect();
                    let _ = format_rational(&e.certificate.max_regret);
                    assert!(e.certificate.is_equilibrium(), "an uncertified equilibrium:\n{text}");
                }
            }
        }
        // The f64 path used by scenario crises.
        let _ = brink_crisis::analysis::solve::<f64>(&game, off);
    }
});
