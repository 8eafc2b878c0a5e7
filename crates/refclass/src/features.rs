//! Onset values as features: every variable categorical, one-hot, with "missing" as its own
//! level, exactly the strict lists of `VARIABLES.md` ("Features the baselines below use"), and the
//! NEAR add-ons only when a `*_near` model asks for them.
//!
//! Column 0 is the intercept. Each feature then takes one column per level plus one for
//! "missing"; a row activates exactly one column per feature, so the design is a list of active
//! column indices per row (all values 1). No level is dropped: the L2 penalty makes the full
//! one-hot coding identifiable and treats every level alike.

use crate::error::{Error, Result};
use crate::onset::{entity_kind, region_group, ActorOnset, Level, OnsetValues, SystemOnset};

/// A feature's level for one case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lv {
    /// Level index (0-based).
    At(usize),
    /// Missing in the source.
    Missing,
    /// A code outside the feature's levels.
    Invalid(i64),
}

type Get<T> = fn(&T) -> Lv;

/// One feature of one level.
#[derive(Clone, Copy)]
pub(crate) struct Feature<T> {
    /// The name used in `VARIABLES.md` (e.g. `powdissy_bin`).
    pub name: &'static str,
    /// Whether it is a NEAR add-on.
    pub near: bool,
    /// Its levels in words (without "missing").
    pub levels: &'static [&'static str],
    pub get: Get<T>,
}

fn code(v: Option<u8>, first: u8, n: usize) -> Lv {
    match v {
        None => Lv::Missing,
        Some(c) if c >= first && ((c - first) as usize) < n => Lv::At((c - first) as usize),
        Some(c) => Lv::Invalid(c as i64),
    }
}

fn flag(v: Option<bool>) -> Lv {
    match v {
        None => Lv::Missing,
        Some(b) => Lv::At(usize::from(b)),
    }
}

fn entity(v: Option<u32>) -> Lv {
    v.map_or(Lv::Missing, |c| Lv::At(entity_kind(c)))
}

fn region(v: Option<u8>) -> Lv {
    match v {
        None => Lv::Missing,
        Some(g) => region_group(g).map_or(Lv::Invalid(g as i64), Lv::At),
    }
}

/// POWDISSY bins: 0, 1-3, 4-8, 9-15, 16+ (half-integer cut points for non-integer values).
pub(crate) fn powdissy_bin(v: Option<f64>) -> Lv {
    match v {
        None => Lv::Missing,
        Some(x) if x < 0.0 || !x.is_finite() => Lv::Invalid(x as i64),
        Some(x) if x < 0.5 => Lv::At(0),
        Some(x) if x < 3.5 => Lv::At(1),
        Some(x) if x < 8.5 => Lv::At(2),
        Some(x) if x < 15.5 => Lv::At(3),
        Some(_) => Lv::At(4),
    }
}

/// POWDIS bins: <= -10, -9..-1, 0, 1..9, >= 10.
pub(crate) fn powdis_bin(v: Option<f64>) -> Lv {
    match v {
        None => Lv::Missing,
        Some(x) if !x.is_finite() => Lv::Invalid(0),
        Some(x) if x < -9.5 => Lv::At(0),
        Some(x) if x <= -0.5 => Lv::At(1),
        Some(x) if x < 0.5 => Lv::At(2),
        Some(x) if x < 9.5 => Lv::At(3),
        Some(_) => Lv::At(4),
    }
}

