//! Intelligence feeds: records from outside the policy (such as the OpenSSF
//! malicious-packages dataset in OSV format) compiled into rules of the layers
//! that declare them (`feeds:` in a layer, POLICY_SPEC §2).

mod fixes;
mod load;
mod osv;
mod report;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use load::{load, Loaded};
pub use report::{FeedIssue, FeedIssueReason, FeedReport, FeedStats};

use crate::document::{FeedFormat, FeedKind};
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

/// Options of [`crate::Engine::compile_with`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CompileOptions {
    /// The data of the feeds that layers declare, by name.
    pub feeds: Vec<FeedSource>,
    /// An invalid feed record fails the compile instead of being skipped.
    pub strict_feeds: bool,
    /// An unreadable or empty feed document, or a feed none of whose records
    /// yields a rule, is skipped and reported instead of failing the compile
    /// (as `strict: false` in one feed's declaration). Off by default: a feed
    /// that silently contributes nothing weakens the policy unseen.
    pub lenient_feeds: bool,
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
            lenient_feeds: false,
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

    pub fn lenient_feeds(mut self, lenient: bool) -> Self {
        self.lenient_feeds = lenient;
        self
    }

    pub fn limits(mut self, limits: crate::Limits) -> Self {
        self.limits = limits;
        self
    }
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

/// The compile error for a skipped document or record; `hint` names the
/// option that makes it one.
fn issue_error(bad: &FeedIssue, hint: &str) -> CompileError {
    let what = match &bad.record_id {
        Some(id) => format!("{id}: {}", bad.message),
        None => bad.message.clone(),
    };
    let mut err = CompileError::new(
        CompileErrorKind::Feed,
        &bad.origin,
        format!("feed `{}`: {what} ({}; {hint})", bad.feed, bad.reason),
    );
    if let Some(line) = bad.line {
        err = err.at(line, bad.column.unwrap_or(1));
    }
    err
}

/// Why a feed fails closed: a problem located in its data, or one of the
/// feed as a whole (located at its declaration).
enum Failure {
    Data(CompileError),
    Feed(String),
}

/// Fails closed on a feed that cannot have been read as its publisher meant:
/// a document that is not JSON or holds no record, no document at all, or no
/// record that yields a rule (or withdraws one). Per-record problems of an
/// otherwise good feed are counted in the report instead.
fn fail_closed(l: &Loaded, name: &str) -> Result<(), Failure> {
    const LENIENT: &str = "to skip it, declare the feed `strict: false` or ask for lenient \
                           feeds (--lenient-feeds, lenient_feeds: true)";
    if let Some(bad) = l.issues.iter().find(|i| i.reason.is_document()) {
        return Err(Failure::Data(issue_error(bad, LENIENT)));
    }
    let s = &l.stats;
    let (made, what) = match l.kind {
        FeedKind::Rules => (s.rules, "a rule"),
        FeedKind::Advisories => (s.fixes, "a fix version"),
    };
    if s.records == 0 {
        return Err(Failure::Feed(format!(
            "feed `{name}` has no records ({} documents; {LENIENT})",
            s.documents
        )));
    }
    if made == 0 && s.withdrawn == 0 {
        return Err(Failure::Feed(format!(
            "feed `{name}`: none of its {} records yields {what} ({}; {LENIENT})",
            s.records,
            s.reasons_text()
        )));
    }
    Ok(())
}

fn kind_name(kind: FeedKind) -> &'static str {
    match kind {
        FeedKind::Rules => "rules",
        FeedKind::Advisories => "advisories",
    }
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
            let kind = decl.kind.unwrap_or(FeedKind::Rules);
            if let Some(l) = loaded.get(decl.name.as_str()).filter(|l| l.kind != kind) {
                return Err(CompileError::new(
                    CompileErrorKind::Feed,
                    source_name,
                    format!(
                        "feed `{}` is declared as kind `{}` here and `{}` elsewhere",
                        decl.name,
                        kind_name(kind),
                        kind_name(l.kind)
                    ),
                )
                .with_path(format!("feeds[{fi}].kind"))
                .in_layer(&layer.name));
            }
            if !loaded.contains_key(decl.name.as_str()) {
                let l = match decl.format {
                    FeedFormat::Osv => load(source, &options.limits, kind),
                };
                if options.strict_feeds {
                    // Every record must be valid; an ecosystem the engine
                    // does not know is not an invalid record.
                    // Nor is an advisory without a fix yet.
                    if let Some(bad) = l.issues.iter().find(|i| {
                        i.skipped
                            && !matches!(
                                i.reason,
                                FeedIssueReason::UnsupportedEcosystem
                                    | FeedIssueReason::NoFixedVersion
                            )
                    }) {
                        return Err(issue_error(bad, "strict feeds reject an invalid record"));
                    }
                }
                report.feeds.push((decl.name.clone(), l.stats.clone()));
                report.issues.extend(l.issues.iter().cloned());
                loaded.insert(source.name.as_str(), l);
            }
            let Some(l) = loaded.get(decl.name.as_str()) else {
                continue;
            };
            if !(options.lenient_feeds || decl.strict == Some(false)) {
                fail_closed(l, &decl.name).map_err(|f| match f {
                    Failure::Data(e) => e.in_layer(&layer.name),
                    // A feed-wide error points at the declaration.
                    Failure::Feed(message) => {
                        CompileError::new(CompileErrorKind::Feed, source_name, message)
                            .with_path(format!("feeds[{fi}]"))
                            .in_layer(&layer.name)
                    }
                })?;
            }
            if kind == FeedKind::Advisories {
                // No rules: the fix versions, for `fixes_advisory`.
                layer.fixes.extend(l.fixes.iter().cloned());
                continue;
            }
            // Validation requires an action of a rules feed; deny if not.
            let action = decl
                .action
                .map_or(crate::decision::Action::Deny, crate::decision::Action::from);
            let prefix = decl.reason_prefix.as_deref().unwrap_or("");
            let limits = &options.limits;
            layer.rules.reserve(l.rules.len());
            for r in &l.rules {
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
                    enforced: decl.is_enforced(),
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

/// A `fixes_advisory` condition with no advisory feed declared in its scope
/// could never hold: a mistake, so an error rather than an exemption that
/// silently never applies. `outer`: an outer level declares one.
pub(crate) fn check_declared(
    layers: &[crate::layer::Layer],
    sources: &[crate::source::LayerSource],
    outer: bool,
) -> Result<(), CompileError> {
    let mut declared = outer;
    for (li, layer) in layers.iter().enumerate() {
        declared = declared || layer.feeds.iter().any(|d| d.is_advisories());
        if declared {
            return Ok(());
        }
        for (pos, rule) in layer.rules.iter().enumerate() {
            if rule.cond.unless.as_ref().is_some_and(|u| u.fixes_advisory) {
                return Err(CompileError::new(
                    CompileErrorKind::Invalid,
                    sources.get(li).map_or("", |s| s.name.as_str()),
                    "`fixes_advisory` needs an advisory feed (`feeds: [{ name: …, format: osv, \
                     kind: advisories }]`) declared in this layer or one outside it",
                )
                .with_path(format!("rules[{pos}].unless.fixes_advisory"))
                .in_layer(&layer.name));
            }
        }
    }
    Ok(())
}

/// Whether any of `layers` declares an advisory feed.
pub(crate) fn declares(layers: &[crate::layer::Layer]) -> bool {
    layers
        .iter()
        .any(|l| l.feeds.iter().any(|d| d.is_advisories()))
}

#[cfg(test)]
mod tests;
