//! What a run reads: a scenario with where it came from (its file name and the SHA-256 of its
//! text, written into every document), outcomes, claims, and evaluation data sets.

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
    /// The built-in scenario `ukraine-2021-12`.
    pub fn builtin() -> Result<Loaded> {
        let scenario = brink_scenario::builtin()
            .map_err(|e| Error::Internal(format!("the built-in scenario does not load: {e}")))?;
        Ok(Loaded {
            scenario,
            input: InputInfo {
                file: brink_scenario::BUILTIN_NAME.to_string(),
                sha256: sha256_hex(brink_scenario::BUILTIN_TOML),
            },
        })
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
        if name.ends_with(".tsv") {
            return Self::from_deu_tsv(&text, &name);
        }
        let scenario = brink_scenario::load_str(&text, &name)?;
        let op = match outcomes {
            Some(p) => p.to_path_buf(),
            None => {
                let s = name.strip_suffix(".toml").unwrap_or(&name);
                std::path::PathBuf::from(format!("{s}.outcomes.toml"))
            }
        };
        let outcomes = outcomes_file(&op, &scenario)?;
        Ok(Dataset {
            sha256: sha256_hex(&text),
            name,
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
