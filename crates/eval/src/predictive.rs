//! Predictive distributions of where an issue settles: a model's point forecast, the scenario's
//! input uncertainty (Monte Carlo draws) and the model's own error measured on real decisions.
//!
//! # The error model
//!
//! Every number below is on the issue's scale rescaled to 0-100 (`u = 100 (x - min) / (max -
//! min)`), so one error model serves every scale. For an issue with point forecast `f`, the
//! capability x salience weighted standard deviation of the actors' positions `s` (the spread),
//! the range of the actors' positions `[lo, hi]` and the side `d` of the reference point the
//! actors' weight lies on (+1 above, -1 below, 0 without a reference point):
//!
//! ```text
//! Y = clamp(f + c d (k + s) e, lo, hi),  e ~ the model's standardised residuals on DEU,
//! e_j = d_j (y_j - f_j) / (k + s_j)      over the issues j it was fitted on (equal weights),
//! ```
//!
//! A fitting issue without a reference point contributes its residual on both sides with half
//! the weight each, and an issue with d = 0 is forecast with every residual taken both ways.
//!
//! with `k` (0-100 units) the one constant fitted per model, chosen from [`K_GRID`] by the mean
//! CRPS on the fitting data, and `c` the widening factor (1 on data like DEU's; see
//! [`widening_of`]). A factor c > 1 also stretches the actors' range by c about its centre
//! (within the scale): a scenario coded by one analyst may miss or misplace actors, and on DEU
//! issues cut to a few actors the outcome often falls outside their range. With Monte Carlo draws, each draw d brings its own `(f_d, s_d, lo_d, hi_d)`
//! and the predictive distribution is the mixture of the draws' distributions (weighted by the
//! draws' weights, e.g. the probability of a world of rival hypotheses).
//!
//! Why this form, as measured on the DEU III development split (225 issues, 88 proposals,
//! leave-one-proposal-out, `examples/predictive_candidates.rs`):
//! - the error grows with the spread of positions (rank by spread quartile: compromise's mean
//!   absolute error 12.9, 19.5, 23.8, 30.2), so the scale is `k + s`;
//! - outcomes stay within the actors' range: 224 of 225 lie between the smallest and the
//!   largest position, 74 on one of the two; clamping to that range puts point masses there,
//!   where outcomes pile up, and cannot change whether an outcome inside the range is inside an
//!   interval (the clamp moves interval ends only to the range's ends);
//! - residuals are oriented by the reference point, not by the way a dataset codes its scale
//!   (DEU's reference point is at 0 on most issues): for the compromise model this changes
//!   nothing on DEU, for Nash (whose no-agreement forecast is the reference point) it lowers the
//!   CRPS from 23.7 to 20.3 and brings its 50% interval's coverage from 0.61 to 0.50;
//! - the residuals' own shape is kept (no normal assumption): the distribution is a conformal
//!   predictive distribution in the sense of Vovk et al., a split-conformal interval at each
//!   level, so its coverage holds by construction up to the finite-sample term 1/(n + 1);
//! - the reference point was tried as a point mass (weight fitted by cross-validation) and
//!   gave nothing: it lies outside the actors' range on 27 issues and the outcome went there
//!   once.
//!
//! The distribution does not know: who coded the inputs (DEU's are expert interviews; one
//! analyst reading a text errs more, hence the widening factor), anything about the issue
//! beyond the positions, saliences and capabilities, or error of the kind DEU never shows
//! (decisions outside the range of stated positions, e.g. a war that changes the question).
//!
//! # Defaults
//! - [`K_GRID`]: 1, 2, 5, 10, 20, 40, 80, 160 (0-100 units);
//! - [`DEFAULT_WIDENING`] = 1.5 for scenarios whose inputs are not expert interviews: the
//!   smallest multiple of 0.25 that restored the 50% and 90% intervals' coverage in every
//!   regime of a simulation on DEU dev with at least 8 actors per issue and coding noise of up
//!   to 30 points on positions (largest factor needed: 1.35; `examples/widening.rs`,
//!   `docs/uncertainty.md`). Not fitted to any scenario's outcomes.
//!
//! # References
//! - Lei, J., G'Sell, M., Rinaldo, A., Tibshirani, R. J. & Wasserman, L. (2018). Distribution-free
//!   predictive inference for regression. *JASA* 113(523), 1094-1111 (split conformal, locally
//!   weighted residuals).
//! - Vovk, V., Shen, J., Manokhin, V. & Xie, M. (2017). Nonparametric predictive distributions
//!   based on conformal prediction. *PMLR* 60, 82-102.
//! - Thomson, R., Stokman, F., Achen, C. & König, T. (eds.) (2006). *The European Union Decides*.
//! - Arregui, J. & Perarnaud, C. (2021). The DEU III dataset, doi 10.34810/data53.

