//! The report as one self-contained HTML page: the scenario's question and sources, the actors'
//! stances with their evidence, each issue's forecasts (deterministic and Monte Carlo, with
//! plots), crisis outcomes, what the forecasts are sensitive to, and where the numbers come from.
//!
//! The page loads nothing: the plots are inline SVG, the style sheet is inline, there is no
//! script and no link to any other address than the page's own sections (`#...`). Every text
//! from the scenario is escaped ([`escape`]).

use std::fmt::Write;

use brink_engine::doc::{Kind, PanelShare, Tornado};
use brink_scenario::{Dist, Evidence, Scenario, Uncertain, Values};

use crate::plot::{self, PlotError, Scale};
use crate::table::num;
use crate::Forecast;

/// One crisis of a scenario, as the report shows it (filled in by the crisis models).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CrisisSection {
    /// The crisis's name.
    pub name: String,
    /// Its outcomes: label, probability, and the probability's interval (lo, hi).
    pub outcomes: Vec<(String, f64, f64, f64)>,
    /// A drawing of its game tree, as SVG text (inlined as is: it must come from brink's own
    /// plotting code, not from a user's file).
    pub tree_svg: Option<String>,
    /// The most likely path through the tree, one step per line, in words.
    pub path_in_words: Vec<String>,
    /// The three views of its probabilities in words: first "P(war): crises like this one: X%;
    /// this game: Y%; together: Z%", then each view's detail and the nearest past crises.
    pub views: Vec<String>,
}

/// A dynamic model's positions round by round on one issue.
pub type RoundsSection = brink_engine::Rounds;

