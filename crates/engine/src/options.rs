//! How to run: the options every document shares. Each document's `run` says which it reads.
//! Messages about a bad option name it as the command line spells it (`--as-of`, `--set`).

use std::sync::Arc;

use brink_bargain::{Model, Params};
use brink_scenario::{Date, Scenario};

use crate::error::{Error, Result};
use crate::observe::{Observer, Silent};

/// The crises' draws of a forecast without `draws` (see [`Options::crisis_draws`]).
pub const DEFAULT_CRISIS_DRAWS: u64 = 4000;

/// The options of a run. `Options::default()` is what `brink` does without flags.
#[derive(Clone)]
pub struct Options {
    /// The bargaining models to run, by name (`brink models` lists them); empty: the default
    /// models (each document says which).
    pub models: Vec<String>,
    /// Rounds for the dynamic models.
    pub rounds: usize,
    /// The seed: of the models' random tie-breaking and of the Monte Carlo draws.
    pub seed: u64,
    /// Monte Carlo draws (0: none).
    pub draws: u64,
    /// Draws of the crises alone when `draws` is 0: a forecast's crises get their probabilities
    /// (the game's quantal response, the reference class, the combination) from this many draws
    /// of their inputs ([`DEFAULT_CRISIS_DRAWS`] by default; 0: the equilibrium only).
    pub crisis_draws: u64,
    /// Worker threads for the run (`None`: all cores). No result depends on it.
    pub threads: Option<usize>,
    /// Forecast with what was known on this date: the scenario's updates dated on or before it
    /// applied. `None`: the scenario's own cut-off.
    pub as_of: Option<Date>,
    /// Keep each forecast's explanation in words and a dynamic model's record of its rounds.
    pub explain: bool,
    /// The widening factor of every issue's predictive distribution, in place of the issues'
    /// own (`meta.widening`, `meta.inputs`) and of the default
    /// ([`brink_eval::predictive::DEFAULT_WIDENING`] for inputs that are not expert interviews);
    /// `None`: those. 1 is the error measured on EU decisions as it is; below 1 narrows.
    pub widen: Option<f64>,
    /// Watches the run and may stop it.
    pub observer: Arc<dyn Observer>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            models: Vec::new(),
            rounds: 10,
            seed: 0,
            draws: 0,
            crisis_draws: DEFAULT_CRISIS_DRAWS,
            threads: None,
            as_of: None,
            explain: false,
            widen: None,
            observer: Arc::new(Silent),
        }
    }
}

impl std::fmt::Debug for Options {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("models", &self.models)
            .field("rounds", &self.rounds)
            .field("seed", &self.seed)
            .field("draws", &self.draws)
            .field("crisis_draws", &self.crisis_draws)
            .field("threads", &self.threads)
            .field("as_of", &self.as_of)
            .field("explain", &self.explain)
            .field("widen", &self.widen)
            .finish_non_exhaustive()
    }
}

impl Options {
    /// The models' parameters.
    pub(crate) fn params(&self) -> Params {
        Params {
            rounds: self.rounds,
            seed: self.seed,
            explain: self.explain,
        }
    }

    /// The counts asked for (`rounds`, `draws`; `draws` kept in memory when the observer keeps
    /// them) against the libraries' bounds: bad input naming the option and the bound.
    pub(crate) fn check_counts(&self) -> Result<()> {
        brink_bargain::check_rounds(self.rounds)
            .map_err(|e| Error::input(format!("--rounds: {e}")))?;
        brink_montecarlo::check_draws(self.draws)
            .map_err(|e| Error::input(format!("--draws: {e}")))?;
        if self.observer.keeps_draws() {
            brink_montecarlo::check_kept_draws(self.draws)
                .map_err(|e| Error::input(format!("--draws with --keep-draws: {e}")))?;
        }
        Ok(())
    }

    /// The models asked for, or `defaults` when none was (after checking the counts asked for:
    /// [`Options::check_counts`]).
    pub(crate) fn models_or(&self, defaults: &[&str]) -> Result<Vec<Box<dyn Model>>> {
        self.check_counts()?;
        if self.models.is_empty() {
            pick_models(defaults)
        } else {
            let names: Vec<&str> = self.models.iter().map(String::as_str).collect();
            pick_models(&names)
        }
    }

    /// The models asked for, or brink's default models.
    pub(crate) fn models(&self) -> Result<Vec<Box<dyn Model>>> {
        self.models_or(brink_bargain::DEFAULT_MODELS)
    }

    /// Runs `f` on a pool of `threads` workers (or on the global pool).
    pub(crate) fn in_pool<T: Send>(&self, f: impl FnOnce() -> T + Send) -> Result<T> {
        match self.threads {
            Some(n) => Ok(rayon::ThreadPoolBuilder::new()
                .num_threads(n.max(1))
                .build()
                .map_err(|e| Error::Internal(format!("starting the thread pool: {e}")))?
                .install(f)),
            None => Ok(f()),
        }
    }
}

/// The models of these names, or bad input naming the unknown one and every known model.
pub fn pick_models(names: &[&str]) -> Result<Vec<Box<dyn Model>>> {
    names
        .iter()
        .map(|n| {
            brink_bargain::find(n).ok_or_else(|| {
                let known: Vec<&str> = brink_bargain::registry().iter().map(|m| m.name()).collect();
                Error::input(format!(
                    "unknown model `{n}`: brink knows {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

/// Parses a date given as an option (`YYYY-MM-DD`); `what` names the option in the message.
pub fn parse_date(text: &str, what: &str) -> Result<Date> {
    Date::parse(text)
        .ok_or_else(|| Error::input(format!("{what} `{text}`: expected a date YYYY-MM-DD")))
}

/// The scenario as known on `as_of` (default: its own cut-off), with that date.
pub(crate) fn at_date(base: &Scenario, as_of: Option<Date>) -> Result<(Date, Scenario)> {
    let date = as_of.unwrap_or(base.as_of);
    let sc = base
        .at(date)
        .map_err(|e| Error::input(format!("--as-of: {e}")))?;
    Ok((date, sc))
}
