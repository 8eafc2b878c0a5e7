//! The validated data model of a scenario: actors, issues on labelled scales, stances with
//! evidence, uncertain numbers, and the outcomes a scenario is scored against.
//!
//! Values of these types come out of validation (`load`) and cannot be wrong: ids are resolved to
//! indices, every number is finite and inside its field's valid range, every distribution is
//! well formed. Models rely on that and never re-check.

use serde::Serialize;
use std::fmt;

/// The version of the scenario format this build reads (`brink = 1`).
pub const FORMAT_VERSION: i64 = 1;

/// A calendar date (proleptic Gregorian), as used for `as_of`, sources and outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a TOML local date); `None` if malformed or not a real date.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year: i32 = s.get(0..4)?.parse().ok()?;
        let month: u8 = s.get(5..7)?.parse().ok()?;
        let day: u8 = s.get(8..10)?.parse().ok()?;
        let d = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= d.days_in_month()).then_some(d)
    }

    fn days_in_month(&self) -> u8 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ => {
                let leap = (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0;
                if leap {
                    29
                } else {
                    28
                }
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The shape of an uncertain number. Bounds of a normal are the field's valid range (truncation).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Dist {
    /// A known value.
    Fixed,
    /// Triangular on [lo, hi] with the given mode.
    Triangular {
        /// Lower end.
        lo: f64,
        /// Most likely value.
        mode: f64,
        /// Upper end.
        hi: f64,
    },
    /// Uniform on [lo, hi].
    Uniform {
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// Normal with mean and sd, truncated to [lo, hi] (the field's valid range).
    Normal {
        /// Mean before truncation.
        mean: f64,
        /// Standard deviation before truncation (> 0).
        sd: f64,
        /// Truncation: lower end of the field's valid range.
        lo: f64,
        /// Truncation: upper end of the field's valid range.
        hi: f64,
    },
    /// Beta(alpha, beta) stretched onto [lo, hi].
    Beta {
        /// First shape parameter (> 0).
        alpha: f64,
        /// Second shape parameter (> 0).
        beta: f64,
        /// Lower end.
        lo: f64,
        /// Upper end.
        hi: f64,
    },
    /// A pool of estimates (an expert panel): component k with weight w_k (weights sum to 1).
    Mixture {
        /// (weight, estimate) pairs.
        components: Vec<(f64, Uncertain)>,
    },
}

/// A number that may be uncertain, with a defined point estimate.
///
/// Point estimates: fixed value; triangular: mode; uniform: midpoint; normal: mean clipped to the
/// valid range; beta: its mean. An explicit `point = v` in the file overrides the estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertain {
    /// The distribution (`Fixed` for a plain number).
    pub dist: Dist,
    /// The point estimate used by deterministic runs.
    pub point: f64,
}

impl Uncertain {
    /// A known value.
    pub fn fixed(v: f64) -> Self {
        Uncertain {
            dist: Dist::Fixed,
            point: v,
        }
    }

    /// The distribution's own point estimate (ignoring any override); for a pool, the
    /// weighted mean of its estimates' points.
    pub fn natural_point(dist: &Dist, fixed: f64) -> f64 {
        match *dist {
            Dist::Mixture { ref components } => components.iter().map(|(w, u)| w * u.point).sum(),
            Dist::Fixed => fixed,
            Dist::Triangular { mode, .. } => mode,
            Dist::Uniform { lo, hi } => 0.5 * (lo + hi),
            Dist::Normal { mean, lo, hi, .. } => mean.clamp(lo, hi),
            Dist::Beta {
                alpha,
                beta,
                lo,
                hi,
            } => lo + (hi - lo) * alpha / (alpha + beta),
        }
    }

    /// True unless the value is known exactly.
    pub fn is_uncertain(&self) -> bool {
        !matches!(self.dist, Dist::Fixed)
    }

    /// The range a value can take: the support (for a normal, mean +- 2 sd within the valid range).
    pub fn range(&self) -> (f64, f64) {
        match self.dist {
            Dist::Fixed => (self.point, self.point),
            Dist::Triangular { lo, hi, .. }
            | Dist::Uniform { lo, hi }
            | Dist::Beta { lo, hi, .. } => (lo, hi),
            Dist::Normal { mean, sd, lo, hi } => (
                (mean - 2.0 * sd).clamp(lo, hi),
                (mean + 2.0 * sd).clamp(lo, hi),
            ),
            Dist::Mixture { ref components } => {
                components
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (_, u)| {
                        let (lo, hi) = u.range();
                        (a.min(lo), b.max(hi))
                    })
            }
        }
    }
}

