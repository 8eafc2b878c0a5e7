//! The ledger's data model: questions, forecasts (entries), outcomes and resolutions, and the
//! checks every one of them passes before it is written.
//!
//! A forecast entry is one probabilistic statement about one question by one forecaster, dated:
//! - a **binary** question (an event happens or not) gets a probability of yes;
//! - a **categorical** question (the outcome classes of a crisis) gets a probability per class,
//!   or, from a forecaster who gives only one class (a crowd's "will there be a war?"), the
//!   probability of that one class;
//! - a **continuous** question (an issue's value on its scale, with the scale's min and max) gets
//!   predictive quantiles at stated levels, and the point forecast if there is one.
//!
//! Entries also say who forecast (brink, with the model, or an external forecaster with the
//! citation of where its forecast was published), from which scenario (id and SHA-256), with
//! which brink version, seed and number of draws, with tags, a horizon, the date the forecast is
//! as of, and whether it is a **backtest**: a forecast written into the ledger after the fact,
//! for history, carrying its original date.

use serde::{Deserialize, Serialize};

use crate::time::{date_serde, opt_date_serde, Date};

/// The tolerance on the sum of a categorical forecast's probabilities (Monte Carlo shares sum
/// to 1 up to rounding).
pub const SUM_TOLERANCE: f64 = 1e-6;

/// What kind of answer a question has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum QuestionKind {
    /// An event that happens or not.
    Binary,
    /// Exactly one of these outcome classes happens (e.g. a crisis's outcomes).
    Categorical {
        /// The classes, in their order of display.
        classes: Vec<String>,
    },
    /// A value on a scale from `min` to `max` (e.g. an issue's settlement).
    Continuous {
        /// The scale's lower end.
        min: f64,
        /// The scale's upper end.
        max: f64,
    },
}

impl QuestionKind {
    /// A short name: `binary`, `categorical` or `continuous`.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Binary => "binary",
            QuestionKind::Categorical { .. } => "categorical",
            QuestionKind::Continuous { .. } => "continuous",
        }
    }
}

/// A question forecasts are about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Its id, shared by every forecast of the same question (see [`crate::question_id`]).
    pub id: String,
    /// The question in words.
    pub text: String,
    /// What kind of answer it has.
    pub kind: QuestionKind,
}

/// A class and its probability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassP {
    /// The outcome class.
    pub class: String,
    /// Its probability.
    pub p: f64,
}

/// What a forecast says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Statement {
    /// For a binary question: the probability that the event happens.
    Probability(f64),
    /// For a categorical question: a probability for every class (summing to 1).
    Classes(Vec<ClassP>),
    /// For a categorical question: the probability of one class only.
    Event {
        /// The class.
        class: String,
        /// Its probability.
        p: f64,
    },
    /// For a continuous question: predictive quantiles, `values[i]` at level `levels[i]`
    /// (levels strictly increasing in [0, 1], values non-decreasing, on the scale), and the point
    /// forecast if any.
    Quantiles {
        /// Quantile levels, e.g. `[0.05, 0.25, 0.5, 0.75, 0.95]`.
        levels: Vec<f64>,
        /// The quantiles at those levels, on the question's scale.
        values: Vec<f64>,
        /// The point forecast, on the scale.
        point: Option<f64>,
    },
}

/// Who made a forecast.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Forecaster {
    /// `brink`, or the external forecaster's name (e.g. `Metaculus community`).
    pub name: String,
    /// For brink: the model or pipeline stage (e.g. `compromise`, `montecarlo`).
    pub model: Option<String>,
    /// For an external forecaster: where its forecast was published (a citation).
    pub source: Option<String>,
}

/// The name brink's own forecasts go by.
pub const BRINK: &str = "brink";

impl Forecaster {
    /// brink, with the model that made the forecast if it is worth telling apart.
    pub fn brink(model: Option<&str>) -> Forecaster {
        Forecaster {
            name: BRINK.into(),
            model: model.map(str::to_string),
            source: None,
        }
    }

    /// An external forecaster and the citation of where its forecast was published.
    pub fn external(name: &str, source: &str) -> Forecaster {
        Forecaster {
            name: name.into(),
            model: None,
            source: Some(source.into()),
        }
    }

    /// Whether this is brink.
    pub fn is_brink(&self) -> bool {
        self.name == BRINK
    }