const PERIOD: &[&str] = &[
    "multipolarity 1918-39",
    "World War II",
    "bipolarity 1945-62",
    "polycentrism I 1963-89",
    "unipolarity 1990-2010",
    "polycentrism II 2011-",
];
const TRIGGER: &[&str] = &[
    "verbal act",
    "political act",
    "economic act",
    "external change",
    "other non-violent act",
    "internal challenge to regime",
    "non-violent military act",
    "indirect violent act",
    "violent act",
];
const ENTITY: &[&str] = &[
    "a state",
    "internal",
    "non-state actor",
    "more than one state",
];
const REGION: &[&str] = &[
    "Asia",
    "West Asia",
    "Middle East",
    "Africa",
    "Europe",
    "Americas",
];
const PROXIMITY: &[&str] = &["contiguous", "near neighbours", "distant"];
const PROTRACTED: &[&str] = &["non-protracted", "protracted", "long-war protracted"];
const ETHNIC: &[&str] = &["secessionist", "irredentist", "non-ethnic"];
const POWDISSY: &[&str] = &["0", "1-3", "4-8", "9-15", "16+"];
const POWDIS: &[&str] = &["<= -10", "-9..-1", "0", "1..9", ">= 10"];
const NO_YES: &[&str] = &["no", "yes"];
const GRAVITY: &[&str] = &[
    "economic",
    "limited military",
    "political",
    "territorial",
    "influence",
    "grave damage",
    "existence",
    "other",
];
const SYSLEVSY: &[&str] = &[
    "subsystem",
    "mainly subsystem",
    "mainly dominant",
    "dominant",
];
const ISSUES: &[&str] = &[
    "one non-military issue",
    "two non-military issues",
    "military-security alone",
    "two incl. military-security",
    "three or more",
];
const LOCATION: &[&str] = &["external", "internal"];
const POWER: &[&str] = &["small", "middle", "great", "superpower"];
const ISSUE: &[&str] = &[
    "military-security",
    "political-diplomatic",
    "economic-developmental",
    "cultural-status",
    "other",
];
const NUCLEAR: &[&str] = &["none", "foreseeable", "no second strike", "second strike"];
const REGIME3: &[&str] = &["democratic", "civil authoritarian", "military"];
const DURREG: &[&str] = &["0-2 years", "3-25 years", "over 25 years"];
const ALLYCAP: &[&str] = &[
    "non-aligned",
    "informal alliance",
    "formal alliance",
    "alliance leader",
];
const TERRIT: &[&str] = &["small", "medium", "large"];
const CRACTLOC: &[&str] = &[
    "home territory",
    "sub-region",
    "same continent",
    "elsewhere",
];
const DOMESTIC: &[&str] = &[
    "significant increase",
    "normal",
    "significant decrease",
    "newly independent",
];
const SYSLEV: &[&str] = &["subsystem", "dominant"];

/// The system-level features: the strict list, then the NEAR add-ons.
pub(crate) const SYSTEM: &[Feature<SystemOnset>] = &[
    Feature {
        name: "period",
        near: false,
        levels: PERIOD,
        get: |o| code(o.period, 1, 6),
    },
    Feature {
        name: "break",
        near: false,
        levels: TRIGGER,
        get: |o| code(o.trigger, 1, 9),
    },
    Feature {
        name: "trigent_kind",
        near: false,
        levels: ENTITY,
        get: |o| entity(o.triggering_entity),
    },
    Feature {
        name: "region",
        near: false,
        levels: REGION,
        get: |o| region(o.region),
    },
    Feature {
        name: "geogrel",
        near: false,
        levels: PROXIMITY,
        get: |o| code(o.proximity, 1, 3),
    },
    Feature {
        name: "protrac",
        near: false,
        levels: PROTRACTED,
        get: |o| code(o.protracted, 1, 3),
    },
    Feature {
        name: "ethnic",
        near: false,
        levels: ETHNIC,
        get: |o| code(o.ethnic, 1, 3),
    },
    Feature {
        name: "powdissy_bin",
        near: false,
        levels: POWDISSY,
        get: |o| powdissy_bin(o.power_discrepancy),
    },
    Feature {
        name: "intra_war",
        near: false,
        levels: NO_YES,
        get: |o| flag(o.intra_war),
    },
    Feature {
        name: "gravcr",
        near: true,
        levels: GRAVITY,
        get: |o| code(o.gravity, 0, 8),
    },
    Feature {
        name: "syslevsy",
        near: true,
        levels: SYSLEVSY,
        get: |o| code(o.system_level, 1, 4),
    },
    Feature {
        name: "issues",
        near: true,
        levels: ISSUES,
        get: |o| code(o.issues, 1, 5),
    },
];

fn regime3(o: &ActorOnset) -> Lv {
    match o.regime {
        None => Lv::Missing,
        Some(1) => Lv::At(0),
        Some(2) => Lv::At(1),
        Some(3..=5) => Lv::At(2),
        Some(c) => Lv::Invalid(c as i64),
    }
}

