//! What loading a feed reports: every record evaluated, counted, or skipped
//! with a reason (never silently).

use std::collections::BTreeMap;
use std::fmt;

/// Why a feed document, record or affected package was not turned into rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FeedIssueReason {
    /// The document is not JSON at all (an HTML error page, a truncated
    /// download): a compile error unless the feed is lenient.
    UnreadableDocument,
    /// The document holds no record (an empty file, `[]`).
    EmptyDocument,
    /// A JSON Lines line that is not JSON.
    NotJson,
    /// JSON, but not an OSV record (a field of the wrong type).
    InvalidRecord,
    NoId,
    /// The id is longer than the rule-id limit.
    IdTooLong,
    NoAffected,
    /// An `affected` entry without a package or with an empty name.
    NoPackage,
    /// An ecosystem the engine does not know (`Debian:11`, `Packagist`).
    UnsupportedEcosystem,
    /// A package name longer than the pattern limit.
    NameTooLong,
    /// A version that the ecosystem cannot parse.
    InvalidVersion,
    /// An advisory feed's range of a type other than `SEMVER`/`ECOSYSTEM`
    /// (`GIT` names commits, not versions).
    UnsupportedRange,
    /// An advisory record with no `fixed` event: it exempts nothing.
    NoFixedVersion,
}

impl FeedIssueReason {
    /// Every reason, for readers of the names (bundles).
    pub const ALL: [Self; 13] = [
        Self::UnreadableDocument,
        Self::EmptyDocument,
        Self::NotJson,
        Self::InvalidRecord,
        Self::NoId,
        Self::IdTooLong,
        Self::NoAffected,
        Self::NoPackage,
        Self::UnsupportedEcosystem,
        Self::NameTooLong,
        Self::InvalidVersion,
        Self::UnsupportedRange,
        Self::NoFixedVersion,
    ];

    /// The reason named `name` ([`Self::as_str`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    /// The snake_case name used in reports (CLI, Ruby).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::UnreadableDocument => "unreadable_document",
            Self::EmptyDocument => "empty_document",
            Self::NotJson => "not_json",
            Self::InvalidRecord => "invalid_record",
            Self::NoId => "no_id",
            Self::IdTooLong => "id_too_long",
            Self::NoAffected => "no_affected",
            Self::NoPackage => "no_package",
            Self::UnsupportedEcosystem => "unsupported_ecosystem",
            Self::NameTooLong => "name_too_long",
            Self::InvalidVersion => "invalid_version",
            Self::UnsupportedRange => "unsupported_range",
            Self::NoFixedVersion => "no_fixed_version",
        }
    }

    /// Problems of a document rather than of one record.
    pub fn is_document(self) -> bool {
        matches!(self, Self::UnreadableDocument | Self::EmptyDocument)
    }
}

impl fmt::Display for FeedIssueReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document or record that was skipped (or, under `strict`, failed the
/// compile), or a note on part of a record that was kept.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedIssue {
    pub feed: String,
    /// The document's origin.
    pub origin: String,
    /// 1-based line of the record in a JSON Lines document (or of the
    /// error in an unreadable one).
    pub line: Option<usize>,
    /// 1-based column of the error in an unreadable document.
    pub column: Option<usize>,
    pub record_id: Option<String>,
    pub reason: FeedIssueReason,
    pub message: String,
    /// False for notes that did not drop the record (such as an unsupported
    /// ecosystem in one of its `affected` entries).
    pub skipped: bool,
}

impl fmt::Display for FeedIssue {
    /// `ORIGIN:LINE: ID: message`, like compile errors.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.origin)?;
        if let Some(l) = self.line {
            write!(f, ":{l}")?;
            if let Some(c) = self.column {
                write!(f, ":{c}")?;
            }
        }
        f.write_str(": ")?;
        if let Some(id) = &self.record_id {
            write!(f, "{id}: ")?;
        }
        f.write_str(&self.message)?;
        if self.skipped {
            if self.reason.is_document() {
                f.write_str(" (document skipped)")?;
            } else {
                f.write_str(" (record skipped)")?;
            }
        }
        Ok(())
    }
}

/// Counts over one load, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedStats {
    pub documents: usize,
    pub records: usize,
    pub rules: usize,
    /// Fix versions (advisory feeds, which make no rules).
    pub fixes: usize,
    pub withdrawn: usize,
    /// Records replaced by a later record with the same id.
    pub superseded: usize,
    /// Records dropped (whatever the reason).
    pub skipped: usize,
    /// Every issue (skipped documents and records, and notes on kept
    /// records) counted by reason.
    pub reasons: BTreeMap<FeedIssueReason, usize>,
}

impl FeedStats {
    /// `3 not_json, 1 no_id`, for messages.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(|(r, n)| format!("{n} {r}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What the feeds contributed to an engine, feed by feed, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedReport {
    pub feeds: Vec<(String, FeedStats)>,
    /// Skipped documents and records, and notes; under `strict_feeds` only
    /// notes (a skipped record fails the compile).
    pub issues: Vec<FeedIssue>,
}
