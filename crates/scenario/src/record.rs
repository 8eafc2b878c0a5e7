//! Forecasts of record (`*.record.toml`): what brink forecast from a frozen scenario, kept as data
//! with the commit, command and date that produced it, so that later reports quote it rather than
//! recompute it.
//!
//! ```toml
//! brink = 1
//! scenario = "ukraine-2021-12"
//! file = "ukraine-2021-12.frozen.toml"     # the frozen scenario file, next to this one
//! sha256 = "8396…"                          # its SHA-256
//! as_of = 2021-12-28
//! commit = "8a98811…"                       # the engine and file the forecast was made with
//! committed = "2026-11-27T22:29:18+00:00"
//! command = "brink run --draws 2000 --seed 0 --format json"
//! draws = 2000
//! seed = 0
//! provenance = "how the numbers were obtained"
//! [[crises]]
//! crisis = "standoff"
//! shares = { "war" = 0.001, "negotiated settlement" = 0.995 }
//! [[issues]]
//! issue = "enlargement"
//! forecasts = { compromise = 53.2, median = 30.0 }
//! ```

use crate::diag::{LoadError, Sink};
use crate::load::{parse_with, version};
use crate::model::Date;
use crate::node::{self, Kind};
use crate::read::*;
use serde::Serialize;

/// A crisis's outcome shares in the forecast of record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordCrisis {
    /// The crisis's id.
    pub crisis: String,
    /// (outcome class, share of the draws), in the order recorded.
    pub shares: Vec<(String, f64)>,
}

impl RecordCrisis {
    /// The share of an outcome class (0 if not recorded).
    pub fn share(&self, outcome: &str) -> f64 {
        self.shares
            .iter()
            .find(|(o, _)| o == outcome)
            .map_or(0.0, |x| x.1)
    }
}

/// An issue's forecasts in the forecast of record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordIssue {
    /// The issue's id.
    pub issue: String,
    /// (model, forecast on the issue's scale), in the order recorded.
    pub forecasts: Vec<(String, f64)>,
}

/// A forecast of record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// The scenario's id.
    pub scenario: String,
    /// The frozen scenario file's name.
    pub file: String,
    /// Its SHA-256 (lower-case hex).
    pub sha256: String,
    /// The scenario's information cut-off.
    pub as_of: Date,
    /// The commit whose engine and scenario file made the forecast.
    pub commit: String,
    /// That commit's timestamp, as git gives it.
    pub committed: String,
    /// The command(s) run.
    pub command: String,
    /// Monte Carlo draws behind the crisis shares.
    pub draws: u64,
    /// The seed.
    pub seed: u64,
    /// How the numbers were obtained.
    pub provenance: String,
    /// Per crisis.
    pub crises: Vec<RecordCrisis>,
    /// Per issue.
    pub issues: Vec<RecordIssue>,
}

/// Loads a record file from TOML text; `file` names it in messages.
pub fn load_record_str(text: &str, file: &str) -> Result<Record, LoadError> {
    parse_with(text, file, record)
}

fn count(sink: &mut Sink, f: &Fields<'_>, key: &str) -> Option<u64> {
    let n = required(sink, f, key)?;
    match n.kind {
        Kind::Int(v) if v >= 0 => Some(v as u64),
        _ => {
            sink.error(n.at, &f.sub(key), "expected a non-negative integer");
            None
        }
    }
}

