//! Fits the reference class ten times on the shipped data of a level, for measuring CPU time on a
//! shared machine (`docs/reference-class.md`, Performance):
//! `RAYON_NUM_THREADS=1 /usr/bin/time -f "%U s user" target/release/examples/fit_repeat actor`.

use brink_refclass::{icb, Level, ReferenceClass};

fn main() {
    let level = match std::env::args().nth(1).as_deref() {
        Some("actor") => Level::Actor,
        _ => Level::System,
    };
    let d = icb::builtin(level);
    for _ in 0..10 {
        std::hint::black_box(ReferenceClass::fit(&d, None).expect("fits"));
    }
}
