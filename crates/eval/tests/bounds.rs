//! `eval --resamples` is bounded: the bootstrap kept every resample in memory, so a huge request
//! aborted on its allocation. The bound is stated and checked; a request beyond it is cut to it,
//! and the report says how many resamples ran.

use brink_bargain::{find, Params};
use brink_eval::{check_resamples, evaluate, run_models, MAX_RESAMPLES};
use brink_scenario::import::{import, Format};

#[test]
fn resamples_are_bounded() {
    assert_eq!(check_resamples(MAX_RESAMPLES), Ok(MAX_RESAMPLES));
    let e = check_resamples(usize::MAX).unwrap_err();
    assert!(e.to_string().contains("resamples"), "{e}");
    assert!(
        e.to_string().contains(&format!("at most {MAX_RESAMPLES}")),
        "{e}"
    );
    // A small DEU file: two proposals of one issue each.
    let tsv = "isnr\tprnr\trp\tout\tpcom\tscom\tpep\tsep\n\t\t\t\t1\t\t1\t\n\
               1\tA\t0\t40\t50\t60\t30\t70\n2\tB\t10\t80\t90\t50\t60\t40\n";
    let imp = import(Format::Deu, tsv, "small.tsv").unwrap();
    let (sc, out) = (imp.scenario, imp.outcomes.unwrap());
    let fc = run_models(
        &sc,
        &[find("compromise").unwrap()],
        &Params::default(),
        true,
    );
    let r = evaluate(&sc, &out, &fc, usize::MAX, 1);
    assert_eq!(r.resamples, MAX_RESAMPLES);
    assert_eq!(r.issues_with_outcome, 2);
}
