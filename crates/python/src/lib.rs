//! brink-python: the compiled module `brink._brink` under the pure-Python package `brink`
//! (`python/brink`). It wraps the engine only: it turns Python arguments into the engine's
//! [`Loaded`] and [`Options`], runs the engine's documents, and hands them to Python as the JSON
//! of `docs/schema` (the text `brink ... --format json` prints), from which the pure-Python
//! facade builds its pandas DataFrames. No model logic lives here or in Python.
//!
//! Every run releases the GIL: the engine runs on a worker thread while the calling thread waits
//! with the GIL released, waking every 50 ms to run Python's signal handlers
//! (`Python::check_signals`, which only the main thread can do). A KeyboardInterrupt sets the
//! engine's stop flag, polled before each Monte Carlo draw; the run then returns the draws done,
//! flagged as stopped, like Ctrl-C in the command line.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

use brink_engine::{
    Backtest, CrisisAnalysis, DrawColumns, Error, ErrorKind, Eval, Forecast, Imported, Loaded,
    Observer, Options, Sensitivity, Shard, Solve, Timeline, WhatIf,
};
use pyo3::exceptions::{PyKeyboardInterrupt, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};

/// A document as the command line's `--format json` writes it (pretty, with a final newline).
fn json<T: serde::Serialize>(doc: &T) -> PyResult<String> {
    brink_report::json(doc).map_err(|e| PyRuntimeError::new_err(format!("brink: {e}")))
}

/// An engine error as the facade's exception (`brink._errors`): a scenario that does not load
/// is `ScenarioError` with every problem; other bad input `InputError`; the rest `BrinkError`.
fn py_err(py: Python<'_>, e: Error) -> PyErr {
    let made = (|| -> PyResult<PyErr> {
        let errors = py.import("brink._errors")?;
        let msg = e.to_string();
        let exc = match (&e, e.kind()) {
            (Error::Load(le), _) if !le.diagnostics().is_empty() => {
                let problems = PyList::empty(py);
                for d in le.diagnostics() {
                    let p = PyDict::new(py);
                    p.set_item("file", &d.file)?;
                    p.set_item("line", d.line)?;
                    p.set_item("column", d.column)?;
                    p.set_item("field", &d.path)?;
                    p.set_item("message", &d.message)?;
                    p.set_item("omitted", d.omitted)?;
                    problems.append(p)?;
                }
                errors.getattr("ScenarioError")?.call1((msg, problems))?
            }
            (_, ErrorKind::BadInput) => errors.getattr("InputError")?.call1((msg,))?,
            _ => errors.getattr("BrinkError")?.call1((msg,))?,
        };
        Ok(PyErr::from_value(exc))
    })();
    made.unwrap_or_else(|err| err)
}

/// The observer of a run from Python: a stop flag set on KeyboardInterrupt, and the draws when
/// they are kept.
#[derive(Default)]
struct Watch {
    stop: AtomicBool,
    keep: bool,
    draws: Mutex<Kept>,
}

/// The kept draws: columns, then rows flattened (inputs, forecasts, crises' outcome
/// probabilities and the types drawn apart).
#[derive(Default)]
struct Kept {
    inputs: Vec<String>,
    forecasts: Vec<String>,
    crises: Vec<String>,
    types: Vec<String>,
    index: Vec<u64>,
    input_values: Vec<f64>,
    forecast_values: Vec<f64>,
    crisis_values: Vec<f64>,
    type_values: Vec<String>,
}

impl Observer for Watch {
    fn cancelled(&self) -> bool {
        self.stop.load(Ordering::SeqCst)
    }

    fn keeps_draws(&self) -> bool {
        self.keep
    }

    fn draw_columns(&self, columns: &DrawColumns) {
        if let Ok(mut k) = self.draws.lock() {
            k.inputs = columns.inputs.clone();
            k.forecasts = columns.forecasts.clone();
            k.crises = columns.crises.clone();
            k.types = columns.types.clone();
        }
    }

