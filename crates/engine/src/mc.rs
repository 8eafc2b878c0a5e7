//! The Monte Carlo run, watched by an [`Observer`], and its results in a forecast document.

use brink_bargain::{Model, Params};
use brink_eval::predictive::DrawCollector;
use brink_montecarlo::run::{Hooks, Kept, McResult};
use brink_montecarlo::{InputRef, McConfig};
use brink_scenario::Scenario;

use crate::doc::{
    defined, Distribution, Forecast, Interval, MonteCarlo, OutcomeProbabilities, OutcomeShare,
    Quantile, Summary, QUANTILES,
};
use crate::observe::{DrawColumns, Observer, Progress, Stage};
use crate::predict::MAX_PREDICTIVE_DRAWS;

/// `draws` seeded draws of every uncertain input of `sc` through `models` (and the crises),
/// reporting progress and every draw (if kept) to `observer` and stopping when it says so;
/// `collect` receives the first [`MAX_PREDICTIVE_DRAWS`] draws, in order, as the centres of the
/// predictive distributions.
#[allow(clippy::too_many_arguments)] // one internal entry; its callers name every argument
pub(crate) fn monte_carlo(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    draws: u64,
    seed: u64,
    lambda: Option<f64>,
    observer: &dyn Observer,
    mut collect: Option<&mut DrawCollector>,
) -> McResult {
    let inputs = InputRef::uncertain(sc);
    let keeps = observer.keeps_draws();
    // Per world of the run (`Scenario::worlds`, in its order): the type id of each actor with
    // types, in the order of the actors.
    let mut world_types: Vec<Vec<&str>> = Vec::new();
    if keeps {
        let mut forecasts = Vec::new();
        for m in models {
            forecasts.extend(sc.issues.iter().map(|is| format!("{}:{}", m.name(), is.id)));
        }
        let classes = brink_crisis::standoff::CLASSES;
        let crises = sc
            .crises
            .iter()
            .flat_map(|c| classes.iter().map(move |k| format!("{}:{k}", c.id)))
            .collect();
        let mut typed: Vec<usize> = sc.types.iter().map(|t| t.actor).collect();
        typed.sort_unstable();
        typed.dedup();
        world_types = sc
            .worlds()
            .into_iter()
            .map(|(_, combo, _)| combo.iter().map(|&t| sc.types[t].id.as_str()).collect())
            .collect();
        observer.draw_columns(&DrawColumns {
            inputs: inputs.iter().map(|i| i.key(sc)).collect(),
            forecasts,
            crises,
            types: typed
                .iter()
                .map(|&a| format!("type:{}", sc.actors[a].id))
                .collect(),
        });
    }
    let n_classes = brink_crisis::standoff::CLASSES.len();
    let mut crisis_row = Vec::with_capacity(sc.crises.len() * n_classes);
    let progress = |done: u64, total: u64| {
        observer.progress(&Progress {
            stage: Stage::Draws,
            done,
            total,
        })
    };
    let cancel = || observer.cancelled();
    let mut row = Vec::with_capacity(inputs.len());
    let keeping = keeps || collect.is_some();
    let mut keep = |d: u64, v: &brink_scenario::Values, f: &[f64], k: &Kept<'_>| {
        if let Some(c) = collect.as_deref_mut() {
            if d < MAX_PREDICTIVE_DRAWS {
                c.push(sc, v, f);
            }
        }
        if keeps {
            row.clear();
            row.extend(inputs.iter().map(|i| i.get(v)));
            crisis_row.clear();
            for ci in 0..sc.crises.len() {
                match k.crisis(ci) {
                    Some(p) => crisis_row.extend_from_slice(p),
                    None => crisis_row.extend(std::iter::repeat_n(f64::NAN, n_classes)),
                }
            }
            let types = world_types.get(k.world).map_or(&[][..], |t| &t[..]);
            observer.draw(d, &row, f, &crisis_row, types);
        }
    };
    brink_montecarlo::run(
        sc,
        models,
        params,
        &McConfig {
            crisis_lambda: lambda,
            ..McConfig::new(draws, seed)
        },
        Hooks {
            progress: Some(&progress),
            stop: None,
            cancel: Some(&cancel),
            keep: if keeping { Some(&mut keep) } else { None },
        },
    )
}

/// A forecast's distribution from its Monte Carlo record.
fn distribution(issue: &brink_scenario::Issue, m: &brink_montecarlo::run::ModelMc) -> Distribution {
    Distribution {
        n: m.summary.as_ref().map_or(0, |s| s.n),
        no_agreement: m.no_agreement,
        not_covered: m.not_covered,
        summary: m.summary.as_ref().map(|s| Summary {
            mean: s.mean,
            sd: s.sd,
            min: s.min,
            max: s.max,
            quantiles: QUANTILES
                .iter()
                .zip([s.p05, s.p25, s.p50, s.p75, s.p95])
                .map(|(&q, value)| Quantile { q, value })
                .collect(),
            median_label: issue.describe(s.p50),
        }),
    }
}

/// A crisis's outcome probabilities from its Monte Carlo record.
pub(crate) fn outcome_probabilities(
    c: &brink_montecarlo::run::CrisisMc,
    draws: u64,
) -> OutcomeProbabilities {
    OutcomeProbabilities {
        method: None,
        lambda: None,
        draws,
        unsolved: c.unsolved,
        unsolved_reason: c.unsolved_reason.clone(),
        outcomes: c
            .outcomes
            .iter()
            .map(|o| OutcomeShare {
                outcome: o.outcome.clone(),
                p: defined(o.share),
                interval: (!o.interval.0.is_nan() && !o.interval.1.is_nan()).then_some(Interval {
                    lo: o.interval.0,
                    hi: o.interval.1,
                }),
                spread: None,
            })
            .collect(),
    }
}

/// Fills a forecast document's Monte Carlo parts (the same models, in the same order; the
/// crises' three views from draws played at the estimated precision).
pub(crate) fn fill(doc: &mut Forecast, sc: &Scenario, mc: &McResult) {
    for (k, is) in doc.issues.iter_mut().enumerate() {
        for (f, m) in is.forecasts.iter_mut().zip(&mc.issues[k].models) {
            f.distribution = Some(distribution(&sc.issues[k], m));
        }
    }
    crate::views::fill(&mut doc.crises, sc, mc, mc.seed);
    doc.montecarlo = Some(MonteCarlo {
        seed: mc.seed,
        chunk: mc.chunk,
        draws_requested: mc.draws_requested,
        draws_done: mc.draws_done,
        stopped: mc.stopped,
        uncertain_inputs: mc.uncertain_inputs.clone(),
    });
}
