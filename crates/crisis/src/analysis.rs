//! One entry point for callers (scenario, CLI): solve any supported game and summarise the outcome.
//!
//! [`solve`] picks the solver: perfect information → every subgame-perfect equilibrium
//! ([`crate::spe`]); two players with private information → every pure perfect Bayesian equilibrium
//! ([`crate::pbe`], off-path rule as given). Games outside both are refused with the solver's reason.
//! [`outcome_classes`] turns an equilibrium's outcome probabilities into probabilities of the crisis
//! outcome classes of [`crate::templates::classify_outcome`].

use crate::error::Result;
use crate::game::Game;
use crate::num::Field;
use crate::pbe::{solve_pbe, OffPathBelief};
use crate::spe::{solve_spe, Equilibrium};
use crate::templates::{classify_outcome, OutcomeClass};
use serde::Serialize;

/// Which solution concept was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Concept {
    /// Subgame-perfect equilibrium (perfect information).
    SubgamePerfect,
    /// Pure perfect Bayesian equilibrium with the given off-path belief rule.
    PerfectBayesian(OffPathBelief),
}

/// Equilibria of a game, with the concept and completeness.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Solution<T> {
    /// The concept used.
    pub concept: Concept,
    /// Every equilibrium found (each with its certificate).
    pub equilibria: Vec<Equilibrium<T>>,
    /// False when the SPE enumeration hit its cap ([`crate::spe::DEFAULT_CAP`]).
    pub complete: bool,
}

/// Solves `game` with the appropriate solver (see the module docs).
pub fn solve<T: Field>(game: &Game, off_path: OffPathBelief) -> Result<Solution<T>> {
    if game.is_perfect_information() {
        let s = solve_spe::<T>(game)?;
        Ok(Solution {
            concept: Concept::SubgamePerfect,
            equilibria: s.equilibria,
            complete: s.complete,
        })
    } else {
        let s = solve_pbe::<T>(game, off_path)?;
        Ok(Solution {
            concept: Concept::PerfectBayesian(off_path),
            equilibria: s.equilibria,
            complete: true,
        })
    }
}

/// Probability of each outcome class under an equilibrium (labels that fit no class are grouped under
/// `None`), in a fixed order: war, negotiation, status quo, acquiescence, capitulation.
pub fn outcome_classes<T: Field>(eq: &Equilibrium<T>) -> Vec<(Option<OutcomeClass>, T)> {
    let mut out: Vec<(Option<OutcomeClass>, T)> = Vec::new();
    for (label, p) in &eq.outcome_probs {
        let c = classify_outcome(label);
        match out.iter_mut().find(|(k, _)| *k == c) {
            Some((_, q)) => *q = q.add(p),
            None => out.push((c, p.clone())),
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
