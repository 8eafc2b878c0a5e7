//! A crisis's onset section (`[crises.onset]`): the International Crisis Behavior (ICB)
//! variables known when the crisis began, each with its evidence, for the reference class (the
//! outside view, crate `brink-refclass`).
//!
//! Values are the ICB codebook's (v15; Brecher, Wilkenfeld, Beardsley, James & Quinn 2023):
//! written in the codebook's words (`value = "non-violent military act"`) or as its code
//! (`value = 7`); a power discrepancy is an uncertain number; `intra_war` a boolean. The
//! crisis-level keys describe the crisis; `[[crises.onset.actors]]` describes each crisis actor
//! (the actor-level model forecasts the violence each of them experiences). Documented in
//! `docs/scenario-format.md`.

use std::collections::HashMap;

use serde::Serialize;

use crate::diag::Sink;
use crate::load::evidence;
use crate::model::{Date, Evidence, Source, Uncertain};
use crate::node::{Kind, Node};
use crate::read::*;

/// One onset variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OnsetKey {
    /// Trigger type (ICB BREAK / TRIGGR), codes 1-9.
    Trigger,
    /// Triggering entity (TRIGENT): a state (its number, or the word), 995 internal, 996
    /// non-state actor, 997 more than one state.
    TriggeringEntity,
    /// Power discrepancy (POWDISSY >= 0 for the crisis; POWDIS, signed, for an actor).
    PowerDiscrepancy,
    /// Geographic proximity of the principal adversaries (GEOGREL), 1-3.
    Proximity,
    /// Protracted conflict (PROTRAC / PC), 1-3.
    Protracted,
    /// The crisis began inside an ongoing inter-state war (IWCMB >= 3 / IWC > 1): a boolean.
    IntraWar,
    /// Region (GEOG), UN regions 9-51.
    Region,
    /// Ethnicity-related (ETHNIC), 1-3.
    Ethnic,
    /// NEAR: gravity of the threat (GRAVCR / GRAVTY), 0-7.
    Gravity,
    /// NEAR: system level (SYSLEVSY 1-4 for the crisis; SYSLEV 1-2 for an actor).
    SystemLevel,
    /// NEAR: issue areas (ISSUES), 1-5, crisis only.
    Issues,
    /// Trigger location (TRIGLOC), actor only: 1 external, 2 internal.
    TriggerLocation,
    /// Power of the perceived source of threat (SOUTHPOW), actor only, 1-4.
    ThreatSourcePower,
    /// Most important initial issue area (ISSUE), actor only, 1-5.
    Issue,
    /// Power status (POWSTA), actor only, 1-4.
    PowerStatus,
    /// Nuclear capability (NUCLEAR), actor only, 1-4.
    Nuclear,
    /// Regime type (REGIME), actor only, 1-5.
    Regime,
    /// Regime age (DURREG), actor only, 1-3.
    RegimeAge,
    /// Alliance capability (ALLYCAP), actor only, 1-4.
    Alliance,
    /// Territory size (TERRIT), actor only, 1-3.
    Territory,
    /// Distance of the actor from the crisis (CRACTLOC), actor only, 1-4.
    Distance,
    /// Mass violence in the preceding years (MASSVL), actor only, 1-4.
    MassViolence,
    /// Government instability in the preceding years (GVINST), actor only, 1-4.
    GovernmentInstability,
}

/// Where an onset key may appear.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnsetScope {
    /// `[crises.onset]`: the crisis.
    Crisis,
    /// `[[crises.onset.actors]]`: one crisis actor.
    Actor,
}

/// What kind of value a key takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OnsetKind {
    /// A codebook code, written as one of these words or as the code.
    Code(&'static [(i64, &'static str)]),
    /// A triggering entity: a state's number (2-990), 995, 996 or 997, or a word.
    Entity,
    /// An uncertain number in [lo, hi].
    Number(f64, f64),
    /// A boolean.
    Flag,
}

/// The code brink stores for a triggering entity given as the word "state" (ICB itself stores
/// the state's number, and no state has number 1).
pub const ENTITY_STATE: i64 = 1;

