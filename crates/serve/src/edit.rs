//! Edits of a scenario's TOML text that keep its comments and layout: the text is parsed with
//! `toml_edit`, the value at a field path (`stances[3].position.triangular[1]`, the same paths the
//! validator's messages name) is replaced in place with the old value's surrounding whitespace
//! and comments, and the document is written back. Also the TOML as JSON, for the page.

use serde::Deserialize;
use serde_json::{Map, Value as Json};
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

use crate::error::Error;

/// One segment of a field path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A key of a table.
    Key(String),
    /// An index into an array (or an array of tables).
    Index(usize),
}

/// Parses a field path as the validator writes it: keys joined by `.`, indices in brackets
/// (`stances[3].salience`, `crises[0].p_win.triangular[2]`).
pub fn parse_path(path: &str) -> Result<Vec<Seg>, Error> {
    let bad = |why: &str| Error::BadRequest(format!("field path `{path}`: {why}"));
    let mut segs = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(bad("expected keys of letters, digits, `_` or `-`"));
        }
        segs.push(Seg::Key(key.to_string()));
        while !rest.is_empty() {
            let close = rest.find(']').ok_or_else(|| bad("unclosed `[`"))?;
            if !rest.starts_with('[') {
                return Err(bad("text after `]`"));
            }
            let n: usize = rest[1..close]
                .parse()
                .map_err(|_| bad("an index must be a whole number"))?;
            segs.push(Seg::Index(n));
            rest = &rest[close + 1..];
        }
    }
    Ok(segs)
}

/// One edit the page sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    /// The field path.
    pub path: String,
    /// The new value (a number, string, boolean, or an array or object of them).
    #[serde(default)]
    pub value: Option<Json>,
    /// Remove the field (or array element) instead.
    #[serde(default)]
    pub remove: bool,
    /// Append this object as a new table to the array of tables at `path` (`actors`, `stances`).
    #[serde(default)]
    pub append: Option<Map<String, Json>>,
}

/// Applies edits to a TOML text and returns the new text; everything the edits do not touch
/// (comments, blank lines, key order, number formats) is kept byte for byte.
pub fn apply(text: &str, edits: &[Edit]) -> Result<String, Error> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| Error::Unprocessable(format!("the scenario is not valid TOML: {e}")))?;
    for e in edits {
        let segs = parse_path(&e.path)?;
        let root = doc.as_item_mut();
        if let Some(obj) = &e.append {
            append(root, &segs, obj).map_err(|m| at(&e.path, m))?;
        } else if e.remove {
            remove(root, &segs).map_err(|m| at(&e.path, m))?;
        } else {
            let v = e
                .value
                .as_ref()
                .ok_or_else(|| at(&e.path, "no value given".into()))?;
            set_item(root, &segs, v).map_err(|m| at(&e.path, m))?;
        }
    }
    Ok(doc.to_string())
}

fn at(path: &str, m: String) -> Error {
    Error::BadRequest(format!("{path}: {m}"))
}

/// A JSON value as a TOML value; `like` is the value it replaces (an integral number replacing a
/// float stays a float, a string replacing a date becomes a date if it reads as one).
fn to_value(v: &Json, like: Option<&Value>) -> Result<Value, String> {
    Ok(match v {
        Json::Bool(b) => Value::from(*b),
        Json::Number(n) => {
            let f = n.as_f64().ok_or("a number out of range")?;
            if !f.is_finite() {
                return Err("a number must be finite".into());
            }
            let was_float = matches!(like, Some(Value::Float(_)));
            if !was_float && f.fract() == 0.0 && f.abs() < 9.0e15 {
                Value::from(f as i64)
            } else {
                Value::from(f)
            }
        }
        Json::String(s) => match like {
            Some(Value::Datetime(_)) => s
                .parse::<toml_edit::Datetime>()
                .map(Value::from)
                .map_err(|_| format!("`{s}` is not a date (YYYY-MM-DD)"))?,
            _ => Value::from(s.as_str()),
        },
        Json::Array(xs) => {
            let mut a = Array::new();
            for (i, x) in xs.iter().enumerate() {
                let old = match like {
                    Some(Value::Array(o)) => o.get(i),
                    _ => None,
                };
                a.push(to_value(x, old)?);
            }
            Value::Array(a)
        }
        Json::Object(m) => {
            let mut t = InlineTable::new();
            for (k, x) in m {
                t.insert(k, to_value(x, None)?);
            }
            Value::InlineTable(t)
        }
        Json::Null => return Err("null is not a TOML value (remove the field instead)".into()),
    })
}

