//! Rival hypotheses and dated updates in the CLI: a scenario as known on a date, forecast as the
//! mixture over its actors' types (each combination of types is a world, weighted by the
//! product of the types' posteriors), and the timeline of forecasts across the updates.

use brink_bargain::{Input, IssueForecast, Model, Outcome, Params};
use brink_scenario::{Date, Scenario};

/// Each model's forecasts mixed over the worlds: a forecast's value is the probability-weighted
/// mean of the worlds' values; where the worlds disagree on the kind (settles / no agreement),
/// the mixture settles at the mean and says so. The decisive actors are the heaviest world's.
pub fn mixed_runs(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
) -> Vec<(String, Vec<IssueForecast>)> {
    let worlds = sc.worlds();
    if worlds.len() == 1 {
        let v = sc.point_values();
        let input = Input::new(sc, &v);
        return models
            .iter()
            .map(|m| (m.name().to_string(), m.run(&input, params)))
            .collect();
    }
    let heaviest = (0..worlds.len())
        .max_by(|&a, &b| worlds[a].0.total_cmp(&worlds[b].0))
        .unwrap_or(0);
    let per_world: Vec<Vec<Vec<IssueForecast>>> = worlds
        .iter()
        .map(|(_, _, w)| {
            let v = w.point_values();
            let input = Input::new(w, &v);
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
                    let mut total = 0.0;
                    let mut value = 0.0;
                    let mut kinds = std::collections::BTreeSet::new();
                    let mut lines = Vec::new();
                    for (wi, (w, combo, _)) in worlds.iter().enumerate() {
                        let f = &per_world[wi][m][k];
                        if let Some(x) = f.value() {
                            value += w * x;
                            total += w;
                        }
                        kinds.insert(match f.outcome {
                            Outcome::Settles { .. } => 0,
                            Outcome::NoAgreement { .. } => 1,
                            Outcome::NotCovered { .. } => 2,
                        });
                        lines.push(format!(
                            "if {} (p = {:.3}): {}",
                            names(combo),
                            w,
                            f.value()
                                .map_or("not covered".into(), |x| format!("{x:.2}"))
                        ));
                    }
                    let base = &per_world[heaviest][m][k];
                    if total <= 0.0 {
                        return base.clone();
                    }
                    let mut f = base.clone();
                    let x = value / total;
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

/// Each crisis's forecast over the worlds. When the rival types belong to the challenger's side,
/// the defender does not know them: the crisis is solved as one game of incomplete information
/// (types drawn by nature, a perfect Bayesian equilibrium). Otherwise the outcome probabilities
/// are mixed over the worlds (with the heaviest world's path and certificate).
pub fn mixed_crises(
    sc: &Scenario,
    params: &Params,
) -> Vec<Result<brink_crisis::standoff::CrisisForecast, String>> {
    let worlds = sc.worlds();
    let private: Vec<Option<Result<brink_crisis::standoff::CrisisForecast, String>>> =
        (0..sc.crises.len())
            .map(|ci| {
                let c = &sc.crises[ci];
                if worlds.len() < 2 || !sc.types.iter().all(|t| c.challenger.contains(&t.actor)) {
                    return None;
                }
                let model = brink_bargain::find(&c.model)?;
                let ws: Vec<(f64, String, Scenario)> = worlds
                    .iter()
                    .map(|(w, combo, s)| {
                        let name = combo
                            .iter()
                            .map(|&t| {
                                format!(
                                    "{} is {}",
                                    sc.actors[sc.types[t].actor].name, sc.types[t].id
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(", ");
                        (*w, name, s.clone())
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
    let per: Vec<(
        f64,
        Vec<Result<brink_crisis::standoff::CrisisForecast, String>>,
    )> = worlds
        .iter()
        .map(|(w, _, s)| {
            (
                *w,
                crate::crisis_forecasts(s, &s.point_values(), &[], params),
            )
        })
        .collect();
    let heaviest = (0..per.len())
        .max_by(|&a, &b| per[a].0.total_cmp(&per[b].0))
        .unwrap_or(0);
    (0..sc.crises.len())
        .map(|ci| {
            if let Some(p) = &private[ci] {
                return p.clone();
            }
            let mut f = per[heaviest].1[ci].clone()?;
            if per.len() > 1 {
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
            }
            Ok(f)
        })
        .collect()
}

/// The types' posteriors in words, with what moved them.
pub fn posterior_lines(base: &Scenario, sc: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let mut actors: Vec<usize> = sc.types.iter().map(|t| t.actor).collect();
    actors.dedup();
    for a in actors {
        let parts: Vec<String> = sc
            .types
            .iter()
            .filter(|t| t.actor == a)
            .map(|t| format!("{} {:.3} (prior {:.3})", t.id, t.posterior, t.prior))
            .collect();
        out.push(format!(
            "types of {}: {}",
            sc.actors[a].name,
            parts.join(", ")
        ));
        for u in base.updates.iter().filter(|u| u.date <= sc.as_of) {
            let ls: Vec<String> = u
                .likelihoods
                .iter()
                .filter(|(t, _)| sc.types[*t].actor == a)
                .map(|(t, l)| format!("{} {}", sc.types[*t].id, l))
                .collect();
            if !ls.is_empty() {
                out.push(format!(
                    "  moved on {} by: {} (likelihoods {})",
                    u.date,
                    u.what,
                    ls.join(", ")
                ));
            }
        }
    }
    out
}

/// The dates of a timeline: the scenario's cut-off and each update's date.
pub fn timeline_dates(sc: &Scenario) -> Vec<Date> {
    let mut d = vec![sc.as_of];
    d.extend(sc.updates.iter().map(|u| u.date));
    d.sort();
    d.dedup();
    d
}
