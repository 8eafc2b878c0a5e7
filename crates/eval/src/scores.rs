//! Predictive distributions and the proper scores that judge them.
//!
//! A [`Predictive`] is a distribution of where an issue settles, held as weighted atoms (a
//! discrete distribution): it can carry point masses (at a scale's end, at the reference point)
//! and approximate a continuous distribution as closely as one wishes with many atoms. Every
//! score below is computed exactly for that distribution, with no sampling.
//!
//! ```text
//! F(x)           = sum_{x_j <= x} w_j                                  (cumulative distribution)
//! q(p)           = min { x_j : F(x_j) >= p }                           (quantile, 0 < p <= 1)
//! central level a: [q((1 - a) / 2), q((1 + a) / 2)], closed; covered when the outcome lies in it
//! CRPS(F, y)     = integral (F(x) - 1{x >= y})^2 dx
//!                = sum_j w_j |x_j - y| - 1/2 sum_j sum_k w_j w_k |x_j - x_k|
//! PIT(y)         = uniform on [F(y-), F(y)]                            (non-randomised PIT)
//! bin log score  = ln P(outcome's bin), floored at ln 0.001, bins of equal width over the scale
//! ```
//!
//! The CRPS is in the scale's units and is lower for better forecasts; for a point forecast (one
//! atom) it equals the absolute error, so point and distribution forecasts are compared on one
//! footing. The PIT histogram adds, per outcome, the uniform distribution on [F(y-), F(y)] over
//! equal bins of [0, 1] (Czado, Gneiting & Held 2009): flat for a calibrated forecast, U-shaped
//! when too narrow, hump-shaped when too wide, and exact with point masses where a randomised PIT
//! would need a random draw.
//!
//! # References
//! - Gneiting, T. & Raftery, A. E. (2007). Strictly proper scoring rules, prediction, and
//!   estimation. *JASA* 102(477), 359-378 (the CRPS and its kernel form).
//! - Czado, C., Gneiting, T. & Held, L. (2009). Predictive model assessment for count data.
//!   *Biometrics* 65(4), 1254-1261 (the non-randomised PIT histogram).
//! - Gneiting, T., Balabdaoui, F. & Raftery, A. E. (2007). Probabilistic forecasts, calibration
//!   and sharpness. *JRSS B* 69(2), 243-268.

use serde::Serialize;

/// The floor of a log score: ln 0.001, as for brink's yes/no forecasts.
pub const LOG_FLOOR: f64 = -6.907_755_278_982_137;

/// Relative tolerance when comparing cumulative weights (they are sums of floating weights).
const TOL: f64 = 1e-12;

/// What can be wrong with a distribution's atoms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoreError {
    /// No atom, or every weight zero.
    #[error("a distribution needs at least one atom with a positive weight")]
    Empty,
    /// A value or weight that is not a finite number, or a negative weight.
    #[error("atom {index}: value {value} with weight {weight} (values must be finite, weights finite and >= 0)")]
    BadAtom {
        /// Index of the atom as given.
        index: usize,
        /// Its value.
        value: f64,
        /// Its weight.
        weight: f64,
    },
}

/// A predictive distribution on the real line: weighted atoms, sorted by value, equal values
/// merged, weights summing to 1.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Predictive {
    atoms: Vec<(f64, f64)>,
    /// 1/2 E|X - X'| for X, X' independent draws (the CRPS's spread term).
    #[serde(skip)]
    half_spread: f64,
}

