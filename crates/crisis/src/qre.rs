//! The logit agent quantal response equilibrium (AQRE): play with errors, a probability for every
//! action, smooth in the payoffs.
//!
//! At each information set `h` of player `i`, the mover picks action `a` with the logit probability
//!
//! `σ_h(a) = exp(λ_i Q_h(a)) / Σ_b exp(λ_i Q_h(b))`,
//!
//! where `Q_h(a) = Σ_{n∈h} μ_h(n) V_i(child(n, a))` is the expected payoff of `a` given the belief
//! `μ_h` over the set's nodes and everyone's play `σ` afterwards, and `V_i(n)` is `i`'s expected payoff
//! from node `n` on (outcomes met along the way included, chance averaged). Beliefs follow Bayes'
//! rule, `μ_h(n) = ρ(n) / Σ_{m∈h} ρ(m)` with `ρ` the probability of reaching `n` under `σ` and
//! nature; since every `σ_h(a) > 0`, every set that nature does not cut off is reached and Bayes'
//! rule applies everywhere (at a set that only zero-probability chance moves lead to, the belief is
//! uniform; the certificate counts such sets). An AQRE is a fixed point `σ = Λ_λ(σ)` of this logit
//! response. `λ_i = λ · scale_i` is player `i`'s precision: `λ = 0` is uniform play; as `λ → ∞` the
//! AQRE approaches a sequential equilibrium (McKelvey and Palfrey 1998, theorem 6), along a unique
//! branch from `λ = 0` for generic games (the "principal branch", Turocy 2005). The scale of `λ` is
//! the scale of the payoffs: with payoffs in units of each side's stake (as the crisis mapping
//! writes them), `λ = 1` means an option worth one stake more is `e` times as likely.
//!
//! **Solving.** Perfect information (every player set a singleton; chance anywhere): exact backward
//! recursion, each node's logit choice computed from its children's values (Signorino 1999's
//! strategic choice model). Otherwise: the principal branch is traced from `λ = 0` (uniform play)
//! to the target by pseudo-arclength continuation (predictor along the tangent, Newton corrector on
//! the fixed-point equations in log-odds `x_h(a) = ln σ_h(a) − ln σ_h(0) = λ_i (Q_h(a) − Q_h(0))`),
//! which follows the branch through turning points in `λ`; the last point is found by Newton's
//! method at the target `λ` itself.
//!
//! **Certificate.** [`certify_qre`] recomputes, for a given profile and beliefs, the largest
//! fixed-point residual `max_{h,a} |σ_h(a) − Λ_λ(σ)_h(a)|` and the largest gap between the
//! beliefs and Bayes' rule; both are ~1e-12 or less for a solution, and reported with it.
//!
//! # References
//! McKelvey, R. D. and Palfrey, T. R. (1995), "Quantal response equilibria for normal form games",
//! *Games and Economic Behavior* 10, 6-38. McKelvey, R. D. and Palfrey, T. R. (1998), "Quantal
//! response equilibria for extensive form games", *Experimental Economics* 1, 9-41. Signorino, C. S.
//! (1999), "Strategic interaction and the statistical analysis of international conflict", *APSR*
//! 93(2), 279-297. Turocy, T. L. (2005), "A dynamic homotopy interpretation of the logistic quantal
//! response equilibrium correspondence", *Games and Economic Behavior* 51, 243-263. Allgower, E. L.
//! and Georg, K. (2003), *Introduction to Numerical Continuation Methods*, SIAM (pseudo-arclength).

use crate::certify::NumGame;
use crate::error::{CrisisError, Result};
use crate::game::{Game, NodeKind, Owner};
use crate::templates::{classify_outcome, OutcomeClass};
use serde::Serialize;

/// The logit choice probabilities `exp(λ u_a) / Σ_b exp(λ u_b)`, computed stably (the largest
/// term factored out). `λ = 0` gives the uniform distribution.
pub fn logit(values: &[f64], lambda: f64) -> Vec<f64> {
    let mut out = vec![0.0; values.len()];
    logit_into(values, lambda, &mut out);
    out
}

/// [`logit`] writing into `out` (same length as `values`).
pub fn logit_into(values: &[f64], lambda: f64, out: &mut [f64]) {
    let m = values.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let mut sum = 0.0;
    for (o, &v) in out.iter_mut().zip(values) {
        *o = (lambda * (v - m)).exp();
        sum += *o;
    }
    for o in out.iter_mut() {
        *o /= sum;
    }
}

