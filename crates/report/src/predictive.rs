//! Predictive distributions for people: the probabilistic evaluation as tables, each issue's
//! median and central intervals labelled with the scale's words, a backtest of the
//! distributions, and an HTML section with each issue's distribution against the actors'
//! positions.

use std::fmt::Write;

use brink_eval::backtest_dist::DistBacktest;
use brink_eval::predictive::Prediction;
use brink_eval::probabilistic::{PredictiveReport, LOG_BINS, PIT_BINS};
use brink_scenario::{Issue, Scenario, Values};

use crate::html::escape;
use crate::plot::predictive::predictive_plot_of;
use crate::plot::PlotError;
use crate::table::num;

fn pad(s: &str, w: usize) -> String {
    let n = s.chars().count();
    if n >= w {
        s.to_string()
    } else {
        format!("{s}{}", " ".repeat(w - n))
    }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n - 1).collect::<String>().trim_end())
    }
}

/// The probabilistic evaluation as two aligned tables (accuracy, then calibration) and the PIT
/// histograms.
pub fn render_eval(r: &PredictiveReport) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Predictive distributions ({}): {} issues in {} proposals; 95% intervals: bootstrap over proposals ({} resamples, seed {}).",
        r.source, r.issues_with_outcome, r.groups, r.resamples, r.seed
    );
    let _ = writeln!(
        s,
        "CRPS: lower is better, in points of the scale; a point forecast's CRPS is its absolute error, so MAE is the point forecast's CRPS. Log score: ln P(the outcome's bin), {LOG_BINS} equal bins of the scale, floored at ln 0.001 (higher is better).\n"
    );
    let w = r
        .models
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        s,
        "{}  {:>4}  {:>22}  {:>22}  {:>24}  {:>6}",
        pad("model", w),
        "n",
        "MAE (95% CI)",
        "CRPS (95% CI)",
        "CRPS vs compromise",
        "log"
    );
    for m in &r.models {
        let vs = m
            .crps_vs_compromise
            .map(|e| format!("{:+.2} ({:+.2}, {:+.2})", e.value, e.lo, e.hi))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "{}  {:>4}  {:>6.2} ({:>6.2}, {:>6.2})  {:>6.2} ({:>6.2}, {:>6.2})  {:>24}  {:>6.2}{}",
            pad(&m.name, w),
            m.n,
            m.mae,
            m.mae_ci.lo,
            m.mae_ci.hi,
            m.crps,
            m.crps_ci.lo,
            m.crps_ci.hi,
            vs,
            m.log_score,
            if m.distribution { "" } else { "  (point only)" }
        );
    }
    let _ = writeln!(
        s,
        "\nCalibration: share of outcomes inside the central interval (nominal 0.50, 0.80, 0.90), with 95% CI, and the interval's mean width."
    );
    let _ = writeln!(
        s,
        "{}  {:>19}  {:>19}  {:>19}  {:>18}",
        pad("model", w),
        "50% (95% CI)",
        "80% (95% CI)",
        "90% (95% CI)",
        "width 50/80/90"
    );
    for m in &r.models {
        let cell = |l: &str| {
            let e = m.coverage_ci[l];
            format!("{:.2} ({:.2}, {:.2})", e.value, e.lo, e.hi)
        };
        let _ = writeln!(
            s,
            "{}  {:>19}  {:>19}  {:>19}  {:>5.1} {:>5.1} {:>5.1}",
            pad(&m.name, w),
            cell("0.5"),
            cell("0.8"),
            cell("0.9"),
            m.width["0.5"],
            m.width["0.8"],
            m.width["0.9"]
        );
    }
    let _ = writeln!(
        s,
        "\nPIT histogram: share of outcomes per tenth of the forecast distribution ({PIT_BINS} bins; 10 each when calibrated; high ends: too narrow, high middle: too wide)."
    );
    for m in &r.models {
        let bars: Vec<String> = m
            .pit
            .iter()
            .map(|x| format!("{:>3.0}", 100.0 * x))
            .collect();
        let _ = writeln!(s, "{}  {}", pad(&m.name, w), bars.join(" "));
    }
    s
}

fn label_at(issue: &Issue, x: f64) -> String {
    short(issue.nearest_label(x), 40)
}

