//! node-semver comparators read with `includePrerelease: true` (POLICY_SPEC §3),
//! shared by npm's range parser and Cargo's (over the semver crate's parse): each comparator denotes one
//! interval of the SemVer order.

use crate::semver_core::{Scanner, SemVer};
use crate::{Bound, Interval, VersionError};

/// A comparator operator. `Exact` is node-semver's bare version or `=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Exact,
    Lt,
    Le,
    Gt,
    Ge,
    Tilde,
    Caret,
}

/// `M[.m[.p[-pre][+build]]]` where `None` stands for an omitted part or a
/// wildcard (`x`, `X`, `*`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Partial {
    pub major: Option<u64>,
    pub minor: Option<u64>,
    pub patch: Option<u64>,
    pub pre: String,
    pub has_build: bool,
    /// Some part was written as a wildcard (not merely omitted).
    pub wildcard: bool,
}

impl Partial {
    fn full(&self) -> Option<SemVer> {
        Some(SemVer::new(self.major?, self.minor?, self.patch?).with_pre(&self.pre))
    }
}

/// Reads a partial version at the scanner: numbers up to `max`, wildcards
/// `x`/`X`/`*` where `wildcards`, pre-release and build after a third part.
pub(crate) fn parse_partial(
    s: &mut Scanner<'_>,
    max: u64,
    wildcards: bool,
) -> Result<Partial, VersionError> {
    let mut p = Partial::default();
    let start = s.pos;
    p.major = part(s, "major", max, wildcards, &mut p.wildcard)?;
    if s.eat(b'.') {
        p.minor = part(s, "minor", max, wildcards, &mut p.wildcard)?;
        if s.eat(b'.') {
            p.patch = part(s, "patch", max, wildcards, &mut p.wildcard)?;
            if s.eat(b'-') {
                p.pre = s.identifiers("pre-release", true)?.to_owned();
            }
        }
    }
    // Build metadata never matters; node-semver accepts it after `1.x` too.
    if s.eat(b'+') {
        s.identifiers("build metadata", false)?;
        p.has_build = true;
    }
    // A number after a wildcard (`x.1`, `1.x.5`) means nothing: node-semver
    // and the semver crate reject it.
    let bad_order =
        (p.major.is_none() && p.minor.is_some()) || (p.minor.is_none() && p.patch.is_some());
    if bad_order {
        return Err(VersionError::new(
            start,
            "a version number after a wildcard",
        ));
    }
    Ok(p)
}

fn part(
    s: &mut Scanner<'_>,
    what: &str,
    max: u64,
    wildcards: bool,
    seen: &mut bool,
) -> Result<Option<u64>, VersionError> {
    if wildcards && matches!(s.peek(), Some(b'x' | b'X' | b'*')) {
        s.pos += 1;
        *seen = true;
        return Ok(None);
    }
    s.number(what, max).map(Some)
}

/// `n + 1`, failing past `max` as node-semver does for `^9007199254740991.0.0`.
fn bump(n: u64, max: u64) -> Result<u64, &'static str> {
    n.checked_add(1)
        .filter(|v| *v <= max)
        .ok_or("version number too large to bump for the range's upper bound")
}

