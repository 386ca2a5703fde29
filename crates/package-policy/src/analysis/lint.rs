//! `lint`: rules that can never matter, exceptions that do nothing or lack an
//! owner, and native range syntax whose meaning surprises (docs/analysis.md).

use std::collections::HashMap;
use std::fmt;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Ecosystem, Version};

use crate::decision::Action;
use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::Tok;
use crate::layer::Rule;
use crate::source::LayerSource;

use super::names::impossible;
use super::relate::{covers, overlaps, RuleIndex};
use super::view::{ecosystems, patterns, NamePattern, RuleAt, View};
use super::witness::version_in;

/// What a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum FindingKind {
    /// The rule can never match any request.
    DeadRule,
    /// One of the rule's `package` patterns can never match (the others can).
    DeadPattern,
    /// Every request the rule matches is decided the same way by an earlier rule.
    ShadowedRule,
    /// An allow rule that suppresses nothing and overrides no default.
    IneffectiveException,
    /// An allow rule without owner, ticket or expiry.
    UnaccountableException,
    /// An allow rule that expires within the look-ahead window.
    ExpiringException,
    /// An allow rule whose expiry has passed: it no longer takes part.
    ExpiredException,
    /// The same rule id in more than one layer.
    DuplicateId,
    /// Native range or pattern syntax that means less than it seems to.
    SurprisingSyntax,
}

impl FindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::DeadRule => "dead-rule",
            FindingKind::DeadPattern => "dead-pattern",
            FindingKind::ShadowedRule => "shadowed-rule",
            FindingKind::IneffectiveException => "ineffective-exception",
            FindingKind::UnaccountableException => "unaccountable-exception",
            FindingKind::ExpiringException => "expiring-exception",
            FindingKind::ExpiredException => "expired-exception",
            FindingKind::DuplicateId => "duplicate-id",
            FindingKind::SurprisingSyntax => "surprising-syntax",
        }
    }
}

/// How much a finding matters: `Error` means the policy does not do what it says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One lint finding, located at its rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Finding {
    pub kind: FindingKind,
    pub severity: Severity,
    /// The layer's source name (file name) and `layer:` name.
    pub source_name: String,
    pub layer: String,
    pub rule_id: String,
    /// 1-based; absent for rules a feed contributed.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// What is wrong and what to do about it.
    pub message: String,
}

impl fmt::Display for Finding {
    /// `FILE:LINE:COL: severity[kind] layer/id: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source_name)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        write!(
            f,
            ": {}[{}] {}/{}: {}",
            self.severity.as_str(),
            self.kind.as_str(),
            self.layer,
            self.rule_id,
            self.message
        )
    }
}

/// What `lint` needs besides the layers.
#[derive(Debug, Clone)]
pub struct LintOptions {
    /// The time expiries are judged against.
    pub now: Timestamp,
    /// Exceptions expiring within this window are reported.
    pub expiring_within: SignedDuration,
    /// Feeds and limits, as for compiling.
    pub compile: CompileOptions,
}

impl LintOptions {
    /// Judged at `now`, with a 14-day expiry window, no feeds, default limits.
    pub fn new(now: Timestamp) -> Self {
        Self {
            now,
            expiring_within: SignedDuration::from_hours(14 * 24),
            compile: CompileOptions::default(),
        }
    }
}

/// Lints a policy set (layers outermost first). A set that does not compile is
/// an error, as for [`crate::Engine::compile`]. Findings are in layer and rule order.
pub fn lint(sources: &[LayerSource], options: &LintOptions) -> Result<Vec<Finding>, CompileError> {
    let view = View::load(sources, &options.compile)?;
    Ok(Linter::new(&view, options).run())
}

struct Linter<'v> {
    view: &'v View,
    options: &'v LintOptions,
    rules: Vec<(RuleAt, &'v Rule)>,
    index: RuleIndex,
    out: Vec<(RuleAt, Finding)>,
}

