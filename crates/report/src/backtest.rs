//! A backtest ([`brink_eval::backtest::Backtest`]) for people: aligned text for a terminal
//! ([`text`]), and the Markdown tables the README shows ([`headline_markdown`],
//! [`claims_markdown`], [`not_scored_markdown`], [`mae_markdown`]), so that the README's numbers
//! are what these functions print from a run, never typed by hand.

use brink_eval::backtest::{Backtest, ProbScore};
use brink_eval::backtest_dist::ModelDistSummary;
use std::fmt::Write;

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// A probability as the tables show it: three decimals, fewer when exact (0.35, 0.675, 0.03),
/// and 0.000 or 1.000 at the ends (a Monte Carlo share that no draw, or every draw, reached).
pub fn prob(p: f64) -> String {
    let s = format!("{p:.3}");
    let t = s.trim_end_matches('0');
    if t.ends_with('.') {
        s
    } else {
        t.to_string()
    }
}

/// The backtest as aligned text for a terminal.
pub fn text(bt: &Backtest) -> String {
    let mut s = format!(
        "Backtest against outcomes read at {}\n\nIssues (absolute error of each model's forecast):\n",
        bt.horizon
    );
    for i in &bt.issues {
        let cells: Vec<String> = i
            .models
            .iter()
            .map(|(m, f, e)| match (f, e) {
                (Some(f), Some(e)) => format!("{m} {f:.1} (err {e:.1})"),
                _ => format!("{m} -"),
            })
            .collect();
        let _ = writeln!(
            s,
            "  {:<16} outcome {:>5.1}: {}",
            i.issue,
            i.outcome,
            cells.join(", ")
        );
    }
    let m: Vec<String> = bt
        .mae
        .iter()
        .map(|(n, k, e)| format!("{n} {e:.1} ({k} issues)"))
        .collect();
    let _ = writeln!(s, "  mean absolute error: {}", m.join(", "));
    if !bt.issues_not_in_scenario.is_empty() {
        let _ = writeln!(
            s,
            "  not scored: outcomes for issues this scenario does not have: {}",
            bt.issues_not_in_scenario.join(", ")
        );
    }
    for c in &bt.crises {
        let ps: Vec<String> = c
            .probabilities
            .iter()
            .filter(|(_, p)| *p > 0.0)
            .map(|(o, p)| format!("{o} {p:.3}"))
            .collect();
        let _ = writeln!(
            s,
            "\nCrisis `{}`: what happened: {}; brink's probabilities: {}\n  multi-class Brier {:.3}, log score {:.2}",
            c.crisis,
            c.outcome,
            ps.join(", "),
            c.brier,
            c.log
        );
    }
    s.push_str("\nYes/no forecasts, each on its event by its horizon (Brier: lower is better; log: higher is better):\n");
    for c in bt
        .claims
        .iter()
        .filter(|c| c.kind != "model" || c.happened || c.p > 0.0)
    {
        let _ = writeln!(
            s,
            "  {:<16} {:<10} by {}  p = {:<6} {:<3}  Brier {:.3}  log {:>6.2}  {}{}",
            c.forecaster,
            c.made.as_deref().unwrap_or("-"),
            c.horizon,
            prob(c.p),
            yes(c.happened),
            c.brier,
            c.log,
            c.event,
            if c.kind == "words" {
                format!(" [{}]", c.id)
            } else {
                String::new()
            }
        );
    }
    let mut matched: Vec<(&str, &str)> = Vec::new();
    for c in &bt.claims {
        if let Some(m) = &c.matching {
            if !matched.iter().any(|(f, x)| *f == c.forecaster && *x == m) {
                matched.push((&c.forecaster, m));
            }
        }
    }
    for (f, m) in matched {
        let _ = writeln!(s, "  ({f}: {m})");
    }
    if !bt.not_scored.is_empty() {
        s.push_str("\nNot scored:\n");
        for n in &bt.not_scored {
            let _ = writeln!(
                s,
                "  {:<16} {} (by {}): {}: {}",
                n.forecaster, n.id, n.horizon, n.status, n.why
            );
        }
    }
    s.push_str("\nCalibration (all scored yes/no forecasts above):\n");
    for b in bt.calibration.iter().filter(|b| b.n > 0) {
        let _ = writeln!(
            s,
            "  p in [{:.1}, {:.1}): {} forecasts, mean p {:.2}, happened {:.2}",
            b.lo, b.hi, b.n, b.mean_p, b.observed
        );
    }
    s
}

/// One row of the README's first table: who, as of when, and the scored probability.
#[derive(Debug, Clone)]
pub struct Headline<'a> {
    /// Who made the forecast and with what, in words.
    pub forecast: String,
    /// The date the forecast stands for.
    pub as_of: String,
    /// The scored probability.
    pub score: &'a ProbScore,
}

/// The README's first table: one probability per row, with its Brier and log scores.
/// `p_label` heads the probability column (e.g. `P(war)`).
pub fn headline_markdown(p_label: &str, rows: &[Headline<'_>]) -> String {
    let mut s = format!(
        "| forecast | as of | {p_label} | happened | Brier | log |\n|---|---|---|---|---|---|\n"
    );
    for r in rows {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.3} | {:.2} |",
            r.forecast,
            r.as_of,
            prob(r.score.p),
            yes(r.score.happened),
            r.score.brier,
            r.score.log
        );
    }
    s
}

