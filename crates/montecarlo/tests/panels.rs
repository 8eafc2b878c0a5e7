//! Expert panels: several estimates of a stance pooled into a mixture, drawn by weight, and the
//! share of a forecast's spread that the experts' disagreement explains.

use brink_bargain::{find, Params};
use brink_montecarlo::run::Hooks;
use brink_montecarlo::sensitivity::panel_shares;
use brink_montecarlo::{run, McConfig};
use brink_scenario::{load_str, scenario_to_toml, Dist, Scenario};

const PANEL: &str = r#"brink = 1
[scenario]
id = "panel"
title = "Panel"
as_of = 2021-12-28
question = "?"

[[sources]]
id = "expert-a"
citation = "Expert A, interview"
date = 2021-12-01
reliability = 0.9

[[sources]]
id = "expert-b"
citation = "Expert B, interview"
date = 2021-12-02
reliability = 0.3

[[actors]]
id = "x"
name = "X"
power = 1

[[actors]]
id = "y"
name = "Y"
power = 1

[[issues]]
id = "i"
name = "Issue"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "none" }, { at = 100, label = "all" }]

[[stances]]
actor = "x"
issue = "i"
salience = 1
POOL
estimates = [
  { source = "expert-a", position = 20, quote = "they will settle for little" },
  { source = "expert-b", position = 80, quote = "they want nearly everything" },
]

[[stances]]
actor = "y"
issue = "i"
position = 50
salience = 1
assumed = "a fixed counterpart"
"#;

fn panel(pool: &str) -> Scenario {
    load_str(&PANEL.replace("POOL", pool), "panel.toml").unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn two_experts_with_equal_weight_give_a_bimodal_input_split_evenly() {
    let sc = panel("");
    let pos = &sc.stances[0].position;
    assert_eq!(pos.point, 50.0);
    match &pos.dist {
        Dist::Mixture { components } => {
            assert_eq!(components.len(), 2);
            assert_eq!((components[0].0, components[1].0), (0.5, 0.5));
        }
        d => panic!("{d:?}"),
    }
    let n = 10_000;
    let mut low = 0u64;
    let mut other = 0u64;
    let mut keep =
        |_: u64, v: &brink_scenario::Values, _: &[f64], _: &brink_montecarlo::run::Kept<'_>| {
            if v.position[0] == 20.0 {
                low += 1;
            } else if v.position[0] != 80.0 {
                other += 1;
            }
        };
    run(
        &sc,
        &[find("compromise").unwrap()],
        &Params::default(),
        &McConfig::new(n, 9),
        Hooks {
            keep: Some(&mut keep),
            ..Default::default()
        },
    );
    assert_eq!(other, 0, "every draw is one of the two estimates");
    let share = low as f64 / n as f64;
    let se = (0.25 / n as f64).sqrt();
    assert!(
        (share - 0.5).abs() < 4.0 * se,
        "share of the low estimate {share}"
    );
}

#[test]
fn reliability_weights_the_pool() {
    let sc = panel("pool = \"reliability\"");
    match &sc.stances[0].position.dist {
        Dist::Mixture { components } => {
            assert!(
                (components[0].0 - 0.75).abs() < 1e-12 && (components[1].0 - 0.25).abs() < 1e-12
            );
        }
        d => panic!("{d:?}"),
    }
    assert!((sc.stances[0].position.point - (0.75 * 20.0 + 0.25 * 80.0)).abs() < 1e-12);
    // The stance's evidence gathers the experts' quotes; the file round-trips.
    assert!(matches!(&sc.stances[0].evidence, brink_scenario::Evidence::Quotes(q) if q.len() == 2));
    let back = load_str(&scenario_to_toml(&sc), "rt.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, sc);
}

#[test]
fn panel_mistakes_are_reported() {
    let text = PANEL.replace("POOL", "position = 10");
    let e = load_str(&text, "p.toml").unwrap_err();
    assert!(
        e.to_string()
            .contains("either on the stance or in its estimates"),
        "{e}"
    );
    let e = load_str(&PANEL.replace("POOL", "pool = \"vote\""), "p.toml").unwrap_err();
    assert!(e.to_string().contains("unknown pool `vote`"), "{e}");
    let e = load_str(
        &PANEL
            .replace("POOL", "pool = \"reliability\"")
            .replace("reliability = 0.3\n", ""),
        "p.toml",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("needs a reliability for source `expert-b`"),
        "{e}"
    );
    let e = load_str(
        &PANEL
            .replace("POOL", "")
            .replace(", quote = \"they want nearly everything\"", ""),
        "p.toml",
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("stances[0].estimates[1].quote: missing evidence"),
        "{e}"
    );
}

#[test]
fn the_experts_disagreement_explains_the_spread() {
    // Only the pooled position is uncertain: all of the compromise forecast's spread is the
    // experts' disagreement.
    let sc = panel("");
    let m = [find("compromise").unwrap()];
    let s = panel_shares(&sc, &m, &Params::default(), 2000, 5);
    let one = s.iter().find(|p| p.input == "x.i.position").unwrap();
    assert!(one.share > 0.999, "{}", one.share);
    // Add an independent uniform input of comparable spread: the share falls to about
    // Var(panel) / (Var(panel) + Var(other)). Forecast = (x + y)/2: Var from x = 30^2/4 = 225,
    // from y ~ U(0, 100): 100^2/12/4 = 208.3; share about 225 / 433.3 = 0.519.
    let sc = load_str(
        &PANEL
            .replace("POOL", "")
            .replace("position = 50", "position = { uniform = [0, 100] }"),
        "p.toml",
    )
    .unwrap();
    let s = panel_shares(&sc, &m, &Params::default(), 20_000, 5);
    let one = s.iter().find(|p| p.input == "x.i.position").unwrap();
    assert!((one.share - 0.519).abs() < 0.03, "{}", one.share);
}
