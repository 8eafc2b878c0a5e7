//! The baseline models (compromise, weighted median, Nash bargaining): the Nash solution against
//! an independent brute-force oracle on the DEU development issues, and the invariants every
//! model must keep.

use brink_bargain::{find, run_points, Outcome, Params};
use brink_scenario::import::{import, Format};
use brink_scenario::{load_str, Scenario};
use proptest::prelude::*;

fn deu() -> Scenario {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/deu3/deu3-dev.tsv"
    );
    let text = std::fs::read_to_string(p).unwrap();
    import(Format::Deu, &text, "deu3-dev.tsv").unwrap().scenario
}

/// The log Nash product, written independently of the model: -inf where a factor is not positive.
fn oracle_f(players: &[(f64, f64)], q: f64, x: f64, quadratic: bool) -> f64 {
    let mut f = 0.0;
    for &(xi, w) in players {
        if w <= 0.0 {
            continue;
        }
        let g = if quadratic {
            (q - xi).powi(2) - (x - xi).powi(2)
        } else {
            (q - xi).abs() - (x - xi).abs()
        };
        if g <= 0.0 {
            return f64::NEG_INFINITY;
        }
        f += w * g.ln();
    }
    f
}

/// The derivative of `oracle_f` (a subgradient at kinks), written independently of the model.
fn oracle_df(players: &[(f64, f64)], q: f64, x: f64, quadratic: bool) -> f64 {
    let mut d = 0.0;
    for &(xi, w) in players {
        if w <= 0.0 {
            continue;
        }
        let (g, dg) = if quadratic {
            ((q - xi).powi(2) - (x - xi).powi(2), -2.0 * (x - xi))
        } else {
            (
                (q - xi).abs() - (x - xi).abs(),
                -(x - xi).signum() * f64::from(u8::from(x != xi)),
            )
        };
        d += w * dg / g;
    }
    d
}

/// Dense grid over the whole scale (plus every actor position and midpoint to q), then
/// refinement by bisection on the sign of the derivative within the best grid point's
/// neighbourhood (f is concave where finite). `None` when no point is feasible.
fn oracle(players: &[(f64, f64)], q: f64, lo: f64, hi: f64, quadratic: bool) -> Option<f64> {
    let n = 100_000;
    let mut cands: Vec<f64> = (0..=n)
        .map(|k| lo + (hi - lo) * k as f64 / n as f64)
        .collect();
    for &(xi, _) in players {
        cands.push(xi);
        cands.push(0.5 * (xi + q));
    }
    let f = |x: f64| oracle_f(players, q, x, quadratic);
    let best = cands
        .iter()
        .copied()
        .filter(|x| f(*x).is_finite())
        .max_by(|a, b| f(*a).total_cmp(&f(*b)))?;
    let step = (hi - lo) / n as f64;
    let (mut a, mut b) = (best - step, best + step);
    // Shrink the bracket to its feasible part.
    while !f(a).is_finite() {
        a = 0.5 * (a + best);
        if best - a < 1e-15 {
            break;
        }
    }
    while !f(b).is_finite() {
        b = 0.5 * (b + best);
        if b - best < 1e-15 {
            break;
        }
    }
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m <= a || m >= b {
            break;
        }
        if oracle_df(players, q, m, quadratic) > 0.0 {
            a = m;
        } else {
            b = m;
        }
    }
    let x = 0.5 * (a + b);
    Some(if f(x) >= f(best) { x } else { best })
}

