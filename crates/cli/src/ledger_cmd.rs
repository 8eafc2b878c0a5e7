//! `brink ledger`: record a scenario's forecast (the engine's document, through
//! `brink_ledger::wire`), resolve, score, verify, export, import, seed with the repository's
//! history, and the track-record page.

use std::path::{Path, PathBuf};

use anyhow::Context;
use brink_engine::{Forecast, Loaded, Options};
use brink_ledger::wire::{self, Label, RecordOptions};
use brink_ledger::{history, Anchor, Date, ExportFormat, Filter, Ledger, Outcome, QuestionKind};
use clap::{Args, Subcommand, ValueEnum};

use super::{observer, Failure, OutFormat};

/// `brink ledger`'s arguments.
#[derive(Args)]
pub struct LedgerArgs {
    /// The ledger file (SQLite; created if missing). Default: brink/ledger.sqlite3 under the
    /// user's data directory ($XDG_DATA_HOME, else ~/.local/share, on Linux; ~/Library/Application
    /// Support on macOS; %APPDATA% on Windows).
    #[arg(long, global = true)]
    ledger: Option<PathBuf>,
    #[command(subcommand)]
    command: LedgerCommand,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum LabelArg {
    /// Fixed before the outcome was known (a forecast of record, a published forecast).
    OfRecord,
    /// Inputs frozen before the outcome, run after it by today's engine.
    Backtest,
    /// Inputs changed after the outcome was known (not a backtest).
    AfterOutcome,
}

impl From<LabelArg> for Label {
    fn from(l: LabelArg) -> Label {
        match l {
            LabelArg::OfRecord => Label::OfRecord,
            LabelArg::Backtest => Label::Backtest,
            LabelArg::AfterOutcome => Label::AfterOutcome,
        }
    }
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ExportArg {
    /// The JSON export (what `import` reads).
    Json,
    /// CSV, one row per record (for spreadsheets).
    Csv,
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Run a scenario's forecast and record every probability it gives: each crisis's outcome
    /// classes, each issue's predictive quantiles per model.
    #[command(
        after_help = "Examples:\n  brink ledger record my.toml --horizon 2026-12-31 --tag europe\n  brink ledger record scenarios/crises/munich-1938.toml --label backtest\n\nA forecast recorded before its question is resolved is live. One written after the outcome is known needs --label: of-record, backtest or after-outcome (sealed into the entry as a tag).\nUnsolved draws: crisis probabilities are shares of the solved draws (as `brink run` prints them); a crisis with unsolved draws is recorded with the tag unsolved:K/N if K/N is at most --max-unsolved, else refused (docs/ledger.md)."
    )]
    Record {
        /// The scenario file (TOML). Omitted: the built-in scenario.
        scenario: Option<PathBuf>,
        /// Monte Carlo draws (the probabilities come from them; at least 1).
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
        /// Forecast with what was known on this date (the scenario's updates dated on or before it).
        #[arg(long)]
        as_of: Option<String>,
        /// Only this crisis or issue (its id; repeatable). Default: every one.
        #[arg(long = "question")]
        questions: Vec<String>,
        /// A tag (repeatable; no whitespace).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// The date by which the questions are to be resolved.
        #[arg(long)]
        horizon: Option<String>,
        /// Written after the fact: what it is.
        #[arg(long, value_enum)]
        label: Option<LabelArg>,
        /// The largest share of unsolved (or uncovered) draws a recorded forecast may have.
        #[arg(long, default_value_t = wire::MAX_UNSOLVED)]
        max_unsolved: f64,
        /// Threads for Monte Carlo (default: all cores). The result does not depend on it.
        #[arg(long)]
        threads: Option<usize>,
        /// No progress bar.
        #[arg(long, short = 'q')]
        quiet: bool,
    },
    /// Record what happened: one question with its source, or every question of an outcomes file.
    #[command(
        after_help = "Examples:\n  brink ledger resolve my-2026/crisis/standoff --outcome war --date 2026-03-01 --source \"Reuters, 1 March 2026\" --quote \"...\"\n  brink ledger resolve --outcomes scenarios/crises/munich-1938.outcomes.toml\n\n--outcome is a class for a crisis, yes or no for an event, a number on the scale for an issue. A question resolves once; with --outcomes, questions already resolved the same way are skipped, and any disagreement or error writes nothing."
    )]
    Resolve {
        /// The question's id (`brink ledger questions` lists them).
        #[arg(required_unless_present = "outcomes", conflicts_with = "outcomes")]
        question: Option<String>,
        /// What happened.
        #[arg(long, required_unless_present = "outcomes")]
        outcome: Option<String>,
        /// When (YYYY-MM-DD).
        #[arg(long, required_unless_present = "outcomes")]
        date: Option<String>,
        /// The source's citation.
        #[arg(long, required_unless_present = "outcomes")]
        source: Option<String>,
        /// The source's words establishing the outcome.
        #[arg(long, required_unless_present = "outcomes")]
        quote: Option<String>,
        /// An outcomes file: resolve every question of it that the ledger has.
        #[arg(long)]
        outcomes: Option<PathBuf>,
    },
    /// The ledger's questions: how many forecasts each has and its resolution.
    Questions {
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Score the resolved forecasts: Brier, log, CRPS, calibration, discrimination, the base rate
    /// and external forecasters on the same questions.
    #[command(
        after_help = "Examples:\n  brink ledger score\n  brink ledger score --tag of-record\n  brink ledger score --forecaster brink:game --no-backtests --format json"
    )]
    Score {
        /// Only entries with this tag (repeatable: every one).
        #[arg(long = "tag")]
        tags: Vec<String>,
        /// Only forecasts as of this date or later.
        #[arg(long)]
        since: Option<String>,
        /// Only this forecaster (`brink`, `brink:MODEL`, or an external forecaster's name).
        #[arg(long)]
        forecaster: Option<String>,
        /// Leave out forecasts recorded after the fact.
        #[arg(long)]
        no_backtests: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Check every record's hash, link, number and time; name the first bad one (exit 2 if any).
    #[command(
        after_help = "Examples:\n  brink ledger verify\n  brink ledger verify --anchor 5f0c2a9e...:41:9b1d...\n\nAn anchor is a chain's head written down elsewhere (verify prints them): it catches a truncation or a rewrite that the chain alone cannot show."
    )]
    Verify {
        /// ORIGIN:SEQ:HASH (repeatable).
        #[arg(long = "anchor")]
        anchors: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutFormat::Table)]
        format: OutFormat,
    },
    /// Write the whole ledger: JSON (for import elsewhere) or CSV.
    Export {
        /// The format.
        #[arg(long, value_enum, default_value_t = ExportArg::Json)]
        format: ExportArg,
        /// The file to write (default: standard output).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
    },
    /// Merge a JSON export from another ledger (all or nothing).
    Import {
        /// The export file.
        file: PathBuf,
    },
    /// Seed the ledger with the history kept in brink's repository: the essay scenario's
    /// forecast of record, the crowd's forecasts, the backtests of the frozen file and of the
    /// development crises, and the built-in file extended after the outcome, each labelled.
    #[command(
        after_help = "Example:\n  brink ledger --ledger history.sqlite3 seed --root .\n\nSeeding again adds nothing. It runs the engine (2,000 draws, seed 0) on each file: about half a minute."
    )]
    Seed {
        /// The repository's root (holding scenarios/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Write the track-record page (HTML): every forecast with its date, question, probability,
    /// resolution and score; scores over time; calibration and discrimination; by label.
    #[command(after_help = "Example:\n  brink ledger report -o track-record.html")]
    Report {
        /// The HTML file to write.
        #[arg(long, short = 'o', default_value = "track-record.html")]
        output: PathBuf,
    },
}

