//! Numbers used by the solvers: exact rationals ([`Rational`], a `BigRational`) and `f64`.
//!
//! Games store every payoff and chance probability exactly as a [`Rational`]; a decimal such as
//! `0.3` read from an `.efg` file becomes `3/10`, and an `f64` given to a builder becomes the exact
//! binary fraction it denotes. The solvers are generic over [`Field`], so the same algorithm runs
//! exactly (`Rational`) or fast in floating point (`f64`, ties judged with a relative tolerance).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::fmt::Debug;

/// Exact rational number (arbitrary precision numerator and denominator).
pub type Rational = BigRational;

/// A number type the solvers can compute with.
pub trait Field: Clone + Debug + PartialOrd + Send + Sync + 'static {
    /// Additive identity.
    fn zero() -> Self;
    /// Multiplicative identity.
    fn one() -> Self;
    /// Converts an exact rational into this type.
    fn from_rational(r: &Rational) -> Self;
    /// Converts to `f64` (for display and reports).
    fn to_f64(&self) -> f64;
    /// `self + other`.
    fn add(&self, other: &Self) -> Self;
    /// `self - other`.
    fn sub(&self, other: &Self) -> Self;
    /// `self * other`.
    fn mul(&self, other: &Self) -> Self;
    /// `self / other`; `None` when `other` is zero.
    fn div(&self, other: &Self) -> Option<Self>;
    /// Whether two values count as equal (exact for rationals, a relative tolerance of 1e-12 for `f64`).
    fn tie(&self, other: &Self) -> bool;
    /// Whether `self` is strictly greater than `other` beyond the tie tolerance.
    fn beats(&self, other: &Self) -> bool {
        !self.tie(other) && self > other
    }
    /// Whether the value is (tolerantly) zero.
    fn is_zero_tol(&self) -> bool {
        self.tie(&Self::zero())
    }
    /// Whether the value is non-negative, or negative by no more than the tie tolerance.
    fn nonneg(&self) -> bool {
        *self >= Self::zero() || self.is_zero_tol()
    }
    /// Whether `self` is exact (rational) arithmetic.
    fn is_exact() -> bool;
}

impl Field for Rational {
    fn zero() -> Self {
        Zero::zero()
    }
    fn one() -> Self {
        One::one()
    }
    fn from_rational(r: &Rational) -> Self {
        r.clone()
    }
    fn to_f64(&self) -> f64 {
        rational_to_f64(self)
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn div(&self, other: &Self) -> Option<Self> {
        if other.is_zero() {
            None
        } else {
            Some(self / other)
        }
    }
    fn tie(&self, other: &Self) -> bool {
        self == other
    }
    fn is_exact() -> bool {
        true
    }
}

impl Field for f64 {
    fn zero() -> Self {
        0.0
    }
    fn one() -> Self {
        1.0
    }
    fn from_rational(r: &Rational) -> Self {
        rational_to_f64(r)
    }
    fn to_f64(&self) -> f64 {
        *self
    }
    fn add(&self, other: &Self) -> Self {
        self + other
    }
    fn sub(&self, other: &Self) -> Self {
        self - other
    }
    fn mul(&self, other: &Self) -> Self {
        self * other
    }
    fn div(&self, other: &Self) -> Option<Self> {
        if *other == 0.0 {
            None
        } else {
            Some(self / other)
        }
    }
    fn tie(&self, other: &Self) -> bool {
        let scale = self.abs().max(other.abs()).max(1.0);
        (self - other).abs() <= 1e-12 * scale
    }
    fn is_exact() -> bool {
        false
    }
}

/// Converts a rational to the nearest-ish `f64` (exact for small numerators and denominators).
pub fn rational_to_f64(r: &Rational) -> f64 {
    match (r.numer().to_f64(), r.denom().to_f64()) {
        (Some(n), Some(d)) if n.is_finite() && d.is_finite() && d != 0.0 => n / d,
        _ => {
            // Very large parts: shift both down before dividing.
            let bits = r.numer().bits().max(r.denom().bits());
            let shift = bits.saturating_sub(1000);
            let n = (r.numer() >> shift).to_f64().unwrap_or(f64::NAN);
            let d = (r.denom() >> shift).to_f64().unwrap_or(f64::NAN);
            n / d
        }
    }
}

/// Converts a finite `f64` to the exact rational it denotes; `None` for NaN or infinities.
pub fn rational_from_f64(x: f64) -> Option<Rational> {
    BigRational::from_float(x)
}

/// Converts a finite `f64` to the rational of its shortest decimal representation (`0.1` → `1/10`,
/// unlike [`rational_from_f64`], which gives the binary fraction); `None` for NaN or infinities.
pub fn rational_from_decimal(x: f64) -> Option<Rational> {
    if !x.is_finite() {
        return None;
    }
    crate::efg::parse_number(&format!("{x:e}"))
}

/// Builds the rational `n/d`; `None` when `d == 0`.
pub fn ratio(n: i64, d: i64) -> Option<Rational> {
    if d == 0 {
        None
    } else {
        Some(BigRational::new(BigInt::from(n), BigInt::from(d)))
    }
}

/// Formats a rational the way Gambit writes it: `n` or `n/d`.
pub fn format_rational(r: &Rational) -> String {
    if r.denom().is_one() {
        r.numer().to_string()
    } else {
        format!("{}/{}", r.numer(), r.denom())
    }
}

/// Whether a rational is negative.
pub fn is_negative(r: &Rational) -> bool {
    r.is_negative()
}