#[test]
fn nash_matches_a_brute_force_oracle_on_the_dev_issues() {
    let sc = deu();
    let values = sc.point_values();
    for (name, quadratic) in [("nash", false), ("nash-quadratic", true)] {
        let model = find(name).unwrap();
        let fc = run_points(model.as_ref(), &sc, &Params::default());
        let (mut agreed, mut blocked) = (0, 0);
        for (k, is) in sc.issues.iter().enumerate() {
            let Some(q) = values.status_quo[k] else {
                assert!(matches!(fc[k].outcome, Outcome::NotCovered { .. }));
                continue;
            };
            let players: Vec<(f64, f64)> = sc
                .stances_on(k)
                .map(|s| {
                    (
                        s.position.point,
                        s.salience.point * sc.actors[s.actor].power.point,
                    )
                })
                .collect();
            match (
                &fc[k].outcome,
                oracle(&players, q, is.min, is.max, quadratic),
            ) {
                (Outcome::Settles { value }, Some(x)) => {
                    agreed += 1;
                    assert!(
                        (value - x).abs() < 1e-6,
                        "{name} on {}: model {value}, oracle {x}",
                        is.id
                    );
                }
                (
                    Outcome::NoAgreement {
                        blockers,
                        status_quo,
                    },
                    None,
                ) => {
                    blocked += 1;
                    assert_eq!(*status_quo, q);
                    assert!(
                        !blockers.is_empty(),
                        "{}: no agreement must name who blocks it",
                        is.id
                    );
                    // Every named blocker is at q or on the other side of q from some actor.
                    for &b in blockers {
                        let xb = sc
                            .stances_on(k)
                            .find(|s| s.actor == b)
                            .unwrap()
                            .position
                            .point;
                        assert!(
                            xb == q
                                || players
                                    .iter()
                                    .any(|&(x, w)| w > 0.0 && (x - q) * (xb - q) < 0.0)
                        );
                    }
                }
                (o, x) => panic!("{name} on {}: model says {o:?}, oracle {x:?}", is.id),
            }
        }
        assert!(
            agreed > 20 && blocked > 20,
            "{name}: {agreed} agreements, {blocked} blocked"
        );
    }
}

/// A scenario with one issue on [0, 100] from (power, position, salience) triples.
fn scenario(actors: &[(f64, f64, f64)], q: f64) -> Scenario {
    let mut t = String::from(
        "brink = 1\n[scenario]\nid = \"p\"\ntitle = \"p\"\nas_of = 2020-01-01\nquestion = \"?\"\n\
         [[issues]]\nid = \"i\"\nname = \"i\"\nscale = { min = 0, max = 100 }\n\
         points = [{ at = 0, label = \"lo\" }, { at = 100, label = \"hi\" }]\n",
    );
    t.push_str(&format!("status_quo = {q:?}\n"));
    for (k, (c, _, _)) in actors.iter().enumerate() {
        t.push_str(&format!(
            "[[actors]]\nid = \"a{k}\"\nname = \"A{k}\"\npower = {c:?}\n"
        ));
    }
    for (k, (_, x, s)) in actors.iter().enumerate() {
        t.push_str(&format!(
            "[[stances]]\nactor = \"a{k}\"\nissue = \"i\"\nposition = {x:?}\nsalience = {s:?}\nassumed = \"generated\"\n"
        ));
    }
    load_str(&t, "generated.toml").unwrap()
}

const MODELS: &[&str] = &[
    "compromise",
    "compromise-equal",
    "median",
    "nash",
    "nash-quadratic",
];

fn forecasts(sc: &Scenario) -> Vec<f64> {
    MODELS
        .iter()
        .map(|m| {
            run_points(find(m).unwrap().as_ref(), sc, &Params::default())[0]
                .value()
                .unwrap()
        })
        .collect()
}

fn actor_strategy() -> impl Strategy<Value = Vec<(f64, f64, f64)>> {
    prop::collection::vec((0.1f64..10.0, 0.0f64..100.0, 0.05f64..1.0), 1..12)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn forecasts_stay_within_the_scale(actors in actor_strategy(), q in 0.0f64..100.0) {
        for v in forecasts(&scenario(&actors, q)) {
            prop_assert!((0.0..=100.0).contains(&v), "{v}");
        }
    }

    #[test]
    fn listing_actors_in_another_order_changes_nothing(actors in actor_strategy(), q in 0.0f64..100.0, rot in 0usize..12) {
        let a = forecasts(&scenario(&actors, q));
        let mut shuffled = actors.clone();
        shuffled.reverse();
        let k = rot % shuffled.len();
        shuffled.rotate_left(k);
        let b = forecasts(&scenario(&shuffled, q));
        for (m, (x, y)) in MODELS.iter().zip(a.iter().zip(&b)) {
            prop_assert!((x - y).abs() < 1e-9, "{m}: {x} vs {y}");
        }
    }

    #[test]
    fn one_shared_position_is_the_forecast(actors in actor_strategy(), x in 0.0f64..100.0, q in 0.0f64..100.0) {
        let same: Vec<(f64, f64, f64)> = actors.iter().map(|&(c, _, s)| (c, x, s)).collect();
        for (m, v) in MODELS.iter().zip(forecasts(&scenario(&same, q))) {
            prop_assert!((v - x).abs() < 1e-9, "{m}: {v} vs {x}");
        }
    }

    #[test]
    fn scaling_every_power_changes_nothing(actors in actor_strategy(), q in 0.0f64..100.0, k in 0.01f64..100.0) {
        let a = forecasts(&scenario(&actors, q));
        let scaled: Vec<(f64, f64, f64)> = actors.iter().map(|&(c, x, s)| (c * k, x, s)).collect();
        let b = forecasts(&scenario(&scaled, q));
        for (m, (x, y)) in MODELS.iter().zip(a.iter().zip(&b)) {
            prop_assert!((x - y).abs() < 1e-9, "{m}: {x} vs {y}");
        }
    }
}

