//! The error models and ensembles tried for brink's predictive distributions, each scored by
//! leave-one-proposal-out cross-validation on the DEU III development split (every constant,
//! weight and residual of a proposal's distribution comes from the other proposals).
//!
//! Run from the repository root:
//! `cargo run --release -p brink-eval --example predictive_candidates`
//!
//! Candidates for one model's error (shown for every model, the compromise first):
//! - `point`: the point forecast as a point mass (CRPS = absolute error);
//! - `constant, scale ends`: f + e, e the training residuals, clamped to the scale's ends;
//! - `constant, actors' range`: the same clamped to the range of the actors' positions;
//! - `spread, actors' range, scale's direction`: f + (k + s) e, k fitted, clamped to the actors'
//!   range, the residuals taken in the direction of the scale as coded;
//! - `spread, actors' range` (brink's): the same with the residuals oriented towards the side of
//!   the reference point where the actors' weight lies (both ways without a reference point);
//! - `... + reference point`: the same with a point mass at the reference point, weight fitted;
//! - `... + ends of the actors' range`: mixed with point masses at the smallest and the largest
//!   position (the nearer to the forecast weighted more), weight fitted;
//! - `... + positions`: mixed with the capability x salience weighted distribution of the
//!   actors' positions (outcomes often land on one actor's position), weight fitted.
//!
//! Ensembles (over the models that cover every issue, i.e. all but Nash):
//! - `linear pool, equal weights`;
//! - `linear pool, CV weights`: weights on the simplex minimising the training CRPS;
//! - `point stack, CV weights`: a weighted mean of the point forecasts (weights minimising the
//!   training MAE), given brink's error model fitted on its own training residuals.

use brink_eval::predictive::{cross_validate, Case, ErrorModel, IssueFeatures};
use brink_eval::probabilistic::{score_distributions, ModelDistributions, PredictiveReport};
use brink_eval::scores::Predictive;
use brink_eval::{group_of, run_models, Forecasts};
use brink_scenario::import::{import, Format};
use brink_scenario::{Outcomes, Scenario};

const RESAMPLES: usize = 2000;

struct Data {
    sc: Scenario,
    out: Outcomes,
    outcome: Vec<Option<f64>>,
    feats: Vec<Option<IssueFeatures>>,
    group: Vec<usize>,
    fc: Vec<Forecasts>,
}

impl Data {
    /// The issues with an outcome that every listed model covers.
    fn issues(&self, models: &[usize]) -> Vec<usize> {
        (0..self.sc.issues.len())
            .filter(|&k| {
                self.outcome[k].is_some()
                    && self.feats[k].is_some()
                    && models.iter().all(|&m| self.fc[m].values[k].is_some())
            })
            .collect()
    }

    fn case(&self, m: usize, k: usize) -> Case {
        Case {
            forecast: self.fc[m].values[k].unwrap(),
            outcome: self.outcome[k].unwrap(),
            features: self.feats[k].unwrap(),
        }
    }

    fn groups(&self) -> Vec<usize> {
        let mut g: Vec<usize> = self.group.clone();
        g.sort_unstable();
        g.dedup();
        g
    }
}

/// A forecaster for held-out issues: issue -> (point, distribution).
type Forecaster = Box<dyn Fn(usize) -> (f64, Predictive)>;

/// Leave-one-group-out: `make(train)` returns the forecaster for the held-out issues.
fn cv(
    d: &Data,
    issues: &[usize],
    make: &dyn Fn(&[usize]) -> Forecaster,
) -> Vec<Option<(f64, Predictive)>> {
    let mut out = vec![None; d.sc.issues.len()];
    for g in d.groups() {
        let train: Vec<usize> = issues
            .iter()
            .copied()
            .filter(|&k| d.group[k] != g)
            .collect();
        let test: Vec<usize> = issues
            .iter()
            .copied()
            .filter(|&k| d.group[k] == g)
            .collect();
        if test.is_empty() {
            continue;
        }
        let f = make(&train);
        for k in test {
            out[k] = Some(f(k));
        }
    }
    out
}

