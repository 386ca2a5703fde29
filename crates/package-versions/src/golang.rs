//! Go module versions (golang.org/x/mod/semver): `v1.2.3`, shorthand `v1` and
//! `v1.2`, pre-releases, pseudo-versions (`v0.0.0-20060102150405-abcdef123456`)
//! and `+incompatible`; ranges of comparators such as `>=v1.2.0, <v1.3.0`.

use std::fmt;

use crate::semver_core::{check_outer, expect_dot, Scanner, SemVer};
use crate::{Bound, Interval, RangeError, VersionError, VersionSet};

/// A Go module version. The order is x/mod/semver's `Compare`: SemVer
/// precedence, build metadata (including `+incompatible`) ignored, `v1` equal
/// to `v1.0.0`. Display prints the canonical long form with any build.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(SemVer);

impl Version {
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        check_outer(text)?;
        let mut s = Scanner::new(text);
        if !s.eat(b'v') {
            return Err(s.error("a Go version starts with `v`"));
        }
        parse_after_v(&mut s).map(Version)
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

    /// `vX.Y.Z` plus the pre-release (and `+incompatible`), as x/mod's
    /// `semver.Canonical`.
    pub fn canonical(&self) -> String {
        let v = &self.0;
        let mut out = format!("v{}.{}.{}", v.major, v.minor, v.patch);
        if !v.pre.is_empty() {
            out.push('-');
            out.push_str(&v.pre);
        }
        if v.build == "incompatible" {
            out.push_str("+incompatible");
        }
        out
    }

    /// A pseudo-version (x/mod's `module.IsPseudoVersion`): `vX.0.0-T-R`,
    /// `vX.Y.Z-0.T-R` or `vX.Y.Z-pre.0.T-R`, T 14 digits, R alphanumeric.
    pub fn is_pseudo(&self) -> bool {
        self.pseudo_parts().is_some()
    }

    /// The pre-release before the timestamp: "" for `vX.0.0-T-R`, else
    /// `0` or `pre.0`.
    fn pseudo_parts(&self) -> Option<&str> {
        let pre = self.0.pre.as_str();
        let (rest, rev) = pre.rsplit_once('-')?;
        if rev.is_empty() || !rev.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return None;
        }
        let is_time = |t: &str| t.len() == 14 && t.bytes().all(|b| b.is_ascii_digit());
        if is_time(rest) {
            return (self.0.minor == 0 && self.0.patch == 0).then_some("");
        }
        let (base, time) = rest.rsplit_once('.')?;
        let zero_last = base == "0" || base.ends_with(".0");
        (is_time(time) && zero_last).then_some(base)
    }

    /// The version a pseudo-version was derived from (x/mod's
    /// `module.PseudoVersionBase`): `None` for `vX.0.0-T-R`, which has none.
    pub fn pseudo_base(&self) -> Result<Option<Version>, VersionError> {
        let Some(base_pre) = self.pseudo_parts() else {
            return Err(VersionError::new(0, "not a pseudo-version"));
        };
        let v = &self.0;
        let build = v.build.clone();
        match base_pre {
            "" if !build.is_empty() => Err(VersionError::new(
                0,
                "pseudo-version without a base version has build metadata",
            )),
            "" => Ok(None),
            "0" => {
                let patch = v.patch.checked_sub(1).ok_or_else(|| {
                    VersionError::new(0, "the version before would have a negative patch number")
                })?;
                Ok(Some(Version(SemVer {
                    build,
                    ..SemVer::new(v.major, v.minor, patch)
                })))
            }
            pre => Ok(Some(Version(SemVer {
                build,
                ..SemVer::new(v.major, v.minor, v.patch)
                    .with_pre(pre.strip_suffix(".0").unwrap_or(pre))
            }))),
        }
    }
}

