//! What the track-record page shows (drawn by the report crate): the ledger's integrity, every
//! forecast with its date, question, probability, resolution and scores, and the scores,
//! calibration and discrimination of each kind of forecast apart: live forecasts, forecasts of
//! record, backtests and forecasts made after the outcome ([`crate::wire::Label`]), so that no
//! table mixes a forecast with a hindsight run.
//!
//! Calibration and discrimination are shown for a section only once it has at least
//! [`MIN_RESOLVED`] resolved questions with yes/no events: below that a calibration curve is
//! noise (a categorical question gives one yes/no event per class, but they are not independent).

use std::collections::HashMap;

use serde::Serialize;

use crate::chain::Body;
use crate::error::Result;
use crate::model::{Statement, BRINK};
use crate::score::{Filter, ScoredForecast, SCHEMA};
use crate::time::{date_serde, opt_date_serde, Date, Timestamp};
use crate::track::TrackRecord;
use crate::wire::Label;
use crate::{Ledger, Receipt};

/// The fewest resolved questions (with yes/no events) a section needs before its calibration
/// chart and discrimination are shown.
pub const MIN_RESOLVED: usize = 10;

/// One kind of forecast and its track record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    /// `live`, `of-record`, `backtest` or `after-outcome`.
    pub key: String,
    /// Its heading.
    pub title: String,
    /// What it holds, in words.
    pub description: String,
    /// Entries of this kind.
    pub entries: usize,
    /// Resolved questions with scored yes/no events (for [`MIN_RESOLVED`]).
    pub resolved_questions: usize,
    /// Whether the calibration chart and discrimination are shown.
    pub enough: bool,
    /// Its scores, calibration and running scores.
    pub record: TrackRecord,
}

/// One forecast in the ledger, resolved or not.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// The question's id.
    pub question: String,
    /// The question in words.
    pub text: String,
    /// Who (`brink:MODEL` or the external forecaster).
    pub forecaster: String,
    /// `live`, or the label it carries (`of-record`, `backtest`, `after-outcome`), or
    /// `written later` for a backtest without one.
    pub label: String,
    /// As of.
    #[serde(with = "date_serde")]
    pub as_of: Date,
    /// The statement in words.
    pub statement: String,
    /// What happened, if resolved.
    pub outcome: Option<String>,
    /// When.
    #[serde(with = "opt_date_serde")]
    pub outcome_date: Option<Date>,
    /// Why it is not scored, if resolved and not scored (dated after the outcome, a repeat).
    pub not_scored: Option<String>,
    /// The probability it gave to what happened.
    pub p_outcome: Option<f64>,
    /// Brier score.
    pub brier: Option<f64>,
    /// Log score.
    pub log: Option<f64>,
    /// CRPS as a share of the scale.
    pub crps_scaled: Option<f64>,
    /// The point forecast's absolute error.
    pub abs_error: Option<f64>,
    /// Other tags (e.g. `unsolved:K/N`).
    pub notes: Vec<String>,
    /// Where it is in the ledger.
    pub receipt: Receipt,
}

/// The track-record page's content (schema [`SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackPage {
    /// Schema version.
    pub schema: u32,
    /// The ledger file.
    pub ledger: String,
    /// When it was built.
    pub generated_at: Timestamp,
    /// Every forecast over the whole ledger: integrity, chains, scores per forecaster.
    pub all: TrackRecord,
    /// Live forecasts, forecasts of record, backtests, made after the outcome.
    pub sections: Vec<Section>,
    /// Every forecast, by question and date.
    pub rows: Vec<Row>,
}

fn label_of(e: &crate::Entry) -> String {
    match (e.backtest, Label::of(e)) {
        (false, _) => "live".into(),
        (true, Some(l)) => l.tag().into(),
        (true, None) => "written later".into(),
    }
}

/// The statement in words, short: a crisis's classes with their probabilities (largest first,
/// zeros left out), a class's or an event's probability, an issue's median, 90% interval and
/// point.
pub fn statement_words(st: &Statement) -> String {
    let r = |x: f64| format!("{}", (x * 1000.0).round() / 1000.0);
    match st {
        Statement::Probability(p) => format!("P(yes) {}", r(*p)),
        Statement::Event { class, p } => format!("P({class}) {}", r(*p)),
        Statement::Classes(ps) => {
            let mut ps: Vec<_> = ps.iter().filter(|c| c.p > 0.0).collect();
            ps.sort_by(|a, b| b.p.total_cmp(&a.p));
            ps.iter()
                .map(|c| format!("{} {}", c.class, r(c.p)))
                .collect::<Vec<_>>()
                .join("; ")
        }
        Statement::Quantiles {
            levels,
            values,
            point,
        } => {
            let at = |q: f64| {
                levels
                    .iter()
                    .position(|l| (*l - q).abs() < 1e-12)
                    .map(|i| values[i])
            };
            let one = |x: f64| format!("{}", (x * 10.0).round() / 10.0);
            let mut s = Vec::new();
            if levels.len() == 2 && at(0.0).is_some() && at(0.0) == at(1.0) {
                s.push(format!(
                    "point forecast {} (no distribution)",
                    one(values[0])
                ));
                return s.join("");
            }
            if let Some(m) = at(0.5) {
                s.push(format!("median {}", one(m)));
            }
            if let (Some(a), Some(b)) = (at(0.05), at(0.95)) {
                s.push(format!("90%: {}-{}", one(a), one(b)));
            }
            if let Some(p) = point {
                s.push(format!("point {}", one(*p)));
            }
            s.join(", ")
        }
    }
}

