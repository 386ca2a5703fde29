//! The validated model of a layer: what `crate::validate` produces from a
//! parsed document and `crate::compile` turns into an engine.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Ecosystem, VersionSet};

use crate::decision::{Action, RuleRef};
use crate::document::FeedDecl;
use crate::glob::Glob;
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
}

/// A validated rule.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub rref: RuleRef,
    pub enforced: bool,
    pub expires: Option<Timestamp>,
    pub cond: Conditions,
}

/// The `match` block of a rule, validated. `None` = the key is absent.
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
}
