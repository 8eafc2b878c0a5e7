//! Each document as the text `brink` prints for it.

use std::fmt::Write;

use brink_engine::doc::{
    Backtest, Check, CrisisAnalysis, Eval, EvalIcb, Forecast, ModelInfo, Sensitivity, Solve,
    Timeline, WhatIf,
};

use crate::{crisis, mc, table};

/// A scenario's warnings (what it says that no forecast uses), one `warning:` line each, for the
/// head of a document's text; empty when there are none.
pub fn warning_lines(warnings: &[String]) -> String {
    warnings.iter().map(|w| format!("warning: {w}\n")).collect()
}

/// The types' posteriors in words, with what moved them.
pub fn posterior_lines(doc: &Forecast) -> Vec<String> {
    let mut out = Vec::new();
    let mut actors: Vec<&str> = doc.types.iter().map(|t| t.actor.as_str()).collect();
    actors.dedup();
    for a in actors {
        let types: Vec<_> = doc.types.iter().filter(|t| t.actor == a).collect();
        let parts: Vec<String> = types
            .iter()
            .map(|t| format!("{} {:.3} (prior {:.3})", t.type_id, t.posterior, t.prior))
            .collect();
        out.push(format!(
            "types of {}: {}",
            types.first().map_or(a, |t| t.actor_name.as_str()),
            parts.join(", ")
        ));
        for u in &doc.updates {
            let ls: Vec<String> = u
                .likelihoods
                .iter()
                .filter(|l| l.actor == a)
                .map(|l| format!("{} {}", l.type_id, l.likelihood))
                .collect();
            if !ls.is_empty() {
                out.push(format!(
                    "  moved on {} by: {} (likelihoods {})",
                    u.date,
                    u.what,
                    ls.join(", ")
                ));
            }
        }
    }
    out
}

/// `brink run`: with draws, the distributions and the crises' outcome shares; without, each
/// model's forecast per issue (`explain`: with its explanation), the hypotheses' odds and each
/// crisis's equilibrium.
pub fn forecast(doc: &Forecast, explain: bool) -> String {
    if doc.montecarlo.is_some() {
        let mut t = mc::render_mc(doc);
        t.push_str(&crate::predictive::render_forecast(doc));
        for c in &doc.crises {
            if let Some(g) = &c.game {
                t.push_str(&crisis::render_mc(&c.name, g));
                t.push_str(&crisis::render_views(c));
            }
        }
        if let Some(mc) = doc.montecarlo.as_ref().filter(|m| m.stopped) {
            t.insert_str(
                0,
                &format!(
                    "PARTIAL RESULT: the Monte Carlo run was stopped after {} of {} draws\n",
                    mc.draws_done, mc.draws_requested
                ),
            );
        }
        t.insert_str(0, &warning_lines(&doc.scenario.warnings));
        return t;
    }
    let mut t = table::render(doc, explain);
    t.push_str(&crate::predictive::render_forecast(doc));
    if doc.updates_applied > 0 {
        t.insert_str(
            0,
            &format!(
                "as of {}: {} update(s) applied\n",
                doc.scenario.as_of, doc.updates_applied
            ),
        );
    }
    let posterior = posterior_lines(doc);
    for l in &posterior {
        t.push_str(&format!("\n{l}"));
    }
    if !posterior.is_empty() {
        t.push('\n');
    }
    for c in &doc.crises {
        match (&c.equilibrium, &c.error) {
            (Some(f), _) => {
                t.push_str(&crisis::render(&c.name, f, &[], explain));
                t.push_str(&crisis::render_views(c));
            }
            (None, e) => t.push_str(&format!(
                "\nCrisis: {}: cannot be solved: {}\n",
                c.name,
                e.as_deref().unwrap_or("")
            )),
        }
    }
    t.insert_str(0, &warning_lines(&doc.scenario.warnings));
    t
}

