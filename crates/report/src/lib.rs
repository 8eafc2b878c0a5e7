//! brink-report: what brink writes for people and programs, from the engine's documents
//! (`brink_engine::doc`).
//!
//! - [`json`]: any document as the `--format json` output.
//! - [`text`]: each document as aligned text for a terminal, built from [`table`], [`mc`] and
//!   [`crisis`].
//! - [`plot`]: SVG plots (and PNG); [`html`]: the self-contained HTML report.
//! - [`backtest`]: a backtest as text, and the README's backtest tables.
//! - [`track`]: a forecast ledger's track-record page (HTML).
//! - [`predictive`]: predictive distributions (medians, intervals in the scale's words, their
//!   evaluation and backtest, an HTML section with plots).

pub mod backtest;
pub mod crisis;
pub mod html;
pub mod mc;
pub mod plot;
pub mod predictive;
pub mod table;
pub mod text;
pub mod track;

pub use brink_engine::doc::{IssueReport, ModelForecast, ScenarioInfo};
pub use brink_engine::{sha256_hex, Forecast, InputInfo, SCHEMA_VERSION};

/// A document as pretty JSON with a final newline (the `--format json` output).
pub fn json<T: serde::Serialize>(doc: &T) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(doc)?;
    s.push('\n');
    Ok(s)
}
