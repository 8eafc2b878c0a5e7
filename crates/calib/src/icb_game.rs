//! The inside view on International Crisis Behavior (ICB) crises: the International Interaction
//! Game (IIG) built from a crisis's onset variables only, played as a logit agent quantal
//! response equilibrium, and its precision estimated by maximum likelihood.
//!
//! # The mapping (system level, one game per crisis)
//! The challenger A is the triggering entity, the defender B the state whose crisis it
//! triggered. In units of each side's stake (mapping 2, `docs/crisis-mapping.md`): each side's
//! own demand is worth 1 and the other's 0; the status quo is B's position (A: 0, B: 1).
//!
//! - **Power.** ICB's power discrepancy between the adversaries, d = POWDISSY >= 0, capped at
//!   [`POWER_CAP`] (the data's guide: "bin or cap it; never treat as exact"); missing: the
//!   development split's median, [`MISSING_POWER`]. The stronger side wins a war with
//!   probability p_s = 1 / (1 + exp(-d / kappa)), kappa the power scale (estimated). POWDISSY
//!   does not say which side is the stronger, so the game is the equal mixture of "A is the
//!   stronger" (p = p_s) and "B is" (p = 1 - p_s).
//! - **Settlement.** The negotiated settlement gives each side its expected share of a war,
//!   phi_A = p, phi_B = 1 - p: the centre of Fearon's (1995) bargaining range when the costs are
//!   equal.
//! - **Costs.** Each side's cost of war is alpha (a share of its stake, estimated, the same for
//!   both); no first-strike, capitulation, audience, deal or sanctions costs (the onset variables
//!   say nothing about them).
//! - **Where play begins.** Every ICB crisis began with a trigger, so the status quo without
//!   demands is not on offer: a crisis triggered by a violent act (BREAK 9) begins after A's use
//!   of force (B retaliates: war, or gives in: capitulation); every other crisis after A's demand
//!   (B acquiesces or counter-demands, and so on). Indirect violent triggers (BREAK 8) begin
//!   after the demand: the force was not used against B itself.
//!
//! The game's outcomes map to ICB's VIOL as in `brink_crisis::iig::CLASS_VIOLENCE`: war (WAR_A,
//! WAR_B) is VIOL 4; capitulation after force (force short of war) VIOL 2-3; settlement,
//! acquiescence (and the status quo) VIOL 1.
//!
//! # The estimate
//! theta = (lambda, alpha, kappa) maximises the log-likelihood of the observed VIOL levels,
//!
//! ```text
//! ln L(theta) = sum_c ln P_theta(level_c | onset_c),   level in {VIOL 1, VIOL 2-3, VIOL 4},
//! ```
//!
//! by Nelder-Mead on (ln lambda, ln alpha, ln kappa) from a fixed start (deterministic). The
//! probabilities are floored at 1e-12 inside the logarithm (a violent trigger leaves VIOL 1 no
//! probability in the game; no development crisis has both).
//!
//! # References
//! - Signorino, C. S. (1999). Strategic interaction and the statistical analysis of international
//!   conflict. *APSR* 93(2): the logit quantal response of a crisis game as a likelihood.
//! - Signorino, C. S. (2003). Structure and uncertainty in discrete choice models. *Political
//!   Analysis* 11(4): the error structure and the identification of such models.
//! - Lewis, J. B. & Schultz, K. A. (2003). Revealing preferences: empirical estimation of a
//!   crisis bargaining game with incomplete information. *Political Analysis* 11(4).
//! - Fearon, J. D. (1995). Rationalist explanations for war. *International Organization* 49(3).
//! - Bueno de Mesquita, B. & Lalman, D. (1992). *War and Reason*: the game.
//! - Nelder, J. A. & Mead, R. (1965). A simplex method for function minimization. *The Computer
//!   Journal* 7(4).

