//! Seeding a ledger with history: forecasts made before the ledger existed, written in after the
//! fact with their original dates and marked as backtests, and the resolutions of their
//! questions, all in one transaction. Seeding again with the same history adds nothing.
//!
//! The records are parameters ([`History`]): the built-in scenario's frozen forecast of
//! 2021-12-28 and its January update come from running the engine as of those dates, the
//! outcomes from the scenario's outcomes file. The one piece of history that lives nowhere else,
//! the crowd's forecasts of the same war, is given here ([`metaculus_ukraine_invasion`]).

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::model::{Entry, Forecaster, Question, Resolution, Statement};
use crate::time::Date;
use crate::{Ledger, Receipt};

/// Forecasts and resolutions to write in as history.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct History {
    /// The forecasts, with their original as-of dates (each is recorded as a backtest).
    pub entries: Vec<Entry>,
    /// The resolutions of their questions.
    pub resolutions: Vec<Resolution>,
}

/// What seeding did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeedReport {
    /// Forecasts written.
    pub recorded: usize,
    /// Forecasts already in the ledger (same content), skipped.
    pub already_present: usize,
    /// Resolutions written.
    pub resolved: usize,
    /// Resolutions already in the ledger with the same outcome, skipped.
    pub already_resolved: usize,
    /// The receipts of what was written.
    pub receipts: Vec<Receipt>,
}

/// Writes `history` into the ledger in one transaction: every entry is marked as a backtest
/// (it is recorded after the fact; its as-of date stays the original one); entries already
/// present (same content) and resolutions already present (same outcome) are skipped; a
/// resolution contradicting the ledger is an error and nothing is written.
pub fn seed(ledger: &mut Ledger, history: &History) -> Result<SeedReport> {
    let entries: Vec<Entry> = history
        .entries
        .iter()
        .map(|e| Entry {
            backtest: true,
            ..e.clone()
        })
        .collect();
    ledger.seed_records(&entries, &history.resolutions)
}

/// The name the crowd's forecasts go by.
pub const METACULUS: &str = "Metaculus community";

/// The citation of the crowd's forecasts.
pub const METACULUS_SOURCE: &str = "Metaculus, question \"Russian invasion of Ukraine before 2023\", community prediction: 35% on 12 December 2021 and 52% on 18 January 2022 (entered by hand from the question's history)";

/// The Metaculus community's forecasts that Russia would invade Ukraine before 2023, as the
/// probability of the class `war_class` of a crisis question (brink's crisis of the built-in
/// scenario: `question_id::crisis("ukraine-2021-12", "standoff")`, class `war`): 35% as of
/// 2021-12-12 and 52% as of 2022-01-18, horizon 2022-12-31, marked as backtests. The crowd's
/// question (an invasion before 2023) and the crisis class (the standoff ends in war, read at
/// the scenario's horizon) are resolved by the same event, the invasion of 24 February 2022.
pub fn metaculus_ukraine_invasion(
    question: &Question,
    war_class: &str,
    tags: &[&str],
) -> Vec<Entry> {
    let d = |s: &str| Date::parse(s).expect("a valid date");
    [("2021-12-12", 0.35), ("2022-01-18", 0.52)]
        .iter()
        .map(|(as_of, p)| Entry {
            question: question.clone(),
            statement: Statement::Event {
                class: war_class.into(),
                p: *p,
            },
            forecaster: Forecaster::external(METACULUS, METACULUS_SOURCE),
            scenario: None,
            brink_version: None,
            seed: None,
            draws: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            horizon: Some(d("2022-12-31")),
            as_of: d(as_of),
            backtest: true,
        })
        .collect()
}

/// What [`repository`] read, ran and left out.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct RepositoryHistory {
    /// The forecasts and resolutions to seed.
    pub history: History,
    /// What each group of entries is, in words (one line per file or run).
    pub sources: Vec<String>,
    /// Stated forecasts of the claims file not recorded, with the reason.
    pub skipped: Vec<crate::wire::Skipped>,
}

/// Draws and seed of every engine run [`repository`] makes (those of the README's tables).
pub const REPOSITORY_DRAWS: u64 = 2000;

