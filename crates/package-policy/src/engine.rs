//! The compiled engine and evaluation (POLICY_SPEC §4). Built by
//! `crate::compile`, the last stage of the pipeline; nothing here parses.

use std::sync::Arc;

use jiff::Timestamp;
use package_versions::{Ecosystem, Version, VersionSet};
use smallvec::SmallVec;

use crate::cooldown;
use crate::decision::{Action, Decision, RuleRef, Suppressed};
use crate::error::{RequestError, RequestErrorKind};
use crate::explain::{Explanation, RuleExplanation, RuleOutcome};
use crate::feed::FeedReport;
use crate::index::{Candidates, NameIndex};
use crate::limits::Limits;
use crate::matcher::Predicate;
use crate::request::{Request, RequestInput};

/// A compiled, immutable policy set. `Send + Sync`; clones share the same data.
#[derive(Debug, Clone)]
pub struct Engine {
    pub(crate) inner: Arc<Inner>,
}

/// One level of a policy tree: the layers of one `compile` or `stack` call,
/// compiled. A stacked engine's levels are shared with the engine it was
/// stacked on (stack.rs).
#[derive(Debug)]
pub(crate) struct Inner {
    /// Every rule of this level's layers, outermost layer first, in position
    /// order: with the outer levels' rules before them, a rule's place is its
    /// place in §4's "layer and position" order.
    pub(crate) rules: Vec<CompiledRule>,
    pub(crate) predicates: Vec<Predicate>,
    /// One name index per ecosystem (`Ecosystem::index`).
    pub(crate) indexes: Vec<NameIndex>,
    /// The most severe default over the enforce-mode layers of this level and
    /// every outer one.
    pub(crate) default: Action,
    /// The most severe `unreadable_license` over the enforce-mode layers of
    /// this level and every outer one.
    pub(crate) unreadable_license: Option<Action>,
    /// The digest of the policy set up to and including this level.
    pub(crate) digest: String,
    /// What the feeds of this level's layers contributed.
    pub(crate) feeds: FeedReport,
    /// The outer levels (the engine this one was stacked on).
    pub(crate) base: Option<Engine>,
    /// The names of this level's layers, in order.
    pub(crate) layer_names: Box<[Arc<str>]>,
    /// Each of this level's layers' default and whether it is in dry-run mode.
    pub(crate) layer_modes: Box<[(Action, bool)]>,
    /// Layers and rules of this level and every outer one.
    pub(crate) layers_total: u32,
    pub(crate) rules_total: usize,
    /// The limits compiled under; requests for this engine are checked
    /// against them too.
    pub(crate) limits: Limits,
    /// The fix versions of the advisory feeds of this level and every outer
    /// one (the scope of its last layer), for levels stacked on it.
    pub(crate) fixes: Arc<crate::advisory::Fixes>,
    /// Each of this level's layers' own fix versions (for bundles).
    pub(crate) layer_fixes: Box<[Vec<crate::advisory::Fix>]>,
    /// Whether this level or an outer one declares an advisory feed.
    pub(crate) advisory_declared: bool,
}

#[derive(Debug)]
pub(crate) struct CompiledRule {
    pub(crate) rref: RuleRef,
    /// The layer's place in the whole policy set, outer levels included.
    pub(crate) layer: u32,
    pub(crate) enforced: bool,
    pub(crate) dry_run: bool,
    /// Bit `Ecosystem::index` set when the ecosystem condition admits it.
    pub(crate) ecosystems: u8,
    pub(crate) expires: Option<Timestamp>,
    /// Index into `predicates`, or `NO_PREDICATE`.
    pub(crate) predicate: u32,
}

pub(crate) const NO_PREDICATE: u32 = u32::MAX;

impl CompiledRule {
    fn timing(&self) -> cooldown::Rule {
        cooldown::Rule {
            action: self.rref.action,
            dry_run: self.dry_run,
            expires: self.expires,
        }
    }

    pub(crate) fn active(&self, now: Timestamp) -> bool {
        self.expires.is_none_or(|e| now < e)
    }
}

/// A rule that holds for a request, as §4 needs it.
#[derive(Clone, Copy)]
struct Hit<'a> {
    rule: &'a CompiledRule,
}

impl Engine {
    pub(crate) fn from_inner(inner: Inner) -> Engine {
        Engine {
            inner: Arc::new(inner),
        }
    }

    /// The limits this engine was compiled under (POLICY_SPEC §8).
    pub fn limits(&self) -> &Limits {
        &self.inner.limits
    }

