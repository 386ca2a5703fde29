//! OSV records (https://ossf.github.io/osv-schema/) → feed rules.
//!
//! Only what a firewall needs is read: `id`, `summary`, `withdrawn` and
//! `affected[]` (package, `versions`, `SEMVER`/`ECOSYSTEM` ranges). Unknown
//! fields are ignored: OSV grows by adding fields.

use std::sync::Arc;

use package_versions::{Bound, Ecosystem, Interval, Version, VersionSet};
use serde::Deserialize;

use super::report::FeedIssueReason as Reason;
use super::FeedRule;

/// A problem with a record or one of its parts.
pub(crate) type Issue = (Reason, String);

/// The sizes of the rules a record may become (the policy limits).
pub(crate) struct Bounds {
    pub id_bytes: usize,
    pub name_bytes: usize,
}

#[derive(Deserialize)]
pub(crate) struct Record {
    pub id: Option<String>,
    modified: Option<String>,
    summary: Option<String>,
    pub(super) withdrawn: Option<String>,
    #[serde(default)]
    pub(super) affected: Vec<Affected>,
}

#[derive(Deserialize)]
pub(super) struct Affected {
    pub(super) package: Option<Package>,
    #[serde(default)]
    pub(super) ranges: Vec<Range>,
    #[serde(default)]
    versions: Vec<String>,
}

#[derive(Deserialize)]
pub(super) struct Package {
    pub(super) ecosystem: String,
    pub(super) name: String,
}

#[derive(Deserialize)]
pub(super) struct Range {
    #[serde(rename = "type")]
    pub(super) kind: String,
    #[serde(default)]
    pub(super) events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(serde::de::IgnoredAny),
}

/// What one record became.
pub(crate) enum Converted {
    Rules(Vec<FeedRule>),
    /// An advisory feed's record: the versions that fix it.
    Fixes(Vec<crate::advisory::Fix>),
    Withdrawn,
}

/// OSV ecosystem names (`PyPI`, `crates.io`, `Go`, ...), read by their base:
/// the schema lets an ecosystem carry a `:` suffix (`Maven:https://repo…` names
/// another repository, `Debian:11` a release), and a record spelled `NPM` or
/// `pypi` still means that ecosystem, so case is ignored. Reading such a
/// spelling as unknown would drop the record: fail open.
/// `None`: not an ecosystem here.
pub(super) fn ecosystem(osv: &str) -> Option<Ecosystem> {
    let base = osv.split_once(':').map_or(osv, |(base, _)| base).trim();
    [
        ("npm", Ecosystem::Npm),
        ("PyPI", Ecosystem::Pypi),
        ("Maven", Ecosystem::Maven),
        ("RubyGems", Ecosystem::Rubygems),
        ("Go", Ecosystem::Golang),
        ("NuGet", Ecosystem::Nuget),
        ("crates.io", Ecosystem::Cargo),
    ]
    .into_iter()
    .find(|(name, _)| name.eq_ignore_ascii_case(base))
    .map(|(_, eco)| eco)
}

/// OSV writes Go versions without the `v` that Go module versions carry.
fn parse_version(eco: Ecosystem, text: &str) -> Result<Version, String> {
    let owned;
    let text = if eco == Ecosystem::Golang && !text.starts_with('v') {
        owned = format!("v{text}");
        owned.as_str()
    } else {
        text
    };
    Version::parse(eco, text).map_err(|e| format!("version `{text}`: {e}"))
}

/// The intervals of one `SEMVER`/`ECOSYSTEM` range, read as the OSV spec's
/// evaluation does: events in version order, `introduced: "0"` first; each
/// `introduced` opens an interval that the next `fixed` (exclusive) or
/// `last_affected` (inclusive) closes; an open interval runs to the end.
pub(super) fn range_intervals(eco: Ecosystem, events: &[Event]) -> Result<Vec<Interval>, String> {
    // (version or None for "0", kind) with kind 0 = introduced, 1 = fixed, 2 = last_affected.
    let mut evs: Vec<(Option<Version>, u8)> = Vec::with_capacity(events.len());
    for e in events {
        let (text, kind) = match e {
            Event::Introduced(v) => (v, 0),
            Event::Fixed(v) => (v, 1),
            Event::LastAffected(v) => (v, 2),
            // `limit` bounds a git bisection; it never widens or narrows a version range.
            Event::Limit(_) => continue,
        };
        let v = if kind == 0 && text == "0" {
            None
        } else {
            Some(parse_version(eco, text)?)
        };
        evs.push((v, kind));
    }
    evs.sort_by(|a, b| match (&a.0, &b.0) {
        (None, None) => a.1.cmp(&b.1),
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y).then(a.1.cmp(&b.1)),
    });
    let mut out = Vec::new();
    let mut open: Option<Bound> = None;
    for (v, kind) in evs {
        match (kind, v) {
            (0, v) => {
                if open.is_none() {
                    open = Some(v.map_or(Bound::Unbounded, Bound::Included));
                }
            }
            (1, Some(v)) => {
                if let Some(lo) = open.take() {
                    out.push(Interval::new(lo, Bound::Excluded(v)));
                }
            }
            (_, Some(v)) => {
                if let Some(lo) = open.take() {
                    out.push(Interval::new(lo, Bound::Included(v)));
                }
            }
            (_, None) => {}
        }
    }
    if let Some(lo) = open {
        out.push(Interval::new(lo, Bound::Unbounded));
    }
    Ok(out)
}