    fn draw(&self, index: u64, inputs: &[f64], forecasts: &[f64], crises: &[f64], types: &[&str]) {
        if let Ok(mut k) = self.draws.lock() {
            k.index.push(index);
            k.input_values.extend_from_slice(inputs);
            k.forecast_values.extend_from_slice(forecasts);
            k.crisis_values.extend_from_slice(crises);
            k.type_values.extend(types.iter().map(|t| t.to_string()));
        }
    }
}

/// Runs `f` on a worker thread with the GIL released, running Python's signal handlers while
/// it works. On KeyboardInterrupt it sets `watch`'s stop flag and lets `f` return what it has;
/// the second value says whether that happened. Another exception from a signal handler stops
/// the run too and is raised.
fn interruptible<T: Send>(
    py: Python<'_>,
    watch: &Watch,
    f: impl FnOnce() -> T + Send,
) -> PyResult<(T, bool)> {
    std::thread::scope(|s| {
        let (tx, rx) = mpsc::channel();
        let worker = s.spawn(move || {
            let out = f();
            let _ = tx.send(());
            out
        });
        let mut interrupted = false;
        let mut raised: Option<PyErr> = None;
        let mut rx = Some(rx);
        loop {
            // The receiver is moved into the GIL-free wait and back (it may not be shared).
            let (back, wait) = py.allow_threads(move || {
                let r = rx.take().map(|r| {
                    let w = r.recv_timeout(Duration::from_millis(50));
                    (r, w)
                });
                match r {
                    Some((r, w)) => (Some(r), w),
                    None => (None, Err(mpsc::RecvTimeoutError::Disconnected)),
                }
            });
            rx = back;
            match wait {
                Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {}
            }
            if interrupted || raised.is_some() {
                continue;
            }
            if let Err(e) = py.check_signals() {
                watch.stop.store(true, Ordering::SeqCst);
                if e.is_instance_of::<PyKeyboardInterrupt>(py) {
                    interrupted = true;
                } else {
                    raised = Some(e);
                }
            }
        }
        let out = py
            .allow_threads(|| worker.join())
            .map_err(|_| PyRuntimeError::new_err("brink: internal error: the run panicked"))?;
        match raised {
            Some(e) => Err(e),
            None => Ok((out, interrupted)),
        }
    })
}

/// The result of a computation that cannot stop early (everything but a forecast's Monte Carlo
/// run and a crisis analysis's threshold search): a KeyboardInterrupt during it is raised once it
/// has finished.
fn uninterrupted<T>((out, interrupted): (T, bool)) -> PyResult<T> {
    if interrupted {
        Err(PyKeyboardInterrupt::new_err(
            "brink stops only Monte Carlo runs and crisis threshold searches early",
        ))
    } else {
        Ok(out)
    }
}

/// Options from the keyword arguments every run shares.
#[allow(clippy::too_many_arguments)]
fn options(
    py: Python<'_>,
    models: Option<Vec<String>>,
    rounds: Option<usize>,
    seed: u64,
    draws: u64,
    threads: Option<usize>,
    as_of: Option<&str>,
    explain: bool,
    watch: Arc<Watch>,
) -> PyResult<Options> {
    if let Err(e) = brink_montecarlo::check_draws(draws) {
        return Err(py_err(py, Error::Input(format!("draws: {e}"))));
    }
    let as_of = as_of
        .map(|d| brink_engine::parse_date(d, "as_of"))
        .transpose()
        .map_err(|e| py_err(py, e))?;
    Ok(Options {
        models: models.unwrap_or_default(),
        rounds: rounds.unwrap_or(Options::default().rounds),
        seed,
        draws,
        threads,
        as_of,
        explain,
        observer: watch,
        ..Options::default()
    })
}

/// A scenario, loaded and validated, with where it came from.
#[pyclass(module = "brink._brink", frozen)]
struct Scenario {
    loaded: Arc<Loaded>,
}

#[pymethods]
impl Scenario {
    /// The built-in scenario `ukraine-2021-12`.
    #[staticmethod]
    fn builtin(py: Python<'_>) -> PyResult<Self> {
        let loaded = Loaded::builtin().map_err(|e| py_err(py, e))?;
        Ok(Scenario {
            loaded: Arc::new(loaded),
        })
    }

