//! Time in the ledger: calendar dates ([`Date`], the scenario crate's type) for what a forecast
//! or an outcome is dated, and UTC timestamps ([`Timestamp`]) for when the ledger recorded it.
//!
//! Both have one text form, which is what the hash chain covers: dates `YYYY-MM-DD`, timestamps
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ` (UTC, always six fractional digits). Parsing is strict: a text
//! that is not in exactly this form is refused, so a stored value has a single spelling.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

pub use brink_scenario::Date;

/// A UTC instant with microsecond resolution (microseconds since 1970-01-01T00:00:00Z).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// The system clock, now.
    pub fn now() -> Timestamp {
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp(d.as_secs() as i64 * 1_000_000 + i64::from(d.subsec_micros()))
    }

    /// The UTC calendar date of this instant.
    pub fn date(self) -> Date {
        let (y, m, d) = civil_from_days(self.0.div_euclid(86_400_000_000));
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    /// The instant at 00:00:00 UTC of a date.
    pub fn start_of(date: Date) -> Timestamp {
        Timestamp(days_from_civil(date.year, date.month, date.day) * 86_400_000_000)
    }

    /// Parses the ledger's form `YYYY-MM-DDTHH:MM:SS.ffffffZ`; `None` for anything else.
    pub fn parse(s: &str) -> Option<Timestamp> {
        let b = s.as_bytes();
        if b.len() != 27 || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'.' {
            return None;
        }
        if b[26] != b'Z' {
            return None;
        }
        let date = Date::parse(s.get(0..10)?)?;
        let digits = |r: std::ops::Range<usize>| -> Option<i64> {
            let t = s.get(r)?;
            if t.bytes().all(|c| c.is_ascii_digit()) {
                t.parse().ok()
            } else {
                None
            }
        };
        let (h, mi, se, us) = (
            digits(11..13)?,
            digits(14..16)?,
            digits(17..19)?,
            digits(20..26)?,
        );
        if h > 23 || mi > 59 || se > 59 {
            return None;
        }
        Some(Timestamp(
            Timestamp::start_of(date).0 + ((h * 60 + mi) * 60 + se) * 1_000_000 + us,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.date();
        let us = self.0.rem_euclid(86_400_000_000);
        let (secs, frac) = (us / 1_000_000, us % 1_000_000);
        write!(
            f,
            "{d}T{:02}:{:02}:{:02}.{frac:06}Z",
            secs / 3600,
            (secs / 60) % 60,
            secs % 60
        )
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Timestamp::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{s}` is not a timestamp of the form YYYY-MM-DDTHH:MM:SS.ffffffZ"
            ))
        })
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
pub(crate) fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (inverse of [`days_from_civil`]).
pub(crate) fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

/// The number of days from `a` to `b` (negative if `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    days_from_civil(b.year, b.month, b.day) - days_from_civil(a.year, a.month, a.day)
}

/// serde for a [`Date`] field as `YYYY-MM-DD` (the scenario crate's `Date` only serialises).
pub(crate) mod date_serde {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(d)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a date of the form YYYY-MM-DD"))
        })
    }
}

/// serde for an optional [`Date`] field (`null` or `YYYY-MM-DD`).
pub(crate) mod opt_date_serde {
    use super::Date;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(d),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| {
            Date::parse(&s).ok_or_else(|| {
                serde::de::Error::custom(format!("`{s}` is not a date of the form YYYY-MM-DD"))
            })
        })
        .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip_over_four_centuries() {
        for z in -200_000..200_000i64 {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            let date = Date {
                year: y,
                month: m,
                day: d,
            };
            assert_eq!(Date::parse(&date.to_string()), Some(date), "{date}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        // 2000-03-01 is day 11017 (a leap century: 2000-02-29 exists).
        assert_eq!(
            days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28),
            1
        );
    }

    #[test]
    fn timestamps_have_one_spelling() {
        let t = Timestamp(1_640_649_600_000_000 + 3_723_000_042); // 2021-12-28 01:02:03.000042
        assert_eq!(t.to_string(), "2021-12-28T01:02:03.000042Z");
        assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
        assert_eq!(t.date().to_string(), "2021-12-28");
        for bad in [
            "2021-12-28T01:02:03Z",
            "2021-12-28T01:02:03.000042+00:00",
            "2021-12-28 01:02:03.000042Z",
            "2021-12-28T24:02:03.000042Z",
            "2021-02-30T01:02:03.000042Z",
            "2021-12-28T01:02:03.0000-2Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad}");
        }
        let now = Timestamp::now();
        assert_eq!(Timestamp::parse(&now.to_string()), Some(now));
    }
}
