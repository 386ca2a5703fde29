//! PyPI versions (PEP 440, as pypa/packaging parses and orders them) and
//! specifier sets (`>=1.0, !=1.3.*, <2`).
//!
//! The parser follows packaging's version grammar: optional `v`, epoch,
//! release, pre/post/dev parts with their alternate spellings and optional
//! separators, and a `+local` label, all case-insensitive. Numbers of any
//! length are kept exactly ([`Num`]), so no input overflows.

mod specifier;

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::VersionError;

pub(crate) use specifier::intersect_all;
pub use specifier::parse_range;

/// A non-negative integer of any size: `u64` when it fits, else its digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Num {
    Small(u64),
    /// Digits without leading zeros, value above `u64::MAX`.
    Big(Box<str>),
}

impl Num {
    pub(crate) const ZERO: Num = Num::Small(0);

    /// Reads ASCII digits (the caller checked they are digits).
    pub(crate) fn from_digits(digits: &str) -> Num {
        let trimmed = digits.trim_start_matches('0');
        let mut value: u64 = 0;
        for b in trimmed.bytes() {
            match value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b.wrapping_sub(b'0'))))
            {
                Some(v) => value = v,
                None => return Num::Big(trimmed.into()),
            }
        }
        Num::Small(value)
    }

    pub(crate) fn is_zero(&self) -> bool {
        matches!(self, Num::Small(0))
    }

    /// The next integer.
    pub(crate) fn succ(&self) -> Num {
        match self {
            Num::Small(v) => match v.checked_add(1) {
                Some(n) => Num::Small(n),
                None => Num::Big("18446744073709551616".into()),
            },
            Num::Big(digits) => {
                let mut bytes = digits.as_bytes().to_vec();
                let mut carry = true;
                for b in bytes.iter_mut().rev() {
                    if !carry {
                        break;
                    }
                    if *b == b'9' {
                        *b = b'0';
                    } else {
                        *b += 1;
                        carry = false;
                    }
                }
                let mut text = String::with_capacity(bytes.len() + 1);
                if carry {
                    text.push('1');
                }
                text.extend(bytes.iter().map(|&b| char::from(b)));
                Num::Big(text.into())
            }
        }
    }
}

impl Ord for Num {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Num::Small(a), Num::Small(b)) => a.cmp(b),
            (Num::Small(_), Num::Big(_)) => Ordering::Less,
            (Num::Big(_), Num::Small(_)) => Ordering::Greater,
            (Num::Big(a), Num::Big(b)) => a.len().cmp(&b.len()).then_with(|| a.cmp(b)),
        }
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Num::Small(v) => write!(f, "{v}"),
            Num::Big(d) => f.write_str(d),
        }
    }
}

/// Pre-release kind, in PEP 440 order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum PreKind {
    Alpha,
    Beta,
    Rc,
}

impl PreKind {
    fn as_str(self) -> &'static str {
        match self {
            PreKind::Alpha => "a",
            PreKind::Beta => "b",
            PreKind::Rc => "rc",
        }
    }
}

/// One dot-separated part of a local label: numbers sort above words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum LocalPart {
    Word(Box<str>),
    Number(Num),
}

impl fmt::Display for LocalPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalPart::Word(w) => f.write_str(w),
            LocalPart::Number(n) => n.fmt(f),
        }
    }
}

/// Where the pre-release part puts a version among its release's versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum PreRank<'a> {
    /// `1.0.dev1`: a dev release with no pre or post part sorts first.
    DevOnly,
    Pre(PreKind, &'a Num),
    Final,
}

