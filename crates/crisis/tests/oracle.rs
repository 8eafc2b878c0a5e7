//! Subgame-perfect equilibria against the independent Python oracle (`scripts/crisis_oracle.py`).
//!
//! - 400 committed small trees (300 with generic payoffs, 100 with small integer payoffs and ties):
//!   the set of equilibria (actions, exact payoffs, path) must equal the oracle's, each certified.
//! - 100 larger trees (200 to about 100,000 nodes, most mid-sized) regenerated here from the oracle's seeds with the same
//!   splitmix64 generator (the text's FNV-1a hash must match), solved exactly and compared.

use brink_crisis::efg::read_efg;
use brink_crisis::game::{Game, NodeKind};
use brink_crisis::num::{format_rational, Rational};
use brink_crisis::spe::{solve_spe, solve_spe_capped, Equilibrium};
use num_integer::Integer;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis");

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E3779B97F4A7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58476D1CE4E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D049BB133111EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF29CE484222325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001B3);
    }
    h
}

fn frac(n: i64, d: i64) -> String {
    let g = n.gcd(&d);
    let (n, d) = (n / g, d / g);
    if d == 1 {
        n.to_string()
    } else {
        format!("{n}/{d}")
    }
}

/// Same algorithm as `generate` in scripts/crisis_oracle.py.
fn gen_efg(seed: u64, target: usize, ties: bool) -> String {
    let mut r = Rng(seed);
    let n_players = 2 + r.below(2) as usize;
    let names: Vec<String> = (0..n_players).map(|i| format!("\"P{}\"", i + 1)).collect();
    let mut lines = vec![
        format!("EFG 2 R \"random {seed}\" {{ {} }}", names.join(" ")),
        "\"\"".into(),
        String::new(),
    ];
    let mut infoset_count = vec![0usize; n_players];
    let mut chance_count = 0usize;
    let mut outcome_count = 0usize;
    let mut created = 0usize;
    let mut stack: Vec<usize> = vec![0];
    let mut open_slots = 1usize;
    let outcome_text = |r: &mut Rng, outcome_count: &mut usize| -> String {
        *outcome_count += 1;
        let pays: Vec<String> = (0..n_players)
            .map(|_| {
                if ties {
                    r.below(4).to_string()
                } else {
                    let num = r.below(2_000_001) as i64 - 1_000_000;
                    let den = 1 + r.below(16) as i64;
                    frac(num, den)
                }
            })
            .collect();
        format!(
            "{} \"o{}\" {{ {} }}",
            outcome_count,
            outcome_count,
            pays.join(", ")
        )
    };
    while let Some(depth) = stack.pop() {
        open_slots -= 1;
        created += 1;
        let room = created + open_slots + 1 < target;
        let internal = room && (stack.is_empty() || (depth < 40 && r.below(100) < 60));
        if !internal {
            lines.push(format!(
                "t \"\" {}",
                outcome_text(&mut r, &mut outcome_count)
            ));
            continue;
        }
        let k = 2 + r.below(if ties { 2 } else { 3 }) as usize;
        let is_chance = r.below(100) < 25;
        let mut head = if is_chance {
            chance_count += 1;
            let ws: Vec<i64> = (0..k).map(|_| 1 + r.below(9) as i64).collect();
            let tot: i64 = ws.iter().sum();
            let acts: Vec<String> = ws
                .iter()
                .enumerate()
                .map(|(j, &w)| format!("\"c{}\" {}", j + 1, frac(w, tot)))
                .collect();
            format!("c \"\" {} \"\" {{ {} }}", chance_count, acts.join(" "))
        } else {
            let pl = r.below(n_players as u64) as usize;
            infoset_count[pl] += 1;
            let acts: Vec<String> = (0..k).map(|j| format!("\"a{}\"", j + 1)).collect();
            format!(
                "p \"\" {} {} \"\" {{ {} }}",
                pl + 1,
                infoset_count[pl],
                acts.join(" ")
            )
        };
        if r.below(10) == 0 {
            head.push(' ');
            head.push_str(&outcome_text(&mut r, &mut outcome_count));
        } else {
            head.push_str(" 0");
        }
        lines.push(head);
        for _ in 0..k {
            stack.push(depth + 1);
        }
        open_slots += k;
    }
    lines.join("\n") + "\n"
}