    /// A scenario from its TOML text; `name` names it in messages and documents.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str, name: &str) -> PyResult<Self> {
        let loaded = Loaded::from_toml(text, name).map_err(|e| py_err(py, e))?;
        Ok(Scenario {
            loaded: Arc::new(loaded),
        })
    }

    /// A scenario file.
    #[staticmethod]
    fn from_file(py: Python<'_>, path: &str) -> PyResult<Self> {
        let loaded = Loaded::from_file(std::path::Path::new(path)).map_err(|e| py_err(py, e))?;
        Ok(Scenario {
            loaded: Arc::new(loaded),
        })
    }

    /// The scenario's id.
    #[getter]
    fn id(&self) -> String {
        self.loaded.scenario.id.clone()
    }

    /// Its title.
    #[getter]
    fn title(&self) -> String {
        self.loaded.scenario.title.clone()
    }

    /// Its cut-off date.
    #[getter]
    fn as_of(&self) -> String {
        self.loaded.scenario.as_of.to_string()
    }

    /// The file it was read from, as given.
    #[getter]
    fn file(&self) -> String {
        self.loaded.input.file.clone()
    }

    /// The SHA-256 of its text.
    #[getter]
    fn sha256(&self) -> String {
        self.loaded.input.sha256.clone()
    }

    /// The scenario as TOML.
    fn to_toml(&self) -> String {
        brink_scenario::scenario_to_toml(&self.loaded.scenario)
    }

    /// Every numeric input: (key, description, point value, low and high end of its valid
    /// range, whether it is uncertain).
    fn inputs(&self) -> Vec<(String, String, f64, f64, f64, bool)> {
        let sc = &self.loaded.scenario;
        let point = sc.point_values();
        let uncertain: Vec<String> = brink_montecarlo::InputRef::uncertain(sc)
            .iter()
            .map(|i| i.key(sc))
            .collect();
        brink_montecarlo::InputRef::all(sc)
            .iter()
            .map(|i| {
                let key = i.key(sc);
                let (lo, hi) = i.valid(sc);
                let u = uncertain.contains(&key);
                (key, i.describe(sc), i.get(&point), lo, hi, u)
            })
            .collect()
    }

    /// The scenario with inputs fixed at values (`KEY=VALUE` each, as `brink whatif --set`),
    /// named `name`.
    fn with_values(&self, py: Python<'_>, changes: Vec<String>, name: &str) -> PyResult<Self> {
        let sc = &self.loaded.scenario;
        let mut changed = sc.clone();
        for text in &changes {
            let (input, v, _) =
                brink_engine::series::parse_change(sc, text).map_err(|e| py_err(py, e))?;
            input.fix(&mut changed, v);
        }
        Ok(Scenario {
            loaded: Arc::new(Loaded::from_scenario(changed, name)),
        })
    }

    /// The forecast document (JSON), whether a KeyboardInterrupt stopped it, and the kept
    /// draws: (input keys, forecast columns, draw indices, input values, forecast values as
    /// little-endian float64 bytes, row-major), or None.
    #[pyo3(signature = (models=None, rounds=None, seed=0, draws=0, threads=None, as_of=None, explain=false, keep_draws=false))]
    #[allow(clippy::too_many_arguments, clippy::type_complexity)]
    fn run(
        &self,
        py: Python<'_>,
        models: Option<Vec<String>>,
        rounds: Option<usize>,
        seed: u64,
        draws: u64,
        threads: Option<usize>,
        as_of: Option<&str>,
        explain: bool,
        keep_draws: bool,
    ) -> PyResult<(String, bool, PyObject)> {
        if keep_draws {
            if let Err(e) = brink_montecarlo::check_kept_draws(draws) {
                return Err(py_err(py, Error::Input(format!("keep_draws: {e}"))));
            }
        }
        let watch = Arc::new(Watch {
            keep: keep_draws,
            ..Watch::default()
        });
        let opts = options(
            py,
            models,
            rounds,
            seed,
            draws,
            threads,
            as_of,
            explain,
            watch.clone(),
        )?;
        let loaded = self.loaded.clone();
        let (doc, interrupted) = interruptible(py, &watch, || Forecast::run(&loaded, &opts))?;
        let doc = doc.map_err(|e| py_err(py, e))?;
        let kept = if keep_draws {
            let k = watch
                .draws
                .lock()
                .map_err(|_| PyRuntimeError::new_err("brink: the kept draws are lost"))?;
            let bytes = |xs: &[f64]| {
                let mut b = Vec::with_capacity(xs.len() * 8);
                for x in xs {
                    b.extend_from_slice(&x.to_le_bytes());
                }
                b
            };
            (
                (
                    k.inputs.clone(),
                    k.forecasts.clone(),
                    k.crises.clone(),
                    k.types.clone(),
                ),
                k.index.clone(),
                PyBytes::new(py, &bytes(&k.input_values)),
                PyBytes::new(py, &bytes(&k.forecast_values)),
                PyBytes::new(py, &bytes(&k.crisis_values)),
                k.type_values.clone(),
            )
                .into_pyobject(py)?
                .into_any()
                .unbind()
        } else {
            py.None()
        };
        Ok((json(&doc)?, interrupted, kept))
    }

    /// Chunks `start..end` of the Monte Carlo run that `run` would make with the same
    /// arguments, as bytes for `merge_shards` (in any process).
    #[pyo3(signature = (start, end, models=None, rounds=None, seed=0, draws=0, threads=None, as_of=None))]
    #[allow(clippy::too_many_arguments)]
    fn run_shard<'py>(
        &self,
        py: Python<'py>,
        start: u64,
        end: u64,
        models: Option<Vec<String>>,
        rounds: Option<usize>,
        seed: u64,
        draws: u64,
        threads: Option<usize>,
        as_of: Option<&str>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let watch = Arc::new(Watch::default());
        let opts = options(
            py,
            models,
            rounds,
            seed,
            draws,
            threads,
            as_of,
            false,
            watch.clone(),
        )?;
        let loaded = self.loaded.clone();
        let (shard, _) = interruptible(py, &watch, || {
            Forecast::run_shard(&loaded, &opts, start..end)
        })?;
        let shard = shard.map_err(|e| py_err(py, e))?;
        Ok(PyBytes::new(py, &shard.to_bytes()))
    }

    /// The forecast document (JSON) of the run whose chunks the shards hold: the document
    /// `run` gives with the same arguments.
    #[pyo3(signature = (shards, models=None, rounds=None, seed=0, draws=0, threads=None, as_of=None))]
    #[allow(clippy::too_many_arguments)]
    fn merge_shards(
        &self,
        py: Python<'_>,
        shards: Vec<Bound<'_, PyBytes>>,
        models: Option<Vec<String>>,
        rounds: Option<usize>,
        seed: u64,
        draws: u64,
        threads: Option<usize>,
        as_of: Option<&str>,
    ) -> PyResult<String> {
        let watch = Arc::new(Watch::default());
        let opts = options(
            py,
            models,
            rounds,
            seed,
            draws,
            threads,
            as_of,
            false,
            watch.clone(),
        )?;
        let shards = shards
            .iter()
            .map(|b| Shard::from_bytes(b.as_bytes()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| py_err(py, e))?;
        let loaded = self.loaded.clone();
        let doc = uninterrupted(interruptible(py, &watch, || {
            Forecast::merge_shards(&loaded, &opts, shards)
        })?)?;
        json(&doc.map_err(|e| py_err(py, e))?)
    }

    /// The number of Monte Carlo chunks of a run of `draws` draws.
    #[staticmethod]
    fn chunk_count(draws: u64) -> u64 {
        Forecast::chunk_count(&Options {
            draws,
            ..Options::default()
        })
    }

    /// The crisis analysis document (JSON): each crisis's equilibrium and every input's
    /// thresholds (`samples` grid points per input).
    #[pyo3(signature = (samples=60, rounds=None, seed=0, threads=None))]
    fn crisis(
        &self,
        py: Python<'_>,
        samples: usize,
        rounds: Option<usize>,
        seed: u64,
        threads: Option<usize>,
    ) -> PyResult<(String, bool)> {
        let watch = Arc::new(Watch::default());
        let opts = options(
            py,
            None,
            rounds,
            seed,
            0,
            threads,
            None,
            false,
            watch.clone(),
        )?;
        let loaded = self.loaded.clone();
        let (doc, stopped) =
            interruptible(py, &watch, || CrisisAnalysis::run(&loaded, &opts, samples))?;
        Ok((json(&doc.map_err(|e| py_err(py, e))?)?, stopped))
    }

    /// The sensitivity document (JSON).
    #[pyo3(signature = (models=None, draws=2000, seed=0, threads=None))]
    fn sensitivity(
        &self,
        py: Python<'_>,
        models: Option<Vec<String>>,
        draws: u64,
        seed: u64,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let watch = Arc::new(Watch::default());
        let opts = options(
            py,
            models,
            None,
            seed,
            draws,
            threads,
            None,
            false,
            watch.clone(),
        )?;
        let loaded = self.loaded.clone();
        let doc = uninterrupted(interruptible(py, &watch, || {
            Sensitivity::run(&loaded, &opts)
        })?)?;
        json(&doc.map_err(|e| py_err(py, e))?)
    }

    /// The what-if document (JSON): the forecasts as given and with each change.
    #[pyo3(signature = (changes, models=None, threads=None))]
    fn whatif(
        &self,
        py: Python<'_>,
        changes: Vec<String>,
        models: Option<Vec<String>>,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let watch = Arc::new(Watch::default());
        let opts = options(py, models, None, 0, 0, threads, None, false, watch.clone())?;
        let loaded = self.loaded.clone();
        let doc = uninterrupted(interruptible(py, &watch, || {
            WhatIf::run(&loaded, &changes, &opts)
        })?)?;
        json(&doc.map_err(|e| py_err(py, e))?)
    }

    /// The timeline document (JSON): the forecasts at the cut-off and at each dated update.
    #[pyo3(signature = (models=None, threads=None))]
    fn timeline(
        &self,
        py: Python<'_>,
        models: Option<Vec<String>>,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let watch = Arc::new(Watch::default());
        let opts = options(py, models, None, 0, 0, threads, None, false, watch.clone())?;
        let loaded = self.loaded.clone();
        let doc = uninterrupted(interruptible(py, &watch, || Timeline::run(&loaded, &opts))?)?;
        json(&doc.map_err(|e| py_err(py, e))?)
    }

    /// The backtest document (JSON) against an outcomes file (and a claims file).
    #[pyo3(signature = (outcomes, claims=None, models=None, draws=2000, seed=0, as_of=None, threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn backtest(
        &self,
        py: Python<'_>,
        outcomes: &str,
        claims: Option<&str>,
        models: Option<Vec<String>>,
        draws: u64,
        seed: u64,
        as_of: Option<&str>,
        threads: Option<usize>,
    ) -> PyResult<String> {
        let watch = Arc::new(Watch::default());
        let opts = options(
            py,
            models,
            None,
            seed,
            draws,
            threads,
            as_of,
            false,
            watch.clone(),
        )?;
        let loaded = self.loaded.clone();
        let (outcomes, claims) = (
            std::path::PathBuf::from(outcomes),
            claims.map(std::path::PathBuf::from),
        );
        let doc = uninterrupted(interruptible(py, &watch, || {
            Backtest::run(&loaded, &outcomes, claims.as_deref(), &opts)
        })?)?;
        json(&doc.map_err(|e| py_err(py, e))?)
    }
}

