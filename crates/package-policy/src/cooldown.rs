//! `Decision::allowed_after`: when time passing alone would make a refused
//! request pass. Time enters a decision only through rules that expire and
//! `published_within` (in `match` or `unless`), and only at their
//! boundaries. The action falls only when a deny/warn rule stops matching or
//! a rule starts to (an allow suppresses; a warn replaces a `deny` default),
//! so only those boundaries are collected (while
//! the decision is taken), and the decision is re-taken at each of them
//! after `now`, in order, until its action is less severe.

use jiff::Timestamp;

use crate::decision::Action;
use crate::matcher::Predicate;
use crate::request::Request;

/// Boundaries; rarely any, so a `Vec` that allocates only when one is found.
pub(crate) type Times = Vec<Timestamp>;

/// Adds the boundaries after `now` at which `rule` (active at `now`, with
/// predicate `p`) could lower the action: a deny/warn rule's expiry and the
/// end of its `published_within`; the end of any rule's `unless`
/// `published_within` (an allow starting to match suppresses; a warn
/// starting to match lowers a decision the `deny` default took). Evaluation calls it only for rules that hold or that
/// their `unless` exempts (the others cannot change a time); resolution
/// mode for every candidate.
#[inline]
pub(crate) fn collect(
    rule: Rule,
    p: Option<&Predicate>,
    request: &Request,
    now: Timestamp,
    times: &mut Times,
) {
    if rule.dry_run {
        return;
    }
    // Any rule starting to match can lower the action: an allow suppresses,
    // and a warn joining a decision the `deny` default took lowers it.
    if let Some(u) = p.and_then(|p| p.unless.as_deref()) {
        boundary(&u.pred, request, now, times);
    }
    if rule.action == Action::Allow {
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

/// What [`collect`] needs of a compiled rule.
pub(crate) struct Rule {
    pub action: Action,
    pub dry_run: bool,
    pub expires: Option<Timestamp>,
}

/// The earliest of `times` at which `decide` (the action at a time) is less
/// severe than `action`; `None` when none is.
pub(crate) fn first_lower(
    action: Action,
    mut times: Times,
    decide: impl Fn(Timestamp) -> Action,
) -> Option<Timestamp> {
    times.sort_unstable();
    times.dedup();
    times.into_iter().find(|t| decide(*t) < action)
}
