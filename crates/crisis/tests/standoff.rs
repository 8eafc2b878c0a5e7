//! Crises in scenarios: loading and validation of the crisis section, the mapping to a game, red
//! lines, and the built-in scenario's crisis.

use brink_crisis::standoff::{build, forecast};
use brink_scenario::{load_str, Scenario};

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
p_win = { value = PWIN, assumed = "a test value for the probability" }
war_cost_challenger = { value = 0.3, assumed = "a test value for the war cost" }
war_cost_defender = { value = 0.3, assumed = "a test value for the war cost" }
"#;

fn scen(pwin: &str, extra: &str) -> Scenario {
    load_str(&format!("{}{extra}", BASE.replace("PWIN", pwin)), "c.toml")
        .unwrap_or_else(|e| panic!("{e}"))
}

fn settle(sc: &Scenario, x: f64) -> Vec<Option<f64>> {
    vec![Some(x); sc.issues.len()]
}

fn share(f: &brink_crisis::standoff::CrisisForecast, what: &str) -> f64 {
    f.outcomes
        .iter()
        .find(|(o, _)| o == what)
        .map_or(0.0, |(_, p)| *p)
}

#[test]
fn a_fair_settlement_is_negotiated_and_certified() {
    let sc = scen("0.5", "");
    let f = forecast(&sc, &sc.point_values(), 0, &settle(&sc, 50.0)).unwrap();
    assert_eq!(share(&f, "negotiated settlement"), 1.0, "{:?}", f.outcomes);
    assert_eq!(f.max_regret, 0.0);
    let total: f64 = f.outcomes.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-12);
    // Utilities from the positions: the challenger wants 100, the status quo is 0.
    let b = build(&sc, &sc.point_values(), 0, &settle(&sc, 50.0)).unwrap();
    assert_eq!(
        (b.sides[0].sq, b.sides[0].other, b.sides[0].neg),
        (0.0, 0.0, 0.5)
    );
    assert_eq!(
        (b.sides[1].sq, b.sides[1].other, b.sides[1].neg),
        (1.0, 0.0, 0.5)
    );
}

#[test]
fn a_red_line_crossed_by_the_settlement_makes_war_preferable() {
    let red = r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
threshold = 60
action = "war"
assumed = "a test red line: less than 60 is unacceptable to A"
"#;
    let sc = scen("0.5", red);
    let v = sc.point_values();
    // A settlement at 50 is beyond A's red line at 60 (A stands at 100).
    let f = forecast(&sc, &v, 0, &settle(&sc, 50.0)).unwrap();
    assert!(!f.built.red_lines.is_empty());
    assert_eq!(share(&f, "negotiated settlement"), 0.0, "{:?}", f.outcomes);
    assert!(f.max_regret.abs() < 1e-12);
    // At 70 the line holds and the settlement is negotiated again.
    let f = forecast(&sc, &v, 0, &settle(&sc, 70.0)).unwrap();
    assert!(f.built.red_lines.iter().all(|r| !r.contains("NEG")));
    assert_eq!(share(&f, "negotiated settlement"), 1.0, "{:?}", f.outcomes);
}

#[test]
fn crisis_input_mistakes_name_line_and_field() {
    let text = BASE.replace("PWIN", "0.5");
    let cases = [
        (
            text.replace("challenger = \"a\"", "challenger = \"z\""),
            "crises[0].challenger",
            "unknown actor `z`",
        ),
        (
            text.replace("defender = [\"b\"]", "defender = [\"a\"]"),
            "crises[0].defender",
            "on both sides",
        ),
        (
            text.replace("status_quo = 0\n", ""),
            "crises[0].issues",
            "needs a status quo",
        ),
        (
            text.replace("template = \"iig\"", "template = \"chess\""),
            "crises[0].template",
            "unknown template",
        ),
        (
            text.replace("value = 0.5,", "value = 1.5,"),
            "crises[0].p_win.value",
            "out of range",
        ),
        (
            text.replace("p_win = ", "p_wim = "),
            "crises[0].p_wim",
            "did you mean `p_win`",
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
    let red = "\n[[crises.red_lines]]\nactor = \"a\"\nissue = \"i\"\nthreshold = 160\naction = \"sulk\"\nassumed = \"a test red line with two mistakes\"\n";
    let e = load_str(&format!("{text}{red}"), "c.toml").unwrap_err();
    let paths: Vec<&str> = e.diagnostics().iter().map(|d| d.path.as_str()).collect();
    assert!(
        paths.contains(&"crises[0].red_lines[0].threshold")
            && paths.contains(&"crises[0].red_lines[0].action"),
        "{paths:?}"
    );
}

#[test]
fn the_built_in_crisis_solves_with_a_certificate() {
    let sc = brink_scenario::builtin().unwrap();
    assert_eq!(sc.crises.len(), 1);
    let c = &sc.crises[0];
    assert_eq!(c.red_lines.len(), 4);
    let v = sc.point_values();
    let model = brink_bargain::find(&c.model).unwrap();
    let settlement: Vec<Option<f64>> = model
        .run(&brink_bargain::Input::new(&sc, &v), &Default::default())
        .iter()
        .map(|f| f.value())
        .collect();
    let f = forecast(&sc, &v, 0, &settlement).unwrap();
    assert_eq!(f.max_regret, 0.0);
    assert!(f.equilibria >= 1);
    let total: f64 = f.outcomes.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-12);
    assert_eq!(
        f.built
            .game
            .outcomes
            .iter()
            .filter(|o| o.label.starts_with("WAR"))
            .count(),
        2
    );
}

#[test]
fn a_private_type_makes_a_bayesian_game_whose_outcome_follows_the_types() {
    // A's type is private: "soft" A (prob 0.7) holds the base stances; "hard" A (0.3) has a red
    // line that the compromise at 50 crosses, so it prefers war to the settlement.
    let red = r#"
[[crises.red_lines]]
actor = "a"
issue = "i"
threshold = 60
action = "war"
assumed = "a test red line: the hard type refuses less than 60"
"#;
    let soft = scen("0.5", "");
    let hard = scen("0.5", red);
    let worlds = vec![
        (0.7, "soft".to_string(), soft),
        (0.3, "hard".to_string(), hard),
    ];
    let f = brink_crisis::standoff::forecast_private(&worlds, 0, &|_| vec![Some(50.0)])
        .unwrap()
        .unwrap();
    assert!(f.concept.contains("PerfectBayesian"), "{}", f.concept);
    assert!(f.max_regret.abs() < 1e-12, "certificate {}", f.max_regret);
    let total: f64 = f.outcomes.iter().map(|(_, p)| p).sum();
    assert!((total - 1.0).abs() < 1e-9);
    // The soft type settles; whatever the hard type does, it does not accept the settlement.
    let neg = share(&f, "negotiated settlement");
    assert!((neg - 0.7).abs() < 1e-9, "{:?}", f.outcomes);
    assert!(f.built.red_lines.iter().all(|l| l.starts_with("if hard")));
    // The defender moves at six places of the IIG (nodes 2, 3, 6, 9, 10, 11): one information
    // set each, shared across the types; the challenger's four places are per type.
    let sets = |p: usize| {
        f.built
            .game
            .infosets
            .iter()
            .filter(|s| matches!(s.owner, brink_crisis::game::Owner::Player(q) if q == p))
            .count()
    };
    assert_eq!((sets(1), sets(0)), (6, 2 * 6));
}
