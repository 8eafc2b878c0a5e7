//! The track record: what a page needs to show how the forecasts fared (drawn later by the
//! report crate): the calibration plot's data per forecaster, scores over time, and every
//! resolved question with its receipts (the hashes of the forecasts and of the resolution, and
//! the source's citation and quote).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use brink_eval::backtest::Bin;

use crate::chain::Body;
use crate::model::{Outcome, QuestionKind, Source};
use crate::score::{Filter, ForecasterScores, Integrity, ScoreReport, ScoredForecast, BASE_RATE};
use crate::store::Stored;
use crate::time::{date_serde, Date, Timestamp};
use crate::verify::{ChainHead, VerifyReport};
use crate::Receipt;

/// One forecaster's calibration curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationSeries {
    /// The forecaster's label (or `base rate`).
    pub forecaster: String,
    /// The bins by tenths with counts: plot `mean_p` against `observed` where `n > 0`.
    pub bins: Vec<Bin>,
}

/// A point of a running score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimePoint {
    /// The forecasts' as-of date.
    #[serde(with = "date_serde")]
    pub date: Date,
    /// Yes/no events scored up to and including this date.
    pub events: usize,
    /// Their mean Brier score.
    pub mean_brier: f64,
    /// Their mean log score.
    pub mean_log: f64,
}

/// One forecaster's running scores, by the forecasts' as-of dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeSeries {
    /// The forecaster's label (or `base rate`).
    pub forecaster: String,
    /// One point per date with forecasts.
    pub points: Vec<TimePoint>,
}

/// A forecast of a resolved question, with its receipt.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastReceipt {
    /// Who.
    pub forecaster: String,
    /// As of.
    #[serde(with = "date_serde")]
    pub as_of: Date,
    /// Recorded after the fact.
    pub backtest: bool,
    /// The statement in words.
    pub statement: String,
    /// The probability it gave to what happened (yes/no and categorical forecasts).
    pub p_outcome: Option<f64>,
    /// Brier score.
    pub brier: Option<f64>,
    /// Log score.
    pub log: Option<f64>,
    /// CRPS as a share of the scale.
    pub crps_scaled: Option<f64>,
    /// Where it is in the ledger.
    pub receipt: Receipt,
}

/// A resolved question with its receipts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedQuestion {
    /// Its id.
    pub question: String,
    /// In words.
    pub text: String,
    /// Its kind.
    pub kind: QuestionKind,
    /// What happened.
    pub outcome: Outcome,
    /// When.
    #[serde(with = "date_serde")]
    pub date: Date,
    /// The source and its words.
    pub source: Source,
    /// The resolution's receipt.
    pub receipt: Receipt,
    /// The scored forecasts of it, by date.
    pub forecasts: Vec<ForecastReceipt>,
}

/// The track record (schema [`crate::score::SCHEMA`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackRecord {
    /// Schema version.
    pub schema: u32,
    /// When it was built.
    pub generated_at: Timestamp,
    /// Whether the ledger verified.
    pub integrity: Integrity,
    /// Every chain and its head (to anchor elsewhere).
    pub chains: Vec<ChainHead>,
    /// The filter applied.
    pub filter: Filter,
    /// The base rate's definition.
    pub base_rate_rule: String,
    /// Scores per forecaster, with the base rate on the same questions.
    pub scores: Vec<ForecasterScores>,
    /// Calibration per forecaster, and the base rate's over all scored forecasts.
    pub calibration: Vec<CalibrationSeries>,
    /// Running Brier and log scores of yes/no events per forecaster.
    pub over_time: Vec<TimeSeries>,
    /// Every resolved question with scored forecasts.
    pub resolved: Vec<ResolvedQuestion>,
}

fn series(label: &str, fs: &[&ScoredForecast]) -> TimeSeries {
    let mut fs: Vec<&&ScoredForecast> = fs.iter().collect();
    fs.sort_by_key(|f| f.as_of);
    let mut points: Vec<TimePoint> = Vec::new();
    let (mut n, mut sb, mut sl) = (0usize, 0.0, 0.0);
    for f in fs {
        for e in &f.events {
            n += 1;
            sb += e.brier;
            sl += e.log;
        }
        if n == 0 {
            continue;
        }
        let p = TimePoint {
            date: f.as_of,
            events: n,
            mean_brier: sb / n as f64,
            mean_log: sl / n as f64,
        };
        match points.last_mut() {
            Some(last) if last.date == f.as_of => *last = p,
            _ => points.push(p),
        }
    }
    TimeSeries {
        forecaster: label.into(),
        points,
    }
}

