//! Sensitivity: one-at-a-time swings, expert disagreement, rank correlations.

use brink_bargain::{Model, Params};

use crate::doc::{
    ExpertDisagreement, Header, IssueName, PanelShare, RankCorrelations, ScenarioInfo, Sensitivity,
    Swing, Tornado,
};
use crate::error::Result;
use crate::input::Loaded;
use crate::options::Options;
use crate::worlds::{mix_value, worlds, Use, World};

/// Draws of the expert-disagreement shares.
pub const PANEL_DRAWS: u64 = 4000;

impl Sensitivity {
    /// Which inputs move each forecast of the scenario as it stands: each uncertain input swung
    /// across its range alone, the share of each forecast's variance that experts' disagreement
    /// explains ([`PANEL_DRAWS`] draws, seed 0), and with `opts.draws` (more than one) the rank
    /// correlation of every input with every forecast over that many draws seeded with
    /// `opts.seed`; per crisis, its P(war) under each settlement model and with each input at its
    /// ends ([`crate::views::crisis_sensitivity`], seeded with `opts.seed`). The models run with `opts.rounds` and tie-breaking seed 0. The observer is
    /// not polled (the rank-correlation draws run to the end).
    pub fn run(loaded: &Loaded, opts: &Options) -> Result<Sensitivity> {
        let sc = &loaded.scenario;
        let models = opts.models()?;
        let params = Params {
            rounds: opts.rounds,
            ..Params::default()
        };
        opts.in_pool(|| {
            let ws = worlds(sc, Use::Sensitivity);
            let rank = if opts.draws > 1 {
                brink_montecarlo::sensitivity::rank_correlations(
                    sc, &models, &params, opts.draws, opts.seed,
                )
                .into_iter()
                .map(Into::into)
                .collect()
            } else {
                Vec::new()
            };
            Sensitivity {
                header: Header::new("sensitivity"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(sc),
                issues: sc
                    .issues
                    .iter()
                    .map(|is| IssueName {
                        id: is.id.clone(),
                        name: is.name.clone(),
                    })
                    .collect(),
                models: models.iter().map(|m| m.name().to_string()).collect(),
                tornado: tornado(&ws, &models, &params),
                expert_disagreement: expert_disagreement(&ws, &models, &params, 0),
                rank_correlation: RankCorrelations {
                    draws: opts.draws,
                    seed: opts.seed,
                    inputs: rank,
                },
                crises: (0..sc.crises.len())
                    .map(|ci| {
                        crate::views::crisis_sensitivity(
                            sc,
                            ci,
                            crate::views::SENSITIVITY_DRAWS,
                            opts.seed,
                        )
                    })
                    .collect(),
            }
        })
    }
}

/// The one-at-a-time swings over the worlds. With several worlds, each forecast (on the point
/// estimates, with the input at its low end, at its high end) is the probability-weighted mean
/// of the worlds' (as the mixed forecasts are), an input's range is that of the first world in
/// which it moves the forecast, and an input that moves nothing in a world keeps that world's
/// point forecast there.
pub fn tornado(ws: &[World], models: &[Box<dyn Model>], params: &Params) -> Vec<Tornado> {
    let per: Vec<Vec<Tornado>> = ws
        .iter()
        .map(|w| {
            brink_montecarlo::sensitivity::tornado(&w.scenario, models, params)
                .into_iter()
                .map(Into::into)
                .collect()
        })
        .collect();
    if per.len() == 1 {
        return per.into_iter().next().unwrap_or_default();
    }
    let defined = |x: f64| (!x.is_nan()).then_some(x);
    let mix = |f: &dyn Fn(usize) -> f64| {
        mix_value(
            ws.iter()
                .enumerate()
                .map(|(wi, w)| (w.weight, defined(f(wi)))),
        )
        .unwrap_or(f64::NAN)
    };
    (0..per[0].len())
        .map(|t| {
            let mut keys: Vec<(String, String, (f64, f64))> = Vec::new();
            for p in &per {
                for s in &p[t].swings {
                    if !keys.iter().any(|k| k.0 == s.input) {
                        keys.push((s.input.clone(), s.name.clone(), s.range));
                    }
                }
            }
            let end = |wi: usize, key: &str, high: bool| {
                per[wi][t]
                    .swings
                    .iter()
                    .find(|s| s.input == key)
                    .map_or(per[wi][t].base, |s| if high { s.at_high } else { s.at_low })
            };
            let mut swings: Vec<Swing> = keys
                .into_iter()
                .map(|(input, name, range)| {
                    let at_low = mix(&|wi| end(wi, &input, false));
                    let at_high = mix(&|wi| end(wi, &input, true));
                    Swing {
                        input,
                        name,
                        range,
                        at_low,
                        at_high,
                        swing: at_high - at_low,
                    }
                })
                .filter(|s| s.swing.abs() > 1e-12 || s.at_low.is_nan() != s.at_high.is_nan())
                .collect();
            swings.sort_by(|a, b| {
                b.swing
                    .abs()
                    .total_cmp(&a.swing.abs())
                    .then_with(|| a.input.cmp(&b.input))
            });
            Tornado {
                issue: per[0][t].issue.clone(),
                model: per[0][t].model.clone(),
                base: mix(&|wi| per[wi][t].base),
                swings,
            }
        })
        .collect()
}

/// The expert-disagreement shares over the worlds ([`PANEL_DRAWS`] draws with `seed`). With
/// several worlds, each share is the probability-weighted mean of the worlds' shares (the
/// expected share within a hypothesis).
pub fn expert_disagreement(
    ws: &[World],
    models: &[Box<dyn Model>],
    params: &Params,
    seed: u64,
) -> ExpertDisagreement {
    let per: Vec<Vec<PanelShare>> = ws
        .iter()
        .map(|w| {
            brink_montecarlo::sensitivity::panel_shares(
                &w.scenario,
                models,
                params,
                PANEL_DRAWS,
                seed,
            )
            .into_iter()
            .map(Into::into)
            .collect()
        })
        .collect();
    let shares = if per.len() == 1 {
        per.into_iter().next().unwrap_or_default()
    } else {
        let mut out: Vec<PanelShare> = Vec::new();
        for p in per.iter().flatten() {
            if out
                .iter()
                .any(|o| (&o.issue, &o.model, &o.input) == (&p.issue, &p.model, &p.input))
            {
                continue;
            }
            let share = mix_value(ws.iter().zip(&per).map(|(w, ps)| {
                let s = ps
                    .iter()
                    .find(|x| (&x.issue, &x.model, &x.input) == (&p.issue, &p.model, &p.input))
                    .map_or(0.0, |x| x.share);
                (w.weight, Some(s))
            }))
            .unwrap_or(0.0);
            out.push(PanelShare { share, ..p.clone() });
        }
        out
    };
    ExpertDisagreement {
        draws: PANEL_DRAWS,
        seed,
        shares,
    }
}