fn decision_actions(g: &Game, e: &Equilibrium<Rational>) -> Vec<usize> {
    (0..g.nodes.len())
        .filter_map(|n| match g.nodes[n].kind {
            NodeKind::Decision { .. } => e.profile.action_at(g, n),
            _ => None,
        })
        .collect()
}

fn seq_hash(xs: &[usize]) -> String {
    let s: Vec<String> = xs.iter().map(|x| x.to_string()).collect();
    format!("{:016x}", fnv1a(s.join(",").as_bytes()))
}

#[test]
fn committed_random_trees_match_the_oracle() {
    let text = std::fs::read_to_string(format!("{DATA}/random_expected.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(cases.len(), 400);
    let mut with_ties = 0;
    for case in &cases {
        let file = case["file"].as_str().unwrap();
        let g =
            read_efg(&std::fs::read_to_string(format!("{DATA}/random/{file}")).unwrap()).unwrap();
        assert_eq!(
            g.nodes.len() as u64,
            case["nodes"].as_u64().unwrap(),
            "{file}"
        );
        let sol = solve_spe_capped::<Rational>(&g, 1000).unwrap();
        assert!(sol.complete, "{file}");
        let mut got: Vec<(Vec<usize>, Vec<String>, Vec<usize>)> = sol
            .equilibria
            .iter()
            .map(|e| {
                assert!(
                    e.certificate.is_equilibrium(),
                    "{file}: uncertified equilibrium"
                );
                assert_eq!(
                    e.certificate.checks.len(),
                    g.infosets
                        .iter()
                        .filter(|s| s.owner != brink_crisis::game::Owner::Chance)
                        .count()
                );
                (
                    decision_actions(&g, e),
                    e.payoffs.iter().map(format_rational).collect(),
                    e.path.clone(),
                )
            })
            .collect();
        got.sort();
        let want: Vec<(Vec<usize>, Vec<String>, Vec<usize>)> = case["equilibria"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let ints = |v: &Value| {
                    v.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_u64().unwrap() as usize)
                        .collect::<Vec<_>>()
                };
                (
                    ints(&e["actions"]),
                    e["payoffs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap().to_string())
                        .collect(),
                    ints(&e["path"]),
                )
            })
            .collect();
        if want.len() > 1 {
            with_ties += 1;
        }
        assert_eq!(got, want, "{file}");
        // The floating-point path finds the same first equilibrium's path on generic trees.
        if want.len() == 1 {
            let f = solve_spe::<f64>(&g).unwrap();
            assert_eq!(f.equilibria.len(), 1, "{file}");
            assert_eq!(f.equilibria[0].path, want[0].2, "{file}");
        }
    }
    // The tie set must actually exercise multiple equilibria.
    assert!(
        with_ties >= 30,
        "only {with_ties} trees with several equilibria"
    );
}

#[test]
fn seeded_large_trees_match_the_oracle() {
    let text = std::fs::read_to_string(format!("{DATA}/seeded_expected.json")).unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 100);
    let mut max_nodes = 0;
    for case in &cases {
        let seed = case["seed"].as_u64().unwrap();
        let target = case["target"].as_u64().unwrap() as usize;
        let efg = gen_efg(seed, target, false);
        assert_eq!(
            format!("{:016x}", fnv1a(efg.as_bytes())),
            case["text_fnv1a"].as_str().unwrap(),
            "seed {seed}"
        );
        let g = read_efg(&efg).unwrap();
        assert_eq!(g.nodes.len() as u64, case["nodes"].as_u64().unwrap());
        max_nodes = max_nodes.max(g.nodes.len());
        let sol = solve_spe::<Rational>(&g).unwrap();
        assert_eq!(
            sol.equilibria.len() as u64,
            case["count"].as_u64().unwrap(),
            "seed {seed}"
        );
        let e = &sol.equilibria[0];
        let pays: Vec<String> = e.payoffs.iter().map(format_rational).collect();
        let want: Vec<String> = case["payoffs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect();
        assert_eq!(pays, want, "seed {seed}");
        assert_eq!(
            e.path.len() as u64,
            case["path_len"].as_u64().unwrap(),
            "seed {seed}"
        );
        assert_eq!(
            seq_hash(&e.path),
            case["path_hash"].as_str().unwrap(),
            "seed {seed}"
        );
        assert_eq!(
            seq_hash(&decision_actions(&g, e)),
            case["actions_hash"].as_str().unwrap(),
            "seed {seed}"
        );
        assert!(e.certificate.is_equilibrium(), "seed {seed}");
    }
    assert!(max_nodes >= 99_000);
}
