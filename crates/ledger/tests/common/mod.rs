//! Fixtures shared by the ledger's integration tests: a small world of questions and forecasts.
#![allow(dead_code)]

use std::path::PathBuf;

use brink_ledger::{
    ClassP, Date, Entry, Forecaster, Question, QuestionKind, ScenarioRef, Source, Statement,
};

pub fn d(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// A fresh folder and a ledger path inside a not-yet-existing subfolder.
pub fn temp() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("sub").join("ledger.sqlite3");
    (dir, p)
}

pub fn binary(id: &str) -> Question {
    Question {
        id: id.into(),
        text: format!("Does {id} happen?"),
        kind: QuestionKind::Binary,
    }
}

pub const CLASSES: [&str; 3] = ["war", "deal", "status quo"];

pub fn crisis(id: &str) -> Question {
    Question {
        id: id.into(),
        text: "How does the standoff end?".into(),
        kind: QuestionKind::Categorical {
            classes: CLASSES.iter().map(|c| c.to_string()).collect(),
        },
    }
}

pub fn issue(id: &str) -> Question {
    Question {
        id: id.into(),
        text: "Where does the issue settle?".into(),
        kind: QuestionKind::Continuous {
            min: 0.0,
            max: 100.0,
        },
    }
}

pub fn classes(ps: &[f64; 3]) -> Statement {
    Statement::Classes(
        CLASSES
            .iter()
            .zip(ps)
            .map(|(c, p)| ClassP {
                class: c.to_string(),
                p: *p,
            })
            .collect(),
    )
}

pub fn brink_entry(q: Question, statement: Statement, as_of: &str, tags: &[&str]) -> Entry {
    Entry {
        question: q,
        statement,
        forecaster: Forecaster::brink(None),
        scenario: Some(ScenarioRef {
            id: "fixture".into(),
            sha256: "ab".repeat(32),
        }),
        brink_version: Some("0.1.0".into()),
        seed: Some(7),
        draws: Some(2000),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        horizon: Some(d("2024-12-31")),
        as_of: d(as_of),
        backtest: false,
    }
}

pub fn crowd_entry(q: Question, statement: Statement, as_of: &str) -> Entry {
    Entry {
        question: q,
        statement,
        forecaster: Forecaster::external("crowd", "A crowd's published forecast (fixture)"),
        scenario: None,
        brink_version: None,
        seed: None,
        draws: None,
        tags: vec![],
        horizon: None,
        as_of: d(as_of),
        backtest: false,
    }
}

pub fn source(quote: &str) -> Source {
    Source {
        citation: "A dated report of what happened (fixture)".into(),
        quote: quote.into(),
    }
}
