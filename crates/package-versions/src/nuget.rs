//! NuGet versions (NuGet.Versioning's `NuGetVersion`) and version ranges
//! (`VersionRange.Parse`, floating versions included), read as
//! `VersionRange.Satisfies` reads them.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::semver_core::check_outer;
use crate::{Bound, Interval, RangeError, VersionError, VersionSet};

/// NuGet version numbers are .NET `Int32`s.
const MAX_PART: u64 = i32::MAX as u64;

/// A NuGet version: 1 to 4 numbers (`1`, `1.2`, `1.2.3`, `1.2.3.4`; leading
/// zeros allowed), dot-separated release labels after `-`, metadata after `+`.
/// The order is `VersionComparer.Default`: numbers, then a release before its
/// pre-releases' absence, labels numerically or case-insensitively; metadata
/// ignored.
#[derive(Debug, Clone)]
pub struct Version {
    parts: [u32; 4],
    /// Release labels as written, without the `-` ("" for a release).
    release: String,
    metadata: String,
}

impl Version {
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        check_outer(text)?;
        let (core, rest) = match text.find(['-', '+']) {
            Some(i) => (text.get(..i).unwrap_or(""), text.get(i..).unwrap_or("")),
            None => (text, ""),
        };
        let parts = parse_numbers(core)?;
        let (release, metadata) = match rest.strip_prefix('-') {
            Some(r) => match r.split_once('+') {
                Some((l, m)) => (l, Some(m)),
                None => (r, None),
            },
            None => ("", rest.strip_prefix('+')),
        };
        let label_at = core.len() + 1;
        if rest.starts_with('-') {
            check_parts(release, label_at, "release label", false)?;
        }
        if let Some(m) = metadata {
            let at = text.len() - m.len();
            check_parts(m, at, "metadata", true)?;
        }
        Ok(Version {
            parts,
            release: release.to_owned(),
            metadata: metadata.unwrap_or("").to_owned(),
        })
    }

    pub fn major(&self) -> u32 {
        self.parts[0]
    }
    pub fn minor(&self) -> u32 {
        self.parts[1]
    }
    pub fn patch(&self) -> u32 {
        self.parts[2]
    }
    pub fn revision(&self) -> u32 {
        self.parts[3]
    }
    /// Release labels without the `-` ("" for a stable version).
    pub fn release(&self) -> &str {
        &self.release
    }
    pub fn metadata(&self) -> &str {
        &self.metadata
    }
    pub fn is_prerelease(&self) -> bool {
        !self.release.is_empty()
    }
}

fn parse_numbers(core: &str) -> Result<[u32; 4], VersionError> {
    let mut parts = [0u32; 4];
    let mut at = 0;
    for (n, piece) in core.split('.').enumerate() {
        let slot = parts
            .get_mut(n)
            .ok_or_else(|| VersionError::new(at, "more than 4 version numbers"))?;
        if piece.is_empty() {
            return Err(VersionError::new(at, "empty version number"));
        }
        let mut value: u64 = 0;
        for (i, b) in piece.bytes().enumerate() {
            if !b.is_ascii_digit() {
                let c = piece.get(i..).and_then(|s| s.chars().next()).unwrap_or('?');
                return Err(VersionError::new(
                    at + i,
                    format!("unexpected character {c:?} in a version number"),
                ));
            }
            value = value * 10 + u64::from(b - b'0');
            if value > MAX_PART {
                return Err(VersionError::new(
                    at,
                    "version number larger than 2147483647",
                ));
            }
        }
        *slot = u32::try_from(value).unwrap_or(u32::MAX);
        at += piece.len() + 1;
    }
    Ok(parts)
}