/// `brink timeline`: per date, each model's forecast per issue, the crises' outcomes and the
/// hypotheses' odds.
pub fn timeline(doc: &Timeline) -> String {
    let mut t = warning_lines(&doc.scenario.warnings);
    t.push_str(&format!(
        "{}: {} date(s)\n",
        doc.scenario.title,
        doc.dates.len()
    ));
    for d in &doc.dates {
        t.push_str(&format!("\nas of {}", d.as_of));
        if let Some(u) = &d.update {
            t.push_str(&format!(": {u}"));
        }
        t.push('\n');
        let f = &d.forecast;
        for is in &f.issues {
            let cells: Vec<String> = is
                .forecasts
                .iter()
                .map(|m| {
                    format!(
                        "{} {}",
                        m.model,
                        m.value.map_or("-".into(), |x| format!("{x:.1}"))
                    )
                })
                .collect();
            t.push_str(&format!(
                "  {:<40} {}\n",
                is.name.chars().take(40).collect::<String>(),
                cells.join("  ")
            ));
        }
        for c in &f.crises {
            if let Some(e) = &c.equilibrium {
                let o: Vec<String> = e
                    .outcomes
                    .iter()
                    .filter(|x| x.p > 0.0)
                    .map(|x| format!("{} {:.3}", x.outcome, x.p))
                    .collect();
                t.push_str(&format!("  crisis {}: {}\n", c.crisis, o.join(", ")));
            }
        }
        for l in posterior_lines(f) {
            t.push_str(&format!("  {l}\n"));
        }
    }
    for path in &doc.paths {
        t.push_str(&path_text(path));
    }
    t
}

/// One [`brink_engine::doc::ProbabilityPath`] as text: each series with its dated probabilities
/// and where each comes from, the notes, and when the crisis ended.
pub fn path_text(path: &brink_engine::doc::ProbabilityPath) -> String {
    let mut t = format!(
        "\nP({}) of crisis {} over time\n",
        path.outcome, path.crisis
    );
    for s in &path.series {
        t.push_str(&format!("  {}\n", s.label));
        for p in &s.points {
            t.push_str(&format!(
                "    {}  {:>6}  {}\n",
                p.date,
                crate::plot::path::prob(p.p),
                p.from
            ));
        }
    }
    for n in &path.notes {
        t.push_str(&format!("  note: {n}\n"));
    }
    match &path.happened {
        Some(h) => t.push_str(&format!(
            "  the crisis ended in {} on {}\n",
            h.outcome, h.date
        )),
        None => t.push_str("  no outcome given for this crisis\n"),
    }
    t
}

/// `brink timeline --svg` with a record, claims or outcomes file: per crisis outcome, (a file
/// stem `path-CRISIS-OUTCOME`, the SVG of its probability over time).
pub fn timeline_path_svgs(doc: &Timeline) -> Result<Vec<(String, String)>, crate::plot::PlotError> {
    doc.paths
        .iter()
        .map(|p| {
            let title = format!(
                "{}: P({}) of crisis {} over time, brink's and other forecasters'",
                doc.scenario.title, p.outcome, p.crisis
            );
            let svg = crate::plot::path::probability_path_plot(&title, p)?;
            let stem = format!("path-{}-{}", p.crisis, p.outcome.replace(' ', "-"));
            Ok((stem, svg))
        })
        .collect()
}

/// `brink timeline --svg`: per issue, (the issue's id, an SVG of each model's forecast at each
/// date).
pub fn timeline_svgs(doc: &Timeline) -> Result<Vec<(String, String)>, crate::plot::PlotError> {
    let dates: Vec<String> = doc.dates.iter().map(|d| d.as_of.clone()).collect();
    let Some(first) = doc.dates.first() else {
        return Ok(Vec::new());
    };
    let names = &first.forecast.models;
    first
        .forecast
        .issues
        .iter()
        .enumerate()
        .map(|(k, is)| {
            let series: Vec<Vec<f64>> = doc
                .dates
                .iter()
                .map(|d| {
                    d.forecast.issues[k]
                        .forecasts
                        .iter()
                        .map(|f| f.value.unwrap_or(f64::NAN))
                        .collect()
                })
                .collect();
            let scale = crate::plot::Scale {
                min: is.min,
                max: is.max,
                labels: is.points.iter().map(|p| (p.at, p.label.clone())).collect(),
            };
            let title = format!("{}: forecasts at {}", is.name, dates.join(", "));
            let svg = crate::plot::series_plot(
                &title,
                names,
                &series,
                &scale,
                "date of the information (the scenario's cut-off, then each update)",
                Some(&dates),
            )?;
            Ok((is.id.clone(), svg))
        })
        .collect()
}

