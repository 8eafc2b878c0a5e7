//! brink-crisis: game trees as data, their equilibria, and the closed-form crisis models.
//!
//! - [`analysis`]: one entry point, [`analysis::solve`], and outcome-class probabilities.
//! - [`game`]: extensive-form games (decision, chance, terminal nodes; information sets; outcomes)
//!   with exact rational payoffs ([`num::Rational`]) and an `f64` path ([`num::Field`]).
//! - [`iig`]: the International Interaction Game of a crisis as numbers: the one function for its
//!   utilities (both crisis mappings), the exact tree, and the fast equilibrium and quantal-response paths.
//! - [`efg`]: Gambit `.efg` reader and writer.
//! - [`spe`]: all subgame-perfect equilibria of perfect-information games (ties enumerated).
//! - [`pbe`]: pure perfect Bayesian equilibria of two-player games with private information.
//! - [`qre`]: the logit agent quantal response equilibrium (play with errors; probabilities smooth in
//!   the payoffs), exact for perfect information, by continuation otherwise, with its certificate.
//! - [`certify`]: regret at every information set, on and off the path, for any pure profile.
//! - [`templates`]: the International Interaction Game, an escalation ladder, outcome classes.
//! - [`threshold`]: parameter values at which the equilibrium path changes.
//! - [`fearon`]: Fearon's risk-return trade-off (private cost of war), closed forms and numeric.
//! - [`audience`]: audience costs and the credibility of public threats (Fearon 1994).
//! - [`svg`]: drawing a tree with its equilibrium path.
//!
//! ```
//! use brink_crisis::{efg::read_efg, spe::solve_spe, num::Rational};
//! let g = read_efg(r#"EFG 2 R "t" { "A" "B" }
//! p "" 1 1 "" { "SQ" "Demand" } 0
//! t "" 1 "SQ" { 0, 0 }
//! p "" 2 1 "" { "Concede" "Fight" } 0
//! t "" 2 "ACQ_B" { 1, -1 }
//! t "" 3 "WAR" { -1/2, -2 }
//! "#).unwrap();
//! let sol = solve_spe::<Rational>(&g).unwrap();
//! assert_eq!(sol.equilibria.len(), 1);
//! assert_eq!(sol.equilibria[0].outcome_probs[0].0, "ACQ_B");
//! assert!(sol.equilibria[0].certificate.is_equilibrium());
//! ```

#![deny(missing_docs)]

pub mod analysis;
pub mod audience;
pub mod certify;
pub mod efg;
pub mod error;
pub mod fearon;
pub mod game;
pub mod iig;
pub mod num;
pub mod pbe;
pub mod qre;
pub mod spe;
pub mod standoff;
pub mod svg;
pub mod templates;
pub mod threshold;

pub use error::{CrisisError, Result};
