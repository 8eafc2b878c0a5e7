//! Crisis forecasts as text: the equilibrium outcome, the path in words, the certificate, the
//! thresholds at which the equilibrium would change, and Monte Carlo shares.

use crate::table::num;
use brink_engine::doc::{CrisisEquilibrium, OutcomeProbabilities};
pub use brink_engine::doc::{Switch, Threshold};
use std::fmt::Write;

/// A game tree as SVG, with a path through it (node numbers) highlighted.
pub fn tree_svg(game: &brink_crisis::game::Game, path: Option<&[usize]>) -> String {
    brink_crisis::svg::to_svg(game, path)
}

/// A solution concept as the documents name it (`SubgamePerfect`, `PerfectBayesian(Supporting)`),
/// in words.
pub fn concept_words(concept: &str) -> String {
    match concept {
        "SubgamePerfect" => "subgame-perfect equilibrium".into(),
        "PerfectBayesian(Supporting)" => {
            "perfect Bayesian equilibrium (off the path, the beliefs that most deter deviation)"
                .into()
        }
        "PerfectBayesian(Prior)" => {
            "perfect Bayesian equilibrium (off the path, the prior beliefs)".into()
        }
        other => other.to_string(),
    }
}

/// A probability as a decimal for a reader: "0" and "1" when exact, three decimals otherwise,
/// "<0.001" and ">0.999" for what would round to 0 or 1.
pub fn prob(p: f64) -> String {
    if !p.is_finite() {
        "-".into()
    } else if p <= 0.0 {
        "0".into()
    } else if p >= 1.0 {
        "1".into()
    } else if p < 0.0005 {
        "<0.001".into()
    } else if p > 0.9995 {
        ">0.999".into()
    } else {
        format!("{p:.3}")
    }
}

/// The largest regret of an equilibrium's certificate: "0" when it is exactly 0, else a
/// decimal or, for what a decimal cannot show, "less than 1e-9" style words.
pub fn regret(r: f64) -> String {
    if r == 0.0 {
        "0".into()
    } else if r.abs() >= 0.001 {
        num(r)
    } else {
        let e = r.abs().log10().floor() as i32;
        format!("below 10^{}", e + 1)
    }
}

/// The deterministic crisis forecast as text; `detail` adds the certificate and thresholds.
pub fn render(name: &str, f: &CrisisEquilibrium, thresholds: &[Threshold], detail: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCrisis: {name}  [{}; {} equilibri{}]",
        concept_words(&f.concept),
        f.equilibria,
        if f.equilibria == 1 { "um" } else { "a" }
    );
    let likely: Vec<String> = f
        .outcomes
        .iter()
        .filter(|o| o.p > 0.0)
        .map(|o| {
            if f.equilibria <= 1 || o.p >= 1.0 {
                o.outcome.clone()
            } else {
                format!(
                    "{} (in {} of the {} equilibria)",
                    o.outcome,
                    (o.p * f.equilibria as f64).round(),
                    f.equilibria
                )
            }
        })
        .collect();
    let _ = writeln!(
        out,
        "  outcome{}: {}",
        if likely.len() > 1 { "s" } else { "" },
        likely.join(", ")
    );
    let _ = writeln!(out, "  path: {}", f.path.join("; "));
    let _ = writeln!(
        out,
        "  certificate: largest regret of any player at any information set, on and off the path: {}{}",
        regret(f.max_regret),
        if f.max_regret <= 1e-9 { " (an equilibrium)" } else { " (NOT an equilibrium)" }
    );
    for r in &f.red_lines_crossed {
        let _ = writeln!(out, "  red line: {r}");
    }
    if detail {
        for (i, s) in f.sides.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}: utilities (1 = own demands met): status quo {}, other side's demands {}, negotiated settlement {}",
                if i == 0 { "challenger" } else { "defender" },
                num(s.sq),
                num(s.other),
                num(s.neg)
            );
        }
        if !thresholds.is_empty() {
            let _ = writeln!(out, "  thresholds (where the equilibrium would change, each input alone across its range):");
            let quiet = thresholds.iter().filter(|t| t.switches.is_empty()).count();
            for t in thresholds {
                if t.switches.is_empty() {
                    continue;
                } else {
                    let sw: Vec<String> = t
                        .switches
                        .iter()
                        .map(|s| {
                            format!(
                                "at {} ({} -> {})",
                                format!("{:.4}", s.at)
                                    .trim_end_matches('0')
                                    .trim_end_matches('.'),
                                s.before.join("+"),
                                s.after.join("+")
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "    {} (now {}): {}",
                        t.name,
                        num(t.point),
                        sw.join(", ")
                    );
                }
            }
            if quiet > 0 {
                let _ = writeln!(
                    out,
                    "    {quiet} other uncertain inputs: no change anywhere in their ranges"
                );
            }
        }
    }
    out
}

/// Monte Carlo shares of each crisis outcome with 95% Wilson intervals.
pub fn render_mc(name: &str, c: &OutcomeProbabilities) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCrisis: {}  (share of {} draws, 95% interval)",
        name,
        c.draws - c.unsolved
    );
    for o in &c.outcomes {
        let share = o.p.unwrap_or(f64::NAN);
        let (lo, hi) = o.interval.map_or((f64::NAN, f64::NAN), |i| (i.lo, i.hi));
        if share > 0.0 || o.outcome == "war" {
            let _ = writeln!(
                out,
                "  {:<24} {:>6}  ({} to {})",
                o.outcome,
                prob(share),
                prob(lo),
                prob(hi)
            );
        }
    }
    if c.unsolved > 0 {
        let _ = writeln!(
            out,
            "  unsolved in {} draws: {}",
            c.unsolved,
            c.unsolved_reason.clone().unwrap_or_default()
        );
    }
    out
}
