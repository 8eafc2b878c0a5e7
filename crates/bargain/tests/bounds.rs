//! `--rounds` is bounded: `--rounds 1e9` made the exchange model reserve a record per round
//! (128 GB) and abort. The bound is stated and checked by every registered model, which answers
//! "not covered" with the reason instead of running.

use brink_bargain::{check_rounds, registry, run_points, Params, MAX_ROUNDS};

#[test]
fn rounds_are_bounded() {
    assert_eq!(check_rounds(MAX_ROUNDS), Ok(MAX_ROUNDS));
    let e = check_rounds(1_000_000_000).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("rounds = 1000000000 is more than brink allows: at most {MAX_ROUNDS} (each round of a dynamic model is recorded)")
    );
    let sc = brink_scenario::builtin().unwrap();
    let params = Params {
        rounds: 1_000_000_000,
        ..Params::default()
    };
    assert!(params.validate().is_err());
    for m in registry() {
        let fs = run_points(m.as_ref(), &sc, &params);
        assert_eq!(fs.len(), sc.issues.len());
        for f in fs {
            match f.outcome {
                brink_bargain::Outcome::NotCovered { reason } => {
                    assert!(reason.contains("at most 10000"), "{reason}")
                }
                o => panic!("{} ran with 1e9 rounds: {o:?}", m.name()),
            }
        }
    }
}
