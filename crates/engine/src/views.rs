//! A crisis's three views in a document: the game's quantal response over Monte Carlo draws
//! (the inside view, at the precision estimated on ICB, `brink_calib::LAMBDA`), the ICB
//! reference class (the outside view, when the crisis has an onset section) and their
//! combination by `brink_calib::combine` (the published forecast).
//!
//! Intervals: the game's probabilities carry the 95% Wilson interval of their mean over the
//! draws and the 5-95% spread of the per-draw probabilities; the reference class its 90%
//! Laplace intervals; the combination a 90% interval from the joint draws: each draw's game
//! probabilities combined with a draw of the reference class's log-odds, N(logit p, sd) with sd
//! read off its 90% interval (one standard normal per draw for all three targets; seeded).

use brink_bargain::Params;
use brink_calib::combine::{combine, logit, sigmoid, GAME_MEAN, LAMBDA, WEIGHTS};
use brink_crisis::iig::violence_probabilities;
use brink_montecarlo::run::{CrisisMc, McResult};
use brink_montecarlo::{run::Hooks, McConfig};
use brink_refclass::{Level, OnsetValues, ReferenceClass};
use brink_scenario::Scenario;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::doc::{
    CrisisReport, Interval, NearestCrisis, OutcomeProbabilities, OutcomeShare, ReferenceClassView,
    TargetProbability,
};
use crate::observe::{Observer, Progress, Stage};

/// The ICB violence levels the reference class and the combination speak of.
pub const LEVELS: [&str; 3] = ["no violence", "force short of war", "war"];

/// The z-value of a 90% interval.
const Z90: f64 = 1.644_853_626_951_472_2;

/// `draws` seeded draws of the crises' inputs alone (no bargaining model's distribution), each
/// crisis played as the quantal response equilibrium at [`LAMBDA`].
pub(crate) fn crisis_mc(
    sc: &Scenario,
    params: &Params,
    draws: u64,
    seed: u64,
    observer: &dyn Observer,
) -> McResult {
    let progress = |done: u64, total: u64| {
        observer.progress(&Progress {
            stage: Stage::Draws,
            done,
            total,
        })
    };
    let cancel = || observer.cancelled();
    brink_montecarlo::run(
        sc,
        &[],
        params,
        &McConfig::new(draws, seed).with_crisis_lambda(LAMBDA),
        Hooks {
            progress: Some(&progress),
            stop: None,
            cancel: Some(&cancel),
            keep: None,
        },
    )
}

/// The crises' three views (the game's quantal response, the reference class, their
/// combination) from `draws` draws of the crises' inputs alone ([`crisis_mc`], then [`fill`]):
/// what `run`, `crisis` and `timeline` give their crises without the full Monte Carlo.
pub(crate) fn from_own_draws(
    crises: &mut [CrisisReport],
    sc: &Scenario,
    params: &Params,
    draws: u64,
    seed: u64,
    observer: &dyn Observer,
) {
    let mc = crisis_mc(sc, params, draws, seed, observer);
    fill(crises, sc, &mc, seed);
}

/// The `q`-quantile of sorted values (linear between order statistics).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = q * (sorted.len() - 1) as f64;
    let (i, f) = (h.floor() as usize, h - h.floor());
    let j = (i + 1).min(sorted.len() - 1);
    sorted[i] + f * (sorted[j] - sorted[i])
}

/// The 5-95% spread of values.
fn spread(mut xs: Vec<f64>) -> Option<Interval> {
    xs.retain(|x| x.is_finite());
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    Some(Interval {
        lo: quantile(&xs, 0.05),
        hi: quantile(&xs, 0.95),
    })
}

/// The game's view of one crisis from its Monte Carlo record.
pub(crate) fn game_view(m: &CrisisMc, draws: u64) -> OutcomeProbabilities {
    let mut g = crate::mc::outcome_probabilities(m, draws);
    g.lambda = Some(LAMBDA);
    g.method = Some(format!(
        "each draw's game played as the logit quantal response equilibrium at precision \
         lambda = {LAMBDA} (units of each side's stake; estimated by maximum likelihood on the \
         ICB development crises); probabilities averaged over {} solved draws",
        draws.saturating_sub(m.unsolved)
    ));
    for (k, o) in g.outcomes.iter_mut().enumerate() {
        if k < 7 {
            o.spread = spread(m.per_draw.iter().map(|p| p[k]).collect());
        }
    }
    g
}

