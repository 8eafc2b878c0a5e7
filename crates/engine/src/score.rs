//! Scoring (backtests, evaluations on known outcomes) and the small documents: check, import,
//! the list of models.

use std::path::Path;

use brink_bargain::Params;
use brink_eval::probabilistic::ErrorChoice;
use brink_scenario::import::{self, Format};
use brink_scenario::{Claims, Outcomes};

use crate::doc::{
    Backtest, Check, CheckedOnset, CheckedOutcomes, ErrorModelsUsed, Eval, EvalIcb, Header,
    Imported, InputInfo, ModelInfo, Problem, ScenarioInfo,
};
use crate::error::{Error, Result};
use crate::input::{
    check_outcomes_for_scoring, claims_file, outcomes_file, read_text, refclass_error, sha256_hex,
    Dataset, IcbDataset, Loaded,
};
use crate::options::{at_date, Options};
use crate::worlds::{mix_value, mixed_runs, worlds, Use};

/// The models `eval` scores when none is named.
pub const EVAL_MODELS: &[&str] = &[
    "compromise",
    "compromise-equal",
    "median",
    "nash",
    "nash-quadratic",
    "smp",
];

impl Backtest {
    /// Scores the scenario's forecasts as known on `opts.as_of` against an outcomes file (and
    /// its sources' worded forecasts in a claims file): issues by absolute error of each
    /// model's mixed forecast, crises by the Brier and log scores of the game's outcome
    /// probabilities over the Monte Carlo draws (`opts.draws`, at least one, seeded with
    /// `opts.seed`), each draw played as the quantal response equilibrium at
    /// `brink_calib::LAMBDA`, as `run` plays it. Reads every field of
    /// [`Options`] but `explain`.
    pub fn run(
        loaded: &Loaded,
        outcomes: &Path,
        claims: Option<&Path>,
        opts: &Options,
    ) -> Result<Backtest> {
        let out = brink_scenario::load_outcomes_file(outcomes)?;
        let cl = claims.map(claims_file).transpose()?;
        Self::run_with(
            loaded,
            &out,
            &outcomes.display().to_string(),
            cl.as_ref().map(|c| {
                (
                    c,
                    claims.map(|p| p.display().to_string()).unwrap_or_default(),
                )
            }),
            opts,
        )
    }

    /// [`Backtest::run`] on outcomes and claims already loaded (`outcomes_name`, the claims'
    /// name: as the document names them).
    pub fn run_with(
        loaded: &Loaded,
        outcomes: &Outcomes,
        outcomes_name: &str,
        claims: Option<(&Claims, String)>,
        opts: &Options,
    ) -> Result<Backtest> {
        let (_, sc) = at_date(&loaded.scenario, opts.as_of)?;
        check_outcomes_for_scoring(outcomes, &sc, outcomes_name)?;
        let models = opts.models()?;
        let widen = crate::predict::factors(&sc, opts.widen, &loaded.input.file)?;
        let params = Params {
            seed: opts.seed,
            rounds: opts.rounds,
            explain: false,
        };
        opts.in_pool(|| -> Result<Backtest> {
            let ws = worlds(&sc, Use::Forecast);
            let fc: Vec<(String, Vec<Option<f64>>)> = mixed_runs(&sc, &ws, &models, &params)
                .into_iter()
                .map(|(m, fs)| (m, fs.iter().map(|f| f.value()).collect()))
                .collect();
            let mut collected = crate::predict::collector(&sc, &models);
            let mc = crate::mc::monte_carlo(
                &sc,
                &models,
                &params,
                opts.draws.max(1),
                opts.seed,
                Some(brink_calib::LAMBDA),
                opts.observer.as_ref(),
                Some(&mut collected),
            );
            let mixed = mc.draws_done.min(crate::predict::MAX_PREDICTIVE_DRAWS);
            if mixed == 0 {
                collected = crate::predict::on_points(&sc, &models, &params);
            }
            let preds = crate::predict::predictions(&sc, &models, &collected, &widen)?;
            let distributions =
                brink_eval::backtest_dist::backtest_distributions(&sc, outcomes, &fc, &preds);
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
            let bt = brink_eval::backtest::backtest(
                &sc,
                outcomes,
                &fc,
                &cp,
                claims.as_ref().map(|c| c.0),
            );
            let crisis_views = crate::views::scored(&sc, outcomes, &mc, opts.seed);
            Ok(Backtest {
                header: Header::new("backtest"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(&sc),
                outcomes: outcomes_name.to_string(),
                claims: claims.as_ref().map(|c| c.1.clone()),
                draws: mc.draws_done,
                seed: opts.seed,
                stopped: mc.stopped,
                backtest: bt,
                predictive: crate::predict::info(opts.widen, mixed)?,
                distributions,
                crisis_views,
            })
        })?
    }
}

impl Eval {
    /// Scores the models (default: [`EVAL_MODELS`]) and the baselines (the reference point, the
    /// Commission's position where the data have it, the institutional compromise
    /// cross-validated by proposal) against the data set's outcomes: MAE, RMSE, median error,
    /// share beating the compromise model, with 95% intervals from `resamples` bootstrap
    /// resamples of proposals seeded with `opts.seed`. Multi-issue models run per proposal,
    /// with `opts.rounds` and tie-breaking seed 0.
    /// The predictive distributions get the error models [`ErrorChoice::Auto`] picks: the
    /// shipped ones on data they were not fitted on, else ones cross-validated on the data.
    pub fn run(data: &Dataset, opts: &Options, resamples: usize) -> Result<Eval> {
        Self::run_with(data, opts, resamples, ErrorChoice::Auto)
    }