fn clamp_resid(d: &Data, m: usize, train: &[usize], range: bool) -> Forecaster {
    let e: Vec<f64> = train
        .iter()
        .map(|&k| d.outcome[k].unwrap() - d.fc[m].values[k].unwrap())
        .collect();
    let fc = d.fc[m].values.clone();
    let feats = d.feats.clone();
    Box::new(move |k| {
        let f = fc[k].unwrap();
        let ft = feats[k].unwrap();
        let (lo, hi) = if range {
            (ft.lo, ft.hi)
        } else {
            (ft.min, ft.max)
        };
        (
            f,
            Predictive::from_samples(&e.iter().map(|x| (f + x).clamp(lo, hi)).collect::<Vec<_>>())
                .unwrap(),
        )
    })
}

fn brinks(d: &Data, m: usize, train: &[usize]) -> ErrorModel {
    let cases: Vec<Case> = train.iter().map(|&k| d.case(m, k)).collect();
    ErrorModel::fit(&d.fc[m].name, &cases).unwrap()
}

/// The weight in {0, 0.05, ..., 0.5} of `extra` mixed into brink's distribution that minimises
/// the training CRPS.
fn mixed_with(
    d: &Data,
    m: usize,
    train: &[usize],
    extra: &dyn Fn(usize) -> Option<Predictive>,
) -> f64 {
    let em = brinks(d, m, train);
    let mut best = (f64::INFINITY, 0.0);
    for i in 0..=10 {
        let lam = i as f64 * 0.05;
        let c: f64 = train
            .iter()
            .map(|&k| {
                let c = d.case(m, k);
                let p = em.predictive_one(c.forecast, &c.features, 1.0).unwrap();
                match extra(k) {
                    Some(x) => Predictive::mixture(&[(1.0 - lam, &p), (lam, &x)]).unwrap(),
                    None => p,
                }
                .crps(c.outcome)
            })
            .sum();
        if c < best.0 - 1e-12 {
            best = (c, lam);
        }
    }
    best.1
}

fn positions(sc: &Scenario, k: usize) -> Option<Predictive> {
    let v = sc.point_values();
    let atoms: Vec<(f64, f64)> = sc
        .stances
        .iter()
        .enumerate()
        .filter(|(_, st)| st.issue == k)
        .map(|(j, st)| {
            let c = v.stance_power[j].unwrap_or(v.power[st.actor]);
            (v.position[j], c * v.salience[j])
        })
        .collect();
    Predictive::new(atoms).ok()
}

/// E|X - Y| for independent X ~ a, Y ~ b.
fn mean_abs_diff(a: &Predictive, b: &Predictive) -> f64 {
    let bs = b.atoms();
    let mut cw = vec![0.0; bs.len() + 1];
    let mut cs = vec![0.0; bs.len() + 1];
    for (i, &(y, v)) in bs.iter().enumerate() {
        cw[i + 1] = cw[i] + v;
        cs[i + 1] = cs[i] + v * y;
    }
    let (tw, ts) = (cw[bs.len()], cs[bs.len()]);
    a.atoms()
        .iter()
        .map(|&(x, w)| {
            let p = bs.partition_point(|t| t.0 < x);
            w * (x * cw[p] - cs[p] + (ts - cs[p]) - x * (tw - cw[p]))
        })
        .sum()
}

fn project_simplex(v: &[f64]) -> Vec<f64> {
    let mut u = v.to_vec();
    u.sort_by(|a, b| b.total_cmp(a));
    let (mut css, mut theta) = (0.0, 0.0);
    for (i, x) in u.iter().enumerate() {
        css += x;
        let t = (css - 1.0) / (i + 1) as f64;
        if x - t > 0.0 {
            theta = t;
        }
    }
    v.iter().map(|x| (x - theta).max(0.0)).collect()
}

/// Weights on the simplex minimising mean_i [a_i . w - 1/2 w' B_i w] (the mean CRPS of the
/// linear pool), by projected gradient descent.
fn pool_weights(a: &[f64], b: &[Vec<f64>]) -> Vec<f64> {
    let m = a.len();
    let mut w = vec![1.0 / m as f64; m];
    let step = 0.5 / b.iter().flatten().fold(1e-9_f64, |x, y| x.max(y.abs()));
    for _ in 0..5000 {
        let g: Vec<f64> = (0..m)
            .map(|i| a[i] - (0..m).map(|j| b[i][j] * w[j]).sum::<f64>())
            .collect();
        let next: Vec<f64> = (0..m).map(|i| w[i] - step * g[i]).collect();
        w = project_simplex(&next);
    }
    w
}

