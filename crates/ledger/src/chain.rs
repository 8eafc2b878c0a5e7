//! The hash chain: what is hashed and how.
//!
//! Every record of the ledger (a forecast entry or a resolution) belongs to one **chain**, named
//! by its **origin** (the id of the ledger file that wrote it; a merged ledger holds one chain per
//! machine it has records from). Within a chain records are numbered `seq = 1, 2, 3, ...` and
//!
//! ```text
//! hash(record) = SHA-256( canonical(record) )          (64 lowercase hex digits)
//! canonical(record) = JCS({"format":"brink-ledger/1","origin":ORIGIN,"seq":SEQ,"prev":PREV,
//!                          "recorded_at":TIMESTAMP,"record":{"entry":ENTRY} | {"resolution":RESOLUTION}})
//! ```
//!
//! where `PREV` is the hash of the record `seq - 1` of the same chain ([`GENESIS`], 64 zeros, for
//! `seq = 1`). The canonical form is the JSON Canonicalization Scheme (RFC 8785) of the record's
//! JSON value ([`jcs`]): no whitespace, object members sorted by key, strings with the minimal
//! escapes, numbers as ECMAScript writes them (shortest round-trip digits, `100` not `100.0`,
//! exponent form below 1e-6 and from 1e21 up); dates `YYYY-MM-DD`, timestamps
//! `YYYY-MM-DDTHH:MM:SS.ffffffZ`, absent optional fields `null`, the seed as a decimal string (a
//! 64-bit seed is not exact as a JSON number). So any RFC 8785 implementation reproduces the
//! bytes from an exported record (`scripts/ledger_verify.py` does, in Python).
//!
//! Because each hash covers the previous one, editing a record changes its hash (detected where
//! the stored hash no longer matches), deleting one breaks the next record's link and leaves a
//! gap in `seq`, and inserting one breaks a link unless every later hash is recomputed; the
//! chain's recorded times must not go backwards, so a record appended with an earlier time is
//! detected too. What a chain cannot show by itself is the loss of its last records or a
//! wholesale rewrite by someone who recomputes every hash: the ledger keeps each chain's head in
//! its `meta` table (which catches a plain truncation), and [`crate::Anchor`]s (a head written
//! down elsewhere, e.g. in a commit or a published report) catch the rest.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Entry, Resolution};
use crate::time::Timestamp;

/// The format tag of every canonical record (its `format` member).
pub const FORMAT: &str = "brink-ledger/1";

/// The `prev` of a chain's first record: 64 zeros.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a record holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Body {
    /// A forecast.
    Entry(Box<Entry>),
    /// A question's resolution.
    Resolution(Resolution),
}

/// A sealed record of a chain: its place, its link, its time, its content and its hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// The chain's origin (the id of the ledger that wrote the record).
    pub origin: String,
    /// Its number in the chain, from 1.
    pub seq: u64,
    /// The hash of the chain's previous record ([`GENESIS`] for the first).
    pub prev: String,
    /// When the writing ledger recorded it (UTC, its system clock).
    pub recorded_at: Timestamp,
    /// The entry or resolution.
    pub body: Body,
    /// SHA-256 of the canonical form.
    pub hash: String,
}

#[derive(Serialize)]
struct Canonical<'a> {
    format: &'static str,
    origin: &'a str,
    seq: u64,
    prev: &'a str,
    recorded_at: Timestamp,
    record: &'a Body,
}

/// The canonical form of a record's content at its place in the chain (what is hashed).
pub fn canonical(
    origin: &str,
    seq: u64,
    prev: &str,
    recorded_at: Timestamp,
    body: &Body,
) -> String {
    to_jcs(&Canonical {
        format: FORMAT,
        origin,
        seq,
        prev,
        recorded_at,
        record: body,
    })
}

/// The canonical JSON text (RFC 8785) of a serialisable value.
pub fn to_jcs<T: Serialize>(v: &T) -> String {
    jcs(&serde_json::to_value(v).expect("ledger values serialise: every map key is a string"))
}

/// The JSON Canonicalization Scheme (RFC 8785) of a JSON value: no whitespace; object members
/// sorted by their keys' UTF-16 code units; strings escaping only `"`, `\` and control
/// characters (`\b \f \n \r \t`, the others `\u00xx`); numbers as ECMAScript's
/// `Number.prototype.toString` writes them ([`es_number`]). Integers beyond 2^53 are written
/// exactly (the ledger keeps none: seeds are strings, counts are checked).
pub fn jcs(v: &serde_json::Value) -> String {
    let mut out = String::new();
    write_jcs(v, &mut out);
    out
}