use brink_bargain::IssueView;
use brink_scenario::{Issue, Scenario, Values};
use serde::{Deserialize, Serialize};

use crate::scores::{Predictive, ScoreError};

/// The grid the scale offset `k` is chosen from (0-100 units).
pub const K_GRID: &[f64] = &[1.0, 2.0, 5.0, 10.0, 20.0, 40.0, 80.0, 160.0];

/// The widening factor applied by default to scenarios whose inputs are not expert interviews
/// (see `docs/uncertainty.md` for how it was chosen).
pub const DEFAULT_WIDENING: f64 = 1.5;

/// The issue `meta` key that sets an issue's widening factor (a number > 0).
pub const META_WIDENING: &str = "widening";

/// The issue `meta` key that says where the inputs come from; [`INTERVIEWS`] means expert
/// interviews like DEU's (widening 1).
pub const META_INPUTS: &str = "inputs";

/// The value of [`META_INPUTS`] for inputs from expert interviews.
pub const INTERVIEWS: &str = "expert interviews";

/// The central interval levels brink reports.
pub const LEVELS: [f64; 3] = [0.5, 0.8, 0.9];

/// What can go wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum PredictiveError {
    /// An issue's `meta` value that cannot be read.
    #[error("issue `{issue}`, field `meta.{field}`: {message}")]
    Meta {
        /// The issue's id.
        issue: String,
        /// The meta key.
        field: String,
        /// What is wrong.
        message: String,
    },
    /// No error model for this model.
    #[error("no error model for the model `{0}`")]
    UnknownModel(String),
    /// No forecast to centre a distribution on.
    #[error("no forecast to build a distribution from")]
    NoForecast,
    /// The fitted parameters cannot be read.
    #[error("the error models cannot be read: {0}")]
    Parameters(String),
    /// The error models asked for cannot be made from these data.
    #[error("{0}")]
    Choice(String),
    /// A distribution could not be formed (a non-finite number).
    #[error(transparent)]
    Score(#[from] ScoreError),
}

/// What is known about an issue before the decision, in the issue's own units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IssueFeatures {
    /// Lower end of the scale.
    pub min: f64,
    /// Upper end of the scale.
    pub max: f64,
    /// The smallest actor's position.
    pub lo: f64,
    /// The largest actor's position.
    pub hi: f64,
    /// The capability x salience weighted standard deviation of the positions (unweighted when
    /// every weight is zero).
    pub spread: f64,
    /// The side of the reference point the actors' weight lies on: +1 when their capability x
    /// salience weighted mean position is above the status quo, -1 below, 0 when it equals it or
    /// the status quo is unknown.
    pub direction: f64,
}

