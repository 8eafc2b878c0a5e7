//! One crisis forecast from the outside view (the reference class) and the inside view (the
//! quantal response game): the game as a likelihood ratio on the reference class's odds.
//!
//! # The rule
//! For the two events the game speaks to, t = any violence (VIOL >= 2) and t = war (VIOL = 4),
//! with p_ref the reference class's probability, p_game the game's and g_t the game's mean
//! probability over the ICB development crises ([`GAME_MEAN`]):
//!
//! ```text
//! logit p_t = logit p_ref,t + w_t (logit p_game,t - logit g_t)
//! ```
//!
//! The game's odds over its own average odds act as a likelihood ratio (what this game says
//! beyond what the game says of a typical crisis), tempered by the weight w_t in [0, 2]. w_t = 0
//! is the reference class alone; w_t = 1 a naive Bayes update. w_t is chosen by cross-validation
//! by crisis on the ICB development split (the reference class's ten folds: the grid 0, 0.01,
//! ..., 2; the smallest out-of-fold log loss, ties to the smaller weight; [`mod@crate::estimate`]).
//! The game does not tell minor from serious clashes, so P(VIOL >= 3) stays the reference
//! class's; the three are then made coherent (P(>= 2) >= P(>= 3) >= P(= 4)) by
//! pool-adjacent-violators, like the reference class's own. Probabilities enter the logits
//! clipped to [1e-6, 1 - 1e-6].
//!
//! # The constants
//! Every constant below is estimated from the shipped ICB development data
//! (`crates/refclass/data/icb/icb1-dev.csv`) by [`crate::estimate::estimate`]; the test
//! `tests/constants.rs` re-derives each and checks it to the precision stated with it. Never set
//! by hand.
//!
//! # References
//! - Wolpert, D. H. (1992). Stacked generalization. *Neural Networks* 5(2); Breiman, L. (1996).
//!   Stacked regressions. *Machine Learning* 24: weights of combined forecasts chosen out of
//!   sample.
//! - Genest, C. & Zidek, J. V. (1986). Combining probability distributions: a critique and an
//!   annotated bibliography. *Statistical Science* 1(1): logarithmic (log-odds) pooling.
//! - Kahneman, D. & Lovallo, D. (1993). Timid choices and bold forecasts. *Management Science*
//!   39: the outside view first; Tetlock, P. & Gardner, D. (2015). *Superforecasting*, ch. 5:
//!   adjust the base rate by the case's particulars.
//! - Barlow, Bartholomew, Bremner & Brunk (1972). *Statistical Inference under Order
//!   Restrictions*: pool-adjacent-violators.

use serde::Serialize;

use crate::icb_game::GameParams;

/// The estimated precision of the logit quantal response (units of each side's stake); stated
/// to a relative precision of 1e-3.
pub const LAMBDA: f64 = 4.027;
/// The estimated cost of war in the ICB mapping (share of the stake); relative precision 1e-3.
pub const WAR_COST: f64 = 0.8251;
/// The estimated power scale of the ICB mapping; relative precision 1e-3.
pub const POWER_SCALE: f64 = 2.429;
/// The game's mean P(VIOL >= 2) and P(VIOL = 4) over the development crises at the estimate;
/// absolute precision 1e-4.
pub const GAME_MEAN: [f64; 2] = [0.7136, 0.1937];
/// The cross-validated weights w of the game for P(VIOL >= 2) and P(VIOL = 4) (exact: grid
/// points).
pub const WEIGHTS: [f64; 2] = [0.10, 0.06];

/// The estimated game constants as one value.
pub const PARAMS: GameParams = GameParams {
    lambda: LAMBDA,
    war_cost: WAR_COST,
    power_scale: POWER_SCALE,
};

/// The clip of probabilities entering a logit.
pub const CLIP: f64 = 1e-6;

/// `ln(p / (1 - p))` of `p` clipped to [[`CLIP`], 1 - [`CLIP`]].
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(CLIP, 1.0 - CLIP);
    (p / (1.0 - p)).ln()
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The combined forecast of one crisis.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Combination {
    /// P(VIOL >= 2), P(VIOL >= 3), P(VIOL = 4), coherent.
    pub cumulative: [f64; 3],
    /// P(no violence), P(force short of war: VIOL 2-3), P(war: VIOL 4).
    pub levels: [f64; 3],
}

/// The rule of the module docs: `refclass` the reference class's P(VIOL >= 2), P(VIOL >= 3),
/// P(VIOL = 4); `game` the game's P(VIOL 1), P(VIOL 2-3), P(VIOL 4); `weights` and `game_mean`
/// for the two events (any violence, war).
pub fn combine(
    refclass: [f64; 3],
    game: [f64; 3],
    weights: [f64; 2],
    game_mean: [f64; 2],
) -> Combination {
    let g = [game[1] + game[2], game[2]];
    let one =
        |t: usize, r: f64| sigmoid(logit(r) + weights[t] * (logit(g[t]) - logit(game_mean[t])));
    let p = monotone([one(0, refclass[0]), refclass[1], one(1, refclass[2])]);
    Combination {
        cumulative: p,
        levels: [1.0 - p[0], p[0] - p[2], p[2]],
    }
}

/// [`combine`] with the shipped constants.
pub fn combine_shipped(refclass: [f64; 3], game: [f64; 3]) -> Combination {
    combine(refclass, game, WEIGHTS, GAME_MEAN)
}

/// The least-squares non-increasing fit of three probabilities (pool-adjacent-violators), the
/// rule the reference class uses too.
pub use brink_refclass::monotone;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_weight_is_the_reference_class_and_a_typical_game_changes_nothing() {
        let r = [0.7, 0.4, 0.2];
        let c = combine(r, [0.5, 0.3, 0.2], [0.0, 0.0], [0.6, 0.3]);
        assert!((c.cumulative[0] - 0.7).abs() < 1e-12 && (c.cumulative[2] - 0.2).abs() < 1e-12);
        let c = combine(r, [0.4, 0.3, 0.3], [0.8, 1.3], [0.6, 0.3]);
        assert!((c.cumulative[0] - 0.7).abs() < 1e-12 && (c.cumulative[2] - 0.2).abs() < 1e-12);
        // A game more warlike than the typical one raises P(war), monotonically in the weight.
        let a = combine(r, [0.2, 0.2, 0.6], [0.0, 0.5], [0.6, 0.3]).cumulative[2];
        let b = combine(r, [0.2, 0.2, 0.6], [0.0, 1.0], [0.6, 0.3]).cumulative[2];
        assert!(0.2 < a && a < b && b < 0.5);
        assert!((c.levels.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn pava() {
        assert_eq!(monotone([0.9, 0.5, 0.2]), [0.9, 0.5, 0.2]);
        assert_eq!(monotone([0.4, 0.6, 0.2]), [0.5, 0.5, 0.2]);
        assert_eq!(monotone([0.5, 0.1, 0.3]), [0.5, 0.2, 0.2]);
    }
}
