//! brink-bargain: the bargaining models that forecast where each issue settles.
//!
//! Every model implements [`Model`]: a pure function of a validated scenario's numbers
//! ([`Input`]), parameters ([`Params`]) and a random-number generator. Models never see files,
//! flags or the terminal. Adding a model is one module plus one line in [`registry`].
//!
//! | model | module | what it is |
//! |---|---|---|
//! | `compromise` | [`compromise`] | capability x salience weighted mean |
//! | `compromise-equal` | [`compromise`] | salience-weighted mean (equal capabilities) |
//! | `median` | [`median`] | capability x salience weighted median |
//! | `nash`, `nash-quadratic` | [`nash`] | asymmetric Nash bargaining solution, disagreement at the status quo |
//! | `eu`, `eu-scholz` | [`expected_utility`] | Bueno de Mesquita's expected-utility model |
//! | `smp` | [`smp`] | KTAB's spatial model of politics |
//! | `exchange` | [`exchange`] | Stokman's exchange model (equal gain) |

pub mod compromise;
pub mod exchange;
pub mod expected_utility;
pub mod median;
pub mod nash;
pub mod smp;

use brink_scenario::{Scenario, Values};
use serde::Serialize;

/// One actor's numbers on one issue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Player {
    /// Index into the scenario's actors.
    pub actor: usize,
    /// Capability on this issue (the stance's override, else the actor's power).
    pub power: f64,
    /// Position on the issue's scale.
    pub position: f64,
    /// Salience in [0, 1].
    pub salience: f64,
}

impl Player {
    /// The actor's weight in the weighted models: capability x salience.
    pub fn weight(&self) -> f64 {
        self.power * self.salience
    }
}

/// One issue's numbers: its scale, status quo and the players with a stance on it (file order).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueView {
    /// Index into the scenario's issues.
    pub issue: usize,
    /// Lower end of the scale.
    pub min: f64,
    /// Upper end of the scale.
    pub max: f64,
    /// The status quo / reference point, if known.
    pub status_quo: Option<f64>,
    /// Actors with a stance on the issue, in file order.
    pub players: Vec<Player>,
}

/// What a model sees: the scenario (names, scales) and the numbers of this run.
#[derive(Debug, Clone)]
pub struct Input<'a> {
    /// The validated scenario.
    pub scenario: &'a Scenario,
    /// The numbers of this run (point estimates or one Monte Carlo draw).
    pub values: &'a Values,
    /// Per issue, its numbers.
    pub issues: Vec<IssueView>,
}

impl<'a> Input<'a> {
    /// Gathers the per-issue numbers of `values`.
    pub fn new(scenario: &'a Scenario, values: &'a Values) -> Self {
        let mut issues: Vec<IssueView> = scenario
            .issues
            .iter()
            .enumerate()
            .map(|(k, is)| IssueView {
                issue: k,
                min: is.min,
                max: is.max,
                status_quo: values.status_quo[k],
                players: Vec::new(),
            })
            .collect();
        for (j, st) in scenario.stances.iter().enumerate() {
            issues[st.issue].players.push(Player {
                actor: st.actor,
                power: values.stance_power[j].unwrap_or(values.power[st.actor]),
                position: values.position[j],
                salience: values.salience[j],
            });
        }
        Input {
            scenario,
            values,
            issues,
        }
    }
}

/// Parameters shared by the models.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Params {
    /// Rounds for the dynamic models (expected utility, SMP turns cap, exchange).
    pub rounds: usize,
    /// Seed for models with random tie-breaking.
    pub seed: u64,
    /// Whether to record explanations (round-by-round moves), which costs time.
    pub explain: bool,
}

/// The most rounds the dynamic models may be asked for ([`Params::rounds`]): each round is
/// recorded (and the exchange model sizes its record by the request), so an unbounded request
/// would only exhaust memory (`--rounds 1e9` asked for 128 GB).
pub const MAX_ROUNDS: usize = 10_000;

/// Checks a number of rounds against [`MAX_ROUNDS`].
pub fn check_rounds(rounds: usize) -> Result<usize, brink_scenario::limits::CountError> {
    brink_scenario::limits::check_count(
        "rounds",
        rounds as u64,
        MAX_ROUNDS as u64,
        "each round of a dynamic model is recorded",
    )
    .map(|_| rounds)
}

impl Params {
    /// Checks the parameters' counts ([`check_rounds`]); callers check before running models.
    pub fn validate(&self) -> Result<(), brink_scenario::limits::CountError> {
        check_rounds(self.rounds).map(|_| ())
    }
}

impl Default for Params {
    fn default() -> Self {
        Params {
            rounds: 10,
            seed: 0,
            explain: false,
        }
    }
}

