//! Claims: forecasts that sources state, to be scored like brink's (`*.claims.toml`).
//!
//! Two kinds: a source's forecast in words (`[[claims]]`, read with the fixed table of estimative
//! words), and another forecaster's stated probability (`[[forecasts]]`: a forecasting crowd, a
//! named forecaster). Each names the event it is scored on, in words (`event`), and by when
//! (`horizon`); `about` links it to what the outcomes file resolves (a crisis's outcome class, or
//! an event), and an optional `given` makes it conditional (scored only if the condition
//! happened by the horizon). Statements considered and not scored are listed in `[[unscored]]`
//! with the reason, so that the file accounts for every forecast in its sources.
//!
//! ```toml
//! brink = 1
//! scenario = "ukraine-2021-12"
//! [[sources]] ...
//! [[claims]]
//! id = "invasion-not-imminent"
//! source = "trenin-2021"
//! date = 2021-12-28
//! quote = "This does not mean a Russian invasion of Ukraine is imminent."
//! words = "not imminent"          # a term of the fixed estimative-words table
//! event = "Russia invades Ukraine within a month of the essay"
//! horizon = 2022-01-28
//! about = { crisis = "standoff", outcome = "war" }   # or { event = "ID" }
//! given = { event = "ID" }        # optional condition
//! negated = false                 # true: the words give the probability that it does NOT happen
//! reading = "how the words were read, and why this event and horizon"
//! [[forecasts]]
//! id = "crowd-2021-12-12"
//! source = "metaculus"
//! date = 2021-12-12
//! probability = 0.35
//! question = "Russian invasion of Ukraine before 2023"   # the forecaster's own question
//! event = "Russia invades Ukraine before 2023"
//! horizon = 2022-12-31
//! about = { crisis = "standoff", outcome = "war" }
//! match = "how the forecaster's question matches the event it is scored on"
//! [[unscored]]
//! source = "trenin-2021"
//! quote = "..."
//! reason = "why it cannot be scored"
//! ```

use crate::diag::{LoadError, Sink};
use crate::load::{parse_with, sources, version};
use crate::model::*;
use crate::node;
use crate::read::*;
use serde::Serialize;
use std::collections::HashMap;

/// What a claim is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum About {
    /// A crisis ending in an outcome class.
    Crisis {
        /// The crisis's id.
        crisis: String,
        /// The outcome class (`war`, `negotiated settlement`, ...).
        outcome: String,
    },
    /// An event listed in the outcomes file.
    Event(String),
}

/// A source's forecast in words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claim {
    /// Short id.
    pub id: String,
    /// Index into the claims file's sources.
    pub source: usize,
    /// When it was made.
    pub date: Date,
    /// The source's words.
    pub quote: String,
    /// The estimative term or phrase the words amount to.
    pub words: String,
    /// The event the claim is scored on, in words.
    pub event: String,
    /// By when the event must happen.
    pub horizon: Date,
    /// What resolves it.
    pub about: About,
    /// A condition: the claim is scored only if this happened by the horizon.
    pub given: Option<About>,
    /// Whether the words give the probability that it does not happen.
    pub negated: bool,
    /// How the words were read.
    pub reading: String,
}

/// Another forecaster's stated probability of an event (a forecasting crowd, a named forecaster).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExternalForecast {
    /// Short id.
    pub id: String,
    /// Index into the claims file's sources (the forecaster).
    pub source: usize,
    /// When the probability was stated.
    pub date: Date,
    /// The probability.
    pub probability: f64,
    /// The forecaster's own question, in its words.
    pub question: String,
    /// The event it is scored on, in words.
    pub event: String,
    /// By when (the forecaster's question's deadline).
    pub horizon: Date,
    /// What resolves it.
    pub about: About,
    /// How the forecaster's question matches the event it is scored on (and brink's forecast of
    /// it).
    pub matching: String,
    /// A note.
    pub note: Option<String>,
}

/// A statement in a source that looks like a forecast but is not scored, with the reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Unscored {
    /// Index into the claims file's sources.
    pub source: usize,
    /// The words.
    pub quote: String,
    /// Why it is not scored.
    pub reason: String,
}

/// A claims file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claims {
    /// The scenario.
    pub scenario: String,
    /// Sources.
    pub sources: Vec<Source>,
    /// Forecasts in words.
    pub claims: Vec<Claim>,
    /// Other forecasters' stated probabilities.
    pub forecasts: Vec<ExternalForecast>,
    /// Statements considered and not scored.
    pub unscored: Vec<Unscored>,
}

/// Loads a claims file from TOML text.
pub fn load_claims_str(text: &str, file: &str) -> Result<Claims, LoadError> {
    parse_with(text, file, claims)
}

