//! Onset addenda (`NAME.onset.toml`): the `[crises.onset]` section of a frozen scenario, kept in
//! a file of its own so that the scenario stays byte for byte as it was when its outcome was
//! written.
//!
//! A scenario with an outcomes file is frozen: anything added later goes into a new file that
//! says it was made after the outcome. An onset addendum names the frozen scenario (its id, its
//! file and the SHA-256 of its text, which must match), the date it was added, a label that says
//! it was made after the outcome (and from what), and, per crisis, an onset section in exactly
//! the syntax of a scenario's `[crises.onset]` (`docs/scenario-format.md`). Loading it checks it
//! against the scenario like the scenario's own onset section (actors known, evidence dated on or
//! before `as_of`, the onset date on or before `as_of`); [`OnsetAddendum::apply`] then gives the
//! scenario's crises their onset sections, in memory.

use std::collections::HashMap;

use crate::diag::{LoadError, Sink};
use crate::load::{parse_with, read_file, sources, version};
use crate::model::{Date, Scenario};
use crate::node::{Kind, Node};
use crate::onset::Onset;
use crate::read::*;

/// The words an addendum's `label` must contain: it says it was made after the outcome.
pub const AFTER_THE_OUTCOME: &str = "after the outcome";

/// An onset addendum, loaded and checked against its scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct OnsetAddendum {
    /// The addendum's file name as given.
    pub name: String,
    /// The scenario's id.
    pub scenario: String,
    /// The frozen scenario's file, as the addendum names it.
    pub file: String,
    /// The SHA-256 of the frozen scenario's text (lowercase hex), as the addendum states it.
    pub sha256: String,
    /// When the addendum was written.
    pub added: Date,
    /// What it is, in words (contains "after the outcome").
    pub label: String,
    /// The file its values were transcribed from, if it says.
    pub transcribed_from: Option<String>,
    /// The ICB crisis number (CRISNO) of the crisis, if it says.
    pub icb_crisno: Option<u32>,
    /// Per crisis: its index in the scenario's crises and its onset section.
    pub crises: Vec<(usize, Onset)>,
}

impl OnsetAddendum {
    /// Gives the scenario's crises their onset sections.
    pub fn apply(&self, sc: &mut Scenario) {
        for (k, onset) in &self.crises {
            if let Some(c) = sc.crises.get_mut(*k) {
                c.onset = Some(onset.clone());
            }
        }
    }
}

/// Loads an onset addendum from a file, checked against `scenario`, whose text has SHA-256
/// `scenario_sha256` (lowercase hex).
pub fn load_onset_addendum_file(
    path: &std::path::Path,
    scenario: &Scenario,
    scenario_sha256: &str,
) -> Result<OnsetAddendum, LoadError> {
    load_onset_addendum_str(
        &read_file(path)?,
        &path.display().to_string(),
        scenario,
        scenario_sha256,
    )
}

/// Loads an onset addendum from TOML text (`file` names it in messages), checked against
/// `scenario`, whose text has SHA-256 `scenario_sha256`: every problem at once, with line and
/// field.
pub fn load_onset_addendum_str(
    text: &str,
    file: &str,
    scenario: &Scenario,
    scenario_sha256: &str,
) -> Result<OnsetAddendum, LoadError> {
    parse_with(text, file, |sink, root| {
        addendum(sink, root, file, scenario, scenario_sha256)
    })
}