/// After the `v`: `M`, `M.m` (no pre-release or build), or full SemVer with
/// numbers of any size that fits `u64`.
fn parse_after_v(s: &mut Scanner<'_>) -> Result<SemVer, VersionError> {
    let major = s.number("major", u64::MAX)?;
    if s.at_end() {
        return Ok(SemVer::new(major, 0, 0));
    }
    expect_dot(s, "major")?;
    let minor = s.number("minor", u64::MAX)?;
    if s.at_end() {
        return Ok(SemVer::new(major, minor, 0));
    }
    expect_dot(s, "minor")?;
    let patch = s.number("patch", u64::MAX)?;
    let (pre, build) = s.pre_and_build()?;
    if !s.at_end() {
        return Err(s.error(format!("{} after the version", s.found())));
    }
    Ok(SemVer {
        major,
        minor,
        patch,
        pre,
        build,
    })
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// Parses a version written with or without its `v` (vers and advisory
/// databases often drop it).
pub(crate) fn parse_lenient_v(text: &str) -> Result<Version, VersionError> {
    if text.starts_with('v') {
        Version::parse(text)
    } else {
        check_outer(text)?;
        let mut s = Scanner::new(text);
        parse_after_v(&mut s).map(Version)
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t')
}

/// Parses `||`-separated alternatives of comparators separated by commas or
/// spaces, all of which must hold: `>=v1.2.0, <v1.3.0`, `<v1.0.0 || =v1.5.0`.
/// Operators are `=`, `!=`, `<`, `<=`, `>`, `>=`; a bare version means `=`.
/// The leading `v` may be omitted.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let eco = crate::Ecosystem::Golang;
    let mut union = VersionSet::empty(eco);
    let mut start = 0;
    loop {
        let end = text
            .get(start..)
            .and_then(|rest| rest.find("||"))
            .map_or(text.len(), |i| start + i);
        let part = text.get(start..end).unwrap_or("");
        union = union.union(&parse_all_of(part, start)?);
        if end >= text.len() {
            break;
        }
        start = end + 2;
    }
    Ok(union)
}

fn parse_all_of(part: &str, base: usize) -> Result<VersionSet, RangeError> {
    let eco = crate::Ecosystem::Golang;
    let bytes = part.as_bytes();
    let mut set = VersionSet::all(eco);
    let mut i = 0;
    let mut count = 0;
    loop {
        while bytes.get(i).is_some_and(|b| is_space(*b) || *b == b',') {
            i += 1;
        }
        if i >= bytes.len() {
            break;
        }
        let op_len = match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'>' | b'<' | b'!'), Some(b'=')) => 2,
            (Some(b'>' | b'<' | b'='), _) => 1,
            _ => 0,
        };
        let op = part.get(i..i + op_len).unwrap_or("");
        i += op_len;
        while bytes.get(i).is_some_and(|b| is_space(*b)) {
            i += 1;
        }
        let vstart = i;
        while bytes.get(i).is_some_and(|b| !is_space(*b) && *b != b',') {
            i += 1;
        }
        let vtext = part.get(vstart..i).unwrap_or("");
        if vtext.is_empty() {
            return Err(RangeError::new(base + vstart, "expected a version"));
        }
        let v = parse_lenient_v(vtext)
            .map_err(|e| RangeError::new(base + vstart + e.position, e.message))?;
        let v = crate::Version::Golang(v);
        let interval = match op {
            "" | "=" => Interval::exact(v),
            "<" => Interval::new(Bound::Unbounded, Bound::Excluded(v)),
            "<=" => Interval::new(Bound::Unbounded, Bound::Included(v)),
            ">" => Interval::new(Bound::Excluded(v), Bound::Unbounded),
            ">=" => Interval::new(Bound::Included(v), Bound::Unbounded),
            _ => {
                set = set.intersection(&VersionSet::exact(v).complement());
                count += 1;
                continue;
            }
        };
        set = set.intersection(&VersionSet::from_intervals(eco, vec![interval]));
        count += 1;
    }
    if count == 0 {
        return Err(RangeError::new(base, "empty range"));
    }
    Ok(set)
}
