//! npm versions (node-semver, strict mode) and ranges, read with
//! `includePrerelease: true` (POLICY_SPEC §3).

use std::fmt;

use crate::semver_core::{self, check_outer, Scanner, SemVer};
use crate::semver_range::{self, Op, Partial};
use crate::{Interval, RangeError, VersionError, VersionSet};

/// node-semver refuses numbers above `Number.MAX_SAFE_INTEGER`.
const MAX_NUMBER: u64 = 9_007_199_254_740_991;
/// node-semver refuses version strings longer than this.
const MAX_LENGTH: usize = 256;

/// An npm version: `1.2.3`, `1.2.3-rc.1+build`, optionally written with a
/// leading `v`. Build metadata is kept for display but ignored by the order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(SemVer);

impl Version {
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        check_outer(text)?;
        if text.len() > MAX_LENGTH {
            return Err(VersionError::new(
                MAX_LENGTH,
                format!("version longer than {MAX_LENGTH} bytes"),
            ));
        }
        let mut s = Scanner::new(text);
        s.eat(b'v');
        semver_core::parse_full(&mut s, MAX_NUMBER).map(Version)
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
    /// The pre-release identifiers without the leading `-` ("" for a release).
    pub fn pre(&self) -> &str {
        &self.0.pre
    }
    /// The build metadata without the leading `+` ("" when absent).
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
    crate::Version::Npm(Version(v))
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// Parses a node-semver range: `||`-separated sets of space-separated
/// comparators (`<`, `<=`, `>`, `>=`, `=`, `~`, `~>`, `^`, x-ranges such as
/// `1.2.x`) or a hyphen range `1.2.3 - 2.3.4`. An empty set (`""`) is `*`.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let mut intervals = Vec::new();
    let mut start = 0;
    loop {
        let end = text
            .get(start..)
            .and_then(|rest| rest.find("||"))
            .map_or(text.len(), |i| start + i);
        let part = text.get(start..end).unwrap_or("");
        if let Some(i) = parse_set(part, start)? {
            intervals.push(i);
        }
        if end >= text.len() {
            break;
        }
        start = end + 2;
    }
    Ok(VersionSet::from_intervals(crate::Ecosystem::Npm, intervals))
}

/// One whitespace-separated word of a comparator set, with its byte offset.
struct Word<'a> {
    text: &'a str,
    at: usize,
}

fn words(part: &str, base: usize) -> Vec<Word<'_>> {
    let bytes = part.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes.get(i).copied().is_some_and(is_space) {
            i += 1;
            continue;
        }
        let from = i;
        while bytes.get(i).is_some_and(|b| !is_space(*b)) {
            i += 1;
        }
        out.push(Word {
            text: part.get(from..i).unwrap_or(""),
            at: base + from,
        });
    }
    out
}

const OPERATORS: [&str; 8] = [">=", "<=", "~>", ">", "<", "=", "~", "^"];

fn operator(text: &str) -> (Option<Op>, &str) {
    for op in OPERATORS {
        if let Some(rest) = text.strip_prefix(op) {
            let op = match op {
                ">=" => Op::Ge,
                "<=" => Op::Le,
                ">" => Op::Gt,
                "<" => Op::Lt,
                "=" => Op::Exact,
                "^" => Op::Caret,
                _ => Op::Tilde,
            };
            return (Some(op), rest);
        }
    }
    (None, text)
}

/// The intersection of one `||` alternative, `None` when it is empty.
fn parse_set(part: &str, base: usize) -> Result<Option<Interval>, RangeError> {
    let ws = words(part, base);
    if let [from, dash, to] = ws.as_slice() {
        if dash.text == "-" {
            let from = partial_word(from.text, from.at)?;
            let to = partial_word(to.text, to.at)?;
            let i = semver_range::hyphen(&from, &to, MAX_NUMBER, &wrap)
                .map_err(|m| RangeError::new(base, m))?;
            return Ok(semver_range::normalize(i, &wrap));
        }
    }
    let mut acc = Interval::all();
    let mut k = 0;
    while let Some(w) = ws.get(k) {
        k += 1;
        let (op, rest) = operator(w.text);
        // An operator alone takes the next word: `>= 1.2.3`, `^ 1`.
        let (rest, at) = match (op, rest.is_empty(), ws.get(k)) {
            (Some(_), true, Some(next)) => {
                k += 1;
                (next.text, next.at)
            }
            _ => (rest, w.at + (w.text.len() - rest.len())),
        };
        let p = partial_word(rest, at)?;
        let op = op.unwrap_or(Op::Exact);
        let i = semver_range::comparator(op, &p, MAX_NUMBER, &wrap)
            .map_err(|m| RangeError::new(w.at, m))?;
        match i.and_then(|i| semver_range::normalize(i, &wrap)) {
            Some(i) => acc = acc.intersect(&i),
            None => return Ok(None),
        }
    }
    Ok(Some(acc))
}

/// A partial version with an optional leading `v` or `=` (as node-semver's
/// x-range grammar allows), filling the whole word.
fn partial_word(text: &str, at: usize) -> Result<Partial, RangeError> {
    let mut s = Scanner::new(text);
    s.eat(b'v');
    let p = semver_range::parse_partial(&mut s, MAX_NUMBER, true)
        .map_err(|e| RangeError::new(at + e.position, e.message))?;
    if !s.at_end() {
        return Err(RangeError::new(
            at + s.pos,
            format!("{} in a comparator", s.found()),
        ));
    }
    // node-semver builds a SemVer from each comparator's version, which may
    // not exceed 256 bytes (build metadata aside: it is dropped before).
    let len = s.text.find('+').unwrap_or(s.text.len()) - usize::from(s.text.starts_with('v'));
    if p.patch.is_some() && len > MAX_LENGTH {
        return Err(RangeError::new(
            at,
            format!("version longer than {MAX_LENGTH} bytes"),
        ));
    }
    Ok(p)
}
