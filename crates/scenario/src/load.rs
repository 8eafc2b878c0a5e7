//! Loading and validating a scenario file (TOML) into a [`Scenario`].
//!
//! Two passes: parse the text into a node tree (syntax errors stop here, with their line), then
//! walk the tree, reading and checking each field. Every problem is recorded with its file, line,
//! column and field path; a scenario is returned only when there are none. No input panics.

use std::collections::HashMap;

use crate::diag::{LoadError, Sink};
use crate::model::*;
use crate::node::{self, Kind, Node};
use crate::read::*;

const TOP_KEYS: &[&str] = &[
    "brink", "scenario", "sources", "actors", "issues", "stances",
];
const SCENARIO_KEYS: &[&str] = &["id", "title", "as_of", "question", "description"];
const SOURCE_KEYS: &[&str] = &["id", "citation", "date", "reliability", "url", "note"];
const ACTOR_KEYS: &[&str] = &["id", "name", "power", "evidence", "assumed", "note"];
const ISSUE_KEYS: &[&str] = &[
    "id",
    "name",
    "scale",
    "points",
    "status_quo",
    "evidence",
    "assumed",
    "description",
    "meta",
];
const STANCE_KEYS: &[&str] = &[
    "actor", "issue", "position", "salience", "power", "evidence", "assumed", "note",
];

/// Loads a scenario from a file on disk.
pub fn load_file(path: &std::path::Path) -> Result<Scenario, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|e| LoadError::Io {
        file: path.display().to_string(),
        reason: e.to_string(),
    })?;
    load_str(&text, &path.display().to_string())
}

/// Loads a scenario from TOML text; `file` names it in messages.
pub fn load_str(text: &str, file: &str) -> Result<Scenario, LoadError> {
    let mut sink = Sink::new(file, text);
    let root = match node::parse(text) {
        Ok(n) => n,
        Err((at, msg)) => {
            sink.error(at, "", msg);
            return Err(LoadError::Invalid(sink.finish()));
        }
    };
    let sc = scenario(&mut sink, &root);
    match sc {
        Some(s) if sink.is_empty() => Ok(s),
        _ => Err(LoadError::Invalid(sink.finish())),
    }
}

/// Checks the `brink = 1` format version.
pub(crate) fn version(sink: &mut Sink, top: &Fields<'_>) {
    if let Some(n) = required(sink, top, "brink") {
        match n.kind {
            Kind::Int(FORMAT_VERSION) => {}
            Kind::Int(v) => sink.error(
                n.at,
                "brink",
                format!("format version {v} is not supported: this build reads version {FORMAT_VERSION}"),
            ),
            _ => sink.error(n.at, "brink", format!("expected the format version (an integer, {FORMAT_VERSION})")),
        }
    }
}

/// Reads `[[sources]]` into sources and an id map; duplicates are reported.
pub(crate) fn sources(sink: &mut Sink, top: &Fields<'_>) -> (Vec<Source>, HashMap<String, usize>) {
    let mut out = Vec::new();
    let mut ids = HashMap::new();
    let Some(n) = top.get("sources") else {
        return (out, ids);
    };
    let Some(items) = array(sink, n, "sources") else {
        return (out, ids);
    };
    for (i, it) in items.iter().enumerate() {
        let path = format!("sources[{i}]");
        let Some(f) = table(sink, it, &path, SOURCE_KEYS) else {
            continue;
        };
        let id = req_string(sink, &f, "id");
        let citation = req_string(sink, &f, "citation");
        let date = required(sink, &f, "date").and_then(|n| date(sink, n, &f.sub("date")));
        let reliability = f
            .get("reliability")
            .and_then(|n| number_in(sink, n, &f.sub("reliability"), Range::closed(0.0, 1.0)));
        if let Some(n) = f.get("url") {
            string(sink, n, &f.sub("url"));
        }
        if let Some(n) = f.get("note") {
            string(sink, n, &f.sub("note"));
        }
        if let (Some(id), Some(citation), Some(date)) = (id, citation, date) {
            if ids.contains_key(&id) {
                let at = f.get("id").map_or(it.at, |n| n.at);
                sink.error(at, &f.sub("id"), format!("duplicate source id `{id}`"));
                continue;
            }
            ids.insert(id.clone(), out.len());
            out.push(Source {
                id,
                citation,
                date,
                reliability,
            });
        }
    }
    (out, ids)
}

