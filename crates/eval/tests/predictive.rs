//! Predictive distributions: the CRPS against closed forms, coverage on simulated data where the
//! truth is known, the acceptance figures on the DEU III development split, and the shipped
//! error models' reproducibility.

use brink_bargain::{find, Params};
use brink_eval::predictive::{cross_validate, Case, ErrorModel, ErrorModels, IssueFeatures};
use brink_eval::probabilistic::{evaluate_predictive, ErrorSource};
use brink_eval::scores::{crps_normal, normal_cdf, Predictive};
use brink_eval::{baselines, run_models};
use brink_scenario::import::{import, Format};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// The standard normal quantile, by bisection on the distribution function (independent of the
/// code under test).
fn normal_quantile(p: f64) -> f64 {
    let (mut lo, mut hi) = (-40.0, 40.0);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if normal_cdf(mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// N(mu, sigma^2) as n equally weighted atoms at the quantiles of the midpoints of n slices.
fn normal_atoms(mu: f64, sigma: f64, n: usize) -> Predictive {
    Predictive::from_samples(
        &(0..n)
            .map(|i| mu + sigma * normal_quantile((i as f64 + 0.5) / n as f64))
            .collect::<Vec<_>>(),
    )
    .unwrap()
}

/// The CRPS as the integral of (F(x) - 1{x >= y})^2 by the midpoint rule on a fine grid.
fn crps_by_integral(p: &Predictive, y: f64, lo: f64, hi: f64, steps: usize) -> f64 {
    let h = (hi - lo) / steps as f64;
    (0..steps)
        .map(|i| {
            let x = lo + (i as f64 + 0.5) * h;
            let ind = if x >= y { 1.0 } else { 0.0 };
            (p.cdf(x) - ind).powi(2) * h
        })
        .sum()
}

#[test]
fn crps_matches_the_normal_closed_form() {
    let p = normal_atoms(40.0, 12.0, 20_000);
    for y in [40.0, 31.0, 55.5, 0.0, 90.0] {
        let want = crps_normal(40.0, 12.0, y);
        let got = p.crps(y);
        assert!(
            (got - want).abs() < 2e-3,
            "y = {y}: {got} vs closed form {want}"
        );
    }
    // The closed form at the mean: sigma (2 phi(0) - 1/sqrt(pi)) = sigma (sqrt(2) - 1)/sqrt(pi).
    let at_mean = 12.0 * (2f64.sqrt() - 1.0) / std::f64::consts::PI.sqrt();
    assert!((crps_normal(40.0, 12.0, 40.0) - at_mean).abs() < 1e-12);
}

#[test]
fn crps_of_point_masses_and_mixtures_matches_the_integral() {
    // A point mass: |x - y|.
    let p = Predictive::point(25.0).unwrap();
    for y in [0.0, 25.0, 60.0] {
        assert!((p.crps(y) - (y - 25.0f64).abs()).abs() < 1e-12);
    }
    // Point masses at a scale's ends plus a continuous part.
    let mut atoms: Vec<(f64, f64)> = normal_atoms(50.0, 10.0, 2000)
        .atoms()
        .iter()
        .map(|&(x, w)| (x, 0.6 * w))
        .collect();
    atoms.push((0.0, 0.25));
    atoms.push((100.0, 0.15));
    let p = Predictive::new(atoms).unwrap();
    for y in [0.0, 37.0, 50.0, 100.0] {
        let got = p.crps(y);
        let want = crps_by_integral(&p, y, -10.0, 110.0, 240_000);
        assert!(
            (got - want).abs() < 1e-3,
            "y = {y}: {got} vs integral {want}"
        );
    }
}

/// Laplace(0, b) by inversion.
fn laplace(rng: &mut ChaCha8Rng, b: f64) -> f64 {
    let u: f64 = rng.gen_range(-0.5..0.5);
    -b * u.signum() * (1.0 - 2.0 * u.abs()).ln()
}

#[test]
fn intervals_of_the_true_distribution_cover_at_their_level() {
    // Outcomes drawn from N(mu_i, sigma_i^2); the forecast is that very distribution.
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    let n = 4000;
    let std_atoms: Vec<f64> = (0..1000)
        .map(|i| normal_quantile((i as f64 + 0.5) / 1000.0))
        .collect();
    let mut hits = [0usize; 3];
    let mut crps = 0.0;
    let mut crps_closed = 0.0;
    for _ in 0..n {
        let mu = rng.gen_range(20.0..80.0);
        let sigma = rng.gen_range(2.0..20.0);
        let z: f64 = normal_quantile(rng.gen_range(0.0..1.0));
        let y = mu + sigma * z;
        let p =
            Predictive::from_samples(&std_atoms.iter().map(|z| mu + sigma * z).collect::<Vec<_>>())
                .unwrap();
        for (i, l) in [0.5, 0.8, 0.9].iter().enumerate() {
            let (lo, hi) = p.interval(*l);
            hits[i] += (lo <= y && y <= hi) as usize;
        }
        crps += p.crps(y);
        crps_closed += crps_normal(mu, sigma, y);
    }
    // Binomial standard error at n = 4000 is at most 0.0079: allow 3 of them.
    for (i, l) in [0.5, 0.8, 0.9].iter().enumerate() {
        let c = hits[i] as f64 / n as f64;
        assert!((c - l).abs() < 0.024, "level {l}: coverage {c}");
    }
    assert!((crps - crps_closed).abs() / crps_closed < 1e-3);
}

#[test]
fn the_error_model_recovers_a_known_truth_and_covers() {
    // Simulated issues: forecast f, spread s, the side d (+1 or -1) of the reference point the
    // actors' weight lies on, and outcome y = f + d (10 + s) t with t ~ 0.15 + Laplace(0, 0.4)
    // (outcomes overshoot towards the actors' side), clamped to the actors' range [lo, hi];
    // 300 groups of 8 issues, cross-validated in 10 folds of whole groups.
    let truth = |rng: &mut ChaCha8Rng, f: f64, s: f64, d: f64, lo: f64, hi: f64| -> f64 {
        (f + d * (10.0 + s) * (0.15 + laplace(rng, 0.4))).clamp(lo, hi)
    };
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    let mut cases = Vec::new();
    let mut groups = Vec::new();
    for g in 0..300 {
        for _ in 0..8 {
            let s: f64 = rng.gen_range(2.0..40.0);
            let f: f64 = rng.gen_range(30.0..70.0);
            let d = if rng.gen_bool(0.5) { 1.0 } else { -1.0 };
            let (lo, hi) = (
                (f - rng.gen_range(1.0..3.0) * s).max(0.0),
                (f + rng.gen_range(1.0..3.0) * s).min(100.0),
            );
            let y = truth(&mut rng, f, s, d, lo, hi);
            cases.push(Case {
                forecast: f,
                outcome: y,
                features: IssueFeatures {
                    min: 0.0,
                    max: 100.0,
                    lo,
                    hi,
                    spread: s,
                    direction: d,
                },
            });
            groups.push(g % 10);
        }
    }
    let em = ErrorModel::fit("sim", &cases).unwrap();
    assert!([5.0, 10.0, 20.0].contains(&em.k), "k = {}", em.k);
    // The overshoot towards the actors' side is learnt on both sides of the reference point.
    let mean = em.oriented.iter().sum::<f64>() / em.oriented.len() as f64;
    assert!(mean > 0.05, "mean oriented residual {mean}");
    let ps = cross_validate("sim", &cases, &groups);
    let n = cases.len() as f64;
    for l in [0.5, 0.8, 0.9] {
        let c = cases
            .iter()
            .zip(&ps)
            .filter(|(c, p)| {
                let (lo, hi) = p.interval(l);
                lo <= c.outcome && c.outcome <= hi
            })
            .count() as f64
            / n;
        assert!((c - l).abs() < 0.03, "level {l}: coverage {c}");
    }
    // Out of fold, its CRPS is within 3% of the CRPS of the true distribution (2000 draws of
    // the true law per issue), and far below the point forecast's.
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let (mut got, mut truth_crps, mut point) = (0.0, 0.0, 0.0);
    for (c, p) in cases.iter().zip(&ps) {
        let ft = &c.features;
        let draws: Vec<f64> = (0..2000)
            .map(|_| truth(&mut rng, c.forecast, ft.spread, ft.direction, ft.lo, ft.hi))
            .collect();
        got += p.crps(c.outcome);
        truth_crps += Predictive::from_samples(&draws).unwrap().crps(c.outcome);
        point += (c.forecast - c.outcome).abs();
    }
    assert!(
        got < 1.03 * truth_crps,
        "CRPS {got} vs the truth's {truth_crps}"
    );
    assert!(got < 0.8 * point);
}

fn deu() -> (brink_scenario::Scenario, brink_scenario::Outcomes, String) {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/data/deu3/deu3-dev.tsv"
    );
    let text = std::fs::read_to_string(p).unwrap();
    let imp = import(Format::Deu, &text, "deu3-dev.tsv").unwrap();
    (imp.scenario, imp.outcomes.unwrap(), text)
}

/// The acceptance figures of the issue: cross-validated by proposal on DEU dev, the compromise
/// model's 50% and 90% intervals cover within 0.05 of nominal, and its CRPS is at least 20%
/// below the MAE of its point forecast; point MAEs are those of the README.
#[test]
fn deu_dev_compromise_distribution_is_calibrated_and_sharper_than_the_point() {
    let (sc, out, _) = deu();
    let models: Vec<_> = ["compromise", "median", "smp"]
        .iter()
        .map(|m| find(m).unwrap())
        .collect();
    let mut fc = run_models(&sc, &models, &Params::default(), true);
    fc.extend(baselines(&sc, Some("com")));
    let r = evaluate_predictive(&sc, &out, &fc, ErrorSource::CrossValidated, 500, 0).unwrap();
    assert_eq!((r.issues_with_outcome, r.groups), (225, 88));
    let c = r.models.iter().find(|m| m.name == "compromise").unwrap();
    assert_eq!(c.n, 225);
    assert!((c.mae - 21.62).abs() < 0.005, "MAE {}", c.mae);
    for (l, want) in [("0.5", 0.5), ("0.9", 0.9)] {
        assert!(
            (c.coverage[l] - want).abs() <= 0.05,
            "coverage at {l}: {}",
            c.coverage[l]
        );
    }
    assert!(c.crps <= 0.8 * c.mae, "CRPS {} vs MAE {}", c.crps, c.mae);
    assert!(c.crps_ci.lo < c.crps && c.crps < c.crps_ci.hi);
    assert!(c.width["0.5"] < c.width["0.8"] && c.width["0.8"] < c.width["0.9"]);
    assert!((c.pit.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // Every model's distribution beats its own point forecast on CRPS.
    for m in &r.models {
        assert!(
            m.crps < m.mae,
            "{}: CRPS {} vs MAE {}",
            m.name,
            m.crps,
            m.mae
        );
    }
    // The JSON carries the issue's keys per model.
    let j = serde_json::to_value(&r).unwrap();
    let m0 = &j["models"][0];
    for k in ["mae", "crps", "n"] {
        assert!(m0[k].is_number(), "{k}");
    }
    for k in ["coverage", "width"] {
        for l in ["0.5", "0.8", "0.9"] {
            assert!(m0[k][l].is_number(), "{k}.{l}");
        }
    }
}

#[test]
fn shipped_error_models_are_what_the_fit_gives() {
    let (_, _, text) = deu();
    let fresh = ErrorModels::fit_deu(&text, "tests/data/deu3/deu3-dev.tsv").unwrap();
    let shipped = ErrorModels::builtin().unwrap();
    let hint = "regenerate with `cargo run --release -p brink-eval --example fit_error_models`";
    assert_eq!(fresh.sha256, shipped.sha256, "the dataset changed: {hint}");
    assert_eq!(
        (fresh.issues, fresh.groups),
        (shipped.issues, shipped.groups)
    );
    assert_eq!(fresh.proposals, shipped.proposals, "{hint}");
    assert_eq!(shipped.proposals.len(), shipped.groups);
    assert_eq!(fresh.models.len(), shipped.models.len(), "{hint}");
    for (a, b) in fresh.models.iter().zip(&shipped.models) {
        assert_eq!((&a.model, a.k), (&b.model, b.k), "{hint}");
        for (x, y) in [(&a.oriented, &b.oriented), (&a.unoriented, &b.unoriented)] {
            assert_eq!(x.len(), y.len(), "{}: {hint}", a.model);
            for (x, y) in x.iter().zip(y) {
                assert!(
                    (x - y).abs() <= 1e-12 * x.abs().max(1.0),
                    "{}: {hint}",
                    a.model
                );
            }
        }
    }
    // On this machine the text itself is reproduced byte for byte.
    if fresh.to_json() != brink_eval::predictive::ERROR_MODELS_JSON {
        eprintln!("note: the parameters agree to 1e-12 but not byte for byte");
    }
    // Every model of the registry has one.
    for m in brink_bargain::registry() {
        assert!(shipped.get(m.name()).is_ok(), "{}", m.name());
    }
}

#[test]
fn monte_carlo_centres_mix_and_widening_widens() {
    let em = &ErrorModels::builtin()
        .unwrap()
        .get("compromise")
        .unwrap()
        .clone();
    let f = IssueFeatures {
        min: 0.0,
        max: 100.0,
        lo: 0.0,
        hi: 100.0,
        spread: 30.0,
        direction: 1.0,
    };
    let one = em.predictive_one(50.0, &f, 1.0).unwrap();
    let wide = em.predictive_one(50.0, &f, 1.5).unwrap();
    let (a, b) = (one.interval(0.5), wide.interval(0.5));
    assert!(b.1 - b.0 > a.1 - a.0);
    // Two draws far apart: the mixture is wider than either and holds both.
    let centres = [
        brink_eval::predictive::Centre {
            forecast: 30.0,
            features: f,
            weight: 1.0,
        },
        brink_eval::predictive::Centre {
            forecast: 70.0,
            features: f,
            weight: 1.0,
        },
    ];
    let mix = em.predictive(&centres, 1.0).unwrap();
    let (p30, p70) = (
        em.predictive_one(30.0, &f, 1.0).unwrap(),
        em.predictive_one(70.0, &f, 1.0).unwrap(),
    );
    assert!((mix.mean() - 0.5 * (p30.mean() + p70.mean())).abs() < 1e-9);
    assert!((mix.cdf(50.0) - 0.5 * (p30.cdf(50.0) + p70.cdf(50.0))).abs() < 1e-9);
    let (m, o) = (mix.interval(0.5), one.interval(0.5));
    assert!(m.1 - m.0 > o.1 - o.0);
    // On another scale (0-10), the same distribution shrunk by 10.
    let g = IssueFeatures {
        min: 0.0,
        max: 10.0,
        lo: 0.0,
        hi: 10.0,
        spread: 3.0,
        direction: 1.0,
    };
    let small = em.predictive_one(5.0, &g, 1.0).unwrap();
    assert!((small.quantile(0.25) * 10.0 - one.quantile(0.25)).abs() < 1e-9);
}

/// The README's DEU table is what `brink eval` computes: MAE, CRPS with their intervals and the
/// coverage of every row, as printed there.
#[test]
fn readme_deu_table_is_reproduced() {
    let (sc, out, _) = deu();
    let names = [
        ("compromise", "compromise"),
        ("compromise-equal", "compromise, equal capabilities"),
        ("median", "weighted median"),
        ("nash", "Nash bargaining (status quo as disagreement)"),
        ("eu", "expected utility (brink's corrected rules)"),
        ("eu-scholz", "expected utility (Scholz replication)"),
        ("smp", "SMP (KTAB)"),
        ("exchange", "exchange (Stokman)"),
        ("reference point", "reference point"),
        ("European Commission's position", "Commission's position"),
        (
            "institutional compromise (cross-validated)",
            "institutional compromise, cross-validated by proposal",
        ),
    ];
    let models: Vec<_> = names[..8].iter().map(|(m, _)| find(m).unwrap()).collect();
    let mut fc = run_models(&sc, &models, &Params::default(), true);
    fc.extend(baselines(&sc, Some("com")));
    let outcome: Vec<Option<f64>> = sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
    fc.push(
        brink_eval::better::cross_validate(&sc, &outcome, &["com", "ep"])
            .unwrap()
            .forecasts,
    );
    let r = evaluate_predictive(&sc, &out, &fc, ErrorSource::CrossValidated, 2000, 0).unwrap();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    for (model, row) in names {
        let m = r.models.iter().find(|m| m.name == model).unwrap();
        let want = format!(
            "| {row} | {} | {:.2} ({:.2}, {:.2}) |",
            m.n, m.mae, m.mae_ci.lo, m.mae_ci.hi
        );
        let line = readme
            .lines()
            .find(|l| l.starts_with(&want))
            .unwrap_or_else(|| panic!("README has no row starting `{want}`"));
        let tail = format!(
            "| {:.2} ({:.2}, {:.2}) | {:.2} / {:.2} / {:.2} |",
            m.crps,
            m.crps_ci.lo,
            m.crps_ci.hi,
            m.coverage["0.5"],
            m.coverage["0.8"],
            m.coverage["0.9"]
        );
        assert!(
            line.ends_with(&tail),
            "{row}: README `{line}`, computed `{tail}`"
        );
    }
}