fn pool(ps: &[Predictive], w: &[f64]) -> Predictive {
    let parts: Vec<(f64, &Predictive)> = w.iter().copied().zip(ps.iter()).collect();
    Predictive::mixture(&parts).unwrap()
}

/// Weights on the simplex minimising the mean absolute error of the weighted mean of point
/// forecasts, by projected subgradient descent with a decreasing step (the best iterate kept).
fn stack_weights(f: &[Vec<f64>], y: &[f64]) -> Vec<f64> {
    let m = f[0].len();
    let mae = |w: &[f64]| -> f64 {
        f.iter()
            .zip(y)
            .map(|(fi, yi)| (fi.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() - yi).abs())
            .sum::<f64>()
            / y.len() as f64
    };
    let mut w = vec![1.0 / m as f64; m];
    let mut best = (mae(&w), w.clone());
    for t in 0..4000 {
        let mut g = vec![0.0; m];
        for (fi, yi) in f.iter().zip(y) {
            let r: f64 = fi.iter().zip(&w).map(|(a, b)| a * b).sum::<f64>() - yi;
            for j in 0..m {
                g[j] += r.signum() * fi[j] / y.len() as f64;
            }
        }
        let step = 0.002 / (1.0 + t as f64).sqrt();
        w = project_simplex(&(0..m).map(|j| w[j] - step * g[j]).collect::<Vec<_>>());
        let v = mae(&w);
        if v < best.0 {
            best = (v, w.clone());
        }
    }
    best.1
}

fn print(r: &PredictiveReport) {
    for m in &r.models {
        let vs = m
            .crps_vs_compromise
            .map(|e| format!("{:+.2} ({:+.2}, {:+.2})", e.value, e.lo, e.hi))
            .unwrap_or_else(|| "-".into());
        println!(
            "  {:44} n {:3}  MAE {:6.2}  CRPS {:6.2} ({:5.2}, {:5.2})  vs compromise {:24}  log {:5.2}  cover {:.3} {:.3} {:.3}  width {:5.1} {:5.1} {:5.1}",
            m.name, m.n, m.mae, m.crps, m.crps_ci.lo, m.crps_ci.hi, vs, m.log_score,
            m.coverage["0.5"], m.coverage["0.8"], m.coverage["0.9"],
            m.width["0.5"], m.width["0.8"], m.width["0.9"],
        );
    }
}

