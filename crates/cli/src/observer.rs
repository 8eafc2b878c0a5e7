//! The terminal's observer of a run: a progress line on standard error from the first second
//! (when it is a terminal), redrawn five times a second whether or not a chunk of work has
//! finished; Ctrl-C to stop the Monte Carlo run (polled before every draw, so it takes effect
//! within one draw; the draws done are kept and the run exits [`STOPPED_EXIT`]), a second Ctrl-C
//! to quit at once; and `--keep-draws FILE`: every draw as a CSV row.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use brink_engine::doc::MonteCarlo;
use brink_engine::{DrawColumns, Observer, Progress, Stage};

use crate::Failure;

static STOP: AtomicBool = AtomicBool::new(false);

/// The exit code of a run stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const STOPPED_EXIT: u8 = 130;

/// How often the progress line is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// Where the kept draws go, and the first error writing them.
struct Draws {
    path: PathBuf,
    out: Option<BufWriter<std::fs::File>>,
    error: Option<anyhow::Error>,
}

/// The terminal's observer.
pub struct Terminal {
    show: bool,
    start: Instant,
    draws: Option<Mutex<Draws>>,
    /// Draws done and asked for, as last reported (0 of 0 before the draws start).
    done: AtomicU64,
    total: AtomicU64,
    /// The run is over: the ticker stops drawing.
    ended: AtomicBool,
    /// Something was drawn on the progress line (it is cleared at the end).
    drawn: AtomicBool,
    /// Serialises drawing the line.
    line: Mutex<()>,
}

impl Terminal {
    /// `bar`: show the progress bar (if standard error is a terminal); `stoppable`: Ctrl-C stops
    /// the run; `keep`: the CSV file for every draw (created when the draws start).
    pub fn new(bar: bool, stoppable: bool, keep: Option<PathBuf>) -> Arc<Terminal> {
        if stoppable {
            let _ = ctrlc::set_handler(|| {
                if STOP.swap(true, Ordering::SeqCst) {
                    // A second Ctrl-C: quit now.
                    eprintln!("\nstopped");
                    std::process::exit(i32::from(STOPPED_EXIT));
                }
            });
        }
        let t = Arc::new(Terminal {
            show: bar && std::io::stderr().is_terminal(),
            start: Instant::now(),
            draws: keep.map(|path| {
                Mutex::new(Draws {
                    path,
                    out: None,
                    error: None,
                })
            }),
            done: AtomicU64::new(0),
            total: AtomicU64::new(0),
            ended: AtomicBool::new(false),
            drawn: AtomicBool::new(false),
            line: Mutex::new(()),
        });
        if t.show {
            // The ticker: redraws the line from the first second on, until the run ends.
            let weak = Arc::downgrade(&t);
            std::thread::spawn(move || loop {
                std::thread::sleep(TICK);
                let Some(t) = weak.upgrade() else { return };
                if t.ended.load(Ordering::SeqCst) {
                    return;
                }
                t.draw_line();
            });
        }
        t
    }

    fn lasted(&self) -> bool {
        self.start.elapsed().as_secs_f64() >= 1.0
    }

    /// Draws the progress line (after the first second).
    fn draw_line(&self) {
        if !self.show || !self.lasted() || self.ended.load(Ordering::SeqCst) {
            return;
        }
        let Ok(_guard) = self.line.lock() else { return };
        let (done, total) = (
            self.done.load(Ordering::SeqCst),
            self.total.load(Ordering::SeqCst),
        );
        let secs = self.start.elapsed().as_secs_f64();
        let text = if STOP.load(Ordering::SeqCst) {
            format!("stopping after {done} draws ... {secs:.1}s")
        } else if let Some(share) = (30 * done).checked_div(total) {
            let w = 30;
            let filled = share.min(w as u64) as usize;
            format!(
                "[{}{}] {:>3}% {done}/{total} draws, {secs:.1}s (Ctrl-C stops)",
                "#".repeat(filled),
                " ".repeat(w - filled),
                100 * done / total
            )
        } else {
            format!("working ... {secs:.1}s")
        };
        eprint!("\r{text}\x1b[K");
        self.drawn.store(true, Ordering::SeqCst);
    }

