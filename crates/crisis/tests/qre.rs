//! The logit agent quantal response equilibrium: closed forms, limits (lambda -> 0 uniform,
//! lambda -> infinity the subgame-perfect equilibrium), the continuation solver against the exact
//! recursion, certificates, and Gambit's logit limits on games with private information.

use brink_crisis::efg::read_efg;
use brink_crisis::game::{Game, NodeKind, Owner, Tree};
use brink_crisis::num::{ratio, Rational};
use brink_crisis::qre::{
    certify_qre, logit, solve_qre, solve_qre_continuation, solve_qre_per_player, QreMethod,
};
use brink_crisis::spe::solve_spe;

fn r(n: i64, d: i64) -> Rational {
    ratio(n, d).unwrap()
}

fn prob(sol: &brink_crisis::qre::QreSolution, label: &str) -> f64 {
    sol.outcome_probs
        .iter()
        .find(|(l, _)| l == label)
        .map_or(0.0, |(_, p)| *p)
}

#[test]
fn one_move_is_a_logit_choice() {
    // u(L) = 0, u(R) = 1: P(R) = e^lambda / (1 + e^lambda).
    let g = Game::from_tree(
        "one move",
        &["A"],
        Tree::decision(
            0,
            vec![
                ("L", Tree::leaf("L", vec![r(0, 1)])),
                ("R", Tree::leaf("R", vec![r(1, 1)])),
            ],
        ),
    )
    .unwrap();
    for lambda in [0.0, 0.3, 1.0, 2.5, 10.0] {
        let s = solve_qre(&g, lambda).unwrap();
        let want = lambda.exp() / (1.0 + lambda.exp());
        assert!((prob(&s, "R") - want).abs() < 1e-14, "{lambda}");
        assert!(s.certificate.passes(1e-14));
        assert_eq!(s.method, QreMethod::BackwardRecursion);
    }
    // Three actions, values 0, 1, 3 at lambda = 0.7.
    let p = logit(&[0.0, 1.0, 3.0], 0.7);
    let z = 1.0 + 0.7f64.exp() + 2.1f64.exp();
    for (a, b) in p.iter().zip([1.0 / z, 0.7f64.exp() / z, 2.1f64.exp() / z]) {
        assert!((a - b).abs() < 1e-15);
    }
    // Stable for huge precisions.
    let p = logit(&[0.0, 1.0], 1e6);
    assert_eq!(p, vec![0.0, 1.0]);
}

/// A two-stage tree: A picks Out (2, 0) or In; after In, B picks Fight (-1, -1) or Yield (3, 1).
fn entry() -> Game {
    Game::from_tree(
        "entry",
        &["A", "B"],
        Tree::decision(
            0,
            vec![
                ("Out", Tree::leaf("Out", vec![r(2, 1), r(0, 1)])),
                (
                    "In",
                    Tree::decision(
                        1,
                        vec![
                            ("Fight", Tree::leaf("Fight", vec![r(-1, 1), r(-1, 1)])),
                            ("Yield", Tree::leaf("Yield", vec![r(3, 1), r(1, 1)])),
                        ],
                    ),
                ),
            ],
        ),
    )
    .unwrap()
}

#[test]
fn a_two_stage_tree_by_hand() {
    let g = entry();
    for lambda in [0.0f64, 0.5, 1.0, 4.0] {
        // B: P(Yield) = 1 / (1 + e^{-2 lambda}) (Yield 1 vs Fight -1).
        let py = 1.0 / (1.0 + (-2.0 * lambda).exp());
        // A's value of In: 3 py - (1 - py); Out: 2.
        let v_in = 3.0 * py - (1.0 - py);
        let p_in = 1.0 / (1.0 + (lambda * (2.0 - v_in)).exp());
        let s = solve_qre(&g, lambda).unwrap();
        assert!((prob(&s, "Out") - (1.0 - p_in)).abs() < 1e-14);
        assert!((prob(&s, "Yield") - p_in * py).abs() < 1e-14);
        assert!((prob(&s, "Fight") - p_in * (1.0 - py)).abs() < 1e-14);
        let va = (1.0 - p_in) * 2.0 + p_in * v_in;
        assert!((s.payoffs[0] - va).abs() < 1e-13);
        // The same game solved by continuation along the branch agrees.
        let c = solve_qre_continuation(&g, &[lambda, lambda]).unwrap();
        assert!((prob(&c, "Yield") - p_in * py).abs() < 1e-9, "{lambda}");
        assert!(c.certificate.passes(1e-9), "{:?}", c.certificate);
    }
    // Different precisions per player.
    let s = solve_qre_per_player(&g, &[1.0, 3.0]).unwrap();
    let py = 1.0 / (1.0 + (-6.0f64).exp());
    let v_in = 3.0 * py - (1.0 - py);
    let p_in = 1.0 / (1.0 + (2.0 - v_in).exp());
    assert!((prob(&s, "Yield") - p_in * py).abs() < 1e-14);
}

