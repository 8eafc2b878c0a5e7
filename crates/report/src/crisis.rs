//! Crisis forecasts as text: the equilibrium outcome, the path in words, the certificate, the
//! thresholds at which the equilibrium would change, and Monte Carlo shares.

use crate::table::num;
use brink_crisis::standoff::CrisisForecast;
use brink_montecarlo::run::CrisisMc;
use serde::Serialize;
use std::fmt::Write;

/// An input's threshold: where the equilibrium path changes within its range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threshold {
    /// The input's key.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Its range.
    pub range: (f64, f64),
    /// Its point value.
    pub point: f64,
    /// Switch points with the outcomes before and after.
    pub switches: Vec<(f64, Vec<String>, Vec<String>)>,
}

/// The deterministic crisis forecast as text; `detail` adds the certificate and thresholds.
pub fn render(name: &str, f: &CrisisForecast, thresholds: &[Threshold], detail: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCrisis: {name}  [{}; {} equilibri{}]",
        f.concept,
        f.equilibria,
        if f.equilibria == 1 { "um" } else { "a" }
    );
    let likely: Vec<String> = f
        .outcomes
        .iter()
        .filter(|(_, p)| *p > 0.0)
        .map(|(o, p)| format!("{o} ({})", num(*p)))
        .collect();
    let _ = writeln!(out, "  outcome: {}", likely.join(", "));
    let _ = writeln!(out, "  path: {}", f.path.join("; "));
    let _ = writeln!(
        out,
        "  certificate: largest regret of any player at any information set, on and off the path: {:.3e}{}",
        f.max_regret,
        if f.max_regret <= 1e-9 { " (an equilibrium)" } else { " (NOT an equilibrium)" }
    );
    for r in &f.built.red_lines {
        let _ = writeln!(out, "  red line: {r}");
    }
    if detail {
        for (i, s) in f.built.sides.iter().enumerate() {
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
                        .map(|(at, a, b)| {
                            format!("at {at:.6} ({} -> {})", a.join("+"), b.join("+"))
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
pub fn render_mc(c: &CrisisMc, draws: u64) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCrisis: {}  (share of {} draws, 95% interval)",
        c.name,
        draws - c.unsolved
    );
    for o in &c.outcomes {
        if o.share > 0.0 || o.outcome == "war" {
            let _ = writeln!(
                out,
                "  {:<24} {:>6.1}%  ({:.1}% to {:.1}%)",
                o.outcome,
                100.0 * o.share,
                100.0 * o.interval.0,
                100.0 * o.interval.1
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
