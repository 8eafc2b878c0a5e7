//! `verify`: every chain walked from its first record, every hash recomputed, every link and
//! number checked, times in order, the chain's rules held, the head markers and the tag index
//! matched. The report names the first bad record (table, row id, chain, number, what failed).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde::Serialize;

use crate::chain::{Anchor, Body, GENESIS};
use crate::store::{Stored, Unreadable};
use crate::time::days_between;

/// What failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// A row does not read back as a record (a value edited into a form the ledger never writes).
    Unreadable,
    /// A record's content does not give its stored hash: it was edited after it was written.
    HashMismatch,
    /// A record's link does not match the previous record's hash: a record before it was
    /// deleted, inserted or replaced.
    BrokenLink,
    /// Records are missing from the chain's numbering (deleted).
    Gap,
    /// Two records carry the same number (one was inserted).
    Duplicate,
    /// A record is timed before the previous one (inserted out of order, back-dated).
    TimeOrder,
    /// A record breaks a rule the ledger enforces when writing (a live forecast after its
    /// question's resolution, a forecast dated after it was recorded, a second resolution).
    Rule,
    /// A chain does not end where the ledger's head marker says (records deleted from the end,
    /// or appended behind the ledger's back).
    Head,
    /// An anchor (a head written down elsewhere) is not in the ledger.
    Anchor,
    /// The tag index disagrees with an entry's tags.
    TagIndex,
    /// The ledger's own id is missing.
    Meta,
}

/// One problem found by `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The table (`entries`, `resolutions`, `meta`, `entry_tags`).
    pub table: String,
    /// The row id, where a row is at fault.
    pub id: Option<i64>,
    /// The chain.
    pub origin: Option<String>,
    /// The record's number in its chain.
    pub seq: Option<u64>,
    /// What failed.
    pub kind: ProblemKind,
    /// In words.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.table)?;
        if let Some(id) = self.id {
            write!(f, " row {id}")?;
        }
        match (&self.origin, self.seq) {
            (Some(o), Some(s)) => write!(f, " (chain {}, record {s})", short(o))?,
            (Some(o), None) => write!(f, " (chain {})", short(o))?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

fn short(h: &str) -> &str {
    h.get(..12).unwrap_or(h)
}

/// A chain of the ledger and where it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainHead {
    /// The chain's origin.
    pub origin: String,
    /// Whether this ledger writes it (the others were imported).
    pub local: bool,
    /// Its records.
    pub records: usize,
    /// The number of its last record.
    pub head_seq: u64,
    /// The hash of its last record (write it down elsewhere to anchor the chain).
    pub head_hash: String,
}

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// No problem.
    pub ok: bool,
    /// Records read.
    pub records: usize,
    /// Every chain.
    pub chains: Vec<ChainHead>,
    /// Every problem, the first bad record first (chains in order of origin, the local chain
    /// first).
    pub problems: Vec<Problem>,
}

impl VerifyReport {
    /// The first problem, if any.
    pub fn first(&self) -> Option<&Problem> {
        self.problems.first()
    }
}

impl fmt::Display for VerifyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.chains {
            writeln!(
                f,
                "chain {}{}: {} records, head {} {}",
                c.origin,
                if c.local {
                    " (this ledger)"
                } else {
                    " (imported)"
                },
                c.records,
                c.head_seq,
                c.head_hash
            )?;
        }
        if self.ok {
            write!(f, "ok: {} records verified", self.records)
        } else {
            writeln!(f, "NOT OK: {} problem(s); the first:", self.problems.len())?;
            for p in &self.problems {
                writeln!(f, "  {p}")?;
            }
            Ok(())
        }
    }
}

/// What verify reads besides the records.
pub(crate) struct Extra<'a> {
    pub ledger_id: Option<&'a str>,
    pub heads: &'a [(String, u64, String)],
    pub tags: &'a [(i64, String)],
    pub anchors: &'a [Anchor],
}