/// The interval one comparator denotes, or `None` for the empty set. `wrap`
/// turns a SemVer into the ecosystem's version.
pub(crate) fn comparator<V>(
    op: Op,
    p: &Partial,
    max: u64,
    wrap: &V,
) -> Result<Option<Interval>, &'static str>
where
    V: Fn(SemVer) -> crate::Version,
{
    use Bound::{Excluded, Included, Unbounded};
    let inc = |v: SemVer| Included(wrap(v));
    let exc = |v: SemVer| Excluded(wrap(v));
    let interval = |lo, hi| Ok(Some(Interval::new(lo, hi)));
    let Some(major) = p.major else {
        // `*`, `x`: everything; `<x` and `>x`: nothing.
        return match op {
            Op::Lt | Op::Gt => Ok(None),
            _ => interval(Unbounded, Unbounded),
        };
    };
    let Some(minor) = p.minor else {
        let lo = SemVer::floor(major, 0, 0);
        let next = || Ok::<_, &'static str>(SemVer::floor(bump(major, max)?, 0, 0));
        return match op {
            Op::Exact | Op::Tilde | Op::Caret => interval(inc(lo), exc(next()?)),
            Op::Gt => interval(inc(next()?), Unbounded),
            Op::Ge => interval(inc(lo), Unbounded),
            Op::Lt => interval(Unbounded, exc(lo)),
            Op::Le => interval(Unbounded, exc(next()?)),
        };
    };
    let Some(full) = p.full() else {
        let lo = SemVer::floor(major, minor, 0);
        let next = || Ok::<_, &'static str>(SemVer::floor(major, bump(minor, max)?, 0));
        return match op {
            Op::Exact | Op::Tilde => interval(inc(lo), exc(next()?)),
            Op::Caret if major == 0 => interval(inc(lo), exc(next()?)),
            Op::Caret => interval(inc(lo), exc(SemVer::floor(bump(major, max)?, 0, 0))),
            Op::Gt => interval(inc(next()?), Unbounded),
            Op::Ge => interval(inc(lo), Unbounded),
            Op::Lt => interval(Unbounded, exc(lo)),
            Op::Le => interval(Unbounded, exc(next()?)),
        };
    };
    match op {
        Op::Exact => interval(inc(full.clone()), inc(full)),
        Op::Gt => interval(exc(full), Unbounded),
        Op::Ge => interval(inc(full), Unbounded),
        Op::Lt => interval(Unbounded, exc(full)),
        Op::Le => interval(Unbounded, inc(full)),
        Op::Tilde => {
            let hi = SemVer::floor(major, bump(minor, max)?, 0);
            interval(inc(full), exc(hi))
        }
        Op::Caret => {
            let hi = if major > 0 {
                SemVer::floor(bump(major, max)?, 0, 0)
            } else if minor > 0 {
                SemVer::floor(0, bump(minor, max)?, 0)
            } else {
                SemVer::floor(0, 0, bump(full.patch, max)?)
            };
            interval(inc(full), exc(hi))
        }
    }
}

/// node-semver's hyphen range `from - to` with `includePrerelease`.
pub(crate) fn hyphen<V>(
    from: &Partial,
    to: &Partial,
    max: u64,
    wrap: &V,
) -> Result<Interval, &'static str>
where
    V: Fn(SemVer) -> crate::Version,
{
    let lo = match (from.major, from.minor, from.full()) {
        (None, _, _) => Bound::Unbounded,
        (Some(m), None, _) => Bound::Included(wrap(SemVer::floor(m, 0, 0))),
        (Some(m), Some(n), None) => Bound::Included(wrap(SemVer::floor(m, n, 0))),
        (Some(_), Some(_), Some(v)) if !from.pre.is_empty() => Bound::Included(wrap(v)),
        // node-semver appends `-0` to the text, so with build metadata the
        // `-0` lands in the build and the bound stays at the release.
        (Some(_), Some(_), Some(v)) if from.has_build => Bound::Included(wrap(v)),
        (Some(m), Some(n), Some(v)) => Bound::Included(wrap(SemVer::floor(m, n, v.patch))),
    };
    let hi = match (to.major, to.minor, to.full()) {
        (None, _, _) => Bound::Unbounded,
        (Some(m), None, _) => Bound::Excluded(wrap(SemVer::floor(bump(m, max)?, 0, 0))),
        (Some(m), Some(n), None) => Bound::Excluded(wrap(SemVer::floor(m, bump(n, max)?, 0))),
        (Some(_), Some(_), Some(v)) if !to.pre.is_empty() => Bound::Included(wrap(v)),
        (Some(m), Some(n), Some(v)) => {
            Bound::Excluded(wrap(SemVer::floor(m, n, bump(v.patch, max)?)))
        }
    };
    Ok(Interval::new(lo, hi))
}

/// `>=0.0.0-0` is the whole order (nothing sorts below it) and `<0.0.0-0` is
/// empty; rewriting both keeps equal sets structurally equal.
pub(crate) fn normalize<V>(i: Interval, wrap: &V) -> Option<Interval>
where
    V: Fn(SemVer) -> crate::Version,
{
    let least = wrap(SemVer::floor(0, 0, 0));
    if matches!(&i.hi, Bound::Excluded(v) if *v == least) {
        return None;
    }
    let lo = match i.lo {
        Bound::Included(v) if v == least => Bound::Unbounded,
        other => other,
    };
    Some(Interval::new(lo, i.hi))
}