fn p_outcome(f: &ScoredForecast) -> Option<f64> {
    match f.statement {
        crate::score::StatementType::Probability | crate::score::StatementType::Event => f
            .events
            .first()
            .map(|e| if e.happened { e.p } else { 1.0 - e.p }),
        crate::score::StatementType::Classes => f.events.iter().find(|e| e.happened).map(|e| e.p),
        crate::score::StatementType::Quantiles => None,
    }
}

/// Builds the track record from a score report and the records it scored.
pub(crate) fn build(
    report: &ScoreReport,
    stored: &[Stored],
    verify: &VerifyReport,
    own: &str,
) -> TrackRecord {
    let mut labels: BTreeMap<&str, Vec<&ScoredForecast>> = BTreeMap::new();
    for f in &report.forecasts {
        labels.entry(&f.forecaster).or_default().push(f);
    }
    // The base rate once per question, date and event (several forecasters may share them).
    let mut seen = HashSet::new();
    let base: Vec<&ScoredForecast> = report
        .base_rate
        .iter()
        .filter(|b| {
            seen.insert((
                b.question.clone(),
                b.as_of,
                b.events.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
            ))
        })
        .collect();
    let mut calibration: Vec<CalibrationSeries> = report
        .forecasters
        .iter()
        .map(|r| CalibrationSeries {
            forecaster: r.forecaster.clone(),
            bins: r.scores.events.calibration.clone(),
        })
        .collect();
    calibration.push(CalibrationSeries {
        forecaster: BASE_RATE.into(),
        bins: crate::score::summarise(&base).events.calibration,
    });
    let mut over_time: Vec<TimeSeries> = labels.iter().map(|(l, fs)| series(l, fs)).collect();
    over_time.push(series(BASE_RATE, &base));
    let (chosen, _) = crate::score::resolutions(stored, own);
    let mut resolved = Vec::new();
    for (q, (res, rec)) in &chosen {
        let mut fs: Vec<&ScoredForecast> = report
            .forecasts
            .iter()
            .filter(|f| f.question == *q)
            .collect();
        if fs.is_empty() {
            continue;
        }
        fs.sort_by(|a, b| (a.as_of, &a.forecaster).cmp(&(b.as_of, &b.forecaster)));
        let question = stored.iter().find_map(|s| match &s.record.body {
            Body::Entry(e) if e.question.id == *q => Some(&e.question),
            _ => None,
        });
        let Some(question) = question else { continue };
        let forecasts = fs
            .iter()
            .filter_map(|f| {
                let entry = f.entry.as_ref()?;
                let statement = stored
                    .iter()
                    .find(|s| s.id == entry.id && s.table == crate::store::Table::Entries)
                    .and_then(|s| match &s.record.body {
                        Body::Entry(e) => Some(&e.statement),
                        _ => None,
                    });
                Some(ForecastReceipt {
                    forecaster: f.forecaster.clone(),
                    as_of: f.as_of,
                    backtest: f.backtest,
                    statement: statement
                        .map(crate::exchange::statement_summary)
                        .unwrap_or_default(),
                    p_outcome: p_outcome(f),
                    brier: f.brier,
                    log: f.log,
                    crps_scaled: f.crps_scaled,
                    receipt: Receipt {
                        origin: entry.origin.clone(),
                        seq: entry.seq,
                        hash: entry.hash.clone(),
                        recorded_at: entry.recorded_at,
                    },
                })
            })
            .collect();
        resolved.push(ResolvedQuestion {
            question: q.to_string(),
            text: question.text.clone(),
            kind: question.kind.clone(),
            outcome: res.outcome.clone(),
            date: res.date,
            source: res.source.clone(),
            receipt: Receipt::from(&rec.record),
            forecasts,
        });
    }
    resolved.sort_by(|a, b| (a.date, &a.question).cmp(&(b.date, &b.question)));
    TrackRecord {
        schema: crate::score::SCHEMA,
        generated_at: Timestamp::now(),
        integrity: report.integrity.clone(),
        chains: verify.chains.clone(),
        filter: report.filter.clone(),
        base_rate_rule: report.base_rate_rule.clone(),
        scores: report.forecasters.clone(),
        calibration,
        over_time,
        resolved,
    }
}