/// A model's forecast for one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Outcome {
    /// The issue settles here.
    Settles {
        /// The forecast position.
        value: f64,
    },
    /// No point makes every actor better off than the status quo: no agreement, the status quo stays.
    NoAgreement {
        /// The status quo, which stays.
        status_quo: f64,
        /// Actors (indices) whose position blocks any agreement.
        blockers: Vec<usize>,
    },
    /// The model has nothing to say on this issue, and why.
    NotCovered {
        /// Why, in words.
        reason: String,
    },
}

/// A model's forecast for one issue, with why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueForecast {
    /// Index into the scenario's issues.
    pub issue: usize,
    /// The forecast.
    pub outcome: Outcome,
    /// The actors whose weight decides the forecast (e.g. the weighted median's pivot).
    pub decisive: Vec<usize>,
    /// Why, in words (one line per step or move; empty unless explanations were asked for,
    /// except for one-line notes).
    pub explanation: Vec<String>,
    /// The structured record of a dynamic model's run (rounds, moves), when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<serde_json::Value>,
}

impl IssueForecast {
    /// A forecast that settles at `value`.
    pub fn settles(issue: usize, value: f64, decisive: Vec<usize>) -> Self {
        IssueForecast {
            issue,
            outcome: Outcome::Settles { value },
            decisive,
            explanation: Vec::new(),
            trace: None,
        }
    }

    /// A forecast the model cannot make.
    pub fn not_covered(issue: usize, reason: impl Into<String>) -> Self {
        IssueForecast {
            issue,
            outcome: Outcome::NotCovered {
                reason: reason.into(),
            },
            decisive: Vec::new(),
            explanation: Vec::new(),
            trace: None,
        }
    }

    /// The forecast position: where it settles, or the status quo when there is no agreement.
    pub fn value(&self) -> Option<f64> {
        match &self.outcome {
            Outcome::Settles { value } => Some(*value),
            Outcome::NoAgreement { status_quo, .. } => Some(*status_quo),
            Outcome::NotCovered { .. } => None,
        }
    }
}

/// A bargaining model.
pub trait Model: Send + Sync {
    /// Its registry name (`compromise`, `median`, ...).
    fn name(&self) -> &'static str;
    /// One line on what it computes.
    fn summary(&self) -> &'static str;
    /// Forecasts every issue of `input`, in issue order.
    fn run(&self, input: &Input<'_>, params: &Params) -> Vec<IssueForecast>;
}

/// A registered model behind the parameter check: parameters beyond their bounds
/// ([`Params::validate`]) give "not covered" with the reason, instead of a run that would exhaust
/// memory or never end.
struct Checked(Box<dyn Model>);

impl Model for Checked {
    fn name(&self) -> &'static str {
        self.0.name()
    }
    fn summary(&self) -> &'static str {
        self.0.summary()
    }
    fn run(&self, input: &Input<'_>, params: &Params) -> Vec<IssueForecast> {
        match params.validate() {
            Ok(()) => run_apart(self.0.as_ref(), input, params),
            Err(e) => (0..input.scenario.issues.len())
                .map(|k| {
                    IssueForecast::not_covered(k, format!("{} cannot run: {e}", self.0.name()))
                })
                .collect(),
        }
    }
}

/// Every model brink knows, in the order `brink run` shows them (each checks its parameters'
/// bounds first: see [`Params::validate`]).
pub fn registry() -> Vec<Box<dyn Model>> {
    let models: Vec<Box<dyn Model>> = vec![
        Box::new(compromise::Compromise),
        Box::new(compromise::CompromiseEqual),
        Box::new(median::WeightedMedian),
        Box::new(nash::Nash::linear()),
        Box::new(nash::Nash::quadratic()),
        Box::new(expected_utility::ExpectedUtility {
            mode: expected_utility::EuMode::Corrected,
        }),
        Box::new(expected_utility::ExpectedUtility {
            mode: expected_utility::EuMode::ScholzReplication,
        }),
        Box::new(smp::Smp),
        Box::new(exchange::Exchange),
    ];
    models
        .into_iter()
        .map(|m| Box::new(Checked(m)) as Box<dyn Model>)
        .collect()
}

/// The models `brink run` uses when none is named.
pub const DEFAULT_MODELS: &[&str] = &["compromise", "median", "nash", "eu", "smp", "exchange"];

/// The model with this name.
pub fn find(name: &str) -> Option<Box<dyn Model>> {
    registry().into_iter().find(|m| m.name() == name)
}

