//! Predictive distributions for people: the probabilistic evaluation as tables, each issue's
//! median and central intervals labelled with the scale's words, a backtest of the
//! distributions, and an HTML section with each issue's distribution against the actors'
//! positions.

use std::fmt::Write;

use brink_engine::doc::{
    CentralInterval, Forecast, IssueReport, PredictiveForecast, PredictiveInfo,
};
use brink_eval::backtest_dist::DistBacktest;
use brink_eval::predictive::Prediction;
use brink_eval::probabilistic::{PredictiveReport, LOG_BINS, PIT_BINS};
use brink_scenario::{Issue, Scenario, Values};

use crate::html::escape;
use crate::plot::predictive::{predictive_plot_of, predictive_plot_of_report};
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
    render_backtest_named(bt, |id| {
        sc.issue_index(id)
            .map_or(id.to_string(), |k| sc.issues[k].name.clone())
    })
}

/// [`render_backtest`] with the issues named by `name` (from their ids).
pub fn render_backtest_named(bt: &DistBacktest, name: impl Fn(&str) -> String) -> String {
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
        let _ = writeln!(s, "\n{} — happened: {}", name(&i.issue), num(i.outcome));
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

/// How the distributions were made, in one sentence: the error model's data, the centres, the
/// widening factor and how to change it.
pub fn predictive_note(info: &PredictiveInfo) -> String {
    let centres = if info.draws_mixed > 0 {
        format!(
            "around its forecasts in the first {} Monte Carlo draws",
            info.draws_mixed
        )
    } else {
        "around its forecast on the point estimates (in each world of the rival hypotheses, by its probability)".to_string()
    };
    let widen = match info.widen {
        Some(w) => format!(
            "widened x{} for every issue (--widen; the default is x{} where the inputs are not expert interviews)",
            num(w),
            num(info.default_widening)
        ),
        None => format!(
            "widened x{} where the inputs are not expert interviews (the default: an issue may set its own with meta.widening, --widen FACTOR sets every issue's, 1 keeps the measured error)",
            num(info.default_widening)
        ),
    };
    format!(
        "each model's error as measured on EU legislative decisions ({}), {centres}; {widen}. See docs/uncertainty.md.",
        info.error_models
    )
}

/// An interval in the scale's words, its labels cut to `width` characters.
fn between(i: &CentralInterval, width: usize) -> String {
    if i.lo_label == i.hi_label {
        format!(
            "\"{}\" ({} to {})",
            short(&i.lo_label, width),
            num(i.lo),
            num(i.hi)
        )
    } else {
        format!(
            "between \"{}\" ({}) and \"{}\" ({})",
            short(&i.lo_label, width),
            num(i.lo),
            short(&i.hi_label, width),
            num(i.hi)
        )
    }
}

/// Per issue, each model's median and central 50% and 90% intervals of the predictive
/// distribution, in numbers and in the scale's words, and the point masses holding 5% or more:
/// what `brink run` prints after the point forecasts. Empty when the document has none.
pub fn render_forecast(doc: &Forecast) -> String {
    let Some(info) = &doc.predictive else {
        return String::new();
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nWhere each issue settles, with its uncertainty: the median and the central 50% and 90% intervals of each model's predictive distribution.\nMade from {}",
        predictive_note(info)
    );
    let mw = doc
        .models
        .iter()
        .map(|m| m.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    for is in &doc.issues {
        let rows: Vec<(&str, &PredictiveForecast)> = is
            .forecasts
            .iter()
            .filter_map(|f| f.predictive.as_ref().map(|p| (f.model.as_str(), p)))
            .collect();
        let Some(first) = rows.first() else {
            continue;
        };
        let all_same = rows.iter().all(|r| r.1.widening == first.1.widening);
        let _ = writeln!(
            s,
            "\n{}  [{} .. {}]{}",
            is.name,
            num(is.min),
            num(is.max),
            if all_same {
                format!("  widened x{}", num(first.1.widening))
            } else {
                String::new()
            }
        );
        let _ = writeln!(
            s,
            "  {}  {:>7}  {:>16}  {:>16}",
            pad("model", mw),
            "median",
            "50% interval",
            "90% interval"
        );
        for (model, p) in rows {
            let (Some(i50), Some(i90)) = (p.interval(0.5), p.interval(0.9)) else {
                continue;
            };
            let _ = writeln!(
                s,
                "  {}  {:>7}  {:>16}  {:>16}  median: \"{}\"",
                pad(model, mw),
                num(p.median),
                format!("{} to {}", num(i50.lo), num(i50.hi)),
                format!("{} to {}", num(i90.lo), num(i90.hi)),
                short(&p.median_label, 48)
            );
            let indent = " ".repeat(mw + 2);
            let _ = writeln!(s, "  {indent}50%: {}", between(i50, 48));
            let _ = writeln!(s, "  {indent}90%: {}", between(i90, 48));
            let masses: Vec<String> = p
                .point_masses
                .iter()
                .filter(|m| m.p >= 0.05)
                .map(|m| format!("{:.0}% exactly at {}", 100.0 * m.p, num(m.at)))
                .collect();
            if !masses.is_empty() {
                let _ = writeln!(s, "  {indent}{}", masses.join(", "));
            }
            if !all_same {
                let _ = writeln!(s, "  {indent}widened x{}", num(p.widening));
            }
        }
    }
    s
}

/// One issue's predictive distributions for the HTML report: each model's distribution drawn
/// against the actors' positions (`values`: the positions to show) and a table of medians and
/// intervals in numbers and in the scale's words. Empty when the issue has none.
pub fn html_issue(
    sc: &Scenario,
    values: &Values,
    k: usize,
    rep: &IssueReport,
    info: &PredictiveInfo,
) -> Result<String, PlotError> {
    let rows: Vec<(&str, &PredictiveForecast)> = rep
        .forecasts
        .iter()
        .filter_map(|f| f.predictive.as_ref().map(|p| (f.model.as_str(), p)))
        .collect();
    if rows.is_empty() {
        return Ok(String::new());
    }
    let mut h = String::new();
    let _ = writeln!(
        h,
        "<h4>Where it settles, with its uncertainty</h4>\n<p class=\"small muted\">The median and central intervals of each model's predictive distribution, made from {}</p>",
        escape(&predictive_note(info))
    );
    h.push_str("<table class=\"predictive\"><thead><tr><th>model</th><th class=\"num\">median</th><th class=\"num\">50% interval</th><th class=\"num\">90% interval</th><th>in the scale's words</th></tr></thead><tbody>\n");
    for (model, p) in &rows {
        let (Some(i50), Some(i90)) = (p.interval(0.5), p.interval(0.9)) else {
            continue;
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td class=\"num\">{} to {}</td><td>median: {}<br>50%: {}<br>90%: {}</td></tr>",
            escape(model),
            num(p.median),
            num(i50.lo),
            num(i50.hi),
            num(i90.lo),
            num(i90.hi),
            escape(&p.median_label),
            escape(&between(i50, usize::MAX)),
            escape(&between(i90, usize::MAX)),
        );
    }
    h.push_str("</tbody></table>\n");
    let svg = predictive_plot_of_report(sc, values, k, rep)?;
    let _ = writeln!(
        h,
        "<figure>{svg}<figcaption>Each model's predictive distribution (bars: probability over the scale; sticks: point masses; under it the 90% and 50% intervals and the median) against the actors' positions.</figcaption></figure>"
    );
    Ok(h)
}
