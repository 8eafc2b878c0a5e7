//! Warnings: what a valid scenario says that has no effect on its forecasts. A warning is not
//! an error (the scenario loads and runs); it tells the reader which part of the file is not
//! used, so that nobody reads a forecast as taking it into account.

use std::fmt;

use crate::model::{CrisisTemplate, RedLineTrigger, Scenario};

/// Something in a valid scenario that does not count in its forecasts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The field path, e.g. `crises[0].red_lines`.
    pub path: String,
    /// What is not used and why, in words.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The warnings of a validated scenario, in file order: today, the red lines of every crisis
/// played on a game that does not use them (the escalation ladder and a game written out in
/// Gambit's format; only the International Interaction Game applies red lines).
pub fn warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = Vec::new();
    for (ci, c) in sc.crises.iter().enumerate() {
        if c.red_lines.is_empty() {
            continue;
        }
        let game = match &c.template {
            CrisisTemplate::Iig => continue,
            CrisisTemplate::Ladder { rungs } => format!(
                "the escalation ladder ({rungs} rung{})",
                if *rungs == 1 { "" } else { "s" }
            ),
            CrisisTemplate::Efg { .. } => "a game written out in Gambit's format".to_string(),
        };
        let lines: Vec<String> = c
            .red_lines
            .iter()
            .map(|rl| {
                let actor = sc.actors.get(rl.actor).map_or("?", |a| a.name.as_str());
                let issue = sc.issues.get(rl.issue).map_or("?", |i| i.name.as_str());
                let when = match (rl.trigger, &rl.threshold) {
                    (RedLineTrigger::Settlement, Some(t)) => {
                        format!("{} at a settlement beyond {}", rl.action, t.point)
                    }
                    _ => format!("{} if the other side uses force", rl.action),
                };
                format!("{actor}'s on {issue} ({when})")
            })
            .collect();
        let n = lines.len();
        out.push(Warning {
            path: format!("crises[{ci}].red_lines"),
            message: format!(
                "crisis `{}` ({}) is played on {game}, which does not use red lines: its {} ignored: {}; only the International Interaction Game (template \"iig\") applies red lines",
                c.id,
                c.name,
                if n == 1 {
                    "red line is".to_string()
                } else {
                    format!("{n} red lines are")
                },
                lines.join("; ")
            ),
        });
    }
    out
}
