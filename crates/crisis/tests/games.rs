//! Templates, PBE, the certifier (including mutation tests), threshold analysis and drawing.

use brink_crisis::audience::{credibility_threshold, threat_credible, threat_game, threat_outcome};
use brink_crisis::certify::{certify, Beliefs};
use brink_crisis::efg::{read_efg, write_efg};
use brink_crisis::error::CrisisError;
use brink_crisis::fearon::two_type_closed_form;
use brink_crisis::game::{Game, NodeKind, Owner};
use brink_crisis::num::{format_rational, ratio, rational_to_f64, Rational};
use brink_crisis::pbe::{solve_pbe, OffPathBelief};
use brink_crisis::spe::{solve_spe, solve_spe_capped};
use brink_crisis::svg::to_svg;
use brink_crisis::templates::{
    classify_outcome, escalation_ladder, fearon_game, fearon_game_uniform,
    international_interaction_game, IigSide, LadderParams, OutcomeClass,
};
use brink_crisis::threshold::{breakpoints, breakpoints_fallible};
use num_traits::{One, Zero};
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/crisis");

fn read(name: &str) -> Game {
    read_efg(&std::fs::read_to_string(format!("{DATA}/{name}")).unwrap()).unwrap()
}

fn decision_actions(g: &Game, p: &brink_crisis::certify::Profile) -> Vec<usize> {
    (0..g.nodes.len())
        .filter_map(|n| p.action_at(g, n))
        .collect()
}

/// The models.md example and the template instances against the Python oracle (all SPE, ties included).
#[test]
fn named_games_match_the_oracle() {
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{DATA}/named_expected.json")).unwrap(),
    )
    .unwrap();
    let mut several = 0;
    for (name, eqs) in want.as_object().unwrap() {
        let g = read(name);
        let sol = solve_spe::<Rational>(&g).unwrap();
        let mut got: Vec<(Vec<usize>, Vec<String>, Vec<usize>)> = sol
            .equilibria
            .iter()
            .map(|e| {
                assert!(e.certificate.is_equilibrium());
                (
                    decision_actions(&g, &e.profile),
                    e.payoffs.iter().map(format_rational).collect(),
                    e.path.clone(),
                )
            })
            .collect();
        got.sort();
        let exp: Vec<(Vec<usize>, Vec<String>, Vec<usize>)> = eqs
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                let ints = |v: &Value| {
                    v.as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_u64().unwrap() as usize)
                        .collect()
                };
                (
                    ints(&e["actions"]),
                    e["payoffs"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_str().unwrap().into())
                        .collect(),
                    ints(&e["path"]),
                )
            })
            .collect();
        if exp.len() > 1 {
            several += 1;
        }
        assert_eq!(got, exp, "{name}");
    }
    assert!(
        several >= 2,
        "the fixtures include games with tied equilibria"
    );
}

fn iig_side(alpha: f64, gamma: f64) -> IigSide {
    IigSide {
        sq: 0.0,
        own: 1.0,
        other: -1.0,
        phi: 0.5,
        alpha,
        tau: 0.1,
        gamma,
    }
}