/// The reference class of a crisis with an onset section, or why there is none.
fn outside_view(
    sc: &Scenario,
    ci: usize,
) -> std::result::Result<(ReferenceClassView, [f64; 3], [brink_refclass::Interval; 3]), String> {
    let c = &sc.crises[ci];
    let Some(onset) = brink_refclass::onset_from_scenario(c) else {
        return Err(
            "the crisis has no onset section ([crises.onset]): no reference class; the game \
             alone is its forecast"
                .into(),
        );
    };
    let rc = ReferenceClass::builtin(Level::System, Some(sc.as_of))
        .map_err(|e| format!("the reference class cannot be fitted: {e}"))?;
    let v = rc
        .predict(&OnsetValues::System(onset.system.clone()))
        .map_err(|e| format!("the reference class cannot read the onset section: {e}"))?;
    let p = [v.p_violence, v.p_serious_or_war, v.p_war];
    let iv = v.intervals;
    let mut near_given = Vec::new();
    if onset.system.gravity.is_some() {
        near_given.push("gravity".to_string());
    }
    if onset.system.system_level.is_some() {
        near_given.push("system_level".to_string());
    }
    if onset.system.issues.is_some() {
        near_given.push("issues".to_string());
    }
    let share = |p: f64, lo: f64, hi: f64, name: &str| OutcomeShare {
        outcome: name.to_string(),
        p: Some(p),
        interval: Some(Interval {
            lo: lo.clamp(0.0, 1.0),
            hi: hi.clamp(0.0, 1.0),
        }),
        spread: None,
    };
    let view = ReferenceClassView {
        model: v.model.to_string(),
        level: v.level.name().to_string(),
        targets: brink_refclass::TARGETS
            .iter()
            .enumerate()
            .map(|(t, (name, def))| TargetProbability {
                target: name.to_string(),
                definition: def.to_string(),
                p: p[t],
                interval: Interval {
                    lo: iv[t].lo,
                    hi: iv[t].hi,
                },
            })
            .collect(),
        outcomes: vec![
            share(1.0 - p[0], 1.0 - iv[0].hi, 1.0 - iv[0].lo, LEVELS[0]),
            share(
                p[0] - p[2],
                iv[0].lo - iv[2].hi,
                iv[0].hi - iv[2].lo,
                LEVELS[1],
            ),
            share(p[2], iv[2].lo, iv[2].hi, LEVELS[2]),
        ],
        base_rates: v.base_rates.to_vec(),
        nearest: v
            .nearest
            .iter()
            .map(|n| NearestCrisis {
                crisno: n.crisno,
                name: n.name.clone(),
                year: n.year,
                outcome: n.outcome.to_string(),
                distance: n.distance,
                differs: n.differs.clone(),
            })
            .collect(),
        n_crises: v.n_crises,
        before: v.before.map(|d| d.to_string()),
        near_used: v.near_used,
        near_given,
        missing: v.missing.iter().map(|s| s.to_string()).collect(),
        note: v.note.clone(),
    };
    Ok((view, p, iv))
}

/// The combination of the reference class (`p`, intervals `iv`) and the game's draws.
fn combined_view(
    p: [f64; 3],
    iv: [brink_refclass::Interval; 3],
    game: &OutcomeProbabilities,
    m: &CrisisMc,
    draws: u64,
    seed: u64,
) -> OutcomeProbabilities {
    let mut classes = [0.0; 7];
    for (k, o) in game.outcomes.iter().take(7).enumerate() {
        classes[k] = o.p.unwrap_or(f64::NAN);
    }
    let point = combine(p, violence_probabilities(&classes), WEIGHTS, GAME_MEAN).levels;
    let sd: [f64; 3] =
        std::array::from_fn(|t| ((logit(iv[t].hi) - logit(iv[t].lo)) / (2.0 * Z90)).max(0.0));
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6272_696e_6b5f_7266);
    let mut per: [Vec<f64>; 3] = Default::default();
    for d in &m.per_draw {
        // One standard normal per draw (Box-Muller).
        let (u1, u2): (f64, f64) = (rng.gen::<f64>().max(f64::MIN_POSITIVE), rng.gen());
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let r: [f64; 3] = std::array::from_fn(|t| sigmoid(logit(p[t]) + sd[t] * z));
        let c = combine(r, violence_probabilities(d), WEIGHTS, GAME_MEAN).levels;
        for (v, x) in per.iter_mut().zip(c) {
            v.push(x);
        }
    }
    let outcomes = LEVELS
        .iter()
        .enumerate()
        .map(|(k, name)| {
            let valid = point[k].is_finite();
            let interval = spread(std::mem::take(&mut per[k])).map(|s| Interval {
                lo: s.lo.min(point[k]),
                hi: s.hi.max(point[k]),
            });
            OutcomeShare {
                outcome: name.to_string(),
                p: valid.then_some(point[k]),
                interval: if valid { interval } else { None },
                spread: None,
            }
        })
        .collect();
    OutcomeProbabilities {
        method: Some(format!(
            "the game as a likelihood ratio on the reference class's odds: logit p = logit \
             p_refclass + w (logit p_game - logit g), for any violence w = {} (g = {}) and for \
             war w = {} (g = {}), the weights chosen by cross-validation on the ICB development \
             crises; P(VIOL >= 3) the reference class's; 90% intervals from the game's draws \
             and the reference class's coefficients",
            WEIGHTS[0], GAME_MEAN[0], WEIGHTS[1], GAME_MEAN[1]
        )),
        lambda: Some(LAMBDA),
        draws,
        unsolved: m.unsolved,
        unsolved_reason: m.unsolved_reason.clone(),
        outcomes,
    }
}