impl Predictive {
    /// A distribution from (value, weight) pairs; weights are normalised to sum to 1.
    pub fn new(atoms: impl IntoIterator<Item = (f64, f64)>) -> Result<Self, ScoreError> {
        let mut a: Vec<(f64, f64)> = Vec::new();
        for (index, (value, weight)) in atoms.into_iter().enumerate() {
            if !value.is_finite() || !weight.is_finite() || weight < 0.0 {
                return Err(ScoreError::BadAtom {
                    index,
                    value,
                    weight,
                });
            }
            if weight > 0.0 {
                a.push((value, weight));
            }
        }
        if a.is_empty() {
            return Err(ScoreError::Empty);
        }
        a.sort_by(|x, y| x.0.total_cmp(&y.0));
        let total: f64 = a.iter().map(|x| x.1).sum();
        let mut merged: Vec<(f64, f64)> = Vec::with_capacity(a.len());
        for (x, w) in a {
            match merged.last_mut() {
                Some(last) if last.0 == x => last.1 += w / total,
                _ => merged.push((x, w / total)),
            }
        }
        Ok(Self::from_merged(merged))
    }

    fn from_merged(atoms: Vec<(f64, f64)>) -> Self {
        // sum_{i<j} w_i w_j (x_j - x_i) = 1/2 sum_i sum_j w_i w_j |x_i - x_j|.
        let (mut cw, mut cx, mut s) = (0.0, 0.0, 0.0);
        for &(x, w) in &atoms {
            s += w * (x * cw - cx);
            cw += w;
            cx += w * x;
        }
        Predictive {
            atoms,
            half_spread: s,
        }
    }

    /// A point forecast: all the mass on `x`.
    pub fn point(x: f64) -> Result<Self, ScoreError> {
        Self::new([(x, 1.0)])
    }

    /// The empirical distribution of equally weighted samples.
    pub fn from_samples(xs: &[f64]) -> Result<Self, ScoreError> {
        Self::new(xs.iter().map(|&x| (x, 1.0)))
    }

    /// The mixture sum_i w_i P_i (weights normalised).
    pub fn mixture(parts: &[(f64, &Predictive)]) -> Result<Self, ScoreError> {
        Self::new(
            parts
                .iter()
                .flat_map(|(w, p)| p.atoms.iter().map(move |&(x, v)| (x, w * v))),
        )
    }

    /// The atoms (value, weight), sorted by value.
    pub fn atoms(&self) -> &[(f64, f64)] {
        &self.atoms
    }

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.atoms.iter().map(|(x, w)| x * w).sum()
    }

    /// P(X <= x).
    pub fn cdf(&self, x: f64) -> f64 {
        let i = self.atoms.partition_point(|a| a.0 <= x);
        self.atoms[..i].iter().map(|a| a.1).sum::<f64>().min(1.0)
    }

    /// P(X < x).
    pub fn cdf_below(&self, x: f64) -> f64 {
        let i = self.atoms.partition_point(|a| a.0 < x);
        self.atoms[..i].iter().map(|a| a.1).sum::<f64>().min(1.0)
    }

    /// The mass on exactly `x`.
    pub fn mass_at(&self, x: f64) -> f64 {
        let i = self.atoms.partition_point(|a| a.0 < x);
        match self.atoms.get(i) {
            Some(&(v, w)) if v == x => w,
            _ => 0.0,
        }
    }

    /// The quantile: the smallest atom x with P(X <= x) >= p (p clamped to [0, 1]; p = 0 gives
    /// the smallest atom).
    pub fn quantile(&self, p: f64) -> f64 {
        let p = p.clamp(0.0, 1.0);
        let mut c = 0.0;
        for &(x, w) in &self.atoms {
            c += w;
            if c >= p - TOL {
                return x;
            }
        }
        self.atoms[self.atoms.len() - 1].0
    }

    /// The central interval holding `level` of the mass: [q((1 - level)/2), q((1 + level)/2)].
    pub fn interval(&self, level: f64) -> (f64, f64) {
        (
            self.quantile((1.0 - level) / 2.0),
            self.quantile((1.0 + level) / 2.0),
        )
    }

    /// P(lo <= X <= hi).
    pub fn prob_between(&self, lo: f64, hi: f64) -> f64 {
        if hi < lo {
            return 0.0;
        }
        (self.cdf(hi) - self.cdf_below(lo)).clamp(0.0, 1.0)
    }

    /// The continuous ranked probability score of outcome `y` (lower is better; a point
    /// forecast's CRPS is its absolute error).
    pub fn crps(&self, y: f64) -> f64 {
        let e: f64 = self.atoms.iter().map(|(x, w)| w * (x - y).abs()).sum();
        (e - self.half_spread).max(0.0)
    }

    /// The PIT of `y` as an interval: (P(X < y), P(X <= y)).
    pub fn pit(&self, y: f64) -> (f64, f64) {
        (self.cdf_below(y), self.cdf(y))
    }

    /// The same distribution on at most `max_atoms` atoms: the quantiles at the midpoints of
    /// `max_atoms` equal slices of probability, equally weighted (equal values merge, so a point
    /// mass stays a point mass). Unchanged when it already has few enough atoms.
    pub fn compress(&self, max_atoms: usize) -> Predictive {
        if self.atoms.len() <= max_atoms.max(1) {
            return self.clone();
        }
        let n = max_atoms.max(1);
        let mut out: Vec<(f64, f64)> = Vec::with_capacity(n);
        let (mut i, mut c) = (0usize, self.atoms[0].1);
        for s in 0..n {
            let p = (s as f64 + 0.5) / n as f64;
            while c < p - TOL && i + 1 < self.atoms.len() {
                i += 1;
                c += self.atoms[i].1;
            }
            let x = self.atoms[i].0;
            match out.last_mut() {
                Some(last) if last.0 == x => last.1 += 1.0 / n as f64,
                _ => out.push((x, 1.0 / n as f64)),
            }
        }
        Self::from_merged(out)
    }
}