impl IssueFeatures {
    /// The features of one issue's numbers; `None` when no actor has a stance on it.
    pub fn of_view(v: &IssueView) -> Option<Self> {
        if v.players.is_empty() {
            return None;
        }
        let total: f64 = v.players.iter().map(|p| p.weight()).sum();
        let w = |p: &brink_bargain::Player| if total > 0.0 { p.weight() } else { 1.0 };
        let wt: f64 = v.players.iter().map(w).sum();
        let mean = v.players.iter().map(|p| w(p) * p.position).sum::<f64>() / wt;
        let var = v
            .players
            .iter()
            .map(|p| w(p) * (p.position - mean).powi(2))
            .sum::<f64>()
            / wt;
        let lo = v
            .players
            .iter()
            .map(|p| p.position)
            .fold(f64::INFINITY, f64::min);
        let hi = v
            .players
            .iter()
            .map(|p| p.position)
            .fold(f64::NEG_INFINITY, f64::max);
        let direction = match v.status_quo {
            Some(q) if mean > q => 1.0,
            Some(q) if mean < q => -1.0,
            _ => 0.0,
        };
        Some(IssueFeatures {
            min: v.min,
            max: v.max,
            lo,
            hi,
            spread: var.max(0.0).sqrt(),
            direction,
        })
    }

    /// The features of every issue of a scenario with these values (point estimates or one
    /// Monte Carlo draw).
    pub fn of_values(sc: &Scenario, values: &Values) -> Vec<Option<Self>> {
        brink_bargain::Input::new(sc, values)
            .issues
            .iter()
            .map(Self::of_view)
            .collect()
    }

    fn unit(&self) -> f64 {
        (self.max - self.min) / 100.0
    }

    /// The actors' range stretched by `widen` about its centre, within the scale: the range
    /// itself for `widen` = 1.
    pub fn range(&self, widen: f64) -> (f64, f64) {
        if widen == 1.0 {
            return (self.lo, self.hi);
        }
        let (mid, half) = (0.5 * (self.lo + self.hi), 0.5 * (self.hi - self.lo) * widen);
        ((mid - half).max(self.min), (mid + half).min(self.max))
    }

    /// The spread in 0-100 units.
    pub fn spread_100(&self) -> f64 {
        self.spread / self.unit()
    }
}

/// One issue's forecast and what happened, for fitting.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Case {
    /// The model's point forecast.
    pub forecast: f64,
    /// What happened.
    pub outcome: f64,
    /// What was known before.
    pub features: IssueFeatures,
}

/// One centre of a predictive distribution: a point forecast with the features of the same
/// inputs, and its weight (1 for each Monte Carlo draw; a world's probability with rival
/// hypotheses).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Centre {
    /// The model's forecast on these inputs.
    pub forecast: f64,
    /// The issue's features on these inputs.
    pub features: IssueFeatures,
    /// Its weight (>= 0).
    pub weight: f64,
}

/// One model's fitted error model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ErrorModelFile", into = "ErrorModelFile")]
pub struct ErrorModel {
    /// The model it belongs to.
    pub model: String,
    /// The scale offset k (0-100 units).
    pub k: f64,
    /// The standardised residuals (y - f) / (k + s) (0-100 units) of the issues with a
    /// direction, times the direction (positive: the outcome lay further towards the actors'
    /// side of the reference point than the forecast), sorted.
    pub oriented: Vec<f64>,
    /// The absolute standardised residuals of the issues without a direction, sorted: each
    /// counts once on either side, with half the weight.
    pub unoriented: Vec<f64>,
    /// The standardised error for direction +1: (value, weight), sorted.
    up: Vec<(f64, f64)>,
    /// The standardised error without a direction (every residual on both sides).
    both: Vec<(f64, f64)>,
}

/// An error model as stored: the fitted numbers only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct ErrorModelFile {
    model: String,
    k: f64,
    oriented: Vec<f64>,
    unoriented: Vec<f64>,
}

impl From<ErrorModelFile> for ErrorModel {
    fn from(f: ErrorModelFile) -> Self {
        ErrorModel::new(f.model, f.k, f.oriented, f.unoriented)
    }
}

impl From<ErrorModel> for ErrorModelFile {
    fn from(e: ErrorModel) -> Self {
        ErrorModelFile {
            model: e.model,
            k: e.k,
            oriented: e.oriented,
            unoriented: e.unoriented,
        }
    }
}

fn scale_of(k: f64, f: &IssueFeatures) -> f64 {
    k + f.spread_100()
}

fn sorted_atoms(mut v: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    v
}

