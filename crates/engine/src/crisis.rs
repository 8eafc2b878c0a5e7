//! Crisis analysis (each crisis's equilibrium and every input's thresholds) and the solution of
//! a Gambit game.

use brink_bargain::{Input, Params};
use brink_crisis::num::{format_rational, Rational};
use brink_crisis::pbe::OffPathBelief;
use brink_montecarlo::InputRef;
use brink_scenario::Scenario;

use crate::doc::{
    CertificateCheck, CrisisAnalysis, CrisisAnalysisEntry, ExactOutcome, Header, InputInfo,
    Interval, ScenarioInfo, Solve, SolvedEquilibrium, Switch, Threshold,
};
use crate::error::{Error, Result};
use crate::forecast::crisis_report;
use crate::input::{read_text, sha256_hex, Loaded};
use crate::observe::{Observer, Progress, Stage};
use crate::options::Options;
use crate::worlds::{mixed_crises, worlds, Use};

impl CrisisAnalysis {
    /// Solves each crisis of the scenario as it stands (over the rival hypotheses) and, for each
    /// uncertain input that bears on it, searches its range for the values at which the
    /// equilibrium changes (`samples` grid points per input, each switch refined by bisection).
    /// Each crisis also gets its three views (the game's quantal response over
    /// `crisis_draws` draws, or `draws` when given; the reference class; the combination).
    /// Reads `rounds`, `seed`, `draws`, `crisis_draws`, `threads` and `observer` of [`Options`]. A scenario without crises,
    /// or a crisis that cannot be solved, is bad input. Stopping leaves the thresholds searched
    /// so far (`stopped`).
    pub fn run(loaded: &Loaded, opts: &Options, samples: usize) -> Result<CrisisAnalysis> {
        brink_crisis::threshold::check_samples(samples)
            .map_err(|e| Error::input(format!("--samples: {e}")))?;
        opts.check_counts()?;
        let sc = &loaded.scenario;
        if sc.crises.is_empty() {
            return Err(Error::input(format!(
                "{}: the scenario has no crises ([[crises]])",
                loaded.input.file
            )));
        }
        let params = Params {
            explain: false,
            ..opts.params()
        };
        opts.in_pool(|| {
            let fs = mixed_crises(sc, &worlds(sc, Use::Forecast), &[], &params);
            let mut solved = Vec::new();
            for (ci, f) in fs.into_iter().enumerate() {
                let f =
                    f.map_err(|e| Error::input(format!("crisis `{}`: {e}", sc.crises[ci].id)))?;
                solved.push(f);
            }
            let mut stopped = false;
            let crises = solved
                .into_iter()
                .enumerate()
                .map(|(ci, f)| {
                    let game_efg = brink_crisis::efg::write_efg(&f.built.game);
                    let thresholds = if stopped {
                        Vec::new()
                    } else {
                        thresholds(
                            sc,
                            ci,
                            samples,
                            &params,
                            opts.observer.as_ref(),
                            &mut stopped,
                        )
                    };
                    CrisisAnalysisEntry {
                        forecast: crisis_report(&sc.crises[ci], Ok(f)),
                        game_efg,
                        thresholds,
                    }
                })
                .collect();
            let mut entries: Vec<CrisisAnalysisEntry> = crises;
            if opts.crisis_draws > 0 && !stopped {
                let draws = if opts.draws > 0 {
                    opts.draws
                } else {
                    opts.crisis_draws
                };
                let mut reports: Vec<_> = entries.iter().map(|e| e.forecast.clone()).collect();
                crate::views::from_own_draws(
                    &mut reports,
                    sc,
                    &params,
                    draws,
                    opts.seed,
                    opts.observer.as_ref(),
                );
                for (e, r) in entries.iter_mut().zip(reports) {
                    e.forecast = r;
                }
            }
            let crises = entries;
            Ok(CrisisAnalysis {
                header: Header::new("crisis_analysis"),
                input: loaded.input.clone(),
                scenario: ScenarioInfo::of(sc),
                samples,
                crises,
                stopped,
            })
        })?
    }
}

