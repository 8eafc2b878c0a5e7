//! Scoring the ledger's resolved forecasts.
//!
//! **Per forecast** (the same definitions as `brink backtest`, through the same functions of
//! `brink_eval::words`):
//! - binary question, probability `p` of yes: Brier `(p - o)^2` (o = 1 if it happened, else 0),
//!   log score `ln max(q, 0.001)` with `q = p` if it happened, `1 - p` if not;
//! - categorical question, probability `p_c` per class: multi-class Brier `sum_c (p_c - o_c)^2`
//!   (0 to 2), log score `ln max(p_outcome, 0.001)`; each class is also a yes/no event "the
//!   outcome is c" with probability `p_c`;
//! - one class's probability (an external forecaster's "war: 35%"): a yes/no event, scored as
//!   a binary forecast;
//! - continuous question, quantiles: CRPS of the piecewise-linear predictive CDF through the
//!   quantiles ([`crps_quantiles_piecewise_linear`]), in the scale's units and as a share of the
//!   scale's range; the point forecast's absolute error if there is a point.
//!
//! **Over a set of forecasts**: the means of those; over every yes/no event (binary forecasts,
//! single-class forecasts and each class of a categorical forecast, as `brink backtest` counts
//! them): the calibration table by tenths with counts (the same bins as `brink backtest`), the
//! discrimination (AUC, the probability that a random event that happened got a higher
//! probability than a random one that did not, ties counting one half) and the Murphy
//! decomposition of the mean Brier score over those bins ([`Murphy`]).
//!
//! **Which forecasts count**: those whose question is resolved and whose as-of date is not after
//! the outcome's date (a forecast dated after what it forecasts is not a forecast; such entries
//! are counted apart). The same forecast recorded twice (same content, e.g. on two machines) is
//! scored once.
//!
//! **The base-rate forecaster** is scored on the same questions at the same dates as each
//! forecaster: for a binary question, the running frequency of yes among the binary questions
//! of the ledger resolved before the forecast's as-of date, with add-one smoothing,
//! `(yes + 1) / (n + 2)` (so 1/2 with no history); for a categorical question, the running
//! frequency of each class among the resolved questions with the same list of classes,
//! `(n_c + 1) / (n + K)` (1/K with no history); for a continuous question, the uniform
//! distribution over the scale (point: its middle), as scales of different questions do not
//! share a meaning. A question's own resolution never informs its base rate.
//!
//! **External forecasters** are compared with each brink model on the questions both forecast:
//! the yes/no events both gave a probability for, the categorical questions both gave a full
//! distribution for, the continuous questions both gave quantiles for.
//!
//! # References
//! - G. W. Brier (1950), Verification of forecasts expressed in terms of probability, Monthly
//!   Weather Review 78(1).
//! - A. H. Murphy (1973), A new vector partition of the probability score, Journal of Applied
//!   Meteorology 12(4).
//! - D. B. Stephenson, C. A. S. Coelho, I. T. Jolliffe (2008), Two extra components in the Brier
//!   score decomposition, Weather and Forecasting 23(4).
//! - J. E. Matheson, R. L. Winkler (1976), Scoring rules for continuous probability
//!   distributions, Management Science 22(10) (the CRPS).
//! - J. A. Hanley, B. J. McNeil (1982), The meaning and use of the area under a receiver
//!   operating characteristic (ROC) curve, Radiology 143(1).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use brink_eval::backtest::Bin;
use brink_eval::words::{brier, log_score};
use serde::{Deserialize, Serialize};

use crate::chain::{content_hash, Body};
use crate::model::{ClassP, Outcome, QuestionKind, Resolution, Statement};
use crate::store::{Stored, Table};
use crate::time::{opt_date_serde, Date, Timestamp};
use crate::verify::VerifyReport;

/// The schema version of [`ScoreReport`] and [`crate::TrackRecord`].
pub const SCHEMA: u32 = 1;

/// The base-rate forecaster's name in scores.
pub const BASE_RATE: &str = "base rate";

/// The base rate, in words (carried in every report).
pub const BASE_RATE_RULE: &str = "running frequency of outcomes among the ledger's questions of the same kind (binary; categorical with the same classes) resolved before the forecast's as-of date, with add-one smoothing: (k + 1) / (n + 2) for yes, (n_c + 1) / (n + K) per class; uniform over the scale for continuous questions";

/// Which forecasts to score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Only entries carrying every one of these tags.
    pub tags: Vec<String>,
    /// Only forecasts as of this date or later.
    #[serde(with = "opt_date_serde")]
    pub since: Option<Date>,
    /// Report only this forecaster (its name, e.g. `brink`, or its label, e.g.
    /// `brink:compromise`) and its comparisons; the others still inform nothing else.
    pub forecaster: Option<String>,
    /// Include backtests (forecasts recorded after the fact).
    pub backtests: bool,
}

impl Default for Filter {
    fn default() -> Filter {
        Filter {
            tags: vec![],
            since: None,
            forecaster: None,
            backtests: true,
        }
    }
}

/// The type of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementType {
    /// A binary question's probability.
    Probability,
    /// One class's probability.
    Event,
    /// A probability per class.
    Classes,
    /// Quantiles.
    Quantiles,
}

/// A yes/no event and its probability, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YesNo {
    /// The event: `yes` for a binary question, else the class.
    pub event: String,
    /// The probability given to it.
    pub p: f64,
    /// Whether it happened.
    pub happened: bool,
    /// Brier score.
    pub brier: f64,
    /// Log score.
    pub log: f64,
}

