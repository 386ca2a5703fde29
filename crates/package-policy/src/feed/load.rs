//! Reading a feed's documents into OSV records, and records into rules.
//!
//! A document is one JSON record, a JSON array of records, or JSON Lines. A
//! document that is none of these (an HTML error page, a truncated download)
//! or holds no record is a document issue, which fails the compile unless the
//! feed is lenient; a bad line of a JSON Lines document spoils only itself.

use rustc_hash::FxHashMap;
use serde_json::error::Category;

use super::osv;
use super::report::{FeedIssue, FeedIssueReason, FeedStats};
use super::{FeedDocument, FeedRule, FeedSource};
use crate::document::FeedKind;
use crate::limits::Limits;

/// The rules of a feed, and what was skipped on the way.
pub(crate) struct Loaded {
    pub kind: FeedKind,
    pub rules: Vec<FeedRule>,
    /// An advisory feed's fix versions (it has no rules).
    pub fixes: Vec<crate::advisory::Fix>,
    pub issues: Vec<FeedIssue>,
    pub stats: FeedStats,
}

/// A problem of a whole document: its reason, line, column and message.
struct DocumentIssue {
    reason: FeedIssueReason,
    line: usize,
    column: usize,
    message: String,
}

type Line = (
    Option<usize>,
    Result<osv::Record, (FeedIssueReason, String)>,
);

fn record_error(e: &serde_json::Error) -> (FeedIssueReason, String) {
    let reason = match e.classify() {
        Category::Data => FeedIssueReason::InvalidRecord,
        Category::Io | Category::Syntax | Category::Eof => FeedIssueReason::NotJson,
    };
    (reason, e.to_string())
}

/// The first characters of `text` on one line, for messages.
fn preview(text: &str) -> String {
    let line = text.lines().next().unwrap_or("");
    let mut out: String = line.chars().take(40).collect();
    if out.len() < line.len() {
        out.push('…');
    }
    out
}

fn unreadable(text: &str, e: &serde_json::Error) -> DocumentIssue {
    DocumentIssue {
        reason: FeedIssueReason::UnreadableDocument,
        line: e.line().max(1),
        column: e.column().max(1),
        message: format!(
            "not an OSV JSON or JSON Lines document (it starts with `{}`; an error page or a \
             truncated download?): {e}",
            preview(text)
        ),
    }
}

fn empty(what: &str) -> DocumentIssue {
    DocumentIssue {
        reason: FeedIssueReason::EmptyDocument,
        line: 1,
        column: 1,
        message: format!("the document {what}"),
    }
}

/// The records of one document with their line numbers (for JSON Lines).
fn records(doc: &FeedDocument) -> Result<Vec<Line>, DocumentIssue> {
    let text = doc.text.trim_start_matches('\u{feff}');
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(empty("is empty"));
    }
    if trimmed.starts_with('[') {
        let values = serde_json::from_str::<Vec<serde_json::Value>>(text)
            .map_err(|e| unreadable(trimmed, &e))?;
        if values.is_empty() {
            return Err(empty("is an empty array"));
        }
        return Ok(values
            .into_iter()
            .map(|v| {
                (
                    None,
                    serde_json::from_value(v).map_err(|e| record_error(&e)),
                )
            })
            .collect());
    }
    // One record, possibly pretty-printed over many lines (the common case
    // of a directory of advisories: read directly).
    if let Ok(record) = serde_json::from_str::<osv::Record>(text) {
        return Ok(vec![(None, Ok(record))]);
    }
    let whole = serde_json::from_str::<serde_json::Value>(text);
    if let Ok(v) = whole {
        return Ok(vec![(
            None,
            serde_json::from_value(v).map_err(|e| record_error(&e)),
        )]);
    }
    // JSON Lines: one record per non-blank line. The first line must be JSON,
    // or the document is not JSON Lines (an HTML page, a truncated record).
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .peekable();
    if let Some((_, first)) = lines.peek() {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(first) {
            return Err(match whole {
                Err(whole) if trimmed.starts_with('{') => unreadable(trimmed, &whole),
                _ => unreadable(trimmed, &e),
            });
        }
    }
    Ok(lines
        .map(|(i, l)| {
            (
                Some(i + 1),
                serde_json::from_str(l).map_err(|e| record_error(&e)),
            )
        })
        .collect())
}

fn issue(out: &mut Loaded, issue: FeedIssue) {
    *out.stats.reasons.entry(issue.reason).or_default() += 1;
    out.issues.push(issue);
}

/// Loads every record of `source` (format OSV) as `kind` says: into rules,
/// or into fix versions. When several records share
/// an id (an advisory and its later withdrawal, or the same file twice), the
/// one modified last wins, whether it withdraws the advisory or not.
pub(crate) fn load(source: &FeedSource, limits: &Limits, kind: FeedKind) -> Loaded {
    let mut out = Loaded {
        kind,
        rules: Vec::new(),
        fixes: Vec::new(),
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
        out.stats.documents += 1;
        let lines = match records(doc) {
            Ok(lines) => lines,
            Err(d) => {
                issue(
                    &mut out,
                    FeedIssue {
                        feed: source.name.clone(),
                        origin: doc.origin.clone(),
                        line: Some(d.line),
                        column: Some(d.column),
                        record_id: None,
                        reason: d.reason,
                        message: d.message,
                        skipped: true,
                    },
                );
                continue;
            }
        };
        for (line, rec) in lines {
            out.stats.records += 1;
            match rec {
                Ok(record) => entries.push(Entry {
                    origin: &doc.origin,
                    line,
                    record,
                }),
                Err((reason, message)) => {
                    out.stats.skipped += 1;
                    issue(
                        &mut out,
                        FeedIssue {
                            feed: source.name.clone(),
                            origin: doc.origin.clone(),
                            line,
                            column: None,
                            record_id: None,
                            reason,
                            message,
                            skipped: true,
                        },
                    );
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
    let bounds = osv::Bounds {
        id_bytes: limits.rule_id_bytes,
        name_bytes: limits.glob_bytes,
    };
    for (e, superseded) in entries.into_iter().zip(superseded) {
        if superseded {
            out.stats.superseded += 1;
            continue;
        }
        // An id over the limit is reported cut, not quoted whole.
        let record_id = e
            .record
            .id
            .clone()
            .map(|id| super::truncate(id, limits.rule_id_bytes));
        let make = |reason: FeedIssueReason, message: String, skipped: bool| FeedIssue {
            feed: source.name.clone(),
            origin: e.origin.to_owned(),
            line: e.line,
            column: None,
            record_id: record_id.clone(),
            reason,
            message,
            skipped,
        };
        let mut notes = Vec::new();
        let converted = match kind {
            FeedKind::Rules => e.record.convert(&bounds, &mut notes),
            FeedKind::Advisories => e.record.fixes(&bounds, &mut notes),
        };
        for (reason, note) in notes {
            issue(&mut out, make(reason, note, false));
        }
        match converted {
            Err((reason, message)) => {
                out.stats.skipped += 1;
                issue(&mut out, make(reason, message, true));
            }
            Ok(osv::Converted::Withdrawn) => out.stats.withdrawn += 1,
            Ok(osv::Converted::Rules(rules)) => {
                out.stats.rules += rules.len();
                out.rules.extend(rules);
            }
            Ok(osv::Converted::Fixes(fixes)) => {
                out.stats.fixes += fixes.len();
                out.fixes.extend(fixes);
            }
        }
    }
    out
}
