//! The onset values of a crisis: the ICB variables known when it began (`VARIABLES.md`, class
//! ONSET), plus the few NEAR variables that only the labelled `*_near` models read.
//!
//! The types hold nothing else: no outcome variable, no raw IWCMB (its code 2, "initiation of a
//! war", reveals the outcome), no count of crisis actors. A value the source does not give is
//! `None` and becomes the feature's own "missing" level.

use brink_scenario::Date;
use serde::Serialize;

/// The two levels of the ICB data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// One row per crisis (ICB1): the violence of the crisis as a whole.
    System,
    /// One row per crisis actor (ICB2): the violence that actor experienced.
    Actor,
}

impl Level {
    /// `system` or `actor`.
    pub fn name(self) -> &'static str {
        match self {
            Level::System => "system",
            Level::Actor => "actor",
        }
    }
}

/// System-level onset values (ICB1 columns in brackets).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SystemOnset {
    /// Polarity period 1-6 (PERIOD; for a scenario, derived from the onset date by [`period_of`]).
    pub period: Option<u8>,
    /// Trigger type 1-9 (BREAK): 1 verbal act ... 7 non-violent military act, 8 indirect violent
    /// act, 9 violent act.
    pub trigger: Option<u8>,
    /// Triggering entity (TRIGENT): a state's number, 995 internal, 996 non-state actor, 997 more
    /// than one state. Only its kind is used (see [`entity_kind`]).
    pub triggering_entity: Option<u32>,
    /// Region (GEOG, UN regions 9-51), grouped as in `VARIABLES.md` (see [`region_group`]).
    pub region: Option<u8>,
    /// Proximity of the principal adversaries 1-3 (GEOGREL): contiguous, near neighbours, distant.
    pub proximity: Option<u8>,
    /// Conflict setting 1-3 (PROTRAC): non-protracted, protracted, long-war protracted.
    pub protracted: Option<u8>,
    /// Power discrepancy between the adversaries, >= 0 (POWDISSY).
    pub power_discrepancy: Option<f64>,
    /// Ethnicity 1-3 (ETHNIC): secessionist, irredentist, non-ethnic.
    pub ethnic: Option<u8>,
    /// The crisis began inside an ongoing inter-state war (IWCMB >= 3; IWCMB 2 counts as `false`).
    pub intra_war: Option<bool>,
    /// NEAR: gravity of the value threatened 0-7 (GRAVCR), over the whole crisis.
    pub gravity: Option<u8>,
    /// NEAR: system level 1-4 (SYSLEVSY).
    pub system_level: Option<u8>,
    /// NEAR: issue areas 1-5 (ISSUES), including changes during the crisis.
    pub issues: Option<u8>,
}

/// Actor-level onset values of one crisis actor (ICB2 columns in brackets).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ActorOnset {
    /// Polarity period 1-6 (PERIOD).
    pub period: Option<u8>,
    /// Trigger of the actor's crisis 1-9 (TRIGGR, codes as BREAK).
    pub trigger: Option<u8>,
    /// Triggering entity (TRIGENT), as at system level.
    pub triggering_entity: Option<u32>,
    /// Trigger location 1-2 (TRIGLOC): external, internal.
    pub trigger_location: Option<u8>,
    /// Power of the perceived source of threat 1-4 (SOUTHPOW): small, middle, great, superpower.
    pub threat_source_power: Option<u8>,
    /// Most important initial issue area 1-5 (ISSUE).
    pub issue: Option<u8>,
    /// The actor's power status 1-4 (POWSTA).
    pub power_status: Option<u8>,
    /// Nuclear capability 1-4 (NUCLEAR): none, foreseeable, without second strike, second strike.
    pub nuclear: Option<u8>,
    /// Regime 1-5 (REGIME): democratic, civil authoritarian, military direct / indirect / dual.
    pub regime: Option<u8>,
    /// Regime age 1-3 (DURREG): 0-2 years, 3-25 years, more than 25 years.
    pub regime_age: Option<u8>,
    /// Alliance capability 1-4 (ALLYCAP): non-aligned, informal, formal alliance, alliance leader.
    pub alliance: Option<u8>,
    /// Territory 1-3 (TERRIT).
    pub territory: Option<u8>,
    /// Crisis region for the actor (GEOG, codes as ICB1).
    pub region: Option<u8>,
    /// Distance of the actor from the crisis 1-4 (CRACTLOC): home territory ... elsewhere.
    pub distance: Option<u8>,
    /// Conflict setting 1-3 (PC).
    pub protracted: Option<u8>,
    /// Intra-war crisis for the actor (IWC > 1).
    pub intra_war: Option<bool>,
    /// The actor's power minus its principal adversary's, signed (POWDIS).
    pub power_discrepancy: Option<f64>,
    /// The actor's trigger fell in a later month than the crisis's.
    pub late_entrant: Option<bool>,
    /// Mass violence in the preceding years 1-4 (MASSVL).
    pub mass_violence: Option<u8>,
    /// Government instability in the preceding years 1-4 (GVINST).
    pub government_instability: Option<u8>,
    /// NEAR: gravest threat 0-7 (GRAVTY), at any time during the crisis.
    pub gravity: Option<u8>,
    /// NEAR: system level 1-2 (SYSLEV).
    pub system_level: Option<u8>,
}