/// Replaces `old` with `new`, keeping `old`'s surrounding whitespace and comments.
fn replace(old: &mut Value, v: &Json) -> Result<(), String> {
    let mut new = to_value(v, Some(old))?;
    *new.decor_mut() = old.decor().clone();
    *old = new;
    Ok(())
}

fn set_item(item: &mut Item, segs: &[Seg], v: &Json) -> Result<(), String> {
    match (item, segs.split_first()) {
        (Item::Value(val), None) => replace(val, v),
        (item @ Item::None, None) => {
            *item = Item::Value(to_value(v, None)?);
            Ok(())
        }
        (Item::Table(t), Some((Seg::Key(k), rest))) => set_table(t, k, rest, v),
        (Item::ArrayOfTables(a), Some((Seg::Index(i), rest))) => {
            let n = a.len();
            let t = a
                .get_mut(*i)
                .ok_or_else(|| format!("there are {n} entries, no [{i}]"))?;
            match rest.split_first() {
                Some((Seg::Key(k), rest)) => set_table(t, k, rest, v),
                _ => Err("a table can only be edited field by field".into()),
            }
        }
        (Item::Value(val), Some(_)) => set_value(val, segs, v),
        _ => Err("no such field".into()),
    }
}

fn set_table(t: &mut Table, k: &str, rest: &[Seg], v: &Json) -> Result<(), String> {
    match t.get_mut(k) {
        Some(item) => set_item(item, rest, v),
        None if rest.is_empty() => {
            t.insert(k, Item::Value(to_value(v, None)?));
            Ok(())
        }
        None => Err(format!("no field `{k}`")),
    }
}

fn set_value(val: &mut Value, segs: &[Seg], v: &Json) -> Result<(), String> {
    let Some((first, rest)) = segs.split_first() else {
        return replace(val, v);
    };
    match (val, first) {
        (Value::InlineTable(t), Seg::Key(k)) => match t.get_mut(k) {
            Some(x) => set_value(x, rest, v),
            None if rest.is_empty() => {
                t.insert(k, to_value(v, None)?);
                Ok(())
            }
            None => Err(format!("no field `{k}`")),
        },
        (Value::Array(a), Seg::Index(i)) => {
            let n = a.len();
            let x = a
                .get_mut(*i)
                .ok_or_else(|| format!("there are {n} entries, no [{i}]"))?;
            set_value(x, rest, v)
        }
        _ => Err("no such field".into()),
    }
}

fn remove(item: &mut Item, segs: &[Seg]) -> Result<(), String> {
    let (last, parent) = segs.split_last().ok_or("nothing to remove")?;
    let gone = match (walk(item, parent)?, last) {
        (Target::Table(t), Seg::Key(k)) | (Target::Item(Item::Table(t)), Seg::Key(k)) => {
            t.remove(k).is_some()
        }
        (Target::Item(Item::ArrayOfTables(a)), Seg::Index(i)) if *i < a.len() => {
            a.remove(*i);
            true
        }
        (Target::Item(Item::Value(v)) | Target::Value(v), _) => match (v, last) {
            (Value::InlineTable(t), Seg::Key(k)) => t.remove(k).is_some(),
            (Value::Array(a), Seg::Index(i)) if *i < a.len() => {
                a.remove(*i);
                true
            }
            _ => false,
        },
        _ => false,
    };
    if gone {
        Ok(())
    } else {
        Err("no such field".into())
    }
}

