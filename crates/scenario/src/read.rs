//! Field readers over the node tree: each reads one kind of value, checks it, and records a
//! diagnostic (with the field path) instead of failing, so that loading reports every problem.

use crate::diag::Sink;
use crate::model::{Date, Dist, Uncertain};
use crate::node::{Entry, Kind, Node};

/// The valid range of a numeric field.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Range {
    pub lo: f64,
    pub hi: f64,
    /// Whether `lo` itself is excluded (power > 0).
    pub lo_open: bool,
}

impl Range {
    pub(crate) fn closed(lo: f64, hi: f64) -> Self {
        Range {
            lo,
            hi,
            lo_open: false,
        }
    }
    pub(crate) fn positive() -> Self {
        Range {
            lo: 0.0,
            hi: f64::INFINITY,
            lo_open: true,
        }
    }
    pub(crate) fn contains(&self, v: f64) -> bool {
        (if self.lo_open {
            v > self.lo
        } else {
            v >= self.lo
        }) && v <= self.hi
    }
    pub(crate) fn describe(&self) -> String {
        match (self.lo_open, self.hi.is_finite()) {
            (true, false) => format!("> {}", self.lo),
            (false, false) => format!(">= {}", self.lo),
            (true, true) => format!("in ({}, {}]", self.lo, self.hi),
            (false, true) => format!("in [{}, {}]", self.lo, self.hi),
        }
    }
}

/// The entries of a table node, with its path, for keyed access.
pub(crate) struct Fields<'n> {
    pub node: &'n Node,
    pub entries: &'n [Entry],
    pub path: String,
}

impl<'n> Fields<'n> {
    pub(crate) fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries.iter().find(|e| e.key == key).map(|e| &e.node)
    }
    pub(crate) fn sub(&self, key: &str) -> String {
        join(&self.path, key)
    }
}

/// `a.b` or `b` when `a` is empty.
pub(crate) fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// A "did you mean" hint for an unknown key or id, if one of the allowed ones is close; else
/// the allowed ones, in the order given (at most [`MAX_LISTED`](crate::limits::MAX_LISTED)).
pub(crate) fn suggest(key: &str, allowed: &[&str]) -> String {
    // The first closest in the order given, so that the hint is the same on every run.
    let best = allowed
        .iter()
        .map(|k| (edit_distance(key, k), *k))
        .min_by_key(|(d, _)| *d);
    match best {
        Some((d, k)) if d <= 2 || (d <= 3 && key.len() > 6) => format!(" (did you mean `{k}`?)"),
        _ => {
            let max = crate::limits::MAX_LISTED;
            if allowed.len() > max {
                format!(
                    " (expected one of: {}, and {} more)",
                    allowed[..max].join(", "),
                    allowed.len() - max
                )
            } else {
                format!(" (expected one of: {})", allowed.join(", "))
            }
        }
    }
}

/// The ids of a map from id to index, in index order (file order).
pub(crate) fn in_order(ids: &std::collections::HashMap<String, usize>) -> Vec<&str> {
    let mut v: Vec<(&str, usize)> = ids.iter().map(|(k, &i)| (k.as_str(), i)).collect();
    v.sort_by_key(|&(k, i)| (i, k));
    v.into_iter().map(|(k, _)| k).collect()
}

/// Reports an unknown id (`what` is e.g. "actor") with a hint from the known ones, computed only
/// when the diagnostic is listed.
pub(crate) fn unknown_id(
    sink: &mut Sink,
    at: usize,
    path: &str,
    what: &str,
    id: &str,
    ids: &std::collections::HashMap<String, usize>,
) {
    sink.error_with(at, path, &format!("unknown {what} `{id}`"), || {
        suggest(id, &in_order(ids))
    });
}

/// Checks that `node` is a table whose keys are all in `allowed`; reports unknown keys.
pub(crate) fn table<'n>(
    sink: &mut Sink,
    node: &'n Node,
    path: &str,
    allowed: &[&str],
) -> Option<Fields<'n>> {
    match &node.kind {
        Kind::Table(entries) => {
            for e in entries {
                if !allowed.contains(&e.key.as_str()) {
                    sink.error(
                        e.key_at,
                        &join(path, &e.key),
                        format!("unknown key `{}`{}", e.key, suggest(&e.key, allowed)),
                    );
                }
            }
            Some(Fields {
                node,
                entries,
                path: path.to_string(),
            })
        }
        _ => {
            sink.error(
                node.at,
                path,
                format!("expected a table, found {}", node.type_name()),
            );
            None
        }
    }
}

/// An array's items, or a diagnostic.
pub(crate) fn array<'n>(sink: &mut Sink, node: &'n Node, path: &str) -> Option<&'n [Node]> {
    match &node.kind {
        Kind::Array(items) => Some(items),
        _ => {
            sink.error(
                node.at,
                path,
                format!("expected an array, found {}", node.type_name()),
            );
            None
        }
    }
}