/// For each uncertain input that bears on crisis `ci`, where in its range the equilibrium
/// changes. Polls `observer` before each input; when it stops the run, sets `stopped` and
/// returns the inputs searched.
fn thresholds(
    sc: &Scenario,
    ci: usize,
    samples: usize,
    params: &Params,
    observer: &dyn Observer,
    stopped: &mut bool,
) -> Vec<Threshold> {
    let c = &sc.crises[ci];
    let base = sc.point_values();
    let Some(model) = brink_bargain::find(&c.model) else {
        return Vec::new();
    };
    let relevant = |i: &InputRef| match *i {
        InputRef::Crisis(x, _) => x == ci,
        InputRef::Power(a) => c.challenger.contains(&a) || c.defender.contains(&a),
        _ => i.issue(sc).is_some_and(|k| c.issues.contains(&k)),
    };
    let inputs: Vec<InputRef> = InputRef::uncertain(sc)
        .into_iter()
        .filter(relevant)
        .collect();
    let mut out = Vec::new();
    for (n, input) in inputs.iter().enumerate() {
        if observer.cancelled() {
            *stopped = true;
            break;
        }
        observer.progress(&Progress {
            stage: Stage::Thresholds,
            done: n as u64,
            total: inputs.len() as u64,
        });
        let (lo, hi) = input.dist(sc).range();
        if lo >= hi || lo.is_nan() || hi.is_nan() {
            continue;
        }
        let game_at = |x: f64| {
            let mut v = base.clone();
            input.set(&mut v, x);
            let settlement: Vec<Option<f64>> = model
                .run(&Input::new(sc, &v), params)
                .iter()
                .map(|f| f.value())
                .collect();
            brink_crisis::standoff::build(sc, &v, ci, &settlement).map(|b| b.game)
        };
        let Ok(bps) = brink_crisis::threshold::breakpoints_fallible(game_at, lo, hi, samples)
        else {
            continue;
        };
        out.push(Threshold {
            input: input.key(sc),
            name: input.describe(sc),
            range: Interval { lo, hi },
            point: input.get(&base),
            switches: bps
                .into_iter()
                .map(|b| Switch {
                    at: b.at,
                    before: b.outcomes_before,
                    after: b.outcomes_after,
                })
                .collect(),
        });
    }
    out
}

/// The off-path belief rule of a name (`supporting` or `prior`).
pub fn parse_beliefs(name: &str) -> Result<OffPathBelief> {
    match name {
        "supporting" => Ok(OffPathBelief::Supporting),
        "prior" => Ok(OffPathBelief::Prior),
        b => Err(Error::input(format!(
            "unknown belief rule `{b}`: supporting or prior"
        ))),
    }
}

impl Solve {
    /// Every equilibrium of a game in Gambit's `.efg` format (`text`, named `name`), with its
    /// certificate, in exact rational arithmetic; `beliefs`: the off-path belief rule of perfect
    /// Bayesian equilibria (`supporting` or `prior`). A game that does not parse, or that brink
    /// cannot solve, is bad input.
    pub fn run(text: &str, name: &str, beliefs: &str) -> Result<Solve> {
        let game =
            brink_crisis::efg::read_efg(text).map_err(|e| Error::input(format!("{name}: {e}")))?;
        let off = parse_beliefs(beliefs)?;
        let sol = brink_crisis::analysis::solve::<Rational>(&game, off)
            .map_err(|e| Error::input(format!("{name}: {e}")))?;
        let path_in_words = brink_crisis::standoff::path_in_words;
        let equilibria = sol
            .equilibria
            .iter()
            .map(|e| SolvedEquilibrium {
                path: path_in_words(&game, &e.path),
                payoffs: e.payoffs.iter().map(format_rational).collect(),
                outcomes: e
                    .outcome_probs
                    .iter()
                    .map(|(l, p)| ExactOutcome {
                        outcome: l.clone(),
                        p: format_rational(p),
                    })
                    .collect(),
                max_regret: format_rational(&e.certificate.max_regret),
                certificate: e
                    .certificate
                    .checks
                    .iter()
                    .map(|c| CertificateCheck {
                        infoset: c.infoset,
                        player: game.players.get(c.player).cloned().unwrap_or_default(),
                        on_path: c.on_path,
                        action: game.infosets[c.infoset]
                            .actions
                            .get(c.action)
                            .cloned()
                            .unwrap_or_default(),
                        regret: format_rational(&c.regret),
                    })
                    .collect(),
            })
            .collect();
        Ok(Solve {
            header: Header::new("solve"),
            input: InputInfo {
                file: name.to_string(),
                sha256: sha256_hex(text),
            },
            title: game.title.clone(),
            players: game.players.clone(),
            concept: format!("{:?}", sol.concept),
            complete: sol.complete,
            equilibria,
            first_path: sol.equilibria.first().map(|e| e.path.clone()),
            game: Some(game),
        })
    }

    /// [`Solve::run`] on a file.
    pub fn from_file(path: &std::path::Path, beliefs: &str) -> Result<Solve> {
        Self::run(&read_text(path)?, &path.display().to_string(), beliefs)
    }
}

/// The first equilibrium's path through a game (node numbers), for drawing it: exact rational
/// arithmetic (`exact`) or floating point, with the supporting off-path beliefs.
pub fn first_equilibrium_path(
    game: &brink_crisis::game::Game,
    exact: bool,
) -> Result<Option<Vec<usize>>> {
    let path = if exact {
        brink_crisis::analysis::solve::<Rational>(game, OffPathBelief::Supporting)
            .map(|s| s.equilibria.first().map(|e| e.path.clone()))
    } else {
        brink_crisis::analysis::solve::<f64>(game, OffPathBelief::Supporting)
            .map(|s| s.equilibria.first().map(|e| e.path.clone()))
    };
    path.map_err(|e| Error::Internal(e.to_string()))
}
