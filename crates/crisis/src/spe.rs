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
//! **Representation.** The number of equilibria multiplies across tied nodes (a chain of N tied
//! nodes has 2^N), so they are not enumerated to be counted. Bottom-up, each node keeps its
//! *classes*: the distinct payoff vectors its subgame's equilibria give, each with how many
//! sub-profiles give it and how (at a decision node: an action and a class of that child, the other
//! children taking any class whose value to the mover does not beat it; at a chance node: one class
//! per child). Memory is then proportional to the number of nodes times the number of classes,
//! whatever the number of equilibria, and [`SpeSolution::count`] counts them exactly.
//!
//! **Listing rule.** Equilibria are listed lazily from the classes, in a fixed order (the first is
//! the one backward induction gives when every tie goes to the lowest-numbered action among the
//! children's first equilibria; then lexicographic in the choices, node by node in prefix order),
//! at most `cap` of them ([`DEFAULT_CAP`]) and at most `max(1, MAX_LISTED_NODES / nodes)`, so that
//! listed equilibria (each with a certificate over the whole tree) cost at most
//! [`MAX_LISTED_NODES`] node entries. `complete` says whether the list holds every equilibrium.
//!
//! **Caps on classes.** A node keeps at most [`MAX_CLASSES`] classes, and a chance node combines
//! at most [`MAX_COMBOS`] of its children's classes; beyond that the rest are dropped, the count
//! becomes a lower bound (`count_exact = false`) and the list is incomplete. Every equilibrium
//! listed is still a subgame-perfect equilibrium (each is certified).
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
use num_bigint::BigUint;
use num_traits::{One, ToPrimitive, Zero};
use serde::Serialize;
use std::collections::BTreeMap;

/// Default cap on the number of equilibria listed (see the module docs for the rule).
pub const DEFAULT_CAP: usize = 1000;

/// Bound on the equilibria listed times the nodes of the game: at most
/// `max(1, MAX_LISTED_NODES / nodes)` equilibria are listed.
pub const MAX_LISTED_NODES: usize = 200_000;

/// The most classes (distinct equilibrium payoff vectors) kept per node.
pub const MAX_CLASSES: usize = 256;

/// The most combinations of its children's classes a chance node combines.
pub const MAX_COMBOS: usize = 4096;

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

/// The subgame-perfect equilibria: how many, and the first of them (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpeSolution<T> {
    /// Equilibria listed, in the listing order (see the module docs).
    pub equilibria: Vec<Equilibrium<T>>,
    /// True when `equilibria` holds every subgame-perfect equilibrium.
    pub complete: bool,
    /// The cap asked for.
    pub cap: usize,
    /// The number of subgame-perfect equilibria (pure profiles), counted without listing them; a
    /// lower bound when `count_exact` is false.
    #[serde(serialize_with = "decimal")]
    pub count: BigUint,
    /// False when a cap on classes ([`MAX_CLASSES`], [`MAX_COMBOS`]) dropped some equilibria.
    pub count_exact: bool,
}

impl<T> SpeSolution<T> {
    /// How many equilibria there are, in words: "3", "about 1.2e301", "at least 1024".
    pub fn count_in_words(&self) -> String {
        let n = if self.count.bits() <= 53 {
            self.count.to_string()
        } else {
            let digits = self.count.to_string();
            format!(
                "about {}.{}e{}",
                &digits[..1],
                &digits[1..3],
                digits.len() - 1
            )
        };
        if self.count_exact {
            n
        } else {
            format!("at least {n}")
        }
    }
}

fn decimal<S: serde::Serializer>(n: &BigUint, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_str(n)
}

/// How a node's class arises.
#[derive(Debug, Clone)]
enum Deriv {
    /// A leaf.
    Leaf,
    /// At a decision node: the action taken and the class of that child; the other children take
    /// any class whose value to the mover does not beat it.
    Choose { action: usize, class: u32 },
    /// At a chance node: one class per child.
    Combine { classes: Vec<u32> },
}

/// One distinct payoff vector of a subgame's equilibria.
#[derive(Debug, Clone)]
struct Class<T> {
    value: Vec<T>,
    count: BigUint,
    derivs: Vec<Deriv>,
}

/// Solves a perfect-information game (chance nodes allowed) for its subgame-perfect equilibria:
/// counts them and lists at most [`DEFAULT_CAP`] (see the module docs).
pub fn solve_spe<T: Field>(game: &Game) -> Result<SpeSolution<T>> {
    solve_spe_capped(game, DEFAULT_CAP)
}