/// A required field: reports its absence at the table.
pub(crate) fn required<'n>(sink: &mut Sink, f: &Fields<'n>, key: &str) -> Option<&'n Node> {
    let n = f.get(key);
    if n.is_none() {
        sink.error(
            f.node.at,
            &f.sub(key),
            format!("missing required field `{key}`"),
        );
    }
    n
}

/// A string value.
pub(crate) fn string(sink: &mut Sink, node: &Node, path: &str) -> Option<String> {
    match &node.kind {
        Kind::Str(s) => Some(s.clone()),
        _ => {
            sink.error(
                node.at,
                path,
                format!("expected a string, found {}", node.type_name()),
            );
            None
        }
    }
}

/// A non-empty string (ids, names).
pub(crate) fn nonempty(sink: &mut Sink, node: &Node, path: &str) -> Option<String> {
    let s = string(sink, node, path)?;
    if s.trim().is_empty() {
        sink.error(node.at, path, "must not be empty");
        return None;
    }
    Some(s)
}

/// A required string field.
pub(crate) fn req_string(sink: &mut Sink, f: &Fields<'_>, key: &str) -> Option<String> {
    let n = required(sink, f, key)?;
    nonempty(sink, n, &f.sub(key))
}

/// A finite number (integer or float).
pub(crate) fn number(sink: &mut Sink, node: &Node, path: &str) -> Option<f64> {
    let v = match &node.kind {
        Kind::Int(i) => *i as f64,
        Kind::Float(x) => *x,
        _ => {
            sink.error(
                node.at,
                path,
                format!("expected a number, found {}", node.type_name()),
            );
            return None;
        }
    };
    if let Err(e) = crate::limits::check_magnitude(v) {
        sink.error(node.at, path, e);
        return None;
    }
    Some(v)
}

/// A number in a range.
pub(crate) fn number_in(sink: &mut Sink, node: &Node, path: &str, r: Range) -> Option<f64> {
    let v = number(sink, node, path)?;
    if !r.contains(v) {
        sink.error(
            node.at,
            path,
            format!("{v} is out of range: must be {}", r.describe()),
        );
        return None;
    }
    Some(v)
}

/// A date (`YYYY-MM-DD`, as a TOML date or a string).
pub(crate) fn date(sink: &mut Sink, node: &Node, path: &str) -> Option<Date> {
    let s = match &node.kind {
        Kind::Date(s) | Kind::Str(s) => s,
        _ => {
            sink.error(
                node.at,
                path,
                format!("expected a date (YYYY-MM-DD), found {}", node.type_name()),
            );
            return None;
        }
    };
    let d = Date::parse(s);
    if d.is_none() {
        sink.error(
            node.at,
            path,
            format!("`{s}` is not a date of the form YYYY-MM-DD"),
        );
    }
    d
}

const DIST_KEYS: &[&str] = &["triangular", "uniform", "normal", "beta", "point"];

