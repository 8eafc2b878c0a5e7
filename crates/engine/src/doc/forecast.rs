//! The forecast document (`brink run`): per issue and model the point forecast and, with draws,
//! its predictive distribution; per crisis the certified equilibrium and, with draws, the
//! outcome probabilities over the game.

use brink_bargain::{IssueForecast, Outcome};
use brink_scenario::{Issue, Scenario};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Header, InputInfo, ScenarioInfo};

/// A forecast of every issue and crisis of a scenario. A run with Monte Carlo draws is the same
/// document with its distributions, its crises' outcome probabilities and [`MonteCarlo`] filled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Forecast {
    /// Schema version, kind (`forecast`), brink's version.
    #[serde(flatten)]
    pub header: Header,
    /// The input.
    pub input: InputInfo,
    /// The scenario, with the date of the information in force.
    pub scenario: ScenarioInfo,
    /// How many of the scenario's dated updates were applied (those dated on or before
    /// `scenario.as_of`, when the forecast is made as of a date).
    pub updates_applied: usize,
    /// Those updates, with what moved the rival hypotheses' odds.
    pub updates: Vec<AppliedUpdate>,
    /// The rival hypotheses about actors (types), with their odds.
    pub types: Vec<TypeOdds>,
    /// Models run, in order.
    pub models: Vec<String>,
    /// Rounds given to the dynamic models.
    pub rounds: usize,
    /// Seed of the models' random tie-breaking (and of the draws).
    pub seed: u64,
    /// Per issue, in the scenario's order.
    pub issues: Vec<IssueReport>,
    /// Per crisis, in the scenario's order.
    pub crises: Vec<CrisisReport>,
    /// The Monte Carlo run, when draws were made.
    pub montecarlo: Option<MonteCarlo>,
    /// How the predictive distributions (`issues[].forecasts[].predictive`) were made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictive: Option<PredictiveInfo>,
}

/// How a document's predictive distributions were made (`docs/uncertainty.md`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PredictiveInfo {
    /// The data the models' errors were measured on.
    pub error_models: String,
    /// The SHA-256 of those data.
    pub error_models_sha256: String,
    /// The widening factor of issues whose inputs are not expert interviews and that set no
    /// factor of their own (`meta.widening`).
    pub default_widening: f64,
    /// The factor given for every issue (`--widen`), overriding the default and the issues' own;
    /// null when none was given.
    pub widen: Option<f64>,
    /// What the distributions are centred on: `points` (each model's forecast on the point
    /// estimates, in each world of the rival hypotheses by its probability) or `draws` (each
    /// model's forecast in each Monte Carlo draw).
    pub centred_on: String,
    /// Monte Carlo draws mixed into each distribution (0 when centred on points): the first
    /// draws of the run, at most [`crate::predict::MAX_PREDICTIVE_DRAWS`].
    pub draws_mixed: u64,
}

/// A model's predictive distribution of where an issue settles: its forecast, the scenario's
/// input uncertainty and the model's own error as measured on real decisions, widened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PredictiveForecast {
    /// The median.
    pub median: f64,
    /// The label of the point of the scale nearest the median.
    pub median_label: String,
    /// The mean.
    pub mean: f64,
    /// Quantiles at the levels 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95.
    pub quantiles: Vec<Quantile>,
    /// The central intervals holding 50%, 80% and 90% of the probability.
    pub intervals: Vec<CentralInterval>,
    /// Values holding 2% or more of the probability on their own (e.g. an end of the actors'
    /// range).
    pub point_masses: Vec<PointMass>,
    /// The widening factor the distribution was made with.
    pub widening: f64,
    /// The distribution itself, for drawing (not in JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub distribution: Option<brink_eval::scores::Predictive>,
}

/// A central interval of a predictive distribution, with the scale's words at its ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CentralInterval {
    /// The probability it holds (0.5, 0.8, 0.9).
    pub level: f64,
    /// Low end.
    pub lo: f64,
    /// High end.
    pub hi: f64,
    /// The label of the point of the scale nearest the low end.
    pub lo_label: String,
    /// The label of the point of the scale nearest the high end.
    pub hi_label: String,
}