    /// How it is named in scores: `brink`, `brink:MODEL`, or the external forecaster's name.
    pub fn label(&self) -> String {
        match &self.model {
            Some(m) => format!("{}:{m}", self.name),
            None => self.name.clone(),
        }
    }
}

/// The scenario a brink forecast was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioRef {
    /// The scenario's id.
    pub id: String,
    /// The SHA-256 of the scenario file (64 lowercase hex digits).
    pub sha256: String,
}

/// One forecast, as given to [`crate::Ledger::record`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The question.
    pub question: Question,
    /// What the forecast says.
    pub statement: Statement,
    /// Who forecast.
    pub forecaster: Forecaster,
    /// The scenario it was made from (brink's forecasts).
    pub scenario: Option<ScenarioRef>,
    /// brink's version that made it.
    pub brink_version: Option<String>,
    /// The Monte Carlo seed (a decimal string in JSON: 64 bits do not fit a JSON number exactly).
    #[serde(with = "seed_serde")]
    pub seed: Option<u64>,
    /// The number of Monte Carlo draws.
    pub draws: Option<u64>,
    /// Tags for filtering scores (no whitespace; stored sorted, without repeats).
    pub tags: Vec<String>,
    /// The date by which the question is to be resolved, if stated.
    #[serde(with = "opt_date_serde")]
    pub horizon: Option<Date>,
    /// The date the forecast is as of (what was knowable then informs it).
    #[serde(with = "date_serde")]
    pub as_of: Date,
    /// Written into the ledger after the fact, for history, with its original date.
    pub backtest: bool,
}

/// serde for the seed: `null` or a decimal string in its one spelling.
mod seed_serde {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        let s: Option<String> = Option::deserialize(d)?;
        s.map(|s| {
            s.parse::<u64>()
                .ok()
                .filter(|v| v.to_string() == s)
                .ok_or_else(|| serde::de::Error::custom(format!("`{s}` is not a seed")))
        })
        .transpose()
    }
}

/// The largest count a JSON number holds exactly (2^53).
pub const MAX_COUNT: u64 = 1 << 53;

/// What happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Outcome {
    /// A binary question: whether the event happened.
    Binary(bool),
    /// A categorical question: the class that happened.
    Class(String),
    /// A continuous question: the value on the scale.
    Value(f64),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Binary(true) => write!(f, "yes"),
            Outcome::Binary(false) => write!(f, "no"),
            Outcome::Class(c) => write!(f, "{c}"),
            Outcome::Value(v) => write!(f, "{v}"),
        }
    }
}

/// Where an outcome is documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The citation (author, title, publisher, date).
    pub citation: String,
    /// The words in the source that establish the outcome.
    pub quote: String,
}

/// A question's resolution: what happened, when, and the receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Resolution {
    /// The question's id.
    pub question: String,
    /// What happened.
    pub outcome: Outcome,
    /// When it happened (or was settled).
    #[serde(with = "date_serde")]
    pub date: Date,
    /// The source that documents it.
    pub source: Source,
}

/// A field that failed its check, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field's path, e.g. `statement.levels`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

