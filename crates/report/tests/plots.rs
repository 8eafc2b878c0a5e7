//! Plots: the SVG text is parsed and checked against the scenario it was drawn from.

use brink_bargain::{Input, Params};
use brink_report::plot::{self, ActorMark, BoxStats, ForecastMark, Scale};
use brink_report::table::num;
use brink_report::{Forecast, InputInfo};
use brink_scenario::Scenario;

fn models() -> Vec<Box<dyn brink_bargain::Model>> {
    ["compromise", "median", "nash"]
        .iter()
        .map(|m| brink_bargain::find(m).expect("a known model"))
        .collect()
}

fn setup() -> (Scenario, Forecast) {
    let sc = brink_scenario::builtin().expect("the built-in scenario loads");
    let values = sc.point_values();
    let input = Input::new(&sc, &values);
    let params = Params::default();
    let runs: Vec<(String, Vec<_>)> = models()
        .iter()
        .map(|m| (m.name().to_string(), m.run(&input, &params)))
        .collect();
    let info = InputInfo {
        file: "builtin".into(),
        sha256: String::new(),
    };
    let doc = Forecast::from_runs(&sc, info, &runs, 10, 0);
    (sc, doc)
}

/// A `<text>` element: its position and content.
struct Txt {
    x: f64,
    y: f64,
    s: String,
}

fn texts(doc: &roxmltree::Document) -> Vec<Txt> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| Txt {
            x: n.attribute("x")
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN),
            y: n.attribute("y")
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN),
            s: n.text().unwrap_or("").trim().to_string(),
        })
        .collect()
}