/// A value holding probability on its own.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PointMass {
    /// The value.
    pub at: f64,
    /// Its probability.
    pub p: f64,
}

impl PredictiveForecast {
    /// The central interval at `level` (0.5, 0.8 or 0.9), if kept.
    pub fn interval(&self, level: f64) -> Option<&CentralInterval> {
        self.intervals.iter().find(|i| i.level == level)
    }

    /// The quantile at level `q`, NaN if it is not kept.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles
            .iter()
            .find(|x| x.q == q)
            .map_or(f64::NAN, |x| x.value)
    }
}

/// A dated update that was applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AppliedUpdate {
    /// Its date.
    pub date: String,
    /// What happened, in words.
    pub what: String,
    /// The likelihood of the event under each type it bears on.
    pub likelihoods: Vec<Likelihood>,
}

/// How likely an update's event was under one type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Likelihood {
    /// The actor's id.
    pub actor: String,
    /// The type's id.
    #[serde(rename = "type")]
    pub type_id: String,
    /// The likelihood.
    pub likelihood: f64,
}

/// One rival hypothesis about an actor, with its odds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TypeOdds {
    /// The actor's id.
    pub actor: String,
    /// The actor's name.
    pub actor_name: String,
    /// The type's id.
    #[serde(rename = "type")]
    pub type_id: String,
    /// The type's name.
    pub name: String,
    /// Its prior probability.
    pub prior: f64,
    /// Its probability after the updates applied.
    pub posterior: f64,
}

/// A labelled point of an issue's scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ScalePoint {
    /// Where on the scale.
    pub at: f64,
    /// What it means, in the source's words.
    pub label: String,
}

/// One issue's forecasts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct IssueReport {
    /// Id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Low end of the scale.
    pub min: f64,
    /// High end of the scale.
    pub max: f64,
    /// The labelled points of the scale.
    pub points: Vec<ScalePoint>,
    /// The status quo, if known.
    pub status_quo: Option<f64>,
    /// Where it lies on the scale, in the scale's words (as a forecast's `label`).
    pub status_quo_label: Option<String>,
    /// One per model, in the order the models were asked for.
    pub forecasts: Vec<ModelForecast>,
}

/// What a model forecasts on an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// The issue settles at the value.
    Settles,
    /// No agreement: the status quo (the value) stays.
    NoAgreement,
    /// The model covers no forecast here.
    NotCovered,
}

/// One model's forecast on one issue, in words and numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ModelForecast {
    /// The model's name.
    pub model: String,
    /// Settles, no agreement, or not covered.
    pub kind: Kind,
    /// The forecast on the point estimates (for no agreement: the status quo); null when not
    /// covered.
    pub value: Option<f64>,
    /// Where the value lies on the scale, in the scale's words: the label of a labelled point
    /// within 1% of the scale's width, else "between A (a) and B (b)" (empty for a scale whose
    /// points carry only their numbers).
    pub label: Option<String>,
    /// Names of the actors whose weight decides the forecast.
    pub decisive: Vec<String>,
    /// Names of the actors blocking an agreement (no agreement only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub blockers: Vec<String>,
    /// Why the model covers no forecast here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The explanation in words (with `explain`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<String>,
    /// The structured record of a dynamic model's run (with `explain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace: Option<serde_json::Value>,
    /// The distribution of the model's forecast over the Monte Carlo draws (with draws): the
    /// input uncertainty alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
    /// The predictive distribution of where the issue settles (the input uncertainty and the
    /// model's own error); null when the model covers no forecast here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predictive: Option<PredictiveForecast>,
}

/// The quantile levels of a [`Distribution`].
pub const QUANTILES: [f64; 5] = [0.05, 0.25, 0.5, 0.75, 0.95];

/// A forecast's predictive distribution over the Monte Carlo draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Distribution {
    /// Draws in which the model forecast a value (its value, for no agreement the status quo).
    pub n: u64,
    /// Draws in which the model forecast no agreement.
    pub no_agreement: u64,
    /// Draws the model did not cover.
    pub not_covered: u64,
    /// The values' distribution; null when no draw had one.
    pub summary: Option<Summary>,
}