fn addendum(
    sink: &mut Sink,
    root: &Node,
    name: &str,
    sc: &Scenario,
    sha: &str,
) -> Option<OnsetAddendum> {
    let top = table(
        sink,
        root,
        "",
        &[
            "brink",
            "scenario",
            "file",
            "sha256",
            "added",
            "label",
            "transcribed_from",
            "icb_crisno",
            "note",
            "sources",
            "crises",
        ],
    )?;
    version(sink, &top);
    let id = req_string(sink, &top, "scenario");
    if let (Some(id), Some(n)) = (&id, top.get("scenario")) {
        if *id != sc.id {
            sink.error(
                n.at,
                "scenario",
                format!(
                    "the addendum is for scenario `{id}`, but the scenario given is `{}`",
                    sc.id
                ),
            );
        }
    }
    let file = req_string(sink, &top, "file");
    let stated = req_string(sink, &top, "sha256");
    if let (Some(s), Some(n)) = (&stated, top.get("sha256")) {
        if !s.eq_ignore_ascii_case(sha) {
            sink.error(
                n.at,
                "sha256",
                format!(
                    "the addendum was written for a scenario text with SHA-256 {s}, but the scenario given has {sha}: it is not the frozen file the addendum names"
                ),
            );
        }
    }
    let added = required(sink, &top, "added").and_then(|n| date(sink, n, "added"));
    if let (Some(a), Some(n)) = (added, top.get("added")) {
        if a < sc.as_of {
            sink.error(
                n.at,
                "added",
                format!(
                    "an addendum is written after its scenario: `added` {a} is before the scenario's as_of {}",
                    sc.as_of
                ),
            );
        }
    }
    let label = req_string(sink, &top, "label");
    if let (Some(l), Some(n)) = (&label, top.get("label")) {
        if !l.to_lowercase().contains(AFTER_THE_OUTCOME) {
            sink.error(
                n.at,
                "label",
                format!("the label must say that the addendum was made {AFTER_THE_OUTCOME} (e.g. \"added {AFTER_THE_OUTCOME}, transcribed from NAME.notes.md committed before it\")"),
            );
        }
    }
    let transcribed_from = top
        .get("transcribed_from")
        .and_then(|n| nonempty(sink, n, "transcribed_from"));
    let icb_crisno = top.get("icb_crisno").and_then(|n| match n.kind {
        Kind::Int(v) if (1..=9999).contains(&v) => Some(v as u32),
        _ => {
            sink.error(
                n.at,
                "icb_crisno",
                "expected an ICB crisis number (an integer, 1-9999)",
            );
            None
        }
    });
    if let Some(n) = top.get("note") {
        string(sink, n, "note");
    }
    // Evidence may cite the scenario's sources, or sources of the addendum's own (dated on or
    // before the scenario's as_of like any other evidence).
    let (own, _) = sources(sink, &top);
    let mut all = sc.sources.clone();
    let mut source_ids: HashMap<String, usize> = sc
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    for s in own {
        if source_ids.contains_key(&s.id) {
            sink.error(
                top.get("sources").map_or(root.at, |n| n.at),
                "sources",
                format!("source id `{}` is already a source of the scenario", s.id),
            );
            continue;
        }
        source_ids.insert(s.id.clone(), all.len());
        all.push(s);
    }
    let actor_ids: HashMap<String, usize> = sc
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let cx = crate::onset::OnsetCtx {
        actor_ids: &actor_ids,
        sources: &all,
        source_ids: &source_ids,
        as_of: Some(sc.as_of),
    };
    let mut crises: Vec<(usize, Onset)> = Vec::new();
    if let Some(n) = required(sink, &top, "crises") {
        if let Some(items) = array(sink, n, "crises") {
            if items.is_empty() {
                sink.error(
                    n.at,
                    "crises",
                    "no crisis: add a [[crises]] table with `crisis` and `[crises.onset]`",
                );
            }
            for (i, it) in items.iter().enumerate() {
                let path = format!("crises[{i}]");
                let Some(f) = table(sink, it, &path, &["crisis", "onset"]) else {
                    continue;
                };
                let k = req_string(sink, &f, "crisis").and_then(|cid| {
                    let at = f.get("crisis").map_or(it.at, |n| n.at);
                    match sc.crises.iter().position(|c| c.id == cid) {
                        None => {
                            let known: Vec<&str> = sc.crises.iter().map(|c| c.id.as_str()).collect();
                            sink.error(
                                at,
                                &f.sub("crisis"),
                                format!(
                                    "unknown crisis `{cid}`: the scenario's crises are {}",
                                    if known.is_empty() { "none".to_string() } else { known.join(", ") }
                                ),
                            );
                            None
                        }
                        Some(k) if sc.crises[k].onset.is_some() => {
                            sink.error(
                                at,
                                &f.sub("crisis"),
                                format!("crisis `{cid}` already has an onset section in the scenario: an addendum may only add one"),
                            );
                            None
                        }
                        Some(k) if crises.iter().any(|(j, _)| *j == k) => {
                            sink.error(at, &f.sub("crisis"), format!("crisis `{cid}` appears twice"));
                            None
                        }
                        Some(k) => Some(k),
                    }
                });
                let onset = match f.get("onset") {
                    Some(n) => crate::onset::read(sink, n, &f.sub("onset"), &cx),
                    None => {
                        sink.error(
                            it.at,
                            &f.sub("onset"),
                            "missing `[crises.onset]`: the onset section to add",
                        );
                        None
                    }
                };
                if let (Some(k), Some(o)) = (k, onset) {
                    crises.push((k, o));
                }
            }
        }
    }
    Some(OnsetAddendum {
        name: name.to_string(),
        scenario: id?,
        file: file?,
        sha256: stated?,
        added: added?,
        label: label?,
        transcribed_from,
        icb_crisno,
        crises,
    })
}
