//! From a scenario's crisis to a game: who the two sides are, what each outcome is worth to each,
//! and the outcome's probabilities, at the equilibrium or with choice errors (the quantal
//! response). The mapping is documented in `docs/crisis-mapping.md`.
//!
//! Each side (one actor or a coalition acting as one) gets, per issue at stake, a position (the
//! capability x salience weighted mean of its members' positions) and a salience (the
//! capability-weighted mean of their saliences). A settlement y (one point per issue) is worth
//! U_S(y) = sum_k s_Sk (1 - |y_k - x_Sk| / range_k) / sum_k s_Sk to side S, in [0, 1]:
//! own = U_S(x_S) = 1, other = U_S(x_O) (the other side's demand met), sq = U_S(q) (the status
//! quo), and the negotiated settlement is the settlement model's forecast f, worth U_S(f). These,
//! the crisis's costs and its red lines (with the probability that each acts at each outcome: a
//! fixed threshold is crossed or not; an uncertain one with the probability that it lies between
//! the actor's position and the settlement, `crossing_probability`) are the game's inputs
//! ([`iig_inputs`]); [`crate::iig::iig_game`] turns them into utilities under the crisis's mapping
//! (1, the original: units of the whole range, red lines that make war preferred by 0.01; 2, the
//! revised: units of each side's stake, audience costs on every climb-down, deal and sanctions
//! costs, red lines as commitments that leave something to chance).
//!
//! Entry points: [`forecast`] and [`forecast_private`] (certified equilibria), [`forecast_qre`],
//! [`forecast_private_qre`] and [`outcome_probabilities_qre`] (logit quantal response at a
//! precision `lambda` in units of each side's stake), [`outcome_probabilities`] (the fast path the
//! Monte Carlo uses), [`mix_outcomes`] (a weighted choice of settlement models).
//!
//! # References
//! Bueno de Mesquita and Lalman (1992); Fearon (1994, 1995); Schelling (1960); Signorino (1999);
//! McKelvey and Palfrey (1998) (see `docs/crisis-mapping.md`).

use brink_scenario::{
    Crisis, CrisisKey, CrisisTemplate, Dist, RedLineTrigger, Scenario, Uncertain, Values,
};
use serde::Serialize;

use crate::analysis::{outcome_classes, solve};
use crate::game::{Game, NodeKind, Owner};
use crate::iig::{
    classes_of, iig_game, iig_qre_outcomes, iig_spe_outcomes, iig_tree_of, IigInputs, IigOutcome,
    IigRedLine, IigSideInputs,
};
use crate::num::rational_from_f64;
use crate::pbe::OffPathBelief;
use crate::qre::{solve_qre_per_player, QreSolution};
use crate::templates::{escalation_ladder, LadderParams, OutcomeClass};
use crate::{CrisisError, Result};

pub use crate::iig::RED_LINE_MARGIN;

/// One side's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Side {
    /// Member actors' names.
    pub members: Vec<String>,
    /// Per issue at stake: the side's position (None if no member has a stance).
    pub position: Vec<Option<f64>>,
    /// Per issue at stake: its salience.
    pub salience: Vec<f64>,
    /// Utility of the status quo.
    pub sq: f64,
    /// Utility of the other side's demand met.
    pub other: f64,
    /// Utility of the negotiated settlement.
    pub neg: f64,
}

/// The game of a crisis and how it was built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Built {
    /// The game (player 0: challenger, player 1: defender).
    pub game: Game,
    /// Challenger and defender.
    pub sides: [Side; 2],
    /// The negotiated settlement per issue at stake.
    pub settlement: Vec<f64>,
    /// Red lines crossed, in words, with the outcome they apply to.
    pub red_lines: Vec<String>,
}

/// The outcome classes in words.
pub fn class_name(c: Option<OutcomeClass>) -> &'static str {
    match c {
        Some(OutcomeClass::War) => "war",
        Some(OutcomeClass::Negotiation) => "negotiated settlement",
        Some(OutcomeClass::StatusQuo) => "status quo",
        Some(OutcomeClass::Acquiescence(0)) => "challenger acquiesces",
        Some(OutcomeClass::Acquiescence(_)) => "defender acquiesces",
        Some(OutcomeClass::Capitulation(0)) => "challenger capitulates",
        Some(OutcomeClass::Capitulation(_)) => "defender capitulates",
        None => "other",
    }
}

/// An outcome's label in words for a reader: the classes of the International Interaction Game
/// in full (`NEG` -> "negotiated settlement", `ACQ_B` -> "defender acquiesces", `WAR_A` -> "war
/// (the challenger strikes first)"); any other label as the game names it.
pub fn outcome_words(label: &str) -> String {
    let up = label.to_ascii_uppercase();
    match crate::templates::classify_outcome(label) {
        Some(OutcomeClass::War) if up == "WAR_A" => "war (the challenger strikes first)".into(),
        Some(OutcomeClass::War) if up == "WAR_B" => "war (the defender strikes first)".into(),
        Some(c) => class_name(Some(c)).into(),
        None => label.to_string(),
    }
}

