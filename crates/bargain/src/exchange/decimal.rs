//! 28-digit decimal arithmetic with the semantics of Python's `decimal` module in its default context
//! (precision 28, `ROUND_HALF_EVEN`).
//!
//! Every operation takes its operands exactly (they may carry more than 28 digits, as a `Decimal`
//! built from a binary float does) and rounds the exact result once to 28 significant digits, half to
//! even. This is what the General Decimal Arithmetic specification, and so Python, prescribes for
//! `+ - * /`. Only values are modelled: the exponent Python keeps for trailing zeros (`100.0` versus
//! `100`) does not change any result, so it is not tracked, and zero carries no sign.

use num_bigint::BigUint;
use serde::{Serialize, Serializer};
use std::cmp::Ordering;
use std::fmt;
use std::sync::OnceLock;

/// Significant digits kept by every operation (Python's default context).
pub const PRECISION: u32 = 28;

/// Powers of ten that exceed this are built on demand.
const POW_CACHE: usize = 256;

fn pow10(n: u32) -> BigUint {
    static CACHE: OnceLock<Vec<BigUint>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| {
        let mut v = Vec::with_capacity(POW_CACHE);
        let mut x = BigUint::from(1u32);
        for _ in 0..POW_CACHE {
            v.push(x.clone());
            x *= 10u32;
        }
        v
    });
    match cache.get(n as usize) {
        Some(p) => p.clone(),
        None => BigUint::from(10u32).pow(n),
    }
}

fn pow10_ref(n: u32) -> std::borrow::Cow<'static, BigUint> {
    static CACHE: OnceLock<Vec<BigUint>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| (0..POW_CACHE as u32).map(pow10).collect());
    match cache.get(n as usize) {
        Some(p) => std::borrow::Cow::Borrowed(p),
        None => std::borrow::Cow::Owned(BigUint::from(10u32).pow(n)),
    }
}

/// Number of decimal digits of `c` (1 for zero).
fn digits(c: &BigUint) -> u32 {
    let bits = c.bits();
    if bits == 0 {
        return 1;
    }
    // floor((bits-1) * log10(2)) + 1 is a lower bound that is off by at most one.
    let est = (((bits - 1) as f64) * std::f64::consts::LOG10_2).floor() as u32 + 1;
    if *c >= *pow10_ref(est) {
        est + 1
    } else {
        est
    }
}

/// Powers of ten that fit in a u128 (10^0 ..= 10^38).
const P10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Number of decimal digits of `c` (1 for zero).
fn digits_u128(c: u128) -> u32 {
    let bits = 128 - c.leading_zeros();
    if bits == 0 {
        return 1;
    }
    let est = (((bits - 1) * 1233) >> 12) + 1;
    if (est as usize) < P10.len() && c >= P10[est as usize] {
        est + 1
    } else {
        est
    }
}

/// The coefficient: a u128 whenever it fits (every rounded result does), else a big integer
/// (exact binary-float constants, long literals, wide intermediates).
#[derive(Clone, Debug)]
enum Coef {
    S(u128),
    B(BigUint),
}

impl Coef {
    fn big(&self) -> std::borrow::Cow<'_, BigUint> {
        match self {
            Coef::S(c) => std::borrow::Cow::Owned(BigUint::from(*c)),
            Coef::B(b) => std::borrow::Cow::Borrowed(b),
        }
    }
    fn digits(&self) -> u32 {
        match self {
            Coef::S(c) => digits_u128(*c),
            Coef::B(b) => digits(b),
        }
    }
    fn is_zero(&self) -> bool {
        match self {
            Coef::S(c) => *c == 0,
            Coef::B(b) => *b == BigUint::ZERO,
        }
    }
    fn from_big(b: BigUint) -> Self {
        match u128::try_from(&b) {
            Ok(c) => Coef::S(c),
            Err(_) => Coef::B(b),
        }
    }
}

/// A decimal number `(-1)^neg * coef * 10^exp`, rounded like Python's default `decimal` context.
#[derive(Clone, Debug)]
pub struct Dec28 {
    neg: bool,
    coef: Coef,
    exp: i64,
}

impl Dec28 {
    /// Zero.
    pub fn zero() -> Self {
        Dec28 {
            neg: false,
            coef: Coef::S(0),
            exp: 0,
        }
    }

