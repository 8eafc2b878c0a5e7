//! Watching a run and stopping it: one trait, [`Observer`], with no-op defaults (as argmin's
//! `Observe`). A terminal's progress bar and Ctrl-C, a web server's progress events and a
//! Python binding's KeyboardInterrupt are each one implementation of it.
//!
//! The engine calls [`Observer::progress`] and [`Observer::draw`] from the thread that called it,
//! in order, and [`Observer::cancelled`] from any of its worker threads (hence `Send + Sync`), before
//! each chunk of Monte Carlo draws and between other units of work. A cancelled run returns
//! what it finished, flagged as stopped (for the Monte Carlo: a prefix of the draws, in their
//! order, so the partial result is the same whatever the thread count); it is not an error.
//!
//! How a front end stops a run:
//! - a terminal: a Ctrl-C handler sets an `AtomicBool` that [`StopFlag`] reads;
//! - a web server: the request's task keeps an `Arc<AtomicBool>` and a [`StopFlag`] over it,
//!   sets it when the client goes away, and sends each [`Progress`] as an event;
//! - Python: run the engine with the GIL released on a worker thread; the calling thread polls
//!   `Python::check_signals` and on `KeyboardInterrupt` sets the flag, then joins and returns the
//!   partial document.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Which part of a run a [`Progress`] event is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Stage {
    /// Monte Carlo draws of the uncertain inputs.
    Draws,
    /// The threshold search of a crisis analysis: one unit per uncertain input.
    Thresholds,
    /// The dates of a timeline.
    Dates,
}

/// How far a stage has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// The stage.
    pub stage: Stage,
    /// Units done.
    pub done: u64,
    /// Units in all.
    pub total: u64,
}

/// The columns of the draws passed to [`Observer::draw`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawColumns {
    /// The uncertain inputs, by key (`rus.enlargement.salience`).
    pub inputs: Vec<String>,
    /// The forecasts, model-major, as `MODEL:ISSUE`.
    pub forecasts: Vec<String>,
    /// Each crisis's outcome-class probabilities in the draw (the game played as the run plays
    /// it), crisis-major, as `CRISIS:CLASS` (`standoff:war`, `standoff:negotiated settlement`,
    /// ...; the classes of `brink_crisis::standoff::CLASSES`, in that order).
    pub crises: Vec<String>,
    /// The hypothesis drawn for each actor with rival hypotheses (types), as `type:ACTOR`;
    /// empty when the scenario has none.
    pub types: Vec<String>,
}

/// Watches a run and may stop it. Every method has a default that does nothing.
pub trait Observer: Send + Sync {
    /// A stage moved on.
    fn progress(&self, _event: &Progress) {}

    /// Polled before each chunk of work: `true` stops the run, which then returns what it has
    /// finished, flagged as stopped.
    fn cancelled(&self) -> bool {
        false
    }

    /// Whether [`Observer::draw`] wants every Monte Carlo draw (keeping them costs memory per
    /// wave of draws, so the engine only does it when asked).
    fn keeps_draws(&self) -> bool {
        false
    }

    /// Before the first draw: what the values of each draw are.
    fn draw_columns(&self, _columns: &DrawColumns) {}

    /// One Monte Carlo draw, in draw order: its index, the uncertain inputs' values, the
    /// forecasts (NaN where a model covers no forecast), the crises' outcome probabilities (NaN
    /// for every class of a crisis whose game could not be built or solved in the draw) and the
    /// type id drawn per actor with types, in the order of [`DrawColumns`].
    fn draw(
        &self,
        _index: u64,
        _inputs: &[f64],
        _forecasts: &[f64],
        _crises: &[f64],
        _types: &[&str],
    ) {
    }
}

/// The observer that watches nothing and never stops a run.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Observer for Silent {}

/// Stops a run when a flag is set (from a signal handler, another thread, a request's task).
#[derive(Debug, Clone, Default)]
pub struct StopFlag(pub Arc<AtomicBool>);

impl StopFlag {
    /// A new flag, not set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the flag: the run stops at its next check.
    pub fn stop(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

impl Observer for StopFlag {
    fn cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}