/// A source of evidence: a document, a dataset, an expert.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Source {
    /// Short id used by quotes.
    pub id: String,
    /// Full citation.
    pub citation: String,
    /// When it was published or known.
    pub date: Date,
    /// How far it is trusted, in [0, 1], if stated.
    pub reliability: Option<f64>,
}

/// A quotation from a source that supports a number.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quote {
    /// Index into `Scenario::sources`.
    pub source: usize,
    /// The words quoted.
    pub quote: String,
}

/// Why a number has the value it has.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// Quotations from sources.
    Quotes(Vec<Quote>),
    /// No source says it: the modeller's assumption, with the reason.
    Assumed(String),
}

/// A party to the standoff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Actor {
    /// Short id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Capability (relative, > 0).
    pub power: Uncertain,
    /// Evidence for the power, if given.
    pub evidence: Option<Evidence>,
}

/// A labelled point on an issue's scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalePoint {
    /// Where on the scale.
    pub at: f64,
    /// What that position means, in words.
    pub label: String,
}

/// A question on which actors take positions, on a numeric scale.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    /// Short id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Lower end of the scale.
    pub min: f64,
    /// Upper end of the scale (> min).
    pub max: f64,
    /// Labelled points, sorted by position; both ends are labelled.
    pub points: Vec<ScalePoint>,
    /// The status quo / reference point, if known.
    pub status_quo: Option<Uncertain>,
    /// Evidence for the status quo, if given.
    pub status_quo_evidence: Option<Evidence>,
    /// Free-form attributes kept from a dataset (e.g. DEU's proposal id, procedure, voting rule).
    pub meta: Vec<(String, String)>,
}

impl Issue {
    /// The label of the labelled point nearest to `x` (ties go to the lower point).
    pub fn nearest_label(&self, x: f64) -> &str {
        let mut best = &self.points[0];
        for p in &self.points[1..] {
            if (p.at - x).abs() < (best.at - x).abs() {
                best = p;
            }
        }
        &best.label
    }

    /// Where `x` lies on the scale, in the scale's words: the label of a labelled point within
    /// 1% of the scale's width of it; between two labelled points, "between A (a) and B (b)";
    /// beyond the outermost labelled points, the nearer one's label. Points labelled only with
    /// their own number (as importers write the ends of a bare scale) say nothing: with no other
    /// points, the answer is empty.
    pub fn describe(&self, x: f64) -> String {
        let pts: Vec<(f64, &str)> = self
            .points
            .iter()
            .map(|p| (p.at, p.label.as_str()))
            .collect();
        describe_on_scale(&pts, self.max - self.min, x, None)
    }
}

/// Where `x` lies among a scale's labelled points `(at, label)` on a scale `span` wide (see
/// [`Issue::describe`]); `cut`: the most characters of each label in a "between" phrase (an
/// ellipsis marks a cut), for a narrow column.
pub fn describe_on_scale(points: &[(f64, &str)], span: f64, x: f64, cut: Option<usize>) -> String {
    let mut pts: Vec<(f64, &str)> = points
        .iter()
        .copied()
        .filter(|(at, l)| !is_bare_number(l, *at))
        .collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let Some(first) = pts.first() else {
        return String::new();
    };
    let tol = 0.01 * span.abs();
    if let Some(p) = pts.iter().find(|p| (p.0 - x).abs() <= tol) {
        return p.1.to_string();
    }
    let shorten = |l: &str| match cut {
        Some(n) if l.chars().count() > n && n > 1 => {
            format!("{}…", l.chars().take(n - 1).collect::<String>().trim_end())
        }
        _ => l.to_string(),
    };
    if let Some(w) = pts.windows(2).find(|w| w[0].0 < x && x < w[1].0) {
        return format!(
            "between {} ({}) and {} ({})",
            shorten(w[0].1),
            short_number(w[0].0),
            shorten(w[1].1),
            short_number(w[1].0)
        );
    }
    if x < first.0 {
        first.1.to_string()
    } else {
        pts[pts.len() - 1].1.to_string()
    }
}

