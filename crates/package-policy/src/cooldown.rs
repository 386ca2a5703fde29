//! `Decision::allowed_after`: when time passing alone would make a refused
//! request pass. Time enters a decision only through rules that expire and
//! `published_within` (in `match` or `unless`), and only at their
//! boundaries. The action falls only when a deny/warn rule stops matching or
//! an allow rule starts to, so only those boundaries are collected (while
//! the decision is taken), and the decision is re-taken at each of them
//! after `now`, in order, until its action is less severe.

use jiff::Timestamp;

use crate::decision::Action;
use crate::engine::{CompiledRule, Engine};
use crate::matcher::Predicate;
use crate::request::Request;

/// Boundaries; rarely any, so a `Vec` that allocates only when one is found.
pub(crate) type Times = Vec<Timestamp>;

/// Adds the boundaries after `now` at which `rule` (active at `now`, with
/// predicate `p`) could lower the action: a deny/warn rule's expiry and the
/// end of its `published_within`; the end of an allow rule's `unless`
/// `published_within`. Evaluation calls it only for rules that hold or that
/// their `unless` exempts (the others cannot change a time); resolution
/// mode for every candidate.
#[inline]
pub(crate) fn collect(
    rule: &CompiledRule,
    p: Option<&Predicate>,
    request: &Request,
    now: Timestamp,
    times: &mut Times,
) {
    if rule.dry_run {
        return;
    }
    if rule.rref.action == Action::Allow {
        if let Some(u) = p.and_then(|p| p.unless.as_deref()) {
            boundary(&u.pred, request, now, times);
        }
        return;
    }
    if let Some(e) = rule.expires {
        times.push(e);
    }
    if let Some(p) = p {
        boundary(p, request, now, times);
    }
}

/// `published_at + published_within`, when after `now`: from then on the
/// condition no longer holds. Tested in plain nanoseconds first: on the hot
/// path most releases are old and need no time arithmetic.
#[inline]
fn boundary(p: &Predicate, request: &Request, now: Timestamp, times: &mut Times) {
    if let (Some(d), Some(at)) = (p.published_within, request.published_at) {
        if at.as_nanosecond() + d.as_nanos() > now.as_nanosecond() {
            if let Some(t) = at.checked_add(d).ok().filter(|t| *t > now) {
                times.push(t);
            }
        }
    }
}

/// The earliest of `times` at which `request` is decided less severely than
/// `action`; `None` when none is.
pub(crate) fn first_lower(
    engine: &Engine,
    request: &Request,
    action: Action,
    mut times: Times,
) -> Option<Timestamp> {
    times.sort_unstable();
    times.dedup();
    times
        .into_iter()
        .find(|t| engine.decide_at(request, *t, None).action < action)
}

/// [`first_lower`] over the boundaries of every candidate rule of `request`
/// (resolution mode, where decisions are not taken rule by rule).
pub(crate) fn allowed_after(
    engine: &Engine,
    request: &Request,
    now: Timestamp,
    action: Action,
) -> Option<Timestamp> {
    let mut times = Times::new();
    for level in engine.levels() {
        for id in level.candidates(request, Some(request.version.as_ref())) {
            if let Some(rule) = level.rules.get(id as usize).filter(|r| r.active(now)) {
                collect(rule, level.predicate(rule), request, now, &mut times);
            }
        }
    }
    if times.is_empty() {
        return None;
    }
    first_lower(engine, request, action, times)
}
