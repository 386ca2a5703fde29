//! Cargo versions and requirements, parsed by dtolnay's `semver` crate (the
//! reference for Cargo's syntax, and heavily fuzzed), then read here: each
//! operator as node-semver reads it with `includePrerelease: true`
//! (POLICY_SPEC §3: `^1.2.3` is `>=1.2.3 <2.0.0-0`, and `<2.0.0` holds for
//! `2.0.0-rc.1`). The semver crate's own matching, which hides pre-releases
//! of other x.y.z triples, is not used.

use std::fmt;

use crate::semver_core::{check_outer, SemVer};
use crate::semver_range::{self, Op, Partial};
use crate::{Interval, RangeError, VersionError, VersionSet};

/// A Cargo version: strict SemVer 2.0 (`1.2.3-rc.1+build`), numbers up to
/// `u64::MAX`. Build metadata is kept for display but ignored by the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(SemVer);

impl Version {
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        check_outer(text)?;
        let v = semver::Version::parse(text)
            .map_err(|e| VersionError::new(error_position(text, &e), e.to_string()))?;
        let mut sv = SemVer::new(v.major, v.minor, v.patch).with_pre(v.pre.as_str());
        v.build.as_str().clone_into(&mut sv.build);
        Ok(Version(sv))
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

/// Where in `text` a semver error lies. The crate reports no offsets, so
/// this reads its message: the end of the input when it ran out (or ended
/// on an empty identifier), else the first occurrence of the character it
/// names, else the start.
fn error_position(text: &str, e: &semver::Error) -> usize {
    let message = e.to_string();
    if message.starts_with("unexpected end of input")
        || (message.starts_with("empty identifier") && text.ends_with(['.', '-', '+']))
    {
        return text.len();
    }
    message
        .split_once("unexpected character '")
        .and_then(|(_, rest)| rest.chars().next())
        .and_then(|c| text.find(c))
        .unwrap_or(0)
}

/// Parses a requirement such as `^1.2`, `>=1.0, <2.0`, `1.*` or `*`: comma-
/// separated comparators, all of which must hold; a bare version is `^`.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let req = semver::VersionReq::parse(text)
        .map_err(|e| RangeError::new(range_error_position(text), e.to_string()))?;
    if req.comparators.is_empty() {
        return Ok(VersionSet::all(crate::Ecosystem::Cargo));
    }
    let mut acc = Some(Interval::all());
    for c in &req.comparators {
        let (op, wildcard) = match c.op {
            semver::Op::Exact => (Op::Exact, false),
            semver::Op::Greater => (Op::Gt, false),
            semver::Op::GreaterEq => (Op::Ge, false),
            semver::Op::Less => (Op::Lt, false),
            semver::Op::LessEq => (Op::Le, false),
            semver::Op::Tilde => (Op::Tilde, false),
            semver::Op::Caret => (Op::Caret, false),
            semver::Op::Wildcard => (Op::Exact, true),
            // The enum is non-exhaustive: an operator this code does not know
            // is an error, never a guess.
            _ => return Err(RangeError::new(0, format!("unsupported operator in `{c}`"))),
        };
        let p = Partial {
            major: Some(c.major),
            minor: c.minor,
            patch: c.patch,
            pre: c.pre.as_str().to_owned(),
            has_build: false,
            wildcard,
        };
        let i = semver_range::comparator(op, &p, u64::MAX, &wrap)
            .map_err(|m| RangeError::new(0, m))?
            .and_then(|i| semver_range::normalize(i, &wrap));
        acc = match (acc, i) {
            (Some(a), Some(i)) => Some(a.intersect(&i)),
            _ => None,
        };
    }
    Ok(VersionSet::from_intervals(
        crate::Ecosystem::Cargo,
        acc.into_iter().collect(),
    ))
}

/// The offset of the first comma-separated comparator of `text` that does
/// not parse, refined within it as for versions; 0 when each parses alone.
fn range_error_position(text: &str) -> usize {
    let mut start = 0;
    for piece in text.split(',') {
        let lead = piece.len() - piece.trim_start().len();
        let trimmed = piece.trim();
        if let Err(e) = semver::Comparator::parse(trimmed) {
            return start + lead + error_position(trimmed, &e);
        }
        start += piece.len() + 1;
    }
    0
}