fn append(item: &mut Item, segs: &[Seg], obj: &Map<String, Json>) -> Result<(), String> {
    let wrong = || "append to an array of tables by its key (`stances`)".to_string();
    let (last, parent) = segs.split_last().ok_or("nowhere to append")?;
    let Seg::Key(k) = last else {
        return Err(wrong());
    };
    let t = match walk(item, parent)? {
        Target::Table(t) | Target::Item(Item::Table(t)) => t,
        _ => return Err(wrong()),
    };
    let mut table = Table::new();
    for (key, x) in obj {
        table.insert(key, Item::Value(to_value(x, None)?));
    }
    match t.get_mut(k) {
        Some(Item::ArrayOfTables(a)) => a.push(table),
        Some(_) => return Err(format!("`{k}` is not an array of tables")),
        None => {
            let mut a = ArrayOfTables::new();
            a.push(table);
            t.insert(k, Item::ArrayOfTables(a));
        }
    }
    Ok(())
}

/// Where a path leads.
enum Target<'a> {
    Item(&'a mut Item),
    Table(&'a mut Table),
    Value(&'a mut Value),
}

fn walk<'a>(item: &'a mut Item, segs: &[Seg]) -> Result<Target<'a>, String> {
    let Some((s, rest)) = segs.split_first() else {
        return Ok(Target::Item(item));
    };
    match (item, s) {
        (Item::Table(t), Seg::Key(k)) => {
            walk(t.get_mut(k).ok_or_else(|| format!("no field `{k}`"))?, rest)
        }
        (Item::ArrayOfTables(a), Seg::Index(i)) => {
            let t = a.get_mut(*i).ok_or("no such entry")?;
            walk_table(t, rest)
        }
        (Item::Value(v), _) => walk_value(v, segs),
        _ => Err("no such field".into()),
    }
}

fn walk_table<'a>(t: &'a mut Table, segs: &[Seg]) -> Result<Target<'a>, String> {
    match segs.split_first() {
        None => Ok(Target::Table(t)),
        Some((Seg::Key(k), rest)) => {
            walk(t.get_mut(k).ok_or_else(|| format!("no field `{k}`"))?, rest)
        }
        Some(_) => Err("no such field".into()),
    }
}

fn walk_value<'a>(v: &'a mut Value, segs: &[Seg]) -> Result<Target<'a>, String> {
    let Some((s, rest)) = segs.split_first() else {
        return Ok(Target::Value(v));
    };
    match (v, s) {
        (Value::InlineTable(t), Seg::Key(k)) => {
            walk_value(t.get_mut(k).ok_or_else(|| format!("no field `{k}`"))?, rest)
        }
        (Value::Array(a), Seg::Index(i)) => walk_value(a.get_mut(*i).ok_or("no such entry")?, rest),
        _ => Err("no such field".into()),
    }
}

/// The TOML text as JSON text (tables as objects with their keys in the file's order, arrays of
/// tables as arrays, dates as strings), for the page to show and edit field by field.
pub fn to_json_text(text: &str) -> Result<String, Error> {
    let doc: DocumentMut = text
        .parse()
        .map_err(|e| Error::Unprocessable(format!("the scenario is not valid TOML: {e}")))?;
    let mut out = String::with_capacity(text.len() * 2);
    item_json(doc.as_item(), &mut out);
    Ok(out)
}

/// The same, parsed (keys sorted: for tests and for Rust callers).
pub fn to_json(text: &str) -> Result<Json, Error> {
    serde_json::from_str(&to_json_text(text)?).map_err(|e| Error::Io(e.to_string()))
}

fn string_json(s: &str, out: &mut String) {
    out.push_str(&Json::String(s.to_string()).to_string());
}

fn object_json<'a, V: 'a>(
    entries: impl Iterator<Item = (&'a str, &'a V)>,
    out: &mut String,
    f: impl Fn(&V, &mut String),
) {
    out.push('{');
    for (i, (k, v)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        string_json(k, out);
        out.push(':');
        f(v, out);
    }
    out.push('}');
}