    /// Validates `input` as a request for this engine: under the limits it
    /// was compiled with, so raised limits admit larger requests too.
    pub fn request(&self, input: RequestInput) -> Result<Request, RequestError> {
        Request::with_limits(input, &self.inner.limits)
    }

    /// [`Engine::request`] from a package URL.
    pub fn request_from_purl(&self, purl: &str) -> Result<Request, RequestError> {
        Request::from_purl_with_limits(purl, &self.inner.limits)
    }

    /// What the feeds contributed and what they skipped.
    pub fn feed_report(&self) -> &FeedReport {
        &self.inner.feeds
    }

    /// Decides `request` at time `now` (POLICY_SPEC §4), with
    /// [`Decision::allowed_after`].
    pub fn evaluate(&self, request: &Request, now: Timestamp) -> Decision {
        let mut times = cooldown::Times::new();
        let mut d = self.decide_at(request, now, Some(&mut times));
        if d.action != Action::Allow && !times.is_empty() {
            d.allowed_after =
                cooldown::first_lower(d.action, times, |t| self.decide_at(request, t, None).action);
        }
        d
    }

    /// §4's decision at `now` without `allowed_after`; with `times`, the
    /// boundaries after `now` at which the action could fall are added to it.
    /// Inlined into `evaluate`, so the hot path keeps one decision in place.
    #[inline(always)]
    pub(crate) fn decide_at(
        &self,
        request: &Request,
        now: Timestamp,
        mut times: Option<&mut cooldown::Times>,
    ) -> Decision {
        let mut hits: SmallVec<[Hit<'_>; 8]> = SmallVec::new();
        // Level by level, outermost first: hits stay in layer and position order.
        for level in self.levels() {
            for id in level.candidates(request, Some(request.version.as_ref())) {
                let Some(rule) = level.rules.get(id as usize) else {
                    continue;
                };
                if !rule.active(now) {
                    continue;
                }
                let predicate = level.predicate(rule);
                let held = predicate.map_or(Ok(()), |p| {
                    p.check(request, Some(request.version.as_ref()), now)
                });
                // Only a rule that holds can stop holding, and only one its
                // `unless` exempts can start to: the rest never need a time.
                if let (Some(times), Ok(()) | Err("unless")) = (times.as_deref_mut(), held) {
                    cooldown::collect(rule.timing(), predicate, request, now, times);
                }
                if held.is_ok() {
                    hits.push(Hit { rule });
                }
            }
        }
        self.inner.decide(&hits)
    }

    /// [`Decision::allowed_after`] from the boundaries of every candidate
    /// rule of `request` (resolution mode, where decisions are not taken
    /// rule by rule).
    fn allowed_after(
        &self,
        request: &Request,
        now: Timestamp,
        action: Action,
    ) -> Option<Timestamp> {
        let mut times = cooldown::Times::new();
        for level in self.levels() {
            for id in level.candidates(request, Some(request.version.as_ref())) {
                if let Some(rule) = level.rules.get(id as usize).filter(|r| r.active(now)) {
                    cooldown::collect(
                        rule.timing(),
                        level.predicate(rule),
                        request,
                        now,
                        &mut times,
                    );
                }
            }
        }
        if times.is_empty() {
            return None;
        }
        cooldown::first_lower(action, times, |t| self.decide_at(request, t, None).action)
    }

    /// The levels of this engine, outermost first.
    pub(crate) fn levels(&self) -> SmallVec<[&Inner; 8]> {
        let mut out: SmallVec<[&Inner; 8]> = SmallVec::new();
        let mut level = Some(&*self.inner);
        while let Some(l) = level {
            out.push(l);
            level = l.base.as_ref().map(|b| &*b.inner);
        }
        out.reverse();
        out
    }

    /// Resolution mode: the decision for each of `versions` of the package in
    /// `input` (whose own `version` is ignored), in the order given, as if each
    /// were evaluated alone. The outer error is a bad base request; an inner
    /// error is a version that does not parse.
    pub fn evaluate_versions(
        &self,
        input: &RequestInput,
        versions: &[String],
        now: Timestamp,
    ) -> Result<Vec<Result<Decision, RequestError>>, RequestError> {
        let base = self.request(RequestInput {
            version: None,
            ..input.clone()
        })?;
        let levels = self.levels();
        // Conditions other than `versions` are checked once for the package.
        // A rule is named by (level, number): that order is §4's.
        let mut fixed: Vec<(u32, u32)> = Vec::new();
        let mut ranged: Vec<((u32, u32), &VersionSet)> = Vec::new();
        // Rules with an `unless` that reads the version: checked per version.
        let mut per_version: Vec<((u32, u32), &Predicate)> = Vec::new();
        for (lv, level) in (0u32..).zip(levels.iter()) {
            for id in level.candidates(&base, None) {
                let Some(rule) = level.rules.get(id as usize) else {
                    continue;
                };
                if !rule.active(now) {
                    continue;
                }
                match level.predicate(rule) {
                    None => fixed.push((lv, id)),
                    Some(p) => {
                        if p.check(&base, None, now).is_err() {
                            continue;
                        }
                        if p.unless.as_ref().is_some_and(|u| u.needs_version()) {
                            per_version.push(((lv, id), p));
                            continue;
                        }
                        match &p.versions {
                            None => fixed.push((lv, id)),
                            Some(set) => ranged.push(((lv, id), set)),
                        }
                    }
                }
            }
        }
        let max_len = self.inner.limits.request_version_bytes;
        let parsed: Vec<Result<Version, RequestError>> = versions
            .iter()
            .map(|v| parse_version(base.ecosystem, v, max_len))
            .collect();
        // Sort the parsed versions once; sweep each rule's intervals over them.
        let mut order: Vec<usize> = (0..parsed.len())
            .filter(|&i| parsed.get(i).is_some_and(|p| p.is_ok()))
            .collect();
        order.sort_by(|&a, &b| match (parsed.get(a), parsed.get(b)) {
            (Some(Ok(x)), Some(Ok(y))) => x.cmp(y),
            _ => std::cmp::Ordering::Equal,
        });
        let sorted: Vec<&Version> = order
            .iter()
            .filter_map(|&i| parsed.get(i).and_then(|p| p.as_ref().ok()))
            .collect();
        // in_range[k][j]: version sorted[j] lies in ranged[k]'s set.
        let in_range: Vec<Vec<bool>> = ranged.iter().map(|(_, set)| sweep(set, &sorted)).collect();
        let inner = &*self.inner;
        let mut out: Vec<Result<Decision, RequestError>> = parsed
            .iter()
            .map(|p| match p {
                Err(e) => Err(e.clone()),
                Ok(_) => Ok(inner.decide(&[])),
            })
            .collect();
        for (j, &i) in order.iter().enumerate() {
            let mut ids: SmallVec<[(u32, u32); 8]> = SmallVec::from_slice(&fixed);
            for (k, (id, _)) in ranged.iter().enumerate() {
                if in_range.get(k).and_then(|r| r.get(j)).copied() == Some(true) {
                    ids.push(*id);
                }
            }
            if let Some(Ok(v)) = parsed.get(i) {
                for (id, p) in &per_version {
                    if p.check(&base, Some(Some(v)), now).is_ok() {
                        ids.push(*id);
                    }
                }
            }
            ids.sort_unstable();
            let hits: SmallVec<[Hit<'_>; 8]> = ids
                .iter()
                .filter_map(|&(lv, id)| levels.get(lv as usize)?.rules.get(id as usize))
                .map(|rule| Hit { rule })
                .collect();
            let mut d = inner.decide(&hits);
            if d.action != Action::Allow {
                if let Some(Ok(v)) = parsed.get(i) {
                    let mut one = base.clone();
                    one.version = Some(v.clone());
                    d.allowed_after = self.allowed_after(&one, now, d.action);
                }
            }
            if let Some(slot) = out.get_mut(i) {
                *slot = Ok(d);
            }
        }
        Ok(out)
    }

    /// Every rule with whether it matched, was inactive, or the first
    /// condition that failed, plus the decision (the CLI's `explain`).
    pub fn explain(&self, request: &Request, now: Timestamp) -> Explanation {
        let bit = 1u8 << request.ecosystem.index();
        let mut rules = Vec::new();
        for level in self.levels() {
            let mut named = vec![false; level.rules.len()];
            for id in level.candidates(request, None) {
                if let Some(slot) = named.get_mut(id as usize) {
                    *slot = true;
                }
            }
            rules.extend(level.rules.iter().zip(named).map(|(rule, by_name)| {
                let outcome = if !rule.active(now) {
                    RuleOutcome::Inactive
                } else if rule.ecosystems & bit == 0 {
                    RuleOutcome::Failed("ecosystem")
                } else if !by_name {
                    RuleOutcome::Failed("package")
                } else {
                    match level
                        .predicate(rule)
                        .map(|p| p.check(request, Some(request.version.as_ref()), now))
                    {
                        Some(Err("unless")) => RuleOutcome::Exempted,
                        Some(Err(key)) => RuleOutcome::Failed(key),
                        _ => RuleOutcome::Matched,
                    }
                };
                RuleExplanation {
                    rule: rule.rref.clone(),
                    dry_run: rule.dry_run,
                    enforced: rule.enforced,
                    outcome,
                }
            }));
        }
        Explanation {
            rules,
            default: self.inner.default,
            decision: self.evaluate(request, now),
        }
    }

    /// Hex SHA-256 over a canonical form of the compiled policy set: equal for
    /// policies that differ only in YAML formatting, key order, list order of
    /// any-of conditions or spelling of equivalent ranges. Chained layer by
    /// layer (digest.rs), so a stacked engine has the digest of the same
    /// layers compiled flat.
    pub fn digest(&self) -> String {
        self.inner.digest.clone()
    }

    /// The action the policy asks for a package whose license cannot be read
    /// as SPDX (a layer's `unreadable_license`, the most severe over the
    /// enforce-mode layers); `None` when no layer sets it. Scanners apply it:
    /// the engine itself refuses a request with an invalid license.
    pub fn unreadable_license(&self) -> Option<Action> {
        self.inner.unreadable_license
    }

    /// Number of rules over all layers (of every level).
    pub fn rule_count(&self) -> usize {
        self.inner.rules_total
    }

    /// Number of layers in the policy set (of every level).
    pub fn layer_count(&self) -> usize {
        self.inner.layers_total as usize
    }
}

fn parse_version(eco: Ecosystem, text: &str, max_len: usize) -> Result<Version, RequestError> {
    if text.len() > max_len {
        return Err(RequestError::new(
            RequestErrorKind::Limit,
            "version",
            format!("version is longer than {max_len} bytes"),
        ));
    }
    Version::parse(eco, text).map_err(|e| {
        RequestError::new(
            RequestErrorKind::Version,
            "version",
            format!("`{text}`: {e}"),
        )
    })
}

/// For sorted versions, which lie in `set`: one pass over both lists.
fn sweep(set: &VersionSet, sorted: &[&Version]) -> Vec<bool> {
    let mut out = vec![false; sorted.len()];
    let intervals = set.intervals();
    let mut k = 0;
    for (j, v) in sorted.iter().enumerate() {
        // Skip intervals that end below v: later versions are larger still.
        while intervals.get(k).is_some_and(|i| !i.admits_from_above(v)) {
            k += 1;
        }
        if let (Some(i), Some(slot)) = (intervals.get(k), out.get_mut(j)) {
            *slot = i.admits_from_below(v);
        }
    }
    out
}

impl Inner {
    /// The rules whose ecosystem and package conditions hold; with `version`,
    /// less those whose merged version conditions rule them out.
    pub(crate) fn candidates(
        &self,
        request: &Request,
        version: Option<Option<&Version>>,
    ) -> Candidates {
        let mut out = Candidates::new();
        if let Some(index) = self.indexes.get(request.ecosystem.index()) {
            index.candidates(&request.name, version, &mut out);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub(crate) fn predicate(&self, rule: &CompiledRule) -> Option<&Predicate> {
        if rule.predicate == NO_PREDICATE {
            None
        } else {
            self.predicates.get(rule.predicate as usize)
        }
    }

    /// Steps 3–5 of §4 over the rules that hold, in rule-number order.
    fn decide(&self, hits: &[Hit<'_>]) -> Decision {
        let mut d = Decision {
            action: Action::Allow,
            matched: Vec::new(),
            allowed_by: Vec::new(),
            suppressed: Vec::new(),
            dry_run: Vec::new(),
            default: false,
            allowed_after: None,
        };
        // The first allow rule has the outermost layer of all allow rules, so
        // it is the first eligible one for every rule it may suppress.
        let first_allow = hits
            .iter()
            .find(|h| !h.rule.dry_run && h.rule.rref.action == Action::Allow);
        let mut warns: SmallVec<[&RuleRef; 4]> = SmallVec::new();
        for h in hits {
            let r = h.rule;
            if r.dry_run {
                d.dry_run.push(r.rref.clone());
                continue;
            }
            if r.rref.action == Action::Allow {
                d.allowed_by.push(r.rref.clone());
                continue;
            }
            let by = first_allow.filter(|a| !r.enforced || a.rule.layer <= r.layer);
            match (by, r.rref.action) {
                (Some(a), _) => d.suppressed.push(Suppressed {
                    rule: r.rref.clone(),
                    by: a.rule.rref.clone(),
                }),
                (None, Action::Deny) => d.matched.push(r.rref.clone()),
                (None, _) => warns.push(&r.rref),
            }
        }
        d.matched.extend(warns.into_iter().cloned());
        if let Some(first) = d.matched.first() {
            d.action = first.action;
        } else if !d.allowed_by.is_empty() {
            d.action = Action::Allow;
        } else {
            d.action = self.default;
            d.default = true;
        }
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Engine>();
    }
}
