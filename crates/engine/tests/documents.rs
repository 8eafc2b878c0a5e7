//! Every document the `brink` command line prints, built through the engine's public API alone
//! (no binary), each checked against its JSON Schema; a run with draws is the same document as
//! one without, with its Monte Carlo parts filled; cancellation returns a partial document.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use brink_engine::doc::Kind;
use brink_engine::{
    Backtest, Check, CrisisAnalysis, Dataset, ErrorKind, Eval, Forecast, Imported, Loaded,
    Observer, Options, Sensitivity, Solve, Timeline, WhatIf,
};

fn root(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// Validates a document against the schema of its kind, and returns its JSON.
fn valid<T: serde::Serialize>(kind: &str, doc: &T) -> serde_json::Value {
    let v = serde_json::to_value(doc).unwrap();
    assert_eq!(v["document"], kind);
    assert_eq!(v["schema"], brink_engine::SCHEMA_VERSION);
    let schema = brink_engine::schema::schema(kind).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .take(5)
        .collect();
    assert!(errors.is_empty(), "{kind}: {errors:#?}");
    v
}

fn builtin() -> Loaded {
    Loaded::builtin().unwrap()
}

fn opts(models: &[&str]) -> Options {
    Options {
        models: models.iter().map(|m| m.to_string()).collect(),
        ..Options::default()
    }
}

#[test]
fn a_run_with_draws_is_the_same_document_with_its_monte_carlo_parts_filled() {
    let o = opts(&["compromise", "median"]);
    let plain = Forecast::run(&builtin(), &o).unwrap();
    let drawn = Forecast::run(
        &builtin(),
        &Options {
            draws: 300,
            seed: 4,
            ..o.clone()
        },
    )
    .unwrap();
    valid("forecast", &plain);
    valid("forecast", &drawn);
    assert!(plain.montecarlo.is_none());
    let mc = drawn.montecarlo.as_ref().unwrap();
    assert_eq!((mc.draws_done, mc.seed, mc.stopped), (300, 4, false));
    for (a, b) in plain.issues.iter().zip(&drawn.issues) {
        for (f, g) in a.forecasts.iter().zip(&b.forecasts) {
            // The same point forecast (seed aside, which these models do not use) ...
            assert_eq!((f.value, f.kind), (g.value, g.kind));
            assert!(f.distribution.is_none());
            // ... and beside it the predictive distribution, its quantiles in order.
            let d = g.distribution.as_ref().unwrap();
            assert_eq!(d.n + d.not_covered, 300);
            let s = d.summary.as_ref().unwrap();
            let q: Vec<f64> = s.quantiles.iter().map(|q| q.value).collect();
            assert!(q.windows(2).all(|w| w[0] <= w[1]), "{q:?}");
            assert!(s.min <= q[0] && q[4] <= s.max);
        }
    }
    for (a, b) in plain.crises.iter().zip(&drawn.crises) {
        assert_eq!(a.equilibrium, b.equilibrium);
        // Without draws the crises get their own draws (the game's quantal response); with
        // draws, the run's.
        assert_eq!(
            a.game.as_ref().unwrap().draws,
            brink_engine::DEFAULT_CRISIS_DRAWS
        );
        let g = b.game.as_ref().unwrap();
        let total: f64 = g.outcomes.iter().filter_map(|o| o.p).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        assert_eq!(g.draws, 300);
    }
    // Documents read back as they were written.
    let text = serde_json::to_string(&drawn).unwrap();
    let back: Forecast = serde_json::from_str(&text).unwrap();
    let mut want = drawn.clone();
    for c in &mut want.crises {
        c.tree = None;
    }
    // The predictive distributions' atoms are for drawing, not in JSON; their summaries are.
    for f in want.issues.iter_mut().flat_map(|i| i.forecasts.iter_mut()) {
        let p = f.predictive.as_mut().expect("a predictive distribution");
        assert!(p.distribution.take().is_some());
    }
    assert_eq!(back, want);
}

/// Says "stop" from its `n`-th poll on, and counts the draws it was shown.
struct StopAfter {
    polls: AtomicUsize,
    n: usize,
    drawn: AtomicUsize,
}

impl Observer for StopAfter {
    fn cancelled(&self) -> bool {
        self.polls.fetch_add(1, Ordering::SeqCst) + 1 >= self.n
    }
    fn keeps_draws(&self) -> bool {
        true
    }
    fn draw(&self, _: u64, _: &[f64], _: &[f64], _: &[f64], _: &[&str]) {
        self.drawn.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_cancelled_run_returns_the_draws_done_flagged_as_stopped() {
    let watch = Arc::new(StopAfter {
        polls: AtomicUsize::new(0),
        // Polls on one thread: 1 before the first chunk, 256 before its draws, 1 before the
        // second chunk, then one before each of its draws: the 268th falls before its tenth.
        n: 268,
        drawn: AtomicUsize::new(0),
    });
    let o = Options {
        draws: 100_000,
        threads: Some(1),
        observer: watch.clone(),
        ..opts(&["compromise"])
    };
    let doc = Forecast::run(&builtin(), &o).unwrap();
    valid("forecast", &doc);
    let mc = doc.montecarlo.as_ref().unwrap();
    assert!(mc.stopped);
    // Polled before each chunk and each draw: the first chunk whole and nine draws of the
    // second, a prefix of the run's draws.
    assert_eq!(mc.chunk, 256);
    assert_eq!(mc.draws_done, mc.chunk + 9);
    assert_eq!(watch.drawn.load(Ordering::SeqCst) as u64, mc.draws_done);
    let d = doc.issues[0].forecasts[0].distribution.as_ref().unwrap();
    assert_eq!(d.n + d.not_covered, mc.draws_done);
    // The partial document is that of a run asked for those draws only.
    let short = Forecast::run(
        &builtin(),
        &Options {
            draws: mc.draws_done,
            ..opts(&["compromise"])
        },
    )
    .unwrap();
    assert_eq!(short.issues, doc.issues);
}

#[test]
fn the_thread_count_changes_nothing() {
    let run = |t| {
        Forecast::run(
            &builtin(),
            &Options {
                draws: 700,
                seed: 9,
                threads: Some(t),
                ..opts(&["compromise", "exchange"])
            },
        )
        .unwrap()
    };
    assert_eq!(run(1), run(2));
}

#[test]
fn a_forecast_as_of_the_update_moves_the_odds() {
    let doc = Forecast::run(
        &builtin(),
        &Options {
            as_of: Some(brink_engine::parse_date("2022-01-12", "--as-of").unwrap()),
            ..opts(&["median"])
        },
    )
    .unwrap();
    valid("forecast", &doc);
    assert_eq!(doc.updates_applied, 1);
    assert_eq!(doc.scenario.as_of, "2022-01-12");
    // Bayes' rule: 0.6 * 0.9 / (0.6 * 0.9 + 0.4 * 0.7).
    assert!((doc.types[0].posterior - 0.54 / 0.82).abs() < 1e-12);
    let early = Forecast::run(
        &builtin(),
        &Options {
            as_of: Some(brink_engine::parse_date("2021-12-01", "--as-of").unwrap()),
            ..Options::default()
        },
    );
    assert_eq!(early.unwrap_err().kind(), ErrorKind::BadInput);
}

#[test]
fn bad_input_is_bad_input() {
    let e = Forecast::run(&builtin(), &opts(&["oracle"])).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    assert!(e.to_string().contains("unknown model `oracle`"));
    let e = Loaded::from_toml("brink = 1\n", "x.toml").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let e = WhatIf::run(
        &builtin(),
        &["rus.enlargement.salience=7".into()],
        &opts(&[]),
    )
    .unwrap_err();
    assert!(e.to_string().contains("outside the valid range [0, 1]"));
    let e = Solve::run("EFG 2 R \"x\" { \"A\" }\n", "x.efg", "supporting").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::BadInput);
    let e = Imported::run("xls", &root("scenarios/ukraine-2021-12.toml")).unwrap_err();
    assert!(e.to_string().contains("unknown format `xls`"));
}

#[test]
fn crisis_analysis_sensitivity_whatif_and_timeline() {
    let c = CrisisAnalysis::run(&builtin(), &Options::default(), 12).unwrap();
    let v = valid("crisis_analysis", &c);
    assert!(!c.stopped);
    let first = &c.crises[0];
    assert_eq!(first.forecast.equilibrium.as_ref().unwrap().max_regret, 0.0);
    assert!(first.game_efg.starts_with("EFG 2 R"));
    assert!(v["crises"][0]["forecast"].get("tree").is_none());
    // The game written in Gambit's format is one `brink solve` reads.
    let s = Solve::run(&first.game_efg, "standoff.efg", "supporting").unwrap();
    valid("solve", &s);
    assert!(!s.equilibria.is_empty());

    let sens = Sensitivity::run(
        &builtin(),
        &Options {
            draws: 100,
            seed: 2,
            ..opts(&["compromise"])
        },
    )
    .unwrap();
    valid("sensitivity", &sens);
    assert_eq!(sens.tornado.len(), sens.issues.len());
    assert_eq!(sens.rank_correlation.draws, 100);

    let w = WhatIf::run(
        &builtin(),
        &[
            "rus.enlargement.salience=0.5".into(),
            "standoff.p_win=0.9".into(),
        ],
        &opts(&["compromise"]),
    )
    .unwrap();
    valid("whatif", &w);
    assert_eq!(w.changes[0].to, 0.5);
    let k = w
        .as_given
        .issues
        .iter()
        .position(|i| i.id == "enlargement")
        .unwrap();
    assert_ne!(
        w.as_given.issues[k].forecasts[0].value,
        w.as_changed.issues[k].forecasts[0].value
    );

    let t = Timeline::run(&builtin(), &opts(&["median"])).unwrap();
    valid("timeline", &t);
    let dates: Vec<&str> = t.dates.iter().map(|d| d.as_of.as_str()).collect();
    assert_eq!(dates, ["2021-12-28", "2022-01-10"]);
    assert!(t.dates[1].update.is_some());
    assert_eq!(t.dates[1].forecast.updates_applied, 1);
}

#[test]
fn backtest_eval_solve_and_check() {
    let sc = root("scenarios/ukraine-2021-12.toml");
    let oc = root("scenarios/ukraine-2021-12.outcomes.toml");
    let cl = root("scenarios/ukraine-2021-12.claims.toml");
    let loaded = Loaded::from_file(&sc).unwrap();
    let b = Backtest::run(
        &loaded,
        &oc,
        Some(&cl),
        &Options {
            draws: 200,
            ..opts(&["median"])
        },
    )
    .unwrap();
    valid("backtest", &b);
    assert_eq!(b.draws, 200);
    assert!(!b.backtest.claims.is_empty());

    let data = Dataset::load(&sc, Some(&oc)).unwrap();
    let e = Eval::run(&data, &opts(&["compromise", "median"]), 50).unwrap();
    valid("eval", &e);
    assert_eq!(e.evaluation.resamples, 50);

    let deu = Dataset::load(&root("tests/data/deu3/deu3-dev.tsv"), None).unwrap();
    let e = Eval::run(&deu, &opts(&["compromise"]), 20).unwrap();
    valid("eval", &e);
    // models.md section 1: the compromise model's MAE on the DEU III development split.
    let m = &e.evaluation.models[0];
    assert_eq!(m.name, "compromise");
    assert!((m.own.mae - 21.62).abs() < 0.005, "{}", m.own.mae);
    assert!(e.cross_validation.is_some());

    let s = Solve::from_file(&root("tests/data/crisis/models_example.efg"), "supporting").unwrap();
    valid("solve", &s);
    assert!(s.game.is_some() && s.first_path.is_some());

    let c = Check::run(&sc, Some(&oc)).unwrap();
    valid("check", &c);
    assert_eq!(c.issues, Some(loaded.scenario.issues.len()));
    assert!(c.ok && c.problems.is_empty());
    assert_eq!(c.outcomes.unwrap().outcomes, 7);
}

#[test]
fn the_report_s_dossier_explains_and_draws() {
    let d = brink_engine::Dossier::run(
        &builtin(),
        &Options {
            draws: 100,
            ..opts(&["compromise", "smp"])
        },
    )
    .unwrap();
    valid("forecast", &d.forecast);
    let smp = &d.forecast.issues[0].forecasts[1];
    assert_eq!(smp.model, "smp");
    assert!(smp.trace.is_some() && !smp.explanation.is_empty());
    assert!(!d.rounds.is_empty());
    assert!(d
        .tornado
        .iter()
        .all(|t| t.model == "compromise" || t.model == "smp"));
    assert!(d.forecast.crises.iter().all(|c| c.game.is_some()));
    assert!(d.forecast.issues.iter().all(|i| i
        .forecasts
        .iter()
        .all(|f| f.kind != Kind::NotCovered || f.value.is_none())));
}

#[test]
fn every_model_is_listed_and_imports_make_files() {
    let ms = brink_engine::models();
    assert!(ms.iter().any(|m| m.name == "compromise" && m.default));
    let imp = Imported::run("bdm", &root("tests/data/bdm/ExampleActors.csv")).unwrap();
    let sc = Loaded::from_toml(&imp.scenario_toml, "imported.toml").unwrap();
    assert_eq!(sc.scenario.actors.len(), imp.actors);
}

/// The consumers that see only the scenario as written today (issue 18) already mix any number
/// of worlds: over the built-in scenario's two hypotheses, the swings' point forecast is the
/// mixed forecast, and an input's low and high forecasts are the worlds' mixed the same way.
#[test]
fn sensitivity_mixes_the_worlds_as_the_forecasts_do() {
    use brink_engine::worlds::{mixed_runs, worlds, Use};
    let sc = builtin().scenario;
    let ws = worlds(&sc, Use::Forecast);
    assert_eq!(ws.len(), 2);
    let models = brink_engine::pick_models(&["compromise", "median"]).unwrap();
    let params = brink_bargain::Params::default();
    let runs = mixed_runs(&sc, &ws, &models, &params);
    let t = brink_engine::sensitivity::tornado(&ws, &models, &params);
    assert_eq!(t.len(), models.len() * sc.issues.len());
    for tor in &t {
        let m = runs.iter().position(|(n, _)| *n == tor.model).unwrap();
        let k = sc.issue_index(&tor.issue).unwrap();
        let want = runs[m].1[k].value().unwrap();
        assert!(
            (tor.base - want).abs() < 1e-9,
            "{} {}",
            tor.issue,
            tor.model
        );
    }
    // One input by hand: Russia's salience on enlargement at the low end of its range, in each
    // world, through the compromise model, mixed by the worlds' odds.
    let tor = t
        .iter()
        .find(|x| x.issue == "enlargement" && x.model == "compromise")
        .unwrap();
    let s = tor
        .swings
        .iter()
        .find(|s| s.input == "rus.enlargement.salience")
        .unwrap();
    let k = sc.issue_index("enlargement").unwrap();
    let at = |x: f64| {
        let mut total = 0.0;
        for w in &ws {
            let input = brink_montecarlo::InputRef::parse(&w.scenario, &s.input).unwrap();
            let (lo, hi) = input.dist(&w.scenario).range();
            let mut v = w.scenario.point_values();
            input.set(&mut v, if x == 0.0 { lo } else { hi });
            let f = models[0].run(&brink_bargain::Input::new(&w.scenario, &v), &params);
            total += w.weight * f[k].value().unwrap();
        }
        total
    };
    assert!((s.at_low - at(0.0)).abs() < 1e-9);
    assert!((s.at_high - at(1.0)).abs() < 1e-9);
    let p = brink_engine::sensitivity::expert_disagreement(&ws, &models, &params, 0);
    assert!(p.shares.iter().all(|x| (0.0..=1.0).contains(&x.share)));
}