fn item_json(item: &Item, out: &mut String) {
    match item {
        Item::None => out.push_str("null"),
        Item::Value(v) => value_json(v, out),
        Item::Table(t) => object_json(t.iter(), out, item_json),
        Item::ArrayOfTables(a) => {
            out.push('[');
            for (i, t) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                object_json(t.iter(), out, item_json);
            }
            out.push(']');
        }
    }
}

fn value_json(v: &Value, out: &mut String) {
    match v {
        Value::String(s) => string_json(s.value(), out),
        Value::Integer(i) => out.push_str(&i.value().to_string()),
        Value::Float(f) => out.push_str(
            &serde_json::Number::from_f64(*f.value()).map_or("null".to_string(), |n| n.to_string()),
        ),
        Value::Boolean(b) => out.push_str(if *b.value() { "true" } else { "false" }),
        Value::Datetime(d) => string_json(&d.value().to_string(), out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value_json(x, out);
            }
            out.push(']');
        }
        Value::InlineTable(t) => object_json(t.iter(), out, value_json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "# head\nbrink = 1\n\n[[stances]]\nactor = \"rus\" # who\nposition = { triangular = [80, 100, 100] } # note\nsalience = 0.5\n\n# tail\n";

    fn edit(path: &str, v: Json) -> Edit {
        Edit {
            path: path.into(),
            value: Some(v),
            remove: false,
            append: None,
        }
    }

    #[test]
    fn paths_parse_as_the_validator_writes_them() {
        assert_eq!(
            parse_path("stances[3].position.triangular[1]").unwrap(),
            vec![
                Seg::Key("stances".into()),
                Seg::Index(3),
                Seg::Key("position".into()),
                Seg::Key("triangular".into()),
                Seg::Index(1)
            ]
        );
        for bad in ["", "a..b", "a[x]", "a[1", "a[1]b", "a b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_edit_changes_only_its_value() {
        let out = apply(
            TEXT,
            &[edit("stances[0].position.triangular[1]", 90.into())],
        )
        .unwrap();
        assert_eq!(out, TEXT.replace("[80, 100, 100]", "[80, 90, 100]"));
        let out = apply(TEXT, &[edit("stances[0].salience", 1.into())]).unwrap();
        assert_eq!(out, TEXT.replace("0.5", "1.0"), "a float stays a float");
        let out = apply(TEXT, &[edit("stances[0].salience", 0.25.into())]).unwrap();
        assert_eq!(out, TEXT.replace("0.5", "0.25"));
    }

    #[test]
    fn remove_append_and_new_fields() {
        let out = apply(TEXT, &[edit("stances[0].note", "why".into())]).unwrap();
        assert!(out.contains("note = \"why\""), "{out}");
        let rm = Edit {
            path: "stances[0].salience".into(),
            value: None,
            remove: true,
            append: None,
        };
        let out = apply(TEXT, &[rm]).unwrap();
        assert!(!out.contains("salience"), "{out}");
        let mut obj = Map::new();
        obj.insert("actor".into(), "usa".into());
        let ap = Edit {
            path: "stances".into(),
            value: None,
            remove: false,
            append: Some(obj),
        };
        let out = apply(TEXT, &[ap]).unwrap();
        assert_eq!(out.matches("[[stances]]").count(), 2, "{out}");
        assert!(out.starts_with("# head\n"));
    }

    #[test]
    fn bad_edits_are_refused() {
        assert!(apply(TEXT, &[edit("stances[5].salience", 1.into())]).is_err());
        assert!(apply(TEXT, &[edit("nothing.here", 1.into())]).is_err());
        assert!(apply(TEXT, &[edit("stances[0].salience", Json::Null)]).is_err());
    }

    #[test]
    fn json_view() {
        let j = to_json(TEXT).unwrap();
        let text = to_json_text(TEXT).unwrap();
        assert!(
            text.find("\"actor\"").unwrap() < text.find("\"position\"").unwrap(),
            "the file's order"
        );
        assert_eq!(j["stances"][0]["position"]["triangular"][1], 100);
        assert_eq!(j["brink"], 1);
    }
}
