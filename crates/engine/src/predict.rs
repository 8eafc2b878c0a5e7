//! The predictive distributions of a forecast document: each model's forecast on each issue with
//! the scenario's input uncertainty and the model's own error as measured on the DEU III
//! development split, widened for inputs that are not expert interviews
//! (`brink_eval::predictive`, `docs/uncertainty.md`).
//!
//! Without draws, a distribution is centred on the model's forecast on the point estimates in
//! each world of the rival hypotheses, weighted by the world's probability (the worlds
//! `Use::Forecast` sees, whatever document asks: `run`, the report and `backtest` show the same
//! distributions). With draws, it is centred on the model's forecast in each of the first
//! [`MAX_PREDICTIVE_DRAWS`] Monte Carlo draws (each draw has drawn its world). This module is
//! the only place that computes them.

use brink_bargain::{Input, Model, Params};
use brink_eval::predictive::{
    widening_of, DrawCollector, ErrorModels, Prediction, DEFAULT_WIDENING,
};
use brink_scenario::Scenario;

use crate::doc::{
    CentralInterval, Forecast, PointMass, PredictiveForecast, PredictiveInfo, Quantile,
};
use crate::error::{Error, Result};
use crate::worlds::{worlds, Use};

/// The most Monte Carlo draws mixed into a predictive distribution: the first draws of the run.
/// Each draw brings one centre per model and issue, and each centre as many atoms as the model
/// has residuals (about 225), so the cost grows with the draws; 2,000 draws put the Monte Carlo
/// error of a quantile well below the spread of the model's own error.
pub const MAX_PREDICTIVE_DRAWS: u64 = 2000;

/// Each issue's widening factor: `widen` for every issue when given (checked: a number > 0),
/// else the issue's own (`meta.widening`, or 1 for `meta.inputs = "expert interviews"`), else
/// [`DEFAULT_WIDENING`].
pub(crate) fn factors(sc: &Scenario, widen: Option<f64>, file: &str) -> Result<Vec<f64>> {
    if let Some(w) = widen {
        if !(w.is_finite() && w > 0.0) {
            return Err(Error::input(format!(
                "--widen `{w}`: expected a number > 0 (1: the error measured on EU decisions as it is; the default for inputs that are not expert interviews is {DEFAULT_WIDENING})"
            )));
        }
        return Ok(vec![w; sc.issues.len()]);
    }
    sc.issues
        .iter()
        .map(|is| {
            widening_of(is, DEFAULT_WIDENING).map_err(|e| Error::input(format!("{file}: {e}")))
        })
        .collect()
}

/// An empty collector for these models on the scenario's issues.
pub(crate) fn collector(sc: &Scenario, models: &[Box<dyn Model>]) -> DrawCollector {
    DrawCollector::new(models.len(), sc.issues.len())
}

/// A collector holding each model's forecast on the point estimates of each world of the rival
/// hypotheses, weighted by the world's probability.
pub(crate) fn on_points(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
) -> DrawCollector {
    let params = Params {
        explain: false,
        ..params.clone()
    };
    let mut c = collector(sc, models);
    for w in worlds(sc, Use::Forecast) {
        let v = w.scenario.point_values();
        let input = Input::new(&w.scenario, &v);
        let flat: Vec<f64> = models
            .iter()
            .flat_map(|m| {
                m.run(&input, &params)
                    .iter()
                    .map(|f| f.value().unwrap_or(f64::NAN))
                    .collect::<Vec<_>>()
            })
            .collect();
        c.push_weighted(&w.scenario, &v, &flat, w.weight);
    }
    c
}

/// The predictions of the collected centres, `[model][issue]`, with each issue's factor.
pub(crate) fn predictions(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    collected: &DrawCollector,
    widen: &[f64],
) -> Result<Vec<Vec<Option<Prediction>>>> {
    let em = ErrorModels::builtin().map_err(|e| Error::Internal(e.to_string()))?;
    let names: Vec<String> = models.iter().map(|m| m.name().to_string()).collect();
    collected
        .predictions_with(sc, &names, em, widen)
        .map_err(|e| Error::Internal(e.to_string()))
}

/// How the predictions were made.
pub(crate) fn info(widen: Option<f64>, draws_mixed: u64) -> Result<PredictiveInfo> {
    let em = ErrorModels::builtin().map_err(|e| Error::Internal(e.to_string()))?;
    Ok(PredictiveInfo {
        error_models: format!(
            "the DEU III development split, {}: {} issues in {} proposals",
            em.dataset, em.issues, em.groups
        ),
        error_models_sha256: em.sha256.clone(),
        default_widening: DEFAULT_WIDENING,
        widen,
        centred_on: if draws_mixed > 0 { "draws" } else { "points" }.into(),
        draws_mixed,
    })
}

/// A prediction as the document carries it, labelled with the scale's words.
fn entry(issue: &brink_scenario::Issue, p: &Prediction) -> PredictiveForecast {
    let s = &p.summary;
    let label = |x: f64| issue.nearest_label(x).to_string();
    PredictiveForecast {
        median: s.median,
        median_label: label(s.median),
        mean: s.mean,
        quantiles: brink_eval::predictive::QUANTILES
            .iter()
            .map(|&q| Quantile {
                q,
                value: p.distribution.quantile(q),
            })
            .collect(),
        intervals: brink_eval::predictive::LEVELS
            .iter()
            .map(|&level| {
                let (lo, hi) = p.distribution.interval(level);
                CentralInterval {
                    level,
                    lo,
                    hi,
                    lo_label: label(lo),
                    hi_label: label(hi),
                }
            })
            .collect(),
        point_masses: s
            .point_masses
            .iter()
            .map(|&(at, p)| PointMass { at, p })
            .collect(),
        widening: s.widening,
        distribution: Some(p.distribution.clone()),
    }
}

/// Puts the predictions (`[model][issue]`, the document's models in its order) into the
/// document.
pub(crate) fn fill(
    doc: &mut Forecast,
    sc: &Scenario,
    preds: &[Vec<Option<Prediction>>],
    info: PredictiveInfo,
) {
    for (k, is) in doc.issues.iter_mut().enumerate() {
        for (m, f) in is.forecasts.iter_mut().enumerate() {
            f.predictive = preds
                .get(m)
                .and_then(|per| per.get(k))
                .and_then(|p| p.as_ref())
                .map(|p| entry(&sc.issues[k], p));
        }
    }
    doc.predictive = Some(info);
}
