//! A forecast's Monte Carlo run in shards: computed by other processes or machines (a Python
//! sweep on local processes or Ray tasks) and merged into the document one run would give,
//! byte for byte ([`brink_montecarlo::shard`] says why the draws, not their aggregates, travel).

use std::ops::Range;

use brink_montecarlo::shard::{self, Chunks};
use brink_montecarlo::McConfig;

use crate::doc::Forecast;
use crate::error::{Error, Result};
use crate::forecast::deterministic;
use crate::input::Loaded;
use crate::options::{at_date, Options};
use crate::worlds::Use;

/// Some chunks of a forecast's Monte Carlo run, as computed by [`Forecast::run_shard`].
#[derive(Debug)]
pub struct Shard(Chunks);

impl Shard {
    /// The shard as bytes, to send to the process that merges.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// A shard from [`Shard::to_bytes`]; anything else is bad input.
    pub fn from_bytes(bytes: &[u8]) -> Result<Shard> {
        Chunks::from_bytes(bytes)
            .map(Shard)
            .map_err(|e| Error::input(e.to_string()))
    }

    /// The indices of the chunks it holds.
    pub fn chunks(&self) -> Vec<u64> {
        self.0.indices()
    }

    /// The draws it holds.
    pub fn draws(&self) -> u64 {
        self.0.draws()
    }
}

/// What identifies the run beyond its counts: the input, the date, the models, the rounds.
fn tag(loaded: &Loaded, opts: &Options) -> String {
    format!(
        "{} as_of={:?} models={:?} rounds={} explain={}",
        loaded.input.sha256,
        opts.as_of.map(|d| d.to_string()),
        opts.models,
        opts.rounds,
        opts.explain
    )
}

impl Forecast {
    /// The number of chunks of the Monte Carlo run of `opts.draws` draws: the units
    /// [`Forecast::run_shard`] splits.
    pub fn chunk_count(opts: &Options) -> u64 {
        shard::chunk_count(&McConfig::new(opts.draws, opts.seed))
    }

    /// Chunks `chunks` of the Monte Carlo run that [`Forecast::run`] would make with the same
    /// loaded scenario and options (every field read the same way; `opts.observer` may stop it,
    /// leaving the chunks before the first one skipped).
    pub fn run_shard(loaded: &Loaded, opts: &Options, chunks: Range<u64>) -> Result<Shard> {
        let (_, sc) = at_date(&loaded.scenario, opts.as_of)?;
        let models = opts.models()?;
        let params = opts.params();
        let cfg = McConfig::new(opts.draws, params.seed).with_crisis_lambda(brink_calib::LAMBDA);
        let tag = tag(loaded, opts);
        let cancel = || opts.observer.cancelled();
        opts.in_pool(|| {
            Shard(shard::run_chunks(
                &sc,
                &models,
                &params,
                &cfg,
                chunks,
                &tag,
                Some(&cancel),
            ))
        })
    }

    /// The forecast document of the run whose chunks the shards hold: byte for byte the
    /// document [`Forecast::run`] gives with the same loaded scenario and options, whichever
    /// process computed which chunks. Missing chunks leave a partial document flagged as
    /// stopped (a prefix of the draws); shards of another run (another scenario, seed, draws,
    /// date or models) or holding a chunk twice are bad input.
    pub fn merge_shards(loaded: &Loaded, opts: &Options, shards: Vec<Shard>) -> Result<Forecast> {
        let (_, sc) = at_date(&loaded.scenario, opts.as_of)?;
        let models = opts.models()?;
        let params = opts.params();
        let cfg = McConfig::new(opts.draws, params.seed).with_crisis_lambda(brink_calib::LAMBDA);
        let tag = tag(loaded, opts);
        let widen = crate::predict::factors(&sc, opts.widen, &loaded.input.file)?;
        opts.in_pool(|| {
            let mut doc = deterministic(&sc, &loaded.input, &models, &params, Use::Forecast);
            if opts.draws > 0 {
                let mc = shard::merge(
                    &sc,
                    &models,
                    &params,
                    &cfg,
                    &tag,
                    shards.into_iter().map(|s| s.0).collect(),
                )
                .map_err(|e| Error::input(e.to_string()))?;
                crate::forecast::add_merged_and_predictive(
                    &mut doc, &sc, &models, &params, opts, &widen, &mc,
                )?;
            } else {
                crate::forecast::add_draws_and_predictive(
                    &mut doc, &sc, &models, &params, opts, &widen,
                )?;
            }
            Ok(doc)
        })?
    }
}
