//! A scenario crisis's `[crises.onset]` section as onset values for the reference class.
//!
//! The period comes from the onset date ([`period_of`]). An actor's table inherits the crisis's
//! trigger, triggering entity, region, protracted conflict and intra-war values unless it gives
//! its own (ICB2 codes these per actor, and for the first crisis actor they are the crisis's);
//! an actor whose own `date` falls in a later month than the crisis's is a late entrant.
//! Uncertain numbers (the power discrepancy) are taken at their point estimate, or drawn.

use brink_scenario::{Crisis, Date, OnsetActor, OnsetEntry, OnsetKey, OnsetValue, Uncertain};
use serde::Serialize;

use crate::onset::{period_of, ActorOnset, SystemOnset};

/// A scenario crisis's onset values at both levels.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioOnset {
    /// When the crisis began.
    pub date: Date,
    /// The crisis (system level).
    pub system: SystemOnset,
    /// Each crisis actor given (actor level): index into the scenario's actors, its values.
    pub actors: Vec<(usize, ActorOnset)>,
}

/// The onset values of `crisis` at their point estimates (`None` without an onset section).
pub fn onset_from_scenario(crisis: &Crisis) -> Option<ScenarioOnset> {
    onset_from_scenario_with(crisis, &mut |u: &Uncertain| u.point)
}

/// The onset values of `crisis`, each uncertain number given by `draw` (e.g. one Monte Carlo
/// draw; [`onset_from_scenario`] takes the point estimates).
pub fn onset_from_scenario_with(
    crisis: &Crisis,
    draw: &mut dyn FnMut(&Uncertain) -> f64,
) -> Option<ScenarioOnset> {
    let o = crisis.onset.as_ref()?;
    let period = Some(period_of(o.date));
    let code = |e: Option<&OnsetEntry>| match e.map(|e| &e.value) {
        Some(OnsetValue::Code(c)) => u8::try_from(*c).ok(),
        _ => None,
    };
    let entity = |e: Option<&OnsetEntry>| match e.map(|e| &e.value) {
        Some(OnsetValue::Code(c)) => u32::try_from(*c).ok(),
        _ => None,
    };
    let flag = |e: Option<&OnsetEntry>| match e.map(|e| &e.value) {
        Some(OnsetValue::Flag(b)) => Some(*b),
        _ => None,
    };
    let mut number = |e: Option<&OnsetEntry>| match e.map(|e| &e.value) {
        Some(OnsetValue::Number(u)) => Some(draw(u)),
        _ => None,
    };
    let system = SystemOnset {
        period,
        trigger: code(o.get(OnsetKey::Trigger)),
        triggering_entity: entity(o.get(OnsetKey::TriggeringEntity)),
        region: code(o.get(OnsetKey::Region)),
        proximity: code(o.get(OnsetKey::Proximity)),
        protracted: code(o.get(OnsetKey::Protracted)),
        power_discrepancy: number(o.get(OnsetKey::PowerDiscrepancy)),
        ethnic: code(o.get(OnsetKey::Ethnic)),
        intra_war: flag(o.get(OnsetKey::IntraWar)),
        gravity: code(o.get(OnsetKey::Gravity)),
        system_level: code(o.get(OnsetKey::SystemLevel)),
        issues: code(o.get(OnsetKey::Issues)),
    };
    let actors = o
        .actors
        .iter()
        .map(|a: &OnsetActor| {
            let own_or = |k: OnsetKey| a.get(k).or_else(|| o.get(k));
            let late = a
                .date
                .map(|d| (d.year, d.month) > (o.date.year, o.date.month));
            let v = ActorOnset {
                period,
                trigger: code(own_or(OnsetKey::Trigger)),
                triggering_entity: entity(own_or(OnsetKey::TriggeringEntity)),
                trigger_location: code(a.get(OnsetKey::TriggerLocation)),
                threat_source_power: code(a.get(OnsetKey::ThreatSourcePower)),
                issue: code(a.get(OnsetKey::Issue)),
                power_status: code(a.get(OnsetKey::PowerStatus)),
                nuclear: code(a.get(OnsetKey::Nuclear)),
                regime: code(a.get(OnsetKey::Regime)),
                regime_age: code(a.get(OnsetKey::RegimeAge)),
                alliance: code(a.get(OnsetKey::Alliance)),
                territory: code(a.get(OnsetKey::Territory)),
                region: code(own_or(OnsetKey::Region)),
                distance: code(a.get(OnsetKey::Distance)),
                protracted: code(own_or(OnsetKey::Protracted)),
                intra_war: flag(own_or(OnsetKey::IntraWar)),
                power_discrepancy: number(a.get(OnsetKey::PowerDiscrepancy)),
                late_entrant: Some(late.unwrap_or(false)),
                mass_violence: code(a.get(OnsetKey::MassViolence)),
                government_instability: code(a.get(OnsetKey::GovernmentInstability)),
                gravity: code(a.get(OnsetKey::Gravity)),
                system_level: code(a.get(OnsetKey::SystemLevel)),
            };
            (a.actor, v)
        })
        .collect();
    Some(ScenarioOnset {
        date: o.date,
        system,
        actors,
    })
}