/// A move's label in words: `CounterDemand` -> "counter-demand", `NoForce` -> "no force";
/// labels that are not one CamelCase word are kept as written.
pub fn action_words(action: &str) -> String {
    let camel = !action.is_empty()
        && action.chars().all(|c| c.is_ascii_alphanumeric())
        && action
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_uppercase())
        && action.chars().skip(1).any(|c| c.is_ascii_lowercase());
    if !camel {
        return action.to_string();
    }
    let mut words: Vec<String> = Vec::new();
    for c in action.chars() {
        if c.is_ascii_uppercase() || words.is_empty() {
            words.push(c.to_ascii_lowercase().to_string());
        } else if let Some(w) = words.last_mut() {
            w.push(c);
        }
    }
    let mut out = String::new();
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            out.push(if words[i - 1] == "counter" { '-' } else { ' ' });
        }
        out.push_str(w);
    }
    out
}

/// Every outcome class, in the order reports list them.
pub const CLASSES: [&str; 7] = [
    "war",
    "negotiated settlement",
    "status quo",
    "challenger acquiesces",
    "defender acquiesces",
    "challenger capitulates",
    "defender capitulates",
];

fn side(sc: &Scenario, v: &Values, c: &Crisis, members: &[usize]) -> (Vec<Option<f64>>, Vec<f64>) {
    let mut pos = Vec::new();
    let mut sal = Vec::new();
    for &k in &c.issues {
        let (mut wx, mut w, mut cs, mut cc, mut n, mut plain) = (0.0, 0.0, 0.0, 0.0, 0, 0.0);
        for (j, st) in sc.stances.iter().enumerate() {
            if st.issue != k || !members.contains(&st.actor) {
                continue;
            }
            let cap = v.stance_power[j].unwrap_or(v.power[st.actor]);
            wx += cap * v.salience[j] * v.position[j];
            w += cap * v.salience[j];
            cs += cap * v.salience[j];
            cc += cap;
            n += 1;
            plain += v.position[j];
        }
        pos.push((n > 0).then(|| if w > 0.0 { wx / w } else { plain / n as f64 }));
        sal.push(if cc > 0.0 { cs / cc } else { 0.0 });
    }
    (pos, sal)
}

fn utility(sc: &Scenario, c: &Crisis, pos: &[Option<f64>], sal: &[f64], y: &[f64]) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for (i, &k) in c.issues.iter().enumerate() {
        let Some(x) = pos[i] else { continue };
        let range = sc.issues[k].max - sc.issues[k].min;
        num += sal[i] * (1.0 - (y[i] - x).abs() / range);
        den += sal[i];
    }
    if den > 0.0 {
        num / den
    } else {
        0.5
    }
}

fn param(c: &Crisis, v: &Values, ci: usize, key: CrisisKey) -> Option<f64> {
    c.params
        .iter()
        .position(|p| p.key == key)
        .map(|i| v.crisis[ci][i])
}

/// What is at stake in a crisis under one set of values: per issue at stake, the status quo, the
/// negotiated settlement and each side's demand; and each side's numbers.
struct Stakes {
    q: Vec<f64>,
    f: Vec<f64>,
    xc: Vec<f64>,
    xd: Vec<f64>,
    sides: [Side; 2],
}

fn stakes(sc: &Scenario, v: &Values, c: &Crisis, settlement: &[Option<f64>]) -> Stakes {
    let q: Vec<f64> = c
        .issues
        .iter()
        .map(|&k| v.status_quo[k].unwrap_or(sc.issues[k].min))
        .collect();
    let f: Vec<f64> = c
        .issues
        .iter()
        .enumerate()
        .map(|(i, &k)| settlement[k].unwrap_or(q[i]))
        .collect();
    let (pc, sc_) = side(sc, v, c, &c.challenger);
    let (pd, sd) = side(sc, v, c, &c.defender);
    // A side's demand on an issue where it has no stance: the status quo.
    let demand = |p: &[Option<f64>]| -> Vec<f64> {
        p.iter().zip(&q).map(|(x, q)| x.unwrap_or(*q)).collect()
    };
    let (xc, xd) = (demand(&pc), demand(&pd));
    let u = |p: &[Option<f64>], s: &[f64], y: &[f64]| utility(sc, c, p, s, y);
    let names = |m: &[usize]| {
        m.iter()
            .map(|&a| sc.actors[a].name.clone())
            .collect::<Vec<_>>()
    };
    let sides = [
        Side {
            members: names(&c.challenger),
            position: pc.clone(),
            salience: sc_.clone(),
            sq: u(&pc, &sc_, &q),
            other: u(&pc, &sc_, &xd),
            neg: u(&pc, &sc_, &f),
        },
        Side {
            members: names(&c.defender),
            position: pd.clone(),
            salience: sd.clone(),
            sq: u(&pd, &sd, &q),
            other: u(&pd, &sd, &xc),
            neg: u(&pd, &sd, &f),
        },
    ];
    Stakes {
        q,
        f,
        xc,
        xd,
        sides,
    }
}

