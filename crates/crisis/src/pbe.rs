//! Pure perfect Bayesian equilibria of two-player games with private information.
//!
//! Scope: two players (plus nature), perfect recall, information sets of any size, e.g. a sender
//! whose type is a chance move at the root and a receiver whose information sets link the types' nodes
//! (Harsanyi 1967-68). Pure behavioural profiles are searched exhaustively:
//!
//! 1. Decision nodes whose whole subtree has only singleton player information sets and no payoff
//!    ties form proper perfect-information subgames; their play is the same in every PBE, so it is
//!    fixed by backward induction first. Such a node with a tie at itself only (none below) ranges
//!    over its tied best actions.
//! 2. Every remaining player information set is enumerated over all its actions (at most
//!    [`MAX_PROFILES`] profiles in all, and at most [`MAX_WORK`] profiles times nodes, since each
//!    profile is checked over the tree; beyond that the game is refused at once, with its size,
//!    rather than searched for minutes).
//! 3. Beliefs: Bayes' rule at every information set reached with positive probability. At sets the
//!    profile does not reach, the [`OffPathBelief`] rule applies:
//!    - [`OffPathBelief::Supporting`] (default): the belief that makes the best deviation least
//!      attractive, i.e. maximises `min_b Σ μ(n) [V(n,σ) − V(n,b)]` over the simplex (an exact LP,
//!      solved by vertex enumeration). The profile survives if that margin is non-negative: this is
//!      weak PBE, where off-path beliefs are free.
//!    - [`OffPathBelief::Prior`] (passive beliefs): the members' probabilities under nature's moves
//!      alone, renormalised (uniform if nature gives them all zero).
//! 4. A profile is kept when its [certificate](crate::certify) shows zero regret at every information
//!    set, on and off the path, given those beliefs.
//!
//! Refused with [`CrisisError::Unsupported`]: more than two players with imperfect information,
//! imperfect recall, too many profiles. [`CrisisError::NoEquilibrium`] when no pure profile passes
//! (mixed PBE are not computed).
//!
//! # References
//! Fudenberg, D. and Tirole, J. (1991), "Perfect Bayesian equilibrium and sequential equilibrium",
//! *Journal of Economic Theory* 53, 236-260. Cho, I.-K. and Kreps, D. (1987), "Signaling games and
//! stable equilibria", *QJE* 102, 179-221 (the beer-quiche game used in the tests).

use crate::certify::{certify_with, reach_with, values_with, Beliefs, NumGame, Profile};
use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeKind, Owner};
use crate::num::Field;
use crate::spe::{summarize, Equilibrium};
use serde::Serialize;

/// Largest number of pure profiles the PBE solver enumerates.
pub const MAX_PROFILES: usize = 1 << 20;

/// Largest number of pure profiles times nodes the PBE solver takes on (a bound on its time: about
/// ten seconds at worst in exact arithmetic, usually far less since most profiles fail early). A
/// 1.6 KB game with 2^20 profiles of 83 nodes took 110 s; the two-type, sixteen-set crisis games
/// of mapping 2 (65,536 profiles of up to 79 nodes) stay inside the bound.
pub const MAX_WORK: usize = 1 << 23;

/// How beliefs are set at information sets the equilibrium does not reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OffPathBelief {
    /// The belief that makes the best deviation least attractive (weak PBE).
    Supporting,
    /// Nature's probabilities of the members, renormalised (passive beliefs).
    Prior,
}

/// Pure perfect Bayesian equilibria found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PbeSolution<T> {
    /// Equilibria with beliefs and certificates, in enumeration order.
    pub equilibria: Vec<Equilibrium<T>>,
    /// The off-path belief rule used.
    pub rule: OffPathBelief,
    /// Number of pure profiles examined.
    pub profiles_checked: usize,
}

