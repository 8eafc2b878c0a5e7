//! Scoring on ICB files: never fitted on the rows it scores (one fit on a disjoint training
//! file, K-fold cross-validation by crisis when they overlap), scores recomputed from the rows,
//! and the JSON layout the command line will print.

use brink_refclass::eval::{evaluate, EvalOptions, MODELS};
use brink_refclass::icb::{self, IcbData, BUILTIN_ACTOR_CSV, BUILTIN_SYSTEM_CSV};
use brink_refclass::{meets, Error, FitOptions, OnsetValues, ReferenceClass};

/// The rows of a shipped file whose crisis number passes `keep`.
fn subset(text: &str, name: &str, keep: impl Fn(u32) -> bool) -> IcbData {
    let mut lines = text.lines();
    let mut out = vec![lines.next().unwrap().to_string()];
    for l in lines {
        let crisno: u32 = l.split(',').nth(1).unwrap().parse().unwrap();
        if keep(crisno) {
            out.push(l.to_string());
        }
    }
    icb::read_str(&out.join("\n"), name).unwrap()
}

fn quick() -> EvalOptions {
    EvalOptions {
        bootstrap: 200,
        ..Default::default()
    }
}

fn onset_of(d: &IcbData, i: usize) -> OnsetValues {
    match (d.system_rows(), d.actor_rows()) {
        (Some(r), _) => OnsetValues::System(r[i].onset.clone()),
        (_, Some(r)) => OnsetValues::Actor(r[i].onset.clone()),
        _ => unreachable!(),
    }
}

#[test]
fn a_disjoint_file_is_scored_by_one_fit_on_the_training_file() {
    let train = subset(BUILTIN_SYSTEM_CSV, "even.csv", |c| c % 2 == 0);
    let scored = subset(BUILTIN_SYSTEM_CSV, "odd.csv", |c| c % 2 == 1);
    let ev = evaluate(&scored, &train, &quick()).unwrap();
    assert_eq!(ev.folds, None);
    assert!(ev.method.starts_with("fitted once"));
    assert_eq!(ev.n, scored.len());
    assert_eq!(
        (ev.scored_file.as_str(), ev.train_file.as_str()),
        ("odd.csv", "even.csv")
    );
    let rc = ReferenceClass::fit(&train, None).unwrap();
    let near = ReferenceClass::fit_with(
        &train,
        None,
        &FitOptions {
            near: true,
            ..Default::default()
        },
    )
    .unwrap();
    let rows = train.system_rows().unwrap();
    for (i, r) in ev.rows.iter().enumerate() {
        let x = onset_of(&scored, i);
        assert_eq!(r.forecasts[2], rc.probabilities(&x).unwrap());
        assert_eq!(r.forecasts[3], near.probabilities(&x).unwrap());
        for t in 0..3 {
            let base = rows.iter().filter(|q| meets(q.viol.unwrap(), t)).count() as f64
                / rows.len() as f64;
            assert!((r.forecasts[0][t] - base).abs() < 1e-12);
        }
    }
}

#[test]
fn an_overlapping_file_is_cross_validated_by_crisis() {
    let d = icb::builtin_system();
    let ev = evaluate(&d, &d, &quick()).unwrap();
    assert_eq!(ev.folds, Some(10));
    assert_eq!(ev.n, 325);
    assert_eq!(ev.n_crises, 325);
    // Fold 3's rows were forecast by a model fitted without any of fold 3's crises.
    let held: Vec<u32> = ev
        .rows
        .iter()
        .filter(|r| r.fold == Some(3))
        .map(|r| r.crisno)
        .collect();
    assert!(held.len() >= 32 && held.len() <= 33);
    let train = subset(BUILTIN_SYSTEM_CSV, "train.csv", |c| !held.contains(&c));
    let rc = ReferenceClass::fit(&train, None).unwrap();
    for (i, r) in ev.rows.iter().enumerate() {
        if r.fold == Some(3) {
            assert_eq!(r.forecasts[2], rc.probabilities(&onset_of(&d, i)).unwrap());
        }
    }
}

#[test]
fn actor_rows_of_one_crisis_stay_in_one_fold() {
    let d = icb::read_str(BUILTIN_ACTOR_CSV, "icb2.csv").unwrap();
    let ev = evaluate(&d, &d, &quick()).unwrap();
    assert_eq!(ev.n, 723);
    assert_eq!(ev.n_crises, 325);
    for a in &ev.rows {
        for b in &ev.rows {
            if a.crisno == b.crisno {
                assert_eq!(a.fold, b.fold);
            }
        }
    }
}