/// Per issue, each model's median and central 50% and 90% intervals, in numbers and in the
/// scale's words, and the point masses holding 5% or more. `predictions[model][issue]`.
pub fn render_run(sc: &Scenario, predictions: &[Vec<Option<Prediction>>]) -> String {
    let mut s = String::new();
    let widen: Vec<f64> = predictions
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.summary.widening)
        .collect();
    let draws = predictions
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.centres)
        .max()
        .unwrap_or(1);
    let _ = writeln!(
        s,
        "Where each issue settles, with honest uncertainty: each model's error on EU legislative decisions (DEU III){}{}.",
        if draws > 1 {
            format!(", around its forecasts in {draws} Monte Carlo draws")
        } else {
            String::new()
        },
        match widen.iter().copied().fold(None, |a: Option<f64>, w| Some(a.map_or(w, |x| x.max(w)))) {
            Some(w) if w != 1.0 => format!(
                ", widened x{} because the inputs are not expert interviews (docs/uncertainty.md)",
                num(w)
            ),
            _ => String::new(),
        }
    );
    let mw = predictions
        .iter()
        .flatten()
        .flatten()
        .map(|p| p.model.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    for (k, issue) in sc.issues.iter().enumerate() {
        let rows: Vec<&Prediction> = predictions
            .iter()
            .filter_map(|per| per.get(k).and_then(|p| p.as_ref()))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(s, "\n{}", issue.name);
        let _ = writeln!(
            s,
            "  {}  {:>7}  {:>17}  {:>17}  in words",
            pad("model", mw),
            "median",
            "50% interval",
            "90% interval"
        );
        for p in rows {
            let i50 = p.summary.intervals["0.5"];
            let i90 = p.summary.intervals["0.9"];
            let _ = writeln!(
                s,
                "  {}  {:>7}  {:>17}  {:>17}  most likely \"{}\"",
                pad(&p.model, mw),
                num(p.summary.median),
                format!("{} to {}", num(i50.0), num(i50.1)),
                format!("{} to {}", num(i90.0), num(i90.1)),
                label_at(issue, p.summary.median)
            );
            let _ = writeln!(
                s,
                "  {}  {:>7}  {:>17}  {:>17}  90%: from \"{}\" to \"{}\"",
                pad("", mw),
                "",
                "",
                "",
                label_at(issue, i90.0),
                label_at(issue, i90.1)
            );
            let masses: Vec<String> = p
                .summary
                .point_masses
                .iter()
                .filter(|m| m.1 >= 0.05)
                .map(|(x, w)| format!("{:.0}% exactly at {}", 100.0 * w, num(*x)))
                .collect();
            if !masses.is_empty() {
                let _ = writeln!(
                    s,
                    "  {}  {:>7}  {:>17}  {:>17}  {}",
                    pad("", mw),
                    "",
                    "",
                    "",
                    masses.join(", ")
                );
            }
        }
    }
    s
}

/// A backtest of distributions as text: per issue the outcome and each model's CRPS beside its
/// point error and where the outcome fell; then per model the means and coverage.
pub fn render_backtest(sc: &Scenario, bt: &DistBacktest) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "Distributions against what happened (CRPS: lower is better; a point forecast's CRPS is its absolute error):"
    );
    let mw = bt
        .models
        .iter()
        .map(|m| m.model.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    for i in &bt.issues {
        let name = sc
            .issue_index(&i.issue)
            .map_or(i.issue.as_str(), |k| sc.issues[k].name.as_str());
        let _ = writeln!(s, "\n{} — happened: {}", name, num(i.outcome));
        for d in &i.models {
            let inside = if d.inside["0.5"] {
                "inside the 50% interval"
            } else if d.inside["0.9"] {
                "inside the 90% interval, outside the 50%"
            } else {
                "outside the 90% interval"
            };
            let _ = writeln!(
                s,
                "  {}  point {:>6}  |error| {:>6}  median {:>6}  CRPS {:>6}  {}",
                pad(&d.model, mw),
                d.point.map_or("-".into(), num),
                d.abs_error.map_or("-".into(), num),
                num(d.median),
                num(d.crps),
                inside
            );
        }
    }
    let _ = writeln!(s, "\nPer model ({} issues at most):", bt.issues.len());
    for m in &bt.models {
        let _ = writeln!(
            s,
            "  {}  n {}  MAE {:>6}  CRPS {:>6}  inside 50%: {:.0}%, 80%: {:.0}%, 90%: {:.0}%",
            pad(&m.model, mw),
            m.n,
            m.mae.map_or("-".into(), num),
            num(m.crps),
            100.0 * m.coverage["0.5"],
            100.0 * m.coverage["0.8"],
            100.0 * m.coverage["0.9"]
        );
    }
    s
}

/// An HTML section (`<section id="distributions">`) with each issue's predictive distributions
/// drawn against the actors' positions (`values`: the positions to show, e.g. the point
/// estimates) and a table of medians and intervals; inline SVG, nothing loaded.
pub fn html_section(
    sc: &Scenario,
    values: &Values,
    predictions: &[Vec<Option<Prediction>>],
) -> Result<String, PlotError> {
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<section id=\"distributions\"><h2>Where each issue settles, with its uncertainty</h2>"
    );
    let _ = writeln!(
        h,
        "<p>Each model's forecast with its error as measured on EU legislative decisions (DEU III), around the Monte Carlo draws when there are any. How the distributions are made and what they do not know: <code>docs/uncertainty.md</code>.</p>"
    );
    for (k, issue) in sc.issues.iter().enumerate() {
        let rows: Vec<&Prediction> = predictions
            .iter()
            .filter_map(|per| per.get(k).and_then(|p| p.as_ref()))
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<h3>{}</h3>", escape(&issue.name));
        h.push_str(&predictive_plot_of(sc, values, k, &rows)?);
        let _ = writeln!(
            h,
            "<table><tr><th>model</th><th>median</th><th>50% interval</th><th>90% interval</th><th>most likely</th></tr>"
        );
        for p in rows {
            let i50 = p.summary.intervals["0.5"];
            let i90 = p.summary.intervals["0.9"];
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{} to {}</td><td>{} to {}</td><td>{}</td></tr>",
                escape(&p.model),
                num(p.summary.median),
                num(i50.0),
                num(i50.1),
                num(i90.0),
                num(i90.1),
                escape(issue.nearest_label(p.summary.median))
            );
        }
        let _ = writeln!(h, "</table>");
    }
    let _ = writeln!(h, "</section>");
    Ok(h)
}
