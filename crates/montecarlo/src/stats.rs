//! Streaming statistics with flat memory: mean and standard deviation (Welford), extremes, and
//! quantiles from a fixed-bin histogram over the scale, plus Wilson intervals for shares.
//!
//! Quantiles are read from 4096 equal bins over the scale and interpolated within a bin, so they
//! are exact to (max - min) / 4096 of the scale (0.024 on a 0-100 scale), and clamped to the
//! observed extremes: when every draw is the same number, every quantile is that number.

use serde::Serialize;

/// Histogram bins per accumulator.
pub const BINS: usize = 4096;

/// A streaming accumulator of values on a bounded scale.
#[derive(Debug, Clone)]
pub struct Accum {
    lo: f64,
    hi: f64,
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
    bins: Vec<u32>,
}

/// The distribution of a forecast across draws.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Draws with a value.
    pub n: u64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation (n - 1 denominator; 0 for one draw).
    pub sd: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile.
    pub p05: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl Accum {
    /// An empty accumulator for values on [lo, hi].
    pub fn new(lo: f64, hi: f64) -> Self {
        Accum {
            lo,
            hi,
            n: 0,
            mean: 0.0,
            m2: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            bins: vec![0; BINS],
        }
    }

    /// Adds one value. A value that is not finite (a model that failed to give a number) is
    /// not a forecast and is left out.
    pub fn push(&mut self, x: f64) {
        if !x.is_finite() {
            return;
        }
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
        self.min = self.min.min(x);
        self.max = self.max.max(x);
        let w = self.hi - self.lo;
        let b = if w > 0.0 {
            (((x - self.lo) / w) * BINS as f64).floor()
        } else {
            0.0
        };
        let b = (b.max(0.0) as usize).min(BINS - 1);
        self.bins[b] = self.bins[b].saturating_add(1);
    }

    /// Values seen.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// The quantile q in [0, 1] (NaN when no value was seen).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.n == 0 || self.min > self.max || self.min.is_nan() || self.max.is_nan() {
            return f64::NAN;
        }
        if self.min == self.max {
            return self.min;
        }
        let target = q * self.n as f64;
        let w = (self.hi - self.lo) / BINS as f64;
        let mut acc = 0.0;
        for (b, &c) in self.bins.iter().enumerate() {
            let c = c as f64;
            if c > 0.0 && acc + c >= target {
                let frac = ((target - acc) / c).clamp(0.0, 1.0);
                let x = self.lo + (b as f64 + frac) * w;
                // min <= max here (checked above); a NaN x (a degenerate scale) gives NaN.
                return x.max(self.min).min(self.max);
            }
            acc += c;
        }
        self.max
    }

    /// The summary, or `None` when no value was seen.
    pub fn summary(&self) -> Option<Summary> {
        (self.n > 0).then(|| Summary {
            n: self.n,
            mean: self.mean,
            sd: if self.n > 1 {
                (self.m2 / (self.n - 1) as f64).sqrt()
            } else {
                0.0
            },
            min: self.min,
            p05: self.quantile(0.05),
            p25: self.quantile(0.25),
            p50: self.quantile(0.5),
            p75: self.quantile(0.75),
            p95: self.quantile(0.95),
            max: self.max,
        })
    }
}

/// The 95% Wilson score interval for `k` successes in `n` trials.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    wilson_f(k as f64, n)
}

/// The 95% Wilson score interval for a (possibly fractional) success count `k` in `n` trials:
/// draws whose equilibria split between outcomes contribute their probabilities.
pub fn wilson_f(k: f64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let z = 1.959_963_984_540_054;
    let n = n as f64;
    let p = (k / n).clamp(0.0, 1.0);
    let den = 1.0 + z * z / n;
    let centre = (p + z * z / (2.0 * n)) / den;
    let half = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / den;
    // At the ends the interval touches 0 or 1 exactly (rounding would leave a hair).
    let lo = if k <= 0.0 {
        0.0
    } else {
        (centre - half).max(0.0)
    };
    let hi = if k >= n {
        1.0
    } else {
        (centre + half).min(1.0)
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_values_give_exact_quantiles() {
        let mut a = Accum::new(0.0, 100.0);
        for _ in 0..1000 {
            a.push(37.123_456_789);
        }
        let s = a.summary().unwrap();
        assert_eq!(
            (s.mean, s.p05, s.p50, s.p95, s.sd),
            (
                37.123_456_789,
                37.123_456_789,
                37.123_456_789,
                37.123_456_789,
                0.0
            )
        );
    }

    #[test]
    fn quantiles_of_an_even_grid() {
        let mut a = Accum::new(0.0, 100.0);
        for k in 0..10_000 {
            a.push(k as f64 / 100.0);
        }
        let s = a.summary().unwrap();
        for (q, v) in [
            (s.p05, 5.0),
            (s.p25, 25.0),
            (s.p50, 50.0),
            (s.p75, 75.0),
            (s.p95, 95.0),
        ] {
            assert!((q - v).abs() < 0.05, "{q} vs {v}");
        }
        assert!((s.mean - 49.995).abs() < 1e-9);
    }

    /// A model that returns NaN (e.g. on a scale of subnormal width, which validation now
    /// refuses) made the quantiles call `clamp(inf, -inf)`, which panics: NaN is left out.
    #[test]
    fn nan_values_are_left_out() {
        let mut a = Accum::new(0.0, 5e-324);
        a.push(f64::NAN);
        assert_eq!(a.count(), 0);
        assert!(a.summary().is_none());
        assert!(a.quantile(0.5).is_nan());
        a.push(0.0);
        a.push(f64::NAN);
        a.push(5e-324);
        let s = a.summary().unwrap();
        assert_eq!(s.n, 2);
        assert!(s.p50 >= 0.0 && s.p50 <= 5e-324);
    }

    #[test]
    fn wilson_interval_known_values() {
        // 50 of 100: 0.4038 to 0.5962 (standard tables).
        let (l, h) = wilson(50, 100);
        assert!((l - 0.4038).abs() < 1e-4 && (h - 0.5962).abs() < 1e-4);
        let (l, h) = wilson(0, 10);
        assert!(l == 0.0 && (h - 0.2775).abs() < 1e-4);
    }
}