/// Where a scored entry is in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryRef {
    /// The `entries` row id.
    pub id: i64,
    /// Its chain.
    pub origin: String,
    /// Its number in the chain.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
    /// When it was recorded.
    pub recorded_at: Timestamp,
}

/// One forecast, scored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoredForecast {
    /// The entry (`None` for the base rate).
    pub entry: Option<EntryRef>,
    /// The question.
    pub question: String,
    /// Who forecast (label).
    pub forecaster: String,
    /// An external forecaster (not brink, not the base rate).
    pub external: bool,
    /// As of.
    #[serde(with = "crate::time::date_serde")]
    pub as_of: Date,
    /// A backtest.
    pub backtest: bool,
    /// The statement's type.
    pub statement: StatementType,
    /// What happened.
    pub outcome: Outcome,
    /// The yes/no events it gave probabilities for.
    pub events: Vec<YesNo>,
    /// Brier score (multi-class for a full categorical forecast).
    pub brier: Option<f64>,
    /// Log score.
    pub log: Option<f64>,
    /// CRPS in the scale's units.
    pub crps: Option<f64>,
    /// CRPS as a share of the scale's range.
    pub crps_scaled: Option<f64>,
    /// The point forecast's absolute error.
    pub abs_error: Option<f64>,
    /// The same as a share of the scale's range.
    pub abs_error_scaled: Option<f64>,
}

/// Mean Brier and log scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeanScores {
    /// Forecasts.
    pub n: usize,
    /// Mean Brier score (lower is better).
    pub brier: f64,
    /// Mean log score (higher is better; floored at ln 0.001 per forecast).
    pub log: f64,
}

/// Mean CRPS and point errors of quantile forecasts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrpsScores {
    /// Forecasts.
    pub n: usize,
    /// Mean CRPS in the scales' units.
    pub crps: f64,
    /// Mean CRPS as a share of each scale's range.
    pub crps_scaled: f64,
    /// Forecasts with a point.
    pub points: usize,
    /// Mean absolute error of the points (`None` without points).
    pub abs_error: Option<f64>,
    /// The same as a share of each scale's range.
    pub abs_error_scaled: Option<f64>,
}

/// The Murphy decomposition of the mean Brier score of yes/no events over the calibration bins:
/// `brier = reliability - resolution + uncertainty + within_bins`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Murphy {
    /// `(1/N) sum_k n_k (mean p_k - observed_k)^2`: calibration error (lower is better).
    pub reliability: f64,
    /// `(1/N) sum_k n_k (observed_k - base)^2`: how far the bins' outcomes differ from the
    /// overall frequency, the discrimination term (higher is better).
    pub resolution: f64,
    /// `base (1 - base)`: the events' own uncertainty.
    pub uncertainty: f64,
    /// What binning leaves over: `(1/N) sum (d^2 - 2 d o)` with `d` each probability's distance
    /// from its bin's mean (Stephenson et al. 2008); 0 when all probabilities in a bin are equal.
    pub within_bins: f64,
    /// The share of events that happened.
    pub base: f64,
}

/// Scores over every yes/no event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventScores {
    /// Events.
    pub n: usize,
    /// Events that happened.
    pub happened: usize,
    /// Mean Brier score (`None` without events).
    pub brier: Option<f64>,
    /// Mean log score.
    pub log: Option<f64>,
    /// Calibration by tenths (the bins of `brink backtest`).
    pub calibration: Vec<Bin>,
    /// Discrimination: the AUC (`None` unless some events happened and some did not).
    pub auc: Option<f64>,
    /// The Murphy decomposition (`None` without events).
    pub murphy: Option<Murphy>,
}

/// A set of forecasts' scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Forecasts.
    pub forecasts: usize,
    /// Distinct questions.
    pub questions: usize,
    /// Binary and single-class forecasts (one yes/no each).
    pub binary: Option<MeanScores>,
    /// Full categorical forecasts (multi-class Brier).
    pub categorical: Option<MeanScores>,
    /// Quantile forecasts.
    pub continuous: Option<CrpsScores>,
    /// Every yes/no event.
    pub events: EventScores,
}

/// A forecaster's scores and the base rate's on the same questions at the same dates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecasterScores {
    /// The forecaster's label.
    pub forecaster: String,
    /// External (not brink).
    pub external: bool,
    /// Its scores.
    pub scores: Scores,
    /// The base rate's scores on the same forecasts.
    pub base_rate: Scores,
}

/// An external forecaster against a brink model on what both forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The external forecaster.
    pub external: String,
    /// The brink model (label).
    pub brink: String,
    /// The questions both forecast.
    pub questions: Vec<String>,
    /// The external forecaster's scores there.
    pub external_scores: Scores,
    /// brink's.
    pub brink_scores: Scores,
    /// The base rate's, at the external forecaster's dates.
    pub base_rate: Scores,
}

/// Whether the ledger verified when it was scored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Integrity {
    /// `verify` found no problem.
    pub ok: bool,
    /// Problems found.
    pub problems: usize,
    /// The first, in words.
    pub first: Option<String>,
}

impl From<&VerifyReport> for Integrity {
    fn from(v: &VerifyReport) -> Integrity {
        Integrity {
            ok: v.ok,
            problems: v.problems.len(),
            first: v.first().map(|p| p.to_string()),
        }
    }
}

