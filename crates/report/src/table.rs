//! The forecast as aligned text for a terminal: per issue, the status quo and each model's
//! forecast with the label of the nearest point of the scale and who decides it.

use brink_engine::doc::{Kind, ScalePoint, WhatIf};

use crate::{Forecast, IssueReport, ModelForecast};
use std::fmt::Write;

/// Formats a number on a scale compactly (at most 2 decimals, no trailing zeros).
pub fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn lpad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{}{s}", " ".repeat(w - n))
    }
}

/// Cuts a label to `n` characters with an ellipsis (the JSON keeps it whole).
fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>().trim_end())
    }
}

fn who(f: &ModelForecast) -> String {
    match f.kind {
        Kind::NoAgreement if !f.blockers.is_empty() => {
            format!("blocked by {}", f.blockers.join(", "))
        }
        Kind::NoAgreement => "nobody gains from a change".into(),
        Kind::NotCovered => f.reason.clone().unwrap_or_default(),
        _ if f.decisive.is_empty() => String::new(),
        _ => f.decisive.join(", "),
    }
}

/// Renders the document as aligned text; `explain` adds each forecast's explanation lines.
pub fn render(doc: &Forecast, explain: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  (as of {})",
        doc.scenario.title, doc.scenario.as_of
    );
    let _ = writeln!(out, "{}", doc.scenario.question);
    let mw = doc
        .models
        .iter()
        .map(|m| m.len())
        .max()
        .unwrap_or(0)
        .max(10);
    for is in &doc.issues {
        let end = |p: Option<&ScalePoint>, v: f64| match p {
            Some(p) if p.label != num(v) => format!("{} {}", num(v), p.label),
            _ => num(v),
        };
        let ends = format!(
            "{} .. {}",
            end(is.points.first(), is.min),
            end(is.points.last(), is.max)
        );
        let _ = writeln!(out, "\n{}  [{}]", is.name, ends);
        let mut rows: Vec<[String; 4]> = vec![[
            "model".into(),
            "value".into(),
            "nearest point of the scale".into(),
            "decided by".into(),
        ]];
        rows.push(match (is.status_quo, &is.status_quo_label) {
            (Some(q), Some(l)) => ["status quo".into(), num(q), short(l, 56), String::new()],
            _ => [
                "status quo".into(),
                "-".into(),
                "not given".into(),
                String::new(),
            ],
        });
        for f in &forecasts_of(is) {
            let (v, l) = match (f.kind, f.value, &f.label) {
                (Kind::NotCovered, _, _) => ("-".to_string(), "not covered".to_string()),
                (Kind::NoAgreement, Some(v), _) => {
                    (num(v), "no agreement: status quo stays".to_string())
                }
                (_, Some(v), Some(l)) => (num(v), l.clone()),
                _ => ("-".into(), String::new()),
            };
            rows.push([f.model.clone(), v, short(&l, 56), who(f)]);
        }
        let vw = rows.iter().map(|r| r[1].chars().count()).max().unwrap_or(0);
        let lw = rows.iter().map(|r| r[2].chars().count()).max().unwrap_or(0);
        for (i, r) in rows.iter().enumerate() {
            let line = format!(
                "  {}  {}  {}  {}",
                pad(&r[0], mw),
                lpad(&r[1], vw),
                pad(&r[2], lw),
                r[3]
            );
            let _ = writeln!(out, "{}", line.trim_end());
            if explain && i > 1 {
                for e in &forecasts_of(is)[i - 2].explanation {
                    let _ = writeln!(out, "  {}    {}", " ".repeat(mw), e);
                }
            }
        }
    }
    out
}

fn forecasts_of(is: &IssueReport) -> Vec<&ModelForecast> {
    is.forecasts.iter().collect()
}

/// Two runs side by side (as given, as changed): one row per issue and model, marking the
/// forecasts that changed.
pub fn render_whatif(w: &WhatIf) -> String {
    let (a, b) = (&w.as_given, &w.as_changed);
    let mut out = String::new();
    let _ = writeln!(out, "{}  (as of {})", a.scenario.title, a.scenario.as_of);
    for c in &w.changes {
        let _ = writeln!(out, "what if {}: {} -> {}", c.name, num(c.from), num(c.to));
    }
    let cell = |f: &ModelForecast| match (f.kind, f.value) {
        (Kind::NotCovered, _) => "-".to_string(),
        (Kind::NoAgreement, Some(v)) => format!("{} (no agreement)", num(v)),
        (_, Some(v)) => num(v),
        _ => "-".into(),
    };
    for (x, y) in a.issues.iter().zip(&b.issues) {
        let _ = writeln!(out, "\n{}", x.name);
        let mw = x
            .forecasts
            .iter()
            .map(|f| f.model.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            out,
            "  {}  {:>22}  {:>22}",
            pad("model", mw),
            "as given",
            "as changed"
        );
        for (f, g) in x.forecasts.iter().zip(&y.forecasts) {
            let moved = f.value != g.value || f.kind != g.kind;
            let _ = writeln!(
                out,
                "  {}  {:>22}  {:>22}{}",
                pad(&f.model, mw),
                cell(f),
                cell(g),
                if moved {
                    format!("  changed: {}", short(g.label.as_deref().unwrap_or(""), 48))
                } else {
                    String::new()
                }
            );
        }
    }
    out
}
