//! Forecast runs for the page: the engine's documents, streamed as NDJSON events on the request's
//! socket (chunked), with progress from the engine's [`Observer`] and a stop flag the page (or a
//! newer run, or the page going away) sets.
//!
//! Events, one JSON object per line, each with `event`:
//! - `started`: `run` (its id, for `/api/cancel`), `version` (of the text it runs on);
//! - `problems`: the scenario does not validate; `problems` as in the state; the run ends;
//! - `point`: `forecast`, the document on the point estimates (`brink run --format json`), and
//!   `trees`, each crisis's game tree with its equilibrium path as SVG (or null);
//! - `progress`: `stage`, `done`, `total` of the Monte Carlo draws;
//! - `forecast`: the document with the draws (`brink run --draws N --seed S --format json`;
//!   `montecarlo.stopped` when cancelled);
//! - `given`: the same document for the text as opened or last saved (the what-if view's "as
//!   given" side), when it differs from the edited text;
//! - `sensitivity`: the `brink sensitivity --draws 0` document, when asked;
//! - `done`: `stopped` (whether the run was cancelled);
//! - `error`: `message`, when the engine refuses the options.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{channel, Sender};
use std::sync::{Arc, Mutex};

use brink_engine::{
    Dossier, Forecast, Loaded, Observer, Options, Progress, Sensitivity, Stage, StopFlag,
};
use serde::Deserialize;
use serde_json::{json, Value as Json};
use tiny_http::Request;

use crate::error::Error;
use crate::session::load;
use crate::App;

/// The most draws a run may ask for.
pub const MAX_DRAWS: u64 = 1_000_000;

/// What a run computes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Monte Carlo draws (0: the point estimates only).
    #[serde(default)]
    pub draws: u64,
    /// The seed.
    #[serde(default)]
    pub seed: u64,
    /// The models (empty: brink's default models).
    #[serde(default)]
    pub models: Vec<String>,
    /// Forecast as of this date (`YYYY-MM-DD`; the scenario's updates dated on or before it
    /// applied).
    #[serde(default)]
    pub as_of: Option<String>,
    /// Also the forecast of the text as given (the what-if view).
    #[serde(default)]
    pub given: bool,
    /// Also the one-at-a-time sensitivity.
    #[serde(default)]
    pub sensitivity: bool,
}

impl RunRequest {
    fn options(&self, observer: Arc<dyn Observer>) -> Result<Options, Error> {
        if self.draws > MAX_DRAWS {
            return Err(Error::BadRequest(format!(
                "draws: at most {MAX_DRAWS} (asked {})",
                self.draws
            )));
        }
        let as_of = self
            .as_of
            .as_deref()
            .filter(|d| !d.is_empty())
            .map(|d| brink_engine::parse_date(d, "--as-of"))
            .transpose()?;
        brink_engine::pick_models(&self.models.iter().map(String::as_str).collect::<Vec<_>>())?;
        Ok(Options {
            models: self.models.clone(),
            seed: self.seed,
            draws: self.draws,
            as_of,
            observer,
            ..Options::default()
        })
    }

    /// What the "as given" forecast is cached under.
    fn key(&self, text: &str) -> String {
        format!(
            "{}|{}|{}|{:?}|{}",
            brink_engine::sha256_hex(text),
            self.draws,
            self.seed,
            self.models,
            self.as_of.as_deref().unwrap_or("")
        )
    }
}

/// The runs going on, each with its stop flag; the last "as given" forecast.
#[derive(Default)]
pub(crate) struct Runs {
    next: AtomicU64,
    active: Mutex<HashMap<u64, StopFlag>>,
    given: Mutex<Option<(String, Json)>>,
}

/// Which run to cancel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Cancel {
    #[serde(default)]
    run: Option<u64>,
}

impl Runs {
    fn begin(&self) -> (u64, StopFlag) {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let flag = StopFlag::new();
        let mut active = self.active.lock().expect("runs lock");
        // The newest edit wins: older runs stop.
        for f in active.values() {
            f.stop();
        }
        active.insert(id, flag.clone());
        (id, flag)
    }