#[test]
fn templates_are_current_and_well_formed() {
    // Same instances as examples/write_templates.rs: the committed files must be what the code builds.
    let iig =
        international_interaction_game(&iig_side(0.1, 0.2), &iig_side(0.1, 0.2), 0.5).unwrap();
    assert_eq!(
        write_efg(&iig),
        std::fs::read_to_string(format!("{DATA}/templates/iig_0.efg")).unwrap()
    );
    assert_eq!(iig.terminals().len(), 13);
    assert_eq!(iig.outcomes.len(), 8);
    let classes: std::collections::BTreeSet<String> = iig
        .outcomes
        .iter()
        .map(|o| format!("{:?}", classify_outcome(&o.label).unwrap()))
        .collect();
    let labels: std::collections::BTreeSet<&str> =
        iig.outcomes.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels.len(), 8);
    // WAR_A and WAR_B are both war; the other six classes are distinct.
    assert_eq!(classes.len(), 7, "{classes:?}");
    let lad = LadderParams {
        rungs: 6,
        stake: 1.0,
        p_win_a: 0.6,
        war_cost: [0.5, 0.2],
        audience_cost: [0.4, 0.05],
    };
    let g = escalation_ladder(&lad).unwrap();
    assert_eq!(
        write_efg(&g),
        std::fs::read_to_string(format!("{DATA}/templates/ladder_1.efg")).unwrap()
    );
    assert_eq!(g.terminals().len(), 7);
    assert!(escalation_ladder(&LadderParams { rungs: 0, ..lad }).is_err());
    assert!(international_interaction_game(&iig_side(0.1, 0.2), &iig_side(0.1, 0.2), 1.5).is_err());
}

#[test]
fn outcome_classes() {
    assert_eq!(classify_outcome("WAR_A"), Some(OutcomeClass::War));
    assert_eq!(classify_outcome("NEG"), Some(OutcomeClass::Negotiation));
    assert_eq!(classify_outcome("SQ"), Some(OutcomeClass::StatusQuo));
    assert_eq!(
        classify_outcome("ACQ_D"),
        Some(OutcomeClass::Acquiescence(1))
    );
    assert_eq!(
        classify_outcome("CAP_C"),
        Some(OutcomeClass::Capitulation(0))
    );
    assert_eq!(classify_outcome("o17"), None);
}

/// Audience costs: threshold analysis on the complete-information threat game finds the closed-form
/// credibility threshold `a* = c_A - p`, where the outcome moves from the status quo (no threat) to B
/// acquiescing to a credible threat; and the uncertain-resolve model behaves as documented.
#[test]
fn audience_cost_threshold_found_by_threshold_analysis() {
    let (p, c_a, c_b) = (0.4, 0.5, 0.7);
    let bps = breakpoints_fallible(|a| threat_game(p, c_a, c_b, a), 0.0, 0.5, 11).unwrap();
    assert_eq!(bps.len(), 1, "{bps:?}");
    let want = credibility_threshold(p, c_a);
    assert!((bps[0].at - want).abs() < 1e-9, "{} vs {want}", bps[0].at);
    assert_eq!(bps[0].outcomes_before, vec!["SQ".to_string()]);
    assert_eq!(bps[0].outcomes_after, vec!["ACQ_B".to_string()]);
    assert!(!threat_credible(p, c_a, want - 1e-6) && threat_credible(p, c_a, want + 1e-6));
    // Uncertain resolve: war probability rises with a while B resists, then drops to 0.
    let o1 = threat_outcome(0.4, 0.8, 0.1, 0.0, 1.0).unwrap();
    let o2 = threat_outcome(0.4, 0.8, 0.3, 0.0, 1.0).unwrap();
    let o3 = threat_outcome(0.4, 0.8, 0.6, 0.0, 1.0).unwrap();
    assert!(o1.b_resists && o2.b_resists && o2.pr_war > o1.pr_war);
    assert!(!o3.b_resists && o3.pr_war == 0.0);
    assert!(threat_outcome(1.4, 0.5, 0.1, 0.0, 1.0).is_err());
}

/// Threshold analysis on the IIG: A's cost of war moves the outcome; each breakpoint is confirmed by
/// solving just below and just above it.
#[test]
fn iig_breakpoints_in_cost_of_war() {
    let f = |alpha: f64| {
        international_interaction_game(&iig_side(alpha, 0.3), &iig_side(0.25, 0.3), 0.6).unwrap()
    };
    let bps = breakpoints(f, 0.0, 2.0, 41).unwrap();
    assert!(!bps.is_empty());
    for bp in &bps {
        let below = solve_spe_capped::<Rational>(&f(bp.at - 1e-9), 1).unwrap();
        let above = solve_spe_capped::<Rational>(&f(bp.at + 1e-9), 1).unwrap();
        assert_eq!(below.equilibria[0].path, bp.path_before);
        assert_eq!(above.equilibria[0].path, bp.path_after);
        assert_ne!(bp.path_before, bp.path_after);
    }
}