/// What `score` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    /// [`SCHEMA`].
    pub schema: u32,
    /// The filter applied.
    pub filter: Filter,
    /// Whether the ledger verified.
    pub integrity: Integrity,
    /// The base rate's definition.
    pub base_rate_rule: String,
    /// Per forecaster.
    pub forecasters: Vec<ForecasterScores>,
    /// External forecasters against brink on common questions.
    pub comparisons: Vec<Comparison>,
    /// Every scored forecast.
    pub forecasts: Vec<ScoredForecast>,
    /// The base rate's counterpart of each, in the same order.
    pub base_rate: Vec<ScoredForecast>,
    /// Entries passing the filter whose question is not resolved.
    pub unresolved: usize,
    /// Entries dated after their question's outcome (not scored).
    pub after_outcome: usize,
    /// Entries whose content repeats an earlier entry (scored once).
    pub duplicates: usize,
    /// Questions whose resolutions disagree (possible only in a damaged ledger; not scored).
    pub conflicting: Vec<String>,
}

/// CRPS of a forecast given as quantiles on a bounded scale, with the **piecewise-linear CDF**
/// through the quantiles: the knots are `(lo, 0)`, each `(values[i], levels[i])`, and `(hi, 1)`,
/// and the CDF is linear between consecutive knots (two knots at the same value make a jump: an
/// atom, e.g. at `lo` when the lowest quantile sits on it). Below the lowest given level the
/// mass is spread evenly down to `lo`, above the highest evenly up to `hi`; so the distribution
/// lives on the scale, and with no quantile at all it is uniform on it.
///
/// `CRPS(F, y) = integral over [lo, hi] of (F(x) - 1{x >= y})^2 dx`, computed exactly segment by
/// segment (on a segment of length `L` where `F - H` runs linearly from `a` to `b` the integral
/// is `L (a^2 + a b + b^2) / 3`). In the scale's units; 0 for a point mass on the outcome; for
/// a point mass at `m` it is `|m - y|`.
///
/// Expects levels strictly increasing in [0, 1], values non-decreasing in [lo, hi], `y` in
/// [lo, hi] (what the ledger's checks guarantee).
pub fn crps_quantiles_piecewise_linear(
    levels: &[f64],
    values: &[f64],
    lo: f64,
    hi: f64,
    y: f64,
) -> f64 {
    let mut knots: Vec<(f64, f64)> = Vec::with_capacity(levels.len() + 2);
    knots.push((lo, 0.0));
    knots.extend(values.iter().copied().zip(levels.iter().copied()));
    knots.push((hi, 1.0));
    let seg = |len: f64, a: f64, b: f64| len * (a * a + a * b + b * b) / 3.0;
    let mut total = 0.0;
    for w in knots.windows(2) {
        let ((x0, f0), (x1, f1)) = (w[0], w[1]);
        if x1 <= x0 {
            continue;
        }
        if y <= x0 {
            total += seg(x1 - x0, f0 - 1.0, f1 - 1.0);
        } else if y >= x1 {
            total += seg(x1 - x0, f0, f1);
        } else {
            let fy = f0 + (f1 - f0) * (y - x0) / (x1 - x0);
            total += seg(y - x0, f0, fy) + seg(x1 - y, fy - 1.0, f1 - 1.0);
        }
    }
    total
}

/// The calibration table by tenths: bin `b` holds probabilities in `[b/10, (b+1)/10)`, the last
/// bin also 1.0 (the bins of `brink backtest`); empty bins have mean and share 0.
pub fn calibration(events: &[(f64, bool)]) -> Vec<Bin> {
    (0..10)
        .map(|b| {
            let (lo, hi) = (b as f64 / 10.0, (b + 1) as f64 / 10.0);
            let inb: Vec<&(f64, bool)> = events
                .iter()
                .filter(|(p, _)| *p >= lo && (*p < hi || (b == 9 && *p <= hi)))
                .collect();
            let n = inb.len();
            Bin {
                lo,
                hi,
                n,
                mean_p: inb.iter().map(|(p, _)| p).sum::<f64>() / n.max(1) as f64,
                observed: inb.iter().filter(|(_, h)| *h).count() as f64 / n.max(1) as f64,
            }
        })
        .collect()
}

/// The AUC of yes/no forecasts (Mann-Whitney: ranks of the probabilities, ties sharing their
/// mean rank); `None` unless some happened and some did not.
pub fn auc(events: &[(f64, bool)]) -> Option<f64> {
    let pos = events.iter().filter(|(_, h)| *h).count();
    let neg = events.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..events.len()).collect();
    idx.sort_by(|&a, &b| events[a].0.total_cmp(&events[b].0));
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && events[idx[j + 1]].0 == events[idx[i]].0 {
            j += 1;
        }
        let mean_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if events[k].1 {
                rank_sum += mean_rank;
            }
        }
        i = j + 1;
    }
    let (p, n) = (pos as f64, neg as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// The Murphy decomposition of the mean Brier score over the calibration bins (see [`Murphy`]).
pub fn murphy(events: &[(f64, bool)]) -> Option<Murphy> {
    if events.is_empty() {
        return None;
    }
    let n = events.len() as f64;
    let bins = calibration(events);
    let base = events.iter().filter(|(_, h)| *h).count() as f64 / n;
    let reliability = bins
        .iter()
        .map(|b| b.n as f64 * (b.mean_p - b.observed).powi(2))
        .sum::<f64>()
        / n;
    let resolution = bins
        .iter()
        .map(|b| b.n as f64 * (b.observed - base).powi(2))
        .sum::<f64>()
        / n;
    let uncertainty = base * (1.0 - base);
    let mean_brier = events.iter().map(|(p, h)| brier(*p, *h)).sum::<f64>() / n;
    Some(Murphy {
        reliability,
        resolution,
        uncertainty,
        within_bins: mean_brier - (reliability - resolution + uncertainty),
        base,
    })
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut s, mut n) = (0.0, 0usize);
    for x in xs {
        s += x;
        n += 1;
    }
    (n > 0).then(|| s / n as f64)
}

