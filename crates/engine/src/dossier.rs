//! What the HTML report and the plots show: the forecast with explanations and draws, the
//! sensitivity, and the dynamic models' rounds.

use brink_bargain::Params;
use brink_scenario::{Scenario, Values};

use crate::doc::{ExpertDisagreement, Forecast, Tornado};
use crate::error::Result;
use crate::forecast::{add_draws, deterministic};
use crate::input::Loaded;
use crate::options::Options;
use crate::worlds::{worlds, Use};

/// Everything a report on a scenario shows (the scenario itself aside).
#[derive(Debug, Clone, PartialEq)]
pub struct Dossier {
    /// The forecast on the point estimates with explanations and, with draws, distributions and
    /// crisis probabilities.
    pub forecast: Forecast,
    /// The one-at-a-time swings of every model and issue.
    pub tornado: Vec<Tornado>,
    /// The expert-disagreement shares (draws seeded with the run's seed).
    pub panels: ExpertDisagreement,
    /// The dynamic models' positions round by round.
    pub rounds: Vec<Rounds>,
}

/// A dynamic model's positions round by round on one issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Rounds {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The actors, in the order of the positions.
    pub actor_names: Vec<String>,
    /// `rounds[t][i]`: actor i's position after round t (round 0: the actors' own positions).
    pub rounds: Vec<Vec<f64>>,
}

impl Dossier {
    /// The report's contents for the scenario as it stands (no date applied): the forecast with
    /// explanations (and with `opts.draws`, the Monte Carlo run), the sensitivity and the SMP's
    /// rounds. Reads every field of [`Options`] but `as_of` and `explain`.
    pub fn run(loaded: &Loaded, opts: &Options) -> Result<Dossier> {
        let sc = &loaded.scenario;
        let models = opts.models()?;
        let params = Params {
            rounds: opts.rounds,
            seed: opts.seed,
            explain: false,
        };
        opts.in_pool(|| {
            let explained = Params {
                explain: true,
                ..params.clone()
            };
            let mut forecast = deterministic(sc, &loaded.input, &models, &explained, Use::Report);
            if opts.draws > 0 {
                add_draws(
                    &mut forecast,
                    sc,
                    &models,
                    &params,
                    opts.draws,
                    opts.observer.as_ref(),
                );
            }
            if opts.draws == 0 && opts.crisis_draws > 0 && !sc.crises.is_empty() {
                let mc = crate::views::crisis_mc(
                    sc,
                    &params,
                    opts.crisis_draws,
                    opts.seed,
                    opts.observer.as_ref(),
                );
                crate::views::fill(&mut forecast.crises, sc, &mc, opts.seed);
            }
            let ws = worlds(sc, Use::Sensitivity);
            let rounds = smp_rounds(sc, &sc.point_values(), &forecast);
            Dossier {
                tornado: crate::sensitivity::tornado(&ws, &models, &params),
                panels: crate::sensitivity::expert_disagreement(&ws, &models, &params, opts.seed),
                rounds,
                forecast,
            }
        })
    }
}

/// The rounds of the SMP's run, read from its trace: `states[t].positions[slot][issue]` on
/// [0, 1], where the slots are the actors with a stance and some salience, in actor order. The
/// mapping is checked against the actors' own positions (state 0); on any mismatch nothing is
/// returned rather than a wrong picture.
fn smp_rounds(sc: &Scenario, values: &Values, doc: &Forecast) -> Vec<Rounds> {
    let Some(trace) = doc.issues.first().and_then(|is| {
        is.forecasts
            .iter()
            .find(|f| f.model == "smp")
            .and_then(|f| f.trace.as_ref())
    }) else {
        return Vec::new();
    };
    let Some(states) = trace.get("states").and_then(|s| s.as_array()) else {
        return Vec::new();
    };
    let pos: Vec<Vec<Vec<f64>>> = states
        .iter()
        .filter_map(|s| serde_json::from_value(s.get("positions")?.clone()).ok())
        .collect();
    if pos.len() != states.len() || pos.is_empty() {
        return Vec::new();
    }
    // The slots: actors with a stance and a positive total salience.
    let mut sal = vec![0.0; sc.actors.len()];
    let mut has = vec![false; sc.actors.len()];
    for (j, s) in sc.stances.iter().enumerate() {
        sal[s.actor] += values.salience[j];
        has[s.actor] = true;
    }
    let who: Vec<usize> = (0..sc.actors.len())
        .filter(|&a| has[a] && sal[a] > 0.0)
        .collect();
    if pos[0].len() != who.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, is) in sc.issues.iter().enumerate() {
        let w = is.max - is.min;
        // Actors with a stance on this issue, their slot, and the check on state 0.
        let mut slots = Vec::new();
        for (j, st) in sc.stances.iter().enumerate().filter(|(_, s)| s.issue == k) {
            let Some(slot) = who.iter().position(|&a| a == st.actor) else {
                continue;
            };
            let x0 = pos[0][slot].get(k).copied().unwrap_or(f64::NAN);
            let own = ((values.position[j] - is.min) / w).clamp(0.0, 1.0);
            if (x0 - own).abs() > 1e-9 {
                return Vec::new();
            }
            slots.push((st.actor, slot));
        }
        if slots.is_empty() {
            continue;
        }
        let rounds: Option<Vec<Vec<f64>>> = pos
            .iter()
            .map(|state| {
                slots
                    .iter()
                    .map(|&(_, s)| state.get(s)?.get(k).map(|x| is.min + x * w))
                    .collect()
            })
            .collect();
        if let Some(rounds) = rounds {
            out.push(Rounds {
                issue: is.id.clone(),
                model: "smp".into(),
                actor_names: slots
                    .iter()
                    .map(|&(a, _)| sc.actors[a].name.clone())
                    .collect(),
                rounds,
            });
        }
    }
    out
}
