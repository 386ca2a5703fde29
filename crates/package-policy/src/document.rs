//! Stage 1's output: the serde schema of a layer document, as written.
//! Parsing (`crate::parse`) fills these types; validation
//! (`crate::validate`) turns them into the checked model of `crate::layer`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::decision::Action;
use crate::one_or_many::OneOrMany;
use crate::request::provenance::RawProvenanceCond;
use crate::request::AttrValue;

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawAction {
    Allow,
    Warn,
    Deny,
}

impl From<RawAction> for Action {
    fn from(a: RawAction) -> Self {
        match a {
            RawAction::Allow => Action::Allow,
            RawAction::Warn => Action::Warn,
            RawAction::Deny => Action::Deny,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RawMode {
    Enforce,
    DryRun,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLayer {
    pub schema_version: u32,
    pub layer: String,
    pub default: Option<RawAction>,
    pub mode: Option<RawMode>,
    pub unreadable_license: Option<RawAction>,
    #[serde(default)]
    pub feeds: Vec<FeedDecl>,
    #[serde(default)]
    pub rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRule {
    pub id: String,
    pub action: RawAction,
    pub reason: Option<String>,
    pub enforced: Option<bool>,
    pub expires: Option<String>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
    #[serde(rename = "match")]
    pub conditions: RawMatch,
    /// Conditions that, when all hold, keep the rule from matching.
    pub unless: Option<RawMatch>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMatch {
    pub ecosystem: Option<OneOrMany<String>>,
    pub package: Option<OneOrMany<String>>,
    pub versions: Option<OneOrMany<String>>,
    pub license: Option<OneOrMany<String>>,
    pub license_not_in: Option<OneOrMany<String>>,
    pub published_within: Option<String>,
    pub project: Option<OneOrMany<String>>,
    pub attributes: Option<BTreeMap<String, AttrValue>>,
    pub provenance: Option<RawProvenanceCond>,
    pub provenance_downgrade: Option<bool>,
    /// Only in `unless`: the version is the first fixed version of an
    /// advisory of a declared advisory feed.
    pub fixes_advisory: Option<bool>,
}

/// A layer's `feeds:` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FeedDecl {
    pub name: String,
    pub format: FeedFormat,
    /// Absent: `rules` (the records become rules).
    pub kind: Option<FeedKind>,
    /// Required for `rules` feeds; advisory feeds make no rules and take none.
    pub action: Option<FeedAction>,
    /// Absent: enforced for deny and warn feeds (see [`FeedDecl::is_enforced`]).
    pub enforced: Option<bool>,
    /// `false`: an unreadable or empty feed is skipped and reported instead
    /// of failing the compile. Absent: strict.
    pub strict: Option<bool>,
    /// Put before each record's summary in the rule's reason.
    pub reason_prefix: Option<String>,
}

impl FeedDecl {
    /// Feed rules are enforced unless the declaration says `enforced: false`:
    /// a malicious-package record must not be suppressed by any project's
    /// allow. Allow feeds cannot be enforced.
    pub(crate) fn is_enforced(&self) -> bool {
        self.enforced
            .unwrap_or(!matches!(self.action, Some(FeedAction::Allow)))
    }

    /// Whether the feed tells which versions fix advisories instead of
    /// making rules.
    pub(crate) fn is_advisories(&self) -> bool {
        matches!(self.kind, Some(FeedKind::Advisories))
    }
}

/// What a feed's records are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FeedKind {
    /// Each record becomes a rule of the declaring layer (malicious packages).
    Rules,
    /// Vulnerability records: the versions that fix them, for `fixes_advisory`.
    Advisories,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FeedFormat {
    Osv,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum FeedAction {
    Allow,
    Warn,
    Deny,
}

impl From<FeedAction> for Action {
    fn from(a: FeedAction) -> Self {
        match a {
            FeedAction::Allow => Self::Allow,
            FeedAction::Warn => Self::Warn,
            FeedAction::Deny => Self::Deny,
        }
    }
}
