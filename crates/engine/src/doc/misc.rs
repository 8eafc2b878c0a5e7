//! Scoring documents (`brink backtest`, `brink eval`) and the small ones (`brink check`,
//! `brink import`, `brink models`).

use schemars::JsonSchema;
use serde::Serialize;

use super::{Header, InputInfo, ScenarioInfo};

/// A scenario's forecasts, and its sources' forecasts in words, against what happened.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Backtest {
    /// Schema version, kind (`backtest`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The scenario's file.
    pub input: InputInfo,
    /// The scenario, with the date of the information in force.
    pub scenario: ScenarioInfo,
    /// The outcomes file.
    pub outcomes: String,
    /// The claims file, if one was given.
    pub claims: Option<String>,
    /// Monte Carlo draws made for the crisis probabilities.
    pub draws: u64,
    /// Their seed (and the models').
    pub seed: u64,
    /// Whether the draws were stopped before the end (the scores then use the draws done).
    pub stopped: bool,
    /// The scores.
    pub backtest: brink_eval::backtest::Backtest,
    /// How the predictive distributions were made (as `brink run --draws DRAWS --seed SEED`
    /// makes them).
    pub predictive: super::PredictiveInfo,
    /// The issues' predictive distributions scored: per issue and model the CRPS beside the
    /// point's absolute error, the PIT and whether the outcome fell in the central 50%, 80% and
    /// 90% intervals; per model the means and coverage.
    pub distributions: brink_eval::backtest_dist::DistBacktest,
    /// Each crisis's three views (the reference class, the game, their combination) over the
    /// ICB violence levels, scored against the level of the outcome that happened; empty for a
    /// scenario without crises or without their outcomes.
    pub crisis_views: Vec<CrisisViewsScore>,
}

/// A crisis's views scored against what happened, over the ICB violence levels (no violence,
/// force short of war, war).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CrisisViewsScore {
    /// The crisis's id.
    pub crisis: String,
    /// The outcome class the outcomes file gives.
    pub outcome: String,
    /// The violence level that class is (`brink_crisis::iig::CLASS_VIOLENCE`): `no violence`,
    /// `force short of war` or `war`.
    pub level: String,
    /// Per view (`reference class`, `game`, `combined`; only those the crisis has).
    pub views: Vec<ViewScore>,
}

/// One view's probabilities of the violence levels and their scores.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ViewScore {
    /// `reference class`, `game` or `combined`.
    pub view: String,
    /// P(no violence), P(force short of war), P(war).
    pub p: Vec<f64>,
    /// The Brier score over the three levels (sum of squared errors; 0 to 2).
    pub brier: f64,
    /// The Brier score of P(war) alone.
    pub war_brier: f64,
    /// The log score of the level that happened (floored at ln 0.001).
    pub log: f64,
}

/// Models scored against known outcomes, with bootstrap intervals by proposal.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Eval {
    /// Schema version, kind (`eval`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The data set's file and the SHA-256 of its text.
    pub input: InputInfo,
    /// The scores.
    pub evaluation: brink_eval::EvalReport,
    /// The models' predictive distributions scored (CRPS, log score of the outcome's bin,
    /// coverage and width of the central intervals, PIT), beside the points (`docs/uncertainty.md`).
    pub predictive: brink_eval::probabilistic::PredictiveReport,
    /// Which error models made those distributions: the shipped ones (fitted on the DEU III
    /// development split) or ones fitted on these data by leave-one-proposal-out
    /// cross-validation, and how many of the scored proposals the shipped ones were fitted on
    /// (0: an out-of-sample test). `predictive.source` says it in words.
    pub error_models: ErrorModelsUsed,
    /// The institutional compromise's cross-validation: (proposal left out, phi, gamma) per
    /// fold; null when the data have no institutions.
    pub cross_validation: Option<Vec<(String, f64, f64)>>,
}

/// Which error models an evaluation's distributions came from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ErrorModelsUsed {
    /// `shipped` or `cross-validated`.
    pub used: brink_eval::probabilistic::ErrorChoice,
    /// What was asked for (`auto`, `shipped`, `cross-validated`).
    pub asked: brink_eval::probabilistic::ErrorChoice,
    /// Proposals with an outcome in the scored data.
    pub scored_proposals: usize,
    /// How many of them the shipped error models were fitted on.
    pub shared_proposals: usize,
}