fn bad(field: &str, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn check_text(field: &str, s: &str) -> Result<(), Invalid> {
    if s.trim().is_empty() {
        return Err(bad(field, "is empty"));
    }
    if s.trim() != s {
        return Err(bad(field, "has leading or trailing whitespace"));
    }
    if s.chars().any(char::is_control) {
        return Err(bad(field, "contains a control character"));
    }
    Ok(())
}

fn check_p(field: &str, p: f64) -> Result<(), Invalid> {
    if !(0.0..=1.0).contains(&p) {
        return Err(bad(field, format!("{p} is not a probability in [0, 1]")));
    }
    Ok(())
}

fn check_on_scale(field: &str, v: f64, min: f64, max: f64) -> Result<(), Invalid> {
    if !v.is_finite() || v < min || v > max {
        return Err(bad(
            field,
            format!("{v} is outside the scale [{min}, {max}]"),
        ));
    }
    Ok(())
}

impl QuestionKind {
    /// Checks the kind itself.
    pub fn check(&self) -> Result<(), Invalid> {
        match self {
            QuestionKind::Binary => Ok(()),
            QuestionKind::Categorical { classes } => {
                if classes.len() < 2 {
                    return Err(bad(
                        "question.kind.classes",
                        "a categorical question needs at least two classes",
                    ));
                }
                for (i, c) in classes.iter().enumerate() {
                    check_text(&format!("question.kind.classes[{i}]"), c)?;
                    if classes[..i].contains(c) {
                        return Err(bad(
                            &format!("question.kind.classes[{i}]"),
                            format!("class `{c}` is listed twice"),
                        ));
                    }
                }
                Ok(())
            }
            QuestionKind::Continuous { min, max } => {
                if !min.is_finite() || !max.is_finite() || min >= max {
                    return Err(bad(
                        "question.kind",
                        format!("the scale [{min}, {max}] needs finite ends with min < max"),
                    ));
                }
                Ok(())
            }
        }
    }

    /// Checks an outcome against the kind: the right type, a listed class, a value on the scale.
    pub fn check_outcome(&self, outcome: &Outcome) -> Result<(), Invalid> {
        match (self, outcome) {
            (QuestionKind::Binary, Outcome::Binary(_)) => Ok(()),
            (QuestionKind::Categorical { classes }, Outcome::Class(c)) => {
                if classes.contains(c) {
                    Ok(())
                } else {
                    Err(bad(
                        "outcome",
                        format!(
                            "`{c}` is not one of the question's classes ({})",
                            classes.join(", ")
                        ),
                    ))
                }
            }
            (QuestionKind::Continuous { min, max }, Outcome::Value(v)) => {
                check_on_scale("outcome", *v, *min, *max)
            }
            (k, o) => Err(bad(
                "outcome",
                format!(
                    "a {} question cannot be resolved with {}",
                    k.name(),
                    match o {
                        Outcome::Binary(_) => "yes/no",
                        Outcome::Class(_) => "a class",
                        Outcome::Value(_) => "a value",
                    }
                ),
            )),
        }
    }
}

impl Entry {
    /// Checks every field and returns the entry in its stored form: tags sorted without repeats,
    /// class probabilities in the order of the question's classes. `today` is the date the
    /// ledger records it (a forecast cannot be as of a later day; one day of slack for time
    /// zones).
    pub fn normalised(&self, today: Date) -> Result<Entry, Invalid> {
        let mut e = self.clone();
        check_text("question.id", &e.question.id)?;
        if e.question.id.chars().any(char::is_whitespace) {
            return Err(bad("question.id", "contains whitespace"));
        }
        check_text("question.text", &e.question.text)?;
        e.question.kind.check()?;
        match (&e.question.kind, &mut e.statement) {
            (QuestionKind::Binary, Statement::Probability(p)) => check_p("statement", *p)?,
            (QuestionKind::Categorical { classes }, Statement::Classes(ps)) => {
                for (i, cp) in ps.iter().enumerate() {
                    if !classes.contains(&cp.class) {
                        return Err(bad(
                            &format!("statement[{i}].class"),
                            format!("`{}` is not one of the question's classes", cp.class),
                        ));
                    }
                    if ps[..i].iter().any(|x| x.class == cp.class) {
                        return Err(bad(
                            &format!("statement[{i}].class"),
                            format!("class `{}` is given twice", cp.class),
                        ));
                    }
                    check_p(&format!("statement[{i}].p"), cp.p)?;
                }
                if let Some(c) = classes.iter().find(|c| !ps.iter().any(|x| &x.class == *c)) {
                    return Err(bad("statement", format!("no probability for class `{c}`")));
                }
                let sum: f64 = ps.iter().map(|x| x.p).sum();
                if (sum - 1.0).abs() > SUM_TOLERANCE {
                    return Err(bad(
                        "statement",
                        format!("the class probabilities sum to {sum}, not 1"),
                    ));
                }
                ps.sort_by_key(|x| classes.iter().position(|c| *c == x.class));
            }
            (QuestionKind::Categorical { classes }, Statement::Event { class, p }) => {
                if !classes.contains(class) {
                    return Err(bad(
                        "statement.class",
                        format!("`{class}` is not one of the question's classes"),
                    ));
                }
                check_p("statement.p", *p)?;
            }
            (
                QuestionKind::Continuous { min, max },
                Statement::Quantiles {
                    levels,
                    values,
                    point,
                },
            ) => {
                if levels.is_empty() || levels.len() != values.len() {
                    return Err(bad(
                        "statement",
                        format!(
                            "{} levels and {} values: give one value per level, at least one",
                            levels.len(),
                            values.len()
                        ),
                    ));
                }
                for (i, (l, v)) in levels.iter().zip(values.iter()).enumerate() {
                    check_p(&format!("statement.levels[{i}]"), *l)?;
                    check_on_scale(&format!("statement.values[{i}]"), *v, *min, *max)?;
                    if i > 0 && *l <= levels[i - 1] {
                        return Err(bad(
                            &format!("statement.levels[{i}]"),
                            "levels must increase strictly",
                        ));
                    }
                    if i > 0 && *v < values[i - 1] {
                        return Err(bad(
                            &format!("statement.values[{i}]"),
                            "quantiles must not decrease as the level increases",
                        ));
                    }
                }
                if let Some(pt) = point {
                    check_on_scale("statement.point", *pt, *min, *max)?;
                }
            }
            (k, _) => {
                return Err(bad(
                    "statement",
                    format!(
                        "a {} question takes {}",
                        k.name(),
                        match k {
                            QuestionKind::Binary => "a probability",
                            QuestionKind::Categorical { .. } =>
                                "a probability per class, or one class's probability",
                            QuestionKind::Continuous { .. } => "quantiles",
                        }
                    ),
                ))
            }
        }
        check_text("forecaster.name", &e.forecaster.name)?;
        if let Some(m) = &e.forecaster.model {
            check_text("forecaster.model", m)?;
        }
        if e.forecaster.is_brink() {
            if let Some(s) = &e.forecaster.source {
                check_text("forecaster.source", s)?;
            }
        } else {
            match &e.forecaster.source {
                Some(s) => check_text("forecaster.source", s)?,
                None => {
                    return Err(bad(
                        "forecaster.source",
                        "an external forecaster's forecast needs the citation of where it was published",
                    ))
                }
            }
        }
        if let Some(sc) = &e.scenario {
            check_text("scenario.id", &sc.id)?;
            if sc.sha256.len() != 64
                || !sc
                    .sha256
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return Err(bad(
                    "scenario.sha256",
                    "is not 64 lowercase hexadecimal digits",
                ));
            }
        }
        if let Some(v) = &e.brink_version {
            check_text("brink_version", v)?;
        }
        if e.draws == Some(0) {
            return Err(bad("draws", "is 0"));
        }
        if e.draws.is_some_and(|d| d > MAX_COUNT) {
            return Err(bad("draws", "is larger than 2^53"));
        }
        for (i, t) in e.tags.iter().enumerate() {
            check_text(&format!("tags[{i}]"), t)?;
            if t.chars().any(char::is_whitespace) {
                return Err(bad(&format!("tags[{i}]"), "contains whitespace"));
            }
        }
        e.tags.sort();
        e.tags.dedup();
        if crate::time::days_between(today, e.as_of) > 1 {
            return Err(bad(
                "as_of",
                format!("{} is after the day it is recorded ({today})", e.as_of),
            ));
        }
        if let Some(h) = e.horizon {
            if h < e.as_of {
                return Err(bad(
                    "horizon",
                    format!("{h} is before the forecast's as-of date {}", e.as_of),
                ));
            }
        }
        Ok(e)
    }
}

