//! The track-record page: one self-contained HTML file from a ledger's
//! [`brink_ledger::page::TrackPage`]: the ledger's integrity and chain heads, each kind of
//! forecast apart (live, of record, backtests, made after the outcome) with its scores beside the
//! base rate's, its running Brier and log scores over time, and, once enough questions are
//! resolved, its calibration chart and discrimination; then every forecast with its date,
//! question, probability, resolution, scores and receipt.

// HTML rows end in a newline of their own; `writeln!` would hide it in the macro.
#![allow(clippy::write_with_newline)]

use std::fmt::Write;

use brink_ledger::page::{Section, TrackPage, MIN_RESOLVED};
use brink_ledger::score::Scores;
use brink_ledger::track::{CalibrationSeries, TimeSeries};
use brink_ledger::{Date, Timestamp};

use crate::html::{escape, CSS};

/// Colours of the series (the report's palette), the base rate last in grey.
const COLOURS: [&str; 6] = [
    "#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860",
];
const GREY: &str = "#8c8c8c";

/// A forecaster's colour: by its place in `order` (the section's forecasters), the base rate grey.
fn colour(label: &str, order: &[String]) -> &'static str {
    if label == brink_ledger::score::BASE_RATE {
        return GREY;
    }
    let i = order.iter().position(|l| l == label).unwrap_or(order.len());
    COLOURS[i % COLOURS.len()]
}

/// The legend, right of a plot: one swatch per label, in order.
fn legend(s: &mut String, x: f64, y: f64, labels: &[(&str, &str)]) {
    for (i, (label, col)) in labels.iter().enumerate() {
        let yy = y + 16.0 * i as f64;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{yy}\" width=\"10\" height=\"10\" fill=\"{col}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            x + 14.0,
            yy + 9.0,
            escape(label)
        );
    }
}

fn f3(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format!("{v:.3}"))
}

fn f2(x: Option<f64>) -> String {
    x.map_or_else(|| "–".into(), |v| format!("{v:.2}"))
}

fn days(d: Date) -> f64 {
    Timestamp::start_of(d).0 as f64 / 86_400_000_000.0
}

/// The calibration chart: each forecaster's bins (mean probability against the share that
/// happened, the dot's area by count) over the diagonal of perfect calibration.
fn calibration_svg(series: &[CalibrationSeries], order: &[String]) -> String {
    let (pw, h, m) = (360.0, 360.0, 46.0);
    let w = pw + 200.0;
    let x = |p: f64| m + p * (pw - 2.0 * m);
    let y = |p: f64| h - m - p * (h - 2.0 * m);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"calibration\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">"
    );
    let _ = write!(
        s,
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"#fff\" stroke=\"#dee2e6\"/>",
        pw - 2.0 * m,
        h - 2.0 * m
    );
    for t in 0..=10 {
        let v = t as f64 / 10.0;
        let _ = write!(
            s,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#f0f0f0\"/><line x1=\"{3}\" y1=\"{4}\" x2=\"{5}\" y2=\"{4}\" stroke=\"#f0f0f0\"/>",
            x(v), y(0.0), y(1.0), x(0.0), y(v), x(1.0)
        );
        if t % 2 == 0 {
            let _ = write!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{v:.1}</text><text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v:.1}</text>",
                x(v),
                h - m + 14.0,
                m - 5.0,
                y(v) + 4.0
            );
        }
    }
    let _ = write!(
        s,
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>",
        x(0.0),
        y(0.0),
        x(1.0),
        y(1.0)
    );
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">forecast probability (bin mean)</text>\
         <text transform=\"translate(12 {}) rotate(-90)\" text-anchor=\"middle\">share that happened</text>",
        pw / 2.0,
        h - 8.0,
        h / 2.0
    );
    let mut shown: Vec<(&str, &str)> = Vec::new();
    for c in series {
        let col = colour(&c.forecaster, order);
        let pts: Vec<(f64, f64, usize)> = c
            .bins
            .iter()
            .filter(|b| b.n > 0)
            .map(|b| (b.mean_p, b.observed, b.n))
            .collect();
        if pts.len() > 1 {
            let d: Vec<String> = pts
                .iter()
                .map(|(p, o, _)| format!("{:.1},{:.1}", x(*p), y(*o)))
                .collect();
            let _ = write!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{col}\" stroke-width=\"1.5\" opacity=\"0.8\"/>",
                d.join(" ")
            );
        }
        for (p, o, n) in pts {
            let r = 2.5 + (n as f64).sqrt() * 1.2;
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"{r:.1}\" fill=\"{col}\" fill-opacity=\"0.55\" stroke=\"{col}\"><title>{}: {n} events, mean p {p:.3}, happened {o:.3}</title></circle>",
                x(p),
                y(o),
                escape(&c.forecaster)
            );
        }
        if c.bins.iter().any(|b| b.n > 0) {
            shown.push((&c.forecaster, col));
        }
    }
    legend(&mut s, pw + 6.0, m, &shown);
    s.push_str("</svg>");
    s
}