/// The evaluation document (JSON) of the models on a data set: a DEU III TSV file or a
/// scenario with its outcomes file; `errors`: the predictive distributions' error models
/// (`auto`, `shipped`, `cv`, as `brink eval --errors`).
#[pyfunction]
#[pyo3(signature = (path, outcomes=None, models=None, resamples=2000, seed=0, threads=None, errors="auto"))]
#[allow(clippy::too_many_arguments)]
fn eval_file(
    py: Python<'_>,
    path: &str,
    outcomes: Option<&str>,
    models: Option<Vec<String>>,
    resamples: usize,
    seed: u64,
    threads: Option<usize>,
    errors: &str,
) -> PyResult<String> {
    let errors = match errors {
        "auto" => brink_engine::ErrorChoice::Auto,
        "shipped" => brink_engine::ErrorChoice::Shipped,
        "cv" => brink_engine::ErrorChoice::CrossValidated,
        other => {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "errors={other:?}: expected \"auto\", \"shipped\" or \"cv\""
            )))
        }
    };
    let data = brink_engine::Dataset::load(
        std::path::Path::new(path),
        outcomes.map(std::path::Path::new),
    )
    .map_err(|e| py_err(py, e))?;
    let watch = Arc::new(Watch::default());
    let opts = options(
        py,
        models,
        None,
        seed,
        0,
        threads,
        None,
        false,
        watch.clone(),
    )?;
    let doc = uninterrupted(interruptible(py, &watch, || {
        Eval::run_with(&data, &opts, resamples, errors)
    })?)?;
    json(&doc.map_err(|e| py_err(py, e))?)
}