#[test]
fn weighted_median_names_its_pivot() {
    // Weights 1, 2, 4 at 10, 50, 90: the cumulative weight 1 + 2 = 3 < 3.5 = half, so 90 is the pivot.
    let sc = scenario(&[(1.0, 10.0, 1.0), (2.0, 50.0, 1.0), (4.0, 90.0, 1.0)], 0.0);
    let f = &run_points(find("median").unwrap().as_ref(), &sc, &Params::default())[0];
    assert_eq!(f.value(), Some(90.0));
    assert_eq!(f.decisive, vec![2]);
    // Weights 2, 2, 4: 2 + 2 = 4 reaches half of 8 at 50.
    let sc = scenario(&[(2.0, 10.0, 1.0), (2.0, 50.0, 1.0), (4.0, 90.0, 1.0)], 0.0);
    let f = &run_points(find("median").unwrap().as_ref(), &sc, &Params::default())[0];
    assert_eq!((f.value(), f.decisive.clone()), (Some(50.0), vec![1]));
}

#[test]
fn nash_without_a_status_quo_says_why() {
    let mut sc = scenario(&[(1.0, 10.0, 1.0), (1.0, 90.0, 1.0)], 0.0);
    sc.issues[0].status_quo = None;
    let f = &run_points(find("nash").unwrap().as_ref(), &sc, &Params::default())[0];
    match &f.outcome {
        Outcome::NotCovered { reason } => assert!(reason.contains("status quo")),
        o => panic!("{o:?}"),
    }
}

#[test]
fn nash_two_actors_closed_form() {
    // q = 0, actors at 40 and 80 with equal weight, linear loss: g1 = 40 - |x - 40|,
    // g2 = 80 - |x - 80| = x on (0, 80). Right of 40, f' = -1/g1 + 1/x = -1/(80 - x) + 1/x,
    // zero at x = 40; left of 40, f' = 1/x + 1/x > 0. So the maximum is the kink at 40.
    let sc = scenario(&[(1.0, 40.0, 1.0), (1.0, 80.0, 1.0)], 0.0);
    let f = &run_points(find("nash").unwrap().as_ref(), &sc, &Params::default())[0];
    assert_eq!(f.value(), Some(40.0));
    // Quadratic: g1 = 1600 - (x - 40)^2, g2 = 6400 - (x - 80)^2, f' = 0 has its root in (40, 80).
    let f = &run_points(
        find("nash-quadratic").unwrap().as_ref(),
        &sc,
        &Params::default(),
    )[0];
    let x = f.value().unwrap();
    let o = oracle(&[(40.0, 1.0), (80.0, 1.0)], 0.0, 0.0, 100.0, true).unwrap();
    assert!((x - o).abs() < 1e-9 && x > 40.0 && x < 80.0, "{x} vs {o}");
    // Opposite sides of q: no agreement, the lighter side is named.
    let sc = scenario(&[(1.0, 20.0, 1.0), (3.0, 80.0, 1.0)], 50.0);
    let f = &run_points(find("nash").unwrap().as_ref(), &sc, &Params::default())[0];
    match &f.outcome {
        Outcome::NoAgreement {
            blockers,
            status_quo,
        } => assert_eq!((blockers.clone(), *status_quo), (vec![0], 50.0)),
        o => panic!("{o:?}"),
    }
}