/// Running mean Brier score of the yes/no events by as-of date, one line per forecaster.
fn over_time_svg(series: &[TimeSeries], order: &[String]) -> Option<String> {
    let pts: Vec<(f64, f64)> = series
        .iter()
        .flat_map(|t| t.points.iter().map(|p| (days(p.date), p.mean_brier)))
        .collect();
    if pts.is_empty() {
        return None;
    }
    let (mut lo, mut hi) = pts.iter().fold((f64::MAX, f64::MIN), |(a, b), (d, _)| {
        (a.min(*d), b.max(*d))
    });
    if hi - lo < 1.0 {
        lo -= 15.0;
        hi += 15.0;
    }
    let top = pts.iter().map(|p| p.1).fold(0.25_f64, f64::max).min(1.0);
    let top = (top * 10.0).ceil() / 10.0;
    let (pw, h, m) = (560.0, 300.0, 50.0);
    let w = pw + 200.0;
    let x = |d: f64| m + (d - lo) / (hi - lo) * (pw - 2.0 * m);
    let y = |b: f64| h - m - b / top * (h - 2.0 * m);
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"scores over time\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"11\">"
    );
    let _ = write!(
        s,
        "<rect x=\"{m}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"#fff\" stroke=\"#dee2e6\"/>",
        pw - 2.0 * m,
        h - 2.0 * m
    );
    for t in 0..=4 {
        let v = top * t as f64 / 4.0;
        let _ = write!(
            s,
            "<line x1=\"{m}\" y1=\"{yv}\" x2=\"{x2}\" y2=\"{yv}\" stroke=\"#f0f0f0\"/><text x=\"{tx}\" y=\"{ty}\" text-anchor=\"end\">{v:.2}</text>",
            yv = y(v),
            x2 = pw - m,
            tx = m - 5.0,
            ty = y(v) + 4.0
        );
    }
    let date_of = |d: f64| Timestamp((d * 86_400_000_000.0) as i64).date();
    for t in 0..=4 {
        let d = lo + (hi - lo) * t as f64 / 4.0;
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x(d),
            h - m + 14.0,
            date_of(d)
        );
    }
    let _ = write!(
        s,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">as-of date of the forecasts</text>\
         <text transform=\"translate(12 {}) rotate(-90)\" text-anchor=\"middle\">running mean Brier (lower is better)</text>",
        pw / 2.0,
        h - 8.0,
        h / 2.0
    );
    let mut shown: Vec<(&str, &str)> = Vec::new();
    for t in series {
        if t.points.is_empty() {
            continue;
        }
        let col = colour(&t.forecaster, order);
        shown.push((&t.forecaster, col));
        let d: Vec<String> = t
            .points
            .iter()
            .map(|p| format!("{:.1},{:.1}", x(days(p.date)), y(p.mean_brier)))
            .collect();
        let _ = write!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{col}\" stroke-width=\"1.8\"/>",
            d.join(" ")
        );
        for p in &t.points {
            let _ = write!(
                s,
                "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"{col}\"><title>{}: {} events to {}, mean Brier {:.3}, mean log {:.3}</title></circle>",
                x(days(p.date)),
                y(p.mean_brier),
                escape(&t.forecaster),
                p.events,
                p.date,
                p.mean_brier,
                p.mean_log
            );
        }
    }
    legend(&mut s, pw + 6.0, m, &shown);
    s.push_str("</svg>");
    Some(s)
}