/// Fills each crisis's three views from a Monte Carlo run whose crises were played at
/// [`LAMBDA`].
pub(crate) fn fill(crises: &mut [CrisisReport], sc: &Scenario, mc: &McResult, seed: u64) {
    for (ci, (c, m)) in crises.iter_mut().zip(&mc.crises).enumerate() {
        let game = game_view(m, mc.draws_done);
        match outside_view(sc, ci) {
            Ok((view, p, iv)) => {
                c.combined = Some(combined_view(p, iv, &game, m, mc.draws_done, seed));
                c.reference_class = Some(view);
                c.reference_class_note = None;
            }
            Err(note) => {
                c.reference_class = None;
                c.reference_class_note = Some(note);
                c.combined = None;
            }
        }
        c.game = Some(game);
    }
}

/// Each crisis's three views from a Monte Carlo run played at [`LAMBDA`], scored against the
/// violence level of the outcome class in `outcomes` (crises without an outcome, or with a class
/// that is not one of the game's, are left out).
pub(crate) fn scored(
    sc: &Scenario,
    outcomes: &brink_scenario::Outcomes,
    mc: &McResult,
    seed: u64,
) -> Vec<crate::doc::CrisisViewsScore> {
    use brink_crisis::standoff::CLASSES;
    let mut reports = blank_reports(sc);
    fill(&mut reports, sc, mc, seed);
    let levels = |o: &OutcomeProbabilities, n: usize| -> Option<Vec<f64>> {
        let p: Vec<f64> = o
            .outcomes
            .iter()
            .take(n)
            .map(|s| s.p.unwrap_or(f64::NAN))
            .collect();
        (p.len() == n && p.iter().all(|x| x.is_finite())).then_some(p)
    };
    let mut out = Vec::new();
    for r in &reports {
        let Some(happened) = outcomes.crises.iter().find(|o| o.crisis == r.crisis) else {
            continue;
        };
        let Some(k) = CLASSES.iter().position(|c| *c == happened.outcome) else {
            continue;
        };
        let level = brink_crisis::iig::CLASS_VIOLENCE[k] as usize;
        let mut views = Vec::new();
        let mut push = |name: &str, p: Vec<f64>| {
            let brier = (0..3)
                .map(|j| (p[j] - (j == level) as u8 as f64).powi(2))
                .sum();
            let war = (level == 2) as u8 as f64;
            views.push(crate::doc::ViewScore {
                view: name.to_string(),
                war_brier: (p[2] - war).powi(2),
                log: p[level].max(1e-3).ln(),
                brier,
                p,
            });
        };
        if let Some(rc) = &r.reference_class {
            let p: Vec<f64> = rc
                .outcomes
                .iter()
                .map(|s| s.p.unwrap_or(f64::NAN))
                .collect();
            if p.len() == 3 && p.iter().all(|x| x.is_finite()) {
                push("reference class", p);
            }
        }
        if let Some(classes) = r.game.as_ref().and_then(|g| levels(g, 7)) {
            let c: [f64; 7] = std::array::from_fn(|j| classes[j]);
            push("game", violence_probabilities(&c).to_vec());
        }
        if let Some(p) = r.combined.as_ref().and_then(|g| levels(g, 3)) {
            push("combined", p);
        }
        out.push(crate::doc::CrisisViewsScore {
            crisis: r.crisis.clone(),
            outcome: happened.outcome.clone(),
            level: LEVELS[level].to_string(),
            views,
        });
    }
    out
}

