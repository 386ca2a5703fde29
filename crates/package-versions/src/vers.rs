//! package-url `vers:` URIs: `vers:npm/>=1.0.0|<2.0.0|!=1.5.0`.
//!
//! Parsing is strict, as the vers specification asks: the URI must already be
//! canonical (no whitespace, constraints sorted by version, each version once,
//! valid comparator sequences, canonical percent-encoding). Each version is
//! parsed with its ecosystem's own [`crate::Version::parse`].
//!
//! Two readings go beyond the specification's text: constraints made only of
//! `!=` mean every version except those (the specification's containment
//! procedure would admit none), and `vers:<type>/` with no constraint is the
//! empty set, so that every [`VersionSet`] has a representation. Go versions
//! are written without their `v`, as univers does, and read either way.

use std::cmp::Ordering;
use std::fmt;

use crate::{Bound, Ecosystem, Interval, RangeError, Version, VersionSet};

/// The vers / purl type of an ecosystem.
pub fn type_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Rubygems => "gem",
        other => other.as_str(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Cmp {
    fn symbol(self) -> &'static str {
        match self {
            Cmp::Eq => "",
            Cmp::Ne => "!=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
        }
    }
}

/// Parses `vers:<type>/<constraints>` into the ecosystem and its version set.
pub fn parse(text: &str) -> Result<(Ecosystem, VersionSet), RangeError> {
    if let Some(i) = text.find(|c: char| c.is_ascii_whitespace()) {
        return Err(RangeError::new(i, "whitespace is not permitted in vers"));
    }
    let Some(rest) = text.strip_prefix("vers:") else {
        return Err(RangeError::new(0, "expected the scheme `vers:`"));
    };
    let Some((ty, constraints)) = rest.split_once('/') else {
        return Err(RangeError::new(
            text.len(),
            "expected `/` after the vers type",
        ));
    };
    let type_at = 5;
    let eco = match ty {
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::Pypi,
        "maven" => Ecosystem::Maven,
        "gem" => Ecosystem::Rubygems,
        "golang" => Ecosystem::Golang,
        "nuget" => Ecosystem::Nuget,
        "cargo" => Ecosystem::Cargo,
        _ => {
            return Err(RangeError::new(
                type_at,
                format!(
                    "unsupported vers type `{ty}` (expected npm, pypi, maven, gem, golang, nuget or cargo)"
                ),
            ))
        }
    };
    let base = type_at + ty.len() + 1;
    if constraints.is_empty() {
        return Ok((eco, VersionSet::empty(eco)));
    }
    if constraints == "*" {
        return Ok((eco, VersionSet::all(eco)));
    }
    if constraints.starts_with('|') {
        return Err(RangeError::new(base, "leading pipe is not permitted"));
    }
    if constraints.ends_with('|') {
        return Err(RangeError::new(
            text.len() - 1,
            "trailing pipe is not permitted",
        ));
    }
    let mut parsed: Vec<(Cmp, Version, usize)> = Vec::new();
    let mut at = base;
    for item in constraints.split('|') {
        if item.is_empty() {
            return Err(RangeError::new(at, "consecutive pipes are not permitted"));
        }
        let (cmp, raw) = split_comparator(item);
        let vat = at + (item.len() - raw.len());
        if raw.is_empty() {
            return Err(RangeError::new(vat, "empty version"));
        }
        if raw == "*" {
            return Err(RangeError::new(vat, "`*` must be the only constraint"));
        }
        let decoded = percent_decode(raw).map_err(|(i, m)| RangeError::new(vat + i, m))?;
        let v = parse_version(eco, &decoded)
            .map_err(|e| RangeError::new(vat, format!("invalid {eco} version: {}", e.message)))?;
        if let Some((_, prev, _)) = parsed.last() {
            match prev.cmp(&v) {
                Ordering::Less => {}
                Ordering::Equal => {
                    return Err(RangeError::new(vat, "duplicate version"));
                }
                Ordering::Greater => {
                    return Err(RangeError::new(
                        vat,
                        "constraints are not sorted by version",
                    ));
                }
            }
        }
        parsed.push((cmp, v, at));
        at += item.len() + 1;
    }
    build_set(eco, &parsed).map(|set| (eco, set))
}

/// Go versions appear in vers without their `v` (as univers writes them);
/// both spellings are read.
fn parse_version(eco: Ecosystem, text: &str) -> Result<Version, crate::VersionError> {
    match eco {
        Ecosystem::Golang => crate::golang::parse_lenient_v(text).map(Version::Golang),
        _ => Version::parse(eco, text),
    }
}

fn split_comparator(item: &str) -> (Cmp, &str) {
    for (prefix, cmp) in [
        (">=", Cmp::Ge),
        ("<=", Cmp::Le),
        ("!=", Cmp::Ne),
        ("<", Cmp::Lt),
        (">", Cmp::Gt),
    ] {
        if let Some(rest) = item.strip_prefix(prefix) {
            return (cmp, rest);
        }
    }
    (Cmp::Eq, item)
}

/// Characters a version must percent-encode inside a vers URI.
fn must_encode(c: char) -> bool {
    matches!(c, '>' | '<' | '=' | '!' | '*' | '|' | '%') || c.is_ascii_whitespace()
}