/// The distribution of a forecast's values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n - 1 denominator; 0 for one draw).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Quantiles at the levels of [`QUANTILES`], exact to 1/4096 of the scale.
    pub quantiles: Vec<Quantile>,
    /// Where the median lies on the scale, in the scale's words (as a forecast's `label`).
    pub median_label: String,
}

/// One quantile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quantile {
    /// The level, in (0, 1).
    pub q: f64,
    /// The value.
    pub value: f64,
}

impl Summary {
    /// The quantile at level `q` (one of [`QUANTILES`]), NaN if it is not kept.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles
            .iter()
            .find(|x| x.q == q)
            .map_or(f64::NAN, |x| x.value)
    }

    /// The median.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }
}

/// The Monte Carlo run behind a document's distributions and probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MonteCarlo {
    /// The seed.
    pub seed: u64,
    /// Draws per chunk (part of the definition of a run: changing it changes the draws).
    pub chunk: u64,
    /// Draws asked for.
    pub draws_requested: u64,
    /// Draws done (fewer when stopped).
    pub draws_done: u64,
    /// Whether the run was stopped before the end; the document then covers the draws done.
    pub stopped: bool,
    /// The inputs that were drawn (the uncertain ones), by key.
    pub uncertain_inputs: Vec<String>,
}

/// One crisis: the deterministic equilibrium with its certificate, and three ways of putting
/// probabilities on its outcomes: the game's quantal response over Monte Carlo draws (`game`),
/// the reference class of past crises (`reference_class`, when the crisis has an onset section)
/// and their combination (`combined`), the crisis's published forecast
/// (`docs/crisis-mapping.md`, "One forecast").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisReport {
    /// The crisis's id.
    pub crisis: String,
    /// Its name.
    pub name: String,
    /// The certified equilibrium on the point estimates; null when the crisis cannot be solved.
    pub equilibrium: Option<CrisisEquilibrium>,
    /// Why the crisis cannot be solved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The inside view: the game's outcome probabilities over the Monte Carlo draws, each draw
    /// played as the logit quantal response equilibrium at the estimated precision (`lambda`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub game: Option<OutcomeProbabilities>,
    /// The outside view: how crises that began like this one ended (the ICB reference class);
    /// null when the crisis has no onset section (`reference_class_note` says so).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_class: Option<ReferenceClassView>,
    /// Why there is no reference class (no onset section, or the fit failed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference_class_note: Option<String>,
    /// The published forecast: the reference class and the game combined by the stated rule,
    /// over the ICB violence levels (`no violence`, `force short of war`, `war`), with 90%
    /// intervals; null without a reference class (the game alone is then the forecast).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combined: Option<OutcomeProbabilities>,
    /// The game tree on the point estimates, for drawing (not in JSON).
    #[serde(skip)]
    #[schemars(skip)]
    pub tree: Option<brink_crisis::game::Game>,
}

impl CrisisReport {
    /// The published P(war) and its interval: the combined forecast's, else the game's.
    pub fn published_war(&self) -> Option<(f64, Option<Interval>)> {
        let from = |o: &OutcomeProbabilities| {
            o.outcomes
                .iter()
                .find(|s| s.outcome == "war")
                .and_then(|s| s.p.map(|p| (p, s.spread.or(s.interval))))
        };
        self.combined
            .as_ref()
            .and_then(from)
            .or_else(|| self.game.as_ref().and_then(from))
    }
}

/// The outside view of a crisis: the ICB reference class fitted on the crises over before the
/// scenario's date, read at the crisis's onset values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReferenceClassView {
    /// `refclass` (onset variables only).
    pub model: String,
    /// `system`: the violence of the crisis as a whole.
    pub level: String,
    /// P(VIOL >= 2), P(VIOL >= 3), P(VIOL = 4), each with its 90% interval.
    pub targets: Vec<TargetProbability>,
    /// The ICB violence levels (`no violence`, `force short of war`, `war`), with the 90%
    /// intervals the targets imply.
    pub outcomes: Vec<OutcomeShare>,
    /// The training crises' own rates of the three targets.
    pub base_rates: Vec<f64>,
    /// The nearest past crises.
    pub nearest: Vec<NearestCrisis>,
    /// Training crises.
    pub n_crises: usize,
    /// Only crises over before this date were used.
    pub before: Option<String>,
    /// Whether NEAR variables entered the forecast (never in the published forecast).
    pub near_used: bool,
    /// NEAR variables the onset section gives, not used.
    pub near_given: Vec<String>,
    /// Features the onset section does not give (ICB's "missing" level).
    pub missing: Vec<String>,
    /// What the forecast may and may not be read as.
    pub note: String,
}

