//! The exchange model's indexed selection ([`Algorithm::Indexed`], what [`run`] uses) against the
//! package's literal loop ([`Algorithm::Reference`]: the whole remaining list sorted again before
//! every pick, every remaining candidate offered to each executed exchange). On random inputs,
//! many of them built to tie (positions, saliences and powers from a few values, actors
//! duplicated), both must give the same run to the last bit, in every tie-breaking mode and in
//! both arithmetics; and the indexed loop must do far less work, counted, not timed.

use brink_bargain::exchange::{
    run_counted, run_decimal_counted, run_outcomes, Algorithm, Arithmetic, ExIssue, ExStance,
    ExchangeError, ExchangeInput, ExchangeParams, ExchangeWork, TieBreak,
};
use brink_scenario::import::{import, Format};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A random input: `n` actors on `d` issues. With `tied`, numbers come from a few values and
/// some actors are exact copies of others, so that many gains tie exactly.
fn random_input(rng: &mut ChaCha8Rng, n: usize, d: usize, tied: bool) -> ExchangeInput {
    let issues: Vec<ExIssue> = (0..d)
        .map(|k| ExIssue {
            name: format!("i{k}"),
            lower: if tied { 0.0 } else { -1.0 },
            upper: if tied { 100.0 } else { 3.0 + k as f64 },
        })
        .collect();
    let actors: Vec<String> = (0..n).map(|a| format!("a{a}")).collect();
    // one row per actor: per issue, None or (position, salience, power)
    let mut rows: Vec<Vec<Option<(f64, f64, f64)>>> = Vec::new();
    for a in 0..n {
        if tied && a > 0 && rng.gen_bool(0.3) {
            let src = rng.gen_range(0..a);
            rows.push(rows[src].clone());
            continue;
        }
        let row = issues
            .iter()
            .map(|is| {
                if rng.gen_bool(0.15) {
                    return None;
                }
                Some(if tied {
                    (
                        [0.0, 25.0, 50.0, 75.0, 100.0][rng.gen_range(0..5)],
                        [0.25, 0.5, 0.75, 1.0][rng.gen_range(0..4)],
                        [1.0, 2.0][rng.gen_range(0..2)],
                    )
                } else {
                    (
                        rng.gen_range(is.lower..=is.upper),
                        rng.gen_range(0.05..=1.0),
                        rng.gen_range(0.1..=5.0),
                    )
                })
            })
            .collect();
        rows.push(row);
    }
    let mut stances = Vec::new();
    for (k, is) in issues.iter().enumerate() {
        for (a, row) in rows.iter().enumerate() {
            if let Some((position, salience, power)) = row[k] {
                stances.push(ExStance {
                    actor: actors[a].clone(),
                    issue: is.name.clone(),
                    position,
                    salience,
                    power,
                });
            }
        }
    }
    ExchangeInput {
        actors,
        issues,
        stances,
    }
}

fn modes(seed: u64) -> [TieBreak; 4] {
    [
        TieBreak::Keep,
        TieBreak::Swap,
        TieBreak::Seeded(seed),
        TieBreak::PythonSeed(seed),
    ]
}

#[derive(Default)]
struct Coverage {
    runs: usize,
    runs_with_draws: usize,
    draws: usize,
    self_reactions: usize,
    executed: u64,
    errors: usize,
    /// Evaluations (indexed, reference).
    evaluations: (u64, u64),
}

impl Coverage {
    fn add(&mut self, r: &brink_bargain::exchange::ExchangeRun, w: &ExchangeWork) {
        self.runs += 1;
        self.draws += r.tie_draws;
        self.runs_with_draws += (r.tie_draws > 0) as usize;
        self.self_reactions += r
            .rounds
            .iter()
            .flat_map(|x| &x.exchanges)
            .filter(|e| !e.valid_after_round)
            .count();
        self.executed += w.executed;
    }
}

