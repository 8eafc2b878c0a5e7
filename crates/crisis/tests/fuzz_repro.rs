//! Regressions from fuzzing and pathological inputs (tests/data/fuzz-repro/): each gets a clear
//! error or a correct answer, never a panic, an abort or a hang.

use brink_crisis::efg::read_efg;
use brink_crisis::num::Rational;
use brink_crisis::pbe::{solve_pbe, OffPathBelief, MAX_WORK};
use brink_crisis::spe::{solve_spe, solve_spe_capped, MAX_LISTED_NODES};
use brink_crisis::CrisisError;
use num_bigint::BigUint;

fn repro(name: &str) -> String {
    let p = format!(
        "{}/../../tests/data/fuzz-repro/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
}

/// A chain of `n` decision nodes, every payoff (0, 0): every profile is an equilibrium (as
/// tests/data/fuzz-repro/gen_tie_chain.py writes it).
fn tie_chain(n: usize) -> String {
    let mut out = vec![r#"EFG 2 R "tie chain" { "A" "B" }"#.to_string()];
    for k in 1..=n {
        out.push(format!(r#"p "" {} {k} "" {{ "s" "g" }} 0"#, 1 + k % 2));
        out.push(
            if k == 1 {
                r#"t "" 1 "" { 0, 0 }"#
            } else {
                r#"t "" 1"#
            }
            .to_string(),
        );
    }
    out.push(r#"t "" 1"#.to_string());
    out.join("\n") + "\n"
}

/// 07b: 12 tied nodes, 2^12 equilibria. They are counted exactly; the first 1,000 are listed,
/// distinct and certified, and the solution says the list is incomplete.
#[test]
fn tie_chain_12_is_counted_and_capped() {
    let text = repro("07b-tie-chain-12.efg");
    assert_eq!(text, tie_chain(12));
    let g = read_efg(&text).unwrap();
    let sol = solve_spe::<Rational>(&g).unwrap();
    assert_eq!(sol.count, BigUint::from(4096u32));
    assert!(sol.count_exact && !sol.complete);
    assert_eq!(sol.equilibria.len(), 1000);
    let distinct: std::collections::BTreeSet<_> =
        sol.equilibria.iter().map(|e| e.profile.clone()).collect();
    assert_eq!(distinct.len(), 1000);
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
    assert_eq!(sol.count_in_words(), "4096");
    // Below the cap, the list is complete and equals the count.
    let sol = solve_spe_capped::<f64>(&read_efg(&tie_chain(8)).unwrap(), 1000).unwrap();
    assert!(sol.complete);
    assert_eq!(sol.equilibria.len(), 256);
}

/// 07b at scale: a 2,000-node tie chain (71 KB) took 1.56 GB and printed 95 MB (1,000 capped
/// equilibria, each with a 2,000-set certificate). Now the 2^2000 equilibria are counted exactly
/// from one class per node, and at most MAX_LISTED_NODES / nodes of them are listed.
#[test]
fn long_tie_chain_costs_memory_in_proportion_to_its_nodes_only() {
    let g = read_efg(&tie_chain(2000)).unwrap();
    let sol = solve_spe::<Rational>(&g).unwrap();
    assert_eq!(sol.count, BigUint::from(1u32) << 2000);
    assert!(
        sol.count_in_words().starts_with("about 1.14e602"),
        "{}",
        sol.count_in_words()
    );
    assert_eq!(sol.equilibria.len(), MAX_LISTED_NODES / g.nodes.len());
    assert!(!sol.complete);
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
}

/// 06b: a payoff of 1e400 (and one of 1e-400) was read exactly, then mis-solved in floating point
/// (infinity and zero). Such numbers are refused where they are read, with line and column.
#[test]
fn payoffs_beyond_the_bound_are_refused() {
    let e = read_efg(&repro("06b-big-payoff.efg")).unwrap_err();
    match &e {
        CrisisError::Parse { line, message, .. } => {
            assert_eq!(*line, 3, "{e}");
            assert!(message.starts_with("`1e400` is out of range"), "{e}");
        }
        other => panic!("{other:?}"),
    }
    let small = "EFG 2 R \"t\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"x\" \"y\" } 0\nt \"\" 1 \"A\" { 1e-400, 0 }\nt \"\" 2 \"B\" { 0, 0 }\n";
    assert!(read_efg(small)
        .unwrap_err()
        .to_string()
        .contains("`1e-400` is out of range"));
    // At the bounds, exact and floating point agree.
    let ok = "EFG 2 R \"t\" { \"A\" \"B\" }\np \"\" 1 1 \"\" { \"x\" \"y\" } 0\nt \"\" 1 \"WAR\" { 1e15, -1e15 }\nt \"\" 2 \"SQ\" { 1e-15, 1e15 }\n";
    let g = read_efg(ok).unwrap();
    let exact = solve_spe::<Rational>(&g).unwrap();
    let float = solve_spe::<f64>(&g).unwrap();
    assert_eq!(exact.equilibria[0].outcome_probs[0].0, "WAR");
    assert_eq!(float.equilibria[0].outcome_probs[0].0, "WAR");
}

/// 07: a 1.6 KB private-information game with 2^20 pure profiles took 110 s without a word. It is
/// now refused at once with its size and the bound.
#[test]
fn a_pbe_search_beyond_the_bound_is_refused_at_once() {
    let g = read_efg(&repro("07-pbe20-1.6KB-110s.efg")).unwrap();
    let e = solve_pbe::<Rational>(&g, OffPathBelief::Supporting).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("1048576 pure profiles") && msg.contains(&format!("at most {MAX_WORK}")),
        "{msg}"
    );
    // The same game with 8 receiver sets instead of 20 is within the bound and solved.
    let small = shrink_pbe20(&repro("07-pbe20-1.6KB-110s.efg"), 8);
    let g = read_efg(&small).unwrap();
    let sol = solve_pbe::<Rational>(&g, OffPathBelief::Supporting).unwrap();
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
}

/// The 07 game with only the first `k` receiver sets kept on each branch.
fn shrink_pbe20(text: &str, k: usize) -> String {
    // Each branch is a chain: `p "" 2 j ...` then its terminal; keep sets 1..=k, then the last
    // terminal of the chain.
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut skipping = false;
    for l in &lines {
        let words: Vec<&str> = l.split_whitespace().collect();
        if words.first() == Some(&"p") {
            let set: usize = words[3].parse().unwrap();
            skipping = set > k;
            if skipping {
                continue;
            }
        } else if skipping && words.first() == Some(&"t") {
            // The terminal after a skipped node: drop it, except the chain's final one (which
            // follows the last node and ends the branch).
            skipping = false;
            continue;
        }
        out.push(*l);
    }
    out.join("\n") + "\n"
}

/// `crisis --samples` is bounded: the threshold scan refuses more than MAX_SAMPLES grid points
/// (each solves the game) instead of allocating for them.
#[test]
fn threshold_samples_are_bounded() {
    use brink_crisis::threshold::{breakpoints, check_samples, MAX_SAMPLES};
    assert!(check_samples(MAX_SAMPLES).is_ok());
    let g = read_efg(&tie_chain(2)).unwrap();
    let e = breakpoints(|_| g.clone(), 0.0, 1.0, usize::MAX).unwrap_err();
    assert!(
        e.to_string().contains(&format!("at most {MAX_SAMPLES}")),
        "{e}"
    );
}

/// 06a: the same payoff in a scenario's `template = "efg"` crisis: the crisis gives the parse
/// error (with its line in the game), not a wrong equilibrium.
#[test]
fn a_scenario_game_with_a_payoff_beyond_the_bound_is_an_error() {
    let sc =
        brink_scenario::load_str(&repro("06a-efg-template-payoff-1e400.toml"), "06a.toml").unwrap();
    let v = sc.point_values();
    let e = brink_crisis::standoff::forecast(&sc, &v, 0, &[Some(50.0)]).unwrap_err();
    assert!(e.to_string().contains("`1e400` is out of range"), "{e}");
}

/// 10: a red line at the actor's own position: the crisis is solved (its tied equilibria
/// certified) and its outcome probabilities sum to 1.
#[test]
fn a_red_line_at_the_actors_own_position_is_solved() {
    let sc =
        brink_scenario::load_str(&repro("10-redline-at-own-position.toml"), "10.toml").unwrap();
    let v = sc.point_values();
    let settlement: Vec<Option<f64>> = brink_bargain::run_points(
        brink_bargain::find("compromise").unwrap().as_ref(),
        &sc,
        &brink_bargain::Params::default(),
    )
    .iter()
    .map(|f| f.value())
    .collect();
    let f = brink_crisis::standoff::forecast(&sc, &v, 0, &settlement).unwrap();
    let total: f64 = f.outcomes.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-12, "{:?}", f.outcomes);
}

/// The count agrees with the list wherever the list is complete: the 400 committed random trees
/// (many with ties; their lists are checked against an independent oracle in `oracle.rs`), in
/// exact and floating-point arithmetic.
#[test]
fn counts_agree_with_the_listed_equilibria() {
    let dir = format!(
        "{}/../../tests/data/crisis/random",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "efg"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 400);
    let mut tied = 0;
    for p in files {
        let g = read_efg(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let exact = solve_spe::<Rational>(&g).unwrap();
        assert!(exact.complete && exact.count_exact, "{p:?}");
        assert_eq!(exact.count, BigUint::from(exact.equilibria.len()), "{p:?}");
        let float = solve_spe::<f64>(&g).unwrap();
        assert_eq!(float.count, exact.count, "{p:?}");
        if exact.equilibria.len() > 1 {
            tied += 1;
        }
    }
    assert!(tied >= 50, "{tied} trees with several equilibria");
}

/// 11: a 3.7 KB two-type game (a mutation of the built-in crisis, exported) that `efg_solve`
/// found slow: every pure-strategy PBE it finds is certified (no player gains by deviating at
/// any information set, on or off the path), in exact and in floating-point arithmetic alike.
#[test]
fn the_slow_two_type_game_is_solved_and_certified() {
    use brink_crisis::analysis::solve;
    let g = read_efg(&repro("11-efg-solve-two-type-3.7KB-slow.efg")).unwrap();
    let exact = solve::<Rational>(&g, OffPathBelief::Supporting).unwrap();
    assert!(!exact.equilibria.is_empty());
    assert!(exact
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
    let float = solve::<f64>(&g, OffPathBelief::Supporting).unwrap();
    assert_eq!(float.equilibria.len(), exact.equilibria.len());
    for (f, x) in float.equilibria.iter().zip(&exact.equilibria) {
        assert_eq!(f.path, x.path);
        assert!(f.certificate.is_equilibrium());
    }
}
