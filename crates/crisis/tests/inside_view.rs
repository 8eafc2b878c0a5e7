//! The inside view: the revised crisis mapping (mapping 2) and the quantal response of the
//! International Interaction Game. The fast paths against the exact game, closed forms, limits,
//! smoothness, force short of war, red lines with uncertain thresholds, the loader's errors.

use brink_crisis::game::Game;
use brink_crisis::iig::{
    classes_of, iig_game, iig_outcome_probabilities, iig_qre_outcomes, iig_spe_outcomes,
    iig_tree_of, IigInputs, IigOutcome, IigRedLine, IigSideInputs,
};
use brink_crisis::num::{Field, Rational};
use brink_crisis::qre::{solve_qre, solve_qre_per_player};
use brink_crisis::spe::solve_spe;
use brink_crisis::standoff::{
    crossing_probability, forecast, forecast_private, forecast_private_qre, forecast_qre,
    iig_inputs, outcome_probabilities, outcome_probabilities_qre, CLASSES,
};
use brink_scenario::{load_str, RedLineAction, Scenario, Uncertain};

/// splitmix64.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

fn random_side(r: &mut Rng) -> IigSideInputs {
    let other = r.range(0.0, 0.8);
    IigSideInputs {
        sq: r.range(0.0, 1.0),
        other,
        neg: r.range(other, 1.0),
        war_cost: r.range(0.0, 1.0),
        capitulation_cost: r.range(0.0, 0.4),
        audience_cost: r.range(0.0, 0.5),
        deal_cost: r.range(0.0, 0.3),
        sanctions_cost: r.range(0.0, 0.5),
    }
}

fn random_inputs(r: &mut Rng, mapping: u8, red_lines: bool) -> IigInputs {
    let mut red = Vec::new();
    if red_lines {
        let n = (r.next() % 4) as usize;
        for _ in 0..n {
            let side = (r.next() % 2) as usize;
            let action = match (mapping, r.next() % 3) {
                (1, _) | (_, 0) => RedLineAction::War,
                (_, 1) => RedLineAction::Force,
                _ => RedLineAction::Sanctions,
            };
            let mut probability = [0.0; 8];
            for o in [
                IigOutcome::Sq,
                IigOutcome::Neg,
                IigOutcome::acq(side),
                IigOutcome::cap(side),
            ] {
                probability[o as usize] = match (mapping, r.next() % 4) {
                    (_, 0) => 0.0,
                    (1, _) | (_, 1) => 1.0,
                    _ => r.unit(),
                };
            }
            red.push(IigRedLine {
                side,
                action,
                probability,
            });
        }
    }
    IigInputs {
        sides: [random_side(r), random_side(r)],
        p_win: r.unit(),
        first_strike_cost: r.range(0.0, 0.2),
        mapping,
        red_lines: red,
    }
}

fn exact_game(x: &IigInputs) -> Game {
    Game::from_tree(
        "IIG",
        &["A", "B"],
        iig_tree_of(&iig_game(x), &|_, _| None).unwrap(),
    )
    .unwrap()
}

/// Outcome probabilities by IigOutcome from a list of (label, p).
fn by_outcome(list: &[(String, f64)]) -> [f64; 8] {
    let mut out = [0.0; 8];
    for (l, p) in list {
        out[IigOutcome::from_label(l).unwrap() as usize] += p;
    }
    out
}

#[test]
fn the_fast_paths_agree_with_the_exact_game_on_random_inputs() {
    let mut r = Rng(11);
    let (mut spe_checked, mut qre_checked) = (0, 0);
    for t in 0..400 {
        let mapping = 1 + (t % 2) as u8;
        let x = random_inputs(&mut r, mapping, true);
        let g = iig_game(&x);
        let game = exact_game(&x);
        // Subgame-perfect equilibrium.
        if let Some(fast) = iig_spe_outcomes(&g) {
            let sol = solve_spe::<Rational>(&game).unwrap();
            assert_eq!(sol.equilibria.len(), 1, "case {t}");
            let exact: Vec<(String, f64)> = sol.equilibria[0]
                .outcome_probs
                .iter()
                .map(|(l, p)| (l.clone(), p.to_f64()))
                .collect();
            let exact = by_outcome(&exact);
            for k in 0..8 {
                assert!(
                    (fast[k] - exact[k]).abs() < 1e-12,
                    "case {t}: {fast:?} {exact:?}"
                );
            }
            spe_checked += 1;
        }
        // Quantal response: the fast recursion against the general solver on the exact game.
        for lambda in [0.0, 0.7, 4.0] {
            let fast = iig_qre_outcomes(&g, lambda);
            let lam = [lambda * g.to_stake[0], lambda * g.to_stake[1]];
            let sol = solve_qre_per_player(&game, &lam).unwrap();
            let exact = by_outcome(&sol.outcome_probs);
            for k in 0..8 {
                assert!(
                    (fast[k] - exact[k]).abs() < 1e-12,
                    "case {t} lambda {lambda}"
                );
            }
            qre_checked += 1;
        }
    }
    // The rest have a tie somewhere (red lines put several outcomes at the same capped value).
    assert!(spe_checked > 200, "{spe_checked}");
    assert_eq!(qre_checked, 1200);
}