fn words(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn issue_plot_has_one_marker_per_actor_at_its_position_and_every_scale_label_on_the_axis() {
    let (sc, doc) = setup();
    let values = sc.point_values();
    for (k, is) in sc.issues.iter().enumerate() {
        let svg = plot::issue_plot_of(&sc, &values, k, &doc.issues[k]).expect("plots");
        let x = roxmltree::Document::parse(&svg).expect("the SVG is well-formed XML");
        let ts = texts(&x);
        // The axis: the tick numbers of the two ends give the mapping from the scale to pixels.
        let tick = |v: f64| -> &Txt {
            ts.iter()
                .find(|t| t.s == num(v))
                .unwrap_or_else(|| panic!("{}: no tick labelled {}", is.id, num(v)))
        };
        let (lo, hi) = (tick(is.min), tick(is.max));
        assert!(hi.x > lo.x, "{}: the scale runs left to right", is.id);
        let to_px = |v: f64| lo.x + (v - is.min) / (is.max - is.min) * (hi.x - lo.x);

        // One circle per actor with a stance, each at its actor's position.
        let circles: Vec<(f64, f64)> = x
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .map(|n| {
                (
                    n.attribute("cx").unwrap().parse().unwrap(),
                    n.attribute("r").unwrap().parse().unwrap(),
                )
            })
            .collect();
        // The legend's sample marker is a circle too: it sits left of the plot, above the rows.
        let legend_circles = x
            .descendants()
            .filter(|n| n.has_tag_name("circle"))
            .filter(|n| {
                n.attribute("cy").unwrap().parse::<f64>().unwrap()
                    < ts.iter()
                        .find(|t| t.s.starts_with("actor's position"))
                        .unwrap()
                        .y
                        + 1.0
            })
            .count();
        assert_eq!(legend_circles, 1, "{}: one legend marker", is.id);
        let stances: Vec<usize> = (0..sc.stances.len())
            .filter(|&j| sc.stances[j].issue == k)
            .collect();
        assert_eq!(
            circles.len() - legend_circles,
            stances.len(),
            "{}: one marker per actor",
            is.id
        );
        let mut unmatched = circles.clone();
        unmatched.remove(0); // the legend's, drawn first
        for &j in &stances {
            let want = to_px(values.position[j]);
            let at = unmatched
                .iter()
                .position(|(cx, _)| (cx - want).abs() <= 1.0)
                .unwrap_or_else(|| {
                    panic!(
                        "{}: no marker at {}'s position {} (x = {want})",
                        is.id, sc.actors[sc.stances[j].actor].name, values.position[j]
                    )
                });
            unmatched.remove(at);
            let name = &sc.actors[sc.stances[j].actor].name;
            assert!(
                ts.iter()
                    .any(|t| !t.s.is_empty() && name.starts_with(t.s.trim_end_matches('…'))),
                "{}: the name {name} is on the plot",
                is.id
            );
        }

        // Every labelled point: a tick number, and under it the label's first words.
        for p in &is.points {
            let t = tick(p.at);
            assert!(
                (t.x - to_px(p.at)).abs() <= 1.0,
                "{}: the tick of {} is in its place",
                is.id,
                p.at
            );
            let mut under: Vec<&Txt> = ts
                .iter()
                .filter(|u| (u.x - t.x).abs() < 0.5 && u.y > t.y && u.s != t.s)
                .collect();
            under.sort_by(|a, b| a.y.total_cmp(&b.y));
            let shown = words(
                &under
                    .iter()
                    .map(|u| u.s.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let shown = shown.trim_end_matches('…').trim_end();
            if p.label.trim() == num(p.at) {
                // A label that is the number itself is shown once, as the tick.
                continue;
            }
            let first = p.label.split_whitespace().next().unwrap();
            assert!(
                shown.starts_with(first) && words(&p.label).starts_with(shown),
                "{}: the label `{}` is under its tick (shown: `{shown}`)",
                is.id,
                p.label
            );
        }
        // The legend names every model and the status quo.
        for f in &doc.issues[k].forecasts {
            assert!(
                ts.iter().any(|t| t.s.starts_with(&f.model)),
                "{}: {} in the legend",
                is.id,
                f.model
            );
        }
        if let Some(q) = doc.issues[k].status_quo {
            assert!(ts.iter().any(|t| t.s == format!("status quo {}", num(q))));
        }
    }
}

#[test]
fn marker_area_grows_with_weight() {
    let scale = Scale {
        min: 0.0,
        max: 10.0,
        labels: vec![(0.0, "none".into()), (10.0, "all".into())],
    };
    let actors = vec![
        ActorMark {
            name: "small".into(),
            position: 2.0,
            weight: 1.0,
        },
        ActorMark {
            name: "big".into(),
            position: 8.0,
            weight: 4.0,
        },
    ];
    let svg = plot::issue_plot("t", &scale, &actors, &[], None).unwrap();
    let x = roxmltree::Document::parse(&svg).unwrap();
    let r: Vec<f64> = x
        .descendants()
        .filter(|n| n.has_tag_name("circle"))
        .skip(1)
        .map(|n| n.attribute("r").unwrap().parse().unwrap())
        .collect();
    assert_eq!(r.len(), 2);
    // Left to right: `small` (position 2), then `big`; area proportional to the weight,
    // radius 13 sqrt(w / w_max) rounded to whole pixels: 6.5 and 13.
    assert!(
        r[1] > r[0],
        "the heavier actor has the larger marker: {r:?}"
    );
    assert!((r[0] - 6.5).abs() <= 0.5 && r[1] == 13.0, "{r:?}");
}

#[test]
fn same_input_same_svg() {
    let (sc, doc) = setup();
    let values = sc.point_values();
    let a = plot::issue_plot_of(&sc, &values, 0, &doc.issues[0]).unwrap();
    let b = plot::issue_plot_of(&sc, &values, 0, &doc.issues[0]).unwrap();
    assert_eq!(a, b);
}

/// The built-in scenario's forecast by the engine with 200 draws, seed 3.
fn with_draws() -> Forecast {
    brink_engine::Forecast::run(
        &brink_engine::Loaded::builtin().unwrap(),
        &brink_engine::Options {
            models: vec!["compromise".into(), "median".into(), "nash".into()],
            draws: 200,
            seed: 3,
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn distribution_plot_shows_each_models_interval() {
    let (sc, _) = setup();
    let doc = with_draws();
    for (k, is) in sc.issues.iter().enumerate() {
        let svg = plot::distribution_plot_of(is, &doc.issues[k]).unwrap();
        let x = roxmltree::Document::parse(&svg).unwrap();
        let ts = texts(&x);
        for m in &doc.issues[k].forecasts {
            let s = m.distribution.as_ref().unwrap().summary.as_ref().unwrap();
            assert!(
                ts.iter().any(|t| t.s == m.model),
                "{}: row {}",
                is.id,
                m.model
            );
            let interval = format!(
                "90%: {} to {}",
                num(s.quantile(0.05)),
                num(s.quantile(0.95))
            );
            assert!(
                ts.iter().any(|t| t.s.starts_with(&interval)),
                "{}: {} shows `{interval}`",
                is.id,
                m.model
            );
        }
        // One box (filled and outlined) per model, plus the legend's sample box.
        let rects = x.descendants().filter(|n| n.has_tag_name("rect")).count();
        assert_eq!(
            rects,
            1 + 2 + 2 * doc.issues[k].forecasts.len(),
            "{}",
            is.id
        );
    }
}

#[test]
fn tornado_plot_names_the_top_inputs_in_words() {
    let (sc, _) = setup();
    let t: Vec<brink_engine::doc::Tornado> =
        brink_montecarlo::sensitivity::tornado(&sc, &models(), &Params::default())
            .into_iter()
            .map(Into::into)
            .collect();
    let first = t
        .iter()
        .find(|t| t.swings.len() >= 3)
        .expect("some forecast moves");
    let svg = plot::tornado_plot_of(&sc, first, 3).unwrap();
    let x = roxmltree::Document::parse(&svg).unwrap();
    let ts = texts(&x);
    for s in first.swings.iter().take(3) {
        assert!(
            ts.iter()
                .any(|t| !t.s.is_empty() && s.name.starts_with(t.s.trim_end_matches('…'))),
            "`{}` is named",
            s.name
        );
        for v in [s.at_low, s.at_high] {
            assert!(
                ts.iter().any(|t| t.s == num(v)),
                "the bar end {v} is labelled"
            );
        }
    }
    // The fourth input is not shown.
    if let Some(s) = first.swings.get(3) {
        assert!(!ts.iter().any(|t| t.s == s.name));
    }
}

#[test]
fn rounds_plot_draws_one_line_per_actor_and_rejects_ragged_rounds() {
    let scale = Scale {
        min: 0.0,
        max: 100.0,
        labels: vec![
            (0.0, "no".into()),
            (50.0, "half".into()),
            (100.0, "yes".into()),
        ],
    };
    let names = vec!["A".to_string(), "B".to_string()];
    let rounds = vec![vec![0.0, 100.0], vec![20.0, 80.0], vec![50.0, 50.0]];
    let svg = plot::rounds_plot("moves", &names, &rounds, &scale).unwrap();
    let x = roxmltree::Document::parse(&svg).unwrap();
    // One polyline per actor with one vertex per round.
    let paths: Vec<usize> = x
        .descendants()
        .filter(|n| n.has_tag_name("polyline"))
        .map(|n| n.attribute("points").unwrap().split_whitespace().count())
        .filter(|&c| c == rounds.len())
        .collect();
    assert_eq!(paths.len(), names.len());
    let ts = texts(&x);
    for l in ["no", "half", "yes", "A", "B", "0", "1", "2"] {
        assert!(ts.iter().any(|t| t.s == l), "`{l}` is on the plot");
    }
    let bad = vec![vec![0.0, 100.0], vec![20.0]];
    assert!(matches!(
        plot::rounds_plot("moves", &names, &bad, &scale),
        Err(plot::PlotError::Input(_))
    ));
}

#[test]
fn bad_input_is_an_error_not_a_panic() {
    let scale = Scale {
        min: 0.0,
        max: 1.0,
        labels: vec![],
    };
    let nan = ActorMark {
        name: "x".into(),
        position: f64::NAN,
        weight: 1.0,
    };
    assert!(plot::issue_plot("t", &scale, &[nan], &[], None).is_err());
    let inverted = Scale {
        min: 1.0,
        max: 0.0,
        labels: vec![],
    };
    assert!(plot::issue_plot("t", &inverted, &[], &[], None).is_err());
    let b = BoxStats {
        model: "m".into(),
        p05: 0.5,
        p25: 0.2,
        p50: 0.5,
        p75: 0.6,
        p95: 0.7,
        mean: 0.5,
        point: None,
        note: String::new(),
    };
    assert!(plot::distribution_plot("t", &scale, &[b]).is_err());
    let f = ForecastMark {
        model: "m".into(),
        value: None,
        no_agreement: false,
    };
    assert!(plot::issue_plot("t", &scale, &[], &[f], Some(f64::INFINITY)).is_err());
    assert!(plot::svg_to_png("not an svg").is_err());
}

/// Dark pixels of a PNG (all channels below 128).
fn dark_pixels(png: &[u8]) -> (u32, u32, usize) {
    let p = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
    let n = p
        .pixels()
        .iter()
        .filter(|c| c.red() < 128 && c.green() < 128 && c.blue() < 128)
        .count();
    (p.width(), p.height(), n)
}

#[test]
fn png_renders_text_with_the_bundled_font() {
    let with = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" fill="white"/><text x="10" y="30" font-family="sans-serif" font-size="20" fill="black">brink</text></svg>"#;
    let without = r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><rect width="200" height="50" fill="white"/></svg>"#;
    let (w, h, n_with) = dark_pixels(&plot::svg_to_png(with).unwrap());
    let (_, _, n_without) = dark_pixels(&plot::svg_to_png(without).unwrap());
    assert_eq!((w, h), (400, 100), "rendered at twice the size");
    assert_eq!(n_without, 0);
    // Five glyphs at 40 px: a few hundred dark pixels at least (none if no font were found).
    assert!(n_with > 300, "text drawn: {n_with} dark pixels");

    // A whole plot: same size rule, and its words are drawn.
    let (sc, doc) = setup();
    let svg = plot::issue_plot_of(&sc, &sc.point_values(), 0, &doc.issues[0]).unwrap();
    let png = plot::svg_to_png(&svg).unwrap();
    let (w, _, n) = dark_pixels(&png);
    assert_eq!(w, 1920);
    assert!(n > 5000, "{n} dark pixels");
}