/// A PEP 440 version.
///
/// Equality is PEP 440 equality (`1.0 == 1.0.0`, `1.0a1 == 1.0.alpha1`);
/// `Display` prints packaging's normalized form, which parses back to an
/// equal version.
#[derive(Debug, Clone)]
pub struct Version {
    pub(crate) epoch: Num,
    pub(crate) release: Vec<Num>,
    pub(crate) pre: Option<(PreKind, Num)>,
    pub(crate) post: Option<Num>,
    pub(crate) dev: Option<Num>,
    pub(crate) local: Option<Vec<LocalPart>>,
    /// A range bound, never a parsed version: sits above this (final)
    /// version, its local versions and all its post-releases, below the next
    /// release. `>1.0` starts just above it (PEP 440 excludes `1.0.post1`).
    pub(crate) after_posts: bool,
}

impl Version {
    /// Parses a PEP 440 version. Surrounding whitespace is an error.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        let mut p = Parser { text, pos: 0 };
        let v = p.version(false)?;
        p.end()?;
        Ok(v)
    }

    /// True for pre-releases and dev releases (packaging's `is_prerelease`).
    pub fn is_prerelease(&self) -> bool {
        self.pre.is_some() || self.dev.is_some()
    }

    /// True for post-releases (packaging's `is_postrelease`).
    pub fn is_postrelease(&self) -> bool {
        self.post.is_some()
    }

    /// True for dev releases (packaging's `is_devrelease`).
    pub fn is_devrelease(&self) -> bool {
        self.dev.is_some()
    }

    /// `epoch!release`, normalized (packaging's `base_version`).
    pub fn base_version(&self) -> String {
        Version {
            pre: None,
            post: None,
            dev: None,
            local: None,
            after_posts: false,
            ..self.clone()
        }
        .to_string()
    }

    /// The local label, normalized (`ubuntu.1`), if any.
    pub fn local(&self) -> Option<String> {
        self.local.as_ref().map(|parts| {
            parts
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    /// This version as the range end of `>V`: above every post-release of it.
    pub(crate) fn into_boundary(self) -> Version {
        Version {
            after_posts: true,
            ..self
        }
    }

    /// True for a range bound that is not a real version (see `>V`).
    pub fn is_boundary(&self) -> bool {
        self.after_posts
    }

    fn significant_release(&self) -> &[Num] {
        let end = self
            .release
            .iter()
            .rposition(|n| !n.is_zero())
            .map_or(0, |i| i + 1);
        self.release.get(..end).unwrap_or(&[])
    }

    fn pre_rank(&self) -> PreRank<'_> {
        match (&self.pre, &self.post, &self.dev) {
            (Some((kind, n)), _, _) => PreRank::Pre(*kind, n),
            (None, None, Some(_)) => PreRank::DevOnly,
            _ => PreRank::Final,
        }
    }

    /// The same version without its local label.
    pub fn public(&self) -> Version {
        Version {
            local: None,
            ..self.clone()
        }
    }

    /// `epoch!release.dev0`: the least version of this release.
    pub(crate) fn release_dev0(epoch: &Num, release: &[Num]) -> Version {
        Version {
            epoch: epoch.clone(),
            release: release.to_vec(),
            pre: None,
            post: None,
            dev: Some(Num::ZERO),
            local: None,
            after_posts: false,
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let head = self
            .epoch
            .cmp(&other.epoch)
            .then_with(|| self.significant_release().cmp(other.significant_release()))
            .then_with(|| self.pre_rank().cmp(&other.pre_rank()));
        if head != Ordering::Equal {
            return head;
        }
        match (self.after_posts, other.after_posts) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Greater,
            (false, true) => return Ordering::Less,
            (false, false) => {}
        }
        // No post sorts first, no dev sorts last, no local sorts first.
        self.post
            .cmp(&other.post)
            .then_with(|| match (&self.dev, &other.dev) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), None) => Ordering::Less,
                (Some(a), Some(b)) => a.cmp(b),
            })
            .then_with(|| self.local.cmp(&other.local))
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
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.epoch.hash(state);
        self.significant_release().hash(state);
        self.pre_rank().hash(state);
        self.after_posts.hash(state);
        if !self.after_posts {
            self.post.hash(state);
            self.dev.hash(state);
            self.local.hash(state);
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.epoch.is_zero() {
            write!(f, "{}!", self.epoch)?;
        }
        for (i, n) in self.release.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            n.fmt(f)?;
        }
        if let Some((kind, n)) = &self.pre {
            write!(f, "{}{n}", kind.as_str())?;
        }
        if let Some(n) = &self.post {
            write!(f, ".post{n}")?;
        }
        if let Some(n) = &self.dev {
            write!(f, ".dev{n}")?;
        }
        if let Some(local) = &self.local {
            for (i, part) in local.iter().enumerate() {
                f.write_str(if i == 0 { "+" } else { "." })?;
                part.fmt(f)?;
            }
        }
        Ok(())
    }
}

