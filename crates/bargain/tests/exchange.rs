//! The exchange model against decide-exchange-model 2025.3.1: the shared fixtures
//! (`exchange-fixtures.json`) and full pinned package runs (`package-run-*.json`, made by
//! `make_exchange_fixtures.py` beside them), plus the input reader and error handling.

use brink_bargain::exchange::{
    read_decide, run, run_decimal, Arithmetic, Dec28, DecideFormatError, ExIssue, ExStance,
    ExchangeError, ExchangeInput, ExchangeParams, ExchangeRun, TieBreak,
};
use proptest::prelude::*;
use serde_json::Value;

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/decide/");

fn load(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}")).expect("test data file")
}

fn input(name: &str) -> ExchangeInput {
    read_decide(&load(name)).expect("reference input parses")
}

fn json(name: &str) -> Value {
    serde_json::from_str(&load(name)).expect("fixture JSON")
}

fn dec(s: &str) -> Dec28 {
    Dec28::parse(s).unwrap_or_else(|| panic!("not a decimal: {s}"))
}

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or_else(|| panic!("not a string: {v}"))
}

fn num(v: &Value) -> f64 {
    s(v).parse().expect("number")
}

/// "tol-hoogte [0.5 - 7].equal-0.00.summary.csv" or "tol-hoogte [0.5 - 7]" -> "tol-hoogte".
fn issue_of(label: &str) -> &str {
    label.split(" [").next().unwrap_or(label)
}

fn tie_of_mode(key: &str) -> TieBreak {
    match key.split_whitespace().next() {
        Some("KEEP") => TieBreak::Keep,
        Some("SWAP") => TieBreak::Swap,
        Some("SEED1") => TieBreak::PythonSeed(1),
        Some(m) if m.starts_with("PYSEED") => TieBreak::PythonSeed(m[6..].parse().expect("seed")),
        other => panic!("unknown mode {other:?}"),
    }
}

fn params(tie: TieBreak, arithmetic: Arithmetic) -> ExchangeParams {
    ExchangeParams {
        rounds: 10,
        tie_break: tie,
        arithmetic,
    }
}

fn issue_index<N>(r: &ExchangeRun<N>, name: &str) -> usize {
    r.issues
        .iter()
        .position(|i| i == name)
        .unwrap_or_else(|| panic!("issue {name} not in run"))
}

/// Largest |a − b| over the pairs, in decimal.
fn max_dev(pairs: &[(Dec28, Dec28)]) -> f64 {
    pairs
        .iter()
        .map(|(a, b)| a.sub(b).abs().to_f64())
        .fold(0.0, f64::max)
}

#[test]
fn round0_outcomes_match_fixtures() {
    let fx = json("exchange-fixtures.json");
    let inp = input("sample_data.txt");
    let f = run(&inp, &params(TieBreak::Keep, Arithmetic::Float64)).unwrap();
    let d = run_decimal(&inp, &params(TieBreak::Keep, Arithmetic::Decimal28)).unwrap();
    let mut checked = 0;
    for mode in fx["modes"].as_object().unwrap().values() {
        for (label, series) in mode["issues"].as_object().unwrap() {
            let k = issue_index(&f, issue_of(label));
            let want = &series["pref_outcome_rn"][0];
            assert!(
                (f.initial_outcomes[k] - num(want)).abs() <= 1e-12,
                "{label}: {} vs {}",
                f.initial_outcomes[k],
                s(want)
            );
            assert_eq!(d.initial_outcomes[k], dec(s(want)), "{label} (decimal)");
            assert_eq!(f.rounds[0].start_outcomes[k], f.initial_outcomes[k]);
            checked += 1;
        }
    }
    assert_eq!(checked, 18, "6 issues in 3 modes");
}

