//! The all-pairs probability matrix P(x_i, x_j) of the expected-utility model.
//!
//! Two algorithms compute the same matrix:
//!
//! - [`EuAlgorithm::Naive`], the literal definition: for each ordered pair (i, j) sum the votes of
//!   every voter k, O(n^3) per matrix (and O(n^3) for the replication's shared denominator). It is
//!   the test oracle.
//! - [`EuAlgorithm::Fast`], O(n^2) per matrix after an O(n log n) sort. Sort the positions
//!   p_0 <= ... <= p_{n-1}. For a pair a < b (in sorted order, p_a < p_b) voter u favours a exactly
//!   when it lies left of the midpoint m = (p_a + p_b)/2, i.e. for u < t(a, b) where
//!   t = #{u : p_u < m}. Because each voter has its own exponent r_u, the term
//!   w_u d_u(y)^{r_u} does not factor into a function of u times a function of y, so prefix
//!   sums over voters must be kept per column y: G_y[t] = sum_{u<t} w_u d_u(y)^{r_u}. That table
//!   has n^2 entries and costs n^2 powers (the irreducible part of the cost: O(n^2 log n) with
//!   a shared prefix sum is not possible with per-voter exponents). Then
//!   num(a over b) = G_b[t] - G_a[t] and num(b over a) = (G_a[n] - G_a[t]) - (G_b[n] - G_b[t]),
//!   and t(a, b) moves monotonically with b, so every pair costs O(1).
//!   The replication's denominator sum_{k,a,b} |v_k(x_a, x_b)| is shared by every pair: for each
//!   voter the values d_k(x_a)^{r_k} are V-shaped in sorted order, a merge sorts them in O(n) and
//!   sum_{a,b} |f_a - f_b| = 2 sum_i f_(i) (2i - n + 1), so the denominator costs O(n^2) too.
//!
//! Accuracy: the prefix-sum difference G_b[t] - G_a[t] loses absolute accuracy of order
//! n eps sum_k w_k relative to the direct sum. With the replication's large shared denominator
//! that is negligible; with the corrected per-pair denominator it matters when x_a and x_b are
//! very close (the pair's denominator then shrinks with |x_a - x_b|), so in corrected mode pairs
//! closer than [`CLOSE_PAIR`] x Delta are summed directly (O(n) each). The difference to the
//! naive form stays far below 1e-12 (checked by a property test).

use super::{EuError, EuMode};

/// Relative gap (of Delta) under which the fast algorithm sums a pair directly in corrected mode.
pub const CLOSE_PAIR: f64 = 1e-2;

/// How the probability matrix is computed; both give the same matrix up to rounding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EuAlgorithm {
    /// Sorted positions and per-column prefix sums: O(n^2) per matrix (the default).
    #[default]
    Fast,
    /// The literal triple sum, O(n^3): the test oracle.
    Naive,
}

/// One voter as the probability kernel sees it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EuVoter {
    /// Position on the issue scale.
    pub position: f64,
    /// Voting weight c_k s_k (capability times salience), >= 0.
    pub weight: f64,
    /// Risk exponent r_k, > 0.
    pub exponent: f64,
}

/// x^r for x >= 0 and r > 0, computed as exp(r ln x) so that the fast kernel can share ln x
/// between the two ordered pairs of a distance; x^1 is x exactly and 0^r is 0.
#[inline]
pub(crate) fn rpow(x: f64, r: f64) -> f64 {
    if r == 1.0 {
        x
    } else if x <= 0.0 {
        0.0
    } else {
        (r * x.ln()).exp()
    }
}

/// Same as [`rpow`] given a precomputed `ln_x = x.ln()` (ignored when r = 1 or x <= 0).
#[inline]
fn rpow_ln(x: f64, ln_x: f64, r: f64) -> f64 {
    if r == 1.0 {
        x
    } else if x <= 0.0 {
        0.0
    } else {
        (r * ln_x).exp()
    }
}