    /// After the run: stops the ticker and clears the progress line.
    pub fn end(&self) {
        let _guard = self.line.lock();
        if !self.ended.swap(true, Ordering::SeqCst) && self.drawn.load(Ordering::SeqCst) {
            eprint!("\r\x1b[K");
        }
    }

    /// After a Monte Carlo run: ends the progress line, reports a write error of the kept
    /// draws, and says when the run was stopped.
    pub fn finish(&self, mc: &MonteCarlo) -> Result<(), Failure> {
        self.end();
        if let Some(d) = &self.draws {
            let mut d = d.lock().map_err(|_| anyhow::anyhow!("writing the draws"))?;
            if let Some(e) = d.error.take() {
                return Err(Failure::Internal(e));
            }
            if let Some(w) = d.out.as_mut() {
                w.flush().context("writing the draws")?;
            }
        }
        if mc.stopped {
            eprintln!(
                "stopped: {} of {} draws done; the result below is partial",
                mc.draws_done, mc.draws_requested
            );
        }
        Ok(())
    }
}

/// The error of a run stopped by Ctrl-C, after its partial result was written.
pub fn stopped(mc: &MonteCarlo) -> Result<(), Failure> {
    if mc.stopped {
        Err(Failure::Stopped(format!(
            "stopped by Ctrl-C: the result is partial ({} of {} draws)",
            mc.draws_done, mc.draws_requested
        )))
    } else {
        Ok(())
    }
}

impl Observer for Terminal {
    fn progress(&self, p: &Progress) {
        if p.stage != Stage::Draws {
            return;
        }
        self.total.store(p.total, Ordering::SeqCst);
        self.done.store(p.done, Ordering::SeqCst);
        self.draw_line();
    }

    fn cancelled(&self) -> bool {
        STOP.load(Ordering::SeqCst)
    }

    fn keeps_draws(&self) -> bool {
        self.draws.is_some()
    }

    fn draw_columns(&self, c: &DrawColumns) {
        let Some(d) = &self.draws else { return };
        let Ok(mut d) = d.lock() else { return };
        let file = match std::fs::File::create(&d.path) {
            Ok(f) => f,
            Err(e) => {
                let what = format!("creating {}", d.path.display());
                d.error = Some(anyhow::Error::new(e).context(what));
                return;
            }
        };
        let mut w = BufWriter::new(file);
        let mut head = vec!["draw".to_string()];
        head.extend(c.inputs.iter().cloned());
        head.extend(c.forecasts.iter().cloned());
        head.extend(c.crises.iter().cloned());
        head.extend(c.types.iter().cloned());
        if let Err(e) = writeln!(w, "{}", head.join(",")) {
            d.error = Some(anyhow::anyhow!("writing the draws: {e}"));
        }
        d.out = Some(w);
    }

    fn draw(&self, index: u64, inputs: &[f64], forecasts: &[f64], crises: &[f64], types: &[&str]) {
        let Some(d) = &self.draws else { return };
        let Ok(mut d) = d.lock() else { return };
        if d.error.is_some() {
            return;
        }
        let mut row = vec![index.to_string()];
        row.extend(inputs.iter().map(|x| format!("{x}")));
        row.extend(forecasts.iter().chain(crises).map(|x| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x}")
            }
        }));
        row.extend(types.iter().map(|t| t.to_string()));
        let failed = match d.out.as_mut() {
            Some(w) => writeln!(w, "{}", row.join(",")).err(),
            None => None,
        };
        if let Some(e) = failed {
            d.error = Some(anyhow::anyhow!("writing the draws: {e}"));
        }
    }
}
