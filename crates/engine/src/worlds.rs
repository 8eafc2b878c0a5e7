//! Rival hypotheses: a scenario's worlds (each combination of one type per actor with types,
//! weighted by the product of the types' posteriors) and forecasts mixed over them.
//!
//! [`worlds`] is the one function that says which worlds a computation sees; every document
//! gets its worlds from it, and every use sees the same mixture over the rival hypotheses, so
//! `run`, `report`, `sensitivity`, `eval`, `backtest` and the rest give one forecast of a
//! scenario.

use brink_bargain::{Input, IssueForecast, Model, Outcome, Params};
use brink_crisis::standoff::CrisisForecast;
use brink_scenario::Scenario;

/// What a set of worlds is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Use {
    /// Issue and crisis forecasts: `run`, `backtest`, `whatif`, `timeline`, `crisis`, and the
    /// report's crises.
    Forecast,
    /// The HTML report's and the plots' issue forecasts.
    Report,
    /// The one-at-a-time swings and the expert-disagreement shares of `sensitivity` and the report.
    Sensitivity,
    /// The forecasts `eval` scores.
    Eval,
}

/// One world: its probability, the types that hold in it, the scenario as they would hold it.
#[derive(Debug, Clone)]
pub struct World {
    /// Its probability.
    pub weight: f64,
    /// The types that hold (indices into the scenario's types); empty without types.
    pub types: Vec<usize>,
    /// The scenario with those types' stances.
    pub scenario: Scenario,
}

/// The worlds `use_` sees: for every use the mixture over the rival hypotheses (one world per
/// combination of types, weighted by their posteriors), so that every document gives the same
/// forecast. With no rival hypotheses (or a single world), one world: the scenario itself,
/// probability 1.
pub fn worlds(sc: &Scenario, use_: Use) -> Vec<World> {
    match use_ {
        Use::Forecast | Use::Report | Use::Sensitivity | Use::Eval => mixture(sc),
    }
}

fn as_written(sc: &Scenario) -> World {
    World {
        weight: 1.0,
        types: Vec::new(),
        scenario: sc.clone(),
    }
}

fn mixture(sc: &Scenario) -> Vec<World> {
    let ws = sc.worlds();
    if ws.len() <= 1 {
        return vec![as_written(sc)];
    }
    ws.into_iter()
        .map(|(weight, types, scenario)| World {
            weight,
            types,
            scenario,
        })
        .collect()
}

/// The heaviest world (the first of equals).
fn heaviest(worlds: &[World]) -> usize {
    (0..worlds.len())
        .max_by(|&a, &b| worlds[a].weight.total_cmp(&worlds[b].weight))
        .unwrap_or(0)
}

/// A number mixed over the worlds: the probability-weighted mean over the worlds where it is
/// defined, or `None` where it is defined in none.
pub fn mix_value(values: impl IntoIterator<Item = (f64, Option<f64>)>) -> Option<f64> {
    let mut total = 0.0;
    let mut value = 0.0;
    for (w, x) in values {
        if let Some(x) = x {
            value += w * x;
            total += w;
        }
    }
    (total > 0.0).then(|| value / total)
}