const TRIGGER: &[(i64, &str)] = &[
    (1, "verbal act"),
    (2, "political act"),
    (3, "economic act"),
    (4, "external change"),
    (5, "other non-violent act"),
    (6, "internal challenge to regime"),
    (7, "non-violent military act"),
    (8, "indirect violent act"),
    (9, "violent act"),
];
const ENTITY: &[(i64, &str)] = &[
    (ENTITY_STATE, "state"),
    (995, "internal"),
    (996, "non-state actor"),
    (997, "more than one state"),
];
const PROXIMITY: &[(i64, &str)] = &[
    (1, "contiguous"),
    (2, "near neighbours"),
    (2, "near neighbors"),
    (3, "distant"),
];
const PROTRACTED: &[(i64, &str)] = &[
    (1, "non-protracted"),
    (2, "protracted"),
    (3, "long-war protracted"),
];
const REGION: &[(i64, &str)] = &[
    (9, "Central Asia"),
    (10, "West Asia"),
    (11, "East Asia"),
    (12, "South-East Asia"),
    (13, "South Asia"),
    (15, "Middle East"),
    (20, "West Africa"),
    (21, "North Africa"),
    (22, "East Africa"),
    (23, "Southern Africa"),
    (24, "Central Africa"),
    (30, "Euro-Asia"),
    (31, "East Europe"),
    (32, "Central Europe"),
    (33, "West Europe"),
    (34, "North Europe"),
    (35, "South Europe"),
    (41, "North America"),
    (42, "Central America"),
    (43, "South America"),
    (51, "Australasia"),
];
const ETHNIC: &[(i64, &str)] = &[(1, "secessionist"), (2, "irredentist"), (3, "non-ethnic")];
const GRAVITY: &[(i64, &str)] = &[
    (0, "economic"),
    (1, "limited military"),
    (2, "political"),
    (3, "territorial"),
    (4, "influence"),
    (5, "grave damage"),
    (6, "existence"),
    (7, "other"),
];
const SYSLEVSY: &[(i64, &str)] = &[
    (1, "subsystem"),
    (2, "mainly subsystem"),
    (3, "mainly dominant"),
    (4, "dominant"),
];
const SYSLEV: &[(i64, &str)] = &[(1, "subsystem"), (2, "dominant")];
const ISSUES: &[(i64, &str)] = &[
    (1, "one non-military issue"),
    (2, "two non-military issues"),
    (3, "military-security alone"),
    (4, "two including military-security"),
    (5, "three or more"),
];
const LOCATION: &[(i64, &str)] = &[(1, "external"), (2, "internal")];
const POWER: &[(i64, &str)] = &[(1, "small"), (2, "middle"), (3, "great"), (4, "superpower")];
const ISSUE: &[(i64, &str)] = &[
    (1, "military-security"),
    (2, "political-diplomatic"),
    (3, "economic-developmental"),
    (4, "cultural-status"),
    (5, "other"),
];
const NUCLEAR: &[(i64, &str)] = &[
    (1, "none"),
    (2, "foreseeable"),
    (3, "without second strike"),
    (4, "second strike"),
];
const REGIME: &[(i64, &str)] = &[
    (1, "democratic"),
    (2, "civil authoritarian"),
    (3, "military direct"),
    (4, "military indirect"),
    (5, "military dual authority"),
];
const REGIME_AGE: &[(i64, &str)] = &[
    (1, "0-2 years"),
    (2, "3-25 years"),
    (3, "more than 25 years"),
];
const ALLIANCE: &[(i64, &str)] = &[
    (1, "non-aligned"),
    (2, "informal alliance"),
    (3, "formal alliance"),
    (4, "alliance leader"),
];
const TERRITORY: &[(i64, &str)] = &[(1, "small"), (2, "medium"), (3, "large")];
const DISTANCE: &[(i64, &str)] = &[
    (1, "home territory"),
    (2, "sub-region"),
    (3, "same continent"),
    (4, "elsewhere"),
];
const DOMESTIC: &[(i64, &str)] = &[
    (1, "significant increase"),
    (2, "normal"),
    (3, "significant decrease"),
    (4, "newly independent"),
];