#[test]
fn mapping_2_utilities_by_hand() {
    // The challenger: other 0.2 (stake 0.8), status quo 0.4, settlement 0.6; the defender: other
    // 0.5 (stake 0.5), status quo 0.9, settlement 0.7.
    let mut x = IigInputs::in_stake_units([0.0, 0.0], [0.0, 0.0], 0.7, [0.3, 0.2]);
    x.sides[0] = IigSideInputs {
        sq: 0.4,
        other: 0.2,
        neg: 0.6,
        war_cost: 0.3,
        capitulation_cost: 0.1,
        audience_cost: 0.4,
        deal_cost: 0.05,
        sanctions_cost: 0.0,
    };
    x.sides[1] = IigSideInputs {
        sq: 0.9,
        other: 0.5,
        neg: 0.7,
        war_cost: 0.2,
        capitulation_cost: 0.0,
        audience_cost: 0.1,
        deal_cost: 0.3,
        sanctions_cost: 0.0,
    };
    x.first_strike_cost = 0.05;
    let g = iig_game(&x);
    let u = |o: IigOutcome| g.payoffs[o as usize];
    let close =
        |a: [f64; 2], b: [f64; 2]| (a[0] - b[0]).abs() < 1e-12 && (a[1] - b[1]).abs() < 1e-12;
    // Challenger: u_sq = (0.4 - 0.2)/0.8 = 0.25, phi = 0.5; defender: u_sq = 0.8, phi = 0.4.
    assert!(close(u(IigOutcome::Sq), [0.25, 0.8]));
    // NEG: phi - d - a (1 - phi).
    assert!(close(
        u(IigOutcome::Neg),
        [0.5 - 0.05 - 0.4 * 0.5, 0.4 - 0.3 - 0.1 * 0.6]
    ));
    assert!(close(u(IigOutcome::AcqA), [-0.05, 1.0]));
    assert!(close(u(IigOutcome::AcqB), [1.0, -0.3]));
    assert!(close(u(IigOutcome::CapA), [-0.1 - 0.4, 1.0]));
    assert!(close(u(IigOutcome::CapB), [1.0, -0.0 - 0.1]));
    assert!(close(u(IigOutcome::WarA), [0.7 - 0.3, 0.3 - 0.2 - 0.05]));
    assert!(close(u(IigOutcome::WarB), [0.7 - 0.3 - 0.05, 0.3 - 0.2]));
    assert_eq!(g.to_stake, [1.0, 1.0]);
    // Mapping 1 on the same numbers: the original table, in range units.
    x.mapping = 1;
    let g1 = iig_game(&x);
    let u1 = |o: IigOutcome| g1.payoffs[o as usize];
    assert!(close(u1(IigOutcome::Neg), [0.6, 0.7]));
    assert!(close(u1(IigOutcome::CapA), [0.2 - (0.1 + 0.4), 1.0]));
    assert!(close(
        u1(IigOutcome::WarA),
        [0.7 + 0.3 * 0.2 - 0.3, 0.3 + 0.7 * 0.5 - 0.2 - 0.05]
    ));
    assert!((g1.to_stake[0] - 1.0 / 0.8).abs() < 1e-12 && (g1.to_stake[1] - 2.0).abs() < 1e-12);
}

#[test]
fn zero_precision_is_a_coin_toss_at_every_node() {
    let mut r = Rng(5);
    let x = random_inputs(&mut r, 2, false);
    let p = iig_qre_outcomes(&iig_game(&x), 0.0);
    // SQ: A no demand, B no demand. ACQ_A: A no, B demands, A acquiesces. ACQ_B: A demands, B
    // acquiesces. NEG: (no, demand, counter, no force, no force) + (demand, counter, no, no).
    let want = |o: IigOutcome| match o {
        IigOutcome::Sq => 0.25,
        IigOutcome::AcqA => 0.125,
        IigOutcome::AcqB => 0.25,
        IigOutcome::Neg => 1.0 / 32.0 + 1.0 / 16.0,
        // CAP_A: (no, d, c, B force, A gives) 1/32 + (d, c, no, B force, A gives) 1/32.
        IigOutcome::CapA => 1.0 / 32.0 + 1.0 / 32.0,
        // CAP_B: (no, d, c, no, A force, B gives) 1/64 + (d, c, A force, B gives) 1/16.
        IigOutcome::CapB => 1.0 / 64.0 + 1.0 / 16.0,
        IigOutcome::WarA => 1.0 / 64.0 + 1.0 / 16.0,
        IigOutcome::WarB => 1.0 / 32.0 + 1.0 / 32.0,
    };
    for o in IigOutcome::ALL {
        assert!((p[o as usize] - want(o)).abs() < 1e-15, "{o:?}");
    }
    let total: f64 = p.iter().sum();
    assert!((total - 1.0).abs() < 1e-14);
}

