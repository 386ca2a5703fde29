//! SemVer 2.0 pieces shared by npm, Cargo and Go: the version triple with
//! pre-release and build, its precedence, and a byte scanner for parsers.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::VersionError;

/// `major.minor.patch[-pre][+build]`. Precedence ignores `build` (SemVer §10),
/// and so do `Eq` and `Hash`, keeping them consistent with `Ord`.
#[derive(Debug, Clone)]
pub(crate) struct SemVer {
    pub major: u64,
    pub minor: u64,
    pub patch: u64,
    /// Dot-separated identifiers without the leading `-`; empty for a release.
    pub pre: String,
    /// Dot-separated identifiers without the leading `+`; empty when absent.
    pub build: String,
}

impl SemVer {
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            major,
            minor,
            patch,
            pre: String::new(),
            build: String::new(),
        }
    }

    /// `major.minor.patch-0`: the least version of that triple.
    pub fn floor(major: u64, minor: u64, patch: u64) -> Self {
        Self {
            pre: "0".to_owned(),
            ..Self::new(major, minor, patch)
        }
    }

    pub fn with_pre(mut self, pre: &str) -> Self {
        pre.clone_into(&mut self.pre);
        self
    }
}

impl Ord for SemVer {
    fn cmp(&self, other: &Self) -> Ordering {
        self.major
            .cmp(&other.major)
            .then(self.minor.cmp(&other.minor))
            .then(self.patch.cmp(&other.patch))
            .then_with(|| cmp_prerelease(&self.pre, &other.pre))
    }
}

impl PartialOrd for SemVer {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for SemVer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for SemVer {}

impl Hash for SemVer {
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Identifiers are validated without leading zeros, so equal
        // precedence means equal text.
        (self.major, self.minor, self.patch, &self.pre).hash(state);
    }
}

impl fmt::Display for SemVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        if !self.pre.is_empty() {
            write!(f, "-{}", self.pre)?;
        }
        if !self.build.is_empty() {
            write!(f, "+{}", self.build)?;
        }
        Ok(())
    }
}

/// SemVer §11 precedence of pre-release strings; empty (a release) is highest.
/// Numeric identifiers must have no leading zeros; they compare by length,
/// then digits, which is numeric order at any size.
pub(crate) fn cmp_prerelease(a: &str, b: &str) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        (false, false) => {}
    }
    let mut xs = a.split('.');
    let mut ys = b.split('.');
    loop {
        match (xs.next(), ys.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) => {
                let o = cmp_identifier(x, y);
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

fn is_numeric(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

fn cmp_identifier(x: &str, y: &str) -> Ordering {
    match (is_numeric(x), is_numeric(y)) {
        (true, true) => x.len().cmp(&y.len()).then_with(|| x.cmp(y)),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) => x.cmp(y),
    }
}

/// A cursor over ASCII input that reports errors at byte positions.
pub(crate) struct Scanner<'a> {
    pub text: &'a str,
    pub pos: usize,
}

impl<'a> Scanner<'a> {
    pub fn new(text: &'a str) -> Self {
        Self { text, pos: 0 }
    }

    pub fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    pub fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }

    pub fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    pub fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    pub fn error(&self, message: impl Into<String>) -> VersionError {
        VersionError::new(self.pos, message.into())
    }

    /// What the next character is, for messages.
    pub fn found(&self) -> String {
        match self.rest().chars().next() {
            Some(c) => format!("unexpected character {c:?}"),
            None => "unexpected end of input".to_owned(),
        }
    }

    /// A decimal number without leading zeros, at most `max`.
    pub fn number(&mut self, what: &str, max: u64) -> Result<u64, VersionError> {
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(d) = self.peek().filter(u8::is_ascii_digit) {
            if self.pos > start && value == 0 {
                return Err(VersionError::new(
                    start,
                    format!("leading zero in {what} version number"),
                ));
            }
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(d - b'0')))
                .filter(|v| *v <= max)
                .ok_or_else(|| VersionError::new(start, format!("{what} number too large")))?;
            self.pos += 1;
        }
        if self.pos == start {
            return Err(self.error(format!("{} while parsing {what} number", self.found())));
        }
        Ok(value)
    }

    /// Dot-separated identifiers of `[0-9A-Za-z-]`. Numeric pre-release
    /// identifiers must not have leading zeros (`numeric_no_leading_zero`).
    pub fn identifiers(
        &mut self,
        what: &str,
        numeric_no_leading_zero: bool,
    ) -> Result<&'a str, VersionError> {
        let start = self.pos;
        loop {
            let seg = self.pos;
            while self
                .peek()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                self.pos += 1;
            }
            let ident = self.text.get(seg..self.pos).unwrap_or("");
            if ident.is_empty() {
                return Err(self.error(format!("empty identifier in {what}")));
            }
            if numeric_no_leading_zero
                && ident.len() > 1
                && is_numeric(ident)
                && ident.starts_with('0')
            {
                return Err(VersionError::new(
                    seg,
                    format!("leading zero in numeric {what} identifier"),
                ));
            }
            if !self.eat(b'.') {
                break;
            }
        }
        Ok(self.text.get(start..self.pos).unwrap_or(""))
    }

    /// `[-pre][+build]` after a version core.
    pub fn pre_and_build(&mut self) -> Result<(String, String), VersionError> {
        let pre = if self.eat(b'-') {
            self.identifiers("pre-release", true)?.to_owned()
        } else {
            String::new()
        };
        let build = if self.eat(b'+') {
            self.identifiers("build metadata", false)?.to_owned()
        } else {
            String::new()
        };
        Ok((pre, build))
    }
}

/// Rejects empty input and surrounding whitespace up front, with a position.
pub(crate) fn check_outer(text: &str) -> Result<(), VersionError> {
    if text.is_empty() {
        return Err(VersionError::new(0, "empty version"));
    }
    if text.starts_with(|c: char| c.is_whitespace()) {
        return Err(VersionError::new(0, "leading whitespace"));
    }
    if text.ends_with(|c: char| c.is_whitespace()) {
        let pos = text.trim_end().len();
        return Err(VersionError::new(pos, "trailing whitespace"));
    }
    Ok(())
}

/// Parses a strict SemVer 2.0 version (`1.2.3-pre+build`) where each number
/// is at most `max`, starting at the scanner position and ending the input.
pub(crate) fn parse_full(s: &mut Scanner<'_>, max: u64) -> Result<SemVer, VersionError> {
    let major = s.number("major", max)?;
    expect_dot(s, "major")?;
    let minor = s.number("minor", max)?;
    expect_dot(s, "minor")?;
    let patch = s.number("patch", max)?;
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

pub(crate) fn expect_dot(s: &mut Scanner<'_>, after: &str) -> Result<(), VersionError> {
    if s.eat(b'.') {
        Ok(())
    } else {
        Err(s.error(format!("expected '.' after {after} number, {}", s.found())))
    }
}
