//! The forecast as aligned text for a terminal: per issue, the status quo and each model's
//! forecast with where it lies on the scale (in the scale's words) and who decides it.

use brink_engine::doc::{Kind, ScalePoint, WhatIf};

use crate::{Forecast, IssueReport, ModelForecast};
use std::fmt::Write;

/// Formats a number for a reader: at most 2 decimals, no trailing zeros; a number that would
/// show as 0 with two significant digits (`0.00012`, or `1.2×10^-9`); a number of a billion or
/// more with three significant digits and its power of ten (`1×10^308`).
pub fn num(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "-".into()
        } else if v > 0.0 {
            "∞".into()
        } else {
            "-∞".into()
        };
    }
    let a = v.abs();
    if a >= 1e9 {
        // A huge number: three significant digits and its power of ten.
        let e = a.log10().floor() as i32;
        let m = v / 10f64.powi(e);
        let m = format!("{m:.2}");
        let m = m.trim_end_matches('0').trim_end_matches('.');
        return format!("{m}×10^{e}");
    }
    if a > 0.0 && a < 0.005 {
        // A small number that two decimals would show as 0: two significant digits.
        let e = a.log10().floor() as i32;
        let places = (1 - e).clamp(0, 99) as usize;
        if places <= 6 {
            let s = format!("{v:.places$}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            return s.to_string();
        }
        let m = v / 10f64.powi(e);
        return format!("{:.1}×10^{e}", m);
    }
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

/// Fits text to a terminal `width` characters wide: a longer row of a table (a line with
/// columns: two spaces after its indentation) is cut with an ellipsis, a longer line of prose
/// (a crisis's path, a note) is continued on the next lines under its own indentation; with
/// `wrap`, every line is wrapped.
pub fn fit(text: &str, width: usize, wrap: bool) -> String {
    let width = width.max(20);
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let n = line.chars().count();
        let row = line.trim_start().contains("  ");
        if n <= width {
            out.push_str(line);
        } else if !wrap && row {
            out.push_str(&short(line, width));
        } else {
            let indent = line
                .chars()
                .take_while(|c| *c == ' ')
                .count()
                .min(width / 2)
                + 2;
            let mut rest: Vec<char> = line.chars().collect();
            let mut first = true;
            while !rest.is_empty() {
                let room = if first { width } else { width - indent };
                let mut cut = rest.len().min(room);
                if cut < rest.len() {
                    if let Some(sp) = rest[..cut].iter().rposition(|c| *c == ' ') {
                        if sp > room / 3 {
                            cut = sp;
                        }
                    }
                }
                if !first {
                    out.push_str(&" ".repeat(indent));
                }
                let piece: String = rest[..cut].iter().collect();
                out.push_str(piece.trim_end());
                rest.drain(..cut);
                while rest.first() == Some(&' ') {
                    rest.remove(0);
                }
                if !rest.is_empty() {
                    out.push('\n');
                }
                first = false;
            }
        }
        out.push('\n');
    }
    if !text.ends_with('\n') {
        out.pop();
    }
    out
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
            "on the scale".into(),
            "decided by".into(),
        ]];
        rows.push(match (is.status_quo, &is.status_quo_label) {
            (Some(q), Some(_)) => [
                "status quo".into(),
                num(q),
                short(&where_on(is, q), 64),
                String::new(),
            ],
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
                (_, Some(v), Some(_)) => (num(v), where_on(is, v)),
                _ => ("-".into(), String::new()),
            };
            rows.push([f.model.clone(), v, short(&l, 64), who(f)]);
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

/// Where a value lies on an issue's scale, for a column: the labels of a "between" phrase cut
/// to 18 characters each.
pub fn where_on(is: &IssueReport, x: f64) -> String {
    let pts: Vec<(f64, &str)> = is.points.iter().map(|p| (p.at, p.label.as_str())).collect();
    brink_scenario::describe_on_scale(&pts, is.max - is.min, x, Some(18))
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
