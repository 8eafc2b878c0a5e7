//! Loading and validating a scenario file (TOML) into a [`Scenario`].
//!
//! Two passes: parse the text into a node tree (syntax errors stop here, with their line), then
//! walk the tree, reading and checking each field. Every problem is recorded with its file, line,
//! column and field path; a scenario is returned only when there are none. No input panics.

use std::collections::{HashMap, HashSet};

use crate::diag::{LoadError, Sink};
use crate::model::*;
use crate::node::{self, Kind, Node};
use crate::read::*;

const TOP_KEYS: &[&str] = &[
    "brink", "scenario", "sources", "actors", "issues", "stances", "crises", "types", "updates",
];
const CRISIS_KEYS: &[&str] = &[
    "id",
    "name",
    "challenger",
    "defender",
    "issues",
    "template",
    "rungs",
    "efg",
    "model",
    "red_lines",
    "p_win",
    "war_cost_challenger",
    "war_cost_defender",
    "first_strike_cost",
    "capitulation_cost_challenger",
    "capitulation_cost_defender",
    "audience_cost_challenger",
    "audience_cost_defender",
    "note",
    "onset",
    "mapping",
    "deal_cost_challenger",
    "deal_cost_defender",
    "sanctions_cost_challenger",
    "sanctions_cost_defender",
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
    "actor",
    "issue",
    "position",
    "salience",
    "power",
    "evidence",
    "assumed",
    "note",
    "estimates",
    "pool",
];