/// Reads the evidence of a table: `evidence = [{ source, quote }, ...]` or `assumed = "reason"`.
/// `cutoff`: sources dated after it may not be used.
pub(crate) fn evidence(
    sink: &mut Sink,
    f: &Fields<'_>,
    sources: &[Source],
    ids: &HashMap<String, usize>,
    cutoff: Option<Date>,
    required_here: bool,
) -> Option<Evidence> {
    let ev = f.get("evidence");
    let assumed = f.get("assumed");
    match (ev, assumed) {
        (Some(_), Some(a)) => {
            sink.error(
                a.at,
                &f.sub("assumed"),
                "give either `evidence` (quotes) or `assumed` (a reason), not both",
            );
            None
        }
        (None, None) => {
            if required_here {
                sink.error(f.node.at, &f.sub("evidence"), "missing evidence: give `evidence = [{ source = \"...\", quote = \"...\" }]` or `assumed = \"the reason\"`");
            }
            None
        }
        (None, Some(a)) => {
            let reason = nonempty(sink, a, &f.sub("assumed"))?;
            Some(Evidence::Assumed(reason))
        }
        (Some(e), None) => {
            let path = f.sub("evidence");
            let items = array(sink, e, &path)?;
            if items.is_empty() {
                sink.error(
                    e.at,
                    &path,
                    "evidence is empty: give at least one quote, or `assumed` with a reason",
                );
                return None;
            }
            let mut quotes = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let p = format!("{path}[{i}]");
                let Some(q) = table(sink, it, &p, &["source", "quote"]) else {
                    continue;
                };
                let src = req_string(sink, &q, "source");
                let quote = req_string(sink, &q, "quote");
                let (Some(src), Some(quote)) = (src, quote) else {
                    continue;
                };
                let at = q.get("source").map_or(it.at, |n| n.at);
                match ids.get(&src) {
                    None => sink.error(
                        at,
                        &q.sub("source"),
                        format!(
                            "unknown source `{src}`{}",
                            suggest(&src, &ids.keys().map(|s| s.as_str()).collect::<Vec<_>>())
                        ),
                    ),
                    Some(&k) => {
                        if let Some(c) = cutoff {
                            if sources[k].date > c {
                                sink.error(at, &q.sub("source"), format!("source `{src}` is dated {} , after the information cut-off {c}: it cannot inform this input", sources[k].date).replace(" ,", ","));
                                continue;
                            }
                        }
                        quotes.push(Quote { source: k, quote });
                    }
                }
            }
            (quotes.len() == items.len()).then_some(Evidence::Quotes(quotes))
        }
    }
}