/// Solves a two-player game (with chance) for all pure perfect Bayesian equilibria.
pub fn solve_pbe<T: Field>(game: &Game, rule: OffPathBelief) -> Result<PbeSolution<T>> {
    game.validate()?;
    if game.players.len() != 2 && !game.is_perfect_information() {
        return Err(CrisisError::Unsupported(format!(
            "{} players with imperfect information: only two-player games are solved for PBE",
            game.players.len()
        )));
    }
    if !game.has_perfect_recall() {
        return Err(CrisisError::Unsupported(
            "imperfect recall: a player forgets own earlier moves".into(),
        ));
    }
    let ng = NumGame::<T>::new(game);
    let n = game.nodes.len();
    let np = game.players.len();
    // Step 1: fixed nodes (tie-free perfect-information subtrees).
    let mut singleton_below = vec![true; n];
    let mut tie_below = vec![false; n];
    let mut tied_here: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut bi_value: Vec<Vec<T>> = vec![Vec::new(); n];
    let mut bi_choice = vec![0usize; n];
    for id in (0..n).rev() {
        let node = &game.nodes[id];
        let mut v = match &ng.node_pay[id] {
            Some(p) => p.clone(),
            None => vec![T::zero(); np],
        };
        let kids = node.children();
        let mut single = kids.iter().all(|&c| singleton_below[c]);
        let mut tie = kids.iter().any(|&c| tie_below[c]);
        match &node.kind {
            NodeKind::Terminal => {}
            NodeKind::Chance { infoset, children } => {
                if single {
                    for (k, &c) in children.iter().enumerate() {
                        for (x, y) in v.iter_mut().zip(&bi_value[c]) {
                            *x = x.add(&ng.probs[*infoset][k].mul(y));
                        }
                    }
                }
            }
            NodeKind::Decision { infoset, children } => {
                single &= game.infosets[*infoset].members.len() == 1;
                if single {
                    let Owner::Player(i) = game.infosets[*infoset].owner else {
                        return unreachable_owner();
                    };
                    let mut best = 0;
                    for a in 1..children.len() {
                        if bi_value[children[a]][i].beats(&bi_value[children[best]][i]) {
                            best = a;
                        }
                    }
                    let tied: Vec<usize> = (0..children.len())
                        .filter(|&a| bi_value[children[a]][i].tie(&bi_value[children[best]][i]))
                        .collect();
                    if tied.len() > 1 {
                        tied_here[id] = tied;
                        tie = true;
                    }
                    bi_choice[id] = best;
                    for (x, y) in v.iter_mut().zip(&bi_value[children[best]]) {
                        *x = x.add(y);
                    }
                }
            }
        }
        singleton_below[id] = single;
        tie_below[id] = tie;
        if single {
            bi_value[id] = v;
        }
    }
    // Step 2: the enumerated sets and the actions each may take. A singleton set with a tie only at
    // its own node (none below) ranges over its tied best actions; other non-fixed sets over all.
    let mut actions: Vec<Option<usize>> = vec![None; game.infosets.len()];
    let mut free: Vec<(usize, Vec<usize>)> = Vec::new();
    for (s, set) in game.infosets.iter().enumerate() {
        if set.owner == Owner::Chance {
            continue;
        }
        let m = set.members[0];
        let tie_strictly_below = game.nodes[m].children().iter().any(|&c| tie_below[c]);
        if set.members.len() == 1 && singleton_below[m] && !tie_below[m] {
            actions[s] = Some(bi_choice[m]);
        } else if set.members.len() == 1 && singleton_below[m] && !tie_strictly_below {
            actions[s] = Some(tied_here[m][0]);
            free.push((s, tied_here[m].clone()));
        } else {
            actions[s] = Some(0);
            free.push((s, (0..set.actions.len()).collect()));
        }
    }
    let mut total: usize = 1;
    for (_, allowed) in &free {
        total = total
            .checked_mul(allowed.len())
            .filter(|&t| t <= MAX_PROFILES)
            .ok_or_else(|| {
                CrisisError::Unsupported(format!(
                    "more than {MAX_PROFILES} pure profiles over {} information sets to enumerate",
                    free.len()
                ))
            })?;
    }
    if total.saturating_mul(n) > MAX_WORK {
        return Err(CrisisError::Unsupported(format!(
            "{total} pure profiles over {} information sets, each checked over {n} nodes, is more than brink searches (at most {MAX_WORK} profiles times nodes)",
            free.len()
        )));
    }
    let mut cursor = vec![0usize; free.len()];
    // Nodes whose value is the same under every candidate profile, and the sets that need checking
    // while screening (tie-restricted singletons are optimal by construction).
    let fixed: Vec<bool> = (0..n)
        .map(|id| singleton_below[id] && !tie_below[id])
        .collect();
    let checked_sets: Vec<usize> = free
        .iter()
        .filter(|(s, allowed)| allowed.len() == game.infosets[*s].actions.len())
        .map(|(s, _)| *s)
        .collect();
    let mut equilibria = Vec::new();
    let mut checked = 0usize;
    loop {
        checked += 1;
        let profile = Profile {
            actions: actions.clone(),
        };
        if !screen(game, &ng, &profile, rule, &fixed, &bi_value, &checked_sets)? {
            if !advance(&mut cursor, &mut actions, &free) {
                break;
            }
            continue;
        }
        let values = values_with(game, &ng, &profile);
        let reach = reach_with(game, &ng, &profile);
        if let Some(beliefs) = beliefs_with(game, &profile, rule, &values, &reach)? {
            let cert = certify_with(game, &profile, &beliefs, &values, &reach)?;
            if cert.is_equilibrium() {
                equilibria.push(summarize(game, &ng, profile, beliefs)?);
            }
        }
        if !advance(&mut cursor, &mut actions, &free) {
            break;
        }
    }
    if equilibria.is_empty() {
        return Err(CrisisError::NoEquilibrium(format!(
            "no pure-strategy PBE among {checked} profiles with off-path rule {rule:?} (a mixed one exists but is not computed)"
        )));
    }
    Ok(PbeSolution {
        equilibria,
        rule,
        profiles_checked: checked,
    })
}

