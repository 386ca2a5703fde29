use std::fmt;
use std::sync::Arc;

/// What the proxy should do with a request, ordered by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Allow,
    Warn,
    Deny,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Allow => "allow",
            Action::Warn => "warn",
            Action::Deny => "deny",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A reference to one rule, as carried into decisions. Cheap to clone.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleRef {
    pub layer: Arc<str>,
    pub id: Arc<str>,
    pub action: Action,
    pub reason: Option<Arc<str>>,
    pub owner: Option<Arc<str>>,
    pub ticket: Option<Arc<str>>,
}

/// A deny/warn rule that matched but was suppressed by an allow rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Suppressed {
    pub rule: RuleRef,
    pub by: RuleRef,
}

/// The engine's answer for one request, with its explanation (POLICY_SPEC §4).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decision {
    pub action: Action,
    /// Unsuppressed deny/warn rules: most severe first, then layer and position.
    pub matched: Vec<RuleRef>,
    /// Every matching allow rule, by layer and position.
    pub allowed_by: Vec<RuleRef>,
    pub suppressed: Vec<Suppressed>,
    /// Rules of dry-run layers that would have matched.
    pub dry_run: Vec<RuleRef>,
    /// True when the effective default decided.
    pub default: bool,
    /// For a deny or warn: the earliest time at which, the request unchanged,
    /// the action would be less severe, because time-bound rules (release-age
    /// cooldowns, `published_within`; expiring rules) stop matching. `None`
    /// for an allow, and when no time passing would change the action.
    pub allowed_after: Option<jiff::Timestamp>,
}
