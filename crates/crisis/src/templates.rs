//! Game templates: the International Interaction Game, an escalation ladder, a discretised Fearon
//! bargaining game, and the classification of outcomes.
//!
//! # International Interaction Game (IIG)
//! Tree as in models.md §5 (Bueno de Mesquita & Lalman 1992; Signorino's and EUGene's layout), 13
//! leaves and 8 outcomes. Node numbers are kept as node labels. Utilities, for side `i` facing `j`,
//! with `U_i(Δ_i)` = `own` (i's demand met), `U_i(Δ_j)` = `other` (j's demand met), `U_i(SQ)` = `sq`:
//!
//! | outcome | `U_i` |
//! | --- | --- |
//! | SQ | `sq` |
//! | ACQ_i (i acquiesces) | `other` |
//! | ACQ_j (j acquiesces) | `own` |
//! | NEG | `phi * own + (1 - phi) * other` |
//! | CAP_i (i capitulates to force) | `other - gamma` |
//! | CAP_j | `own` |
//! | WAR_i (i strikes first) | `p_win * own + (1 - p_win) * other - alpha` |
//! | WAR_j (i is attacked) | `p_win * own + (1 - p_win) * other - alpha - tau` |
//!
//! `alpha` is the cost of fighting, `tau` the extra cost of absorbing a first strike, `gamma` the cost
//! of capitulating, `phi` i's weight in a negotiated compromise; `p_win_b = 1 - p_win_a`. This is our
//! reading of B&L's chapter 2 (their notation `U(Δ)`, `φ`, `α`, `τ`, `γ`), with B&L's assumptions
//! (negotiation beats war for both, acquiescing beats capitulating) left to the caller's numbers.
//!
//! # Escalation ladder
//! `n` rungs; A moves at odd rungs, B at even ones; each chooses `Escalate` or `BackDown`. A backing
//! down at rung 1 keeps the status quo (`SQ`, payoffs 0). Later, backing down hands the stake `s` to the
//! other side (`+s` to it, `-s` to the quitter) and costs the quitter the audience cost `a_i` times the
//! number of times it had escalated publicly (Fearon 1994: the longer the public escalation, the larger
//! the cost of backing down); it is `ACQ_i` if the quitter had never escalated, `CAP_i` otherwise.
//! Escalating at the last rung means war: `(2 p_A - 1) s - c_A` for A and `(1 - 2 p_A) s - c_B` for B.
//!
//! # References
//! Bueno de Mesquita, B. and Lalman, D. (1992), *War and Reason*, Yale University Press, ch. 2-3.
//! Signorino, C. S. (1999), "Strategic interaction and the statistical analysis of international
//! conflict", *APSR* 93(2). Bennett, D. S. and Stam, A. C. (2000), "EUGene", *International
//! Interactions* 26(2). Fearon, J. D. (1994), "Domestic political audiences and the escalation of
//! international disputes", *APSR* 88(3), 577-592. Fearon, J. D. (1995), "Rationalist explanations for war".

use crate::error::{CrisisError, Result};
use crate::game::{Game, Tree};
use crate::num::{rational_from_decimal, Rational};
use num_traits::{One, Zero};
use serde::Serialize;

/// The broad class of a crisis outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum OutcomeClass {
    /// War (whoever started it).
    War,
    /// A negotiated settlement.
    Negotiation,
    /// The status quo holds.
    StatusQuo,
    /// A side gives in to a demand before force is used (0-based player index of the side giving in).
    Acquiescence(usize),
    /// A side gives in after force or escalation (0-based player index of the side giving in).
    Capitulation(usize),
}

/// Classifies an outcome label: `WAR*` → war, `NEG*` → negotiation, `SQ*` → status quo,
/// `ACQ_x` / `CAP_x` → acquiescence / capitulation of side `x` (`A`, `C` or `1` for player 0;
/// `B`, `D` or `2` for player 1). Other labels give `None`.
pub fn classify_outcome(label: &str) -> Option<OutcomeClass> {
    let up = label.to_ascii_uppercase();
    let side = |rest: &str| match rest.trim_start_matches('_').chars().next() {
        Some('A' | 'C' | '1') => Some(0),
        Some('B' | 'D' | '2') => Some(1),
        _ => None,
    };
    if up.starts_with("WAR") {
        Some(OutcomeClass::War)
    } else if up.starts_with("NEG") {
        Some(OutcomeClass::Negotiation)
    } else if up.starts_with("SQ") {
        Some(OutcomeClass::StatusQuo)
    } else if let Some(r) = up.strip_prefix("ACQ") {
        side(r).map(OutcomeClass::Acquiescence)
    } else if let Some(r) = up.strip_prefix("CAP") {
        side(r).map(OutcomeClass::Capitulation)
    } else {
        None
    }
}