/// Moves the odometer over the enumerated sets (last varies fastest); false when it wraps around.
fn advance(
    cursor: &mut [usize],
    actions: &mut [Option<usize>],
    free: &[(usize, Vec<usize>)],
) -> bool {
    let mut pos = free.len();
    while pos > 0 {
        pos -= 1;
        let (s, allowed) = &free[pos];
        cursor[pos] += 1;
        if cursor[pos] < allowed.len() {
            actions[*s] = Some(allowed[cursor[pos]]);
            return true;
        }
        cursor[pos] = 0;
        actions[*s] = Some(allowed[0]);
    }
    false
}

/// Quick necessary test of a profile: values recomputed only outside the fixed subtrees, and zero
/// regret (given Bayes or rule beliefs) required at the enumerated sets. Profiles that pass get the
/// full certificate afterwards.
fn screen<T: Field>(
    game: &Game,
    ng: &NumGame<T>,
    profile: &Profile,
    rule: OffPathBelief,
    fixed: &[bool],
    bi_value: &[Vec<T>],
    sets: &[usize],
) -> Result<bool> {
    let n = game.nodes.len();
    let np = game.players.len();
    let mut vals: Vec<Option<Vec<T>>> = vec![None; n];
    for id in (0..n).rev() {
        if fixed[id] {
            continue;
        }
        let mut v = match &ng.node_pay[id] {
            Some(p) => p.clone(),
            None => vec![T::zero(); np],
        };
        {
            let get = |c: usize| -> &[T] {
                if fixed[c] {
                    &bi_value[c]
                } else {
                    vals[c].as_deref().unwrap_or(&[])
                }
            };
            match &game.nodes[id].kind {
                NodeKind::Terminal => {}
                NodeKind::Decision { infoset, children } => {
                    let a = profile.actions[*infoset].unwrap_or(0);
                    for (x, y) in v.iter_mut().zip(get(children[a])) {
                        *x = x.add(y);
                    }
                }
                NodeKind::Chance { infoset, children } => {
                    for (k, &c) in children.iter().enumerate() {
                        let q = &ng.probs[*infoset][k];
                        for (x, y) in v.iter_mut().zip(get(c)) {
                            *x = x.add(&q.mul(y));
                        }
                    }
                }
            }
        }
        vals[id] = Some(v);
    }
    let mut reach: Vec<T> = vec![T::zero(); n];
    reach[0] = T::one();
    for id in 0..n {
        if fixed[id] || reach[id] == T::zero() {
            continue;
        }
        match &game.nodes[id].kind {
            NodeKind::Terminal => {}
            NodeKind::Decision { infoset, children } => {
                let a = profile.actions[*infoset].unwrap_or(0);
                reach[children[a]] = reach[id].clone();
            }
            NodeKind::Chance { infoset, children } => {
                for (k, &c) in children.iter().enumerate() {
                    reach[c] = reach[id].mul(&ng.probs[*infoset][k]);
                }
            }
        }
    }
    for &s in sets {
        let Owner::Player(i) = game.infosets[s].owner else {
            continue;
        };
        let val = |c: usize| -> T {
            let v: &[T] = if fixed[c] {
                &bi_value[c]
            } else {
                vals[c].as_deref().unwrap_or(&[])
            };
            v.get(i).cloned().unwrap_or_else(T::zero)
        };
        let a = profile.actions[s].unwrap_or(0);
        let Some(mu) = belief_at(game, s, a, rule, &|m| reach[m].clone(), &val)? else {
            return Ok(false);
        };
        let set = &game.infosets[s];
        let u = |b: usize| {
            set.members.iter().zip(&mu).fold(T::zero(), |acc, (&m, w)| {
                acc.add(&w.mul(&val(game.nodes[m].children()[b])))
            })
        };
        let ua = u(a);
        if (0..set.actions.len()).any(|b| b != a && u(b).beats(&ua)) {
            return Ok(false);
        }
    }
    Ok(true)
}