/// The scores of a set of scored forecasts.
pub fn summarise(fs: &[&ScoredForecast]) -> Scores {
    let questions: BTreeSet<&str> = fs.iter().map(|f| f.question.as_str()).collect();
    let means = |t: &[StatementType]| {
        let sel: Vec<&&ScoredForecast> = fs.iter().filter(|f| t.contains(&f.statement)).collect();
        (!sel.is_empty()).then(|| MeanScores {
            n: sel.len(),
            brier: mean(sel.iter().filter_map(|f| f.brier)).unwrap_or(f64::NAN),
            log: mean(sel.iter().filter_map(|f| f.log)).unwrap_or(f64::NAN),
        })
    };
    let q: Vec<&&ScoredForecast> = fs
        .iter()
        .filter(|f| f.statement == StatementType::Quantiles)
        .collect();
    let continuous = (!q.is_empty()).then(|| CrpsScores {
        n: q.len(),
        crps: mean(q.iter().filter_map(|f| f.crps)).unwrap_or(f64::NAN),
        crps_scaled: mean(q.iter().filter_map(|f| f.crps_scaled)).unwrap_or(f64::NAN),
        points: q.iter().filter(|f| f.abs_error.is_some()).count(),
        abs_error: mean(q.iter().filter_map(|f| f.abs_error)),
        abs_error_scaled: mean(q.iter().filter_map(|f| f.abs_error_scaled)),
    });
    let ev: Vec<&YesNo> = fs.iter().flat_map(|f| f.events.iter()).collect();
    let pairs: Vec<(f64, bool)> = ev.iter().map(|e| (e.p, e.happened)).collect();
    Scores {
        forecasts: fs.len(),
        questions: questions.len(),
        binary: means(&[StatementType::Probability, StatementType::Event]),
        categorical: means(&[StatementType::Classes]),
        continuous,
        events: EventScores {
            n: ev.len(),
            happened: ev.iter().filter(|e| e.happened).count(),
            brier: mean(ev.iter().map(|e| e.brier)),
            log: mean(ev.iter().map(|e| e.log)),
            calibration: calibration(&pairs),
            auc: auc(&pairs),
            murphy: murphy(&pairs),
        },
    }
}

fn yes_no(event: &str, p: f64, happened: bool) -> YesNo {
    YesNo {
        event: event.into(),
        p,
        happened,
        brier: brier(p, happened),
        log: log_score(p, happened),
    }
}

/// The parts of a score of one statement against one outcome (`None` if they do not fit).
struct Parts {
    statement: StatementType,
    events: Vec<YesNo>,
    brier: Option<f64>,
    log: Option<f64>,
    crps: Option<f64>,
    crps_scaled: Option<f64>,
    abs_error: Option<f64>,
    abs_error_scaled: Option<f64>,
}

fn parts(kind: &QuestionKind, st: &Statement, outcome: &Outcome) -> Option<Parts> {
    let empty = |statement| Parts {
        statement,
        events: vec![],
        brier: None,
        log: None,
        crps: None,
        crps_scaled: None,
        abs_error: None,
        abs_error_scaled: None,
    };
    match (kind, st, outcome) {
        (QuestionKind::Binary, Statement::Probability(p), Outcome::Binary(o)) => Some(Parts {
            events: vec![yes_no("yes", *p, *o)],
            brier: Some(brier(*p, *o)),
            log: Some(log_score(*p, *o)),
            ..empty(StatementType::Probability)
        }),
        (QuestionKind::Categorical { .. }, Statement::Event { class, p }, Outcome::Class(o)) => {
            let h = class == o;
            Some(Parts {
                events: vec![yes_no(class, *p, h)],
                brier: Some(brier(*p, h)),
                log: Some(log_score(*p, h)),
                ..empty(StatementType::Event)
            })
        }
        (QuestionKind::Categorical { .. }, Statement::Classes(ps), Outcome::Class(o)) => {
            let p_obs = ps.iter().find(|c| c.class == *o).map_or(0.0, |c| c.p);
            Some(Parts {
                events: ps
                    .iter()
                    .map(|c| yes_no(&c.class, c.p, c.class == *o))
                    .collect(),
                brier: Some(ps.iter().map(|c| brier(c.p, c.class == *o)).sum()),
                log: Some(log_score(p_obs, true)),
                ..empty(StatementType::Classes)
            })
        }
        (
            QuestionKind::Continuous { min, max },
            Statement::Quantiles {
                levels,
                values,
                point,
            },
            Outcome::Value(y),
        ) => {
            let crps = crps_quantiles_piecewise_linear(levels, values, *min, *max, *y);
            let range = max - min;
            Some(Parts {
                crps: Some(crps),
                crps_scaled: Some(crps / range),
                abs_error: point.map(|p| (p - y).abs()),
                abs_error_scaled: point.map(|p| (p - y).abs() / range),
                ..empty(StatementType::Quantiles)
            })
        }
        _ => None,
    }
}

/// A resolved question the base rate can learn from.
struct Past<'a> {
    question: &'a str,
    kind: &'a QuestionKind,
    outcome: &'a Outcome,
    date: Date,
}

