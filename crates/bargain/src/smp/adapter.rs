//! The SMP as a brink [`Model`]: one joint run over all the scenario's issues (its dimensions).
//!
//! Mapping a scenario onto KTAB's inputs:
//! - positions are rescaled from each issue's scale to [0, 1] and the forecast back;
//! - KTAB's saliences are shares of an actor's attention (summing to at most 1 over the
//!   dimensions), brink's are per-issue importance in [0, 1]: an actor's saliences are divided
//!   by their sum when it exceeds 1, so their proportions are kept;
//! - an actor without a stance on an issue takes salience 0 there, at the issue's compromise
//!   position (so it neither pulls on the issue nor offers its own option there);
//! - actors with no salience at all are left out (KTAB needs a positive total), and so are
//!   actors with no stance at all.
//!
//! The forecast per issue is the most probable option of the final state ([`SmpRun::forecast`]).
//! `Params::rounds` does not cap the turns: KTAB's stopping rule and its 100-turn cap apply.

use super::{run_with, SmpActor, SmpParams, SmpRun};
use crate::{IssueForecast, Model, Params};

/// KTAB's spatial model of politics.
#[derive(Debug, Clone, Copy, Default)]
pub struct Smp;

impl Model for Smp {
    fn name(&self) -> &'static str {
        "smp"
    }
    fn summary(&self) -> &'static str {
        "KTAB's spatial model of politics: challenges, bargains and Condorcet elections over all issues jointly"
    }
    fn run(&self, input: &crate::Input<'_>, params: &Params) -> Vec<IssueForecast> {
        let sc = input.scenario;
        let n_issues = input.issues.len();
        let mut pos = vec![vec![f64::NAN; n_issues]; sc.actors.len()];
        let mut sal = vec![vec![0.0; n_issues]; sc.actors.len()];
        let mut power = vec![0.0f64; sc.actors.len()];
        let mut has = vec![false; sc.actors.len()];
        for is in &input.issues {
            let w = is.max - is.min;
            for p in &is.players {
                pos[p.actor][is.issue] = (p.position - is.min) / w;
                sal[p.actor][is.issue] = p.salience;
                power[p.actor] = power[p.actor].max(p.power);
                has[p.actor] = true;
            }
            let fill = crate::compromise::weighted_mean(&is.players, crate::Player::weight)
                .map(|(x, _)| (x - is.min) / w)
                .unwrap_or(0.5);
            for row in pos.iter_mut() {
                if row[is.issue].is_nan() {
                    row[is.issue] = fill;
                }
            }
        }
        let mut actors = Vec::new();
        let mut who = Vec::new();
        for a in 0..sc.actors.len() {
            let total: f64 = sal[a].iter().sum();
            if !has[a] || total <= 0.0 {
                continue;
            }
            let k = if total > 1.0 { 1.0 / total } else { 1.0 };
            actors.push(SmpActor {
                name: sc.actors[a].name.clone(),
                power: power[a],
                positions: pos[a].iter().map(|x| x.clamp(0.0, 1.0)).collect(),
                saliences: sal[a].iter().map(|s| s * k).collect(),
            });
            who.push(a);
        }
        if actors.is_empty() {
            return input
                .issues
                .iter()
                .map(|is| {
                    IssueForecast::not_covered(is.issue, "no actor attaches salience to any issue")
                })
                .collect();
        }
        // the turn-by-turn history is only needed to explain
        let result = match run_with(&actors, n_issues, &SmpParams::default(), params.explain) {
            Ok(r) => r,
            Err(e) => {
                return input
                    .issues
                    .iter()
                    .map(|is| {
                        IssueForecast::not_covered(is.issue, format!("the SMP cannot run: {e}"))
                    })
                    .collect()
            }
        };
        input
            .issues
            .iter()
            .map(|is| {
                let x = is.min + result.forecast[is.issue] * (is.max - is.min);
                let last = result.states.last().expect("a run has a state");
                let best = last
                    .options
                    .iter()
                    .max_by(|a, b| a.prob.total_cmp(&b.prob))
                    .map(|o| who[o.representative]);
                let mut f = IssueForecast::settles(
                    is.issue,
                    x.clamp(is.min, is.max),
                    best.into_iter().collect(),
                );
                if params.explain {
                    f.explanation = explain(&result, &who, sc, is.issue, is.min, is.max);
                    if is.issue == 0 {
                        f.trace = serde_json::to_value(&result).ok();
                    }
                }
                f
            })
            .collect()
    }
}

fn explain(
    r: &SmpRun,
    who: &[usize],
    sc: &brink_scenario::Scenario,
    d: usize,
    lo: f64,
    hi: f64,
) -> Vec<String> {
    let name = |i: usize| sc.actors[who[i]].name.as_str();
    let at = |x: f64| crate::fmt_pos(lo + x * (hi - lo));
    let mut out = Vec::new();
    for t in &r.turns {
        let mut moves = Vec::new();
        for res in &t.resolutions {
            let before = r.states[t.turn].positions[res.actor][d];
            let after = r.states[t.turn + 1].positions[res.actor][d];
            if (after - before).abs() > 0.0 {
                let why = match res.adopted_from {
                    Some(i) if i == res.actor => "its own challenge's bargain".to_string(),
                    Some(i) => format!("the bargain {} offered", name(i)),
                    None => "its queue".to_string(),
                };
                moves.push(format!(
                    "{} {} -> {} ({why})",
                    name(res.actor),
                    at(before),
                    at(after)
                ));
            }
        }
        if !moves.is_empty() {
            out.push(format!("turn {}: {}", t.turn + 1, moves.join("; ")));
        }
    }
    let last = r.states.last().expect("a run has a state");
    let mut ranked: Vec<&super::SmpOutcomeOption> = last.options.iter().collect();
    ranked.sort_by(|a, b| b.prob.total_cmp(&a.prob));
    let mut opts: Vec<String> = ranked
        .into_iter()
        .map(|o| {
            format!(
                "{} at {} with probability {:.3}",
                name(o.representative),
                at(last.positions[o.representative][d]),
                o.prob
            )
        })
        .collect();
    opts.truncate(4);
    out.push(format!(
        "after {} turns ({}); most probable outcomes: {}",
        r.turns.len(),
        r.stop.in_words(),
        opts.join(", ")
    ));
    out
}