fn scenario(sink: &mut Sink, root: &Node) -> Option<Scenario> {
    let top = table(sink, root, "", TOP_KEYS)?;
    version(sink, &top);

    let head =
        required(sink, &top, "scenario").and_then(|n| table(sink, n, "scenario", SCENARIO_KEYS));
    let (mut id, mut title, mut as_of, mut question) = (None, None, None, None);
    if let Some(h) = &head {
        id = req_string(sink, h, "id");
        title = req_string(sink, h, "title");
        as_of = required(sink, h, "as_of").and_then(|n| date(sink, n, "scenario.as_of"));
        question = req_string(sink, h, "question");
        if let Some(n) = h.get("description") {
            string(sink, n, "scenario.description");
        }
    }

    let (sources, source_ids) = sources(sink, &top);

    // Actors.
    let mut actors = Vec::new();
    let mut actor_ids: HashMap<String, usize> = HashMap::new();
    match top.get("actors") {
        None => sink.error(
            root.at,
            "actors",
            "the scenario has no actors: add at least one [[actors]] table",
        ),
        Some(n) => {
            if let Some(items) = array(sink, n, "actors") {
                if items.is_empty() {
                    sink.error(n.at, "actors", "the scenario has no actors");
                }
                for (i, it) in items.iter().enumerate() {
                    let path = format!("actors[{i}]");
                    let Some(f) = table(sink, it, &path, ACTOR_KEYS) else {
                        continue;
                    };
                    let aid = req_string(sink, &f, "id");
                    let name = req_string(sink, &f, "name");
                    let power = required(sink, &f, "power")
                        .and_then(|n| uncertain(sink, n, &f.sub("power"), Range::positive()));
                    let ev = evidence(sink, &f, &sources, &source_ids, as_of, false);
                    if let Some(n) = f.get("note") {
                        string(sink, n, &f.sub("note"));
                    }
                    // An actor with a valid id is registered even if another field is wrong, so
                    // that stances naming it are not also reported (the load fails anyway).
                    if let Some(aid) = aid {
                        if actor_ids.contains_key(&aid) {
                            let at = f.get("id").map_or(it.at, |n| n.at);
                            sink.error(at, &f.sub("id"), format!("duplicate actor id `{aid}`"));
                            continue;
                        }
                        actor_ids.insert(aid.clone(), actors.len());
                        let name = name.unwrap_or_else(|| aid.clone());
                        let power = power.unwrap_or_else(|| Uncertain::fixed(1.0));
                        actors.push(Actor {
                            id: aid,
                            name,
                            power,
                            evidence: ev,
                        });
                    }
                }
            }
        }
    }

    // Issues.
    let mut issues = Vec::new();
    let mut issue_ids: HashMap<String, usize> = HashMap::new();
    let mut broken_issues: std::collections::HashSet<String> = Default::default();
    match top.get("issues") {
        None => sink.error(
            root.at,
            "issues",
            "the scenario has no issues: add at least one [[issues]] table",
        ),
        Some(n) => {
            if let Some(items) = array(sink, n, "issues") {
                if items.is_empty() {
                    sink.error(n.at, "issues", "the scenario has no issues");
                }
                for (i, it) in items.iter().enumerate() {
                    let path = format!("issues[{i}]");
                    let Some(f) = table(sink, it, &path, ISSUE_KEYS) else {
                        continue;
                    };
                    match issue(sink, &f, &sources, &source_ids, as_of) {
                        Ok(is) => {
                            if issue_ids.contains_key(&is.id) || broken_issues.contains(&is.id) {
                                let at = f.get("id").map_or(it.at, |n| n.at);
                                sink.error(
                                    at,
                                    &f.sub("id"),
                                    format!("duplicate issue id `{}`", is.id),
                                );
                                continue;
                            }
                            issue_ids.insert(is.id.clone(), issues.len());
                            issues.push(is);
                        }
                        // Known but invalid: stances naming it are not also reported.
                        Err(Some(id)) => {
                            broken_issues.insert(id);
                        }
                        Err(None) => {}
                    }
                }
            }
        }
    }

    // Stances.
    let mut stances: Vec<Stance> = Vec::new();
    match top.get("stances") {
        None => sink.error(root.at, "stances", "the scenario has no stances: add [[stances]] tables (actor, issue, position, salience, evidence)"),
        Some(n) => {
            if let Some(items) = array(sink, n, "stances") {
                if items.is_empty() {
                    sink.error(n.at, "stances", "the scenario has no stances");
                }
                for (i, it) in items.iter().enumerate() {
                    let path = format!("stances[{i}]");
                    let Some(f) = table(sink, it, &path, STANCE_KEYS) else { continue };
                    if let Some(st) = stance(sink, &f, &actor_ids, &issue_ids,
                        &broken_issues, &issues, &sources, &source_ids, as_of) {
                        if stances.iter().any(|s| s.actor == st.actor && s.issue == st.issue) {
                            sink.error(it.at, &path, format!("duplicate stance: actor `{}` already has a stance on issue `{}`", actors[st.actor].id, issues[st.issue].id));
                            continue;
                        }
                        stances.push(st);
                    }
                }
            }
        }
    }

    Some(Scenario {
        id: id?,
        title: title?,
        as_of: as_of?,
        question: question?,
        sources,
        actors,
        issues,
        stances,
    })
}