/// An inline table of `name = number` pairs, each number checked by `ok`.
fn pairs(
    sink: &mut Sink,
    n: &node::Node,
    path: &str,
    ok: impl Fn(f64) -> bool,
    what: &str,
) -> Option<Vec<(String, f64)>> {
    let Kind::Table(entries) = &n.kind else {
        sink.error(
            n.at,
            path,
            format!("expected a table, found {}", n.type_name()),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut bad = false;
    for e in entries {
        let p = join(path, &e.key);
        match number(sink, &e.node, &p) {
            Some(v) if ok(v) => out.push((e.key.clone(), v)),
            Some(v) => {
                sink.error(e.node.at, &p, format!("{v} is not {what}"));
                bad = true;
            }
            None => bad = true,
        }
    }
    (!bad).then_some(out)
}

fn record(sink: &mut Sink, root: &node::Node) -> Option<Record> {
    let top = table(
        sink,
        root,
        "",
        &[
            "brink",
            "scenario",
            "file",
            "sha256",
            "as_of",
            "commit",
            "committed",
            "command",
            "draws",
            "seed",
            "provenance",
            "crises",
            "issues",
        ],
    )?;
    version(sink, &top);
    let scenario = req_string(sink, &top, "scenario");
    let file = req_string(sink, &top, "file");
    let sha256 = req_string(sink, &top, "sha256").and_then(|s| {
        let ok = s.len() == 64
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !ok {
            let at = top.get("sha256").map_or(0, |n| n.at);
            sink.error(at, "sha256", "expected 64 lower-case hexadecimal digits");
        }
        ok.then_some(s)
    });
    let as_of = required(sink, &top, "as_of").and_then(|n| date(sink, n, "as_of"));
    let commit = req_string(sink, &top, "commit");
    let committed = req_string(sink, &top, "committed");
    let command = req_string(sink, &top, "command");
    let draws = count(sink, &top, "draws");
    let seed = count(sink, &top, "seed");
    let provenance = req_string(sink, &top, "provenance");
    let mut crises = Vec::new();
    if let Some(n) = top.get("crises") {
        for (i, it) in array(sink, n, "crises").unwrap_or(&[]).iter().enumerate() {
            let p = format!("crises[{i}]");
            let Some(f) = table(sink, it, &p, &["crisis", "shares"]) else {
                continue;
            };
            let crisis = req_string(sink, &f, "crisis");
            let shares = required(sink, &f, "shares").and_then(|n| {
                let s = pairs(
                    sink,
                    n,
                    &f.sub("shares"),
                    |v| (0.0..=1.0).contains(&v),
                    "a share in [0, 1]",
                )?;
                let total: f64 = s.iter().map(|x| x.1).sum();
                if (total - 1.0).abs() > 1e-9 {
                    sink.error(
                        n.at,
                        &f.sub("shares"),
                        format!("the shares sum to {total}, not 1"),
                    );
                    return None;
                }
                Some(s)
            });
            if let (Some(crisis), Some(shares)) = (crisis, shares) {
                crises.push(RecordCrisis { crisis, shares });
            }
        }
    }
    let mut issues = Vec::new();
    if let Some(n) = top.get("issues") {
        for (i, it) in array(sink, n, "issues").unwrap_or(&[]).iter().enumerate() {
            let p = format!("issues[{i}]");
            let Some(f) = table(sink, it, &p, &["issue", "forecasts"]) else {
                continue;
            };
            let issue = req_string(sink, &f, "issue");
            let forecasts = required(sink, &f, "forecasts").and_then(|n| {
                pairs(
                    sink,
                    n,
                    &f.sub("forecasts"),
                    f64::is_finite,
                    "a finite number",
                )
            });
            if let (Some(issue), Some(forecasts)) = (issue, forecasts) {
                issues.push(RecordIssue { issue, forecasts });
            }
        }
    }
    Some(Record {
        scenario: scenario?,
        file: file?,
        sha256: sha256?,
        as_of: as_of?,
        commit: commit?,
        committed: committed?,
        command: command?,
        draws: draws?,
        seed: seed?,
        provenance: provenance?,
        crises,
        issues,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"brink = 1
scenario = "s"
file = "s.frozen.toml"
sha256 = "8396fbf38524206f472853fa67acfb619fc66a17442b9044dd31f5e2112eeda3"
as_of = 2021-12-28
commit = "abc"
committed = "2026-11-27T22:29:18+00:00"
command = "brink run"
draws = 2000
seed = 0
provenance = "rebuilt and run"
[[crises]]
crisis = "standoff"
shares = { "war" = 0.25, "negotiated settlement" = 0.75 }
[[issues]]
issue = "a"
forecasts = { compromise = 53.2, median = 30 }
"#;

    #[test]
    fn a_record_loads() {
        let r = load_record_str(GOOD, "r.toml").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.crises[0].share("war"), 0.25);
        assert_eq!(r.crises[0].share("status quo"), 0.0);
        assert_eq!(
            r.issues[0].forecasts,
            vec![("compromise".into(), 53.2), ("median".into(), 30.0)]
        );
        assert_eq!(r.draws, 2000);
    }

    #[test]
    fn bad_records_name_line_and_field() {
        let bad = GOOD
            .replace("0.25, \"negotiated", "0.5, \"negotiated")
            .replace("8396fbf3", "XYZ");
        let e = load_record_str(&bad, "r.toml").unwrap_err().to_string();
        assert!(e.contains("r.toml:4:") && e.contains("sha256"), "{e}");
        assert!(
            e.contains("r.toml:14:") && e.contains("crises[0].shares: the shares sum to 1.25"),
            "{e}"
        );
    }
}