/// How an AQRE was found.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum QreMethod {
    /// Exact backward recursion (perfect information).
    BackwardRecursion,
    /// The principal branch traced from `λ = 0` (imperfect information).
    Continuation {
        /// Predictor-corrector steps taken.
        steps: usize,
        /// Whether the branch turned back in `λ` on the way (a fold).
        turned: bool,
    },
}

/// The certificate of an AQRE (see the module docs).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QreCertificate {
    /// Largest `|σ_h(a) − logit response_h(a)|` over every player set and action, on and off the
    /// path (every set is on the path of a full-support profile).
    pub max_residual: f64,
    /// Largest `|μ_h(n) − Bayes' rule|` over every player set reached with positive probability.
    pub max_bayes_gap: f64,
    /// Player sets that nature alone cuts off (reached with probability 0; uniform belief there).
    pub unreached: usize,
}

impl QreCertificate {
    /// Whether both residuals are within `tol`.
    pub fn passes(&self, tol: f64) -> bool {
        self.max_residual <= tol && self.max_bayes_gap <= tol
    }
}

/// An AQRE of a game at one precision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QreSolution {
    /// Each player's precision `λ_i`.
    pub lambda: Vec<f64>,
    /// Per information set (indexed like [`Game::infosets`]): the probability of each action
    /// (nature's own probabilities at chance sets).
    pub strategies: Vec<Vec<f64>>,
    /// Per information set: the belief over its members (empty for chance sets).
    pub beliefs: Vec<Vec<f64>>,
    /// Per information set: the mover's expected payoff of each action given the belief (empty for
    /// chance sets).
    pub action_values: Vec<Vec<f64>>,
    /// Each player's expected payoff.
    pub payoffs: Vec<f64>,
    /// Probability of each outcome label (labels in order of first appearance in the tree; every
    /// terminal of positive chance probability has positive probability).
    pub outcome_probs: Vec<(String, f64)>,
    /// The residuals of the solution.
    pub certificate: QreCertificate,
    /// How it was found.
    pub method: QreMethod,
}

impl QreSolution {
    /// Probability of each outcome class of [`classify_outcome`] (labels that fit no class under
    /// `None`), in the order war, negotiation, status quo, acquiescence, capitulation.
    pub fn class_probabilities(&self) -> Vec<(Option<OutcomeClass>, f64)> {
        let mut out: Vec<(Option<OutcomeClass>, f64)> = Vec::new();
        for (label, p) in &self.outcome_probs {
            let c = classify_outcome(label);
            match out.iter_mut().find(|(k, _)| *k == c) {
                Some((_, q)) => *q += p,
                None => out.push((c, *p)),
            }
        }
        let rank = |c: &Option<OutcomeClass>| match c {
            Some(OutcomeClass::War) => (0, 0),
            Some(OutcomeClass::Negotiation) => (1, 0),
            Some(OutcomeClass::StatusQuo) => (2, 0),
            Some(OutcomeClass::Acquiescence(i)) => (3, *i),
            Some(OutcomeClass::Capitulation(i)) => (4, *i),
            None => (5, 0),
        };
        out.sort_by_key(|(c, _)| rank(c));
        out
    }
}

/// The game in flat `f64` form.
struct Flat {
    np: usize,
    /// Per node: payoff of its outcome (zeros if none), `np` entries.
    pay: Vec<f64>,
    /// Player information sets: (infoset index, owner).
    sets: Vec<(usize, usize)>,
    /// Per infoset: offset into the log-odds vector (player sets only).
    offset: Vec<usize>,
    /// Length of the log-odds vector.
    dim: usize,
    chance: Vec<Vec<f64>>,
}

impl Flat {
    fn new(game: &Game) -> Flat {
        let np = game.players.len();
        let ng = NumGame::<f64>::new(game);
        let mut pay = vec![0.0; game.nodes.len() * np];
        for (id, p) in ng.node_pay.iter().enumerate() {
            if let Some(p) = p {
                pay[id * np..(id + 1) * np].copy_from_slice(p);
            }
        }
        let mut sets = Vec::new();
        let mut offset = vec![0; game.infosets.len()];
        let mut dim = 0;
        for (s, set) in game.infosets.iter().enumerate() {
            if let Owner::Player(i) = set.owner {
                sets.push((s, i));
                offset[s] = dim;
                dim += set.actions.len() - 1;
            }
        }
        Flat {
            np,
            pay,
            sets,
            offset,
            dim,
            chance: ng.probs,
        }
    }
}

