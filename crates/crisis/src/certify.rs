//! Strategy profiles, beliefs, and the equilibrium certificate.
//!
//! A (pure, behavioural) profile picks one action at every player information set. Given beliefs
//! (a probability over the members of each information set), the certifier computes, at **every**
//! information set, on and off the equilibrium path, the mover's *regret*: the best gain from
//! deviating there once, given the beliefs and everyone's play afterwards,
//!
//! `regret(I) = max_b Σ_{n∈I} μ(n) V_i(child(n,b)) − Σ_{n∈I} μ(n) V_i(child(n,σ(I)))`,
//!
//! where `V_i` is player `i`'s expected payoff under the profile from a node on (chance averaged).
//! With perfect recall, zero regret everywhere (one-shot deviation principle) plus beliefs that
//! follow Bayes' rule wherever the set is reached with positive probability is exactly a (weak)
//! perfect Bayesian equilibrium; in perfect-information games (all sets singletons) it is subgame
//! perfection. The certificate also reports each on-path set's distance from the Bayes belief.
//! Values are exact when computed in [`crate::num::Rational`].
//!
//! # References
//! Fudenberg, D. and Tirole, J. (1991), *Game Theory*, ch. 3.5 and 8 (one-shot deviation, PBE).

use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeId, NodeKind, Owner};
use crate::num::Field;
use serde::Serialize;

/// A pure behavioural strategy profile: one action index per information set (`None` for chance).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Profile {
    /// Indexed like [`Game::infosets`].
    pub actions: Vec<Option<usize>>,
}

impl Profile {
    /// Action chosen at the decision node `node`, if it is a decision node.
    pub fn action_at(&self, game: &Game, node: NodeId) -> Option<usize> {
        match game.nodes[node].kind {
            NodeKind::Decision { infoset, .. } => self.actions.get(infoset).copied().flatten(),
            _ => None,
        }
    }
    /// Action labels by information set (`"-"` for chance), for display.
    pub fn labels<'g>(&self, game: &'g Game) -> Vec<&'g str> {
        self.actions
            .iter()
            .zip(&game.infosets)
            .map(|(a, s)| {
                a.and_then(|a| s.actions.get(a))
                    .map(String::as_str)
                    .unwrap_or("-")
            })
            .collect()
    }
}

/// Beliefs: for every information set, a probability for each member (aligned with
/// [`crate::game::Infoset::members`]); empty for chance sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Beliefs<T> {
    /// Indexed like [`Game::infosets`].
    pub at: Vec<Vec<T>>,
}

impl<T: Field> Beliefs<T> {
    /// Beliefs for a game whose player sets are all singletons (probability 1 on the only member).
    pub fn singletons(game: &Game) -> Beliefs<T> {
        Beliefs {
            at: game
                .infosets
                .iter()
                .map(|s| match s.owner {
                    Owner::Chance => Vec::new(),
                    Owner::Player(_) => s.members.iter().map(|_| T::one()).collect(),
                })
                .collect(),
        }
    }
}

/// What the certifier found at one information set.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InfosetCheck<T> {
    /// Index into [`Game::infosets`].
    pub infoset: usize,
    /// 0-based player who moves.
    pub player: usize,
    /// Whether the set is reached with positive probability under the profile.
    pub on_path: bool,
    /// The belief used (one probability per member).
    pub belief: Vec<T>,
    /// The prescribed action.
    pub action: usize,
    /// The best action given the belief (the prescribed one when it is optimal).
    pub best_action: usize,
    /// Expected payoff of each action given the belief.
    pub action_values: Vec<T>,
    /// Best deviation gain (zero at an equilibrium).
    pub regret: T,
    /// For on-path sets, the largest gap between the belief and Bayes' rule (zero if consistent).
    pub bayes_gap: T,
}

