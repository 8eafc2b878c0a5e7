//! The claims, outcomes and record loaders never panic: the real files with random lines removed
//! or repeated give Ok or diagnostics that point into the text.

use proptest::prelude::*;

const FILES: [&str; 3] = [
    include_str!("../../../scenarios/ukraine-2021-12.claims.toml"),
    include_str!("../../../scenarios/ukraine-2021-12.outcomes.toml"),
    include_str!("../../../scenarios/ukraine-2021-12.record.toml"),
];

fn mutate(text: &str, drop: &[usize], dup: &[usize]) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if drop.iter().any(|d| d % lines.len() == i) {
            continue;
        }
        out.push_str(l);
        out.push('\n');
        if dup.iter().any(|d| d % lines.len() == i) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

fn check(r: Result<(), brink_scenario::LoadError>, text: &str) {
    if let Err(e) = r {
        let n = text.lines().count().max(1);
        for d in e.diagnostics() {
            assert!(d.line >= 1 && d.line <= n + 1, "{d}");
        }
    }
}

#[test]
fn the_real_files_load() {
    brink_scenario::load_claims_str(FILES[0], "c").unwrap_or_else(|e| panic!("{e}"));
    brink_scenario::load_outcomes_str(FILES[1], "o").unwrap_or_else(|e| panic!("{e}"));
    brink_scenario::load_record_str(FILES[2], "r").unwrap_or_else(|e| panic!("{e}"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mutated_files_never_panic(
        which in 0usize..3,
        drop in prop::collection::vec(any::<usize>(), 0..6),
        dup in prop::collection::vec(any::<usize>(), 0..3),
    ) {
        let text = mutate(FILES[which], &drop, &dup);
        check(brink_scenario::load_claims_str(&text, "m.toml").map(|_| ()), &text);
        check(brink_scenario::load_outcomes_str(&text, "m.toml").map(|_| ()), &text);
        check(brink_scenario::load_record_str(&text, "m.toml").map(|_| ()), &text);
    }
}
