//! L2-regularised logistic regression on a one-hot design, fitted by Newton's method, and the
//! choice of its penalty by K-fold cross-validation by crisis.
//!
//! # Equations
//!
//! For cases i with active columns A_i (the intercept and one level per feature, all values 1),
//! linear predictor eta_i = sum_{j in A_i} beta_j and p_i = 1 / (1 + exp(-eta_i)). The fit
//! minimises the penalised negative log-likelihood
//!
//! ```text
//! L(beta) = sum_i [ log(1 + exp(eta_i)) - y_i eta_i ] + (lambda / 2) sum_{j >= 1} beta_j^2
//! ```
//!
//! (the intercept beta_0 is not penalised). Gradient g = X'(p - y) + lambda beta~, Hessian
//! H = X' W X + lambda I~ with W = diag(p_i (1 - p_i)); H is positive definite for lambda > 0.
//! Newton steps d = H^-1 g with backtracking (Armijo, halving) from beta = 0 or a warm start,
//! until the Newton decrement g'd / 2 falls below 1e-12 (at most 100 steps). Deterministic: no
//! randomness, a fixed order of summation.
//!
//! The Laplace approximation reads the L2 penalty as a Gaussian prior N(0, 1/lambda) on each
//! level's coefficient (flat on the intercept): the posterior of beta is approximately
//! N(beta^, H^-1), so eta for a new case x has variance x' H^-1 x.
//!
//! # Penalty by cross-validation
//!
//! lambda is chosen from the grid [`LAMBDAS`] (2^-2 ... 2^8, in factors of 2) by K-fold
//! cross-validation on the training cases only: crises are sorted by number and dealt to folds in
//! turn (crisis of rank r goes to fold r mod K), all rows of a crisis stay in one fold, each fold's
//! path is fitted from the largest lambda down with warm starts, and the lambda with the smallest
//! total held-out log loss wins (ties go to the larger lambda).
//!
//! # References
//! - Hastie, Tibshirani & Friedman, *The Elements of Statistical Learning*, 2nd ed. (2009),
//!   sections 4.4 (logistic regression by Newton / IRLS) and 7.10 (cross-validation).
//! - le Cessie & van Houwelingen, "Ridge estimators in logistic regression", *Applied
//!   Statistics* 41 (1992) 191-201.
//! - MacKay, "The evidence framework applied to classification networks", *Neural Computation*
//!   4 (1992) 720-736 (the Laplace approximation for a logistic model).

use rayon::prelude::*;

/// The grid of penalties tried by cross-validation.
pub const LAMBDAS: [f64; 11] = [
    0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0,
];

/// A fitted logistic regression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Logit {
    pub lambda: f64,
    pub beta: Vec<f64>,
    /// Lower-triangular Cholesky factor of the Hessian at the optimum (row-major, p x p); empty
    /// for the quick fits of cross-validation.
    pub chol: Vec<f64>,
    pub iterations: usize,
}

pub(crate) fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// log(1 + exp(x)) without overflow.
fn softplus(x: f64) -> f64 {
    if x > 0.0 {
        x + (-x).exp().ln_1p()
    } else {
        x.exp().ln_1p()
    }
}

fn eta(row: &[u32], beta: &[f64]) -> f64 {
    row.iter().map(|&j| beta[j as usize]).sum()
}