fn mean_cells(x: Option<&brink_ledger::score::MeanScores>) -> String {
    match x {
        Some(m) => format!(
            "<td class=\"num\">{:.3} <span class=\"muted small\">({})</span></td><td class=\"num\">{:.2}</td>",
            m.brier, m.n, m.log
        ),
        None => "<td class=\"num\">–</td><td class=\"num\">–</td>".into(),
    }
}

fn has_probabilities(s: &Scores) -> bool {
    s.categorical.is_some() || s.binary.is_some()
}

fn crps_cell(s: &Scores) -> String {
    match &s.continuous {
        Some(c) => format!(
            "<td class=\"num\">{:.3} <span class=\"muted small\">({})</span></td>",
            c.crps_scaled, c.n
        ),
        None => "<td class=\"num\">–</td>".into(),
    }
}

fn section_html(h: &mut String, sec: &Section) {
    let r = &sec.record;
    let _ = write!(
        h,
        "<h2 id=\"{}\">{}</h2>\n<p>{} <span class=\"muted\">({} entries; {} resolved question(s) with yes/no events)</span></p>\n",
        escape(&sec.key),
        escape(&sec.title),
        escape(&sec.description),
        sec.entries,
        sec.resolved_questions
    );
    if r.scores.is_empty() {
        h.push_str("<p class=\"muted\">Nothing resolved yet: no score.</p>\n");
        return;
    }
    let order: Vec<String> = r.scores.iter().map(|f| f.forecaster.clone()).collect();
    let probs: Vec<_> = r
        .scores
        .iter()
        .filter(|f| has_probabilities(&f.scores))
        .collect();
    if !probs.is_empty() {
        let cat = probs.iter().any(|f| f.scores.categorical.is_some());
        let bin = probs.iter().any(|f| f.scores.binary.is_some());
        h.push_str(
            "<h3>Probabilities (crisis outcomes, events), beside the base rate on the same questions and dates</h3>\n\
             <table><tr><th>forecaster</th><th class=\"num\">forecasts</th><th class=\"num\">questions</th>",
        );
        if cat {
            h.push_str("<th class=\"num\">crisis Brier, all classes (n)</th><th class=\"num\">log</th><th class=\"num\">base rate: Brier</th><th class=\"num\">log</th>");
        }
        if bin {
            h.push_str("<th class=\"num\">one-class / yes-no Brier (n)</th><th class=\"num\">log</th><th class=\"num\">base rate: Brier</th><th class=\"num\">log</th>");
        }
        h.push_str("</tr>\n");
        for f in &probs {
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                escape(&f.forecaster),
                f.scores.forecasts,
                f.scores.questions,
            );
            if cat {
                h.push_str(&mean_cells(f.scores.categorical.as_ref()));
                h.push_str(&mean_cells(f.base_rate.categorical.as_ref()));
            }
            if bin {
                h.push_str(&mean_cells(f.scores.binary.as_ref()));
                h.push_str(&mean_cells(f.base_rate.binary.as_ref()));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table>\n<p class=\"small muted\">Brier: lower is better; over all classes of a crisis it runs from 0 to 2, for one class or a yes/no event from 0 to 1 (a coin toss scores 0.25). Log score: higher is better, floored at ln 0.001 = −6.91 per forecast.</p>\n");
    }
    let issues: Vec<_> = r
        .scores
        .iter()
        .filter(|f| f.scores.continuous.is_some())
        .collect();
    if !issues.is_empty() {
        h.push_str(
            "<h3>Issues (where each settles), beside a uniform forecast over the scale</h3>\n\
             <table><tr><th>forecaster</th><th class=\"num\">forecasts</th><th class=\"num\">questions</th>\
             <th class=\"num\">CRPS, share of the scale (n)</th><th class=\"num\">base rate: CRPS</th>\
             <th class=\"num\">point's |error|, share of the scale</th></tr>\n",
        );
        for f in &issues {
            let c = f.scores.continuous.as_ref();
            let _ = write!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>{}{}<td class=\"num\">{}</td></tr>\n",
                escape(&f.forecaster),
                f.scores.forecasts,
                f.scores.questions,
                crps_cell(&f.scores),
                crps_cell(&f.base_rate),
                f3(c.and_then(|c| c.abs_error_scaled)),
            );
        }
        h.push_str("</table>\n<p class=\"small muted\">CRPS: 0 is perfect, in shares of each issue's scale; a point forecast (no distribution) scores its absolute error.</p>\n");
    }
    if let Some(svg) = over_time_svg(&r.over_time, &order) {
        let _ = write!(
            h,
            "<figure>{svg}<figcaption>Running mean Brier score of the yes/no events (each crisis class counts as one), by the forecasts' as-of dates.</figcaption></figure>\n"
        );
    }
    if !sec.enough {
        let _ = write!(
            h,
            "<p class=\"note\">Calibration and discrimination are not shown: {} resolved question(s), fewer than {MIN_RESOLVED}. With so few, a calibration curve would be noise.</p>\n",
            sec.resolved_questions
        );
        return;
    }
    let _ = write!(
        h,
        "<h3>Calibration</h3><figure style=\"max-width:620px\">{}<figcaption>Every yes/no event binned by tenths of probability: the bin's mean probability against the share that happened (dot area by count). On the diagonal is perfectly calibrated. A crisis forecast counts once per outcome class.</figcaption></figure>\n",
        calibration_svg(&r.calibration, &order)
    );
    h.push_str("<h3>Discrimination</h3>\n<table><tr><th>forecaster</th><th class=\"num\">events</th><th class=\"num\">happened</th><th class=\"num\">AUC</th><th class=\"num\">reliability (lower better)</th><th class=\"num\">resolution (higher better)</th><th class=\"num\">uncertainty</th></tr>\n");
    for (name, e) in r
        .scores
        .iter()
        .filter(|f| f.scores.events.n > 0)
        .flat_map(|f| {
            [
                (escape(&f.forecaster), &f.scores.events),
                (
                    "<span class=\"muted small\">&nbsp;&nbsp;base rate, same events</span>"
                        .to_string(),
                    &f.base_rate.events,
                ),
            ]
        })
    {
        let m = e.murphy.as_ref();
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            name,
            e.n,
            e.happened,
            f2(e.auc),
            f3(m.map(|m| m.reliability)),
            f3(m.map(|m| m.resolution)),
            f3(m.map(|m| m.uncertainty)),
        );
    }
    h.push_str("</table>\n<p class=\"small muted\">AUC: the chance that an event that happened got a higher probability than one that did not (0.5 is no discrimination). Reliability, resolution and uncertainty: the Murphy decomposition of the events' mean Brier score over the same bins.</p>\n");
}