impl ErrorModel {
    /// An error model from its fitted numbers (the residual lists are sorted here).
    pub fn new(model: String, k: f64, mut oriented: Vec<f64>, mut unoriented: Vec<f64>) -> Self {
        oriented.sort_by(f64::total_cmp);
        unoriented.sort_by(f64::total_cmp);
        let n = (oriented.len() + unoriented.len()).max(1) as f64;
        let sym = unoriented
            .iter()
            .flat_map(|&u| [(-u.abs(), 0.5 / n), (u.abs(), 0.5 / n)]);
        let up = sorted_atoms(
            oriented
                .iter()
                .map(|&e| (e, 1.0 / n))
                .chain(sym.clone())
                .collect(),
        );
        let both = sorted_atoms(
            oriented
                .iter()
                .flat_map(|&e| [(-e, 0.5 / n), (e, 0.5 / n)])
                .chain(sym)
                .collect(),
        );
        ErrorModel {
            model,
            k,
            oriented,
            unoriented,
            up,
            both,
        }
    }

    /// Residuals the model was fitted on.
    pub fn len(&self) -> usize {
        self.oriented.len() + self.unoriented.len()
    }

    /// Whether it has no residual.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Fits the error model on `cases`: k from [`K_GRID`] by the smallest mean CRPS on the cases
    /// themselves (ties: the smaller k), then the standardised residuals. `None` without cases.
    pub fn fit(model: &str, cases: &[Case]) -> Option<ErrorModel> {
        if cases.is_empty() {
            return None;
        }
        let mut best: Option<(f64, ErrorModel)> = None;
        let mut buf = Vec::with_capacity(2 * cases.len());
        for &k in K_GRID {
            let em = Self::with_k(model, k, cases);
            let crps = cases
                .iter()
                .map(|c| {
                    buf.clear();
                    buf.extend(em.sorted_atoms_of(c.forecast, &c.features, 1.0, 1.0));
                    crps_sorted(&buf, c.outcome)
                })
                .sum::<f64>()
                / cases.len() as f64;
            let better = match &best {
                None => true,
                Some((b, _)) => crps < *b,
            };
            if better {
                best = Some((crps, em));
            }
        }
        best.map(|b| b.1)
    }

    /// The error model with a given k.
    pub fn with_k(model: &str, k: f64, cases: &[Case]) -> ErrorModel {
        let (mut oriented, mut unoriented) = (Vec::new(), Vec::new());
        for c in cases {
            let u = c.features.unit();
            let e = ((c.outcome - c.forecast) / u) / scale_of(k, &c.features);
            if c.features.direction != 0.0 {
                oriented.push(e * c.features.direction.signum());
            } else {
                unoriented.push(e.abs());
            }
        }
        ErrorModel::new(model.to_string(), k, oriented, unoriented)
    }

    /// The atoms of one centre's distribution, sorted by value (x -> clamp(f + s x) does not
    /// decrease, and for direction -1 the standardised error is read backwards).
    fn sorted_atoms_of<'a>(
        &'a self,
        forecast: f64,
        features: &'a IssueFeatures,
        weight: f64,
        widen: f64,
    ) -> Box<dyn Iterator<Item = (f64, f64)> + 'a> {
        let s = widen * scale_of(self.k, features) * features.unit();
        let (lo, hi) = features.range(widen);
        let at = move |&(e, w): &(f64, f64), sign: f64| {
            ((forecast + s * sign * e).clamp(lo, hi), w * weight)
        };
        if features.direction > 0.0 {
            Box::new(self.up.iter().map(move |a| at(a, 1.0)))
        } else if features.direction < 0.0 {
            Box::new(self.up.iter().rev().map(move |a| at(a, -1.0)))
        } else {
            Box::new(self.both.iter().map(move |a| at(a, 1.0)))
        }
    }

    /// The predictive distribution of one forecast (no input uncertainty).
    pub fn predictive_one(
        &self,
        forecast: f64,
        features: &IssueFeatures,
        widen: f64,
    ) -> Result<Predictive, PredictiveError> {
        self.predictive(
            &[Centre {
                forecast,
                features: *features,
                weight: 1.0,
            }],
            widen,
        )
    }

    /// The predictive distribution of a forecast made on uncertain inputs: the mixture over
    /// `centres` (one per Monte Carlo draw or world) of the error model around each, widened by
    /// `widen`. Its atoms number centres x residuals: see [`Predictive::compress`].
    pub fn predictive(
        &self,
        centres: &[Centre],
        widen: f64,
    ) -> Result<Predictive, PredictiveError> {
        if centres.is_empty() || self.is_empty() {
            return Err(PredictiveError::NoForecast);
        }
        Ok(Predictive::new(centres.iter().flat_map(|c| {
            self.sorted_atoms_of(c.forecast, &c.features, c.weight, widen)
        }))?)
    }
}