/// One side's parameters in the International Interaction Game (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IigSide {
    /// Utility of the status quo.
    pub sq: f64,
    /// Utility of getting one's own demand.
    pub own: f64,
    /// Utility of the other side getting its demand.
    pub other: f64,
    /// Weight of one's own demand in a negotiated settlement, in [0, 1].
    pub phi: f64,
    /// Cost of fighting.
    pub alpha: f64,
    /// Extra cost of being attacked first.
    pub tau: f64,
    /// Cost of capitulating to force.
    pub gamma: f64,
}

fn q(x: f64, name: &'static str) -> Result<Rational> {
    rational_from_decimal(x).ok_or(CrisisError::InvalidParameter {
        name,
        message: "must be finite".into(),
    })
}

/// An [`IigSide`] with exact numbers.
struct Side {
    sq: Rational,
    own: Rational,
    other: Rational,
    phi: Rational,
    alpha: Rational,
    tau: Rational,
    gamma: Rational,
}

impl Side {
    fn new(s: &IigSide) -> Result<Side> {
        if !(0.0..=1.0).contains(&s.phi) {
            return Err(CrisisError::InvalidParameter {
                name: "phi",
                message: "must be in [0, 1]".into(),
            });
        }
        Ok(Side {
            sq: q(s.sq, "sq")?,
            own: q(s.own, "own")?,
            other: q(s.other, "other")?,
            phi: q(s.phi, "phi")?,
            alpha: q(s.alpha, "alpha")?,
            tau: q(s.tau, "tau")?,
            gamma: q(s.gamma, "gamma")?,
        })
    }
    fn war(&self, p_win: &Rational, first: bool) -> Rational {
        let base = p_win * &self.own + (Rational::one() - p_win) * &self.other - &self.alpha;
        if first {
            base
        } else {
            base - &self.tau
        }
    }
    fn neg(&self) -> Rational {
        &self.phi * &self.own + (Rational::one() - &self.phi) * &self.other
    }
}

fn leaf(outcome: &str, a: Rational, b: Rational) -> Tree {
    Tree::leaf(outcome, vec![a, b])
}

/// Builds the International Interaction Game for sides `a` and `b`, A winning a war with `p_win_a`.
/// Parameters are read as their shortest decimals (`0.1` is `1/10`) and payoffs computed exactly.
pub fn international_interaction_game(a: &IigSide, b: &IigSide, p_win_a: f64) -> Result<Game> {
    if !(0.0..=1.0).contains(&p_win_a) {
        return Err(CrisisError::InvalidParameter {
            name: "p_win_a",
            message: "must be in [0, 1]".into(),
        });
    }
    let (a, b) = (Side::new(a)?, Side::new(b)?);
    let p_a = q(p_win_a, "p_win_a")?;
    let p_b = Rational::one() - &p_a;
    let payoff = |label: &str| -> [Rational; 2] {
        match label {
            "SQ" => [a.sq.clone(), b.sq.clone()],
            "ACQ_A" => [a.other.clone(), b.own.clone()],
            "ACQ_B" => [a.own.clone(), b.other.clone()],
            "NEG" => [a.neg(), b.neg()],
            "CAP_A" => [&a.other - &a.gamma, b.own.clone()],
            "CAP_B" => [a.own.clone(), &b.other - &b.gamma],
            "WAR_A" => [a.war(&p_a, true), b.war(&p_b, false)],
            _ => [a.war(&p_a, false), b.war(&p_b, true)],
        }
    };
    let n1 = iig_tree(&payoff, &|_, _| None);
    Game::from_tree("International Interaction Game", &["A", "B"], n1)
}

/// The International Interaction Game's tree (models.md section 5), with the payoffs of each
/// outcome label (`SQ`, `ACQ_A`, `ACQ_B`, `NEG`, `CAP_A`, `CAP_B`, `WAR_A`, `WAR_B`) from `payoff`
/// and each decision node's information-set key from `key(player, node label)` (`None`: a
/// singleton), so that several copies can share the uninformed player's information sets.
pub fn iig_tree(
    payoff: &dyn Fn(&str) -> [Rational; 2],
    key: &dyn Fn(usize, &str) -> Option<String>,
) -> Tree {
    iig_tree_with(
        &|l: &str, _: &str| {
            let [x, y] = payoff(l);
            Tree::Leaf {
                outcome: l.to_string(),
                payoffs: vec![x, y],
            }
        },
        key,
    )
}

