//! RubyGems versions (`Gem::Version`) and requirements (`Gem::Requirement`):
//! `~> 1.2`, `>= 1, < 2`, `!= 1.5`, `= 1.0` (a bare version means `=`).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::pypi::Num;
use crate::{Bound, Ecosystem, Interval, RangeError, VersionError, VersionSet};

/// One segment: a run of digits or a run of letters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Number(Num),
    Letters(Box<str>),
}

/// A `Gem::Version`.
///
/// Equality and order are RubyGems' (`1.0 == 1`, `1.0.a == 1.a`, letters
/// before numbers, letters compared case-sensitively). `Display` prints the
/// version as given.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    /// `canonical_segments`: trailing zeros dropped from the numeric part and
    /// from the part starting at the first letters.
    canonical: Vec<Segment>,
    /// A range bound, never a parsed version: sorts below every version
    /// whose release part is at least this version (the end of `~>`).
    before_prereleases: bool,
}

/// The comparison element at `i`, RubyGems padding with 0; a boundary adds
/// an element below every segment.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
enum Element<'a> {
    BelowAll,
    Letters(&'a str),
    Number(&'a Num),
}

const ZERO: Num = Num::ZERO;

impl Version {
    /// Parses a version as `Gem::Version.new` does, except that surrounding
    /// whitespace and the empty string are errors.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        validate(text)?;
        // RubyGems stores `-` as `.pre.`; only the segments matter here, and
        // the text is kept as given so that it always parses back (`1-a-`
        // would print as `1.pre.a.pre.`, which RubyGems itself rejects).
        let segments = segments(&text.replace('-', ".pre."));
        Ok(Version {
            canonical: canonical(segments),
            text: text.into(),
            before_prereleases: false,
        })
    }

    /// True when the version has letters, `-` counting as `.pre.`
    /// (`1.0.a`, `1.0-rc1`, `1-1`).
    pub fn is_prerelease(&self) -> bool {
        self.text
            .bytes()
            .any(|b| b.is_ascii_alphabetic() || b == b'-')
    }

    /// This version as the range end of `~>`: below every pre-release of it.
    pub(crate) fn into_boundary(self) -> Version {
        Version {
            before_prereleases: true,
            ..self
        }
    }

    /// True for a range bound that is not a real version (see `~>`).
    pub fn is_boundary(&self) -> bool {
        self.before_prereleases
    }

    /// The version without its pre-release part (`1.2.b.3` → `1.2`).
    pub fn release(&self) -> Version {
        if !self.is_prerelease() {
            return self.clone();
        }
        let numbers = numeric_prefix(&self.segments());
        from_numbers(&numbers)
    }

    /// `Gem::Version#bump`: drop the pre-release part and the last number
    /// (unless it is the only one), then increment the last number.
    pub fn bump(&self) -> Version {
        let mut numbers = numeric_prefix(&self.segments());
        if numbers.len() > 1 {
            numbers.pop();
        }
        if let Some(last) = numbers.last_mut() {
            *last = last.succ();
        }
        from_numbers(&numbers)
    }

    /// The segments of the text as RubyGems stores it (`-` as `.pre.`).
    fn segments(&self) -> Vec<Segment> {
        segments(&self.text.replace('-', ".pre."))
    }

    fn element(&self, i: usize) -> Element<'_> {
        match self.canonical.get(i) {
            Some(Segment::Number(n)) => Element::Number(n),
            Some(Segment::Letters(s)) => Element::Letters(s),
            None if self.before_prereleases && i == self.canonical.len() => Element::BelowAll,
            None => Element::Number(&ZERO),
        }
    }

    fn len(&self) -> usize {
        self.canonical.len() + usize::from(self.before_prereleases)
    }
}