/// The separate negotiations among a scenario's issues, each a list of issue indices in order:
/// issues that share a proposal id in their `meta` (`prnr` or `proposal`, as the DEU importer
/// writes) form one negotiation per proposal; the issues without one form one negotiation
/// together. A scenario without proposal ids is one negotiation.
pub fn negotiations(sc: &Scenario) -> Vec<Vec<usize>> {
    let mut names: Vec<Option<&str>> = Vec::new();
    let mut parts: Vec<Vec<usize>> = Vec::new();
    for (k, is) in sc.issues.iter().enumerate() {
        let g = is
            .meta
            .iter()
            .find(|(key, _)| key == "prnr" || key == "proposal")
            .map(|(_, v)| v.as_str());
        match names.iter().position(|x| *x == g) {
            Some(i) => parts[i].push(k),
            None => {
                names.push(g);
                parts.push(vec![k]);
            }
        }
    }
    parts
}

/// Runs a model on each negotiation of the input's scenario apart ([`negotiations`]): a model
/// that couples issues (the SMP, the exchange model) then never trades or moves across
/// unrelated proposals. With one negotiation, the model's own run. Forecasts come back in the
/// scenario's issue order, with the scenario's issue indices.
pub fn run_apart(model: &dyn Model, input: &Input<'_>, params: &Params) -> Vec<IssueForecast> {
    let sc = input.scenario;
    let parts = negotiations(sc);
    if parts.len() <= 1 {
        return model.run(input, params);
    }
    let v = input.values;
    let mut out: Vec<Option<IssueForecast>> = vec![None; sc.issues.len()];
    for part in &parts {
        let mut local = vec![usize::MAX; sc.issues.len()];
        for (i, &k) in part.iter().enumerate() {
            local[k] = i;
        }
        let js: Vec<usize> = (0..sc.stances.len())
            .filter(|&j| local[sc.stances[j].issue] != usize::MAX)
            .collect();
        let sub = Scenario {
            id: sc.id.clone(),
            title: sc.title.clone(),
            as_of: sc.as_of,
            question: sc.question.clone(),
            sources: Vec::new(),
            actors: sc.actors.clone(),
            issues: part.iter().map(|&k| sc.issues[k].clone()).collect(),
            stances: js
                .iter()
                .map(|&j| {
                    let mut st = sc.stances[j].clone();
                    st.issue = local[st.issue];
                    st
                })
                .collect(),
            crises: Vec::new(),
            types: Vec::new(),
            updates: Vec::new(),
            applied: sc.applied,
        };
        let values = Values {
            power: v.power.clone(),
            position: js.iter().map(|&j| v.position[j]).collect(),
            salience: js.iter().map(|&j| v.salience[j]).collect(),
            stance_power: js.iter().map(|&j| v.stance_power[j]).collect(),
            status_quo: part.iter().map(|&k| v.status_quo[k]).collect(),
            crisis: Vec::new(),
        };
        for mut f in model.run(&Input::new(&sub, &values), params) {
            let k = part[f.issue];
            f.issue = k;
            out[k] = Some(f);
        }
    }
    out.into_iter()
        .enumerate()
        .map(|(k, f)| {
            f.unwrap_or_else(|| IssueForecast::not_covered(k, "no forecast for this issue"))
        })
        .collect()
}

/// A name's possessive: "Russia's", but "the United States'" and "Belarus'" for names ending
/// in s.
pub fn possessive(name: &str) -> String {
    if name.ends_with('s') || name.ends_with('S') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// Runs one model on point estimates of a scenario (a convenience for callers and tests).
pub fn run_points(model: &dyn Model, scenario: &Scenario, params: &Params) -> Vec<IssueForecast> {
    let values = scenario.point_values();
    let input = Input::new(scenario, &values);
    model.run(&input, params)
}

/// The actors with the largest weight shares that together hold more than half of the weight,
/// largest first (at most 3): who decides a weighted-mean forecast.
pub(crate) fn heaviest(players: &[Player]) -> Vec<usize> {
    let total: f64 = players.iter().map(Player::weight).sum();
    let mut ix: Vec<usize> = (0..players.len()).collect();
    ix.sort_by(|&a, &b| {
        players[b]
            .weight()
            .total_cmp(&players[a].weight())
            .then(a.cmp(&b))
    });
    let mut out = Vec::new();
    let mut acc = 0.0;
    for i in ix {
        if out.len() == 3 || (total > 0.0 && acc > 0.5 * total) {
            break;
        }
        acc += players[i].weight();
        out.push(players[i].actor);
    }
    out
}

/// A position for messages: at most 4 decimals, no trailing zeros.
pub(crate) fn fmt_pos(x: f64) -> String {
    let s = format!("{x:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