/// The outside view (the ICB reference class) scored on an ICB file: every row forecast from
/// its onset values by models never fitted on it, against its VIOL code, per target (VIOL at
/// least 2, at least 3, equal to 4) and model (`base`, `era`, `refclass`, `refclass_near`): Brier, log loss, AUC,
/// calibration table, with bootstrap intervals over crises (`docs/reference-class.md`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EvalIcb {
    /// Schema version, kind (`eval_icb`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The scored file and the SHA-256 of its text.
    pub input: InputInfo,
    /// The training file and the SHA-256 of its text (`<built-in: ...>`: the shipped
    /// development split of the same level).
    pub train: InputInfo,
    /// Scored crises (CRISNO) that are also in the training file, in order: each was left out
    /// of the training of its own forecast, by crisis (cross-validation; `evaluation.method`
    /// says how). Empty when the files share no crisis (then fitted once on the training file).
    pub left_out_of_training: Vec<u32>,
    /// The scores, per target and model, and every row's forecasts.
    pub evaluation: brink_refclass::IcbEval,
}

/// A scenario (and its outcomes) checked: what the files hold when they load, or every problem
/// found when they do not (`ok` false; the counts are then null).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Check {
    /// Schema version, kind (`check`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The scenario's file.
    pub input: InputInfo,
    /// Whether every file given loads and validates.
    pub ok: bool,
    /// Every problem found, in file order (empty when `ok`).
    pub problems: Vec<Problem>,
    /// Its actors.
    pub actors: Option<usize>,
    /// Its issues.
    pub issues: Option<usize>,
    /// Its stances.
    pub stances: Option<usize>,
    /// Its sources.
    pub sources: Option<usize>,
    /// The outcomes file checked against it, if one was given.
    pub outcomes: Option<CheckedOutcomes>,
    /// The onset addendum checked against it (and applied), if one was given.
    pub onset: Option<CheckedOnset>,
    /// What the scenario says that no forecast uses (valid, but ignored), each as `FIELD: what
    /// is ignored and why` ([`brink_scenario::warnings`]).
    pub warnings: Vec<String>,
}

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Problem {
    /// The file.
    pub file: String,
    /// 1-based line; null where the problem has none (a file that cannot be read).
    pub line: Option<usize>,
    /// 1-based column; null with the line.
    pub column: Option<usize>,
    /// The field's path (`stances[3].salience`); empty for a syntax error or a whole file.
    pub field: String,
    /// What is wrong, in words.
    pub message: String,
    /// How many further problems like this one are not listed (0: a problem of its own).
    pub omitted: usize,
}

/// An onset addendum checked.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckedOnset {
    /// The file.
    pub file: String,
    /// Crises of the scenario with an onset section once the addendum is applied.
    pub crises_with_onset: usize,
    /// Crises of the scenario.
    pub crises: usize,
    /// The input as forecasts with the addendum name it: the scenario, the addendum and its
    /// label (e.g. "added after the outcome").
    pub applied: String,
}

/// An outcomes file checked.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct CheckedOutcomes {
    /// The file.
    pub file: String,
    /// Its issues' outcomes.
    pub outcomes: usize,
}

/// Another tool's input converted into a brink scenario (and outcomes): the files' texts.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The scenario's id (the files are `ID.toml` and `ID.outcomes.toml`).
    pub id: String,
    /// The scenario as TOML.
    pub scenario_toml: String,
    /// Its actors.
    pub actors: usize,
    /// Its issues.
    pub issues: usize,
    /// Its stances.
    pub stances: usize,
    /// The outcomes as TOML and their number, where the data have them.
    pub outcomes: Option<(String, usize)>,
    /// What the importer left out or supplied, in words (rows skipped, a date the file does not
    /// give, proposals run apart), for the user to read.
    pub notes: Vec<String>,
}

/// A model brink knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ModelInfo {
    /// Its name (as `--model` takes it).
    pub name: String,
    /// What it computes, in one line.
    pub summary: String,
    /// Whether it runs when no model is named.
    pub default: bool,
}
