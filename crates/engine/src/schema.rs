//! The JSON Schema (draft 2020-12) of every document, generated from its type.
//!
//! They are committed as `docs/schema/KIND.schema.json`; a test fails when a committed file is
//! not what the types generate, and writes them anew with `BRINK_WRITE_SCHEMAS=1`:
//!
//! ```text
//! BRINK_WRITE_SCHEMAS=1 cargo test -p brink-engine --release --test schema
//! ```

use serde_json::Value;

use crate::doc::{
    Backtest, Check, CrisisAnalysis, Eval, EvalIcb, Forecast, Sensitivity, Solve, Timeline, WhatIf,
    SCHEMA_VERSION,
};

/// Each document's kind (the `document` field, and the file name `KIND.schema.json`) and its
/// JSON Schema.
pub fn schemas() -> Vec<(&'static str, Value)> {
    fn of<T: schemars::JsonSchema>(kind: &str) -> Value {
        let mut v = serde_json::to_value(schemars::schema_for!(T)).unwrap_or(Value::Null);
        if let Value::Object(m) = &mut v {
            m.insert(
                "$comment".into(),
                Value::String(format!(
                    "brink `{kind}` document, schema version {SCHEMA_VERSION}; generated from the \
                     Rust types of crates/engine/src/doc, do not edit"
                )),
            );
        }
        v
    }
    vec![
        ("forecast", of::<Forecast>("forecast")),
        ("crisis_analysis", of::<CrisisAnalysis>("crisis_analysis")),
        ("sensitivity", of::<Sensitivity>("sensitivity")),
        ("whatif", of::<WhatIf>("whatif")),
        ("timeline", of::<Timeline>("timeline")),
        ("backtest", of::<Backtest>("backtest")),
        ("eval", of::<Eval>("eval")),
        ("eval_icb", of::<EvalIcb>("eval_icb")),
        ("solve", of::<Solve>("solve")),
        ("check", of::<Check>("check")),
    ]
}

/// The schema of a document kind.
pub fn schema(kind: &str) -> Option<Value> {
    schemas()
        .into_iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, v)| v)
}

/// The schema as committed: pretty JSON with a final newline.
pub fn to_text(schema: &Value) -> String {
    let mut s = serde_json::to_string_pretty(schema).unwrap_or_default();
    s.push('\n');
    s
}
