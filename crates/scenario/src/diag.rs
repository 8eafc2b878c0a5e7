//! Diagnostics: every problem found in an input file, with the file, line, column and field path.
//!
//! Loading never stops at the first problem: all of them are collected and reported at once, so a
//! user fixes a scenario in one pass.

use std::fmt;

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file's name as the user gave it (or a label such as `<built-in>`).
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The field path, e.g. `stances[3].salience` (empty for a syntax error).
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
    /// How many further problems this line stands for without listing them: 0 for a problem of
    /// its own, N for a "N more errors like this not listed" line (see [`crate::limits`]).
    pub omitted: usize,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(
                f,
                "{}:{}:{}: {}: {}",
                self.file, self.line, self.column, self.path, self.message
            )
        }
    }
}

/// The error of a load: one or more diagnostics, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LoadError {
    /// The input was read but is not a valid scenario (or outcomes file).
    #[error("{}", render(.0))]
    Invalid(Vec<Diagnostic>),
    /// The file could not be read at all.
    #[error("{file}: cannot read: {reason}")]
    Io {
        /// The file.
        file: String,
        /// The operating system's reason.
        reason: String,
    },
}

impl LoadError {
    /// The diagnostics (empty for an I/O error).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            LoadError::Invalid(d) => d,
            LoadError::Io { .. } => &[],
        }
    }
}

fn render(d: &[Diagnostic]) -> String {
    let mut s = String::new();
    for (i, x) in d.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        s.push_str(&x.to_string());
    }
    let total: usize = d
        .iter()
        .map(|x| x.omitted.max(usize::from(x.omitted == 0)))
        .sum();
    s.push_str(&format!(
        "\n{} error{} found",
        total,
        if total == 1 { "" } else { "s" }
    ));
    let listed = d.iter().filter(|x| x.omitted == 0).count();
    if listed < total {
        s.push_str(&format!(" ({listed} listed)"));
    }
    s
}

/// Maps byte offsets of a text to 1-based (line, column).
#[derive(Debug, Clone)]
pub(crate) struct LineIndex {
    starts: Vec<usize>,
    text: String,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        for (i, b) in text.bytes().enumerate() {
            if b == b'\n' {
                starts.push(i + 1);
            }
        }
        LineIndex {
            starts,
            text: text.to_string(),
        }
    }

    /// 1-based line and column of a byte offset (clamped to the text).
    pub(crate) fn locate(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let col = self
            .text
            .get(start..offset)
            .map(|s| s.chars().count())
            .unwrap_or(offset - start);
        (line + 1, col + 1)
    }
}

/// The kind of a diagnostic, for folding repeats: its field path and message with the item
/// indices, numbers and quoted names taken out (`stances[7].actor` and `stances[9].actor` with
/// "unknown actor `x`" and "unknown actor `y`" are one kind, `stances[*].actor`).
fn kind_of(path: &str, message: &str) -> (String, String) {
    fn strip(s: &str, in_message: bool) -> String {
        let mut out = String::with_capacity(s.len());
        let mut quoted = false;
        let mut bracket = false;
        for c in s.chars() {
            if in_message && c == '`' {
                quoted = !quoted;
                if quoted {
                    out.push_str("`*`");
                }
                continue;
            }
            if quoted {
                continue;
            }
            if !in_message && c == '[' {
                bracket = true;
                out.push_str("[*]");
                continue;
            }
            if bracket {
                if c == ']' {
                    bracket = false;
                }
                continue;
            }
            if c.is_ascii_digit() {
                if !out.ends_with('#') {
                    out.push('#');
                }
                continue;
            }
            out.push(c);
        }
        out
    }
    // A message's "did you mean" or "expected one of" tail does not make a new kind.
    let message = message.split(" (did you mean").next().unwrap_or(message);
    let message = message.split(" (expected one of").next().unwrap_or(message);
    (strip(path, false), strip(message, true))
}