/// A report per crisis of `sc` with nothing filled.
fn blank_reports(sc: &Scenario) -> Vec<CrisisReport> {
    sc.crises
        .iter()
        .map(|c| CrisisReport {
            crisis: c.id.clone(),
            name: c.name.clone(),
            equilibrium: None,
            error: None,
            game: None,
            reference_class: None,
            reference_class_note: None,
            combined: None,
            tree: None,
        })
        .collect()
}

/// Draws per evaluation of a crisis's sensitivity ([`crisis_sensitivity`]).
pub const SENSITIVITY_DRAWS: u64 = 500;

/// The published P(war) of crisis `ci` of `sc` (the combination, or the game alone without a
/// reference class) over `draws` draws seeded with `seed`; NaN when undefined.
pub fn published_war(sc: &Scenario, ci: usize, draws: u64, seed: u64) -> f64 {
    war_views(sc, ci, draws, seed).0
}

/// The published P(war) of crisis `ci` and the game's alone ([`published_war`]).
pub fn war_views(sc: &Scenario, ci: usize, draws: u64, seed: u64) -> (f64, f64) {
    let params = Params::default();
    let mc = crisis_mc(sc, &params, draws, seed, &crate::observe::Silent);
    let mut reports = blank_reports(sc);
    fill(&mut reports, sc, &mc, seed);
    let game = reports[ci]
        .game
        .as_ref()
        .and_then(|g| g.outcomes.iter().find(|o| o.outcome == "war"))
        .and_then(|o| o.p)
        .unwrap_or(f64::NAN);
    (
        reports[ci].published_war().map_or(f64::NAN, |(p, _)| p),
        game,
    )
}

/// The uncertain inputs that bear on crisis `ci`: its own numbers, its sides' capabilities and
/// the stances on its issues.
pub fn crisis_inputs(sc: &Scenario, ci: usize) -> Vec<brink_montecarlo::InputRef> {
    use brink_montecarlo::InputRef;
    let c = &sc.crises[ci];
    InputRef::uncertain(sc)
        .into_iter()
        .filter(|i| match *i {
            InputRef::Crisis(x, _) => x == ci,
            InputRef::Power(a) => c.challenger.contains(&a) || c.defender.contains(&a),
            _ => i.issue(sc).is_some_and(|k| c.issues.contains(&k)),
        })
        .collect()
}

/// How much of a crisis's published P(war) hangs on the settlement model and on each uncertain
/// input: P(war) with the settlement fixed to each model, and with each input fixed at its low
/// and its high end (the other inputs drawn as usual; the same seed throughout, so that the
/// differences are not noise of the draws). Inputs sorted by swing, largest first.
pub fn crisis_sensitivity(
    sc: &Scenario,
    ci: usize,
    draws: u64,
    seed: u64,
) -> crate::doc::CrisisSensitivity {
    use crate::doc::{CrisisSensitivity, CrisisSwing, SettlementWar};
    let c = &sc.crises[ci];
    let (base, game_base) = war_views(sc, ci, draws, seed);
    let settlement = brink_scenario::UNFIXED_SETTLEMENT_MODELS
        .iter()
        .map(|m| {
            let mut s = sc.clone();
            s.crises[ci].model = m.to_string();
            s.crises[ci].models = vec![(m.to_string(), 1.0)];
            let (p_war, game_p_war) = war_views(&s, ci, draws, seed);
            SettlementWar {
                model: m.to_string(),
                weight: c
                    .models
                    .iter()
                    .find(|(n, _)| n == m)
                    .map_or(0.0, |(_, w)| *w),
                p_war,
                game_p_war,
            }
        })
        .collect();
    let mut swings: Vec<CrisisSwing> = crisis_inputs(sc, ci)
        .into_iter()
        .filter_map(|i| {
            let (lo, hi) = i.dist(sc).range();
            if lo >= hi || lo.is_nan() || hi.is_nan() {
                return None;
            }
            let at = |x: f64| {
                let mut s = sc.clone();
                i.fix(&mut s, x);
                war_views(&s, ci, draws, seed)
            };
            let (a, b) = (at(lo), at(hi));
            Some(CrisisSwing {
                input: i.key(sc),
                name: i.describe(sc),
                range: (lo, hi),
                at_low: a.0,
                at_high: b.0,
                swing: (b.0 - a.0).abs(),
                game_at_low: a.1,
                game_at_high: b.1,
            })
        })
        .collect();
    swings.sort_by(|x, y| y.swing.total_cmp(&x.swing));
    CrisisSensitivity {
        crisis: c.id.clone(),
        name: c.name.clone(),
        draws,
        seed,
        base,
        game_base,
        settlement_fixed: c.models.len() < 2,
        settlement,
        swings,
    }
}
