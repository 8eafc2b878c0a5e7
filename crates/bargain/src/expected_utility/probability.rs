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
//!   voter the values d_k(x_a)^{r_k} are V-shaped in sorted order, so their sorted order is the
//!   order of distances from x_k (one O(n) merge per position, whatever the exponent) and
//!   sum_{a,b} |f_a - f_b| = 2 sum_i f_(i) (2i - n + 1): the denominator costs O(n^2) too.
//!
//! The fast kernel works per **distinct** position (actors share positions after
//! confrontations): with m distinct positions among n voters it costs n m powers and
//! O(n m + m^2) other work, the columns y and the pairs (a, b) above running over distinct
//! positions only.
//!
//! Accuracy: the prefix-sum differences carry an absolute rounding error of order
//! eps n S_ab with S_ab = sum_k w_k (d_k(x_a)^{r_k} + d_k(x_b)^{r_k}), the size of the sums
//! subtracted. That matters when the pair's denominator D is small against S_ab: in corrected
//! mode for close pairs (or weight concentrated near the midpoint), in replication mode only
//! when nearly all positions coincide. So a pair with D < [`CANCELLATION_GUARD`] x S_ab is
//! summed directly (O(n); in corrected mode mostly pairs closer than about 1% of Delta, so a
//! crowd of nearly equal positions costs up to O(n m^2)), and likewise the replication's shared
//! denominator is summed directly (O(n m^2)) when it is small against the bound of its terms.
//! On 20,000 random matrices of up to 40 voters (ties and near-ties included) the largest
//! |fast - naive| was 2.7e-14 with these guards and 9.9e-9 without them; the property tests
//! require 1e-12.

use super::{EuError, EuMode};

/// The fast algorithm sums a pair (a, b) directly when its denominator is below this fraction of
/// sum_k w_k (d_k(x_a)^{r_k} + d_k(x_b)^{r_k}), the size of the prefix sums it took differences
/// of; the replication's shared denominator likewise (see the module documentation).
pub const CANCELLATION_GUARD: f64 = 1e-2;

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
/// [`EuError::InvalidKernelInput`] if `delta` is not finite and positive, a voter has a
/// non-finite position, a negative or non-finite weight, or a non-positive or non-finite exponent,
/// or the span of the positions over `delta` overflows. (Weights are scaled by the largest one
/// first, which leaves P unchanged and keeps every sum finite.)
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
    let lo = voters
        .iter()
        .map(|v| v.position)
        .fold(f64::INFINITY, f64::min);
    let hi = voters
        .iter()
        .map(|v| v.position)
        .fold(f64::NEG_INFINITY, f64::max);
    if !voters.is_empty() && !((hi - lo) / delta).is_finite() {
        return Err(EuError::InvalidKernelInput(format!(
            "positions spanning {lo}..{hi} over delta {delta} overflow"
        )));
    }
    // P is invariant to a common factor of the weights: scale them by the largest so that no
    // sum can overflow.
    let wmax = voters.iter().map(|v| v.weight).fold(0.0, f64::max);
    let scaled: Vec<EuVoter> = voters
        .iter()
        .map(|v| EuVoter {
            weight: if wmax > 0.0 { v.weight / wmax } else { 0.0 },
            ..*v
        })
        .collect();
    let mut ws = Workspace::default();
    ws.fill(&scaled, delta, mode, algorithm);
    let n = voters.len();
    let mut out = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            out[i * n + j] = ws.p(i, j);
        }
    }
    Ok(out)
}

/// Reusable buffers of the kernel (a run keeps one to avoid allocating every round).
///
/// Everything is computed per **distinct** position (actors often share positions after
/// confrontations): with m distinct positions among n voters the fast kernel costs n m powers and
/// O(n m + m^2) other work.
#[derive(Debug, Default)]
pub(crate) struct Workspace {
    /// Voter indices sorted by position.
    order: Vec<usize>,
    /// Sorted voters' positions, weights, exponents and group (distinct-position index); voters
    /// with the same position and exponent are merged into one (weights added).
    pos: Vec<f64>,
    w: Vec<f64>,
    r: Vec<f64>,
    grp: Vec<usize>,
    /// Distinct positions, ascending, and how many voters sit at each.
    pub(crate) q: Vec<f64>,
    cnt: Vec<f64>,
    /// Group of each voter in input order.
    pub(crate) group_of: Vec<usize>,
    /// P between distinct positions, m x m row-major.
    pub(crate) pd: Vec<f64>,
    /// |q_c - q_d| / delta and its logarithm, m x m (symmetric).
    base: Vec<f64>,
    ln_base: Vec<f64>,
    /// ft[y * n + u] = f_u(q_y) for sorted voter u.
    ft: Vec<f64>,
    /// Prefix sums over sorted voters: g[y * (n + 1) + t] = sum_{u<t} w_u f_u(q_y).
    g: Vec<f64>,
    /// K[c][y]: coefficients of the replication's shared denominator (see `fast`).
    k: Vec<f64>,
    /// Per sorted voter, sum_y K[c(u)][y] f_u(q_y).
    den_acc: Vec<f64>,
    naive_p: Vec<f64>,
}