fn objective(x: &[&[u32]], y: &[f64], beta: &[f64], pen: &[f64]) -> f64 {
    let mut l = 0.0;
    for (r, &yi) in x.iter().zip(y) {
        let e = eta(r, beta);
        l += softplus(e) - yi * e;
    }
    let q: f64 = beta.iter().zip(pen).map(|(b, w)| w * b * b).sum();
    l + 0.5 * q
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// In-place Cholesky of a symmetric positive definite matrix stored in the lower triangle
/// (row-major); `false` if it is not positive definite.
fn cholesky(a: &mut [f64], p: usize) -> bool {
    for j in 0..p {
        let (head, rest) = a.split_at_mut(j * p);
        let row_j = &mut rest[..p];
        // Row j against the finished rows above it.
        for k in 0..j {
            let row_k = &head[k * p..k * p + k + 1];
            let s = row_j[k] - dot(&row_j[..k], &row_k[..k]);
            row_j[k] = s / row_k[k];
        }
        let d = row_j[j] - dot(&row_j[..j], &row_j[..j]);
        if d <= 0.0 || !d.is_finite() {
            return false;
        }
        row_j[j] = d.sqrt();
    }
    true
}

/// Solves L z = b (forward).
fn forward(l: &[f64], p: usize, b: &mut [f64]) {
    for i in 0..p {
        let row = &l[i * p..i * p + i + 1];
        b[i] = (b[i] - dot(&row[..i], &b[..i])) / row[i];
    }
}

/// Solves L' z = b (backward).
fn backward(l: &[f64], p: usize, b: &mut [f64]) {
    for i in (0..p).rev() {
        let bi = b[i] / l[i * p + i];
        b[i] = bi;
        for k in 0..i {
            b[k] -= l[i * p + k] * bi;
        }
    }
}

/// Gradient and lower-triangular Hessian at `beta`.
fn grad_hess(x: &[&[u32]], y: &[f64], beta: &[f64], pen: &[f64], p: usize) -> (Vec<f64>, Vec<f64>) {
    let mut g = vec![0.0; p];
    let mut h = vec![0.0; p * p];
    for (r, &yi) in x.iter().zip(y) {
        let pi = sigmoid(eta(r, beta));
        let w = pi * (1.0 - pi);
        let res = pi - yi;
        // Active columns are ascending (intercept, then features in column order), so
        // (r[a], r[b]) with b <= a is in the lower triangle.
        for (a, &j) in r.iter().enumerate() {
            let j = j as usize;
            g[j] += res;
            let row = &mut h[j * p..(j + 1) * p];
            for &k in &r[..=a] {
                row[k as usize] += w;
            }
        }
    }
    for j in 0..p {
        g[j] += pen[j] * beta[j];
        // Unpenalised columns (intercepts): a tiny ridge keeps H definite when p_i saturate.
        h[j * p + j] += pen[j].max(1e-9);
    }
    (g, h)
}

/// Fits the model on rows `x` (active columns) with 0/1 targets `y`.
pub(crate) fn fit(x: &[&[u32]], y: &[f64], p: usize, lambda: f64, warm: Option<&[f64]>) -> Logit {
    fit_with(x, y, p, lambda, warm, false)
}

/// Fits; a `quick` fit (for cross-validation, where only the probabilities matter) stops after a
/// full Newton step whose decrement was below 1e-9 (the next would be of the order of its
/// square) and leaves `chol` empty.
fn fit_with(
    x: &[&[u32]],
    y: &[f64],
    p: usize,
    lambda: f64,
    warm: Option<&[f64]>,
    quick: bool,
) -> Logit {
    let mut pen = vec![lambda; p];
    pen[0] = 0.0;
    let pen = &pen[..];
    let mut beta = match warm {
        Some(b) => b.to_vec(),
        None => {
            let mut b = vec![0.0; p];
            let n = y.len().max(1) as f64;
            let m = (y.iter().sum::<f64>() + 0.5) / (n + 1.0);
            b[0] = (m / (1.0 - m)).ln();
            b
        }
    };
    let mut f = objective(x, y, &beta, pen);
    let mut iterations = 0;
    loop {
        let (g, mut h) = grad_hess(x, y, &beta, pen, p);
        let ok = cholesky(&mut h, p);
        debug_assert!(ok, "H is positive definite for lambda > 0");
        if iterations >= 100 || !ok {
            return Logit {
                lambda,
                beta,
                chol: h,
                iterations,
            };
        }
        let mut d = g.clone();
        forward(&h, p, &mut d);
        backward(&h, p, &mut d);
        let dec: f64 = g.iter().zip(&d).map(|(a, b)| a * b).sum();
        if dec * 0.5 < 1e-12 {
            return Logit {
                lambda,
                beta,
                chol: h,
                iterations,
            };
        }
        let mut t = 1.0;
        let mut next;
        loop {
            next = beta
                .iter()
                .zip(&d)
                .map(|(b, s)| b - t * s)
                .collect::<Vec<_>>();
            let fn_ = objective(x, y, &next, pen);
            if fn_ <= f - 1e-4 * t * dec || t < 1e-10 {
                f = fn_;
                break;
            }
            t *= 0.5;
        }
        beta = next;
        iterations += 1;
        if quick && t == 1.0 && dec * 0.5 < 1e-9 {
            return Logit {
                lambda,
                beta,
                chol: Vec::new(),
                iterations,
            };
        }
    }
}

impl Logit {
    /// Linear predictor and its Laplace variance for a case.
    pub(crate) fn eta_var(&self, row: &[u32]) -> (f64, f64) {
        let p = self.beta.len();
        let mut v = vec![0.0; p];
        for &j in row {
            v[j as usize] += 1.0;
        }
        forward(&self.chol, p, &mut v);
        (eta(row, &self.beta), v.iter().map(|z| z * z).sum())
    }

    /// Probability for a case.
    pub(crate) fn prob(&self, row: &[u32]) -> f64 {
        sigmoid(eta(row, &self.beta))
    }
}

/// Log loss of one forecast, with the probability kept inside [1e-15, 1 - 1e-15].
pub(crate) fn log_loss(p: f64, y: f64) -> f64 {
    let p = p.clamp(1e-15, 1.0 - 1e-15);
    -(y * p.ln() + (1.0 - y) * (1.0 - p).ln())
}

/// Fold of each row: crises (by `group`, e.g. CRISNO) sorted and dealt to `k` folds in turn.
pub(crate) fn folds(group: &[u32], k: usize) -> Vec<usize> {
    let mut ids: Vec<u32> = group.to_vec();
    ids.sort_unstable();
    ids.dedup();
    group
        .iter()
        .map(|g| ids.binary_search(g).expect("listed") % k)
        .collect()
}

/// The cross-validated choice of lambda for several targets sharing one design: per target,
/// the chosen lambda and the held-out mean log loss at every grid point.
pub(crate) fn choose_lambdas(
    x: &[&[u32]],
    ys: &[Vec<f64>],
    group: &[u32],
    p: usize,
    k: usize,
) -> Vec<(f64, Vec<f64>)> {
    let fold = folds(group, k);
    let n = x.len();
    // Each fold's held-out losses (per target, per lambda), computed independently (in parallel
    // when threads are available) and summed in fold order: the same result on any thread count.
    let per_fold: Vec<Vec<Vec<f64>>> = (0..k)
        .into_par_iter()
        .map(|f| {
            let mut loss = vec![vec![0.0; LAMBDAS.len()]; ys.len()];
            let train: Vec<usize> = (0..n).filter(|&i| fold[i] != f).collect();
            let test: Vec<usize> = (0..n).filter(|&i| fold[i] == f).collect();
            if test.is_empty() {
                return loss;
            }
            let xt: Vec<&[u32]> = train.iter().map(|&i| x[i]).collect();
            for (t, y) in ys.iter().enumerate() {
                let yt: Vec<f64> = train.iter().map(|&i| y[i]).collect();
                let mut warm: Option<Vec<f64>> = None;
                for (li, &lambda) in LAMBDAS.iter().enumerate().rev() {
                    let m = fit_with(&xt, &yt, p, lambda, warm.as_deref(), true);
                    for &i in &test {
                        loss[t][li] += log_loss(m.prob(x[i]), y[i]);
                    }
                    warm = Some(m.beta);
                }
            }
            loss
        })
        .collect();
    let mut loss = vec![vec![0.0; LAMBDAS.len()]; ys.len()];
    for fl in &per_fold {
        for (t, l) in fl.iter().enumerate() {
            for (li, v) in l.iter().enumerate() {
                loss[t][li] += v;
            }
        }
    }
    loss.into_iter()
        .map(|l| {
            let mut best = LAMBDAS.len() - 1;
            for li in (0..LAMBDAS.len()).rev() {
                if l[li] < l[best] {
                    best = li;
                }
            }
            let mean: Vec<f64> = l.iter().map(|v| v / n as f64).collect();
            (LAMBDAS[best], mean)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With one binary feature the penalised optimum solves two scalar equations; check the
    /// Newton fit against a direct one-dimensional solution.
    #[test]
    fn matches_closed_form_with_no_penalty_effect() {
        // Columns: 0 intercept, 1 "a", 2 "b". 30 rows of a (10 positive), 20 of b (15 positive).
        let mut x: Vec<Vec<u32>> = Vec::new();
        let mut y = Vec::new();
        for i in 0..30 {
            x.push(vec![0, 1]);
            y.push(if i < 10 { 1.0 } else { 0.0 });
        }
        for i in 0..20 {
            x.push(vec![0, 2]);
            y.push(if i < 15 { 1.0 } else { 0.0 });
        }
        let rows: Vec<&[u32]> = x.iter().map(|r| r.as_slice()).collect();
        // Tiny penalty: the fitted probabilities approach the group rates 1/3 and 3/4.
        let m = fit(&rows, &y, 3, 1e-8, None);
        assert!((m.prob(&[0, 1]) - 1.0 / 3.0).abs() < 1e-6);
        assert!((m.prob(&[0, 2]) - 0.75).abs() < 1e-6);
        // A real penalty: check stationarity of the penalised objective directly.
        let lambda = 3.0;
        let m = fit(&rows, &y, 3, lambda, None);
        let (g, _) = grad_hess(&rows, &y, &m.beta, &[0.0, lambda, lambda], 3);
        assert!(g.iter().all(|v| v.abs() < 1e-8), "{g:?}");
        // Shrinkage pulls both groups towards each other.
        assert!(m.prob(&[0, 1]) > 1.0 / 3.0 && m.prob(&[0, 2]) < 0.75);
    }

    #[test]
    fn laplace_variance_equals_inverse_hessian() {
        let x: Vec<Vec<u32>> = (0..40).map(|i| vec![0, 1 + (i % 2) as u32]).collect();
        let y: Vec<f64> = (0..40).map(|i| ((i / 2) % 3 == 0) as u8 as f64).collect();
        let rows: Vec<&[u32]> = x.iter().map(|r| r.as_slice()).collect();
        let m = fit(&rows, &y, 3, 2.0, None);
        let (_, h) = grad_hess(&rows, &y, &m.beta, &[0.0, 2.0, 2.0], 3);
        // Invert H (3 x 3, symmetric from its lower triangle) by Cramer's rule.
        let s = |i: usize, j: usize| if i >= j { h[i * 3 + j] } else { h[j * 3 + i] };
        let a = [
            [s(0, 0), s(0, 1), s(0, 2)],
            [s(1, 0), s(1, 1), s(1, 2)],
            [s(2, 0), s(2, 1), s(2, 2)],
        ];
        let det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
            - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
            + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        let inv00 = (a[1][1] * a[2][2] - a[1][2] * a[2][1]) / det;
        let inv11 = (a[0][0] * a[2][2] - a[0][2] * a[2][0]) / det;
        let inv01 = -(a[0][1] * a[2][2] - a[0][2] * a[2][1]) / det;
        let want = inv00 + inv11 + 2.0 * inv01; // x = (1, 1, 0)
        let (_, var) = m.eta_var(&[0, 1]);
        assert!(
            (var - want).abs() < 1e-12 * want.max(1.0),
            "{var} vs {want}"
        );
    }

    #[test]
    fn folds_keep_a_crisis_together() {
        let g = [5, 3, 5, 9, 3, 1];
        let f = folds(&g, 2);
        // Ranks: 1 -> 0, 3 -> 1, 5 -> 2, 9 -> 3; folds rank mod 2.
        assert_eq!(f, vec![0, 1, 0, 1, 1, 0]);
    }
}
