//! The bounds brink states on what it reads, in one place. Validation refuses anything beyond
//! them with the file, line and field, so that no model meets a number it cannot compute with.
//!
//! - Numbers: every number of a scenario, outcomes or claims file is 0 or has a magnitude in
//!   [[`MIN_MAGNITUDE`], [`MAX_MAGNITUDE`]] ([`check_magnitude`]). With this, sums and products
//!   of a few inputs (a power times a salience times a squared distance, summed over a million
//!   actors) stay finite and non-zero in double precision; `power = 1e308` is refused.
//! - Scales: `max - min` is at least [`MIN_RELATIVE_SPAN`] times the larger of 1, `|min|` and
//!   `|max|` ([`check_scale`]): a scale of subnormal width (models divide by it) is refused.
//! - Worlds: the rival hypotheses (types) define one world per combination of one type per actor;
//!   at most [`MAX_WORLDS`] ([`world_count`]). Every forecast runs each world, so 20 actors with two
//!   types each (2^20 worlds) are refused at `check` instead of exhausting memory in `run`.
//! - Counts a caller asks for (rounds, draws, samples, resamples) are bounded by each library
//!   crate's own constant (`brink_bargain::MAX_ROUNDS`, `brink_montecarlo::MAX_DRAWS` and
//!   `MAX_KEPT_DRAWS`, `brink_crisis::threshold::MAX_SAMPLES`, `brink_eval::MAX_RESAMPLES`); their
//!   `check_*` functions return a [`CountError`] naming the count and its bound.
//! - Diagnostics: at most [`MAX_REPEATED`] errors of one kind and [`MAX_DIAGNOSTICS`] in all are
//!   listed; the rest are counted ("N more errors like this not listed"). Lists of known names in
//!   messages give at most [`MAX_LISTED`] of them, in file order.

/// The largest magnitude of any number in a scenario, outcomes or claims file.
pub const MAX_MAGNITUDE: f64 = 1e15;

/// The smallest magnitude of a non-zero number in a scenario, outcomes or claims file.
pub const MIN_MAGNITUDE: f64 = 1e-12;

/// The smallest width of a scale relative to its ends: `max - min >= MIN_RELATIVE_SPAN *
/// max(1, |min|, |max|)`.
pub const MIN_RELATIVE_SPAN: f64 = 1e-9;

/// The largest number of worlds (combinations of one type per actor with types) a scenario may
/// define.
pub const MAX_WORLDS: usize = 1024;

/// The most errors of one kind (the same problem in the same field of different items) listed.
pub const MAX_REPEATED: usize = 10;

/// The most errors listed in all.
pub const MAX_DIAGNOSTICS: usize = 200;

/// The most names listed in an "expected one of" hint.
pub const MAX_LISTED: usize = 12;

/// Checks that `v` is 0 or has a magnitude in [`MIN_MAGNITUDE`, `MAX_MAGNITUDE`]; the error says
/// the bound in words (the caller names the field).
pub fn check_magnitude(v: f64) -> Result<(), String> {
    if !v.is_finite() {
        return Err(format!("must be a finite number, found {v}"));
    }
    if v != 0.0 && v.abs() > MAX_MAGNITUDE {
        return Err(format!(
            "{v:e} is too large in magnitude: brink computes with numbers up to {MAX_MAGNITUDE:e} (rescale the input)"
        ));
    }
    if v != 0.0 && v.abs() < MIN_MAGNITUDE {
        return Err(format!(
            "{v:e} is too small: a non-zero number must be at least {MIN_MAGNITUDE:e} in magnitude (write 0, or rescale the input)"
        ));
    }
    Ok(())
}

