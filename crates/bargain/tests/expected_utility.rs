//! Integration tests of the expected-utility model: the Scholz replication fixture, the corrected
//! model's golden files, the fast probability kernel against the naive one, invariants, CSV input.

use brink_bargain::expected_utility::{
    probability_matrix, read_bdm_csv, run, weighted_median, EuActor, EuAlgorithm, EuCsvError,
    EuError, EuMode, EuMoveKind, EuParams, EuRun, EuStop, EuVoter,
};

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/bdm/");

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{DATA}{name}"))
        .unwrap_or_else(|e| panic!("cannot read {DATA}{name}: {e}"))
}

fn actors(name: &str) -> Vec<EuActor> {
    read_bdm_csv(&read(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn replication() -> EuParams {
    EuParams {
        mode: EuMode::ScholzReplication,
        ..EuParams::default()
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// A move as the replication's log prints it.
#[derive(Debug)]
struct LogMove {
    actor: String,
    partner: String,
    kind: EuMoveKind,
    eu_ij: f64,
    eu_ji: f64,
    new_pos: f64,
}

/// Parses `Example.log`: per round, the moves and the "Mean position" line that follows them.
fn parse_log(text: &str) -> Vec<(Vec<LogMove>, f64)> {
    let mut rounds: Vec<(Vec<LogMove>, f64)> = Vec::new();
    let mut lines = text.lines().peekable();
    let mut in_round = false;
    while let Some(line) = lines.next() {
        let line = line.trim_end();
        if line.starts_with("ROUND ") {
            rounds.push((Vec::new(), f64::NAN));
            in_round = true;
            continue;
        }
        if let Some(v) = line.strip_prefix("Mean position: ") {
            if in_round {
                rounds.last_mut().unwrap().1 = v.parse().unwrap();
            }
            continue;
        }
        if !in_round || line.is_empty() || line.starts_with("Median position") {
            continue;
        }
        let (actor, partner, kind) = if let Some((a, b)) = line.split_once(" compromises with ") {
            (a, b, EuMoveKind::Compromise)
        } else if let Some((a, b)) = line.split_once(" loses confrontation to ") {
            (a, b, EuMoveKind::Confrontation)
        } else if let Some((a, b)) = line.split_once(" capitulates to ") {
            (a, b, EuMoveKind::Capitulation)
        } else {
            panic!("unexpected log line: {line}");
        };
        let eus = lines.next().expect("utility line").trim();
        let (eu_ij, eu_ji) = eus.split_once(" vs ").expect("`a vs b`");
        let pos = lines.next().expect("new_pos line").trim();
        let new_pos = pos.strip_prefix("new_pos = ").expect("new_pos = ");
        rounds.last_mut().unwrap().0.push(LogMove {
            actor: actor.to_string(),
            partner: partner.to_string(),
            kind,
            eu_ij: eu_ij.parse().unwrap(),
            eu_ji: eu_ji.parse().unwrap(),
            new_pos: new_pos.parse().unwrap(),
        });
    }
    rounds
}

fn check_against_log(run: &EuRun) -> f64 {
    let log = parse_log(&read("Example.log"));
    assert_eq!(log.len(), 10, "the log has 10 rounds");
    assert_eq!(run.rounds.len(), 10, "stop: {:?}", run.stop);
    let mut max_dev: f64 = 0.0;
    for (k, ((moves, mean), round)) in log.iter().zip(&run.rounds).enumerate() {
        assert_eq!(
            moves.len(),
            round.moves.len(),
            "round {}: moves {:?}",
            k + 1,
            run.describe_round(k + 1)
        );
        for (lm, m) in moves.iter().zip(&round.moves) {
            assert_eq!(lm.actor, run.names[m.actor], "round {}", k + 1);
            assert_eq!(lm.partner, run.names[m.partner], "round {}", k + 1);
            assert_eq!(lm.kind, m.kind, "round {}", k + 1);
            for (a, b) in [
                (lm.eu_ij, m.eu_ij),
                (lm.eu_ji, m.eu_ji),
                (lm.new_pos, m.new_position),
            ] {
                max_dev = max_dev.max((a - b).abs());
                assert!(close(a, b, 1e-9), "round {}: {a} vs {b}", k + 1);
            }
            assert_eq!(round.positions[m.actor], m.new_position);
        }
        max_dev = max_dev.max((mean - round.mean).abs());
        assert!(close(*mean, round.mean, 1e-9), "round {} mean", k + 1);
    }
    max_dev
}

#[test]
fn replication_reproduces_every_move_of_the_log() {
    let acts = actors("ExampleActors.csv");
    let r = run(&acts, &replication()).unwrap();
    let dev = check_against_log(&r);
    eprintln!("max deviation from Example.log: {dev:e}");
    assert_eq!(r.stop, EuStop::RoundLimit);
}

#[test]
fn replication_with_the_naive_kernel_reproduces_the_log_too() {
    let acts = actors("ExampleActors.csv");
    let params = EuParams {
        algorithm: EuAlgorithm::Naive,
        ..replication()
    };
    check_against_log(&run(&acts, &params).unwrap());
}

#[test]
fn replication_matches_the_rounds_table_and_its_median_column() {
    let acts = actors("ExampleActors.csv");
    let r = run(&acts, &replication()).unwrap();
    let table = read("ExampleActors-rounds.csv");
    let mut lines = table.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let weights: Vec<f64> = acts.iter().map(|a| a.capability * a.salience).collect();
    let mut count = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let round: usize = cells[0].parse().unwrap();
        let positions = if round == 0 {
            &r.initial_positions
        } else {
            &r.rounds[round - 1].positions
        };
        for (k, a) in acts.iter().enumerate() {
            let col = header.iter().position(|h| *h == a.name).unwrap();
            let expected: f64 = cells[col].parse().unwrap();
            assert!(
                close(positions[k], expected, 0.5e-4 + 1e-12),
                "round {round} {}: {} vs {expected}",
                a.name,
                positions[k]
            );
        }
        let median_col = header.iter().position(|h| *h == "median").unwrap();
        let median: f64 = cells[median_col].parse().unwrap();
        let (m, _) = weighted_median(positions, &weights);
        assert!(close(m, median, 0.5e-4 + 1e-12), "round {round} median");
        count += 1;
    }
    assert_eq!(count, 11);
}

#[test]
fn replication_round_one_risk_exponents() {
    // Round-1 exponents as listed in the model reference (4 decimals).
    let expected = [
        ("Netherlands", 1.4057),
        ("Belgium", 0.7542),
        ("Luxembourg", 0.5089),
        ("Germany", 1.4057),
        ("France", 1.0465),
        ("Italy", 1.0465),
        ("UK", 1.9649),
        ("Ireland", 0.5000),
        ("Denmark", 2.0000),
        ("Greece", 1.1121),
    ];
    let acts = actors("ExampleActors.csv");
    let r = run(&acts, &replication()).unwrap();
    for (k, (name, rk)) in expected.iter().enumerate() {
        assert_eq!(r.names[k], *name);
        assert!(
            close(r.rounds[0].risk[k], *rk, 0.5e-4 + 1e-12),
            "{name}: {} vs {rk}",
            r.rounds[0].risk[k]
        );
    }
}

#[test]
fn describe_round_renders_the_log_moves() {
    let acts = actors("ExampleActors.csv");
    let r = run(&acts, &replication()).unwrap();
    let lines = r.describe_round(1).unwrap();
    assert_eq!(lines.len(), 3);
    assert!(
        lines[0].starts_with("Belgium compromises with France:"),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].ends_with("moves from 7 to 8.4159."),
        "{}",
        lines[0]
    );
    assert!(lines[1].starts_with("Luxembourg loses a confrontation to Belgium:"));
    assert!(lines[1].ends_with("moves from 4 to 7."), "{}", lines[1]);
    assert!(r.describe_round(11).is_none());
}

// ---------------------------------------------------------------------------------------------
// Corrected model: golden fixtures written by scripts/eu_golden.py (an independent, naive
// Python implementation of the corrected rules).

fn kind_name(k: EuMoveKind) -> &'static str {
    match k {
        EuMoveKind::Confrontation => "confrontation",
        EuMoveKind::Compromise => "compromise",
        EuMoveKind::Capitulation => "capitulation",
    }
}

fn num(v: &serde_json::Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn check_golden(case: &str) -> f64 {
    check_golden_on(case, &actors(&format!("{case}.csv")))
}

/// The first `count` actors of a KTAB input (row 1 `name,desc,nActors,nDims`, row 2 a header,
/// then `Actor,Description,Power,Pos1,Sal1,...` on 0-100): power, position, salience / 100.
fn ktab_actors(name: &str, count: usize) -> Vec<EuActor> {
    read(name)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .skip(2)
        .take(count)
        .map(|l| {
            let c: Vec<&str> = l.split(',').map(str::trim).collect();
            let num = |k: usize| c[k].parse::<f64>().unwrap();
            actor(c[0], num(2), num(3), num(4) / 100.0)
        })
        .collect()
}

fn check_golden_on(case: &str, acts: &[EuActor]) -> f64 {
    let golden: serde_json::Value =
        serde_json::from_str(&read(&format!("golden/{case}.corrected.json"))).unwrap();
    let mut max_dev: f64 = 0.0;
    let mut dev = |a: f64, b: f64, what: &str| {
        max_dev = max_dev.max((a - b).abs());
        assert!(close(a, b, 1e-9), "{case} {what}: {a} vs {b}");
    };
    for algorithm in [EuAlgorithm::Fast, EuAlgorithm::Naive] {
        let params = EuParams {
            algorithm,
            ..EuParams::default()
        };
        let r = run(acts, &params).unwrap();
        let names: Vec<&str> = golden["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(r.names, names);
        let rounds = golden["rounds"].as_array().unwrap();
        assert_eq!(r.rounds.len(), rounds.len(), "{case}: number of rounds");
        for (g, round) in rounds.iter().zip(&r.rounds) {
            assert_eq!(g["round"].as_u64().unwrap() as usize, round.round);
            let what = format!("round {}", round.round);
            for (a, b) in g["risk"].as_array().unwrap().iter().zip(&round.risk) {
                dev(num(a), *b, &format!("{what} risk"));
            }
            let moves = g["moves"].as_array().unwrap();
            assert_eq!(moves.len(), round.moves.len(), "{case} {what}: moves");
            for (gm, m) in moves.iter().zip(&round.moves) {
                assert_eq!(
                    gm["actor"].as_u64().unwrap() as usize,
                    m.actor,
                    "{case} {what}"
                );
                assert_eq!(
                    gm["partner"].as_u64().unwrap() as usize,
                    m.partner,
                    "{case} {what}"
                );
                assert_eq!(
                    gm["kind"].as_str().unwrap(),
                    kind_name(m.kind),
                    "{case} {what}"
                );
                dev(num(&gm["eu_ij"]), m.eu_ij, &format!("{what} eu_ij"));
                dev(num(&gm["eu_ji"]), m.eu_ji, &format!("{what} eu_ji"));
                dev(num(&gm["old_position"]), m.old_position, &what);
                dev(num(&gm["new_position"]), m.new_position, &what);
            }
            let gp = g["positions"].as_array().unwrap();
            assert_eq!(gp.len(), round.positions.len());
            for (a, b) in gp.iter().zip(&round.positions) {
                dev(num(a), *b, &format!("{what} positions"));
            }
        }
        let stop = &golden["stop"];
        let expected_stop = match stop["reason"].as_str().unwrap() {
            "round_limit" => EuStop::RoundLimit,
            "consensus" => EuStop::Consensus {
                round: stop["round"].as_u64().unwrap() as usize,
            },
            "no_move" => EuStop::NoMove {
                round: stop["round"].as_u64().unwrap() as usize,
            },
            other => panic!("unknown stop {other}"),
        };
        assert_eq!(r.stop, expected_stop, "{case}");
        for (a, b) in golden["final_positions"]
            .as_array()
            .unwrap()
            .iter()
            .zip(&r.final_positions)
        {
            dev(num(a), *b, "final positions");
        }
        dev(num(&golden["forecast"]["mean"]), r.forecast.mean, "mean");
        dev(
            num(&golden["forecast"]["median"]),
            r.forecast.median,
            "median",
        );
        assert_eq!(
            golden["forecast"]["equal_weights"].as_bool().unwrap(),
            r.forecast.equal_weights
        );
    }
    max_dev
}

#[test]
fn corrected_golden_example_actors() {
    eprintln!("max deviation: {:e}", check_golden("ExampleActors"));
}

#[test]
fn corrected_golden_sultan() {
    eprintln!("max deviation: {:e}", check_golden("Sultan"));
}

#[test]
fn corrected_golden_china() {
    eprintln!("max deviation: {:e}", check_golden("ChinaData"));
}

#[test]
fn corrected_golden_honduras() {
    eprintln!("max deviation: {:e}", check_golden("HondurasCrisisData"));
}

#[test]
fn corrected_golden_ktab_first_40_actors() {
    let acts = ktab_actors("dummyData-a160.csv", 40);
    assert_eq!(acts.len(), 40);
    let dev = check_golden_on("dummyData-a160-first40", &acts);
    eprintln!("max deviation: {dev:e}");
}

// ---------------------------------------------------------------------------------------------
// Degenerate inputs.

fn actor(name: &str, capability: f64, position: f64, salience: f64) -> EuActor {
    EuActor {
        name: name.to_string(),
        capability,
        position,
        salience,
    }
}

fn all_finite(r: &EuRun) -> bool {
    let mut v: Vec<f64> = vec![r.delta, r.forecast.mean, r.forecast.median];
    v.extend(&r.final_positions);
    for round in &r.rounds {
        v.extend(&round.risk);
        v.extend(&round.positions);
        v.push(round.mean);
        for m in &round.moves {
            v.extend([m.eu_ij, m.eu_ji, m.old_position, m.new_position]);
        }
    }
    v.iter().all(|x| x.is_finite())
}

#[test]
fn empty_actor_list_is_an_error() {
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        let params = EuParams {
            mode,
            ..EuParams::default()
        };
        assert_eq!(run(&[], &params), Err(EuError::NoActors));
    }
}

#[test]
fn one_actor_and_one_position_end_at_once() {
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        let params = EuParams {
            mode,
            ..EuParams::default()
        };
        let r = run(&[actor("A", 1.0, 3.5, 0.7)], &params).unwrap();
        assert_eq!(r.stop, EuStop::Consensus { round: 1 });
        assert!(r.rounds.is_empty());
        assert_eq!((r.forecast.mean, r.forecast.median), (3.5, 3.5));
        let same = [actor("A", 1.0, 2.0, 0.5), actor("B", 3.0, 2.0, 0.9)];
        let r = run(&same, &params).unwrap();
        assert_eq!(r.stop, EuStop::Consensus { round: 1 });
        assert_eq!((r.forecast.mean, r.forecast.median), (2.0, 2.0));
        assert_eq!(r.delta, 0.0);
    }
}

#[test]
fn zero_salience_and_zero_capability_give_defined_answers() {
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        let params = EuParams {
            mode,
            ..EuParams::default()
        };
        let no_salience = [
            actor("A", 1.0, 0.0, 0.0),
            actor("B", 2.0, 5.0, 0.0),
            actor("C", 3.0, 10.0, 0.0),
        ];
        let r = run(&no_salience, &params).unwrap();
        assert!(all_finite(&r), "{r:?}");
        assert!(r.forecast.equal_weights);
        let no_capability = [
            actor("A", 0.0, 0.0, 0.5),
            actor("B", 0.0, 5.0, 1.0),
            actor("C", 2.0, 10.0, 0.3),
        ];
        let r = run(&no_capability, &params).unwrap();
        assert!(all_finite(&r), "{r:?}");
        assert!(!r.forecast.equal_weights);
        // Only C carries weight, so the weighted summaries are C's final position.
        assert_eq!(r.forecast.median, r.final_positions[2]);
        assert!(close(r.forecast.mean, r.final_positions[2], 1e-12));
        let nobody = [actor("A", 0.0, 0.0, 0.0), actor("B", 0.0, 1.0, 0.0)];
        assert!(all_finite(&run(&nobody, &params).unwrap()));
    }
}

#[test]
fn equal_danger_gives_unit_risk_exponents() {
    // Two mirror-image actors face the same danger: S_max == S_min, so r = 1 by definition.
    let pair = [actor("A", 1.0, 0.0, 0.5), actor("B", 1.0, 1.0, 0.5)];
    for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
        let params = EuParams {
            mode,
            ..EuParams::default()
        };
        let r = run(&pair, &params).unwrap();
        assert!(!r.rounds.is_empty());
        assert_eq!(r.rounds[0].risk, vec![1.0, 1.0]);
        assert!(all_finite(&r));
    }
}