/// [`iig_tree`] with each leaf's subtree from `leaf(outcome label, position)`, where the position
/// names the leaf's place uniquely (`"<parent node label>.<action>"`, e.g. `"7.NoForce"`): a leaf
/// may become a small subtree (a chance move, a further decision) as the revised crisis mapping's
/// red lines need.
pub fn iig_tree_with(
    leaf_at: &dyn Fn(&str, &str) -> Tree,
    key: &dyn Fn(usize, &str) -> Option<String>,
) -> Tree {
    let node = |player: usize, l: &str, acts: Vec<(&str, Tree)>| Tree::Decision {
        player,
        infoset: key(player, l),
        label: l.into(),
        actions: acts.into_iter().map(|(x, t)| (x.to_string(), t)).collect(),
    };
    let leaf = |l: &str, at: &str| leaf_at(l, at);
    // 8 and 12: A retaliates (WAR_B) or gives in (CAP_A). 10 and 11: B retaliates (WAR_A) or gives in (CAP_B).
    let n8 = |l: &str| {
        node(
            0,
            l,
            vec![
                ("Retaliate", leaf("WAR_B", &format!("{l}.Retaliate"))),
                ("GiveIn", leaf("CAP_A", &format!("{l}.GiveIn"))),
            ],
        )
    };
    let n10 = |l: &str| {
        node(
            1,
            l,
            vec![
                ("Retaliate", leaf("WAR_A", &format!("{l}.Retaliate"))),
                ("GiveIn", leaf("CAP_B", &format!("{l}.GiveIn"))),
            ],
        )
    };
    let n7 = node(
        0,
        "7",
        vec![("Force", n10("11")), ("NoForce", leaf("NEG", "7.NoForce"))],
    );
    let n9 = node(
        1,
        "9",
        vec![("Force", n8("12")), ("NoForce", leaf("NEG", "9.NoForce"))],
    );
    let n6 = node(1, "6", vec![("Force", n8("8")), ("NoForce", n7)]);
    let n5 = node(0, "5", vec![("Force", n10("10")), ("NoForce", n9)]);
    let n4 = node(
        0,
        "4",
        vec![
            ("Acquiesce", leaf("ACQ_A", "4.Acquiesce")),
            ("CounterDemand", n6),
        ],
    );
    let n3 = node(
        1,
        "3",
        vec![
            ("Acquiesce", leaf("ACQ_B", "3.Acquiesce")),
            ("CounterDemand", n5),
        ],
    );
    let n2 = node(
        1,
        "2",
        vec![("NoDemand", leaf("SQ", "2.NoDemand")), ("Demand", n4)],
    );
    node(0, "1", vec![("NoDemand", n2), ("Demand", n3)])
}

/// Parameters of the escalation ladder (see the module docs).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LadderParams {
    /// Number of rungs (at least 1).
    pub rungs: usize,
    /// Value of the stake.
    pub stake: f64,
    /// Probability that A wins a war.
    pub p_win_a: f64,
    /// Costs of war `[c_A, c_B]`.
    pub war_cost: [f64; 2],
    /// Audience cost per own public escalation `[a_A, a_B]`.
    pub audience_cost: [f64; 2],
}