/// `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`
fn validate(text: &str) -> Result<(), VersionError> {
    let bytes = text.as_bytes();
    let fail = |pos: usize, what: &str| {
        let found = text
            .get(pos..)
            .and_then(|s| s.chars().next())
            .map_or("end of input".to_owned(), |c| format!("{c:?}"));
        Err(VersionError::new(pos, format!("{what}, found {found}")))
    };
    let mut pos = 0;
    let run = |pos: &mut usize, ok: fn(u8) -> bool| {
        let start = *pos;
        while bytes.get(*pos).copied().is_some_and(ok) {
            *pos += 1;
        }
        *pos > start
    };
    if !run(&mut pos, |b| b.is_ascii_digit()) {
        return fail(pos, "a RubyGems version starts with a digit");
    }
    while bytes.get(pos) == Some(&b'.') {
        pos += 1;
        if !run(&mut pos, |b| b.is_ascii_alphanumeric()) {
            return fail(pos, "expected a letter or digit after `.`");
        }
    }
    if bytes.get(pos) == Some(&b'-') {
        pos += 1;
        let part = |b: u8| b.is_ascii_alphanumeric() || b == b'-';
        if !run(&mut pos, part) {
            return fail(pos, "expected a letter, digit or `-` after `-`");
        }
        while bytes.get(pos) == Some(&b'.') {
            pos += 1;
            if !run(&mut pos, part) {
                return fail(pos, "expected a letter, digit or `-` after `.`");
            }
        }
    }
    if pos != bytes.len() {
        return fail(pos, "unexpected character in RubyGems version");
    }
    Ok(())
}

/// `version.scan(/[0-9]+|[a-z]+/i)`.
fn segments(text: &str) -> Vec<Segment> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let digit = bytes.get(i).is_some_and(u8::is_ascii_digit);
        let alpha = bytes.get(i).is_some_and(u8::is_ascii_alphabetic);
        if !digit && !alpha {
            i += 1;
            continue;
        }
        let same = |b: &u8| {
            if digit {
                b.is_ascii_digit()
            } else {
                b.is_ascii_alphabetic()
            }
        };
        while bytes.get(i).is_some_and(same) {
            i += 1;
        }
        let run = text.get(start..i).unwrap_or("");
        out.push(if digit {
            Segment::Number(Num::from_digits(run))
        } else {
            Segment::Letters(run.into())
        });
    }
    out
}

fn numeric_prefix(segments: &[Segment]) -> Vec<Num> {
    segments
        .iter()
        .map_while(|s| match s {
            Segment::Number(n) => Some(n.clone()),
            Segment::Letters(_) => None,
        })
        .collect()
}

fn from_numbers(numbers: &[Num]) -> Version {
    let text = numbers
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(".");
    let segments = numbers.iter().cloned().map(Segment::Number).collect();
    Version {
        text: text.into(),
        canonical: canonical(segments),
        before_prereleases: false,
    }
}

fn drop_trailing_zeros(part: &mut Vec<Segment>) {
    while matches!(part.last(), Some(Segment::Number(n)) if n.is_zero()) {
        part.pop();
    }
}