/// A behaviour profile with its log-probabilities (kept apart so that beliefs stay exact when a
/// probability underflows to zero in `f64`).
struct Beh {
    p: Vec<Vec<f64>>,
    lp: Vec<Vec<f64>>,
}

impl Beh {
    /// From probabilities (log taken here; a zero is `-inf`).
    fn from_probs(p: Vec<Vec<f64>>) -> Beh {
        let lp = p
            .iter()
            .map(|v| v.iter().map(|x| x.ln()).collect())
            .collect();
        Beh { p, lp }
    }
}

/// Node values (flat, `np` per node), reach probabilities and their logs under a profile.
fn values_and_reach(game: &Game, f: &Flat, b: &Beh) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let n = game.nodes.len();
    let np = f.np;
    let mut reach = vec![0.0; n];
    let mut log_reach = vec![0.0; n];
    reach[0] = 1.0;
    for id in 0..n {
        let node = &game.nodes[id];
        if let Some(s) = node.infoset() {
            for (k, &c) in node.children().iter().enumerate() {
                reach[c] = reach[id] * b.p[s][k];
                log_reach[c] = log_reach[id] + b.lp[s][k];
            }
        }
    }
    let mut v = f.pay.clone();
    for id in (0..n).rev() {
        let node = &game.nodes[id];
        if let Some(s) = node.infoset() {
            for (k, &c) in node.children().iter().enumerate() {
                let q = b.p[s][k];
                for p in 0..np {
                    v[id * np + p] += q * v[c * np + p];
                }
            }
        }
    }
    (v, reach, log_reach)
}

/// Bayes' rule at a set from the members' log reach probabilities; `None` if nature cuts it off.
fn bayes(members: &[usize], log_reach: &[f64]) -> Option<Vec<f64>> {
    let m = members
        .iter()
        .fold(f64::NEG_INFINITY, |a, &k| a.max(log_reach[k]));
    if m == f64::NEG_INFINITY || m.is_nan() {
        return None;
    }
    let w: Vec<f64> = members.iter().map(|&k| (log_reach[k] - m).exp()).collect();
    let total: f64 = w.iter().sum();
    Some(w.iter().map(|x| x / total).collect())
}

/// Beliefs and action values at every player set (uniform belief where the set is unreached).
fn beliefs_and_q(
    game: &Game,
    f: &Flat,
    v: &[f64],
    log_reach: &[f64],
) -> (Vec<Vec<f64>>, Vec<Vec<f64>>, usize) {
    let mut beliefs = vec![Vec::new(); game.infosets.len()];
    let mut q = vec![Vec::new(); game.infosets.len()];
    let mut unreached = 0;
    for &(s, i) in &f.sets {
        let set = &game.infosets[s];
        let mu = bayes(&set.members, log_reach).unwrap_or_else(|| {
            unreached += 1;
            vec![1.0 / set.members.len() as f64; set.members.len()]
        });
        let mut qa = vec![0.0; set.actions.len()];
        for (&m, &w) in set.members.iter().zip(&mu) {
            for (a, &c) in game.nodes[m].children().iter().enumerate() {
                qa[a] += w * v[c * f.np + i];
            }
        }
        beliefs[s] = mu;
        q[s] = qa;
    }
    (beliefs, q, unreached)
}

fn outcome_probs(game: &Game, reach: &[f64]) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = Vec::new();
    for t in game.terminals() {
        let label = game.terminal_label(t);
        match out.iter_mut().find(|(l, _)| l == label) {
            Some((_, p)) => *p += reach[t],
            None => out.push((label.to_string(), reach[t])),
        }
    }
    out
}

fn check_lambda(game: &Game, lambda: &[f64]) -> Result<()> {
    if lambda.len() != game.players.len() {
        return Err(CrisisError::InvalidParameter {
            name: "lambda",
            message: format!(
                "{} precisions for {} players",
                lambda.len(),
                game.players.len()
            ),
        });
    }
    if lambda.iter().any(|l| !l.is_finite() || *l < 0.0) {
        return Err(CrisisError::InvalidParameter {
            name: "lambda",
            message: "each precision must be finite and non-negative".into(),
        });
    }
    Ok(())
}

