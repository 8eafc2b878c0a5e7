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
    s.push_str(&format!(
        "\n{} error{} found",
        d.len(),
        if d.len() == 1 { "" } else { "s" }
    ));
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

/// Collects diagnostics for one file.
#[derive(Debug, Clone)]
pub(crate) struct Sink {
    pub(crate) file: String,
    pub(crate) index: LineIndex,
    pub(crate) items: Vec<(usize, Diagnostic)>,
}

impl Sink {
    pub(crate) fn new(file: &str, text: &str) -> Self {
        Sink {
            file: file.to_string(),
            index: LineIndex::new(text),
            items: Vec::new(),
        }
    }

    /// Records a problem at byte offset `at` for field `path`.
    pub(crate) fn error(&mut self, at: usize, path: &str, message: impl Into<String>) {
        let (line, column) = self.index.locate(at);
        self.items.push((
            at,
            Diagnostic {
                file: self.file.clone(),
                line,
                column,
                path: path.to_string(),
                message: message.into(),
            },
        ));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics sorted by position (stable for equal positions).
    pub(crate) fn finish(mut self) -> Vec<Diagnostic> {
        self.items.sort_by_key(|(at, _)| *at);
        self.items.into_iter().map(|(_, d)| d).collect()
    }
}
