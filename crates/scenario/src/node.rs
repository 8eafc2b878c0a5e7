//! A TOML document as a plain tree of nodes, each with the byte offset where it starts.
//!
//! The loader walks this tree by hand instead of deriving serde types, so that it can report
//! every problem (unknown keys, wrong types, out-of-range values) with its line and field path,
//! all at once.

use toml_edit::{ImDocument, Item, Value};

/// A value in the TOML tree.
#[derive(Debug, Clone)]
pub(crate) enum Kind {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or datetime, kept as written.
    Date(String),
    Array(Vec<Node>),
    Table(Vec<Entry>),
}

/// A key of a table with the offset of the key itself.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub key: String,
    pub key_at: usize,
    pub node: Node,
}

/// A node and where it starts.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub at: usize,
    pub kind: Kind,
}

impl Node {
    /// The TOML type's name, for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self.kind {
            Kind::Str(_) => "a string",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a float",
            Kind::Bool(_) => "a boolean",
            Kind::Date(_) => "a date",
            Kind::Array(_) => "an array",
            Kind::Table(_) => "a table",
        }
    }
}

/// Parses TOML text into a node tree; on a syntax error returns (offset, message).
pub(crate) fn parse(text: &str) -> Result<Node, (usize, String)> {
    let doc = ImDocument::parse(text.to_string()).map_err(|e| {
        let at = e.span().map(|s| s.start).unwrap_or(0);
        let msg = e.message().trim().to_string();
        (at, format!("TOML syntax error: {msg}"))
    })?;
    Ok(table(doc.as_table(), 0))
}

fn table(t: &toml_edit::Table, fallback: usize) -> Node {
    let at = t.span().map(|s| s.start).unwrap_or(fallback);
    let mut entries = Vec::new();
    for (k, _) in t.iter() {
        let (key, it) = t.get_key_value(k).expect("key listed by iter");
        let key_at = key.span().map(|s| s.start).unwrap_or(at);
        if let Some(node) = item_node(it, key_at) {
            entries.push(Entry {
                key: k.to_string(),
                key_at,
                node,
            });
        }
    }
    entries.sort_by_key(|e| e.key_at);
    Node {
        at,
        kind: Kind::Table(entries),
    }
}

fn item_node(item: &Item, fallback: usize) -> Option<Node> {
    match item {
        Item::None => None,
        Item::Value(v) => Some(value(v, fallback)),
        Item::Table(t) => Some(table(t, fallback)),
        Item::ArrayOfTables(a) => {
            let at = a.span().map(|s| s.start).unwrap_or(fallback);
            Some(Node {
                at,
                kind: Kind::Array(a.iter().map(|t| table(t, at)).collect()),
            })
        }
    }
}

fn value(v: &Value, fallback: usize) -> Node {
    let at = v.span().map(|s| s.start).unwrap_or(fallback);
    let kind = match v {
        Value::String(s) => Kind::Str(s.value().clone()),
        Value::Integer(i) => Kind::Int(*i.value()),
        Value::Float(f) => Kind::Float(*f.value()),
        Value::Boolean(b) => Kind::Bool(*b.value()),
        Value::Datetime(d) => Kind::Date(d.value().to_string()),
        Value::Array(a) => Kind::Array(a.iter().map(|x| value(x, at)).collect()),
        Value::InlineTable(t) => {
            let mut entries = Vec::new();
            for (k, _) in t.iter() {
                let (key, it) = t.get_key_value(k).expect("key listed by iter");
                let key_at = key.span().map(|s| s.start).unwrap_or(at);
                if let Some(node) = item_node(it, key_at) {
                    entries.push(Entry {
                        key: k.to_string(),
                        key_at,
                        node,
                    });
                }
            }
            entries.sort_by_key(|e| e.key_at);
            Kind::Table(entries)
        }
    };
    Node { at, kind }
}