/// The CRPS of weighted atoms sorted by value (weights summing to 1) at `y`, in O(n).
fn crps_sorted(atoms: &[(f64, f64)], y: f64) -> f64 {
    let (mut e, mut spread, mut cw, mut cx) = (0.0, 0.0, 0.0, 0.0);
    for &(x, w) in atoms {
        e += w * (x - y).abs();
        spread += w * (x * cw - cx);
        cw += w;
        cx += w * x;
    }
    (e - spread).max(0.0)
}

/// Leave-one-group-out predictive distributions: each case's distribution comes from an error
/// model fitted on the cases of the other groups only (`groups[i]`: case i's group).
pub fn cross_validate(model: &str, cases: &[Case], groups: &[usize]) -> Vec<Predictive> {
    let mut names: Vec<usize> = groups.to_vec();
    names.sort_unstable();
    names.dedup();
    let mut out: Vec<Option<Predictive>> = vec![None; cases.len()];
    for g in names {
        let train: Vec<Case> = cases
            .iter()
            .zip(groups)
            .filter(|(_, &h)| h != g)
            .map(|(c, _)| *c)
            .collect();
        let Some(em) = ErrorModel::fit(model, &train) else {
            continue;
        };
        for (i, c) in cases.iter().enumerate() {
            if groups[i] == g {
                out[i] = em.predictive_one(c.forecast, &c.features, 1.0).ok();
            }
        }
    }
    // A group alone in the data has no other group to learn from: its distribution is the
    // point forecast.
    out.into_iter()
        .zip(cases)
        .map(|(p, c)| {
            p.unwrap_or_else(|| Predictive::point(c.forecast).expect("a finite forecast"))
        })
        .collect()
}

/// The widening factor of an issue: `meta.widening` if given, else 1 when `meta.inputs` is
/// `expert interviews`, else `default`.
pub fn widening_of(issue: &Issue, default: f64) -> Result<f64, PredictiveError> {
    let get = |k: &str| issue.meta.iter().find(|(key, _)| key == k).map(|x| &x.1);
    if let Some(v) = get(META_WIDENING) {
        return match v.trim().parse::<f64>() {
            Ok(x) if x.is_finite() && x > 0.0 => Ok(x),
            _ => Err(PredictiveError::Meta {
                issue: issue.id.clone(),
                field: META_WIDENING.into(),
                message: format!("`{v}` is not a number > 0"),
            }),
        };
    }
    Ok(match get(META_INPUTS) {
        Some(v) if v.trim() == INTERVIEWS => 1.0,
        _ => default,
    })
}

/// The schema version of the fitted parameters' file.
pub const ERROR_MODELS_SCHEMA: u32 = 3;

/// The fitted parameters shipped with brink (`crates/eval/data/error-models.json`), generated by
/// `cargo run --release -p brink-eval --example fit_error_models` from the DEU III development
/// split; a test checks that regenerating gives the same parameters.
pub const ERROR_MODELS_JSON: &str = include_str!("../data/error-models.json");