    fn end(&self, id: u64) {
        self.active.lock().expect("runs lock").remove(&id);
    }

    pub(crate) fn cancel(&self, c: Cancel) -> Json {
        let active = self.active.lock().expect("runs lock");
        let mut n = 0;
        for (id, f) in active.iter() {
            if c.run.is_none_or(|r| r == *id) {
                f.stop();
                n += 1;
            }
        }
        json!({ "cancelled": n })
    }

    pub(crate) fn cancel_all(&self) {
        let _ = self.cancel(Cancel { run: None });
    }
}

/// Sends the engine's progress as events and reads the stop flag.
struct Watch {
    stop: StopFlag,
    tx: Mutex<Sender<Json>>,
}

impl Observer for Watch {
    fn progress(&self, p: &Progress) {
        let stage = match p.stage {
            Stage::Draws => "draws",
            Stage::Thresholds => "thresholds",
            Stage::Dates => "dates",
            _ => "other",
        };
        let _ = self.tx.lock().expect("sender lock").send(json!({
            "event": "progress", "stage": stage, "done": p.done, "total": p.total
        }));
    }

    fn cancelled(&self) -> bool {
        self.stop.cancelled()
    }
}

/// Each crisis's game tree with its equilibrium path, as SVG (null where there is none).
fn trees(doc: &Forecast) -> Vec<Option<String>> {
    doc.crises
        .iter()
        .map(|c| {
            let game = c.tree.as_ref()?;
            // Floating point: the path is for drawing (the exact solve costs seconds; the
            // equilibrium and its certificate in the document are the engine's).
            let path = brink_engine::crisis::first_equilibrium_path(game, false).ok()?;
            Some(brink_report::crisis::tree_svg(game, path.as_deref()))
        })
        .collect()
}

fn doc_json<T: serde::Serialize>(doc: &T) -> Json {
    serde_json::to_value(doc).unwrap_or_else(|e| json!({ "error": e.to_string() }))
}

/// The events of one run, sent as they come.
fn events(
    app: &App,
    r: &RunRequest,
    text: &str,
    given: &str,
    name: &str,
    stop: &StopFlag,
    tx: &Sender<Json>,
) -> Result<(), Error> {
    let watch: Arc<dyn Observer> = Arc::new(Watch {
        stop: stop.clone(),
        tx: Mutex::new(tx.clone()),
    });
    let opts = r.options(watch.clone())?;
    let loaded = match load(text, name) {
        Ok(l) => l,
        Err(problems) => {
            let _ = tx.send(json!({ "event": "problems", "problems": problems }));
            return Ok(());
        }
    };
    let point = Forecast::run(
        &loaded,
        &Options {
            draws: 0,
            ..opts.clone()
        },
    )?;
    let _ =
        tx.send(json!({ "event": "point", "forecast": doc_json(&point), "trees": trees(&point) }));
    let doc = if r.draws > 0 {
        let doc = doc_json(&Forecast::run(&loaded, &opts)?);
        let _ = tx.send(json!({ "event": "forecast", "forecast": doc }));
        doc
    } else {
        doc_json(&point)
    };
    let stopped = stop.cancelled();
    if r.given && !stopped {
        let key = r.key(given);
        if text == given {
            *app.runs.given.lock().expect("cache lock") = Some((key, doc));
        } else {
            let cached = app.runs.given.lock().expect("cache lock").clone();
            let g = match cached {
                Some((k, d)) if k == key => Some(d),
                _ => match load(given, name) {
                    Ok(lg) => {
                        let d = doc_json(&Forecast::run(&lg, &opts)?);
                        if !stop.cancelled() {
                            *app.runs.given.lock().expect("cache lock") = Some((key, d.clone()));
                        }
                        Some(d)
                    }
                    Err(_) => None,
                },
            };
            if let Some(d) = g {
                let _ = tx.send(json!({ "event": "given", "forecast": d }));
            }
        }
    }
    if r.sensitivity && !stop.cancelled() {
        let s = Sensitivity::run(&loaded, &Options { draws: 0, ..opts })?;
        let _ = tx.send(json!({ "event": "sensitivity", "sensitivity": doc_json(&s) }));
    }
    Ok(())
}