/// A crisis input that must be given.
fn need(c: &Crisis, v: &Values, ci: usize, key: CrisisKey) -> Result<f64> {
    param(c, v, ci, key).ok_or(CrisisError::InvalidParameter {
        name: key.name(),
        message: format!(
            "crisis `{}` needs `{}` ({})",
            c.id,
            key.name(),
            key.describe()
        ),
    })
}

/// Builds crisis `ci`'s game from the values of a run and the bargaining forecast per scenario
/// issue (`settlement[k]`, `None` where the model does not cover the issue: the status quo
/// stands in).
pub fn build(sc: &Scenario, v: &Values, ci: usize, settlement: &[Option<f64>]) -> Result<Built> {
    let c = &sc.crises[ci];
    let Stakes { f, sides, .. } = stakes(sc, v, c, settlement);
    let get = |key: CrisisKey| param(c, v, ci, key);
    let need = |key: CrisisKey| need(c, v, ci, key);
    let mut crossed = Vec::new();
    let mut game = match &c.template {
        CrisisTemplate::Iig => {
            // The IIG's utilities, red lines included, come from one place: [`iig_game`].
            let (inputs, lines) =
                iig_inputs_explained(sc, v, ci, settlement)?.expect("an IIG crisis has IIG inputs");
            crossed = lines;
            let tree = iig_tree_of(&iig_game(&inputs), &|_, _| None)?;
            Game::from_tree("International Interaction Game", &["A", "B"], tree)?
        }
        CrisisTemplate::Ladder { rungs } => escalation_ladder(&LadderParams {
            rungs: *rungs,
            stake: 1.0,
            p_win_a: need(CrisisKey::PWin)?,
            war_cost: [
                need(CrisisKey::WarCostChallenger)?,
                need(CrisisKey::WarCostDefender)?,
            ],
            audience_cost: [
                get(CrisisKey::AudienceCostChallenger).unwrap_or(0.0),
                get(CrisisKey::AudienceCostDefender).unwrap_or(0.0),
            ],
        })?,
        CrisisTemplate::Efg { text } => crate::efg::read_efg(text)?,
        _ => {
            return Err(CrisisError::Unsupported(format!(
                "crisis `{}`: this template is not known to this build",
                c.id
            )))
        }
    };
    let short = |m: &[String]| match m.len() {
        0 => String::new(),
        1 => m[0].clone(),
        2 => format!("{} and {}", m[0], m[1]),
        n => format!("{} and {} allies", m[0], n - 1),
    };
    game.players = vec![
        format!("Challenger ({})", short(&sides[0].members)),
        format!("Defender ({})", short(&sides[1].members)),
    ];
    Ok(Built {
        game,
        sides,
        settlement: f,
        red_lines: crossed,
    })
}

/// A crisis's forecast under one set of values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisForecast {
    /// The crisis's id.
    pub crisis: String,
    /// The solution concept used.
    pub concept: String,
    /// Number of equilibria (ties allow several; each counts equally in the probabilities).
    pub equilibria: usize,
    /// Probability of each outcome class (averaged over the equilibria, each weighted equally).
    pub outcomes: Vec<(String, f64)>,
    /// The first equilibrium's path, in words.
    pub path: Vec<String>,
    /// The largest regret of any player at any information set over the reported equilibria
    /// (0 for an equilibrium; the certificate).
    pub max_regret: f64,
    /// How the game was built.
    pub built: Built,
}

