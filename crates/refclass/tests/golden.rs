//! The reference class against an independent implementation (scikit-learn, numpy, scipy:
//! `scripts/refclass_golden.py`, output in `tests/data/golden.json`): the same penalties chosen
//! by the same cross-validation, the same held-out losses, the same coherent probabilities and
//! Laplace / Jeffreys intervals for every development crisis and crisis actor, and the same
//! training set under the before-date rule.

use brink_refclass::{icb, Level, OnsetValues, ReferenceClass};
use brink_scenario::Date;
use serde_json::Value;

fn golden() -> Value {
    serde_json::from_str(include_str!("data/golden.json")).expect("fixture parses")
}

fn f(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

fn check_level(level: Level, g: &Value) {
    let data = icb::builtin(level);
    let rc = ReferenceClass::fit(&data, None).unwrap();
    assert_eq!(rc.n_train(), g["n_train"].as_u64().unwrap() as usize);
    for (t, fit) in rc.targets().iter().enumerate() {
        assert_eq!(
            fit.lambda,
            f(&g["lambdas"][t]),
            "{level:?} target {t}: lambda"
        );
        for (i, (_, loss)) in fit.cv_log_loss.iter().enumerate() {
            let want = f(&g["cv"][t][i]);
            assert!(
                (loss - want).abs() < 1e-6,
                "{level:?} target {t} cv[{i}]: {loss} vs {want}"
            );
        }
    }
    let onsets: Vec<OnsetValues> = match level {
        Level::System => data
            .system_rows()
            .unwrap()
            .iter()
            .map(|r| OnsetValues::System(r.onset.clone()))
            .collect(),
        Level::Actor => data
            .actor_rows()
            .unwrap()
            .iter()
            .map(|r| OnsetValues::Actor(r.onset.clone()))
            .collect(),
    };
    let mut worst: f64 = 0.0;
    for (i, x) in onsets.iter().enumerate() {
        let v = rc.predict(x).unwrap();
        let got = [v.p_violence, v.p_serious_or_war, v.p_war];
        for t in 0..3 {
            let want = f(&g["probs"][i][t]);
            worst = worst.max((got[t] - want).abs());
            assert!(
                (got[t] - want).abs() < 1e-6,
                "{level:?} row {i} target {t}: {} vs {want}",
                got[t]
            );
            let (lo, hi) = (f(&g["intervals"][i][0][t]), f(&g["intervals"][i][1][t]));
            assert!(
                (v.intervals[t].lo - lo).abs() < 1e-5 && (v.intervals[t].hi - hi).abs() < 1e-5,
                "{level:?} row {i} target {t}: interval {:?} vs [{lo}, {hi}]",
                v.intervals[t]
            );
        }
    }
    assert!(worst < 1e-6);
}

#[test]
fn system_level_matches_the_independent_fit() {
    check_level(Level::System, &golden()["system"]);
}

#[test]
fn actor_level_matches_the_independent_fit() {
    check_level(Level::Actor, &golden()["actor"]);
}

#[test]
fn the_before_date_rule_keeps_the_same_cases() {
    let g = golden();
    let cut = Date::parse("1970-01-01").unwrap();
    for level in [Level::System, Level::Actor] {
        let want: Vec<u64> = g["before_1970_01_01"][level.name()]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        let rc = ReferenceClass::fit(&icb::builtin(level), Some(cut)).unwrap();
        assert_eq!(rc.n_train(), want.len(), "{level:?}");
        let keys = rc.training_cases();
        let mut got: Vec<u64> = keys
            .iter()
            .map(|(c, a)| *c as u64 * 1000 + a.unwrap_or(0) as u64)
            .collect();
        got.sort_unstable();
        let mut want = want;
        want.sort_unstable();
        assert_eq!(got, want, "{level:?}");
    }
}
