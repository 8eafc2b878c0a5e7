//! Predictive distributions in every output: the terminal table labelled with the scale's words,
//! the Monte Carlo mixture, the plot against the actors' positions, the HTML section, and the
//! backtest of the distributions, on the built-in scenario.

use brink_bargain::Params;
use brink_eval::backtest_dist::backtest_distributions;
use brink_eval::predictive::{
    predict_points, DrawCollector, ErrorModels, Prediction, DEFAULT_WIDENING,
};
use brink_montecarlo::run::{run, Hooks};
use brink_montecarlo::McConfig;
use brink_report::predictive::{html_section, render_backtest, render_run};
use brink_report::table::num;
use brink_scenario::Scenario;

const MODELS: [&str; 3] = ["compromise", "median", "smp"];

fn point_run(sc: &Scenario) -> Vec<(String, Vec<Option<f64>>)> {
    MODELS
        .iter()
        .map(|m| {
            let model = brink_bargain::find(m).unwrap();
            let f = brink_bargain::run_points(model.as_ref(), sc, &Params::default());
            (m.to_string(), f.iter().map(|x| x.value()).collect())
        })
        .collect()
}

fn predictions(sc: &Scenario) -> Vec<Vec<Option<Prediction>>> {
    predict_points(
        sc,
        &point_run(sc),
        ErrorModels::builtin().unwrap(),
        DEFAULT_WIDENING,
    )
    .unwrap()
}

#[test]
fn run_table_shows_medians_and_intervals_in_the_scales_words() {
    let sc = brink_scenario::builtin().unwrap();
    let preds = predictions(&sc);
    let text = render_run(&sc, &preds);
    assert!(text.contains("widened x1.5"), "{text}");
    for (k, issue) in sc.issues.iter().enumerate() {
        assert!(text.contains(&issue.name), "{}", issue.name);
        for per in &preds {
            let p = per[k].as_ref().unwrap();
            let (lo, hi) = p.summary.intervals["0.9"];
            let (l5, h5) = p.summary.intervals["0.5"];
            // The intervals nest, hold the median, and lie on the scale.
            assert!(issue.min <= lo && lo <= l5 && l5 <= p.summary.median);
            assert!(p.summary.median <= h5 && h5 <= hi && hi <= issue.max);
            assert!(text.contains(&format!("{} to {}", num(l5), num(h5))));
            let label: String = issue
                .nearest_label(p.summary.median)
                .chars()
                .take(20)
                .collect();
            assert!(text.contains(&label), "{label}");
            assert_eq!(p.summary.widening, 1.5);
        }
    }
    // The JSON carries the quantiles by probability.
    let j = serde_json::to_value(preds[0][0].as_ref().unwrap()).unwrap();
    for q in ["0.05", "0.25", "0.5", "0.75", "0.95"] {
        assert!(j["quantiles"][q].is_number(), "{q}");
    }
    assert!(j["intervals"]["0.9"].is_array());
}

#[test]
fn an_issue_can_say_its_inputs_are_interviews_or_set_its_own_factor() {
    let mut sc = brink_scenario::builtin().unwrap();
    sc.issues[0]
        .meta
        .push(("inputs".into(), "expert interviews".into()));
    sc.issues[1].meta.push(("widening".into(), "2".into()));
    let preds = predictions(&sc);
    assert_eq!(preds[0][0].as_ref().unwrap().summary.widening, 1.0);
    assert_eq!(preds[0][1].as_ref().unwrap().summary.widening, 2.0);
    sc.issues[1].meta.last_mut().unwrap().1 = "wide".into();
    let e = predict_points(
        &sc,
        &point_run(&sc),
        ErrorModels::builtin().unwrap(),
        DEFAULT_WIDENING,
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains(&sc.issues[1].id) && e.contains("meta.widening"),
        "{e}"
    );
}

