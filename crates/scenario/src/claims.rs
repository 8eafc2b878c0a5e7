//! Claims: forecasts that sources state in words (`*.claims.toml`), to be scored like brink's.
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
//! about = { crisis = "standoff", outcome = "war" }   # or { event = "ID" }
//! negated = false                 # true: the words give the probability that it does NOT happen
//! reading = "how the words were read"
//! ```

use crate::diag::{LoadError, Sink};
use crate::load::{parse_with, sources, version};
use crate::model::*;
use crate::node;
use crate::read::*;
use serde::Serialize;

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
    /// What it forecasts.
    pub about: About,
    /// Whether the words give the probability that it does not happen.
    pub negated: bool,
    /// How the words were read.
    pub reading: String,
}

/// A claims file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Claims {
    /// The scenario.
    pub scenario: String,
    /// Sources.
    pub sources: Vec<Source>,
    /// Claims.
    pub claims: Vec<Claim>,
}

/// Loads a claims file from TOML text.
pub fn load_claims_str(text: &str, file: &str) -> Result<Claims, LoadError> {
    parse_with(text, file, claims)
}

fn claims(sink: &mut Sink, root: &node::Node) -> Option<Claims> {
    let top = table(sink, root, "", &["brink", "scenario", "sources", "claims"])?;
    version(sink, &top);
    let scenario = req_string(sink, &top, "scenario");
    let (srcs, ids) = sources(sink, &top);
    let mut out = Vec::new();
    if let Some(n) = required(sink, &top, "claims") {
        if let Some(items) = array(sink, n, "claims") {
            for (i, it) in items.iter().enumerate() {
                let p = format!("claims[{i}]");
                let Some(f) = table(
                    sink,
                    it,
                    &p,
                    &[
                        "id", "source", "date", "quote", "words", "about", "negated", "reading",
                    ],
                ) else {
                    continue;
                };
                let id = req_string(sink, &f, "id");
                let source = required(sink, &f, "source").and_then(|n| {
                    let s = nonempty(sink, n, &f.sub("source"))?;
                    let k = ids.get(&s).copied();
                    if k.is_none() {
                        sink.error(n.at, &f.sub("source"), format!("unknown source `{s}`"));
                    }
                    k
                });
                let date = required(sink, &f, "date").and_then(|n| date(sink, n, &f.sub("date")));
                if let (Some(k), Some(d)) = (source, date) {
                    if d < srcs[k].date {
                        let at = f.get("date").map_or(it.at, |n| n.at);
                        sink.error(
                            at,
                            &f.sub("date"),
                            format!(
                                "the claim is dated {d}, before its source ({})",
                                srcs[k].date
                            ),
                        );
                    }
                }
                let quote = req_string(sink, &f, "quote");
                let words = req_string(sink, &f, "words");
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
                let about = required(sink, &f, "about").and_then(|n| {
                    let t = table(sink, n, &f.sub("about"), &["crisis", "outcome", "event"])?;
                    match (t.get("crisis"), t.get("outcome"), t.get("event")) {
                        (Some(c), Some(o), None) => Some(About::Crisis {
                            crisis: nonempty(sink, c, &t.sub("crisis"))?,
                            outcome: nonempty(sink, o, &t.sub("outcome"))?,
                        }),
                        (None, None, Some(e)) => Some(About::Event(nonempty(sink, e, &t.sub("event"))?)),
                        _ => {
                            sink.error(n.at, &f.sub("about"), "give { crisis = \"ID\", outcome = \"CLASS\" } or { event = \"ID\" }");
                            None
                        }
                    }
                });
                if let (
                    Some(id),
                    Some(source),
                    Some(date),
                    Some(quote),
                    Some(words),
                    Some(about),
                    Some(negated),
                    Some(reading),
                ) = (id, source, date, quote, words, about, negated, reading)
                {
                    out.push(Claim {
                        id,
                        source,
                        date,
                        quote,
                        words,
                        about,
                        negated,
                        reading,
                    });
                }
            }
        }
    }
    Some(Claims {
        scenario: scenario?,
        sources: srcs,
        claims: out,
    })
}