/// One cumulative target of the reference class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TargetProbability {
    /// `any_violence`, `serious_or_war` or `war`.
    pub target: String,
    /// Its definition on ICB's VIOL.
    pub definition: String,
    /// The probability.
    pub p: f64,
    /// Its 90% interval.
    pub interval: Interval,
}

/// A past crisis like the one forecast.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NearestCrisis {
    /// ICB crisis number.
    pub crisno: u32,
    /// ICB name.
    pub name: String,
    /// Year of the trigger.
    pub year: i32,
    /// What happened (ICB VIOL in words).
    pub outcome: String,
    /// On how many of the model's features it differs.
    pub distance: usize,
    /// Those features, `name: theirs (this case: ours)`.
    pub differs: Vec<String>,
}

/// A crisis's equilibrium on the point estimates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisEquilibrium {
    /// The solution concept (`SubgamePerfect`, `PerfectBayesian(Supporting)`).
    pub concept: String,
    /// Equilibria found (the outcome probabilities average over them).
    pub equilibria: usize,
    /// Each outcome class with its probability on the equilibrium path(s).
    pub outcomes: Vec<OutcomeProbability>,
    /// The (first) equilibrium's path, one step per entry, in words.
    pub path: Vec<String>,
    /// The certificate: the largest regret of any player at any information set, on and off the
    /// path (0 for an equilibrium).
    pub max_regret: f64,
    /// The red lines the settlement crosses, in words.
    pub red_lines_crossed: Vec<String>,
    /// The two sides: challenger, defender.
    pub sides: Vec<CrisisSide>,
    /// The settlement the game uses, per issue of the crisis.
    pub settlement: Vec<f64>,
}

/// An outcome with its probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeProbability {
    /// The outcome class (`war`, `negotiated settlement`, ...).
    pub outcome: String,
    /// Its probability.
    pub p: f64,
}

/// One side of a crisis game.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrisisSide {
    /// Its members' names.
    pub members: Vec<String>,
    /// Its position per issue of the crisis (salience-weighted over members).
    pub position: Vec<Option<f64>>,
    /// Its salience per issue.
    pub salience: Vec<f64>,
    /// Its utility of the status quo (1 = its own demands met).
    pub sq: f64,
    /// Its utility of the other side's demands.
    pub other: f64,
    /// Its utility of the negotiated settlement.
    pub neg: f64,
}

/// Probabilities of a crisis's outcomes over draws, each with a 95% interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeProbabilities {
    /// How the probabilities were obtained, in words (the solution concept, the precision, the
    /// combination rule with its weights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The quantal response's precision (units of each side's stake) when the draws were played
    /// as quantal response equilibria; null: each draw's equilibrium.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lambda: Option<f64>,
    /// Draws made.
    pub draws: u64,
    /// Draws in which the game could not be built or solved (left out of the shares).
    pub unsolved: u64,
    /// Why, for the first unsolved draw.
    pub unsolved_reason: Option<String>,
    /// Per outcome class.
    pub outcomes: Vec<OutcomeShare>,
}

/// An outcome's share of the draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeShare {
    /// The outcome class.
    pub outcome: String,
    /// Its probability: the share of the solved draws (each draw's equilibrium probabilities,
    /// averaged); null when no draw was solved.
    pub p: Option<f64>,
    /// The 95% Wilson interval of the share (for the game: of the mean over the draws; for the
    /// combination: its 90% interval, as `spread`).
    pub interval: Option<Interval>,
    /// The 5% and 95% quantiles of the probability over the draws (the first 65,536): how much
    /// it varies with the uncertain inputs (and, combined, with the reference class's
    /// coefficients).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread: Option<Interval>,
}