impl OnsetKey {
    /// Every key with its TOML name.
    pub const ALL: [(OnsetKey, &'static str); 23] = [
        (OnsetKey::Trigger, "trigger"),
        (OnsetKey::TriggeringEntity, "triggering_entity"),
        (OnsetKey::PowerDiscrepancy, "power_discrepancy"),
        (OnsetKey::Proximity, "proximity"),
        (OnsetKey::Protracted, "protracted"),
        (OnsetKey::IntraWar, "intra_war"),
        (OnsetKey::Region, "region"),
        (OnsetKey::Ethnic, "ethnic"),
        (OnsetKey::Gravity, "gravity"),
        (OnsetKey::SystemLevel, "system_level"),
        (OnsetKey::Issues, "issues"),
        (OnsetKey::TriggerLocation, "trigger_location"),
        (OnsetKey::ThreatSourcePower, "threat_source_power"),
        (OnsetKey::Issue, "issue"),
        (OnsetKey::PowerStatus, "power_status"),
        (OnsetKey::Nuclear, "nuclear"),
        (OnsetKey::Regime, "regime"),
        (OnsetKey::RegimeAge, "regime_age"),
        (OnsetKey::Alliance, "alliance"),
        (OnsetKey::Territory, "territory"),
        (OnsetKey::Distance, "distance"),
        (OnsetKey::MassViolence, "mass_violence"),
        (OnsetKey::GovernmentInstability, "government_instability"),
    ];

    /// The TOML name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    /// The ICB column it stands for at this scope (`None` where the key does not belong).
    pub fn icb(self, scope: OnsetScope) -> Option<&'static str> {
        use OnsetKey::*;
        use OnsetScope::*;
        Some(match (self, scope) {
            (Trigger, Crisis) => "BREAK",
            (Trigger, Actor) => "TRIGGR",
            (TriggeringEntity, _) => "TRIGENT",
            (PowerDiscrepancy, Crisis) => "POWDISSY",
            (PowerDiscrepancy, Actor) => "POWDIS",
            (Proximity, Crisis) => "GEOGREL",
            (Protracted, Crisis) => "PROTRAC",
            (Protracted, Actor) => "PC",
            (IntraWar, Crisis) => "IWCMB",
            (IntraWar, Actor) => "IWC",
            (Region, _) => "GEOG",
            (Ethnic, Crisis) => "ETHNIC",
            (Gravity, Crisis) => "GRAVCR",
            (Gravity, Actor) => "GRAVTY",
            (SystemLevel, Crisis) => "SYSLEVSY",
            (SystemLevel, Actor) => "SYSLEV",
            (Issues, Crisis) => "ISSUES",
            (TriggerLocation, Actor) => "TRIGLOC",
            (ThreatSourcePower, Actor) => "SOUTHPOW",
            (Issue, Actor) => "ISSUE",
            (PowerStatus, Actor) => "POWSTA",
            (Nuclear, Actor) => "NUCLEAR",
            (Regime, Actor) => "REGIME",
            (RegimeAge, Actor) => "DURREG",
            (Alliance, Actor) => "ALLYCAP",
            (Territory, Actor) => "TERRIT",
            (Distance, Actor) => "CRACTLOC",
            (MassViolence, Actor) => "MASSVL",
            (GovernmentInstability, Actor) => "GVINST",
            _ => return None,
        })
    }

    /// Whether the variable is NEAR (coded over the whole crisis; read only by the labelled
    /// `*_near` models).
    pub fn near(self) -> bool {
        matches!(
            self,
            OnsetKey::Gravity | OnsetKey::SystemLevel | OnsetKey::Issues
        )
    }