/// `brink sensitivity`: the `top` inputs per forecast, the expert-disagreement shares and the
/// rank correlations.
pub fn sensitivity(doc: &Sensitivity, top: usize) -> String {
    let mut s = warning_lines(&doc.scenario.warnings);
    s.push_str(&mc::render_tornado(doc, top));
    s.push_str(&mc::render_panels(doc));
    s.push_str(&mc::render_rank(doc, top));
    for c in &doc.crises {
        s.push_str(&crisis::render_sensitivity(c, top));
    }
    s
}

/// `brink whatif`: the forecasts side by side and each crisis's outcomes as given and as changed.
pub fn whatif(doc: &WhatIf) -> String {
    let mut t = warning_lines(&doc.scenario.warnings);
    t.push_str(&table::render_whatif(doc));
    for c in &doc.crises {
        t.push_str(&format!(
            "\nCrisis: {}\n  {:<24} {:>9}  {:>10}\n",
            c.name, "outcome", "as given", "as changed"
        ));
        for o in c
            .outcomes
            .iter()
            .filter(|r| r.as_given > 0.0 || r.as_changed > 0.0)
        {
            t.push_str(&format!(
                "  {:<24} {:>9.3}  {:>10.3}{}\n",
                o.outcome,
                o.as_given,
                o.as_changed,
                if o.as_given != o.as_changed {
                    "  changed"
                } else {
                    ""
                }
            ));
        }
    }
    t
}

/// `brink crisis`: each crisis's equilibrium with its certificate, sides and thresholds.
pub fn crisis_analysis(doc: &CrisisAnalysis) -> String {
    let mut t = warning_lines(&doc.scenario.warnings);
    for c in &doc.crises {
        if let Some(e) = &c.forecast.equilibrium {
            t.push_str(&crisis::render(&c.forecast.name, e, &c.thresholds, true));
            t.push_str(&crisis::render_views(&c.forecast));
        }
    }
    t
}

/// `brink solve`: every equilibrium with its payoffs, outcome probabilities and certificate.
pub fn solve(doc: &Solve) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "{}: {} ({}), {} equilibri{}{}",
        doc.input.file,
        doc.title,
        doc.concept,
        doc.equilibria.len(),
        if doc.equilibria.len() == 1 { "um" } else { "a" },
        if doc.complete {
            ""
        } else {
            " (enumeration capped)"
        }
    );
    for (i, e) in doc.equilibria.iter().enumerate() {
        let _ = write!(
            t,
            "\nequilibrium {}\n  path: {}\n",
            i + 1,
            e.path.join("; ")
        );
        let pay: Vec<String> = doc
            .players
            .iter()
            .zip(&e.payoffs)
            .map(|(p, x)| format!("{p} {x}"))
            .collect();
        let _ = writeln!(t, "  expected payoffs: {}", pay.join(", "));
        let outs: Vec<String> = e
            .outcomes
            .iter()
            .map(|o| format!("{} {}", o.outcome, o.p))
            .collect();
        let _ = writeln!(t, "  outcome probabilities: {}", outs.join(", "));
        let _ = writeln!(
            t,
            "  certificate: max regret {} over {} information sets (on and off the path)",
            e.max_regret,
            e.certificate.len()
        );
        for c in &e.certificate {
            let _ = writeln!(
                t,
                "    {} at set {}{}: plays {}, regret {}",
                c.player,
                c.infoset,
                if c.on_path { "" } else { " (off path)" },
                c.action,
                c.regret
            );
        }
    }
    t
}