impl Resolution {
    /// Checks the resolution's own fields (the outcome is checked against the question's kind by
    /// [`QuestionKind::check_outcome`]); `today` is the day it is recorded.
    pub fn check(&self, today: Date) -> Result<(), Invalid> {
        check_text("question", &self.question)?;
        check_text("source.citation", &self.source.citation)?;
        check_text("source.quote", &self.source.quote)?;
        if let Outcome::Class(c) = &self.outcome {
            check_text("outcome", c)?;
        }
        if crate::time::days_between(today, self.date) > 1 {
            return Err(bad(
                "date",
                format!("{} is after the day it is recorded ({today})", self.date),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn crisis() -> Question {
        Question {
            id: "sc/crisis/standoff".into(),
            text: "How does the standoff end?".into(),
            kind: QuestionKind::Categorical {
                classes: vec!["war".into(), "deal".into(), "status quo".into()],
            },
        }
    }

    fn entry(statement: Statement) -> Entry {
        Entry {
            question: crisis(),
            statement,
            forecaster: Forecaster::brink(None),
            scenario: None,
            brink_version: None,
            seed: None,
            draws: None,
            tags: vec!["b".into(), "a".into(), "b".into()],
            horizon: None,
            as_of: d("2021-12-28"),
            backtest: false,
        }
    }

    fn classes(ps: &[(&str, f64)]) -> Statement {
        Statement::Classes(
            ps.iter()
                .map(|(c, p)| ClassP {
                    class: c.to_string(),
                    p: *p,
                })
                .collect(),
        )
    }

    #[test]
    fn entries_are_normalised() {
        let e = entry(classes(&[("deal", 0.5), ("status quo", 0.3), ("war", 0.2)]))
            .normalised(d("2022-01-01"))
            .unwrap();
        assert_eq!(e.tags, vec!["a", "b"]);
        let Statement::Classes(ps) = &e.statement else {
            panic!()
        };
        let order: Vec<&str> = ps.iter().map(|x| x.class.as_str()).collect();
        assert_eq!(order, ["war", "deal", "status quo"]);
    }

    #[test]
    fn bad_entries_name_their_field() {
        let today = d("2022-01-01");
        let cases: Vec<(Entry, &str, &str)> = vec![
            (
                entry(classes(&[("war", 0.2), ("deal", 0.5), ("status quo", 0.2)])),
                "statement",
                "sum to",
            ),
            (
                entry(classes(&[("war", 0.5), ("deal", 0.5)])),
                "statement",
                "no probability for class `status quo`",
            ),
            (
                entry(classes(&[("war", 0.5), ("peace", 0.5), ("deal", 0.0)])),
                "statement[1].class",
                "not one of",
            ),
            (
                entry(Statement::Probability(0.3)),
                "statement",
                "categorical question takes",
            ),
            (
                entry(Statement::Event {
                    class: "war".into(),
                    p: 1.5,
                }),
                "statement.p",
                "not a probability",
            ),
            (
                entry(Statement::Event {
                    class: "war".into(),
                    p: f64::NAN,
                }),
                "statement.p",
                "not a probability",
            ),
        ];
        for (e, field, msg) in cases {
            let err = e.normalised(today).unwrap_err();
            assert_eq!(err.field, field, "{err:?}");
            assert!(err.message.contains(msg), "{err:?}");
        }
        let mut e = entry(Statement::Event {
            class: "war".into(),
            p: 0.3,
        });
        e.forecaster = Forecaster {
            name: "crowd".into(),
            model: None,
            source: None,
        };
        assert_eq!(e.normalised(today).unwrap_err().field, "forecaster.source");
        let mut e = entry(Statement::Event {
            class: "war".into(),
            p: 0.3,
        });
        e.as_of = d("2022-01-05");
        assert_eq!(e.normalised(today).unwrap_err().field, "as_of");
        e.as_of = d("2022-01-02");
        assert!(e.normalised(today).is_ok(), "one day of slack");
        let mut e = entry(Statement::Quantiles {
            levels: vec![0.1, 0.5, 0.9],
            values: vec![10.0, 5.0, 50.0],
            point: None,
        });
        e.question.kind = QuestionKind::Continuous {
            min: 0.0,
            max: 100.0,
        };
        assert_eq!(
            e.normalised(today).unwrap_err().field,
            "statement.values[1]"
        );
        e.statement = Statement::Quantiles {
            levels: vec![0.1, 0.5, 0.9],
            values: vec![10.0, 50.0, 150.0],
            point: None,
        };
        assert_eq!(
            e.normalised(today).unwrap_err().field,
            "statement.values[2]"
        );
        e.statement = Statement::Quantiles {
            levels: vec![0.1, 0.1],
            values: vec![10.0, 50.0],
            point: None,
        };
        assert_eq!(
            e.normalised(today).unwrap_err().field,
            "statement.levels[1]"
        );
        e.statement = Statement::Quantiles {
            levels: vec![0.1, 0.9],
            values: vec![10.0, 50.0],
            point: Some(-1.0),
        };
        assert_eq!(e.normalised(today).unwrap_err().field, "statement.point");
    }

    #[test]
    fn outcomes_are_checked_against_the_kind() {
        let k = crisis().kind;
        assert!(k.check_outcome(&Outcome::Class("war".into())).is_ok());
        assert!(k
            .check_outcome(&Outcome::Class("peace".into()))
            .unwrap_err()
            .message
            .contains("not one of the question's classes"));
        assert!(k.check_outcome(&Outcome::Binary(true)).is_err());
        let c = QuestionKind::Continuous {
            min: 0.0,
            max: 100.0,
        };
        assert!(c.check_outcome(&Outcome::Value(100.0)).is_ok());
        assert!(c
            .check_outcome(&Outcome::Value(100.5))
            .unwrap_err()
            .message
            .contains("outside the scale"));
        assert!(c.check_outcome(&Outcome::Value(f64::NAN)).is_err());
    }
}