/// Dot-separated, non-empty parts of `[0-9A-Za-z-]`; release labels may not
/// be numbers with leading zeros.
fn check_parts(
    text: &str,
    base: usize,
    what: &str,
    leading_zeros: bool,
) -> Result<(), VersionError> {
    let mut at = base;
    for part in text.split('.') {
        if part.is_empty() {
            return Err(VersionError::new(at, format!("empty {what}")));
        }
        if let Some(i) = part
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))
        {
            return Err(VersionError::new(
                at + i,
                format!("invalid character in {what}"),
            ));
        }
        if !leading_zeros
            && part.len() > 1
            && part.starts_with('0')
            && part.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(VersionError::new(
                at,
                format!("leading zero in numeric {what}"),
            ));
        }
        at += part.len() + 1;
    }
    Ok(())
}

/// A label that .NET's `Int32.TryParse` reads as a number (`7`, `-3`).
fn numeric_label(label: &str) -> Option<i32> {
    let digits = label.strip_prefix('-').unwrap_or(label);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    label.parse().ok()
}

fn cmp_label(a: &str, b: &str) -> Ordering {
    match (numeric_label(a), numeric_label(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        // OrdinalIgnoreCase: compare the upper-cased text.
        (None, None) => a
            .bytes()
            .map(|c| c.to_ascii_uppercase())
            .cmp(b.bytes().map(|c| c.to_ascii_uppercase())),
    }
}

fn cmp_release(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let (mut xs, mut ys) = (a.split('.'), b.split('.'));
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => match cmp_label(x, y) {
                Ordering::Equal => {}
                o => return o,
            },
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.parts
            .cmp(&other.parts)
            .then_with(|| cmp_release(&self.release, &other.release))
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Hash for Version {
    /// Hashes what the order sees: numbers, and each label as its number or
    /// its upper-cased text.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.parts.hash(state);
        if self.release.is_empty() {
            return;
        }
        for label in self.release.split('.') {
            match numeric_label(label) {
                Some(n) => (0u8, n).hash(state),
                None => {
                    1u8.hash(state);
                    for b in label.bytes() {
                        b.to_ascii_uppercase().hash(state);
                    }
                }
            }
        }
    }
}

impl fmt::Display for Version {
    /// The normalized form: three numbers, a fourth only when not zero.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.parts;
        write!(f, "{a}.{b}.{c}")?;
        if d != 0 {
            write!(f, ".{d}")?;
        }
        if !self.release.is_empty() {
            write!(f, "-{}", self.release)?;
        }
        if !self.metadata.is_empty() {
            write!(f, "+{}", self.metadata)?;
        }
        Ok(())
    }
}

fn wrap(v: Version) -> crate::Version {
    crate::Version::Nuget(v)
}

/// The least version a floating version (`1.0.*`, `1.0.0-beta*`, `*-*`)
/// admits, as NuGet's `FloatRange` computes it; plain versions are
/// themselves.
fn float_min(text: &str) -> Result<Version, VersionError> {
    let first = text.find('*');
    let last = text.rfind('*');
    let has_plus = text.contains('+');
    let len = text.len();
    let actual = if text == "*" {
        "0.0.0".to_owned()
    } else if text == "*-*" {
        "0.0.0-0".to_owned()
    } else if first != last && !has_plus {
        // Two stars: `1.0.*-beta*`, the first right before the first dash.
        let dash = text.find('-');
        match (dash, first, last) {
            (Some(d), Some(f), Some(l)) if l + 1 == len && f + 1 == d => {
                let stable = format!("{}0", text.get(..f).unwrap_or(""));
                let prefix = text.get(d + 1..l).unwrap_or("");
                let label = if prefix.is_empty() || prefix.ends_with('.') {
                    format!("{prefix}0")
                } else {
                    prefix.to_owned()
                };
                format!("{stable}-{label}")
            }
            _ => {
                return Err(VersionError::new(
                    first.unwrap_or(0),
                    "invalid floating version",
                ))
            }
        }
    } else if last.is_some_and(|l| l + 1 == len) && !has_plus {
        let mut actual = text.get(..len - 1).unwrap_or("").to_owned();
        match (text.find('-'), text.rfind('-')) {
            (None, _) => actual.push('0'),
            (Some(a), Some(b)) if a == b && (actual.ends_with('-') || actual.ends_with('.')) => {
                actual.push('0');
            }
            _ => {}
        }
        actual
    } else {
        return Version::parse(text);
    };
    Version::parse(&actual)
        .map_err(|e| VersionError::new(0, format!("invalid floating version: {}", e.message)))
}

