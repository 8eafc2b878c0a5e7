//! How much wider should the predictive distribution be when the inputs are coded with more
//! error than DEU's expert interviews? A simulation on the DEU III development split: each
//! actor's position is mis-coded by normal noise of standard deviation `tau` points (0-100
//! scale, clamped to the scale) and each salience by noise of `tau / 100` (clamped to [0, 1]);
//! the compromise model forecasts from the mis-coded inputs; its error model is the one fitted
//! on the true inputs of the other proposals (leave one proposal out); the widening factor `c`
//! that minimises the mean CRPS against the real outcomes is read off, with the coverage of the
//! 50% and 90% intervals at c = 1 and at that c. 20 replications per `tau`, seeded.
//!
//! Run from the repository root: `cargo run --release -p brink-eval --example widening`.
//! The scenario's own numbers (the essay case) play no part.

use brink_bargain::{find, Input, Params};
use brink_eval::predictive::{Case, ErrorModel, IssueFeatures};
use brink_eval::{group_of, run_models};
use brink_scenario::import::{import, Format};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const REPS: usize = 20;

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut ChaCha8Rng) -> f64 {
    let u: f64 = rng.gen_range(f64::EPSILON..1.0);
    let v: f64 = rng.gen_range(0.0..1.0);
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// Per tau: summed CRPS, 50% and 90% coverage per widening factor, and the summed absolute
/// error and count.
struct Tally {
    crps: Vec<f64>,
    c50: Vec<f64>,
    c90: Vec<f64>,
    mae: f64,
    n: f64,
}

const TAUS: [f64; 4] = [0.0, 10.0, 20.0, 30.0];

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/tests/data/deu3/deu3-dev.tsv")).unwrap();
    let imp = import(Format::Deu, &text, "deu3-dev.tsv").unwrap();
    let (full, out) = (imp.scenario, imp.outcomes.unwrap());
    let comp = find("compromise").unwrap();
    let params = Params::default();
    let cs: Vec<f64> = (0..=40).map(|i| 1.0 + 0.05 * i as f64).collect();
    let y: Vec<f64> = (0..full.issues.len())
        .map(|k| out.value_of(&full.issues[k].id).unwrap_or(f64::NAN))
        .collect();
    let group: Vec<String> = (0..full.issues.len()).map(|k| group_of(&full, k)).collect();
    println!(
        "actors  tau  c (holds)    CRPS at c=1  CRPS at c  cover 50/90 at c=1  cover 50/90 at c    MAE"
    );
    for n_actors in [5usize, 8, 12, usize::MAX] {
        let mut tallies: Vec<Tally> = TAUS
            .iter()
            .map(|_| Tally {
                crps: vec![0.0; cs.len()],
                c50: vec![0.0; cs.len()],
                c90: vec![0.0; cs.len()],
                mae: 0.0,
                n: 0.0,
            })
            .collect();
        let mut rng = ChaCha8Rng::seed_from_u64(n_actors.min(1000) as u64);
        for _ in 0..REPS {
            // Each issue keeps a random subset of n_actors of its actors (all of them when it
            // has fewer).
            let mut sc = full.clone();
            let mut keep = vec![false; full.stances.len()];
            for k in 0..full.issues.len() {
                let mut js: Vec<usize> = (0..full.stances.len())
                    .filter(|&j| full.stances[j].issue == k)
                    .collect();
                for i in (1..js.len()).rev() {
                    js.swap(i, rng.gen_range(0..=i));
                }
                for &j in js.iter().take(n_actors) {
                    keep[j] = true;
                }
            }
            sc.stances = full
                .stances
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(s, _)| s.clone())
                .collect();
            let clean: Vec<Option<f64>> =
                run_models(&sc, &[find("compromise").unwrap()], &params, true)
                    .remove(0)
                    .values;
            let feats = IssueFeatures::of_values(&sc, &sc.point_values());
            let issues: Vec<usize> = (0..sc.issues.len())
                .filter(|&k| y[k].is_finite() && clean[k].is_some() && feats[k].is_some())
                .collect();
            // The error model of each issue's fold, fitted on the true inputs of the other
            // proposals.
            let mut fold: Vec<Option<ErrorModel>> = vec![None; sc.issues.len()];
            let mut names: Vec<&String> = issues.iter().map(|&k| &group[k]).collect();
            names.sort();
            names.dedup();
            for g in names {
                let train: Vec<Case> = issues
                    .iter()
                    .filter(|&&k| group[k] != *g)
                    .map(|&k| Case {
                        forecast: clean[k].unwrap(),
                        outcome: y[k],
                        features: feats[k].unwrap(),
                    })
                    .collect();
                let em = ErrorModel::fit("compromise", &train).unwrap();
                for &k in issues.iter().filter(|&&k| group[k] == *g) {
                    fold[k] = Some(em.clone());
                }
            }
            for (t, &tau) in TAUS.iter().enumerate() {
                let mut v = sc.point_values();
                for (j, st) in sc.stances.iter().enumerate() {
                    let is = &sc.issues[st.issue];
                    v.position[j] = (v.position[j] + tau * normal(&mut rng)).clamp(is.min, is.max);
                    v.salience[j] =
                        (v.salience[j] + tau / 100.0 * normal(&mut rng)).clamp(0.0, 1.0);
                }
                let f: Vec<Option<f64>> = comp
                    .run(&Input::new(&sc, &v), &params)
                    .iter()
                    .map(|x| x.value())
                    .collect();
                let fe = IssueFeatures::of_values(&sc, &v);
                let tl = &mut tallies[t];
                for &k in &issues {
                    let (Some(fk), Some(ft)) = (f[k], fe[k]) else {
                        continue;
                    };
                    let em = fold[k].as_ref().unwrap();
                    tl.n += 1.0;
                    tl.mae += (fk - y[k]).abs();
                    for (i, &c) in cs.iter().enumerate() {
                        let p = em.predictive_one(fk, &ft, c).unwrap();
                        tl.crps[i] += p.crps(y[k]);
                        let (a, b) = p.interval(0.5);
                        tl.c50[i] += (a <= y[k] && y[k] <= b) as u8 as f64;
                        let (a, b) = p.interval(0.9);
                        tl.c90[i] += (a <= y[k] && y[k] <= b) as u8 as f64;
                    }
                }
            }
        }
        // The smallest c whose 50% and 90% intervals hold their level (within 0.01).
        let holds = |tl: &Tally| {
            (0..cs.len())
                .find(|&i| tl.c50[i] / tl.n >= 0.49 && tl.c90[i] / tl.n >= 0.89)
                .unwrap_or(cs.len() - 1)
        };
        for (t, tl) in tallies.iter().enumerate() {
            let b = holds(tl);
            let n = tl.n;
            println!(
                "{:>6}  {:>3}  {:>11.2}  {:>11.2}  {:>9.2}  {:>8.3} {:>8.3}  {:>8.3} {:>8.3}  {:>6.2}",
                if n_actors == usize::MAX { "all".to_string() } else { n_actors.to_string() },
                TAUS[t],
                cs[b],
                tl.crps[0] / n,
                tl.crps[b] / n,
                tl.c50[0] / n,
                tl.c90[0] / n,
                tl.c50[b] / n,
                tl.c90[b] / n,
                tl.mae / n
            );
        }
    }
}
