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
    // The IIG's utilities, red lines included, come from one place: [`iig_payoffs`].
    let mut crossed = Vec::new();
    if let Some((pay, lines)) = iig_payoffs_explained(sc, v, ci, settlement)? {
        for o in game.outcomes.iter_mut() {
            if let Some((_, u)) = pay.iter().find(|(l, _)| *l == o.label) {
                for (p, x) in u.iter().enumerate() {
                    if let Some(r) = rational_from_f64(*x) {
                        o.payoffs[p] = r;
                    }
                }
            }
        }
        crossed = lines;
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
                    Owner::Chance => "Chance".into(),
                };
                out.push(format!(
                    "{who}: {}",
                    is.actions.get(a).cloned().unwrap_or_default()
                ));
            }
        }
        if matches!(node.kind, NodeKind::Terminal) {
            if let Some(o) = node.outcome {
                out.push(format!("outcome {}", game.outcomes[o].label));
            }
        }
    }
    out
}

/// The eight outcome labels of the International Interaction Game with [challenger, defender]
/// utilities.
pub type IigPayoffs = Vec<(&'static str, [f64; 2])>;

/// The eight outcome utilities of a crisis played as the International Interaction Game,
/// computed in floating point by the same formulas [`build`] uses (the template's table and the
/// red-line rule): (label, [challenger, defender]). `None` for other templates.
pub fn iig_payoffs(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Option<IigPayoffs>> {
    Ok(iig_payoffs_explained(sc, v, ci, settlement)?.map(|(p, _)| p))
}

/// [`iig_payoffs`] with the red lines crossed, in words.
fn iig_payoffs_explained(
    sc: &Scenario,
    v: &Values,
    ci: usize,
    settlement: &[Option<f64>],
) -> Result<Option<(IigPayoffs, Vec<String>)>> {
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
    let sq = [sides[0].sq, sides[1].sq];
    let other = [sides[0].other, sides[1].other];
    let neg = [sides[0].neg, sides[1].neg];
    let get = |key: CrisisKey| param(c, v, ci, key);
    let need = |key: CrisisKey| need(c, v, ci, key);
    let p = need(CrisisKey::PWin)?;
    let pw = [p, 1.0 - p];
    let tau = get(CrisisKey::FirstStrikeCost).unwrap_or(0.0);
    let alpha = [
        need(CrisisKey::WarCostChallenger)?,
        need(CrisisKey::WarCostDefender)?,
    ];
    let gamma = [
        get(CrisisKey::CapitulationCostChallenger).unwrap_or(0.0)
            + get(CrisisKey::AudienceCostChallenger).unwrap_or(0.0),
        get(CrisisKey::CapitulationCostDefender).unwrap_or(0.0)
            + get(CrisisKey::AudienceCostDefender).unwrap_or(0.0),
    ];
    let phi = |s: usize| {
        if (1.0 - other[s]).abs() > 1e-12 {
            ((neg[s] - other[s]) / (1.0 - other[s])).clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    let negu = |s: usize| phi(s) + (1.0 - phi(s)) * other[s];
    let war = |s: usize, first: bool| {
        pw[s] + (1.0 - pw[s]) * other[s] - alpha[s] - if first { 0.0 } else { tau }
    };
    let mut out: IigPayoffs = vec![
        ("SQ", [sq[0], sq[1]]),
        ("ACQ_A", [other[0], 1.0]),
        ("ACQ_B", [1.0, other[1]]),
        ("NEG", [negu(0), negu(1)]),
        ("CAP_A", [other[0] - gamma[0], 1.0]),
        ("CAP_B", [1.0, other[1] - gamma[1]]),
        ("WAR_A", [war(0, true), war(1, false)]),
        ("WAR_B", [war(0, false), war(1, true)]),
    ];
    let mut crossed = Vec::new();
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
        let cap = pw[s] + (1.0 - pw[s]) * other[s] - alpha[s] - RED_LINE_MARGIN;
        let (acq, capl) = if s == 0 {
            ("ACQ_A", "CAP_A")
        } else {
            ("ACQ_B", "CAP_B")
        };
        for (label, y) in [
            ("SQ", q[i]),
            ("NEG", f[i]),
            (acq, other_d[i]),
            (capl, other_d[i]),
        ] {
            if beyond(y) {
                for o in out.iter_mut().filter(|o| o.0 == label) {
                    o.1[s] = o.1[s].min(cap);
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
    Ok(Some((out, crossed)))
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
    if let Some(pay) = iig_payoffs(sc, v, ci, settlement)? {
        if let Some(label) = iig_outcome_fast(&pay) {
            let cls = class_name(crate::templates::classify_outcome(label));
            return Ok(CLASSES
                .iter()
                .map(|c| (c.to_string(), if *c == cls { 1.0 } else { 0.0 }))
                .collect());
        }
    }
    Ok(forecast(sc, v, ci, settlement)?.outcomes)
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
    if worlds.len() < 2 || !matches!(worlds[0].2.crises[ci].template, CrisisTemplate::Iig) {
        return Ok(None);
    }
    let sc0 = &worlds[0].2;
    let mut branches = Vec::new();
    let mut built0 = None;
    let mut red = Vec::new();
    let mut acc = crate::num::Rational::from_integer(0.into());
    for (wi, (w, name, s)) in worlds.iter().enumerate() {
        let v = s.point_values();
        let set = settlement(wi);
        let Some((pay, lines)) = iig_payoffs_explained(s, &v, ci, &set)? else {
            return Ok(None);
        };
        red.extend(lines.into_iter().map(|l| format!("if {name}: {l}")));
        if built0.is_none() {
            built0 = Some(build(s, &v, ci, &set)?);
        }
        let payoff = |label: &str| -> [crate::num::Rational; 2] {
            let u = pay
                .iter()
                .find(|(l, _)| *l == label)
                .map_or([0.0, 0.0], |(_, u)| *u);
            [
                rational_from_f64(u[0]).unwrap_or_default(),
                rational_from_f64(u[1]).unwrap_or_default(),
            ]
        };
        let tree = crate::templates::iig_tree(&payoff, &|player, l| {
            (player == 1).then(|| format!("defender-{l}"))
        });
        // Probabilities as exact rationals summing to 1: the last takes the remainder.
        let p = if wi + 1 == worlds.len() {
            crate::num::Rational::from_integer(1.into()) - &acc
        } else {
            rational_from_f64(*w).unwrap_or_default()
        };
        acc += &p;
        branches.push((name.clone(), p, tree));
    }
    let mut built = built0.expect("at least two worlds");
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