/// A certificate: the regret at every player information set, and overall figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certificate<T> {
    /// One check per player information set.
    pub checks: Vec<InfosetCheck<T>>,
    /// Largest regret over all sets.
    pub max_regret: T,
    /// Largest Bayes gap over on-path sets.
    pub max_bayes_gap: T,
}

impl<T: Field> Certificate<T> {
    /// Whether the profile passes: zero regret everywhere and Bayes-consistent beliefs on the path.
    pub fn is_equilibrium(&self) -> bool {
        self.max_regret.is_zero_tol() && self.max_bayes_gap.is_zero_tol()
    }
}

/// Numbers of a game converted to `T` once.
pub struct NumGame<T> {
    /// Payoff of the outcome at each node (None = zero).
    pub node_pay: Vec<Option<Vec<T>>>,
    /// Chance probabilities per infoset (empty for players).
    pub probs: Vec<Vec<T>>,
}

impl<T: Field> NumGame<T> {
    /// Converts the payoffs and chance probabilities of `game`.
    pub fn new(game: &Game) -> NumGame<T> {
        let conv: Vec<Vec<T>> = game
            .outcomes
            .iter()
            .map(|o| o.payoffs.iter().map(T::from_rational).collect())
            .collect();
        NumGame {
            node_pay: game
                .nodes
                .iter()
                .map(|n| n.outcome.map(|o| conv[o].clone()))
                .collect(),
            probs: game
                .infosets
                .iter()
                .map(|s| s.probs.iter().map(T::from_rational).collect())
                .collect(),
        }
    }
}

/// Checks that a profile fits a game: an action in range at every player set, none at chance sets.
pub fn check_profile(game: &Game, profile: &Profile) -> Result<()> {
    game.validate()?;
    if profile.actions.len() != game.infosets.len() {
        return Err(CrisisError::InvalidProfile(format!(
            "{} actions for {} information sets",
            profile.actions.len(),
            game.infosets.len()
        )));
    }
    for (s, (a, set)) in profile.actions.iter().zip(&game.infosets).enumerate() {
        match (set.owner, a) {
            (Owner::Chance, None) => {}
            (Owner::Player(_), Some(a)) if *a < set.actions.len() => {}
            _ => {
                return Err(CrisisError::InvalidProfile(format!(
                    "information set {s}: missing or bad action"
                )))
            }
        }
    }
    Ok(())
}

/// Expected payoff vector from every node on, under a pure profile.
pub fn node_values<T: Field>(game: &Game, profile: &Profile) -> Result<Vec<Vec<T>>> {
    check_profile(game, profile)?;
    Ok(values_with(game, &NumGame::new(game), profile))
}

pub(crate) fn values_with<T: Field>(
    game: &Game,
    ng: &NumGame<T>,
    profile: &Profile,
) -> Vec<Vec<T>> {
    let np = game.players.len();
    let mut v: Vec<Vec<T>> = vec![Vec::new(); game.nodes.len()];
    for id in (0..game.nodes.len()).rev() {
        let mut val = match &ng.node_pay[id] {
            Some(p) => p.clone(),
            None => vec![T::zero(); np],
        };
        match &game.nodes[id].kind {
            NodeKind::Terminal => {}
            NodeKind::Decision { infoset, children } => {
                let a = profile.actions[*infoset].unwrap_or(0);
                let c = std::mem::take(&mut v[children[a]]);
                for (x, y) in val.iter_mut().zip(&c) {
                    *x = x.add(y);
                }
                v[children[a]] = c;
            }
            NodeKind::Chance { infoset, children } => {
                for (k, &c) in children.iter().enumerate() {
                    let q = &ng.probs[*infoset][k];
                    for (x, y) in val.iter_mut().zip(&v[c]) {
                        *x = x.add(&q.mul(y));
                    }
                }
            }
        }
        v[id] = val;
    }
    v
}

/// Probability of reaching every node under a pure profile.
pub fn reach_probabilities<T: Field>(game: &Game, profile: &Profile) -> Result<Vec<T>> {
    check_profile(game, profile)?;
    Ok(reach_with(game, &NumGame::new(game), profile))
}