    /// An integer, exactly.
    pub fn from_i64(v: i64) -> Self {
        Dec28 {
            neg: v < 0,
            coef: Coef::S(v.unsigned_abs() as u128),
            exp: 0,
        }
        .norm_zero()
    }

    /// The exact value of a binary float, like Python's `Decimal(float)` (not rounded). Returns
    /// `None` for NaN and infinities.
    pub fn from_f64_exact(v: f64) -> Option<Self> {
        if !v.is_finite() {
            return None;
        }
        if v == 0.0 {
            return Some(Self::zero());
        }
        let bits = v.to_bits();
        let neg = bits >> 63 == 1;
        let exp_bits = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (mant, e2) = if exp_bits == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), exp_bits - 1075)
        };
        let m = BigUint::from(mant);
        let (coef, exp) = if e2 >= 0 {
            (m << (e2 as u64), 0)
        } else {
            // m / 2^k = m * 5^k / 10^k
            let k = (-e2) as u32;
            (m * BigUint::from(5u32).pow(k), e2)
        };
        Some(Dec28 {
            neg,
            coef: Coef::from_big(coef),
            exp,
        })
    }

    /// Parses a decimal literal (`-12.5`, `0.95`, `1e-3`, `7`) exactly, like Python's
    /// `Decimal(str)`. Returns `None` if the text is not such a literal.
    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let (neg, body) = match t.as_bytes().first()? {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(pos) => (&body[..pos], Some(&body[pos + 1..])),
            None => (body, None),
        };
        let mut exp: i64 = match exponent {
            Some(e) => {
                let e = e.strip_prefix('+').unwrap_or(e);
                if e.is_empty() || e.len() > 9 {
                    return None;
                }
                e.parse::<i64>().ok()?
            }
            None => 0,
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(pos) => (&mantissa[..pos], &mantissa[pos + 1..]),
            None => (mantissa, ""),
        };
        if int_part.is_empty() && frac_part.is_empty() {
            return None;
        }
        if !int_part.bytes().all(|b| b.is_ascii_digit())
            || !frac_part.bytes().all(|b| b.is_ascii_digit())
        {
            return None;
        }
        let all: String = format!("{int_part}{frac_part}");
        let coef = BigUint::parse_bytes(all.as_bytes(), 10)?;
        exp -= frac_part.len() as i64;
        Some(
            Dec28 {
                neg,
                coef: Coef::from_big(coef),
                exp,
            }
            .norm_zero(),
        )
    }

    /// The value of a binary float as it would be typed: the shortest decimal string that reads
    /// back as the same float, taken exactly (so `0.95_f64` gives `0.95`, as `Decimal("0.95")`).
    pub fn from_f64_shortest(v: f64) -> Option<Self> {
        if !v.is_finite() {
            return None;
        }
        Self::parse(&format!("{v:e}"))
    }

    fn norm_zero(mut self) -> Self {
        if self.coef.is_zero() {
            self.neg = false;
            self.coef = Coef::S(0);
            self.exp = 0;
        }
        self
    }

    /// Rounds `(-1)^neg * c * 10^exp` to [`PRECISION`] significant digits, half to even.
    fn round_small(neg: bool, c: u128, exp: i64) -> Self {
        let d = digits_u128(c);
        if d <= PRECISION {
            return Dec28 {
                neg,
                coef: Coef::S(c),
                exp,
            }
            .norm_zero();
        }
        let drop = (d - PRECISION) as usize;
        let p = P10[drop];
        let mut q = c / p;
        let r = c % p;
        match (r * 2).cmp(&p) {
            Ordering::Greater => q += 1,
            Ordering::Equal if q & 1 == 1 => q += 1,
            _ => {}
        }
        let mut exp = exp + drop as i64;
        if q == P10[PRECISION as usize] {
            q = P10[PRECISION as usize - 1];
            exp += 1;
        }
        Dec28 {
            neg,
            coef: Coef::S(q),
            exp,
        }
    }

    /// Rounds `(-1)^neg * coef * 10^exp` to [`PRECISION`] significant digits, half to even.
    fn round(neg: bool, coef: BigUint, exp: i64) -> Self {
        if let Ok(c) = u128::try_from(&coef) {
            return Self::round_small(neg, c, exp);
        }
        let d = digits(&coef);
        let drop = d - PRECISION;
        let p = pow10_ref(drop);
        let q = &coef / p.as_ref();
        let r = coef - &q * p.as_ref();
        let twice: BigUint = r << 1u32;
        let mut q = q;
        match twice.cmp(p.as_ref()) {
            Ordering::Greater => q += 1u32,
            Ordering::Equal if q.bit(0) => q += 1u32,
            _ => {}
        }
        let mut exp = exp + drop as i64;
        if q == *pow10_ref(PRECISION) {
            q = pow10(PRECISION - 1);
            exp += 1;
        }
        Dec28 {
            neg,
            coef: Coef::from_big(q),
            exp,
        }
        .norm_zero()
    }

    /// True for zero.
    pub fn is_zero(&self) -> bool {
        self.coef.is_zero()
    }

    /// `|self|`.
    pub fn abs(&self) -> Self {
        Dec28 {
            neg: false,
            coef: self.coef.clone(),
            exp: self.exp,
        }
    }

    /// `-self` (Python's `x * -1`).
    pub fn neg(&self) -> Self {
        Dec28 {
            neg: !self.neg && !self.is_zero(),
            coef: self.coef.clone(),
            exp: self.exp,
        }
    }

    fn signed_add(a: &Self, b_neg: bool, b: &Self) -> Self {
        if b.is_zero() {
            return Self::round(a.neg, a.coef.big().into_owned(), a.exp);
        }
        if a.is_zero() {
            return Self::round(b_neg, b.coef.big().into_owned(), b.exp);
        }
        let e = a.exp.min(b.exp);
        if let (Coef::S(x), Coef::S(y)) = (&a.coef, &b.coef) {
            let (da, db) = ((a.exp - e) as usize, (b.exp - e) as usize);
            let ca = P10.get(da).and_then(|p| x.checked_mul(*p));
            let cb = P10.get(db).and_then(|p| y.checked_mul(*p));
            if let (Some(ca), Some(cb)) = (ca, cb) {
                if a.neg == b_neg {
                    if let Some(sum) = ca.checked_add(cb) {
                        return Self::round_small(a.neg, sum, e);
                    }
                } else {
                    return match ca.cmp(&cb) {
                        Ordering::Equal => Self::zero(),
                        Ordering::Greater => Self::round_small(a.neg, ca - cb, e),
                        Ordering::Less => Self::round_small(b_neg, cb - ca, e),
                    };
                }
            }
        }
        let ca = a.coef.big().into_owned() * pow10_ref((a.exp - e) as u32).as_ref();
        let cb = b.coef.big().into_owned() * pow10_ref((b.exp - e) as u32).as_ref();
        if a.neg == b_neg {
            Self::round(a.neg, ca + cb, e)
        } else {
            match ca.cmp(&cb) {
                Ordering::Equal => Self::zero(),
                Ordering::Greater => Self::round(a.neg, ca - cb, e),
                Ordering::Less => Self::round(b_neg, cb - ca, e),
            }
        }
    }

    /// `self + other`, rounded.
    pub fn add(&self, other: &Self) -> Self {
        Self::signed_add(self, other.neg, other)
    }

    /// `self - other`, rounded.
    pub fn sub(&self, other: &Self) -> Self {
        Self::signed_add(self, !other.neg, other)
    }

    /// `self * other`, rounded.
    pub fn mul(&self, other: &Self) -> Self {
        if self.is_zero() || other.is_zero() {
            return Self::zero();
        }
        let neg = self.neg != other.neg;
        let exp = self.exp + other.exp;
        if let (Coef::S(x), Coef::S(y)) = (&self.coef, &other.coef) {
            if let Some(p) = x.checked_mul(*y) {
                return Self::round_small(neg, p, exp);
            }
        }
        Self::round(
            neg,
            self.coef.big().as_ref() * other.coef.big().as_ref(),
            exp,
        )
    }

    /// `self / other`, correctly rounded. Division by zero gives `None` (Python raises).
    pub fn checked_div(&self, other: &Self) -> Option<Self> {
        if other.is_zero() {
            return None;
        }
        if self.is_zero() {
            return Some(Self::zero());
        }
        let neg = self.neg != other.neg;
        let da = self.coef.digits() as i64;
        let db = other.coef.digits() as i64;
        // Scale the dividend so that the quotient has at least PRECISION + 2 digits; a non-zero
        // remainder then becomes a sticky digit below the rounding position.
        let shift = (db + PRECISION as i64 + 2 - da).max(0) as u32;
        let exp = self.exp - other.exp - shift as i64;
        if let (Coef::S(x), Coef::S(y)) = (&self.coef, &other.coef) {
            if let Some(n) = P10.get(shift as usize).and_then(|p| x.checked_mul(*p)) {
                let q = n / y;
                let r = n % y;
                if r == 0 {
                    return Some(Self::round_small(neg, q, exp));
                }
                if let Some(qs) = q.checked_mul(10).and_then(|v| v.checked_add(1)) {
                    return Some(Self::round_small(neg, qs, exp - 1));
                }
            }
        }
        let n = self.coef.big().into_owned() * pow10_ref(shift).as_ref();
        let d = other.coef.big();
        let q = &n / d.as_ref();
        let r = n - &q * d.as_ref();
        Some(if r == BigUint::ZERO {
            Self::round(neg, q, exp)
        } else {
            Self::round(neg, q * 10u32 + 1u32, exp - 1)
        })
    }

    /// Compares two values exactly.
    pub fn cmp_value(&self, other: &Self) -> Ordering {
        let (za, zb) = (self.is_zero(), other.is_zero());
        let sa = if za {
            0
        } else if self.neg {
            -1
        } else {
            1
        };
        let sb = if zb {
            0
        } else if other.neg {
            -1
        } else {
            1
        };
        if sa != sb || sa == 0 {
            return sa.cmp(&sb);
        }
        // same non-zero sign: compare magnitudes
        let adj_a = self.coef.digits() as i64 + self.exp;
        let adj_b = other.coef.digits() as i64 + other.exp;
        let mag = if adj_a != adj_b {
            adj_a.cmp(&adj_b)
        } else {
            let e = self.exp.min(other.exp);
            let small = match (&self.coef, &other.coef) {
                (Coef::S(x), Coef::S(y)) => {
                    let ca = P10
                        .get((self.exp - e) as usize)
                        .and_then(|p| x.checked_mul(*p));
                    let cb = P10
                        .get((other.exp - e) as usize)
                        .and_then(|p| y.checked_mul(*p));
                    match (ca, cb) {
                        (Some(ca), Some(cb)) => Some(ca.cmp(&cb)),
                        _ => None,
                    }
                }
                _ => None,
            };
            small.unwrap_or_else(|| {
                let ca = self.coef.big().into_owned() * pow10_ref((self.exp - e) as u32).as_ref();
                let cb = other.coef.big().into_owned() * pow10_ref((other.exp - e) as u32).as_ref();
                ca.cmp(&cb)
            })
        };
        if sa < 0 {
            mag.reverse()
        } else {
            mag
        }
    }

    fn coef_string(&self) -> String {
        match &self.coef {
            Coef::S(c) => c.to_string(),
            Coef::B(b) => b.to_string(),
        }
    }

    /// The nearest binary float.
    pub fn to_f64(&self) -> f64 {
        let s = format!(
            "{}{}e{}",
            if self.neg { "-" } else { "" },
            self.coef_string(),
            self.exp
        );
        s.parse::<f64>().unwrap_or(f64::NAN)
    }
}