/// Whether a label is only the number it labels (`0`, `100`, `4.5`).
fn is_bare_number(label: &str, at: f64) -> bool {
    label
        .trim()
        .parse::<f64>()
        .is_ok_and(|v| (v - at).abs() <= 1e-9 * at.abs().max(1.0))
}

/// A number as a scale's ends show it: at most two decimals, no trailing zeros.
fn short_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// What an actor wants on an issue and how much it matters to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stance {
    /// Index into `Scenario::actors`.
    pub actor: usize,
    /// Index into `Scenario::issues`.
    pub issue: usize,
    /// Preferred position on the issue's scale.
    pub position: Uncertain,
    /// Salience in [0, 1].
    pub salience: Uncertain,
    /// Capability on this issue, overriding the actor's power (as some datasets give it per issue).
    pub power: Option<Uncertain>,
    /// Why.
    pub evidence: Evidence,
    /// The panel's estimates when the stance pools several (empty otherwise).
    pub estimates: Vec<Estimate>,
}

/// One expert's or source's estimate of a stance, pooled with the others into the stance's
/// uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Index into `Scenario::sources`: who gives it.
    pub source: usize,
    /// Its weight in the pool (equal, or the source's reliability normalised).
    pub weight: f64,
    /// The estimated position, if it gives one.
    pub position: Option<Uncertain>,
    /// The estimated salience, if it gives one.
    pub salience: Option<Uncertain>,
    /// Why.
    pub evidence: Evidence,
}

/// A numeric input of a crisis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CrisisKey {
    /// The challenger's probability of winning a war, in [0, 1].
    PWin,
    /// The challenger's cost of war (mapping 1: 1 = the whole utility range; mapping 2: 1 = the
    /// challenger's own stake).
    WarCostChallenger,
    /// The defender's cost of war.
    WarCostDefender,
    /// The extra cost of being attacked first (both sides).
    FirstStrikeCost,
    /// The challenger's cost of capitulating to force.
    CapitulationCostChallenger,
    /// The defender's cost of capitulating to force.
    CapitulationCostDefender,
    /// The challenger's cost of backing down after a public demand (audience cost).
    AudienceCostChallenger,
    /// The defender's audience cost.
    AudienceCostDefender,
    /// The challenger's cost of making a deal (mapping 2; charged on a negotiated settlement and on
    /// its own acquiescence).
    DealCostChallenger,
    /// The defender's cost of making a deal (e.g. of being seen to cave to an autocrat).
    DealCostDefender,
    /// The challenger's cost of being sanctioned (mapping 2; charged when a sanctions red line of
    /// the defender's side is carried out).
    SanctionsCostChallenger,
    /// The defender's cost of being sanctioned.
    SanctionsCostDefender,
}

impl CrisisKey {
    /// Every key with its TOML name.
    pub const ALL: [(CrisisKey, &'static str); 12] = [
        (CrisisKey::PWin, "p_win"),
        (CrisisKey::WarCostChallenger, "war_cost_challenger"),
        (CrisisKey::WarCostDefender, "war_cost_defender"),
        (CrisisKey::FirstStrikeCost, "first_strike_cost"),
        (
            CrisisKey::CapitulationCostChallenger,
            "capitulation_cost_challenger",
        ),
        (
            CrisisKey::CapitulationCostDefender,
            "capitulation_cost_defender",
        ),
        (
            CrisisKey::AudienceCostChallenger,
            "audience_cost_challenger",
        ),
        (CrisisKey::AudienceCostDefender, "audience_cost_defender"),
        (CrisisKey::DealCostChallenger, "deal_cost_challenger"),
        (CrisisKey::DealCostDefender, "deal_cost_defender"),
        (
            CrisisKey::SanctionsCostChallenger,
            "sanctions_cost_challenger",
        ),
        (CrisisKey::SanctionsCostDefender, "sanctions_cost_defender"),
    ];

    /// The TOML name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map(|(_, n)| *n)
            .unwrap_or("?")
    }

