//! The fixed table of estimative words (`docs/estimative-words.md`): a source's words to a
//! probability, fixed before any outcome was scored. Bands after ICD 203 (2015); the probability
//! used is the band's midpoint.

/// (term, phrases it also covers, band low, band high, probability used).
pub const TABLE: &[(&str, &[&str], f64, f64, f64)] = &[
    (
        "almost no chance",
        &["remote", "all but impossible", "never"],
        0.01,
        0.05,
        0.03,
    ),
    ("very unlikely", &["highly improbable"], 0.05, 0.20, 0.125),
    (
        "unlikely",
        &["improbable", "probably not", "not imminent"],
        0.20,
        0.45,
        0.325,
    ),
    (
        "roughly even chance",
        &["could", "might", "may"],
        0.45,
        0.55,
        0.50,
    ),
    ("likely", &["probably", "probable"], 0.55, 0.80, 0.675),
    ("very likely", &["highly probable"], 0.80, 0.95, 0.875),
    (
        "almost certain",
        &["nearly certain", "no doubt"],
        0.95,
        0.99,
        0.97,
    ),
];

/// The probability of a term or covered phrase (case-insensitive), or `None` if not in the table.
pub fn probability(words: &str) -> Option<f64> {
    let w = words.trim().to_lowercase();
    TABLE
        .iter()
        .find(|(t, also, ..)| *t == w || also.contains(&w.as_str()))
        .map(|(.., p)| *p)
}

/// The floor of the log score.
pub const LOG_FLOOR: f64 = 0.001;

/// Brier score of a probability for an event that did (`true`) or did not happen.
pub fn brier(p: f64, happened: bool) -> f64 {
    let o = if happened { 1.0 } else { 0.0 };
    (p - o) * (p - o)
}

/// Log score: ln of the probability given to what happened, floored at [`LOG_FLOOR`].
pub fn log_score(p: f64, happened: bool) -> f64 {
    let q = if happened { p } else { 1.0 - p };
    q.max(LOG_FLOOR).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_table_matches_the_code() {
        let doc = include_str!("../../../docs/estimative-words.md");
        for (term, also, lo, hi, p) in TABLE {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| {term} |")))
                .unwrap_or_else(|| panic!("`{term}` is not in docs/estimative-words.md"));
            for a in *also {
                assert!(
                    row.contains(a),
                    "{term}: `{a}` missing from the published row"
                );
            }
            assert!(
                row.contains(&format!("{lo:.2}-{hi:.2}")),
                "{term}: band in `{row}`"
            );
            let shown = format!("{p}");
            assert!(
                row.trim_end()
                    .trim_end_matches('|')
                    .trim_end()
                    .ends_with(&shown)
                    || row.contains(&format!("| {p:.2} |"))
                    || row.contains(&format!("| {shown} |")),
                "{term}: probability {p} in `{row}`"
            );
        }
        assert_eq!(probability("Probably"), Some(0.675));
        assert_eq!(probability("not imminent"), Some(0.325));
        assert_eq!(probability("perhaps"), None);
    }

    #[test]
    fn scores() {
        assert!((brier(0.3, true) - 0.49).abs() < 1e-15);
        assert!((brier(0.3, false) - 0.09).abs() < 1e-15);
        assert!((log_score(0.3, true) - 0.3f64.ln()).abs() < 1e-15);
        assert_eq!(log_score(0.0, true), LOG_FLOOR.ln());
    }
}