/// The check document (JSON) of a scenario file, with an outcomes file and an onset addendum
/// checked against it when given: what the files hold, or, when they do not load, every problem
/// (`ok` false) instead of an exception, as `brink check --format json` writes it.
#[pyfunction]
#[pyo3(signature = (path, outcomes=None, onset=None))]
fn check_file(
    py: Python<'_>,
    path: &str,
    outcomes: Option<&str>,
    onset: Option<&str>,
) -> PyResult<String> {
    let p = std::path::Path::new(path);
    match brink_engine::Check::run_with_onset(
        p,
        outcomes.map(std::path::Path::new),
        onset.map(std::path::Path::new),
    ) {
        Ok(doc) => json(&doc),
        Err(e) => match brink_engine::Check::failed(p, &e) {
            Some(doc) => json(&doc),
            None => Err(py_err(py, e)),
        },
    }
}

/// The solve document (JSON) of a Gambit extensive-form game given as text.
#[pyfunction]
#[pyo3(signature = (text, name, beliefs="supporting"))]
fn solve_efg(py: Python<'_>, text: &str, name: &str, beliefs: &str) -> PyResult<String> {
    let watch = Watch::default();
    let doc = uninterrupted(interruptible(py, &watch, || {
        Solve::run(text, name, beliefs)
    })?)?;
    json(&doc.map_err(|e| py_err(py, e))?)
}