#[test]
fn high_precision_approaches_the_equilibrium() {
    // As lambda grows the quantal response converges to the subgame-perfect equilibrium (where it
    // is unique and strict). Random inputs have near-ties (gaps of 1e-4 of a stake), which need a
    // high precision: the distance falls as lambda grows and is negligible at lambda = 1e9.
    let mut r = Rng(99);
    let mut checked = 0;
    for t in 0..300 {
        let x = random_inputs(&mut r, 2, true);
        let g = iig_game(&x);
        let Some(spe) = iig_spe_outcomes(&g) else {
            continue;
        };
        let dist = |lambda: f64| {
            let q = iig_qre_outcomes(&g, lambda);
            (0..8).map(|k| (q[k] - spe[k]).abs()).sum::<f64>()
        };
        let d: Vec<f64> = [1e3, 1e5, 1e7, 1e9].iter().map(|l| dist(*l)).collect();
        for w in d.windows(2) {
            assert!(w[1] <= w[0] + 1e-12, "case {t}: {d:?}");
        }
        assert!(d[3] < 1e-6, "case {t}: {d:?}");
        checked += 1;
    }
    // The other cases have exact ties (red lines acting for sure put several leaves at one war).
    assert!(checked > 120, "{checked}");
}

#[test]
fn the_one_call_inside_view_is_the_quantal_response_by_class() {
    let mut r = Rng(3);
    let x = random_inputs(&mut r, 2, true);
    let p = iig_outcome_probabilities(&x, 1.5);
    let q = classes_of(&iig_qre_outcomes(&iig_game(&x), 1.5));
    assert_eq!(p, q);
    assert_eq!(p.len(), CLASSES.len());
    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // Force short of war has positive probability whenever play has errors.
    assert!(p[5] > 0.0 && p[6] > 0.0, "{p:?}");
}

/// P(war) over a grid of one input, the others fixed.
fn sweep(
    x: &IigInputs,
    lambda: f64,
    set: &dyn Fn(&mut IigInputs, f64),
    lo: f64,
    hi: f64,
) -> Vec<f64> {
    (0..=50)
        .map(|k| {
            let mut y = x.clone();
            set(&mut y, lo + (hi - lo) * k as f64 / 50.0);
            iig_outcome_probabilities(&y, lambda)[0]
        })
        .collect()
}