/// Computes the matrix P (row-major, `P[i * n + j]` = P(x_i, x_j)) for the given voters.
///
/// P(x_i, x_j) = 0 when x_i = x_j. Otherwise the numerator is sum_k max(0, v_k(x_i, x_j)) with
/// v_k(a, b) = w_k (d_k(b)^{r_k} - d_k(a)^{r_k}), d_k(y) = |x_k - y| / delta, and the denominator
/// is, in [`EuMode::ScholzReplication`], sum over all ordered triples (k, a, b) of |v_k(x_a, x_b)|
/// (P = 0 if that is 0), in [`EuMode::Corrected`], sum_k |v_k(x_i, x_j)| (P = 1/2 if that is 0:
/// no voter cares, so neither side is favoured).
///
/// # Errors
/// [`EuError::InvalidKernelInput`] if `delta` is not finite and positive, or a voter has a
/// non-finite position, a negative or non-finite weight, or a non-positive or non-finite exponent.
pub fn probability_matrix(
    voters: &[EuVoter],
    delta: f64,
    mode: EuMode,
    algorithm: EuAlgorithm,
) -> Result<Vec<f64>, EuError> {
    if !(delta.is_finite() && delta > 0.0) {
        return Err(EuError::InvalidKernelInput(format!(
            "delta must be finite and positive, got {delta}"
        )));
    }
    for (k, v) in voters.iter().enumerate() {
        let valid = v.position.is_finite()
            && v.weight.is_finite()
            && v.weight >= 0.0
            && v.exponent.is_finite()
            && v.exponent > 0.0;
        if !valid {
            return Err(EuError::InvalidKernelInput(format!(
                "voter {k} has position {}, weight {}, exponent {}",
                v.position, v.weight, v.exponent
            )));
        }
    }
    let mut ws = Workspace::default();
    let mut out = vec![0.0; voters.len() * voters.len()];
    ws.fill(voters, delta, mode, algorithm, &mut out);
    Ok(out)
}

/// Reusable buffers for the fast kernel (a run keeps one to avoid allocating every round).
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    order: Vec<usize>,
    pos: Vec<f64>,
    w: Vec<f64>,
    r: Vec<f64>,
    /// dist/delta per sorted pair, row-major n x n (symmetric).
    base: Vec<f64>,
    /// ln of `base` per sorted pair (symmetric).
    ln_base: Vec<f64>,
    /// prefix sums, column-major: g[v * (n + 1) + t] = sum_{u<t} w_u f_u(p_v).
    g: Vec<f64>,
    /// f_u(p_v) for one voter u, scratch.
    f_row: Vec<f64>,
    merged: Vec<f64>,
}

impl Workspace {
    /// Fills `out` (n x n, row-major, original order) with P. Inputs are assumed valid.
    pub(crate) fn fill(
        &mut self,
        voters: &[EuVoter],
        delta: f64,
        mode: EuMode,
        algorithm: EuAlgorithm,
        out: &mut [f64],
    ) {
        match algorithm {
            EuAlgorithm::Naive => naive(voters, delta, mode, out),
            EuAlgorithm::Fast => self.fast(voters, delta, mode, out),
        }
    }

    fn fast(&mut self, voters: &[EuVoter], delta: f64, mode: EuMode, out: &mut [f64]) {
        let n = voters.len();
        out.iter_mut().for_each(|p| *p = 0.0);
        if n < 2 {
            return;
        }
        self.order.clear();
        self.order.extend(0..n);
        self.order
            .sort_by(|&a, &b| voters[a].position.total_cmp(&voters[b].position));
        self.pos.clear();
        self.w.clear();
        self.r.clear();
        for &o in &self.order {
            self.pos.push(voters[o].position);
            self.w.push(voters[o].weight);
            self.r.push(voters[o].exponent);
        }
        let (pos, w, r) = (&self.pos, &self.w, &self.r);

        // Distances and their logarithms, once per unordered pair.
        self.base.clear();
        self.base.resize(n * n, 0.0);
        self.ln_base.clear();
        self.ln_base.resize(n * n, 0.0);
        let any_non_unit = r.iter().any(|&e| e != 1.0);
        for u in 0..n {
            for v in (u + 1)..n {
                let b = (pos[u] - pos[v]).abs() / delta;
                self.base[u * n + v] = b;
                self.base[v * n + u] = b;
                if any_non_unit && b > 0.0 {
                    let l = b.ln();
                    self.ln_base[u * n + v] = l;
                    self.ln_base[v * n + u] = l;
                }
            }
        }

        // Prefix sums over voters (sorted), one column per position; and the replication's
        // shared denominator, voter by voter.
        let stride = n + 1;
        self.g.clear();
        self.g.resize(n * stride, 0.0);
        self.f_row.clear();
        self.f_row.resize(n, 0.0);
        let mut shared_den = 0.0;
        for u in 0..n {
            let ru = r[u];
            for v in 0..n {
                let b = self.base[u * n + v];
                self.f_row[v] = rpow_ln(b, self.ln_base[u * n + v], ru);
            }
            let wu = w[u];
            for v in 0..n {
                let idx = v * stride + u;
                self.g[idx + 1] = self.g[idx] + wu * self.f_row[v];
            }
            if mode == EuMode::ScholzReplication && wu > 0.0 {
                shared_den += wu * sum_abs_pair_diffs(&self.f_row, u, &mut self.merged);
            }
        }

        let g = &self.g;
        for a in 0..n {
            let mut t = a + 1;
            for b in (a + 1)..n {
                if pos[a] == pos[b] {
                    continue; // P = 0 both ways
                }
                let m = 0.5 * (pos[a] + pos[b]);
                while t < n && pos[t] < m {
                    t += 1;
                }
                let (oa, ob) = (self.order[a], self.order[b]);
                let ga = &g[a * stride..(a + 1) * stride];
                let gb = &g[b * stride..(b + 1) * stride];
                let (mut num_ab, mut num_ba, den);
                if mode == EuMode::Corrected && (pos[b] - pos[a]) < CLOSE_PAIR * delta {
                    // Direct sums, exactly as the naive form orders them.
                    let (mut s_ab, mut s_ba, mut s_den) = (0.0, 0.0, 0.0);
                    for u in 0..n {
                        let fa = rpow_ln(self.base[u * n + a], self.ln_base[u * n + a], r[u]);
                        let fb = rpow_ln(self.base[u * n + b], self.ln_base[u * n + b], r[u]);
                        let vab = w[u] * (fb - fa);
                        s_ab += vab.max(0.0);
                        s_ba += (-vab).max(0.0);
                        s_den += vab.abs();
                    }
                    num_ab = s_ab;
                    num_ba = s_ba;
                    den = s_den;
                } else {
                    num_ab = gb[t] - ga[t];
                    num_ba = (ga[n] - ga[t]) - (gb[n] - gb[t]);
                    num_ab = num_ab.max(0.0);
                    num_ba = num_ba.max(0.0);
                    den = match mode {
                        EuMode::ScholzReplication => shared_den,
                        EuMode::Corrected => num_ab + num_ba,
                    };
                }
                let (p_ab, p_ba) = ratio_pair(num_ab, num_ba, den, mode);
                out[oa * n + ob] = p_ab;
                out[ob * n + oa] = p_ba;
            }
        }
    }
}

