//! The same workload for peer engines: regorus (Rego, interpreter, compiled
//! policy and RVM) and cedar-policy (the name-only subset). Every engine's
//! answer is reduced to an [`Answer`] so the bench can cross-check them.

pub mod cedar;
pub mod rego;

use package_policy::{Action, Decision};

/// What all engines must agree on: the action and the unsuppressed deny/warn
/// rules (as sorted `layer/id` keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub action: Action,
    pub matched: Vec<String>,
}

impl Answer {
    pub fn of(d: &Decision) -> Answer {
        let mut matched: Vec<String> = d
            .matched
            .iter()
            .map(|r| format!("{}/{}", r.layer, r.id))
            .collect();
        matched.sort();
        Answer {
            action: d.action,
            matched,
        }
    }
}

pub(crate) fn parse_action(s: &str) -> Result<Action, String> {
    match s {
        "allow" => Ok(Action::Allow),
        "warn" => Ok(Action::Warn),
        "deny" => Ok(Action::Deny),
        other => Err(format!("unknown action `{other}`")),
    }
}