/// The base rate's statement for a question at a date, shaped like `like`.
fn base_statement(
    question: &str,
    kind: &QuestionKind,
    like: &Statement,
    as_of: Date,
    past: &[Past],
) -> Statement {
    let before = past
        .iter()
        .filter(|h| h.question != question && h.date < as_of && h.kind == kind);
    match kind {
        QuestionKind::Binary => {
            let (mut n, mut yes) = (0usize, 0usize);
            for h in before {
                n += 1;
                yes += usize::from(*h.outcome == Outcome::Binary(true));
            }
            Statement::Probability((yes as f64 + 1.0) / (n as f64 + 2.0))
        }
        QuestionKind::Categorical { classes } => {
            let mut counts = vec![0usize; classes.len()];
            let mut n = 0usize;
            for h in before {
                if let Outcome::Class(c) = h.outcome {
                    if let Some(i) = classes.iter().position(|x| x == c) {
                        counts[i] += 1;
                        n += 1;
                    }
                }
            }
            let k = classes.len() as f64;
            let p = |i: usize| (counts[i] as f64 + 1.0) / (n as f64 + k);
            match like {
                Statement::Event { class, .. } => Statement::Event {
                    class: class.clone(),
                    p: classes.iter().position(|x| x == class).map_or(0.0, p),
                },
                _ => Statement::Classes(
                    classes
                        .iter()
                        .enumerate()
                        .map(|(i, c)| ClassP {
                            class: c.clone(),
                            p: p(i),
                        })
                        .collect(),
                ),
            }
        }
        QuestionKind::Continuous { min, max } => Statement::Quantiles {
            levels: vec![],
            values: vec![],
            point: Some((min + max) / 2.0),
        },
    }
}

fn matches_forecaster(filter: &Option<String>, label: &str) -> bool {
    match filter {
        None => true,
        Some(f) => label == f || label.split(':').next() == Some(f.as_str()),
    }
}

/// Keeps what `f` shares with the other forecaster (`keys`: its yes/no events; `full`: its
/// categorical questions with a full distribution; `quant`: its quantile questions).
fn restrict(
    f: &ScoredForecast,
    keys: &HashSet<(String, String)>,
    full: &HashSet<String>,
    quant: &HashSet<String>,
) -> Vec<ScoredForecast> {
    let has = |e: &YesNo| keys.contains(&(f.question.clone(), e.event.clone()));
    match f.statement {
        StatementType::Probability | StatementType::Event => {
            if f.events.iter().any(has) {
                vec![f.clone()]
            } else {
                vec![]
            }
        }
        StatementType::Classes => {
            if full.contains(&f.question) {
                vec![f.clone()]
            } else {
                f.events
                    .iter()
                    .filter(|e| has(e))
                    .map(|e| ScoredForecast {
                        statement: StatementType::Event,
                        events: vec![e.clone()],
                        brier: Some(e.brier),
                        log: Some(e.log),
                        ..f.clone()
                    })
                    .collect()
            }
        }
        StatementType::Quantiles => {
            if quant.contains(&f.question) {
                vec![f.clone()]
            } else {
                vec![]
            }
        }
    }
}

type Shares = (HashSet<(String, String)>, HashSet<String>, HashSet<String>);

fn shares(fs: &[&ScoredForecast]) -> Shares {
    let mut keys = HashSet::new();
    let mut full = HashSet::new();
    let mut quant = HashSet::new();
    for f in fs {
        for e in &f.events {
            keys.insert((f.question.clone(), e.event.clone()));
        }
        match f.statement {
            StatementType::Classes => {
                full.insert(f.question.clone());
            }
            StatementType::Quantiles => {
                quant.insert(f.question.clone());
            }
            _ => {}
        }
    }
    (keys, full, quant)
}

/// Each resolved question's resolution (the earliest dated; of equal dates, this ledger's own
/// first) and its record, and the questions whose resolutions disagree or do not fit the
/// question (not scored; possible only in a damaged ledger).
pub(crate) fn resolutions<'a>(
    stored: &'a [Stored],
    own: &str,
) -> (BTreeMap<&'a str, (&'a Resolution, &'a Stored)>, Vec<String>) {
    let mut kinds: HashMap<&str, &QuestionKind> = HashMap::new();
    for s in stored {
        if let Body::Entry(e) = &s.record.body {
            kinds.entry(&e.question.id).or_insert(&e.question.kind);
        }
    }
    let mut res: BTreeMap<&str, Vec<(&Resolution, &Stored)>> = BTreeMap::new();
    for s in stored {
        if let Body::Resolution(r) = &s.record.body {
            res.entry(&r.question).or_default().push((r, s));
        }
    }
    let mut chosen = BTreeMap::new();
    let mut conflicting = Vec::new();
    for (q, mut rs) in res {
        rs.sort_by_key(|(r, s)| (r.date, s.record.origin != own, s.record.seq));
        if rs.iter().any(|(r, _)| r.outcome != rs[0].0.outcome) {
            conflicting.push(q.to_string());
            continue;
        }
        match kinds.get(q) {
            Some(k) if k.check_outcome(&rs[0].0.outcome).is_ok() => {
                chosen.insert(q, rs[0]);
            }
            _ => conflicting.push(q.to_string()),
        }
    }
    (chosen, conflicting)
}