/// P for both orders of a pair from the numerators and the denominator, with the zero-denominator
/// conventions documented on [`probability_matrix`].
#[inline]
fn ratio_pair(num_ab: f64, num_ba: f64, den: f64, mode: EuMode) -> (f64, f64) {
    if den > 0.0 {
        ((num_ab / den).min(1.0), (num_ba / den).min(1.0))
    } else {
        match mode {
            EuMode::ScholzReplication => (0.0, 0.0),
            EuMode::Corrected => (0.5, 0.5),
        }
    }
}

/// sum over ordered pairs (a, b) of |f_a - f_b| for a row f that is non-increasing up to index
/// `apex` and non-decreasing after it (distances from voter `apex` in sorted order), in O(n).
fn sum_abs_pair_diffs(f: &[f64], apex: usize, merged: &mut Vec<f64>) -> f64 {
    let n = f.len();
    merged.clear();
    merged.push(f[apex]);
    // Left side walks outward from apex-1 down to 0, right side from apex+1 up: both increase.
    let (mut l, mut rgt) = (apex, apex + 1);
    while l > 0 || rgt < n {
        let take_left = if l == 0 {
            false
        } else if rgt >= n {
            true
        } else {
            f[l - 1] <= f[rgt]
        };
        if take_left {
            l -= 1;
            merged.push(f[l]);
        } else {
            merged.push(f[rgt]);
            rgt += 1;
        }
    }
    let nf = n as f64;
    let mut s = 0.0;
    for (i, &v) in merged.iter().enumerate() {
        s += v * (2.0 * i as f64 - nf + 1.0);
    }
    (2.0 * s).max(0.0)
}

/// The literal definition, O(n^3): the oracle of the fast kernel.
fn naive(voters: &[EuVoter], delta: f64, mode: EuMode, out: &mut [f64]) {
    let n = voters.len();
    let f = |k: usize, y: f64| rpow((voters[k].position - y).abs() / delta, voters[k].exponent);
    let shared_den = if mode == EuMode::ScholzReplication {
        let mut s = 0.0;
        for k in 0..n {
            for a in 0..n {
                for b in 0..n {
                    let v =
                        voters[k].weight * (f(k, voters[b].position) - f(k, voters[a].position));
                    s += v.abs();
                }
            }
        }
        s
    } else {
        0.0
    };
    for i in 0..n {
        for j in 0..n {
            let (xi, xj) = (voters[i].position, voters[j].position);
            if xi == xj {
                out[i * n + j] = 0.0;
                continue;
            }
            let (mut num, mut num_rev, mut den) = (0.0, 0.0, 0.0);
            for (k, vk) in voters.iter().enumerate() {
                let v = vk.weight * (f(k, xj) - f(k, xi));
                num += v.max(0.0);
                num_rev += (-v).max(0.0);
                den += v.abs();
            }
            let den = match mode {
                EuMode::ScholzReplication => shared_den,
                EuMode::Corrected => den,
            };
            out[i * n + j] = ratio_pair(num, num_rev, den, mode).0;
        }
    }
}
