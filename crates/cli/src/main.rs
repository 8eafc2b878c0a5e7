//! `brink`: forecast political standoffs and negotiations from a scenario file.
//!
//! A thin shell: parse the arguments, call the engine (`brink_engine`) for the document, render
//! it with `brink_report`, write it, and map errors to exit codes (0 ok, 2 bad input, 1 internal
//! error). No forecasting happens here.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use brink_engine::{
    Backtest, Check, CrisisAnalysis, ErrorChoice, Eval, EvalIcb, EvalInput, Forecast, IcbDataset,
    Imported, Loaded, Options, Sensitivity, Solve, Timeline, WhatIf,
};
use clap::{Parser, Subcommand, ValueEnum};

mod ledger_cmd;
mod observer;
mod report_cmd;
mod serve_cmd;

#[derive(Parser)]
#[command(
    name = "brink",
    version,
    about = "Forecast political standoffs and negotiations: where each issue settles, and whether bargaining breaks down.",
    long_about = "brink turns an analysis of a standoff (actors, issues on labelled scales, positions, saliences, capabilities, each with its evidence) into forecasts: where each issue settles (the field's bargaining models, each with a predictive distribution checked on EU decisions) and whether bargaining breaks down (each crisis's game, the reference class of past crises from the ICB data, and the two combined into one probability).\n\nWith no scenario, `brink run` runs the built-in scenario ukraine-2021-12: Russia's December 2021 security demands, coded from Dmitri Trenin's essay of 28 Dec 2021 as of that date.",
    after_help = "Examples:\n  brink run                          # the built-in scenario\n  brink run my.toml --model nash     # one model\n  brink check my.toml                # validate a scenario\n  brink import --from deu deu3-dev.tsv -o out/\n\nExit codes: 0 ok, 2 bad input, 1 internal error."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// `brink eval --errors`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Errors {
    /// Shipped on new data, cross-validated on data that share proposals with the training split.
    Auto,
    /// The shipped error models.
    Shipped,
    /// Fitted on the scored data by leave-one-proposal-out cross-validation.
    Cv,
}