/// Every model's error model, fitted on one dataset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorModels {
    /// Schema version of this file.
    pub schema: u32,
    /// The dataset they were fitted on (path as given to the fit).
    pub dataset: String,
    /// SHA-256 of the dataset's text.
    pub sha256: String,
    /// Issues with an outcome.
    pub issues: usize,
    /// Groups (proposals) among them.
    pub groups: usize,
    /// Those groups' names (the DEU proposal ids, sorted): the data these models have seen, so
    /// that scoring them on data that share a proposal can be told apart from an out-of-sample
    /// test (`brink eval`'s choice of error models).
    pub proposals: Vec<String>,
    /// How the models' forecasts were made.
    pub note: String,
    /// One per model.
    pub models: Vec<ErrorModel>,
}

impl ErrorModels {
    /// The shipped error models (parsed once).
    pub fn builtin() -> Result<&'static ErrorModels, PredictiveError> {
        static CELL: std::sync::OnceLock<Result<ErrorModels, String>> = std::sync::OnceLock::new();
        CELL.get_or_init(|| Self::from_json(ERROR_MODELS_JSON).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| PredictiveError::Parameters(e.clone()))
    }

    /// Reads a parameters file.
    pub fn from_json(text: &str) -> Result<ErrorModels, PredictiveError> {
        let m: ErrorModels =
            serde_json::from_str(text).map_err(|e| PredictiveError::Parameters(e.to_string()))?;
        if m.schema != ERROR_MODELS_SCHEMA {
            return Err(PredictiveError::Parameters(format!(
                "schema {} (this build reads {ERROR_MODELS_SCHEMA})",
                m.schema
            )));
        }
        for em in &m.models {
            if em.is_empty()
                || !em.k.is_finite()
                || em
                    .oriented
                    .iter()
                    .chain(&em.unoriented)
                    .any(|e| !e.is_finite())
            {
                return Err(PredictiveError::Parameters(format!(
                    "model `{}`: k and every residual must be finite numbers, with at least one residual",
                    em.model
                )));
            }
        }
        Ok(m)
    }

    /// As the JSON text written to the parameters file.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain numbers and strings serialise") + "\n"
    }

    /// The error model of `model`.
    pub fn get(&self, model: &str) -> Result<&ErrorModel, PredictiveError> {
        self.models
            .iter()
            .find(|m| m.model == model)
            .ok_or_else(|| PredictiveError::UnknownModel(model.to_string()))
    }

    /// Fits every model of `models` on the scenario's issues with an outcome (multi-issue models
    /// run per proposal, as `brink eval` runs them).
    pub fn fit(
        sc: &Scenario,
        outcome: &[Option<f64>],
        models: &[Box<dyn brink_bargain::Model>],
        dataset: &str,
        text: &str,
    ) -> ErrorModels {
        let fc = crate::run_models(sc, models, &brink_bargain::Params::default(), true);
        let feats = IssueFeatures::of_values(sc, &sc.point_values());
        let with_outcome: Vec<usize> = (0..sc.issues.len())
            .filter(|&k| outcome[k].is_some())
            .collect();
        let mut groups: Vec<String> = with_outcome
            .iter()
            .map(|&k| crate::group_of(sc, k))
            .collect();
        groups.sort();
        groups.dedup();
        ErrorModels {
            schema: ERROR_MODELS_SCHEMA,
            dataset: dataset.to_string(),
            sha256: sha256_hex(text),
            issues: with_outcome.len(),
            groups: groups.len(),
            proposals: groups,
            note: "every model on the point values of each issue, multi-issue models per proposal, default parameters; one error model per model fitted on every issue it covers".into(),
            models: fc
                .iter()
                .filter_map(|f| {
                    let cases: Vec<Case> = cases_of(sc, outcome, &f.values, &feats)
                        .into_iter()
                        .map(|c| c.1)
                        .collect();
                    ErrorModel::fit(&f.name, &cases)
                })
                .collect(),
        }
    }

    /// Fits every model of the registry on a DEU III TSV (the shipped parameters come from
    /// `tests/data/deu3/deu3-dev.tsv`).
    pub fn fit_deu(text: &str, dataset: &str) -> Result<ErrorModels, PredictiveError> {
        let imp =
            brink_scenario::import::import(brink_scenario::import::Format::Deu, text, dataset)
                .map_err(|e| PredictiveError::Parameters(e.to_string()))?;
        let out = imp.outcomes.ok_or_else(|| {
            PredictiveError::Parameters(format!("{dataset}: no outcomes (`out`) in the data"))
        })?;
        let sc = imp.scenario;
        let outcome: Vec<Option<f64>> = sc.issues.iter().map(|is| out.value_of(&is.id)).collect();
        Ok(Self::fit(
            &sc,
            &outcome,
            &brink_bargain::registry(),
            dataset,
            text,
        ))
    }
}

fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The issues with both an outcome and a forecast (and an actor): (issue index, case).
pub fn cases_of(
    sc: &Scenario,
    outcome: &[Option<f64>],
    forecast: &[Option<f64>],
    features: &[Option<IssueFeatures>],
) -> Vec<(usize, Case)> {
    (0..sc.issues.len())
        .filter_map(|k| {
            Some((
                k,
                Case {
                    forecast: forecast[k]?,
                    outcome: outcome[k]?,
                    features: features[k]?,
                },
            ))
        })
        .collect()
}

/// The quantile levels a summary carries.
pub const QUANTILES: [f64; 7] = [0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95];

/// A level or probability as a JSON key (`0.5`, `0.05`).
pub fn key(p: f64) -> String {
    format!("{p}")
}

/// A predictive distribution summarised for people and documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DistSummary {
    /// The median.
    pub median: f64,
    /// The mean.
    pub mean: f64,
    /// Quantiles by probability (keys `"0.05"` .. `"0.95"`, see [`QUANTILES`]).
    pub quantiles: std::collections::BTreeMap<String, f64>,
    /// Central intervals by level (keys `"0.5"`, `"0.8"`, `"0.9"`): (lower, upper).
    pub intervals: std::collections::BTreeMap<String, (f64, f64)>,
    /// Values holding at least 2% of the mass on their own (value, probability), e.g. a scale's
    /// end or the end of the actors' range.
    pub point_masses: Vec<(f64, f64)>,
    /// The widening factor the distribution was made with.
    pub widening: f64,
}

impl DistSummary {
    /// Summarises `p`, made with widening `widening`.
    pub fn of(p: &Predictive, widening: f64) -> DistSummary {
        DistSummary {
            median: p.quantile(0.5),
            mean: p.mean(),
            quantiles: QUANTILES.iter().map(|&q| (key(q), p.quantile(q))).collect(),
            intervals: LEVELS.iter().map(|&l| (key(l), p.interval(l))).collect(),
            point_masses: p.atoms().iter().filter(|a| a.1 >= 0.02).copied().collect(),
            widening,
        }
    }
}

/// One model's predictive distribution on one issue, with its summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// The model.
    pub model: String,
    /// The issue's id.
    pub issue: String,
    /// The summary (what documents carry).
    #[serde(flatten)]
    pub summary: DistSummary,
    /// Monte Carlo draws (or worlds) the distribution mixes (1 for a run on point values).
    pub centres: usize,
    /// The distribution itself (not serialised: its atoms number in the hundreds).
    #[serde(skip)]
    pub distribution: Predictive,
}

/// At most this many atoms are kept in a [`Prediction`]'s distribution.
pub const MAX_ATOMS: usize = 4000;

/// Collects, per model and issue, the centres of the predictive distributions: one per Monte
/// Carlo draw (or per world of rival hypotheses, weighted by its probability). Feed it from the
/// Monte Carlo run's `keep` hook, then call [`DrawCollector::predictions`].
#[derive(Debug, Clone, PartialEq)]
pub struct DrawCollector {
    models: usize,
    issues: usize,
    /// [m * issues + k]: the centres of model m on issue k.
    centres: Vec<Vec<Centre>>,
}

