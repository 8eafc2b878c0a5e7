//! Seeding a ledger with history: forecasts made before the ledger existed, written in after the
//! fact with their original dates and marked as backtests, and the resolutions of their
//! questions, all in one transaction. Seeding again with the same history adds nothing.
//!
//! The records are parameters ([`History`]): the built-in scenario's frozen forecast of
//! 2021-12-28 and its January update come from running the engine as of those dates, the
//! outcomes from the scenario's outcomes file. The one piece of history that lives nowhere else,
//! the crowd's forecasts of the same war, is given here ([`metaculus_ukraine_invasion`]).

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{Entry, Forecaster, Question, Resolution, Statement};
use crate::time::Date;
use crate::{Ledger, Receipt};

/// Forecasts and resolutions to write in as history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// The forecasts, with their original as-of dates (each is recorded as a backtest).
    pub entries: Vec<Entry>,
    /// The resolutions of their questions.
    pub resolutions: Vec<Resolution>,
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedReport {
    /// Forecasts written.
    pub recorded: usize,
    /// Forecasts already in the ledger (same content), skipped.
    pub already_present: usize,
    /// Resolutions written.
    pub resolved: usize,
    /// Resolutions already in the ledger with the same outcome, skipped.
    pub already_resolved: usize,
    /// The receipts of what was written.
    pub receipts: Vec<Receipt>,
}

/// Writes `history` into the ledger in one transaction: every entry is marked as a backtest
/// (it is recorded after the fact; its as-of date stays the original one); entries already
/// present (same content) and resolutions already present (same outcome) are skipped; a
/// resolution contradicting the ledger is an error and nothing is written.
pub fn seed(ledger: &mut Ledger, history: &History) -> Result<SeedReport> {
    let entries: Vec<Entry> = history
        .entries
        .iter()
        .map(|e| Entry {
            backtest: true,
            ..e.clone()
        })
        .collect();
    ledger.seed_records(&entries, &history.resolutions)
}

/// The name the crowd's forecasts go by.
pub const METACULUS: &str = "Metaculus community";

/// The citation of the crowd's forecasts.
pub const METACULUS_SOURCE: &str = "Metaculus, question \"Russian invasion of Ukraine before 2023\", community prediction: 35% on 12 December 2021 and 52% on 18 January 2022 (entered by hand from the question's history)";

/// The Metaculus community's forecasts that Russia would invade Ukraine before 2023, as the
/// probability of the class `war_class` of a crisis question (brink's crisis of the built-in
/// scenario: `question_id::crisis("ukraine-2021-12", "standoff")`, class `war`): 35% as of
/// 2021-12-12 and 52% as of 2022-01-18, horizon 2022-12-31, marked as backtests. The crowd's
/// question (an invasion before 2023) and the crisis class (the standoff ends in war, read at
/// the scenario's horizon) are resolved by the same event, the invasion of 24 February 2022.
pub fn metaculus_ukraine_invasion(
    question: &Question,
    war_class: &str,
    tags: &[&str],
) -> Vec<Entry> {
    let d = |s: &str| Date::parse(s).expect("a valid date");
    [("2021-12-12", 0.35), ("2022-01-18", 0.52)]
        .iter()
        .map(|(as_of, p)| Entry {
            question: question.clone(),
            statement: Statement::Event {
                class: war_class.into(),
                p: *p,
            },
            forecaster: Forecaster::external(METACULUS, METACULUS_SOURCE),
            scenario: None,
            brink_version: None,
            seed: None,
            draws: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            horizon: Some(d("2022-12-31")),
            as_of: d(as_of),
            backtest: true,
        })
        .collect()
}