/// The six round-1 picks before the first near-tie are the same in every mode; a float64 run
/// must reproduce them to 1e-12.
#[test]
fn round1_first_six_exchanges_match_in_float64() {
    let fx = json("exchange-fixtures.json");
    let inp = input("sample_data.txt");
    for (mode, m) in fx["modes"].as_object().unwrap() {
        let r = run(&inp, &params(tie_of_mode(mode), Arithmetic::Float64)).unwrap();
        let picks = m["round1_first7"].as_array().unwrap();
        let ex = &r.rounds[0].exchanges;
        for (n, (want, got)) in picks.iter().zip(ex).take(6).enumerate() {
            assert_eq!(got.draws_so_far, 0, "pick {n} must come before any tie");
            assert_eq!(got.i.actor, s(&want["i"]), "{mode} pick {n}");
            assert_eq!(got.j.actor, s(&want["j"]), "{mode} pick {n}");
            assert_eq!(got.i.supply_issue, issue_of(s(&want["i_supply"])));
            assert_eq!(got.j.supply_issue, issue_of(s(&want["j_supply"])));
            let pairs = [
                (got.i.start, "i_start"),
                (got.i.shift, "i_move"),
                (got.i.y, "i_y"),
                (got.j.start, "j_start"),
                (got.j.shift, "j_move"),
                (got.j.y, "j_y"),
                (got.gain, "gain"),
                (got.i.outcome_shift, "dO_i_supply"),
                (got.j.outcome_shift, "dO_j_supply"),
            ];
            for (v, key) in pairs {
                let w = num(&want[key]);
                assert!((v - w).abs() <= 1e-12, "{mode} pick {n} {key}: {v} vs {w}");
            }
        }
    }
}

