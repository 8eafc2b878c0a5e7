//! Monte Carlo and sensitivity results as aligned text.

use crate::table::num;
use brink_engine::doc::{Forecast, MonteCarlo, Sensitivity};
use std::fmt::Write;

/// The distribution of each model's forecast per issue: mean, 5/25/50/75/95 percentiles, the
/// label of the median, and how often the model forecast no agreement. Empty without draws.
pub fn render_mc(doc: &Forecast) -> String {
    let mut out = String::new();
    let Some(r) = &doc.montecarlo else {
        return out;
    };
    let MonteCarlo {
        draws_done,
        draws_requested,
        stopped,
        seed,
        ..
    } = r;
    let _ = writeln!(
        out,
        "{}  (as of {})",
        doc.scenario.title, doc.scenario.as_of
    );
    let _ = writeln!(
        out,
        "Monte Carlo: {} draws{} over {} uncertain inputs, seed {}",
        draws_done,
        if *stopped {
            format!(" (stopped early: {draws_requested} asked for)")
        } else {
            String::new()
        },
        r.uncertain_inputs.len(),
        seed
    );
    for is in &doc.issues {
        let _ = writeln!(out, "\n{}", is.name);
        let mw = is
            .forecasts
            .iter()
            .map(|m| m.model.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            out,
            "  {:mw$}  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  where the median lies; notes",
            "model", "mean", "5%", "25%", "median", "75%", "95%"
        );
        for m in &is.forecasts {
            let d = m.distribution.as_ref();
            match d.and_then(|d| d.summary.as_ref().map(|s| (d, s))) {
                None => {
                    let _ = writeln!(out, "  {:mw$}  not covered in any draw", m.model);
                }
                Some((d, s)) => {
                    let mut note = s.median_label.clone();
                    if note.chars().count() > 48 {
                        note = format!("{}…", note.chars().take(47).collect::<String>());
                    }
                    let n = d.n + d.not_covered;
                    if d.no_agreement > 0 {
                        note.push_str(&format!(
                            "; no agreement in {:.1}% of draws",
                            100.0 * d.no_agreement as f64 / n as f64
                        ));
                    }
                    if d.not_covered > 0 {
                        note.push_str(&format!("; not covered in {} draws", d.not_covered));
                    }
                    let _ = writeln!(
                        out,
                        "  {:mw$}  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {}",
                        m.model,
                        num(s.mean),
                        num(s.quantile(0.05)),
                        num(s.quantile(0.25)),
                        num(s.quantile(0.5)),
                        num(s.quantile(0.75)),
                        num(s.quantile(0.95)),
                        note
                    );
                }
            }
        }
    }
    out
}

/// The name of an issue of a sensitivity document (its id if unknown).
fn issue_name<'a>(s: &'a Sensitivity, id: &'a str) -> &'a str {
    s.issues
        .iter()
        .find(|i| i.id == id)
        .map_or(id, |i| i.name.as_str())
}

/// The tornado of each issue and model: the inputs that move the forecast most, in words.
pub fn render_tornado(sens: &Sensitivity, top: usize) -> String {
    let t = &sens.tornado;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}  (as of {})",
        sens.scenario.title, sens.scenario.as_of
    );
    let _ = writeln!(out, "One at a time: each uncertain input from the low to the high end of its range, every other input at its point estimate.");
    for tor in t {
        let name = issue_name(sens, &tor.issue);
        let _ = writeln!(
            out,
            "\n{} — {} (forecast {})",
            name,
            tor.model,
            num(tor.base)
        );
        if tor.swings.is_empty() {
            let _ = writeln!(out, "  no uncertain input moves this forecast");
            continue;
        }
        let w = tor
            .swings
            .iter()
            .take(top)
            .map(|s| s.name.chars().count())
            .max()
            .unwrap_or(0);
        for s in tor.swings.iter().take(top) {
            let _ = writeln!(
                out,
                "  {}{}  {:>7} -> {:>7}  swing {:>+8}",
                s.name,
                " ".repeat(w - s.name.chars().count()),
                num(s.at_low),
                num(s.at_high),
                num(s.swing)
            );
        }
        if tor.swings.len() > top {
            let _ = writeln!(out, "  ... and {} more inputs", tor.swings.len() - top);
        }
    }
    out
}

/// The share of each forecast's spread that experts' disagreement explains (pooled inputs only).
pub fn render_panels(sens: &Sensitivity) -> String {
    let mut out = String::new();
    let e = &sens.expert_disagreement;
    if e.shares.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nExpert disagreement: the share of each forecast's variance explained by which expert's estimate holds ({} draws, seed {}).", e.draws, e.seed);
    for x in &e.shares {
        let name = issue_name(sens, &x.issue);
        let _ = writeln!(
            out,
            "  {:>5.1}%  {} — {}: {}",
            100.0 * x.share,
            name,
            x.model,
            x.name
        );
    }
    out
}

/// Rank correlations over Monte Carlo draws: the `top` strongest per issue and model.
pub fn render_rank(sens: &Sensitivity, top: usize) -> String {
    let r = &sens.rank_correlation.inputs;
    let draws = sens.rank_correlation.draws;
    let mut out = String::new();
    if r.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "\nRank correlation (Spearman) of each input with each forecast over {draws} draws:"
    );
    let mut last = (String::new(), String::new());
    let mut shown = 0;
    for x in r {
        if (x.issue.clone(), x.model.clone()) != last {
            last = (x.issue.clone(), x.model.clone());
            shown = 0;
            let name = issue_name(sens, &x.issue);
            let _ = writeln!(out, "  {} — {}", name, x.model);
        }
        if shown < top {
            let _ = writeln!(out, "    {:>+6.2}  {}", x.rho, x.name);
            shown += 1;
        }
    }
    out
}
