//! Which inputs move each forecast.
//!
//! - **One at a time (tornado)**: each uncertain input is set to the low and the high end of its
//!   range ([`brink_scenario::Uncertain::range`]: the support; mean +- 2 sd for a normal) with every
//!   other input at its point estimate; the swing is the difference of the two forecasts. Inputs
//!   are ranked by the absolute swing, per issue and model.
//! - **Rank correlation**: over Monte Carlo draws, Spearman's correlation between each input and
//!   each forecast (computed on the kept draws).
//!
//! For a linear model the swing is exact: for the compromise model the derivative of the
//! forecast with respect to actor i's position is c_i s_i / sum c s, so the swing of a position
//! with range [lo, hi] is (hi - lo) c_i s_i / sum c s.

use brink_bargain::{Input, Model, Params};
use brink_scenario::Scenario;
use serde::Serialize;

use crate::inputs::InputRef;

/// One input's effect on one forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Swing {
    /// The input's key (`rus.enlargement.salience`).
    pub input: String,
    /// The input in words.
    pub name: String,
    /// The input's low and high values.
    pub range: (f64, f64),
    /// The forecast with the input at its low value (NaN if not covered).
    pub at_low: f64,
    /// The forecast with the input at its high value.
    pub at_high: f64,
    /// at_high - at_low.
    pub swing: f64,
}

/// The tornado of one model on one issue: swings sorted by absolute size, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tornado {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The forecast with every input at its point estimate.
    pub base: f64,
    /// The swings, largest first (inputs that move nothing are left out).
    pub swings: Vec<Swing>,
}

/// One-at-a-time swings of every uncertain input, for every model and issue.
pub fn tornado(sc: &Scenario, models: &[Box<dyn Model>], params: &Params) -> Vec<Tornado> {
    let base = sc.point_values();
    let inputs = InputRef::uncertain(sc);
    let value_of = |v: &brink_scenario::Values, m: &dyn Model| -> Vec<f64> {
        let input = Input::new(sc, v);
        m.run(&input, params)
            .iter()
            .map(|f| f.value().unwrap_or(f64::NAN))
            .collect()
    };
    let mut out = Vec::new();
    for m in models {
        let b = value_of(&base, m.as_ref());
        let mut per_issue: Vec<Vec<Swing>> = vec![Vec::new(); sc.issues.len()];
        for i in &inputs {
            let (lo, hi) = i.dist(sc).range();
            let mut v = base.clone();
            i.set(&mut v, lo);
            let fl = value_of(&v, m.as_ref());
            i.set(&mut v, hi);
            let fh = value_of(&v, m.as_ref());
            for k in 0..sc.issues.len() {
                let s = fh[k] - fl[k];
                if s.abs() > 1e-12 || (fl[k].is_nan() != fh[k].is_nan()) {
                    per_issue[k].push(Swing {
                        input: i.key(sc),
                        name: i.describe(sc),
                        range: (lo, hi),
                        at_low: fl[k],
                        at_high: fh[k],
                        swing: s,
                    });
                }
            }
        }
        for (k, mut swings) in per_issue.into_iter().enumerate() {
            swings.sort_by(|a, b| {
                b.swing
                    .abs()
                    .total_cmp(&a.swing.abs())
                    .then_with(|| a.input.cmp(&b.input))
            });
            out.push(Tornado {
                issue: sc.issues[k].id.clone(),
                model: m.name().to_string(),
                base: b[k],
                swings,
            });
        }
    }
    out
}

/// Spearman's rank correlation of two equally long samples (average ranks for ties); NaN when
/// either is constant.
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    let rx = ranks(x);
    let ry = ranks(y);
    pearson(&rx, &ry)
}

