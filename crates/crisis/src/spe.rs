//! Subgame-perfect equilibrium by backward induction, every tie enumerated.
//!
//! For a perfect-information game (every player information set a singleton; chance nodes anywhere),
//! a node's equilibrium value is its outcome's payoff plus: at a decision node, the value of the child
//! the mover likes best; at a chance node, the probability-weighted average of the children's values.
//! When the mover is indifferent between several children (exactly, for rationals; within a relative
//! 1e-12 for `f64`), every choice gives a subgame-perfect equilibrium, and because the other players'
//! payoffs may differ between those choices, the set of equilibria is the set of all such choice
//! combinations, off the path as well as on it. This module enumerates them all.
//!
//! **Cap rule.** The number of equilibria multiplies across tied nodes. Enumeration proceeds
//! bottom-up: a node's equilibria are built from the Cartesian product of its children's lists (first
//! child varying slowest), then, at a decision node, each tied best action in increasing action order.
//! Each node keeps at most `cap` of them, the first in that order; if any list is cut, the solution is
//! flagged `complete = false` and holds the first `cap` equilibria of that order (or fewer).
//!
//! # References
//! Selten, R. (1975), "Reexamination of the perfectness concept for equilibrium points in extensive
//! games", *International Journal of Game Theory* 4, 25-55. Kuhn, H. W. (1953), "Extensive games and
//! the problem of information".

use crate::certify::{
    certify_with, reach_with, values_with, Beliefs, Certificate, NumGame, Profile,
};
use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeId, NodeKind, Owner};
use crate::num::Field;
use serde::Serialize;
use std::collections::BTreeMap;

/// Default cap on the number of equilibria enumerated (see the module docs for the rule).
pub const DEFAULT_CAP: usize = 1000;

/// One equilibrium with its summary and certificate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Equilibrium<T> {
    /// The pure profile (one action per player information set).
    pub profile: Profile,
    /// Beliefs at every information set (probability 1 on the single member for singletons).
    pub beliefs: Beliefs<T>,
    /// Each player's expected payoff.
    pub payoffs: Vec<T>,
    /// Nodes reached with positive probability, in prefix order (the equilibrium path).
    pub path: Vec<NodeId>,
    /// Probability of each terminal node reached with positive probability.
    pub terminal_probs: Vec<(NodeId, T)>,
    /// Probability of each outcome label reached with positive probability (labels sorted).
    pub outcome_probs: Vec<(String, T)>,
    /// Regret at every information set (zero everywhere for a genuine equilibrium).
    pub certificate: Certificate<T>,
}

/// All subgame-perfect equilibria found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeSolution<T> {
    /// Equilibria, in enumeration order (see the module docs).
    pub equilibria: Vec<Equilibrium<T>>,
    /// False when the cap cut the enumeration.
    pub complete: bool,
    /// The cap used.
    pub cap: usize,
}

struct Sub<T> {
    value: Vec<T>,
    choice: usize,
    kids: Vec<u32>,
}

/// Solves a perfect-information game (chance nodes allowed) for all its subgame-perfect equilibria,
/// capped at [`DEFAULT_CAP`].
pub fn solve_spe<T: Field>(game: &Game) -> Result<SpeSolution<T>> {
    solve_spe_capped(game, DEFAULT_CAP)
}