/// An interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Interval {
    /// Low end.
    pub lo: f64,
    /// High end.
    pub hi: f64,
}

fn names(sc: &Scenario, ix: &[usize]) -> Vec<String> {
    ix.iter().map(|&i| sc.actors[i].name.clone()).collect()
}

impl ModelForecast {
    /// One model's forecast on an issue of the scenario.
    pub fn of(sc: &Scenario, issue: &Issue, model: &str, f: &IssueForecast) -> Self {
        let value = f.value();
        let (kind, blockers, reason) = match &f.outcome {
            Outcome::Settles { .. } => (Kind::Settles, Vec::new(), None),
            Outcome::NoAgreement { blockers, .. } => (Kind::NoAgreement, names(sc, blockers), None),
            Outcome::NotCovered { reason } => (Kind::NotCovered, Vec::new(), Some(reason.clone())),
        };
        ModelForecast {
            model: model.to_string(),
            kind,
            value,
            label: value.map(|v| issue.describe(v)),
            decisive: names(sc, &f.decisive),
            blockers,
            reason,
            explanation: f.explanation.clone(),
            trace: f.trace.clone(),
            distribution: None,
            predictive: None,
        }
    }
}

impl IssueReport {
    /// An issue's head, without forecasts.
    pub fn of(is: &Issue) -> Self {
        let q = is.status_quo.as_ref().map(|q| q.point);
        IssueReport {
            id: is.id.clone(),
            name: is.name.clone(),
            min: is.min,
            max: is.max,
            points: is
                .points
                .iter()
                .map(|p| ScalePoint {
                    at: p.at,
                    label: p.label.clone(),
                })
                .collect(),
            status_quo: q,
            status_quo_label: q.map(|q| is.describe(q)),
            forecasts: Vec::new(),
        }
    }
}

impl Forecast {
    /// The document of given forecasts (`runs`: model name, its forecasts in issue order) on a
    /// scenario, without crises or draws: for front ends that run models themselves.
    pub fn from_runs(
        sc: &Scenario,
        input: InputInfo,
        runs: &[(String, Vec<IssueForecast>)],
        rounds: usize,
        seed: u64,
    ) -> Self {
        let issues = sc
            .issues
            .iter()
            .enumerate()
            .map(|(k, is)| IssueReport {
                forecasts: runs
                    .iter()
                    .map(|(m, fs)| ModelForecast::of(sc, is, m, &fs[k]))
                    .collect(),
                ..IssueReport::of(is)
            })
            .collect();
        Forecast {
            header: Header::new("forecast"),
            input,
            scenario: ScenarioInfo::of(sc),
            updates_applied: sc.applied,
            updates: sc
                .updates
                .iter()
                .filter(|u| u.date <= sc.as_of)
                .take(sc.applied)
                .map(|u| AppliedUpdate {
                    date: u.date.to_string(),
                    what: u.what.clone(),
                    likelihoods: u
                        .likelihoods
                        .iter()
                        .map(|&(t, l)| Likelihood {
                            actor: sc.actors[sc.types[t].actor].id.clone(),
                            type_id: sc.types[t].id.clone(),
                            likelihood: l,
                        })
                        .collect(),
                })
                .collect(),
            types: sc
                .types
                .iter()
                .map(|t| TypeOdds {
                    actor: sc.actors[t.actor].id.clone(),
                    actor_name: sc.actors[t.actor].name.clone(),
                    type_id: t.id.clone(),
                    name: t.name.clone(),
                    prior: t.prior,
                    posterior: t.posterior,
                })
                .collect(),
            models: runs.iter().map(|(m, _)| m.clone()).collect(),
            rounds,
            seed,
            issues,
            crises: Vec::new(),
            montecarlo: None,
            predictive: None,
        }
    }

    /// The forecasts of the issue with this id.
    pub fn issue(&self, id: &str) -> Option<&IssueReport> {
        self.issues.iter().find(|i| i.id == id)
    }
}
