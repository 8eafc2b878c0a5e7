//! Monte Carlo and sensitivity results as aligned text.

use crate::table::num;
use brink_montecarlo::run::McResult;
use brink_montecarlo::sensitivity::Tornado;
use brink_scenario::Scenario;
use std::fmt::Write;

/// The distribution of each model's forecast per issue: mean, 5/25/50/75/95 percentiles, the
/// label of the median, and how often the model forecast no agreement.
pub fn render_mc(sc: &Scenario, r: &McResult) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  (as of {})", sc.title, sc.as_of);
    let _ = writeln!(
        out,
        "Monte Carlo: {} draws{} over {} uncertain inputs, seed {}",
        r.draws_done,
        if r.stopped {
            format!(" (stopped early: {} asked for)", r.draws_requested)
        } else {
            String::new()
        },
        r.uncertain_inputs.len(),
        r.seed
    );
    for (k, is) in r.issues.iter().enumerate() {
        let issue = &sc.issues[k];
        let _ = writeln!(out, "\n{}", issue.name);
        let mw = is
            .models
            .iter()
            .map(|m| m.model.len())
            .max()
            .unwrap_or(5)
            .max(5);
        let _ = writeln!(
            out,
            "  {:mw$}  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  median's nearest point; notes",
            "model", "mean", "5%", "25%", "median", "75%", "95%"
        );
        for m in &is.models {
            match &m.summary {
                None => {
                    let _ = writeln!(out, "  {:mw$}  not covered in any draw", m.model);
                }
                Some(s) => {
                    let mut note = issue.nearest_label(s.p50).to_string();
                    if note.chars().count() > 48 {
                        note = format!("{}…", note.chars().take(47).collect::<String>());
                    }
                    let n = s.n + m.not_covered;
                    if m.no_agreement > 0 {
                        note.push_str(&format!(
                            "; no agreement in {:.1}% of draws",
                            100.0 * m.no_agreement as f64 / n as f64
                        ));
                    }
                    if m.not_covered > 0 {
                        note.push_str(&format!("; not covered in {} draws", m.not_covered));
                    }
                    let _ = writeln!(
                        out,
                        "  {:mw$}  {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}  {}",
                        m.model,
                        num(s.mean),
                        num(s.p05),
                        num(s.p25),
                        num(s.p50),
                        num(s.p75),
                        num(s.p95),
                        note
                    );
                }
            }
        }
    }
    out
}

/// The tornado of each issue and model: the inputs that move the forecast most, in words.
pub fn render_tornado(sc: &Scenario, t: &[Tornado], top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  (as of {})", sc.title, sc.as_of);
    let _ = writeln!(out, "One at a time: each uncertain input from the low to the high end of its range, every other input at its point estimate.");
    for tor in t {
        let name = sc
            .issue_index(&tor.issue)
            .map_or(tor.issue.as_str(), |k| sc.issues[k].name.as_str());
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
pub fn render_panels(sc: &Scenario, p: &[brink_montecarlo::sensitivity::PanelShare]) -> String {
    let mut out = String::new();
    if p.is_empty() {
        return out;
    }
    let _ = writeln!(out, "\nExpert disagreement: the share of each forecast's variance explained by which expert's estimate holds (4000 draws, seed 0).");
    for x in p {
        let name = sc
            .issue_index(&x.issue)
            .map_or(x.issue.as_str(), |k| sc.issues[k].name.as_str());
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
pub fn render_rank(
    sc: &Scenario,
    r: &[brink_montecarlo::sensitivity::RankCorrelation],
    draws: u64,
    top: usize,
) -> String {
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
            let name = sc
                .issue_index(&x.issue)
                .map_or(x.issue.as_str(), |k| sc.issues[k].name.as_str());
            let _ = writeln!(out, "  {} — {}", name, x.model);
        }
        if shown < top {
            let _ = writeln!(out, "    {:>+6.2}  {}", x.rho, x.name);
            shown += 1;
        }
    }
    out
}
