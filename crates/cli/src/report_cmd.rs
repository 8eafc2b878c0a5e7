//! `brink report` (one self-contained HTML page) and `brink plot` (SVG and PNG files).

use std::path::{Path, PathBuf};

use anyhow::Context;
use brink_bargain::{Input, Params};
use brink_report::html::{self, RoundsSection};
use brink_report::{plot, ForecastDoc};
use brink_scenario::{Scenario, Values};
use clap::Args;

use super::{load, monte_carlo, pick_models, write_file, Failure};

/// `brink report`'s arguments.
#[derive(Args)]
pub struct ReportArgs {
    /// The scenario file (TOML). Omitted: the built-in scenario.
    scenario: Option<PathBuf>,
    /// The HTML file to write.
    #[arg(long, short = 'o', default_value = "report.html")]
    output: PathBuf,
    /// Monte Carlo draws for the forecasts' intervals (0: none).
    #[arg(long, default_value_t = 2000)]
    draws: u64,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A model (repeatable). Default: every default model.
    #[arg(long = "model", short = 'm')]
    models: Vec<String>,
    /// Rounds for the dynamic models.
    #[arg(long, default_value_t = 10)]
    rounds: usize,
    /// Inputs shown per tornado chart.
    #[arg(long, default_value_t = 8)]
    top: usize,
    /// Threads for Monte Carlo (default: all cores). The result does not depend on it.
    #[arg(long)]
    threads: Option<usize>,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

/// `brink plot`'s arguments.
#[derive(Args)]
pub struct PlotArgs {
    /// The scenario file (TOML). Omitted: the built-in scenario.
    scenario: Option<PathBuf>,
    /// The issue to plot (its id; repeatable).
    #[arg(long = "issue", required_unless_present = "all")]
    issues: Vec<String>,
    /// Plot every issue.
    #[arg(long, conflicts_with = "issues")]
    all: bool,
    /// The directory to write the plots into.
    #[arg(long, short = 'o')]
    output: PathBuf,
    /// Monte Carlo draws for the distribution plots (0: none).
    #[arg(long, default_value_t = 2000)]
    draws: u64,
    /// The seed.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// A model (repeatable). Default: every default model.
    #[arg(long = "model", short = 'm')]
    models: Vec<String>,
    /// Also write each plot as PNG.
    #[arg(long)]
    png: bool,
    /// Inputs shown per tornado chart.
    #[arg(long, default_value_t = 8)]
    top: usize,
    /// No progress bar.
    #[arg(long, short = 'q')]
    quiet: bool,
}

fn internal(e: plot::PlotError) -> Failure {
    Failure::Internal(anyhow::anyhow!(e))
}

/// The deterministic run with explanations (so dynamic models record their rounds).
fn deterministic(
    sc: &Scenario,
    models: &[Box<dyn brink_bargain::Model>],
    info: brink_report::InputInfo,
    rounds: usize,
    seed: u64,
) -> ForecastDoc {
    let params = Params {
        rounds,
        seed,
        explain: true,
    };
    let values = sc.point_values();
    let input = Input::new(sc, &values);
    let runs: Vec<(String, Vec<_>)> = models
        .iter()
        .map(|m| (m.name().to_string(), m.run(&input, &params)))
        .collect();
    ForecastDoc::new(sc, info, &runs, rounds, seed)
}

/// The rounds of the SMP's run, read from its trace: `states[t].positions[slot][issue]` on
/// [0, 1], where the slots are the actors with a stance and some salience, in actor order. The
/// mapping is checked against the actors' own positions (state 0); on any mismatch nothing is
/// returned rather than a wrong picture.
fn smp_rounds(sc: &Scenario, values: &Values, doc: &ForecastDoc) -> Vec<RoundsSection> {
    let Some(trace) = doc.issues.first().and_then(|is| {
        is.forecasts
            .iter()
            .find(|f| f.model == "smp")
            .and_then(|f| f.trace.as_ref())
    }) else {
        return Vec::new();
    };
    let Some(states) = trace.get("states").and_then(|s| s.as_array()) else {
        return Vec::new();
    };
    let pos: Vec<Vec<Vec<f64>>> = states
        .iter()
        .filter_map(|s| serde_json::from_value(s.get("positions")?.clone()).ok())
        .collect();
    if pos.len() != states.len() || pos.is_empty() {
        return Vec::new();
    }
    // The slots: actors with a stance and a positive total salience.
    let mut sal = vec![0.0; sc.actors.len()];
    let mut has = vec![false; sc.actors.len()];
    for (j, s) in sc.stances.iter().enumerate() {
        sal[s.actor] += values.salience[j];
        has[s.actor] = true;
    }
    let who: Vec<usize> = (0..sc.actors.len())
        .filter(|&a| has[a] && sal[a] > 0.0)
        .collect();
    if pos[0].len() != who.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (k, is) in sc.issues.iter().enumerate() {
        let w = is.max - is.min;
        // Actors with a stance on this issue, their slot, and the check on state 0.
        let mut slots = Vec::new();
        for (j, st) in sc.stances.iter().enumerate().filter(|(_, s)| s.issue == k) {
            let Some(slot) = who.iter().position(|&a| a == st.actor) else {
                continue;
            };
            let x0 = pos[0][slot].get(k).copied().unwrap_or(f64::NAN);
            let own = ((values.position[j] - is.min) / w).clamp(0.0, 1.0);
            if (x0 - own).abs() > 1e-9 {
                return Vec::new();
            }
            slots.push((st.actor, slot));
        }
        if slots.is_empty() {
            continue;
        }
        let rounds: Option<Vec<Vec<f64>>> = pos
            .iter()
            .map(|state| {
                slots
                    .iter()
                    .map(|&(_, s)| state.get(s)?.get(k).map(|x| is.min + x * w))
                    .collect()
            })
            .collect();
        if let Some(rounds) = rounds {
            out.push(RoundsSection {
                issue: is.id.clone(),
                model: "smp".into(),
                actor_names: slots
                    .iter()
                    .map(|&(a, _)| sc.actors[a].name.clone())
                    .collect(),
                rounds,
            });
        }
    }
    out
}

/// `brink report`.
pub fn report(a: ReportArgs) -> Result<(), Failure> {
    let (sc, info) = load(a.scenario.as_deref())?;
    let models = pick_models(&a.models)?;
    let doc = deterministic(&sc, &models, info, a.rounds, a.seed);
    let params = Params {
        rounds: a.rounds,
        seed: a.seed,
        explain: false,
    };
    let mc = if a.draws > 0 {
        Some(monte_carlo(
            &sc, &models, &params, a.draws, a.seed, a.threads, a.quiet, None,
        )?)
    } else {
        None
    };
    let tornado = brink_montecarlo::sensitivity::tornado(&sc, &models, &params);
    let panels = brink_montecarlo::sensitivity::panel_shares(&sc, &models, &params, 4000, a.seed);
    let rounds = smp_rounds(&sc, &sc.point_values(), &doc);
    let crises = crisis_sections(&sc, mc.as_ref(), &params);
    let page = html::render(&html::Report {
        scenario: &sc,
        doc: &doc,
        mc: mc.as_ref(),
        tornado: &tornado,
        panels: &panels,
        rounds: &rounds,
        crises: &crises,
        top: a.top,
    })
    .map_err(internal)?;
    write_file(&a.output, &page)?;
    println!("wrote {}", a.output.display());
    Ok(())
}

fn slug(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn write_plot(
    dir: &Path,
    name: &str,
    svg: &str,
    png: bool,
    wrote: &mut Vec<String>,
) -> Result<(), Failure> {
    let p = dir.join(format!("{name}.svg"));
    write_file(&p, svg)?;
    wrote.push(p.display().to_string());
    if png {
        let bytes = plot::svg_to_png(svg).map_err(internal)?;
        let p = dir.join(format!("{name}.png"));
        std::fs::write(&p, bytes)
            .with_context(|| format!("writing {}", p.display()))
            .map_err(Failure::Internal)?;
        wrote.push(p.display().to_string());
    }
    Ok(())
}

/// `brink plot`.
pub fn plot(a: PlotArgs) -> Result<(), Failure> {
    let (sc, info) = load(a.scenario.as_deref())?;
    let models = pick_models(&a.models)?;
    let ks: Vec<usize> = if a.all {
        (0..sc.issues.len()).collect()
    } else {
        a.issues
            .iter()
            .map(|id| {
                sc.issue_index(id).ok_or_else(|| {
                    let known: Vec<&str> =
                        sc.issues.iter().take(10).map(|i| i.id.as_str()).collect();
                    let more = if sc.issues.len() > 10 {
                        format!(" and {} more", sc.issues.len() - 10)
                    } else {
                        String::new()
                    };
                    Failure::Input(format!(
                        "unknown issue `{id}`: the scenario has {}{more}",
                        known.join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?
    };
    let params = Params {
        rounds: 10,
        seed: a.seed,
        explain: false,
    };
    let doc = deterministic(&sc, &models, info, params.rounds, a.seed);
    let mc = if a.draws > 0 {
        Some(monte_carlo(
            &sc, &models, &params, a.draws, a.seed, None, a.quiet, None,
        )?)
    } else {
        None
    };
    let tornado = brink_montecarlo::sensitivity::tornado(&sc, &models, &params);
    let values = sc.point_values();
    let rounds = smp_rounds(&sc, &values, &doc);
    std::fs::create_dir_all(&a.output)
        .with_context(|| format!("creating {}", a.output.display()))
        .map_err(Failure::Internal)?;
    let mut wrote = Vec::new();
    for &k in &ks {
        let is = &sc.issues[k];
        let id = slug(&is.id);
        let svg = plot::issue_plot_of(&sc, &values, k, &doc.issues[k]).map_err(internal)?;
        write_plot(&a.output, &format!("{id}-actors"), &svg, a.png, &mut wrote)?;
        if let Some(m) = mc.as_ref().and_then(|m| m.issues.get(k)) {
            if m.models.iter().any(|x| x.summary.is_some()) {
                let svg =
                    plot::distribution_plot_of(is, m, Some(&doc.issues[k])).map_err(internal)?;
                write_plot(
                    &a.output,
                    &format!("{id}-distribution"),
                    &svg,
                    a.png,
                    &mut wrote,
                )?;
            }
        }
        for t in tornado
            .iter()
            .filter(|t| t.issue == is.id && t.base.is_finite())
        {
            let svg = plot::tornado_plot_of(&sc, t, a.top).map_err(internal)?;
            let name = format!("{id}-tornado-{}", slug(&t.model));
            write_plot(&a.output, &name, &svg, a.png, &mut wrote)?;
        }
        for r in rounds.iter().filter(|r| r.issue == is.id) {
            let svg = plot::rounds_plot(
                &format!("{}: the {} model round by round", is.name, r.model),
                &r.actor_names,
                &r.rounds,
                &plot::Scale::of_issue(is),
            )
            .map_err(internal)?;
            let name = format!("{id}-rounds-{}", slug(&r.model));
            write_plot(&a.output, &name, &svg, a.png, &mut wrote)?;
        }
    }
    for w in &wrote {
        println!("wrote {w}");
    }
    Ok(())
}

/// Each crisis: its deterministic equilibrium (tree drawn with the path highlighted, the path in
/// words) and, with draws, the Monte Carlo shares of each outcome with their Wilson intervals.
fn crisis_sections(
    sc: &Scenario,
    mc: Option<&brink_montecarlo::McResult>,
    params: &Params,
) -> Vec<html::CrisisSection> {
    let values = sc.point_values();
    let forecasts = if sc.worlds().len() > 1 {
        crate::worlds::mixed_crises(sc, params)
    } else {
        crate::crisis_forecasts(sc, &values, &[], params)
    };
    sc.crises
        .iter()
        .enumerate()
        .map(|(ci, c)| {
            let det = forecasts[ci].as_ref().ok();
            let outcomes: Vec<(String, f64, f64, f64)> = match mc.and_then(|m| m.crises.get(ci)) {
                Some(m) => m
                    .outcomes
                    .iter()
                    .map(|o| (o.outcome.clone(), o.share, o.interval.0, o.interval.1))
                    .collect(),
                None => det
                    .map(|f| {
                        f.outcomes
                            .iter()
                            .map(|(o, p)| (o.clone(), *p, *p, *p))
                            .collect()
                    })
                    .unwrap_or_default(),
            };
            let tree_svg = det.and_then(|f| {
                let sol = brink_crisis::analysis::solve::<f64>(
                    &f.built.game,
                    brink_crisis::pbe::OffPathBelief::Supporting,
                )
                .ok()?;
                let path = sol.equilibria.first().map(|e| e.path.clone());
                Some(brink_crisis::svg::to_svg(&f.built.game, path.as_deref()))
            });
            let mut path_in_words = det.map(|f| f.path.clone()).unwrap_or_default();
            if let Some(f) = det {
                path_in_words.push(format!(
                    "certificate: largest regret at any information set {:.3e}",
                    f.max_regret
                ));
                path_in_words.extend(f.built.red_lines.iter().cloned());
            }
            html::CrisisSection {
                name: c.name.clone(),
                outcomes,
                tree_svg,
                path_in_words,
            }
        })
        .collect()
}
