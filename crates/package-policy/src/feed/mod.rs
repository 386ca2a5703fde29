//! Intelligence feeds: records from outside the policy (such as the OpenSSF
//! malicious-packages dataset in OSV format) compiled into rules of the layers
//! that declare them (`feeds:` in a layer, POLICY_SPEC §2).

mod osv;

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;
use std::fmt;
use std::sync::Arc;

use crate::document::FeedFormat;
use package_versions::{Ecosystem, VersionSet};

use crate::error::{CompileError, CompileErrorKind};

/// The data of one feed: a name that layers refer to, and its documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSource {
    pub name: String,
    pub documents: Vec<FeedDocument>,
}

/// One document: a JSON record, a JSON array of records, or JSON Lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedDocument {
    /// Where it came from (a file name), for reports.
    pub origin: String,
    pub text: String,
}

impl FeedSource {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            documents: Vec::new(),
        }
    }

    pub fn with_document(mut self, origin: impl Into<String>, text: impl Into<String>) -> Self {
        self.documents.push(FeedDocument {
            origin: origin.into(),
            text: text.into(),
        });
        self
    }
}

/// A record that was skipped (or, under `strict`, failed the compile).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FeedIssue {
    pub feed: String,
    /// The document's origin.
    pub origin: String,
    /// 1-based line of the record in a JSON Lines document.
    pub line: Option<usize>,
    pub record_id: Option<String>,
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
        }
        f.write_str(": ")?;
        if let Some(id) = &self.record_id {
            write!(f, "{id}: ")?;
        }
        f.write_str(&self.message)?;
        if self.skipped {
            f.write_str(" (record skipped)")?;
        }
        Ok(())
    }
}

/// Counts over one load, for reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedStats {
    pub records: usize,
    pub rules: usize,
    pub withdrawn: usize,
    /// Records replaced by a later record with the same id.
    pub superseded: usize,
    pub skipped: usize,
}

/// One rule made from one affected package of a record.
#[derive(Debug, Clone)]
pub(crate) struct FeedRule {
    pub id: Arc<str>,
    pub ecosystem: Ecosystem,
    /// As the record spells it; normalized like any rule pattern.
    pub package: String,
    /// `None`: every version.
    pub versions: Option<VersionSet>,
    pub summary: Option<Arc<str>>,
}

/// The rules of a feed, and what was skipped on the way.
pub(crate) struct Loaded {
    pub rules: Vec<FeedRule>,
    pub issues: Vec<FeedIssue>,
    pub stats: FeedStats,
}

/// The records of one document with their line numbers (for JSON Lines).
fn records(doc: &FeedDocument) -> Vec<(Option<usize>, Result<osv::Record, String>)> {
    let text = doc.text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<serde_json::Value>>(text) {
            Ok(values) => values
                .into_iter()
                .map(|v| (None, serde_json::from_value(v).map_err(|e| e.to_string())))
                .collect(),
            Err(e) => vec![(Some(e.line()), Err(e.to_string()))],
        };
    }
    // One record, possibly pretty-printed over many lines.
    if let Ok(r) = serde_json::from_str::<osv::Record>(text) {
        return vec![(None, Ok(r))];
    }
    // JSON Lines: one record per non-blank line; a bad line spoils only itself.
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            (
                Some(i + 1),
                serde_json::from_str(l).map_err(|e| e.to_string()),
            )
        })
        .collect()
}