pub(crate) fn check(stored: &[Stored], unreadable: &[Unreadable], x: &Extra) -> VerifyReport {
    let mut problems: Vec<(u8, String, u64, Problem)> = Vec::new();
    let local = x.ledger_id.unwrap_or("");
    // Sort key: the local chain first, then by origin, then by number.
    let key = |o: &str| (u8::from(o != local), o.to_string());
    let mut push = |p: Problem| {
        let (a, b) = key(p.origin.as_deref().unwrap_or("~"));
        let s = p.seq.unwrap_or(u64::MAX);
        problems.push((a, b, s, p));
    };
    if x.ledger_id.is_none() {
        push(Problem {
            table: "meta".into(),
            id: None,
            origin: None,
            seq: None,
            kind: ProblemKind::Meta,
            message: "the ledger's id (`ledger_id`) is missing".into(),
        });
    }
    let mut unreadable_seqs: HashMap<&str, BTreeSet<u64>> = HashMap::new();
    for u in unreadable {
        if let (Some(o), Some(s)) = (&u.origin, u.seq.and_then(|s| u64::try_from(s).ok())) {
            unreadable_seqs.entry(o).or_default().insert(s);
        }
        push(Problem {
            table: u.table.name().into(),
            id: Some(u.id),
            origin: u.origin.clone(),
            seq: u.seq.and_then(|s| u64::try_from(s).ok()),
            kind: ProblemKind::Unreadable,
            message: format!("column `{}`: {}", u.column, u.message),
        });
    }
    // Questions any entry is about, and the outcome of each resolution (across chains).
    let questions: HashSet<&str> = stored
        .iter()
        .filter_map(|s| match &s.record.body {
            Body::Entry(e) => Some(e.question.id.as_str()),
            _ => None,
        })
        .collect();
    let mut chains: BTreeMap<&str, Vec<&Stored>> = BTreeMap::new();
    for s in stored {
        chains.entry(&s.record.origin).or_default().push(s);
    }
    let mut outcome_of: HashMap<&str, (&crate::model::Outcome, &str, u64)> = HashMap::new();
    let mut heads = Vec::new();
    for (origin, recs) in &chains {
        let skip = unreadable_seqs.get(origin).cloned().unwrap_or_default();
        let mut expected = 1u64;
        let mut prev: Option<&str> = Some(GENESIS);
        let mut prev_time = None;
        let mut resolved_here: HashMap<&str, u64> = HashMap::new();
        for s in recs {
            let r = &s.record;
            let at = |kind, message: String| Problem {
                table: s.table.name().into(),
                id: Some(s.id),
                origin: Some(r.origin.clone()),
                seq: Some(r.seq),
                kind,
                message,
            };
            // Unreadable rows hold their numbers: no gap for them, and no link to check across.
            while expected < r.seq && skip.contains(&expected) {
                expected += 1;
                prev = None;
            }
            if r.seq < expected {
                push(at(
                    ProblemKind::Duplicate,
                    format!("another record of the chain already has number {}", r.seq),
                ));
                continue;
            }
            if r.seq > expected {
                push(at(
                    ProblemKind::Gap,
                    if r.seq == expected + 1 {
                        format!("record {expected} of the chain is missing (deleted)")
                    } else {
                        format!(
                            "records {expected} to {} of the chain are missing (deleted)",
                            r.seq - 1
                        )
                    },
                ));
            } else if let Some(p) = prev {
                if r.prev != p {
                    push(at(
                        ProblemKind::BrokenLink,
                        format!(
                            "its link (prev {}) is not the hash of record {} ({}): a record before it was replaced or inserted",
                            short(&r.prev),
                            r.seq - 1,
                            short(p)
                        ),
                    ));
                }
            }
            let computed = r.computed_hash();
            if computed != r.hash {
                push(at(
                    ProblemKind::HashMismatch,
                    format!(
                        "its content does not give its hash (edited after it was written): stored {}, content gives {}",
                        short(&r.hash),
                        short(&computed)
                    ),
                ));
            }
            if let Some(t) = prev_time {
                if r.recorded_at < t {
                    push(at(
                        ProblemKind::TimeOrder,
                        format!(
                            "recorded at {}, before the previous record ({t}): inserted out of time order (back-dated)",
                            r.recorded_at
                        ),
                    ));
                }
            }
            match &r.body {
                Body::Entry(e) => {
                    if days_between(r.recorded_at.date(), e.as_of) > 1 {
                        push(at(
                            ProblemKind::Rule,
                            format!(
                                "forecast as of {} recorded on {}, before its own date",
                                e.as_of,
                                r.recorded_at.date()
                            ),
                        ));
                    }
                    if let Some(rs) = resolved_here.get(e.question.id.as_str()) {
                        if !e.backtest {
                            push(at(
                                ProblemKind::Rule,
                                format!(
                                    "a live forecast of `{}` recorded after its resolution (record {rs}) without the backtest flag",
                                    e.question.id
                                ),
                            ));
                        }
                    }
                }
                Body::Resolution(res) => {
                    let q = res.question.as_str();
                    if !questions.contains(q) {
                        push(at(
                            ProblemKind::Rule,
                            format!("resolves `{q}`, which no entry is about"),
                        ));
                    }
                    if let Some(rs) = resolved_here.get(q) {
                        push(at(
                            ProblemKind::Rule,
                            format!("resolves `{q}` a second time (first: record {rs})"),
                        ));
                    }
                    resolved_here.insert(q, r.seq);
                    match outcome_of.get(q) {
                        Some((o, og, sq)) if **o != res.outcome => push(at(
                            ProblemKind::Rule,
                            format!(
                                "resolves `{q}` as {}, but record {sq} of chain {} resolves it as {o}",
                                res.outcome,
                                short(og)
                            ),
                        )),
                        Some(_) => {}
                        None => {
                            outcome_of.insert(q, (&res.outcome, origin, r.seq));
                        }
                    }
                }
            }
            prev = Some(&r.hash);
            prev_time = Some(r.recorded_at);
            expected = r.seq + 1;
        }
        let last = recs.last().expect("a chain has a record");
        heads.push(ChainHead {
            origin: origin.to_string(),
            local: *origin == local,
            records: recs.len(),
            head_seq: last.record.seq,
            head_hash: last.record.hash.clone(),
        });
    }
    // Head markers.
    let marked: HashMap<&str, (u64, &str)> = x
        .heads
        .iter()
        .map(|(o, s, h)| (o.as_str(), (*s, h.as_str())))
        .collect();
    for h in &heads {
        let p = |message: String| Problem {
            table: "meta".into(),
            id: None,
            origin: Some(h.origin.clone()),
            seq: Some(h.head_seq),
            kind: ProblemKind::Head,
            message,
        };
        match marked.get(h.origin.as_str()) {
            None => push(p(
                "the chain has no head marker in `meta` (written behind the ledger's back)".into(),
            )),
            Some((s, hash)) if *s > h.head_seq => push(p(format!(
                "the chain ends at record {} but its head marker says record {s}: records were deleted from its end",
                h.head_seq
            ))),
            Some((s, hash)) if *s < h.head_seq => push(p(format!(
                "the chain runs to record {} but its head marker says record {s} ({}): records were appended behind the ledger's back",
                h.head_seq,
                short(hash)
            ))),
            Some((_, hash)) if *hash != h.head_hash => push(p(format!(
                "its last record's hash {} is not the head marker's {}",
                short(&h.head_hash),
                short(hash)
            ))),
            Some(_) => {}
        }
    }
    for (o, (s, _)) in &marked {
        if !chains.contains_key(o) && !unreadable_seqs.contains_key(o) {
            push(Problem {
                table: "meta".into(),
                id: None,
                origin: Some(o.to_string()),
                seq: Some(*s),
                kind: ProblemKind::Head,
                message: format!(
                    "the head marker says the chain runs to record {s}, but none of its records is left"
                ),
            });
        }
    }
    for a in x.anchors {
        let found = stored
            .iter()
            .find(|s| s.record.origin == a.origin && s.record.seq == a.seq);
        let message = match found {
            None => Some(format!(
                "anchor {} (record {}) is not in the ledger: the chain was cut",
                short(&a.hash),
                a.seq
            )),
            Some(s) if s.record.hash != a.hash => Some(format!(
                "record {} has hash {}, the anchor says {}: the chain was rewritten",
                a.seq,
                short(&s.record.hash),
                short(&a.hash)
            )),
            Some(_) => None,
        };
        if let Some(message) = message {
            push(Problem {
                table: "anchor".into(),
                id: found.map(|s| s.id),
                origin: Some(a.origin.clone()),
                seq: Some(a.seq),
                kind: ProblemKind::Anchor,
                message,
            });
        }
    }
    // The tag index against the entries' tags.
    let mut want: BTreeSet<(i64, &str)> = BTreeSet::new();
    for s in stored {
        if let Body::Entry(e) = &s.record.body {
            for t in &e.tags {
                want.insert((s.id, t));
            }
        }
    }
    let have: BTreeSet<(i64, &str)> = x.tags.iter().map(|(i, t)| (*i, t.as_str())).collect();
    let unreadable_entries: HashSet<i64> = unreadable
        .iter()
        .filter(|u| u.table == crate::store::Table::Entries)
        .map(|u| u.id)
        .collect();
    let mut bad_ids: BTreeSet<i64> = BTreeSet::new();
    for (i, _) in want.symmetric_difference(&have) {
        if !unreadable_entries.contains(i) {
            bad_ids.insert(*i);
        }
    }
    for i in bad_ids {
        let s = stored
            .iter()
            .find(|s| s.id == i && s.table == crate::store::Table::Entries);
        push(Problem {
            table: "entry_tags".into(),
            id: Some(i),
            origin: s.map(|s| s.record.origin.clone()),
            seq: s.map(|s| s.record.seq),
            kind: ProblemKind::TagIndex,
            message: format!(
                "the tag index of entry row {i} does not match the entry's tags{}",
                if s.is_none() { " (no such entry)" } else { "" }
            ),
        });
    }
    problems.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    heads.sort_by_key(|h| (!h.local, h.origin.clone()));
    VerifyReport {
        ok: problems.is_empty(),
        records: stored.len() + unreadable.len(),
        chains: heads,
        problems: problems.into_iter().map(|p| p.3).collect(),
    }
}