fn write_jcs(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => out.push_str(&u.to_string()),
            (_, Some(i), _) => out.push_str(&i.to_string()),
            (_, _, Some(x)) => out.push_str(&es_number(x)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_jcs(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(k, out);
                out.push(':');
                write_jcs(&m[k], out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The shortest decimal digits that read back as `x` (> 0) and the decimal exponent of the first,
/// `x ~ d1.d2d3... * 10^exp`; of two equally near candidates, the one ending in an even digit
/// (ECMA-262's rule; Rust's own formatting takes the upper one).
fn shortest_digits(x: f64) -> (String, i64) {
    let split = |e: &str| {
        let (mant, exp) = e.split_once('e').expect("exponent form");
        let digits: String = mant.chars().filter(|c| *c != '.').collect();
        (digits, exp.parse::<i64>().expect("an exponent"))
    };
    // Rust's `{:e}` writes the shortest round-trip digits as `d.ddde-N` or `deN`.
    let (digits, exp) = split(&format!("{x:e}"));
    let last = digits.as_bytes()[digits.len() - 1] - b'0';
    if last & 1 == 0 {
        return (digits, exp);
    }
    // The exact decimal value of `x` (at most 767 significant digits): a tie is a remainder of
    // exactly 5 after the shortest digits' length.
    let (exact, exp_exact) = split(&format!("{x:.800e}"));
    let k = digits.len();
    if exp_exact != exp {
        return (digits, exp);
    }
    let rest = &exact[k..];
    let tie = rest.starts_with('5') && rest[1..].bytes().all(|b| b == b'0');
    if !tie {
        return (digits, exp);
    }
    let floor = &exact[..k];
    if digits != floor {
        // Rust took the upper candidate: take the lower, even one (trailing zeros dropped).
        let t = floor.trim_end_matches('0');
        return (if t.is_empty() { "0".into() } else { t.into() }, exp);
    }
    // Rust took the lower, odd one: the upper is even.
    let mut d: Vec<u8> = floor.bytes().collect();
    let mut i = d.len();
    let mut exp = exp;
    loop {
        if i == 0 {
            d.insert(0, b'1');
            exp += 1;
            break;
        }
        i -= 1;
        if d[i] == b'9' {
            d[i] = b'0';
        } else {
            d[i] += 1;
            break;
        }
    }
    let s = String::from_utf8(d).expect("digits");
    (s.trim_end_matches('0').to_string(), exp)
}

/// A finite number as ECMAScript's `Number.prototype.toString` writes it (ECMA-262,
/// Number::toString): the shortest digits `d1 d2 ... dk` that read back as the same binary64,
/// with `n` such that x = 0.d1d2...dk * 10^n; plain decimal when -6 < n <= 21, else
/// `d1.d2...dke+N` or `d1.d2...dke-N` (N = |n - 1|); `-0` is `0`.
pub fn es_number(x: f64) -> String {
    if x == 0.0 {
        return "0".into();
    }
    let (digits, exp) = shortest_digits(x.abs());
    let k = digits.len() as i64;
    let n = exp + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let rest = if k > 1 {
            format!(".{}", &digits[1..])
        } else {
            String::new()
        };
        let sign = if n > 0 { "+" } else { "-" };
        format!("{}{rest}e{sign}{}", &digits[..1], (n - 1).abs())
    };
    if x < 0.0 {
        format!("-{body}")
    } else {
        body
    }
}

/// SHA-256 of a text, as 64 lowercase hex digits.
pub fn sha256_hex(text: &str) -> String {
    let d = Sha256::digest(text.as_bytes());
    let mut s = String::with_capacity(64);
    for b in d {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Seals a record: computes its hash from its canonical form.
pub fn seal(origin: &str, seq: u64, prev: &str, recorded_at: Timestamp, body: Body) -> Record {
    let hash = sha256_hex(&canonical(origin, seq, prev, recorded_at, &body));
    Record {
        origin: origin.into(),
        seq,
        prev: prev.into(),
        recorded_at,
        body,
        hash,
    }
}

impl Record {
    /// The canonical form of this record.
    pub fn canonical(&self) -> String {
        canonical(
            &self.origin,
            self.seq,
            &self.prev,
            self.recorded_at,
            &self.body,
        )
    }

    /// The hash its content gives (equal to [`Record::hash`] unless it was tampered with).
    pub fn computed_hash(&self) -> String {
        sha256_hex(&self.canonical())
    }
}

/// The hash of an entry's content alone (no chain fields, no recording time): the same forecast
/// recorded twice, or on two machines, has the same content hash and is scored once.
pub fn content_hash(entry: &Entry) -> String {
    sha256_hex(&to_jcs(entry))
}

/// A chain's head written down outside the ledger: the ledger must still hold record `seq` of
/// chain `origin` with this hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    /// The chain's origin.
    pub origin: String,
    /// The record's number.
    pub seq: u64,
    /// Its hash.
    pub hash: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Forecaster, Question, QuestionKind, Statement};
    use crate::time::Date;

    fn entry() -> Entry {
        Entry {
            question: Question {
                id: "q".into(),
                text: "Will it rain?".into(),
                kind: QuestionKind::Binary,
            },
            statement: Statement::Probability(0.1),
            forecaster: Forecaster::brink(None),
            scenario: None,
            brink_version: None,
            seed: Some(u64::MAX),
            draws: Some(2000),
            tags: vec![],
            horizon: None,
            as_of: Date::parse("2021-12-28").unwrap(),
            backtest: true,
        }
    }

    #[test]
    fn the_canonical_form_is_as_documented() {
        let t = Timestamp::parse("2024-01-02T03:04:05.000006Z").unwrap();
        let c = canonical("abc", 1, GENESIS, t, &Body::Entry(Box::new(entry())));
        let want = concat!(
            r#"{"format":"brink-ledger/1","origin":"abc","prev":"0000000000000000000000000000000000000000000000000000000000000000","#,
            r#""record":{"entry":{"as_of":"2021-12-28","backtest":true,"brink_version":null,"draws":2000,"#,
            r#""forecaster":{"model":null,"name":"brink","source":null},"horizon":null,"#,
            r#""question":{"id":"q","kind":"binary","text":"Will it rain?"},"scenario":null,"#,
            r#""seed":"18446744073709551615","statement":{"probability":0.1},"tags":[]}},"#,
            r#""recorded_at":"2024-01-02T03:04:05.000006Z","seq":1}"#
        );
        assert_eq!(c, want);
        // The hash is SHA-256 of exactly those bytes.
        let r = seal("abc", 1, GENESIS, t, Body::Entry(Box::new(entry())));
        assert_eq!(r.hash, sha256_hex(want));
        assert_eq!(r.computed_hash(), r.hash);
    }

    #[test]
    fn numbers_follow_rfc_8785_appendix_b() {
        // The IEEE 754 test values of RFC 8785, Appendix B, and their canonical forms.
        let cases: [(u64, &str); 24] = [
            (0x0000000000000000, "0"),
            (0x8000000000000000, "0"),
            (0x0000000000000001, "5e-324"),
            (0x8000000000000001, "-5e-324"),
            (0x7fefffffffffffff, "1.7976931348623157e+308"),
            (0xffefffffffffffff, "-1.7976931348623157e+308"),
            (0x4340000000000000, "9007199254740992"),
            (0xc340000000000000, "-9007199254740992"),
            (0x4430000000000000, "295147905179352830000"),
            (0x44b52d02c7e14af5, "9.999999999999997e+22"),
            (0x44b52d02c7e14af6, "1e+23"),
            (0x44b52d02c7e14af7, "1.0000000000000001e+23"),
            (0x444b1ae4d6e2ef4e, "999999999999999700000"),
            (0x444b1ae4d6e2ef4f, "999999999999999900000"),
            (0x444b1ae4d6e2ef50, "1e+21"),
            (0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"),
            (0x3eb0c6f7a0b5ed8d, "0.000001"),
            (0x41b3de4355555553, "333333333.3333332"),
            (0x41b3de4355555554, "333333333.33333325"),
            (0x41b3de4355555555, "333333333.3333333"),
            (0x41b3de4355555556, "333333333.3333334"),
            (0x41b3de4355555557, "333333333.33333343"),
            (0xbecbf647612f3696, "-0.0000033333333333333333"),
            (0x43143ff3c1cb0959, "1424953923781206.2"),
        ];
        for (bits, want) in cases {
            assert_eq!(es_number(f64::from_bits(bits)), want, "{bits:016x}");
        }
        assert_eq!(es_number(100.0), "100");
        assert_eq!(es_number(0.35), "0.35");
    }

    #[test]
    fn objects_are_sorted_and_strings_minimally_escaped() {
        let v: serde_json::Value = serde_json::from_str(
            r#"{"b": [1, 2.5, true, null], "a": "x\u0001\n\"\\é\u2028", "A": {}, "\u00e9": 0}"#,
        )
        .unwrap();
        assert_eq!(
            jcs(&v),
            "{\"A\":{},\"a\":\"x\\u0001\\n\\\"\\\\é\u{2028}\",\"b\":[1,2.5,true,null],\"é\":0}"
        );
    }

    #[test]
    fn sha256_of_known_texts() {
        // FIPS 180-2 test vectors.
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