#[test]
fn monte_carlo_draws_become_centres_of_the_distribution() {
    let sc = brink_scenario::builtin().unwrap();
    let models: Vec<_> = MODELS
        .iter()
        .map(|m| brink_bargain::find(m).unwrap())
        .collect();
    let mut col = DrawCollector::new(models.len(), sc.issues.len());
    let mut keep = |_: u64,
                    v: &brink_scenario::Values,
                    f: &[f64],
                    _: &brink_montecarlo::run::Kept<'_>| col.push(&sc, v, f);
    run(
        &sc,
        &models,
        &Params::default(),
        &McConfig::new(300, 5),
        Hooks {
            keep: Some(&mut keep),
            ..Hooks::default()
        },
    );
    let names: Vec<String> = MODELS.iter().map(|m| m.to_string()).collect();
    let mc = col
        .predictions(
            &sc,
            &names,
            ErrorModels::builtin().unwrap(),
            DEFAULT_WIDENING,
        )
        .unwrap();
    let points = predictions(&sc);
    let text = render_run(&sc, &mc);
    assert!(text.contains("300 Monte Carlo draws"), "{text}");
    for (m, per) in mc.iter().enumerate() {
        for (k, p) in per.iter().enumerate() {
            let p = p.as_ref().unwrap();
            assert_eq!(p.centres, 300);
            assert!(p.distribution.atoms().len() <= brink_eval::predictive::MAX_ATOMS);
            // Input uncertainty only adds spread: the 90% interval is at least nearly as wide
            // as the point run's.
            let (a, b) = p.summary.intervals["0.9"];
            let (c, d) = points[m][k].as_ref().unwrap().summary.intervals["0.9"];
            assert!(
                b - a >= 0.8 * (d - c),
                "{} {}: {a}-{b} vs {c}-{d}",
                names[m],
                k
            );
        }
    }
}

#[test]
fn plot_and_html_section_draw_each_issue_against_the_actors() {
    let sc = brink_scenario::builtin().unwrap();
    let preds = predictions(&sc);
    let values = sc.point_values();
    for k in 0..sc.issues.len() {
        let rows: Vec<&Prediction> = preds.iter().map(|p| p[k].as_ref().unwrap()).collect();
        let svg =
            brink_report::plot::predictive::predictive_plot_of(&sc, &values, k, &rows).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let circles = doc
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .count();
        // One circle per actor, and one in the legend.
        assert_eq!(circles, sc.stances_on(k).count() + 1, "issue {k}");
        let text: String = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect::<Vec<_>>()
            .join(" ");
        for p in &rows {
            assert!(text.contains(&p.model));
            assert!(text.contains(&format!("median {}", num(p.summary.median))));
        }
    }
    let html = html_section(&sc, &values, &preds).unwrap();
    assert!(html.starts_with("<section id=\"distributions\">"));
    assert_eq!(html.matches("<svg").count(), sc.issues.len());
    assert!(!html.contains("<script"));
}

#[test]
fn backtest_scores_the_distributions_beside_the_points() {
    let sc = brink_scenario::builtin().unwrap();
    let out = brink_scenario::load_outcomes_file(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../scenarios/ukraine-2021-12.outcomes.toml"
    )))
    .unwrap();
    let points = point_run(&sc);
    let preds = predictions(&sc);
    let bt = backtest_distributions(&sc, &out, &points, &preds);
    assert_eq!(bt.issues.len(), out.issues.len());
    assert_eq!(bt.models.len(), MODELS.len());
    for m in &bt.models {
        assert_eq!(m.n, out.issues.len());
        // The point forecast's MAE is the one the backtest reports for it.
        let (_, v) = points.iter().find(|p| p.0 == m.model).unwrap();
        let mae = out
            .issues
            .iter()
            .map(|o| (v[sc.issue_index(&o.issue).unwrap()].unwrap() - o.value).abs())
            .sum::<f64>()
            / out.issues.len() as f64;
        assert!((m.mae.unwrap() - mae).abs() < 1e-9);
        for l in ["0.5", "0.8", "0.9"] {
            assert!((0.0..=1.0).contains(&m.coverage[l]));
        }
    }
    for i in &bt.issues {
        for d in &i.models {
            let p = preds
                .iter()
                .flatten()
                .flatten()
                .find(|p| p.model == d.model && p.issue == i.issue)
                .unwrap();
            assert!((d.crps - p.distribution.crps(i.outcome)).abs() < 1e-12);
        }
    }
    let text = render_backtest(&sc, &bt);
    assert!(text.contains("happened"));
}
