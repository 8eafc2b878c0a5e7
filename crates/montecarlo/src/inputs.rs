//! The numeric inputs of a scenario, each named in words ("Russia's salience on NATO's eastward
//! enlargement"), with access to its distribution and its slot in [`Values`].

use brink_scenario::{Scenario, Uncertain, Values};
use serde::Serialize;

/// One numeric input of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum InputRef {
    /// An actor's power.
    Power(usize),
    /// A stance's position.
    Position(usize),
    /// A stance's salience.
    Salience(usize),
    /// A stance's power override.
    StancePower(usize),
    /// An issue's status quo.
    StatusQuo(usize),
    /// A crisis's numeric input (crisis, parameter index).
    Crisis(usize, usize),
}

impl InputRef {
    /// Every input of the scenario, in a fixed order (actors, stances, issues).
    pub fn all(sc: &Scenario) -> Vec<InputRef> {
        let mut v: Vec<InputRef> = (0..sc.actors.len()).map(InputRef::Power).collect();
        for (j, st) in sc.stances.iter().enumerate() {
            v.push(InputRef::Position(j));
            v.push(InputRef::Salience(j));
            if st.power.is_some() {
                v.push(InputRef::StancePower(j));
            }
        }
        for (k, is) in sc.issues.iter().enumerate() {
            if is.status_quo.is_some() {
                v.push(InputRef::StatusQuo(k));
            }
        }
        for (c, cr) in sc.crises.iter().enumerate() {
            v.extend((0..cr.params.len()).map(|p| InputRef::Crisis(c, p)));
        }
        v
    }

    /// The inputs that are uncertain.
    pub fn uncertain(sc: &Scenario) -> Vec<InputRef> {
        Self::all(sc)
            .into_iter()
            .filter(|i| i.dist(sc).is_uncertain())
            .collect()
    }