/// Builds the score report from the ledger's records. `tagged` holds the entry rows carrying
/// the filter's tags (from the tag index), `None` when the filter has no tags.
pub(crate) fn report(
    stored: &[Stored],
    own: &str,
    filter: &Filter,
    tagged: Option<&HashSet<i64>>,
    integrity: &VerifyReport,
) -> ScoreReport {
    // Kinds from the first entry of each question; resolutions by date, the local chain first.
    let mut kinds: HashMap<&str, &QuestionKind> = HashMap::new();
    for s in stored {
        if let Body::Entry(e) = &s.record.body {
            kinds.entry(&e.question.id).or_insert(&e.question.kind);
        }
    }
    let (chosen, conflicting) = resolutions(stored, own);
    let resolved: HashMap<&str, &Resolution> = chosen.iter().map(|(q, (r, _))| (*q, *r)).collect();
    let past: Vec<Past> = resolved
        .iter()
        .map(|(q, r)| Past {
            question: q,
            kind: kinds[q],
            outcome: &r.outcome,
            date: r.date,
        })
        .collect();
    // Entries, each content once (the earliest recorded).
    let mut entries: Vec<&Stored> = stored
        .iter()
        .filter(|s| s.table == Table::Entries)
        .collect();
    entries.sort_by_key(|s| (s.record.recorded_at, s.record.origin != own, s.record.seq));
    let mut seen = HashSet::new();
    let (mut unresolved, mut after_outcome, mut duplicates) = (0, 0, 0);
    let mut forecasts = Vec::new();
    let mut base = Vec::new();
    for s in entries {
        let Body::Entry(e) = &s.record.body else {
            continue;
        };
        if let Some(t) = tagged {
            if !t.contains(&s.id) {
                continue;
            }
        }
        if filter.since.is_some_and(|d| e.as_of < d) || (e.backtest && !filter.backtests) {
            continue;
        }
        if !seen.insert(content_hash(e)) {
            duplicates += 1;
            continue;
        }
        let Some(r) = resolved.get(e.question.id.as_str()) else {
            unresolved += 1;
            continue;
        };
        if e.as_of > r.date {
            after_outcome += 1;
            continue;
        }
        let kind = kinds[e.question.id.as_str()];
        let Some(p) = parts(kind, &e.statement, &r.outcome) else {
            continue;
        };
        let bst = base_statement(&e.question.id, kind, &e.statement, e.as_of, &past);
        let Some(bp) = parts(kind, &bst, &r.outcome) else {
            continue;
        };
        let make = |p: Parts, entry: Option<EntryRef>, forecaster: String, external: bool| {
            ScoredForecast {
                entry,
                question: e.question.id.clone(),
                forecaster,
                external,
                as_of: e.as_of,
                backtest: e.backtest,
                statement: p.statement,
                outcome: r.outcome.clone(),
                events: p.events,
                brier: p.brier,
                log: p.log,
                crps: p.crps,
                crps_scaled: p.crps_scaled,
                abs_error: p.abs_error,
                abs_error_scaled: p.abs_error_scaled,
            }
        };
        let entry = EntryRef {
            id: s.id,
            origin: s.record.origin.clone(),
            seq: s.record.seq,
            hash: s.record.hash.clone(),
            recorded_at: s.record.recorded_at,
        };
        let mut b = make(bp, None, BASE_RATE.into(), false);
        if p.statement == StatementType::Quantiles {
            // The base rate's point is the middle of the scale; it is compared only where the
            // forecast has a point too.
            if !matches!(e.statement, Statement::Quantiles { point: Some(_), .. }) {
                b.abs_error = None;
                b.abs_error_scaled = None;
            }
        }
        forecasts.push(make(
            p,
            Some(entry),
            e.forecaster.label(),
            !e.forecaster.is_brink(),
        ));
        base.push(b);
    }
    // Per forecaster.
    let mut labels: BTreeMap<(bool, String), Vec<usize>> = BTreeMap::new();
    for (i, f) in forecasts.iter().enumerate() {
        labels
            .entry((f.external, f.forecaster.clone()))
            .or_default()
            .push(i);
    }
    let forecasters = labels
        .iter()
        .filter(|((_, l), _)| matches_forecaster(&filter.forecaster, l))
        .map(|((external, label), ix)| ForecasterScores {
            forecaster: label.clone(),
            external: *external,
            scores: summarise(&ix.iter().map(|&i| &forecasts[i]).collect::<Vec<_>>()),
            base_rate: summarise(&ix.iter().map(|&i| &base[i]).collect::<Vec<_>>()),
        })
        .collect();
    // Each external forecaster against each brink model, on what both forecast.
    let mut comparisons = Vec::new();
    for ((ext, e_label), e_ix) in labels.iter().filter(|((x, _), _)| *x) {
        debug_assert!(ext);
        for ((_, b_label), b_ix) in labels.iter().filter(|((x, _), _)| !*x) {
            if !matches_forecaster(&filter.forecaster, e_label)
                && !matches_forecaster(&filter.forecaster, b_label)
            {
                continue;
            }
            let ef: Vec<&ScoredForecast> = e_ix.iter().map(|&i| &forecasts[i]).collect();
            let bf: Vec<&ScoredForecast> = b_ix.iter().map(|&i| &forecasts[i]).collect();
            let (ek, efull, eq) = shares(&ef);
            let (bk, bfull, bq) = shares(&bf);
            let e_r: Vec<ScoredForecast> = ef
                .iter()
                .flat_map(|f| restrict(f, &bk, &bfull, &bq))
                .collect();
            if e_r.is_empty() {
                continue;
            }
            let b_r: Vec<ScoredForecast> = bf
                .iter()
                .flat_map(|f| restrict(f, &ek, &efull, &eq))
                .collect();
            let base_r: Vec<ScoredForecast> = e_ix
                .iter()
                .flat_map(|&i| restrict(&base[i], &bk, &bfull, &bq))
                .collect();
            let questions: BTreeSet<String> = e_r.iter().map(|f| f.question.clone()).collect();
            comparisons.push(Comparison {
                external: e_label.clone(),
                brink: b_label.clone(),
                questions: questions.into_iter().collect(),
                external_scores: summarise(&e_r.iter().collect::<Vec<_>>()),
                brink_scores: summarise(&b_r.iter().collect::<Vec<_>>()),
                base_rate: summarise(&base_r.iter().collect::<Vec<_>>()),
            });
        }
    }
    let keep: Vec<bool> = forecasts
        .iter()
        .map(|f| matches_forecaster(&filter.forecaster, &f.forecaster))
        .collect();
    let pick = |v: Vec<ScoredForecast>| -> Vec<ScoredForecast> {
        v.into_iter()
            .zip(keep.iter())
            .filter(|(_, k)| **k)
            .map(|(f, _)| f)
            .collect()
    };
    ScoreReport {
        schema: SCHEMA,
        filter: filter.clone(),
        integrity: integrity.into(),
        base_rate_rule: BASE_RATE_RULE.into(),
        forecasters,
        comparisons,
        forecasts: pick(forecasts),
        base_rate: pick(base),
        unresolved,
        after_outcome,
        duplicates,
        conflicting,
    }
}