impl PartialEq for Dec28 {
    fn eq(&self, other: &Self) -> bool {
        self.cmp_value(other) == Ordering::Equal
    }
}

impl PartialOrd for Dec28 {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp_value(other))
    }
}

impl fmt::Display for Dec28 {
    /// Plain notation without exponent (`0.000123`, `61.05117364047237206589881911`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.neg { "-" } else { "" };
        let digits = self.coef_string();
        if self.exp >= 0 {
            let zeros = "0".repeat(self.exp as usize);
            write!(f, "{sign}{digits}{zeros}")
        } else {
            let frac_len = (-self.exp) as usize;
            if digits.len() > frac_len {
                let (a, b) = digits.split_at(digits.len() - frac_len);
                let b = b.trim_end_matches('0');
                if b.is_empty() {
                    write!(f, "{sign}{a}")
                } else {
                    write!(f, "{sign}{a}.{b}")
                }
            } else {
                let lead = "0".repeat(frac_len - digits.len());
                let b = format!("{lead}{digits}");
                let b = b.trim_end_matches('0');
                if b.is_empty() {
                    write!(f, "0")
                } else {
                    write!(f, "{sign}0.{b}")
                }
            }
        }
    }
}

impl Serialize for Dec28 {
    /// Serialized as its exact decimal string.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The same value with its coefficient held as a big integer, so every operation on it takes
    /// the general path.
    fn as_big(x: &Dec28) -> Dec28 {
        Dec28 {
            neg: x.neg,
            coef: Coef::B(x.coef.big().into_owned()),
            exp: x.exp,
        }
    }