    /// The input's distribution in the scenario.
    pub fn dist<'a>(&self, sc: &'a Scenario) -> &'a Uncertain {
        match *self {
            InputRef::Power(a) => &sc.actors[a].power,
            InputRef::Position(j) => &sc.stances[j].position,
            InputRef::Salience(j) => &sc.stances[j].salience,
            InputRef::StancePower(j) => sc.stances[j]
                .power
                .as_ref()
                .expect("listed only when present"),
            InputRef::StatusQuo(k) => sc.issues[k]
                .status_quo
                .as_ref()
                .expect("listed only when present"),
            InputRef::Crisis(c, p) => &sc.crises[c].params[p].value,
        }
    }

    /// The input's value in `v`.
    pub fn get(&self, v: &Values) -> f64 {
        match *self {
            InputRef::Power(a) => v.power[a],
            InputRef::Position(j) => v.position[j],
            InputRef::Salience(j) => v.salience[j],
            InputRef::StancePower(j) => v.stance_power[j].unwrap_or(f64::NAN),
            InputRef::StatusQuo(k) => v.status_quo[k].unwrap_or(f64::NAN),
            InputRef::Crisis(c, p) => v.crisis[c][p],
        }
    }

    /// Sets the input's value in `v`.
    pub fn set(&self, v: &mut Values, x: f64) {
        match *self {
            InputRef::Power(a) => v.power[a] = x,
            InputRef::Position(j) => v.position[j] = x,
            InputRef::Salience(j) => v.salience[j] = x,
            InputRef::StancePower(j) => v.stance_power[j] = Some(x),
            InputRef::StatusQuo(k) => v.status_quo[k] = Some(x),
            InputRef::Crisis(c, p) => v.crisis[c][p] = x,
        }
    }

    /// Fixes the input in the scenario itself at `x` (a known value from now on), so that every
    /// part of brink (types, crises, Monte Carlo) sees the change.
    pub fn fix(&self, sc: &mut Scenario, x: f64) {
        let u = Uncertain::fixed(x);
        match *self {
            InputRef::Power(a) => sc.actors[a].power = u,
            InputRef::Position(j) => sc.stances[j].position = u,
            InputRef::Salience(j) => sc.stances[j].salience = u,
            InputRef::StancePower(j) => sc.stances[j].power = Some(u),
            InputRef::StatusQuo(k) => sc.issues[k].status_quo = Some(u),
            InputRef::Crisis(c, p) => sc.crises[c].params[p].value = u,
        }
    }

    /// The issue the input bears on, if it bears on one only.
    pub fn issue(&self, sc: &Scenario) -> Option<usize> {
        match *self {
            InputRef::Power(_) => None,
            InputRef::Position(j) | InputRef::Salience(j) | InputRef::StancePower(j) => {
                Some(sc.stances[j].issue)
            }
            InputRef::StatusQuo(k) => Some(k),
            InputRef::Crisis(..) => None,
        }
    }

    /// The input in words: "Russia's salience on NATO's eastward enlargement".
    pub fn describe(&self, sc: &Scenario) -> String {
        let st = |j: usize| {
            (
                possessive(&sc.actors[sc.stances[j].actor].name),
                &sc.issues[sc.stances[j].issue].name,
            )
        };
        match *self {
            InputRef::Power(a) => format!("{} power", possessive(&sc.actors[a].name)),
            InputRef::Position(j) => {
                let (a, i) = st(j);
                format!("{a} position on {i}")
            }
            InputRef::Salience(j) => {
                let (a, i) = st(j);
                format!("{a} salience on {i}")
            }
            InputRef::StancePower(j) => {
                let (a, i) = st(j);
                format!("{a} power on {i}")
            }
            InputRef::StatusQuo(k) => format!("the status quo of {}", sc.issues[k].name),
            InputRef::Crisis(c, p) => format!(
                "{} in {}",
                sc.crises[c].params[p].key.describe(),
                sc.crises[c].name
            ),
        }
    }

    /// A short machine name: `rus.enlargement.salience`, `rus.power`, `enlargement.status_quo`.
    pub fn key(&self, sc: &Scenario) -> String {
        let st = |j: usize| {
            (
                &sc.actors[sc.stances[j].actor].id,
                &sc.issues[sc.stances[j].issue].id,
            )
        };
        match *self {
            InputRef::Power(a) => format!("{}.power", sc.actors[a].id),
            InputRef::Position(j) => {
                let (a, i) = st(j);
                format!("{a}.{i}.position")
            }
            InputRef::Salience(j) => {
                let (a, i) = st(j);
                format!("{a}.{i}.salience")
            }
            InputRef::StancePower(j) => {
                let (a, i) = st(j);
                format!("{a}.{i}.power")
            }
            InputRef::StatusQuo(k) => format!("{}.status_quo", sc.issues[k].id),
            InputRef::Crisis(c, p) => {
                format!("{}.{}", sc.crises[c].id, sc.crises[c].params[p].key.name())
            }
        }
    }

    /// Parses a key (`ACTOR.ISSUE.position|salience|power`, `ACTOR.power`, `ISSUE.status_quo`).
    pub fn parse(sc: &Scenario, key: &str) -> Result<InputRef, String> {
        let parts: Vec<&str> = key.split('.').collect();
        let actor = |id: &str| {
            sc.actor_index(id)
                .ok_or_else(|| format!("unknown actor `{id}` in `{key}`"))
        };
        let issue = |id: &str| {
            sc.issue_index(id)
                .ok_or_else(|| format!("unknown issue `{id}` in `{key}`"))
        };
        match parts.as_slice() {
            [a, "power"] if sc.actor_index(a).is_some() => Ok(InputRef::Power(actor(a)?)),
            [c, param] if sc.crises.iter().any(|x| x.id == *c) => {
                let ci = sc.crises.iter().position(|x| x.id == *c).expect("checked");
                sc.crises[ci]
                    .params
                    .iter()
                    .position(|p| p.key.name() == *param)
                    .map(|p| InputRef::Crisis(ci, p))
                    .ok_or_else(|| format!("crisis `{c}` has no input `{param}`"))
            }
            [a, "power"] => Ok(InputRef::Power(actor(a)?)),
            [i, "status_quo"] => {
                let k = issue(i)?;
                if sc.issues[k].status_quo.is_none() {
                    return Err(format!("issue `{i}` has no status quo to change"));
                }
                Ok(InputRef::StatusQuo(k))
            }
            [a, i, field] => {
                let (a, k) = (actor(a)?, issue(i)?);
                let j = sc
                    .stances
                    .iter()
                    .position(|s| s.actor == a && s.issue == k)
                    .ok_or_else(|| format!("`{}` has no stance on `{}`", sc.actors[a].id, sc.issues[k].id))?;
                match *field {
                    "position" => Ok(InputRef::Position(j)),
                    "salience" => Ok(InputRef::Salience(j)),
                    "power" if sc.stances[j].power.is_some() => Ok(InputRef::StancePower(j)),
                    "power" => Err(format!("`{key}`: this stance has no power of its own; set `{}.power`", sc.actors[a].id)),
                    f => Err(format!("unknown field `{f}` in `{key}`: expected position, salience or power")),
                }
            }
            _ => Err(format!("`{key}` is not ACTOR.ISSUE.position|salience|power, ACTOR.power or ISSUE.status_quo")),
        }
    }

    /// The range of valid values: the issue's scale, [0, 1], or positive.
    pub fn valid(&self, sc: &Scenario) -> (f64, f64) {
        match *self {
            InputRef::Power(_) | InputRef::StancePower(_) => (f64::MIN_POSITIVE, f64::INFINITY),
            InputRef::Salience(_) => (0.0, 1.0),
            InputRef::Position(j) => {
                let is = &sc.issues[sc.stances[j].issue];
                (is.min, is.max)
            }
            InputRef::StatusQuo(k) => (sc.issues[k].min, sc.issues[k].max),
            InputRef::Crisis(c, p) => match sc.crises[c].params[p].key {
                brink_scenario::CrisisKey::PWin => (0.0, 1.0),
                _ => (0.0, f64::INFINITY),
            },
        }
    }
}

/// "Russia's", "the United States'" style possessive of a name.
fn possessive(name: &str) -> String {
    if name.ends_with('s') && !name.ends_with(')') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// One draw of every input of `sc`, in the fixed order of [`InputRef::all`].
pub fn draw<R: rand::Rng + ?Sized>(
    sc: &Scenario,
    inputs: &[InputRef],
    base: &Values,
    rng: &mut R,
) -> Values {
    let mut v = base.clone();
    for i in inputs {
        i.set(&mut v, crate::sample::sample(i.dist(sc), rng));
    }
    v
}