/// The ledger's errors as exit codes: SQLite failing on a sound file is internal (1), the rest
/// (refused input, a file that is not a ledger) is input (2).
fn failure(e: brink_ledger::Error) -> Failure {
    match e {
        brink_ledger::Error::Engine(e) => Failure::from(e),
        e if e.is_internal() => Failure::Internal(anyhow::anyhow!(e)),
        e => Failure::Input(e.to_string()),
    }
}

fn date(s: &str, flag: &str) -> Result<Date, Failure> {
    Ok(brink_engine::parse_date(s, flag)?)
}

fn open(path: Option<&Path>) -> Result<Ledger, Failure> {
    match path {
        Some(p) => Ledger::open(p),
        None => Ledger::open_default(),
    }
    .map_err(failure)
}

/// Writes `text` to `path` whole or not at all (a temporary file beside it, then renamed).
pub fn write_whole(path: &Path, text: &str) -> Result<(), Failure> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir
        .unwrap_or(Path::new("."))
        .join(format!(".{name}.{}.tmp", std::process::id()));
    let done = std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .with_context(|| format!("writing {}", path.display()));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done.map_err(Failure::Internal)
}

fn out(text: &str) -> Result<(), Failure> {
    super::emit(text, None)
}

/// `brink ledger`.
pub fn ledger(a: LedgerArgs) -> Result<(), Failure> {
    let path = a.ledger.as_deref();
    match a.command {
        LedgerCommand::Record {
            scenario,
            draws,
            seed,
            models,
            rounds,
            as_of,
            questions,
            tags,
            horizon,
            label,
            max_unsolved,
            threads,
            quiet,
        } => {
            if draws == 0 {
                return Err(Failure::Input(
                    "--draws 0: the ledger records probabilities, which come from Monte Carlo draws; give at least 1".into(),
                ));
            }
            let ropts = RecordOptions {
                tags,
                horizon: horizon.map(|h| date(&h, "--horizon")).transpose()?,
                label: label.map(Label::from),
                questions,
                max_unsolved,
            };
            let loaded = Loaded::file_or_builtin(scenario.as_deref())?;
            let mut ledger = open(path)?;
            let watch = observer::Terminal::new(!quiet, true, None);
            let opts = Options {
                models,
                rounds,
                seed,
                draws,
                threads,
                as_of: as_of.map(|d| date(&d, "--as-of")).transpose()?,
                explain: false,
                observer: watch.clone(),
                ..Options::default()
            };
            let doc = Forecast::run(&loaded, &opts)?;
            if let Some(mc) = &doc.montecarlo {
                watch.finish(mc)?;
            }
            let entries = wire::entries(&doc, &ropts).map_err(failure)?;
            if entries.is_empty() {
                return Err(Failure::Input(format!(
                    "{}: the forecast makes no probabilistic statement to record (no crisis, no issue distribution)",
                    loaded.input.file
                )));
            }
            let receipts = ledger.record(&entries).map_err(failure)?;
            let mut said = format!(
                "recorded {} forecasts of {} as of {} in {} (chain {}, records {}-{})\n",
                receipts.len(),
                doc.scenario.id,
                doc.scenario.as_of,
                ledger.path().display(),
                ledger.id(),
                receipts.first().map_or(0, |r| r.seq),
                receipts.last().map_or(0, |r| r.seq),
            );
            for (e, r) in entries.iter().zip(&receipts) {
                let extra: Vec<&String> = e
                    .tags
                    .iter()
                    .filter(|t| t.contains(':'))
                    .collect::<Vec<_>>();
                said.push_str(&format!(
                    "  {:>4}  {}  {}{}\n",
                    r.seq,
                    e.question.id,
                    e.forecaster.label(),
                    if extra.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "  ({})",
                            extra
                                .iter()
                                .map(|s| s.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    }
                ));
            }
            out(&said)
        }
        LedgerCommand::Resolve {
            question,
            outcome,
            date: when,
            source,
            quote,
            outcomes,
        } => {
            let mut ledger = open(path)?;
            if let Some(file) = outcomes {
                let o = brink_scenario::load_outcomes_file(&file)
                    .map_err(|e| Failure::from(brink_engine::Error::Load(e)))?;
                let all = wire::resolutions(&o, &file.display().to_string());
                let known: std::collections::HashSet<String> = ledger
                    .questions()
                    .map_err(failure)?
                    .into_iter()
                    .map(|q| q.question.id)
                    .collect();
                let (mine, other): (Vec<_>, Vec<_>) =
                    all.into_iter().partition(|r| known.contains(&r.question));
                if mine.is_empty() {
                    return Err(Failure::Input(format!(
                        "{}: none of its {} outcomes is a question of the ledger {} (scenario `{}`)",
                        file.display(),
                        other.len(),
                        ledger.path().display(),
                        o.scenario
                    )));
                }
                let rep = history::seed(
                    &mut ledger,
                    &history::History {
                        entries: vec![],
                        resolutions: mine,
                    },
                )
                .map_err(failure)?;
                let mut said = format!(
                    "resolved {} question(s) from {} ({} already resolved the same way; {} outcome(s) of the file have no forecast in the ledger)\n",
                    rep.resolved,
                    file.display(),
                    rep.already_resolved,
                    other.len()
                );
                for r in &rep.receipts {
                    said.push_str(&format!("  record {} {}\n", r.seq, r.hash));
                }
                return out(&said);
            }
            let (Some(q), Some(outcome), Some(when), Some(source), Some(quote)) =
                (question, outcome, when, source, quote)
            else {
                return Err(Failure::Input(
                    "resolve: give QUESTION --outcome --date --source --quote, or --outcomes FILE"
                        .into(),
                ));
            };
            let status = ledger
                .questions()
                .map_err(failure)?
                .into_iter()
                .find(|s| s.question.id == q);
            let Some(status) = status else {
                return Err(Failure::Input(format!(
                    "ledger {}: unknown question `{q}`: no forecast in the ledger is about it (`brink ledger questions` lists them)",
                    ledger.path().display()
                )));
            };
            let outcome = parse_outcome(&status.question.kind, &outcome)?;
            let receipt = ledger
                .resolve(
                    &q,
                    outcome,
                    date(&when, "--date")?,
                    brink_ledger::Source {
                        citation: source,
                        quote,
                    },
                )
                .map_err(failure)?;
            out(&format!(
                "resolved `{q}` (record {} of chain {}, hash {})\n",
                receipt.seq, receipt.origin, receipt.hash
            ))
        }
        LedgerCommand::Questions { format } => {
            let ledger = open(path)?;
            let qs = ledger.questions().map_err(failure)?;
            if format == OutFormat::Json {
                return out(&brink_report::json(&qs)?);
            }
            let mut s = String::new();
            for q in &qs {
                s.push_str(&format!(
                    "{}  [{}]  {} forecast(s)  {}\n    {}\n",
                    q.question.id,
                    q.question.kind.name(),
                    q.forecasts,
                    match &q.resolution {
                        Some(r) => format!("resolved: {} on {}", r.outcome, r.date),
                        None => "open".into(),
                    },
                    q.question.text
                ));
            }
            if qs.is_empty() {
                s.push_str("the ledger has no forecast yet\n");
            }
            out(&s)
        }
        LedgerCommand::Score {
            tags,
            since,
            forecaster,
            no_backtests,
            format,
        } => {
            let ledger = open(path)?;
            let filter = Filter {
                tags,
                since: since.map(|d| date(&d, "--since")).transpose()?,
                forecaster,
                backtests: !no_backtests,
            };
            let rep = ledger.score(&filter).map_err(failure)?;
            match format {
                OutFormat::Json => out(&brink_report::json(&rep)?),
                OutFormat::Table => out(&format!("{rep}\n")),
            }
        }
        LedgerCommand::Verify { anchors, format } => {
            let ledger = open(path)?;
            let anchors = anchors
                .iter()
                .map(|a| parse_anchor(a))
                .collect::<Result<Vec<_>, _>>()?;
            let rep = ledger.verify_with_anchors(&anchors).map_err(failure)?;
            match format {
                OutFormat::Json => out(&brink_report::json(&rep)?)?,
                OutFormat::Table => out(&format!("{rep}\n"))?,
            }
            if rep.ok {
                Ok(())
            } else {
                Err(Failure::Input(format!(
                    "ledger {}: does not verify ({} problem(s))",
                    ledger.path().display(),
                    rep.problems.len()
                )))
            }
        }
        LedgerCommand::Export { format, output } => {
            let ledger = open(path)?;
            let text = ledger
                .export_to_string(match format {
                    ExportArg::Json => ExportFormat::Json,
                    ExportArg::Csv => ExportFormat::Csv,
                })
                .map_err(failure)?;
            match output {
                Some(p) => {
                    write_whole(&p, &text)?;
                    eprintln!("wrote {}", p.display());
                    Ok(())
                }
                None => out(&text),
            }
        }
        LedgerCommand::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure::Input(format!("{}: {e}", file.display())))?;
            let mut ledger = open(path)?;
            let rep = ledger
                .import(&text, &file.display().to_string())
                .map_err(failure)?;
            out(&format!(
                "imported {}: {} record(s) added, {} already present ({} repeated forecast(s), {} agreeing resolution(s))\n",
                file.display(),
                rep.added,
                rep.duplicates,
                rep.repeated_forecasts,
                rep.agreeing_resolutions
            ))
        }
        LedgerCommand::Seed { root } => {
            if !root.join("scenarios").is_dir() {
                return Err(Failure::Input(format!(
                    "{}: not brink's repository (no scenarios/ folder); give --root",
                    root.display()
                )));
            }
            let repo = history::repository(&root).map_err(failure)?;
            let mut ledger = open(path)?;
            let rep = history::seed(&mut ledger, &repo.history).map_err(failure)?;
            let mut s = format!(
                "seeded {}: {} forecast(s) recorded ({} already present), {} resolution(s) ({} already present)\n",
                ledger.path().display(),
                rep.recorded,
                rep.already_present,
                rep.resolved,
                rep.already_resolved
            );
            for l in &repo.sources {
                s.push_str(&format!("  {l}\n"));
            }
            for k in &repo.skipped {
                s.push_str(&format!("  not recorded: {}: {}\n", k.id, k.why));
            }
            out(&s)
        }
        LedgerCommand::Report { output } => track_page(path, &output),
    }
}