    /// [`Eval::run`] with the error models of the predictive distributions chosen by `errors`.
    pub fn run_with(
        data: &Dataset,
        opts: &Options,
        resamples: usize,
        errors: ErrorChoice,
    ) -> Result<Eval> {
        brink_eval::check_resamples(resamples)
            .map_err(|e| Error::input(format!("--resamples: {e}")))?;
        let models = opts.models_or(EVAL_MODELS)?;
        let sc = &data.scenario;
        let params = Params {
            rounds: opts.rounds,
            ..Params::default()
        };
        opts.in_pool(|| {
            let ws = worlds(sc, Use::Eval);
            let per: Vec<Vec<brink_eval::Forecasts>> = ws
                .iter()
                .map(|w| brink_eval::run_models(&w.scenario, &models, &params, true))
                .collect();
            let mut fc = if per.len() == 1 {
                per.into_iter().next().unwrap_or_default()
            } else {
                (0..models.len())
                    .map(|m| brink_eval::Forecasts {
                        name: per[0][m].name.clone(),
                        values: (0..sc.issues.len())
                            .map(|k| {
                                mix_value(
                                    ws.iter().zip(&per).map(|(w, p)| (w.weight, p[m].values[k])),
                                )
                            })
                            .collect(),
                    })
                    .collect()
            };
            fc.extend(brink_eval::baselines(sc, Some("com")));
            let outcome: Vec<Option<f64>> = sc
                .issues
                .iter()
                .map(|is| data.outcomes.value_of(&is.id))
                .collect();
            let cv = brink_eval::better::cross_validate(sc, &outcome, &["com", "ep"]);
            if let Some(cv) = &cv {
                fc.push(cv.forecasts.clone());
            }
            let chosen = brink_eval::probabilistic::choose_errors(sc, &data.outcomes, errors)
                .map_err(|e| Error::input(format!("{}: {e}", data.name)))?;
            let mut predictive = brink_eval::probabilistic::evaluate_predictive(
                sc,
                &data.outcomes,
                &fc,
                chosen.source,
                resamples,
                opts.seed,
            )
            .map_err(|e| Error::input(format!("{}: {e}", data.name)))?;
            predictive.source = format!("{}; {}", predictive.source, chosen.why);
            Ok(Eval {
                header: Header::new("eval"),
                input: InputInfo {
                    file: data.name.clone(),
                    sha256: data.sha256.clone(),
                },
                evaluation: brink_eval::evaluate(sc, &data.outcomes, &fc, resamples, opts.seed),
                predictive,
                error_models: ErrorModelsUsed {
                    used: chosen.used,
                    asked: errors,
                    scored_proposals: chosen.scored_proposals,
                    shared_proposals: chosen.shared_proposals,
                },
                cross_validation: cv.map(|c| c.chosen),
            })
        })?
    }
}

impl EvalIcb {
    /// Scores the outside view on an ICB file (`brink_refclass::evaluate`): every row with a
    /// VIOL code forecast from its onset values, by models fitted on `train` (default: the
    /// shipped development file of the scored file's level) and never on the rows they score:
    /// if the two files share crises, by 10-fold cross-validation by crisis (each fold's crises
    /// left out of the training), otherwise fitted once. Intervals from `resamples` bootstrap
    /// resamples of crises seeded with `opts.seed`; the fits run in `opts.threads` threads (same
    /// numbers whatever the count). Reads no other field of [`Options`].
    pub fn run(
        scored: &IcbDataset,
        train: Option<&IcbDataset>,
        opts: &Options,
        resamples: usize,
    ) -> Result<EvalIcb> {
        let builtin;
        let train = match train {
            Some(t) => t,
            None => {
                builtin = IcbDataset::builtin(scored.data.level());
                &builtin
            }
        };
        let eval_opts = brink_refclass::EvalOptions {
            bootstrap: resamples,
            seed: opts.seed,
            ..Default::default()
        };
        let evaluation = opts.in_pool(|| {
            brink_refclass::evaluate(&scored.data, &train.data, &eval_opts).map_err(refclass_error)
        })??;
        let mut scored_ids: Vec<u32> = evaluation.rows.iter().map(|r| r.crisno).collect();
        scored_ids.sort_unstable();
        scored_ids.dedup();
        // The training crises with a VIOL code (the only rows a fit uses).
        let train_ids: std::collections::BTreeSet<u32> = match &train.data.rows {
            brink_refclass::IcbRows::System(r) => r
                .iter()
                .filter(|r| r.viol.is_some())
                .map(|r| r.crisno)
                .collect(),
            brink_refclass::IcbRows::Actor(r) => r
                .iter()
                .filter(|r| r.viol.is_some())
                .map(|r| r.crisno)
                .collect(),
        };
        let left_out_of_training = scored_ids
            .into_iter()
            .filter(|c| train_ids.contains(c))
            .collect();
        Ok(EvalIcb {
            header: Header::new("eval_icb"),
            input: scored.input.clone(),
            train: train.input.clone(),
            left_out_of_training,
            evaluation,
        })
    }

