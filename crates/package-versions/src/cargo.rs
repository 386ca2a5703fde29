//! Cargo versions and requirements: the semver crate's syntax, each operator
//! read as node-semver reads it with `includePrerelease: true`
//! (POLICY_SPEC §3: `^1.2.3` is `>=1.2.3 <2.0.0-0`, and `<2.0.0` holds for
//! `2.0.0-rc.1`).

use std::fmt;

use crate::semver_core::{self, check_outer, Scanner, SemVer};
use crate::semver_range::{self, Op};
use crate::{Interval, RangeError, VersionError, VersionSet};

/// The semver crate refuses more comparators than this in one requirement.
const MAX_COMPARATORS: usize = 32;

/// A Cargo version: strict SemVer 2.0 (`1.2.3-rc.1+build`), numbers up to
/// `u64::MAX`. Build metadata is kept for display but ignored by the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(SemVer);

impl Version {
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        check_outer(text)?;
        semver_core::parse_full(&mut Scanner::new(text), u64::MAX).map(Version)
    }

    pub fn major(&self) -> u64 {
        self.0.major
    }
    pub fn minor(&self) -> u64 {
        self.0.minor
    }
    pub fn patch(&self) -> u64 {
        self.0.patch
    }
    pub fn pre(&self) -> &str {
        &self.0.pre
    }
    pub fn build(&self) -> &str {
        &self.0.build
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

fn wrap(v: SemVer) -> crate::Version {
    crate::Version::Cargo(Version(v))
}

fn skip_spaces(s: &mut Scanner<'_>) {
    while s.eat(b' ') {}
}

/// Parses a requirement such as `^1.2`, `>=1.0, <2.0`, `1.*` or `*`: comma-
/// separated comparators, all of which must hold; a bare version is `^`.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let err = |e: VersionError| RangeError::new(e.position, e.message);
    let mut s = Scanner::new(text);
    skip_spaces(&mut s);
    if matches!(s.peek(), Some(b'*' | b'x' | b'X')) {
        s.pos += 1;
        skip_spaces(&mut s);
        return match s.peek() {
            None => Ok(VersionSet::all(crate::Ecosystem::Cargo)),
            Some(b',') => Err(RangeError::new(
                s.pos,
                "wildcard req (*) must be the only comparator in the version req",
            )),
            Some(_) => Err(RangeError::new(
                s.pos,
                "unexpected character after wildcard in version req",
            )),
        };
    }
    let mut acc = Some(Interval::all());
    let mut count = 0;
    loop {
        count += 1;
        if count > MAX_COMPARATORS {
            return Err(RangeError::new(
                s.pos,
                "excessive number of version comparators",
            ));
        }
        let at = s.pos;
        let op = operator(&mut s);
        skip_spaces(&mut s);
        if op.is_none() && matches!(s.peek(), Some(b'*' | b'x' | b'X')) {
            return Err(RangeError::new(
                s.pos,
                "wildcard req (*) must be the only comparator in the version req",
            ));
        }
        let p = semver_range::parse_partial(&mut s, u64::MAX, true).map_err(err)?;
        if p.major.is_none() {
            return Err(RangeError::new(
                at,
                "unexpected wildcard while parsing major version number",
            ));
        }
        skip_spaces(&mut s);
        if p.patch.is_none() && (!p.pre.is_empty() || p.has_build) {
            return Err(RangeError::new(
                at,
                "pre-release or build metadata after a wildcard",
            ));
        }
        // A bare version is a caret requirement, unless it has a wildcard.
        let op = op.unwrap_or(if p.wildcard { Op::Exact } else { Op::Caret });
        let i = semver_range::comparator(op, &p, u64::MAX, &wrap)
            .map_err(|m| RangeError::new(at, m))?
            .and_then(|i| semver_range::normalize(i, &wrap));
        acc = match (acc, i) {
            (Some(a), Some(i)) => Some(a.intersect(&i)),
            _ => None,
        };
        match s.peek() {
            None => break,
            Some(b',') => {
                s.pos += 1;
                skip_spaces(&mut s);
            }
            Some(_) => {
                return Err(RangeError::new(
                    s.pos,
                    format!("expected comma after version, {}", s.found()),
                ))
            }
        }
    }
    Ok(VersionSet::from_intervals(
        crate::Ecosystem::Cargo,
        acc.into_iter().collect(),
    ))
}

fn operator(s: &mut Scanner<'_>) -> Option<Op> {
    let op = match (s.peek(), s.peek_at(1)) {
        (Some(b'>'), Some(b'=')) => (Op::Ge, 2),
        (Some(b'<'), Some(b'=')) => (Op::Le, 2),
        (Some(b'>'), _) => (Op::Gt, 1),
        (Some(b'<'), _) => (Op::Lt, 1),
        (Some(b'='), _) => (Op::Exact, 1),
        (Some(b'~'), _) => (Op::Tilde, 1),
        (Some(b'^'), _) => (Op::Caret, 1),
        _ => return None,
    };
    s.pos += op.1;
    Some(op.0)
}