fn version_in(text: &str, base: usize, floating: bool) -> Result<Version, RangeError> {
    let trimmed = text.trim_matches(' ');
    let at = base + (text.len() - text.trim_start_matches(' ').len());
    let r = if floating && trimmed.contains('*') {
        float_min(trimmed)
    } else {
        Version::parse(trimmed)
    };
    r.map_err(|e| RangeError::new(at + e.position, e.message))
}

/// Parses a NuGet range: a version or floating version (`1.0`, `1.0.*`,
/// meaning that version or later), or an interval `[1.0, 2.0)`, `(,1.0]`,
/// `[1.0]`, whose lower end may float.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let eco = crate::Ecosystem::Nuget;
    let inner = text.trim_matches(' ');
    let base = text.len() - text.trim_start_matches(' ').len();
    if inner.is_empty() {
        return Err(RangeError::new(0, "empty range"));
    }
    let open = inner.as_bytes().first().copied();
    if !matches!(open, Some(b'[' | b'(')) {
        let v = version_in(inner, base, true)?;
        return Ok(VersionSet::from_intervals(
            eco,
            vec![Interval::new(Bound::Included(wrap(v)), Bound::Unbounded)],
        ));
    }
    let min_inclusive = open == Some(b'[');
    let max_inclusive = match inner.as_bytes().last() {
        Some(b']') => true,
        Some(b')') => false,
        _ => {
            return Err(RangeError::new(
                base + inner.len().saturating_sub(1),
                "expected `]` or `)` at the end of the range",
            ))
        }
    };
    let body = inner.get(1..inner.len().saturating_sub(1)).unwrap_or("");
    let body_at = base + 1;
    let pieces: Vec<&str> = body.split(',').collect();
    if pieces.len() > 2 {
        return Err(RangeError::new(
            body_at,
            "more than two versions in the range",
        ));
    }
    if pieces.iter().all(|p| p.is_empty()) {
        return Err(RangeError::new(
            body_at,
            "a range needs a lower or an upper bound",
        ));
    }
    let (min_text, max_text) = match pieces.as_slice() {
        [one] => {
            if !(min_inclusive && max_inclusive) {
                return Err(RangeError::new(base, "a single version needs `[` and `]`"));
            }
            (*one, *one)
        }
        [lo, hi] => (*lo, *hi),
        _ => return Err(RangeError::new(body_at, "invalid range")),
    };
    let max_at = body_at + body.len() - max_text.len();
    let min = if min_text.trim_matches(' ').is_empty() {
        None
    } else {
        Some(version_in(min_text, body_at, true)?)
    };
    let max = if max_text.trim_matches(' ').is_empty() {
        None
    } else {
        Some(version_in(max_text, max_at, false)?)
    };
    if let (Some(lo), Some(hi)) = (&min, &max) {
        match lo.cmp(hi) {
            Ordering::Greater => {
                return Err(RangeError::new(
                    base,
                    "the lower bound is above the upper bound",
                ))
            }
            Ordering::Equal if min_inclusive != max_inclusive => {
                return Err(RangeError::new(base, "an empty range"))
            }
            _ => {}
        }
    }
    let lo = match min {
        None => Bound::Unbounded,
        Some(v) if min_inclusive => Bound::Included(wrap(v)),
        Some(v) => Bound::Excluded(wrap(v)),
    };
    let hi = match max {
        None => Bound::Unbounded,
        Some(v) if max_inclusive => Bound::Included(wrap(v)),
        Some(v) => Bound::Excluded(wrap(v)),
    };
    Ok(VersionSet::from_intervals(eco, vec![Interval::new(lo, hi)]))
}