/// Collects diagnostics for one file. Repeats of one kind beyond
/// [`MAX_REPEATED`](crate::limits::MAX_REPEATED), and any beyond
/// [`MAX_DIAGNOSTICS`](crate::limits::MAX_DIAGNOSTICS) in all, are counted, not kept: the list
/// ends with how many more there are, so that a file with a million bad rows gives a short report.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub(crate) file: String,
    pub(crate) index: LineIndex,
    items: Vec<(usize, Diagnostic)>,
    /// Every problem recorded, kept or not.
    total: usize,
    /// Per kind: how many were recorded, how many kept, and the first one not kept (its
    /// position and message).
    kinds: std::collections::HashMap<(String, String), Kind>,
    /// Problems of kinds first seen after the overall cap was reached: counted only.
    others: usize,
}

#[derive(Debug, Clone, Default)]
struct Kind {
    recorded: usize,
    kept: usize,
    first_omitted: Option<(usize, String)>,
}

impl Sink {
    pub(crate) fn new(file: &str, text: &str) -> Self {
        Sink {
            file: file.to_string(),
            index: LineIndex::new(text),
            items: Vec::new(),
            total: 0,
            kinds: Default::default(),
            others: 0,
        }
    }

    /// Records a problem at byte offset `at` for field `path`.
    pub(crate) fn error(&mut self, at: usize, path: &str, message: impl Into<String>) {
        let message = message.into();
        self.error_with(at, path, &message, String::new);
    }

    /// Records a problem whose message is `message` followed by `detail()`; `detail` is computed
    /// only when the diagnostic is kept (e.g. a "did you mean" over thousands of ids).
    pub(crate) fn error_with(
        &mut self,
        at: usize,
        path: &str,
        message: &str,
        detail: impl FnOnce() -> String,
    ) {
        use crate::limits::{MAX_DIAGNOSTICS, MAX_REPEATED};
        self.total += 1;
        let full = self.items.len() >= MAX_DIAGNOSTICS;
        let key = kind_of(path, message);
        if full && !self.kinds.contains_key(&key) {
            self.others += 1;
            return;
        }
        let kind = self.kinds.entry(key).or_default();
        kind.recorded += 1;
        if full || kind.kept >= MAX_REPEATED {
            if kind.first_omitted.is_none() {
                kind.first_omitted = Some((at, message.to_string()));
            }
            return;
        }
        kind.kept += 1;
        let (line, column) = self.index.locate(at);
        let mut message = message.to_string();
        message.push_str(&detail());
        self.items.push((
            at,
            Diagnostic {
                file: self.file.clone(),
                line,
                column,
                path: path.to_string(),
                message,
                omitted: 0,
            },
        ));
    }

    /// Problems recorded so far, kept or not.
    pub(crate) fn count(&self) -> usize {
        self.total
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.total == 0
    }

    /// The diagnostics kept, sorted by position (stable for equal positions), then one line per
    /// kind of problem not listed in full, saying how many more there are.
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        self.items.sort_by_key(|(at, _)| *at);
        let mut out: Vec<Diagnostic> = self.items.into_iter().map(|(_, d)| d).collect();
        let mut folded: Vec<(usize, String, String, usize)> = self
            .kinds
            .into_iter()
            .filter_map(|((path, _), k)| {
                let (at, message) = k.first_omitted?;
                Some((at, path, message, k.recorded - k.kept))
            })
            .collect();
        folded.sort();
        for (at, path, message, n) in folded {
            let (line, column) = self.index.locate(at);
            out.push(Diagnostic {
                file: self.file.clone(),
                line,
                column,
                path,
                message: format!(
                    "{n} more error{} like this not listed (the first: {message})",
                    if n == 1 { "" } else { "s" }
                ),
                omitted: n,
            });
        }
        if self.others > 0 {
            out.push(Diagnostic {
                file: self.file.clone(),
                line: 1,
                column: 1,
                path: String::new(),
                message: format!(
                    "{} more error{} of other kinds not listed",
                    self.others,
                    if self.others == 1 { "" } else { "s" }
                ),
                omitted: self.others,
            });
        }
        out
    }
}