/// The index of the bin of `y` among `bins` equal bins of [min, max] (the last bin is closed;
/// values outside go to the end bins).
pub fn bin_of(y: f64, min: f64, max: f64, bins: usize) -> usize {
    let b = ((y - min) / (max - min) * bins as f64).floor();
    (b.max(0.0) as usize).min(bins - 1)
}

/// The log score of the outcome's bin: ln P(X in the bin holding `y`), with `bins` equal bins of
/// [min, max], floored at [`LOG_FLOOR`] (higher is better).
pub fn bin_log_score(p: &Predictive, y: f64, min: f64, max: f64, bins: usize) -> f64 {
    let b = bin_of(y, min, max, bins);
    let mass: f64 = p
        .atoms()
        .iter()
        .filter(|(x, _)| bin_of(*x, min, max, bins) == b)
        .map(|a| a.1)
        .sum();
    if mass > 0.0 {
        mass.ln().max(LOG_FLOOR)
    } else {
        LOG_FLOOR
    }
}

/// The non-randomised PIT histogram: each PIT interval (F(y-), F(y)) spread uniformly over
/// `bins` equal bins of [0, 1] (a point value counts in its bin), as shares summing to 1.
pub fn pit_histogram(pits: &[(f64, f64)], bins: usize) -> Vec<f64> {
    let mut h = vec![0.0; bins];
    if pits.is_empty() {
        return h;
    }
    for &(lo, hi) in pits {
        let (lo, hi) = (lo.clamp(0.0, 1.0), hi.clamp(0.0, 1.0));
        if hi - lo <= TOL {
            h[bin_of(hi, 0.0, 1.0, bins)] += 1.0;
            continue;
        }
        for (b, slot) in h.iter_mut().enumerate() {
            let (a, z) = (b as f64 / bins as f64, (b + 1) as f64 / bins as f64);
            let overlap = (hi.min(z) - lo.max(a)).max(0.0);
            *slot += overlap / (hi - lo);
        }
    }
    let n = pits.len() as f64;
    h.iter().map(|x| x / n).collect()
}

