//! `brink`: forecast political standoffs and negotiations from a scenario file.
//!
//! A thin shell: parse the arguments, call the libraries, print, and map errors to exit codes
//! (0 ok, 2 bad input, 1 internal error).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use brink_bargain::{Input, Params};
use brink_report::{ForecastDoc, InputInfo};
use brink_scenario::import::{self, Format};
use brink_scenario::{LoadError, Scenario};
use clap::{Parser, Subcommand, ValueEnum};

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
    },
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
        } => {
            let (sc, info) = load(scenario.as_deref())?;
            let models = pick_models(&models)?;
            let params = Params {
                rounds,
                seed,
                explain,
            };
            let values = sc.point_values();
            let input = Input::new(&sc, &values);
            let runs: Vec<(String, Vec<_>)> = models
                .iter()
                .map(|m| (m.name().to_string(), m.run(&input, &params)))
                .collect();
            let doc = ForecastDoc::new(&sc, info, &runs, rounds, seed);
            let text = match format {
                OutFormat::Table => brink_report::table::render(&doc, explain),
                OutFormat::Json => {
                    let mut s =
                        serde_json::to_string_pretty(&doc).context("serialising the forecast")?;
                    s.push('\n');
                    s
                }
            };
            emit(&text, output.as_deref())
        }
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