    fn dec_strategy() -> impl Strategy<Value = Dec28> {
        // coefficients of 0..=28 digits, so that both the fast paths and their overflow
        // fall-backs are exercised
        let coef = (0usize..=28).prop_flat_map(|k| 0u128..P10[k].max(2));
        (any::<bool>(), coef, -40i64..10).prop_map(|(neg, c, exp)| {
            Dec28 {
                neg,
                coef: Coef::S(c),
                exp,
            }
            .norm_zero()
        })
    }

    fn same(a: &Dec28, b: &Dec28) -> bool {
        a.cmp_value(b) == Ordering::Equal && a.to_string() == b.to_string()
    }

    proptest! {
        /// The u128 fast paths give the same results as the big-integer path.
        #[test]
        fn fast_path_equals_big_path(a in dec_strategy(), b in dec_strategy()) {
            let (ba, bb) = (as_big(&a), as_big(&b));
            prop_assert!(same(&a.add(&b), &ba.add(&bb)));
            prop_assert!(same(&a.sub(&b), &ba.sub(&bb)));
            prop_assert!(same(&a.mul(&b), &ba.mul(&bb)));
            match (a.checked_div(&b), ba.checked_div(&bb)) {
                (Some(x), Some(y)) => prop_assert!(same(&x, &y)),
                (None, None) => {}
                _ => prop_assert!(false, "division disagrees on zero"),
            }
            prop_assert_eq!(a.cmp_value(&b), ba.cmp_value(&bb));
        }
    }