#[test]
fn beer_quiche_pbe() {
    let g = read("pbe/beer_quiche.efg");
    let sol = solve_pbe::<Rational>(&g, OffPathBelief::Supporting).unwrap();
    // Cho-Kreps: two pooling equilibria (both types Beer, or both Quiche), no separating one.
    assert_eq!(sol.equilibria.len(), 2);
    let strong = g.find_infoset(Owner::Player(0), 1).unwrap();
    let weak = g.find_infoset(Owner::Player(0), 2).unwrap();
    for e in &sol.equilibria {
        assert!(e.certificate.is_equilibrium());
        assert_eq!(
            e.profile.actions[strong], e.profile.actions[weak],
            "pooling"
        );
        // Off the path the receiver duels, supported by a belief on Weak of at least 1/2.
        let off = e.certificate.checks.iter().find(|c| !c.on_path).unwrap();
        assert_eq!(g.infosets[off.infoset].actions[off.action], "Duel");
        assert!(off.belief[1] >= ratio(1, 2).unwrap());
        // On the path: the prior (9/10 strong), no duel.
        let on = e
            .certificate
            .checks
            .iter()
            .find(|c| c.on_path && g.infosets[c.infoset].owner == Owner::Player(1))
            .unwrap();
        assert_eq!(
            on.belief,
            vec![ratio(9, 10).unwrap(), ratio(1, 10).unwrap()]
        );
    }
    // With passive (prior) off-path beliefs no pure PBE survives: refused with a reason.
    match solve_pbe::<Rational>(&g, OffPathBelief::Prior) {
        Err(CrisisError::NoEquilibrium(msg)) => assert!(msg.contains("Prior")),
        other => panic!("{other:?}"),
    }
    // The f64 path agrees.
    assert_eq!(
        solve_pbe::<f64>(&g, OffPathBelief::Supporting)
            .unwrap()
            .equilibria
            .len(),
        2
    );
}

/// The certifier rejects wrong profiles and wrong beliefs.
#[test]
fn certifier_mutation_tests() {
    // Flip one action at every decision node of the oracle's trees: where the choice was strictly
    // optimal, the certificate must show positive regret.
    let mut flagged = 0;
    for k in 0..60 {
        let g = read(&format!("random/g{k:03}.efg"));
        let e = solve_spe::<Rational>(&g).unwrap().equilibria.remove(0);
        for (s, set) in g.infosets.iter().enumerate() {
            if set.owner == Owner::Chance {
                continue;
            }
            let mut prof = e.profile.clone();
            let a = prof.actions[s].unwrap();
            prof.actions[s] = Some((a + 1) % set.actions.len());
            let cert = certify::<Rational>(&g, &prof, &Beliefs::singletons(&g)).unwrap();
            assert!(
                cert.max_regret > Rational::zero(),
                "flip at set {s} not detected"
            );
            assert!(!cert.is_equilibrium());
            flagged += 1;
        }
    }
    assert!(flagged > 500);
    // Beer-quiche: perturbing the off-path belief toward Strong makes duelling wrong (positive regret);
    // perturbing an on-path belief breaks Bayes' rule.
    let g = read("pbe/beer_quiche.efg");
    let e = solve_pbe::<Rational>(&g, OffPathBelief::Supporting)
        .unwrap()
        .equilibria
        .remove(0);
    let off = e
        .certificate
        .checks
        .iter()
        .find(|c| !c.on_path)
        .unwrap()
        .infoset;
    let mut b = e.beliefs.clone();
    b.at[off] = vec![ratio(3, 5).unwrap(), ratio(2, 5).unwrap()];
    let cert = certify(&g, &e.profile, &b).unwrap();
    assert_eq!(cert.max_regret, ratio(1, 5).unwrap(), "3/5 - 2/5");
    let on = e
        .certificate
        .checks
        .iter()
        .find(|c| c.on_path && c.belief.len() == 2)
        .unwrap()
        .infoset;
    let mut b = e.beliefs.clone();
    b.at[on] = vec![ratio(8, 10).unwrap(), ratio(2, 10).unwrap()];
    let cert = certify(&g, &e.profile, &b).unwrap();
    assert_eq!(cert.max_bayes_gap, ratio(1, 10).unwrap());
    assert!(!cert.is_equilibrium());
    // A profile that does not fit the game is an error, not a panic.
    let mut bad = e.profile.clone();
    bad.actions[off] = Some(7);
    assert!(certify(&g, &bad, &e.beliefs).is_err());
}