#[test]
fn zero_precision_is_uniform_play() {
    let g = read_efg(include_str!(
        "../../../tests/data/crisis/models_example.efg"
    ))
    .unwrap();
    let s = solve_qre(&g, 0.0).unwrap();
    for (set, sigma) in g.infosets.iter().zip(&s.strategies) {
        if let Owner::Player(_) = set.owner {
            for p in sigma {
                assert!((p - 1.0 / set.actions.len() as f64).abs() < 1e-15);
            }
        }
    }
    // Each terminal's probability is the product of 1/(number of actions) along its path.
    let total: f64 = s.outcome_probs.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-12);
    let bq = read_efg(include_str!(
        "../../../tests/data/crisis/pbe/beer_quiche.efg"
    ))
    .unwrap();
    let s = solve_qre(&bq, 0.0).unwrap();
    for (set, sigma) in bq.infosets.iter().zip(&s.strategies) {
        if let Owner::Player(_) = set.owner {
            assert!(sigma.iter().all(|p| (p - 0.5).abs() < 1e-15));
        }
    }
}

/// splitmix64, for random trees.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A random perfect-information tree with chance nodes, generic payoffs in [-10, 10] (multiples of
/// 1/64).
fn random_tree(rng: &mut Rng, depth: usize, players: usize) -> Tree {
    if depth == 0 || rng.below(5) == 0 {
        let pay = (0..players)
            .map(|_| r(rng.below(1281) as i64 - 640, 64))
            .collect();
        return Tree::leaf(&format!("o{}", rng.below(1000)), pay);
    }
    let k = 2 + rng.below(2) as usize;
    if rng.below(6) == 0 {
        let w: Vec<i64> = (0..k).map(|_| 1 + rng.below(5) as i64).collect();
        let tot: i64 = w.iter().sum();
        let branches = w
            .iter()
            .map(|&x| {
                (
                    "c".to_string(),
                    r(x, tot),
                    random_tree(rng, depth - 1, players),
                )
            })
            .collect::<Vec<_>>();
        return Tree::Chance {
            label: String::new(),
            branches,
        };
    }
    let player = rng.below(players as u64) as usize;
    Tree::Decision {
        player,
        infoset: None,
        label: String::new(),
        actions: (0..k)
            .map(|a| (format!("a{a}"), random_tree(rng, depth - 1, players)))
            .collect(),
    }
}

/// The smallest gap, over every decision node, between the best and the second-best child's value
/// to the mover under the (unique) SPE; `None` on a tie.
fn min_gap(g: &Game) -> Option<f64> {
    let sol = solve_spe::<Rational>(g).unwrap();
    let values = brink_crisis::certify::node_values::<f64>(g, &sol.equilibria[0].profile).unwrap();
    let mut gap = f64::INFINITY;
    for node in &g.nodes {
        if let NodeKind::Decision { infoset, children } = &node.kind {
            let Owner::Player(i) = g.infosets[*infoset].owner else {
                unreachable!()
            };
            let mut v: Vec<f64> = children.iter().map(|&c| values[c][i]).collect();
            v.sort_by(|a, b| b.total_cmp(a));
            let d = v[0] - v[1];
            if d <= 0.0 {
                return None;
            }
            gap = gap.min(d);
        }
    }
    Some(gap)
}