    fn d(s: &str) -> Dec28 {
        Dec28::parse(s).expect("literal")
    }

    // Expected strings below were printed by Python 3.11 `decimal` (default context), e.g.
    // `python3 -c "from decimal import Decimal as D; print(D(100)/D('6.5'))"`.
    #[test]
    fn division_rounds_half_even_to_28_digits() {
        assert_eq!(
            d("100").checked_div(&d("6.5")).unwrap().to_string(),
            "15.38461538461538461538461538"
        );
        assert_eq!(
            d("2").checked_div(&d("3")).unwrap().to_string(),
            "0.6666666666666666666666666667"
        );
        assert!(d("1").checked_div(&Dec28::zero()).is_none());
    }

    #[test]
    fn float_constants_are_exact_and_products_round() {
        let w1 = Dec28::from_f64_exact(0.4).unwrap();
        assert_eq!(
            w1.to_string(),
            "0.40000000000000002220446049250313080847263336181640625"
        );
        // Decimal('0.05') * Decimal(0.4)
        assert_eq!(
            d("0.05").mul(&w1).to_string(),
            "0.02000000000000000111022302463"
        );
    }

    #[test]
    fn addition_and_comparison() {
        assert_eq!(
            d("1e-30").add(&d("1")).to_string(),
            "1",
            "the small term is rounded away"
        );
        assert_eq!(d("0.1").add(&d("0.2")), d("0.3"));
        assert!(d("-2") < d("1"));
        assert!(d("-2") < d("-1"));
        assert!(d("1e-20") > Dec28::from_f64_exact(1e-20).unwrap());
        assert_eq!(d("-0.0"), Dec28::zero());
        // half-even at the 28th digit: 1 + 5e-28 keeps the even 1.000...0
        assert_eq!(d("1").add(&d("5e-28")).to_string(), "1");
        assert_eq!(
            d("1.000000000000000000000000001")
                .add(&d("5e-28"))
                .to_string(),
            "1.000000000000000000000000002"
        );
    }
}