/// Reads a file for one of the loaders.
pub(crate) fn read_file(path: &std::path::Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|e| LoadError::Io {
        file: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Parses TOML text and reads it with `read`: the value if no problem was recorded, else every
/// diagnostic. Shared by the scenario, outcomes and claims loaders.
pub(crate) fn parse_with<T>(
    text: &str,
    file: &str,
    read: impl FnOnce(&mut Sink, &Node) -> Option<T>,
) -> Result<T, LoadError> {
    let mut sink = Sink::new(file, text);
    let root = match node::parse(text) {
        Ok(n) => n,
        Err((at, msg)) => {
            sink.error(at, "", msg);
            return Err(LoadError::Invalid(sink.finish()));
        }
    };
    match read(&mut sink, &root) {
        Some(v) if sink.is_empty() => Ok(v),
        _ => Err(LoadError::Invalid(sink.finish())),
    }
}

/// Loads a scenario from a file on disk.
pub fn load_file(path: &std::path::Path) -> Result<Scenario, LoadError> {
    load_str(&read_file(path)?, &path.display().to_string())
}

/// Loads a scenario from TOML text; `file` names it in messages.
pub fn load_str(text: &str, file: &str) -> Result<Scenario, LoadError> {
    parse_with(text, file, scenario)
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

/// The tables of a required, non-empty array of tables (`[[actors]]`, `[[issues]]`,
/// `[[stances]]`), each checked for unknown keys; a missing or empty array is reported (`hint`
/// says what to add).
fn required_tables<'n>(
    sink: &mut Sink,
    top: &Fields<'n>,
    root: &Node,
    key: &str,
    keys: &[&str],
    hint: &str,
) -> Vec<Fields<'n>> {
    let Some(n) = top.get(key) else {
        sink.error(root.at, key, hint);
        return Vec::new();
    };
    let Some(items) = array(sink, n, key) else {
        return Vec::new();
    };
    if items.is_empty() {
        sink.error(n.at, key, format!("the scenario has no {key}"));
    }
    items
        .iter()
        .enumerate()
        .filter_map(|(i, it)| table(sink, it, &format!("{key}[{i}]"), keys))
        .collect()
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
        // A source with a valid id is registered even if another field is wrong, so that quotes
        // citing it are not also reported (the load fails anyway: the placeholders below are
        // never seen).
        if let Some(id) = id {
            if ids.contains_key(&id) {
                let at = f.get("id").map_or(it.at, |n| n.at);
                sink.error(at, &f.sub("id"), format!("duplicate source id `{id}`"));
                continue;
            }
            let reliability = match (reliability, f.get("reliability")) {
                (None, Some(_)) => Some(1.0),
                (r, _) => r,
            };
            ids.insert(id.clone(), out.len());
            out.push(Source {
                id,
                citation: citation.unwrap_or_default(),
                date: date.unwrap_or(Date {
                    year: i32::MIN,
                    month: 1,
                    day: 1,
                }),
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
                    None => unknown_id(sink, at, &q.sub("source"), "source", &src, ids),
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
    let hint = "the scenario has no actors: add at least one [[actors]] table";
    for f in required_tables(sink, &top, root, "actors", ACTOR_KEYS, hint) {
        let aid = req_string(sink, &f, "id");
        let name = req_string(sink, &f, "name");
        let power = required(sink, &f, "power")
            .and_then(|n| uncertain(sink, n, &f.sub("power"), Range::positive()));
        let ev = evidence(sink, &f, &sources, &source_ids, as_of, false);
        if let Some(n) = f.get("note") {
            string(sink, n, &f.sub("note"));
        }
        // An actor with a valid id is registered even if another field is wrong, so that
        // stances naming it are not also reported (the load fails anyway).
        if let Some(aid) = aid {
            if actor_ids.contains_key(&aid) {
                let at = f.get("id").map_or(f.node.at, |n| n.at);
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

    // Issues.
    let mut issues = Vec::new();
    let mut issue_ids: HashMap<String, usize> = HashMap::new();
    let mut broken_issues: HashSet<String> = Default::default();
    let hint = "the scenario has no issues: add at least one [[issues]] table";
    for f in required_tables(sink, &top, root, "issues", ISSUE_KEYS, hint) {
        match issue(sink, &f, &sources, &source_ids, as_of) {
            Ok(is) => {
                if issue_ids.contains_key(&is.id) || broken_issues.contains(&is.id) {
                    let at = f.get("id").map_or(f.node.at, |n| n.at);
                    sink.error(at, &f.sub("id"), format!("duplicate issue id `{}`", is.id));
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

    // Stances.
    let mut stances: Vec<Stance> = Vec::new();
    let mut pairs: HashSet<(usize, usize)> = Default::default();
    let hint = "the scenario has no stances: add [[stances]] tables (actor, issue, position, salience, evidence)";
    for f in required_tables(sink, &top, root, "stances", STANCE_KEYS, hint) {
        let st = stance(
            sink,
            &f,
            &actor_ids,
            &issue_ids,
            &broken_issues,
            &issues,
            &sources,
            &source_ids,
            as_of,
        );
        if let Some(st) = st {
            if !pairs.insert((st.actor, st.issue)) {
                sink.error(
                    f.node.at,
                    &f.path,
                    format!(
                        "duplicate stance: actor `{}` already has a stance on issue `{}`",
                        actors[st.actor].id, issues[st.issue].id
                    ),
                );
                continue;
            }
            stances.push(st);
        }
    }

    let mut crises = Vec::new();
    if let Some(n) = top.get("crises") {
        if let Some(items) = array(sink, n, "crises") {
            let ctx = CrisisCtx {
                actor_ids: &actor_ids,
                issue_ids: &issue_ids,
                broken_issues: &broken_issues,
                issues: &issues,
                stances: &stances,
                sources: &sources,
                source_ids: &source_ids,
                as_of,
            };
            for (i, it) in items.iter().enumerate() {
                let path = format!("crises[{i}]");
                let Some(f) = table(sink, it, &path, CRISIS_KEYS) else {
                    continue;
                };
                if let Some(c) = crisis(sink, &f, &ctx) {
                    if crises.iter().any(|x: &Crisis| x.id == c.id) {
                        sink.error(
                            it.at,
                            &f.sub("id"),
                            format!("duplicate crisis id `{}`", c.id),
                        );
                        continue;
                    }
                    crises.push(c);
                }
            }
        }
    }

    let stance_ix: HashMap<(usize, usize), usize> = stances
        .iter()
        .enumerate()
        .map(|(j, s)| ((s.actor, s.issue), j))
        .collect();
    let cx = RevCtx {
        stance_ix: &stance_ix,
        actor_ids: &actor_ids,
        issue_ids: &issue_ids,
        broken_issues: &broken_issues,
        issues: &issues,
        sources: &sources,
        source_ids: &source_ids,
    };
    let types = top
        .get("types")
        .map(|n| types(sink, n, &cx, as_of))
        .unwrap_or_default();
    let updates = top
        .get("updates")
        .map(|n| updates(sink, n, &cx, &types, as_of))
        .unwrap_or_default();

    Some(Scenario {
        id: id?,
        title: title?,
        as_of: as_of?,
        question: question?,
        sources,
        actors,
        issues,
        stances,
        crises,
        types,
        updates,
        applied: 0,
    })
}

struct RevCtx<'a> {
    /// The stance of each (actor, issue).
    stance_ix: &'a HashMap<(usize, usize), usize>,
    actor_ids: &'a HashMap<String, usize>,
    issue_ids: &'a HashMap<String, usize>,
    broken_issues: &'a HashSet<String>,
    issues: &'a [Issue],
    sources: &'a [Source],
    source_ids: &'a HashMap<String, usize>,
}

/// Stance changes: `[{ actor, issue, position, salience }]` (`actor` fixed for a type's own).
fn stance_changes(
    sink: &mut Sink,
    f: &Fields<'_>,
    cx: &RevCtx<'_>,
    fixed_actor: Option<usize>,
) -> Vec<StanceChange> {
    let mut out = Vec::new();
    let Some(n) = f.get("stances") else {
        return out;
    };
    let path = f.sub("stances");
    let Some(items) = array(sink, n, &path) else {
        return out;
    };
    let keys: &[&str] = if fixed_actor.is_some() {
        &["issue", "position", "salience", "note"]
    } else {
        &["actor", "issue", "position", "salience", "note"]
    };
    for (i, it) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(t) = table(sink, it, &p, keys) else {
            continue;
        };
        let actor = match fixed_actor {
            Some(a) => Some(a),
            None => id_list(sink, &t, "actor", cx.actor_ids, &HashSet::new(), "actor")
                .and_then(|v| v.first().copied()),
        };
        let issue = id_list(sink, &t, "issue", cx.issue_ids, cx.broken_issues, "issue")
            .and_then(|v| v.first().copied());
        let (Some(a), Some(k)) = (actor, issue) else {
            continue;
        };
        let Some(&j) = cx.stance_ix.get(&(a, k)) else {
            sink.error(
                it.at,
                &p,
                "there is no stance of this actor on this issue to change",
            );
            continue;
        };
        let position = t.get("position").and_then(|x| {
            uncertain(
                sink,
                x,
                &t.sub("position"),
                Range::closed(cx.issues[k].min, cx.issues[k].max),
            )
        });
        let salience = t
            .get("salience")
            .and_then(|x| uncertain(sink, x, &t.sub("salience"), Range::closed(0.0, 1.0)));
        if t.get("position").is_none() && t.get("salience").is_none() {
            sink.error(
                it.at,
                &p,
                "a change gives a `position`, a `salience` or both",
            );
        }
        out.push(StanceChange {
            stance: j,
            position,
            salience,
        });
    }
    out
}

fn types(sink: &mut Sink, n: &Node, cx: &RevCtx<'_>, as_of: Option<Date>) -> Vec<ActorType> {
    let mut out: Vec<ActorType> = Vec::new();
    let Some(items) = array(sink, n, "types") else {
        return out;
    };
    for (i, it) in items.iter().enumerate() {
        let p = format!("types[{i}]");
        let Some(f) = table(
            sink,
            it,
            &p,
            &[
                "actor", "id", "name", "prior", "evidence", "assumed", "stances", "note",
            ],
        ) else {
            continue;
        };
        let actor = id_list(sink, &f, "actor", cx.actor_ids, &HashSet::new(), "actor")
            .and_then(|v| v.first().copied());
        let id = req_string(sink, &f, "id");
        let name = req_string(sink, &f, "name");
        let prior = required(sink, &f, "prior").and_then(|x| {
            number_in(
                sink,
                x,
                &f.sub("prior"),
                Range {
                    lo: 0.0,
                    hi: f64::INFINITY,
                    lo_open: true,
                },
            )
        });
        let ev = evidence(sink, &f, cx.sources, cx.source_ids, as_of, true);
        let Some(a) = actor else { continue };
        let stances = stance_changes(sink, &f, cx, Some(a));
        if let (Some(id), Some(name), Some(prior), Some(evidence)) = (id, name, prior, ev) {
            if out.iter().any(|t| t.actor == a && t.id == id) {
                sink.error(
                    it.at,
                    &f.sub("id"),
                    format!("duplicate type `{id}` for this actor"),
                );
                continue;
            }
            out.push(ActorType {
                actor: a,
                id,
                name,
                prior,
                posterior: prior,
                evidence,
                stances,
            });
        }
    }
    // Normalise priors per actor.
    let mut totals: HashMap<usize, (f64, usize)> = HashMap::new();
    for t in &out {
        let e = totals.entry(t.actor).or_default();
        e.0 += t.prior;
        e.1 += 1;
    }
    for t in out.iter_mut() {
        t.prior /= totals[&t.actor].0;
        t.posterior = t.prior;
    }
    // Every forecast runs each world (one type per actor with types): bound their number.
    let mut counts: Vec<(usize, usize)> = totals.into_iter().map(|(a, (_, c))| (a, c)).collect();
    counts.sort_unstable();
    if let Err(e) = crate::limits::world_count(counts.iter().map(|&(_, c)| c)) {
        sink.error(n.at, "types", e);
    }
    out
}

fn updates(
    sink: &mut Sink,
    n: &Node,
    cx: &RevCtx<'_>,
    types: &[ActorType],
    as_of: Option<Date>,
) -> Vec<Update> {
    let mut out: Vec<Update> = Vec::new();
    let Some(items) = array(sink, n, "updates") else {
        return out;
    };
    for (i, it) in items.iter().enumerate() {
        let p = format!("updates[{i}]");
        let Some(f) = table(
            sink,
            it,
            &p,
            &[
                "date",
                "what",
                "evidence",
                "assumed",
                "stances",
                "likelihoods",
                "note",
            ],
        ) else {
            continue;
        };
        let date = required(sink, &f, "date").and_then(|x| date(sink, x, &f.sub("date")));
        if let (Some(d), Some(a)) = (date, as_of) {
            if d < a {
                let at = f.get("date").map_or(it.at, |x| x.at);
                sink.error(at, &f.sub("date"), format!("an update dated {d} is before the scenario's cut-off {a}: put it in the scenario itself"));
            }
        }
        let what = req_string(sink, &f, "what");
        // Evidence may be no later than the update's own date.
        let ev = evidence(sink, &f, cx.sources, cx.source_ids, date, true);
        let stances = stance_changes(sink, &f, cx, None);
        let mut likelihoods = Vec::new();
        if let Some(ln) = f.get("likelihoods") {
            let lp = f.sub("likelihoods");
            if let Some(ls) = array(sink, ln, &lp) {
                for (j, l) in ls.iter().enumerate() {
                    let q = format!("{lp}[{j}]");
                    let Some(t) = table(sink, l, &q, &["type", "likelihood"]) else {
                        continue;
                    };
                    let ty = req_string(sink, &t, "type");
                    let lk = required(sink, &t, "likelihood").and_then(|x| {
                        number_in(sink, x, &t.sub("likelihood"), Range::closed(0.0, 1.0))
                    });
                    let Some(ty) = ty else { continue };
                    let found = ty.split_once('.').and_then(|(a, tid)| {
                        let ai = cx.actor_ids.get(a)?;
                        types.iter().position(|x| x.actor == *ai && x.id == tid)
                    });
                    match (found, lk) {
                        (Some(k), Some(l)) => likelihoods.push((k, l)),
                        (None, _) => {
                            let at = t.get("type").map_or(l.at, |x| x.at);
                            sink.error(
                                at,
                                &t.sub("type"),
                                format!(
                                    "unknown type `{ty}`: give ACTOR.TYPE, e.g. `rus.security`"
                                ),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
        if let Some(x) = f.get("note") {
            string(sink, x, &f.sub("note"));
        }
        if let (Some(date), Some(what), Some(evidence)) = (date, what, ev) {
            out.push(Update {
                date,
                what,
                evidence,
                stances,
                likelihoods,
            });
        }
    }
    out.sort_by_key(|u| u.date);
    out
}

struct CrisisCtx<'a> {
    actor_ids: &'a HashMap<String, usize>,
    issue_ids: &'a HashMap<String, usize>,
    broken_issues: &'a HashSet<String>,
    issues: &'a [Issue],
    stances: &'a [Stance],
    sources: &'a [Source],
    source_ids: &'a HashMap<String, usize>,
    as_of: Option<Date>,
}

/// A list of ids (or one id) resolved against `ids`. An id in `broken` (an item with that id
/// exists but has errors of its own, already reported) fails the list without a report.
fn id_list(
    sink: &mut Sink,
    f: &Fields<'_>,
    key: &str,
    ids: &HashMap<String, usize>,
    broken: &HashSet<String>,
    what: &str,
) -> Option<Vec<usize>> {
    let n = required(sink, f, key)?;
    let path = f.sub(key);
    let items: Vec<&Node> = match &n.kind {
        Kind::Array(v) => v.iter().collect(),
        _ => vec![n],
    };
    if items.is_empty() {
        sink.error(n.at, &path, format!("needs at least one {what}"));
        return None;
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (i, it) in items.iter().enumerate() {
        let p = if matches!(n.kind, Kind::Array(_)) {
            format!("{path}[{i}]")
        } else {
            path.clone()
        };
        let Some(id) = nonempty(sink, it, &p) else {
            ok = false;
            continue;
        };
        match ids.get(&id) {
            Some(&k) => out.push(k),
            None => {
                if !broken.contains(&id) {
                    unknown_id(sink, it.at, &p, what, &id, ids);
                }
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn crisis(sink: &mut Sink, f: &Fields<'_>, cx: &CrisisCtx<'_>) -> Option<Crisis> {
    let before = sink.count();
    let id = req_string(sink, f, "id");
    let name = req_string(sink, f, "name");
    let none = HashSet::new();
    let challenger = id_list(sink, f, "challenger", cx.actor_ids, &none, "actor");
    let defender = id_list(sink, f, "defender", cx.actor_ids, &none, "actor");
    let issues = id_list(sink, f, "issues", cx.issue_ids, cx.broken_issues, "issue");
    if let (Some(c), Some(d)) = (&challenger, &defender) {
        if let Some(a) = c.iter().find(|a| d.contains(a)) {
            let at = f.get("defender").map_or(f.node.at, |n| n.at);
            let id = cx
                .actor_ids
                .iter()
                .find(|(_, &k)| k == *a)
                .map_or("?", |(id, _)| id.as_str());
            sink.error(
                at,
                &f.sub("defender"),
                format!("actor `{id}` is on both sides (challenger and defender)"),
            );
        }
    }
    if let (Some(is), Some(c), Some(d)) = (&issues, &challenger, &defender) {
        for &k in is {
            if cx.issues[k].status_quo.is_none() {
                let at = f.get("issues").map_or(f.node.at, |n| n.at);
                sink.error(at, &f.sub("issues"), format!("issue `{}` needs a status quo to be at stake in a crisis (the outcome if nobody moves)", cx.issues[k].id));
            }
        }
        for (side, members) in [("challenger", c), ("defender", d)] {
            let has = cx
                .stances
                .iter()
                .any(|s| members.contains(&s.actor) && is.contains(&s.issue));
            if !has {
                let at = f.get(side).map_or(f.node.at, |n| n.at);
                sink.error(
                    at,
                    &f.sub(side),
                    format!("the {side} has no stance on any of the crisis's issues"),
                );
            }
        }
    }
    let template = match f.get("template") {
        None => Some(CrisisTemplate::Iig),
        Some(n) => match string(sink, n, &f.sub("template")).as_deref() {
            Some("iig") => Some(CrisisTemplate::Iig),
            Some("ladder") => {
                let rungs = f
                    .get("rungs")
                    .and_then(|r| number_in(sink, r, &f.sub("rungs"), Range::closed(1.0, 500.0)));
                match rungs {
                    Some(r) if r.fract() == 0.0 => {
                        Some(CrisisTemplate::Ladder { rungs: r as usize })
                    }
                    Some(r) => {
                        sink.error(
                            n.at,
                            &f.sub("rungs"),
                            format!("rungs must be a whole number, found {r}"),
                        );
                        None
                    }
                    None => {
                        if f.get("rungs").is_none() {
                            sink.error(n.at, &f.sub("rungs"), "a ladder needs `rungs` (1 to 500)");
                        }
                        None
                    }
                }
            }
            Some("efg") => match f.get("efg") {
                Some(e) => string(sink, e, &f.sub("efg")).map(|text| CrisisTemplate::Efg { text }),
                None => {
                    sink.error(
                        n.at,
                        &f.sub("efg"),
                        "template \"efg\" needs the game in `efg` (Gambit's text format)",
                    );
                    None
                }
            },
            Some(other) => {
                sink.error(
                    n.at,
                    &f.sub("template"),
                    format!("unknown template `{other}`: expected \"iig\", \"ladder\" or \"efg\""),
                );
                None
            }
            None => None,
        },
    };
    let mapping = crisis_mapping(sink, f);
    let models = settlement_models(sink, f, mapping.unwrap_or(1));
    let model = models.as_ref().map(|m| {
        m.iter()
            .fold(&m[0], |best, x| if x.1 > best.1 { x } else { best })
            .0
            .clone()
    });
    let mut params = Vec::new();
    for (key, kname) in CrisisKey::ALL {
        let Some(n) = f.get(kname) else { continue };
        let p = f.sub(kname);
        if key.needs_mapping_2() && mapping == Some(1) {
            sink.error(
                n.at,
                &p,
                format!("`{kname}` is an input of mapping 2: add `mapping = 2` to the crisis (see docs/crisis-mapping.md)"),
            );
            continue;
        }
        let Some(t) = table(sink, n, &p, &["value", "evidence", "assumed", "note"]) else {
            continue;
        };
        let range = if key == CrisisKey::PWin {
            Range::closed(0.0, 1.0)
        } else {
            Range::closed(0.0, f64::INFINITY)
        };
        let value =
            required(sink, &t, "value").and_then(|v| uncertain(sink, v, &t.sub("value"), range));
        let ev = evidence(sink, &t, cx.sources, cx.source_ids, cx.as_of, true);
        if let (Some(value), Some(evidence)) = (value, ev) {
            params.push(CrisisParam {
                key,
                value,
                evidence,
            });
        }
    }
    let mut red_lines = Vec::new();
    if let Some(n) = f.get("red_lines") {
        let rp = f.sub("red_lines");
        if let Some(items) = array(sink, n, &rp) {
            for (i, it) in items.iter().enumerate() {
                let p = format!("{rp}[{i}]");
                let Some(t) = table(
                    sink,
                    it,
                    &p,
                    &[
                        "actor",
                        "issue",
                        "threshold",
                        "action",
                        "trigger",
                        "probability",
                        "evidence",
                        "assumed",
                        "note",
                    ],
                ) else {
                    continue;
                };
                if let Some(rl) = red_line(
                    sink,
                    &t,
                    it,
                    cx,
                    mapping,
                    (&challenger, &defender, &issues),
                    &params,
                ) {
                    red_lines.push(rl);
                }
            }
        }
    }
    if let Some(n) = f.get("note") {
        string(sink, n, &f.sub("note"));
    }
    let onset = crisis_onset(sink, f, cx);
    if sink.count() > before {
        return None;
    }
    Some(Crisis {
        id: id?,
        name: name?,
        challenger: challenger?,
        defender: defender?,
        issues: issues?,
        template: template?,
        model: model?,
        params,
        red_lines,
        onset,
        mapping: mapping?,
        models: models?,
    })
}

/// The crisis's `mapping` (1 unless given).
fn crisis_mapping(sink: &mut Sink, f: &Fields<'_>) -> Option<u8> {
    let Some(n) = f.get("mapping") else {
        return Some(1);
    };
    match n.kind {
        Kind::Int(1) => Some(1),
        Kind::Int(2) => Some(2),
        _ => {
            sink.error(
                n.at,
                &f.sub("mapping"),
                "`mapping` is 1 (the original mapping, the default) or 2 (the revised mapping of docs/crisis-mapping.md)",
            );
            None
        }
    }
}

/// The settlement model(s): `model = "name"`, or `model = { name = weight, ... }` (an uncertain
/// choice), or, in mapping 2, no `model` at all (left open: equal weights over
/// [`UNFIXED_SETTLEMENT_MODELS`]). Mapping 1 without `model`: `compromise`.
fn settlement_models(sink: &mut Sink, f: &Fields<'_>, mapping: u8) -> Option<Vec<(String, f64)>> {
    let path = f.sub("model");
    let Some(n) = f.get("model") else {
        return Some(if mapping == 2 {
            let w = 1.0 / UNFIXED_SETTLEMENT_MODELS.len() as f64;
            UNFIXED_SETTLEMENT_MODELS
                .iter()
                .map(|m| (m.to_string(), w))
                .collect()
        } else {
            vec![("compromise".to_string(), 1.0)]
        });
    };
    match &n.kind {
        Kind::Table(entries) => {
            if entries.is_empty() {
                sink.error(n.at, &path, "needs at least one model with its weight");
                return None;
            }
            let mut out = Vec::new();
            let mut ok = true;
            for e in entries {
                let p = join(&path, &e.key);
                if !SETTLEMENT_MODELS.contains(&e.key.as_str()) {
                    sink.error(
                        e.key_at,
                        &p,
                        format!(
                            "unknown settlement model `{}`{}: expected one of {}",
                            e.key,
                            suggest(&e.key, SETTLEMENT_MODELS),
                            SETTLEMENT_MODELS.join(", ")
                        ),
                    );
                    ok = false;
                    continue;
                }
                match number_in(sink, &e.node, &p, Range::positive()) {
                    Some(w) if w.is_finite() => out.push((e.key.clone(), w)),
                    Some(_) => {
                        sink.error(e.node.at, &p, "a weight must be finite");
                        ok = false;
                    }
                    None => ok = false,
                }
            }
            if !ok {
                return None;
            }
            let total: f64 = out.iter().map(|(_, w)| w).sum();
            Some(out.into_iter().map(|(m, w)| (m, w / total)).collect())
        }
        _ => nonempty(sink, n, &path).map(|m| vec![(m, 1.0)]),
    }
}

/// A crisis's challenger, defender and issues, as far as they were read.
type Sides<'a> = (
    &'a Option<Vec<usize>>,
    &'a Option<Vec<usize>>,
    &'a Option<Vec<usize>>,
);

/// One red line (see `docs/scenario-format.md`).
fn red_line(
    sink: &mut Sink,
    t: &Fields<'_>,
    it: &Node,
    cx: &CrisisCtx<'_>,
    mapping: Option<u8>,
    (challenger, defender, issues): Sides<'_>,
    params: &[CrisisParam],
) -> Option<RedLine> {
    let before = sink.count();
    let v2 = mapping == Some(2);
    let need_v2 = |sink: &mut Sink, at: usize, key: &str, what: &str| {
        sink.error(
            at,
            &t.sub(key),
            format!("{what} needs `mapping = 2` on the crisis (mapping 1 knows only war red lines at a fixed settlement threshold; see docs/crisis-mapping.md)"),
        );
    };
    let actor = id_list(sink, t, "actor", cx.actor_ids, &HashSet::new(), "actor")
        .and_then(|v| v.first().copied());
    let issue = id_list(sink, t, "issue", cx.issue_ids, cx.broken_issues, "issue")
        .and_then(|v| v.first().copied());
    let trigger = match t.get("trigger") {
        None => Some(RedLineTrigger::Settlement),
        Some(n) => {
            let s = nonempty(sink, n, &t.sub("trigger"))?;
            match RedLineTrigger::ALL.iter().find(|(_, k)| *k == s) {
                Some((k, _)) => {
                    if *k != RedLineTrigger::Settlement && !v2 {
                        need_v2(sink, n.at, "trigger", "a red line set off by force");
                    }
                    Some(*k)
                }
                None => {
                    let names: Vec<&str> = RedLineTrigger::ALL.iter().map(|(_, k)| *k).collect();
                    sink.error(
                        n.at,
                        &t.sub("trigger"),
                        format!(
                            "unknown trigger `{s}`{}: a red line is set off by \"settlement\" (a settlement beyond its threshold, the default) or \"force\" (the other side's use of force)",
                            suggest(&s, &names)
                        ),
                    );
                    None
                }
            }
        }
    };
    let action = required(sink, t, "action").and_then(|a| {
        let s = nonempty(sink, a, &t.sub("action"))?;
        match RedLineAction::ALL.iter().find(|(_, k)| *k == s) {
            Some((k, _)) => {
                if *k != RedLineAction::War && !v2 {
                    need_v2(sink, a.at, "action", &format!("the action \"{s}\""));
                }
                if *k == RedLineAction::Force && trigger == Some(RedLineTrigger::Force) {
                    sink.error(
                        a.at,
                        &t.sub("action"),
                        "a red line set off by the other side's force answers with \"war\" (fighting back) or \"sanctions\", not \"force\"",
                    );
                }
                Some(*k)
            }
            None => {
                let names: Vec<&str> = RedLineAction::ALL.iter().map(|(_, k)| *k).collect();
                sink.error(
                    a.at,
                    &t.sub("action"),
                    format!(
                        "unknown action `{s}`{}: a red line triggers \"war\", \"force\" (limited force: the other side fights back or gives in) or \"sanctions\"",
                        suggest(&s, &names)
                    ),
                );
                None
            }
        }
    });
    let threshold = match (t.get("threshold"), issue, trigger) {
        (Some(x), _, Some(RedLineTrigger::Force)) => {
            sink.error(
                x.at,
                &t.sub("threshold"),
                "a red line set off by the other side's force has no threshold",
            );
            None
        }
        (Some(x), Some(k), _) => {
            let r = Range::closed(cx.issues[k].min, cx.issues[k].max);
            let u = uncertain(sink, x, &t.sub("threshold"), r);
            if let Some(u) = &u {
                if u.is_uncertain() && !v2 {
                    need_v2(sink, x.at, "threshold", "an uncertain threshold");
                }
            }
            u.map(Some)
        }
        (None, _, Some(RedLineTrigger::Force)) => Some(None),
        (None, _, _) => {
            required(sink, t, "threshold");
            None
        }
        _ => None,
    };
    let probability = match t.get("probability") {
        None => Some(Uncertain::fixed(1.0)),
        Some(x) => {
            if !v2 {
                need_v2(sink, x.at, "probability", "a red line's `probability`");
            }
            uncertain(sink, x, &t.sub("probability"), Range::closed(0.0, 1.0))
        }
    };
    if let (Some(a), Some(c), Some(d)) = (actor, challenger, defender) {
        if !c.contains(&a) && !d.contains(&a) {
            sink.error(
                it.at,
                &t.sub("actor"),
                "a red line's actor must be on one side of the crisis",
            );
        } else if action == Some(RedLineAction::Sanctions) {
            let key = if c.contains(&a) {
                CrisisKey::SanctionsCostDefender
            } else {
                CrisisKey::SanctionsCostChallenger
            };
            if !params.iter().any(|p| p.key == key) {
                sink.error(
                    it.at,
                    &t.sub("action"),
                    format!(
                        "a sanctions red line needs the other side's cost of sanctions: add `{}` to the crisis",
                        key.name()
                    ),
                );
            }
        }
    }
    if let (Some(k), Some(is)) = (issue, issues) {
        if !is.contains(&k) {
            sink.error(
                it.at,
                &t.sub("issue"),
                "a red line's issue must be at stake in the crisis",
            );
        }
    }
    let ev = evidence(sink, t, cx.sources, cx.source_ids, cx.as_of, true);
    if sink.count() > before {
        return None;
    }
    Some(RedLine {
        actor: actor?,
        issue: issue?,
        trigger: trigger?,
        threshold: threshold?,
        action: action?,
        probability: probability?,
        evidence: ev?,
    })
}

/// The crisis's optional `[crises.onset]` section (see `onset.rs`).
fn crisis_onset(
    sink: &mut Sink,
    f: &Fields<'_>,
    cx: &CrisisCtx<'_>,
) -> Option<crate::onset::Onset> {
    let n = f.get("onset")?;
    let ocx = crate::onset::OnsetCtx {
        actor_ids: cx.actor_ids,
        sources: cx.sources,
        source_ids: cx.source_ids,
        as_of: cx.as_of,
    };
    crate::onset::read(sink, n, &f.sub("onset"), &ocx)
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
        if let Err(e) = crate::limits::check_scale(lo, hi) {
            sink.error(n.at, &f.sub("scale"), e);
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
            unknown_id(sink, n.at, &f.sub("actor"), "actor", &s, actor_ids);
        }
        k
    });
    let issue = required(sink, f, "issue").and_then(|n| {
        let s = nonempty(sink, n, &f.sub("issue"))?;
        let k = issue_ids.get(&s).copied();
        if k.is_none() && !broken_issues.contains(&s) {
            unknown_id(sink, n.at, &f.sub("issue"), "issue", &s, issue_ids);
        }
        k
    });
    let scale = issue.map(|k| Range::closed(issues[k].min, issues[k].max));
    let panel = f
        .get("estimates")
        .map(|n| estimates(sink, f, n, scale, sources, source_ids, as_of));
    let panel = panel.flatten();
    if f.get("estimates").is_none() {
        if let Some(n) = f.get("pool") {
            sink.error(n.at, &f.sub("pool"), "`pool` needs `estimates` to pool");
        }
    }
    let pooled = |pick: fn(&Estimate) -> Option<&Uncertain>| -> Option<Uncertain> {
        let p = panel.as_ref()?;
        let comps: Vec<(f64, Uncertain)> = p
            .iter()
            .filter_map(|e| pick(e).map(|u| (e.weight, u.clone())))
            .collect();
        if comps.is_empty() {
            return None;
        }
        let total: f64 = comps.iter().map(|c| c.0).sum();
        let components: Vec<(f64, Uncertain)> =
            comps.into_iter().map(|(w, u)| (w / total, u)).collect();
        let dist = Dist::Mixture { components };
        let point = Uncertain::natural_point(&dist, 0.0);
        Some(Uncertain { dist, point })
    };
    let from_panel_pos = pooled(|e| e.position.as_ref());
    let from_panel_sal = pooled(|e| e.salience.as_ref());
    let position = match (f.get("position"), scale, from_panel_pos) {
        (Some(n), _, Some(_)) => {
            sink.error(
                n.at,
                &f.sub("position"),
                "give the position either on the stance or in its estimates, not both",
            );
            None
        }
        (None, _, Some(u)) => Some(u),
        (None, _, None) => {
            if panel.is_none() || f.get("estimates").is_none() {
                required(sink, f, "position");
            } else {
                sink.error(
                    f.node.at,
                    &f.sub("position"),
                    "missing `position`: neither the stance nor any of its estimates gives one",
                );
            }
            None
        }
        (Some(n), Some(r), None) => uncertain(sink, n, &f.sub("position"), r),
        // The issue is unknown or has errors of its own (both reported): check the value's form
        // only, not its range, so that no follow-on error is reported.
        (Some(n), None, None) => {
            let any = Range::closed(-crate::limits::MAX_MAGNITUDE, crate::limits::MAX_MAGNITUDE);
            uncertain(sink, n, &f.sub("position"), any);
            None
        }
    };
    let salience = match (f.get("salience"), from_panel_sal) {
        (Some(n), Some(_)) => {
            sink.error(
                n.at,
                &f.sub("salience"),
                "give the salience either on the stance or in its estimates, not both",
            );
            None
        }
        (None, Some(u)) => Some(u),
        (None, None) => {
            required(sink, f, "salience");
            None
        }
        (Some(n), None) => uncertain(sink, n, &f.sub("salience"), Range::closed(0.0, 1.0)),
    };
    let power = f
        .get("power")
        .and_then(|n| uncertain(sink, n, &f.sub("power"), Range::positive()));
    if let Some(n) = f.get("note") {
        string(sink, n, &f.sub("note"));
    }
    // A panel carries its own evidence: the stance's is then optional and joins it.
    let own = evidence(
        sink,
        f,
        sources,
        source_ids,
        as_of,
        panel.is_none() && f.get("estimates").is_none(),
    );
    let evidence = match (&panel, own) {
        (Some(p), own) => {
            let mut quotes = Vec::new();
            let mut reasons = Vec::new();
            for e in p.iter().map(|e| &e.evidence).chain(own.as_ref()) {
                match e {
                    Evidence::Quotes(q) => quotes.extend(q.iter().cloned()),
                    Evidence::Assumed(r) => reasons.push(r.clone()),
                }
            }
            Some(if quotes.is_empty() {
                Evidence::Assumed(reasons.join("; "))
            } else {
                Evidence::Quotes(quotes)
            })
        }
        (None, own) => own,
    };
    Some(Stance {
        actor: actor?,
        issue: issue?,
        position: position?,
        salience: salience?,
        power,
        evidence: evidence?,
        estimates: panel.unwrap_or_default(),
    })
}

/// Reads a stance's `estimates` (and `pool`): each estimate names its source, gives a position
/// and/or a salience (numbers or distributions) and its evidence (`quote` from that source, or
/// `assumed`). Weights: equal (`pool = "equal"`, the default) or proportional to the sources'
/// reliability (`pool = "reliability"`).
fn estimates(
    sink: &mut Sink,
    f: &Fields<'_>,
    node: &Node,
    scale: Option<Range>,
    sources: &[Source],
    source_ids: &HashMap<String, usize>,
    as_of: Option<Date>,
) -> Option<Vec<Estimate>> {
    let path = f.sub("estimates");
    let items = array(sink, node, &path)?;
    if items.is_empty() {
        sink.error(node.at, &path, "a panel needs at least one estimate");
        return None;
    }
    let by_reliability = match f.get("pool") {
        None => false,
        Some(n) => match string(sink, n, &f.sub("pool")).as_deref() {
            Some("equal") => false,
            Some("reliability") => true,
            Some(other) => {
                sink.error(
                    n.at,
                    &f.sub("pool"),
                    format!("unknown pool `{other}`: expected \"equal\" or \"reliability\""),
                );
                return None;
            }
            None => return None,
        },
    };
    let before = sink.count();
    let mut out = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let Some(t) = table(
            sink,
            it,
            &p,
            &["source", "position", "salience", "quote", "assumed", "note"],
        ) else {
            continue;
        };
        let src = required(sink, &t, "source").and_then(|n| {
            let id = nonempty(sink, n, &t.sub("source"))?;
            match source_ids.get(&id) {
                None => {
                    unknown_id(sink, n.at, &t.sub("source"), "source", &id, source_ids);
                    None
                }
                Some(&k) => {
                    if let Some(c) = as_of {
                        if sources[k].date > c {
                            sink.error(n.at, &t.sub("source"), format!("source `{id}` is dated {}, after the information cut-off {c}: it cannot inform this input", sources[k].date));
                            return None;
                        }
                    }
                    Some(k)
                }
            }
        });
        let position = match (t.get("position"), scale) {
            (Some(n), Some(r)) => uncertain(sink, n, &t.sub("position"), r),
            _ => None,
        };
        let salience = t
            .get("salience")
            .and_then(|n| uncertain(sink, n, &t.sub("salience"), Range::closed(0.0, 1.0)));
        if t.get("position").is_none() && t.get("salience").is_none() {
            sink.error(
                it.at,
                &p,
                "an estimate gives a `position`, a `salience` or both",
            );
        }
        let ev = match (t.get("quote"), t.get("assumed")) {
            (Some(q), None) => nonempty(sink, q, &t.sub("quote"))
                .zip(src)
                .map(|(quote, source)| Evidence::Quotes(vec![Quote { source, quote }])),
            (None, Some(a)) => nonempty(sink, a, &t.sub("assumed")).map(Evidence::Assumed),
            (Some(_), Some(a)) => {
                sink.error(
                    a.at,
                    &t.sub("assumed"),
                    "give either `quote` or `assumed`, not both",
                );
                None
            }
            (None, None) => {
                sink.error(it.at, &t.sub("quote"), "missing evidence: give the source's words as `quote`, or `assumed` with a reason");
                None
            }
        };
        if let Some(n) = t.get("note") {
            string(sink, n, &t.sub("note"));
        }
        let weight = match (by_reliability, src) {
            (true, Some(k)) => match sources[k].reliability {
                Some(r) => r,
                None => {
                    sink.error(
                        it.at,
                        &t.sub("source"),
                        format!(
                            "`pool = \"reliability\"` needs a reliability for source `{}`",
                            sources[k].id
                        ),
                    );
                    0.0
                }
            },
            _ => 1.0,
        };
        if let (Some(source), Some(evidence)) = (src, ev) {
            out.push(Estimate {
                source,
                weight,
                position,
                salience,
                evidence,
            });
        }
    }
    if sink.count() > before {
        return None;
    }
    let total: f64 = out.iter().map(|e| e.weight).sum();
    if total <= 0.0 {
        sink.error(
            node.at,
            &path,
            "the estimates' weights (their sources' reliabilities) sum to zero",
        );
        return None;
    }
    for e in &mut out {
        e.weight /= total;
    }
    Some(out)
}
