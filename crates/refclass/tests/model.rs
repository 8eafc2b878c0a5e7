//! The reference class's behaviour: coherent probabilities and intervals, the violent-trigger
//! rule, the nearest crises, the before-date rule, the NEAR label, determinism, and a
//! scenario's onset section as input.

use brink_refclass::icb::{self, IcbData};
use brink_refclass::onset::period_of;
use brink_refclass::{
    onset_from_scenario, onset_from_scenario_with, ActorOnset, Error, FitOptions, Level,
    OnsetValues, ReferenceClass, SystemOnset,
};
use brink_scenario::{Date, Dist};
use proptest::prelude::*;

fn system() -> ReferenceClass {
    ReferenceClass::builtin(Level::System, None).unwrap()
}

fn actor() -> ReferenceClass {
    ReferenceClass::builtin(Level::Actor, None).unwrap()
}

fn opt<T: std::fmt::Debug + Clone + 'static>(
    s: impl Strategy<Value = T> + 'static,
) -> BoxedStrategy<Option<T>> {
    prop_oneof![1 => Just(None), 4 => s.prop_map(Some)].boxed()
}

fn system_onset() -> impl Strategy<Value = SystemOnset> {
    (
        (
            opt(1u8..=6),
            opt(1u8..=9),
            opt(prop_oneof![
                Just(2u32),
                Just(365),
                Just(995),
                Just(996),
                Just(997)
            ]),
        ),
        (
            opt(prop::sample::select(vec![9u8, 10, 13, 15, 22, 31, 42, 51])),
            opt(1u8..=3),
            opt(1u8..=3),
        ),
        (opt(0.0f64..120.0), opt(1u8..=3), opt(any::<bool>())),
    )
        .prop_map(
            |((period, trigger, ent), (region, prox, prot), (pd, eth, iw))| SystemOnset {
                period,
                trigger,
                triggering_entity: ent,
                region,
                proximity: prox,
                protracted: prot,
                power_discrepancy: pd,
                ethnic: eth,
                intra_war: iw,
                ..Default::default()
            },
        )
}