/// The discretised Fearon game solved as a PBE reproduces the two-type closed form.
#[test]
fn discretised_fearon_two_types_matches_closed_form() {
    let (p, c_a, c_l, c_h) = (
        ratio(2, 5).unwrap(),
        ratio(1, 10).unwrap(),
        ratio(1, 20).unwrap(),
        ratio(3, 10).unwrap(),
    );
    for qn in [2, 5, 10, 13] {
        let q = ratio(qn, 20).unwrap();
        let types = vec![
            (c_l.clone(), q.clone()),
            (c_h.clone(), Rational::one() - &q),
        ];
        // Demands just below each type's acceptance limit, and some others.
        let eps = ratio(1, 1000).unwrap();
        let demands: Vec<Rational> = vec![
            &p + &c_l - &eps,
            &p + &c_h - &eps,
            ratio(9, 10).unwrap(),
            ratio(1, 5).unwrap(),
        ];
        let g = fearon_game(&p, &c_a, &types, &demands).unwrap();
        let sol = solve_pbe::<Rational>(&g, OffPathBelief::Supporting).unwrap();
        assert_eq!(sol.equilibria.len(), 1);
        let e = &sol.equilibria[0];
        assert!(e.certificate.is_equilibrium());
        let war: Rational = e
            .outcome_probs
            .iter()
            .filter(|(l, _)| l == "WAR")
            .map(|(_, v)| v.clone())
            .sum();
        let cf = two_type_closed_form(0.4, 0.1, 0.05, 0.3, qn as f64 / 20.0).unwrap();
        assert!(
            (rational_to_f64(&war) - cf.pr_war).abs() < 1e-12,
            "q={q}: {war} vs {}",
            cf.pr_war
        );
    }
}