/// Loads a claims file from disk.
pub fn load_claims_file(path: &std::path::Path) -> Result<Claims, LoadError> {
    load_claims_str(&crate::load::read_file(path)?, &path.display().to_string())
}

/// `{ crisis = "ID", outcome = "CLASS" }` or `{ event = "ID" }`.
fn about(sink: &mut Sink, n: &node::Node, path: &str) -> Option<About> {
    let t = table(sink, n, path, &["crisis", "outcome", "event"])?;
    match (t.get("crisis"), t.get("outcome"), t.get("event")) {
        (Some(c), Some(o), None) => Some(About::Crisis {
            crisis: nonempty(sink, c, &t.sub("crisis"))?,
            outcome: nonempty(sink, o, &t.sub("outcome"))?,
        }),
        (None, None, Some(e)) => Some(About::Event(nonempty(sink, e, &t.sub("event"))?)),
        _ => {
            sink.error(
                n.at,
                path,
                "give { crisis = \"ID\", outcome = \"CLASS\" } or { event = \"ID\" }",
            );
            None
        }
    }
}

/// The source of a claim or forecast, checked to exist.
fn source_of(sink: &mut Sink, f: &Fields<'_>, ids: &HashMap<String, usize>) -> Option<usize> {
    required(sink, f, "source").and_then(|n| {
        let s = nonempty(sink, n, &f.sub("source"))?;
        let k = ids.get(&s).copied();
        if k.is_none() {
            sink.error(n.at, &f.sub("source"), format!("unknown source `{s}`"));
        }
        k
    })
}

/// The date of a claim or forecast, not before its source's.
fn dated(sink: &mut Sink, f: &Fields<'_>, source: Option<usize>, srcs: &[Source]) -> Option<Date> {
    let d = required(sink, f, "date").and_then(|n| date(sink, n, &f.sub("date")))?;
    if let Some(k) = source {
        if d < srcs[k].date {
            let at = f.get("date").map_or(f.node.at, |n| n.at);
            sink.error(
                at,
                &f.sub("date"),
                format!("dated {d}, before its source ({})", srcs[k].date),
            );
        }
    }
    Some(d)
}

/// The event in words and the horizon, both required: a forecast is scored on a named event by
/// a stated date.
fn event_and_horizon(
    sink: &mut Sink,
    f: &Fields<'_>,
    made: Option<Date>,
) -> (Option<String>, Option<Date>) {
    let event = match f.get("event") {
        None => {
            sink.error(
                f.node.at,
                &f.sub("event"),
                "missing required field `event`: name, in words, the event this is scored on",
            );
            None
        }
        Some(n) => nonempty(sink, n, &f.sub("event")),
    };
    let horizon = match f.get("horizon") {
        None => {
            sink.error(
                f.node.at,
                &f.sub("horizon"),
                "missing required field `horizon`: the date by which the event must happen",
            );
            None
        }
        Some(n) => date(sink, n, &f.sub("horizon")),
    };
    if let (Some(h), Some(d)) = (horizon, made) {
        if h < d {
            let at = f.get("horizon").map_or(f.node.at, |n| n.at);
            sink.error(
                at,
                &f.sub("horizon"),
                format!("horizon {h} is before the forecast was made ({d})"),
            );
        }
    }
    (event, horizon)
}