fn chunk(w: &mut dyn Write, v: &Json) -> std::io::Result<()> {
    let line = format!("{v}\n");
    write!(w, "{:x}\r\n{line}\r\n", line.len())?;
    w.flush()
}

/// Answers `POST /api/run`: the events, streamed as they come.
pub(crate) fn stream(app: &App, req: Request, r: RunRequest) {
    let (text, given, name, version) = {
        let s = app.session.lock().expect("session lock");
        (
            s.text().to_string(),
            s.given.clone(),
            s.name.clone(),
            s.version,
        )
    };
    let (id, stop) = app.runs.begin();
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson; charset=utf-8\r\n\
        Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nTransfer-Encoding: chunked\r\n\r\n";
    if w.write_all(head.as_bytes()).is_err() {
        app.runs.end(id);
        return;
    }
    let (tx, rx) = channel::<Json>();
    let _ = tx.send(json!({ "event": "started", "run": id, "version": version }));
    std::thread::scope(|s| {
        let worker_stop = stop.clone();
        s.spawn(move || {
            if let Err(e) = events(app, &r, &text, &given, &name, &worker_stop, &tx) {
                let _ = tx.send(
                    json!({ "event": "error", "status": e.status(), "message": e.to_string() }),
                );
            }
            let _ = tx.send(json!({ "event": "done", "stopped": worker_stop.cancelled() }));
        });
        for ev in rx {
            if chunk(&mut w, &ev).is_err() {
                // The page went away: stop the run.
                stop.stop();
            }
        }
    });
    let _ = w.write_all(b"0\r\n\r\n").and_then(|_| w.flush());
    app.runs.end(id);
}

/// Answers `GET /api/report?draws=N&seed=S`: the HTML report of the scenario as edited, named
/// for download.
pub(crate) fn report(app: &App, query: &str) -> Result<(String, String), Error> {
    let mut draws = 2000;
    let mut seed = 0;
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        let n: u64 = v
            .parse()
            .map_err(|_| Error::BadRequest(format!("{k}: `{v}` is not a whole number")))?;
        match k {
            "draws" if n <= MAX_DRAWS => draws = n,
            "draws" => return Err(Error::BadRequest(format!("draws: at most {MAX_DRAWS}"))),
            "seed" => seed = n,
            _ => return Err(Error::BadRequest(format!("unknown parameter `{k}`"))),
        }
    }
    let (text, name, file) = {
        let s = app.session.lock().expect("session lock");
        (s.text().to_string(), s.name.clone(), s.file.clone())
    };
    let loaded: Loaded = load(&text, &name).map_err(|p| {
        Error::Unprocessable(format!(
            "the scenario does not validate: {}",
            p.first().map_or("", |x| x.text.as_str())
        ))
    })?;
    let opts = Options {
        draws,
        seed,
        ..Options::default()
    };
    let d = Dossier::run(&loaded, &opts)?;
    let page = brink_report::html::render(&brink_report::html::Report {
        scenario: &loaded.scenario,
        doc: &d.forecast,
        tornado: &d.tornado,
        panels: &d.panels.shares,
        rounds: &d.rounds,
        crises: &brink_report::html::crisis_sections(&d.forecast),
        top: 8,
    })
    .map_err(|e| Error::Io(format!("rendering the report: {e}")))?;
    // Named for its file, or (the built-in or a new scenario) for the scenario's id.
    let stem = match &file {
        Some(f) => f
            .rsplit('/')
            .next()
            .unwrap_or(f)
            .trim_end_matches(".toml")
            .to_string(),
        None => loaded.scenario.id.clone(),
    };
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    Ok((format!("{stem}-report.html"), page))
}