    /// Every scored row's forecasts as CSV: crisis number, name, VIOL, outer fold, then per
    /// model its P(VIOL >= 2), P(VIOL >= 3), P(VIOL = 4).
    pub fn per_row_csv(&self) -> String {
        let mut out = String::from("crisno,name,viol,fold");
        for m in brink_refclass::eval::MODELS {
            for t in ["any_violence", "serious_or_war", "war"] {
                out.push_str(&format!(",{m}_{t}"));
            }
        }
        out.push('\n');
        for r in &self.evaluation.rows {
            let name = if r.name.contains([',', '"']) {
                format!("\"{}\"", r.name.replace('"', "\"\""))
            } else {
                r.name.clone()
            };
            out.push_str(&format!(
                "{},{name},{},{}",
                r.crisno,
                r.viol,
                r.fold.map(|f| f.to_string()).unwrap_or_default()
            ));
            for p in r.forecasts.iter().flatten() {
                out.push_str(&format!(",{p:.6}"));
            }
            out.push('\n');
        }
        out
    }
}

impl Check {
    /// Loads and validates a scenario file (and an outcomes file against it), reporting every
    /// problem at once with file, line and field.
    pub fn run(scenario: &Path, outcomes: Option<&Path>) -> Result<Check> {
        Self::run_with_onset(scenario, outcomes, None)
    }