impl Workspace {
    /// P(x_i, x_j) for voters i, j (input order) after [`Workspace::fill`].
    #[inline]
    pub(crate) fn p(&self, i: usize, j: usize) -> f64 {
        let m = self.q.len();
        self.pd[self.group_of[i] * m + self.group_of[j]]
    }

    /// Number of voters at each distinct position.
    pub(crate) fn counts(&self) -> &[f64] {
        &self.cnt
    }

    /// Sorts and groups the voters by position.
    fn group(&mut self, voters: &[EuVoter]) {
        let n = voters.len();
        self.order.clear();
        self.order.extend(0..n);
        self.order.sort_by(|&a, &b| {
            let (va, vb) = (voters[a], voters[b]);
            va.position
                .total_cmp(&vb.position)
                .then(va.exponent.total_cmp(&vb.exponent))
        });
        self.pos.clear();
        self.w.clear();
        self.r.clear();
        self.grp.clear();
        self.q.clear();
        self.cnt.clear();
        self.group_of.clear();
        self.group_of.resize(n, 0);
        for &o in &self.order {
            let v = voters[o];
            if self.q.last() != Some(&v.position) {
                self.q.push(v.position);
                self.cnt.push(0.0);
            }
            let c = self.q.len() - 1;
            self.cnt[c] += 1.0;
            self.group_of[o] = c;
            // Voters with the same position and exponent vote alike: merge them (their
            // weights add), so the unit-exponent risk pass works per position.
            let last = self.pos.len().wrapping_sub(1);
            if !self.pos.is_empty() && self.grp[last] == c && self.r[last] == v.exponent {
                self.w[last] += v.weight;
            } else {
                self.grp.push(c);
                self.pos.push(v.position);
                self.w.push(v.weight);
                self.r.push(v.exponent);
            }
        }
    }

    /// Computes P for `voters` (inputs assumed valid); read it with [`Workspace::p`].
    pub(crate) fn fill(
        &mut self,
        voters: &[EuVoter],
        delta: f64,
        mode: EuMode,
        algorithm: EuAlgorithm,
    ) {
        self.group(voters);
        let (n, m) = (voters.len(), self.q.len());
        // Buffers below are resized without clearing: every entry read is written first.
        self.pd.resize(m * m, 0.0);
        for c in 0..m {
            self.pd[c * m + c] = 0.0;
        }
        match algorithm {
            EuAlgorithm::Naive => {
                self.naive_p.clear();
                self.naive_p.resize(n * n, 0.0);
                naive(voters, delta, mode, &mut self.naive_p);
                // P depends on the two positions only: read it off one member of each group.
                let mut rep = vec![0; m];
                for (k, &c) in self.group_of.iter().enumerate().rev() {
                    rep[c] = k;
                }
                for a in 0..m {
                    for b in 0..m {
                        self.pd[a * m + b] = self.naive_p[rep[a] * n + rep[b]];
                    }
                }
            }
            EuAlgorithm::Fast => self.fast(delta, mode),
        }
    }

