//! What a run reads: a scenario with where it came from (its file name and the SHA-256 of its
//! text, written into every document), outcomes, claims, and evaluation data sets (DEU data or
//! a scenario with its outcomes: [`Dataset`]; an ICB file: [`IcbDataset`]; which one a file is:
//! [`EvalInput::load`]).

use std::path::Path;

use brink_scenario::import::{self, Format};
use brink_scenario::{Claims, Outcomes, Scenario};
use sha2::{Digest, Sha256};

use crate::doc::InputInfo;
use crate::error::{Error, Result};

/// The SHA-256 of a text, as lowercase hex.
pub fn sha256_hex(text: &str) -> String {
    let mut h = Sha256::new();
    h.update(text.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Reads a text file; a file that cannot be read is bad input naming it.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::input(format!("{}: cannot read: {e}", path.display())))
}

/// A scenario as loaded and validated, with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The scenario.
    pub scenario: Scenario,
    /// Its file and the SHA-256 of its text.
    pub input: InputInfo,
}

impl Loaded {
    /// The built-in scenario `ukraine-2021-12` with its onset addendum
    /// (`brink_scenario::BUILTIN_ONSET_TOML`, made after the outcome) applied, so that its
    /// crisis has a reference class; the input's name says so.
    pub fn builtin() -> Result<Loaded> {
        let scenario = brink_scenario::builtin()
            .map_err(|e| Error::Internal(format!("the built-in scenario does not load: {e}")))?;
        Loaded {
            scenario,
            input: InputInfo {
                file: brink_scenario::BUILTIN_NAME.to_string(),
                sha256: sha256_hex(brink_scenario::BUILTIN_TOML),
            },
        }
        .with_onset_str(
            brink_scenario::BUILTIN_ONSET_TOML,
            brink_scenario::BUILTIN_ONSET_NAME,
        )
        .map_err(|e| Error::Internal(format!("the built-in onset addendum does not load: {e}")))
    }

    /// A scenario from its TOML text; `name` names it in messages and documents.
    pub fn from_toml(text: &str, name: &str) -> Result<Loaded> {
        Ok(Loaded {
            scenario: brink_scenario::load_str(text, name)?,
            input: InputInfo {
                file: name.to_string(),
                sha256: sha256_hex(text),
            },
        })
    }

    /// A scenario file.
    pub fn from_file(path: &Path) -> Result<Loaded> {
        Self::from_toml(&read_text(path)?, &path.display().to_string())
    }

    /// A scenario file, or the built-in scenario when there is none.
    pub fn file_or_builtin(path: Option<&Path>) -> Result<Loaded> {
        match path {
            Some(p) => Self::from_file(p),
            None => Self::builtin(),
        }
    }

    /// The scenario with an onset addendum applied (`NAME.onset.toml`: the `[crises.onset]`
    /// sections of a frozen scenario, kept in a file of their own; `docs/scenario-format.md`).
    /// The addendum must name this scenario and the SHA-256 of its text; the input's name then
    /// says that the addendum, made after the outcome, was applied (its SHA-256 stays the
    /// scenario's).
    pub fn with_onset(self, addendum: &Path) -> Result<Loaded> {
        let text = read_text(addendum)?;
        self.with_onset_str(&text, &addendum.display().to_string())
    }

    /// [`Loaded::with_onset`] on the addendum's text; `name` names it in messages.
    pub fn with_onset_str(self, text: &str, name: &str) -> Result<Loaded> {
        Ok(self.apply_onset(text, name)?.0)
    }

    /// Applies an onset addendum, and returns it too.
    fn apply_onset(
        mut self,
        text: &str,
        name: &str,
    ) -> Result<(Loaded, brink_scenario::OnsetAddendum)> {
        let add = brink_scenario::load_onset_addendum_str(
            text,
            name,
            &self.scenario,
            &self.input.sha256,
        )?;
        add.apply(&mut self.scenario);
        self.input.file = format!(
            "{} + onset addendum {} (added {}, {})",
            self.input.file, name, add.added, add.label
        );
        Ok((self, add))
    }

    /// A scenario made in memory (e.g. by a program): its input is its TOML form, named `name`.
    pub fn from_scenario(scenario: Scenario, name: &str) -> Loaded {
        let text = brink_scenario::scenario_to_toml(&scenario);
        Loaded {
            scenario,
            input: InputInfo {
                file: name.to_string(),
                sha256: sha256_hex(&text),
            },
        }
    }
}

/// Loads an outcomes file and checks it against the scenario: every problem at once, each line
/// naming the file.
pub fn outcomes_file(path: &Path, sc: &Scenario) -> Result<Outcomes> {
    let out = brink_scenario::load_outcomes_file(path)?;
    check_outcomes(&out, sc, &path.display().to_string())?;
    Ok(out)
}

