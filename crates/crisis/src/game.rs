//! Extensive-form games as data: decision, chance and terminal nodes, information sets, outcomes.
//!
//! Nodes live in an arena in **prefix order** (a node's children come after it, the root is node 0),
//! which is the order of Gambit's `.efg` format. Processing nodes from the last to the first is therefore
//! a valid post-order, which the solvers use instead of recursion (trees can be 100,000 nodes deep).
//!
//! Payoffs follow Gambit's semantics: an outcome may be attached to any node, and a play's payoff is the
//! sum of the outcomes met along it (usually only the terminal node carries one; a node without an outcome
//! adds zero).

use crate::error::{CrisisError, Result};
use crate::num::{rational_from_decimal, Rational};
use num_traits::{One, Signed, Zero};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Index of a node in [`Game::nodes`].
pub type NodeId = usize;

/// Who moves at an information set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Owner {
    /// Nature (a chance move with fixed probabilities).
    Chance,
    /// A player, by 0-based index into [`Game::players`].
    Player(usize),
}

/// An information set: nodes the owner cannot tell apart, sharing the same actions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Infoset {
    /// Who moves here.
    pub owner: Owner,
    /// The set's number in the `.efg` file (numbered per owner, from 1).
    pub number: usize,
    /// Free label.
    pub label: String,
    /// Action labels, in order.
    pub actions: Vec<String>,
    /// Chance probabilities (same length as `actions`) for chance sets; empty for players.
    pub probs: Vec<Rational>,
    /// Member nodes, in prefix order.
    pub members: Vec<NodeId>,
}

/// An outcome: a label and a payoff for every player.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcome {
    /// Label, e.g. `"WAR"` (see [`crate::templates::classify_outcome`]).
    pub label: String,
    /// One payoff per player.
    pub payoffs: Vec<Rational>,
}

/// What kind of node this is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NodeKind {
    /// A leaf.
    Terminal,
    /// A player's move (infoset owner is a player).
    Decision {
        /// Index into [`Game::infosets`].
        infoset: usize,
        /// One child per action of the infoset.
        children: Vec<NodeId>,
    },
    /// Nature's move (infoset owner is [`Owner::Chance`]).
    Chance {
        /// Index into [`Game::infosets`].
        infoset: usize,
        /// One child per branch.
        children: Vec<NodeId>,
    },
}

/// A node of the tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Free label (often empty).
    pub label: String,
    /// Decision, chance or terminal.
    pub kind: NodeKind,
    /// Outcome attached here (index into [`Game::outcomes`]), if any.
    pub outcome: Option<usize>,
    /// Parent node and the index of the action leading here; `None` for the root.
    pub parent: Option<(NodeId, usize)>,
}

impl Node {
    /// Children of the node (empty for a terminal).
    pub fn children(&self) -> &[NodeId] {
        match &self.kind {
            NodeKind::Terminal => &[],
            NodeKind::Decision { children, .. } | NodeKind::Chance { children, .. } => children,
        }
    }
    /// Infoset index of a decision or chance node.
    pub fn infoset(&self) -> Option<usize> {
        match &self.kind {
            NodeKind::Terminal => None,
            NodeKind::Decision { infoset, .. } | NodeKind::Chance { infoset, .. } => Some(*infoset),
        }
    }
}

/// A finite extensive-form game with exact payoffs and probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Game {
    /// Title (first line of the `.efg` file).
    pub title: String,
    /// Free comment.
    pub comment: String,
    /// Player names; players are referred to by 0-based index.
    pub players: Vec<String>,
    /// Nodes in prefix order; node 0 is the root.
    pub nodes: Vec<Node>,
    /// Information sets (players' and nature's).
    pub infosets: Vec<Infoset>,
    /// Outcomes.
    pub outcomes: Vec<Outcome>,
}

/// A tree to build a [`Game`] from (see [`Game::from_tree`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// A player's move.
    Decision {
        /// 0-based player index.
        player: usize,
        /// Information-set key: decision nodes of the same player with the same `Some(key)` share an
        /// information set; `None` makes a singleton set.
        infoset: Option<String>,
        /// Node label.
        label: String,
        /// `(action label, subtree)` pairs.
        actions: Vec<(String, Tree)>,
    },
    /// Nature's move.
    Chance {
        /// Node label.
        label: String,
        /// `(branch label, probability, subtree)` triples; probabilities must sum to 1.
        branches: Vec<(String, Rational, Tree)>,
    },
    /// A leaf with an outcome label and one payoff per player.
    Leaf {
        /// Outcome label.
        outcome: String,
        /// Payoffs.
        payoffs: Vec<Rational>,
    },
}