/// The AQRE of `game` with the same precision `λ` for every player.
pub fn solve_qre(game: &Game, lambda: f64) -> Result<QreSolution> {
    solve_qre_per_player(game, &vec![lambda; game.players.len()])
}

/// The AQRE of `game` with player `i`'s precision `lambda[i]` (see the module docs): exact for
/// perfect information, by continuation along the principal branch otherwise.
pub fn solve_qre_per_player(game: &Game, lambda: &[f64]) -> Result<QreSolution> {
    game.validate()?;
    check_lambda(game, lambda)?;
    let f = Flat::new(game);
    if game.is_perfect_information() {
        return Ok(backward(game, &f, lambda));
    }
    if !game.has_perfect_recall() {
        return Err(CrisisError::Unsupported(
            "imperfect recall: a player forgets own earlier moves".into(),
        ));
    }
    continuation(game, &f, lambda)
}

/// As [`solve_qre_per_player`], but always by continuation along the principal branch, even for
/// perfect information: a second, independent method against which the exact recursion is checked.
pub fn solve_qre_continuation(game: &Game, lambda: &[f64]) -> Result<QreSolution> {
    game.validate()?;
    check_lambda(game, lambda)?;
    if !game.has_perfect_recall() {
        return Err(CrisisError::Unsupported(
            "imperfect recall: a player forgets own earlier moves".into(),
        ));
    }
    continuation(game, &Flat::new(game), lambda)
}

fn backward(game: &Game, f: &Flat, lambda: &[f64]) -> QreSolution {
    let np = f.np;
    let n = game.nodes.len();
    let mut b = Beh::from_probs(f.chance.clone());
    for &(s, _) in &f.sets {
        b.p[s] = vec![0.0; game.infosets[s].actions.len()];
        b.lp[s] = b.p[s].clone();
    }
    let mut v = f.pay.clone();
    let mut buf = Vec::new();
    for id in (0..n).rev() {
        let node = &game.nodes[id];
        let (s, kids) = match &node.kind {
            NodeKind::Terminal => continue,
            NodeKind::Decision { infoset, children } | NodeKind::Chance { infoset, children } => {
                (*infoset, children)
            }
        };
        if let Owner::Player(i) = game.infosets[s].owner {
            buf.clear();
            buf.extend(kids.iter().map(|&c| v[c * np + i]));
            log_logit_into(&buf, lambda[i], &mut b.p[s], &mut b.lp[s]);
        }
        for (k, &c) in kids.iter().enumerate() {
            let q = b.p[s][k];
            for p in 0..np {
                v[id * np + p] += q * v[c * np + p];
            }
        }
    }
    finish(game, f, lambda, b, QreMethod::BackwardRecursion)
}

/// Logit probabilities and their logs.
fn log_logit_into(values: &[f64], lambda: f64, p: &mut [f64], lp: &mut [f64]) {
    let m = values.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b));
    let mut sum = 0.0;
    for (l, &v) in lp.iter_mut().zip(values) {
        *l = lambda * (v - m);
        sum += l.exp();
    }
    let ls = sum.ln();
    for (l, x) in lp.iter_mut().zip(p.iter_mut()) {
        *l -= ls;
        *x = l.exp();
    }
}

fn finish(game: &Game, f: &Flat, lambda: &[f64], b: Beh, method: QreMethod) -> QreSolution {
    let (v, reach, log_reach) = values_and_reach(game, f, &b);
    let (beliefs, q, _) = beliefs_and_q(game, f, &v, &log_reach);
    let certificate = certify_flat(game, f, lambda, &b, &beliefs);
    QreSolution {
        lambda: lambda.to_vec(),
        payoffs: v[0..f.np].to_vec(),
        outcome_probs: outcome_probs(game, &reach),
        strategies: b.p,
        beliefs,
        action_values: q,
        certificate,
        method,
    }
}