pub(crate) fn reach_with<T: Field>(game: &Game, ng: &NumGame<T>, profile: &Profile) -> Vec<T> {
    let mut r = vec![T::zero(); game.nodes.len()];
    r[0] = T::one();
    for id in 0..game.nodes.len() {
        if r[id] == T::zero() {
            continue;
        }
        match &game.nodes[id].kind {
            NodeKind::Terminal => {}
            NodeKind::Decision { infoset, children } => {
                let a = profile.actions[*infoset].unwrap_or(0);
                r[children[a]] = r[id].clone();
            }
            NodeKind::Chance { infoset, children } => {
                for (k, &c) in children.iter().enumerate() {
                    r[c] = r[id].mul(&ng.probs[*infoset][k]);
                }
            }
        }
    }
    r
}

/// Certifies a profile with the given beliefs: regret at every player information set.
pub fn certify<T: Field>(
    game: &Game,
    profile: &Profile,
    beliefs: &Beliefs<T>,
) -> Result<Certificate<T>> {
    check_profile(game, profile)?;
    if beliefs.at.len() != game.infosets.len() {
        return Err(CrisisError::InvalidProfile(
            "beliefs do not cover every information set".into(),
        ));
    }
    let ng = NumGame::new(game);
    let values = values_with(game, &ng, profile);
    let reach = reach_with(game, &ng, profile);
    certify_with(game, profile, beliefs, &values, &reach)
}

pub(crate) fn certify_with<T: Field>(
    game: &Game,
    profile: &Profile,
    beliefs: &Beliefs<T>,
    values: &[Vec<T>],
    reach: &[T],
) -> Result<Certificate<T>> {
    let mut checks = Vec::new();
    let mut max_regret = T::zero();
    let mut max_gap = T::zero();
    for (s, set) in game.infosets.iter().enumerate() {
        let Owner::Player(i) = set.owner else {
            continue;
        };
        let mu = &beliefs.at[s];
        if mu.len() != set.members.len() {
            return Err(CrisisError::InvalidProfile(format!(
                "information set {s}: belief has wrong length"
            )));
        }
        let a = profile.actions[s].unwrap_or(0);
        let mut action_values = Vec::with_capacity(set.actions.len());
        for b in 0..set.actions.len() {
            let mut u = T::zero();
            for (m, w) in set.members.iter().zip(mu) {
                let c = game.nodes[*m].children()[b];
                // Payoff of the outcome at the member node itself is common to all actions; skip it.
                u = u.add(&w.mul(&values[c][i]));
            }
            action_values.push(u);
        }
        let mut best = a;
        for b in 0..action_values.len() {
            if action_values[b].beats(&action_values[best]) {
                best = b;
            }
        }
        let regret = action_values[best].sub(&action_values[a]);
        let total = set
            .members
            .iter()
            .fold(T::zero(), |acc, m| acc.add(&reach[*m]));
        let on_path = total > T::zero() && !total.is_zero_tol();
        let mut gap = T::zero();
        if on_path {
            for (m, w) in set.members.iter().zip(mu) {
                if let Some(bayes) = reach[*m].div(&total) {
                    let d = if bayes > *w {
                        bayes.sub(w)
                    } else {
                        w.sub(&bayes)
                    };
                    if d > gap {
                        gap = d;
                    }
                }
            }
        }
        if regret > max_regret {
            max_regret = regret.clone();
        }
        if gap > max_gap {
            max_gap = gap.clone();
        }
        checks.push(InfosetCheck {
            infoset: s,
            player: i,
            on_path,
            belief: mu.clone(),
            action: a,
            best_action: best,
            action_values,
            regret,
            bayes_gap: gap,
        });
    }
    Ok(Certificate {
        checks,
        max_regret,
        max_bayes_gap: max_gap,
    })
}