fn issue(
    sink: &mut Sink,
    f: &Fields<'_>,
    sources: &[Source],
    ids: &HashMap<String, usize>,
    as_of: Option<Date>,
) -> Result<Issue, Option<String>> {
    let id = req_string(sink, f, "id");
    let name = req_string(sink, f, "name");
    if let Some(n) = f.get("description") {
        string(sink, n, &f.sub("description"));
    }
    let scale = required(sink, f, "scale").and_then(|n| {
        let t = table(sink, n, &f.sub("scale"), &["min", "max"])?;
        let lo = required(sink, &t, "min").and_then(|n| number(sink, n, &t.sub("min")));
        let hi = required(sink, &t, "max").and_then(|n| number(sink, n, &t.sub("max")));
        let (lo, hi) = (lo?, hi?);
        if lo >= hi {
            sink.error(
                n.at,
                &f.sub("scale"),
                format!("needs min < max, found min = {lo}, max = {hi}"),
            );
            return None;
        }
        Some((lo, hi))
    });
    let mut points = Vec::new();
    let pts_node = required(sink, f, "points");
    if let (Some(n), Some((lo, hi))) = (pts_node, scale) {
        let pp = f.sub("points");
        if let Some(items) = array(sink, n, &pp) {
            for (i, it) in items.iter().enumerate() {
                let p = format!("{pp}[{i}]");
                let Some(t) = table(sink, it, &p, &["at", "label"]) else {
                    continue;
                };
                let at = required(sink, &t, "at")
                    .and_then(|x| number_in(sink, x, &t.sub("at"), Range::closed(lo, hi)));
                let label = req_string(sink, &t, "label");
                if let (Some(at), Some(label)) = (at, label) {
                    if points.iter().any(|q: &ScalePoint| q.at == at) {
                        sink.error(it.at, &t.sub("at"), format!("two labels at {at}"));
                        continue;
                    }
                    points.push(ScalePoint { at, label });
                }
            }
            if !points.iter().any(|p| p.at == lo) || !points.iter().any(|p| p.at == hi) {
                sink.error(
                    n.at,
                    &pp,
                    format!("both ends of the scale need a label (at = {lo} and at = {hi})"),
                );
            }
            points.sort_by(|a, b| a.at.total_cmp(&b.at));
        }
    }
    let status_quo = match (f.get("status_quo"), scale) {
        (Some(n), Some((lo, hi))) => {
            uncertain(sink, n, &f.sub("status_quo"), Range::closed(lo, hi))
        }
        _ => None,
    };
    let ev = evidence(sink, f, sources, ids, as_of, false);
    let mut meta = Vec::new();
    if let Some(n) = f.get("meta") {
        if let Kind::Table(entries) = &n.kind {
            for e in entries {
                if let Some(v) = string(sink, &e.node, &join(&f.sub("meta"), &e.key)) {
                    meta.push((e.key.clone(), v));
                }
            }
        } else {
            sink.error(
                n.at,
                &f.sub("meta"),
                format!("expected a table of strings, found {}", n.type_name()),
            );
        }
    }
    let sq_bad = f.get("status_quo").is_some() && status_quo.is_none();
    match (id, name, scale) {
        (Some(id), Some(name), Some((lo, hi))) if !sq_bad => Ok(Issue {
            id,
            name,
            min: lo,
            max: hi,
            points,
            status_quo,
            status_quo_evidence: ev,
            meta,
        }),
        (id, ..) => Err(id),
    }
}

#[allow(clippy::too_many_arguments)]
fn stance(
    sink: &mut Sink,
    f: &Fields<'_>,
    actor_ids: &HashMap<String, usize>,
    issue_ids: &HashMap<String, usize>,
    broken_issues: &std::collections::HashSet<String>,
    issues: &[Issue],
    sources: &[Source],
    source_ids: &HashMap<String, usize>,
    as_of: Option<Date>,
) -> Option<Stance> {
    let actor = required(sink, f, "actor").and_then(|n| {
        let s = nonempty(sink, n, &f.sub("actor"))?;
        let k = actor_ids.get(&s).copied();
        if k.is_none() {
            let known: Vec<&str> = actor_ids.keys().map(|s| s.as_str()).collect();
            sink.error(
                n.at,
                &f.sub("actor"),
                format!("unknown actor `{s}`{}", suggest(&s, &known)),
            );
        }
        k
    });
    let issue = required(sink, f, "issue").and_then(|n| {
        let s = nonempty(sink, n, &f.sub("issue"))?;
        let k = issue_ids.get(&s).copied();
        if k.is_none() && !broken_issues.contains(&s) {
            let known: Vec<&str> = issue_ids.keys().map(|s| s.as_str()).collect();
            sink.error(
                n.at,
                &f.sub("issue"),
                format!("unknown issue `{s}`{}", suggest(&s, &known)),
            );
        }
        k
    });
    let position = match (f.get("position"), issue) {
        (None, _) => {
            required(sink, f, "position");
            None
        }
        (Some(n), Some(k)) => uncertain(
            sink,
            n,
            &f.sub("position"),
            Range::closed(issues[k].min, issues[k].max),
        ),
        (Some(n), None) => {
            number(sink, n, &f.sub("position"));
            None
        }
    };
    let salience = required(sink, f, "salience")
        .and_then(|n| uncertain(sink, n, &f.sub("salience"), Range::closed(0.0, 1.0)));
    let power = f
        .get("power")
        .and_then(|n| uncertain(sink, n, &f.sub("power"), Range::positive()));
    if let Some(n) = f.get("note") {
        string(sink, n, &f.sub("note"));
    }
    let evidence = evidence(sink, f, sources, source_ids, as_of, true);
    Some(Stance {
        actor: actor?,
        issue: issue?,
        position: position?,
        salience: salience?,
        power,
        evidence: evidence?,
    })
}