    /// The kind of value the key takes at this scope.
    pub fn kind(self, scope: OnsetScope) -> OnsetKind {
        use OnsetKey::*;
        match self {
            Trigger => OnsetKind::Code(TRIGGER),
            TriggeringEntity => OnsetKind::Entity,
            PowerDiscrepancy => match scope {
                OnsetScope::Crisis => OnsetKind::Number(0.0, 179.0),
                OnsetScope::Actor => OnsetKind::Number(-179.0, 179.0),
            },
            Proximity => OnsetKind::Code(PROXIMITY),
            Protracted => OnsetKind::Code(PROTRACTED),
            IntraWar => OnsetKind::Flag,
            Region => OnsetKind::Code(REGION),
            Ethnic => OnsetKind::Code(ETHNIC),
            Gravity => OnsetKind::Code(GRAVITY),
            SystemLevel => match scope {
                OnsetScope::Crisis => OnsetKind::Code(SYSLEVSY),
                OnsetScope::Actor => OnsetKind::Code(SYSLEV),
            },
            Issues => OnsetKind::Code(ISSUES),
            TriggerLocation => OnsetKind::Code(LOCATION),
            ThreatSourcePower | PowerStatus => OnsetKind::Code(POWER),
            Issue => OnsetKind::Code(ISSUE),
            Nuclear => OnsetKind::Code(NUCLEAR),
            Regime => OnsetKind::Code(REGIME),
            RegimeAge => OnsetKind::Code(REGIME_AGE),
            Alliance => OnsetKind::Code(ALLIANCE),
            Territory => OnsetKind::Code(TERRITORY),
            Distance => OnsetKind::Code(DISTANCE),
            MassViolence | GovernmentInstability => OnsetKind::Code(DOMESTIC),
        }
    }

    /// The codebook's words for a code of this key (the first listed), if it has words.
    pub fn word(self, scope: OnsetScope, code: i64) -> Option<&'static str> {
        match self.kind(scope) {
            OnsetKind::Code(words) => words.iter().find(|(c, _)| *c == code).map(|(_, w)| *w),
            OnsetKind::Entity => Some(match code {
                995 => "internal",
                996 => "non-state actor",
                997 => "more than one state",
                _ => "state",
            }),
            _ => None,
        }
    }

    /// The keys allowed at a scope.
    pub fn at(scope: OnsetScope) -> impl Iterator<Item = (OnsetKey, &'static str)> {
        Self::ALL
            .into_iter()
            .filter(move |(k, _)| k.icb(scope).is_some())
    }
}

/// The value of an onset entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnsetValue {
    /// A codebook code (for the triggering entity: a state's number, [`ENTITY_STATE`], 995, 996
    /// or 997).
    Code(i64),
    /// A number, possibly uncertain.
    Number(Uncertain),
    /// A yes/no.
    Flag(bool),
}

/// One onset variable with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnsetEntry {
    /// Which variable.
    pub key: OnsetKey,
    /// Its value.
    pub value: OnsetValue,
    /// Why.
    pub evidence: Evidence,
}

/// The actor-level onset values of one crisis actor.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnsetActor {
    /// Index into the scenario's actors.
    pub actor: usize,
    /// The actor's own trigger date, if later than the crisis's (it is then a late entrant).
    pub date: Option<Date>,
    /// Its variables, in file order.
    pub entries: Vec<OnsetEntry>,
}

/// A crisis's onset section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Onset {
    /// When the crisis began (its trigger), on or before the scenario's `as_of`.
    pub date: Date,
    /// Crisis-level variables, in file order.
    pub entries: Vec<OnsetEntry>,
    /// Crisis actors.
    pub actors: Vec<OnsetActor>,
}

impl Onset {
    /// The crisis-level entry for `key`, if given.
    pub fn get(&self, key: OnsetKey) -> Option<&OnsetEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

impl OnsetActor {
    /// The entry for `key`, if given.
    pub fn get(&self, key: OnsetKey) -> Option<&OnsetEntry> {
        self.entries.iter().find(|e| e.key == key)
    }
}

/// Lower case, `-` and `_` as spaces, single spaces.
fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn allowed_words(words: &[(i64, &str)]) -> String {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for (c, w) in words {
        if !seen.contains(c) {
            seen.push(*c);
            out.push(format!("\"{w}\" ({c})"));
        }
    }
    out.join(", ")
}

/// The context of an onset section: ids and sources of the scenario, its cut-off.
pub(crate) struct OnsetCtx<'a> {
    pub actor_ids: &'a HashMap<String, usize>,
    pub sources: &'a [Source],
    pub source_ids: &'a HashMap<String, usize>,
    pub as_of: Option<Date>,
}

