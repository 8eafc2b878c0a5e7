//! The weighted median: the position of the pivotal actor when actors are lined up by position.
//!
//! ```text
//! sort the actors by position (ties: file order); W = sum_i c_i s_i;
//! x* = the first position at which the cumulative weight sum_{j <= i} c_j s_j reaches W / 2
//! ```
//! The actor at that position is the pivot: moving any other actor without crossing it leaves
//! the forecast where it is. Black's median voter with weighted votes.
//!
//! Degenerate cases: no stance: not covered; all weights zero: every actor counts 1.
//!
//! Parameters: none.
//!
//! # References
//! - Black, D. (1948). On the rationale of group decision-making. *Journal of Political Economy* 56, 23-34.
//! - Achen, C. H. (2006). Evaluating political decision-making models. In *The European Union Decides*.

use crate::{IssueForecast, Model, Params, Player};

/// The weighted median of `players` and the index (into `players`) of the pivot; `None` if empty.
pub fn weighted_median(players: &[Player]) -> Option<(f64, usize)> {
    if players.is_empty() {
        return None;
    }
    let total: f64 = players.iter().map(Player::weight).sum();
    let w = |p: &Player| if total > 0.0 { p.weight() } else { 1.0 };
    let total = if total > 0.0 {
        total
    } else {
        players.len() as f64
    };
    let mut ix: Vec<usize> = (0..players.len()).collect();
    ix.sort_by(|&a, &b| {
        players[a]
            .position
            .total_cmp(&players[b].position)
            .then(a.cmp(&b))
    });
    let mut acc = 0.0;
    for &i in &ix {
        acc += w(&players[i]);
        if acc >= 0.5 * total {
            return Some((players[i].position, i));
        }
    }
    // Rounding left the sum short of half: the last actor is the pivot.
    let last = *ix.last().expect("non-empty");
    Some((players[last].position, last))
}

/// Capability x salience weighted median.
#[derive(Debug, Clone, Copy, Default)]
pub struct WeightedMedian;

impl Model for WeightedMedian {
    fn name(&self) -> &'static str {
        "median"
    }
    fn summary(&self) -> &'static str {
        "capability x salience weighted median: the pivotal actor's position"
    }
    fn run(&self, input: &crate::Input<'_>, _: &Params) -> Vec<IssueForecast> {
        input
            .issues
            .iter()
            .map(|is| match weighted_median(&is.players) {
                None => IssueForecast::not_covered(is.issue, "no actor has a stance on this issue"),
                Some((x, pivot)) => {
                    let mut f = IssueForecast::settles(is.issue, x, vec![is.players[pivot].actor]);
                    let name = &input.scenario.actors[is.players[pivot].actor].name;
                    f.explanation.push(format!(
                        "{name} is the pivot: the actors at or below its position hold at least half of the weight"
                    ));
                    f
                }
            })
            .collect()
    }
}
