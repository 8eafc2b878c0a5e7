//! The engine's documents as ledger records: a [`brink_engine::Forecast`] becomes one entry per
//! probabilistic statement it makes, an outcomes file becomes resolutions, a forecast of record
//! and the stated forecasts of a claims file become entries of their own. Nothing here forecasts:
//! the numbers recorded are the document's, so the ledger and `brink run` cannot disagree.
//!
//! **What a forecast document gives.**
//! - Each crisis with Monte Carlo outcome probabilities (the document's `game` field): one
//!   categorical entry on `SCENARIO/crisis/CRISIS`, a probability per outcome class, forecaster
//!   `brink:game`.
//! - Each issue and model with a predictive distribution over the draws: one continuous entry on
//!   `SCENARIO/issue/ISSUE`, the distribution's quantiles (levels 0.05, 0.25, 0.5, 0.75, 0.95) and
//!   the model's point forecast, forecaster `brink:MODEL`.
//!
//! A document without draws has no probabilities and is refused, as is a stopped (partial) run.
//!
//! **Unsolved draws.** The engine's crisis probabilities are shares of the *solved* draws: a draw
//! whose game cannot be built or solved is left out and counted (`unsolved`), so the shares sum
//! to 1 over the solved draws. This is the number `brink run` prints and `brink backtest` scores,
//! and it is what is recorded: renormalised over the solved draws, with the unsolved count sealed
//! into the entry as the tag `unsolved:K/N` (K of N draws). Renormalising treats the unsolved
//! draws as if they would have ended like the solved ones, which need not hold (a game may fail
//! to solve for reasons tied to its outcome), so it is allowed only while it cannot move any
//! probability by more than the unsolved share `K / N`, and that share is capped
//! ([`RecordOptions::max_unsolved`], default [`MAX_UNSOLVED`] = 0.01, below the Monte Carlo error
//! of a share at 2,000 draws, up to 0.011). A crisis above the cap, or with no solved draw, is
//! refused and nothing is recorded. The same rule, and the tag `uncovered:K/N`, applies to an
//! issue's distribution when the model covered the issue in only some draws; a model that covers
//! an issue in no draw makes no forecast of it and is left out.
//!
//! **Labels.** Every entry written after the fact (a backtest in the ledger's sense) carries one
//! of three tags saying what it is ([`Label`]): `of-record` (fixed before the outcome was known:
//! the frozen forecast of record, a crowd's published forecast), `backtest` (inputs frozen before
//! the outcome, run by today's engine after it) or `after-outcome` (inputs changed after the
//! outcome was known: never a backtest). A forecast recorded before its question is resolved is
//! live and needs no label.

use brink_engine::Forecast;
use brink_scenario::{About, Claims, Evidence, Outcomes, Record, Scenario};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::model::{
    ClassP, Entry, Forecaster, Outcome, Question, QuestionKind, Resolution, ScenarioRef, Source,
    Statement,
};
use crate::question_id;
use crate::time::Date;

/// The default cap on the share of unsolved (or uncovered) draws a recorded forecast may have.
pub const MAX_UNSOLVED: f64 = 0.01;

/// The forecaster model of brink's crisis probabilities (the game over the Monte Carlo draws).
pub const GAME: &str = "game";

/// What an entry written after the fact is: sealed into it as one of these tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Label {
    /// Fixed before the outcome was known (a forecast of record; a published forecast).
    OfRecord,
    /// Inputs frozen before the outcome, run after it by today's engine.
    Backtest,
    /// Inputs changed after the outcome was known: not a backtest.
    AfterOutcome,
}

impl Label {
    /// Every label, in the order a page shows them.
    pub const ALL: [Label; 3] = [Label::OfRecord, Label::Backtest, Label::AfterOutcome];