type Setter = (&'static str, f64, f64, fn(&mut IigInputs, f64));

const INPUTS: [Setter; 10] = [
    ("p_win", 0.0, 1.0, |x, v| x.p_win = v),
    ("war cost A", 0.0, 1.0, |x, v| x.sides[0].war_cost = v),
    ("war cost B", 0.0, 1.0, |x, v| x.sides[1].war_cost = v),
    ("audience A", 0.0, 1.0, |x, v| x.sides[0].audience_cost = v),
    ("audience B", 0.0, 1.0, |x, v| x.sides[1].audience_cost = v),
    ("deal cost B", 0.0, 1.0, |x, v| x.sides[1].deal_cost = v),
    ("capitulation A", 0.0, 1.0, |x, v| {
        x.sides[0].capitulation_cost = v
    }),
    ("sq A", 0.0, 1.0, |x, v| x.sides[0].sq = v),
    ("neg A", 0.0, 1.0, |x, v| x.sides[0].neg = v),
    ("neg B", 0.0, 1.0, |x, v| x.sides[1].neg = v),
];

#[test]
fn at_moderate_precision_no_single_input_moves_war_from_unlikely_to_certain() {
    // Utilities are in units of each side's stake: lambda = 2 makes an option worth one stake
    // more e^2 = 7.4 times as likely at one node. Over random crises (no red lines, which are
    // commitments and may force war whatever the precision), sweep each input over its whole
    // range: P(war) never goes from below 1% to above 99%, and it moves smoothly (no jump
    // between neighbouring grid points larger than a bound proportional to the step).
    let mut r = Rng(2718);
    for case in 0..200 {
        let mut x = random_inputs(&mut r, 2, false);
        for s in x.sides.iter_mut() {
            s.other = 0.0; // utilities given in stake units directly
        }
        for (name, lo, hi, set) in INPUTS {
            let w = sweep(&x, 2.0, &set, lo, hi);
            let (mn, mx) = w
                .iter()
                .fold((1.0f64, 0.0f64), |(a, b), &p| (a.min(p), b.max(p)));
            assert!(
                !(mn < 0.01 && mx > 0.99),
                "case {case}, {name}: {mn} .. {mx}"
            );
            for pair in w.windows(2) {
                assert!(
                    (pair[1] - pair[0]).abs() < 0.2,
                    "case {case}, {name}: {w:?}"
                );
            }
        }
    }
}

#[test]
fn a_side_retaliates_less_the_costlier_war_is_and_war_vanishes_when_it_is_ruinous() {
    // P(war) as a whole need not fall with one side's war cost (a side that will not fight back
    // invites force, and force met with error is war: Signorino 1999 on non-monotone comparative
    // statics). What must hold: at the last move, the probability of fighting back after force
    // falls as one's own war cost rises; and when war costs both sides many stakes, war vanishes.
    let mut r = Rng(31);
    for case in 0..100 {
        let x = random_inputs(&mut r, 2, false);
        for lambda in [0.5, 2.0, 8.0] {
            let retaliate = |y: &IigInputs, side: usize| {
                let game = exact_game(y);
                let s = solve_qre(&game, lambda).unwrap();
                let node = if side == 0 { "8" } else { "10" };
                let id = game.nodes.iter().position(|n| n.label == node).unwrap();
                let set = game.nodes[id].infoset().unwrap();
                s.strategies[set][0]
            };
            for side in 0..2 {
                let mut last = f64::INFINITY;
                for k in 0..6 {
                    let mut y = x.clone();
                    y.sides[side].war_cost = 0.3 * k as f64;
                    let p = retaliate(&y, side);
                    assert!(p < last, "case {case}, side {side}, lambda {lambda}");
                    last = p;
                }
            }
            let mut y = x.clone();
            y.sides[0].war_cost = 30.0;
            y.sides[1].war_cost = 30.0;
            let war = iig_outcome_probabilities(&y, lambda.max(2.0))[0];
            assert!(war < 1e-9, "case {case}: {war}");
        }
    }
}

#[test]
fn capitulation_after_force_is_reachable_in_equilibrium_when_a_deal_costs_more_than_giving_in() {
    // The defender's cost of a deal (being seen to cave) is larger than its cost of giving in to
    // force: it does not acquiesce, the challenger uses force, and the defender gives in.
    let mut x = IigInputs::in_stake_units([0.2, 0.6], [0.5, 0.4], 0.8, [0.1, 0.9]);
    x.sides[1].deal_cost = 0.5;
    x.sides[1].capitulation_cost = 0.1;
    x.sides[0].audience_cost = 0.5;
    let spe = iig_spe_outcomes(&iig_game(&x)).unwrap();
    assert_eq!(spe[IigOutcome::CapB as usize], 1.0, "{spe:?}");
    // Without the deal cost the defender acquiesces up front (the original IIG's result).
    x.sides[1].deal_cost = 0.0;
    let spe = iig_spe_outcomes(&iig_game(&x)).unwrap();
    assert_eq!(spe[IigOutcome::CapB as usize], 0.0, "{spe:?}");
}

const BASE: &str = r#"brink = 1
[scenario]
id = "c"
title = "Crisis test"
as_of = 2021-12-28
question = "?"

[[actors]]
id = "a"
name = "Alpha"
power = 1

[[actors]]
id = "b"
name = "Beta"
power = 1

[[issues]]
id = "i"
name = "Issue"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "B's way" }, { at = 100, label = "A's way" }]
status_quo = 0

[[stances]]
actor = "a"
issue = "i"
position = 100
salience = 1
assumed = "the challenger wants all of it"

[[stances]]
actor = "b"
issue = "i"
position = 0
salience = 1
assumed = "the defender wants none of it"

[[crises]]
id = "c1"
name = "A against B"
challenger = "a"
defender = ["b"]
issues = ["i"]
template = "iig"
mapping = 2
model = "compromise"
p_win = { value = 0.5, assumed = "a test value for the probability" }
war_cost_challenger = { value = 0.3, assumed = "a test value for the war cost" }
war_cost_defender = { value = 0.3, assumed = "a test value for the war cost" }
"#;