impl From<Errors> for ErrorChoice {
    fn from(e: Errors) -> Self {
        match e {
            Errors::Auto => ErrorChoice::Auto,
            Errors::Shipped => ErrorChoice::Shipped,
            Errors::Cv => ErrorChoice::CrossValidated,
        }
    }
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
        /// Without --draws: draws of the crises' inputs alone for their probabilities (the
        /// game's quantal response, the reference class, the combination); 0: the equilibrium
        /// only.
        #[arg(long, default_value_t = brink_engine::DEFAULT_CRISIS_DRAWS)]
        crisis_draws: u64,
        /// Widen (or, below 1, narrow) every issue's predictive distribution by this factor, in
        /// place of the issues' own and of the default (1.5 where the inputs are not expert
        /// interviews; 1 keeps the error measured on EU decisions). See docs/uncertainty.md.
        #[arg(long, value_name = "FACTOR")]
        widen: Option<f64>,
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
        /// Write one SVG per issue (each model's forecast at each date) into this directory,
        /// and, with --record, --claims or --outcomes, one per crisis outcome (`path-*.svg`).
        #[arg(long)]
        svg: Option<PathBuf>,
        /// A forecast of record (`*.record.toml`) of a frozen version of the scenario: shown
        /// on the probability path with its date.
        #[arg(long)]
        record: Option<PathBuf>,
        /// A claims file (`*.claims.toml`): other forecasters' dated probabilities of a crisis
        /// outcome, shown on the probability path.
        #[arg(long)]
        claims: Option<PathBuf>,
        /// An outcomes file (`*.outcomes.toml`): marks when the crisis ended.
        #[arg(long)]
        outcomes: Option<PathBuf>,
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
    /// compromise model, and the predictive distributions' CRPS, coverage and PIT, with 95%
    /// intervals from a bootstrap over proposals; on an ICB file, the outside view's Brier, log
    /// score, AUC and calibration.
    #[command(
        after_help = "Examples:\n  brink eval tests/data/deu3/deu3-dev.tsv\n  brink eval my.toml --outcomes my.outcomes.toml --csv per-issue.csv\n  brink eval icb1-heldout.csv\n  brink eval icb2-dev.csv --train icb2-dev.csv --csv per-row.csv\n\nA .tsv is read as DEU III data (imported on the fly); a scenario is scored against its outcomes file (default: NAME.outcomes.toml beside it). Multi-issue models run per proposal.\n\nAn ICB file (.csv, or any file whose header names CRISNO and VIOL; system level ICB1 or actor level ICB2 in the release's own columns) scores the outside view: every row forecast from its onset variables by models fitted on --train (default: the shipped development split of the same level) and never on the rows they score (crises in both files are left out of their own training by 10-fold cross-validation by crisis); Brier, log loss, AUC and calibration per target (VIOL >= 2, >= 3, = 4) against the base rate."
    )]
    Eval {
        /// A DEU III TSV, a scenario TOML, or an ICB CSV.
        dataset: PathBuf,
        /// The outcomes file (for a scenario).
        #[arg(long)]
        outcomes: Option<PathBuf>,
        /// The training file (for an ICB file): an ICB CSV of the same level. Default: the
        /// shipped development split.
        #[arg(long)]
        train: Option<PathBuf>,
        /// A model (repeatable). Default: compromise, compromise-equal, median, nash, nash-quadratic, smp.
        #[arg(long = "model", short = 'm')]
        models: Vec<String>,
        /// Bootstrap resamples.
        #[arg(long, default_value_t = 2000)]
        resamples: usize,
        /// Bootstrap seed.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Write the per-issue (ICB: per-row) forecasts and outcomes to this CSV.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// The error models of the issues' predictive distributions: `auto` scores the shipped
        /// ones (fitted on the DEU III development split, what `brink run` publishes) on data
        /// they were not fitted on, and fits them on the data by leave-one-proposal-out
        /// cross-validation when the data share proposals with that split; `shipped` and `cv`
        /// force either.
        #[arg(long, value_enum, default_value_t = Errors::Auto)]
        errors: Errors,
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
        after_help = "Examples:\n  brink backtest scenarios/ukraine-2021-12.toml scenarios/ukraine-2021-12.outcomes.toml --claims scenarios/ukraine-2021-12.claims.toml\n  brink backtest scenarios/crises/berlin-1958.toml scenarios/crises/berlin-1958.outcomes.toml --onset scenarios/crises/berlin-1958.onset.toml\n\nIssues: absolute error per model, and each model's predictive distribution scored (CRPS, coverage of its central 50/80/90% intervals) as `brink run --draws DRAWS --seed SEED` makes it. Crises: Brier and log score of the Monte Carlo outcome shares. Claims: words read with the fixed table of docs/estimative-words.md."
    )]
    Backtest {
        /// The scenario file.
        scenario: PathBuf,
        /// Its outcomes file.
        outcomes: PathBuf,
        /// A claims file: sources' forecasts in words.
        #[arg(long)]
        claims: Option<PathBuf>,
        /// An onset addendum (NAME.onset.toml): onset sections for a frozen scenario's crises,
        /// added after the outcome in a file of their own (docs/scenario-format.md).
        #[arg(long)]
        onset: Option<PathBuf>,
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
        /// Widen (or, below 1, narrow) every issue's predictive distribution by this factor, in
        /// place of the issues' own and of the default (1.5 where the inputs are not expert
        /// interviews; 1 keeps the error measured on EU decisions). See docs/uncertainty.md.
        #[arg(long, value_name = "FACTOR")]
        widen: Option<f64>,
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
    /// The forecast ledger: record forecasts in a hash-chained SQLite file, resolve them, score
    /// them, verify the chain, export and import, and draw the track record (docs/ledger.md).
    #[command(
        after_help = "Examples:\n  brink ledger record my.toml --horizon 2026-12-31\n  brink ledger resolve --outcomes my.outcomes.toml\n  brink ledger score\n  brink ledger --ledger history.sqlite3 seed && brink ledger --ledger history.sqlite3 report"
    )]
    Ledger(ledger_cmd::LedgerArgs),
    /// Validate a scenario (and optionally its outcomes file) and report every problem at once.
    #[command(
        after_help = "Examples:\n  brink check my.toml\n  brink check my.toml --outcomes my.outcomes.toml\n  brink check scenarios/crises/berlin-1958.toml --onset scenarios/crises/berlin-1958.onset.toml"
    )]
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
        /// An outcomes file to check against the scenario.
        #[arg(long)]
        outcomes: Option<PathBuf>,
        /// An onset addendum (NAME.onset.toml) to check against the scenario.
        #[arg(long)]
        onset: Option<PathBuf>,
        /// Output format (a problem is reported on standard error with exit code 2 either way).
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
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
    /// A local web workbench: edit a scenario and see every forecast update in place.
    #[command(
        after_help = "Examples:\n  brink serve                        # the built-in scenario; files of the current directory\n  brink serve scenarios/             # a directory's scenarios\n  brink serve my.toml --port 8080\n\nOnly .toml files of the opened directory are read or written; the server answers only requests addressed to its own address."
    )]
    Serve(serve_cmd::ServeArgs),
}