    /// The tag: `of-record`, `backtest`, `after-outcome`.
    pub fn tag(self) -> &'static str {
        match self {
            Label::OfRecord => "of-record",
            Label::Backtest => "backtest",
            Label::AfterOutcome => "after-outcome",
        }
    }

    /// The label of a tag.
    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.tag() == s)
    }

    /// The label an entry carries (the first of its tags that is one).
    pub fn of(entry: &Entry) -> Option<Label> {
        entry.tags.iter().find_map(|t| Label::parse(t))
    }

    /// What it means, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Label::OfRecord => "fixed before the outcome was known, written into the ledger later",
            Label::Backtest => "inputs frozen before the outcome, run after it by today's engine",
            Label::AfterOutcome => {
                "inputs changed after the outcome was known: not a backtest, not a forecast"
            }
        }
    }
}

/// How to turn a forecast document into entries.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordOptions {
    /// Tags for every entry (besides the label and any `unsolved:` tag).
    pub tags: Vec<String>,
    /// The date by which the questions are to be resolved, if stated.
    pub horizon: Option<Date>,
    /// `None`: a live forecast. `Some`: written after the fact, with this label.
    pub label: Option<Label>,
    /// Only these questions: a crisis or issue id, or a full question id. Empty: every one.
    pub questions: Vec<String>,
    /// The largest share of unsolved (uncovered) draws a forecast may have (see the module's
    /// documentation).
    pub max_unsolved: f64,
}

impl Default for RecordOptions {
    fn default() -> RecordOptions {
        RecordOptions {
            tags: vec![],
            horizon: None,
            label: None,
            questions: vec![],
            max_unsolved: MAX_UNSOLVED,
        }
    }
}

/// The categorical question of a crisis, with the engine's outcome classes.
pub fn crisis_question(scenario: &str, crisis: &str, name: &str) -> Question {
    Question {
        id: question_id::crisis(scenario, crisis),
        text: name.to_string(),
        kind: QuestionKind::Categorical {
            classes: brink_crisis::standoff::CLASSES
                .iter()
                .map(|c| c.to_string())
                .collect(),
        },
    }
}

/// The continuous question of an issue on its scale.
pub fn issue_question(scenario: &str, issue: &str, name: &str, min: f64, max: f64) -> Question {
    Question {
        id: question_id::issue(scenario, issue),
        text: format!("{name}: where it settles on its scale ({min} to {max})"),
        kind: QuestionKind::Continuous { min, max },
    }
}

fn date(s: &str, file: &str) -> Result<Date> {
    Date::parse(s).ok_or_else(|| Error::NotRecordable {
        file: file.into(),
        message: format!("the document's date `{s}` is not a date"),
    })
}

fn wanted(o: &RecordOptions, scenario: &str, kind: &str, id: &str) -> bool {
    o.questions.is_empty()
        || o.questions
            .iter()
            .any(|q| wanted_one(q, scenario, kind, id))
}

fn tags(o: &RecordOptions, scenario: &str, extra: Option<String>) -> Vec<String> {
    let mut t: Vec<String> = o.tags.clone();
    t.push(scenario.to_string());
    if let Some(l) = o.label {
        t.push(l.tag().into());
    }
    t.extend(extra);
    t
}

/// Whether `left` of `n` draws is within the cap; the tag to state it if any was left.
fn left_out(
    o: &RecordOptions,
    file: &str,
    what: &str,
    word: &str,
    left: u64,
    n: u64,
) -> Result<Option<String>> {
    if left == 0 {
        return Ok(None);
    }
    let share = left as f64 / n as f64;
    if left >= n || share > o.max_unsolved {
        return Err(Error::NotRecordable {
            file: file.into(),
            message: format!(
                "{what}: {left} of {n} draws {word} ({:.2}%), more than the {:.2}% allowed; \
                 its probabilities would be renormalised over the other draws, which could move \
                 them by up to that share. Not recorded (raise --max-unsolved to accept it, or \
                 leave it out with --question)",
                share * 100.0,
                o.max_unsolved * 100.0
            ),
        });
    }
    Ok(Some(format!(
        "{}:{left}/{n}",
        if word == "unsolved" {
            "unsolved"
        } else {
            "uncovered"
        }
    )))
}