fn scen(extra: &str) -> Scenario {
    load_str(&format!("{BASE}{extra}"), "c.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn settle(x: f64) -> Vec<Option<f64>> {
    vec![Some(x)]
}

fn share(list: &[(String, f64)], what: &str) -> f64 {
    list.iter()
        .find(|(o, _)| o == what)
        .map_or(0.0, |(_, p)| *p)
}

#[test]
fn crossing_probabilities_of_uncertain_thresholds() {
    let u = |lo: f64, hi: f64| Uncertain {
        dist: brink_scenario::Dist::Uniform { lo, hi },
        point: 0.5 * (lo + hi),
    };
    // Actor at 100, threshold uniform on [40, 80]: a settlement at 50 is crossed if the threshold
    // lies in (50, 100): P = 30/40.
    assert!((crossing_probability(&u(40.0, 80.0), 100.0, 50.0) - 0.75).abs() < 1e-12);
    assert_eq!(crossing_probability(&u(40.0, 80.0), 100.0, 90.0), 0.0);
    assert_eq!(crossing_probability(&u(40.0, 80.0), 100.0, 10.0), 1.0);
    // Triangular [0, 10, 20], actor at 100, settlement at 5: P(T > 5) = 1 - 25/200.
    let tri = Uncertain {
        dist: brink_scenario::Dist::Triangular {
            lo: 0.0,
            mode: 10.0,
            hi: 20.0,
        },
        point: 10.0,
    };
    assert!((crossing_probability(&tri, 100.0, 5.0) - (1.0 - 25.0 / 200.0)).abs() < 1e-12);
    // A fixed threshold is the original sharp rule.
    assert_eq!(
        crossing_probability(&Uncertain::fixed(60.0), 100.0, 50.0),
        1.0
    );
    assert_eq!(
        crossing_probability(&Uncertain::fixed(60.0), 100.0, 70.0),
        0.0
    );
}

#[test]
fn a_red_line_with_an_uncertain_threshold_acts_with_its_crossing_probability() {
    // A's line: a settlement below T ~ uniform[40, 80] means war. The settlement at 50 crosses it
    // with probability 3/4; the status quo (0) surely.
    let sc = scen(
        r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
threshold = { uniform = [40, 80] }
action = "war"
assumed = "a test red line whose threshold is uncertain"
"#,
    );
    let v = sc.point_values();
    let x = iig_inputs(&sc, &v, 0, &settle(50.0)).unwrap().unwrap();
    let pr = x.red_lines[0].probability;
    assert!((pr[IigOutcome::Neg as usize] - 0.75).abs() < 1e-12);
    assert_eq!(pr[IigOutcome::Sq as usize], 1.0);
    // The certified equilibrium of the revised game.
    let f = forecast(&sc, &v, 0, &settle(50.0)).unwrap();
    assert!(f.max_regret.abs() < 1e-12);
    assert!(f
        .built
        .red_lines
        .iter()
        .any(|l| l.contains("probability 0.750")));
    // P(war) moves smoothly with the settlement: between 40 and 80 the line's bite grows
    // gradually, where a fixed threshold would switch it at once.
    let mut last = None;
    for y in [30.0, 45.0, 55.0, 65.0, 75.0, 85.0] {
        let p = share(
            &outcome_probabilities_qre(&sc, &v, 0, &settle(y), 3.0).unwrap(),
            "war",
        );
        if let Some(l) = last {
            assert!(p <= l + 1e-12, "{y}: {p} after {l}");
        }
        last = Some(p);
    }
}

#[test]
fn a_force_red_line_makes_force_short_of_war_an_outcome() {
    // B answers a settlement beyond 30 (from its position 0) with limited force; A, whose war
    // cost is high, gives in rather than fight.
    let mut sc = scen(
        r#"
[[crises.red_lines]]
actor = "b"
issue = "i"
threshold = 30
action = "force"
assumed = "a test red line: B uses limited force against a settlement beyond 30"
"#,
    );
    sc.crises[0].params[1].value = Uncertain::fixed(0.9); // the challenger's war cost
    let v = sc.point_values();
    let p = outcome_probabilities(&sc, &v, 0, &settle(50.0)).unwrap();
    let f = forecast(&sc, &v, 0, &settle(50.0)).unwrap();
    assert!(f.max_regret.abs() < 1e-12);
    assert_eq!(p, f.outcomes, "fast and exact agree");
    // The quantal response puts weight on the challenger's capitulation after force.
    let q = outcome_probabilities_qre(&sc, &v, 0, &settle(50.0), 2.0).unwrap();
    assert!(share(&q, "challenger capitulates") > 0.05, "{q:?}");
    let e = forecast_qre(&sc, &v, 0, &settle(50.0), 2.0).unwrap();
    for (a, b) in e.outcomes.iter().zip(&q) {
        assert_eq!(a.0, b.0);
        assert!((a.1 - b.1).abs() < 1e-12);
    }
    assert!(e.solution.certificate.passes(1e-12));
}

#[test]
fn a_red_line_set_off_by_force_makes_the_side_fight_back() {
    // "An attempt to regain territory by force would unleash a military response": B's force is
    // answered by war with probability 0.8; otherwise A may give in.
    let sc = scen(
        r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
trigger = "force"
action = "war"
probability = 0.8
assumed = "a test red line set off by the other side's force"
"#,
    );
    let v = sc.point_values();
    let x = iig_inputs(&sc, &v, 0, &settle(50.0)).unwrap().unwrap();
    let pr = x.red_lines[0].probability;
    assert_eq!(pr[IigOutcome::CapA as usize], 0.8);
    assert_eq!(pr.iter().filter(|p| **p > 0.0).count(), 1);
    let g = iig_game(&x);
    let leaf = &g.leaves[IigOutcome::CapA as usize];
    assert_eq!(leaf.branches.len(), 2);
    assert!((leaf.branches[0].0 - 0.8).abs() < 1e-15);
    assert!(matches!(
        leaf.branches[0].1,
        brink_crisis::iig::Consequence::Outcome(IigOutcome::WarB, _)
    ));
}

#[test]
fn sanctions_cost_the_other_side_without_force() {
    let sc = scen(
        r#"
sanctions_cost_challenger = { value = 0.4, assumed = "a test cost of sanctions to A" }

[[crises.red_lines]]
actor = "b"
issue = "i"
trigger = "force"
action = "sanctions"
assumed = "a test red line: B answers force with sanctions"
"#,
    );
    let v = sc.point_values();
    let x = iig_inputs(&sc, &v, 0, &settle(50.0)).unwrap().unwrap();
    let g = iig_game(&x);
    let plain = g.payoffs[IigOutcome::CapB as usize];
    let leaf = &g.leaves[IigOutcome::CapB as usize];
    assert_eq!(leaf.branches.len(), 1);
    let brink_crisis::iig::Consequence::Outcome(o, u) = leaf.branches[0].1 else {
        panic!()
    };
    assert_eq!(o, IigOutcome::CapB);
    assert!((u[0] - (plain[0] - 0.4)).abs() < 1e-12 && u[1] == plain[1]);
}

#[test]
fn the_private_types_game_has_a_certified_quantal_response() {
    let red = r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
threshold = { triangular = [40, 60, 80] }
action = "force"
assumed = "a test red line: the hard type uses force against less than about 60"
"#;
    let worlds = vec![
        (0.7, "soft".to_string(), scen("")),
        (0.3, "hard".to_string(), scen(red)),
    ];
    let det = forecast_private(&worlds, 0, &|_| settle(50.0))
        .unwrap()
        .unwrap();
    assert!(det.max_regret.abs() < 1e-12, "{}", det.max_regret);
    for lambda in [0.0, 0.5, 2.0, 8.0] {
        let q = forecast_private_qre(&worlds, 0, &|_| settle(50.0), lambda)
            .unwrap()
            .unwrap();
        assert!(
            q.solution.certificate.passes(1e-9),
            "{:?}",
            q.solution.certificate
        );
        let total: f64 = q.outcomes.iter().map(|(_, p)| p).sum();
        assert!((total - 1.0).abs() < 1e-12);
        assert!(share(&q.outcomes, "challenger capitulates") > 0.0);
    }
    // At high precision the quantal response is near the perfect Bayesian equilibrium.
    let q = forecast_private_qre(&worlds, 0, &|_| settle(50.0), 400.0)
        .unwrap()
        .unwrap();
    for (a, b) in q.outcomes.iter().zip(&det.outcomes) {
        assert!(
            (a.1 - b.1).abs() < 1e-3,
            "{:?} vs {:?}",
            q.outcomes,
            det.outcomes
        );
    }
}

#[test]
fn the_built_in_crisis_has_a_quantal_response_with_private_types() {
    let sc = brink_scenario::builtin().unwrap();
    let worlds: Vec<(f64, String, Scenario)> = sc
        .worlds()
        .into_iter()
        .map(|(w, t, s)| (w, sc.types[t[0]].id.clone(), s))
        .collect();
    let model = brink_bargain::find("compromise").unwrap();
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
    for lambda in [0.3, 3.0, 30.0] {
        let q = forecast_private_qre(&worlds, 0, &settle, lambda)
            .unwrap()
            .unwrap();
        assert!(
            q.solution.certificate.passes(1e-9),
            "{:?}",
            q.solution.certificate
        );
        let war = share(&q.outcomes, "war");
        assert!(war > 0.0 && war < 1.0, "{lambda}: {:?}", q.outcomes);
    }
}

#[test]
fn every_settlement_model_a_crisis_may_name_exists() {
    for m in brink_scenario::SETTLEMENT_MODELS {
        assert!(
            *m == "status_quo" || brink_bargain::find(m).is_some(),
            "{m} is not a bargaining model"
        );
    }
    for m in brink_scenario::UNFIXED_SETTLEMENT_MODELS {
        assert!(brink_scenario::SETTLEMENT_MODELS.contains(m));
    }
}

#[test]
fn the_settlement_model_may_be_weighted_or_left_open() {
    let sc = scen("");
    assert_eq!(sc.crises[0].models, vec![("compromise".to_string(), 1.0)]);
    let t = BASE.replace(
        "model = \"compromise\"",
        "model = { compromise = 3, status_quo = 1 }",
    );
    let sc = load_str(&t, "c.toml").unwrap();
    assert_eq!(
        sc.crises[0].models,
        vec![
            ("compromise".to_string(), 0.75),
            ("status_quo".to_string(), 0.25)
        ]
    );
    assert_eq!(sc.crises[0].model, "compromise");
    let t = BASE.replace("model = \"compromise\"\n", "");
    let sc = load_str(&t, "c.toml").unwrap();
    assert_eq!(
        sc.crises[0].models.len(),
        brink_scenario::UNFIXED_SETTLEMENT_MODELS.len()
    );
    // Mapping 1 without a model: the compromise, as before.
    let t = BASE
        .replace("model = \"compromise\"\n", "")
        .replace("mapping = 2\n", "");
    let sc = load_str(&t, "c.toml").unwrap();
    assert_eq!(sc.crises[0].models, vec![("compromise".to_string(), 1.0)]);
    assert_eq!(sc.crises[0].mapping, 1);
    // The mixture's probabilities are the weighted mean.
    let mixed = brink_crisis::standoff::mix_outcomes(&[
        (0.75, vec![("war".into(), 0.2), ("status quo".into(), 0.8)]),
        (0.25, vec![("war".into(), 0.6), ("status quo".into(), 0.4)]),
    ]);
    assert!((share(&mixed, "war") - 0.3).abs() < 1e-12);
}

#[test]
fn mistakes_in_the_new_crisis_fields_name_line_and_field() {
    let red = |body: &str| {
        format!("{BASE}\n[[crises.red_lines]]\nactor = \"a\"\nissue = \"i\"\n{body}\nassumed = \"a test red line\"\n")
    };
    let cases: Vec<(String, &str, &str)> = vec![
        (
            BASE.replace("mapping = 2", "mapping = 3"),
            "crises[0].mapping",
            "`mapping` is 1",
        ),
        (
            BASE.replace(
                "model = \"compromise\"",
                "model = { compromise = 1, medain = 1 }",
            ),
            "crises[0].model.medain",
            "did you mean `median`",
        ),
        (
            BASE.replace("model = \"compromise\"", "model = { compromise = 0 }"),
            "crises[0].model.compromise",
            "out of range",
        ),
        (
            red("threshold = 50\naction = \"nuke\""),
            "crises[0].red_lines[0].action",
            "unknown action `nuke`",
        ),
        (
            red("threshold = 50\naction = \"war\"\ntrigger = \"insult\""),
            "crises[0].red_lines[0].trigger",
            "unknown trigger `insult`",
        ),
        (
            red("action = \"force\"\ntrigger = \"force\""),
            "crises[0].red_lines[0].action",
            "answers with \"war\"",
        ),
        (
            red("threshold = 50\naction = \"war\"\ntrigger = \"force\""),
            "crises[0].red_lines[0].threshold",
            "has no threshold",
        ),
        (
            red("action = \"war\""),
            "crises[0].red_lines[0].threshold",
            "missing",
        ),
        (
            red("threshold = 50\naction = \"war\"\nprobability = 1.5"),
            "crises[0].red_lines[0].probability",
            "out of range",
        ),
        (
            red("threshold = 50\naction = \"sanctions\""),
            "crises[0].red_lines[0].action",
            "sanctions_cost_defender",
        ),
        (
            red("threshold = { uniform = [40, 60] }\naction = \"war\"")
                .replace("mapping = 2\n", ""),
            "crises[0].red_lines[0].threshold",
            "needs `mapping = 2`",
        ),
        (
            red("threshold = 50\naction = \"force\"").replace("mapping = 2\n", ""),
            "crises[0].red_lines[0].action",
            "needs `mapping = 2`",
        ),
        (
            format!(
                "{}deal_cost_defender = {{ value = 0.2, assumed = \"a test cost\" }}\n",
                BASE.replace("mapping = 2\n", "")
            ),
            "crises[0].deal_cost_defender",
            "input of mapping 2",
        ),
    ];
    for (t, path, msg) in cases {
        let e = load_str(&t, "c.toml").unwrap_err();
        let d = e
            .diagnostics()
            .iter()
            .find(|d| d.path == path)
            .unwrap_or_else(|| panic!("no error at {path}: {e}"));
        assert!(d.message.contains(msg), "{path}: {}", d.message);
        assert!(d.line > 40, "{path}: line {}", d.line);
    }
}

#[test]
fn quantal_response_of_a_general_template_uses_the_general_solver() {
    // The ladder is not an IIG: its quantal response comes from the general solver.
    let t = BASE.replace("template = \"iig\"", "template = \"ladder\"\nrungs = 3");
    let sc = load_str(&t, "c.toml").unwrap();
    let v = sc.point_values();
    let q = outcome_probabilities_qre(&sc, &v, 0, &settle(50.0), 1.0).unwrap();
    let total: f64 = q.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-12);
    let g = brink_crisis::standoff::build(&sc, &v, 0, &settle(50.0))
        .unwrap()
        .game;
    let s = solve_qre(&g, 1.0).unwrap();
    let war: f64 = s
        .outcome_probs
        .iter()
        .filter(|(l, _)| l.starts_with("WAR"))
        .map(|(_, p)| p)
        .sum();
    assert!((share(&q, "war") - war).abs() < 1e-12);
}