/// Reads the value of one entry (`value` of its table).
fn value(
    sink: &mut Sink,
    n: &Node,
    path: &str,
    key: OnsetKey,
    scope: OnsetScope,
) -> Option<OnsetValue> {
    let name = key.name();
    match key.kind(scope) {
        OnsetKind::Flag => match n.kind {
            Kind::Bool(b) => Some(OnsetValue::Flag(b)),
            _ => {
                sink.error(
                    n.at,
                    path,
                    format!("`{name}` is true or false, found {}", n.type_name()),
                );
                None
            }
        },
        OnsetKind::Number(lo, hi) => {
            uncertain(sink, n, path, Range::closed(lo, hi)).map(OnsetValue::Number)
        }
        OnsetKind::Code(_) | OnsetKind::Entity if matches!(n.kind, Kind::Str(_) | Kind::Int(_)) => {
            let words = match key.kind(scope) {
                OnsetKind::Code(w) => w,
                _ => ENTITY,
            };
            let entity = matches!(key.kind(scope), OnsetKind::Entity);
            let hint = if entity {
                format!(
                    "{}, or a state's number (2-990)",
                    allowed_words(words)
                        .replace(&format!("\"state\" ({ENTITY_STATE})"), "\"state\"")
                )
            } else {
                format!("{}, or the code", allowed_words(words))
            };
            match &n.kind {
                Kind::Str(s) => {
                    let want = norm(s);
                    match words.iter().find(|(_, w)| norm(w) == want) {
                        Some((c, _)) => Some(OnsetValue::Code(*c)),
                        None => {
                            sink.error(
                                n.at,
                                path,
                                format!("unknown {name} `{s}`: expected one of {hint}"),
                            );
                            None
                        }
                    }
                }
                Kind::Int(c) => {
                    let ok = if entity {
                        (2..=990).contains(c) || (995..=997).contains(c)
                    } else {
                        words.iter().any(|(w, _)| w == c)
                    };
                    if ok {
                        Some(OnsetValue::Code(*c))
                    } else {
                        sink.error(
                            n.at,
                            path,
                            format!("{c} is not a code of {name}: expected one of {hint}"),
                        );
                        None
                    }
                }
                _ => None,
            }
        }
        _ => {
            sink.error(
                n.at,
                path,
                format!(
                    "`{name}` is one of the codebook's words (a string) or its code (an integer), found {}",
                    n.type_name()
                ),
            );
            None
        }
    }
}

/// Reads the entries of an onset table (crisis or actor) whose keys are onset keys.
fn entries(
    sink: &mut Sink,
    f: &Fields<'_>,
    scope: OnsetScope,
    cx: &OnsetCtx<'_>,
) -> Vec<OnsetEntry> {
    let mut out = Vec::new();
    for (key, kname) in OnsetKey::at(scope) {
        let Some(n) = f.get(kname) else { continue };
        let p = f.sub(kname);
        let Some(t) = table(sink, n, &p, &["value", "evidence", "assumed", "note"]) else {
            continue;
        };
        let v =
            required(sink, &t, "value").and_then(|v| value(sink, v, &t.sub("value"), key, scope));
        let ev = evidence(sink, &t, cx.sources, cx.source_ids, cx.as_of, true);
        if let Some(n) = t.get("note") {
            string(sink, n, &t.sub("note"));
        }
        if let (Some(value), Some(evidence)) = (v, ev) {
            out.push(OnsetEntry {
                key,
                value,
                evidence,
            });
        }
    }
    out
}

