//! Why a decision came out as it did: every rule's fate for one request.

use std::fmt;

use crate::decision::{Action, Decision, RuleRef};

/// What became of one rule for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RuleOutcome {
    /// Every condition held (the rule is in M, or in `dry_run`).
    Matched,
    /// The rule expired at or before `now` (§4 step 1).
    Inactive,
    /// The first condition that did not hold, by its `match` key
    /// (`ecosystem`, `package`, `versions`, `license`, `license_not_in`,
    /// `published_within`, `project`, `attributes`, `provenance`,
    /// `provenance_downgrade`).
    Failed(&'static str),
    /// Every `match` condition held, and so did every `unless` condition:
    /// the rule is exempted from this request.
    Exempted,
}

impl fmt::Display for RuleOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RuleOutcome::Matched => f.write_str("matched"),
            RuleOutcome::Inactive => f.write_str("inactive (expired)"),
            RuleOutcome::Failed(key) => write!(f, "`{key}` does not hold"),
            RuleOutcome::Exempted => f.write_str("exempted (`unless` holds)"),
        }
    }
}

/// One rule of the policy set, in layer and position order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleExplanation {
    pub rule: RuleRef,
    /// The rule's layer is in `mode: dry_run`.
    pub dry_run: bool,
    pub enforced: bool,
    pub outcome: RuleOutcome,
}

/// Every rule's outcome, the effective default and the decision.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Explanation {
    pub rules: Vec<RuleExplanation>,
    /// The most severe default over the enforce-mode layers.
    pub default: Action,
    pub decision: Decision,
}