fn percent_decode(raw: &str) -> Result<String, (usize, &'static str)> {
    if !raw.contains('%') {
        if let Some(i) = raw.find(must_encode) {
            return Err((i, "this character must be percent-encoded in a version"));
        }
        return Ok(raw.to_owned());
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'%' {
            if must_encode(char::from(b)) {
                return Err((i, "this character must be percent-encoded in a version"));
            }
            out.push(b);
            i += 1;
            continue;
        }
        let hex = |j: usize| bytes.get(j).copied().filter(u8::is_ascii_hexdigit);
        let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2)) else {
            return Err((i, "invalid percent-encoding in version"));
        };
        if h.is_ascii_lowercase() || l.is_ascii_lowercase() {
            return Err((i, "percent-encoding in version is not canonical"));
        }
        let digit = |d: u8| {
            if d.is_ascii_digit() {
                d - b'0'
            } else {
                d - b'A' + 10
            }
        };
        out.push(digit(h) * 16 + digit(l));
        i += 3;
    }
    String::from_utf8(out).map_err(|_| (0, "percent-encoded version is not UTF-8"))
}

/// Turns validated, sorted constraints into intervals, checking the
/// specification's comparator sequence rules on the way.
fn build_set(eco: Ecosystem, parsed: &[(Cmp, Version, usize)]) -> Result<VersionSet, RangeError> {
    let mut intervals = Vec::new();
    let mut open: Option<Bound> = None;
    let mut prev: Option<Cmp> = None;
    let mut holes = Vec::new();
    for (cmp, v, at) in parsed {
        if *cmp == Cmp::Ne {
            holes.push(v.clone());
            continue;
        }
        let after_lower = matches!(prev, Some(Cmp::Gt | Cmp::Ge));
        let ok = match cmp {
            Cmp::Eq | Cmp::Gt | Cmp::Ge => !after_lower,
            Cmp::Lt | Cmp::Le => after_lower || prev.is_none(),
            Cmp::Ne => true,
        };
        if !ok {
            return Err(RangeError::new(
                *at,
                format!(
                    "invalid comparator sequence: `{}` cannot follow `{}`",
                    cmp.symbol(),
                    prev.map_or("", Cmp::symbol)
                ),
            ));
        }
        match cmp {
            Cmp::Eq => intervals.push(Interval::exact(v.clone())),
            Cmp::Gt => open = Some(Bound::Excluded(v.clone())),
            Cmp::Ge => open = Some(Bound::Included(v.clone())),
            Cmp::Lt | Cmp::Le => {
                let hi = if *cmp == Cmp::Lt {
                    Bound::Excluded(v.clone())
                } else {
                    Bound::Included(v.clone())
                };
                intervals.push(Interval::new(open.take().unwrap_or(Bound::Unbounded), hi));
            }
            Cmp::Ne => {}
        }
        prev = Some(*cmp);
    }
    if let Some(lo) = open {
        intervals.push(Interval::new(lo, Bound::Unbounded));
    }
    let mut set = if prev.is_none() {
        VersionSet::all(eco)
    } else {
        VersionSet::from_intervals(eco, intervals)
    };
    for h in holes {
        set = set.intersection(&VersionSet::exact(h).complement());
    }
    Ok(set)
}

/// Writes the canonical vers URI of a set (see [`VersionSet`]'s `Display`).
/// With `exact`, a range end that no version spells ([`Version::is_boundary`])
/// carries the suffix [`BOUNDARY_MARK`], so that no two sets share the text.
pub(crate) fn write_set(f: &mut impl fmt::Write, set: &VersionSet, exact: bool) -> fmt::Result {
    write!(f, "vers:{}/", type_name(set.ecosystem()))?;
    let intervals = set.intervals();
    if let [only] = intervals {
        if only.lo == Bound::Unbounded && only.hi == Bound::Unbounded {
            return f.write_str("*");
        }
    }
    let mut items: Vec<(Cmp, &Version)> = Vec::new();
    for i in intervals {
        match (&i.lo, &i.hi) {
            (Bound::Included(l), Bound::Included(h)) if l == h => items.push((Cmp::Eq, l)),
            (lo, hi) => {
                match lo {
                    Bound::Unbounded => {}
                    Bound::Included(v) => items.push((Cmp::Ge, v)),
                    Bound::Excluded(v) => {
                        // `<v` then `>v` leaves out v alone: write `!=v`.
                        if let Some((Cmp::Lt, last)) = items.last() {
                            if *last == v {
                                items.pop();
                                items.push((Cmp::Ne, v));
                            } else {
                                items.push((Cmp::Gt, v));
                            }
                        } else {
                            items.push((Cmp::Gt, v));
                        }
                    }
                }
                match hi {
                    Bound::Unbounded => {}
                    Bound::Included(v) => items.push((Cmp::Le, v)),
                    Bound::Excluded(v) => items.push((Cmp::Lt, v)),
                }
            }
        }
    }
    let mut first = true;
    for (cmp, v) in items {
        if !first {
            f.write_char('|')?;
        }
        first = false;
        f.write_str(cmp.symbol())?;
        let text = v.to_string();
        let text = match v {
            Version::Golang(_) => text.strip_prefix('v').unwrap_or(&text),
            _ => &text,
        };
        for c in text.chars() {
            if must_encode(c) {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    write!(f, "%{b:02X}")?;
                }
            } else {
                f.write_char(c)?;
            }
        }
        if exact && v.is_boundary() {
            f.write_str(BOUNDARY_MARK)?;
        }
    }
    Ok(())
}

/// Marks a range end that no version spells in [`VersionSet::canonical`]:
/// only RubyGems and PyPI have such ends, and their versions never hold `#`.
pub const BOUNDARY_MARK: &str = "#boundary";