/// Each model's forecasts mixed over the worlds: a forecast's value is the probability-weighted
/// mean of the worlds' values; where the worlds disagree on the kind (settles / no agreement),
/// the mixture settles at the mean and says so. The decisive actors are the heaviest world's.
pub fn mixed_runs(
    sc: &Scenario,
    worlds: &[World],
    models: &[Box<dyn Model>],
    params: &Params,
) -> Vec<(String, Vec<IssueForecast>)> {
    if worlds.len() == 1 {
        let w = &worlds[0].scenario;
        let v = w.point_values();
        let input = Input::new(w, &v);
        return models
            .iter()
            .map(|m| (m.name().to_string(), m.run(&input, params)))
            .collect();
    }
    let top = heaviest(worlds);
    let per_world: Vec<Vec<Vec<IssueForecast>>> = worlds
        .iter()
        .map(|w| {
            let v = w.scenario.point_values();
            let input = Input::new(&w.scenario, &v);
            models.iter().map(|m| m.run(&input, params)).collect()
        })
        .collect();
    let names = |c: &[usize]| {
        c.iter()
            .map(|&t| format!("{} {}", sc.actors[sc.types[t].actor].name, sc.types[t].id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    models
        .iter()
        .enumerate()
        .map(|(m, model)| {
            let fs = (0..sc.issues.len())
                .map(|k| {
                    let mut kinds = std::collections::BTreeSet::new();
                    let mut lines = Vec::new();
                    for (wi, w) in worlds.iter().enumerate() {
                        let f = &per_world[wi][m][k];
                        kinds.insert(match f.outcome {
                            Outcome::Settles { .. } => 0,
                            Outcome::NoAgreement { .. } => 1,
                            Outcome::NotCovered { .. } => 2,
                        });
                        lines.push(format!(
                            "if {} (p = {:.3}): {}",
                            names(&w.types),
                            w.weight,
                            f.value()
                                .map_or("not covered".into(), |x| format!("{x:.2}"))
                        ));
                    }
                    let base = &per_world[top][m][k];
                    let Some(x) = mix_value(
                        worlds
                            .iter()
                            .enumerate()
                            .map(|(wi, w)| (w.weight, per_world[wi][m][k].value())),
                    ) else {
                        return base.clone();
                    };
                    let mut f = base.clone();
                    f.outcome = match (&base.outcome, kinds.len()) {
                        (Outcome::NoAgreement { blockers, .. }, 1) => Outcome::NoAgreement {
                            status_quo: x,
                            blockers: blockers.clone(),
                        },
                        _ => Outcome::Settles { value: x },
                    };
                    f.explanation
                        .insert(0, format!("mixture over the types: {}", lines.join("; ")));
                    f
                })
                .collect();
            (model.name().to_string(), fs)
        })
        .collect()
}

/// A crisis's forecast, or why it has none.
pub type CrisisResult = Result<CrisisForecast, String>;

/// Each crisis's forecast in one world (`values`: its inputs), with the settlement from the
/// crisis's bargaining model (taken from `runs` when that model ran, else run now).
pub fn crisis_forecasts(
    sc: &Scenario,
    values: &brink_scenario::Values,
    runs: &[(String, Vec<IssueForecast>)],
    params: &Params,
) -> Vec<CrisisResult> {
    (0..sc.crises.len())
        .map(|ci| {
            let c = &sc.crises[ci];
            let settlement: Vec<Option<f64>> = match runs.iter().find(|(m, _)| *m == c.model) {
                Some((_, fs)) => fs.iter().map(|f| f.value()).collect(),
                None => {
                    let m = brink_bargain::find(&c.model).ok_or_else(|| {
                        format!("crisis `{}` names unknown model `{}`", c.id, c.model)
                    })?;
                    m.run(&Input::new(sc, values), params)
                        .iter()
                        .map(|f| f.value())
                        .collect()
                }
            };
            brink_crisis::standoff::forecast(sc, values, ci, &settlement).map_err(|e| e.to_string())
        })
        .collect()
}

/// Each crisis's forecast over the worlds (`runs`: the bargaining forecasts already made in a
/// single world, reused for the settlement). When the rival types belong to the challenger's
/// side, the defender does not know them: the crisis is solved as one game of incomplete
/// information (types drawn by nature, a perfect Bayesian equilibrium). Otherwise the outcome
/// probabilities are mixed over the worlds (with the heaviest world's path and certificate).
pub fn mixed_crises(
    sc: &Scenario,
    worlds: &[World],
    runs: &[(String, Vec<IssueForecast>)],
    params: &Params,
) -> Vec<CrisisResult> {
    if worlds.len() < 2 {
        let w = &worlds[0].scenario;
        return crisis_forecasts(w, &w.point_values(), runs, params);
    }
    let private: Vec<Option<CrisisResult>> = (0..sc.crises.len())
        .map(|ci| {
            let c = &sc.crises[ci];
            if !sc.types.iter().all(|t| c.challenger.contains(&t.actor)) {
                return None;
            }
            let model = brink_bargain::find(&c.model)?;
            let ws: Vec<(f64, String, Scenario)> = worlds
                .iter()
                .map(|w| {
                    let name = w
                        .types
                        .iter()
                        .map(|&t| {
                            format!(
                                "{} is {}",
                                sc.actors[sc.types[t].actor].name, sc.types[t].id
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ");
                    (w.weight, name, w.scenario.clone())
                })
                .collect();
            let settle = |wi: usize| -> Vec<Option<f64>> {
                let s = &ws[wi].2;
                let v = s.point_values();
                model
                    .run(&Input::new(s, &v), params)
                    .iter()
                    .map(|f| f.value())
                    .collect()
            };
            brink_crisis::standoff::forecast_private(&ws, ci, &settle)
                .map_err(|e| e.to_string())
                .transpose()
        })
        .collect();
    let per: Vec<(f64, Vec<CrisisResult>)> = worlds
        .iter()
        .map(|w| {
            let s = &w.scenario;
            (
                w.weight,
                crisis_forecasts(s, &s.point_values(), &[], params),
            )
        })
        .collect();
    let top = heaviest(worlds);
    (0..sc.crises.len())
        .map(|ci| {
            if let Some(p) = &private[ci] {
                return p.clone();
            }
            let mut f = per[top].1[ci].clone()?;
            for o in f.outcomes.iter_mut() {
                o.1 = per
                    .iter()
                    .map(|(w, fs)| {
                        w * fs[ci].as_ref().map_or(0.0, |x| {
                            x.outcomes.iter().find(|y| y.0 == o.0).map_or(0.0, |y| y.1)
                        })
                    })
                    .sum();
            }
            f.max_regret = per
                .iter()
                .filter_map(|(_, fs)| fs[ci].as_ref().ok())
                .map(|x| x.max_regret)
                .fold(0.0, f64::max);
            Ok(f)
        })
        .collect()
}