#[test]
fn high_precision_approaches_the_subgame_perfect_equilibrium() {
    let mut rng = Rng(2024);
    let mut checked = 0;
    for t in 0..300 {
        let players = 2 + (t % 2);
        let tree = random_tree(&mut rng, 5, players);
        let names: Vec<String> = (0..players).map(|i| format!("P{i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let g = Game::from_tree("random", &refs, tree).unwrap();
        if g.terminals().len() < 3 {
            continue;
        }
        let spe = solve_spe::<Rational>(&g).unwrap();
        if spe.equilibria.len() != 1 {
            continue;
        }
        let Some(gap) = min_gap(&g) else { continue };
        // Errors at each node are at most (k - 1) exp(-lambda gap / 2) once lambda gap is large.
        let lambda = 80.0 / gap;
        let s = solve_qre(&g, lambda).unwrap();
        let eq = &spe.equilibria[0];
        for (label, p) in &eq.outcome_probs {
            let p = brink_crisis::num::Field::to_f64(p);
            assert!((prob(&s, label) - p).abs() < 1e-6, "tree {t}: {label}");
        }
        for (set, (sigma, a)) in g
            .infosets
            .iter()
            .zip(s.strategies.iter().zip(&eq.profile.actions))
        {
            if let (Owner::Player(_), Some(a)) = (set.owner, a) {
                assert!(sigma[*a] > 1.0 - 1e-6, "tree {t}");
            }
        }
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
}

#[test]
fn continuation_agrees_with_the_exact_recursion_on_random_trees() {
    let mut rng = Rng(7);
    let mut checked = 0;
    for t in 0..60 {
        let tree = random_tree(&mut rng, 4, 2);
        let g = Game::from_tree("random", &["P1", "P2"], tree).unwrap();
        for lambda in [0.05, 0.4, 2.0] {
            let a = solve_qre(&g, lambda).unwrap();
            let b = solve_qre_continuation(&g, &[lambda, lambda]).unwrap();
            for (sa, sb) in a.strategies.iter().zip(&b.strategies) {
                for (x, y) in sa.iter().zip(sb) {
                    assert!((x - y).abs() < 1e-8, "tree {t} lambda {lambda}");
                }
            }
            assert!(b.certificate.passes(1e-9), "{:?}", b.certificate);
        }
        checked += 1;
    }
    assert_eq!(checked, 60);
}

#[test]
fn the_certificate_catches_a_profile_that_is_not_a_quantal_response() {
    let g = entry();
    let s = solve_qre(&g, 1.5).unwrap();
    let ok = certify_qre(&g, &[1.5, 1.5], &s.strategies, &s.beliefs).unwrap();
    assert!(ok.passes(1e-14), "{ok:?}");
    // Shift B's strategy by 0.01: the residual is at least that.
    let mut bad = s.strategies.clone();
    let b = g
        .infosets
        .iter()
        .position(|x| x.owner == Owner::Player(1))
        .unwrap();
    bad[b][0] += 0.01;
    bad[b][1] -= 0.01;
    let c = certify_qre(&g, &[1.5, 1.5], &bad, &s.beliefs).unwrap();
    assert!(c.max_residual >= 0.009, "{c:?}");
    // Beliefs off Bayes' rule in a game with private information.
    let bq = read_efg(include_str!(
        "../../../tests/data/crisis/pbe/beer_quiche.efg"
    ))
    .unwrap();
    let s = solve_qre(&bq, 1.0).unwrap();
    assert!(s.certificate.passes(1e-10), "{:?}", s.certificate);
    let mut mu = s.beliefs.clone();
    let k = bq
        .infosets
        .iter()
        .position(|x| x.members.len() == 2)
        .unwrap();
    mu[k] = vec![0.5, 0.5];
    let c = certify_qre(&bq, &[1.0, 1.0], &s.strategies, &mu).unwrap();
    assert!(c.max_bayes_gap > 0.01, "{c:?}");
    // Wrong sizes and bad precisions are refused.
    assert!(certify_qre(&g, &[1.0], &s.strategies, &s.beliefs).is_err());
    assert!(solve_qre(&g, -1.0).is_err());
    assert!(solve_qre(&g, f64::NAN).is_err());
}

#[test]
fn beliefs_follow_bayes_rule_in_the_beer_quiche_game() {
    let bq = read_efg(include_str!(
        "../../../tests/data/crisis/pbe/beer_quiche.efg"
    ))
    .unwrap();
    for lambda in [0.2, 1.0, 3.0, 10.0] {
        let s = solve_qre(&bq, lambda).unwrap();
        assert!(s.certificate.passes(1e-9), "{lambda}: {:?}", s.certificate);
        assert!(matches!(s.method, QreMethod::Continuation { .. }));
        let total: f64 = s.outcome_probs.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-12);
        // Every terminal has positive probability.
        assert!(s.outcome_probs.iter().all(|(_, p)| *p > 0.0));
    }
}

#[test]
fn the_branch_ends_where_gambits_logit_tracing_ends_on_games_with_private_types() {
    // scripts/crisis_pygambit.py: for each game, the pure profile Gambit's `logit_solve` (the same
    // principal branch, followed to lambda -> infinity) converged to. At a high precision brink's
    // continuation must put most weight on that profile's action at every information set.
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/crisis/pygambit"
    );
    let list: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{dir}/expected.json")).unwrap())
            .unwrap();
    let mut checked = 0;
    for e in list.iter().filter(|e| e["kind"] == "types") {
        let file = e["file"].as_str().unwrap();
        let g = read_efg(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap()).unwrap();
        let want: Vec<usize> = e["logit_profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap() as usize)
            .collect();
        let s = solve_qre(&g, 200.0).unwrap_or_else(|x| panic!("{file}: {x}"));
        // Payoffs here reach 1000 and lambda is 200: a rounding of 1e-14 in an action's value
        // moves its logit by ~1e-9, the floor of the residual in f64 where play is mixed.
        assert!(s.certificate.passes(1e-7), "{file}: {:?}", s.certificate);
        let mut k = 0;
        for node in &g.nodes {
            if let NodeKind::Decision { infoset, .. } = node.kind {
                let p = s.strategies[infoset][want[k]];
                assert!(p > 0.5, "{file}: decision node {k}: {p}");
                k += 1;
            }
        }
        checked += 1;
    }
    assert!(checked >= 100, "{checked}");
}

/// Gambit's order of a behaviour profile: players in order, each player's information sets by
/// number, actions in order. Returns (infoset index, action) for each entry.
fn gambit_order(g: &Game) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for p in 0..g.players.len() {
        let mut sets: Vec<usize> = (0..g.infosets.len())
            .filter(|&s| g.infosets[s].owner == Owner::Player(p))
            .collect();
        sets.sort_by_key(|&s| g.infosets[s].number);
        for s in sets {
            for a in 0..g.infosets[s].actions.len() {
                out.push((s, a));
            }
        }
    }
    out
}

#[test]
fn gambits_logit_tracing_at_given_precisions_agrees() {
    // scripts/crisis_qre.py: Gambit's `logit_solve_lambda` (the principal branch from lambda = 0,
    // payoffs as written) on 227 games: random trees, games with private types, beer-quiche, the
    // IIG templates and two crisis games with private types (one in the revised mapping with red
    // lines), each at three precisions from nearly uniform to nearly pure play.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis");
    let list: Vec<serde_json::Value> = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/qre/gambit_expected.json")).unwrap(),
    )
    .unwrap();
    assert!(list.len() >= 600, "{}", list.len());
    let mut games: std::collections::HashMap<String, Game> = Default::default();
    let mut worst: f64 = 0.0;
    let mut crisis_games = 0;
    for e in &list {
        let file = e["file"].as_str().unwrap();
        let g = games.entry(file.to_string()).or_insert_with(|| {
            read_efg(&std::fs::read_to_string(format!("{dir}/{file}")).unwrap()).unwrap()
        });
        let lambda = e["lambda"].as_f64().unwrap();
        let want: Vec<f64> = e["profile"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        let s = solve_qre(g, lambda).unwrap_or_else(|x| panic!("{file} at {lambda}: {x}"));
        assert!(s.certificate.passes(1e-8), "{file}: {:?}", s.certificate);
        let order = gambit_order(g);
        assert_eq!(order.len(), want.len(), "{file}");
        for ((set, a), w) in order.iter().zip(&want) {
            let d = (s.strategies[*set][*a] - w).abs();
            worst = worst.max(d);
            assert!(
                d < 1e-6,
                "{file} at lambda {lambda}: {} vs Gambit's {w}",
                s.strategies[*set][*a]
            );
        }
        // Gambit's own profile passes brink's certificate (to Gambit's tracing accuracy).
        let mut sigma = s.strategies.clone();
        for ((set, a), w) in order.iter().zip(&want) {
            sigma[*set][*a] = *w;
        }
        let c = certify_qre(g, &vec![lambda; g.players.len()], &sigma, &s.beliefs).unwrap();
        assert!(c.max_residual < 1e-5, "{file}: {c:?}");
        if file.starts_with("qre/") {
            crisis_games += 1;
        }
    }
    assert_eq!(crisis_games, 6);
    eprintln!("largest difference from Gambit: {worst:e}");
}

#[test]
fn the_crisis_games_given_to_gambit_are_current() {
    // Same construction as examples/write_qre_games.rs.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis/qre");
    let builtin = brink_scenario::builtin().unwrap();
    let two =
        brink_scenario::load_file(std::path::Path::new(&format!("{dir}/two_types.toml"))).unwrap();
    for (name, sc) in [("builtin_private", builtin), ("two_types_private", two)] {
        let worlds: Vec<(f64, String, brink_scenario::Scenario)> = sc
            .worlds()
            .into_iter()
            .map(|(w, t, s)| (w, sc.types[t[0]].id.clone(), s))
            .collect();
        let model = brink_bargain::find(&sc.crises[0].model).unwrap();
        let settle = |wi: usize| -> Vec<Option<f64>> {
            let s = &worlds[wi].2;
            model
                .run(
                    &brink_bargain::Input::new(s, &s.point_values()),
                    &Default::default(),
                )
                .iter()
                .map(|f| f.value())
                .collect()
        };
        let mut g = brink_crisis::standoff::private_game_qre(&worlds, 0, &settle)
            .unwrap()
            .unwrap();
        let mut seen = std::collections::HashSet::new();
        for (id, node) in g.nodes.iter_mut().enumerate() {
            if !node.label.is_empty() && !seen.insert(node.label.clone()) {
                node.label = format!("{} (node {id})", node.label);
            }
        }
        assert_eq!(
            brink_crisis::efg::write_efg(&g),
            std::fs::read_to_string(format!("{dir}/{name}.efg")).unwrap(),
            "{name}: rerun `cargo run -p brink-crisis --example write_qre_games` and scripts/crisis_qre.py"
        );
    }
}