    /// Whether the key exists only in mapping 2 (see [`Crisis::mapping`]).
    pub fn needs_mapping_2(self) -> bool {
        matches!(
            self,
            CrisisKey::DealCostChallenger
                | CrisisKey::DealCostDefender
                | CrisisKey::SanctionsCostChallenger
                | CrisisKey::SanctionsCostDefender
        )
    }

    /// In words, for reports.
    pub fn describe(self) -> &'static str {
        match self {
            CrisisKey::PWin => "the challenger's probability of winning a war",
            CrisisKey::WarCostChallenger => "the challenger's cost of war",
            CrisisKey::WarCostDefender => "the defender's cost of war",
            CrisisKey::FirstStrikeCost => "the extra cost of being attacked first",
            CrisisKey::CapitulationCostChallenger => "the challenger's cost of capitulating",
            CrisisKey::CapitulationCostDefender => "the defender's cost of capitulating",
            CrisisKey::AudienceCostChallenger => "the challenger's audience cost of backing down",
            CrisisKey::AudienceCostDefender => "the defender's audience cost of backing down",
            CrisisKey::DealCostChallenger => "the challenger's cost of making a deal",
            CrisisKey::DealCostDefender => "the defender's cost of making a deal",
            CrisisKey::SanctionsCostChallenger => "the challenger's cost of being sanctioned",
            CrisisKey::SanctionsCostDefender => "the defender's cost of being sanctioned",
        }
    }
}

/// A numeric crisis input with its evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisParam {
    /// Which input.
    pub key: CrisisKey,
    /// Its value.
    pub value: Uncertain,
    /// Why.
    pub evidence: Evidence,
}

/// What sets a red line off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RedLineTrigger {
    /// A settlement on the far side of the threshold, seen from the actor's own position.
    Settlement,
    /// The other side's use of force (e.g. "an attempt to regain territory by force").
    Force,
}

impl RedLineTrigger {
    /// Every trigger with its TOML name.
    pub const ALL: [(RedLineTrigger, &'static str); 2] = [
        (RedLineTrigger::Settlement, "settlement"),
        (RedLineTrigger::Force, "force"),
    ];
    /// The TOML name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("?", |(_, n)| *n)
    }
}

/// What a red line's actor does when it is set off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RedLineAction {
    /// War (mapping 1: the actor prefers war to the crossing settlement).
    War,
    /// Limited force: the other side then fights back (war) or gives in (capitulation after force).
    Force,
    /// Sanctions: the other side pays its sanctions cost; no force is used.
    Sanctions,
}

impl RedLineAction {
    /// Every action with its TOML name.
    pub const ALL: [(RedLineAction, &'static str); 3] = [
        (RedLineAction::War, "war"),
        (RedLineAction::Force, "force"),
        (RedLineAction::Sanctions, "sanctions"),
    ];
    /// The TOML name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("?", |(_, n)| *n)
    }
}

impl fmt::Display for RedLineAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A red line: what sets it off (a settlement on the far side of `threshold` from the actor's own
/// position, or the other side's use of force) and what the actor then does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RedLine {
    /// Index into the actors.
    pub actor: usize,
    /// Index into the issues.
    pub issue: usize,
    /// What sets it off.
    pub trigger: RedLineTrigger,
    /// The position on the issue's scale that must not be crossed (settlement triggers; may be
    /// uncertain in mapping 2); `None` for a force trigger.
    pub threshold: Option<Uncertain>,
    /// What it triggers.
    pub action: RedLineAction,
    /// The probability that the actor carries it out once set off (mapping 2; 1 unless given).
    pub probability: Uncertain,
    /// Why.
    pub evidence: Evidence,
}