/// The onset values of one case, at either level.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "level", rename_all = "snake_case")]
pub enum OnsetValues {
    /// A crisis.
    System(SystemOnset),
    /// A crisis actor.
    Actor(ActorOnset),
}

impl OnsetValues {
    /// Which level these values belong to.
    pub fn level(&self) -> Level {
        match self {
            OnsetValues::System(_) => Level::System,
            OnsetValues::Actor(_) => Level::Actor,
        }
    }
}

/// The ICB polarity period (PERIOD) of a date: 1 multipolarity (to 31 Aug 1939), 2 World War II
/// (1 Sep 1939 to 31 May 1945), 3 bipolarity (to 1962), 4 polycentrism I (1963-1989),
/// 5 unipolarity (1990-2010), 6 polycentrism II (2011 on).
///
/// The codebook gives years only (C1 v58); the two wartime boundaries follow the development
/// data's own coding: ENTRY WWII (20 Aug 1939) is period 1 and the Soviet occupation of the
/// Baltics (26 Sep 1939) period 2; FRENCH FORCES/SYRIA (17 May 1945) is period 2 and
/// KARS-ARDAHAN (7 Jun 1945) period 3. A test checks the rule against every development crisis.
pub fn period_of(d: Date) -> u8 {
    let ymd = (d.year, d.month, d.day);
    if ymd < (1939, 9, 1) {
        1
    } else if ymd < (1945, 6, 1) {
        2
    } else if d.year < 1963 {
        3
    } else if d.year < 1990 {
        4
    } else if d.year < 2011 {
        5
    } else {
        6
    }
}

/// The era of a period, for the era base rate: 0 pre-1945 (periods 1-2), 1 Cold War (3-4),
/// 2 post-1989 (5-6).
pub fn era_of(period: u8) -> usize {
    match period {
        0..=2 => 0,
        3 | 4 => 1,
        _ => 2,
    }
}

/// The names of the eras of [`era_of`].
pub const ERAS: [&str; 3] = ["pre-1945", "Cold War", "post-1989"];

/// The kind of a triggering entity (TRIGENT): 0 a state, 1 internal (995), 2 a non-state actor
/// (996), 3 more than one state (997).
pub fn entity_kind(code: u32) -> usize {
    match code {
        995 => 1,
        996 => 2,
        997 => 3,
        _ => 0,
    }
}

/// The region group of a GEOG code, as in `VARIABLES.md`: 0 Asia (9, 11-13, 51), 1 West Asia (10),
/// 2 Middle East (15), 3 Africa (20-24), 4 Europe (30-35), 5 Americas (41-43); `None` for a code
/// outside the codebook.
pub fn region_group(geog: u8) -> Option<usize> {
    match geog {
        9 | 11..=13 | 51 => Some(0),
        10 => Some(1),
        15 => Some(2),
        20..=24 => Some(3),
        30..=35 => Some(4),
        41..=43 => Some(5),
        _ => None,
    }
}

/// The GEOG codes of the codebook.
pub const GEOG_CODES: [i64; 21] = [
    9, 10, 11, 12, 13, 15, 20, 21, 22, 23, 24, 30, 31, 32, 33, 34, 35, 41, 42, 43, 51,
];

/// The VIOL levels in words (index 0 = code 1).
pub const VIOL_WORDS: [&str; 4] = [
    "no violence",
    "minor clashes",
    "serious clashes",
    "full-scale war",
];

/// VIOL in words (`"?"` outside 1-4).
pub fn viol_words(v: u8) -> &'static str {
    match v {
        1..=4 => VIOL_WORDS[v as usize - 1],
        _ => "?",
    }
}