#[test]
fn uniform_fearon_game_solves_and_refusals_are_explained() {
    let g = fearon_game_uniform(0.3, 0.1, 0.0, 0.5, 20, 20).unwrap();
    assert_eq!(g.terminals().len(), 800);
    let sol = solve_pbe::<f64>(&g, OffPathBelief::Supporting).unwrap();
    assert_eq!(sol.equilibria.len(), 1);
    let war: f64 = sol.equilibria[0]
        .outcome_probs
        .iter()
        .filter(|(l, _)| l == "WAR")
        .map(|x| x.1)
        .sum();
    // Uniform closed form: Pr(war) = (b - c_A)/(2b) = 0.4; the discretisation is within one type bin.
    assert!((war - 0.4).abs() <= 0.05 + 1e-12, "{war}");
    // SPE refuses imperfect information, with the reason.
    match solve_spe::<f64>(&g) {
        Err(CrisisError::Unsupported(m)) => assert!(m.contains("imperfect information")),
        other => panic!("{other:?}"),
    }
    // PBE refuses three players with imperfect information.
    let text = "EFG 2 R \"\" { \"A\" \"B\" \"C\" }\n\"\"\nc \"\" 1 \"\" { \"x\" 1/2 \"y\" 1/2 } 0\np \"\" 1 1 \"\" { \"l\" \"r\" } 0\nt \"\" 1 \"\" { 1, 0, 0 }\nt \"\" 2 \"\" { 0, 1, 0 }\np \"\" 1 1 0\nt \"\" 3 \"\" { 0, 0, 1 }\nt \"\" 4 \"\" { 1, 1, 1 }\n";
    let g3 = read_efg(text).unwrap();
    match solve_pbe::<Rational>(&g3, OffPathBelief::Supporting) {
        Err(CrisisError::Unsupported(m)) => assert!(m.contains("3 players")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn svg_highlights_the_path() {
    let g = read("models_example.efg");
    let e = solve_spe::<Rational>(&g).unwrap().equilibria.remove(0);
    let svg = to_svg(&g, Some(&e.path));
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    // Two highlighted edges (Demand, Negotiate) on the path 0 -> 2 -> 4.
    assert_eq!(
        svg.matches("stroke=\"#d62728\" stroke-width=\"3.5\"")
            .count(),
        2
    );
    // Moves and outcomes in words (the file's `Negotiate`, `NEG`, `CAP_C`).
    for label in [
        "Challenger",
        "Defender",
        ">negotiate<",
        ">negotiated settlement<",
        "(0.5, -0.5)",
        ">challenger capitulates<",
    ] {
        assert!(svg.contains(label), "{label}");
    }
    assert!(!svg.contains(">NEG<") && !svg.contains(">CAP_C<"));
    let terminals = g
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Terminal))
        .count();
    assert_eq!(svg.matches("<rect x=").count(), terminals);
}

/// All-zero payoffs on `k` levels of two decision nodes each: every one of the `2^(2k)` profiles is an SPE.
fn tie_tree(k: usize) -> Game {
    use brink_crisis::game::Tree;
    let zero = || Tree::leaf("SQ", vec![Rational::zero(), Rational::zero()]);
    let mut t = zero();
    for j in 0..k {
        t = Tree::decision(
            j % 2,
            vec![
                (
                    "x",
                    Tree::decision((j + 1) % 2, vec![("l", t), ("r", zero())]),
                ),
                ("y", zero()),
            ],
        );
    }
    Game::from_tree("ties", &["A", "B"], t).unwrap()
}

/// The cap rule: the solver stops at the cap, says so, and every equilibrium it returns is certified
/// and distinct; below the cap the enumeration is complete.
#[test]
fn tie_explosion_is_capped_and_reported() {
    let sol = solve_spe_capped::<Rational>(&tie_tree(3), 1000).unwrap();
    assert!(sol.complete);
    assert_eq!(sol.equilibria.len(), 64);
    let g = tie_tree(12);
    let sol = solve_spe_capped::<Rational>(&g, 100).unwrap();
    assert!(!sol.complete);
    assert_eq!(sol.equilibria.len(), 100);
    let distinct: std::collections::BTreeSet<_> =
        sol.equilibria.iter().map(|e| e.profile.clone()).collect();
    assert_eq!(distinct.len(), 100);
    assert!(sol
        .equilibria
        .iter()
        .all(|e| e.certificate.is_equilibrium()));
}

#[test]
fn analysis_entry_point_dispatches_and_classifies() {
    use brink_crisis::analysis::{outcome_classes, solve, Concept};
    let g = read("models_example.efg");
    let s = solve::<Rational>(&g, OffPathBelief::Supporting).unwrap();
    assert_eq!(s.concept, Concept::SubgamePerfect);
    assert_eq!(
        outcome_classes(&s.equilibria[0]),
        vec![(Some(OutcomeClass::Negotiation), Rational::one())]
    );
    let f = fearon_game_uniform(0.3, 0.1, 0.0, 0.5, 10, 10).unwrap();
    let s = solve::<f64>(&f, OffPathBelief::Supporting).unwrap();
    assert_eq!(
        s.concept,
        Concept::PerfectBayesian(OffPathBelief::Supporting)
    );
    let classes = outcome_classes(&s.equilibria[0]);
    assert_eq!(classes.len(), 2);
    assert_eq!(classes[0].0, Some(OutcomeClass::War));
    assert!((classes[0].1 + classes[1].1 - 1.0).abs() < 1e-12);
}

/// Exact breakpoints for affine families: the audience-cost threshold is exactly `c_A - p`, and on the
/// IIG family the exact points agree with bisection to 1e-9 (same number of switches).
#[test]
fn exact_breakpoints_for_affine_families() {
    use brink_crisis::threshold::exact_breakpoints;
    let f = |a: &Rational| threat_game(0.4, 0.5, 0.7, rational_to_f64(a));
    let bps = exact_breakpoints(f, &Rational::zero(), &ratio(1, 2).unwrap()).unwrap();
    assert_eq!(bps.len(), 1);
    assert_eq!(bps[0].at, ratio(1, 10).unwrap());
    assert_eq!(bps[0].outcomes_after, vec!["ACQ_B".to_string()]);
    let iig = |alpha: f64| {
        international_interaction_game(&iig_side(alpha, 0.3), &iig_side(0.25, 0.3), 0.6)
    };
    let exact = exact_breakpoints(
        |a: &Rational| iig(rational_to_f64(a)),
        &Rational::zero(),
        &ratio(2, 1).unwrap(),
    )
    .unwrap();
    let approx = breakpoints_fallible(iig, 0.0, 2.0, 41).unwrap();
    assert!(!exact.is_empty());
    assert_eq!(exact.len(), approx.len());
    for (e, a) in exact.iter().zip(&approx) {
        assert!(
            (rational_to_f64(&e.at) - a.at).abs() < 1e-9,
            "{} vs {}",
            e.at,
            a.at
        );
        assert_eq!(e.path_before, a.path_before);
        assert_eq!(e.path_after, a.path_after);
    }
    // A family that is not affine is refused.
    let quad = |a: &Rational| threat_game(0.4, 0.5, 0.7, rational_to_f64(a).powi(2));
    assert!(matches!(
        exact_breakpoints(quad, &Rational::zero(), &Rational::one()),
        Err(CrisisError::Unsupported(_))
    ));
}

/// Games built by hand with broken links are errors for every solver, never panics.
#[test]
fn invalid_hand_built_games_are_errors() {
    use brink_crisis::game::NodeKind;
    let good = read("models_example.efg");
    let mut broken = Vec::new();
    let mut g = good.clone();
    if let NodeKind::Decision { children, .. } = &mut g.nodes[0].kind {
        children[1] = 99;
    }
    broken.push(g);
    let mut g = good.clone();
    g.nodes[3].parent = None;
    broken.push(g);
    let mut g = good.clone();
    if let NodeKind::Decision { infoset, .. } = &mut g.nodes[2].kind {
        *infoset = 42;
    }
    broken.push(g);
    let mut g = good.clone();
    g.outcomes[0].payoffs.pop();
    broken.push(g);
    let mut g = good.clone();
    g.nodes[1].outcome = Some(17);
    broken.push(g);
    let mut g = good.clone();
    g.infosets[0].actions.push("extra".into());
    broken.push(g);
    for g in &broken {
        assert!(matches!(
            solve_spe::<Rational>(g),
            Err(CrisisError::InvalidGame(_))
        ));
        assert!(matches!(
            solve_pbe::<f64>(g, OffPathBelief::Prior),
            Err(CrisisError::InvalidGame(_))
        ));
        let p = brink_crisis::certify::Profile {
            actions: vec![Some(0); g.infosets.len()],
        };
        assert!(certify::<Rational>(g, &p, &Beliefs::singletons(g)).is_err());
    }
}