/// The game a crisis is played on.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CrisisTemplate {
    /// The International Interaction Game (Bueno de Mesquita & Lalman 1992).
    Iig,
    /// An escalation ladder with this many rungs.
    Ladder {
        /// Rungs.
        rungs: usize,
    },
    /// A game written out in Gambit's .efg format.
    Efg {
        /// The .efg text.
        text: String,
    },
}

/// A crisis: whether bargaining between two sides breaks down.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Crisis {
    /// Short id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// The challenger: one actor or a coalition acting as one (indices).
    pub challenger: Vec<usize>,
    /// The defender.
    pub defender: Vec<usize>,
    /// The issues at stake (indices).
    pub issues: Vec<usize>,
    /// The game.
    pub template: CrisisTemplate,
    /// The bargaining model whose forecast is the negotiated settlement (with several weighted
    /// models, the one with the largest weight: the point estimate).
    pub model: String,
    /// Numeric inputs.
    pub params: Vec<CrisisParam>,
    /// Red lines.
    pub red_lines: Vec<RedLine>,
    /// The ICB variables known when the crisis began (`[crises.onset]`), for the reference class.
    pub onset: Option<crate::onset::Onset>,
    /// Which mapping from the scenario's numbers to the game (`docs/crisis-mapping.md`): 1, the
    /// original (costs in units of the whole utility range, audience costs charged on capitulation,
    /// red lines that make war preferred); 2, the revised one (costs in units of each side's own
    /// stake, audience costs on every climb-down from a public demand, deal and sanctions costs,
    /// red lines as commitments that may be uncertain). Files without `mapping` are read as 1.
    pub mapping: u8,
    /// The settlement models with their weights (summing to 1): one model with weight 1 when the
    /// scenario fixes it; several when it gives an uncertain choice or leaves it open (mapping 2).
    pub models: Vec<(String, f64)>,
}

/// The settlement models a crisis may name: brink's bargaining models and `status_quo` (no deal
/// short of the status quo).
pub const SETTLEMENT_MODELS: &[&str] = &[
    "compromise",
    "compromise-equal",
    "median",
    "nash",
    "nash-quadratic",
    "eu",
    "eu-scholz",
    "smp",
    "exchange",
    "status_quo",
];

/// The settlement models, equally weighted, of a mapping-2 crisis that does not fix its `model`.
pub const UNFIXED_SETTLEMENT_MODELS: &[&str] = &[
    "compromise",
    "median",
    "nash",
    "eu",
    "smp",
    "exchange",
    "status_quo",
];

impl Crisis {
    /// The point value of an input, if given.
    pub fn param(&self, key: CrisisKey) -> Option<&CrisisParam> {
        self.params.iter().find(|p| p.key == key)
    }
}

/// A change to a stance (by an update) or a stance as a type of its actor would hold it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StanceChange {
    /// Index into the stances.
    pub stance: usize,
    /// The new position, if it changes.
    pub position: Option<Uncertain>,
    /// The new salience, if it changes.
    pub salience: Option<Uncertain>,
}

/// A rival hypothesis about an actor (e.g. for Russia: "seeks to stop NATO's expansion" against
/// "seeks territory"): its prior, its own stances where they differ, and its posterior after the
/// updates in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorType {
    /// Index into the actors.
    pub actor: usize,
    /// Short id.
    pub id: String,
    /// The hypothesis in words.
    pub name: String,
    /// Prior probability (normalised over the actor's types).
    pub prior: f64,
    /// Posterior after the updates applied (equals the prior before any).
    pub posterior: f64,
    /// Why the prior.
    pub evidence: Evidence,
    /// Stances as this type would hold them.
    pub stances: Vec<StanceChange>,
}