fn is_sep(b: u8) -> bool {
    matches!(b, b'.' | b'_' | b'-')
}

/// A cursor over a version's text; every step is linear in what it reads.
pub(crate) struct Parser<'a> {
    pub(crate) text: &'a str,
    pub(crate) pos: usize,
}

impl<'a> Parser<'a> {
    pub(crate) fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<u8> {
        self.text.as_bytes().get(self.pos + offset).copied()
    }

    fn error(&self, message: &str) -> VersionError {
        let what = match self.text.get(self.pos..).and_then(|s| s.chars().next()) {
            Some(c) => format!("{message}, found {c:?}"),
            None => format!("{message}, found end of input"),
        };
        VersionError::new(self.pos, what)
    }

    pub(crate) fn end(&self) -> Result<(), VersionError> {
        if self.pos == self.text.len() {
            Ok(())
        } else {
            Err(self.error("unexpected character in PEP 440 version"))
        }
    }

    fn digits(&mut self) -> Option<Num> {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| Num::from_digits(self.text.get(start..self.pos).unwrap_or("")))
    }

    fn optional_sep(&mut self) {
        if self.peek().is_some_and(is_sep) {
            self.pos += 1;
        }
    }

    /// Consumes the first of `words` (case-insensitive) found here.
    fn word(&mut self, words: &[&'static str]) -> Option<&'static str> {
        let rest = self.text.as_bytes().get(self.pos..).unwrap_or(&[]);
        let found = words.iter().copied().find(|w| {
            rest.get(..w.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(w.as_bytes()))
        })?;
        self.pos += found.len();
        Some(found)
    }

    /// Reads `[sep] word [sep] [digits]`, or nothing at all.
    fn letter_part(&mut self, words: &[&'static str]) -> Option<(&'static str, Num)> {
        let start = self.pos;
        self.optional_sep();
        match self.word(words) {
            Some(w) => {
                self.optional_sep();
                Some((w, self.digits().unwrap_or(Num::ZERO)))
            }
            None => {
                self.pos = start;
                None
            }
        }
    }

    /// The epoch and release: `[N!]N(.N)*`. A `.` not followed by a digit is
    /// left for what follows (`1.0.post1`, the `.*` of a specifier).
    pub(crate) fn epoch_release(&mut self) -> Result<(Num, Vec<Num>), VersionError> {
        if matches!(self.peek(), Some(b'v' | b'V')) {
            self.pos += 1;
        }
        let first = self
            .digits()
            .ok_or_else(|| self.error("expected a release number"))?;
        let (epoch, first) = if self.peek() == Some(b'!') {
            self.pos += 1;
            let n = self
                .digits()
                .ok_or_else(|| self.error("expected a release number after the epoch"))?;
            (first, n)
        } else {
            (Num::ZERO, first)
        };
        let mut release = vec![first];
        while self.peek() == Some(b'.') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
            if let Some(n) = self.digits() {
                release.push(n);
            }
        }
        Ok((epoch, release))
    }

    /// Pre, post and dev parts after the release.
    pub(crate) fn suffixes(&mut self) -> (Option<(PreKind, Num)>, Option<Num>, Option<Num>) {
        let pre = self
            .letter_part(&["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"])
            .map(|(w, n)| {
                let kind = match w {
                    "alpha" | "a" => PreKind::Alpha,
                    "beta" | "b" => PreKind::Beta,
                    _ => PreKind::Rc,
                };
                (kind, n)
            });
        let post =
            if self.peek() == Some(b'-') && self.peek_at(1).is_some_and(|b| b.is_ascii_digit()) {
                self.pos += 1;
                self.digits()
            } else {
                self.letter_part(&["post", "rev", "r"]).map(|(_, n)| n)
            };
        let dev = self.letter_part(&["dev"]).map(|(_, n)| n);
        (pre, post, dev)
    }

    /// `+label`: alphanumeric parts joined by `.`, `_` or `-`.
    pub(crate) fn local(&mut self) -> Result<Option<Vec<LocalPart>>, VersionError> {
        if self.peek() != Some(b'+') {
            return Ok(None);
        }
        self.pos += 1;
        let mut parts = Vec::new();
        loop {
            let start = self.pos;
            while self.peek().is_some_and(|b| b.is_ascii_alphanumeric()) {
                self.pos += 1;
            }
            let part = self.text.get(start..self.pos).unwrap_or("");
            if part.is_empty() {
                return Err(self.error("expected a letter or digit in the local version label"));
            }
            parts.push(if part.bytes().all(|b| b.is_ascii_digit()) {
                LocalPart::Number(Num::from_digits(part))
            } else {
                LocalPart::Word(part.to_ascii_lowercase().into())
            });
            if self.peek().is_some_and(is_sep) {
                self.pos += 1;
            } else {
                return Ok(Some(parts));
            }
        }
    }

    /// A whole version; `no_local` stops before a `+`.
    pub(crate) fn version(&mut self, no_local: bool) -> Result<Version, VersionError> {
        let (epoch, release) = self.epoch_release()?;
        let (pre, post, dev) = self.suffixes();
        let local = if no_local { None } else { self.local()? };
        Ok(Version {
            epoch,
            release,
            pre,
            post,
            dev,
            local,
            after_posts: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn normalizes_like_packaging() {
        assert_eq!(
            v("V1.0-ALPHA.2_post-3.DEV_4+Ubuntu-01").to_string(),
            "1.0a2.post3.dev4+ubuntu.1"
        );
        assert_eq!(v("1.0-1").to_string(), "1.0.post1");
        assert_eq!(v("1.0a.").to_string(), "1.0a0");
        assert_eq!(v("0!01.002").to_string(), "1.2");
    }

    #[test]
    fn orders_like_pep_440() {
        let sorted = [
            "1.0.dev0",
            "1.0a1.dev1",
            "1.0a1",
            "1.0a1.post1.dev1",
            "1.0a1.post1",
            "1.0b1",
            "1.0rc1",
            "1.0",
            "1.0+abc",
            "1.0+abc.1",
            "1.0+1",
            "1.0.post0.dev0",
            "1.0.post0",
            "1.0.0.1",
            "1.1",
            "1!0.1",
        ];
        for pair in sorted.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0.0"));
    }

    #[test]
    fn huge_numbers_compare_by_value() {
        let a = v("1.99999999999999999999999999");
        let b = v("1.100000000000000000000000000");
        assert!(a < b);
        assert_eq!(
            Num::from_digits("18446744073709551615").succ(),
            Num::from_digits("18446744073709551616")
        );
        assert_eq!(
            Num::Big("999999999999999999999".into()).succ().to_string(),
            "1000000000000000000000"
        );
    }

    #[test]
    fn rejects_with_position() {
        let e = Version::parse("1.0 ").unwrap_err();
        assert_eq!(e.position, 3);
        assert!(Version::parse(" 1.0").is_err());
        assert!(Version::parse("").is_err());
        assert_eq!(Version::parse("1.0+").unwrap_err().position, 4);
    }
}