/// As [`solve_spe`] with an explicit cap (at least 1).
pub fn solve_spe_capped<T: Field>(game: &Game, cap: usize) -> Result<SpeSolution<T>> {
    let cap = cap.max(1);
    game.validate()?;
    if !game.is_perfect_information() {
        return Err(CrisisError::Unsupported(
            "imperfect information (an information set with several nodes): subgame perfection by backward \
             induction needs perfect information; use the PBE solver for two-player games with private types"
                .into(),
        ));
    }
    let ng = NumGame::<T>::new(game);
    let np = game.players.len();
    let mut arena: Vec<Sub<T>> = Vec::new();
    let mut lists: Vec<Vec<u32>> = vec![Vec::new(); game.nodes.len()];
    let mut complete = true;
    for id in (0..game.nodes.len()).rev() {
        let own = match &ng.node_pay[id] {
            Some(p) => p.clone(),
            None => vec![T::zero(); np],
        };
        let node = &game.nodes[id];
        let mut out = Vec::new();
        match &node.kind {
            NodeKind::Terminal => {
                arena.push(Sub {
                    value: own,
                    choice: usize::MAX,
                    kids: Vec::new(),
                });
                out.push((arena.len() - 1) as u32);
            }
            NodeKind::Decision { infoset, children } | NodeKind::Chance { infoset, children } => {
                let player = match game.infosets[*infoset].owner {
                    Owner::Player(i) => Some(i),
                    Owner::Chance => None,
                };
                let child_lists: Vec<Vec<u32>> = children
                    .iter()
                    .map(|&c| std::mem::take(&mut lists[c]))
                    .collect();
                let mut idx = vec![0usize; children.len()];
                'combos: loop {
                    let kids: Vec<u32> = idx.iter().zip(&child_lists).map(|(&k, l)| l[k]).collect();
                    match player {
                        Some(i) => {
                            let mut best: Option<&T> = None;
                            for &k in &kids {
                                let v = &arena[k as usize].value[i];
                                if best.map(|b| v.beats(b)).unwrap_or(true) {
                                    best = Some(v);
                                }
                            }
                            let best = best.cloned().unwrap_or_else(T::zero);
                            let tied: Vec<usize> = (0..kids.len())
                                .filter(|&a| arena[kids[a] as usize].value[i].tie(&best))
                                .collect();
                            for a in tied {
                                if out.len() >= cap {
                                    complete = false;
                                    break 'combos;
                                }
                                let value: Vec<T> = own
                                    .iter()
                                    .zip(&arena[kids[a] as usize].value)
                                    .map(|(x, y)| x.add(y))
                                    .collect();
                                arena.push(Sub {
                                    value,
                                    choice: a,
                                    kids: kids.clone(),
                                });
                                out.push((arena.len() - 1) as u32);
                            }
                        }
                        None => {
                            if out.len() >= cap {
                                complete = false;
                                break 'combos;
                            }
                            let mut value = own.clone();
                            for (k, &s) in kids.iter().enumerate() {
                                let q = &ng.probs[*infoset][k];
                                for (x, y) in value.iter_mut().zip(&arena[s as usize].value) {
                                    *x = x.add(&q.mul(y));
                                }
                            }
                            arena.push(Sub {
                                value,
                                choice: usize::MAX,
                                kids,
                            });
                            out.push((arena.len() - 1) as u32);
                        }
                    }
                    // Odometer: last child varies fastest.
                    let mut pos = idx.len();
                    loop {
                        if pos == 0 {
                            break 'combos;
                        }
                        pos -= 1;
                        idx[pos] += 1;
                        if idx[pos] < child_lists[pos].len() {
                            break;
                        }
                        idx[pos] = 0;
                    }
                }
            }
        }
        lists[id] = out;
    }
    let roots = std::mem::take(&mut lists[0]);
    let beliefs = Beliefs::<T>::singletons(game);
    let mut equilibria = Vec::with_capacity(roots.len());
    for r in roots {
        let mut actions: Vec<Option<usize>> = vec![None; game.infosets.len()];
        let mut stack = vec![(0usize, r)];
        while let Some((node, s)) = stack.pop() {
            let sub = &arena[s as usize];
            if let NodeKind::Decision { infoset, .. } = game.nodes[node].kind {
                actions[infoset] = Some(sub.choice);
            }
            for (&c, &k) in game.nodes[node].children().iter().zip(&sub.kids) {
                stack.push((c, k));
            }
        }
        let profile = Profile { actions };
        equilibria.push(summarize(game, &ng, profile, beliefs.clone())?);
    }
    Ok(SpeSolution {
        equilibria,
        complete,
        cap,
    })
}

/// Builds the summary (payoffs, path, outcome probabilities, certificate) of a profile.
pub(crate) fn summarize<T: Field>(
    game: &Game,
    ng: &NumGame<T>,
    profile: Profile,
    beliefs: Beliefs<T>,
) -> Result<Equilibrium<T>> {
    let values = values_with(game, ng, &profile);
    let reach = reach_with(game, ng, &profile);
    let certificate = certify_with(game, &profile, &beliefs, &values, &reach)?;
    let path: Vec<NodeId> = (0..game.nodes.len())
        .filter(|&n| reach[n] != T::zero())
        .collect();
    let mut terminal_probs = Vec::new();
    let mut by_label: BTreeMap<String, T> = BTreeMap::new();
    for &n in &path {
        if matches!(game.nodes[n].kind, NodeKind::Terminal) {
            terminal_probs.push((n, reach[n].clone()));
            let e = by_label
                .entry(game.terminal_label(n).to_string())
                .or_insert_with(T::zero);
            *e = e.add(&reach[n]);
        }
    }
    Ok(Equilibrium {
        payoffs: values[0].clone(),
        profile,
        beliefs,
        path,
        terminal_probs,
        outcome_probs: by_label.into_iter().collect(),
        certificate,
    })
}