#[test]
fn indexed_selection_makes_the_same_picks_as_the_resorted_list_in_float64() {
    let mut rng = ChaCha8Rng::seed_from_u64(18);
    let mut cov = Coverage::default();
    for case in 0..240u64 {
        let tied = case % 3 != 2;
        let n = rng.gen_range(2..=14);
        let d = rng.gen_range(2..=6);
        let input = random_input(&mut rng, n, d, tied);
        for tie_break in modes(case) {
            let params = ExchangeParams {
                rounds: 4,
                tie_break,
                arithmetic: Arithmetic::Float64,
            };
            let fast = run_counted(&input, &params, Algorithm::Indexed);
            let slow = run_counted(&input, &params, Algorithm::Reference);
            match (fast, slow) {
                (Ok((a, wa)), Ok((b, wb))) => {
                    assert!(
                        a == b,
                        "case {case} ({n} actors, {d} issues, {tie_break:?}): runs differ"
                    );
                    assert_eq!(wa.candidates, wb.candidates);
                    // the indexed run skips evaluations that would recompute the same values
                    assert!(wa.evaluations <= wb.evaluations, "case {case}: evaluations");
                    cov.evaluations.0 += wa.evaluations;
                    cov.evaluations.1 += wb.evaluations;
                    assert_eq!(wa.executed, wb.executed);
                    cov.add(&a, &wa);
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b);
                    // only a tie kept forever stops a run here (both loops would never end)
                    assert!(
                        matches!(a, ExchangeError::EndlessRound { .. })
                            && tie_break == TieBreak::Keep,
                        "case {case} ({tie_break:?}): {a}"
                    );
                    cov.errors += 1;
                }
                (a, b) => panic!("case {case}: {:?} vs {:?}", a.err(), b.err()),
            }
        }
    }
    // the inputs must exercise what the queue has to reproduce: near-ties and their draws, and
    // the package's duplicate runner-up reacting to itself
    eprintln!(
        "{} runs ({} with a tie, {} draws, {} self-reactions, {} exchanges), {} errors, evaluations {:?}",
        cov.runs,
        cov.runs_with_draws,
        cov.draws,
        cov.self_reactions,
        cov.executed,
        cov.errors,
        cov.evaluations
    );
    assert!(cov.runs >= 800, "{} runs", cov.runs);
    assert!(
        cov.runs_with_draws * 4 >= cov.runs,
        "only {} of {} runs had a tie",
        cov.runs_with_draws,
        cov.runs
    );
    assert!(cov.draws >= 2000, "{} tie draws", cov.draws);
    assert!(cov.self_reactions > 0, "no duplicate runner-up reacted");
    assert!(cov.executed > 10_000, "{} exchanges", cov.executed);
}

#[test]
fn indexed_selection_makes_the_same_picks_as_the_resorted_list_in_decimal() {
    let mut rng = ChaCha8Rng::seed_from_u64(1818);
    let mut with_draws = 0;
    for case in 0..24u64 {
        let n = rng.gen_range(3..=8);
        let d = rng.gen_range(2..=4);
        let input = random_input(&mut rng, n, d, case % 4 != 3);
        for tie_break in modes(case) {
            let params = ExchangeParams {
                rounds: 3,
                tie_break,
                arithmetic: Arithmetic::Decimal28,
            };
            let fast = run_decimal_counted(&input, &params, Algorithm::Indexed);
            let slow = run_decimal_counted(&input, &params, Algorithm::Reference);
            match (fast, slow) {
                (Ok((a, _)), Ok((b, _))) => {
                    assert!(a == b, "case {case} ({tie_break:?}): decimal runs differ");
                    let lean = run_outcomes(&input, &params).expect("runs");
                    assert_eq!(lean, a.to_f64().final_outcomes, "case {case}: outcomes");
                    with_draws += (a.tie_draws > 0) as usize;
                }
                (Err(a), Err(b)) => {
                    assert_eq!(a, b);
                    assert_eq!(tie_break, TieBreak::Keep, "case {case}: {a}");
                }
                (a, b) => panic!("case {case}: {:?} vs {:?}", a.err(), b.err()),
            }
        }
    }
    assert!(with_draws >= 20, "{with_draws} decimal runs with a tie");
}