/// The scored claims in words and stated forecasts of a backtest, one row each, in file order:
/// who (`name` turns a source id into a display name), when, the words, the event and its
/// horizon, the probability, whether it happened, and the scores.
pub fn claims_markdown(bt: &Backtest, name: &dyn Fn(&str) -> String) -> String {
    let mut s = String::from(
        "| forecaster | made | forecast | event, by | p | happened | Brier | log |\n|---|---|---|---|---|---|---|---|\n",
    );
    for c in bt.claims.iter().filter(|c| c.kind != "model") {
        let what = if c.kind == "words" {
            c.what.clone()
        } else {
            format!("{} (stated)", c.what)
        };
        let _ = writeln!(
            s,
            "| {} | {} | {} | {}, by {} | {} | {} | {:.3} | {:.2} |",
            name(&c.forecaster),
            c.made.as_deref().unwrap_or("-"),
            what,
            c.event,
            c.horizon,
            prob(c.p),
            yes(c.happened),
            c.brier,
            c.log
        );
    }
    s
}

/// The claims and stated forecasts a backtest could not score, with the reason.
pub fn not_scored_markdown(bt: &Backtest, name: &dyn Fn(&str) -> String) -> String {
    let mut s =
        String::from("| forecaster | claim | event, by | not scored |\n|---|---|---|---|\n");
    for n in &bt.not_scored {
        let _ = writeln!(
            s,
            "| {} | `{}` | {}, by {} | {}: {} |",
            name(&n.forecaster),
            n.id,
            n.event,
            n.horizon,
            n.status,
            n.why
        );
    }
    s
}

/// Per model: (name, issues scored, mean absolute error), as [`Backtest::mae`] gives it.
pub type Mae = Vec<(String, usize, f64)>;

/// Mean absolute errors, one row per forecast: (label, per model (name, issues, MAE)). Columns
/// follow the first row's models; a model a row lacks shows `-`.
pub fn mae_markdown(rows: &[(String, Mae)]) -> String {
    let Some((_, first)) = rows.first() else {
        return String::new();
    };
    let models: Vec<&str> = first.iter().map(|(m, ..)| m.as_str()).collect();
    let mut s = format!(
        "| forecast | issues | {} |\n|---|---|{}\n",
        models.join(" | "),
        "---|".repeat(models.len())
    );
    for (label, m) in rows {
        let n = m.iter().map(|x| x.1).max().unwrap_or(0);
        let cells: Vec<String> = models
            .iter()
            .map(|name| {
                m.iter()
                    .find(|x| x.0 == *name)
                    .map_or("-".into(), |x| format!("{:.1}", x.2))
            })
            .collect();
        let _ = writeln!(s, "| {label} | {n} | {} |", cells.join(" | "));
    }
    s
}

/// The README's table of the issues' predictive distributions: per row (a label, the per-model
/// summaries of a backtest's distributions), each model's mean CRPS and how many outcomes fell
/// inside its central 50%, 80% and 90% intervals.
pub fn dist_markdown(rows: &[(String, Vec<ModelDistSummary>)]) -> String {
    let Some((_, first)) = rows.first() else {
        return String::new();
    };
    let models: Vec<&str> = first.iter().map(|m| m.model.as_str()).collect();
    let mut s = format!(
        "| forecast | issues | {} |\n|---|---|{}\n",
        models.join(" | "),
        "---|".repeat(models.len())
    );
    for (label, ms) in rows {
        let n = ms.iter().map(|m| m.n).max().unwrap_or(0);
        let cells: Vec<String> = models
            .iter()
            .map(|name| {
                ms.iter()
                    .find(|m| m.model == *name)
                    .map_or("-".into(), |m| {
                        let inside = |l: &str| (m.coverage[l] * m.n as f64).round() as usize;
                        format!(
                            "{:.1} ({}/{}/{})",
                            m.crps,
                            inside("0.5"),
                            inside("0.8"),
                            inside("0.9")
                        )
                    })
            })
            .collect();
        let _ = writeln!(s, "| {label} | {n} | {} |", cells.join(" | "));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(p: f64, happened: bool) -> ProbScore {
        ProbScore {
            forecaster: "x".into(),
            kind: "stated".into(),
            id: "x1".into(),
            what: "“q”: 0.35".into(),
            event: "e".into(),
            made: Some("2021-12-12".into()),
            horizon: "2022-12-31".into(),
            p,
            happened,
            brier: brink_eval::words::brier(p, happened),
            log: brink_eval::words::log_score(p, happened),
            matching: None,
        }
    }

    #[test]
    fn probabilities_print_as_the_tables_show_them() {
        assert_eq!(prob(0.001), "0.001");
        assert_eq!(prob(0.35), "0.35");
        assert_eq!(prob(0.675), "0.675");
        assert_eq!(prob(0.0), "0.000");
        assert_eq!(prob(1.0), "1.000");
        assert_eq!(prob(0.5), "0.5");
    }

    #[test]
    fn the_headline_row_carries_the_scores() {
        let s = score(0.35, true);
        let t = headline_markdown(
            "P(war)",
            &[Headline {
                forecast: "the crowd".into(),
                as_of: "2021-12-28".into(),
                score: &s,
            }],
        );
        assert!(
            t.ends_with("| the crowd | 2021-12-28 | 0.35 | yes | 0.423 | -1.05 |\n"),
            "{t}"
        );
    }

    #[test]
    fn mae_rows_follow_the_first_rows_models() {
        let t = mae_markdown(&[
            (
                "a".into(),
                vec![("m".into(), 5, 1.25), ("n".into(), 5, 2.0)],
            ),
            ("b".into(), vec![("n".into(), 7, 3.0)]),
        ]);
        assert!(t.contains("| forecast | issues | m | n |"));
        assert!(
            t.contains("| a | 5 | 1.2 | 2.0 |") || t.contains("| a | 5 | 1.3 | 2.0 |"),
            "{t}"
        );
        assert!(t.contains("| b | 7 | - | 3.0 |"), "{t}");
    }
}