/// The actor-level features: the strict list, then the NEAR add-ons.
pub(crate) const ACTOR: &[Feature<ActorOnset>] = &[
    Feature {
        name: "period",
        near: false,
        levels: PERIOD,
        get: |o| code(o.period, 1, 6),
    },
    Feature {
        name: "triggr",
        near: false,
        levels: TRIGGER,
        get: |o| code(o.trigger, 1, 9),
    },
    Feature {
        name: "trigent_kind",
        near: false,
        levels: ENTITY,
        get: |o| entity(o.triggering_entity),
    },
    Feature {
        name: "trigloc",
        near: false,
        levels: LOCATION,
        get: |o| code(o.trigger_location, 1, 2),
    },
    Feature {
        name: "southpow",
        near: false,
        levels: POWER,
        get: |o| code(o.threat_source_power, 1, 4),
    },
    Feature {
        name: "issue",
        near: false,
        levels: ISSUE,
        get: |o| code(o.issue, 1, 5),
    },
    Feature {
        name: "powsta",
        near: false,
        levels: POWER,
        get: |o| code(o.power_status, 1, 4),
    },
    Feature {
        name: "nuclear",
        near: false,
        levels: NUCLEAR,
        get: |o| code(o.nuclear, 1, 4),
    },
    Feature {
        name: "regime3",
        near: false,
        levels: REGIME3,
        get: regime3,
    },
    Feature {
        name: "durreg",
        near: false,
        levels: DURREG,
        get: |o| code(o.regime_age, 1, 3),
    },
    Feature {
        name: "allycap",
        near: false,
        levels: ALLYCAP,
        get: |o| code(o.alliance, 1, 4),
    },
    Feature {
        name: "territ",
        near: false,
        levels: TERRIT,
        get: |o| code(o.territory, 1, 3),
    },
    Feature {
        name: "region",
        near: false,
        levels: REGION,
        get: |o| region(o.region),
    },
    Feature {
        name: "cractloc",
        near: false,
        levels: CRACTLOC,
        get: |o| code(o.distance, 1, 4),
    },
    Feature {
        name: "pc",
        near: false,
        levels: PROTRACTED,
        get: |o| code(o.protracted, 1, 3),
    },
    Feature {
        name: "intra_war",
        near: false,
        levels: NO_YES,
        get: |o| flag(o.intra_war),
    },
    Feature {
        name: "powdis_bin",
        near: false,
        levels: POWDIS,
        get: |o| powdis_bin(o.power_discrepancy),
    },
    Feature {
        name: "late_entrant",
        near: false,
        levels: NO_YES,
        get: |o| flag(o.late_entrant),
    },
    Feature {
        name: "massvl",
        near: false,
        levels: DOMESTIC,
        get: |o| code(o.mass_violence, 1, 4),
    },
    Feature {
        name: "gvinst",
        near: false,
        levels: DOMESTIC,
        get: |o| code(o.government_instability, 1, 4),
    },
    Feature {
        name: "gravty",
        near: true,
        levels: GRAVITY,
        get: |o| code(o.gravity, 0, 8),
    },
    Feature {
        name: "syslev",
        near: true,
        levels: SYSLEV,
        get: |o| code(o.system_level, 1, 2),
    },
];

/// The features of one model (a level, strict or with the NEAR add-ons) and its column layout.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Encoder {
    pub level: Level,
    pub near: bool,
    /// Index into `SYSTEM` or `ACTOR` of each feature used.
    pub feats: Vec<usize>,
    /// First column of each used feature.
    pub start: Vec<usize>,
    /// Total columns, intercept included.
    pub width: usize,
}

impl Encoder {
    pub(crate) fn new(level: Level, near: bool) -> Self {
        let all: Vec<(bool, usize)> = match level {
            Level::System => SYSTEM.iter().map(|f| (f.near, f.levels.len())).collect(),
            Level::Actor => ACTOR.iter().map(|f| (f.near, f.levels.len())).collect(),
        };
        let mut feats = Vec::new();
        let mut start = Vec::new();
        let mut width = 1;
        for (i, (is_near, n)) in all.into_iter().enumerate() {
            if is_near && !near {
                continue;
            }
            feats.push(i);
            start.push(width);
            width += n + 1;
        }
        Encoder {
            level,
            near,
            feats,
            start,
            width,
        }
    }

