//! `brink`: forecast political standoffs and negotiations from a scenario file.
//!
//! A thin shell: parse the arguments, call the libraries, print, and map errors to exit codes
//! (0 ok, 2 bad input, 1 internal error).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Context;
use brink_bargain::{Input, Params};
use brink_report::{ForecastDoc, InputInfo};
use brink_scenario::import::{self, Format};
use brink_scenario::{LoadError, Scenario};
use clap::{Parser, Subcommand, ValueEnum};

mod report_cmd;
mod worlds;

#[derive(Parser)]
#[command(
    name = "brink",
    version,
    about = "Forecast political standoffs and negotiations: where each issue settles, and whether bargaining breaks down.",
    long_about = "brink turns an analysis of a standoff (actors, issues on labelled scales, positions, saliences, capabilities, each with its evidence) into forecasts from the field's bargaining models.\n\nWith no scenario, `brink run` runs the built-in scenario ukraine-2021-12: Russia's December 2021 security demands, coded from Dmitri Trenin's essay of 28 Dec 2021 as of that date.",
    after_help = "Examples:\n  brink run                          # the built-in scenario\n  brink run my.toml --model nash     # one model\n  brink check my.toml                # validate a scenario\n  brink import --from deu deu3-dev.tsv -o out/\n\nExit codes: 0 ok, 2 bad input, 1 internal error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum OutFormat {
    /// Aligned text for people.
    Table,
    /// One JSON document with a schema version.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Forecast every issue of a scenario with the bargaining models.
    #[command(
        after_help = "Examples:\n  brink run\n  brink run scenarios/ukraine-2021-12.toml --model compromise --model median\n  brink run my.toml --format json -o forecast.json\n  brink run --explain"
    )]
    Run {
        /// The scenario file (TOML). Omitted: the built-in scenario ukraine-2021-12.
        scenario: Option<PathBuf>,
        /// A model to run (repeatable); `brink models` lists them. Default: every default model.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Rounds for the dynamic models.
        #[arg(long, default_value_t = 10)]
        rounds: usize,
        /// Seed for models with random tie-breaking.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
        /// Explain each forecast: who decides it, and for dynamic models every move, round by round.
        #[arg(long)]
        explain: bool,
        /// Write the output to this file instead of standard output.
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Monte Carlo: draw every uncertain input this many times and report each forecast's
        /// distribution (0: a deterministic run on the point estimates).
        #[arg(long, default_value_t = 0)]
        draws: u64,
        /// Threads for Monte Carlo (default: all cores). The result does not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress bar.
        #[arg(long, short = 'q')]
        quiet: bool,
        /// Write every draw (inputs and forecasts) to this CSV file.
        #[arg(long)]
        keep_draws: Option<PathBuf>,
        /// Forecast with what was known on this date (YYYY-MM-DD): the scenario's updates dated
        /// on or before it are applied. Default: the scenario's own cut-off (no update).
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Rerun the forecast at the scenario's cut-off and at each dated update: how the forecasts
    /// and the odds of rival hypotheses moved.
    #[command(after_help = "Examples:\n  brink timeline\n  brink timeline my.toml --svg plots/")]
    Timeline {
        /// The scenario file (TOML). Omitted: the built-in scenario.
        scenario: Option<PathBuf>,
        /// A model (repeatable). Default: every default model.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Write one SVG per issue (each model's forecast at each date) into this directory.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Which inputs move each forecast: one-at-a-time swings across each uncertain input's range.
    #[command(
        after_help = "Examples:\n  brink sensitivity\n  brink sensitivity my.toml --model compromise --top 5"
    )]
    Sensitivity {
        /// The scenario file (TOML). Omitted: the built-in scenario.
        scenario: Option<PathBuf>,
        /// A model (repeatable). Default: every default model.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Inputs to show per forecast.
        #[arg(long, default_value_t = 8)]
        top: usize,
        /// Also draw every uncertain input this many times and rank-correlate it with each forecast (0: skip).
        #[arg(long, default_value_t = 2000)]
        draws: u64,
        /// Seed for the draws.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// The forecasts as given and with some inputs changed, side by side.
    #[command(
        after_help = "Examples:\n  brink whatif --set rus.enlargement.salience=0.5\n  brink whatif my.toml --set usa.power=80 --set enlargement.status_quo=30\n\nKeys: ACTOR.ISSUE.position, ACTOR.ISSUE.salience, ACTOR.ISSUE.power, ACTOR.power, ISSUE.status_quo, CRISIS.INPUT (e.g. standoff.p_win). The change fixes the input at that value; where a rival hypothesis about the actor holds its own stance, that hypothesis keeps it."
    )]
    Whatif {
        /// The scenario file (TOML). Omitted: the built-in scenario.
        scenario: Option<PathBuf>,
        /// A change, KEY=VALUE (repeatable).
        #[arg(long = "set", required = true)]
        sets: Vec<String>,
        /// A model (repeatable). Default: every default model.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Score the models against known outcomes: MAE, RMSE, median error, share beating the
    /// compromise model, with 95% intervals from a bootstrap over proposals.
    #[command(
        after_help = "Examples:\n  brink eval tests/data/deu3/deu3-dev.tsv\n  brink eval my.toml --outcomes my.outcomes.toml --csv per-issue.csv\n\nA .tsv is read as DEU III data (imported on the fly); a scenario is scored against its outcomes file (default: NAME.outcomes.toml beside it). Multi-issue models run per proposal."
    )]
    Eval {
        /// A DEU III TSV, or a scenario TOML.
        dataset: PathBuf,
        /// The outcomes file (for a scenario).
        #[arg(long)]
        outcomes: Option<PathBuf>,
        /// A model (repeatable). Default: compromise, compromise-equal, median, nash, nash-quadratic, smp.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Bootstrap resamples.
        #[arg(long, default_value_t = 2000)]
        resamples: usize,
        /// Bootstrap seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write the per-issue forecasts and outcomes to this CSV.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Solve each crisis of a scenario: the equilibrium path in words, the outcome, its
    /// certificate, and the threshold of every uncertain input at which the equilibrium changes.
    #[command(
        after_help = "Examples:\n  brink crisis\n  brink crisis my.toml --svg tree.svg\n  brink crisis --format json"
    )]
    Crisis {
        /// The scenario file (TOML). Omitted: the built-in scenario.
        scenario: Option<PathBuf>,
        /// Draw the (first) crisis's game tree with its equilibrium path to this SVG file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Grid points per input for the threshold search (bisection refines each switch).
        #[arg(long, default_value_t = 60)]
        samples: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Solve a game in Gambit's .efg format: every equilibrium, with its certificate.
    #[command(
        after_help = "Examples:\n  brink solve game.efg\n  brink solve game.efg --svg game.svg --format json\n\nPerfect information (with chance moves): every subgame-perfect equilibrium the ties allow, in exact rational arithmetic. Two players with private types: perfect Bayesian equilibria in pure strategies. Other games are refused with the reason."
    )]
    Solve {
        /// The .efg file.
        file: PathBuf,
        /// Draw the tree with the first equilibrium's path to this SVG file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Off-path beliefs for perfect Bayesian equilibria: supporting (the least attractive deviation) or prior.
        #[arg(long, default_value = "supporting")]
        beliefs: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Score a scenario's forecasts (and its sources' forecasts in words) against what happened.
    #[command(
        after_help = "Examples:\n  brink backtest scenarios/ukraine-2021-12.toml scenarios/ukraine-2021-12.outcomes.toml --claims scenarios/ukraine-2021-12.claims.toml\n\nIssues: absolute error per model. Crises: Brier and log score of the Monte Carlo outcome shares. Claims: words read with the fixed table of docs/estimative-words.md."
    )]
    Backtest {
        /// The scenario file.
        scenario: PathBuf,
        /// Its outcomes file.
        outcomes: PathBuf,
        /// A claims file: sources' forecasts in words.
        #[arg(long)]
        claims: Option<PathBuf>,
        /// Monte Carlo draws for the crisis probabilities.
        #[arg(long, default_value_t = 2000)]
        draws: u64,
        /// Score the forecast made with what was known on this date (the scenario's updates dated
        /// on or before it applied). Default: the scenario's own cut-off.
        #[arg(long)]
        as_of: Option<String>,
        /// Seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// A model (repeatable). Default: every default model.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Write one self-contained HTML report: sources, stances with evidence, forecasts with plots, sensitivity.
    #[command(
        after_help = "Examples:\n  brink report -o report.html\n  brink report my.toml --draws 5000 --seed 7"
    )]
    Report(report_cmd::ReportArgs),
    /// Write plots (SVG, and PNG with --png) of issues: actors, forecast distributions, tornados, rounds.
    #[command(
        after_help = "Examples:\n  brink plot --all -o plots/\n  brink plot my.toml --issue enlargement -o plots/ --png"
    )]
    Plot(report_cmd::PlotArgs),
    /// Validate a scenario (and optionally its outcomes file) and report every problem at once.
    #[command(
        after_help = "Examples:\n  brink check my.toml\n  brink check my.toml --outcomes my.outcomes.toml"
    )]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// An outcomes file to check against the scenario.
        #[arg(long)]
        outcomes: Option<PathBuf>,
    },
    /// List the models brink knows.
    #[command(after_help = "Example:\n  brink models")]
    Models,
    /// Convert another tool's input file into a brink scenario (and outcomes, where the data have them).
    #[command(
        after_help = "Examples:\n  brink import --from ktab SOE-Pol-Comp.csv\n  brink import --from deu deu3-dev.tsv -o out/\n\nFormats: ktab (KTAB SMP CSV), bdm (Actor,Capability,Position,Salience), decide (decide-exchange-model #A/#P/#M/#D), deu (DEU III TSV)."
    )]
    Import {
        /// The input format: ktab, bdm, decide or deu.
        #[arg(long)]
        from: String,
        /// The input file.
        file: PathBuf,
        /// The directory to write NAME.toml (and NAME.outcomes.toml) into.
        #[arg(long, short = 'o', default_value = ".")]
        output: PathBuf,
    },
}