/// Writes the ledger's track-record page.
pub fn track_page(path: Option<&Path>, output: &Path) -> Result<(), Failure> {
    let ledger = open(path)?;
    let page = brink_ledger::page::TrackPage::build(&ledger).map_err(failure)?;
    let html = brink_report::track::render(&page)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("{e}")))?;
    write_whole(output, &html)?;
    println!("wrote {}", output.display());
    Ok(())
}

/// An outcome as the question's kind reads it.
fn parse_outcome(kind: &QuestionKind, s: &str) -> Result<Outcome, Failure> {
    match kind {
        QuestionKind::Binary => match s.to_ascii_lowercase().as_str() {
            "yes" | "true" => Ok(Outcome::Binary(true)),
            "no" | "false" => Ok(Outcome::Binary(false)),
            _ => Err(Failure::Input(format!(
                "--outcome `{s}`: the question is yes/no; give yes or no"
            ))),
        },
        QuestionKind::Categorical { .. } => Ok(Outcome::Class(s.to_string())),
        QuestionKind::Continuous { .. } => s
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .map(Outcome::Value)
            .ok_or_else(|| {
                Failure::Input(format!(
                    "--outcome `{s}`: the question is a value on a scale; give a number"
                ))
            }),
        _ => Err(Failure::Input(format!(
            "--outcome `{s}`: this brink does not know the question's kind"
        ))),
    }
}

/// `ORIGIN:SEQ:HASH`.
fn parse_anchor(s: &str) -> Result<Anchor, Failure> {
    let parts: Vec<&str> = s.split(':').collect();
    let bad = || {
        Failure::Input(format!(
            "--anchor `{s}`: expected ORIGIN:SEQ:HASH (as `brink ledger verify` prints a chain's head)"
        ))
    };
    let [origin, seq, hash] = parts[..] else {
        return Err(bad());
    };
    Ok(Anchor {
        origin: origin.to_string(),
        seq: seq.parse().map_err(|_| bad())?,
        hash: hash.to_string(),
    })
}