/// Loads every record of `source` (format OSV). When several records share
/// an id (an advisory and its later withdrawal, or the same file twice), the
/// one modified last wins, whether it withdraws the advisory or not.
pub(crate) fn load(source: &FeedSource) -> Loaded {
    let mut out = Loaded {
        rules: Vec::new(),
        issues: Vec::new(),
        stats: FeedStats::default(),
    };
    struct Entry<'a> {
        origin: &'a str,
        line: Option<usize>,
        record: osv::Record,
    }
    let mut entries: Vec<Entry> = Vec::new();
    for doc in &source.documents {
        for (line, rec) in records(doc) {
            out.stats.records += 1;
            match rec {
                Ok(record) => entries.push(Entry {
                    origin: &doc.origin,
                    line,
                    record,
                }),
                Err(message) => {
                    out.stats.skipped += 1;
                    out.issues.push(FeedIssue {
                        feed: source.name.clone(),
                        origin: doc.origin.clone(),
                        line,
                        record_id: None,
                        message,
                        skipped: true,
                    });
                }
            }
        }
    }
    // The winner for each id: latest `modified`, then the later entry.
    let mut winner: FxHashMap<&str, usize> = FxHashMap::default();
    winner.reserve(entries.len());
    let mut superseded = vec![false; entries.len()];
    for (i, e) in entries.iter().enumerate() {
        let Some(id) = e.record.id.as_deref() else {
            continue;
        };
        match winner.get(id).copied() {
            None => {
                winner.insert(id, i);
            }
            Some(j) => {
                let earlier = entries.get(j).map(|w| w.record.modified_at());
                if earlier.is_some_and(|m| m > e.record.modified_at()) {
                    if let Some(s) = superseded.get_mut(i) {
                        *s = true;
                    }
                } else {
                    if let Some(s) = superseded.get_mut(j) {
                        *s = true;
                    }
                    winner.insert(id, i);
                }
            }
        }
    }
    drop(winner);
    for (e, superseded) in entries.into_iter().zip(superseded) {
        if superseded {
            out.stats.superseded += 1;
            continue;
        }
        let record_id = e.record.id.clone();
        let issue = |message: String, skipped: bool| FeedIssue {
            feed: source.name.clone(),
            origin: e.origin.to_owned(),
            line: e.line,
            record_id: record_id.clone(),
            message,
            skipped,
        };
        let mut notes = Vec::new();
        let converted = e.record.convert(&mut notes);
        out.issues
            .extend(notes.into_iter().map(|n| issue(n, false)));
        match converted {
            Err(message) => {
                out.stats.skipped += 1;
                out.issues.push(issue(message, true));
            }
            Ok(osv::Converted::Withdrawn) => out.stats.withdrawn += 1,
            Ok(osv::Converted::Rules(rules)) => {
                out.stats.rules += rules.len();
                out.rules.extend(rules);
            }
        }
    }
    out
}

/// Options of [`crate::Engine::compile_with`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompileOptions {
    /// The data of the feeds that layers declare, by name.
    pub feeds: Vec<FeedSource>,
    /// An invalid feed record fails the compile instead of being skipped.
    pub strict_feeds: bool,
    /// A declared feed without data is an error (true by default: a missing
    /// feed must not silently weaken a policy). `validate` turns it off.
    pub require_feeds: bool,
    pub limits: crate::Limits,
}

impl Default for CompileOptions {
    fn default() -> Self {
        Self {
            feeds: Vec::new(),
            strict_feeds: false,
            require_feeds: true,
            limits: crate::Limits::default(),
        }
    }
}

impl CompileOptions {
    pub fn with_feed(mut self, feed: FeedSource) -> Self {
        self.feeds.push(feed);
        self
    }

    pub fn strict_feeds(mut self, strict: bool) -> Self {
        self.strict_feeds = strict;
        self
    }

    pub fn limits(mut self, limits: crate::Limits) -> Self {
        self.limits = limits;
        self
    }
}

/// What the feeds contributed to an engine, feed by feed, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeedReport {
    pub feeds: Vec<(String, FeedStats)>,
    /// Skipped records and notes; empty under `strict_feeds` unless they are notes.
    pub issues: Vec<FeedIssue>,
}

/// Cuts `s` to at most `max` bytes on a character boundary.
fn truncate(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
    }
    s
}