#[test]
fn scores_follow_from_the_forecasts() {
    let train = subset(BUILTIN_SYSTEM_CSV, "a.csv", |c| c % 3 != 0);
    let scored = subset(BUILTIN_SYSTEM_CSV, "b.csv", |c| c % 3 == 0);
    let ev = evaluate(&scored, &train, &quick()).unwrap();
    for (t, te) in ev.targets.iter().enumerate() {
        let y: Vec<f64> = ev
            .rows
            .iter()
            .map(|r| meets(r.viol, t) as u8 as f64)
            .collect();
        assert!((te.observed_rate - y.iter().sum::<f64>() / y.len() as f64).abs() < 1e-12);
        assert_eq!(te.models.len(), MODELS.len());
        for (m, ms) in te.models.iter().enumerate() {
            assert_eq!(ms.model, MODELS[m]);
            let p: Vec<f64> = ev.rows.iter().map(|r| r.forecasts[m][t]).collect();
            let brier: f64 = p
                .iter()
                .zip(&y)
                .map(|(p, y)| (p - y) * (p - y))
                .sum::<f64>()
                / y.len() as f64;
            assert!((ms.brier - brier).abs() < 1e-12);
            let ll: f64 = p
                .iter()
                .zip(&y)
                .map(|(p, y)| -(y * p.ln() + (1.0 - y) * (1.0 - p).ln()))
                .sum::<f64>()
                / y.len() as f64;
            assert!((ms.log_loss - ll).abs() < 1e-9);
            // AUC by counting pairs.
            if m > 0 {
                let (mut wins, mut pairs) = (0.0, 0.0);
                for i in 0..y.len() {
                    for j in 0..y.len() {
                        if y[i] == 1.0 && y[j] == 0.0 {
                            pairs += 1.0;
                            wins += if p[i] > p[j] {
                                1.0
                            } else if p[i] == p[j] {
                                0.5
                            } else {
                                0.0
                            };
                        }
                    }
                }
                assert!((ms.auc.unwrap() - wins / pairs).abs() < 1e-12);
                let (lo, hi) = ms.auc_ci.unwrap();
                assert!(lo <= hi);
            } else {
                assert_eq!(ms.auc, None);
            }
            assert!(ms.brier_ci.0 <= ms.brier && ms.brier <= ms.brier_ci.1 + 1e-12);
            let counted: usize = ms.calibration.iter().map(|b| b.n).sum();
            assert_eq!(counted, y.len());
        }
    }
}

#[test]
fn the_json_carries_the_fields_the_command_line_prints() {
    let train = subset(BUILTIN_SYSTEM_CSV, "a.csv", |c| c % 2 == 0);
    let scored = subset(BUILTIN_SYSTEM_CSV, "b.csv", |c| c % 2 == 1);
    let ev = evaluate(&scored, &train, &quick()).unwrap();
    let j = serde_json::to_value(&ev).unwrap();
    assert_eq!(j["schema"], 1);
    assert_eq!(j["level"], "system");
    let targets = j["targets"].as_array().unwrap();
    let names: Vec<&str> = targets
        .iter()
        .map(|t| t["target"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["any_violence", "serious_or_war", "war"]);
    for t in targets {
        let models = t["models"].as_array().unwrap();
        let names: Vec<&str> = models
            .iter()
            .map(|m| m["model"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["base", "era", "refclass", "refclass_near"]);
        for m in models {
            for k in ["brier", "log_loss", "n", "auc", "calibration"] {
                assert!(m.get(k).is_some(), "{k} missing");
            }
            assert!(m["brier"].is_f64() && m["log_loss"].is_f64() && m["n"].is_u64());
            let bins = m["calibration"].as_array().unwrap();
            assert_eq!(bins.len(), 10);
            for k in ["lo", "hi", "n", "mean_forecast", "observed"] {
                assert!(bins[0].get(k).is_some(), "{k} missing");
            }
        }
    }
}

#[test]
fn files_of_different_levels_are_refused() {
    let s = icb::builtin_system();
    let a = icb::builtin_actor();
    assert!(matches!(
        evaluate(&s, &a, &quick()),
        Err(Error::Mismatch(_))
    ));
    // A file with nothing to score.
    let head = BUILTIN_SYSTEM_CSV.lines().next().unwrap();
    let empty = icb::read_str(head, "h.csv").unwrap();
    assert!(matches!(
        evaluate(&empty, &s, &quick()),
        Err(Error::TooFew(_))
    ));
}
