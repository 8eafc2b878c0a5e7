//! From a scenario's crisis to a game: who the two sides are, what each outcome is worth to each,
//! and the equilibrium's outcome. The mapping is documented in `docs/crisis-mapping.md`.
//!
//! Each side (one actor or a coalition acting as one) gets, per issue at stake, a position (the
//! capability x salience weighted mean of its members' positions) and a salience (the
//! capability-weighted mean of their saliences). A settlement y (one point per issue) is worth
//! U_S(y) = sum_k s_Sk (1 - |y_k - x_Sk| / range_k) / sum_k s_Sk to side S, in [0, 1]:
//! own = U_S(x_S) = 1, other = U_S(x_O) (the other side's demand met), sq = U_S(q) (the status
//! quo), and the negotiated settlement is the bargaining model's forecast f, worth U_S(f); the
//! International Interaction Game's phi_S is (U_S(f) - other)/(own - other). War: the challenger
//! wins with probability p_win; costs of war, of a first strike, of capitulating and of backing
//! down after a public threat (audience costs, added to capitulation) are inputs in the same
//! units (1 = the whole stake). A red line with action `war` makes any outcome whose settlement
//! lies beyond it (from the actor's own position) worth a hair (0.01) less to the actor's side
//! than starting a war, so that the side prefers war to it.

use brink_scenario::{Crisis, CrisisKey, CrisisTemplate, Scenario, Values};
use serde::Serialize;

use crate::analysis::{outcome_classes, solve};
use crate::game::{Game, NodeKind, Owner};
use crate::num::rational_from_f64;
use crate::pbe::OffPathBelief;
use crate::templates::{
    escalation_ladder, international_interaction_game, IigSide, LadderParams, OutcomeClass,
};
use crate::{CrisisError, Result};

/// The margin by which a crossed red line puts war ahead of a settlement.
pub const RED_LINE_MARGIN: f64 = 0.01;

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

/// Builds crisis `ci`'s game from the values of a run and the bargaining forecast per scenario
/// issue (`settlement[k]`, `None` where the model does not cover the issue: the status quo
/// stands in).
pub fn build(sc: &Scenario, v: &Values, ci: usize, settlement: &[Option<f64>]) -> Result<Built> {
    let c = &sc.crises[ci];
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
    let get = |key: CrisisKey| param(c, v, ci, key);
    let need = |key: CrisisKey| {
        get(key).ok_or(CrisisError::InvalidParameter {
            name: key.name(),
            message: format!(
                "crisis `{}` needs `{}` ({})",
                c.id,
                key.name(),
                key.describe()
            ),
        })
    };
    let mut game = match &c.template {
        CrisisTemplate::Iig => {
            let p = need(CrisisKey::PWin)?;
            let tau = get(CrisisKey::FirstStrikeCost).unwrap_or(0.0);
            let mk = |s: &Side, war: f64, cap: f64, aud: f64| {
                let phi = if (1.0 - s.other).abs() > 1e-12 {
                    ((s.neg - s.other) / (1.0 - s.other)).clamp(0.0, 1.0)
                } else {
                    0.5
                };
                IigSide {
                    sq: s.sq,
                    own: 1.0,
                    other: s.other,
                    phi,
                    alpha: war,
                    tau,
                    gamma: cap + aud,
                }
            };
            let a = mk(
                &sides[0],
                need(CrisisKey::WarCostChallenger)?,
                get(CrisisKey::CapitulationCostChallenger).unwrap_or(0.0),
                get(CrisisKey::AudienceCostChallenger).unwrap_or(0.0),
            );
            let b = mk(
                &sides[1],
                need(CrisisKey::WarCostDefender)?,
                get(CrisisKey::CapitulationCostDefender).unwrap_or(0.0),
                get(CrisisKey::AudienceCostDefender).unwrap_or(0.0),
            );
            international_interaction_game(&a, &b, p)?
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
    // Red lines (IIG: each outcome's settlement is known).
    let mut crossed = Vec::new();
    if matches!(c.template, CrisisTemplate::Iig) {
        let p = get(CrisisKey::PWin).unwrap_or(0.5);
        for rl in &c.red_lines {
            let s = if c.challenger.contains(&rl.actor) {
                0
            } else {
                1
            };
            let i = c
                .issues
                .iter()
                .position(|&k| k == rl.issue)
                .expect("validated: the issue is at stake");
            let Some(own_pos) = sc
                .stances
                .iter()
                .enumerate()
                .find(|(_, st)| st.actor == rl.actor && st.issue == rl.issue)
                .map(|(j, _)| v.position[j])
            else {
                continue;
            };
            let beyond = |y: f64| (own_pos - rl.threshold) * (y - rl.threshold) < 0.0;
            let other_d = if s == 0 { &xd } else { &xc };
            let pw = if s == 0 { p } else { 1.0 - p };
            let war_cost = if s == 0 {
                get(CrisisKey::WarCostChallenger)
            } else {
                get(CrisisKey::WarCostDefender)
            }
            .unwrap_or(0.0);
            let war_first = pw * 1.0 + (1.0 - pw) * sides[s].other - war_cost;
            let me = if s == 0 { 'A' } else { 'B' };
            let settlements: [(String, f64); 4] = [
                ("SQ".into(), q[i]),
                ("NEG".into(), f[i]),
                (format!("ACQ_{me}"), other_d[i]),
                (format!("CAP_{me}"), other_d[i]),
            ];
            for (label, y) in settlements {
                if !beyond(y) {
                    continue;
                }
                let cap = war_first - RED_LINE_MARGIN;
                for o in game.outcomes.iter_mut().filter(|o| o.label == label) {
                    let cur = o.payoffs[s].clone();
                    let capr = rational_from_f64(cap).unwrap_or(cur.clone());
                    if capr < cur {
                        o.payoffs[s] = capr;
                    }
                }
                crossed.push(format!(
                    "{}'s red line on {} ({} at {}) is crossed by the outcome {label}: {} prefers war to it",
                    sc.actors[rl.actor].name,
                    sc.issues[rl.issue].name,
                    rl.action,
                    rl.threshold,
                    sc.actors[rl.actor].name
                ));
            }
        }
    }
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

/// The moves along a path, in words.
pub fn path_in_words(game: &Game, path: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    for w in path.windows(2) {
        let (n, next) = (&game.nodes[w[0]], w[1]);
        let (infoset, children) = match &n.kind {
            NodeKind::Decision { infoset, children } | NodeKind::Chance { infoset, children } => {
                (*infoset, children)
            }
            NodeKind::Terminal => continue,
        };
        let Some(a) = children.iter().position(|&c| c == next) else {
            continue;
        };
        let is = &game.infosets[infoset];
        let who = match is.owner {
            Owner::Player(p) => game.players.get(p).cloned().unwrap_or_default(),
            Owner::Chance => "Chance".into(),
        };
        out.push(format!(
            "{who}: {}",
            is.actions.get(a).cloned().unwrap_or_default()
        ));
    }
    if let Some(&last) = path.last() {
        if let Some(o) = game.nodes[last].outcome {
            out.push(format!("outcome {}", game.outcomes[o].label));
        }
    }
    out
}
