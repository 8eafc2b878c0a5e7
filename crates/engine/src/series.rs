//! Timelines (the forecast at each dated update) and what-if comparisons.

use brink_montecarlo::InputRef;
use brink_scenario::{Date, Scenario};

use crate::doc::{
    Change, CrisisComparison, Header, OutcomeComparison, ScenarioInfo, Timeline, TimelineDate,
    WhatIf,
};
use crate::error::{Error, Result};
use crate::forecast::deterministic;
use crate::input::Loaded;
use crate::observe::{Progress, Stage};
use crate::options::Options;
use crate::worlds::Use;

/// The dates of a timeline: the scenario's cut-off and each update's date.
pub fn timeline_dates(sc: &Scenario) -> Vec<Date> {
    let mut d = vec![sc.as_of];
    d.extend(sc.updates.iter().map(|u| u.date));
    d.sort();
    d.dedup();
    d
}

impl Timeline {
    /// The forecast (on the point estimates, without draws) as of the scenario's cut-off and as
    /// of each update's date. Reads `models`, `rounds`, `seed`, `threads` and `observer` of
    /// [`Options`]; stopping leaves the dates done (`stopped`).
    pub fn run(loaded: &Loaded, opts: &Options) -> Result<Timeline> {
        let base = &loaded.scenario;
        let models = opts.models()?;
        let params = brink_bargain::Params {
            explain: false,
            ..opts.params()
        };
        let dates = timeline_dates(base);
        opts.in_pool(|| {
            let mut out = Vec::new();
            let mut stopped = false;
            for (n, d) in dates.iter().enumerate() {
                if opts.observer.cancelled() {
                    stopped = true;
                    break;
                }
                opts.observer.progress(&Progress {
                    stage: Stage::Dates,
                    done: n as u64,
                    total: dates.len() as u64,
                });
                let sc = base.at(*d).map_err(Error::Input)?;
                out.push(TimelineDate {
                    as_of: d.to_string(),
                    update: base
                        .updates
                        .iter()
                        .find(|u| u.date == *d)
                        .map(|u| u.what.clone()),
                    forecast: deterministic(&sc, &loaded.input, &models, &params, Use::Forecast),
                });
            }
            Ok(Timeline {
                header: Header::new("timeline"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(base),
                dates: out,
                stopped,
            })
        })?
    }
}

/// Parses a change `KEY=VALUE` of the scenario's inputs (`brink whatif` lists the keys): the
/// input, the value given, and the change for the document. The value must lie in the input's
/// valid range.
pub fn parse_change(sc: &Scenario, text: &str) -> Result<(InputRef, f64, Change)> {
    let (key, val) = text
        .split_once('=')
        .ok_or_else(|| Error::input(format!("--set `{text}`: expected KEY=VALUE")))?;
    let input = InputRef::parse(sc, key.trim())
        .map_err(|e| Error::input(format!("--set `{text}`: {e}")))?;
    let v: f64 = val
        .trim()
        .parse()
        .ok()
        .filter(|v: &f64| v.is_finite())
        .ok_or_else(|| Error::input(format!("--set `{text}`: `{val}` is not a number")))?;
    let (lo, hi) = input.valid(sc);
    if v < lo || v > hi {
        return Err(Error::input(format!(
            "--set `{text}`: {v} is outside the valid range [{lo}, {hi}]"
        )));
    }
    let change = Change {
        input: input.key(sc),
        name: input.describe(sc),
        from: input.get(&sc.point_values()),
        to: v,
    };
    Ok((input, v, change))
}

impl WhatIf {
    /// The forecasts of the scenario as it stands and with each change (`KEY=VALUE`, see
    /// [`parse_change`]) fixing an input at a value, side by side, with each crisis's outcome
    /// probabilities: the same pipeline as [`crate::Forecast::run`] on the point estimates.
    /// Where a rival hypothesis about an actor holds its own stance, that hypothesis keeps it.
    pub fn run(loaded: &Loaded, changes: &[String], opts: &Options) -> Result<WhatIf> {
        let sc = &loaded.scenario;
        let models = opts.models()?;
        let mut changed = sc.clone();
        let mut said = Vec::new();
        for text in changes {
            let (input, v, change) = parse_change(sc, text)?;
            input.fix(&mut changed, v);
            said.push(change);
        }
        let params = opts.params();
        opts.in_pool(|| {
            let a = deterministic(sc, &loaded.input, &models, &params, Use::Forecast);
            let b = deterministic(&changed, &loaded.input, &models, &params, Use::Forecast);
            let crises = a
                .crises
                .iter()
                .zip(&b.crises)
                .map(|(x, y)| {
                    let probs = |c: &crate::doc::CrisisReport| {
                        c.equilibrium
                            .as_ref()
                            .map(|e| e.outcomes.clone())
                            .unwrap_or_default()
                    };
                    let (pa, pb) = (probs(x), probs(y));
                    CrisisComparison {
                        crisis: x.crisis.clone(),
                        name: x.name.clone(),
                        outcomes: pa
                            .iter()
                            .map(|o| OutcomeComparison {
                                outcome: o.outcome.clone(),
                                as_given: o.p,
                                as_changed: pb
                                    .iter()
                                    .find(|q| q.outcome == o.outcome)
                                    .map_or(0.0, |q| q.p),
                            })
                            .collect(),
                    }
                })
                .collect();
            WhatIf {
                header: Header::new("whatif"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(sc),
                changes: said,
                as_given: a,
                as_changed: b,
                crises,
            }
        })
    }
}