/// Builds the escalation ladder.
pub fn escalation_ladder(params: &LadderParams) -> Result<Game> {
    let LadderParams {
        rungs,
        stake,
        p_win_a,
        war_cost,
        audience_cost,
    } = *params;
    if rungs == 0 || rungs > 500 {
        return Err(CrisisError::InvalidParameter {
            name: "rungs",
            message: "must be in 1..=500".into(),
        });
    }
    if !(0.0..=1.0).contains(&p_win_a) {
        return Err(CrisisError::InvalidParameter {
            name: "p_win_a",
            message: "must be in [0, 1]".into(),
        });
    }
    let s = q(stake, "stake")?;
    let p = q(p_win_a, "p_win_a")?;
    let c = [q(war_cost[0], "war_cost")?, q(war_cost[1], "war_cost")?];
    let a = [
        q(audience_cost[0], "audience_cost")?,
        q(audience_cost[1], "audience_cost")?,
    ];
    let two = Rational::from_integer(2.into());
    let one = Rational::one();
    let mut tree = leaf(
        "WAR",
        (&two * &p - &one) * &s - &c[0],
        (&one - &two * &p) * &s - &c[1],
    );
    // Build from the top rung down.
    for k in (1..=rungs).rev() {
        let mover = (k + 1) % 2; // rung 1: A (0), rung 2: B (1), ...
        let esc_a = k / 2; // A escalated at rungs 1, 3, ... < k
        let esc_b = (k - 1) / 2; // B escalated at rungs 2, 4, ... < k
        let back = if k == 1 {
            leaf("SQ", Rational::zero(), Rational::zero())
        } else {
            let (own_esc, other) = if mover == 0 { (esc_a, 1) } else { (esc_b, 0) };
            let mut pay = [Rational::zero(), Rational::zero()];
            pay[other] = s.clone();
            pay[mover] = -&s - &a[mover] * Rational::from_integer((own_esc as i64).into());
            let side = if mover == 0 { "A" } else { "B" };
            let label = if own_esc == 0 {
                format!("ACQ_{side}")
            } else {
                format!("CAP_{side}")
            };
            let [p0, p1] = pay;
            leaf(&label, p0, p1)
        };
        tree = Tree::Decision {
            player: mover,
            infoset: None,
            label: format!("rung {k}"),
            actions: vec![("BackDown".into(), back), ("Escalate".into(), tree)],
        };
    }
    Game::from_tree(
        &format!("Escalation ladder ({rungs} rungs)"),
        &["A", "B"],
        tree,
    )
}

/// A discretised Fearon bargaining game (private cost of war), for the PBE solver and benchmarks.
///
/// Nature draws B's cost `c` from `types` (`(c, probability)`); A, not knowing it (one information
/// set across the types), picks a demand from `demands`; B, knowing both, accepts (`NEG`: `x`, `1 - x`)
/// or rejects (`WAR`: `p - c_A`, `1 - p - c`). `2 · |types| · |demands|` leaves.
pub fn fearon_game(
    p: &Rational,
    c_a: &Rational,
    types: &[(Rational, Rational)],
    demands: &[Rational],
) -> Result<Game> {
    if types.is_empty() || demands.is_empty() {
        return Err(CrisisError::InvalidParameter {
            name: "types",
            message: "need at least one type and one demand".into(),
        });
    }
    let one = Rational::one();
    let mut branches = Vec::new();
    for (c, q) in types {
        let actions: Vec<(String, Tree)> = demands
            .iter()
            .map(|x| {
                let b = Tree::decision(
                    1,
                    vec![
                        ("Accept", Tree::leaf("NEG", vec![x.clone(), &one - x])),
                        ("Reject", Tree::leaf("WAR", vec![p - c_a, &one - p - c])),
                    ],
                );
                (format!("x={x}"), b)
            })
            .collect();
        let a = Tree::Decision {
            player: 0,
            infoset: Some("demand".into()),
            label: String::new(),
            actions,
        };
        branches.push((format!("c={c}"), q.clone(), a));
    }
    Game::from_tree(
        "Discretised Fearon bargaining game",
        &["A", "B"],
        Tree::Chance {
            label: "type".into(),
            branches,
        },
    )
}

/// [`fearon_game`] with `n_types` equally likely costs at the midpoints of `n_types` equal bins of
/// `[lo, hi]` and demands `p + lo + j (hi - lo) / n_types`, `j = 0..n_demands` (no demand makes a type
/// exactly indifferent); `lo`, `hi`, `p`, `c_a` are read as their shortest decimals.
pub fn fearon_game_uniform(
    p: f64,
    c_a: f64,
    lo: f64,
    hi: f64,
    n_types: usize,
    n_demands: usize,
) -> Result<Game> {
    let (p, c_a, lo, hi) = (q(p, "p")?, q(c_a, "c_a")?, q(lo, "lo")?, q(hi, "hi")?);
    if n_types == 0 || n_demands == 0 || hi <= lo {
        return Err(CrisisError::InvalidParameter {
            name: "n_types",
            message: "need n_types, n_demands > 0 and lo < hi".into(),
        });
    }
    let n = Rational::from_integer((n_types as i64).into());
    let width = (&hi - &lo) / &n;
    let half = Rational::new(1.into(), 2.into());
    let types: Vec<(Rational, Rational)> = (0..n_types)
        .map(|k| {
            (
                &lo + &width * (Rational::from_integer((k as i64).into()) + &half),
                Rational::one() / &n,
            )
        })
        .collect();
    let demands: Vec<Rational> = (0..n_demands)
        .map(|j| &p + &lo + &width * Rational::from_integer((j as i64).into()))
        .filter(|x| *x <= Rational::one() && *x >= Rational::zero())
        .collect();
    fearon_game(&p, &c_a, &types, &demands)
}
