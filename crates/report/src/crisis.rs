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

/// P(war) with its interval, in percent (`-` when undefined).
fn pct(p: Option<f64>, iv: Option<brink_engine::doc::Interval>) -> String {
    match (p, iv) {
        (Some(p), Some(i)) => format!("{} ({} to {})", pc(p), pc(i.lo), pc(i.hi)),
        (Some(p), None) => pc(p),
        _ => "-".into(),
    }
}

/// A probability in percent, with enough digits to tell small ones apart.
fn pc(p: f64) -> String {
    if p < 0.001 {
        format!("{:.2}%", 100.0 * p)
    } else {
        format!("{:.1}%", 100.0 * p)
    }
}

fn share_of<'a>(
    o: &'a OutcomeProbabilities,
    name: &str,
) -> Option<&'a brink_engine::doc::OutcomeShare> {
    o.outcomes.iter().find(|s| s.outcome == name)
}

/// A crisis's three views as text: the outside view (the reference class), the inside view
/// (the game's quantal response over the draws) and their combination, the published forecast;
/// "crises like this one: X%; this game: Y%; together: Z%" for P(war), then each view's
/// violence levels and the nearest past crises.
pub fn render_views(c: &brink_engine::doc::CrisisReport) -> String {
    let mut out = String::new();
    let Some(g) = &c.game else {
        return out;
    };
    let war = |o: &OutcomeProbabilities, spread: bool| {
        share_of(o, "war").map_or("-".into(), |s| {
            pct(
                s.p,
                if spread {
                    s.spread.or(s.interval)
                } else {
                    s.interval
                },
            )
        })
    };
    let _ = writeln!(
        out,
        "  P(war): crises like this one: {}; this game: {}; together: {}",
        c.reference_class
            .as_ref()
            .and_then(|r| r.outcomes.iter().find(|s| s.outcome == "war"))
            .map_or("- (no onset section)".into(), |s| pct(s.p, s.interval)),
        war(g, true),
        c.combined
            .as_ref()
            .map_or("- (the game alone)".into(), |x| war(x, false)),
    );
    let _ = writeln!(
        out,
        "    (intervals: the reference class's and the combination's 90%; the game's 5-95% spread over {} draws)",
        g.draws - g.unsolved
    );
    if let Some(r) = &c.reference_class {
        let _ = writeln!(
            out,
            "  crises like this one (ICB {} level, {} crises over before {}): {}",
            r.level,
            r.n_crises,
            r.before.as_deref().unwrap_or("-"),
            r.targets
                .iter()
                .map(|t| format!("{} {}", t.definition, pct(Some(t.p), Some(t.interval))))
                .collect::<Vec<_>>()
                .join("; ")
        );
        if !r.near_given.is_empty() {
            let _ = writeln!(
                out,
                "    NEAR variables given, not used (known only over the whole crisis): {}",
                r.near_given.join(", ")
            );
        }
        if !r.missing.is_empty() {
            let _ = writeln!(
                out,
                "    not given (ICB's missing level): {}",
                r.missing.join(", ")
            );
        }
        for n in &r.nearest {
            let _ = writeln!(
                out,
                "    like {} ({}): {}; differs on {}{}",
                n.name,
                n.year,
                n.outcome,
                n.distance,
                if n.differs.is_empty() {
                    String::new()
                } else {
                    format!(": {}", n.differs.join("; "))
                }
            );
        }
    } else if let Some(note) = &c.reference_class_note {
        let _ = writeln!(out, "  crises like this one: {note}");
    }
    let classes: Vec<String> = g
        .outcomes
        .iter()
        .filter(|o| o.p.is_some_and(|p| p >= 0.0005))
        .map(|o| format!("{} {}", o.outcome, pc(o.p.unwrap_or(0.0))))
        .collect();
    let _ = writeln!(
        out,
        "  this game (logit quantal response, lambda {}): {}",
        g.lambda.map_or("-".into(), |l| l.to_string()),
        classes.join(", ")
    );
    if let Some(x) = &c.combined {
        let lv: Vec<String> = x
            .outcomes
            .iter()
            .map(|o| format!("{} {}", o.outcome, pct(o.p, o.interval)))
            .collect();
        let _ = writeln!(out, "  together: {}", lv.join(", "));
    }
    if g.unsolved > 0 {
        let _ = writeln!(
            out,
            "  unsolved in {} draws: {}",
            g.unsolved,
            g.unsolved_reason.clone().unwrap_or_default()
        );
    }
    out
}

/// How much of a crisis's published P(war) hangs on the settlement model and on each input
/// (`top` inputs, largest swing first).
pub fn render_sensitivity(c: &brink_engine::doc::CrisisSensitivity, top: usize) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nCrisis: {}: P(war) {} as the scenario stands, the game alone {} ({} draws of its inputs, seed {})",
        c.name,
        pc(c.base),
        pc(c.game_base),
        c.draws,
        c.seed
    );
    let _ = writeln!(
        out,
        "  the settlement model ({}):",
        if c.settlement_fixed {
            "the scenario fixes it; the others shown for comparison"
        } else {
            "an uncertain choice in the scenario"
        }
    );
    for m in &c.settlement {
        let _ = writeln!(
            out,
            "    {:<12} P(war) {:>7}  (the game alone {:>7}){}",
            m.model,
            pc(m.p_war),
            pc(m.game_p_war),
            if m.weight > 0.0 {
                format!("  (weight {})", num(m.weight))
            } else {
                String::new()
            }
        );
    }
    let _ = writeln!(
        out,
        "  each input at the low .. high end of its range, the others drawn (published; the game alone):"
    );
    for s in c.swings.iter().take(top) {
        let _ = writeln!(
            out,
            "    {}  [{} .. {}]: {} .. {}; game {} .. {}",
            s.name,
            num(s.range.0),
            num(s.range.1),
            pc(s.at_low),
            pc(s.at_high),
            pc(s.game_at_low),
            pc(s.game_at_high)
        );
    }
    if c.swings.len() > top {
        let _ = writeln!(out, "    ... {} more inputs", c.swings.len() - top);
    }
    out
}