fn unreachable_owner<X>() -> Result<X> {
    Err(CrisisError::InvalidGame(
        "a decision node in a chance information set".into(),
    ))
}

/// Beliefs for a pure profile: Bayes' rule on the path, `rule` off it. `None` when the `Supporting`
/// rule finds no belief that makes the prescribed action optimal at some off-path set.
pub fn beliefs<T: Field>(
    game: &Game,
    profile: &Profile,
    rule: OffPathBelief,
) -> Result<Option<Beliefs<T>>> {
    crate::certify::check_profile(game, profile)?;
    let ng = NumGame::new(game);
    let values = values_with(game, &ng, profile);
    let reach = reach_with(game, &ng, profile);
    beliefs_with(game, profile, rule, &values, &reach)
}

fn beliefs_with<T: Field>(
    game: &Game,
    profile: &Profile,
    rule: OffPathBelief,
    values: &[Vec<T>],
    reach: &[T],
) -> Result<Option<Beliefs<T>>> {
    let mut at = Vec::with_capacity(game.infosets.len());
    for (s_idx, set) in game.infosets.iter().enumerate() {
        let Owner::Player(i) = set.owner else {
            at.push(Vec::new());
            continue;
        };
        let a = profile.actions[s_idx].unwrap_or(0);
        match belief_at(game, s_idx, a, rule, &|m| reach[m].clone(), &|c| {
            values[c][i].clone()
        })? {
            Some(mu) => at.push(mu),
            None => return Ok(None),
        }
    }
    Ok(Some(Beliefs { at }))
}

/// Belief at player set `s_idx` whose prescribed action is `a`: Bayes if reached, else the rule.
/// `reach(node)` is the node's probability; `val(node)` the mover's value from `node` on.
/// `None` when the `Supporting` rule finds no belief making `a` optimal.
fn belief_at<T: Field>(
    game: &Game,
    s_idx: usize,
    a: usize,
    rule: OffPathBelief,
    reach: &dyn Fn(usize) -> T,
    val: &dyn Fn(usize) -> T,
) -> Result<Option<Vec<T>>> {
    let set = &game.infosets[s_idx];
    let r: Vec<T> = set.members.iter().map(|&m| reach(m)).collect();
    let total = r.iter().fold(T::zero(), |acc, x| acc.add(x));
    if total > T::zero() && !total.is_zero_tol() {
        return Ok(Some(
            r.iter()
                .map(|x| x.div(&total).unwrap_or_else(T::zero))
                .collect(),
        ));
    }
    match rule {
        OffPathBelief::Prior => {
            let w: Vec<T> = set
                .members
                .iter()
                .map(|&m| T::from_rational(&game.chance_reach(m)))
                .collect();
            let tot = w.iter().fold(T::zero(), |acc, x| acc.add(x));
            Ok(Some(match T::one().div(&tot) {
                Some(inv) if !tot.is_zero_tol() => w.iter().map(|x| x.mul(&inv)).collect(),
                _ => {
                    let k = T::from_rational(&crate::num::Rational::from_integer(
                        (set.members.len() as i64).into(),
                    ));
                    set.members
                        .iter()
                        .map(|_| T::one().div(&k).unwrap_or_else(T::one))
                        .collect()
                }
            }))
        }
        OffPathBelief::Supporting => {
            if set.members.len() == 1 {
                return Ok(Some(vec![T::one()]));
            }
            // d[b][j] = V_i(child(m_j, a)) - V_i(child(m_j, b))
            let d: Vec<Vec<T>> = (0..set.actions.len())
                .filter(|&b| b != a)
                .map(|b| {
                    set.members
                        .iter()
                        .map(|&m| {
                            let ch = game.nodes[m].children();
                            val(ch[a]).sub(&val(ch[b]))
                        })
                        .collect()
                })
                .collect();
            supporting_belief(&d, set.members.len())
        }
    }
}