#[test]
fn outcome_classes_map_onto_icb_violence_levels() {
    use brink_crisis::iig::{violence_probabilities, Violence, CLASS_VIOLENCE};
    for (c, v) in CLASSES.iter().zip(CLASS_VIOLENCE) {
        let want = match *c {
            "war" => Violence::War,
            "challenger capitulates" | "defender capitulates" => Violence::Clashes,
            _ => Violence::None,
        };
        assert_eq!(v, want, "{c}");
    }
    let mut r = Rng(8);
    let x = random_inputs(&mut r, 2, true);
    let p = iig_outcome_probabilities(&x, 1.0);
    let v = violence_probabilities(&p);
    assert!((v[2] - p[0]).abs() < 1e-15);
    assert!((v[1] - p[5] - p[6]).abs() < 1e-15);
    assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn the_defender_cannot_tell_the_types_apart_when_answering_a_red_lines_force() {
    // Both types use force when the status quo stands (the hard one also may go to war there):
    // the defender's answer to that force is one information set across the two types.
    let soft = r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
threshold = 50
action = "force"
probability = 0.5
assumed = "a test red line: force against a settlement below 50"
"#;
    let hard = format!(
        "{soft}\n[[crises.red_lines]]\nactor = \"a\"\nissue = \"i\"\nthreshold = 20\naction = \"war\"\nprobability = 0.5\nassumed = \"a test red line: war below 20\"\n"
    );
    let worlds = vec![
        (0.5, "soft".to_string(), scen(soft)),
        (0.5, "hard".to_string(), scen(&hard)),
    ];
    let g = brink_crisis::standoff::private_game_qre(&worlds, 0, &|_| settle(50.0))
        .unwrap()
        .unwrap();
    let set = g
        .infosets
        .iter()
        .find(|s| s.label == "defender-2.NoDemand/force by A")
        .expect("the defender answers A's force at the status quo");
    assert_eq!(set.members.len(), 2);
    assert!(g.has_perfect_recall());
    let q = forecast_private_qre(&worlds, 0, &|_| settle(50.0), 1.0)
        .unwrap()
        .unwrap();
    assert!(q.solution.certificate.passes(1e-9));
    let d = forecast_private(&worlds, 0, &|_| settle(50.0))
        .unwrap()
        .unwrap();
    assert!(d.max_regret.abs() < 1e-12);
}

/// The quantal response of a subgame: from the root it is the whole game's; after the
/// challenger's force it is one logit choice of the defender (retaliate or give in), in closed
/// form; after a demand, the root's distribution conditioned on the challenger demanding.
#[test]
fn qre_of_subgames() {
    use brink_crisis::iig::{iig_qre_outcomes_at, IigStart};
    let mut rng = Rng(17);
    for _ in 0..200 {
        let x = IigInputs::in_stake_units(
            [rng.unit() * 2.0 - 0.5, rng.unit() * 2.0 - 0.5],
            [rng.unit(), rng.unit()],
            rng.unit(),
            [rng.unit(), rng.unit()],
        );
        let g = iig_game(&x);
        let lambda = rng.unit() * 8.0;
        let root = iig_qre_outcomes(&g, lambda);
        assert_eq!(iig_qre_outcomes_at(&g, lambda, IigStart::Root), root);
        let f = iig_qre_outcomes_at(&g, lambda, IigStart::AfterForce);
        let (war, give) = (
            g.payoffs[IigOutcome::WarA as usize][1],
            g.payoffs[IigOutcome::CapB as usize][1],
        );
        let p = 1.0 / (1.0 + (lambda * (give - war)).exp());
        assert!((f[IigOutcome::WarA as usize] - p).abs() < 1e-12);
        assert!((f[IigOutcome::CapB as usize] - (1.0 - p)).abs() < 1e-12);
        assert!((f.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // After a demand: the outcomes B's acquiescence leads to, and those of the counter-demand,
        // are the root's given that A demanded (the root's SQ and ACQ_A come only from no demand).
        let d = iig_qre_outcomes_at(&g, lambda, IigStart::AfterDemand);
        assert_eq!(d[IigOutcome::Sq as usize], 0.0);
        assert_eq!(d[IigOutcome::AcqA as usize], 0.0);
        assert!((d.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // ACQ_B is reached only after A's demand: the root's is P(demand) times the subgame's,
        // and P(demand) is at most 1 - P(SQ) - P(ACQ_A) (those two follow no demand only).
        let at_most = 1.0 - root[IigOutcome::Sq as usize] - root[IigOutcome::AcqA as usize];
        assert!(root[IigOutcome::AcqB as usize] <= d[IigOutcome::AcqB as usize] * at_most + 1e-12);
        assert!(d[IigOutcome::AcqB as usize] > 0.0);
    }
}