fn opt(x: Option<f64>, digits: usize) -> String {
    x.map_or("-".into(), |v| format!("{v:.digits$}"))
}

fn score_lines(f: &mut fmt::Formatter<'_>, name: &str, s: &Scores) -> fmt::Result {
    write!(f, "  {name:<28} {:>4} {:>4}", s.forecasts, s.questions)?;
    let m = |x: &Option<MeanScores>| {
        x.as_ref().map_or(format!("{:>18}", "-"), |m| {
            format!("{:>7.3} {:>6.2} ({})", m.brier, m.log, m.n)
        })
    };
    write!(f, "  {}  {}", m(&s.binary), m(&s.categorical))?;
    match &s.continuous {
        Some(c) => write!(f, "  {:>6.3} ({})", c.crps_scaled, c.n)?,
        None => write!(f, "  {:>10}", "-")?,
    }
    writeln!(
        f,
        "  {:>5}  {:>6}",
        opt(s.events.auc, 2),
        opt(s.events.murphy.as_ref().map(|m| m.resolution), 3)
    )
}

impl fmt::Display for ScoreReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.integrity.ok {
            writeln!(
                f,
                "WARNING: the ledger does not verify ({} problem(s); first: {})",
                self.integrity.problems,
                self.integrity.first.as_deref().unwrap_or("?")
            )?;
        }
        writeln!(
            f,
            "Scores of {} resolved forecast(s) ({} unresolved, {} dated after their outcome, {} repeated)",
            self.forecasts.len(),
            self.unresolved,
            self.after_outcome,
            self.duplicates
        )?;
        writeln!(
            f,
            "Brier: lower is better; log (floored at ln 0.001): higher is better; CRPS as a share of the scale: lower is better\n"
        )?;
        writeln!(
            f,
            "  {:<28} {:>4} {:>4}  {:>18}  {:>18}  {:>10}  {:>5}  {:>6}",
            "forecaster",
            "fc",
            "q",
            "binary Brier log",
            "categ. Brier log",
            "CRPS",
            "AUC",
            "resol."
        )?;
        for r in &self.forecasters {
            score_lines(f, &r.forecaster, &r.scores)?;
            score_lines(f, "  base rate, same questions", &r.base_rate)?;
        }
        for c in &self.comparisons {
            writeln!(
                f,
                "\n{} against {} on {} common question(s):",
                c.external,
                c.brink,
                c.questions.len()
            )?;
            score_lines(f, &c.external, &c.external_scores)?;
            score_lines(f, &c.brink, &c.brink_scores)?;
            score_lines(f, BASE_RATE, &c.base_rate)?;
        }
        for r in &self.forecasters {
            writeln!(f, "\nCalibration of {} (every yes/no event):", r.forecaster)?;
            for b in r.scores.events.calibration.iter().filter(|b| b.n > 0) {
                writeln!(
                    f,
                    "  p in [{:.1}, {:.1}{}: {:>4} events, mean p {:.3}, happened {:.3}",
                    b.lo,
                    b.hi,
                    if b.hi >= 1.0 { "]" } else { ")" },
                    b.n,
                    b.mean_p,
                    b.observed
                )?;
            }
            if let Some(m) = &r.scores.events.murphy {
                writeln!(
                    f,
                    "  Brier = reliability {:.4} - resolution {:.4} + uncertainty {:.4} + within bins {:.4}",
                    m.reliability, m.resolution, m.uncertainty, m.within_bins
                )?;
            }
        }
        writeln!(f, "\nBase rate: {}", self.base_rate_rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CDF the CRPS integrates, evaluated directly (an independent path to the same number).
    fn cdf(levels: &[f64], values: &[f64], lo: f64, hi: f64, x: f64) -> f64 {
        let mut k = vec![(lo, 0.0)];
        k.extend(values.iter().copied().zip(levels.iter().copied()));
        k.push((hi, 1.0));
        if x < lo {
            return 0.0;
        }
        // The right-continuous CDF: the last knot at or below x, interpolated towards the next.
        let mut f = 0.0;
        for w in k.windows(2) {
            let ((x0, f0), (x1, f1)) = (w[0], w[1]);
            if x >= x1 {
                f = f1;
            } else if x >= x0 && x1 > x0 {
                f = f0 + (f1 - f0) * (x - x0) / (x1 - x0);
                break;
            }
        }
        f
    }

    fn crps_numeric(levels: &[f64], values: &[f64], lo: f64, hi: f64, y: f64) -> f64 {
        let n = 200_000;
        let h = (hi - lo) / n as f64;
        (0..n)
            .map(|i| {
                let x = lo + (i as f64 + 0.5) * h;
                let ind = if x >= y { 1.0 } else { 0.0 };
                (cdf(levels, values, lo, hi, x) - ind).powi(2) * h
            })
            .sum()
    }

    #[test]
    fn crps_of_known_distributions() {
        // Uniform on [0, 1]: CRPS = y^3/3 + (1-y)^3/3.
        for y in [0.0f64, 0.2, 0.5, 0.9, 1.0] {
            let exact = y.powi(3) / 3.0 + (1.0 - y).powi(3) / 3.0;
            assert!((crps_quantiles_piecewise_linear(&[], &[], 0.0, 1.0, y) - exact).abs() < 1e-15);
            // The median alone at 0.5 gives the same uniform CDF.
            assert!(
                (crps_quantiles_piecewise_linear(&[0.5], &[0.5], 0.0, 1.0, y) - exact).abs()
                    < 1e-15
            );
        }
        // Uniform on a 0-100 scale: scales with the range.
        assert!(
            (crps_quantiles_piecewise_linear(&[], &[], 0.0, 100.0, 20.0)
                - 100.0 * (0.2f64.powi(3) + 0.8f64.powi(3)) / 3.0)
                .abs()
                < 1e-12
        );
        // A point mass at m (all quantiles on m, levels from 0 to 1): |m - y|.
        for (m, y) in [(30.0, 10.0), (30.0, 30.0), (30.0, 95.0)] {
            let c = crps_quantiles_piecewise_linear(&[0.0, 0.5, 1.0], &[m, m, m], 0.0, 100.0, y);
            assert!((c - f64::abs(m - y)).abs() < 1e-12, "{c}");
        }
    }

    #[test]
    fn crps_matches_numerical_integration_of_the_documented_cdf() {
        let cases: [(&[f64], &[f64], f64); 5] = [
            (
                &[0.05, 0.25, 0.5, 0.75, 0.95],
                &[44.0, 48.3, 51.3, 54.4, 58.1],
                10.0,
            ),
            (
                &[0.05, 0.25, 0.5, 0.75, 0.95],
                &[44.0, 48.3, 51.3, 54.4, 58.1],
                52.0,
            ),
            (&[0.1, 0.9], &[0.0, 0.0], 3.0), // an atom of 0.1 at the scale's bottom
            (&[0.1, 0.5, 0.9], &[20.0, 20.0, 80.0], 20.0), // an atom inside
            (&[0.25, 0.75], &[90.0, 100.0], 100.0), // an atom at the top
        ];
        for (l, v, y) in cases {
            let exact = crps_quantiles_piecewise_linear(l, v, 0.0, 100.0, y);
            let num = crps_numeric(l, v, 0.0, 100.0, y);
            assert!(
                (exact - num).abs() < 1e-4,
                "{l:?} {v:?} {y}: {exact} vs {num}"
            );
        }
    }

    #[test]
    fn auc_equals_the_pairwise_count() {
        let ev = [
            (0.9, true),
            (0.8, false),
            (0.7, true),
            (0.7, false),
            (0.3, true),
            (0.1, false),
            (0.1, false),
            (0.7, true),
        ];
        let mut wins = 0.0;
        let mut pairs = 0.0;
        for a in ev.iter().filter(|e| e.1) {
            for b in ev.iter().filter(|e| !e.1) {
                pairs += 1.0;
                wins += if a.0 > b.0 {
                    1.0
                } else if a.0 == b.0 {
                    0.5
                } else {
                    0.0
                };
            }
        }
        assert!((auc(&ev).unwrap() - wins / pairs).abs() < 1e-15);
        assert_eq!(auc(&[(0.2, true), (0.4, true)]), None);
        assert_eq!(auc(&[(0.9, true), (0.1, false)]), Some(1.0));
        assert_eq!(auc(&[(0.1, true), (0.9, false)]), Some(0.0));
    }

    #[test]
    fn murphy_terms_add_up_to_the_brier_score() {
        let ev = [
            (0.05, false),
            (0.12, true),
            (0.18, false),
            (0.35, false),
            (0.38, true),
            (0.62, true),
            (0.66, false),
            (0.91, true),
            (0.97, true),
            (1.0, true),
        ];
        let m = murphy(&ev).unwrap();
        let bins = calibration(&ev);
        // The within-bin terms computed directly: (1/N) sum (d^2 - 2 d o).
        let mut direct = 0.0;
        for (p, h) in ev {
            let b = bins
                .iter()
                .find(|b| p >= b.lo && (p < b.hi || (b.hi >= 1.0 && p <= b.hi)))
                .unwrap();
            let d = p - b.mean_p;
            direct += d * d - 2.0 * d * if h { 1.0 } else { 0.0 };
        }
        direct /= ev.len() as f64;
        assert!(
            (m.within_bins - direct).abs() < 1e-12,
            "{} {}",
            m.within_bins,
            direct
        );
        assert!((m.base - 0.6).abs() < 1e-15);
        assert!((m.uncertainty - 0.24).abs() < 1e-15);
        // Equal probabilities within each bin leave nothing over.
        let m = murphy(&[(0.2, true), (0.2, false), (0.8, true)]).unwrap();
        assert!(m.within_bins.abs() < 1e-15);
    }
}