/// The history kept in brink's repository, read from the files under `root` (a checkout), each
/// entry labelled (see [`crate::wire::Label`]):
/// - `of-record`: the forecast of record of the essay's scenario
///   (`scenarios/ukraine-2021-12.record.toml`, made from the frozen file, whose SHA-256 it must
///   match), and the stated forecasts of its claims file (the crowd, a superforecaster);
/// - `backtest`: each development crisis of `scenarios/crises/` (a file with its outcomes file)
///   as of its trigger date;
/// - `after-outcome`: the frozen file under today's engine as of 2021-12-28 (its crisis model
///   was built after the outcome was known), and the built-in file, extended after the
///   outcome, at its cut-off and at each of its dated updates (the January 2022 update).
///
/// Engine runs use the default models, [`REPOSITORY_DRAWS`] draws and seed 0, with the default
/// cap on unsolved draws. The resolutions are those of the outcomes files, for the questions
/// forecast.
pub fn repository(root: &std::path::Path) -> Result<RepositoryHistory> {
    use crate::wire::{self, Label, RecordOptions};
    use brink_engine::{Forecast, Loaded, Options};

    let path = |p: &str| root.join(p);
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).map_err(|source| crate::Error::Io {
            path: p.to_path_buf(),
            source,
        })
    };
    let outcomes = |p: &std::path::Path| -> Result<brink_scenario::Outcomes> {
        brink_scenario::load_outcomes_file(p)
            .map_err(|e| crate::Error::Engine(brink_engine::Error::Load(e)))
    };
    let run = |loaded: &Loaded, as_of: Option<Date>| -> Result<Forecast> {
        Ok(Forecast::run(
            loaded,
            &Options {
                draws: REPOSITORY_DRAWS,
                seed: 0,
                as_of,
                ..Options::default()
            },
        )?)
    };
    let mut out = RepositoryHistory::default();
    fn forecast(
        out: &mut RepositoryHistory,
        doc: &Forecast,
        label: Label,
        horizon: Date,
        what: String,
    ) -> Result<()> {
        let es = wire::entries(
            doc,
            &RecordOptions {
                label: Some(label),
                horizon: Some(horizon),
                ..RecordOptions::default()
            },
        )?;
        out.sources
            .push(format!("{}: {} entries, {what}", label.tag(), es.len()));
        out.history.entries.extend(es);
        Ok(())
    }

    // The essay's standoff.
    let name = "ukraine-2021-12";
    let out_path = path(&format!("scenarios/{name}.outcomes.toml"));
    let uo = outcomes(&out_path)?;
    let frozen_path = path(&format!("scenarios/{name}.frozen.toml"));
    let frozen = Loaded::from_file(&frozen_path)?;
    let record_path = path(&format!("scenarios/{name}.record.toml"));
    let record =
        brink_scenario::load_record_str(&read(&record_path)?, &record_path.display().to_string())
            .map_err(|e| crate::Error::Engine(brink_engine::Error::Load(e)))?;
    if record.sha256 != frozen.input.sha256 {
        return Err(crate::Error::NotRecordable {
            file: record_path.display().to_string(),
            message: format!(
                "sha256 {} is not that of {} ({})",
                record.sha256,
                frozen_path.display(),
                frozen.input.sha256
            ),
        });
    }
    let es = wire::record_entries(
        &record,
        &frozen.scenario,
        &record_path.display().to_string(),
    )?;
    let n_record = es.len();
    let horizon_of = |mut es: Vec<Entry>, h: Date| {
        for e in &mut es {
            e.horizon = Some(h);
        }
        es
    };
    out.history.entries.extend(horizon_of(es, uo.horizon));
    out.sources.push(format!(
        "of-record: {n_record} entries, the forecast of record of {} (commit {}), as of {}",
        frozen_path.display(),
        &record.commit[..record.commit.len().min(7)],
        record.as_of
    ));
    // The frozen inputs under today's engine: not a backtest, since the crisis model that
    // scores them (its quantal response, its reference class) was built after this outcome was
    // known; only the forecast of record above is one of record.
    let doc = run(&frozen, None)?;
    forecast(
        &mut out,
        &doc,
        Label::AfterOutcome,
        uo.horizon,
        format!(
            "{} (frozen before the outcome) under today's engine, built after the outcome, as of {}",
            frozen_path.display(),
            doc.scenario.as_of
        ),
    )?;
    let ext_path = path(&format!("scenarios/{name}.toml"));
    let ext = Loaded::from_file(&ext_path)?;
    let mut dates: Vec<Option<Date>> = vec![None];
    dates.extend(ext.scenario.updates.iter().map(|u| Some(u.date)));
    dates.dedup();
    for d in dates {
        let doc = run(&ext, d)?;
        forecast(
            &mut out,
            &doc,
            Label::AfterOutcome,
            uo.horizon,
            format!(
                "{} (extended after the outcome), as of {}",
                ext_path.display(),
                doc.scenario.as_of
            ),
        )?;
    }
    let claims_path = path(&format!("scenarios/{name}.claims.toml"));
    let claims = brink_scenario::load_claims_file(&claims_path)
        .map_err(|e| crate::Error::Engine(brink_engine::Error::Load(e)))?;
    let names: Vec<(String, String)> = frozen
        .scenario
        .crises
        .iter()
        .map(|c| (c.id.clone(), c.name.clone()))
        .collect();
    let (es, skipped) = wire::claims_entries(&claims, &uo, &names);
    out.sources.push(format!(
        "of-record: {} entries, the stated forecasts of {}",
        es.len(),
        claims_path.display()
    ));
    out.history.entries.extend(es);
    out.skipped.extend(skipped);
    out.history
        .resolutions
        .extend(wire::resolutions(&uo, &out_path.display().to_string()));

    // The development crises.
    let dir = path("scenarios/crises");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| crate::Error::Io {
            path: dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && !p.to_string_lossy().ends_with(".outcomes.toml")
        })
        .collect();
    files.sort();
    for f in files {
        let o_path = f.with_extension("outcomes.toml");
        if !o_path.exists() {
            continue;
        }
        let o = outcomes(&o_path)?;
        let loaded = Loaded::from_file(&f)?;
        let doc = run(&loaded, None)?;
        forecast(
            &mut out,
            &doc,
            Label::Backtest,
            o.horizon,
            format!("{} as of {}", f.display(), doc.scenario.as_of),
        )?;
        out.history
            .resolutions
            .extend(wire::resolutions(&o, &o_path.display().to_string()));
    }
    // Only the resolutions of questions forecast.
    let asked: std::collections::HashSet<&str> = out
        .history
        .entries
        .iter()
        .map(|e| e.question.id.as_str())
        .collect();
    let keep: Vec<Resolution> = out
        .history
        .resolutions
        .iter()
        .filter(|r| asked.contains(r.question.as_str()))
        .cloned()
        .collect();
    out.history.resolutions = keep;
    Ok(out)
}
