//! The forecast pipeline: date, worlds, bargaining models, crises, Monte Carlo.

use brink_bargain::{Model, Params};
use brink_scenario::Scenario;

use crate::doc::{
    CrisisEquilibrium, CrisisReport, CrisisSide, Forecast, InputInfo, OutcomeProbability,
};
use crate::error::Result;
use crate::input::Loaded;
use crate::options::{at_date, Options};
use crate::worlds::{mixed_crises, mixed_runs, worlds, CrisisResult, Use};

impl Forecast {
    /// Forecasts every issue and crisis of a scenario as known on `opts.as_of` (default: its
    /// cut-off): each model's forecast mixed over the rival hypotheses, each crisis's certified
    /// equilibrium, and with `opts.draws` the Monte Carlo distributions and outcome
    /// probabilities. Reads every field of [`Options`]. Models default to brink's default
    /// models. A stopped Monte Carlo run gives the document of the draws done
    /// (`montecarlo.stopped`).
    pub fn run(loaded: &Loaded, opts: &Options) -> Result<Forecast> {
        let (_, sc) = at_date(&loaded.scenario, opts.as_of)?;
        let models = opts.models()?;
        let widen = crate::predict::factors(&sc, opts.widen, &loaded.input.file)?;
        opts.in_pool(|| {
            let mut doc = deterministic(&sc, &loaded.input, &models, &opts.params(), Use::Forecast);
            add_draws_and_predictive(&mut doc, &sc, &models, &opts.params(), opts, &widen)?;
            Ok(doc)
        })?
    }
}

/// Adds to a forecast document the Monte Carlo run's distributions and probabilities (with
/// `opts.draws`) and the predictive distributions (`widen`: each issue's factor), centred on
/// the draws or, without any, on the points.
pub(crate) fn add_draws_and_predictive(
    doc: &mut Forecast,
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    opts: &Options,
    widen: &[f64],
) -> Result<()> {
    let mut collected = crate::predict::collector(sc, models);
    let mut mixed = 0;
    if opts.draws > 0 {
        let mc = crate::mc::monte_carlo(
            sc,
            models,
            params,
            opts.draws,
            params.seed,
            Some(brink_calib::LAMBDA),
            opts.observer.as_ref(),
            Some(&mut collected),
        );
        crate::mc::fill(doc, sc, &mc);
        mixed = mc.draws_done.min(crate::predict::MAX_PREDICTIVE_DRAWS);
    }
    if opts.draws == 0 && opts.crisis_draws > 0 && !sc.crises.is_empty() {
        // Without the Monte Carlo over every input, the crises' probabilities come from draws
        // of their own inputs alone (the game's quantal response, the reference class, the
        // combination).
        crate::views::from_own_draws(
            &mut doc.crises,
            sc,
            params,
            opts.crisis_draws,
            opts.seed,
            opts.observer.as_ref(),
        );
    }
    if mixed == 0 {
        collected = crate::predict::on_points(sc, models, params);
    }
    let preds = crate::predict::predictions(sc, models, &collected, widen)?;
    crate::predict::fill(doc, sc, &preds, crate::predict::info(opts.widen, mixed)?);
    Ok(())
}

/// Adds to a forecast document a Monte Carlo run merged from shards (`mc`, made as
/// [`add_draws_and_predictive`] makes its run) and the predictive distributions. A shard carries
/// no drawn inputs, so the predictive distributions' centres, the first
/// [`crate::predict::MAX_PREDICTIVE_DRAWS`] draws, are drawn again here: the same draws (each
/// chunk has its own random stream), so the document is that of one run.
pub(crate) fn add_merged_and_predictive(
    doc: &mut Forecast,
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    opts: &Options,
    widen: &[f64],
    mc: &brink_montecarlo::McResult,
) -> Result<()> {
    crate::mc::fill(doc, sc, mc);
    let mixed = mc.draws_done.min(crate::predict::MAX_PREDICTIVE_DRAWS);
    let mut collected = crate::predict::collector(sc, models);
    if mixed > 0 {
        crate::mc::monte_carlo(
            sc,
            models,
            params,
            mixed,
            params.seed,
            Some(brink_calib::LAMBDA),
            &crate::observe::Silent,
            Some(&mut collected),
        );
    } else {
        collected = crate::predict::on_points(sc, models, params);
    }
    let preds = crate::predict::predictions(sc, models, &collected, widen)?;
    crate::predict::fill(doc, sc, &preds, crate::predict::info(opts.widen, mixed)?);
    Ok(())
}

/// The forecast on the point estimates of a scenario as it stands (no date applied): issues
/// and crises over the worlds `use_` sees.
pub(crate) fn deterministic(
    sc: &Scenario,
    input: &InputInfo,
    models: &[Box<dyn Model>],
    params: &Params,
    use_: Use,
) -> Forecast {
    let ws = worlds(sc, use_);
    let runs = mixed_runs(sc, &ws, models, params);
    let mut doc = Forecast::from_runs(sc, input.clone(), &runs, params.rounds, params.seed);
    doc.crises = crisis_reports(sc, mixed_crises(sc, &ws, &runs, params));
    doc
}

/// The crises' entries of a document.
pub(crate) fn crisis_reports(sc: &Scenario, crises: Vec<CrisisResult>) -> Vec<CrisisReport> {
    crises
        .into_iter()
        .zip(&sc.crises)
        .map(|(r, c)| crisis_report(c, r))
        .collect()
}

/// A crisis's entry of a document.
pub(crate) fn crisis_report(c: &brink_scenario::Crisis, r: CrisisResult) -> CrisisReport {
    match r {
        Ok(f) => CrisisReport {
            crisis: f.crisis.clone(),
            name: c.name.clone(),
            equilibrium: Some(CrisisEquilibrium {
                concept: f.concept,
                equilibria: f.equilibria,
                outcomes: f
                    .outcomes
                    .into_iter()
                    .map(|(outcome, p)| OutcomeProbability { outcome, p })
                    .collect(),
                path: f.path,
                max_regret: f.max_regret,
                red_lines_crossed: f.built.red_lines,
                sides: f
                    .built
                    .sides
                    .iter()
                    .map(|s| CrisisSide {
                        members: s.members.clone(),
                        position: s.position.clone(),
                        salience: s.salience.clone(),
                        sq: s.sq,
                        other: s.other,
                        neg: s.neg,
                    })
                    .collect(),
                settlement: f.built.settlement,
            }),
            error: None,
            game: None,
            reference_class: None,
            reference_class_note: None,
            combined: None,
            tree: Some(f.built.game),
        },
        Err(e) => CrisisReport {
            crisis: c.id.clone(),
            name: c.name.clone(),
            equilibrium: None,
            error: Some(e),
            game: None,
            reference_class: None,
            reference_class_note: None,
            combined: None,
            tree: None,
        },
    }
}