/// Certifies a behaviour profile and beliefs as an AQRE at precisions `lambda` (one per player):
/// the largest fixed-point residual and the largest gap from Bayes' rule (see the module docs).
/// `strategies` and `beliefs` are indexed like [`Game::infosets`] (chance sets: ignored / empty).
pub fn certify_qre(
    game: &Game,
    lambda: &[f64],
    strategies: &[Vec<f64>],
    beliefs: &[Vec<f64>],
) -> Result<QreCertificate> {
    game.validate()?;
    check_lambda(game, lambda)?;
    if strategies.len() != game.infosets.len() || beliefs.len() != game.infosets.len() {
        return Err(CrisisError::InvalidProfile(
            "one strategy and one belief per information set".into(),
        ));
    }
    for (s, set) in game.infosets.iter().enumerate() {
        if let Owner::Player(_) = set.owner {
            let ok = strategies[s].len() == set.actions.len()
                && beliefs[s].len() == set.members.len()
                && strategies[s].iter().all(|p| p.is_finite() && *p >= 0.0)
                && beliefs[s].iter().all(|p| p.is_finite() && *p >= 0.0);
            if !ok {
                return Err(CrisisError::InvalidProfile(format!(
                    "information set {s}: strategy or belief of the wrong size or not a probability"
                )));
            }
        }
    }
    let f = Flat::new(game);
    let sigma: Vec<Vec<f64>> = game
        .infosets
        .iter()
        .enumerate()
        .map(|(s, set)| match set.owner {
            Owner::Chance => f.chance[s].clone(),
            Owner::Player(_) => strategies[s].clone(),
        })
        .collect();
    Ok(certify_flat(
        game,
        &f,
        lambda,
        &Beh::from_probs(sigma),
        beliefs,
    ))
}

fn certify_flat(
    game: &Game,
    f: &Flat,
    lambda: &[f64],
    b: &Beh,
    beliefs: &[Vec<f64>],
) -> QreCertificate {
    let (v, _, log_reach) = values_and_reach(game, f, b);
    let mut max_residual: f64 = 0.0;
    let mut max_bayes_gap: f64 = 0.0;
    let mut unreached = 0;
    for &(s, i) in &f.sets {
        let set = &game.infosets[s];
        match bayes(&set.members, &log_reach) {
            Some(mu) => {
                for (x, y) in beliefs[s].iter().zip(&mu) {
                    max_bayes_gap = max_bayes_gap.max((x - y).abs());
                }
            }
            None => unreached += 1,
        }
        // The action values under the beliefs given (not recomputed ones).
        let mut q = vec![0.0; set.actions.len()];
        for (&m, &w) in set.members.iter().zip(&beliefs[s]) {
            for (a, &c) in game.nodes[m].children().iter().enumerate() {
                q[a] += w * v[c * f.np + i];
            }
        }
        let resp = logit(&q, lambda[i]);
        let sum: f64 = b.p[s].iter().sum();
        max_residual = max_residual.max((sum - 1.0).abs());
        for (x, y) in b.p[s].iter().zip(&resp) {
            max_residual = max_residual.max((x - y).abs());
        }
    }
    QreCertificate {
        max_residual,
        max_bayes_gap,
        unreached,
    }
}

/// Softmax of log-odds (`x_0 = 0`) for every player set.
fn sigma_of(game: &Game, f: &Flat, x: &[f64]) -> Beh {
    let mut b = Beh::from_probs(f.chance.clone());
    for &(s, _) in &f.sets {
        let k = game.infosets[s].actions.len();
        let o = f.offset[s];
        let mut z = vec![0.0; k];
        z[1..].copy_from_slice(&x[o..o + k - 1]);
        b.p[s] = vec![0.0; k];
        b.lp[s] = vec![0.0; k];
        log_logit_into(&z, 1.0, &mut b.p[s], &mut b.lp[s]);
    }
    b
}

/// `ΔQ_h(a) = λ_i (Q_h(a) − Q_h(0))` divided by the homotopy parameter: `scale_i (Q_h(a) − Q_h(0))`.
fn delta_q(game: &Game, f: &Flat, scale: &[f64], x: &[f64]) -> Vec<f64> {
    let b = sigma_of(game, f, x);
    let (v, _, log_reach) = values_and_reach(game, f, &b);
    let (_, q, _) = beliefs_and_q(game, f, &v, &log_reach);
    let mut out = vec![0.0; f.dim];
    for &(s, i) in &f.sets {
        let o = f.offset[s];
        for a in 1..q[s].len() {
            out[o + a - 1] = scale[i] * (q[s][a] - q[s][0]);
        }
    }
    out
}

