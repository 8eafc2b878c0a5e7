//! The crisis documents: a scenario's crises analysed (`brink crisis`) and a Gambit game solved
//! (`brink solve`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CrisisReport, Header, InputInfo, Interval, ScenarioInfo};

/// Each crisis of a scenario: its certified equilibrium, the game in Gambit's format, and where
/// in its range each uncertain input would change the equilibrium.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisAnalysis {
    /// Schema version, kind (`crisis_analysis`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The scenario.
    pub scenario: ScenarioInfo,
    /// Grid points per input of the threshold search.
    pub samples: usize,
    /// Per crisis, in the scenario's order.
    pub crises: Vec<CrisisAnalysisEntry>,
    /// Whether the run was stopped before every threshold was searched.
    pub stopped: bool,
}

/// One crisis analysed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisAnalysisEntry {
    /// The crisis and its equilibrium.
    pub forecast: CrisisReport,
    /// The game on the point estimates in Gambit's `.efg` format (`brink solve` reads it).
    pub game_efg: String,
    /// Per uncertain input that bears on the crisis.
    pub thresholds: Vec<Threshold>,
}

/// An input's thresholds: where in its range the equilibrium changes, the input alone moving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Threshold {
    /// The input's key.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Its range.
    pub range: Interval,
    /// Its point value.
    pub point: f64,
    /// Where the equilibrium's outcomes change (empty: nowhere in the range).
    pub switches: Vec<Switch>,
}

/// A change of the equilibrium's outcomes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Switch {
    /// The input's value at the change.
    pub at: f64,
    /// The outcomes just below.
    pub before: Vec<String>,
    /// The outcomes just above.
    pub after: Vec<String>,
}

/// Every equilibrium of a game in Gambit's format, with its certificate, in exact arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Solve {
    /// Schema version, kind (`solve`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The game's title.
    pub title: String,
    /// Its players.
    pub players: Vec<String>,
    /// The solution concept.
    pub concept: String,
    /// Whether every equilibrium was enumerated (false: the enumeration was capped).
    pub complete: bool,
    /// The equilibria.
    pub equilibria: Vec<SolvedEquilibrium>,
    /// The game, for drawing (not in JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub game: Option<brink_crisis::game::Game>,
    /// The first equilibrium's path, as node numbers of `game`, for drawing (not in JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub first_path: Option<Vec<usize>>,
}

/// One equilibrium, numbers as exact fractions (`1/2`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SolvedEquilibrium {
    /// Its path in words.
    pub path: Vec<String>,
    /// Each player's expected payoff.
    pub payoffs: Vec<String>,
    /// Each outcome's probability.
    pub outcomes: Vec<ExactOutcome>,
    /// The certificate's largest regret (0 for an equilibrium).
    pub max_regret: String,
    /// The certificate: every information set checked.
    pub certificate: Vec<CertificateCheck>,
}

/// An outcome with its exact probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ExactOutcome {
    /// The outcome's label.
    pub outcome: String,
    /// Its probability.
    pub p: String,
}

/// One information set's check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CertificateCheck {
    /// The information set's number.
    pub infoset: usize,
    /// Its player.
    pub player: String,
    /// Whether the equilibrium path passes through it.
    pub on_path: bool,
    /// The action the equilibrium plays there.
    pub action: String,
    /// The player's regret there: the most it would gain by deviating.
    pub regret: String,
}