impl DrawCollector {
    /// An empty collector for `models` models on the scenario's issues.
    pub fn new(models: usize, issues: usize) -> Self {
        DrawCollector {
            models,
            issues,
            centres: vec![Vec::new(); models * issues],
        }
    }

    /// Adds one draw with weight 1: its values and its forecasts, model-major
    /// (`forecasts[m * issues + k]`, NaN where a model does not cover an issue), as the Monte
    /// Carlo `keep` hook gives them.
    pub fn push(&mut self, sc: &Scenario, values: &Values, forecasts: &[f64]) {
        self.push_weighted(sc, values, forecasts, 1.0);
    }

    /// Adds one draw or world with a weight.
    pub fn push_weighted(
        &mut self,
        sc: &Scenario,
        values: &Values,
        forecasts: &[f64],
        weight: f64,
    ) {
        let feats = IssueFeatures::of_values(sc, values);
        for m in 0..self.models {
            for (k, feat) in feats.iter().enumerate().take(self.issues) {
                let f = forecasts
                    .get(m * self.issues + k)
                    .copied()
                    .unwrap_or(f64::NAN);
                if let (Some(features), true) = (feat, f.is_finite()) {
                    self.centres[m * self.issues + k].push(Centre {
                        forecast: f,
                        features: *features,
                        weight,
                    });
                }
            }
        }
    }

    /// The centres of model `m` on issue `k`.
    pub fn centres(&self, m: usize, k: usize) -> &[Centre] {
        &self.centres[m * self.issues + k]
    }

    /// The predictions, `[model][issue]` (`None` where the model never covered the issue),
    /// for the models named `names` (in the order the forecasts were given), each issue widened
    /// by [`widening_of`] with `default_widening`.
    pub fn predictions(
        &self,
        sc: &Scenario,
        names: &[String],
        models: &ErrorModels,
        default_widening: f64,
    ) -> Result<Vec<Vec<Option<Prediction>>>, PredictiveError> {
        let widen: Vec<f64> = sc
            .issues
            .iter()
            .map(|is| widening_of(is, default_widening))
            .collect::<Result<_, _>>()?;
        self.predictions_with(sc, names, models, &widen)
    }

    /// [`DrawCollector::predictions`] with each issue's widening factor given (`widen[k]` for
    /// issue k, each > 0).
    pub fn predictions_with(
        &self,
        sc: &Scenario,
        names: &[String],
        models: &ErrorModels,
        widen: &[f64],
    ) -> Result<Vec<Vec<Option<Prediction>>>, PredictiveError> {
        names
            .iter()
            .enumerate()
            .map(|(m, name)| {
                let em = models.get(name)?;
                (0..self.issues)
                    .map(|k| {
                        let cs = self.centres(m, k);
                        if cs.is_empty() {
                            return Ok(None);
                        }
                        let p = em.predictive(cs, widen[k])?.compress(MAX_ATOMS);
                        Ok(Some(Prediction {
                            model: name.clone(),
                            issue: sc.issues[k].id.clone(),
                            summary: DistSummary::of(&p, widen[k]),
                            centres: cs.len(),
                            distribution: p,
                        }))
                    })
                    .collect()
            })
            .collect()
    }
}

/// The predictions of a run on the point values: `runs` gives each model's name and forecast
/// per issue (`None` where not covered); `[model][issue]`.
pub fn predict_points(
    sc: &Scenario,
    runs: &[(String, Vec<Option<f64>>)],
    models: &ErrorModels,
    default_widening: f64,
) -> Result<Vec<Vec<Option<Prediction>>>, PredictiveError> {
    let n = sc.issues.len();
    let mut c = DrawCollector::new(runs.len(), n);
    let flat: Vec<f64> = runs
        .iter()
        .flat_map(|(_, v)| (0..n).map(|k| v.get(k).copied().flatten().unwrap_or(f64::NAN)))
        .collect();
    c.push(sc, &sc.point_values(), &flat);
    let names: Vec<String> = runs.iter().map(|r| r.0.clone()).collect();
    c.predictions(sc, &names, models, default_widening)
}
