//! The exchange model as a brink [`Model`]: one run over all the scenario's issues.
//!
//! Mapping: actors and issues by id; each issue's scale is its `lower`..`upper`; a stance's power
//! is its own or its actor's. Stances with zero salience are left out (they weigh nothing in the
//! outcome and the model's gains divide by them), and issues without a stance are not covered.
//! `Params::rounds` rounds, ties broken by ChaCha8 seeded with `Params::seed`, float64 arithmetic.

use super::{run, run_outcomes, ExIssue, ExStance, ExchangeInput, ExchangeParams, TieBreak};
use crate::{IssueForecast, Model, Params};

/// Stokman's exchange model, equal-gain variant.
#[derive(Debug, Clone, Copy, Default)]
pub struct Exchange;

impl Model for Exchange {
    fn name(&self) -> &'static str {
        "exchange"
    }
    fn summary(&self) -> &'static str {
        "Stokman's exchange model (equal gain): actors trade positions across issues they weigh differently"
    }
    fn run(&self, input: &crate::Input<'_>, params: &Params) -> Vec<IssueForecast> {
        let sc = input.scenario;
        let covered: Vec<usize> = input
            .issues
            .iter()
            .filter(|is| is.players.iter().any(|p| p.salience > 0.0))
            .map(|is| is.issue)
            .collect();
        let ex = ExchangeInput {
            actors: sc.actors.iter().map(|a| a.id.clone()).collect(),
            issues: covered
                .iter()
                .map(|&k| ExIssue {
                    name: sc.issues[k].id.clone(),
                    lower: sc.issues[k].min,
                    upper: sc.issues[k].max,
                })
                .collect(),
            stances: covered
                .iter()
                .flat_map(|&k| {
                    input.issues[k]
                        .players
                        .iter()
                        .filter(|p| p.salience > 0.0)
                        .map(move |p| ExStance {
                            actor: sc.actors[p.actor].id.clone(),
                            issue: sc.issues[k].id.clone(),
                            position: p.position,
                            salience: p.salience,
                            power: p.power,
                        })
                })
                .collect(),
        };
        let xp = ExchangeParams {
            rounds: params.rounds,
            tie_break: TieBreak::Seeded(params.seed),
            ..ExchangeParams::default()
        };
        // (outcomes, the run's record when explanations are asked for)
        let result = if covered.is_empty() {
            Err("no issue has an actor with salience".to_string())
        } else if params.explain {
            run(&ex, &xp)
                .map(|r| (r.final_outcomes.clone(), Some(r)))
                .map_err(|e| e.to_string())
        } else {
            run_outcomes(&ex, &xp)
                .map(|o| (o, None))
                .map_err(|e| e.to_string())
        };
        let name = |id: &str| {
            sc.actor_index(id)
                .map_or(id.to_string(), |a| sc.actors[a].name.clone())
        };
        let issue_name = |id: &str| {
            sc.issue_index(id)
                .map_or(id.to_string(), |k| sc.issues[k].name.clone())
        };
        input
            .issues
            .iter()
            .map(|is| {
                let (outcomes, record) = match &result {
                    Err(e) => return IssueForecast::not_covered(is.issue, format!("the exchange model cannot run: {e}")),
                    Ok(r) => r,
                };
                let Some(pos) = covered.iter().position(|&k| k == is.issue) else {
                    return IssueForecast::not_covered(is.issue, "no actor attaches salience to this issue");
                };
                let x = outcomes[pos].clamp(is.min, is.max);
                let id = &sc.issues[is.issue].id;
                let mut f = IssueForecast::settles(is.issue, x, crate::heaviest(&is.players));
                if covered.len() == 1 {
                    f.explanation.push(
                        "one issue only: there is nothing to exchange, so the forecast equals the \
                         compromise model's (the capability x salience weighted mean)"
                            .into(),
                    );
                }
                if let Some(r) = record {
                    for round in &r.rounds {
                        for e in &round.exchanges {
                            if e.i.supply_issue != *id && e.j.supply_issue != *id {
                                continue;
                            }
                            f.explanation.push(format!(
                                "round {}: {} moves on {}, and in return {} moves on {} (expected gain {:.4} each)",
                                round.round,
                                name(&e.i.actor),
                                issue_name(&e.i.supply_issue),
                                name(&e.j.actor),
                                issue_name(&e.j.supply_issue),
                                e.gain
                            ));
                        }
                    }
                    if is.issue == 0 {
                        f.trace = serde_json::to_value(r).ok();
                    }
                }
                f
            })
            .collect()
    }
}