fn ranks(x: &[f64]) -> Vec<f64> {
    let mut ix: Vec<usize> = (0..x.len()).collect();
    ix.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut r = vec![0.0; x.len()];
    let mut i = 0;
    while i < ix.len() {
        let mut j = i;
        while j + 1 < ix.len() && x[ix[j + 1]] == x[ix[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0 + 1.0;
        for &k in &ix[i..=j] {
            r[k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        f64::NAN
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

/// How much of a forecast's spread comes from experts disagreeing on one pooled input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PanelShare {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The pooled input's key, or `all panels` for every pooled input together.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Var(E[forecast | which expert]) / Var(forecast): the first-order (Sobol) share of the
    /// forecast's variance explained by the choice of estimate, in [0, 1].
    pub share: f64,
}

/// For every input pooled from several estimates, the share of each forecast's variance that the
/// choice between the estimates explains (law of total variance over `draws` seeded draws of all
/// uncertain inputs, at most [`crate::MAX_KEPT_DRAWS`]), one input at a time and all panels
/// together. Empty when nothing is pooled.
pub fn panel_shares(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    draws: u64,
    seed: u64,
) -> Vec<PanelShare> {
    use rand::SeedableRng;
    let inputs = InputRef::uncertain(sc);
    let pooled: Vec<usize> = (0..inputs.len())
        .filter(|&i| {
            matches!(
                inputs[i].dist(sc).dist,
                brink_scenario::Dist::Mixture { .. }
            )
        })
        .collect();
    if pooled.is_empty() || draws < 2 {
        return Vec::new();
    }
    // Every draw is kept: at most MAX_KEPT_DRAWS (callers check with `check_kept_draws`).
    let draws = draws.min(crate::run::MAX_KEPT_DRAWS);
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let base = sc.point_values();
    let n_issues = sc.issues.len();
    let mut comps: Vec<Vec<usize>> = Vec::with_capacity(draws as usize);
    let mut fs: Vec<Vec<f64>> = Vec::with_capacity(draws as usize);
    for _ in 0..draws {
        let mut v = base.clone();
        let mut c = Vec::with_capacity(pooled.len());
        for (i, inp) in inputs.iter().enumerate() {
            let (x, k) = crate::sample::sample_tracked(inp.dist(sc), &mut rng);
            inp.set(&mut v, x);
            if pooled.contains(&i) {
                c.push(k);
            }
        }
        let input = Input::new(sc, &v);
        let mut row = Vec::with_capacity(models.len() * n_issues);
        for m in models {
            row.extend(
                m.run(&input, params)
                    .iter()
                    .map(|f| f.value().unwrap_or(f64::NAN)),
            );
        }
        comps.push(c);
        fs.push(row);
    }
    let mut out = Vec::new();
    // Group draws by one pooled input's estimate (Some(p)) or by all of them at once (None).
    let groups: Vec<(String, String, Option<usize>)> = pooled
        .iter()
        .enumerate()
        .map(|(p, &i)| (inputs[i].key(sc), inputs[i].describe(sc), Some(p)))
        .chain(std::iter::once((
            "all panels".to_string(),
            "every pooled input together".to_string(),
            None,
        )))
        .collect();
    for (mi, m) in models.iter().enumerate() {
        for k in 0..n_issues {
            let col: Vec<f64> = fs.iter().map(|r| r[mi * n_issues + k]).collect();
            if col.iter().any(|x| x.is_nan()) {
                continue;
            }
            let n = col.len() as f64;
            let mean = col.iter().sum::<f64>() / n;
            let var = col.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
            if var <= 0.0 {
                continue;
            }
            for (key, name, key_of) in &groups {
                let mut sums: std::collections::BTreeMap<Vec<usize>, (f64, f64)> =
                    Default::default();
                for (c, x) in comps.iter().zip(&col) {
                    let key = match key_of {
                        Some(p) => vec![c[*p]],
                        None => c.clone(),
                    };
                    let e = sums.entry(key).or_insert((0.0, 0.0));
                    e.0 += x;
                    e.1 += 1.0;
                }
                let between = sums
                    .values()
                    .map(|(s, c)| c * (s / c - mean).powi(2))
                    .sum::<f64>()
                    / n;
                out.push(PanelShare {
                    issue: sc.issues[k].id.clone(),
                    model: m.name().to_string(),
                    input: key.clone(),
                    name: name.clone(),
                    share: (between / var).clamp(0.0, 1.0),
                });
            }
        }
    }
    out
}

/// One input's rank correlation with one forecast over Monte Carlo draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankCorrelation {
    /// The issue's id.
    pub issue: String,
    /// The model.
    pub model: String,
    /// The input's key.
    pub input: String,
    /// The input in words.
    pub name: String,
    /// Spearman's rank correlation between the input's draws and the forecast's.
    pub rho: f64,
}

/// Spearman's rank correlation of every uncertain input with every forecast over `draws` seeded
/// draws (the same draws as `brink run --draws`; at most [`crate::MAX_KEPT_DRAWS`]), strongest
/// first per issue and model; inputs with |rho| below 0.05 are left out.
pub fn rank_correlations(
    sc: &Scenario,
    models: &[Box<dyn Model>],
    params: &Params,
    draws: u64,
    seed: u64,
) -> Vec<RankCorrelation> {
    let inputs = InputRef::uncertain(sc);
    let n_issues = sc.issues.len();
    // Every draw is kept: at most MAX_KEPT_DRAWS (callers check with `check_kept_draws`).
    let draws = draws.min(crate::run::MAX_KEPT_DRAWS);
    let mut xs: Vec<Vec<f64>> = vec![Vec::with_capacity(draws as usize); inputs.len()];
    let mut ys: Vec<Vec<f64>> = vec![Vec::with_capacity(draws as usize); models.len() * n_issues];
    let mut keep = |_: u64, v: &brink_scenario::Values, f: &[f64], _: &crate::run::Kept<'_>| {
        for (i, inp) in inputs.iter().enumerate() {
            xs[i].push(inp.get(v));
        }
        for (j, y) in f.iter().enumerate() {
            ys[j].push(*y);
        }
    };
    crate::run::run(
        sc,
        models,
        params,
        &crate::run::McConfig::new(draws, seed),
        crate::run::Hooks {
            keep: Some(&mut keep),
            ..Default::default()
        },
    );
    let mut out = Vec::new();
    for (m, model) in models.iter().enumerate() {
        for k in 0..n_issues {
            let y = &ys[m * n_issues + k];
            if y.iter().any(|v| v.is_nan()) {
                continue;
            }
            let mut rows: Vec<RankCorrelation> = inputs
                .iter()
                .enumerate()
                .map(|(i, inp)| RankCorrelation {
                    issue: sc.issues[k].id.clone(),
                    model: model.name().to_string(),
                    input: inp.key(sc),
                    name: inp.describe(sc),
                    rho: spearman(&xs[i], y),
                })
                .filter(|r| r.rho.abs() >= 0.05)
                .collect();
            rows.sort_by(|a, b| {
                b.rho
                    .abs()
                    .total_cmp(&a.rho.abs())
                    .then_with(|| a.input.cmp(&b.input))
            });
            out.extend(rows);
        }
    }
    out
}
