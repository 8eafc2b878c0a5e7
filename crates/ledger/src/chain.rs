//! The hash chain: what is hashed and how.
//!
//! Every record of the ledger (a forecast entry or a resolution) belongs to one **chain**, named
//! by its **origin** (the id of the ledger file that wrote it; a merged ledger holds one chain per
//! machine it has records from). Within a chain records are numbered `seq = 1, 2, 3, ...` and
//!
//! ```text
//! hash(record) = SHA-256( canonical(record) )          (64 lowercase hex digits)
//! canonical(record) = {"format":"brink-ledger/1","origin":ORIGIN,"seq":SEQ,"prev":PREV,
//!                      "recorded_at":TIMESTAMP,"record":{"entry":ENTRY} | {"resolution":RESOLUTION}}
//! ```
//!
//! where `PREV` is the hash of the record `seq - 1` of the same chain ([`GENESIS`], 64 zeros, for
//! `seq = 1`). The canonical form is JSON (RFC 8259) in UTF-8 with no whitespace, object fields
//! in the fixed order of the Rust declarations (documented field by field in `docs/ledger.md`),
//! strings escaped as serde_json writes them (only `"`, `\` and control characters), numbers in
//! the shortest form that reads back as the same binary64 (serde_json's), dates `YYYY-MM-DD`,
//! timestamps `YYYY-MM-DDTHH:MM:SS.ffffffZ`, absent optional fields as `null`.
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

/// The format tag at the start of every canonical record.
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
    serde_json::to_string(&Canonical {
        format: FORMAT,
        origin,
        seq,
        prev,
        recorded_at,
        record: body,
    })
    .expect("records serialise: every map key is a string")
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
    sha256_hex(&serde_json::to_string(entry).expect("entries serialise"))
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
            r#"{"format":"brink-ledger/1","origin":"abc","seq":1,"prev":"0000000000000000000000000000000000000000000000000000000000000000","#,
            r#""recorded_at":"2024-01-02T03:04:05.000006Z","record":{"entry":{"question":{"id":"q","text":"Will it rain?","kind":"binary"},"#,
            r#""statement":{"probability":0.1},"forecaster":{"name":"brink","model":null,"source":null},"scenario":null,"#,
            r#""brink_version":null,"seed":18446744073709551615,"draws":2000,"tags":[],"horizon":null,"as_of":"2021-12-28","backtest":true}}}"#
        );
        assert_eq!(c, want);
        // The hash is SHA-256 of exactly those bytes.
        let r = seal("abc", 1, GENESIS, t, Body::Entry(Box::new(entry())));
        assert_eq!(r.hash, sha256_hex(want));
        assert_eq!(r.computed_hash(), r.hash);
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
