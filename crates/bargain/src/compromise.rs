//! The compromise model: the capability x salience weighted mean of the positions.
//!
//! ```text
//! x* = sum_i c_i s_i x_i / sum_i c_i s_i
//! ```
//! The "mean voter" of the EU-decision literature, and a simple variant of the Nash bargaining
//! solution (the limit of the quadratic-loss Nash solution as the disagreement point recedes).
//! `compromise-equal` sets every capability to 1 (salience-weighted mean).
//!
//! Degenerate cases: no stance on the issue: not covered; every salience (or weight) zero: the
//! unweighted mean of the positions, with a note.
//!
//! Parameters: none.
//!
//! # References
//! - van den Bos, G. M. (1991). *Dutch EC Policy Making*. (The compromise model.)
//! - Achen, C. H. (2006). Evaluating political decision-making models. In Thomson et al. (eds.),
//!   *The European Union Decides*, Cambridge University Press, 264-298.
//! - Thomson, R., Stokman, F., Achen, C., König, T. (eds.) (2006). *The European Union Decides*.

use crate::{heaviest, IssueForecast, IssueView, Model, Params, Player};

/// The weighted mean of positions with weights `w`; the plain mean if every weight is zero.
pub fn weighted_mean(players: &[Player], w: impl Fn(&Player) -> f64) -> Option<(f64, bool)> {
    if players.is_empty() {
        return None;
    }
    let total: f64 = players.iter().map(&w).sum();
    if total > 0.0 {
        let s: f64 = players.iter().map(|p| w(p) * p.position).sum();
        Some(((s / total).clamp(min_pos(players), max_pos(players)), true))
    } else {
        let s: f64 = players.iter().map(|p| p.position).sum();
        Some((s / players.len() as f64, false))
    }
}

fn min_pos(p: &[Player]) -> f64 {
    p.iter().map(|p| p.position).fold(f64::INFINITY, f64::min)
}

fn max_pos(p: &[Player]) -> f64 {
    p.iter()
        .map(|p| p.position)
        .fold(f64::NEG_INFINITY, f64::max)
}

fn forecast(is: &IssueView, w: impl Fn(&Player) -> f64, equal: bool) -> IssueForecast {
    match weighted_mean(&is.players, &w) {
        None => IssueForecast::not_covered(is.issue, "no actor has a stance on this issue"),
        Some((x, weighted)) => {
            let mut f = if equal {
                let eq: Vec<Player> = is
                    .players
                    .iter()
                    .map(|p| Player { power: 1.0, ..*p })
                    .collect();
                IssueForecast::settles(is.issue, x, heaviest(&eq))
            } else {
                IssueForecast::settles(is.issue, x, heaviest(&is.players))
            };
            if !weighted {
                f.explanation
                    .push("every actor's weight is zero: the plain mean of the positions".into());
            }
            f
        }
    }
}

/// Capability x salience weighted mean.
#[derive(Debug, Clone, Copy, Default)]
pub struct Compromise;

impl Model for Compromise {
    fn name(&self) -> &'static str {
        "compromise"
    }
    fn summary(&self) -> &'static str {
        "capability x salience weighted mean of the positions"
    }
    fn run(&self, input: &crate::Input<'_>, _: &Params) -> Vec<IssueForecast> {
        input
            .issues
            .iter()
            .map(|is| forecast(is, Player::weight, false))
            .collect()
    }
}

/// Salience-weighted mean (every capability equal).
#[derive(Debug, Clone, Copy, Default)]
pub struct CompromiseEqual;

impl Model for CompromiseEqual {
    fn name(&self) -> &'static str {
        "compromise-equal"
    }
    fn summary(&self) -> &'static str {
        "salience-weighted mean of the positions (capabilities taken as equal)"
    }
    fn run(&self, input: &crate::Input<'_>, _: &Params) -> Vec<IssueForecast> {
        input
            .issues
            .iter()
            .map(|is| forecast(is, |p| p.salience, true))
            .collect()
    }
}