    fn fast(&mut self, delta: f64, mode: EuMode) {
        let (n, m) = (self.pos.len(), self.q.len());
        if m < 2 {
            return;
        }
        let (q, w, r, grp) = (&self.q, &self.w, &self.r, &self.grp);

        // Distances between distinct positions and their logarithms, once per unordered pair.
        self.base.resize(m * m, 0.0);
        self.ln_base.resize(m * m, 0.0);
        for c in 0..m {
            self.base[c * m + c] = 0.0; // its ln is never read: rpow_ln(0, _, r) = 0
        }
        let any_non_unit = r.iter().any(|&e| e != 1.0);
        for c in 0..m {
            for d in (c + 1)..m {
                let b = (q[d] - q[c]) / delta;
                self.base[c * m + d] = b;
                self.base[d * m + c] = b;
                if any_non_unit && b > 0.0 {
                    let l = b.ln();
                    self.ln_base[c * m + d] = l;
                    self.ln_base[d * m + c] = l;
                }
            }
        }
        // The replication's shared denominator is sum_u w_u sum_{a,b} |f_u(x_a) - f_u(x_b)| over
        // ordered pairs of actors. For voter u the f_u(q_y) are ordered like the distances
        // |q_y - q_{c(u)}| (whatever u's exponent), so with that order fixed per group c,
        // sum_{a,b} |f_a - f_b| = 2 sum_y K[c][y] f_u(q_y), K[c][y] = cnt_y (below_y - above_y)
        // (counts of actors strictly before / after y in the order): one merge per group, then
        // a dot product per voter.
        let replication = mode == EuMode::ScholzReplication;
        let actors: f64 = self.cnt.iter().sum();
        if replication {
            self.k.resize(m * m, 0.0);
            let total = actors;
            for c in 0..m {
                let row = &self.base[c * m..(c + 1) * m];
                let krow = &mut self.k[c * m..(c + 1) * m];
                let mut below = 0.0;
                let mut visit = |d: usize, below: &mut f64| {
                    let cd = self.cnt[d];
                    krow[d] = cd * (*below - (total - *below - cd));
                    *below += cd;
                };
                visit(c, &mut below);
                let (mut l, mut rgt) = (c, c + 1);
                while l > 0 || rgt < m {
                    let take_left = rgt >= m || (l > 0 && row[l - 1] <= row[rgt]);
                    if take_left {
                        l -= 1;
                        visit(l, &mut below);
                    } else {
                        visit(rgt, &mut below);
                        rgt += 1;
                    }
                }
            }
            self.den_acc.clear();
            self.den_acc.resize(n, 0.0);
        }
        // ft[y * n + u] = f_u(q_y) and the prefix sums over sorted voters.
        let stride = n + 1;
        self.ft.resize(m * n, 0.0);
        self.g.resize(m * stride, 0.0);
        for y in 0..m {
            let col = &mut self.ft[y * n..(y + 1) * n];
            let (brow, lrow) = (
                &self.base[y * m..(y + 1) * m],
                &self.ln_base[y * m..(y + 1) * m],
            );
            for u in 0..n {
                let c = grp[u];
                col[u] = rpow_ln(brow[c], lrow[c], r[u]);
            }
            let gy = &mut self.g[y * stride..(y + 1) * stride];
            gy[0] = 0.0;
            let mut acc = 0.0;
            for u in 0..n {
                acc += w[u] * col[u];
                gy[u + 1] = acc;
            }
            if replication {
                for u in 0..n {
                    self.den_acc[u] += self.k[grp[u] * m + y] * col[u];
                }
            }
        }
        let mut shared_den = 0.0;
        if replication {
            for (wu, acc) in w.iter().zip(&self.den_acc) {
                shared_den += wu * (2.0 * acc).max(0.0);
            }
            // The K-weighted sums cancel when the positions nearly coincide: their terms are
            // bounded by 2 n sum_y cnt_y G_y[n]. If the result is small against that, sum
            // |f_u(q_c) - f_u(q_d)| over pairs of positions directly (O(n m^2)).
            let scale: f64 = 2.0
                * actors
                * (0..m)
                    .map(|y| self.cnt[y] * self.g[y * stride + n])
                    .sum::<f64>();
            if shared_den < CANCELLATION_GUARD * scale {
                shared_den = 0.0;
                for (u, wu) in w.iter().enumerate() {
                    let mut su = 0.0;
                    for c in 0..m {
                        for d in (c + 1)..m {
                            let diff = self.ft[d * n + u] - self.ft[c * n + u];
                            su += self.cnt[c] * self.cnt[d] * diff.abs();
                        }
                    }
                    shared_den += wu * 2.0 * su;
                }
            }
        }

        let g = &self.g;
        let base = &self.base;
        for a in 0..m {
            // t_mid = number of sorted voters strictly left of the midpoint.
            let mut t_mid = 0;
            for b in (a + 1)..m {
                let mid = 0.5 * (q[a] + q[b]);
                while t_mid < n && self.pos[t_mid] < mid {
                    t_mid += 1;
                }
                // The voters that favour a are those with d_u(q_a) < d_u(q_b) as computed
                // (the sign of each vote); near the midpoint rounding may disagree with the
                // midpoint test, so move the split to where the computed distances change
                // order (they do so once: the comparison is monotone in the position).
                let favours = |u: usize| {
                    let c = grp[u] * m;
                    base[c + a].partial_cmp(&base[c + b])
                };
                let mut t = t_mid;
                while t > 0 && favours(t - 1) == Some(std::cmp::Ordering::Greater) {
                    t -= 1;
                }
                while t < n && favours(t) == Some(std::cmp::Ordering::Less) {
                    t += 1;
                }
                let ga = &g[a * stride..(a + 1) * stride];
                let gb = &g[b * stride..(b + 1) * stride];
                let mut num_ab = (gb[t] - ga[t]).max(0.0);
                let mut num_ba = ((ga[n] - ga[t]) - (gb[n] - gb[t])).max(0.0);
                let mut den = match mode {
                    EuMode::ScholzReplication => shared_den,
                    EuMode::Corrected => num_ab + num_ba,
                };
                if den < CANCELLATION_GUARD * (ga[n] + gb[n]) {
                    // The prefix-sum differences cancelled too much against the denominator:
                    // direct sums over the voters, as the naive form does them.
                    let (fa, fb) = (&self.ft[a * n..(a + 1) * n], &self.ft[b * n..(b + 1) * n]);
                    let (mut s_ab, mut s_ba, mut s_den) = (0.0, 0.0, 0.0);
                    for u in 0..n {
                        let vab = w[u] * (fb[u] - fa[u]);
                        s_ab += vab.max(0.0);
                        s_ba += (-vab).max(0.0);
                        s_den += vab.abs();
                    }
                    num_ab = s_ab;
                    num_ba = s_ba;
                    if mode == EuMode::Corrected {
                        den = s_den;
                    }
                }
                let (p_ab, p_ba) = ratio_pair(num_ab, num_ba, den, mode);
                self.pd[a * m + b] = p_ab;
                self.pd[b * m + a] = p_ba;
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