/// An update: something learnt on a date, from a source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Update {
    /// When.
    pub date: Date,
    /// What happened or was said, in words.
    pub what: String,
    /// Its evidence (sources dated on or before `date`).
    pub evidence: Evidence,
    /// Stances that change.
    pub stances: Vec<StanceChange>,
    /// The likelihood of this event under each type: (index into `Scenario::types`, likelihood).
    pub likelihoods: Vec<(usize, f64)>,
}

/// A validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Short id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Information cut-off: nothing dated after it may inform an input.
    pub as_of: Date,
    /// The question the scenario asks.
    pub question: String,
    /// Sources of evidence.
    pub sources: Vec<Source>,
    /// Actors.
    pub actors: Vec<Actor>,
    /// Issues.
    pub issues: Vec<Issue>,
    /// Stances, in file order; at most one per (actor, issue).
    pub stances: Vec<Stance>,
    /// Crises: whether bargaining breaks down.
    pub crises: Vec<Crisis>,
    /// Rival hypotheses about actors.
    pub types: Vec<ActorType>,
    /// Dated updates, in date order (not yet applied: see `Scenario::at`).
    pub updates: Vec<Update>,
    /// Updates applied so far (by `Scenario::at`).
    pub applied: usize,
}

impl Scenario {
    /// Index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// Index of the issue with this id.
    pub fn issue_index(&self, id: &str) -> Option<usize> {
        self.issues.iter().position(|a| a.id == id)
    }

    /// The stances on issue `i`, in file order.
    pub fn stances_on(&self, issue: usize) -> impl Iterator<Item = &Stance> {
        self.stances.iter().filter(move |s| s.issue == issue)
    }
}

/// What happened on one issue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IssueOutcome {
    /// Index into the scenario's issues (resolved by `Outcomes::resolve`), or by id.
    pub issue: String,
    /// Where the issue was resolved, on its scale.
    pub value: f64,
    /// When.
    pub date: Option<Date>,
    /// Why we say so.
    pub evidence: Evidence,
}

/// Which outcome a crisis had.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrisisOutcome {
    /// The crisis's id.
    pub crisis: String,
    /// The outcome class (`war`, `negotiated settlement`, `status quo`, ...).
    pub outcome: String,
    /// When.
    pub date: Option<Date>,
    /// Why we say so.
    pub evidence: Evidence,
}

/// Whether an event forecast by a source happened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventOutcome {
    /// Short id.
    pub id: String,
    /// What the event is.
    pub description: String,
    /// Whether it happened by the outcomes' horizon; `None` when it cannot be resolved from
    /// well-established facts (the reason is in `unresolved`).
    pub occurred: Option<bool>,
    /// Why the event cannot be resolved, if it cannot.
    pub unresolved: Option<String>,
    /// When it happened (required if it did), or when it became clear that it had not.
    pub date: Option<Date>,
    /// Verbatim quotes from dated sources, if any.
    pub evidence: Option<Evidence>,
    /// Dated sources cited for the fact without a verbatim quote.
    pub reported: Vec<Reported>,
    /// A note on how the event was resolved.
    pub note: Option<String>,
}

/// A dated source cited for a fact without quoting it: what it reports, in the citing file's
/// words, marked as not verbatim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reported {
    /// Index into the file's sources.
    pub source: usize,
    /// What the source reports (a paraphrase, not a quote).
    pub says: String,
}

/// The outcomes a scenario is scored against (`*.outcomes.toml`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcomes {
    /// The scenario these outcomes belong to.
    pub scenario: String,
    /// The date the outcomes were read at.
    pub horizon: Date,
    /// Sources cited by the outcomes.
    pub sources: Vec<Source>,
    /// One per resolved issue.
    pub issues: Vec<IssueOutcome>,
    /// One per resolved crisis.
    pub crises: Vec<CrisisOutcome>,
    /// Events forecast by sources.
    pub events: Vec<EventOutcome>,
}

