//! brink-refclass: the outside view of a crisis. The International Crisis Behavior (ICB) data
//! (v15 development split, embedded) as a reference class: how often did past crises that began
//! like this one end in violence, serious clashes or full-scale war, and which past crises are
//! most like it.
//!
//! - [`icb`]: a typed reader of ICB release files (system ICB1 and actor ICB2, by header name).
//! - [`onset`]: the onset values a forecast may use (`VARIABLES.md`'s ONSET class; NEAR only in
//!   the labelled `*_near` models).
//! - [`ReferenceClass`]: three L2-regularised logistic regressions (VIOL >= 2, >= 3, = 4), their
//!   penalties chosen by cross-validation by crisis, made coherent, fitted only on crises that
//!   were over before a date; [`ReferenceClass::predict`] gives the [`OutsideView`].
//! - [`evaluate`]: Brier, log loss, AUC and calibration on an ICB file, never fitted on the rows
//!   it scores, with bootstrap intervals over crises ([`IcbEval`]).
//! - [`onset_from_scenario`]: a scenario crisis's `[crises.onset]` section as onset values.
//!
//! How it is fitted, what it may use and how it scores: `docs/reference-class.md`.
//!
//! Data: Brecher & Wilkenfeld, *A Study of Crisis* (2000); Brecher, Wilkenfeld, Beardsley,
//! James & Quinn, *ICB Data Codebook v15* (2023); distributed free for research with citation.

mod beta;
mod error;
pub mod eval;
mod features;
pub mod icb;
mod logit;
mod model;
pub mod onset;
mod scenario;

pub use error::{Error, Result};
pub use eval::{evaluate, evaluate_builtin, EvalOptions, IcbEval};
pub use icb::{IcbData, IcbRows};
pub use logit::LAMBDAS;
pub use model::{
    meets, monotone, FitOptions, Interval, NearCrisis, OutsideView, ReferenceClass, TargetFit,
    TARGETS,
};
pub use onset::{ActorOnset, Level, OnsetValues, SystemOnset};
pub use scenario::{onset_from_scenario, onset_from_scenario_with, ScenarioOnset};