fn main() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/tests/data/deu3/deu3-dev.tsv")).unwrap();
    let imp = import(Format::Deu, &text, "deu3-dev.tsv").unwrap();
    let (sc, out) = (imp.scenario, imp.outcomes.unwrap());
    let fc = run_models(
        &sc,
        &brink_bargain::registry(),
        &brink_bargain::Params::default(),
        true,
    );
    let outcome: Vec<Option<f64>> = sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
    let feats = IssueFeatures::of_values(&sc, &sc.point_values());
    let mut gnames: Vec<String> = Vec::new();
    let group: Vec<usize> = (0..sc.issues.len())
        .map(|k| {
            let g = group_of(&sc, k);
            match gnames.iter().position(|x| *x == g) {
                Some(i) => i,
                None => {
                    gnames.push(g);
                    gnames.len() - 1
                }
            }
        })
        .collect();
    let d = Data {
        sc,
        out,
        outcome,
        feats,
        group,
        fc,
    };
    let score = |list: Vec<ModelDistributions>| {
        score_distributions(&d.sc, &d.out, &list, "leave-one-proposal-out", RESAMPLES, 0)
    };
    let comp = d.fc.iter().position(|f| f.name == "compromise").unwrap();

    // The compromise model's distribution as brink makes it, the benchmark of every row.
    let brink_of = |m: usize| -> ModelDistributions {
        let issues = d.issues(&[m]);
        let cases: Vec<Case> = issues.iter().map(|&k| d.case(m, k)).collect();
        let groups: Vec<usize> = issues.iter().map(|&k| d.group[k]).collect();
        let ps = cross_validate(&d.fc[m].name, &cases, &groups);
        let mut per_issue = vec![None; d.sc.issues.len()];
        for ((k, c), p) in issues.iter().zip(&cases).zip(ps) {
            per_issue[*k] = Some((c.forecast, p));
        }
        ModelDistributions {
            name: d.fc[m].name.clone(),
            per_issue,
            distribution: true,
        }
    };

    println!("Error models, leave-one-proposal-out on DEU III dev ({RESAMPLES} bootstrap resamples over proposals):");
    for m in 0..d.fc.len() {
        let issues = d.issues(&[m]);
        let name = d.fc[m].name.clone();
        let mut list = vec![ModelDistributions {
            name: "compromise".into(),
            ..brink_of(comp)
        }];
        let row = |label: &str, per_issue: Vec<Option<(f64, Predictive)>>| ModelDistributions {
            name: format!("{name}: {label}"),
            per_issue,
            distribution: true,
        };
        list.push(row(
            "point",
            cv(&d, &issues, &|_| {
                let fc = d.fc[m].values.clone();
                Box::new(move |k| (fc[k].unwrap(), Predictive::point(fc[k].unwrap()).unwrap()))
            }),
        ));
        list.push(row(
            "constant, scale ends",
            cv(&d, &issues, &|t| clamp_resid(&d, m, t, false)),
        ));
        list.push(row(
            "constant, actors' range",
            cv(&d, &issues, &|t| clamp_resid(&d, m, t, true)),
        ));
        list.push(ModelDistributions {
            name: format!("{name}: spread, actors' range, scale's direction"),
            per_issue: {
                let cases: Vec<Case> = issues
                    .iter()
                    .map(|&k| {
                        let mut c = d.case(m, k);
                        c.features.direction = 1.0;
                        c
                    })
                    .collect();
                let groups: Vec<usize> = issues.iter().map(|&k| d.group[k]).collect();
                let ps = cross_validate(&name, &cases, &groups);
                let mut per_issue = vec![None; d.sc.issues.len()];
                for ((k, c), p) in issues.iter().zip(&cases).zip(ps) {
                    per_issue[*k] = Some((c.forecast, p));
                }
                per_issue
            },
            distribution: true,
        });
        list.push(ModelDistributions {
            name: format!("{name}: spread, actors' range (brink)"),
            ..brink_of(m)
        });
        let with_extra = |label: &str, extra: &dyn Fn(usize) -> Option<Predictive>| {
            row(
                label,
                cv(&d, &issues, &|t| {
                    let em = brinks(&d, m, t);
                    let lam = mixed_with(&d, m, t, extra);
                    let cases: Vec<Option<Case>> = (0..d.sc.issues.len())
                        .map(|k| issues.contains(&k).then(|| d.case(m, k)))
                        .collect();
                    let ex: Vec<Option<Predictive>> = (0..d.sc.issues.len()).map(extra).collect();
                    Box::new(move |k| {
                        let c = cases[k].unwrap();
                        let p = em.predictive_one(c.forecast, &c.features, 1.0).unwrap();
                        let p = match &ex[k] {
                            Some(x) => Predictive::mixture(&[(1.0 - lam, &p), (lam, x)]).unwrap(),
                            None => p,
                        };
                        (c.forecast, p)
                    })
                }),
            )
        };
        let sq = d.sc.point_values().status_quo;
        list.push(with_extra("... + reference point", &|k| {
            sq[k].map(|q| Predictive::point(q).unwrap())
        }));
        list.push(with_extra("... + positions", &|k| positions(&d.sc, k)));
        let fm = d.fc[m].values.clone();
        list.push(with_extra("... + ends of the actors' range", &|k| {
            let ft = d.feats[k]?;
            let f = fm[k]?;
            // The nearer end gets the larger share: weights inverse to the distance.
            let (a, b) = ((f - ft.lo).abs() + 1.0, (ft.hi - f).abs() + 1.0);
            Predictive::new([(ft.lo, 1.0 / a), (ft.hi, 1.0 / b)]).ok()
        }));
        print(&score(list));
    }

    // Ensembles over the models covering every issue.
    let members: Vec<usize> = (0..d.fc.len())
        .filter(|&m| d.issues(&[m]).len() == d.issues(&[]).len())
        .collect();
    let issues = d.issues(&members);
    println!(
        "\nEnsembles of {} ({} issues):",
        members
            .iter()
            .map(|&m| d.fc[m].name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        issues.len()
    );
    let all_cases: Vec<Vec<Option<Case>>> = members
        .iter()
        .map(|&m| {
            (0..d.sc.issues.len())
                .map(|k| issues.contains(&k).then(|| d.case(m, k)))
                .collect()
        })
        .collect();
    let equal = cv(&d, &issues, &|t| {
        let ems: Vec<ErrorModel> = members.iter().map(|&m| brinks(&d, m, t)).collect();
        let cases = all_cases.clone();
        Box::new(move |k| {
            let ps: Vec<Predictive> = ems
                .iter()
                .zip(&cases)
                .map(|(em, cs)| {
                    let c = cs[k].unwrap();
                    em.predictive_one(c.forecast, &c.features, 1.0).unwrap()
                })
                .collect();
            let p = pool(&ps, &vec![1.0 / ps.len() as f64; ps.len()]);
            (p.quantile(0.5), p)
        })
    });
    let mut chosen: Vec<Vec<f64>> = Vec::new();
    let fitted = {
        let mut out = vec![None; d.sc.issues.len()];
        for g in d.groups() {
            let train: Vec<usize> = issues
                .iter()
                .copied()
                .filter(|&k| d.group[k] != g)
                .collect();
            let test: Vec<usize> = issues
                .iter()
                .copied()
                .filter(|&k| d.group[k] == g)
                .collect();
            if test.is_empty() {
                continue;
            }
            let ems: Vec<ErrorModel> = members.iter().map(|&m| brinks(&d, m, &train)).collect();
            let dists = |k: usize| -> Vec<Predictive> {
                members
                    .iter()
                    .zip(&ems)
                    .map(|(&m, em)| {
                        let c = d.case(m, k);
                        em.predictive_one(c.forecast, &c.features, 1.0).unwrap()
                    })
                    .collect()
            };
            let n = members.len();
            let mut a = vec![0.0; n];
            let mut b = vec![vec![0.0; n]; n];
            for &k in &train {
                let ps = dists(k);
                let y = d.outcome[k].unwrap();
                for i in 0..n {
                    a[i] +=
                        mean_abs_diff(&ps[i], &Predictive::point(y).unwrap()) / train.len() as f64;
                    for j in i..n {
                        let v = mean_abs_diff(&ps[i], &ps[j]) / train.len() as f64;
                        b[i][j] += v;
                        if j != i {
                            b[j][i] += v;
                        }
                    }
                }
            }
            let w = pool_weights(&a, &b);
            for k in test {
                let p = pool(&dists(k), &w);
                out[k] = Some((p.quantile(0.5), p));
            }
            chosen.push(w);
        }
        out
    };
    let stacked = cv(&d, &issues, &|t| {
        let f: Vec<Vec<f64>> = t
            .iter()
            .map(|&k| {
                members
                    .iter()
                    .map(|&m| d.fc[m].values[k].unwrap())
                    .collect()
            })
            .collect();
        let y: Vec<f64> = t.iter().map(|&k| d.outcome[k].unwrap()).collect();
        let w = stack_weights(&f, &y);
        let point = |k: usize| -> f64 {
            members
                .iter()
                .zip(&w)
                .map(|(&m, wi)| wi * d.fc[m].values[k].unwrap())
                .sum()
        };
        let cases: Vec<Case> = t
            .iter()
            .map(|&k| Case {
                forecast: point(k),
                outcome: d.outcome[k].unwrap(),
                features: d.feats[k].unwrap(),
            })
            .collect();
        let em = ErrorModel::fit("stack", &cases).unwrap();
        let feats = d.feats.clone();
        let pts: Vec<f64> = (0..d.sc.issues.len())
            .map(|k| {
                if issues.contains(&k) {
                    point(k)
                } else {
                    f64::NAN
                }
            })
            .collect();
        Box::new(move |k| {
            (
                pts[k],
                em.predictive_one(pts[k], &feats[k].unwrap(), 1.0).unwrap(),
            )
        })
    });
    print(&score(vec![
        brink_of(comp),
        ModelDistributions {
            name: "linear pool, equal weights".into(),
            per_issue: equal,
            distribution: true,
        },
        ModelDistributions {
            name: "linear pool, CV weights".into(),
            per_issue: fitted,
            distribution: true,
        },
        ModelDistributions {
            name: "point stack, CV weights".into(),
            per_issue: stacked,
            distribution: true,
        },
    ]));
    let n = members.len();
    let mean_w: Vec<f64> = (0..n)
        .map(|i| chosen.iter().map(|w| w[i]).sum::<f64>() / chosen.len() as f64)
        .collect();
    println!(
        "  linear pool weights, mean over folds: {}",
        members
            .iter()
            .zip(&mean_w)
            .map(|(&m, w)| format!("{} {:.2}", d.fc[m].name, w))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
