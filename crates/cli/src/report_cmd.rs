//! `brink report` (one self-contained HTML page) and `brink plot` (SVG and PNG files).

use std::path::{Path, PathBuf};

use anyhow::Context;
use brink_engine::{Dossier, Loaded, Options};
use brink_report::{html, plot};
use clap::Args;

use super::{observer, write_file, Failure};

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
    /// Widen (or, below 1, narrow) every issue's predictive distribution by this factor, in
    /// place of the issues' own and of the default (1.5 where the inputs are not expert
    /// interviews). See docs/uncertainty.md.
    #[arg(long, value_name = "FACTOR")]
    widen: Option<f64>,
    /// Write a forecast ledger's track-record page instead (the same as `brink ledger --ledger
    /// PATH report`); -o names the file.
    #[arg(long, conflicts_with = "scenario")]
    ledger: Option<PathBuf>,
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
    /// Widen (or, below 1, narrow) every issue's predictive distribution by this factor (see
    /// `brink report --help`).
    #[arg(long, value_name = "FACTOR")]
    widen: Option<f64>,
}

fn internal(e: plot::PlotError) -> Failure {
    Failure::Internal(anyhow::anyhow!(e))
}

/// The report's contents from the engine, with the terminal's progress bar and Ctrl-C.
fn dossier(loaded: &Loaded, opts: Options, quiet: bool) -> Result<Dossier, Failure> {
    let watch = observer::Terminal::new(!quiet, opts.draws > 0, None);
    let d = Dossier::run(
        loaded,
        &Options {
            observer: watch.clone(),
            ..opts
        },
    );
    watch.end();
    let d = d?;
    if let Some(mc) = &d.forecast.montecarlo {
        watch.finish(mc)?;
    }
    Ok(d)
}

/// `brink report`.
pub fn report(a: ReportArgs) -> Result<(), Failure> {
    if let Some(path) = &a.ledger {
        return super::ledger_cmd::track_page(Some(path), &a.output);
    }
    let loaded = Loaded::file_or_builtin(a.scenario.as_deref())?;
    let opts = Options {
        models: a.models,
        rounds: a.rounds,
        seed: a.seed,
        draws: a.draws,
        threads: a.threads,
        widen: a.widen,
        ..Options::default()
    };
    let d = dossier(&loaded, opts, a.quiet)?;
    let page = html::render(&html::Report {
        scenario: &loaded.scenario,
        doc: &d.forecast,
        tornado: &d.tornado,
        panels: &d.panels.shares,
        rounds: &d.rounds,
        crises: &html::crisis_sections(&d.forecast),
        top: a.top,
    })
    .map_err(internal)?;
    write_file(&a.output, &page)?;
    println!("wrote {}", a.output.display());
    d.forecast
        .montecarlo
        .as_ref()
        .map_or(Ok(()), observer::stopped)
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

/// The issues `brink plot` asks for (by id, or all), or bad input naming the unknown one.
fn pick_issues(sc: &brink_scenario::Scenario, a: &PlotArgs) -> Result<Vec<usize>, Failure> {
    if a.all {
        return Ok((0..sc.issues.len()).collect());
    }
    a.issues
        .iter()
        .map(|id| {
            sc.issue_index(id).ok_or_else(|| {
                let known: Vec<&str> = sc.issues.iter().take(10).map(|i| i.id.as_str()).collect();
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
        .collect()
}

/// `brink plot`.
pub fn plot(a: PlotArgs) -> Result<(), Failure> {
    let loaded = Loaded::file_or_builtin(a.scenario.as_deref())?;
    brink_engine::pick_models(&a.models.iter().map(String::as_str).collect::<Vec<_>>())?;
    let ks = pick_issues(&loaded.scenario, &a)?;
    let opts = Options {
        models: a.models.clone(),
        seed: a.seed,
        draws: a.draws,
        widen: a.widen,
        ..Options::default()
    };
    let d = dossier(&loaded, opts, a.quiet)?;
    let sc = &loaded.scenario;
    let values = sc.point_values();
    std::fs::create_dir_all(&a.output)
        .with_context(|| format!("creating {}", a.output.display()))
        .map_err(Failure::Internal)?;
    let mut wrote = Vec::new();
    for &k in &ks {
        let is = &sc.issues[k];
        let rep = &d.forecast.issues[k];
        let id = slug(&is.id);
        let svg = plot::issue_plot_of(sc, &values, k, rep).map_err(internal)?;
        write_plot(&a.output, &format!("{id}-actors"), &svg, a.png, &mut wrote)?;
        let has_draws = rep
            .forecasts
            .iter()
            .any(|x| x.distribution.as_ref().is_some_and(|d| d.summary.is_some()));
        if has_draws {
            let svg = plot::distribution_plot_of(is, rep).map_err(internal)?;
            let name = format!("{id}-distribution");
            write_plot(&a.output, &name, &svg, a.png, &mut wrote)?;
        }
        if rep.forecasts.iter().any(|x| x.predictive.is_some()) {
            let svg = plot::predictive::predictive_plot_of_report(sc, &values, k, rep)
                .map_err(internal)?;
            let name = format!("{id}-predictive");
            write_plot(&a.output, &name, &svg, a.png, &mut wrote)?;
        }
        for t in d
            .tornado
            .iter()
            .filter(|t| t.issue == is.id && t.base.is_finite())
        {
            let svg = plot::tornado_plot_of(sc, t, a.top).map_err(internal)?;
            let name = format!("{id}-tornado-{}", slug(&t.model));
            write_plot(&a.output, &name, &svg, a.png, &mut wrote)?;
        }
        for r in d.rounds.iter().filter(|r| r.issue == is.id) {
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
