//! The sensitivity document (`brink sensitivity`): which inputs move each forecast.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Header, InputInfo, ScenarioInfo};

/// A number that may be undefined (NaN: a forecast a model does not cover), written as null.
pub(crate) mod nullable {
    use serde::{Deserialize, Deserializer, Serializer};

    /// NaN as null.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_nan() {
            s.serialize_none()
        } else {
            s.serialize_f64(*x)
        }
    }

    /// Null as NaN.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
    }
}

/// Which inputs move each forecast: one at a time (tornado), the share of each forecast's
/// spread that experts' disagreement explains, and rank correlations over Monte Carlo draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Sensitivity {
    /// Schema version, kind (`sensitivity`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The scenario.
    pub scenario: ScenarioInfo,
    /// The issues (id and name), in the scenario's order.
    pub issues: Vec<IssueName>,
    /// Models run, in order.
    pub models: Vec<String>,
    /// Per issue and model: each uncertain input from the low to the high end of its range,
    /// every other input at its point estimate.
    pub tornado: Vec<Tornado>,
    /// The share of each forecast's variance explained by which expert's estimate holds
    /// (inputs pooled from several estimates only).
    pub expert_disagreement: ExpertDisagreement,
    /// Spearman's rank correlation of every input with every forecast over Monte Carlo draws.
    pub rank_correlation: RankCorrelations,
    /// Per crisis: how much of its published P(war) hangs on the settlement model and on each
    /// input.
    #[serde(default)]
    pub crises: Vec<CrisisSensitivity>,
}

/// An issue's id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IssueName {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
}

/// The tornado of one model on one issue: swings sorted by absolute size, largest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tornado {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The forecast with every input at its point estimate (null: not covered).
    #[serde(with = "nullable")]
    #[schemars(with = "Option<f64>")]
    pub base: f64,
    /// The swings, largest first (inputs that move nothing are left out).
    pub swings: Vec<Swing>,
}

/// One input's effect on one forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Swing {
    /// The input's key (`rus.enlargement.salience`).
    pub input: String,
    /// The input in words.
    pub name: String,
    /// The input's low and high values.
    pub range: (f64, f64),
    /// The forecast with the input at its low value (null: not covered).
    #[serde(with = "nullable")]
    #[schemars(with = "Option<f64>")]
    pub at_low: f64,
    /// The forecast with the input at its high value (null: not covered).
    #[serde(with = "nullable")]
    #[schemars(with = "Option<f64>")]
    pub at_high: f64,
    /// at_high - at_low (null when either is not covered).
    #[serde(with = "nullable")]
    #[schemars(with = "Option<f64>")]
    pub swing: f64,
}

/// The expert-disagreement shares and the draws they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExpertDisagreement {
    /// Draws.
    pub draws: u64,
    /// Their seed.
    pub seed: u64,
    /// Per issue, model and pooled input (and all pooled inputs together).
    pub shares: Vec<PanelShare>,
}

/// The share of a forecast's variance explained by the choice between a pooled input's estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PanelShare {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The pooled input's key, or `all panels`.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Share of the variance, in [0, 1].
    pub share: f64,
}

/// Rank correlations and the draws they come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RankCorrelations {
    /// Draws (0 or 1: none computed).
    pub draws: u64,
    /// Their seed.
    pub seed: u64,
    /// Strongest first per issue and model; |rho| below 0.05 left out.
    pub inputs: Vec<RankCorrelation>,
}

/// One input's rank correlation with one forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RankCorrelation {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The input's key.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Spearman's rank correlation between the input's draws and the forecast's.
    pub rho: f64,
}

impl From<brink_montecarlo::sensitivity::Tornado> for Tornado {
    fn from(t: brink_montecarlo::sensitivity::Tornado) -> Self {
        Tornado {
            issue: t.issue,
            model: t.model,
            base: t.base,
            swings: t
                .swings
                .into_iter()
                .map(|s| Swing {
                    input: s.input,
                    name: s.name,
                    range: s.range,
                    at_low: s.at_low,
                    at_high: s.at_high,
                    swing: s.swing,
                })
                .collect(),
        }
    }
}

impl From<brink_montecarlo::sensitivity::PanelShare> for PanelShare {
    fn from(p: brink_montecarlo::sensitivity::PanelShare) -> Self {
        PanelShare {
            issue: p.issue,
            model: p.model,
            input: p.input,
            name: p.name,
            share: p.share,
        }
    }
}

impl From<brink_montecarlo::sensitivity::RankCorrelation> for RankCorrelation {
    fn from(r: brink_montecarlo::sensitivity::RankCorrelation) -> Self {
        RankCorrelation {
            issue: r.issue,
            model: r.model,
            input: r.input,
            name: r.name,
            rho: r.rho,
        }
    }
}

/// How much of one crisis's published P(war) hangs on the settlement model and on each input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisSensitivity {
    /// The crisis's id.
    pub crisis: String,
    /// Its name.
    pub name: String,
    /// Draws per evaluation (the crisis's inputs only).
    pub draws: u64,
    /// Their seed (the same for every evaluation).
    pub seed: u64,
    /// The published P(war) as the scenario stands, on these draws.
    pub base: f64,
    /// The game's P(war) alone, on the same draws.
    pub game_base: f64,
    /// Whether the scenario fixes the settlement model (one model of weight 1).
    pub settlement_fixed: bool,
    /// P(war) with the settlement fixed to each model brink can put there.
    pub settlement: Vec<SettlementWar>,
    /// Each uncertain input that bears on the crisis fixed at its low and high end, largest
    /// swing first.
    pub swings: Vec<CrisisSwing>,
}

/// P(war) under one settlement model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SettlementWar {
    /// The settlement model (`status_quo`: no deal short of the status quo).
    pub model: String,
    /// Its weight in the scenario's choice (0 when the scenario does not name it).
    pub weight: f64,
    /// The published P(war) with it.
    pub p_war: f64,
    /// The game's P(war) alone with it.
    pub game_p_war: f64,
}

/// One input's swing of a crisis's P(war).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisSwing {
    /// The input's key.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Its range (low, high).
    pub range: (f64, f64),
    /// P(war) with the input at its low end.
    pub at_low: f64,
    /// P(war) with the input at its high end.
    pub at_high: f64,
    /// |at_high - at_low|.
    pub swing: f64,
    /// The game's P(war) alone with the input at its low end.
    pub game_at_low: f64,
    /// The game's P(war) alone with the input at its high end.
    pub game_at_high: f64,
}