/// Checks outcomes against the scenario; `name` names the outcomes in messages.
pub fn check_outcomes(out: &Outcomes, sc: &Scenario, name: &str) -> Result<()> {
    let errs = out.check_against(sc);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Error::input(
            errs.iter()
                .map(|e| format!("{name}: {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}

/// Checks outcomes against the scenario they score, leniently: outcomes of issues the scenario
/// does not have are listed by the backtest as not scored (a frozen file scored with today's
/// outcomes), everything else must match.
pub fn check_outcomes_for_scoring(out: &Outcomes, sc: &Scenario, name: &str) -> Result<()> {
    let errs = out.check_for_scoring(sc);
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Error::input(
            errs.iter()
                .map(|e| format!("{name}: {e}"))
                .collect::<Vec<_>>()
                .join("\n"),
        ))
    }
}

/// Loads a claims file.
pub fn claims_file(path: &Path) -> Result<Claims> {
    let text = read_text(path)?;
    Ok(brink_scenario::load_claims_str(
        &text,
        &path.display().to_string(),
    )?)
}

/// Data with known outcomes to score the models on: a scenario and its outcomes.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// The name it goes by (the file as given).
    pub name: String,
    /// SHA-256 of the data's text.
    pub sha256: String,
    /// The scenario.
    pub scenario: Scenario,
    /// Its outcomes.
    pub outcomes: Outcomes,
}

impl Dataset {
    /// A DEU III TSV file (`.tsv`, imported on the fly), or a scenario with its outcomes file
    /// (`outcomes`, default: `NAME.outcomes.toml` beside it).
    pub fn load(path: &Path, outcomes: Option<&Path>) -> Result<Dataset> {
        let name = path.display().to_string();
        let text = read_text(path)?;
        Self::from_text(&text, &name, outcomes)
    }

    /// [`Dataset::load`] on the file's text, already read.
    fn from_text(text: &str, name: &str, outcomes: Option<&Path>) -> Result<Dataset> {
        if name.ends_with(".tsv") {
            return Self::from_deu_tsv(text, name);
        }
        let scenario = brink_scenario::load_str(text, name)?;
        let op = match outcomes {
            Some(p) => p.to_path_buf(),
            None => {
                let s = name.strip_suffix(".toml").unwrap_or(name);
                std::path::PathBuf::from(format!("{s}.outcomes.toml"))
            }
        };
        let outcomes = outcomes_file(&op, &scenario)?;
        Ok(Dataset {
            sha256: sha256_hex(text),
            name: name.to_string(),
            scenario,
            outcomes,
        })
    }

    /// DEU III data as TSV text.
    pub fn from_deu_tsv(text: &str, name: &str) -> Result<Dataset> {
        let imp =
            import::import(Format::Deu, text, name).map_err(|e| Error::input(e.to_string()))?;
        let outcomes = imp
            .outcomes
            .ok_or_else(|| Error::input(format!("{name}: no outcomes (`out`) in the data")))?;
        Ok(Dataset {
            name: name.to_string(),
            sha256: sha256_hex(text),
            scenario: imp.scenario,
            outcomes,
        })
    }
}

/// An ICB file in the release's own columns (system level ICB1 or actor level ICB2, the level
/// read from its header), with where it came from.
#[derive(Debug, Clone)]
pub struct IcbDataset {
    /// The file and the SHA-256 of its text (`<built-in: ...>` for the shipped files).
    pub input: InputInfo,
    /// The typed rows.
    pub data: brink_refclass::IcbData,
}

impl IcbDataset {
    /// Reads an ICB CSV file; a malformed field is bad input naming the file, the line and the
    /// column.
    pub fn load(path: &Path) -> Result<IcbDataset> {
        let text = read_text(path)?;
        Self::from_csv(&text, &path.display().to_string())
    }

    /// ICB CSV text; `name` names it in messages and documents.
    pub fn from_csv(text: &str, name: &str) -> Result<IcbDataset> {
        let data = brink_refclass::icb::read_str(text, name).map_err(refclass_error)?;
        Ok(IcbDataset {
            input: InputInfo {
                file: name.to_string(),
                sha256: sha256_hex(text),
            },
            data,
        })
    }

    /// The shipped development file of a level (325 crises or their 723 crisis actors), the
    /// default training data of `brink eval` on ICB files.
    pub fn builtin(level: brink_refclass::Level) -> IcbDataset {
        let (text, name) = match level {
            brink_refclass::Level::System => (
                brink_refclass::icb::BUILTIN_SYSTEM_CSV,
                brink_refclass::icb::BUILTIN_SYSTEM_NAME,
            ),
            brink_refclass::Level::Actor => (
                brink_refclass::icb::BUILTIN_ACTOR_CSV,
                brink_refclass::icb::BUILTIN_ACTOR_NAME,
            ),
        };
        IcbDataset {
            input: InputInfo {
                file: name.to_string(),
                sha256: sha256_hex(text),
            },
            data: brink_refclass::icb::builtin(level),
        }
    }
}

/// A reference-class error as an engine error: the data's faults are bad input, with the
/// file, line and column the reader names.
pub(crate) fn refclass_error(e: brink_refclass::Error) -> Error {
    Error::input(e.to_string())
}

/// What `brink eval` scores: models of issues against known outcomes, or the outside view of
/// crises against ICB's violence codes.
#[derive(Debug, Clone)]
pub enum EvalInput {
    /// DEU data or a scenario with its outcomes ([`crate::Eval::run`]).
    Outcomes(Box<Dataset>),
    /// An ICB file ([`crate::EvalIcb::run`]).
    Icb(IcbDataset),
}

/// Whether text looks like an ICB file: its first line is a comma-separated header naming
/// both `crisno` and `viol` (any case).
pub fn looks_like_icb(text: &str) -> bool {
    let head = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .lines()
        .next()
        .unwrap_or("");
    let cols: Vec<String> = head
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    cols.iter().any(|c| c == "crisno") && cols.iter().any(|c| c == "viol")
}

impl EvalInput {
    /// Reads what `brink eval` is given: a file ending in `.csv`, or any file whose header
    /// names ICB's `crisno` and `viol` columns, is an ICB file; otherwise as
    /// [`Dataset::load`] (a `.tsv` is DEU data, anything else a scenario with its outcomes).
    pub fn load(path: &Path, outcomes: Option<&Path>) -> Result<EvalInput> {
        let name = path.display().to_string();
        let text = read_text(path)?;
        if name.to_ascii_lowercase().ends_with(".csv") || looks_like_icb(&text) {
            if let Some(o) = outcomes {
                return Err(Error::input(format!(
                    "{name}: an ICB file carries its own outcomes (VIOL); --outcomes {} does not apply",
                    o.display()
                )));
            }
            return Ok(EvalInput::Icb(IcbDataset::from_csv(&text, &name)?));
        }
        let data = Dataset::from_text(&text, &name, outcomes)?;
        Ok(EvalInput::Outcomes(Box::new(data)))
    }
}

/// One coded crisis of a library like `scenarios/crises/`: a frozen scenario (`NAME.toml`) with
/// its onset addendum applied (`NAME.onset.toml`) and its outcomes (`NAME.outcomes.toml`).
#[derive(Debug, Clone)]
pub struct CodedCrisis {
    /// `NAME`.
    pub name: String,
    /// The frozen scenario's file.
    pub scenario_file: std::path::PathBuf,
    /// Its onset addendum's file.
    pub onset_file: std::path::PathBuf,
    /// Its outcomes file.
    pub outcomes_file: std::path::PathBuf,
    /// The scenario with the addendum applied (its input names both).
    pub loaded: Loaded,
    /// The outcomes, checked against the scenario.
    pub outcomes: Outcomes,
    /// The ICB crisis number the addendum gives, if any.
    pub icb_crisno: Option<u32>,
}

/// Every coded crisis in `dir`: each `NAME.onset.toml` with its `NAME.toml` and
/// `NAME.outcomes.toml`, loaded and checked, in order of name. For a backtest of the library
/// (`Backtest::run_with(&c.loaded, &c.outcomes, ..)` per crisis) and the outside view's scores.
pub fn coded_crises(dir: &Path) -> Result<Vec<CodedCrisis>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| Error::input(format!("{}: cannot read: {e}", dir.display())))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| {
            e.file_name()
                .to_str()
                .and_then(|n| n.strip_suffix(".onset.toml"))
                .map(str::to_string)
        })
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|name| {
            let scenario_file = dir.join(format!("{name}.toml"));
            let onset_file = dir.join(format!("{name}.onset.toml"));
            let outcomes_path = dir.join(format!("{name}.outcomes.toml"));
            let (loaded, add) = Loaded::from_file(&scenario_file)?
                .apply_onset(&read_text(&onset_file)?, &onset_file.display().to_string())?;
            let outcomes = outcomes_file(&outcomes_path, &loaded.scenario)?;
            Ok(CodedCrisis {
                name,
                scenario_file,
                onset_file,
                outcomes_file: outcomes_path,
                loaded,
                outcomes,
                icb_crisno: add.icb_crisno,
            })
        })
        .collect()
}