    /// The document of a check that failed with `error` (bad input): every problem, with its
    /// file, line, column and field where the error has them (a scenario or outcomes file that
    /// does not load), else one problem in words (e.g. a file that cannot be read). `None` for an
    /// internal error.
    pub fn failed(scenario: &Path, error: &Error) -> Option<Check> {
        if error.kind() != crate::ErrorKind::BadInput {
            return None;
        }
        let file = scenario.display().to_string();
        let problems = match error {
            Error::Load(le) if !le.diagnostics().is_empty() => le
                .diagnostics()
                .iter()
                .map(|d| Problem {
                    file: d.file.clone(),
                    line: Some(d.line),
                    column: Some(d.column),
                    field: d.path.clone(),
                    message: d.message.clone(),
                    omitted: d.omitted,
                })
                .collect(),
            other => vec![Problem {
                file: file.clone(),
                line: None,
                column: None,
                field: String::new(),
                message: other.to_string(),
                omitted: 0,
            }],
        };
        Some(Check {
            header: Header::new("check"),
            input: InputInfo {
                file,
                sha256: read_text(scenario)
                    .map(|t| sha256_hex(&t))
                    .unwrap_or_default(),
            },
            ok: false,
            problems,
            actors: None,
            issues: None,
            stances: None,
            sources: None,
            outcomes: None,
            onset: None,
            warnings: Vec::new(),
        })
    }

    /// [`Check::run`], and an onset addendum (`NAME.onset.toml`) checked against the scenario
    /// (its SHA-256, its crises) and applied.
    pub fn run_with_onset(
        scenario: &Path,
        outcomes: Option<&Path>,
        onset: Option<&Path>,
    ) -> Result<Check> {
        // Read and parsed once: the counts, the outcomes and the onset addendum all use it.
        let loaded = Loaded::from_file(scenario)?;
        let sc = &loaded.scenario;
        let outcomes = match outcomes {
            Some(o) => {
                let out = outcomes_file(o, sc)?;
                Some(CheckedOutcomes {
                    file: o.display().to_string(),
                    outcomes: out.issues.len(),
                })
            }
            None => None,
        };
        let onset = match onset {
            Some(o) => {
                let with = loaded.clone().with_onset(o)?;
                let crises = &with.scenario.crises;
                Some(CheckedOnset {
                    file: o.display().to_string(),
                    crises_with_onset: crises.iter().filter(|c| c.onset.is_some()).count(),
                    crises: crises.len(),
                    applied: with.input.file.clone(),
                })
            }
            None => None,
        };
        Ok(Check {
            header: Header::new("check"),
            input: loaded.input.clone(),
            ok: true,
            problems: Vec::new(),
            actors: Some(sc.actors.len()),
            issues: Some(sc.issues.len()),
            stances: Some(sc.stances.len()),
            sources: Some(sc.sources.len()),
            outcomes,
            onset,
            warnings: brink_scenario::warnings(sc)
                .iter()
                .map(ToString::to_string)
                .collect(),
        })
    }
}

impl Imported {
    /// Converts another tool's input (`from`: `ktab`, `bdm`, `decide` or `deu`) into a brink
    /// scenario, and outcomes where the data have them.
    pub fn run(from: &str, file: &Path) -> Result<Imported> {
        let Some(fmt) = Format::parse(from) else {
            return Err(Error::input(format!(
                "unknown format `{from}`: expected ktab, bdm, decide or deu"
            )));
        };
        let text = read_text(file)?;
        let imp = import::import(fmt, &text, &file.display().to_string())
            .map_err(|e| Error::input(e.to_string()))?;
        Ok(Imported {
            id: imp.scenario.id.clone(),
            scenario_toml: brink_scenario::scenario_to_toml(&imp.scenario),
            actors: imp.scenario.actors.len(),
            issues: imp.scenario.issues.len(),
            stances: imp.scenario.stances.len(),
            outcomes: imp
                .outcomes
                .as_ref()
                .map(|o| (brink_scenario::outcomes_to_toml(o), o.issues.len())),
            notes: imp.notes,
        })
    }
}

/// The models brink knows, in the registry's order.
pub fn models() -> Vec<ModelInfo> {
    brink_bargain::registry()
        .iter()
        .map(|m| ModelInfo {
            name: m.name().to_string(),
            summary: m.summary().to_string(),
            default: brink_bargain::DEFAULT_MODELS.contains(&m.name()),
        })
        .collect()
}