/// `H(x, t) = x − t ΔQ(x)` and its Jacobian `[∂H/∂x | ∂H/∂t]` (forward differences in x).
fn h_and_jacobian(
    game: &Game,
    f: &Flat,
    scale: &[f64],
    x: &[f64],
    t: f64,
) -> (Vec<f64>, Vec<Vec<f64>>) {
    let d = f.dim;
    let dq = delta_q(game, f, scale, x);
    let h: Vec<f64> = (0..d).map(|k| x[k] - t * dq[k]).collect();
    let mut jac = vec![vec![0.0; d + 1]; d];
    let mut xp = x.to_vec();
    for j in 0..d {
        let step = 1e-7 * (1.0 + x[j].abs());
        xp[j] = x[j] + step;
        let dqp = delta_q(game, f, scale, &xp);
        xp[j] = x[j];
        for k in 0..d {
            jac[k][j] = -t * (dqp[k] - dq[k]) / step;
        }
        jac[j][j] += 1.0;
    }
    for k in 0..d {
        jac[k][d] = -dq[k];
    }
    (h, jac)
}

/// Solves `a z = b` by Gaussian elimination with partial pivoting; `None` if singular.
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let piv = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[piv][col].abs() < 1e-300 || !a[piv][col].is_finite() {
            return None;
        }
        a.swap(col, piv);
        b.swap(col, piv);
        let (top, rest) = a.split_at_mut(col + 1);
        let pivot_row = &top[col];
        for (k, row) in rest.iter_mut().enumerate() {
            let m = row[col] / pivot_row[col];
            if m != 0.0 {
                for (x, y) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *x -= m * y;
                }
                b[col + 1 + k] -= m * b[col];
            }
        }
    }
    let mut z = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * z[c]).sum();
        z[r] = (b[r] - s) / a[r][r];
    }
    z.iter().all(|v| v.is_finite()).then_some(z)
}

fn norm(v: &[f64]) -> f64 {
    v.iter().map(|x| x * x).sum::<f64>().sqrt()
}

/// The unit tangent of the branch at `(x, t)`, oriented along `prev`.
fn tangent(jac: &[Vec<f64>], prev: &[f64]) -> Option<Vec<f64>> {
    let d = jac.len();
    let mut a: Vec<Vec<f64>> = jac.to_vec();
    a.push(prev.to_vec());
    let mut b = vec![0.0; d + 1];
    b[d] = 1.0;
    let z = solve_linear(a, b)?;
    let n = norm(&z);
    (n > 0.0).then(|| z.iter().map(|v| v / n).collect())
}

/// Newton's method on `H(x, t) = 0` at fixed `t`, damped (the step is halved until the residual
/// falls); runs until the residual stops falling and returns the best `x` if its `|H|∞ <= tol`.
fn newton_fixed(
    game: &Game,
    f: &Flat,
    scale: &[f64],
    mut x: Vec<f64>,
    t: f64,
    tol: f64,
) -> Option<Vec<f64>> {
    let resid = |x: &[f64]| {
        let dq = delta_q(game, f, scale, x);
        (0..f.dim).fold(0.0f64, |a, k| a.max((x[k] - t * dq[k]).abs()))
    };
    let mut err = resid(&x);
    for _ in 0..60 {
        if err == 0.0 {
            break;
        }
        let (h, jac) = h_and_jacobian(game, f, scale, &x, t);
        let a: Vec<Vec<f64>> = jac.iter().map(|r| r[..f.dim].to_vec()).collect();
        let Some(dx) = solve_linear(a, h.iter().map(|v| -v).collect()) else {
            break;
        };
        let mut step = 1.0;
        let mut improved = false;
        while step >= 1e-6 {
            let xn: Vec<f64> = x.iter().zip(&dx).map(|(a, b)| a + step * b).collect();
            let en = resid(&xn);
            if en < err {
                x = xn;
                err = en;
                improved = true;
                break;
            }
            step *= 0.5;
        }
        if !improved {
            break;
        }
    }
    (err <= tol).then_some(x)
}