impl<'v> Linter<'v> {
    fn new(view: &'v View, options: &'v LintOptions) -> Self {
        let rules: Vec<(RuleAt, &Rule)> = view.rules().collect();
        let index = RuleIndex::build(rules.iter().map(|(_, r)| *r));
        Self {
            view,
            options,
            rules,
            index,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Finding> {
        let mut first_id: HashMap<&str, &str> = HashMap::new();
        for n in 0..self.rules.len() {
            let Some(&(at, rule)) = self.rules.get(n) else {
                continue;
            };
            let layer = self.view.layers.get(at.layer).map_or("", |l| &*l.name);
            if let Some(first) = first_id.insert(&rule.rref.id, layer) {
                first_id.insert(&rule.rref.id, first);
                self.push(
                    at,
                    FindingKind::DuplicateId,
                    Severity::Warning,
                    format!(
                        "rule id `{}` is also used in layer `{first}`; give each rule its own id so decisions and logs name one rule",
                        rule.rref.id
                    ),
                );
            }
            let dead = self.dead(at, rule);
            if rule.rref.action == Action::Allow {
                self.exception(at, rule, dead);
            }
            self.surprising(at, rule);
            if !dead && !self.view.dry_run(at.layer) {
                self.shadowed(n, at, rule);
            }
        }
        self.out.sort_by_key(|(at, _)| *at);
        self.out.into_iter().map(|(_, f)| f).collect()
    }

    fn push(&mut self, at: RuleAt, kind: FindingKind, severity: Severity, message: String) {
        let Some(rule) = self.view.rule(at) else {
            return;
        };
        let pos = self.view.position(at);
        self.out.push((
            at,
            Finding {
                kind,
                severity,
                source_name: self.view.source_name(at.layer).to_owned(),
                layer: rule.rref.layer.to_string(),
                rule_id: rule.rref.id.to_string(),
                line: pos.map(|p| p.0),
                column: pos.map(|p| p.1),
                message,
            },
        ));
    }

    /// Reports a rule (or pattern) that can never match; true for a dead rule.
    fn dead(&mut self, at: RuleAt, rule: &Rule) -> bool {
        if let Some(set) = &rule.cond.versions {
            let eco = set.ecosystem();
            if set
                .intervals()
                .iter()
                .all(|iv| version_in(eco, iv).is_none())
            {
                self.push(at, FindingKind::DeadRule, Severity::Error, format!(
                    "no {eco} version lies in `{set}`, so the rule never matches; widen or fix the range"
                ));
                return true;
            }
        }
        if let (Some(yes), Some(no)) = (&rule.cond.license, &rule.cond.license_not_in) {
            if yes.iter().all(|id| no.contains(id)) {
                self.push(at, FindingKind::DeadRule, Severity::Error, format!(
                    "every `license` id ({}) is also in `license_not_in`, so no single-license package matches; drop one of the two conditions",
                    yes.join(", ")
                ));
                return true;
            }
        }
        if let Some(globs) = &rule.cond.packages {
            let ecos = ecosystems(rule);
            let mut dead_patterns = Vec::new();
            for g in globs {
                let reasons: Vec<String> = ecos
                    .iter()
                    .map(|e| impossible(*e, &g.normalized(Some(*e))))
                    .collect::<Option<_>>()
                    .unwrap_or_default();
                if let (false, Some(reason)) = (reasons.is_empty(), reasons.first()) {
                    dead_patterns.push((g.raw.clone(), reason.clone()));
                }
            }
            if !dead_patterns.is_empty() && dead_patterns.len() == globs.len() {
                let (raw, reason) = dead_patterns.swap_remove(0);
                self.push(at, FindingKind::DeadRule, Severity::Error, format!(
                    "`package: {raw}` can never name a package ({reason}); fix the pattern or the `ecosystem`"
                ));
                return true;
            }
            for (raw, reason) in dead_patterns {
                self.push(
                    at,
                    FindingKind::DeadPattern,
                    Severity::Warning,
                    format!(
                        "pattern `{raw}` can never name a package ({reason}); fix or remove it"
                    ),
                );
            }
        }
        false
    }

    fn exception(&mut self, at: RuleAt, rule: &Rule, dead: bool) {
        let now = self.options.now;
        let mut missing = Vec::new();
        if rule.rref.owner.is_none() {
            missing.push("owner");
        }
        if rule.rref.ticket.is_none() {
            missing.push("ticket");
        }
        if rule.expires.is_none() {
            missing.push("expires");
        }
        if !missing.is_empty() && self.view.position(at).is_some() {
            self.push(
                at,
                FindingKind::UnaccountableException,
                Severity::Warning,
                format!(
                    "exception without {}; add them so someone answers for it and it is reviewed",
                    missing.join(", ")
                ),
            );
        }
        if let Some(exp) = rule.expires {
            if exp <= now {
                self.push(at, FindingKind::ExpiredException, Severity::Warning, format!(
                    "expired at {exp}, so it no longer allows anything; remove it or renew it with a new expiry"
                ));
                return;
            }
            if exp <= now.checked_add(self.options.expiring_within).unwrap_or(now) {
                self.push(at, FindingKind::ExpiringException, Severity::Info, format!(
                    "expires at {exp}; renew it or prepare for the packages it allows to be decided by the rules it suppresses"
                ));
            }
        }
        if !dead && !self.view.dry_run(at.layer) && self.view.effective_default() == Action::Allow {
            self.ineffective(at, rule);
        }
    }

    /// An allow with no suppressible deny/warn rule to meet, under an allow default.
    fn ineffective(&mut self, at: RuleAt, rule: &Rule) {
        let now = self.options.now;
        let mut candidates = Vec::new();
        for eco in ecosystems(rule) {
            match patterns(rule, eco) {
                None => candidates.extend(0..self.rules.len() as u32),
                Some(ps) => {
                    for (p, toks) in ps {
                        match p {
                            NamePattern::Exact(name) => {
                                candidates.extend(self.index.by_name(eco, &name))
                            }
                            NamePattern::Glob(_) => {
                                candidates.extend(self.index.overlapping_glob(eco, &toks))
                            }
                        }
                    }
                }
            }
        }
        candidates.sort_unstable();
        candidates.dedup();
        let mut overlapping_enforced = false;
        for n in candidates {
            let Some(&(d_at, d)) = self.rules.get(n as usize) else {
                continue;
            };
            if d.rref.action == Action::Allow
                || self.view.dry_run(d_at.layer)
                || d.expires.is_some_and(|e| e <= now)
                || !overlaps(rule, d)
            {
                continue;
            }
            if !d.enforced || at.layer <= d_at.layer {
                return;
            }
            overlapping_enforced = true;
        }
        let message = if overlapping_enforced {
            "every deny/warn rule it overlaps is enforced in an outer layer, which an allow here can never suppress; move the exception to that layer or remove it"
        } else {
            "it overlaps no deny or warn rule and the default is allow, so it changes no decision; remove it or fix its conditions"
        };
        self.push(
            at,
            FindingKind::IneffectiveException,
            Severity::Warning,
            message.to_owned(),
        );
    }

    fn shadowed(&mut self, n: usize, at: RuleAt, rule: &Rule) {
        let candidates = match ecosystems(rule).first().copied() {
            None => Vec::new(),
            Some(eco) => match patterns(rule, eco).and_then(|ps| ps.into_iter().next()) {
                None => self.index.by_glob(eco, "**"),
                Some((NamePattern::Exact(name), _)) => self.index.by_name(eco, &name),
                Some((NamePattern::Glob(text), _)) => self.index.by_glob(eco, &text),
            },
        };
        let shadow = candidates.into_iter().find_map(|sn| {
            let &(s_at, s) = self.rules.get(sn as usize)?;
            let decides_first = (sn as usize) < n;
            let same_role = s.rref.action == rule.rref.action
                && (s.enforced || !rule.enforced)
                && !self.view.dry_run(s_at.layer);
            let lasts = match (s.expires, rule.expires) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => a >= b,
            };
            (decides_first && same_role && lasts && covers(s, rule)).then_some(s)
        });
        if let Some(s) = shadow {
            let message = format!(
                "every request it matches is already matched by `{}/{}` ({}), which decides the same way first; remove it or narrow the other rule",
                s.rref.layer, s.rref.id, s.rref.action
            );
            self.push(at, FindingKind::ShadowedRule, Severity::Warning, message);
        }
    }

    /// Native syntax whose meaning surprises, where a security rule is concerned.
    fn surprising(&mut self, at: RuleAt, rule: &Rule) {
        let action = rule.rref.action;
        let eco = rule.cond.versions.as_ref().map(|s| s.ecosystem());
        let texts: Vec<String> = self.view.version_texts(at).to_vec();
        if action == Action::Allow && eco == Some(Ecosystem::Nuget) {
            for t in &texts {
                if package_versions::nuget::Version::parse(t.trim()).is_ok() {
                    self.push(at, FindingKind::SurprisingSyntax, Severity::Warning, format!(
                        "in NuGet `{t}` means {t} or later, so this exception allows every later version; write `[{t}]` for exactly {t}"
                    ));
                }
            }
        }
        if action != Action::Allow && eco == Some(Ecosystem::Pypi) {
            for t in &texts {
                for clause in t.split(',').map(str::trim) {
                    let Some(v) = clause.strip_prefix('>').filter(|v| !v.starts_with('=')) else {
                        continue;
                    };
                    let v = v.trim();
                    let post = format!("{v}.post1");
                    let left_out = Version::parse(Ecosystem::Pypi, &post).is_ok_and(|p| {
                        rule.cond.versions.as_ref().is_some_and(|s| !s.contains(&p))
                    });
                    if left_out {
                        self.push(at, FindingKind::SurprisingSyntax, Severity::Warning, format!(
                            "PEP 440 `>{v}` leaves out the post-releases of {v} such as {post}; write `>={v}.post0` to include them"
                        ));
                    }
                }
            }
        }
        if action != Action::Allow && ecosystems(rule).contains(&Ecosystem::Npm) {
            let star = patterns(rule, Ecosystem::Npm)
                .unwrap_or_default()
                .iter()
                .any(|(_, toks)| toks == &[Tok::Star]);
            if star {
                self.push(at, FindingKind::SurprisingSyntax, Severity::Warning,
                    "npm `package: \"*\"` skips scoped packages (`*` stops at `/`, so @scope/name is not matched); use `**` or omit `package`".to_owned());
            }
        }
    }
}