use brink_crisis::iig::{
    classes_of, iig_game, iig_qre_outcomes_at, violence_probabilities, IigInputs, IigStart,
};
use brink_refclass::SystemOnset;
use serde::Serialize;

/// The largest power discrepancy used (larger codes are capped).
pub const POWER_CAP: f64 = 30.0;

/// The power discrepancy taken when ICB does not code it: the median of the 281 coded
/// development crises (a test recomputes it).
pub const MISSING_POWER: f64 = 5.0;

/// The game's free constants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GameParams {
    /// Precision of the logit quantal response, in units of each side's stake.
    pub lambda: f64,
    /// Each side's cost of war, as a share of its stake.
    pub war_cost: f64,
    /// The power scale kappa: the stronger side's probability of winning is
    /// 1 / (1 + exp(-d / kappa)).
    pub power_scale: f64,
}

/// The stronger side's probability of winning a war at power discrepancy `d` (see the module
/// docs; `None`: [`MISSING_POWER`]).
pub fn p_stronger(d: Option<f64>, power_scale: f64) -> f64 {
    let d = d.map_or(MISSING_POWER, |d| d.clamp(0.0, POWER_CAP));
    1.0 / (1.0 + (-d / power_scale).exp())
}

/// Where the game of a crisis with this onset begins.
pub fn start_of(onset: &SystemOnset) -> IigStart {
    if onset.trigger == Some(9) {
        IigStart::AfterForce
    } else {
        IigStart::AfterDemand
    }
}

/// The game's inputs when the challenger wins a war with probability `p`.
pub fn inputs(p: f64, war_cost: f64) -> IigInputs {
    IigInputs::in_stake_units([0.0, 1.0], [p, 1.0 - p], p, [war_cost, war_cost])
}

/// The game's probabilities of `[VIOL 1, VIOL 2-3, VIOL 4]` for a crisis with this onset.
pub fn violence(onset: &SystemOnset, th: &GameParams) -> [f64; 3] {
    let ps = p_stronger(onset.power_discrepancy, th.power_scale);
    let start = start_of(onset);
    let mut out = [0.0; 3];
    for p in [ps, 1.0 - ps] {
        let o = iig_qre_outcomes_at(&iig_game(&inputs(p, th.war_cost)), th.lambda, start);
        let v = violence_probabilities(&classes_of(&o));
        for (a, b) in out.iter_mut().zip(v) {
            *a += 0.5 * b;
        }
    }
    out
}

/// The index of a VIOL code among the game's three levels (1 -> 0, 2-3 -> 1, 4 -> 2).
pub fn level_of(viol: u8) -> usize {
    match viol {
        0 | 1 => 0,
        2 | 3 => 1,
        _ => 2,
    }
}

/// The floor of a probability inside a logarithm.
pub const FLOOR: f64 = 1e-12;

/// The log-likelihood of the cases' VIOL codes under the game with `th`.
pub fn log_likelihood(cases: &[(&SystemOnset, u8)], th: &GameParams) -> f64 {
    cases
        .iter()
        .map(|(o, v)| violence(o, th)[level_of(*v)].max(FLOOR).ln())
        .sum()
}

/// The fixed start of the search: lambda 2, alpha 0.5, kappa 5.
pub const START: GameParams = GameParams {
    lambda: 2.0,
    war_cost: 0.5,
    power_scale: 5.0,
};

/// The maximum-likelihood estimate on `cases` (Nelder-Mead on the logarithms of the three
/// constants from [`START`]) and its log-likelihood.
pub fn fit_game(cases: &[(&SystemOnset, u8)]) -> (GameParams, f64) {
    let of = |x: &[f64; 3]| GameParams {
        lambda: x[0].exp(),
        war_cost: x[1].exp(),
        power_scale: x[2].exp(),
    };
    let f = |x: &[f64; 3]| {
        // Keep the search in a sane box (precisions and scales within e^-8 ... e^8).
        if x.iter().any(|v| v.abs() > 8.0) {
            return f64::INFINITY;
        }
        -log_likelihood(cases, &of(x))
    };
    let x0 = [
        START.lambda.ln(),
        START.war_cost.ln(),
        START.power_scale.ln(),
    ];
    let (x, fx) = nelder_mead(&f, x0, 0.5, 1e-10, 4000);
    (of(&x), -fx)
}