/// Checks a scale `[min, max]`: both ends within [`check_magnitude`], `min < max`, and a width of
/// at least [`MIN_RELATIVE_SPAN`] of its larger end (and of 1).
pub fn check_scale(min: f64, max: f64) -> Result<(), String> {
    check_magnitude(min).map_err(|e| format!("min: {e}"))?;
    check_magnitude(max).map_err(|e| format!("max: {e}"))?;
    if min >= max {
        return Err(format!("needs min < max, found min = {min}, max = {max}"));
    }
    let need = MIN_RELATIVE_SPAN * 1f64.max(min.abs()).max(max.abs());
    if max - min < need {
        return Err(format!(
            "the scale [{min}, {max}] is too narrow to compute on: max - min must be at least {need:e} ({MIN_RELATIVE_SPAN:e} of its larger end, and of 1)"
        ));
    }
    Ok(())
}

/// The number of worlds defined by `type_counts`, the number of types of each actor that has
/// types: their product, or an error above [`MAX_WORLDS`] (no overflow for any input).
pub fn world_count(type_counts: impl IntoIterator<Item = usize>) -> Result<usize, String> {
    let mut n: usize = 1;
    let mut actors = 0usize;
    for c in type_counts {
        actors += 1;
        n = n.saturating_mul(c.max(1));
    }
    if n > MAX_WORLDS {
        let shown = if n == usize::MAX {
            "more than 2^64".to_string()
        } else {
            n.to_string()
        };
        return Err(format!(
            "the types of {actors} actors define {shown} worlds (one per combination of one type per actor): brink runs every world and allows at most {MAX_WORLDS}; give fewer actors types, or fewer types each"
        ));
    }
    Ok(n)
}

/// A count asked for (rounds, draws, samples, resamples) beyond its stated bound.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} = {value} is more than brink allows: at most {max} ({why})")]
#[non_exhaustive]
pub struct CountError {
    /// The count, as the user knows it (e.g. "rounds", "draws").
    pub what: &'static str,
    /// The value asked for.
    pub value: u64,
    /// The bound.
    pub max: u64,
    /// Why there is a bound, in words.
    pub why: &'static str,
}

/// `Ok(value)` when `value <= max`, else a [`CountError`] naming `what`, the bound and `why`.
pub fn check_count(
    what: &'static str,
    value: u64,
    max: u64,
    why: &'static str,
) -> Result<u64, CountError> {
    if value > max {
        return Err(CountError {
            what,
            value,
            max,
            why,
        });
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magnitudes() {
        assert!(check_magnitude(0.0).is_ok());
        assert!(check_magnitude(-1e15).is_ok());
        assert!(check_magnitude(1e-12).is_ok());
        assert!(check_magnitude(1e308).unwrap_err().contains("too large"));
        assert!(check_magnitude(5e-324).unwrap_err().contains("too small"));
        assert!(check_magnitude(f64::NAN).is_err());
    }

    #[test]
    fn scales() {
        assert!(check_scale(0.0, 100.0).is_ok());
        assert!(check_scale(0.0, 1e-9).is_ok());
        assert!(check_scale(0.0, 1e-10).unwrap_err().contains("too narrow"));
        assert!(check_scale(0.0, 5e-324).is_err());
        assert!(check_scale(-1.7e308, 1.7e308).is_err());
        assert!(check_scale(1e15 - 1.0, 1e15)
            .unwrap_err()
            .contains("too narrow"));
        assert!(check_scale(5.0, 5.0).unwrap_err().contains("min < max"));
    }

    #[test]
    fn counts() {
        assert_eq!(check_count("draws", 10, 10, "time"), Ok(10));
        let e = check_count("rounds", 1_000_000_000, 10_000, "every round is kept").unwrap_err();
        assert_eq!(
            e.to_string(),
            "rounds = 1000000000 is more than brink allows: at most 10000 (every round is kept)"
        );
    }

    #[test]
    fn worlds() {
        assert_eq!(world_count([]), Ok(1));
        assert_eq!(world_count([2; 10]), Ok(1024));
        let e = world_count([2; 20]).unwrap_err();
        assert!(
            e.contains("1048576 worlds") && e.contains("20 actors"),
            "{e}"
        );
        assert!(world_count([usize::MAX, 3]).unwrap_err().contains("2^64"));
    }
}
