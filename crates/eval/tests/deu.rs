//! `brink eval` on the DEU III development split reproduces the literature's baselines with
//! their issue counts (models.md section 1) and gives every figure an interval.

use brink_bargain::{find, Params};
use brink_eval::{baselines, better, evaluate, run_models};
use brink_scenario::import::{import, Format};

#[test]
fn dev_split_baselines_with_counts_and_intervals() {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/deu3/deu3-dev.tsv"
    );
    let imp = import(
        Format::Deu,
        &std::fs::read_to_string(p).unwrap(),
        "deu3-dev.tsv",
    )
    .unwrap();
    let (sc, out) = (imp.scenario, imp.outcomes.unwrap());
    let models: Vec<_> = ["compromise", "compromise-equal", "median"]
        .iter()
        .map(|m| find(m).unwrap())
        .collect();
    let mut fc = run_models(&sc, &models, &Params::default(), true);
    fc.extend(baselines(&sc, Some("com")));
    let outcome: Vec<Option<f64>> = sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
    let cv = better::cross_validate(&sc, &outcome, &["com", "ep"]).unwrap();
    fc.push(cv.forecasts.clone());
    let r = evaluate(&sc, &out, &fc, 500, 1);
    assert_eq!((r.issues_with_outcome, r.groups), (225, 88));
    let want = [
        ("compromise", 21.62, 225),
        ("compromise-equal", 22.02, 225),
        ("median", 24.77, 225),
        ("reference point", 52.22, 156),
        ("European Commission's position", 36.79, 223),
    ];
    for (name, mae, n) in want {
        let m = r.models.iter().find(|m| m.name == name).unwrap();
        assert_eq!(m.own.n, n, "{name}");
        assert!((m.own.mae - mae).abs() < 0.005, "{name}: {}", m.own.mae);
        assert!(
            m.own.mae_ci.0 < m.own.mae && m.own.mae < m.own.mae_ci.1,
            "{name}: interval {:?}",
            m.own.mae_ci
        );
        assert!(m.own.rmse >= m.own.mae);
    }
    // Every model covers the issues with a reference point at most: the common set is that.
    assert_eq!(r.common, 154);
    // The fitted model is scored out of fold only: its forecasts on a proposal come from
    // constants chosen without that proposal.
    // One fold per proposal (91; 88 of them have an issue with a known outcome).
    assert_eq!(cv.chosen.len(), 91);
    let fitted = r
        .models
        .iter()
        .find(|m| m.name.contains("cross-validated"))
        .unwrap();
    assert_eq!(fitted.own.n, 225);
    let (d, lo, hi) = fitted.paired_vs_compromise.unwrap();
    assert!(lo <= d && d <= hi);
    // The compromise model's paired difference with itself is not reported.
    assert!(r.models[0].paired_vs_compromise.is_none());
    // The per-issue CSV has a row per issue with an outcome.
    assert_eq!(r.per_issue_csv().lines().count(), 226);
}

#[test]
fn cross_validation_never_sees_the_held_out_proposal() {
    // Corrupting one proposal's outcomes must not change the constants chosen for that proposal.
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/deu3/deu3-dev.tsv"
    );
    let imp = import(
        Format::Deu,
        &std::fs::read_to_string(p).unwrap(),
        "deu3-dev.tsv",
    )
    .unwrap();
    let sc = imp.scenario;
    let out = imp.outcomes.unwrap();
    let outcome: Vec<Option<f64>> = sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
    let a = better::cross_validate(&sc, &outcome, &["com", "ep"]).unwrap();
    let g = &a.chosen[3].0;
    let mut bad = outcome.clone();
    for (k, b) in bad.iter_mut().enumerate() {
        if brink_eval::group_of(&sc, k) == *g {
            *b = b.map(|x| 100.0 - x);
        }
    }
    let b = better::cross_validate(&sc, &bad, &["com", "ep"]).unwrap();
    assert_eq!(a.chosen[3], b.chosen[3]);
}