/// A record's id, present and within the rule-id limit.
pub(super) fn checked_id(id: Option<String>, bounds: &Bounds) -> Result<String, Issue> {
    let id = match id {
        Some(id) if !id.trim().is_empty() => id,
        _ => return Err((Reason::NoId, "the record has no `id`".into())),
    };
    if id.len() > bounds.id_bytes {
        return Err((
            Reason::IdTooLong,
            format!(
                "the id is {} bytes, over the rule-id limit of {}",
                id.len(),
                bounds.id_bytes
            ),
        ));
    }
    Ok(id)
}

impl Record {
    /// `modified` as a time; a record without a readable one sorts first.
    pub(crate) fn modified_at(&self) -> Option<jiff::Timestamp> {
        self.modified.as_deref().and_then(|m| m.parse().ok())
    }

    /// The rules of this record, one per affected package of a supported
    /// ecosystem. Errors make the whole record invalid.
    pub(crate) fn convert(
        self,
        bounds: &Bounds,
        notes: &mut Vec<Issue>,
    ) -> Result<Converted, Issue> {
        let id = checked_id(self.id, bounds)?;
        if self.withdrawn.is_some() {
            return Ok(Converted::Withdrawn);
        }
        if self.affected.is_empty() {
            return Err((Reason::NoAffected, "`affected` is empty".into()));
        }
        // Parts left out; when nothing is left, they are why the record is.
        let mut left_out: Vec<Issue> = Vec::new();
        let id: Arc<str> = Arc::from(id.as_str());
        let summary: Option<Arc<str>> = self.summary.map(|s| Arc::from(s.as_str()));
        let mut rules = Vec::with_capacity(self.affected.len());
        for (i, a) in self.affected.into_iter().enumerate() {
            let p = a
                .package
                .ok_or_else(|| (Reason::NoPackage, format!("affected[{i}] has no `package`")))?;
            let Some(eco) = ecosystem(&p.ecosystem) else {
                left_out.push((
                    Reason::UnsupportedEcosystem,
                    format!(
                        "affected[{i}]: ecosystem `{}` is not supported",
                        super::truncate(p.ecosystem, 64)
                    ),
                ));
                continue;
            };
            if p.name.is_empty() {
                return Err((
                    Reason::NoPackage,
                    format!("affected[{i}].package.name is empty"),
                ));
            }
            if p.name.len() > bounds.name_bytes {
                left_out.push((
                    Reason::NameTooLong,
                    format!(
                        "affected[{i}]: the package name is {} bytes, over the limit of {}",
                        p.name.len(),
                        bounds.name_bytes
                    ),
                ));
                continue;
            }
            let mut intervals = Vec::new();
            let mut has_range = false;
            for r in &a.ranges {
                if r.kind == "SEMVER" || r.kind == "ECOSYSTEM" {
                    has_range = true;
                    intervals.extend(range_intervals(eco, &r.events).map_err(|e| {
                        (Reason::InvalidVersion, format!("affected[{i}].ranges: {e}"))
                    })?);
                }
            }
            let mut dropped = Vec::new();
            for v in &a.versions {
                match parse_version(eco, v) {
                    Ok(v) => intervals.push(Interval::exact(v)),
                    Err(_) => dropped.push(v.as_str()),
                }
            }
            if !dropped.is_empty() {
                notes.push((
                    Reason::InvalidVersion,
                    format!(
                        "affected[{i}]: versions that are not valid {eco} versions (no request can name them): {}",
                        super::truncate(dropped.join(", "), 256)
                    ),
                ));
            }
            // No usable version information: the whole package (fail closed).
            // Listed versions that all fail to parse land here too.
            // Every version (typical of malicious packages) is no version
            // condition at all, so requests without a version match too.
            let versions = if !has_range && intervals.is_empty() {
                None
            } else {
                Some(VersionSet::from_intervals(eco, intervals))
                    .filter(|s| *s != VersionSet::all(eco))
            };
            rules.push(FeedRule {
                id: id.clone(),
                ecosystem: eco,
                package: p.name,
                versions,
                summary: summary.clone(),
            });
        }
        if rules.is_empty() {
            let reason = left_out.first().map_or(Reason::NoAffected, |(r, _)| *r);
            let parts: Vec<String> = left_out.into_iter().map(|(_, m)| m).collect();
            return Err((
                reason,
                format!(
                    "no affected package is usable: {}",
                    super::truncate(parts.join("; "), 512)
                ),
            ));
        }
        notes.extend(left_out);
        Ok(Converted::Rules(rules))
    }
}
