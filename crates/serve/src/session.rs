//! The scenario being edited: its text after every edit (undo and redo walk this history), the
//! text as opened or last saved (the "as given" side of the what-if view), and where Save
//! writes. The history holds texts, not diffs: a scenario is tens of kilobytes.

use brink_engine::Loaded;
use serde::Serialize;
use serde_json::json;

use crate::error::Error;

/// How many texts undo can go back.
pub const HISTORY: usize = 200;

/// A problem of the scenario as the validator reports it: the same words as `brink check`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// 1-based line (0 when the problem has no place in the file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// The field path (`stances[3].salience`), empty when there is none.
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// The whole line as the command line prints it (`FILE:LINE:COL: PATH: MESSAGE`).
    pub text: String,
}

/// Loads a scenario's text as the command line would (`name` names it in messages): the loaded
/// scenario, or every problem.
pub fn load(text: &str, name: &str) -> Result<Loaded, Vec<Problem>> {
    let loaded = Loaded::from_toml(text, name).map_err(|e| match &e {
        brink_engine::Error::Load(le) if !le.diagnostics().is_empty() => le
            .diagnostics()
            .iter()
            .map(|d| Problem {
                line: d.line,
                column: d.column,
                path: d.path.clone(),
                message: d.message.clone(),
                text: d.to_string(),
            })
            .collect(),
        _ => vec![Problem {
            line: 0,
            column: 0,
            path: String::new(),
            message: e.to_string(),
            text: e.to_string(),
        }],
    })?;
    Ok(if name == brink_scenario::BUILTIN_NAME {
        with_builtin_onset(loaded)
    } else {
        loaded
    })
}

/// The built-in scenario's session, as opened or edited, with the onset sections of the
/// built-in onset addendum (made after the outcome; `brink run` with no argument applies the
/// same), matched by crisis id, on the crises that have none of their own, so that the page
/// shows their reference class as the command line does; the input's name says so.
fn with_builtin_onset(mut loaded: Loaded) -> Loaded {
    let Ok(base) = brink_scenario::builtin() else {
        return loaded;
    };
    let sha = brink_engine::sha256_hex(brink_scenario::BUILTIN_TOML);
    let Ok(add) = brink_scenario::load_onset_addendum_str(
        brink_scenario::BUILTIN_ONSET_TOML,
        brink_scenario::BUILTIN_ONSET_NAME,
        &base,
        &sha,
    ) else {
        return loaded;
    };
    let mut applied = false;
    for (k, onset) in &add.crises {
        let Some(id) = base.crises.get(*k).map(|c| c.id.as_str()) else {
            continue;
        };
        if let Some(c) = loaded
            .scenario
            .crises
            .iter_mut()
            .find(|c| c.id == id && c.onset.is_none())
        {
            c.onset = Some(onset.clone());
            applied = true;
        }
    }
    if applied {
        loaded.input.file = format!(
            "{} + onset addendum {} (added {}, {})",
            loaded.input.file,
            brink_scenario::BUILTIN_ONSET_NAME,
            add.added,
            add.label
        );
    }
    loaded
}

/// The scenario being edited.
#[derive(Debug, Clone)]
pub struct Session {
    /// The name it goes by in messages and documents (the file name relative to the opened
    /// directory, or the built-in scenario's name).
    pub name: String,
    /// The file Save writes to, relative to the opened directory (none for the built-in or a new
    /// scenario until saved).
    pub file: Option<String>,
    /// The text as opened or last saved.
    pub given: String,
    history: Vec<String>,
    at: usize,
    /// Counts every change of the text, so that a page can tell a stale answer.
    pub version: u64,
}

impl Session {
    /// A session on this text.
    pub fn new(name: String, file: Option<String>, text: String) -> Session {
        Session {
            name,
            file,
            given: text.clone(),
            history: vec![text],
            at: 0,
            version: 1,
        }
    }

    /// The text as edited.
    pub fn text(&self) -> &str {
        &self.history[self.at]
    }

    /// A new text after an edit (redo is lost, as in any editor).
    pub fn push(&mut self, text: String) {
        if text == self.text() {
            return;
        }
        self.history.truncate(self.at + 1);
        self.history.push(text);
        if self.history.len() > HISTORY {
            self.history.remove(0);
        }
        self.at = self.history.len() - 1;
        self.version += 1;
    }

    /// Back one edit; false when there is none.
    pub fn undo(&mut self) -> bool {
        if self.at == 0 {
            return false;
        }
        self.at -= 1;
        self.version += 1;
        true
    }

    /// Forward one edit; false when there is none.
    pub fn redo(&mut self) -> bool {
        if self.at + 1 >= self.history.len() {
            return false;
        }
        self.at += 1;
        self.version += 1;
        true
    }

    /// The state the page shows: the scenario as JSON, its problems, what undo, redo and save can
    /// do.
    pub fn state(&self) -> Result<String, Error> {
        let text = self.text();
        let problems = load(text, &self.name).err().unwrap_or_default();
        let doc = crate::edit::to_json_text(text)?;
        let rest = json!({
            "name": self.name,
            "file": self.file,
            "version": self.version,
            "can_undo": self.at > 0,
            "can_redo": self.at + 1 < self.history.len(),
            "dirty": text != self.given,
            "problems": problems,
        })
        .to_string();
        // The scenario in its file's order (a JSON map would sort its keys).
        Ok(format!("{{\"doc\":{doc},{}", &rest[1..]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut s = Session::new("a.toml".into(), None, "a".into());
        s.push("b".into());
        s.push("c".into());
        assert!(s.undo());
        assert_eq!(s.text(), "b");
        assert!(s.undo());
        assert!(!s.undo());
        assert!(s.redo());
        assert_eq!(s.text(), "b");
        s.push("d".into());
        assert!(!s.redo(), "an edit after undo drops the redo");
        assert_eq!(s.text(), "d");
    }
}