/// Full pinned runs of the shared fixtures, in 28-digit decimal: every outcome string, every
/// listed exchange, the rows per round and the number of draws must be identical.
#[test]
fn pinned_runs_match_fixtures_exactly_in_decimal() {
    let fx = json("exchange-fixtures.json");
    let inp = input("sample_data.txt");
    for (mode, m) in fx["modes"].as_object().unwrap() {
        let r = run_decimal(&inp, &params(tie_of_mode(mode), Arithmetic::Decimal28)).unwrap();
        let mut pairs = Vec::new();
        for (label, series) in m["issues"].as_object().unwrap() {
            let k = issue_index(&r, issue_of(label));
            for (round, rec) in r.rounds.iter().enumerate() {
                pairs.push((
                    rec.start_outcomes[k].clone(),
                    dec(s(&series["pref_outcome_rn"][round])),
                ));
                pairs.push((
                    rec.voting_outcomes[k].clone(),
                    dec(s(&series["voting_outcome_rn"][round])),
                ));
            }
        }
        for (want, got) in m["round1_first7"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&r.rounds[0].exchanges)
        {
            assert_eq!(got.i.actor, s(&want["i"]));
            assert_eq!(got.j.actor, s(&want["j"]));
            for (v, key) in [
                (&got.i.start, "i_start"),
                (&got.i.shift, "i_move"),
                (&got.i.y, "i_y"),
                (&got.j.start, "j_start"),
                (&got.j.shift, "j_move"),
                (&got.j.y, "j_y"),
                (&got.gain, "gain"),
                (&got.i.outcome_shift, "dO_i_supply"),
                (&got.j.outcome_shift, "dO_j_supply"),
            ] {
                pairs.push((v.clone(), dec(s(&want[key]))));
            }
        }
        // externality summary of round 1, first actor row: actor;ip;var;in;var;op;var;on;var;own;var
        let row: Vec<&str> = s(&m["externalities_round1_first_row"]).split(';').collect();
        let x = r.rounds[0]
            .externalities
            .iter()
            .find(|x| x.actor == row[0])
            .expect("actor of the externality row");
        for (v, col) in [
            (&x.inner_positive, 1),
            (&x.inner_negative, 3),
            (&x.outer_positive, 5),
            (&x.outer_negative, 7),
            (&x.own, 9),
        ] {
            pairs.push((v.clone(), dec(row[col])));
        }
        assert_eq!(pairs.len(), 6 * 10 * 2 + 7 * 9 + 5);
        let dev = max_dev(&pairs);
        assert_eq!(dev, 0.0, "{mode}: max deviation {dev}");
        assert!(pairs.iter().all(|(a, b)| a == b), "{mode}: a value differs");
        let rows: Vec<u64> = r
            .rounds
            .iter()
            .map(|x| x.exchanges.iter().filter(|e| e.valid_after_round).count() as u64)
            .collect();
        let want_rows: Vec<u64> = m["exchanges_per_round_csv_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(rows, want_rows, "{mode}: rows per round");
        let draws: usize = s(&m["draws"])
            .split("draws=")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .and_then(|t| t.parse().ok())
            .expect("draw count");
        assert_eq!(r.tie_draws, draws, "{mode}: tie draws");
    }
}

/// Compares a decimal run with a recorded package run field by field; returns the number of
/// values compared.
fn compare_package_run(run: &ExchangeRun<Dec28>, want: &Value, what: &str) -> usize {
    let rounds = want.as_array().unwrap();
    assert_eq!(run.rounds.len(), rounds.len());
    let mut n = 0;
    for (got, w) in run.rounds.iter().zip(rounds) {
        let rn = got.round;
        assert_eq!(
            got.tie_draws as u64,
            w["draws"].as_u64().unwrap(),
            "{what} r{rn} draws"
        );
        for key in ["start_outcomes", "voting_outcomes"] {
            for (issue, v) in w[key].as_object().unwrap() {
                let k = issue_index(run, issue);
                let g = if key == "start_outcomes" {
                    &got.start_outcomes[k]
                } else {
                    &got.voting_outcomes[k]
                };
                assert_eq!(*g, dec(s(v)), "{what} r{rn} {key} {issue}");
                n += 1;
            }
        }
        for (actor, sums) in w["externalities"].as_object().unwrap() {
            let x = got
                .externalities
                .iter()
                .find(|x| x.actor == *actor)
                .expect("actor");
            let mine = [
                &x.inner_positive,
                &x.inner_negative,
                &x.outer_positive,
                &x.outer_negative,
                &x.own,
            ];
            for (k, (m, v)) in mine.iter().zip(sums.as_array().unwrap()).enumerate() {
                assert_eq!(**m, dec(s(v)), "{what} r{rn} externality {k} of {actor}");
                n += 1;
            }
        }
        let ex = w["exchanges"].as_array().unwrap();
        assert_eq!(got.exchanges.len(), ex.len(), "{what} r{rn} exchanges");
        for (e, (ge, we)) in got.exchanges.iter().zip(ex).enumerate() {
            assert_eq!(ge.gain, dec(s(&we["gain"])), "{what} r{rn} #{e} gain");
            assert_eq!(
                ge.valid_after_round,
                we["valid_after_round"].as_bool().unwrap()
            );
            for (side, ws) in [(&ge.i, &we["i"]), (&ge.j, &we["j"])] {
                assert_eq!(side.actor, s(&ws["actor"]), "{what} r{rn} #{e}");
                assert_eq!(side.supply_issue, s(&ws["supply_issue"]));
                for (v, key) in [
                    (&side.start, "start"),
                    (&side.shift, "shift"),
                    (&side.y, "y"),
                    (&side.outcome_shift, "outcome_shift"),
                ] {
                    assert_eq!(*v, dec(s(&ws[key])), "{what} r{rn} #{e} {key}");
                    n += 1;
                }
            }
            n += 1;
        }
    }
    n
}

#[test]
fn full_package_runs_match_exactly_in_decimal_sample() {
    let pr = json("package-run-sample_data.json");
    let inp = input("sample_data.txt");
    for (mode, want) in pr["modes"].as_object().unwrap() {
        let r = run_decimal(&inp, &params(tie_of_mode(mode), Arithmetic::Decimal28)).unwrap();
        let n = compare_package_run(&r, want, &format!("sample {mode}"));
        assert!(n > 3000, "compared {n} values");
    }
}

#[test]
fn full_package_runs_match_exactly_in_decimal_cop21() {
    let pr = json("package-run-cop21.json");
    let inp = input("cop21.csv");
    for (mode, want) in pr["modes"].as_object().unwrap() {
        let r = run_decimal(&inp, &params(tie_of_mode(mode), Arithmetic::Decimal28)).unwrap();
        let n = compare_package_run(&r, want, &format!("cop21 {mode}"));
        assert!(n > 10000, "compared {n} values");
    }
}

/// A float64 run follows the package to 1e-9 up to the first near-tie (after which it may order a
/// tied pair the other way: the two gains differ only in the 28th digit).
#[test]
fn float64_runs_match_package_until_first_near_tie() {
    for (file, pr, min_exchanges) in [
        ("sample_data.txt", "package-run-sample_data.json", 6),
        ("cop21.csv", "package-run-cop21.json", 1),
    ] {
        let pr = json(pr);
        let inp = input(file);
        for (mode, want) in pr["modes"].as_object().unwrap() {
            let tie = tie_of_mode(mode);
            let f = run(&inp, &params(tie, Arithmetic::Float64)).unwrap();
            let d = run_decimal(&inp, &params(tie, Arithmetic::Decimal28)).unwrap();
            let mut matched = 0;
            let mut worst: f64 = 0.0;
            'rounds: for ((fr, dr), w) in
                f.rounds.iter().zip(&d.rounds).zip(want.as_array().unwrap())
            {
                for (k, v) in w["start_outcomes"].as_object().unwrap() {
                    let got = fr.start_outcomes[issue_index(&f, k)];
                    worst = worst.max((got - num(v)).abs());
                }
                let wex = w["exchanges"].as_array().unwrap();
                for ((fe, de), we) in fr.exchanges.iter().zip(&dr.exchanges).zip(wex) {
                    if de.draws_so_far > 0 || fe.draws_so_far > 0 {
                        break 'rounds;
                    }
                    assert_eq!(fe.i.actor, s(&we["i"]["actor"]), "{file} {mode}");
                    assert_eq!(fe.j.actor, s(&we["j"]["actor"]), "{file} {mode}");
                    assert_eq!(fe.i.supply_issue, s(&we["i"]["supply_issue"]));
                    for (v, key) in [(fe.i.y, "y"), (fe.i.shift, "shift")] {
                        worst = worst.max((v - num(&we["i"][key])).abs());
                    }
                    for (v, key) in [(fe.j.y, "y"), (fe.j.shift, "shift")] {
                        worst = worst.max((v - num(&we["j"][key])).abs());
                    }
                    worst = worst.max((fe.gain - num(&we["gain"])).abs());
                    matched += 1;
                }
            }
            eprintln!("{file} {mode}: {matched} exchanges before the first near-tie, max deviation {worst:e}");
            assert!(worst <= 1e-9, "{file} {mode}: deviation {worst}");
            assert!(
                matched >= min_exchanges,
                "{file} {mode}: only {matched} exchanges before the first tie"
            );
        }
    }
}

#[test]
fn seeded_runs_are_reproducible_and_serialize() {
    let inp = input("sample_data.txt");
    let p = params(TieBreak::Seeded(42), Arithmetic::Float64);
    let a = run(&inp, &p).unwrap();
    let b = run(&inp, &p).unwrap();
    assert_eq!(a, b);
    let js = serde_json::to_value(&a).unwrap();
    assert_eq!(js["schema_version"], 1);
    assert_eq!(
        js["params"]["tie_break"]["Seeded"], 42,
        "the seed is part of the output"
    );
    assert_eq!(js["rounds"].as_array().unwrap().len(), 10);
    // decimal mode converted to floats agrees with the float run at round 0
    let d = run(&inp, &params(TieBreak::Seeded(42), Arithmetic::Decimal28)).unwrap();
    for (x, y) in a.initial_outcomes.iter().zip(&d.initial_outcomes) {
        assert!((x - y).abs() < 1e-12);
    }
    let dj = serde_json::to_value(run_decimal(&inp, &p).unwrap()).unwrap();
    assert!(
        dj["initial_outcomes"][0].is_string(),
        "exact values serialize as strings"
    );
}

#[test]
fn reader_reports_lines() {
    type Check = fn(&DecideFormatError) -> bool;
    let cases: Vec<(&str, usize, Check)> = vec![
        ("#A\tx\n#X\ty\n", 2, |e| {
            matches!(e, DecideFormatError::UnknownRow { .. })
        }),
        ("#A\tx\n\n#A\tx\n", 3, |e| {
            matches!(e, DecideFormatError::Duplicate { first: 1, .. })
        }),
        ("#A\ta\n#P\tp\n#D\ta\tp\t50\tzero\t1\n", 3, |e| {
            matches!(
                e,
                DecideFormatError::BadNumber {
                    field: "salience",
                    ..
                }
            )
        }),
        ("#A\ta\n#P\tp\n#D\ta\tp\t50\t0.5\n", 3, |e| {
            matches!(e, DecideFormatError::MissingField { field: "power", .. })
        }),
        ("#A\ta\n#P\tp\n#D\tb\tp\t50\t0.5\t1\n", 3, |e| {
            matches!(e, DecideFormatError::UnknownActor { .. })
        }),
        ("#A\ta\n#P\tp\n#D\ta\tq\t50\t0.5\t1\n", 3, |e| {
            matches!(e, DecideFormatError::UnknownIssue { .. })
        }),
        (
            "#A\ta\n#P\tp\n#M\tp\t0\n#M\tp\t10\n#D\ta\tp\t50\t0.5\t1\n",
            5,
            |e| matches!(e, DecideFormatError::PositionOutOfRange { .. }),
        ),
        ("#P\tp\n#M\tp\t5\n#M\tp\t1\n", 3, |e| {
            matches!(e, DecideFormatError::ScaleOrder { .. })
        }),
        ("#P\tp\n#M\tp\t5\n", 1, |e| {
            matches!(e, DecideFormatError::EmptyScale { .. })
        }),
        ("#A\ta\n#P\tp\n#D\ta\tp\t50\t0.5\t101\n", 3, |e| {
            matches!(
                e,
                DecideFormatError::WeightOutOfRange { field: "power", .. }
            )
        }),
        ("#A\t'a\n", 1, |e| {
            matches!(e, DecideFormatError::UnterminatedQuote { .. })
        }),
        ("#A\ta\n#P\tp\n#D\ta\tp\t50\t0.5\tinf\n", 3, |e| {
            matches!(e, DecideFormatError::BadNumber { .. })
        }),
    ];
    for (text, line, check) in cases {
        let err = read_decide(text).expect_err(text);
        assert!(check(&err), "{text:?}: {err:?}");
        assert!(
            err.to_string().starts_with(&format!("line {line}:")),
            "{text:?}: {err}"
        );
    }
}

#[test]
fn reader_reads_reference_files() {
    let inp = input("sample_data.txt");
    assert_eq!(inp.actors.len(), 10);
    assert_eq!(inp.issues.len(), 6);
    let th = inp.issues.iter().find(|i| i.name == "tol-hoogte").unwrap();
    assert_eq!((th.lower, th.upper), (0.5, 7.0));
    let c = input("cop21.csv");
    assert_eq!(c.actors.len(), 15);
    // semicolon-separated with double quotes reads the same
    let semi = load("sample_data.txt")
        .replace('\t', ";")
        .replace('\'', "\"");
    assert_eq!(read_decide(&semi).unwrap(), inp);
    // a byte-order mark and CRLF line ends read the same
    let crlf = format!("\u{feff}{}", load("sample_data.txt").replace('\n', "\r\n"));
    assert_eq!(read_decide(&crlf).unwrap(), inp);
}

fn small_input() -> ExchangeInput {
    ExchangeInput {
        actors: vec!["a".into(), "b".into()],
        issues: vec![
            ExIssue {
                name: "p".into(),
                lower: 0.0,
                upper: 10.0,
            },
            ExIssue {
                name: "q".into(),
                lower: 0.0,
                upper: 10.0,
            },
        ],
        stances: vec![
            ExStance {
                actor: "a".into(),
                issue: "p".into(),
                position: 0.0,
                salience: 0.9,
                power: 1.0,
            },
            ExStance {
                actor: "a".into(),
                issue: "q".into(),
                position: 0.0,
                salience: 0.2,
                power: 1.0,
            },
            ExStance {
                actor: "b".into(),
                issue: "p".into(),
                position: 10.0,
                salience: 0.3,
                power: 1.0,
            },
            ExStance {
                actor: "b".into(),
                issue: "q".into(),
                position: 10.0,
                salience: 0.8,
                power: 1.0,
            },
        ],
    }
}

#[test]
fn run_rejects_bad_input_with_errors() {
    let p = ExchangeParams::default();
    let mut x = small_input();
    x.stances[0].actor = "zz".into();
    assert_eq!(run(&x, &p), Err(ExchangeError::UnknownActor("zz".into())));
    let mut x = small_input();
    x.stances[1].position = 11.0;
    assert!(matches!(
        run(&x, &p),
        Err(ExchangeError::PositionOutOfRange { .. })
    ));
    let mut x = small_input();
    x.issues[0].upper = 0.0;
    assert!(matches!(run(&x, &p), Err(ExchangeError::BadScale { .. })));
    let mut x = small_input();
    x.stances[2].power = f64::NAN;
    assert!(matches!(run(&x, &p), Err(ExchangeError::BadWeight { .. })));
    let mut x = small_input();
    x.stances[3].salience = 0.0;
    assert!(matches!(
        run(&x, &p),
        Err(ExchangeError::ZeroSalience { .. })
    ));
    let mut x = small_input();
    x.stances.push(x.stances[0].clone());
    assert!(matches!(
        run(&x, &p),
        Err(ExchangeError::DuplicateStance { .. })
    ));
}

/// Two actors who weigh the issues oppositely trade: a gives way on q, b on p, with equal gains;
/// the outcome on each issue moves toward the actor who cares more about it.
#[test]
fn two_actor_trade_moves_outcomes_toward_the_keener_actor() {
    let r = run(&small_input(), &ExchangeParams::default()).unwrap();
    let r1 = &r.rounds[0];
    assert_eq!(r1.exchanges.len(), 1);
    let e = &r1.exchanges[0];
    assert_eq!((e.i.actor.as_str(), e.i.supply_issue.as_str()), ("a", "q"));
    assert_eq!((e.j.actor.as_str(), e.j.supply_issue.as_str()), ("b", "p"));
    // start: O_p = (0*.9 + 10*.3)/1.2 = 2.5, O_q = (0*.2 + 10*.8)/1.0 = 8
    assert!((r.initial_outcomes[0] - 2.5).abs() < 1e-12);
    assert!((r.initial_outcomes[1] - 8.0).abs() < 1e-12);
    assert!(
        r1.voting_outcomes[0] < r.initial_outcomes[0],
        "p moves toward a"
    );
    assert!(
        r1.voting_outcomes[1] > r.initial_outcomes[1],
        "q moves toward b"
    );
    // equal gain: each gains what it loses less than it wins (in outcome units times salience)
    let dp = r.initial_outcomes[0] - r1.voting_outcomes[0];
    let dq = r1.voting_outcomes[1] - r.initial_outcomes[1];
    let gain_a = 0.9 * dp - 0.2 * dq;
    let gain_b = 0.8 * dq - 0.3 * dp;
    assert!((gain_a - gain_b).abs() < 1e-9 && gain_a > 0.0);
    // normalised units: outcome shift on 0..100 equals 10x the shift on the 0..10 scale
    assert!((e.gain - 10.0 * gain_a).abs() < 1e-9);
}

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("#A".to_string()),
        Just("#P".to_string()),
        Just("#M".to_string()),
        Just("#D".to_string()),
        Just("#/".to_string()),
        Just("'".to_string()),
        Just("\"".to_string()),
        "[a-c]{1,2}",
        "-?[0-9]{1,3}(\\.[0-9]{1,2})?",
        "[\\PC]{0,6}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(token(), 0..7),
        prop_oneof![Just("\t"), Just(";"), Just(",")],
    )
        .prop_map(|(t, d)| t.join(d))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Arbitrary text never panics the reader; errors name a line that exists.
    #[test]
    fn reader_never_panics_on_random_text(text in "\\PC{0,200}") {
        if let Err(e) = read_decide(&text) {
            let msg = e.to_string();
            prop_assert!(msg.starts_with("line "));
        }
    }

    /// Random record-shaped text (tags, names, numbers, quotes) never panics the reader, and what
    /// it accepts runs (or fails with an error) without panicking.
    #[test]
    fn reader_and_model_never_panic_on_random_records(lines in prop::collection::vec(line(), 0..14)) {
        let text = lines.join("\n");
        match read_decide(&text) {
            Ok(inp) => {
                let p = ExchangeParams { rounds: 2, ..ExchangeParams::default() };
                if let Ok(r) = run(&inp, &p) {
                    prop_assert_eq!(r.rounds.len(), 2);
                }
            }
            Err(e) => {
                let line: usize = e.to_string()
                    .strip_prefix("line ")
                    .and_then(|t| t.split(':').next())
                    .and_then(|t| t.parse().ok())
                    .unwrap_or(0);
                prop_assert!(line >= 1 && line <= lines.len().max(1), "{} lines, error {}", lines.len(), e);
            }
        }
    }

    /// On random valid models every outcome stays on its issue's scale and every exchange has a
    /// positive gain and stays within 0..100.
    #[test]
    fn outcomes_stay_on_scale(
        n_actors in 2usize..6,
        n_issues in 2usize..4,
        vals in prop::collection::vec((0.0f64..=1.0, 0.05f64..=1.0, 0.1f64..=5.0), 18),
        seed in 0u64..1000,
    ) {
        let actors: Vec<String> = (0..n_actors).map(|a| format!("a{a}")).collect();
        let issues: Vec<ExIssue> = (0..n_issues)
            .map(|k| ExIssue { name: format!("i{k}"), lower: -1.0, upper: 3.0 })
            .collect();
        let mut stances = Vec::new();
        for (a, actor) in actors.iter().enumerate() {
            for k in 0..n_issues {
                let (x, s, c) = vals[(a * n_issues + k) % vals.len()];
                stances.push(ExStance {
                    actor: actor.clone(), issue: format!("i{k}"),
                    position: -1.0 + 4.0 * x, salience: s, power: c,
                });
            }
        }
        let inp = ExchangeInput { actors, issues, stances };
        let p = ExchangeParams { rounds: 3, tie_break: TieBreak::Seeded(seed), ..ExchangeParams::default() };
        let r = run(&inp, &p).unwrap();
        for rd in &r.rounds {
            for o in rd.start_outcomes.iter().chain(&rd.voting_outcomes) {
                prop_assert!((-1.0 - 1e-9..=3.0 + 1e-9).contains(o), "outcome {}", o);
            }
            for e in &rd.exchanges {
                prop_assert!(e.gain > 0.0 || !e.valid_after_round);
                for m in [&e.i, &e.j] {
                    prop_assert!((-1e-9..=100.0 + 1e-9).contains(&m.y));
                }
            }
        }
    }
}