fn continuation(game: &Game, f: &Flat, lambda: &[f64]) -> Result<QreSolution> {
    // The homotopy parameter t runs from 0 to `target`; player i's precision is t * scale_i.
    let target = lambda.iter().fold(0.0f64, |a, &b| a.max(b));
    let d = f.dim;
    if target == 0.0 || d == 0 {
        let sigma = sigma_of(game, f, &vec![0.0; d]);
        return Ok(finish(
            game,
            f,
            lambda,
            sigma,
            QreMethod::Continuation {
                steps: 0,
                turned: false,
            },
        ));
    }
    let scale: Vec<f64> = lambda.iter().map(|l| l / target).collect();
    let fail = |m: &str| {
        Err(CrisisError::NoEquilibrium(format!(
            "the quantal response branch could not be followed to lambda = {target}: {m}"
        )))
    };
    let tol = |z: &[f64]| 1e-10 * (1.0 + z.iter().fold(0.0f64, |a, b| a.max(b.abs())));
    let mut y = vec![0.0; d + 1]; // (x, t)
    let (_, jac) = h_and_jacobian(game, f, &scale, &y[..d], 0.0);
    let mut e = vec![0.0; d + 1];
    e[d] = 1.0;
    let Some(mut tan) = tangent(&jac, &e) else {
        return fail("singular start");
    };
    let mut h = (0.1 * target).min(0.5);
    let h_max = 1e3 * (1.0 + target);
    let mut steps = 0;
    let mut turned = false;
    let mut prev_dt = tan[d];
    loop {
        if steps > 20_000 {
            return fail("too many steps");
        }
        steps += 1;
        // Predictor.
        let yp: Vec<f64> = y.iter().zip(&tan).map(|(a, b)| a + h * b).collect();
        // Corrector: Newton on [H(y); tan · (y − yp)] = 0.
        let mut z = yp.clone();
        let mut ok = false;
        let mut iters = 0;
        for it in 0..12 {
            iters = it + 1;
            let (hv, jac) = h_and_jacobian(game, f, &scale, &z[..d], z[d]);
            let err = hv.iter().fold(0.0f64, |a, b| a.max(b.abs()));
            let plane: f64 = tan
                .iter()
                .zip(z.iter().zip(&yp))
                .map(|(t, (a, b))| t * (a - b))
                .sum();
            let tol_c = tol(&z);
            if err <= tol_c && plane.abs() <= tol_c {
                ok = true;
                break;
            }
            let mut a = jac;
            a.push(tan.clone());
            let mut rhs: Vec<f64> = hv.iter().map(|v| -v).collect();
            rhs.push(-plane);
            let Some(dz) = solve_linear(a, rhs) else {
                break;
            };
            for (zi, di) in z.iter_mut().zip(&dz) {
                *zi += di;
            }
            if norm(&dz) > 2.0 * h.max(1e-3) + 1.0 {
                break; // diverging
            }
        }
        if !ok || z[d] < -1e-9 {
            h *= 0.5;
            if h < 1e-10 {
                return fail("step size underflow");
            }
            continue;
        }
        if z[d] >= target {
            // Crossed the target: settle it at t = target exactly, from the point on the segment.
            let w = if (z[d] - y[d]).abs() > 0.0 {
                ((target - y[d]) / (z[d] - y[d])).clamp(0.0, 1.0)
            } else {
                1.0
            };
            let x0: Vec<f64> = (0..d).map(|k| y[k] + w * (z[k] - y[k])).collect();
            let tol_f = tol(&x0);
            match newton_fixed(game, f, &scale, x0, target, tol_f) {
                Some(x) => {
                    let sigma = sigma_of(game, f, &x);
                    return Ok(finish(
                        game,
                        f,
                        lambda,
                        sigma,
                        QreMethod::Continuation { steps, turned },
                    ));
                }
                None => {
                    // Land closer to the target and try again.
                    h *= 0.5;
                    if h < 1e-10 {
                        return fail("no convergence at the target");
                    }
                    continue;
                }
            }
        }
        let (_, jac) = h_and_jacobian(game, f, &scale, &z[..d], z[d]);
        let Some(nt) = tangent(&jac, &tan) else {
            return fail("singular Jacobian on the branch");
        };
        if nt[d] * prev_dt < 0.0 {
            turned = true;
        }
        prev_dt = nt[d];
        tan = nt;
        y = z;
        if iters <= 2 {
            h = (h * 2.0).min(h_max);
        } else if iters <= 4 {
            h = (h * 1.3).min(h_max);
        } else if iters > 6 {
            h *= 0.6;
        }
    }
}