/// Each crisis of a forecast as the report shows it: the Monte Carlo shares of its outcomes with
/// their intervals (without draws: the equilibrium's probabilities), its game tree drawn with
/// the equilibrium path, the path in words, the certificate and the red lines crossed.
pub fn crisis_sections(doc: &Forecast) -> Vec<CrisisSection> {
    doc.crises
        .iter()
        .map(|c| {
            let det = c.equilibrium.as_ref();
            let outcomes: Vec<(String, f64, f64, f64)> = match &c.game {
                Some(m) => m
                    .outcomes
                    .iter()
                    .map(|o| {
                        let (lo, hi) = o.interval.map_or((f64::NAN, f64::NAN), |i| (i.lo, i.hi));
                        (o.outcome.clone(), o.p.unwrap_or(f64::NAN), lo, hi)
                    })
                    .collect(),
                None => det
                    .map(|f| {
                        f.outcomes
                            .iter()
                            .map(|o| (o.outcome.clone(), o.p, o.p, o.p))
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let tree_svg = c.tree.as_ref().and_then(|g| {
                let path = brink_engine::crisis::first_equilibrium_path(g, false).ok()?;
                Some(crate::crisis::tree_svg(g, path.as_deref()))
            });
            let mut path_in_words = det.map(|f| f.path.clone()).unwrap_or_default();
            if let Some(f) = det {
                path_in_words.push(format!(
                    "certificate: largest regret at any information set {}",
                    crate::crisis::regret(f.max_regret)
                ));
                path_in_words.extend(f.red_lines_crossed.iter().cloned());
            }
            CrisisSection {
                name: c.name.clone(),
                outcomes,
                tree_svg,
                path_in_words,
                views: crate::crisis::render_views(c)
                    .lines()
                    .map(|l| l.trim().to_string())
                    .filter(|l| !l.is_empty())
                    .collect(),
            }
        })
        .collect()
}

/// Everything the report shows.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// The run of the models on the point estimates, with the input's name and hash and, if
    /// draws were made, the forecasts' distributions.
    pub doc: &'a Forecast,
    /// One-at-a-time sensitivity of every model and issue.
    pub tornado: &'a [Tornado],
    /// Shares of the forecasts' variance explained by expert disagreement (pooled inputs only).
    pub panels: &'a [PanelShare],
    /// Dynamic models' rounds.
    pub rounds: &'a [RoundsSection],
    /// Crises (none yet for bargaining scenarios).
    pub crises: &'a [CrisisSection],
    /// Inputs shown per tornado.
    pub top: usize,
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) const CSS: &str = r#"
:root { --ink: #212529; --muted: #6c757d; --rule: #dee2e6; --accent: #4c72b0; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink);
       background: #fff; line-height: 1.5; font-size: 15px; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 8px 0 6px; }
h2 { font-size: 21px; margin: 40px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--rule); }
h3 { font-size: 17px; margin: 28px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 6px; }
p.lead { font-size: 17px; margin: 6px 0 10px; }
.muted { color: var(--muted); }
.small { font-size: 13px; }
nav { background: var(--soft); border: 1px solid var(--rule); border-radius: 6px; padding: 8px 14px; margin: 16px 0; }
nav a { margin-right: 16px; color: var(--accent); text-decoration: none; white-space: nowrap; }
.note { border-left: 4px solid #e69f00; background: #fff8e6; padding: 8px 12px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 14px; font-size: 14px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--rule); }
th { background: var(--soft); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
blockquote { margin: 4px 0 6px; padding: 2px 10px; border-left: 3px solid var(--rule); color: #343a40; }
blockquote cite { display: block; font-style: normal; font-size: 12px; color: var(--muted); }
.assumed { font-style: italic; color: #5a4a00; }
figure { margin: 12px 0 18px; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid var(--rule); border-radius: 4px; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
details { margin: 6px 0; }
summary { cursor: pointer; color: var(--accent); }
footer { margin-top: 48px; padding-top: 10px; border-top: 2px solid var(--rule); font-size: 13px; color: var(--muted); }
footer code { word-break: break-all; }
footer h2 { border-bottom: none; margin-top: 0; }
td.pos { width: 26%; }
td.nw { white-space: nowrap; }
td.ev { width: 50%; }
.issue { border-top: 1px dashed var(--rule); }
.scroll { overflow: auto; max-height: 80vh; border: 1px solid var(--rule); border-radius: 4px; }
.scroll svg { width: auto; max-width: none; height: auto; border: none; }
"#;

fn range_text(u: &Uncertain) -> String {
    if !u.is_uncertain() {
        return num(u.point);
    }
    let (lo, hi) = u.range();
    let kind = match u.dist {
        Dist::Triangular { .. } => "triangular",
        Dist::Uniform { .. } => "uniform",
        Dist::Normal { .. } => "normal",
        Dist::Beta { .. } => "beta",
        Dist::Mixture { .. } => "panel",
        _ => "range",
    };
    format!(
        "{} <span class=\"muted small\">({} to {}, {kind})</span>",
        num(u.point),
        num(lo),
        num(hi)
    )
}

fn evidence_html(sc: &Scenario, e: &Evidence) -> String {
    match e {
        Evidence::Assumed(why) => format!(
            "<p class=\"assumed\">Assumed by the scenario's author (no source gives it): {}</p>",
            escape(why)
        ),
        Evidence::Quotes(qs) => qs
            .iter()
            .map(|q| {
                let cite = sc.sources.get(q.source).map_or_else(
                    || "an unknown source".to_string(),
                    |s| {
                        let author = s.citation.split(',').next().unwrap_or(&s.citation);
                        format!(
                            "<a href=\"#src-{}\">{}</a>, {}",
                            escape(&s.id),
                            escape(author.trim()),
                            s.date
                        )
                    },
                );
                format!(
                    "<blockquote>“{}”<cite>— {cite}</cite></blockquote>",
                    escape(&q.quote)
                )
            })
            .collect(),
    }
}

/// The rival hypotheses section: each hypothesis with its prior and its odds after the updates
/// applied, and how the forecasts mix them (empty without rival hypotheses).
pub fn hypotheses_html(doc: &Forecast) -> String {
    if doc.types.is_empty() {
        return String::new();
    }
    let mut h = String::from(
        "<section id=\"hypotheses\"><h2>Rival hypotheses</h2>\n<p>The scenario holds rival \
         hypotheses about what some actors want. Every forecast in this report is their \
         <strong>mixture</strong>: each model runs in each combination of hypotheses, and the \
         results are averaged with the combinations' probabilities (a crisis whose hypotheses are \
         all the challenger's is solved as one game in which the defender does not know which \
         holds).</p>\n\
         <table><thead><tr><th>actor</th><th>hypothesis</th><th class=\"num\">prior</th>\
         <th class=\"num\">probability now</th></tr></thead><tbody>\n",
    );
    for t in &doc.types {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{} <span class=\"muted small\">({})</span></td><td class=\"num\">{:.3}</td><td class=\"num\">{:.3}</td></tr>",
            escape(&t.actor_name),
            escape(&t.name),
            escape(&t.type_id),
            t.prior,
            t.posterior
        );
    }
    h.push_str("</tbody></table>\n</section>\n");
    h
}

/// The one-screen summary that opens the report: each issue's forecast (the mean of the models'
/// forecasts, the range of the models, and with draws the 90% interval of the first model's
/// Monte Carlo distribution), each crisis's outcome probabilities, and the rival hypotheses'
/// odds.
pub fn summary_html(doc: &Forecast, crises: &[CrisisSection]) -> String {
    let mut h = String::from("<section id=\"summary\"><h2>Summary</h2>\n");
    if let Some(mc) = doc.montecarlo.as_ref().filter(|m| m.stopped) {
        let _ = writeln!(
            h,
            "<p class=\"note\"><strong>Partial result:</strong> the Monte Carlo run was stopped after {} of {} draws.</p>",
            mc.draws_done, mc.draws_requested
        );
    }
    h.push_str("<table><thead><tr><th>issue</th><th class=\"num\">models' mean</th><th class=\"num\">models' range</th><th>on the scale</th><th class=\"num\">90% interval</th></tr></thead><tbody>\n");
    for is in &doc.issues {
        let vals: Vec<f64> = is.forecasts.iter().filter_map(|f| f.value).collect();
        if vals.is_empty() {
            let _ = writeln!(
                h,
                "<tr><td><a href=\"#issue-{}\">{}</a></td><td class=\"num\">–</td><td class=\"num\">–</td><td>no model covers it</td><td class=\"num\">–</td></tr>",
                escape(&is.id),
                escape(&is.name)
            );
            continue;
        }
        let mean = vals.iter().sum::<f64>() / vals.len() as f64;
        let lo = vals.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = vals.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let interval = is
            .forecasts
            .iter()
            .find_map(|f| {
                let s = f.distribution.as_ref()?.summary.as_ref()?;
                Some(format!(
                    "{} to {} <span class=\"muted small\">({})</span>",
                    num(s.quantile(0.05)),
                    num(s.quantile(0.95)),
                    escape(&f.model)
                ))
            })
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            h,
            "<tr><td><a href=\"#issue-{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td><td>{}</td><td class=\"num\">{interval}</td></tr>",
            escape(&is.id),
            escape(&is.name),
            num(mean),
            num(lo),
            num(hi),
            escape(&crate::table::where_on(is, mean))
        );
    }
    h.push_str("</tbody></table>\n");
    for c in crises {
        let parts: Vec<String> = c
            .outcomes
            .iter()
            .filter(|(_, p, _, hi)| *p > 0.0 || *hi > 0.0)
            .map(|(label, p, lo, hi)| {
                if lo.is_finite() && hi.is_finite() && (lo != p || hi != p) {
                    format!(
                        "{} <strong>{}</strong> ({} to {})",
                        escape(label),
                        crate::crisis::prob(*p),
                        crate::crisis::prob(*lo),
                        crate::crisis::prob(*hi)
                    )
                } else {
                    format!(
                        "{} <strong>{}</strong>",
                        escape(label),
                        crate::crisis::prob(*p)
                    )
                }
            })
            .collect();
        let _ = writeln!(
            h,
            "<p><strong>{}</strong>: {}.</p>",
            escape(&c.name),
            parts.join("; ")
        );
    }
    if !doc.types.is_empty() {
        let odds: Vec<String> = doc
            .types
            .iter()
            .map(|t| {
                format!(
                    "{}: {} <strong>{:.3}</strong>",
                    escape(&t.actor_name),
                    escape(&t.type_id),
                    t.posterior
                )
            })
            .collect();
        let _ = writeln!(
            h,
            "<p><a href=\"#hypotheses\">Rival hypotheses</a> (every forecast is their mixture): {}.</p>",
            odds.join(", ")
        );
    }
    h.push_str("</section>\n");
    h
}

/// Renders the report. Errors only when a plot cannot be drawn.
pub fn render(r: &Report<'_>) -> Result<String, PlotError> {
    let sc = r.scenario;
    let doc = r.doc;
    let mut h = String::new();
    let title = escape(&sc.title);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — brink report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
    );
    let _ = write!(
        h,
        "<header id=\"top\"><p class=\"muted small\">brink report · scenario <code>{}</code> · as of {}</p>\n\
         <h1>{title}</h1>\n<p class=\"lead\">{}</p></header>\n",
        escape(&sc.id),
        sc.as_of,
        escape(&sc.question)
    );
    h.push_str(
        "<nav><a href=\"#summary\">Summary</a><a href=\"#forecasts\">Forecasts</a>\
         <a href=\"#crises\">Crisis outcomes</a><a href=\"#sources\">Question and sources</a>\
         <a href=\"#actors\">Actors and stances</a><a href=\"#sensitivity\">Sensitivity</a>\
         <a href=\"#provenance\">Provenance</a></nav>\n",
    );
    h.push_str(
        "<p class=\"note\">brink is an aid to reasoning about a standoff, not an oracle. The claims \
         quoted below about what each party wants, how much it matters and what it can do are the \
         sources', attributed to them; they are not brink's view. Numbers marked <em>assumed</em> \
         are the scenario author's judgement, with the stated reason.</p>\n",
    );

    for w in &doc.scenario.warnings {
        let _ = writeln!(
            h,
            "<p class=\"note\"><strong>Warning.</strong> {}</p>",
            escape(w)
        );
    }
    h.push_str(&summary_html(doc, r.crises));

    // Question and sources, actors and stances: the evidence, shown after the forecasts.
    let before = h.len();
    // Question and sources.
    let _ = write!(
        h,
        "<section id=\"sources\"><h2>Question and sources</h2>\n<p><strong>Question.</strong> {}</p>\n\
         <p><strong>As of</strong> {}: no information published later informs any input.</p>\n",
        escape(&sc.question),
        sc.as_of
    );
    if sc.sources.is_empty() {
        h.push_str("<p>The scenario lists no sources: every number is assumed.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>source</th><th>citation</th><th>date</th><th class=\"num\">reliability</th></tr></thead><tbody>\n");
        for s in &sc.sources {
            let _ = writeln!(
                h,
                "<tr id=\"src-{}\"><td class=\"nw\"><code>{}</code></td><td>{}</td><td class=\"nw\">{}</td><td class=\"num\">{}</td></tr>",
                escape(&s.id),
                escape(&s.id),
                escape(&s.citation),
                s.date,
                s.reliability.map_or("not stated".to_string(), num)
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");

    // Actors and stances.
    h.push_str("<section id=\"actors\"><h2>Actors and stances</h2>\n<p class=\"small muted\">Capability is relative to the other actors; position is on the issue's scale; salience in [0, 1] is how much the issue matters to the actor. Ranges are the scenario's uncertainty, used by the Monte Carlo run.</p>\n");
    h.push_str("<h3>Actors</h3>\n<table><thead><tr><th>actor</th><th class=\"num\">capability</th><th>evidence</th></tr></thead><tbody>\n");
    for a in &sc.actors {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            escape(&a.name),
            range_text(&a.power),
            a.evidence.as_ref().map_or_else(
                || "<span class=\"muted\">none given</span>".to_string(),
                |e| evidence_html(sc, e)
            )
        );
    }
    h.push_str("</tbody></table>\n");
    for (k, is) in sc.issues.iter().enumerate() {
        let _ = writeln!(h, "<h3>Stances on {}</h3>", escape(&is.name));
        h.push_str("<table><thead><tr><th>actor</th><th>position (where on the scale)</th><th class=\"num\">salience</th><th>evidence (the source's words)</th></tr></thead><tbody>\n");
        for s in sc.stances_on(k) {
            let mut ev = evidence_html(sc, &s.evidence);
            for e in &s.estimates {
                let src = sc
                    .sources
                    .get(e.source)
                    .map_or("unknown source".to_string(), |s| escape(&s.citation));
                let _ = write!(
                    ev,
                    "<p class=\"small\">Estimate of {src} (weight {}): {}{}</p>{}",
                    num(e.weight),
                    e.position
                        .as_ref()
                        .map_or(String::new(), |p| format!("position {} ", range_text(p))),
                    e.salience
                        .as_ref()
                        .map_or(String::new(), |p| format!("salience {}", range_text(p))),
                    evidence_html(sc, &e.evidence)
                );
            }
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"pos\">{}<br><span class=\"small\">{}</span></td><td class=\"num\">{}</td><td class=\"ev\">{}</td></tr>",
                escape(&sc.actors[s.actor].name),
                range_text(&s.position),
                escape(&is.describe(s.position.point)),
                range_text(&s.salience),
                ev
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");

    let evidence = h.split_off(before);
    h.push_str(&hypotheses_html(doc));

    // Forecasts.
    let values: Values = sc.point_values();
    h.push_str("<section id=\"forecasts\"><h2>Forecasts</h2>\n");
    let _ = writeln!(
        h,
        "<p class=\"small muted\">Each model's forecast on the point estimates{}. A model that finds no agreement forecasts that the status quo stays.</p>",
        match &doc.montecarlo {
            Some(mc) => format!(
                ", and its 90% interval (5th to 95th percentile) over {} Monte Carlo draws of every uncertain input",
                mc.draws_done
            ),
            None => String::new(),
        }
    );
    for (k, is) in sc.issues.iter().enumerate() {
        let Some(rep) = doc.issues.get(k) else {
            continue;
        };
        let _ = writeln!(
            h,
            "<div class=\"issue\" id=\"issue-{}\"><h3>{}</h3>",
            escape(&is.id),
            escape(&is.name)
        );
        h.push_str("<p class=\"small\">The scale: ");
        let pts: Vec<String> = is
            .points
            .iter()
            .map(|p| format!("<strong>{}</strong> {}", num(p.at), escape(&p.label)))
            .collect();
        h.push_str(&pts.join(" · "));
        h.push_str("</p>\n");
        if let Some(q) = rep.status_quo {
            let _ = writeln!(
                h,
                "<p class=\"small\"><strong>Status quo</strong> {}: {}</p>",
                num(q),
                escape(rep.status_quo_label.as_deref().unwrap_or(""))
            );
        }
        h.push_str("<table><thead><tr><th>model</th><th class=\"num\">forecast</th><th>on the scale</th><th class=\"num\">90% interval</th><th>decided by</th></tr></thead><tbody>\n");
        for f in &rep.forecasts {
            let (v, label) = match (f.kind, f.value) {
                (Kind::NotCovered, _) => (
                    "–".to_string(),
                    format!("not covered: {}", escape(f.reason.as_deref().unwrap_or(""))),
                ),
                (Kind::NoAgreement, Some(v)) => (
                    num(v),
                    format!(
                        "no agreement: the status quo stays ({})",
                        escape(f.label.as_deref().unwrap_or(""))
                    ),
                ),
                (_, Some(v)) => (num(v), escape(f.label.as_deref().unwrap_or(""))),
                _ => ("–".into(), String::new()),
            };
            let interval = f
                .distribution
                .as_ref()
                .and_then(|d| d.summary.as_ref())
                .map_or("–".to_string(), |s| {
                    format!("{} to {}", num(s.quantile(0.05)), num(s.quantile(0.95)))
                });
            let who = match f.kind {
                Kind::NoAgreement if !f.blockers.is_empty() => {
                    format!("blocked by {}", escape(&f.blockers.join(", ")))
                }
                _ => escape(&f.decisive.join(", ")),
            };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{v}</td><td>{label}</td><td class=\"num\">{interval}</td><td>{who}</td></tr>",
                escape(&f.model)
            );
        }
        h.push_str("</tbody></table>\n");
        let svg = plot::issue_plot_of(sc, &values, k, rep)?;
        let _ = writeln!(
            h,
            "<figure>{svg}<figcaption>The actors on the scale (one row each; marker area: capability × salience) and each model's forecast.</figcaption></figure>"
        );
        let drawn = rep
            .forecasts
            .iter()
            .any(|x| x.distribution.as_ref().is_some_and(|d| d.summary.is_some()));
        if doc.montecarlo.is_some() && drawn {
            let svg = plot::distribution_plot_of(is, rep)?;
            let _ = writeln!(
                h,
                "<figure>{svg}<figcaption>Where each model's forecast falls across the Monte Carlo draws.</figcaption></figure>"
            );
        }
        if let Some(info) = &doc.predictive {
            h.push_str(&crate::predictive::html_issue(sc, &values, k, rep, info)?);
        }
        for rs in r.rounds.iter().filter(|x| x.issue == is.id) {
            let svg = plot::rounds_plot(
                &format!("{}: the {} model round by round", is.name, rs.model),
                &rs.actor_names,
                &rs.rounds,
                &Scale::of_issue(is),
            )?;
            let _ = writeln!(
                h,
                "<figure>{svg}<figcaption>Each actor's position after each round of the {} model.</figcaption></figure>",
                escape(&rs.model)
            );
        }
        h.push_str("</div>\n");
    }
    h.push_str("</section>\n");

    // Crises.
    h.push_str("<section id=\"crises\"><h2>Crisis outcomes</h2>\n");
    if r.crises.is_empty() {
        h.push_str("<p>This scenario has no crisis section.</p>\n");
    }
    for c in r.crises {
        let _ = writeln!(h, "<h3>{}</h3>", escape(&c.name));
        if let Some((head, rest)) = c.views.split_first() {
            let _ = writeln!(h, "<p><strong>{}</strong></p>", escape(head));
            h.push_str("<ul class=\"small\">");
            for l in rest {
                let _ = write!(h, "<li>{}</li>", escape(l));
            }
            h.push_str("</ul>\n<p class=\"small muted\">The game's outcomes over the draws (each draw played as the quantal response equilibrium at the estimated precision), with the 95% interval of their mean:</p>\n");
        }
        h.push_str("<table><thead><tr><th>outcome</th><th class=\"num\">probability</th><th class=\"num\">interval</th></tr></thead><tbody>\n");
        for (label, p, lo, hi) in &c.outcomes {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} to {}</td></tr>",
                escape(label),
                crate::crisis::prob(*p),
                crate::crisis::prob(*lo),
                crate::crisis::prob(*hi)
            );
        }
        h.push_str("</tbody></table>\n");
        if let Some(svg) = &c.tree_svg {
            let _ = writeln!(
                h,
                "<figure><div class=\"scroll\">{svg}</div><figcaption>The game tree at full size (scroll to see all of it); the path the equilibrium takes is in red.</figcaption></figure>"
            );
        }
        if !c.path_in_words.is_empty() {
            h.push_str("<ol>");
            for s in &c.path_in_words {
                let _ = write!(h, "<li>{}</li>", escape(s));
            }
            h.push_str("</ol>\n");
        }
    }
    h.push_str("</section>\n");

    h.push_str(&evidence);

    // Sensitivity.
    h.push_str("<section id=\"sensitivity\"><h2>Sensitivity</h2>\n<p class=\"small muted\">One at a time: each uncertain input from the low to the high end of its range, every other input at its point estimate. The inputs that move each forecast most:</p>\n");
    if r.tornado.is_empty() {
        h.push_str("<p>No sensitivity analysis was run.</p>\n");
    }
    for (k, is) in sc.issues.iter().enumerate() {
        let ts: Vec<&Tornado> = r.tornado.iter().filter(|t| t.issue == is.id).collect();
        if ts.is_empty() {
            continue;
        }
        let _ = writeln!(h, "<h3>{}</h3>", escape(&is.name));
        h.push_str("<table><thead><tr><th>model</th><th>inputs that move it most (forecast at the low end → at the high end)</th></tr></thead><tbody>\n");
        for t in &ts {
            let cell = if t.swings.is_empty() {
                "no uncertain input moves this forecast".to_string()
            } else {
                t.swings
                    .iter()
                    .take(3)
                    .map(|s| {
                        format!(
                            "{}: {} → {}",
                            escape(&s.name),
                            if s.at_low.is_finite() {
                                num(s.at_low)
                            } else {
                                "not covered".into()
                            },
                            if s.at_high.is_finite() {
                                num(s.at_high)
                            } else {
                                "not covered".into()
                            }
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(h, "<tr><td>{}</td><td>{cell}</td></tr>", escape(&t.model));
        }
        h.push_str("</tbody></table>\n");
        // The tornado chart of the first model whose forecast moves.
        if let Some(t) = ts
            .iter()
            .find(|t| !t.swings.is_empty() && t.base.is_finite())
        {
            let svg = plot::tornado_plot_of(sc, t, r.top)?;
            let _ = writeln!(
                h,
                "<figure>{svg}<figcaption>The {} forecast on {}: the {} inputs that move it most.</figcaption></figure>",
                escape(&t.model),
                escape(&sc.issues[k].name),
                r.top.min(t.swings.len())
            );
        }
    }
    h.push_str("<h3>Expert disagreement</h3>\n");
    if r.panels.is_empty() {
        h.push_str("<p>No input pools several experts' estimates.</p>\n");
    } else {
        h.push_str("<table><thead><tr><th>issue</th><th>model</th><th>pooled input</th><th class=\"num\">share of the forecast's variance</th></tr></thead><tbody>\n");
        for p in r.panels {
            let name = sc
                .issue_index(&p.issue)
                .map_or(p.issue.as_str(), |k| sc.issues[k].name.as_str());
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{:.1}%</td></tr>",
                escape(name),
                escape(&p.model),
                escape(&p.name),
                100.0 * p.share
            );
        }
        h.push_str("</tbody></table>\n");
    }
    h.push_str("</section>\n");

    // Footer.
    let _ = write!(
        h,
        "<footer id=\"provenance\"><h2>Provenance</h2>\n<p>brink {} · models: {} · seed {} · Monte Carlo draws: {}<br>\
         input: <code>{}</code><br>SHA-256: <code>{}</code></p>\n\
         <p><a href=\"#top\">Back to the top</a></p></footer>\n</main>\n</body>\n</html>\n",
        escape(&doc.header.brink_version),
        escape(&doc.models.join(", ")),
        doc.montecarlo.as_ref().map_or(doc.seed, |m| m.seed),
        doc.montecarlo.as_ref().map_or(0, |m| m.draws_done),
        escape(&doc.input.file),
        escape(&doc.input.sha256)
    );
    Ok(h)
}