/// `brink backtest`: the scores' tables and the draws they used.
pub fn backtest(doc: &Backtest) -> String {
    format!(
        "{}{}\n{} draws, seed {}\n{}\nThe issues' predictive distributions, made from {}\n{}",
        warning_lines(&doc.scenario.warnings),
        crate::backtest::text(&doc.backtest),
        doc.draws,
        doc.seed,
        crisis_views(&doc.crisis_views),
        crate::predictive::predictive_note(&doc.predictive),
        crate::predictive::render_backtest_named(&doc.distributions, |id| id.to_string())
    )
}

/// A backtest's crisis views: per crisis the level that happened, then each view's
/// probabilities of the three violence levels and its scores.
fn crisis_views(cs: &[brink_engine::doc::CrisisViewsScore]) -> String {
    let mut t = String::new();
    for c in cs {
        let _ = writeln!(
            t,
            "\nCrisis `{}`: the views over the violence levels; happened: {} ({})",
            c.crisis, c.level, c.outcome
        );
        let _ = writeln!(
            t,
            "  {:16} {:>12} {:>19} {:>6} {:>7} {:>10} {:>6}",
            "view", "no violence", "force short of war", "war", "Brier", "war Brier", "log"
        );
        for v in &c.views {
            let _ = writeln!(
                t,
                "  {:16} {:>12} {:>19} {:>6} {:>7.3} {:>10.3} {:>6.2}",
                v.view,
                crate::crisis::prob(v.p[0]),
                crate::crisis::prob(v.p[1]),
                crate::crisis::prob(v.p[2]),
                v.brier,
                v.war_brier,
                v.log
            );
        }
    }
    t
}

/// `brink eval`: the point scores, then the predictive distributions' scores.
pub fn eval(doc: &Eval) -> String {
    doc.evaluation.table() + "\n" + &crate::predictive::render_eval(&doc.predictive)
}

/// `brink eval` on an ICB file: how the rows were kept out of their own training, then per
/// target the models' scores with 95% intervals and the calibration tables of the reference
/// class.
pub fn eval_icb(doc: &EvalIcb) -> String {
    let ev = &doc.evaluation;
    let mut t = String::new();
    let _ = writeln!(
        t,
        "The outside view (ICB reference class) on {} ({}-level): {} rows of {} crises scored{}.",
        doc.input.file,
        ev.level.name(),
        ev.n,
        ev.n_crises,
        if ev.unscored > 0 {
            format!(", {} without a VIOL code skipped", ev.unscored)
        } else {
            String::new()
        }
    );
    let _ = writeln!(t, "Trained on {}: {}.", doc.train.file, ev.method);
    if !doc.left_out_of_training.is_empty() {
        let _ = writeln!(
            t,
            "{} scored crises are also in the training file: each was left out of the training of its own forecast (by crisis).",
            doc.left_out_of_training.len()
        );
    }
    let _ = writeln!(
        t,
        "95% intervals: bootstrap over crises ({} resamples, seed {}). Brier and log loss: lower is better; \"vs base\": Brier minus the base rate's, paired.",
        ev.bootstrap, ev.seed
    );
    let ci = |(a, b): (f64, f64)| format!("[{a:.3}, {b:.3}]");
    for target in &ev.targets {
        let _ = writeln!(
            t,
            "\n{}: {} (observed rate {:.3})",
            target.target, target.definition, target.observed_rate
        );
        let _ = writeln!(
            t,
            "  {:13}  {:>4}  {:>21}  {:>23}  {:>21}  {:>21}  {:>6}",
            "model",
            "n",
            "Brier [95% CI]",
            "vs base [95% CI]",
            "log loss [95% CI]",
            "AUC [95% CI]",
            "z"
        );
        for m in &target.models {
            let vs = if m.model == "base" {
                "-".to_string()
            } else {
                format!(
                    "{:+.3} [{:+.3}, {:+.3}]",
                    m.brier_vs_base, m.brier_vs_base_ci.0, m.brier_vs_base_ci.1
                )
            };
            let auc = match (m.auc, m.auc_ci) {
                (Some(a), Some(c)) => format!("{a:.3} {}", ci(c)),
                (Some(a), None) => format!("{a:.3}"),
                _ => "-".to_string(),
            };
            let _ = writeln!(
                t,
                "  {:13}  {:>4}  {:>21}  {:>23}  {:>21}  {:>21}  {:>+6.2}{}",
                m.model,
                m.n,
                format!("{:.3} {}", m.brier, ci(m.brier_ci)),
                vs,
                format!("{:.3} {}", m.log_loss, ci(m.log_loss_ci)),
                auc,
                m.spiegelhalter_z,
                if m.near {
                    "  (uses NEAR variables)"
                } else {
                    ""
                }
            );
        }
        for m in target
            .models
            .iter()
            .filter(|m| m.model.starts_with("refclass"))
        {
            let _ = writeln!(
                t,
                "  calibration of {} (bin: n, mean forecast, observed, sd if calibrated):",
                m.model
            );
            for b in m.calibration.iter().filter(|b| b.n > 0) {
                let (f, o, sd) = (
                    b.mean_forecast.unwrap_or(f64::NAN),
                    b.observed.unwrap_or(f64::NAN),
                    b.sd.unwrap_or(f64::NAN),
                );
                let flag = if b.is_off() {
                    "  off by more than 0.10"
                } else {
                    ""
                };
                let _ = writeln!(
                    t,
                    "    [{:.1}, {:.1}{}  {:4}  {f:.3}  {o:.3}  {sd:.3}{flag}",
                    b.lo,
                    b.hi,
                    if b.hi >= 1.0 { "]" } else { ")" },
                    b.n
                );
            }
        }
    }
    let _ = writeln!(
        t,
        "\nz: Spiegelhalter's test of calibration (|z| > 1.96 rejects it at 5%). Models: base, the training rate; era, the training rate in the case's era; refclass, the onset variables; refclass_near, with the NEAR variables (a labelled sensitivity). docs/reference-class.md"
    );
    t
}