/// Loads the feeds the layers declare and appends their rules to those
/// layers, after the layers' own rules.
pub(crate) fn attach(
    layers: &mut [crate::layer::Layer],
    sources: &[crate::source::LayerSource],
    options: &CompileOptions,
) -> Result<FeedReport, CompileError> {
    use crate::glob::{Glob, Tok};
    use crate::layer::{Conditions, Rule};

    let mut report = FeedReport::default();
    let declared: HashSet<&str> = layers
        .iter()
        .flat_map(|l| l.feeds.iter().map(|d| d.name.as_str()))
        .collect();
    let mut given = HashSet::new();
    for f in &options.feeds {
        if !given.insert(f.name.as_str()) {
            return Err(CompileError::new(
                CompileErrorKind::Feed,
                &f.name,
                format!("feed `{}` is given twice", f.name),
            ));
        }
        if !declared.contains(f.name.as_str()) {
            return Err(CompileError::new(
                CompileErrorKind::Feed,
                &f.name,
                format!("no layer declares a feed named `{}`", f.name),
            ));
        }
    }
    let mut loaded: HashMap<&str, Loaded> = HashMap::new();
    for (li, layer) in layers.iter_mut().enumerate() {
        let source_name = sources.get(li).map_or("", |s| s.name.as_str());
        for (fi, decl) in layer.feeds.iter().enumerate() {
            let Some(source) = options.feeds.iter().find(|f| f.name == decl.name) else {
                if options.require_feeds {
                    return Err(CompileError::new(
                        CompileErrorKind::Feed,
                        source_name,
                        format!(
                            "feed `{}` is declared but no data was given for it",
                            decl.name
                        ),
                    )
                    .with_path(format!("feeds[{fi}].name"))
                    .in_layer(&layer.name));
                }
                continue;
            };
            if !loaded.contains_key(decl.name.as_str()) {
                let l = match decl.format {
                    FeedFormat::Osv => load(source),
                };
                if options.strict_feeds {
                    if let Some(bad) = l.issues.iter().find(|i| i.skipped) {
                        let mut err = CompileError::new(
                            CompileErrorKind::Feed,
                            &bad.origin,
                            match &bad.record_id {
                                Some(id) => format!("{id}: {}", bad.message),
                                None => bad.message.clone(),
                            },
                        );
                        if let Some(line) = bad.line {
                            err = err.at(line, 1);
                        }
                        return Err(err);
                    }
                }
                report.feeds.push((decl.name.clone(), l.stats.clone()));
                report.issues.extend(l.issues.iter().cloned());
                loaded.insert(source.name.as_str(), l);
            }
            let Some(l) = loaded.get(decl.name.as_str()) else {
                continue;
            };
            let action = crate::decision::Action::from(decl.action);
            let prefix = decl.reason_prefix.as_deref().unwrap_or("");
            let limits = &options.limits;
            layer.rules.reserve(l.rules.len());
            for r in &l.rules {
                if r.id.len() > limits.rule_id_bytes || r.package.len() > limits.glob_bytes {
                    continue;
                }
                let reason: Option<Arc<str>> = match (&r.summary, prefix.is_empty()) {
                    (None, true) => None,
                    (Some(summary), true) if summary.len() <= limits.reason_bytes => {
                        Some(summary.clone())
                    }
                    (summary, _) => Some(Arc::from(truncate(
                        format!("{prefix}{}", summary.as_deref().unwrap_or("")),
                        limits.reason_bytes,
                    ))),
                };
                // Record names are literal: `*` or `[` in one is not a glob.
                let glob = Glob {
                    raw: r.package.clone(),
                    toks: r.package.chars().map(Tok::Lit).collect(),
                };
                layer.rules.push(Rule {
                    rref: crate::decision::RuleRef {
                        layer: layer.name.clone(),
                        id: r.id.clone(),
                        action,
                        reason,
                        owner: None,
                        ticket: None,
                    },
                    enforced: decl.enforced,
                    expires: None,
                    cond: Conditions {
                        ecosystems: Some(vec![r.ecosystem]),
                        packages: Some(vec![glob]),
                        versions: r.versions.clone(),
                        ..Conditions::default()
                    },
                });
            }
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests;