/// As [`solve_spe`] with an explicit cap on the equilibria listed (at least 1).
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
    let (classes, count_exact) = classes_of(game, &ng);
    if classes[0].is_empty() {
        return Err(CrisisError::NoEquilibrium(
            "no subgame-perfect equilibrium found (payoffs that cannot be compared?)".into(),
        ));
    }
    let count: BigUint = classes[0].iter().map(|c| c.count.clone()).sum();
    let listed = cap.min((MAX_LISTED_NODES / game.nodes.len()).max(1));
    let beliefs = Beliefs::<T>::singletons(game);
    let mut equilibria = Vec::new();
    let mut lister = Lister::new(game, &classes);
    while equilibria.len() < listed {
        let Some(profile) = lister.next_profile() else {
            break;
        };
        equilibria.push(summarize(game, &ng, profile, beliefs.clone())?);
    }
    let complete = count_exact && count.to_usize() == Some(equilibria.len());
    Ok(SpeSolution {
        equilibria,
        complete,
        cap,
        count,
        count_exact,
    })
}

/// The mover at a decision node (`None` at chance and terminal nodes).
fn mover(game: &Game, id: NodeId) -> Option<usize> {
    match game.nodes[id].kind {
        NodeKind::Decision { infoset, .. } => match game.infosets[infoset].owner {
            Owner::Player(i) => Some(i),
            Owner::Chance => None,
        },
        _ => None,
    }
}

/// Every node's classes, bottom-up; false when a cap dropped some.
fn classes_of<T: Field>(game: &Game, ng: &NumGame<T>) -> (Vec<Vec<Class<T>>>, bool) {
    let np = game.players.len();
    let mut exact = true;
    let mut all: Vec<Vec<Class<T>>> = vec![Vec::new(); game.nodes.len()];
    for id in (0..game.nodes.len()).rev() {
        let own = match &ng.node_pay[id] {
            Some(p) => p.clone(),
            None => vec![T::zero(); np],
        };
        let plus = |v: &[T]| -> Vec<T> { own.iter().zip(v).map(|(x, y)| x.add(y)).collect() };
        let mut out: Vec<Class<T>> = Vec::new();
        // Adds a derivation to the class of `value` (a new class unless one has that value).
        let add = |out: &mut Vec<Class<T>>, value: Vec<T>, count: BigUint, d: Deriv| {
            if count.is_zero() {
                return true;
            }
            if let Some(c) = out.iter_mut().find(|c| c.value == value) {
                c.count += count;
                c.derivs.push(d);
                return true;
            }
            if out.len() >= MAX_CLASSES {
                return false;
            }
            out.push(Class {
                value,
                count,
                derivs: vec![d],
            });
            true
        };
        match &game.nodes[id].kind {
            NodeKind::Terminal => {
                add(&mut out, own.clone(), BigUint::one(), Deriv::Leaf);
            }
            NodeKind::Decision { children, .. } => {
                let i = mover(game, id).unwrap_or(0);
                let kids: Vec<&Vec<Class<T>>> = children.iter().map(|&c| &all[c]).collect();
                // The first class: backward induction on the children's first classes, a tie
                // going to the lowest-numbered action. (Every node has a class: the one of
                // greatest value to the mover is never beaten.)
                let firsts: Vec<&T> = kids
                    .iter()
                    .filter_map(|k| k.first())
                    .map(|c| &c.value[i])
                    .collect();
                let mut first = 0;
                if firsts.len() == kids.len() {
                    let mut best = 0;
                    for a in 1..kids.len() {
                        if firsts[a].beats(firsts[best]) {
                            best = a;
                        }
                    }
                    first = (0..kids.len())
                        .find(|&a| firsts[a].tie(firsts[best]))
                        .unwrap_or(best);
                }
                // How many sub-profiles of child b leave `x` unbeaten for the mover.
                let unbeaten = |b: usize, x: &T| -> BigUint {
                    kids[b]
                        .iter()
                        .filter(|w| !w.value[i].beats(x))
                        .map(|w| w.count.clone())
                        .sum()
                };
                let weight = |a: usize, u: &Class<T>| -> BigUint {
                    let mut n = u.count.clone();
                    for b in (0..kids.len()).filter(|&b| b != a) {
                        if n.is_zero() {
                            break;
                        }
                        n *= unbeaten(b, &u.value[i]);
                    }
                    n
                };
                let mut order = Vec::new();
                if !kids[first].is_empty() {
                    order.push((first, 0u32));
                }
                for (a, kid) in kids.iter().enumerate() {
                    for u in 0..kid.len() as u32 {
                        if (a, u) != (first, 0) {
                            order.push((a, u));
                        }
                    }
                }
                for (a, u) in order {
                    let class = &kids[a][u as usize];
                    let n = weight(a, class);
                    if !add(
                        &mut out,
                        plus(&class.value),
                        n,
                        Deriv::Choose {
                            action: a,
                            class: u,
                        },
                    ) {
                        exact = false;
                    }
                }
            }
            NodeKind::Chance { infoset, children } => {
                let kids: Vec<&Vec<Class<T>>> = children.iter().map(|&c| &all[c]).collect();
                let mut idx = vec![0usize; kids.len()];
                let mut combos = 0usize;
                'combos: loop {
                    if combos >= MAX_COMBOS {
                        exact = false;
                        break;
                    }
                    combos += 1;
                    let mut value = own.clone();
                    let mut n = BigUint::one();
                    for (k, &j) in idx.iter().enumerate() {
                        let w = &kids[k][j];
                        let q = &ng.probs[*infoset][k];
                        for (x, y) in value.iter_mut().zip(&w.value) {
                            *x = x.add(&q.mul(y));
                        }
                        n *= &w.count;
                    }
                    let classes = idx.iter().map(|&j| j as u32).collect();
                    if !add(&mut out, value, n, Deriv::Combine { classes }) {
                        exact = false;
                    }
                    // Odometer: last child varies fastest.
                    let mut pos = idx.len();
                    loop {
                        if pos == 0 {
                            break 'combos;
                        }
                        pos -= 1;
                        idx[pos] += 1;
                        if idx[pos] < kids[pos].len() {
                            break;
                        }
                        idx[pos] = 0;
                    }
                }
            }
        }
        all[id] = out;
    }
    (all, exact)
}

