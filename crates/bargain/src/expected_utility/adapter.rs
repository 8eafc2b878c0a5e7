//! The expected-utility model as a brink [`Model`], one issue at a time: `eu` (brink's corrected
//! default) and `eu-scholz` (the Scholz et al. replication, to the letter).
//!
//! The forecast is the capability x salience weighted median of the final positions: in Bueno de
//! Mesquita's account the issue settles where the median voter stands once the challenges have
//! run (the replication prints a "median position" that is in fact the weighted mean; the mean is
//! kept in the trace). `Params::rounds` caps the rounds. The decisive actor is the one whose
//! final position is that median.

use super::{run_in, EuActor, EuMode, EuParams, EuRun, Scratch};
use crate::{IssueForecast, Model, Params};

/// The expected-utility model in one of its modes.
#[derive(Debug, Clone, Copy)]
pub struct ExpectedUtility {
    /// The rule set.
    pub mode: EuMode,
}

impl Model for ExpectedUtility {
    fn name(&self) -> &'static str {
        match self.mode {
            EuMode::Corrected => "eu",
            EuMode::ScholzReplication => "eu-scholz",
        }
    }
    fn summary(&self) -> &'static str {
        match self.mode {
            EuMode::Corrected => "Bueno de Mesquita's expected-utility model, brink's corrected rules (per-pair probabilities, least move)",
            EuMode::ScholzReplication => "Bueno de Mesquita's expected-utility model as the Scholz et al. replication computes it",
        }
    }
    fn run(&self, input: &crate::Input<'_>, params: &Params) -> Vec<IssueForecast> {
        let sc = input.scenario;
        let mut scratch = Scratch::default();
        input
            .issues
            .iter()
            .map(|is| {
                if is.players.is_empty() {
                    return IssueForecast::not_covered(
                        is.issue,
                        "no actor has a stance on this issue",
                    );
                }
                let actors: Vec<EuActor> = is
                    .players
                    .iter()
                    .map(|p| EuActor {
                        // names only serve the explanation
                        name: if params.explain {
                            sc.actors[p.actor].name.clone()
                        } else {
                            String::new()
                        },
                        capability: p.power,
                        position: p.position,
                        salience: p.salience,
                    })
                    .collect();
                let ep = EuParams {
                    mode: self.mode,
                    rounds: params.rounds,
                    ..EuParams::default()
                };
                // the round records only serve the explanation
                let r: EuRun = match run_in(&actors, &ep, params.explain, &mut scratch) {
                    Ok(r) => r,
                    Err(e) => {
                        return IssueForecast::not_covered(
                            is.issue,
                            format!("the expected-utility model cannot run: {e}"),
                        )
                    }
                };
                let x = r.forecast.median.clamp(is.min, is.max);
                let pivot = r
                    .final_positions
                    .iter()
                    .position(|&p| p == r.forecast.median)
                    .map(|i| is.players[i].actor);
                let mut f = IssueForecast::settles(is.issue, x, pivot.into_iter().collect());
                if params.explain {
                    for round in &r.rounds {
                        for l in r.describe_round(round.round).unwrap_or_default() {
                            f.explanation.push(format!("round {}: {l}", round.round));
                        }
                    }
                    f.explanation.push(format!(
                        "stopped: {}; weighted median of the final positions {}, weighted mean {}",
                        r.stop.in_words(),
                        crate::fmt_pos(r.forecast.median),
                        crate::fmt_pos(r.forecast.mean)
                    ));
                    f.trace = serde_json::to_value(&r).ok();
                }
                f
            })
            .collect()
    }
}
