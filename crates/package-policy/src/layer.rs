//! The validated model of a layer: what `crate::validate` produces from a
//! parsed document and `crate::compile` turns into an engine.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Ecosystem, VersionSet};

use crate::decision::{Action, RuleRef};
use crate::document::FeedDecl;
use crate::glob::Glob;
use crate::request::provenance::ProvenanceCond;
use crate::request::AttrValue;

/// A validated layer.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub name: Arc<str>,
    pub default: Action,
    pub dry_run: bool,
    /// What a scan does with a package whose license text is no SPDX
    /// expression (`unreadable_license`); `None` leaves it to the caller.
    pub unreadable_license: Option<Action>,
    pub rules: Vec<Rule>,
    /// Feeds whose records become rules after `rules` (see `feed::attach`).
    pub feeds: Vec<FeedDecl>,
    /// The fix versions of the layer's advisory feeds (`feed::attach`), in
    /// the order read; `fixes_advisory` conditions of this layer and the
    /// layers inside it consult them.
    pub fixes: Vec<crate::advisory::Fix>,
}

/// A validated rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub rref: RuleRef,
    pub enforced: bool,
    pub expires: Option<Timestamp>,
    pub cond: Conditions,
}

/// The `match` block of a rule, validated, with its `unless` block.
/// `None` = the key is absent.
#[derive(Debug, Clone, Default)]
pub(crate) struct Conditions {
    /// Sorted, without duplicates; for a rule with `versions`, its one ecosystem.
    pub ecosystems: Option<Vec<Ecosystem>>,
    /// Patterns as written; normalized per ecosystem when matched or indexed.
    pub packages: Option<Vec<Glob>>,
    /// The union of the listed ranges, in the rule's one ecosystem.
    pub versions: Option<VersionSet>,
    pub license: Option<Vec<&'static str>>,
    pub license_not_in: Option<Vec<&'static str>>,
    pub published_within: Option<SignedDuration>,
    pub project: Option<Vec<Glob>>,
    pub attributes: Option<BTreeMap<String, AttrValue>>,
    pub provenance: Option<ProvenanceCond<Glob>>,
    /// `provenance_downgrade: true` (false is not accepted).
    pub provenance_downgrade: bool,
    /// `fixes_advisory: true` (only in an `unless` block).
    pub fixes_advisory: bool,
    /// The rule's `unless:` conditions (never nested: an `unless` has none).
    pub unless: Option<Box<Conditions>>,
}

impl Conditions {
    /// No condition at all: holds for every request.
    pub fn is_empty(&self) -> bool {
        self.ecosystems.is_none()
            && self.packages.is_none()
            && self.versions.is_none()
            && self.license.is_none()
            && self.license_not_in.is_none()
            && self.published_within.is_none()
            && self.project.is_none()
            && self.attributes.as_ref().is_none_or(|a| a.is_empty())
            && self.provenance.is_none()
            && !self.provenance_downgrade
            && !self.fixes_advisory
            && self.unless.is_none()
    }
}