/// Lists profiles from the classes: each node in prefix order takes a (class, derivation) that
/// fits its parent's choice; the next profile advances the last node that has another option
/// and resets every node after it.
struct Lister<'a, T> {
    game: &'a Game,
    classes: &'a [Vec<Class<T>>],
    /// Per node: the chosen class and derivation.
    pick: Vec<(usize, usize)>,
    started: bool,
    done: bool,
}

impl<'a, T: Field> Lister<'a, T> {
    fn new(game: &'a Game, classes: &'a [Vec<Class<T>>]) -> Self {
        Lister {
            game,
            classes,
            pick: vec![(0, 0); game.nodes.len()],
            started: false,
            done: false,
        }
    }

    /// Whether class `k` of `node` fits its parent's current choice.
    fn fits(&self, node: NodeId, k: usize) -> bool {
        let Some((parent, slot)) = self.game.nodes[node].parent else {
            return true;
        };
        let (pk, pd) = self.pick[parent];
        match &self.classes[parent][pk].derivs[pd] {
            Deriv::Leaf => false,
            Deriv::Choose { action, class } => {
                if slot == *action {
                    k == *class as usize
                } else {
                    let i = mover(self.game, parent).unwrap_or(0);
                    let chosen = self.game.nodes[parent].children()[*action];
                    let x = &self.classes[chosen][*class as usize].value[i];
                    !self.classes[node][k].value[i].beats(x)
                }
            }
            Deriv::Combine { classes } => k == classes[slot] as usize,
        }
    }

    /// The first option of `node` at or after class `from` (its first derivation).
    fn first_from(&self, node: NodeId, from: usize) -> Option<(usize, usize)> {
        (from..self.classes[node].len())
            .find(|&k| self.fits(node, k))
            .map(|k| (k, 0))
    }

    /// The option after the current one at `node`, if any.
    fn advance(&self, node: NodeId) -> Option<(usize, usize)> {
        let (k, d) = self.pick[node];
        if d + 1 < self.classes[node][k].derivs.len() {
            return Some((k, d + 1));
        }
        self.first_from(node, k + 1)
    }

    /// Resets every node from `start` on to its first option (parents come first in prefix
    /// order); false if some node has none (cannot happen: every class kept is realisable).
    fn reset_from(&mut self, start: NodeId) -> bool {
        for n in start..self.game.nodes.len() {
            match self.first_from(n, 0) {
                Some(o) => self.pick[n] = o,
                None => return false,
            }
        }
        true
    }

    fn next_profile(&mut self) -> Option<Profile> {
        if self.done || self.classes[0].is_empty() {
            return None;
        }
        if !self.started {
            self.started = true;
            if !self.reset_from(0) {
                self.done = true;
                return None;
            }
        } else {
            let mut n = self.game.nodes.len();
            loop {
                if n == 0 {
                    self.done = true;
                    return None;
                }
                n -= 1;
                if let Some(o) = self.advance(n) {
                    self.pick[n] = o;
                    if !self.reset_from(n + 1) {
                        self.done = true;
                        return None;
                    }
                    break;
                }
            }
        }
        let mut actions: Vec<Option<usize>> = vec![None; self.game.infosets.len()];
        for (n, node) in self.game.nodes.iter().enumerate() {
            if let NodeKind::Decision { infoset, .. } = node.kind {
                let (k, d) = self.pick[n];
                if let Deriv::Choose { action, .. } = self.classes[n][k].derivs[d] {
                    actions[infoset] = Some(action);
                }
            }
        }
        Some(Profile { actions })
    }
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