impl TrackPage {
    /// Builds the page's content from the ledger.
    pub fn build(ledger: &Ledger) -> Result<TrackPage> {
        let all = ledger.track_record(&Filter::default())?;
        let report = ledger.score(&Filter::default())?;
        let records = ledger.records()?;
        let questions = ledger.questions()?;
        let scored: HashMap<&str, &ScoredForecast> = report
            .forecasts
            .iter()
            .filter_map(|f| f.entry.as_ref().map(|e| (e.hash.as_str(), f)))
            .collect();
        let resolution: HashMap<&str, &crate::Resolution> = questions
            .iter()
            .filter_map(|q| q.resolution.as_ref().map(|r| (q.question.id.as_str(), r)))
            .collect();
        let mut rows = Vec::new();
        let mut counts: HashMap<String, usize> = HashMap::new();
        for r in &records {
            let Body::Entry(e) = &r.body else { continue };
            let label = label_of(e);
            *counts.entry(label.clone()).or_default() += 1;
            let res = resolution.get(e.question.id.as_str());
            let s = scored.get(r.hash.as_str());
            let not_scored = match (res, s) {
                (Some(res), None) if e.as_of > res.date => {
                    Some("dated after the outcome: not a forecast".to_string())
                }
                (Some(_), None) => Some("repeats an entry scored elsewhere".to_string()),
                _ => None,
            };
            rows.push(Row {
                question: e.question.id.clone(),
                text: e.question.text.clone(),
                forecaster: e.forecaster.label(),
                label,
                as_of: e.as_of,
                statement: statement_words(&e.statement),
                outcome: res.map(|r| r.outcome.to_string()),
                outcome_date: res.map(|r| r.date),
                not_scored,
                p_outcome: s.and_then(|f| match f.statement {
                    crate::score::StatementType::Quantiles => None,
                    crate::score::StatementType::Classes => {
                        f.events.iter().find(|x| x.happened).map(|x| x.p)
                    }
                    _ => f
                        .events
                        .first()
                        .map(|x| if x.happened { x.p } else { 1.0 - x.p }),
                }),
                brier: s.and_then(|f| f.brier),
                log: s.and_then(|f| f.log),
                crps_scaled: s.and_then(|f| f.crps_scaled),
                abs_error: s.and_then(|f| f.abs_error),
                notes: e.tags.iter().filter(|t| t.contains(':')).cloned().collect(),
                receipt: Receipt::from(r),
            });
        }
        rows.sort_by(|a, b| {
            (a.outcome.is_none(), &a.question, a.as_of, &a.forecaster).cmp(&(
                b.outcome.is_none(),
                &b.question,
                b.as_of,
                &b.forecaster,
            ))
        });
        let mut sections = Vec::new();
        let mut kinds: Vec<(String, String, String, Filter)> = vec![(
            "live".into(),
            "Live forecasts".into(),
            "recorded before their question was resolved".into(),
            Filter {
                backtests: false,
                ..Filter::default()
            },
        )];
        for l in Label::ALL {
            kinds.push((
                l.tag().into(),
                match l {
                    Label::OfRecord => "Forecasts of record".into(),
                    Label::Backtest => "Backtests".into(),
                    Label::AfterOutcome => "Made after the outcome (not backtests)".into(),
                },
                l.describe().into(),
                Filter {
                    tags: vec![l.tag().into()],
                    ..Filter::default()
                },
            ));
        }
        for (key, title, description, filter) in kinds {
            let entries = counts.get(&key).copied().unwrap_or(0);
            if entries == 0 {
                continue;
            }
            let record = ledger.track_record(&filter)?;
            let resolved_questions = record
                .resolved
                .iter()
                .filter(|q| q.forecasts.iter().any(|f| f.p_outcome.is_some()))
                .count();
            sections.push(Section {
                key,
                title,
                description,
                entries,
                resolved_questions,
                enough: resolved_questions >= MIN_RESOLVED,
                record,
            });
        }
        Ok(TrackPage {
            schema: SCHEMA,
            ledger: ledger.path().display().to_string(),
            generated_at: Timestamp::now(),
            all,
            sections,
            rows,
        })
    }

    /// Whether the page holds any forecast of brink's.
    pub fn has_brink(&self) -> bool {
        self.rows.iter().any(|r| r.forecaster.starts_with(BRINK))
    }
}