/// An error with the exit code it maps to.
enum Failure {
    /// Bad input: exit 2.
    Input(String),
    /// Anything else: exit 1.
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Input(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Input(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
        Err(Failure::Internal(e)) => {
            eprintln!("brink: internal error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Run {
            scenario,
            models,
            rounds,
            seed,
            format,
            explain,
            output,
            draws,
            threads,
            quiet,
            keep_draws,
            as_of,
        } => {
            let (base, info) = load(scenario.as_deref())?;
            let (date, sc) = at_date(&base, as_of.as_deref())?;
            let models = pick_models(&models)?;
            let params = Params {
                rounds,
                seed,
                explain,
            };
            if draws > 0 {
                let mc = monte_carlo(
                    &sc,
                    &models,
                    &params,
                    draws,
                    seed,
                    threads,
                    quiet,
                    keep_draws.as_deref(),
                )?;
                let text = match format {
                    OutFormat::Table => {
                        let mut t = brink_report::mc::render_mc(&sc, &mc);
                        for c in &mc.crises {
                            t.push_str(&brink_report::crisis::render_mc(c, mc.draws_done));
                        }
                        t
                    }
                    OutFormat::Json => {
                        let doc = serde_json::json!({
                            "schema": brink_report::SCHEMA_VERSION,
                            "brink_version": env!("CARGO_PKG_VERSION"),
                            "input": info,
                            "scenario": { "id": sc.id, "title": sc.title, "as_of": sc.as_of.to_string() },
                            "rounds": rounds,
                            "montecarlo": mc,
                        });
                        let mut s = serde_json::to_string_pretty(&doc)
                            .context("serialising the forecast")?;
                        s.push('\n');
                        s
                    }
                };
                return emit(&text, output.as_deref());
            }
            let runs = worlds::mixed_runs(&sc, &models, &params);
            let mut doc = ForecastDoc::new(&sc, info, &runs, rounds, seed);
            let crises = if sc.worlds().len() > 1 {
                worlds::mixed_crises(&sc, &params)
            } else {
                crisis_forecasts(&sc, &sc.point_values(), &runs, &params)
            };
            let posterior = worlds::posterior_lines(&base, &sc);
            for (ci, c) in crises.iter().enumerate() {
                doc.crises.push(match c {
                    Ok(f) => serde_json::json!({
                        "crisis": f.crisis, "name": sc.crises[ci].name, "concept": f.concept,
                        "equilibria": f.equilibria, "outcomes": f.outcomes, "path": f.path,
                        "max_regret": f.max_regret, "red_lines_crossed": f.built.red_lines,
                        "sides": f.built.sides, "settlement": f.built.settlement,
                    }),
                    Err(e) => serde_json::json!({ "crisis": sc.crises[ci].id, "error": e }),
                });
            }
            let text = match format {
                OutFormat::Table => {
                    let mut t = brink_report::table::render(&doc, explain);
                    if sc.applied > 0 {
                        t.insert_str(
                            0,
                            &format!("as of {date}: {} update(s) applied\n", sc.applied),
                        );
                    }
                    for l in &posterior {
                        t.push_str(&format!("\n{l}"));
                    }
                    if !posterior.is_empty() {
                        t.push('\n');
                    }
                    for (ci, c) in crises.iter().enumerate() {
                        match c {
                            Ok(f) => t.push_str(&brink_report::crisis::render(
                                &sc.crises[ci].name,
                                f,
                                &[],
                                explain,
                            )),
                            Err(e) => t.push_str(&format!(
                                "\nCrisis: {}: cannot be solved: {e}\n",
                                sc.crises[ci].name
                            )),
                        }
                    }
                    t
                }
                OutFormat::Json => {
                    let mut v = serde_json::to_value(&doc).context("serialising the forecast")?;
                    v["as_of"] = serde_json::json!(date.to_string());
                    v["updates_applied"] = serde_json::json!(sc.applied);
                    v["types"] = serde_json::json!(sc
                        .types
                        .iter()
                        .map(|t| serde_json::json!({
                            "actor": sc.actors[t.actor].id, "type": t.id, "name": t.name,
                            "prior": t.prior, "posterior": t.posterior,
                        }))
                        .collect::<Vec<_>>());
                    let mut s =
                        serde_json::to_string_pretty(&v).context("serialising the forecast")?;
                    s.push('\n');
                    s
                }
            };
            emit(&text, output.as_deref())
        }
        Command::Timeline {
            scenario,
            models,
            svg,
            format,
        } => {
            let (base, info) = load(scenario.as_deref())?;
            let models = pick_models(&models)?;
            let params = Params::default();
            let dates = worlds::timeline_dates(&base);
            let mut rows = Vec::new();
            for d in &dates {
                let sc = base.at(*d).map_err(Failure::Input)?;
                let runs = worlds::mixed_runs(&sc, &models, &params);
                let crises = if sc.worlds().len() > 1 {
                    worlds::mixed_crises(&sc, &params)
                } else {
                    crisis_forecasts(&sc, &sc.point_values(), &runs, &params)
                };
                rows.push((d.to_string(), sc, runs, crises));
            }
            if let Some(dir) = &svg {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                for (k, is) in base.issues.iter().enumerate() {
                    let names: Vec<String> = models.iter().map(|m| m.name().to_string()).collect();
                    let series: Vec<Vec<f64>> = rows
                        .iter()
                        .map(|(_, _, runs, _)| {
                            runs.iter()
                                .map(|(_, fs)| fs[k].value().unwrap_or(f64::NAN))
                                .collect()
                        })
                        .collect();
                    let scale = brink_report::plot::Scale {
                        min: is.min,
                        max: is.max,
                        labels: is.points.iter().map(|p| (p.at, p.label.clone())).collect(),
                    };
                    let title = format!(
                        "{}: forecasts at {}",
                        is.name,
                        rows.iter()
                            .map(|r| r.0.clone())
                            .collect::<Vec<_>>()
                            .join(", ")
                    );
                    let svg_text = brink_report::plot::series_plot(
                        &title,
                        &names,
                        &series,
                        &scale,
                        "date of the information (the scenario's cut-off, then each update)",
                        Some(&rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>()),
                    )
                    .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?;
                    write_file(&dir.join(format!("timeline-{}.svg", is.id)), &svg_text)?;
                }
            }
            let text = match format {
                OutFormat::Table => {
                    let mut t = format!("{}: {} date(s)\n", base.title, rows.len());
                    for (d, sc, runs, crises) in &rows {
                        t.push_str(&format!("\nas of {d}"));
                        if let Some(u) = base.updates.iter().find(|u| u.date.to_string() == *d) {
                            t.push_str(&format!(": {}", u.what));
                        }
                        t.push('\n');
                        for (k, is) in sc.issues.iter().enumerate() {
                            let cells: Vec<String> = runs.iter().map(|(m, fs)| format!("{m} {}", fs[k].value().map_or("-".into(), |x| format!("{x:.1}")))).collect();
                            t.push_str(&format!("  {:<40} {}\n", is.name.chars().take(40).collect::<String>(), cells.join("  ")));
                        }
                        for (ci, c) in crises.iter().enumerate() {
                            if let Ok(f) = c {
                                let o: Vec<String> = f.outcomes.iter().filter(|x| x.1 > 0.0).map(|(n, p)| format!("{n} {p:.3}")).collect();
                                t.push_str(&format!("  crisis {}: {}\n", sc.crises[ci].id, o.join(", ")));
                            }
                        }
                        for l in worlds::posterior_lines(&base, sc) {
                            t.push_str(&format!("  {l}\n"));
                        }
                    }
                    t
                }
                OutFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "schema": brink_report::SCHEMA_VERSION, "brink_version": env!("CARGO_PKG_VERSION"), "input": info,
                    "timeline": rows.iter().map(|(d, sc, runs, crises)| serde_json::json!({
                        "as_of": d,
                        "forecasts": runs.iter().map(|(m, fs)| serde_json::json!({ "model": m, "values": fs.iter().map(|f| f.value()).collect::<Vec<_>>() })).collect::<Vec<_>>(),
                        "crises": crises.iter().filter_map(|c| c.as_ref().ok()).map(|f| serde_json::json!({ "crisis": f.crisis, "outcomes": f.outcomes })).collect::<Vec<_>>(),
                        "types": sc.types.iter().map(|t| serde_json::json!({ "actor": sc.actors[t.actor].id, "type": t.id, "posterior": t.posterior })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).context("serialising")? + "\n",
            };
            emit(&text, None)
        }
        Command::Sensitivity {
            scenario,
            models,
            top,
            format,
            draws,
            seed,
        } => {
            let (sc, info) = load(scenario.as_deref())?;
            let models = pick_models(&models)?;
            let t = brink_montecarlo::sensitivity::tornado(&sc, &models, &Params::default());
            let panels = brink_montecarlo::sensitivity::panel_shares(
                &sc,
                &models,
                &Params::default(),
                4000,
                0,
            );
            let rank = if draws > 1 {
                brink_montecarlo::sensitivity::rank_correlations(
                    &sc,
                    &models,
                    &Params::default(),
                    draws,
                    seed,
                )
            } else {
                Vec::new()
            };
            let text = match format {
                OutFormat::Table => {
                    let mut s = brink_report::mc::render_tornado(&sc, &t, top);
                    s.push_str(&brink_report::mc::render_panels(&sc, &panels));
                    s.push_str(&brink_report::mc::render_rank(&sc, &rank, draws, top));
                    s
                }
                OutFormat::Json => {
                    let doc = serde_json::json!({
                        "schema": brink_report::SCHEMA_VERSION,
                        "brink_version": env!("CARGO_PKG_VERSION"),
                        "input": info,
                        "tornado": t,
                        "expert_disagreement": panels,
                        "rank_correlation": { "draws": draws, "seed": seed, "inputs": rank },
                    });
                    serde_json::to_string_pretty(&doc).context("serialising")? + "\n"
                }
            };
            emit(&text, None)
        }
        Command::Whatif {
            scenario,
            sets,
            models,
            format,
        } => {
            let (sc, info) = load(scenario.as_deref())?;
            let models = pick_models(&models)?;
            let base = sc.point_values();
            let mut changed_sc = sc.clone();
            let mut said = Vec::new();
            for s in &sets {
                let (key, val) = s
                    .split_once('=')
                    .ok_or_else(|| Failure::Input(format!("--set `{s}`: expected KEY=VALUE")))?;
                let input = brink_montecarlo::InputRef::parse(&sc, key.trim())
                    .map_err(|e| Failure::Input(format!("--set `{s}`: {e}")))?;
                let v: f64 = val
                    .trim()
                    .parse()
                    .ok()
                    .filter(|v: &f64| v.is_finite())
                    .ok_or_else(|| {
                        Failure::Input(format!("--set `{s}`: `{val}` is not a number"))
                    })?;
                let (lo, hi) = input.valid(&sc);
                if v < lo || v > hi {
                    return Err(Failure::Input(format!(
                        "--set `{s}`: {v} is outside the valid range [{lo}, {hi}]"
                    )));
                }
                said.push(format!(
                    "{}: {} -> {}",
                    input.describe(&sc),
                    brink_report::table::num(input.get(&base)),
                    brink_report::table::num(v)
                ));
                input.fix(&mut changed_sc, v);
            }
            let params = Params::default();
            // The same pipeline as `brink run`: mixture over the hypotheses, crises included.
            let forecast = |s: &Scenario| {
                let runs = worlds::mixed_runs(s, &models, &params);
                let crises = if s.worlds().len() > 1 {
                    worlds::mixed_crises(s, &params)
                } else {
                    crisis_forecasts(s, &s.point_values(), &runs, &params)
                };
                (
                    ForecastDoc::new(s, info.clone(), &runs, params.rounds, params.seed),
                    crises,
                )
            };
            let (a, ca) = forecast(&sc);
            let (b, cb) = forecast(&changed_sc);
            let crisis_rows: Vec<(String, Vec<OutcomeRow>)> = sc
                .crises
                .iter()
                .enumerate()
                .map(|(ci, c)| {
                    let probs = |x: &Result<brink_crisis::standoff::CrisisForecast, String>| {
                        x.as_ref().map(|f| f.outcomes.clone()).unwrap_or_default()
                    };
                    let (pa, pb) = (probs(&ca[ci]), probs(&cb[ci]));
                    let rows = pa
                        .iter()
                        .map(|(o, p)| {
                            (
                                o.clone(),
                                *p,
                                pb.iter().find(|x| x.0 == *o).map_or(0.0, |x| x.1),
                            )
                        })
                        .collect();
                    (c.name.clone(), rows)
                })
                .collect();
            let text = match format {
                OutFormat::Table => {
                    let mut t = brink_report::table::render_whatif(&a, &b, &said);
                    for (name, rows) in &crisis_rows {
                        t.push_str(&format!(
                            "\nCrisis: {name}\n  {:<24} {:>9}  {:>10}\n",
                            "outcome", "as given", "as changed"
                        ));
                        for (o, x, y) in rows.iter().filter(|r| r.1 > 0.0 || r.2 > 0.0) {
                            t.push_str(&format!(
                                "  {o:<24} {x:>9.3}  {y:>10.3}{}\n",
                                if x != y { "  changed" } else { "" }
                            ));
                        }
                    }
                    t
                }
                OutFormat::Json => {
                    let doc = serde_json::json!({
                        "changes": said, "as_given": a, "as_changed": b,
                        "crises": crisis_rows.iter().map(|(n, rows)| serde_json::json!({ "crisis": n, "outcomes": rows })).collect::<Vec<_>>(),
                    });
                    serde_json::to_string_pretty(&doc).context("serialising")? + "\n"
                }
            };
            emit(&text, None)
        }
        Command::Eval {
            dataset,
            outcomes,
            models,
            resamples,
            seed,
            csv,
            format,
        } => {
            let name = dataset.display().to_string();
            let text = std::fs::read_to_string(&dataset)
                .map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
            let (sc, out) = if name.ends_with(".tsv") {
                let imp = import::import(Format::Deu, &text, &name)
                    .map_err(|e| Failure::Input(e.to_string()))?;
                let o = imp.outcomes.ok_or_else(|| {
                    Failure::Input(format!("{name}: no outcomes (`out`) in the data"))
                })?;
                (imp.scenario, o)
            } else {
                let sc = brink_scenario::load_str(&text, &name)?;
                let op = outcomes.unwrap_or_else(|| {
                    let s = name.strip_suffix(".toml").unwrap_or(&name);
                    PathBuf::from(format!("{s}.outcomes.toml"))
                });
                let o = brink_scenario::load_outcomes_file(&op)?;
                let errs = o.check_against(&sc);
                if !errs.is_empty() {
                    return Err(Failure::Input(
                        errs.iter()
                            .map(|e| format!("{}: {e}", op.display()))
                            .collect::<Vec<_>>()
                            .join("\n"),
                    ));
                }
                (sc, o)
            };
            let names: Vec<String> = if models.is_empty() {
                [
                    "compromise",
                    "compromise-equal",
                    "median",
                    "nash",
                    "nash-quadratic",
                    "smp",
                ]
                .iter()
                .map(|s| s.to_string())
                .collect()
            } else {
                models
            };
            let models = pick_models(&names)?;
            let mut fc = brink_eval::run_models(&sc, &models, &Params::default(), true);
            fc.extend(brink_eval::baselines(&sc, Some("com")));
            let outcome: Vec<Option<f64>> =
                sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
            let cv = brink_eval::better::cross_validate(&sc, &outcome, &["com", "ep"]);
            if let Some(cv) = &cv {
                fc.push(cv.forecasts.clone());
            }
            let report = brink_eval::evaluate(&sc, &out, &fc, resamples, seed);
            let pred = brink_eval::probabilistic::default_source(&sc, &out)
                .and_then(|s| {
                    brink_eval::probabilistic::evaluate_predictive(
                        &sc, &out, &fc, s, resamples, seed,
                    )
                })
                .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            if let Some(p) = csv {
                write_file(&p, &report.per_issue_csv())?;
            }
            let text = match format {
                OutFormat::Table => {
                    report.table() + "\n" + &brink_report::predictive::render_eval(&pred)
                }
                OutFormat::Json => {
                    let doc = serde_json::json!({
                        "schema": brink_report::SCHEMA_VERSION,
                        "brink_version": env!("CARGO_PKG_VERSION"),
                        "dataset": name,
                        "sha256": brink_report::sha256_hex(&text),
                        "evaluation": report,
                        "predictive": pred,
                        "cross_validation": cv.map(|c| c.chosen),
                    });
                    serde_json::to_string_pretty(&doc).context("serialising")? + "\n"
                }
            };
            emit(&text, None)
        }
        Command::Crisis {
            scenario,
            svg,
            samples,
            format,
        } => {
            let (sc, info) = load(scenario.as_deref())?;
            if sc.crises.is_empty() {
                return Err(Failure::Input(format!(
                    "{}: the scenario has no crises ([[crises]])",
                    info.file
                )));
            }
            let values = sc.point_values();
            let params = Params::default();
            let fs = if sc.worlds().len() > 1 {
                worlds::mixed_crises(&sc, &params)
            } else {
                crisis_forecasts(&sc, &values, &[], &params)
            };
            let mut text = String::new();
            let mut json = Vec::new();
            for (ci, f) in fs.iter().enumerate() {
                let f = f
                    .as_ref()
                    .map_err(|e| Failure::Input(format!("crisis `{}`: {e}", sc.crises[ci].id)))?;
                let th = thresholds(&sc, ci, samples);
                text.push_str(&brink_report::crisis::render(
                    &sc.crises[ci].name,
                    f,
                    &th,
                    true,
                ));
                json.push(serde_json::json!({ "forecast": f, "thresholds": th, "certificate_max_regret": f.max_regret }));
                if ci == 0 {
                    if let Some(p) = &svg {
                        let sol = brink_crisis::analysis::solve::<brink_crisis::num::Rational>(
                            &f.built.game,
                            brink_crisis::pbe::OffPathBelief::Supporting,
                        )
                        .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?;
                        let path = sol.equilibria.first().map(|e| e.path.clone());
                        write_file(
                            p,
                            &brink_crisis::svg::to_svg(&f.built.game, path.as_deref()),
                        )?;
                    }
                }
            }
            let out = match format {
                OutFormat::Table => text,
                OutFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "schema": brink_report::SCHEMA_VERSION, "brink_version": env!("CARGO_PKG_VERSION"), "input": info, "crises": json,
                })).context("serialising")? + "\n",
            };
            emit(&out, None)
        }
        Command::Solve {
            file,
            svg,
            beliefs,
            format,
        } => {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::Input(format!("{name}: cannot read: {e}")))?;
            let game = brink_crisis::efg::read_efg(&text)
                .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            let off = match beliefs.as_str() {
                "supporting" => brink_crisis::pbe::OffPathBelief::Supporting,
                "prior" => brink_crisis::pbe::OffPathBelief::Prior,
                b => {
                    return Err(Failure::Input(format!(
                        "unknown belief rule `{b}`: supporting or prior"
                    )))
                }
            };
            let sol = brink_crisis::analysis::solve::<brink_crisis::num::Rational>(&game, off)
                .map_err(|e| Failure::Input(format!("{name}: {e}")))?;
            if let Some(p) = &svg {
                let path = sol.equilibria.first().map(|e| e.path.clone());
                write_file(p, &brink_crisis::svg::to_svg(&game, path.as_deref()))?;
            }
            let out = match format {
                OutFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "schema": brink_report::SCHEMA_VERSION, "brink_version": env!("CARGO_PKG_VERSION"),
                    "input": { "file": name, "sha256": brink_report::sha256_hex(&text) },
                    "concept": format!("{:?}", sol.concept), "complete": sol.complete,
                    "equilibria": sol.equilibria.iter().map(|e| serde_json::json!({
                        "path": brink_crisis::standoff::path_in_words(&game, &e.path),
                        "payoffs": e.payoffs.iter().map(brink_crisis::num::format_rational).collect::<Vec<_>>(),
                        "outcomes": e.outcome_probs.iter().map(|(l, p)| (l.clone(), brink_crisis::num::format_rational(p))).collect::<Vec<_>>(),
                        "max_regret": brink_crisis::num::format_rational(&e.certificate.max_regret),
                        "certificate": e.certificate.checks.iter().map(|c| serde_json::json!({
                            "infoset": c.infoset, "player": game.players.get(c.player).cloned().unwrap_or_default(), "on_path": c.on_path,
                            "action": game.infosets[c.infoset].actions.get(c.action).cloned().unwrap_or_default(),
                            "regret": brink_crisis::num::format_rational(&c.regret),
                        })).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                })).context("serialising")? + "\n",
                OutFormat::Table => {
                    let mut t = format!("{}: {} ({:?}), {} equilibri{}{}\n", name, game.title, sol.concept, sol.equilibria.len(), if sol.equilibria.len() == 1 { "um" } else { "a" }, if sol.complete { "" } else { " (enumeration capped)" });
                    for (i, e) in sol.equilibria.iter().enumerate() {
                        t.push_str(&format!("\nequilibrium {}\n  path: {}\n", i + 1, brink_crisis::standoff::path_in_words(&game, &e.path).join("; ")));
                        let pay: Vec<String> = game.players.iter().zip(&e.payoffs).map(|(p, x)| format!("{p} {}", brink_crisis::num::format_rational(x))).collect();
                        t.push_str(&format!("  expected payoffs: {}\n", pay.join(", ")));
                        let outs: Vec<String> = e.outcome_probs.iter().map(|(l, p)| format!("{l} {}", brink_crisis::num::format_rational(p))).collect();
                        t.push_str(&format!("  outcome probabilities: {}\n", outs.join(", ")));
                        t.push_str(&format!("  certificate: max regret {} over {} information sets (on and off the path)\n", brink_crisis::num::format_rational(&e.certificate.max_regret), e.certificate.checks.len()));
                        for c in &e.certificate.checks {
                            t.push_str(&format!(
                                "    {} at set {}{}: plays {}, regret {}\n",
                                game.players.get(c.player).cloned().unwrap_or_default(),
                                c.infoset,
                                if c.on_path { "" } else { " (off path)" },
                                game.infosets[c.infoset].actions.get(c.action).cloned().unwrap_or_default(),
                                brink_crisis::num::format_rational(&c.regret)
                            ));
                        }
                    }
                    t
                }
            };
            emit(&out, None)
        }
        Command::Backtest {
            scenario,
            outcomes,
            claims,
            draws,
            as_of,
            seed,
            models,
            format,
        } => {
            let (base, info) = load(Some(&scenario))?;
            let (_, sc) = at_date(&base, as_of.as_deref())?;
            let out = brink_scenario::load_outcomes_file(&outcomes)?;
            let errs = out.check_for_scoring(&sc);
            if !errs.is_empty() {
                return Err(Failure::Input(
                    errs.iter()
                        .map(|e| format!("{}: {e}", outcomes.display()))
                        .collect::<Vec<_>>()
                        .join("\n"),
                ));
            }
            let cl = match &claims {
                Some(p) => {
                    let text = std::fs::read_to_string(p).map_err(|e| {
                        Failure::Input(format!("{}: cannot read: {e}", p.display()))
                    })?;
                    Some(brink_scenario::load_claims_str(
                        &text,
                        &p.display().to_string(),
                    )?)
                }
                None => None,
            };
            let models = pick_models(&models)?;
            let params = Params {
                seed,
                ..Params::default()
            };
            let fc: Vec<(String, Vec<Option<f64>>)> = worlds::mixed_runs(&sc, &models, &params)
                .into_iter()
                .map(|(m, fs)| (m, fs.iter().map(|f| f.value()).collect()))
                .collect();
            let mc = brink_montecarlo::run(
                &sc,
                &models,
                &params,
                &brink_montecarlo::McConfig::new(draws.max(1), seed),
                brink_montecarlo::run::Hooks::default(),
            );
            let cp: Vec<(String, Vec<(String, f64)>)> = mc
                .crises
                .iter()
                .map(|c| {
                    (
                        c.crisis.clone(),
                        c.outcomes
                            .iter()
                            .map(|o| (o.outcome.clone(), o.share))
                            .collect(),
                    )
                })
                .collect();
            let bt = brink_eval::backtest::backtest(&sc, &out, &fc, &cp, cl.as_ref());
            let text = match format {
                OutFormat::Table => format!("{}\n{} draws, seed {}\n", brink_report::backtest::text(&bt), mc.draws_done, seed),
                OutFormat::Json => serde_json::to_string_pretty(&serde_json::json!({
                    "schema": brink_report::SCHEMA_VERSION, "brink_version": env!("CARGO_PKG_VERSION"), "input": info,
                    "outcomes": outcomes.display().to_string(), "draws": mc.draws_done, "seed": seed, "backtest": bt,
                })).context("serialising")? + "\n",
            };
            emit(&text, None)
        }
        Command::Report(a) => report_cmd::report(a),
        Command::Plot(a) => report_cmd::plot(a),
        Command::Check { scenario, outcomes } => {
            let sc = brink_scenario::load_file(&scenario)?;
            let mut msg = format!(
                "{}: ok: {} actors, {} issues, {} stances, {} sources",
                scenario.display(),
                sc.actors.len(),
                sc.issues.len(),
                sc.stances.len(),
                sc.sources.len()
            );
            if let Some(o) = outcomes {
                let out = brink_scenario::load_outcomes_file(&o)?;
                let errs = out.check_against(&sc);
                if !errs.is_empty() {
                    let lines: Vec<String> = errs
                        .iter()
                        .map(|e| format!("{}: {e}", o.display()))
                        .collect();
                    return Err(Failure::Input(lines.join("\n")));
                }
                msg.push_str(&format!(
                    "\n{}: ok: {} outcomes",
                    o.display(),
                    out.issues.len()
                ));
            }
            println!("{msg}");
            Ok(())
        }
        Command::Models => {
            let reg = brink_bargain::registry();
            let w = reg.iter().map(|m| m.name().len()).max().unwrap_or(0);
            for m in reg {
                let def = if brink_bargain::DEFAULT_MODELS.contains(&m.name()) {
                    " (default)"
                } else {
                    ""
                };
                println!("{:w$}  {}{def}", m.name(), m.summary());
            }
            Ok(())
        }
        Command::Import { from, file, output } => {
            let Some(fmt) = Format::parse(&from) else {
                return Err(Failure::Input(format!(
                    "unknown format `{from}`: expected ktab, bdm, decide or deu"
                )));
            };
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", file.display())))?;
            let imported = import::import(fmt, &text, &file.display().to_string())
                .map_err(|e| Failure::Input(e.to_string()))?;
            std::fs::create_dir_all(&output)
                .with_context(|| format!("creating {}", output.display()))?;
            let id = &imported.scenario.id;
            let path = output.join(format!("{id}.toml"));
            write_file(&path, &brink_scenario::scenario_to_toml(&imported.scenario))?;
            let mut said = format!(
                "wrote {} ({} actors, {} issues, {} stances)",
                path.display(),
                imported.scenario.actors.len(),
                imported.scenario.issues.len(),
                imported.scenario.stances.len()
            );
            if let Some(o) = &imported.outcomes {
                let p = output.join(format!("{id}.outcomes.toml"));
                write_file(&p, &brink_scenario::outcomes_to_toml(o))?;
                said.push_str(&format!(
                    "\nwrote {} ({} outcomes)",
                    p.display(),
                    o.issues.len()
                ));
            }
            println!("{said}");
            Ok(())
        }
    }
}

/// Each crisis's forecast under `values`, with the settlement from the crisis's bargaining model
/// (taken from `runs` when that model ran, else run now).
fn crisis_forecasts(
    sc: &Scenario,
    values: &brink_scenario::Values,
    runs: &[(String, Vec<brink_bargain::IssueForecast>)],
    params: &Params,
) -> Vec<Result<brink_crisis::standoff::CrisisForecast, String>> {
    (0..sc.crises.len())
        .map(|ci| {
            let c = &sc.crises[ci];
            let settlement: Vec<Option<f64>> = match runs.iter().find(|(m, _)| *m == c.model) {
                Some((_, fs)) => fs.iter().map(|f| f.value()).collect(),
                None => {
                    let m = brink_bargain::find(&c.model).ok_or_else(|| {
                        format!("crisis `{}` names unknown model `{}`", c.id, c.model)
                    })?;
                    m.run(&Input::new(sc, values), params)
                        .iter()
                        .map(|f| f.value())
                        .collect()
                }
            };
            brink_crisis::standoff::forecast(sc, values, ci, &settlement).map_err(|e| e.to_string())
        })
        .collect()
}

/// For each uncertain input that bears on crisis `ci`, where in its range the equilibrium changes.
fn thresholds(sc: &Scenario, ci: usize, samples: usize) -> Vec<brink_report::crisis::Threshold> {
    let c = &sc.crises[ci];
    let base = sc.point_values();
    let Some(model) = brink_bargain::find(&c.model) else {
        return Vec::new();
    };
    let params = Params::default();
    let relevant = |i: &brink_montecarlo::InputRef| match *i {
        brink_montecarlo::InputRef::Crisis(x, _) => x == ci,
        brink_montecarlo::InputRef::Power(a) => {
            c.challenger.contains(&a) || c.defender.contains(&a)
        }
        _ => i.issue(sc).is_some_and(|k| c.issues.contains(&k)),
    };
    brink_montecarlo::InputRef::uncertain(sc)
        .into_iter()
        .filter(relevant)
        .filter_map(|input| {
            let (lo, hi) = input.dist(sc).range();
            if lo >= hi || lo.is_nan() || hi.is_nan() {
                return None;
            }
            let game_at = |x: f64| {
                let mut v = base.clone();
                input.set(&mut v, x);
                let settlement: Vec<Option<f64>> = model
                    .run(&Input::new(sc, &v), &params)
                    .iter()
                    .map(|f| f.value())
                    .collect();
                brink_crisis::standoff::build(sc, &v, ci, &settlement).map(|b| b.game)
            };
            let bps =
                brink_crisis::threshold::breakpoints_fallible(game_at, lo, hi, samples).ok()?;
            Some(brink_report::crisis::Threshold {
                input: input.key(sc),
                name: input.describe(sc),
                range: (lo, hi),
                point: input.get(&base),
                switches: bps
                    .into_iter()
                    .map(|b| (b.at, b.outcomes_before, b.outcomes_after))
                    .collect(),
            })
        })
        .collect()
}

/// An outcome with its probability as given and as changed.
type OutcomeRow = (String, f64, f64);

static STOP: AtomicBool = AtomicBool::new(false);

#[allow(clippy::too_many_arguments)]
fn monte_carlo(
    sc: &Scenario,
    models: &[Box<dyn brink_bargain::Model>],
    params: &Params,
    draws: u64,
    seed: u64,
    threads: Option<usize>,
    quiet: bool,
    keep: Option<&Path>,
) -> Result<brink_montecarlo::McResult, Failure> {
    // Ctrl-C stops the run between waves; the draws done are reported.
    let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
    let show = !quiet && std::io::stderr().is_terminal();
    let start = Instant::now();
    let progress = move |done: u64, total: u64| {
        if show && start.elapsed().as_secs_f64() > 1.0 {
            let w = 30;
            let filled = (w as u64 * done / total.max(1)) as usize;
            eprint!(
                "\r[{}{}] {:>3}% {done}/{total} draws, {:.1}s ",
                "#".repeat(filled),
                " ".repeat(w - filled),
                100 * done / total.max(1),
                start.elapsed().as_secs_f64()
            );
        }
    };
    let mut writer = match keep {
        Some(p) => {
            let f =
                std::fs::File::create(p).with_context(|| format!("creating {}", p.display()))?;
            Some(std::io::BufWriter::new(f))
        }
        None => None,
    };
    let inputs = brink_montecarlo::InputRef::uncertain(sc);
    if let Some(w) = writer.as_mut() {
        let mut head = vec!["draw".to_string()];
        head.extend(inputs.iter().map(|i| i.key(sc)));
        for m in models {
            head.extend(sc.issues.iter().map(|is| format!("{}:{}", m.name(), is.id)));
        }
        writeln!(w, "{}", head.join(",")).context("writing the draws")?;
    }
    let mut write_err = None;
    let mut keep_fn = |d: u64, v: &brink_scenario::Values, f: &[f64]| {
        if let Some(w) = writer.as_mut() {
            let mut row = vec![d.to_string()];
            row.extend(inputs.iter().map(|i| format!("{}", i.get(v))));
            row.extend(f.iter().map(|x| {
                if x.is_nan() {
                    String::new()
                } else {
                    format!("{x}")
                }
            }));
            if let Err(e) = writeln!(w, "{}", row.join(",")) {
                write_err.get_or_insert(e);
            }
        }
    };
    let cfg = brink_montecarlo::McConfig::new(draws, seed);
    let mut go = || {
        brink_montecarlo::run(
            sc,
            models,
            params,
            &cfg,
            brink_montecarlo::run::Hooks {
                progress: Some(&progress),
                stop: Some(&STOP),
                keep: if keep.is_some() {
                    Some(&mut keep_fn)
                } else {
                    None
                },
            },
        )
    };
    let result = match threads {
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
            .context("starting the thread pool")?
            .install(go),
        None => go(),
    };
    if show && start.elapsed().as_secs_f64() > 1.0 {
        eprintln!();
    }
    if let Some(e) = write_err {
        return Err(Failure::Internal(anyhow::anyhow!("writing the draws: {e}")));
    }
    if let Some(mut w) = writer {
        w.flush().context("writing the draws")?;
    }
    if result.stopped {
        eprintln!(
            "stopped: {} of {} draws done",
            result.draws_done, result.draws_requested
        );
    }
    Ok(result)
}

/// The scenario as known on `--as-of DATE` (default: its own cut-off), with that date.
fn at_date(
    base: &Scenario,
    as_of: Option<&str>,
) -> Result<(brink_scenario::Date, Scenario), Failure> {
    let date = match as_of {
        Some(d) => brink_scenario::Date::parse(d)
            .ok_or_else(|| Failure::Input(format!("--as-of `{d}`: expected a date YYYY-MM-DD")))?,
        None => base.as_of,
    };
    let sc = base
        .at(date)
        .map_err(|e| Failure::Input(format!("--as-of: {e}")))?;
    Ok((date, sc))
}

fn load(path: Option<&Path>) -> Result<(Scenario, InputInfo), Failure> {
    match path {
        None => {
            let sc = brink_scenario::builtin().map_err(|e| {
                Failure::Internal(anyhow::anyhow!("the built-in scenario does not load: {e}"))
            })?;
            let info = InputInfo {
                file: brink_scenario::BUILTIN_NAME.to_string(),
                sha256: brink_report::sha256_hex(brink_scenario::BUILTIN_TOML),
            };
            Ok((sc, info))
        }
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .map_err(|e| Failure::Input(format!("{}: cannot read: {e}", p.display())))?;
            let sc = brink_scenario::load_str(&text, &p.display().to_string())?;
            let info = InputInfo {
                file: p.display().to_string(),
                sha256: brink_report::sha256_hex(&text),
            };
            Ok((sc, info))
        }
    }
}

fn pick_models(names: &[String]) -> Result<Vec<Box<dyn brink_bargain::Model>>, Failure> {
    let names: Vec<&str> = if names.is_empty() {
        brink_bargain::DEFAULT_MODELS.to_vec()
    } else {
        names.iter().map(String::as_str).collect()
    };
    names
        .iter()
        .map(|n| {
            brink_bargain::find(n).ok_or_else(|| {
                let known: Vec<&str> = brink_bargain::registry().iter().map(|m| m.name()).collect();
                Failure::Input(format!(
                    "unknown model `{n}`: brink knows {}",
                    known.join(", ")
                ))
            })
        })
        .collect()
}

fn write_file(path: &Path, text: &str) -> Result<(), Failure> {
    std::fs::write(path, text)
        .with_context(|| format!("writing {}", path.display()))
        .map_err(Failure::Internal)
}

fn emit(text: &str, output: Option<&Path>) -> Result<(), Failure> {
    match output {
        Some(p) => write_file(p, text),
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `brink run | head`) is not an error worth a message.
            let _ = out.write_all(text.as_bytes());
            Ok(())
        }
    }
}