/// `brink check`: what the files hold.
pub fn check(doc: &Check) -> String {
    if !doc.ok {
        let mut msg = String::new();
        // As the command line reports them: a placed problem in the scenario crate's own words
        // (`file:line:column: field: message`), else its message.
        for p in &doc.problems {
            match (p.line, p.column) {
                (Some(line), Some(column)) => {
                    let d = brink_scenario::Diagnostic {
                        file: p.file.clone(),
                        line,
                        column,
                        path: p.field.clone(),
                        message: p.message.clone(),
                        omitted: p.omitted,
                    };
                    msg.push_str(&format!("{d}\n"));
                }
                _ => msg.push_str(&format!("{}\n", p.message)),
            }
        }
        return msg;
    }
    let n = |x: Option<usize>| x.unwrap_or(0);
    let mut msg = format!(
        "{}: ok: {}, {}, {}, {}",
        doc.input.file,
        counted(n(doc.actors), "actor"),
        counted(n(doc.issues), "issue"),
        counted(n(doc.stances), "stance"),
        counted(n(doc.sources), "source")
    );
    if let Some(o) = &doc.outcomes {
        msg.push_str(&format!(
            "\n{}: ok: {}",
            o.file,
            counted(o.outcomes, "outcome")
        ));
    }
    if let Some(o) = &doc.onset {
        msg.push_str(&format!(
            "\n{}: ok: onset sections for {} of {} ({})",
            o.file,
            o.crises_with_onset,
            counted(o.crises, "crisis"),
            o.applied
        ));
    }
    msg.push('\n');
    for w in &doc.warnings {
        msg.push_str(&format!("{}: warning: {w}\n", doc.input.file));
    }
    msg
}

/// "1 issue", "2 issues", "2 crises": a count with its noun.
fn counted(n: usize, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "crisis") => format!("{n} crises"),
        _ => format!("{n} {noun}s"),
    }
}

/// `brink models`: one line per model, its summary, and whether it runs by default.
pub fn models(models: &[ModelInfo]) -> String {
    let w = models.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut t = String::new();
    for m in models {
        let def = if m.default { " (default)" } else { "" };
        let _ = writeln!(t, "{:w$}  {}{def}", m.name, m.summary);
    }
    t
}