/// Another tool's input converted: (id, scenario TOML, outcomes TOML or None).
#[pyfunction]
fn import_file(
    py: Python<'_>,
    fmt: &str,
    path: &str,
) -> PyResult<(String, String, Option<String>)> {
    let imp = Imported::run(fmt, std::path::Path::new(path)).map_err(|e| py_err(py, e))?;
    Ok((imp.id, imp.scenario_toml, imp.outcomes.map(|(t, _)| t)))
}

/// The models brink knows (JSON list of name, summary, default).
#[pyfunction]
fn models() -> PyResult<String> {
    json(&brink_engine::models())
}

/// A forecast document (JSON) as the command line's table (`brink run`, `--explain`).
#[pyfunction]
#[pyo3(signature = (doc, explain=false))]
fn render_forecast(doc: &str, explain: bool) -> PyResult<String> {
    let doc: Forecast = serde_json::from_str(doc)
        .map_err(|e| PyValueError::new_err(format!("not a forecast document: {e}")))?;
    Ok(brink_report::text::forecast(&doc, explain))
}

/// The compiled part of the `brink` package.
#[pymodule]
fn _brink(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Scenario>()?;
    m.add_function(wrap_pyfunction!(eval_file, m)?)?;
    m.add_function(wrap_pyfunction!(check_file, m)?)?;
    m.add_function(wrap_pyfunction!(solve_efg, m)?)?;
    m.add_function(wrap_pyfunction!(import_file, m)?)?;
    m.add_function(wrap_pyfunction!(models, m)?)?;
    m.add_function(wrap_pyfunction!(render_forecast, m)?)?;
    m.add("SCHEMA_VERSION", brink_engine::SCHEMA_VERSION)?;
    m.add("BRINK_VERSION", brink_engine::doc::BRINK_VERSION)?;
    Ok(())
}