/// Maximises `t` subject to `Σ_j μ_j d[b][j] ≥ t` for all `b`, `μ` in the simplex; returns the
/// maximiser if the optimum is `≥ 0` (within the tie tolerance), else `None`. Exact vertex enumeration.
fn supporting_belief<T: Field>(d: &[Vec<T>], k: usize) -> Result<Option<Vec<T>>> {
    if d.is_empty() {
        let mut mu = vec![T::zero(); k];
        mu[0] = T::one();
        return Ok(Some(mu));
    }
    if k > 8 || d.len() > 8 {
        return Err(CrisisError::Unsupported(
            "off-path belief search limited to information sets of at most 8 nodes and 9 actions"
                .into(),
        ));
    }
    // Unknowns x = (μ_1..μ_k, t). Constraints: k of the form μ_j ≥ 0, d.len() of the form Σ μ d_b − t ≥ 0.
    // A vertex: Σ μ = 1 plus k active constraints.
    let m = d.len();
    let ncons = k + m;
    let mut best: Option<(T, Vec<T>)> = None;
    let mut pick = vec![0usize; k];
    // Enumerate k-subsets of 0..ncons in lexicographic order.
    for (j, p) in pick.iter_mut().enumerate() {
        *p = j;
    }
    loop {
        // Build the (k+1)x(k+1) system.
        let mut rows: Vec<Vec<T>> = Vec::with_capacity(k + 1);
        let mut row = vec![T::one(); k];
        row.push(T::zero());
        row.push(T::one());
        rows.push(row);
        for &c in &pick {
            let mut row = vec![T::zero(); k + 2];
            if c < k {
                row[c] = T::one();
            } else {
                row[..k].clone_from_slice(&d[c - k][..k]);
                row[k] = T::zero().sub(&T::one());
            }
            rows.push(row);
        }
        if let Some(x) = solve_linear(rows, k + 1) {
            let mu = &x[..k];
            let t = &x[k];
            let feasible = mu.iter().all(|v| v.nonneg())
                && d.iter().all(|db| {
                    let s = db
                        .iter()
                        .zip(mu)
                        .fold(T::zero(), |a, (dj, mj)| a.add(&dj.mul(mj)));
                    let gap = s.sub(t);
                    gap.nonneg()
                });
            if feasible && best.as_ref().map(|(bt, _)| t.beats(bt)).unwrap_or(true) {
                best = Some((t.clone(), mu.to_vec()));
            }
        }
        // Next subset.
        let mut i = k;
        loop {
            if i == 0 {
                return Ok(best.and_then(|(t, mu)| if t.nonneg() { Some(mu) } else { None }));
            }
            i -= 1;
            if pick[i] < ncons - k + i {
                pick[i] += 1;
                for j in i + 1..k {
                    pick[j] = pick[j - 1] + 1;
                }
                break;
            }
        }
    }
}

/// Gaussian elimination on an augmented `n x (n+1)` system; `None` if singular.
fn solve_linear<T: Field>(mut a: Vec<Vec<T>>, n: usize) -> Option<Vec<T>> {
    for col in 0..n {
        let piv = (col..n).find(|&r| !a[r][col].is_zero_tol())?;
        a.swap(col, piv);
        for r in 0..n {
            if r != col && !a[r][col].is_zero_tol() {
                let f = a[r][col].div(&a[col][col])?;
                let pivot_row = a[col].clone();
                for (x, y) in a[r].iter_mut().zip(&pivot_row).skip(col) {
                    *x = x.sub(&f.mul(y));
                }
            }
        }
    }
    (0..n).map(|r| a[r][n].div(&a[r][r])).collect()
}