/// Every probabilistic statement of a forecast document, as entries (see the module's
/// documentation); `Error::NotRecordable` names what cannot be recorded, and nothing is.
pub fn entries(doc: &Forecast, o: &RecordOptions) -> Result<Vec<Entry>> {
    let file = doc.input.file.as_str();
    let refuse = |message: String| Error::NotRecordable {
        file: file.into(),
        message,
    };
    let Some(mc) = doc.montecarlo.as_ref().filter(|m| m.draws_done > 0) else {
        return Err(refuse(
            "the forecast has no Monte Carlo draws, so no probabilities to record (give draws)"
                .into(),
        ));
    };
    if mc.stopped {
        return Err(refuse(format!(
            "the run was stopped after {} of {} draws; a partial run is not recorded",
            mc.draws_done, mc.draws_requested
        )));
    }
    if !(0.0..1.0).contains(&o.max_unsolved) {
        return Err(refuse(format!(
            "the cap on unsolved draws, {}, is not a share in [0, 1)",
            o.max_unsolved
        )));
    }
    let sc = &doc.scenario;
    for q in &o.questions {
        let known = doc
            .crises
            .iter()
            .any(|c| wanted_one(q, &sc.id, "crisis", &c.crisis))
            || doc
                .issues
                .iter()
                .any(|i| wanted_one(q, &sc.id, "issue", &i.id));
        if !known {
            return Err(refuse(format!(
                "no crisis or issue `{q}` in scenario `{}` (crises: {}; issues: {})",
                sc.id,
                doc.crises
                    .iter()
                    .map(|c| c.crisis.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                doc.issues
                    .iter()
                    .map(|i| i.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    let as_of = date(&sc.as_of, file)?;
    let base = |question: Question, statement: Statement, model: &str, tags: Vec<String>| Entry {
        question,
        statement,
        forecaster: Forecaster::brink(Some(model)),
        scenario: Some(ScenarioRef {
            id: sc.id.clone(),
            sha256: doc.input.sha256.clone(),
        }),
        brink_version: Some(doc.header.brink_version.clone()),
        seed: Some(mc.seed),
        draws: Some(mc.draws_done),
        tags,
        horizon: o.horizon,
        as_of,
        backtest: o.label.is_some(),
    };
    let mut out = Vec::new();
    for c in &doc.crises {
        if !wanted(o, &sc.id, "crisis", &c.crisis) {
            continue;
        }
        let what = format!("crisis `{}`", c.crisis);
        let Some(g) = &c.game else {
            return Err(refuse(format!("{what}: no outcome probabilities")));
        };
        let extra = left_out(o, file, &what, "unsolved", g.unsolved, g.draws)?;
        let mut ps = Vec::with_capacity(g.outcomes.len());
        for s in &g.outcomes {
            let Some(p) = s.p else {
                return Err(refuse(format!("{what}: no probability of `{}`", s.outcome)));
            };
            ps.push(ClassP {
                class: s.outcome.clone(),
                p,
            });
        }
        out.push(base(
            crisis_question(&sc.id, &c.crisis, &c.name),
            Statement::Classes(ps),
            GAME,
            tags(o, &sc.id, extra),
        ));
    }
    for is in &doc.issues {
        if !wanted(o, &sc.id, "issue", &is.id) {
            continue;
        }
        for f in &is.forecasts {
            let Some(d) = &f.distribution else { continue };
            let Some(s) = &d.summary else { continue };
            let what = format!("issue `{}`, model `{}`", is.id, f.model);
            let n = d.n + d.not_covered;
            let extra = left_out(o, file, &what, "not covered", d.not_covered, n)?;
            out.push(base(
                issue_question(&sc.id, &is.id, &is.name, is.min, is.max),
                Statement::Quantiles {
                    levels: s.quantiles.iter().map(|q| q.q).collect(),
                    values: s.quantiles.iter().map(|q| q.value).collect(),
                    point: f.value,
                },
                &f.model,
                tags(o, &sc.id, extra),
            ));
        }
    }
    Ok(out)
}

fn wanted_one(q: &str, scenario: &str, kind: &str, id: &str) -> bool {
    q == id || q == format!("{scenario}/{kind}/{id}")
}

/// The source of an outcome: the citations of its quotes and the quotes, or the assumption.
fn source_of(ev: &Evidence, outcomes: &Outcomes, file: &str) -> Source {
    match ev {
        Evidence::Quotes(qs) if !qs.is_empty() => {
            let mut cites: Vec<String> = Vec::new();
            for q in qs {
                let c = outcomes.sources[q.source].citation.clone();
                if !cites.contains(&c) {
                    cites.push(c);
                }
            }
            Source {
                citation: cites.join("; "),
                quote: qs
                    .iter()
                    .map(|q| q.quote.trim().to_string())
                    .collect::<Vec<_>>()
                    .join(" [...] "),
            }
        }
        Evidence::Quotes(_) => Source {
            citation: file.to_string(),
            quote: "(no quote)".into(),
        },
        Evidence::Assumed(why) => Source {
            citation: format!("{file} (assumed)"),
            quote: why.trim().to_string(),
        },
    }
}

/// The resolutions an outcomes file gives: each crisis's outcome class, each issue's value, and
/// each event that is resolved (happened or not) as a binary question `SCENARIO/event/EVENT`.
/// Dated by the outcome's date (the horizon when the file gives none); sourced by its evidence.
pub fn resolutions(outcomes: &Outcomes, file: &str) -> Vec<Resolution> {
    let sc = &outcomes.scenario;
    let mut out = Vec::new();
    for c in &outcomes.crises {
        out.push(Resolution {
            question: question_id::crisis(sc, &c.crisis),
            outcome: Outcome::Class(c.outcome.clone()),
            date: c.date.unwrap_or(outcomes.horizon),
            source: source_of(&c.evidence, outcomes, file),
        });
    }
    for i in &outcomes.issues {
        out.push(Resolution {
            question: question_id::issue(sc, &i.issue),
            outcome: Outcome::Value(i.value),
            date: i.date.unwrap_or(outcomes.horizon),
            source: source_of(&i.evidence, outcomes, file),
        });
    }
    for e in &outcomes.events {
        let Some(happened) = e.occurred else { continue };
        let source = match &e.evidence {
            Some(ev) => source_of(ev, outcomes, file),
            None => Source {
                citation: e
                    .reported
                    .iter()
                    .map(|r| outcomes.sources[r.source].citation.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                quote: e
                    .reported
                    .iter()
                    .map(|r| format!("(reported, not verbatim) {}", r.says))
                    .collect::<Vec<_>>()
                    .join(" [...] "),
            },
        };
        if source.citation.trim().is_empty() || source.quote.trim().is_empty() {
            continue;
        }
        out.push(Resolution {
            question: question_id::event(sc, &e.id),
            outcome: Outcome::Binary(happened),
            date: e.date.unwrap_or(outcomes.horizon),
            source,
        });
    }
    out
}

/// A forecast of record (`NAME.record.toml`, made from the frozen scenario `sc`) as entries,
/// labelled `of-record`: each crisis's recorded shares (categorical) and each issue's recorded
/// point forecasts. A point forecast is recorded as a point mass (its quantiles at levels 0 and
/// 1 both at the point), whose CRPS is its absolute error: what `brink backtest` scores it by.
pub fn record_entries(record: &Record, sc: &Scenario, file: &str) -> Result<Vec<Entry>> {
    let refuse = |message: String| Error::NotRecordable {
        file: file.into(),
        message,
    };
    let base = |question: Question, statement: Statement, model: &str, draws: Option<u64>| Entry {
        question,
        statement,
        forecaster: Forecaster::brink(Some(model)),
        scenario: Some(ScenarioRef {
            id: record.scenario.clone(),
            sha256: record.sha256.clone(),
        }),
        brink_version: Some(format!("commit {}", record.commit)),
        seed: Some(record.seed),
        draws,
        tags: vec![record.scenario.clone(), Label::OfRecord.tag().into()],
        horizon: None,
        as_of: record.as_of,
        backtest: true,
    };
    let mut out = Vec::new();
    for c in &record.crises {
        let Some(crisis) = sc.crises.iter().find(|x| x.id == c.crisis) else {
            return Err(refuse(format!(
                "crisis `{}` is not in the scenario `{}`",
                c.crisis, sc.id
            )));
        };
        let q = crisis_question(&record.scenario, &c.crisis, &crisis.name);
        let QuestionKind::Categorical { classes } = &q.kind else {
            unreachable!("a crisis question is categorical")
        };
        if let Some((extra, _)) = c.shares.iter().find(|(k, _)| !classes.contains(k)) {
            return Err(refuse(format!(
                "crisis `{}`: `{extra}` is not an outcome class",
                c.crisis
            )));
        }
        let ps = classes
            .iter()
            .map(|k| ClassP {
                class: k.clone(),
                p: c.share(k),
            })
            .collect();
        out.push(base(q, Statement::Classes(ps), GAME, Some(record.draws)));
    }
    for i in &record.issues {
        let Some(is) = sc.issues.iter().find(|x| x.id == i.issue) else {
            continue;
        };
        for (model, v) in &i.forecasts {
            out.push(base(
                issue_question(&record.scenario, &is.id, &is.name, is.min, is.max),
                Statement::Quantiles {
                    levels: vec![0.0, 1.0],
                    values: vec![*v, *v],
                    point: Some(*v),
                },
                model,
                None,
            ));
        }
    }
    Ok(out)
}

/// What became of a stated forecast of a claims file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// The forecast's id in the claims file.
    pub id: String,
    /// Why it was not recorded.
    pub why: String,
}

/// The stated probabilities of a claims file (`[[forecasts]]`: a crowd, a named forecaster) as
/// entries labelled `of-record`, each by its forecaster (the claims file's source id, with the
/// source's citation) and as of its date. A forecast of a crisis's outcome class is the
/// probability of that class on the crisis's question (so it meets brink's forecast there), but
/// only when its own horizon resolves it as the crisis's outcome does (the class happened by the
/// forecast's horizon, or another class happened and the horizon is not before the outcomes'
/// horizon); else it is skipped with the reason. A forecast of an event is a binary question
/// `SCENARIO/event/EVENT`. `crisis_names` gives each crisis's name for its question.
pub fn claims_entries(
    claims: &Claims,
    outcomes: &Outcomes,
    crisis_names: &[(String, String)],
) -> (Vec<Entry>, Vec<Skipped>) {
    let sc = &claims.scenario;
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for f in &claims.forecasts {
        let src = &claims.sources[f.source];
        let question = match &f.about {
            About::Crisis { crisis, outcome } => {
                let resolved_alike = match outcomes.crises.iter().find(|c| c.crisis == *crisis) {
                    None => true,
                    Some(c) if c.outcome == *outcome => {
                        c.date.unwrap_or(outcomes.horizon) <= f.horizon
                    }
                    Some(_) => f.horizon >= outcomes.horizon,
                };
                if !resolved_alike {
                    skipped.push(Skipped {
                        id: f.id.clone(),
                        why: format!(
                            "its horizon ({}) does not resolve it as crisis `{crisis}`'s outcome does",
                            f.horizon
                        ),
                    });
                    continue;
                }
                let name = crisis_names
                    .iter()
                    .find(|(c, _)| c == crisis)
                    .map_or(crisis.as_str(), |x| x.1.as_str());
                (
                    crisis_question(sc, crisis, name),
                    Statement::Event {
                        class: outcome.clone(),
                        p: f.probability,
                    },
                )
            }
            About::Event(id) => {
                let text = outcomes
                    .events
                    .iter()
                    .find(|e| e.id == *id)
                    .map_or_else(|| f.event.clone(), |e| e.description.clone());
                (
                    Question {
                        id: question_id::event(sc, id),
                        text,
                        kind: QuestionKind::Binary,
                    },
                    Statement::Probability(f.probability),
                )
            }
        };
        out.push(Entry {
            question: question.0,
            statement: question.1,
            forecaster: Forecaster::external(&src.id, &src.citation),
            scenario: None,
            brink_version: None,
            seed: None,
            draws: None,
            tags: vec![sc.clone(), Label::OfRecord.tag().into()],
            horizon: Some(f.horizon),
            as_of: f.date,
            backtest: true,
        });
    }
    (out, skipped)
}