/// After an exchange the list loop offers every remaining candidate to it; the indexed loop
/// only the candidates sharing an actor and an issue with it. Both re-evaluate the same
/// candidates (the indexed loop skips those whose evaluation would give the same values); the
/// visits differ by orders of magnitude on a larger input.
#[test]
fn indexed_selection_visits_only_affected_candidates() {
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let input = random_input(&mut rng, 30, 12, false);
    let params = ExchangeParams {
        rounds: 2,
        ..ExchangeParams::default()
    };
    let (a, wa) = run_counted(&input, &params, Algorithm::Indexed).expect("runs");
    let (b, wb) = run_counted(&input, &params, Algorithm::Reference).expect("runs");
    assert!(a == b);
    assert!(wa.evaluations <= wb.evaluations);
    assert!(wa.executed > 100, "{} exchanges", wa.executed);
    assert!(
        wa.visits * 20 < wb.visits,
        "indexed {} visits, list {}",
        wa.visits,
        wb.visits
    );
    assert!(
        wa.queue_ops * 20 < wb.queue_ops,
        "indexed {} heap pushes, list {} entries sorted",
        wa.queue_ops,
        wb.queue_ops
    );
}

/// The DEU III development file as one negotiation (233 issues, 30 actors, 4,567 stances, as
/// `brink run` sees the imported file; about 500,000 candidates and 3,500 exchanges a round):
/// the work of the indexed loop beyond the package's own re-evaluations stays within a small
/// multiple of the candidates made, where the list loop offers every remaining candidate to
/// each of the exchanges (the test above compares the two where both run).
#[test]
fn exchange_on_233_issues_and_30_actors_does_work_linear_in_candidates() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/deu3/deu3-dev.tsv"
    ))
    .expect("the DEU development file");
    let sc = import(Format::Deu, &text, "deu3-dev.tsv")
        .expect("imports")
        .scenario;
    let values = sc.point_values();
    let input = ExchangeInput {
        actors: sc.actors.iter().map(|a| a.id.clone()).collect(),
        issues: sc
            .issues
            .iter()
            .map(|is| ExIssue {
                name: is.id.clone(),
                lower: is.min,
                upper: is.max,
            })
            .collect(),
        stances: sc
            .stances
            .iter()
            .enumerate()
            .filter(|(j, _)| values.salience[*j] > 0.0)
            .map(|(j, st)| ExStance {
                actor: sc.actors[st.actor].id.clone(),
                issue: sc.issues[st.issue].id.clone(),
                position: values.position[j],
                salience: values.salience[j],
                power: values.stance_power[j].unwrap_or(values.power[st.actor]),
            })
            .collect(),
    };
    assert_eq!((input.actors.len(), input.issues.len()), (30, 233));
    // three rounds keep the test short; the benchmark `perf_deu` times all ten
    let params = ExchangeParams {
        rounds: 3,
        ..ExchangeParams::default()
    };
    let (r, w) = run_counted(&input, &params, Algorithm::Indexed).expect("runs");
    assert_eq!(r.rounds.len(), 3);
    let c = w.candidates;
    assert!(c > 1_000_000, "{c} candidates");
    assert!(w.executed > 1_000, "{} exchanges", w.executed);
    // every visit is a re-evaluation, an entry dropped, or the one pass over the list per
    // round that drops the invalid candidates; the heap takes each candidate about once
    assert!(
        w.visits <= w.evaluations + 2 * c,
        "{} visits, {} evaluations, {c} candidates",
        w.visits,
        w.evaluations
    );
    assert!(
        w.queue_ops <= 2 * c,
        "{} heap pushes for {c} candidates",
        w.queue_ops
    );
}