impl Tree {
    /// A singleton decision node.
    pub fn decision(player: usize, actions: Vec<(&str, Tree)>) -> Tree {
        Tree::Decision {
            player,
            infoset: None,
            label: String::new(),
            actions: actions
                .into_iter()
                .map(|(a, t)| (a.to_string(), t))
                .collect(),
        }
    }
    /// A decision node in the information set `key` of `player`.
    pub fn decision_in(player: usize, key: &str, actions: Vec<(&str, Tree)>) -> Tree {
        Tree::Decision {
            player,
            infoset: Some(key.to_string()),
            label: String::new(),
            actions: actions
                .into_iter()
                .map(|(a, t)| (a.to_string(), t))
                .collect(),
        }
    }
    /// A chance node.
    pub fn chance(branches: Vec<(&str, Rational, Tree)>) -> Tree {
        Tree::Chance {
            label: String::new(),
            branches: branches
                .into_iter()
                .map(|(a, p, t)| (a.to_string(), p, t))
                .collect(),
        }
    }
    /// A leaf with exact payoffs.
    pub fn leaf(outcome: &str, payoffs: Vec<Rational>) -> Tree {
        Tree::Leaf {
            outcome: outcome.to_string(),
            payoffs,
        }
    }
    /// A leaf with `f64` payoffs, each converted to the rational of its shortest decimal
    /// representation (`0.1` becomes `1/10`). Fails on NaN or infinite payoffs.
    pub fn leaf_f64(outcome: &str, payoffs: &[f64]) -> Result<Tree> {
        let payoffs = payoffs
            .iter()
            .map(|x| {
                rational_from_decimal(*x).ok_or_else(|| {
                    CrisisError::InvalidGame(format!("non-finite payoff {x} at `{outcome}`"))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Tree::Leaf {
            outcome: outcome.to_string(),
            payoffs,
        })
    }
}

impl Game {
    /// Builds a game from a [`Tree`] (recursive; meant for hand-built and template trees).
    ///
    /// Leaves with the same outcome label and the same payoffs share one outcome. The result is
    /// validated with [`Game::validate`].
    pub fn from_tree(title: &str, players: &[&str], tree: Tree) -> Result<Game> {
        let mut g = Game {
            title: title.to_string(),
            comment: String::new(),
            players: players.iter().map(|s| s.to_string()).collect(),
            nodes: Vec::new(),
            infosets: Vec::new(),
            outcomes: Vec::new(),
        };
        let mut keys: HashMap<(usize, String), usize> = HashMap::new();
        let mut outcome_index: HashMap<(String, Vec<Rational>), usize> = HashMap::new();
        let mut counts: HashMap<Owner, usize> = HashMap::new();
        build(
            &mut g,
            tree,
            None,
            &mut keys,
            &mut outcome_index,
            &mut counts,
        )?;
        g.validate()?;
        Ok(g)
    }

    /// Number of players.
    pub fn num_players(&self) -> usize {
        self.players.len()
    }

    /// Checks the structure: prefix order, parents, infoset consistency (same owner, same number of
    /// actions as children), chance probabilities non-negative and summing to 1, payoff vectors of the
    /// right length, player indices in range.
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(CrisisError::InvalidGame(m));
        if self.nodes.is_empty() {
            return bad("the game has no nodes".into());
        }
        if self.players.is_empty() {
            return bad("the game has no players".into());
        }
        if self.nodes[0].parent.is_some() {
            return bad("node 0 must be the root".into());
        }
        for (i, o) in self.outcomes.iter().enumerate() {
            if o.payoffs.len() != self.players.len() {
                return bad(format!(
                    "outcome {} (`{}`) has {} payoffs for {} players",
                    i + 1,
                    o.label,
                    o.payoffs.len(),
                    self.players.len()
                ));
            }
        }
        for (id, node) in self.nodes.iter().enumerate() {
            if id > 0 {
                let ok = node
                    .parent
                    .map(|(p, k)| p < id && self.nodes[p].children().get(k) == Some(&id))
                    .unwrap_or(false);
                if !ok {
                    return bad(format!("node {id}: missing or wrong parent link"));
                }
            }
            if let Some(o) = node.outcome {
                if o >= self.outcomes.len() {
                    return bad(format!("node {id} refers to a missing outcome"));
                }
            }
            for (k, &c) in node.children().iter().enumerate() {
                if c <= id || c >= self.nodes.len() {
                    return bad(format!("node {id}: child {c} breaks prefix order"));
                }
                if self.nodes[c].parent != Some((id, k)) {
                    return bad(format!("node {c}: parent link does not match node {id}"));
                }
            }
            if let Some(s) = node.infoset() {
                let Some(set) = self.infosets.get(s) else {
                    return bad(format!("node {id} refers to a missing information set"));
                };
                if !set.members.contains(&id) {
                    return bad(format!(
                        "node {id} missing from its information set's members"
                    ));
                }
                let is_chance = matches!(node.kind, NodeKind::Chance { .. });
                if is_chance != (set.owner == Owner::Chance) {
                    return bad(format!(
                        "node {id}: node kind and information-set owner disagree"
                    ));
                }
                if set.actions.len() != node.children().len() {
                    return bad(format!(
                        "node {id}: {} children but its information set has {} actions",
                        node.children().len(),
                        set.actions.len()
                    ));
                }
                if node.children().is_empty() {
                    return bad(format!("node {id}: a move with no actions"));
                }
            }
        }
        for (s, set) in self.infosets.iter().enumerate() {
            if set.members.is_empty() {
                return bad(format!("information set {s} has no members"));
            }
            if let Owner::Player(p) = set.owner {
                if p >= self.players.len() {
                    return bad(format!(
                        "information set {s} belongs to missing player {}",
                        p + 1
                    ));
                }
            } else {
                if set.probs.len() != set.actions.len() {
                    return bad(format!(
                        "chance set {s}: {} probabilities for {} actions",
                        set.probs.len(),
                        set.actions.len()
                    ));
                }
                if set.probs.iter().any(|p| p.is_negative()) {
                    return bad(format!("chance set {s}: negative probability"));
                }
                let sum: Rational = set.probs.iter().sum();
                if !sum.is_one() {
                    return bad(format!("chance set {s}: probabilities sum to {sum}, not 1"));
                }
            }
            for &m in &set.members {
                if self.nodes.get(m).and_then(|n| n.infoset()) != Some(s) {
                    return bad(format!(
                        "information set {s} lists node {m}, which is not in it"
                    ));
                }
            }
        }
        Ok(())
    }

    /// Whether every player's information set is a singleton.
    pub fn is_perfect_information(&self) -> bool {
        self.infosets
            .iter()
            .all(|s| s.owner == Owner::Chance || s.members.len() == 1)
    }

    /// Payoff vector of the outcome attached at `node` (zeros if none).
    pub fn node_payoff(&self, node: NodeId) -> Vec<Rational> {
        match self.nodes[node].outcome {
            Some(o) => self.outcomes[o].payoffs.clone(),
            None => vec![Rational::zero(); self.players.len()],
        }
    }

    /// Total payoff at a terminal node: the sum of the outcomes on the path from the root.
    pub fn terminal_payoff(&self, node: NodeId) -> Vec<Rational> {
        let mut total = vec![Rational::zero(); self.players.len()];
        let mut cur = Some(node);
        while let Some(n) = cur {
            if let Some(o) = self.nodes[n].outcome {
                for (t, v) in total.iter_mut().zip(&self.outcomes[o].payoffs) {
                    *t += v;
                }
            }
            cur = self.nodes[n].parent.map(|(p, _)| p);
        }
        total
    }

    /// Label of the outcome at a terminal node (the deepest outcome on its path), or `""`.
    pub fn terminal_label(&self, node: NodeId) -> &str {
        let mut cur = Some(node);
        while let Some(n) = cur {
            if let Some(o) = self.nodes[n].outcome {
                return &self.outcomes[o].label;
            }
            cur = self.nodes[n].parent.map(|(p, _)| p);
        }
        ""
    }

    /// Terminal nodes, in prefix order.
    pub fn terminals(&self) -> Vec<NodeId> {
        (0..self.nodes.len())
            .filter(|&n| matches!(self.nodes[n].kind, NodeKind::Terminal))
            .collect()
    }

    /// Probability that nature's moves lead to `node` (players' moves ignored).
    pub fn chance_reach(&self, node: NodeId) -> Rational {
        let mut p = Rational::one();
        let mut cur = node;
        while let Some((parent, k)) = self.nodes[cur].parent {
            if let NodeKind::Chance { infoset, .. } = self.nodes[parent].kind {
                p *= &self.infosets[infoset].probs[k];
            }
            cur = parent;
        }
        p
    }

    /// Sequence of `(infoset, action)` pairs taken by `player` on the path to `node`.
    pub fn own_history(&self, node: NodeId, player: usize) -> Vec<(usize, usize)> {
        let mut h = Vec::new();
        let mut cur = node;
        while let Some((parent, k)) = self.nodes[cur].parent {
            if let NodeKind::Decision { infoset, .. } = self.nodes[parent].kind {
                if self.infosets[infoset].owner == Owner::Player(player) {
                    h.push((infoset, k));
                }
            }
            cur = parent;
        }
        h.reverse();
        h
    }

    /// Whether the game has perfect recall: at every information set all members share the owner's
    /// own history of information sets and actions.
    pub fn has_perfect_recall(&self) -> bool {
        self.infosets.iter().all(|set| match set.owner {
            Owner::Chance => true,
            Owner::Player(p) => {
                let first = self.own_history(set.members[0], p);
                set.members
                    .iter()
                    .skip(1)
                    .all(|&m| self.own_history(m, p) == first)
            }
        })
    }

    /// Index of the information set of `owner` with `.efg` number `number`, if any.
    pub fn find_infoset(&self, owner: Owner, number: usize) -> Option<usize> {
        self.infosets
            .iter()
            .position(|s| s.owner == owner && s.number == number)
    }
}

fn build(
    g: &mut Game,
    tree: Tree,
    parent: Option<(NodeId, usize)>,
    keys: &mut HashMap<(usize, String), usize>,
    outcome_index: &mut HashMap<(String, Vec<Rational>), usize>,
    counts: &mut HashMap<Owner, usize>,
) -> Result<NodeId> {
    let id = g.nodes.len();
    match tree {
        Tree::Leaf { outcome, payoffs } => {
            if payoffs.len() != g.players.len() {
                return Err(CrisisError::InvalidGame(format!(
                    "leaf `{outcome}` has {} payoffs for {} players",
                    payoffs.len(),
                    g.players.len()
                )));
            }
            let key = (outcome.clone(), payoffs.clone());
            let o = match outcome_index.get(&key) {
                Some(&o) => o,
                None => {
                    g.outcomes.push(Outcome {
                        label: outcome,
                        payoffs,
                    });
                    outcome_index.insert(key, g.outcomes.len() - 1);
                    g.outcomes.len() - 1
                }
            };
            g.nodes.push(Node {
                label: String::new(),
                kind: NodeKind::Terminal,
                outcome: Some(o),
                parent,
            });
        }
        Tree::Decision {
            player,
            infoset,
            label,
            actions,
        } => {
            if player >= g.players.len() {
                return Err(CrisisError::InvalidGame(format!(
                    "decision node for missing player {}",
                    player + 1
                )));
            }
            let names: Vec<String> = actions.iter().map(|(a, _)| a.clone()).collect();
            let s = match infoset
                .as_ref()
                .and_then(|k| keys.get(&(player, k.clone())))
            {
                Some(&s) => {
                    if g.infosets[s].actions != names {
                        return Err(CrisisError::InvalidGame(format!(
                            "information set `{}` of player {} used with different actions",
                            infoset.unwrap_or_default(),
                            player + 1
                        )));
                    }
                    g.infosets[s].members.push(id);
                    s
                }
                None => {
                    let c = counts.entry(Owner::Player(player)).or_insert(0);
                    *c += 1;
                    g.infosets.push(Infoset {
                        owner: Owner::Player(player),
                        number: *c,
                        label: infoset.clone().unwrap_or_default(),
                        actions: names,
                        probs: Vec::new(),
                        members: vec![id],
                    });
                    let s = g.infosets.len() - 1;
                    if let Some(k) = infoset {
                        keys.insert((player, k), s);
                    }
                    s
                }
            };
            g.nodes.push(Node {
                label,
                kind: NodeKind::Decision {
                    infoset: s,
                    children: Vec::new(),
                },
                outcome: None,
                parent,
            });
            let mut children = Vec::new();
            for (k, (_, sub)) in actions.into_iter().enumerate() {
                children.push(build(g, sub, Some((id, k)), keys, outcome_index, counts)?);
            }
            if let NodeKind::Decision { children: c, .. } = &mut g.nodes[id].kind {
                *c = children;
            }
        }
        Tree::Chance { label, branches } => {
            let c = counts.entry(Owner::Chance).or_insert(0);
            *c += 1;
            g.infosets.push(Infoset {
                owner: Owner::Chance,
                number: *c,
                label: String::new(),
                actions: branches.iter().map(|b| b.0.clone()).collect(),
                probs: branches.iter().map(|b| b.1.clone()).collect(),
                members: vec![id],
            });
            let s = g.infosets.len() - 1;
            g.nodes.push(Node {
                label,
                kind: NodeKind::Chance {
                    infoset: s,
                    children: Vec::new(),
                },
                outcome: None,
                parent,
            });
            let mut children = Vec::new();
            for (k, (_, _, sub)) in branches.into_iter().enumerate() {
                children.push(build(g, sub, Some((id, k)), keys, outcome_index, counts)?);
            }
            if let NodeKind::Chance { children: c, .. } = &mut g.nodes[id].kind {
                *c = children;
            }
        }
    }
    Ok(id)
}
