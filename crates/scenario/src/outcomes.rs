//! Loading an outcomes file (`*.outcomes.toml`): what happened on each issue of a scenario, read
//! at a stated horizon date, each entry with its evidence.
//!
//! Events (`[[events]]`, what sources' claims are scored on) say whether they happened
//! (`occurred`, with the `date` when they did) or why they cannot be resolved from
//! well-established facts (`unresolved = "reason"`). Their support is verbatim quotes
//! (`evidence = [{ source, quote }]`) and/or dated sources cited without a quote
//! (`reported = [{ source, says }]`, `says` being a paraphrase, never presented as a quote).

use crate::diag::{LoadError, Sink};
use crate::load::{evidence, parse_with, read_file, sources, version};
use crate::model::*;
use crate::node;
use crate::read::*;
use std::collections::HashMap;

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
                if let Some(e) = event(sink, it, i, &srcs, &ids, horizon) {
                    if events.iter().any(|x: &EventOutcome| x.id == e.id) {
                        sink.error(
                            it.at,
                            &format!("events[{i}].id"),
                            format!("duplicate event id `{}`", e.id),
                        );
                        continue;
                    }
                    events.push(e);
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

/// One `[[events]]` entry.
fn event(
    sink: &mut Sink,
    it: &node::Node,
    i: usize,
    srcs: &[Source],
    ids: &HashMap<String, usize>,
    horizon: Option<Date>,
) -> Option<EventOutcome> {
    let p = format!("events[{i}]");
    let f = table(
        sink,
        it,
        &p,
        &[
            "id",
            "description",
            "occurred",
            "unresolved",
            "date",
            "evidence",
            "reported",
            "assumed",
            "note",
        ],
    )?;
    let id = req_string(sink, &f, "id");
    let description = req_string(sink, &f, "description");
    let occurred = match f.get("occurred") {
        None => Some(None),
        Some(n) => match n.kind {
            node::Kind::Bool(b) => Some(Some(b)),
            _ => {
                sink.error(n.at, &f.sub("occurred"), "expected true or false");
                None
            }
        },
    };
    let unresolved = f
        .get("unresolved")
        .and_then(|n| nonempty(sink, n, &f.sub("unresolved")));
    match (f.get("occurred"), f.get("unresolved")) {
        (None, None) => sink.error(
            it.at,
            &f.sub("occurred"),
            "say whether the event happened (`occurred = true` or `false`) or why it cannot be resolved (`unresolved = \"reason\"`)",
        ),
        (Some(_), Some(u)) => sink.error(
            u.at,
            &f.sub("unresolved"),
            "give either `occurred` or `unresolved`, not both",
        ),
        _ => {}
    }
    let date = f.get("date").and_then(|n| date(sink, n, &f.sub("date")));
    if let (Some(Some(true)), None) = (occurred, f.get("date")) {
        sink.error(
            it.at,
            &f.sub("date"),
            "an event that happened needs the `date` it happened (claims are scored by their horizon)",
        );
    }
    if let (Some(d), Some(h)) = (date, horizon) {
        if d > h {
            let at = f.get("date").map_or(it.at, |n| n.at);
            sink.error(
                at,
                &f.sub("date"),
                format!("event dated {d}, after the horizon {h}"),
            );
        }
    }
    let note = f.get("note").and_then(|n| string(sink, n, &f.sub("note")));
    let ev = evidence(sink, &f, srcs, ids, horizon, false);
    let mut reported = Vec::new();
    let mut reported_ok = true;
    if let Some(n) = f.get("reported") {
        let path = f.sub("reported");
        for (j, r) in array(sink, n, &path).unwrap_or(&[]).iter().enumerate() {
            let rp = format!("{path}[{j}]");
            let Some(q) = table(sink, r, &rp, &["source", "says"]) else {
                reported_ok = false;
                continue;
            };
            let src = req_string(sink, &q, "source");
            let says = req_string(sink, &q, "says");
            let (Some(src), Some(says)) = (src, says) else {
                reported_ok = false;
                continue;
            };
            let at = q.get("source").map_or(r.at, |n| n.at);
            match ids.get(&src) {
                None => {
                    sink.error(at, &q.sub("source"), format!("unknown source `{src}`"));
                    reported_ok = false;
                }
                Some(&k) => {
                    if let Some(h) = horizon {
                        if srcs[k].date > h {
                            sink.error(
                                at,
                                &q.sub("source"),
                                format!(
                                    "source `{src}` is dated {}, after the horizon {h}",
                                    srcs[k].date
                                ),
                            );
                            reported_ok = false;
                            continue;
                        }
                    }
                    reported.push(Reported { source: k, says });
                }
            }
        }
    }
    let has_support =
        f.get("evidence").is_some() || f.get("assumed").is_some() || f.get("reported").is_some();
    if !has_support && f.get("unresolved").is_none() {
        sink.error(
            it.at,
            &f.sub("evidence"),
            "missing evidence: give quotes (`evidence = [{ source, quote }]`) or dated sources without a quote (`reported = [{ source, says }]`)",
        );
        return None;
    }
    let ev_ok = ev.is_some() || (f.get("evidence").is_none() && f.get("assumed").is_none());
    if !(ev_ok && reported_ok) {
        return None;
    }
    Some(EventOutcome {
        id: id?,
        description: description?,
        occurred: occurred?,
        unresolved,
        date,
        evidence: ev,
        reported,
        note,
    })
}

impl Outcomes {
    /// Checks the outcomes against their scenario: the scenario id, every issue and crisis id
    /// known, values on the issue's scale. Returns a message per problem.
    pub fn check_against(&self, sc: &Scenario) -> Vec<String> {
        let mut errs: Vec<String> = self
            .issues_not_in(sc)
            .iter()
            .map(|i| format!("outcome for unknown issue `{i}`"))
            .collect();
        errs.extend(self.check_for_scoring(sc));
        errs
    }

    /// The checks for scoring one version of a scenario: like [`Outcomes::check_against`], except
    /// that an outcome for an issue this version does not have is not an error (a frozen, earlier
    /// version of a scenario is scored with the outcomes file of its later, extended version;
    /// [`Outcomes::issues_not_in`] lists them, and the backtest reports them as not scored).
    pub fn check_for_scoring(&self, sc: &Scenario) -> Vec<String> {
        let mut errs = Vec::new();
        if self.scenario != sc.id {
            errs.push(format!(
                "outcomes are for scenario `{}`, not `{}`",
                self.scenario, sc.id
            ));
        }
        for o in &self.issues {
            if let Some(k) = sc.issue_index(&o.issue) {
                let is = &sc.issues[k];
                if o.value < is.min || o.value > is.max {
                    errs.push(format!(
                        "outcome {} for issue `{}` is outside its scale [{}, {}]",
                        o.value, o.issue, is.min, is.max
                    ));
                }
            }
        }
        for c in &self.crises {
            if !sc.crises.iter().any(|x| x.id == c.crisis) {
                errs.push(format!("outcome for unknown crisis `{}`", c.crisis));
            }
        }
        errs
    }

    /// The issues with an outcome that the scenario does not have.
    pub fn issues_not_in(&self, sc: &Scenario) -> Vec<String> {
        self.issues
            .iter()
            .filter(|o| sc.issue_index(&o.issue).is_none())
            .map(|o| o.issue.clone())
            .collect()
    }

    /// The outcome value for an issue id.
    pub fn value_of(&self, issue: &str) -> Option<f64> {
        self.issues
            .iter()
            .find(|o| o.issue == issue)
            .map(|o| o.value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "brink = 1\nscenario = \"x\"\nhorizon = 2024-12-31\nissues = []\n\
                        [[sources]]\nid = \"s\"\ncitation = \"c\"\ndate = 2022-03-01\n";

    fn load(events: &str) -> Result<Outcomes, LoadError> {
        load_outcomes_str(&format!("{HEAD}{events}"), "o.toml")
    }

    #[test]
    fn events_happened_did_not_or_are_unresolved_with_a_reason() {
        let o = load(
            "[[events]]\nid = \"a\"\ndescription = \"d\"\noccurred = true\ndate = 2022-02-24\n\
             reported = [{ source = \"s\", says = \"what the source reports\" }]\n\
             [[events]]\nid = \"b\"\ndescription = \"d\"\nunresolved = \"no well-established record\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(o.events[0].occurred, Some(true));
        assert_eq!(o.events[0].reported[0].says, "what the source reports");
        assert!(o.events[0].evidence.is_none());
        assert_eq!(o.events[1].occurred, None);
        assert_eq!(
            o.events[1].unresolved.as_deref(),
            Some("no well-established record")
        );
    }

    #[test]
    fn bad_events_name_line_and_field() {
        let e = load("[[events]]\nid = \"a\"\ndescription = \"d\"\noccurred = true\nreported = [{ source = \"s\", says = \"x\" }]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("o.toml:9:1: events[0].date: an event that happened needs the `date`"),
            "{e}"
        );
        let e = load("[[events]]\nid = \"a\"\ndescription = \"d\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("events[0].occurred: say whether the event happened"),
            "{e}"
        );
        let e = load(
            "[[events]]\nid = \"a\"\ndescription = \"d\"\noccurred = false\nunresolved = \"r\"\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("o.toml:13:14: events[0].unresolved: give either"),
            "{e}"
        );
        let e = load("[[events]]\nid = \"a\"\ndescription = \"d\"\noccurred = false\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("events[0].evidence: missing evidence"), "{e}");
        let e = load("[[events]]\nid = \"a\"\ndescription = \"d\"\noccurred = false\nreported = [{ source = \"t\", says = \"x\" }]\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("o.toml:13:24: events[0].reported[0].source: unknown source `t`"),
            "{e}"
        );
    }
}
