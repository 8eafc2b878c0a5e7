//! The terminal's observer of a run: a progress bar on standard error (after the first second,
//! when it is a terminal), Ctrl-C to stop the Monte Carlo run between chunks (the draws done
//! are reported), and `--keep-draws FILE`: every draw as a CSV row.

use std::io::{BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use anyhow::Context;
use brink_engine::doc::MonteCarlo;
use brink_engine::{DrawColumns, Observer, Progress, Stage};

use crate::Failure;

static STOP: AtomicBool = AtomicBool::new(false);

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
}

impl Terminal {
    /// `bar`: show the progress bar (if standard error is a terminal); `stoppable`: Ctrl-C stops
    /// the run; `keep`: the CSV file for every draw (created when the draws start).
    pub fn new(bar: bool, stoppable: bool, keep: Option<PathBuf>) -> Arc<Terminal> {
        if stoppable {
            let _ = ctrlc::set_handler(|| STOP.store(true, Ordering::SeqCst));
        }
        Arc::new(Terminal {
            show: bar && std::io::stderr().is_terminal(),
            start: Instant::now(),
            draws: keep.map(|path| {
                Mutex::new(Draws {
                    path,
                    out: None,
                    error: None,
                })
            }),
        })
    }

    fn lasted(&self) -> bool {
        self.start.elapsed().as_secs_f64() > 1.0
    }

    /// After the run: ends the bar's line, reports a write error of the kept draws, and says
    /// when the run was stopped.
    pub fn finish(&self, mc: &MonteCarlo) -> Result<(), Failure> {
        if self.show && self.lasted() {
            eprintln!();
        }
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
                "stopped: {} of {} draws done",
                mc.draws_done, mc.draws_requested
            );
        }
        Ok(())
    }
}

impl Observer for Terminal {
    fn progress(&self, p: &Progress) {
        if p.stage != Stage::Draws || !self.show || !self.lasted() {
            return;
        }
        let (done, total) = (p.done, p.total);
        let w = 30;
        let filled = (w as u64 * done / total.max(1)) as usize;
        eprint!(
            "\r[{}{}] {:>3}% {done}/{total} draws, {:.1}s ",
            "#".repeat(filled),
            " ".repeat(w - filled),
            100 * done / total.max(1),
            self.start.elapsed().as_secs_f64()
        );
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
        if let Err(e) = writeln!(w, "{}", head.join(",")) {
            d.error = Some(anyhow::anyhow!("writing the draws: {e}"));
        }
        d.out = Some(w);
    }

    fn draw(&self, index: u64, inputs: &[f64], forecasts: &[f64]) {
        let Some(d) = &self.draws else { return };
        let Ok(mut d) = d.lock() else { return };
        if d.error.is_some() {
            return;
        }
        let mut row = vec![index.to_string()];
        row.extend(inputs.iter().map(|x| format!("{x}")));
        row.extend(forecasts.iter().map(|x| {
            if x.is_nan() {
                String::new()
            } else {
                format!("{x}")
            }
        }));
        let failed = match d.out.as_mut() {
            Some(w) => writeln!(w, "{}", row.join(",")).err(),
            None => None,
        };
        if let Some(e) = failed {
            d.error = Some(anyhow::anyhow!("writing the draws: {e}"));
        }
    }
}