/// The numbers models read, one slot per input of the scenario: point estimates for a
/// deterministic run, or one draw of every uncertain input in a Monte Carlo run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Values {
    /// Per actor: power.
    pub power: Vec<f64>,
    /// Per stance: position.
    pub position: Vec<f64>,
    /// Per stance: salience.
    pub salience: Vec<f64>,
    /// Per stance: the power override, if the stance has one.
    pub stance_power: Vec<Option<f64>>,
    /// Per issue: the status quo, if known.
    pub status_quo: Vec<Option<f64>>,
    /// Per crisis, per parameter (in the crisis's order): its value.
    pub crisis: Vec<Vec<f64>>,
}

impl Scenario {
    /// Every input at its point estimate.
    pub fn point_values(&self) -> Values {
        Values {
            power: self.actors.iter().map(|a| a.power.point).collect(),
            position: self.stances.iter().map(|s| s.position.point).collect(),
            salience: self.stances.iter().map(|s| s.salience.point).collect(),
            stance_power: self
                .stances
                .iter()
                .map(|s| s.power.as_ref().map(|p| p.point))
                .collect(),
            status_quo: self
                .issues
                .iter()
                .map(|i| i.status_quo.as_ref().map(|q| q.point))
                .collect(),
            crisis: self
                .crises
                .iter()
                .map(|c| c.params.iter().map(|p| p.value.point).collect())
                .collect(),
        }
    }
}

impl Scenario {
    /// The scenario as known on `date`: every update dated on or before it applied in date order
    /// (stances changed, types' posteriors updated by Bayes' rule), `as_of` moved to `date`.
    /// A date before the scenario's own `as_of` is refused.
    pub fn at(&self, date: Date) -> Result<Scenario, String> {
        if date < self.as_of {
            return Err(format!(
                "{date} is before the scenario's information cut-off {}",
                self.as_of
            ));
        }
        let mut sc = self.clone();
        sc.as_of = date;
        for u in self.updates.iter().filter(|u| u.date <= date) {
            for ch in &u.stances {
                let st = &mut sc.stances[ch.stance];
                if let Some(p) = &ch.position {
                    st.position = p.clone();
                }
                if let Some(s) = &ch.salience {
                    st.salience = s.clone();
                }
            }
            for &(t, l) in &u.likelihoods {
                sc.types[t].posterior *= l;
            }
            sc.applied += 1;
        }
        // Normalise each actor's posteriors.
        let mut totals: std::collections::HashMap<usize, f64> = Default::default();
        for t in &sc.types {
            *totals.entry(t.actor).or_default() += t.posterior;
        }
        for t in sc.types.iter_mut() {
            let total = totals[&t.actor];
            if total > 0.0 {
                t.posterior /= total;
            }
        }
        Ok(sc)
    }

    /// The worlds the types define: every combination of one type per actor with types, with its
    /// probability (the product of the posteriors) and the scenario with those types' stances.
    /// Without types, one world of probability 1: the scenario itself.
    pub fn worlds(&self) -> Vec<(f64, Vec<usize>, Scenario)> {
        let mut actors: Vec<usize> = self.types.iter().map(|t| t.actor).collect();
        actors.sort_unstable();
        actors.dedup();
        let mut combos: Vec<Vec<usize>> = vec![Vec::new()];
        for a in &actors {
            let ts: Vec<usize> = (0..self.types.len())
                .filter(|&t| self.types[t].actor == *a)
                .collect();
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    ts.iter().map(move |&t| {
                        let mut c = c.clone();
                        c.push(t);
                        c
                    })
                })
                .collect();
        }
        combos
            .into_iter()
            .map(|c| {
                let mut sc = self.clone();
                let mut w = 1.0;
                for &t in &c {
                    w *= self.types[t].posterior;
                    for ch in &self.types[t].stances {
                        let st = &mut sc.stances[ch.stance];
                        if let Some(p) = &ch.position {
                            st.position = p.clone();
                        }
                        if let Some(s) = &ch.salience {
                            st.salience = s.clone();
                        }
                    }
                }
                (w, c, sc)
            })
            .collect()
    }
}
