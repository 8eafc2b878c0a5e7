//! Loading an outcomes file (`*.outcomes.toml`): what happened on each issue of a scenario, read
//! at a stated horizon date, each entry with its evidence.

use crate::diag::{LoadError, Sink};
use crate::load::{evidence, parse_with, read_file, sources, version};
use crate::model::*;
use crate::node;
use crate::read::*;

/// Loads an outcomes file from disk.
pub fn load_outcomes_file(path: &std::path::Path) -> Result<Outcomes, LoadError> {
    load_outcomes_str(&read_file(path)?, &path.display().to_string())
}

/// Loads an outcomes file from TOML text.
pub fn load_outcomes_str(text: &str, file: &str) -> Result<Outcomes, LoadError> {
    parse_with(text, file, outcomes)
}

fn outcomes(sink: &mut Sink, root: &node::Node) -> Option<Outcomes> {
    let top = table(
        sink,
        root,
        "",
        &[
            "brink", "scenario", "horizon", "sources", "issues", "crises", "events",
        ],
    )?;
    version(sink, &top);
    let scenario = req_string(sink, &top, "scenario");
    let horizon = required(sink, &top, "horizon").and_then(|n| date(sink, n, "horizon"));
    let (srcs, ids) = sources(sink, &top);
    let mut issues = Vec::new();
    if let Some(n) = required(sink, &top, "issues") {
        if let Some(items) = array(sink, n, "issues") {
            for (i, it) in items.iter().enumerate() {
                let path = format!("issues[{i}]");
                let Some(f) = table(
                    sink,
                    it,
                    &path,
                    &["issue", "value", "date", "evidence", "assumed", "note"],
                ) else {
                    continue;
                };
                let issue = req_string(sink, &f, "issue");
                let value =
                    required(sink, &f, "value").and_then(|n| number(sink, n, &f.sub("value")));
                let date = f.get("date").and_then(|n| date(sink, n, &f.sub("date")));
                if let Some(n) = f.get("note") {
                    string(sink, n, &f.sub("note"));
                }
                let ev = evidence(sink, &f, &srcs, &ids, horizon, true);
                if let (Some(d), Some(h)) = (date, horizon) {
                    if d > h {
                        let at = f.get("date").map_or(it.at, |n| n.at);
                        sink.error(
                            at,
                            &f.sub("date"),
                            format!("outcome dated {d}, after the horizon {h}"),
                        );
                    }
                }
                if let (Some(issue), Some(value), Some(evidence)) = (issue, value, ev) {
                    if issues.iter().any(|o: &IssueOutcome| o.issue == issue) {
                        sink.error(
                            it.at,
                            &f.sub("issue"),
                            format!("duplicate outcome for issue `{issue}`"),
                        );
                        continue;
                    }
                    issues.push(IssueOutcome {
                        issue,
                        value,
                        date,
                        evidence,
                    });
                }
            }
        }
    }
    let mut crises = Vec::new();
    if let Some(n) = top.get("crises") {
        if let Some(items) = array(sink, n, "crises") {
            for (i, it) in items.iter().enumerate() {
                let p = format!("crises[{i}]");
                let Some(f) = table(
                    sink,
                    it,
                    &p,
                    &["crisis", "outcome", "date", "evidence", "assumed", "note"],
                ) else {
                    continue;
                };
                let crisis = req_string(sink, &f, "crisis");
                let outcome = req_string(sink, &f, "outcome");
                let date = f.get("date").and_then(|n| date(sink, n, &f.sub("date")));
                if let Some(n) = f.get("note") {
                    string(sink, n, &f.sub("note"));
                }
                let ev = evidence(sink, &f, &srcs, &ids, horizon, true);
                if let (Some(crisis), Some(outcome), Some(evidence)) = (crisis, outcome, ev) {
                    crises.push(CrisisOutcome {
                        crisis,
                        outcome,
                        date,
                        evidence,
                    });
                }
            }
        }
    }
    let mut events = Vec::new();
    if let Some(n) = top.get("events") {
        if let Some(items) = array(sink, n, "events") {
            for (i, it) in items.iter().enumerate() {
                let p = format!("events[{i}]");
                let Some(f) = table(
                    sink,
                    it,
                    &p,
                    &[
                        "id",
                        "description",
                        "occurred",
                        "date",
                        "evidence",
                        "assumed",
                        "note",
                    ],
                ) else {
                    continue;
                };
                let id = req_string(sink, &f, "id");
                let description = req_string(sink, &f, "description");
                let occurred = required(sink, &f, "occurred").and_then(|n| match n.kind {
                    crate::node::Kind::Bool(b) => Some(b),
                    _ => {
                        sink.error(n.at, &f.sub("occurred"), "expected true or false");
                        None
                    }
                });
                let date = f.get("date").and_then(|n| date(sink, n, &f.sub("date")));
                if let Some(n) = f.get("note") {
                    string(sink, n, &f.sub("note"));
                }
                let ev = evidence(sink, &f, &srcs, &ids, horizon, true);
                if let (Some(id), Some(description), Some(occurred), Some(evidence)) =
                    (id, description, occurred, ev)
                {
                    events.push(EventOutcome {
                        id,
                        description,
                        occurred,
                        date,
                        evidence,
                    });
                }
            }
        }
    }
    Some(Outcomes {
        scenario: scenario?,
        horizon: horizon?,
        sources: srcs,
        issues,
        crises,
        events,
    })
}

impl Outcomes {
    /// Checks the outcomes against their scenario: the scenario id, every issue id known, values
    /// on the issue's scale. Returns a message per problem.
    pub fn check_against(&self, sc: &Scenario) -> Vec<String> {
        let mut errs = Vec::new();
        if self.scenario != sc.id {
            errs.push(format!(
                "outcomes are for scenario `{}`, not `{}`",
                self.scenario, sc.id
            ));
        }
        for o in &self.issues {
            match sc.issue_index(&o.issue) {
                None => errs.push(format!("outcome for unknown issue `{}`", o.issue)),
                Some(k) => {
                    let is = &sc.issues[k];
                    if o.value < is.min || o.value > is.max {
                        errs.push(format!(
                            "outcome {} for issue `{}` is outside its scale [{}, {}]",
                            o.value, o.issue, is.min, is.max
                        ));
                    }
                }
            }
        }
        errs
    }

    /// The outcome value for an issue id.
    pub fn value_of(&self, issue: &str) -> Option<f64> {
        self.issues
            .iter()
            .find(|o| o.issue == issue)
            .map(|o| o.value)
    }
}