/// An uncertain number: a plain number, or a table with one distribution and an optional `point`.
pub(crate) fn uncertain(sink: &mut Sink, node: &Node, path: &str, r: Range) -> Option<Uncertain> {
    if matches!(node.kind, Kind::Int(_) | Kind::Float(_)) {
        return number_in(sink, node, path, r).map(Uncertain::fixed);
    }
    if !matches!(node.kind, Kind::Table(_)) {
        sink.error(
            node.at,
            path,
            format!(
                "expected a number or a distribution ({{ triangular = [lo, mode, hi] }}, {{ uniform = [lo, hi] }}, {{ normal = {{ mean, sd }} }}, {{ beta = {{ alpha, beta, lo, hi }} }}), found {}",
                node.type_name()
            ),
        );
        return None;
    }
    let f = table(sink, node, path, DIST_KEYS)?;
    let kinds: Vec<&Entry> = f
        .entries
        .iter()
        .filter(|e| DIST_KEYS.contains(&e.key.as_str()) && e.key != "point")
        .collect();
    if kinds.len() != 1 {
        let msg = if kinds.is_empty() {
            "a distribution needs exactly one of `triangular`, `uniform`, `normal`, `beta`"
                .to_string()
        } else {
            format!(
                "a distribution needs exactly one kind, found {}",
                kinds
                    .iter()
                    .map(|e| e.key.as_str())
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        sink.error(node.at, path, msg);
        return None;
    }
    let e = kinds[0];
    let p = join(path, &e.key);
    let before = sink.count();
    let dist = match e.key.as_str() {
        "triangular" => {
            let v = numbers(sink, &e.node, &p, 3)?;
            if !(v[0] <= v[1] && v[1] <= v[2]) {
                sink.error(
                    e.node.at,
                    &p,
                    format!(
                        "needs lo <= mode <= hi, found [{}, {}, {}]",
                        v[0], v[1], v[2]
                    ),
                );
            }
            Dist::Triangular {
                lo: v[0],
                mode: v[1],
                hi: v[2],
            }
        }
        "uniform" => {
            let v = numbers(sink, &e.node, &p, 2)?;
            if v[0] > v[1] {
                sink.error(
                    e.node.at,
                    &p,
                    format!("needs lo <= hi, found [{}, {}]", v[0], v[1]),
                );
            }
            Dist::Uniform { lo: v[0], hi: v[1] }
        }
        "normal" => {
            let t = table(sink, &e.node, &p, &["mean", "sd"])?;
            let mean = required(sink, &t, "mean").and_then(|n| number(sink, n, &t.sub("mean")));
            let sd = required(sink, &t, "sd").and_then(|n| number(sink, n, &t.sub("sd")));
            let (mean, sd) = (mean?, sd?);
            if sd <= 0.0 {
                sink.error(
                    e.node.at,
                    &t.sub("sd"),
                    format!("sd must be > 0, found {sd}"),
                );
            }
            if !r.contains(mean) {
                sink.error(
                    e.node.at,
                    &t.sub("mean"),
                    format!("mean {mean} is outside the valid range ({})", r.describe()),
                );
            }
            Dist::Normal {
                mean,
                sd,
                lo: r.lo,
                hi: r.hi,
            }
        }
        "beta" => {
            let t = table(sink, &e.node, &p, &["alpha", "beta", "lo", "hi"])?;
            let alpha = required(sink, &t, "alpha").and_then(|n| number(sink, n, &t.sub("alpha")));
            let beta = required(sink, &t, "beta").and_then(|n| number(sink, n, &t.sub("beta")));
            let lo = match t.get("lo") {
                Some(n) => number(sink, n, &t.sub("lo")),
                None if r.lo.is_finite() => Some(r.lo),
                None => {
                    sink.error(
                        e.node.at,
                        &t.sub("lo"),
                        "missing `lo`: this field's range is unbounded",
                    );
                    None
                }
            };
            let hi = match t.get("hi") {
                Some(n) => number(sink, n, &t.sub("hi")),
                None if r.hi.is_finite() => Some(r.hi),
                None => {
                    sink.error(
                        e.node.at,
                        &t.sub("hi"),
                        "missing `hi`: this field's range is unbounded",
                    );
                    None
                }
            };
            let (alpha, beta, lo, hi) = (alpha?, beta?, lo?, hi?);
            if alpha <= 0.0 || beta <= 0.0 {
                sink.error(
                    e.node.at,
                    &p,
                    format!("alpha and beta must be > 0, found {alpha} and {beta}"),
                );
            }
            if lo >= hi {
                sink.error(
                    e.node.at,
                    &p,
                    format!("needs lo < hi, found lo = {lo}, hi = {hi}"),
                );
            }
            Dist::Beta {
                alpha,
                beta,
                lo,
                hi,
            }
        }
        _ => unreachable!("filtered by DIST_KEYS"),
    };
    // Support inside the valid range.
    let support = match dist {
        Dist::Triangular { lo, hi, .. } | Dist::Uniform { lo, hi } | Dist::Beta { lo, hi, .. } => {
            Some((lo, hi))
        }
        _ => None,
    };
    if let Some((lo, hi)) = support {
        if !r.contains(lo) || !r.contains(hi) {
            sink.error(
                e.node.at,
                &p,
                format!(
                    "support [{lo}, {hi}] is outside the valid range ({})",
                    r.describe()
                ),
            );
        }
    }
    if sink.count() > before {
        return None;
    }
    let mut point = Uncertain::natural_point(&dist, 0.0);
    if let Some(n) = f.get("point") {
        let pp = join(path, "point");
        let v = number(sink, n, &pp)?;
        let (lo, hi) = match dist {
            Dist::Triangular { lo, hi, .. }
            | Dist::Uniform { lo, hi }
            | Dist::Beta { lo, hi, .. }
            | Dist::Normal { lo, hi, .. } => (lo, hi),
            Dist::Fixed | Dist::Mixture { .. } => (v, v),
        };
        if v < lo || v > hi || !r.contains(v) {
            sink.error(
                n.at,
                &pp,
                format!("point {v} is outside the distribution's support [{lo}, {hi}]"),
            );
            return None;
        }
        point = v;
    }
    Some(Uncertain { dist, point })
}

fn numbers(sink: &mut Sink, node: &Node, path: &str, n: usize) -> Option<Vec<f64>> {
    let items = array(sink, node, path)?;
    if items.len() != n {
        sink.error(
            node.at,
            path,
            format!("expected {n} numbers, found {}", items.len()),
        );
        return None;
    }
    let mut out = Vec::with_capacity(n);
    let mut ok = true;
    for (i, it) in items.iter().enumerate() {
        match number(sink, it, &format!("{path}[{i}]")) {
            Some(v) => out.push(v),
            None => ok = false,
        }
    }
    ok.then_some(out)
}