#[test]
fn invalid_actor_values_are_errors() {
    let bad = [
        actor("A", 1.0, f64::NAN, 0.5),
        actor("A", -1.0, 1.0, 0.5),
        actor("A", 1.0, 1.0, 1.5),
        actor("A", f64::INFINITY, 1.0, 0.5),
    ];
    for a in bad {
        let r = run(&[actor("B", 1.0, 0.0, 0.5), a], &EuParams::default());
        assert!(
            matches!(r, Err(EuError::InvalidActor { index: 1, .. })),
            "{r:?}"
        );
    }
    let many = EuParams {
        rounds: usize::MAX,
        ..EuParams::default()
    };
    let pair = [actor("A", 1.0, 0.0, 0.5), actor("B", 1.0, 1.0, 0.5)];
    assert_eq!(run(&pair, &many), Err(EuError::TooManyRounds(usize::MAX)));
    let far = [actor("A", 1.0, -1e308, 0.5), actor("B", 1.0, 1e308, 0.5)];
    let r = run(&far, &EuParams::default());
    assert!(matches!(r, Err(EuError::Overflow(_))), "{r:?}");
    // Huge capabilities are fine: weights are scaled by the largest before any sum.
    let heavy = [actor("A", 1e308, 0.0, 1.0), actor("B", 1e308, 1.0, 1.0)];
    assert!(all_finite(&run(&heavy, &EuParams::default()).unwrap()));
    let v = EuVoter {
        position: 0.0,
        weight: 1.0,
        exponent: 1.0,
    };
    for delta in [0.0, -1.0, f64::NAN] {
        assert!(probability_matrix(&[v], delta, EuMode::Corrected, EuAlgorithm::Fast).is_err());
    }
    let bad_voter = EuVoter { exponent: 0.0, ..v };
    assert!(probability_matrix(&[bad_voter], 1.0, EuMode::Corrected, EuAlgorithm::Fast).is_err());
    let far = [
        EuVoter {
            position: -1e308,
            ..v
        },
        EuVoter {
            position: 1e308,
            ..v
        },
    ];
    assert!(probability_matrix(&far, 1.0, EuMode::Corrected, EuAlgorithm::Fast).is_err());
    assert!(
        probability_matrix(&[], 1.0, EuMode::Corrected, EuAlgorithm::Fast)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn corrected_probabilities_are_complementary() {
    let voters: Vec<EuVoter> = actors("Sultan.csv")
        .iter()
        .enumerate()
        .map(|(k, a)| EuVoter {
            position: a.position,
            weight: a.capability * a.salience,
            exponent: 0.5 + 0.1 * k as f64,
        })
        .collect();
    let n = voters.len();
    let p = probability_matrix(&voters, 1.4, EuMode::Corrected, EuAlgorithm::Fast).unwrap();
    for i in 0..n {
        for j in 0..n {
            if voters[i].position == voters[j].position {
                assert_eq!(p[i * n + j], 0.0);
            } else {
                assert!(close(p[i * n + j] + p[j * n + i], 1.0, 1e-12));
            }
        }
    }
}

#[test]
fn zero_rounds_and_serialisation() {
    let acts = actors("ExampleActors.csv");
    let none = run(
        &acts,
        &EuParams {
            rounds: 0,
            ..EuParams::default()
        },
    )
    .unwrap();
    assert!(none.rounds.is_empty());
    assert_eq!(none.stop, EuStop::RoundLimit);
    assert_eq!(none.final_positions, none.initial_positions);
    // The log's round-0 mean (its first "Mean position" line).
    let log = read("Example.log");
    let mean0: f64 = log
        .lines()
        .find_map(|l| l.strip_prefix("Mean position: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(close(none.forecast.mean, mean0, 1e-12));
    let r = run(&acts, &replication()).unwrap();
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(json["mode"], "scholz_replication");
    assert_eq!(json["stop"]["reason"], "round_limit");
    assert_eq!(json["rounds"][0]["moves"][0]["kind"], "compromise");
    assert_eq!(json["rounds"].as_array().unwrap().len(), 10);
}

// ---------------------------------------------------------------------------------------------
// CSV reader.

#[test]
fn reads_the_four_reference_files() {
    let ex = actors("ExampleActors.csv");
    assert_eq!(ex.len(), 10);
    assert_eq!(ex[1], actor("Belgium", 0.08, 7.0, 0.4));
    assert_eq!(actors("Sultan.csv").len(), 17);
    let china = actors("ChinaData.csv");
    assert_eq!(china.len(), 24);
    // 0-100 salience column read as a fraction; resources kept as they are.
    assert_eq!(china[0], actor("Zeming", 80.0, 25.0, 0.5));
    assert_eq!(china[22].name, "Hong Kong");
    let honduras = actors("HondurasCrisisData.csv");
    assert_eq!(honduras.len(), 5);
    assert_eq!(honduras[3], actor("United States", 0.2550486, 0.5, 0.1));
}

#[test]
fn csv_errors_name_line_and_column() {
    let r = read_bdm_csv("Actor,Capability,Position,Salience\nA,1,2,0.5\nB,x,2,0.5\n");
    assert_eq!(
        r,
        Err(EuCsvError::BadNumber {
            line: 3,
            column: 2,
            what: "capability",
            value: "x".into()
        })
    );
    // CRLF counts one line per row; a blank line still counts.
    let r = read_bdm_csv("Actor,Capability,Position,Salience\r\nA,1,2,0.5\r\n\r\nB,1,inf,0.5\r\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::BadNumber {
                line: 4,
                column: 3,
                ..
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Name,Power,Salience\nA,1,0.5\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::MissingColumn {
                line: 1,
                what: "position",
                ..
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Actor,Capability,Position,Salience\nA,1,2\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::TooFewFields {
                line: 2,
                found: 3,
                needed: 4
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Actor,Capability,Position,Salience\nA,-1,2,0.5\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::OutOfRange {
                line: 2,
                column: 2,
                ..
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Actor,Capability,Position,Salience\nA,1,2,150\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::OutOfRange {
                line: 2,
                column: 4,
                ..
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Actor,Capability,Position,Salience\n,1,2,0.5\n");
    assert!(
        matches!(r, Err(EuCsvError::EmptyName { line: 2, column: 1 })),
        "{r:?}"
    );
    assert_eq!(read_bdm_csv(""), Err(EuCsvError::Empty));
    assert_eq!(
        read_bdm_csv("Actor,Capability,Position,Salience\n"),
        Err(EuCsvError::NoActors)
    );
    let r = read_bdm_csv("Actor,Actor,Capability,Position,Salience\n");
    assert!(
        matches!(
            r,
            Err(EuCsvError::DuplicateColumn {
                line: 1,
                column: 2,
                ..
            })
        ),
        "{r:?}"
    );
    let r = read_bdm_csv("Actor,Capability,Position,Salience\n\"A,1,2,0.5\n");
    assert_eq!(r, Err(EuCsvError::UnterminatedQuote { line: 2 }));
    // Messages carry the location.
    let msg = read_bdm_csv("Actor,Capability,Position,Salience\nA,1,zz,0.5")
        .unwrap_err()
        .to_string();
    assert!(msg.contains("line 2, column 3"), "{msg}");
}

#[test]
fn csv_accepts_quotes_other_orders_and_extra_columns() {
    let text = "\u{feff}Salience, Note ,position,NAME,Resources\n0.5,x,3,\"Doe, \"\"J\"\"\",2\n";
    let a = read_bdm_csv(text).unwrap();
    assert_eq!(a, vec![actor("Doe, \"J\"", 2.0, 3.0, 0.5)]);
}

// ---------------------------------------------------------------------------------------------
// Property tests: the fast kernel against the naive oracle, and invariants of the corrected model.

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Positions that mix exact ties (a small grid), arbitrary reals and near-coincident pairs
    /// (grid points nudged by 1e-7 .. 1e-4 of the range), to reach every branch of the kernel.
    fn position() -> impl Strategy<Value = f64> {
        prop_oneof![
            (0u8..=10).prop_map(f64::from),
            0.0f64..10.0,
            ((0u8..=10), 1e-7f64..1e-4).prop_map(|(g, e)| f64::from(g) + e * 10.0),
        ]
    }

    fn weight() -> impl Strategy<Value = f64> {
        prop_oneof![1 => Just(0.0), 6 => 0.0f64..1.0]
    }

    fn voters(max: usize) -> impl Strategy<Value = Vec<EuVoter>> {
        prop::collection::vec(
            (position(), weight(), 0.5f64..2.0, any::<bool>()).prop_map(|(p, w, r, unit)| {
                EuVoter {
                    position: p,
                    weight: w,
                    exponent: if unit { 1.0 } else { r },
                }
            }),
            1..=max,
        )
    }

    fn actors_strategy(max: usize) -> impl Strategy<Value = Vec<EuActor>> {
        prop::collection::vec((0.0f64..1.0, position(), weight()), 1..=max).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(k, (c, p, s))| actor(&format!("A{k}"), c, p, s.min(1.0)))
                .collect()
        })
    }

    /// Grid or continuous positions (ties possible, no near-coincident pairs by construction).
    fn separated_actors(max: usize) -> impl Strategy<Value = Vec<EuActor>> {
        prop::collection::vec(
            (
                0.0f64..1.0,
                prop_oneof![
                    (0u8..=10).prop_map(f64::from),
                    (0u16..=1000).prop_map(|k| f64::from(k) / 100.0)
                ],
                weight(),
            ),
            1..=max,
        )
        .prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(k, (c, p, s))| actor(&format!("A{k}"), c, p, s))
                .collect()
        })
    }

    /// Continuous positions and weights (no exact ties), for order-sensitive invariants.
    fn generic_actors(max: usize) -> impl Strategy<Value = Vec<EuActor>> {
        prop::collection::vec((0.01f64..1.0, 0.0f64..10.0, 0.01f64..1.0), 2..=max).prop_map(|v| {
            v.into_iter()
                .enumerate()
                .map(|(k, (c, p, s))| actor(&format!("A{k}"), c, p, s))
                .collect()
        })
    }

    fn max_diff(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }

    fn delta_of(v: &[EuVoter]) -> f64 {
        let lo = v.iter().map(|x| x.position).fold(f64::INFINITY, f64::min);
        let hi = v
            .iter()
            .map(|x| x.position)
            .fold(f64::NEG_INFINITY, f64::max);
        if hi > lo {
            hi - lo
        } else {
            1.0
        }
    }

    fn params(mode: EuMode, algorithm: EuAlgorithm) -> EuParams {
        EuParams {
            mode,
            rounds: 10,
            algorithm,
        }
    }

    /// True if no two distinct positions are closer than 1e-6 of `delta`.
    ///
    /// Once two positions nearly coincide, the model's decisions rest on rounding noise: the
    /// expected utilities of a challenge across a gap g are differences of O(1) terms of size
    /// O(g), so at g ~ 1e-13 they are pure rounding and whether an offer qualifies (e.g.
    /// eu_ji > |eu_ij| at 4e-15) depends on the order of floating-point sums. Actors converging
    /// geometrically on one point reach such gaps within ten rounds. Comparisons of two runs
    /// that must agree only up to rounding therefore stop at the first round that starts from
    /// such positions.
    fn well_separated(x: &[f64], delta: f64) -> bool {
        let mut v = x.to_vec();
        v.sort_by(f64::total_cmp);
        v.windows(2)
            .all(|w| w[1] == w[0] || w[1] - w[0] >= 1e-6 * delta)
    }

    /// Start positions of each round of `r`.
    fn starts(r: &EuRun) -> Vec<Vec<f64>> {
        let mut out = vec![r.initial_positions.clone()];
        out.extend(r.rounds.iter().map(|x| x.positions.clone()));
        out
    }

    /// Same moves (who, partner, kind) and the same utilities and positions to 1e-9, for every
    /// round that starts from well-separated positions (see [`well_separated`]). Risk exponents
    /// are not compared: R_i is a ratio of differences of the dangers S_i, which are all tiny
    /// once positions nearly coincide, so rounding of 1e-16 in P moves r_i by 1e-9 and more
    /// (seen with actors converging geometrically) without changing moves or positions.
    fn same_moves(a: &EuRun, b: &EuRun) -> Result<(), TestCaseError> {
        let start = starts(a);
        for (k, (ra, rb)) in a.rounds.iter().zip(&b.rounds).enumerate() {
            if !well_separated(&start[k], a.delta) {
                return Ok(());
            }
            prop_assert_eq!(ra.moves.len(), rb.moves.len());
            for (ma, mb) in ra.moves.iter().zip(&rb.moves) {
                prop_assert_eq!(
                    (ma.actor, ma.partner, ma.kind),
                    (mb.actor, mb.partner, mb.kind)
                );
                prop_assert!((ma.eu_ij - mb.eu_ij).abs() < 1e-9);
                prop_assert!((ma.eu_ji - mb.eu_ji).abs() < 1e-9);
                prop_assert!((ma.new_position - mb.new_position).abs() < 1e-9);
            }
            prop_assert!(max_diff(&ra.positions, &rb.positions) < 1e-9);
        }
        if start.iter().all(|x| well_separated(x, a.delta)) {
            prop_assert_eq!(a.rounds.len(), b.rounds.len());
            prop_assert_eq!(a.stop, b.stop);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn fast_and_naive_probability_matrices_agree(v in voters(14)) {
            let delta = delta_of(&v);
            for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
                let fast = probability_matrix(&v, delta, mode, EuAlgorithm::Fast).unwrap();
                let naive = probability_matrix(&v, delta, mode, EuAlgorithm::Naive).unwrap();
                let d = max_diff(&fast, &naive);
                prop_assert!(d <= 1e-12, "{mode:?}: max |fast - naive| = {d:e}");
                prop_assert!(fast.iter().all(|p| (0.0..=1.0).contains(p)));
            }
        }

        #[test]
        fn fast_and_naive_matrices_agree_in_every_round_of_a_run(a in actors_strategy(12)) {
            for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
                let fast = run(&a, &params(mode, EuAlgorithm::Fast)).unwrap();
                prop_assert!(all_finite(&fast));
                // The matrices of every round: start positions, with unit exponents (the risk
                // pass) and with the round's exponents.
                let mut x = fast.initial_positions.clone();
                for round in &fast.rounds {
                    for exps in [vec![1.0; a.len()], round.risk.clone()] {
                        let v: Vec<EuVoter> = a
                            .iter()
                            .zip(&x)
                            .zip(&exps)
                            .map(|((ak, &p), &r)| EuVoter {
                                position: p,
                                weight: ak.capability * ak.salience,
                                exponent: r,
                            })
                            .collect();
                        let f = probability_matrix(&v, fast.delta, mode, EuAlgorithm::Fast).unwrap();
                        let n = probability_matrix(&v, fast.delta, mode, EuAlgorithm::Naive).unwrap();
                        let d = max_diff(&f, &n);
                        prop_assert!(d <= 1e-12, "round {}: {d:e}", round.round);
                    }
                    x = round.positions.clone();
                }
            }
        }

        /// Whole runs, on positions from a grid or spread out, and on the near-coincident mix.
        #[test]
        fn fast_and_naive_runs_make_the_same_moves(
            a in prop_oneof![separated_actors(12), actors_strategy(12)]
        ) {
            for mode in [EuMode::Corrected, EuMode::ScholzReplication] {
                let fast = run(&a, &params(mode, EuAlgorithm::Fast)).unwrap();
                let naive = run(&a, &params(mode, EuAlgorithm::Naive)).unwrap();
                same_moves(&fast, &naive)?;
            }
        }

        #[test]
        fn corrected_positions_stay_within_the_initial_range(a in actors_strategy(12)) {
            let r = run(&a, &EuParams::default()).unwrap();
            let lo = a.iter().map(|x| x.position).fold(f64::INFINITY, f64::min);
            let hi = a.iter().map(|x| x.position).fold(f64::NEG_INFINITY, f64::max);
            prop_assert!(all_finite(&r));
            for round in &r.rounds {
                prop_assert!(round.positions.iter().all(|p| (lo..=hi).contains(p)));
            }
            prop_assert!((lo..=hi).contains(&r.forecast.mean));
            prop_assert!((lo..=hi).contains(&r.forecast.median));
        }

        #[test]
        fn corrected_permuting_actors_permutes_the_result(
            (a, perm) in generic_actors(10).prop_flat_map(|a| {
                let n = a.len();
                (Just(a), Just((0..n).collect::<Vec<usize>>()).prop_shuffle())
            })
        ) {
            let permuted: Vec<EuActor> = perm.iter().map(|&k| a[k].clone()).collect();
            let r = run(&a, &EuParams::default()).unwrap();
            let rp = run(&permuted, &EuParams::default()).unwrap();
            // As in `same_moves`: rounds from well-separated positions, no risk exponents.
            let start = starts(&r);
            for (k, (ra, rb)) in r.rounds.iter().zip(&rp.rounds).enumerate() {
                if !well_separated(&start[k], r.delta) {
                    return Ok(());
                }
                prop_assert_eq!(ra.moves.len(), rb.moves.len());
                for (slot, &k) in perm.iter().enumerate() {
                    prop_assert!((ra.positions[k] - rb.positions[slot]).abs() < 1e-9);
                    let ma = ra.moves.iter().find(|m| m.actor == k).map(|m| m.kind);
                    let mb = rb.moves.iter().find(|m| m.actor == slot).map(|m| m.kind);
                    prop_assert_eq!(ma, mb);
                }
            }
            prop_assert_eq!(r.rounds.len(), rp.rounds.len());
            prop_assert!((r.forecast.mean - rp.forecast.mean).abs() < 1e-9);
            prop_assert!((r.forecast.median - rp.forecast.median).abs() < 1e-9);
        }

        #[test]
        fn any_finite_input_gives_a_finite_answer_or_an_error(
            a in prop::collection::vec(
                (
                    prop_oneof![Just(0.0), 1e-300f64..1e-290, 0.0f64..1e6, 1e300f64..1e307],
                    prop_oneof![-1e6f64..1e6, -1e-300f64..1e-300, -1e307f64..1e307],
                    prop_oneof![Just(0.0), Just(1.0), 0.0f64..=1.0],
                ),
                0..8,
            ),
            replicate in any::<bool>(),
        ) {
            let acts: Vec<EuActor> = a
                .iter()
                .enumerate()
                .map(|(k, &(c, p, s))| actor(&format!("A{k}"), c, p, s))
                .collect();
            let mode = if replicate { EuMode::ScholzReplication } else { EuMode::Corrected };
            match run(&acts, &params(mode, EuAlgorithm::Fast)) {
                Ok(r) => prop_assert!(all_finite(&r), "{r:?}"),
                Err(e) => prop_assert!(
                    matches!(e, EuError::NoActors | EuError::Overflow(_)),
                    "{e}"
                ),
            }
        }

        #[test]
        fn corrected_all_at_one_position_forecasts_it(
            p in -100.0f64..100.0,
            w in prop::collection::vec((0.0f64..5.0, 0.0f64..1.0), 1..8),
        ) {
            let a: Vec<EuActor> = w
                .iter()
                .enumerate()
                .map(|(k, &(c, s))| actor(&format!("A{k}"), c, p, s))
                .collect();
            let r = run(&a, &EuParams::default()).unwrap();
            prop_assert_eq!(r.stop, EuStop::Consensus { round: 1 });
            prop_assert_eq!(r.forecast.median, p);
            prop_assert!((r.forecast.mean - p).abs() <= 1e-12 * p.abs().max(1.0));
        }

        #[test]
        fn corrected_scaling_capabilities_changes_nothing(
            a in generic_actors(10),
            factor in 0.01f64..100.0,
        ) {
            let scaled: Vec<EuActor> = a
                .iter()
                .map(|x| EuActor { capability: x.capability * factor, ..x.clone() })
                .collect();
            let r = run(&a, &EuParams::default()).unwrap();
            let rs = run(&scaled, &EuParams::default()).unwrap();
            same_moves(&r, &rs)?;
            if starts(&r).iter().all(|x| well_separated(x, r.delta)) {
                prop_assert!((r.forecast.mean - rs.forecast.mean).abs() < 1e-9);
                prop_assert!((r.forecast.median - rs.forecast.median).abs() < 1e-9);
            }
        }
    }
}
