//! Timelines (the forecast at each dated update) and what-if comparisons.

use brink_montecarlo::InputRef;
use brink_scenario::{About, Claims, Date, Outcomes, Record, Scenario};

use crate::doc::{
    Change, CrisisComparison, Header, OutcomeComparison, PathOutcome, PathPoint, PathSeries,
    ProbabilityPath, ScenarioInfo, Timeline, TimelineDate, WhatIf,
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
                let mut forecast =
                    deterministic(&sc, &loaded.input, &models, &params, Use::Forecast);
                if opts.crisis_draws > 0 && !sc.crises.is_empty() {
                    // The crises' three views, as `run` gives them without --draws.
                    crate::views::from_own_draws(
                        &mut forecast.crises,
                        &sc,
                        &params,
                        opts.crisis_draws,
                        opts.seed,
                        &crate::observe::Silent,
                    );
                }
                out.push(TimelineDate {
                    as_of: d.to_string(),
                    update: base
                        .updates
                        .iter()
                        .find(|u| u.date == *d)
                        .map(|u| u.what.clone()),
                    forecast,
                });
            }
            Ok(Timeline {
                header: Header::new("timeline"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(base),
                dates: out,
                stopped,
                paths: Vec::new(),
            })
        })?
    }

    /// Adds, per crisis outcome that the other forecasters of `claims` forecast (or, without
    /// claims, per crisis of `record` with its `war` share), the outcome's probability over time
    /// ([`ProbabilityPath`]): brink's forecast of record (`record`, made from a frozen version of
    /// this scenario), this timeline's own forecasts at each date (the published probability,
    /// computed now as `run` gives it), each other forecaster's dated probabilities, and the outcome's
    /// date from `outcomes`. Dates of this timeline for which the record holds no forecast are
    /// said so in the notes, never filled in. Files for another scenario id are refused.
    pub fn with_paths(
        mut self,
        record: Option<&Record>,
        claims: Option<&Claims>,
        outcomes: Option<&Outcomes>,
    ) -> Result<Timeline> {
        let id = &self.scenario.id;
        let mismatch = |what: &str, other: &str| {
            Error::input(format!(
                "the {what} file is for scenario `{other}`, not `{id}`"
            ))
        };
        if let Some(r) = record {
            if r.scenario != *id {
                return Err(mismatch("record", &r.scenario));
            }
        }
        if let Some(c) = claims {
            if c.scenario != *id {
                return Err(mismatch("claims", &c.scenario));
            }
        }
        if let Some(o) = outcomes {
            if o.scenario != *id {
                return Err(mismatch("outcomes", &o.scenario));
            }
        }
        // Which (crisis, outcome) pairs: those the stated forecasts are about, else the record's
        // crises' war share.
        let mut pairs: Vec<(String, String)> = Vec::new();
        for f in claims.map_or(&[][..], |c| &c.forecasts[..]) {
            if let About::Crisis { crisis, outcome } = &f.about {
                let pair = (crisis.clone(), outcome.clone());
                if !pairs.contains(&pair) {
                    pairs.push(pair);
                }
            }
        }
        if pairs.is_empty() {
            for c in record.map_or(&[][..], |r| &r.crises[..]) {
                pairs.push((c.crisis.clone(), "war".to_string()));
            }
        }
        self.paths = pairs
            .into_iter()
            .map(|(crisis, outcome)| self.path(&crisis, &outcome, record, claims, outcomes))
            .collect();
        Ok(self)
    }

    /// [`Timeline::with_paths`] on files: a forecast of record (`*.record.toml`), a claims file
    /// and an outcomes file, each optional; a file that cannot be read or does not validate is
    /// bad input naming the file (and its line and field).
    pub fn with_path_files(
        self,
        record: Option<&std::path::Path>,
        claims: Option<&std::path::Path>,
        outcomes: Option<&std::path::Path>,
    ) -> Result<Timeline> {
        let record = record
            .map(|p| {
                let name = p.display().to_string();
                let text = std::fs::read_to_string(p)
                    .map_err(|e| Error::input(format!("{name}: cannot read the record: {e}")))?;
                brink_scenario::load_record_str(&text, &name).map_err(Error::from)
            })
            .transpose()?;
        let claims = claims.map(crate::input::claims_file).transpose()?;
        let outcomes = outcomes
            .map(|p| brink_scenario::load_outcomes_file(p).map_err(Error::from))
            .transpose()?;
        self.with_paths(record.as_ref(), claims.as_ref(), outcomes.as_ref())
    }

    /// One outcome's [`ProbabilityPath`].
    fn path(
        &self,
        crisis: &str,
        outcome: &str,
        record: Option<&Record>,
        claims: Option<&Claims>,
        outcomes: Option<&Outcomes>,
    ) -> ProbabilityPath {
        let mut series = Vec::new();
        let mut notes = Vec::new();
        if let Some(r) = record {
            match r.crises.iter().find(|c| c.crisis == crisis) {
                Some(c) => series.push(PathSeries {
                    label: format!(
                        "brink, forecast of record ({}, commit {}, {} draws)",
                        r.file,
                        &r.commit[..r.commit.len().min(7)],
                        r.draws
                    ),
                    kind: "record".into(),
                    forecaster: "brink".into(),
                    points: vec![PathPoint {
                        date: r.as_of.to_string(),
                        p: c.shares
                            .iter()
                            .find(|(o, _)| o == outcome)
                            .map_or(0.0, |x| x.1),
                        from: format!("{}, commit {}", r.file, r.commit),
                    }],
                }),
                None => notes.push(format!(
                    "the forecast of record (of {}) holds no forecast for crisis `{crisis}`",
                    r.file
                )),
            }
            for d in &self.dates {
                if d.as_of != r.as_of.to_string() {
                    notes.push(format!(
                        "no forecast of record at {}{}: the forecast of record (of {}) holds {} only; brink's value at that date is computed now, not recorded",
                        d.as_of,
                        d.update.as_ref().map_or(String::new(), |u| format!(" ({u})")),
                        r.file,
                        r.as_of
                    ));
                }
            }
        }
        let computed: Vec<PathPoint> = self
            .dates
            .iter()
            .filter_map(|d| {
                let c = d.forecast.crises.iter().find(|c| c.crisis == crisis)?;
                // The published probability: P(war) of the combined forecast (the game's without
                // a reference class), another class the game's; the equilibrium's without draws.
                let published = if outcome == "war" {
                    c.published_war().map(|x| x.0)
                } else {
                    None
                };
                let p = published
                    .or_else(|| {
                        c.game
                            .as_ref()
                            .and_then(|g| g.outcomes.iter().find(|o| o.outcome == outcome)?.p)
                    })
                    .or_else(|| {
                        let e = c.equilibrium.as_ref()?;
                        Some(
                            e.outcomes
                                .iter()
                                .find(|o| o.outcome == outcome)
                                .map_or(0.0, |o| o.p),
                        )
                    })?;
                Some(PathPoint {
                    date: d.as_of.clone(),
                    p,
                    from: match &d.update {
                        Some(u) => {
                            format!("{} with the update of {}: {u}", self.input.file, d.as_of)
                        }
                        None => format!("{} at its cut-off", self.input.file),
                    },
                })
            })
            .collect();
        if computed.is_empty() {
            notes.push(format!(
                "this scenario gives no probability for crisis `{crisis}` at any date"
            ));
        } else {
            series.push(PathSeries {
                label: format!(
                    "brink, computed now from {} (its published probability)",
                    self.input.file
                ),
                kind: "computed".into(),
                forecaster: "brink".into(),
                points: computed,
            });
        }
        if let Some(cl) = claims {
            let mut who: Vec<usize> = Vec::new();
            for f in &cl.forecasts {
                if matches!(&f.about, About::Crisis { crisis: c, outcome: o } if c == crisis && o == outcome)
                    && !who.contains(&f.source)
                {
                    who.push(f.source);
                }
            }
            for s in who {
                let src = &cl.sources[s];
                let mut points: Vec<(Date, PathPoint)> = cl
                    .forecasts
                    .iter()
                    .filter(|f| f.source == s && matches!(&f.about, About::Crisis { crisis: c, outcome: o } if c == crisis && o == outcome))
                    .map(|f| {
                        (
                            f.date,
                            PathPoint {
                                date: f.date.to_string(),
                                p: f.probability,
                                from: format!("\"{}\" (by {})", f.question, f.horizon),
                            },
                        )
                    })
                    .collect();
                points.sort_by_key(|a| a.0);
                series.push(PathSeries {
                    label: format!("{} (stated)", src.id),
                    kind: "stated".into(),
                    forecaster: src.id.clone(),
                    points: points.into_iter().map(|(_, p)| p).collect(),
                });
            }
        }
        let happened = outcomes.and_then(|o| {
            let c = o.crises.iter().find(|c| c.crisis == crisis)?;
            Some(PathOutcome {
                outcome: c.outcome.clone(),
                date: c.date?.to_string(),
            })
        });
        ProbabilityPath {
            crisis: crisis.to_string(),
            outcome: outcome.to_string(),
            series,
            notes,
            happened,
        }
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