/// Renders the page.
pub fn render(p: &TrackPage) -> Result<String, std::fmt::Error> {
    let mut h = String::new();
    write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Track record — brink ledger</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    )?;
    write!(
        h,
        "<header id=\"top\"><p class=\"muted small\">brink ledger · <code>{}</code> · generated {}</p>\n<h1>Track record</h1>\n\
         <p class=\"lead\">Every forecast in the ledger, what happened, and how each kind of forecast scored. Forecasts of record, backtests and forecasts made after the outcome are scored apart: only the first are evidence of foresight.</p></header>\n",
        escape(&p.ledger),
        p.generated_at
    )?;
    let i = &p.all.integrity;
    if i.ok {
        write!(
            h,
            "<p>Integrity: <strong>verified</strong> (every record's hash, link, number and time).</p>\n"
        )?;
    } else {
        write!(
            h,
            "<p class=\"note\"><strong>The ledger does not verify</strong>: {} problem(s); the first: {}</p>\n",
            i.problems,
            escape(i.first.as_deref().unwrap_or(""))
        )?;
    }
    h.push_str("<details><summary>Chain heads (write one down elsewhere to anchor the ledger: <code>brink ledger verify --anchor ORIGIN:SEQ:HASH</code>)</summary><table><tr><th>chain</th><th class=\"num\">records</th><th>head</th></tr>\n");
    for c in &p.all.chains {
        write!(
            h,
            "<tr><td><code>{}</code>{}</td><td class=\"num\">{}</td><td><code>{}:{}:{}</code></td></tr>\n",
            escape(&c.origin),
            if c.local { " (this ledger)" } else { " (imported)" },
            c.records,
            escape(&c.origin),
            c.head_seq,
            escape(&c.head_hash)
        )?;
    }
    h.push_str("</table></details>\n<nav>");
    for s in &p.sections {
        write!(
            h,
            "<a href=\"#{}\">{}</a>",
            escape(&s.key),
            escape(&s.title)
        )?;
    }
    h.push_str("<a href=\"#forecasts\">Every forecast</a></nav>\n");
    if p.sections.is_empty() {
        h.push_str("<p class=\"muted\">The ledger holds no forecast yet.</p>\n");
    }
    for s in &p.sections {
        section_html(&mut h, s);
    }
    h.push_str("<h2 id=\"forecasts\">Every forecast</h2>\n<p class=\"small muted\">By question, then date. p(outcome): the probability the forecast gave to what happened. Brier and log score per forecast (a crisis's Brier is multi-class, 0 to 2; log floored at ln 0.001 = −6.91); issues: CRPS as a share of the scale and the point's absolute error. The receipt is the record's chain, number and hash.</p>\n\
         <table><tr><th>as of</th><th>question</th><th>forecaster</th><th>kind</th><th>forecast</th><th>outcome</th><th class=\"num\">p(outcome)</th><th class=\"num\">Brier</th><th class=\"num\">log</th><th class=\"num\">CRPS</th><th class=\"num\">|error|</th><th>receipt</th></tr>\n");
    for r in &p.rows {
        let outcome = match (&r.outcome, r.outcome_date) {
            (Some(o), Some(d)) => format!("{} <span class=\"muted small\">({d})</span>", escape(o)),
            _ => "<span class=\"muted\">open</span>".into(),
        };
        let notes = if r.notes.is_empty() && r.not_scored.is_none() {
            String::new()
        } else {
            let mut n: Vec<String> = r.notes.iter().map(|x| escape(x)).collect();
            n.extend(r.not_scored.iter().map(|x| escape(x)));
            format!("<br><span class=\"muted small\">{}</span>", n.join("; "))
        };
        write!(
            h,
            "<tr><td class=\"nw\">{}</td><td><code class=\"small\">{}</code><br><span class=\"small\">{}</span></td><td>{}</td><td class=\"nw\">{}</td><td>{}{notes}</td><td>{outcome}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"small\"><code title=\"{}\">{}:{}</code></td></tr>\n",
            r.as_of,
            escape(&r.question),
            escape(&r.text),
            escape(&r.forecaster),
            escape(&r.label),
            escape(&r.statement),
            f3(r.p_outcome),
            f3(r.brier),
            f2(r.log),
            f3(r.crps_scaled),
            f2(r.abs_error),
            escape(&r.receipt.hash),
            r.receipt.seq,
            escape(&r.receipt.hash[..r.receipt.hash.len().min(12)]),
        )?;
    }
    h.push_str("</table>\n");
    write!(
        h,
        "<footer><p>Base rate: {}.</p><p>Generated by brink {} from the ledger; the same numbers as <code>brink ledger score --format json</code>.</p></footer>\n</main>\n</body>\n</html>\n",
        escape(&p.all.base_rate_rule),
        env!("CARGO_PKG_VERSION")
    )?;
    Ok(h)
}