/// An error with the exit code it maps to.
enum Failure {
    /// Bad input: exit 2.
    Input(String),
    /// Anything else: exit 1.
    Internal(anyhow::Error),
    /// A run stopped by Ctrl-C after writing its partial result: exit 130.
    Stopped(String),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Self {
        Failure::Internal(e)
    }
}

impl From<brink_engine::Error> for Failure {
    fn from(e: brink_engine::Error) -> Self {
        match e.kind() {
            brink_engine::ErrorKind::BadInput => Failure::Input(e.to_string()),
            _ => Failure::Internal(anyhow::anyhow!(e)),
        }
    }
}

impl From<serde_json::Error> for Failure {
    fn from(e: serde_json::Error) -> Self {
        Failure::Internal(anyhow::Error::new(e).context("serialising"))
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
        Err(Failure::Stopped(msg)) => {
            eprintln!("{msg}");
            ExitCode::from(observer::STOPPED_EXIT)
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
            crisis_draws,
            widen,
        } => {
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let as_of = as_of
                .map(|d| brink_engine::parse_date(&d, "--as-of"))
                .transpose()?;
            let watch = observer::Terminal::new(!quiet, draws > 0, keep_draws);
            let opts = Options {
                models,
                rounds,
                seed,
                draws,
                crisis_draws,
                threads,
                as_of,
                explain,
                widen,
                observer: watch.clone(),
            };
            let doc = Forecast::run(&loaded, &opts);
            watch.end();
            let doc = doc?;
            if let Some(mc) = &doc.montecarlo {
                watch.finish(mc)?;
            }
            let text = match format {
                OutFormat::Table if output.is_none() => {
                    for_terminal(brink_report::text::forecast(&doc, explain), explain)
                }
                OutFormat::Table => brink_report::text::forecast(&doc, explain),
                OutFormat::Json => brink_report::json(&doc)?,
            };
            emit(&text, output.as_deref())?;
            doc.montecarlo.as_ref().map_or(Ok(()), observer::stopped)
        }
        Command::Timeline {
            scenario,
            models,
            svg,
            record,
            claims,
            outcomes,
            format,
        } => {
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let mut doc = Timeline::run(&loaded, &with_models(models))?;
            if record.is_some() || claims.is_some() || outcomes.is_some() {
                doc =
                    doc.with_path_files(record.as_deref(), claims.as_deref(), outcomes.as_deref())?;
            }
            if let Some(dir) = &svg {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("creating {}", dir.display()))?;
                let mut svgs = brink_report::text::timeline_svgs(&doc)
                    .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?
                    .into_iter()
                    .map(|(id, text)| (format!("timeline-{id}"), text))
                    .collect::<Vec<_>>();
                svgs.extend(
                    brink_report::text::timeline_path_svgs(&doc)
                        .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?,
                );
                for (stem, text) in svgs {
                    write_file(&dir.join(format!("{stem}.svg")), &text)?;
                }
            }
            print(format, &doc, brink_report::text::timeline)
        }
        Command::Sensitivity {
            scenario,
            models,
            top,
            format,
            draws,
            seed,
        } => {
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let opts = Options {
                draws,
                seed,
                ..with_models(models)
            };
            let doc = Sensitivity::run(&loaded, &opts)?;
            print(format, &doc, |d| brink_report::text::sensitivity(d, top))
        }
        Command::Whatif {
            scenario,
            sets,
            models,
            format,
        } => {
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let doc = WhatIf::run(&loaded, &sets, &with_models(models))?;
            print(format, &doc, brink_report::text::whatif)
        }
        Command::Eval {
            dataset,
            outcomes,
            train,
            models,
            resamples,
            seed,
            csv,
            errors,
            format,
        } => match EvalInput::load(&dataset, outcomes.as_deref())? {
            EvalInput::Icb(data) => {
                if errors != Errors::Auto {
                    return Err(Failure::Input(format!(
                        "{}: --errors applies to issue forecasts (DEU data, scenarios with outcomes); an ICB file scores crisis outcomes",
                        dataset.display()
                    )));
                }
                if !models.is_empty() {
                    return Err(Failure::Input(format!(
                        "{}: an ICB file scores the outside view's own models (base, era, refclass, refclass_near); --model does not apply",
                        dataset.display()
                    )));
                }
                let train = train.as_deref().map(IcbDataset::load).transpose()?;
                let opts = Options {
                    seed,
                    ..Options::default()
                };
                let doc = EvalIcb::run(&data, train.as_ref(), &opts, resamples)?;
                if let Some(p) = csv {
                    write_file(&p, &doc.per_row_csv())?;
                }
                print(format, &doc, brink_report::text::eval_icb)
            }
            EvalInput::Outcomes(data) => {
                if let Some(t) = train {
                    return Err(Failure::Input(format!(
                        "--train {} applies to ICB files only; {} is not one",
                        t.display(),
                        dataset.display()
                    )));
                }
                let opts = Options {
                    seed,
                    ..with_models(models)
                };
                let doc = Eval::run_with(&data, &opts, resamples, errors.into())?;
                if let Some(p) = csv {
                    write_file(&p, &doc.evaluation.per_issue_csv())?;
                }
                print(format, &doc, brink_report::text::eval)
            }
        },
        Command::Crisis {
            scenario,
            svg,
            samples,
            format,
        } => {
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let doc = CrisisAnalysis::run(&loaded, &Options::default(), samples)?;
            if let (Some(p), Some(game)) = (
                &svg,
                doc.crises.first().and_then(|c| c.forecast.tree.as_ref()),
            ) {
                let path = brink_engine::crisis::first_equilibrium_path(game, true)
                    .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?;
                write_file(p, &brink_report::crisis::tree_svg(game, path.as_deref()))?;
            }
            print(format, &doc, brink_report::text::crisis_analysis)
        }
        Command::Solve {
            file,
            svg,
            beliefs,
            format,
        } => {
            let doc = Solve::from_file(&file, &beliefs)?;
            if let (Some(p), Some(game)) = (&svg, &doc.game) {
                let path = doc.first_path.as_deref();
                write_file(p, &brink_report::crisis::tree_svg(game, path))?;
            }
            print(format, &doc, brink_report::text::solve)
        }
        Command::Backtest {
            scenario,
            outcomes,
            claims,
            onset,
            draws,
            as_of,
            seed,
            models,
            widen,
            format,
        } => {
            let mut loaded = Loaded::from_file(&scenario)?;
            if let Some(o) = onset {
                loaded = loaded.with_onset(&o)?;
            }
            let opts = Options {
                draws,
                seed,
                widen,
                as_of: as_of
                    .map(|d| brink_engine::parse_date(&d, "--as-of"))
                    .transpose()?,
                ..with_models(models)
            };
            let doc = Backtest::run(&loaded, &outcomes, claims.as_deref(), &opts)?;
            print(format, &doc, brink_report::text::backtest)
        }
        Command::Report(a) => report_cmd::report(a),
        Command::Serve(a) => serve_cmd::serve(a),
        Command::Plot(a) => report_cmd::plot(a),
        Command::Ledger(a) => ledger_cmd::ledger(a),
        Command::Check {
            scenario,
            outcomes,
            onset,
            format,
        } => {
            match Check::run_with_onset(&scenario, outcomes.as_deref(), onset.as_deref()) {
                Ok(doc) => print(format, &doc, brink_report::text::check),
                Err(e) => {
                    // For programs, the problems as a document on standard output too; the
                    // message and the exit code are the same either way.
                    if format == OutFormat::Json {
                        if let Some(doc) = Check::failed(&scenario, &e) {
                            emit(&brink_report::json(&doc)?, None)?;
                        }
                    }
                    Err(e.into())
                }
            }
        }
        Command::Models => emit(&brink_report::text::models(&brink_engine::models()), None),
        Command::Import { from, file, output } => {
            let imported = Imported::run(&from, &file)?;
            std::fs::create_dir_all(&output)
                .with_context(|| format!("creating {}", output.display()))?;
            let path = output.join(format!("{}.toml", imported.id));
            write_file(&path, &imported.scenario_toml)?;
            let n = |k: usize, one: &str, many: &str| {
                format!("{k} {}", if k == 1 { one } else { many })
            };
            let mut said = format!(
                "wrote {} ({}, {}, {})\n",
                path.display(),
                n(imported.actors, "actor", "actors"),
                n(imported.issues, "issue", "issues"),
                n(imported.stances, "stance", "stances")
            );
            if let Some((toml, n)) = &imported.outcomes {
                let p = output.join(format!("{}.outcomes.toml", imported.id));
                write_file(&p, toml)?;
                said.push_str(&format!(
                    "wrote {} ({})\n",
                    p.display(),
                    if *n == 1 {
                        "1 outcome".to_string()
                    } else {
                        format!("{n} outcomes")
                    }
                ));
            }
            for n in &imported.notes {
                said.push_str(&format!("note: {n}\n"));
            }
            emit(&said, None)
        }
    }
}

/// The default options with these models.
fn with_models(models: Vec<String>) -> Options {
    Options {
        models,
        ..Options::default()
    }
}

/// Prints a document as text (`table`) or JSON.
fn print<T: serde::Serialize>(
    format: OutFormat,
    doc: &T,
    table: impl Fn(&T) -> String,
) -> Result<(), Failure> {
    let text = match format {
        OutFormat::Table => for_terminal(table(doc), false),
        OutFormat::Json => brink_report::json(doc)?,
    };
    emit(&text, None)
}

/// Text for standard output fitted to the terminal's width (`$COLUMNS`, else the terminal's own):
/// long lines cut with an ellipsis or, with `wrap`, wrapped. Unchanged when standard output is
/// not a terminal (a pipe or a file gets every line whole).
fn for_terminal(text: String, wrap: bool) -> String {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return text;
    }
    let width = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .or_else(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)));
    match width {
        Some(w) if w > 0 => brink_report::table::fit(&text, w, wrap),
        _ => text,
    }
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