fn claims(sink: &mut Sink, root: &node::Node) -> Option<Claims> {
    let top = table(
        sink,
        root,
        "",
        &[
            "brink",
            "scenario",
            "sources",
            "claims",
            "forecasts",
            "unscored",
        ],
    )?;
    version(sink, &top);
    let scenario = req_string(sink, &top, "scenario");
    let (srcs, ids) = sources(sink, &top);
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut check_id = |sink: &mut Sink, f: &Fields<'_>, id: &Option<String>, path: &str| {
        if let Some(id) = id {
            if let Some(prev) = seen_ids.get(id) {
                let at = f.get("id").map_or(f.node.at, |n| n.at);
                sink.error(
                    at,
                    &f.sub("id"),
                    format!("duplicate id `{id}` (also {prev})"),
                );
            } else {
                seen_ids.insert(id.clone(), path.to_string());
            }
        }
    };
    let mut out: Vec<Claim> = Vec::new();
    if let Some(n) = required(sink, &top, "claims") {
        if let Some(items) = array(sink, n, "claims") {
            for (i, it) in items.iter().enumerate() {
                let p = format!("claims[{i}]");
                let Some(f) = table(
                    sink,
                    it,
                    &p,
                    &[
                        "id", "source", "date", "quote", "words", "event", "horizon", "about",
                        "given", "negated", "reading",
                    ],
                ) else {
                    continue;
                };
                let id = req_string(sink, &f, "id");
                check_id(sink, &f, &id, &p);
                let source = source_of(sink, &f, &ids);
                let date = dated(sink, &f, source, &srcs);
                let quote = req_string(sink, &f, "quote");
                let words = req_string(sink, &f, "words");
                let (event, horizon) = event_and_horizon(sink, &f, date);
                let reading = req_string(sink, &f, "reading");
                let negated = match f.get("negated") {
                    None => Some(false),
                    Some(n) => match n.kind {
                        node::Kind::Bool(b) => Some(b),
                        _ => {
                            sink.error(n.at, &f.sub("negated"), "expected true or false");
                            None
                        }
                    },
                };
                let ab = required(sink, &f, "about").and_then(|n| about(sink, n, &f.sub("about")));
                let given = match f.get("given") {
                    None => Some(None),
                    Some(n) => about(sink, n, &f.sub("given")).map(Some),
                };
                if let (
                    Some(id),
                    Some(source),
                    Some(date),
                    Some(quote),
                    Some(words),
                    Some(event),
                    Some(horizon),
                    Some(about),
                    Some(given),
                    Some(negated),
                    Some(reading),
                ) = (
                    id, source, date, quote, words, event, horizon, ab, given, negated, reading,
                ) {
                    if let Some(other) = out.iter().find(|c| {
                        c.source == source
                            && c.about == about
                            && c.horizon == horizon
                            && c.given == given
                    }) {
                        sink.error(
                            it.at,
                            &f.sub("about"),
                            format!(
                                "scores the same event by the same horizon as claim `{}` of the same source: one event would count twice",
                                other.id
                            ),
                        );
                        continue;
                    }
                    out.push(Claim {
                        id,
                        source,
                        date,
                        quote,
                        words,
                        event,
                        horizon,
                        about,
                        given,
                        negated,
                        reading,
                    });
                }
            }
        }
    }
    let mut forecasts: Vec<ExternalForecast> = Vec::new();
    if let Some(n) = top.get("forecasts") {
        for (i, it) in array(sink, n, "forecasts")
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let p = format!("forecasts[{i}]");
            let Some(f) = table(
                sink,
                it,
                &p,
                &[
                    "id",
                    "source",
                    "date",
                    "probability",
                    "question",
                    "event",
                    "horizon",
                    "about",
                    "match",
                    "note",
                ],
            ) else {
                continue;
            };
            let id = req_string(sink, &f, "id");
            check_id(sink, &f, &id, &p);
            let source = source_of(sink, &f, &ids);
            let date = dated(sink, &f, source, &srcs);
            let probability = required(sink, &f, "probability")
                .and_then(|n| number_in(sink, n, &f.sub("probability"), Range::closed(0.0, 1.0)));
            let question = req_string(sink, &f, "question");
            let (event, horizon) = event_and_horizon(sink, &f, date);
            let ab = required(sink, &f, "about").and_then(|n| about(sink, n, &f.sub("about")));
            let matching = req_string(sink, &f, "match");
            let note = f.get("note").and_then(|n| string(sink, n, &f.sub("note")));
            if let (
                Some(id),
                Some(source),
                Some(date),
                Some(probability),
                Some(question),
                Some(event),
                Some(horizon),
                Some(about),
                Some(matching),
            ) = (
                id,
                source,
                date,
                probability,
                question,
                event,
                horizon,
                ab,
                matching,
            ) {
                if let Some(other) = forecasts.iter().find(|x| {
                    x.source == source && x.about == about && x.horizon == horizon && x.date == date
                }) {
                    sink.error(
                        it.at,
                        &f.sub("date"),
                        format!(
                            "the same forecaster, event, horizon and date as forecast `{}`: one forecast would count twice",
                            other.id
                        ),
                    );
                    continue;
                }
                forecasts.push(ExternalForecast {
                    id,
                    source,
                    date,
                    probability,
                    question,
                    event,
                    horizon,
                    about,
                    matching,
                    note,
                });
            }
        }
    }
    let mut unscored = Vec::new();
    if let Some(n) = top.get("unscored") {
        for (i, it) in array(sink, n, "unscored").unwrap_or(&[]).iter().enumerate() {
            let p = format!("unscored[{i}]");
            let Some(f) = table(sink, it, &p, &["source", "quote", "reason"]) else {
                continue;
            };
            let source = source_of(sink, &f, &ids);
            let quote = req_string(sink, &f, "quote");
            let reason = req_string(sink, &f, "reason");
            if let (Some(source), Some(quote), Some(reason)) = (source, quote, reason) {
                unscored.push(Unscored {
                    source,
                    quote,
                    reason,
                });
            }
        }
    }
    Some(Claims {
        scenario: scenario?,
        sources: srcs,
        claims: out,
        forecasts,
        unscored,
    })
}