/// The standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// The standard normal distribution function.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The CRPS of a normal forecast N(mu, sigma^2) at `y`, in closed form:
/// sigma [z (2 Phi(z) - 1) + 2 phi(z) - 1/sqrt(pi)], z = (y - mu)/sigma (Gneiting & Raftery 2007).
pub fn crps_normal(mu: f64, sigma: f64, y: f64) -> f64 {
    let z = (y - mu) / sigma;
    sigma
        * (z * (2.0 * normal_cdf(z) - 1.0) + 2.0 * normal_pdf(z)
            - 1.0 / std::f64::consts::PI.sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn point_mass_crps_is_absolute_error() {
        let p = Predictive::point(30.0).unwrap();
        for y in [0.0, 30.0, 41.5, 100.0] {
            assert!((p.crps(y) - (y - 30.0_f64).abs()).abs() < 1e-12);
        }
        assert_eq!(p.interval(0.9), (30.0, 30.0));
        assert_eq!(p.pit(30.0), (0.0, 1.0));
    }

    #[test]
    fn two_atoms_by_hand() {
        // Mass 1/4 at 0 and 3/4 at 10, outcome 4: E|X-y| = 1/4*4 + 3/4*6 = 5.5;
        // 1/2 E|X-X'| = 1/4*3/4*10 = 1.875; CRPS = 3.625. By the integral: F = 1/4 on [0, 4)
        // then (1/4 - 1)^2 on [4, 10): 4/16 + 6*9/16 = 3.625.
        let p = Predictive::new([(10.0, 3.0), (0.0, 1.0)]).unwrap();
        assert!((p.crps(4.0) - 3.625).abs() < 1e-12);
        assert_eq!(p.quantile(0.25), 0.0);
        assert_eq!(p.quantile(0.26), 10.0);
        assert_eq!(p.mass_at(10.0), 0.75);
        assert_eq!(p.pit(10.0), (0.25, 1.0));
        assert!((p.mean() - 7.5).abs() < 1e-12);
    }

    #[test]
    fn bad_atoms_are_refused() {
        assert_eq!(Predictive::new([]), Err(ScoreError::Empty));
        assert!(matches!(
            Predictive::new([(1.0, 1.0), (f64::NAN, 1.0)]),
            Err(ScoreError::BadAtom { index: 1, .. })
        ));
        assert!(Predictive::new([(1.0, -1.0)]).is_err());
        assert_eq!(Predictive::new([(1.0, 0.0)]), Err(ScoreError::Empty));
    }

    #[test]
    fn compress_keeps_point_masses_and_quantiles() {
        let mut atoms: Vec<(f64, f64)> = (0..1000).map(|i| (i as f64 / 10.0, 1.0)).collect();
        atoms.push((0.0, 500.0));
        let p = Predictive::new(atoms).unwrap();
        let c = p.compress(100);
        assert!(c.atoms().len() <= 100);
        assert!((c.mass_at(0.0) - p.mass_at(0.0)).abs() < 0.011);
        for q in [0.1, 0.5, 0.9] {
            assert!((c.quantile(q) - p.quantile(q)).abs() < 1.0, "{q}");
        }
    }

    #[test]
    fn pit_histogram_spreads_point_masses() {
        // One outcome on an atom holding the middle half of the mass: its PIT is uniform on
        // [0.25, 0.75], so bins 2..7 of 10 (0.2-0.3 half, 0.3-0.7 full, 0.7-0.8 half).
        let h = pit_histogram(&[(0.25, 0.75)], 10);
        assert!((h.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!((h[2] - 0.1).abs() < 1e-12 && (h[4] - 0.2).abs() < 1e-12);
        assert_eq!(h[0], 0.0);
        assert_eq!(pit_histogram(&[(1.0, 1.0)], 10)[9], 1.0);
    }

    #[test]
    fn bin_log_score_reads_the_outcomes_bin() {
        let p = Predictive::new([(0.0, 1.0), (52.0, 1.0), (100.0, 2.0)]).unwrap();
        assert!((bin_log_score(&p, 100.0, 0.0, 100.0, 20) - 0.5f64.ln()).abs() < 1e-12);
        assert!((bin_log_score(&p, 54.9, 0.0, 100.0, 20) - 0.25f64.ln()).abs() < 1e-12);
        assert_eq!(bin_log_score(&p, 30.0, 0.0, 100.0, 20), LOG_FLOOR);
    }
}