fn check_coherent(v: &brink_refclass::OutsideView) {
    let p = [v.p_violence, v.p_serious_or_war, v.p_war];
    assert!(p.iter().all(|x| (0.0..=1.0).contains(x)), "{p:?}");
    assert!(p[0] >= p[1] && p[1] >= p[2], "{p:?}");
    let total: f64 = v.distribution.iter().sum();
    assert!((total - 1.0).abs() < 1e-12);
    assert!(
        v.distribution.iter().all(|d| *d >= -1e-15),
        "{:?}",
        v.distribution
    );
    for t in 0..3 {
        let iv = v.intervals[t];
        assert!(
            0.0 <= iv.lo && iv.lo <= p[t] && p[t] <= iv.hi && iv.hi <= 1.0,
            "{t}: {iv:?} {p:?}"
        );
    }
    for t in 0..2 {
        assert!(v.intervals[t].lo >= v.intervals[t + 1].lo);
        assert!(v.intervals[t].hi >= v.intervals[t + 1].hi);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn forecasts_are_coherent_for_any_onset(o in system_onset()) {
        let v = system().predict(&OnsetValues::System(o)).unwrap();
        check_coherent(&v);
    }

    #[test]
    fn actor_forecasts_are_coherent(
        trigger in opt(1u8..=9), nuclear in opt(1u8..=4), regime in opt(1u8..=5),
        pd in opt(-150.0f64..150.0), late in opt(any::<bool>()), period in opt(1u8..=6),
    ) {
        let o = ActorOnset { trigger, nuclear, regime, power_discrepancy: pd, late_entrant: late, period, ..Default::default() };
        let v = actor().predict(&OnsetValues::Actor(o)).unwrap();
        check_coherent(&v);
    }
}

#[test]
fn a_violent_trigger_answers_any_violence_by_its_own_rate() {
    let data = icb::builtin_system();
    let rows = data.system_rows().unwrap();
    let hot: Vec<_> = rows.iter().filter(|r| r.onset.trigger == Some(9)).collect();
    let k = hot.iter().filter(|r| r.viol.unwrap() >= 2).count() as f64;
    let n = hot.len() as f64;
    assert_eq!((k, n), (133.0, 133.0));
    let rc = system();
    let violent = SystemOnset {
        trigger: Some(9),
        period: Some(4),
        ..Default::default()
    };
    let v = rc.predict(&OnsetValues::System(violent.clone())).unwrap();
    assert!((v.p_violence - (k + 0.5) / (n + 1.0)).abs() < 1e-12);
    assert_eq!(rc.targets()[0].violent_trigger, Some((133, 133)));
    assert_eq!(rc.targets()[0].n_fitted, 325 - 133);
    // A trigger not given: the mixture of the violent rate and the regression, by the share.
    let calm = SystemOnset {
        trigger: Some(2),
        ..violent.clone()
    };
    let p_calm = rc.predict(&OnsetValues::System(calm)).unwrap();
    let unknown = SystemOnset {
        trigger: None,
        ..violent
    };
    let p_unknown = rc.predict(&OnsetValues::System(unknown)).unwrap();
    assert!(p_unknown.missing.contains(&"break"));
    assert!(p_unknown.p_violence < v.p_violence);
    assert!(p_unknown.p_violence > p_calm.p_violence.min(v.p_violence) - 0.2);
}

#[test]
fn the_nearest_crises_of_a_past_crisis_start_with_itself() {
    let data = icb::builtin_system();
    let rc = system();
    let rows = data.system_rows().unwrap();
    // BERLIN WALL (185, 1961, no violence) is in the development split.
    let wall = rows.iter().find(|r| r.name == "BERLIN WALL").unwrap();
    let v = rc
        .predict(&OnsetValues::System(wall.onset.clone()))
        .unwrap();
    assert_eq!(v.nearest.len(), 5);
    assert!(v
        .nearest
        .iter()
        .any(|c| c.crisno == wall.crisno && c.distance == 0));
    assert_eq!(v.nearest[0].distance, 0);
    for w in v.nearest.windows(2) {
        assert!(w[0].distance <= w[1].distance);
    }
    for c in &v.nearest {
        assert_eq!(c.differs.len(), c.distance);
        assert_eq!(c.outcome, brink_refclass::onset::viol_words(c.viol));
    }
    let me = v.nearest.iter().find(|c| c.crisno == wall.crisno).unwrap();
    assert_eq!((me.year, me.viol, me.outcome), (1961, 1, "no violence"));
}

#[test]
fn only_crises_over_before_the_date_train_it() {
    let data = icb::builtin_system();
    let cut = Date::parse("1990-01-01").unwrap();
    let rc = ReferenceClass::fit(&data, Some(cut)).unwrap();
    assert_eq!(rc.before(), Some(cut));
    let used = rc.training_cases();
    for r in data.system_rows().unwrap() {
        let over = r.trigger.latest() < cut && r.termination.is_some_and(|t| t.latest() < cut);
        assert_eq!(used.iter().any(|(c, _)| *c == r.crisno), over, "{}", r.name);
    }
    // INVASION OF PANAMA began in December 1989 and ended in 1990: not yet over.
    assert!(!used.iter().any(|(c, _)| *c == 391));
    let v = rc
        .predict(&OnsetValues::System(SystemOnset {
            period: Some(period_of(cut)),
            ..Default::default()
        }))
        .unwrap();
    assert!(v.nearest.iter().all(|c| c.year < 1990));
    assert_eq!(v.n_train, used.len());
    // Too early a date leaves too few crises.
    let e = ReferenceClass::fit(&data, Date::parse("1925-01-01")).unwrap_err();
    assert!(matches!(e, Error::TooFew(_)), "{e}");
    assert!(e.to_string().contains("over before 1925-01-01"), "{e}");
}

#[test]
fn the_near_variant_says_so() {
    let rc = ReferenceClass::builtin_with(
        Level::System,
        None,
        &FitOptions {
            near: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rc.name(), "refclass_near");
    let v = rc
        .predict(&OnsetValues::System(SystemOnset::default()))
        .unwrap();
    assert!(v.near_used);
    assert_eq!(v.model, "refclass_near");
    assert!(v.note.contains("NEAR"));
    assert!(v.missing.contains(&"gravcr"));
    let strict = system()
        .predict(&OnsetValues::System(SystemOnset::default()))
        .unwrap();
    assert!(!strict.near_used);
    assert!(!strict.missing.contains(&"gravcr"));
}

#[test]
fn fits_are_deterministic_and_levels_are_checked() {
    let data = icb::builtin_actor();
    let a = ReferenceClass::fit(&data, None).unwrap();
    let b = ReferenceClass::fit(&data, None).unwrap();
    assert_eq!(a, b);
    assert_eq!(a, actor(), "the remembered built-in fit equals a new one");
    let e = a
        .predict(&OnsetValues::System(SystemOnset::default()))
        .unwrap_err();
    assert!(matches!(e, Error::Mismatch(_)));
    let bad = OnsetValues::Actor(ActorOnset {
        nuclear: Some(7),
        ..Default::default()
    });
    assert!(matches!(a.predict(&bad), Err(Error::Mismatch(_))));
}

const SCENARIO: &str = r#"brink = 1

[scenario]
id = "t"
title = "Test"
as_of = 2021-12-28
question = "War?"

[[sources]]
id = "essay"
citation = "An essay"
date = 2021-12-28

[[actors]]
id = "rus"
name = "Russia"
power = 2

[[actors]]
id = "ukr"
name = "Ukraine"
power = 1

[[issues]]
id = "i"
name = "Issue"
scale = { min = 0, max = 100 }
points = [{ at = 0, label = "none" }, { at = 100, label = "all" }]
status_quo = 10

[[stances]]
actor = "rus"
issue = "i"
position = 80
salience = 0.9
assumed = "a reason"

[[stances]]
actor = "ukr"
issue = "i"
position = 20
salience = 0.5
assumed = "a reason"

[[crises]]
id = "c"
name = "A crisis"
challenger = "rus"
defender = "ukr"
issues = ["i"]

[crises.onset]
date = 2021-11-10
trigger = { value = "non-violent military act", evidence = [{ source = "essay", quote = "troops" }] }
triggering_entity = { value = 365, assumed = "Russia" }
power_discrepancy = { value = { uniform = [10, 30] }, assumed = "much stronger" }
proximity = { value = "contiguous", assumed = "border" }
protracted = { value = "protracted", assumed = "since 2014" }
intra_war = { value = false, assumed = "no inter-state war" }
region = { value = "East Europe", assumed = "where" }
ethnic = { value = "irredentist", assumed = "kin" }

[[crises.onset.actors]]
actor = "ukr"
regime = { value = "democratic", assumed = "elections" }
nuclear = { value = "none", assumed = "gave them up" }
power_discrepancy = { value = -40, assumed = "weaker" }

[[crises.onset.actors]]
actor = "rus"
date = 2021-12-17
trigger = { value = "political act", assumed = "a NATO statement" }
nuclear = { value = "second strike", assumed = "a nuclear power" }
"#;

#[test]
fn a_scenario_onset_section_feeds_both_levels() {
    let sc = brink_scenario::load_str(SCENARIO, "t.toml").unwrap();
    let o = onset_from_scenario(&sc.crises[0]).unwrap();
    assert_eq!(o.date.to_string(), "2021-11-10");
    assert_eq!(o.system.period, Some(6), "derived from the date");
    assert_eq!(o.system.trigger, Some(7));
    assert_eq!(o.system.triggering_entity, Some(365));
    assert_eq!(o.system.region, Some(31));
    assert_eq!(o.system.protracted, Some(2));
    assert_eq!(
        o.system.power_discrepancy,
        Some(20.0),
        "the point of uniform [10, 30]"
    );
    assert_eq!(o.system.intra_war, Some(false));
    let (ukr, u) = &o.actors[0];
    assert_eq!(*ukr, 1);
    assert_eq!(u.trigger, Some(7), "inherited from the crisis");
    assert_eq!(u.region, Some(31));
    assert_eq!(u.regime, Some(1));
    assert_eq!(u.power_discrepancy, Some(-40.0));
    assert_eq!(u.late_entrant, Some(false));
    let (rus, r) = &o.actors[1];
    assert_eq!(*rus, 0);
    assert_eq!(r.trigger, Some(2), "its own");
    assert_eq!(r.nuclear, Some(4));
    assert_eq!(r.late_entrant, Some(true), "December after November");
    assert_eq!(r.power_discrepancy, None);
    // Uncertain numbers drawn by the caller.
    let d = onset_from_scenario_with(&sc.crises[0], &mut |u| match u.dist {
        Dist::Uniform { lo, .. } => lo,
        _ => u.point,
    })
    .unwrap();
    assert_eq!(d.system.power_discrepancy, Some(10.0));
    // Both levels forecast, fitted on crises over before the scenario's as_of.
    let rc = ReferenceClass::builtin(Level::System, Some(sc.as_of)).unwrap();
    let v = rc.predict(&OnsetValues::System(o.system.clone())).unwrap();
    check_coherent(&v);
    assert!(v.missing.is_empty(), "{:?}", v.missing);
    assert_eq!(v.before, Some(sc.as_of));
    let ra = ReferenceClass::builtin(Level::Actor, Some(sc.as_of)).unwrap();
    let va = ra.predict(&OnsetValues::Actor(u.clone())).unwrap();
    check_coherent(&va);
    assert!(va.missing.contains(&"powsta"));
    // Without an onset section, nothing.
    let mut plain = sc.crises[0].clone();
    plain.onset = None;
    assert!(onset_from_scenario(&plain).is_none());
}

#[test]
fn an_actor_file_fits_the_actor_level() {
    let data: IcbData = icb::builtin_actor();
    let rc = ReferenceClass::fit(&data, None).unwrap();
    assert_eq!(rc.level(), Level::Actor);
    assert_eq!(rc.n_train(), 723);
    let t = rc.targets();
    assert_eq!(t.len(), 3);
    assert!(t
        .iter()
        .all(|t| brink_refclass::LAMBDAS.contains(&t.lambda)));
    assert!(t[2].coefficients[0].0 == "intercept");
}