fn canonical(mut segments: Vec<Segment>) -> Vec<Segment> {
    let first_letters = segments
        .iter()
        .position(|s| matches!(s, Segment::Letters(_)))
        .unwrap_or(segments.len());
    let mut tail = segments.split_off(first_letters);
    drop_trailing_zeros(&mut segments);
    drop_trailing_zeros(&mut tail);
    segments.extend(tail);
    segments
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        let len = self.len().max(other.len());
        (0..len)
            .map(|i| self.element(i).cmp(&other.element(i)))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
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
        self.canonical.hash(state);
        self.before_prereleases.hash(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

const OPERATORS: [(&str, Op); 7] = [
    ("~>", Op::Pessimistic),
    (">=", Op::Ge),
    ("<=", Op::Le),
    ("!=", Op::Ne),
    ("=", Op::Eq),
    (">", Op::Gt),
    ("<", Op::Lt),
];

/// Parses a requirement: comma-separated constraints, all of which must
/// hold (`Gem::Requirement.new(*text.split(","))`). Whitespace around
/// operators and versions is allowed, as RubyGems allows it.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let mut sets = Vec::new();
    let mut offset = 0;
    for item in text.split(',') {
        sets.push(constraint(item, offset)?);
        offset += item.len() + 1;
    }
    Ok(crate::pypi::intersect_all(Ecosystem::Rubygems, &sets))
}

fn constraint(item: &str, offset: usize) -> Result<VersionSet, RangeError> {
    let lead = item.len() - item.trim_start().len();
    let body = item.trim();
    if body.is_empty() {
        return Err(RangeError::new(
            offset + lead,
            "expected a constraint such as `~> 1.2`",
        ));
    }
    let (op, rest) = OPERATORS
        .iter()
        .find_map(|(s, op)| body.strip_prefix(s).map(|rest| (*op, rest)))
        .unwrap_or((Op::Eq, body));
    let version_text = rest.trim_start();
    let vpos = offset + lead + (body.len() - version_text.len());
    let v =
        Version::parse(version_text).map_err(|e| RangeError::new(vpos + e.position, e.message))?;
    let wrap = crate::Version::Rubygems;
    use Bound::{Excluded, Included, Unbounded};
    let intervals = match op {
        Op::Eq => vec![Interval::exact(wrap(v))],
        Op::Ne => {
            return Ok(VersionSet::exact(wrap(v)).complement());
        }
        Op::Gt => vec![Interval::new(Excluded(wrap(v)), Unbounded)],
        Op::Ge => vec![Interval::new(Included(wrap(v)), Unbounded)],
        Op::Lt => vec![Interval::new(Unbounded, Excluded(wrap(v)))],
        Op::Le => vec![Interval::new(Unbounded, Included(wrap(v)))],
        Op::Pessimistic => {
            // `v >= r && v.release < r.bump`: every version below the first
            // pre-release of the bump.
            let end = Version {
                before_prereleases: true,
                ..v.bump()
            };
            vec![Interval::new(Included(wrap(v)), Excluded(wrap(end)))]
        }
    };
    Ok(VersionSet::from_intervals(Ecosystem::Rubygems, intervals))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    fn holds(range: &str, version: &str) -> bool {
        parse_range(range)
            .unwrap()
            .contains(&crate::Version::Rubygems(v(version)))
    }

    #[test]
    fn order() {
        assert_eq!(v("1.0"), v("1"));
        assert_eq!(v("1.0.a"), v("1.a"));
        assert!(v("1.0.a") < v("1.0"));
        assert!(v("1.0.A") < v("1.0.a"));
        assert!(v("1.9.b") < v("1.10"));
        assert_eq!(v("1.0-rc1"), v("1.0.pre.rc1"));
        // Found by the version_rubygems fuzz target: Display must parse back.
        let odd = v("1.r-1.0.0hbpl-r-");
        assert_eq!(Version::parse(&odd.to_string()).unwrap(), odd);
        assert!(v("99999999999999999999999.1") > v("9999999999999999999999.2"));
    }

    #[test]
    fn pessimistic() {
        assert!(holds("~> 1.2", "1.9.z"));
        assert!(!holds("~> 1.2", "2.0.a"));
        assert!(!holds("~> 1.2", "2.a"));
        assert!(!holds("~> 1.2", "1.1"));
        assert!(holds("~> 1.2.3", "1.2.99"));
        assert!(!holds("~> 1.2.3", "1.3.a"));
        assert!(holds(">= 1, < 2, != 1.5", "1.4"));
        assert!(!holds(">= 1, < 2, != 1.5", "1.5.0"));
    }

    #[test]
    fn errors() {
        assert_eq!(parse_range(">= 1, < x").unwrap_err().position, 8);
        assert!(parse_range("").is_err());
        assert!(parse_range(">>> 1").is_err());
        assert!(Version::parse(" 1").is_err());
        assert!(Version::parse("1..2").is_err());
    }
}