/// Reads `[crises.onset]` at `node` (path `path`).
pub(crate) fn read(sink: &mut Sink, node: &Node, path: &str, cx: &OnsetCtx<'_>) -> Option<Onset> {
    let before = sink.count();
    let mut keys: Vec<&str> = vec!["date", "note", "actors"];
    keys.extend(OnsetKey::at(OnsetScope::Crisis).map(|(_, n)| n));
    let f = table(sink, node, path, &keys)?;
    let onset_date = required(sink, &f, "date").and_then(|n| {
        let d = date(sink, n, &f.sub("date"))?;
        if let Some(a) = cx.as_of {
            if d > a {
                sink.error(
                    n.at,
                    &f.sub("date"),
                    format!("the crisis's onset {d} is after the scenario's as_of {a}: an onset section describes a crisis that has begun"),
                );
                return None;
            }
        }
        Some(d)
    });
    if let Some(n) = f.get("note") {
        string(sink, n, &f.sub("note"));
    }
    let items = entries(sink, &f, OnsetScope::Crisis, cx);
    let mut actors: Vec<OnsetActor> = Vec::new();
    if let Some(n) = f.get("actors") {
        let ap = f.sub("actors");
        if let Some(list) = array(sink, n, &ap) {
            let mut akeys: Vec<&str> = vec!["actor", "date", "note"];
            akeys.extend(OnsetKey::at(OnsetScope::Actor).map(|(_, n)| n));
            for (i, it) in list.iter().enumerate() {
                let p = format!("{ap}[{i}]");
                let Some(t) = table(sink, it, &p, &akeys) else {
                    continue;
                };
                let actor = required(sink, &t, "actor").and_then(|n| {
                    let id = nonempty(sink, n, &t.sub("actor"))?;
                    let k = cx.actor_ids.get(&id).copied();
                    if k.is_none() {
                        let known: Vec<&str> = cx.actor_ids.keys().map(|s| s.as_str()).collect();
                        sink.error(
                            n.at,
                            &t.sub("actor"),
                            format!("unknown actor `{id}`{}", suggest(&id, &known)),
                        );
                    }
                    k
                });
                let own = t.get("date").and_then(|n| {
                    let d = date(sink, n, &t.sub("date"))?;
                    if let Some(a) = cx.as_of {
                        if d > a {
                            sink.error(
                                n.at,
                                &t.sub("date"),
                                format!(
                                    "the actor's trigger {d} is after the scenario's as_of {a}"
                                ),
                            );
                            return None;
                        }
                    }
                    if let Some(c) = onset_date.filter(|c| d < *c) {
                        sink.error(
                            n.at,
                            &t.sub("date"),
                            format!("the actor's trigger {d} is before the crisis's onset {c}"),
                        );
                        return None;
                    }
                    Some(d)
                });
                if let Some(n) = t.get("note") {
                    string(sink, n, &t.sub("note"));
                }
                let es = entries(sink, &t, OnsetScope::Actor, cx);
                if let Some(a) = actor {
                    if actors.iter().any(|x| x.actor == a) {
                        sink.error(
                            it.at,
                            &t.sub("actor"),
                            "this actor already has an onset entry in this crisis",
                        );
                        continue;
                    }
                    actors.push(OnsetActor {
                        actor: a,
                        date: own,
                        entries: es,
                    });
                }
            }
        }
    }
    if sink.count() > before {
        return None;
    }
    Some(Onset {
        date: onset_date?,
        entries: items,
        actors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_a_column_and_words() {
        for (k, name) in OnsetKey::ALL {
            assert!(
                k.icb(OnsetScope::Crisis).is_some() || k.icb(OnsetScope::Actor).is_some(),
                "{name}"
            );
            assert_eq!(k.name(), name);
        }
        assert_eq!(OnsetKey::at(OnsetScope::Crisis).count(), 11);
        assert_eq!(OnsetKey::at(OnsetScope::Actor).count(), 20);
        assert_eq!(
            OnsetKey::Trigger.word(OnsetScope::Crisis, 7),
            Some("non-violent military act")
        );
        assert_eq!(
            norm("Non-Violent  military_act"),
            "non violent military act"
        );
    }
}