/// Solves the built game and summarises it.
pub fn forecast(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<CrisisForecast> {
    let built = build(sc, v, ci, settlement)?;
    let sol = solve::<f64>(&built.game, OffPathBelief::Supporting)?;
    let k = sol.equilibria.len().max(1) as f64;
    let mut probs: Vec<(String, f64)> = CLASSES.iter().map(|c| (c.to_string(), 0.0)).collect();
    let mut other = 0.0;
    let mut regret: f64 = 0.0;
    for eq in &sol.equilibria {
        regret = regret.max(eq.certificate.max_regret);
        for (cls, p) in outcome_classes(eq) {
            let name = class_name(cls);
            match probs.iter_mut().find(|(n, _)| n == name) {
                Some((_, x)) => *x += p / k,
                None => other += p / k,
            }
        }
    }
    if other > 0.0 {
        probs.push(("other".into(), other));
    }
    let path = sol
        .equilibria
        .first()
        .map(|eq| path_in_words(&built.game, &eq.path))
        .unwrap_or_default();
    Ok(CrisisForecast {
        crisis: sc.crises[ci].id.clone(),
        concept: format!("{:?}", sol.concept),
        equilibria: sol.equilibria.len(),
        outcomes: probs,
        path,
        max_regret: regret,
        built,
    })
}

/// The moves along a path, in words: for each node reached, who moved into it and how, and the
/// outcome at each leaf (a path through a chance move lists every branch it follows).
pub fn path_in_words(game: &Game, path: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    for &n in path {
        let node = &game.nodes[n];
        if let Some((parent, a)) = node.parent {
            if let Some(infoset) = game.nodes[parent].infoset() {
                let is = &game.infosets[infoset];
                let who = match is.owner {
                    Owner::Player(p) => game.players.get(p).cloned().unwrap_or_default(),
                    Owner::Chance => "chance".into(),
                };
                out.push(format!(
                    "{who}: {}",
                    action_words(is.actions.get(a).map_or("", String::as_str))
                ));
            }
        }
        if matches!(node.kind, NodeKind::Terminal) {
            if let Some(o) = node.outcome {
                out.push(format!(
                    "outcome: {}",
                    outcome_words(&game.outcomes[o].label)
                ));
            }
        }
    }
    out
}

/// The eight outcome labels of the International Interaction Game with [challenger, defender]
/// utilities.
pub type IigPayoffs = Vec<(&'static str, [f64; 2])>;

/// The eight outcome utilities of a crisis played as the International Interaction Game,
/// computed in floating point by the formulas [`build`] uses ([`iig_game`]): (label,
/// [challenger, defender]), the payoffs of each outcome where no red line acts (in mapping 1, with
/// the red lines' preference for war included). `None` for other templates.
pub fn iig_payoffs(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Option<IigPayoffs>> {
    Ok(iig_inputs(sc, v, ci, settlement)?.map(|x| {
        let g = iig_game(&x);
        IigOutcome::ALL
            .iter()
            .map(|o| (o.label(), g.payoffs[*o as usize]))
            .collect()
    }))
}

/// The inputs of crisis `ci`'s International Interaction Game under the values `v` and the
/// bargaining forecast per scenario issue (`settlement[k]`): each side's utilities, costs and the
/// red lines with the probability that each acts at each outcome (see `docs/crisis-mapping.md`).
/// `None` for other templates. Feed them to [`iig_game`] (the exact utilities),
/// [`crate::iig::iig_outcome_probabilities`] (the quantal response) and the solvers.
pub fn iig_inputs(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Option<IigInputs>> {
    Ok(iig_inputs_explained(sc, v, ci, settlement)?.map(|(x, _)| x))
}

/// The cumulative distribution function of an uncertain number at `x` (a fixed value: a step at
/// its point).
pub fn uncertain_cdf(u: &Uncertain, x: f64) -> f64 {
    match u.dist {
        Dist::Fixed => {
            if x >= u.point {
                1.0
            } else {
                0.0
            }
        }
        Dist::Uniform { lo, hi } => {
            if hi <= lo {
                f64::from(x >= lo)
            } else {
                ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
            }
        }
        Dist::Triangular { lo, mode, hi } => {
            if x <= lo {
                0.0
            } else if x >= hi {
                1.0
            } else if x <= mode {
                (x - lo) * (x - lo) / ((hi - lo) * (mode - lo))
            } else {
                1.0 - (hi - x) * (hi - x) / ((hi - lo) * (hi - mode))
            }
        }
        Dist::Normal { mean, sd, lo, hi } => {
            if x <= lo {
                return 0.0;
            }
            if x >= hi {
                return 1.0;
            }
            let phi = |z: f64| 0.5 * libm::erfc(-z / std::f64::consts::SQRT_2);
            let (a, b) = (phi((lo - mean) / sd), phi((hi - mean) / sd));
            if b > a {
                ((phi((x - mean) / sd) - a) / (b - a)).clamp(0.0, 1.0)
            } else {
                f64::from(x >= mean)
            }
        }
        Dist::Beta {
            alpha,
            beta,
            lo,
            hi,
        } => {
            if hi <= lo {
                f64::from(x >= lo)
            } else {
                crate::fearon::incomplete_beta((x - lo) / (hi - lo), alpha, beta)
            }
        }
        Dist::Mixture { ref components } => components
            .iter()
            .map(|(w, c)| w * uncertain_cdf(c, x))
            .sum(),
        _ => f64::from(x >= u.point),
    }
}

/// The mean of an uncertain number (a pool: the weighted mean of its estimates' means).
pub fn uncertain_mean(u: &Uncertain) -> f64 {
    match u.dist {
        Dist::Fixed => u.point,
        Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
        Dist::Triangular { lo, mode, hi } => (lo + mode + hi) / 3.0,
        Dist::Normal { mean, sd, lo, hi } => {
            let phi = |z: f64| 0.5 * libm::erfc(-z / std::f64::consts::SQRT_2);
            let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
            let (a, b) = ((lo - mean) / sd, (hi - mean) / sd);
            let z = phi(b) - phi(a);
            let pa = if a.is_finite() { pdf(a) } else { 0.0 };
            let pb = if b.is_finite() { pdf(b) } else { 0.0 };
            if z > 0.0 {
                (mean + sd * (pa - pb) / z).clamp(lo, hi)
            } else {
                mean.clamp(lo, hi)
            }
        }
        Dist::Beta {
            alpha,
            beta,
            lo,
            hi,
        } => lo + (hi - lo) * alpha / (alpha + beta),
        Dist::Mixture { ref components } => {
            components.iter().map(|(w, c)| w * uncertain_mean(c)).sum()
        }
        _ => u.point,
    }
}

/// The probability that a settlement at `y` crosses a red line whose threshold is `threshold`,
/// seen from the actor's own position `own`: that the threshold lies strictly between the two,
/// `F(max) − F(min)` (for a fixed threshold: 1 when `y` lies beyond it, else 0).
pub fn crossing_probability(threshold: &Uncertain, own: f64, y: f64) -> f64 {
    if let Dist::Fixed = threshold.dist {
        let t = threshold.point;
        return f64::from((own - t) * (y - t) < 0.0);
    }
    let (lo, hi) = if own < y { (own, y) } else { (y, own) };
    // Strictly between: F(hi-) - F(lo); continuous distributions have no atoms.
    (uncertain_cdf(threshold, hi) - uncertain_cdf(threshold, lo)).clamp(0.0, 1.0)
}

/// [`iig_inputs`] with the red lines that act, in words.
fn iig_inputs_explained(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Option<(IigInputs, Vec<String>)>> {
    let c = &sc.crises[ci];
    if !matches!(c.template, CrisisTemplate::Iig) {
        return Ok(None);
    }
    let Stakes {
        q,
        f,
        xc,
        xd,
        sides,
    } = stakes(sc, v, c, settlement);
    let get = |key: CrisisKey| param(c, v, ci, key);
    let need = |key: CrisisKey| need(c, v, ci, key);
    let side = |s: usize| -> Result<IigSideInputs> {
        let (war, cap, aud, deal, sanc) = if s == 0 {
            (
                CrisisKey::WarCostChallenger,
                CrisisKey::CapitulationCostChallenger,
                CrisisKey::AudienceCostChallenger,
                CrisisKey::DealCostChallenger,
                CrisisKey::SanctionsCostChallenger,
            )
        } else {
            (
                CrisisKey::WarCostDefender,
                CrisisKey::CapitulationCostDefender,
                CrisisKey::AudienceCostDefender,
                CrisisKey::DealCostDefender,
                CrisisKey::SanctionsCostDefender,
            )
        };
        Ok(IigSideInputs {
            sq: sides[s].sq,
            other: sides[s].other,
            neg: sides[s].neg,
            war_cost: need(war)?,
            capitulation_cost: get(cap).unwrap_or(0.0),
            audience_cost: get(aud).unwrap_or(0.0),
            deal_cost: get(deal).unwrap_or(0.0),
            sanctions_cost: get(sanc).unwrap_or(0.0),
        })
    };
    let p_win = need(CrisisKey::PWin)?;
    let sides_in = [side(0)?, side(1)?];
    let mut red = Vec::new();
    let mut words = Vec::new();
    for rl in &c.red_lines {
        let s = usize::from(!c.challenger.contains(&rl.actor));
        let i = c
            .issues
            .iter()
            .position(|&k| k == rl.issue)
            .expect("validated: the issue is at stake");
        let actor = &sc.actors[rl.actor].name;
        let issue = &sc.issues[rl.issue].name;
        let mut probability = [0.0; 8];
        let carried = uncertain_mean(&rl.probability).clamp(0.0, 1.0);
        match (rl.trigger, &rl.threshold) {
            (RedLineTrigger::Settlement, Some(th)) => {
                let Some(own_pos) = sc
                    .stances
                    .iter()
                    .enumerate()
                    .find(|(_, st)| st.actor == rl.actor && st.issue == rl.issue)
                    .map(|(j, _)| v.position[j])
                else {
                    continue;
                };
                let other_d = if s == 0 { &xd } else { &xc };
                for (o, y) in [
                    (IigOutcome::Sq, q[i]),
                    (IigOutcome::Neg, f[i]),
                    (IigOutcome::acq(s), other_d[i]),
                    (IigOutcome::cap(s), other_d[i]),
                ] {
                    let label = o.label();
                    if c.mapping == 1 {
                        let t = th.point;
                        if (own_pos - t) * (y - t) < 0.0 {
                            probability[o as usize] = 1.0;
                            words.push(format!(
                                "{actor}'s red line on {issue} ({} at {t}) is crossed by the outcome {label}: {actor} prefers war to it",
                                rl.action
                            ));
                        }
                    } else {
                        let p = crossing_probability(th, own_pos, y) * carried;
                        probability[o as usize] = p;
                        if p > 0.0 {
                            words.push(format!(
                                "{actor}'s red line on {issue} ({} beyond {}) acts at the outcome {label} with probability {p:.3} (settlement {y:.4})",
                                rl.action,
                                describe_threshold(th)
                            ));
                        }
                    }
                }
            }
            _ => {
                // Set off by the other side's force: it acts where the side would give in to it.
                let o = IigOutcome::cap(s);
                probability[o as usize] = carried;
                if carried > 0.0 {
                    words.push(format!(
                        "{actor}'s red line on {issue} (answering the other side's force with {}) acts at {} with probability {carried:.3}",
                        rl.action,
                        o.label()
                    ));
                }
            }
        }
        red.push(IigRedLine {
            side: s,
            action: rl.action,
            probability,
        });
    }
    Ok(Some((
        IigInputs {
            sides: sides_in,
            p_win,
            first_strike_cost: get(CrisisKey::FirstStrikeCost).unwrap_or(0.0),
            mapping: c.mapping,
            red_lines: red,
        },
        words,
    )))
}

/// A threshold in words: its point and, if uncertain, its range.
fn describe_threshold(u: &Uncertain) -> String {
    if u.is_uncertain() {
        let (lo, hi) = u.range();
        format!("{} (range {lo} to {hi})", u.point)
    } else {
        format!("{}", u.point)
    }
}

/// The International Interaction Game solved directly in floating point, for Monte Carlo:
/// backward induction over the fixed 13-leaf tree (models.md section 5) on the utilities of
/// [`iig_payoffs`]. `None` when any comparison on the way is a tie (within 1e-12), so that the
/// caller falls back to [`forecast`], which reports every equilibrium the ties allow. Tested
/// against [`forecast`] on random draws.
pub fn iig_outcome_fast(payoffs: &[(&'static str, [f64; 2])]) -> Option<&'static str> {
    let u = |label: &str, p: usize| -> Option<f64> {
        payoffs.iter().find(|o| o.0 == label).map(|o| o.1[p])
    };
    let tie = |a: f64, b: f64| (a - b).abs() <= 1e-12 * (1.0 + a.abs() + b.abs());
    let pick = |p: usize, x: &'static str, y: &'static str| -> Option<&'static str> {
        let (a, b) = (u(x, p)?, u(y, p)?);
        if tie(a, b) {
            None
        } else if a > b {
            Some(x)
        } else {
            Some(y)
        }
    };
    let n8 = pick(0, "WAR_B", "CAP_A")?; // A: retaliate or give in (also node 12)
    let n10 = pick(1, "WAR_A", "CAP_B")?; // B: retaliate or give in (also node 11)
    let n7 = pick(0, n10, "NEG")?; // A: force (-> 11) or not
    let n9 = pick(1, n8, "NEG")?; // B: force (-> 12) or not
    let n5 = pick(0, n10, n9)?; // A: force (-> 10) or not (-> 9)
    let n6 = pick(1, n8, n7)?; // B: force (-> 8) or not (-> 7)
    let n4 = pick(0, "ACQ_A", n6)?; // A: acquiesce or counter
    let n3 = pick(1, "ACQ_B", n5)?; // B: acquiesce or counter-demand
    let n2 = pick(1, "SQ", n4)?; // B: no demand or demand
    pick(0, n2, n3) // A: no demand or demand
}

/// The outcome-class probabilities of crisis `ci` under `v`: the fast IIG path when it applies
/// (no ties), else the general solver ([`forecast`]).
pub fn outcome_probabilities(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Vec<(String, f64)>> {
    if let Some(x) = iig_inputs(sc, v, ci, settlement)? {
        if let Some(o) = iig_spe_outcomes(&iig_game(&x)) {
            return Ok(named(&classes_of(&o)));
        }
    }
    Ok(forecast(sc, v, ci, settlement)?.outcomes)
}

/// Class probabilities indexed like [`CLASSES`], named.
fn named(p: &[f64; 7]) -> Vec<(String, f64)> {
    CLASSES
        .iter()
        .zip(p)
        .map(|(c, x)| (c.to_string(), *x))
        .collect()
}

/// The outcome-class probabilities of crisis `ci` under `v` when both sides choose with logit
/// errors: the logit agent quantal response equilibrium at precision `lambda` (utilities in units
/// of each side's stake; see [`crate::qre`]). The IIG is solved by the fast exact recursion
/// ([`crate::iig::iig_qre_outcomes`]); other templates by [`crate::qre::solve_qre`] on the built
/// game (payoffs as the template writes them). Classes in the order of [`CLASSES`], then `other`
/// if some outcome fits no class.
pub fn outcome_probabilities_qre(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
    lambda: f64,
) -> Result<Vec<(String, f64)>> {
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(CrisisError::InvalidParameter {
            name: "lambda",
            message: "must be finite and non-negative".into(),
        });
    }
    if let Some(x) = iig_inputs(sc, v, ci, settlement)? {
        x.validate()?;
        return Ok(named(&classes_of(&iig_qre_outcomes(&iig_game(&x), lambda))));
    }
    Ok(forecast_qre(sc, v, ci, settlement, lambda)?.outcomes)
}

/// A crisis's quantal response forecast under one set of values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QreForecast {
    /// The crisis's id.
    pub crisis: String,
    /// The precision used (units of each side's stake for the IIG).
    pub lambda: f64,
    /// Probability of each outcome class ([`CLASSES`] order, then `other` if any).
    pub outcomes: Vec<(String, f64)>,
    /// The solution, with its certificate (fixed-point and Bayes residuals).
    pub solution: QreSolution,
    /// How the game was built.
    pub built: Built,
}

/// Player `i`'s precision for a built game: `lambda` times the factor that puts its payoffs in
/// units of its stake (mapping 1's IIG: `1/s_i`; otherwise 1).
fn precisions(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
    lambda: f64,
) -> Result<Vec<f64>> {
    Ok(match iig_inputs(sc, v, ci, settlement)? {
        Some(x) => {
            let g = iig_game(&x);
            vec![lambda * g.to_stake[0], lambda * g.to_stake[1]]
        }
        None => vec![lambda; 2],
    })
}

fn class_list(sol: &QreSolution) -> Vec<(String, f64)> {
    let mut probs: Vec<(String, f64)> = CLASSES.iter().map(|c| (c.to_string(), 0.0)).collect();
    let mut other = 0.0;
    for (cls, p) in sol.class_probabilities() {
        match probs.iter_mut().find(|(n, _)| n == class_name(cls)) {
            Some((_, x)) => *x += p,
            None => other += p,
        }
    }
    if other > 0.0 {
        probs.push(("other".into(), other));
    }
    probs
}

/// Builds crisis `ci`'s game and solves it for its logit agent quantal response equilibrium at
/// precision `lambda` ([`crate::qre::solve_qre_per_player`]), with the certificate.
pub fn forecast_qre(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
    lambda: f64,
) -> Result<QreForecast> {
    let built = build(sc, v, ci, settlement)?;
    let mut lam = precisions(sc, v, ci, settlement, lambda)?;
    lam.resize(built.game.players.len(), lambda);
    let solution = solve_qre_per_player(&built.game, &lam)?;
    Ok(QreForecast {
        crisis: sc.crises[ci].id.clone(),
        lambda,
        outcomes: class_list(&solution),
        solution,
        built,
    })
}

/// The settlement-model mixture's outcome probabilities: `parts` are (weight, outcome-class
/// probabilities under that model's settlement), e.g. one [`outcome_probabilities_qre`] per model
/// of [`brink_scenario::Crisis::models`]; the result is their weighted mean, by class name.
pub fn mix_outcomes(parts: &[(f64, Vec<(String, f64)>)]) -> Vec<(String, f64)> {
    let total: f64 = parts.iter().map(|(w, _)| w).sum();
    let mut out: Vec<(String, f64)> = Vec::new();
    for (w, probs) in parts {
        for (c, p) in probs {
            let x = w / total * p;
            match out.iter_mut().find(|(n, _)| n == c) {
                Some((_, y)) => *y += x,
                None => out.push((c.clone(), x)),
            }
        }
    }
    out
}

/// The game of incomplete information, the first world's built game and the red lines in words.
type PrivateGame = (Game, Built, Vec<String>);

/// The game of incomplete information of [`forecast_private`]: nature draws the challenger's type;
/// each type's tree is its International Interaction Game; the defender's decision nodes at the
/// same place share an information set. For the equilibrium (`for_qre = false`), the challenger's
/// utilities are its mapping's (mapping 1: range units; mapping 2: its stake in each world) and
/// the defender's are in units of its utility range in every world (one scale across the worlds it
/// cannot tell apart). For the quantal response (`for_qre = true`), the units in which one
/// precision applies to both: the challenger's in units of its stake in each world (its types
/// decide apart, so a change of units per type leaves its choices alone), the defender's in units
/// of its stake averaged over the worlds, `s̄ = Σ_w P(w) s_w`.
fn private_game(
    worlds: &[(f64, String, Scenario)],
    ci: usize,
    settlement: &dyn Fn(usize) -> Vec<Option<f64>>,
    for_qre: bool,
) -> Result<Option<PrivateGame>> {
    if worlds.len() < 2 || !matches!(worlds[0].2.crises[ci].template, CrisisTemplate::Iig) {
        return Ok(None);
    }
    let mut each = Vec::new();
    for (wi, (_, name, s)) in worlds.iter().enumerate() {
        let v = s.point_values();
        let set = settlement(wi);
        let Some((inputs, lines)) = iig_inputs_explained(s, &v, ci, &set)? else {
            return Ok(None);
        };
        each.push((inputs, lines, v, set, name));
    }
    let total: f64 = worlds.iter().map(|(w, _, _)| w).sum();
    let mean_stake: f64 = worlds
        .iter()
        .zip(&each)
        .map(|((w, _, _), e)| w * e.0.sides[1].stake())
        .sum::<f64>()
        / total;
    let mut branches = Vec::new();
    let mut red = Vec::new();
    let mut acc = crate::num::Rational::from_integer(0.into());
    for (wi, ((w, _, _), (inputs, lines, _, _, name))) in worlds.iter().zip(&each).enumerate() {
        red.extend(lines.iter().map(|l| format!("if {name}: {l}")));
        let mut g = iig_game(inputs);
        let (a, b) = (&inputs.sides[0], &inputs.sides[1]);
        if for_qre && inputs.mapping == 1 {
            g = g.rescaled(0, 1.0 / a.stake(), -a.other / a.stake());
        }
        // The defender: range units (mapping 2 is in stake units per world) ...
        let (mut scale, mut offset) = if inputs.mapping == 2 {
            (b.stake(), b.other)
        } else {
            (1.0, 0.0)
        };
        // ... divided by its mean stake for the quantal response.
        if for_qre {
            scale /= mean_stake;
            offset /= mean_stake;
        }
        if scale != 1.0 || offset != 0.0 {
            g = g.rescaled(1, scale, offset);
        }
        let tree = iig_tree_of(&g, &|player, l| {
            (player == 1).then(|| format!("defender-{l}"))
        })?;
        // Probabilities as exact rationals summing to 1: the last takes the remainder.
        let p = if wi + 1 == worlds.len() {
            crate::num::Rational::from_integer(1.into()) - &acc
        } else {
            rational_from_f64(*w).unwrap_or_default()
        };
        acc += &p;
        branches.push((name.to_string(), p, tree));
    }
    let (_, _, v0, set0, _) = &each[0];
    let built = build(&worlds[0].2, v0, ci, set0)?;
    let root = crate::game::Tree::Chance {
        label: "type".into(),
        branches,
    };
    let mut game = Game::from_tree(
        "International Interaction Game with the challenger's type private",
        &["A", "B"],
        root,
    )?;
    game.players = built.game.players.clone();
    Ok(Some((game, built, red)))
}

/// The game of incomplete information that [`forecast_private_qre`] solves, in the units in
/// which one precision applies to both sides (see `docs/crisis-mapping.md`): for writing it out
/// and checking it with other solvers. `None` as for [`forecast_private`].
pub fn private_game_qre(
    worlds: &[(f64, String, Scenario)],
    ci: usize,
    settlement: &dyn Fn(usize) -> Vec<Option<f64>>,
) -> Result<Option<Game>> {
    Ok(private_game(worlds, ci, settlement, true)?.map(|(g, _, _)| g))
}

/// A crisis in which the challenger's side has rival types (hypotheses about one of its actors)
/// that the defender does not know: a game of incomplete information (Harsanyi). Nature first
/// draws the type with its posterior probability; each type plays the International Interaction
/// Game with its own utilities (its own stances, hence its own demands and settlement); the
/// defender's decision nodes at the same place in every type's tree share one information set.
/// Solved for a perfect Bayesian equilibrium (pure strategies; off-path beliefs that make a
/// deviation least attractive), with its certificate.
///
/// `worlds`: (probability, the type's name, the scenario as that type would hold it); `settlement(w)`: the
/// bargaining forecast per scenario issue in world `w`. `None` when the crisis is not an IIG or
/// the worlds are fewer than two.
pub fn forecast_private(
    worlds: &[(f64, String, Scenario)],
    ci: usize,
    settlement: &dyn Fn(usize) -> Vec<Option<f64>>,
) -> Result<Option<CrisisForecast>> {
    let Some((game, mut built, red)) = private_game(worlds, ci, settlement, false)? else {
        return Ok(None);
    };
    let sc0 = &worlds[0].2;
    let sol = solve::<f64>(&game, OffPathBelief::Supporting)?;
    let k = sol.equilibria.len().max(1) as f64;
    let mut probs: Vec<(String, f64)> = CLASSES.iter().map(|c| (c.to_string(), 0.0)).collect();
    let mut regret: f64 = 0.0;
    for eq in &sol.equilibria {
        regret = regret
            .max(eq.certificate.max_regret)
            .max(eq.certificate.max_bayes_gap);
        for (cls, p) in outcome_classes(eq) {
            if let Some((_, x)) = probs.iter_mut().find(|(n, _)| n == class_name(cls)) {
                *x += p / k;
            }
        }
    }
    let path = sol
        .equilibria
        .first()
        .map(|eq| path_in_words(&game, &eq.path))
        .unwrap_or_default();
    built.game = game;
    built.red_lines = red;
    Ok(Some(CrisisForecast {
        crisis: sc0.crises[ci].id.clone(),
        concept: format!("{:?}", sol.concept),
        equilibria: sol.equilibria.len(),
        outcomes: probs,
        path,
        max_regret: regret,
        built,
    }))
}

/// [`forecast_private`] with both sides choosing with logit errors: the logit agent quantal
/// response equilibrium of the game of incomplete information at precision `lambda`, the
/// defender's beliefs about the challenger's type by Bayes' rule from the (full-support)
/// strategies, solved by continuation from `lambda = 0` ([`crate::qre`]) and certified (fixed-point
/// and Bayes residuals). The challenger's utilities are in units of its stake in each world, the
/// defender's in units of its stake averaged over the worlds ([`private_game_qre`]).
pub fn forecast_private_qre(
    worlds: &[(f64, String, Scenario)],
    ci: usize,
    settlement: &dyn Fn(usize) -> Vec<Option<f64>>,
    lambda: f64,
) -> Result<Option<QreForecast>> {
    let Some((game, mut built, red)) = private_game(worlds, ci, settlement, true)? else {
        return Ok(None);
    };
    let solution = solve_qre_per_player(&game, &[lambda, lambda])?;
    built.game = game;
    built.red_lines = red;
    Ok(Some(QreForecast {
        crisis: worlds[0].2.crises[ci].id.clone(),
        lambda,
        outcomes: class_list(&solution),
        solution,
        built,
    }))
}