    /// Name, levels (with "missing" last) of used feature `k`.
    pub(crate) fn feature(&self, k: usize) -> (&'static str, &'static [&'static str]) {
        let i = self.feats[k];
        match self.level {
            Level::System => (SYSTEM[i].name, SYSTEM[i].levels),
            Level::Actor => (ACTOR[i].name, ACTOR[i].levels),
        }
    }

    /// The level of each used feature.
    pub(crate) fn levels_of(&self, x: &OnsetValues) -> Result<Vec<Lv>> {
        let lv: Vec<Lv> = match (self.level, x) {
            (Level::System, OnsetValues::System(o)) => {
                self.feats.iter().map(|&i| (SYSTEM[i].get)(o)).collect()
            }
            (Level::Actor, OnsetValues::Actor(o)) => {
                self.feats.iter().map(|&i| (ACTOR[i].get)(o)).collect()
            }
            (l, x) => {
                return Err(Error::Mismatch(format!(
                    "{}-level onset values given to a {}-level model",
                    x.level().name(),
                    l.name()
                )))
            }
        };
        for (k, v) in lv.iter().enumerate() {
            if let Lv::Invalid(c) = v {
                let (name, _) = self.feature(k);
                return Err(Error::Mismatch(format!(
                    "onset value {c} of `{name}` is not one of its codes"
                )));
            }
        }
        Ok(lv)
    }

    /// The active columns of a case: the intercept, then one per feature.
    pub(crate) fn encode(&self, x: &OnsetValues) -> Result<Vec<u32>> {
        let lv = self.levels_of(x)?;
        let mut out = Vec::with_capacity(lv.len() + 1);
        out.push(0);
        for (k, v) in lv.iter().enumerate() {
            let (_, levels) = self.feature(k);
            let j = match v {
                Lv::At(j) => *j,
                _ => levels.len(),
            };
            out.push((self.start[k] + j) as u32);
        }
        Ok(out)
    }

    /// Whether the case's trigger (BREAK or TRIGGR) is a violent act (code 9); `None` if not
    /// given.
    pub(crate) fn violent_trigger(&self, x: &OnsetValues) -> Result<Option<bool>> {
        let t = match x {
            OnsetValues::System(o) => o.trigger,
            OnsetValues::Actor(o) => o.trigger,
        };
        match t {
            None => Ok(None),
            Some(c @ 1..=9) => Ok(Some(c == 9)),
            Some(c) => Err(Error::Mismatch(format!(
                "onset value {c} of the trigger is not one of its codes (1-9)"
            ))),
        }
    }

    /// The name of column `c`: `intercept` or `feature = level`.
    pub(crate) fn column_name(&self, c: usize) -> String {
        if c == 0 {
            return "intercept".into();
        }
        let k = self.start.iter().rposition(|&s| s <= c).unwrap_or(0);
        let (name, levels) = self.feature(k);
        let j = c - self.start[k];
        let l = levels.get(j).copied().unwrap_or("missing");
        format!("{name} = {l}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_lists_match_variables_md() {
        let s: Vec<&str> = SYSTEM.iter().filter(|f| !f.near).map(|f| f.name).collect();
        assert_eq!(
            s,
            [
                "period",
                "break",
                "trigent_kind",
                "region",
                "geogrel",
                "protrac",
                "ethnic",
                "powdissy_bin",
                "intra_war"
            ]
        );
        let a: Vec<&str> = ACTOR.iter().filter(|f| !f.near).map(|f| f.name).collect();
        assert_eq!(a.len(), 20);
        let near: Vec<&str> = ACTOR.iter().filter(|f| f.near).map(|f| f.name).collect();
        assert_eq!(near, ["gravty", "syslev"]);
    }

    #[test]
    fn bins() {
        let b = |x: f64| match powdissy_bin(Some(x)) {
            Lv::At(i) => i,
            _ => 99,
        };
        assert_eq!(
            [0.0, 1.0, 3.0, 4.0, 8.0, 9.0, 15.0, 16.0, 97.0].map(b),
            [0, 1, 1, 2, 2, 3, 3, 4, 4]
        );
        let d = |x: f64| match powdis_bin(Some(x)) {
            Lv::At(i) => i,
            _ => 99,
        };
        assert_eq!(
            [-97.0, -10.0, -9.0, -1.0, 0.0, 1.0, 9.0, 10.0, 65.0].map(d),
            [0, 0, 1, 1, 2, 3, 3, 4, 4]
        );
    }

    #[test]
    fn one_column_per_feature() {
        let e = Encoder::new(Level::System, false);
        let x = OnsetValues::System(SystemOnset {
            trigger: Some(9),
            ..Default::default()
        });
        let cols = e.encode(&x).unwrap();
        assert_eq!(cols.len(), 1 + 9);
        assert_eq!(e.column_name(cols[2] as usize), "break = violent act");
        assert_eq!(e.column_name(cols[1] as usize), "period = missing");
        let wrong = OnsetValues::Actor(ActorOnset::default());
        assert!(e.encode(&wrong).is_err());
    }
}