/// Nelder-Mead minimisation in three dimensions (standard coefficients: reflection 1,
/// expansion 2, contraction 1/2, shrink 1/2), from `x0` with initial steps `step`, until the
/// simplex's values differ by less than `tol` or after `max_iter` iterations. Deterministic.
pub fn nelder_mead(
    f: &dyn Fn(&[f64; 3]) -> f64,
    x0: [f64; 3],
    step: f64,
    tol: f64,
    max_iter: usize,
) -> ([f64; 3], f64) {
    const N: usize = 3;
    let mut s: Vec<([f64; N], f64)> = (0..=N)
        .map(|i| {
            let mut x = x0;
            if i > 0 {
                x[i - 1] += step;
            }
            (x, f(&x))
        })
        .collect();
    let lin = |a: &[f64; N], b: &[f64; N], t: f64| -> [f64; N] {
        let mut out = [0.0; N];
        for k in 0..N {
            out[k] = a[k] + t * (b[k] - a[k]);
        }
        out
    };
    for _ in 0..max_iter {
        s.sort_by(|a, b| a.1.total_cmp(&b.1));
        if (s[N].1 - s[0].1).abs() <= tol * (1.0 + s[0].1.abs()) {
            break;
        }
        let mut c = [0.0; N];
        for (x, _) in &s[..N] {
            for k in 0..N {
                c[k] += x[k] / N as f64;
            }
        }
        let worst = s[N].0;
        let r = lin(&c, &worst, -1.0);
        let fr = f(&r);
        if fr < s[0].1 {
            let e = lin(&c, &worst, -2.0);
            let fe = f(&e);
            s[N] = if fe < fr { (e, fe) } else { (r, fr) };
        } else if fr < s[N - 1].1 {
            s[N] = (r, fr);
        } else {
            let (k, fk) = if fr < s[N].1 {
                let k = lin(&c, &r, 0.5);
                (k, f(&k))
            } else {
                let k = lin(&c, &worst, 0.5);
                (k, f(&k))
            };
            if fk < s[N].1.min(fr) {
                s[N] = (k, fk);
            } else {
                let best = s[0].0;
                for p in s.iter_mut().skip(1) {
                    p.0 = lin(&best, &p.0, 0.5);
                    p.1 = f(&p.0);
                }
            }
        }
    }
    s.sort_by(|a, b| a.1.total_cmp(&b.1));
    (s[0].0, s[0].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let f =
            |x: &[f64; 3]| (x[0] - 1.0).powi(2) + 2.0 * (x[1] + 0.5).powi(2) + (x[2] - 3.0).powi(2);
        let (x, fx) = nelder_mead(&f, [0.0; 3], 0.5, 1e-14, 4000);
        assert!(fx < 1e-10, "{fx}");
        assert!(
            (x[0] - 1.0).abs() < 1e-4 && (x[1] + 0.5).abs() < 1e-4 && (x[2] - 3.0).abs() < 1e-4
        );
    }

    #[test]
    fn violence_is_a_distribution_and_a_violent_trigger_leaves_no_calm() {
        let th = START;
        let mut o = SystemOnset {
            power_discrepancy: Some(3.0),
            ..Default::default()
        };
        let v = violence(&o, &th);
        assert!((v.iter().sum::<f64>() - 1.0).abs() < 1e-12 && v.iter().all(|x| *x > 0.0));
        o.trigger = Some(9);
        let v = violence(&o, &th);
        assert_eq!(v[0], 0.0);
        assert!((v[1] + v[2] - 1.0).abs() < 1e-12);
    }
}
