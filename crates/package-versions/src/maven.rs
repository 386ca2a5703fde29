//! Maven versions (`ComparableVersion`) and version ranges
//! (`[1.0,2.0)`, `(,1.0],[1.2,)`; a bare version means exactly it).
//!
//! The version is split into items the way `ComparableVersion` does:
//! numbers, qualifiers, letter-digit combinations (`alpha2`), and a nested
//! list after each `-` or letter/digit switch. The order is Maven's, with the
//! consistency fixes that make it a total order (see
//! docs/decisions/maven-version-order.md).

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::pypi::Num;
use crate::{Bound, Ecosystem, Interval, RangeError, VersionError, VersionSet};

/// `ComparableVersion` refuses longer versions (UTF-16 units).
const MAX_LEN: usize = 256;

/// Numbers compare by width class first, as Maven's int, long and
/// BigInteger items do (after leading zeros are stripped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Width {
    Int,
    Long,
    Big,
}

#[derive(Debug, Clone)]
enum Item {
    Number(Width, Num),
    /// A qualifier, lower case, aliases applied (`cr` → `rc`).
    Qualifier(Box<str>),
    /// Letters directly followed by digits: `alpha2`, `rc1`.
    Combination(Box<str>, Width, Num),
    List(Vec<Item>),
}

const QUALIFIERS: [&str; 7] = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];

/// `comparableQualifier`: known qualifiers by rank, `ga`/`final`/`release`
/// as the empty qualifier, unknown ones after all of them, lexically.
fn qualifier_rank(q: &str) -> (u8, &str) {
    if matches!(q, "ga" | "final" | "release") {
        return (5, "");
    }
    match QUALIFIERS.iter().position(|k| *k == q) {
        Some(i) => (u8::try_from(i).unwrap_or(u8::MAX), ""),
        None => (7, q),
    }
}

/// Java compares strings by UTF-16 code units.
fn cmp_qualifiers(a: &str, b: &str) -> Ordering {
    let (ra, sa) = qualifier_rank(a);
    let (rb, sb) = qualifier_rank(b);
    ra.cmp(&rb)
        .then_with(|| sa.encode_utf16().cmp(sb.encode_utf16()))
}

fn is_release_qualifier(q: &str) -> bool {
    qualifier_rank(q) == (5, "")
}

fn number(digits: &str) -> (Width, Num) {
    let stripped = digits.trim_start_matches('0');
    let width = match stripped.len() {
        0..=9 => Width::Int,
        10..=18 => Width::Long,
        _ => Width::Big,
    };
    (width, Num::from_digits(stripped))
}

fn qualifier(text: &str, followed_by_digit: bool) -> Box<str> {
    let text = match (followed_by_digit, text) {
        (true, "a") => "alpha",
        (true, "b") => "beta",
        (true, "m") => "milestone",
        (_, "cr") => "rc",
        (_, t) => t,
    };
    text.into()
}

impl Item {
    fn token(combination: bool, digits: bool, text: &str) -> Item {
        if combination {
            let text: String = text.chars().filter(|&c| c != '-').collect();
            let split = text.find(|c: char| c.is_ascii_digit()).unwrap_or(0);
            let (letters, digits) = text.split_at(split);
            let (width, n) = number(digits);
            Item::Combination(qualifier(letters, true), width, n)
        } else if digits {
            let (width, n) = number(text);
            Item::Number(width, n)
        } else {
            Item::Qualifier(qualifier(text, false))
        }
    }

    fn is_null(&self) -> bool {
        match self {
            Item::Number(_, n) => n.is_zero(),
            Item::Qualifier(q) => q.is_empty(),
            Item::Combination(..) => false,
            Item::List(items) => items.is_empty(),
        }
    }

    /// Compares with a missing item (the shorter version's padding).
    fn cmp_missing(&self) -> Ordering {
        match self {
            Item::Number(_, n) => {
                if n.is_zero() {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                }
            }
            Item::Qualifier(q) => cmp_qualifiers(q, ""),
            Item::Combination(q, _, n) => cmp_qualifiers(q, "").then(if n.is_zero() {
                Ordering::Equal
            } else {
                Ordering::Greater
            }),
            Item::List(items) => items
                .iter()
                .map(Item::cmp_missing)
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal),
        }
    }

    fn compare(&self, other: &Item) -> Ordering {
        use Item::{Combination, List, Number, Qualifier};
        match (self, other) {
            (Number(wa, a), Number(wb, b)) => wa.cmp(wb).then_with(|| a.cmp(b)),
            (Number(..), _) => Ordering::Greater,
            (_, Number(..)) => Ordering::Less,
            (Qualifier(a), Qualifier(b)) => cmp_qualifiers(a, b),
            (Qualifier(a), Combination(b, _, n)) => match cmp_qualifiers(a, b) {
                Ordering::Equal if is_release_qualifier(a) => other_digits_missing(n).reverse(),
                Ordering::Equal => Ordering::Less,
                o => o,
            },
            (Combination(..), Qualifier(_)) => other.compare(self).reverse(),
            (Combination(a, wa, x), Combination(b, wb, y)) => cmp_qualifiers(a, b)
                .then_with(|| wa.cmp(wb))
                .then_with(|| x.cmp(y)),
            (List(a), List(b)) => {
                let len = a.len().max(b.len());
                (0..len)
                    .map(|i| match (a.get(i), b.get(i)) {
                        (Some(x), Some(y)) => x.compare(y),
                        (Some(x), None) => x.cmp_missing(),
                        (None, Some(y)) => y.cmp_missing().reverse(),
                        (None, None) => Ordering::Equal,
                    })
                    .find(|o| o.is_ne())
                    .unwrap_or(Ordering::Equal)
            }
            // A list against a qualifier: its first item against it, the
            // rest against nothing.
            (List(items), Qualifier(_) | Combination(..)) => {
                let head = match items.first() {
                    Some(first) => first.compare(other),
                    None => other.cmp_missing().reverse(),
                };
                items
                    .iter()
                    .skip(1)
                    .fold(head, |acc, item| acc.then_with(|| item.cmp_missing()))
            }
            (Qualifier(_) | Combination(..), List(_)) => other.compare(self).reverse(),
        }
    }

    /// Hashes so that items comparing equal hash alike: trailing items equal
    /// to nothing are left out, a one-item list hashes as its item, and
    /// release qualifiers (and combinations equal to them) as the empty one.
    fn hash_into<H: Hasher>(&self, state: &mut H) {
        match self {
            Item::Number(w, n) => {
                0u8.hash(state);
                w.hash(state);
                n.hash(state);
            }
            Item::Qualifier(q) => {
                1u8.hash(state);
                qualifier_rank(q).hash(state);
            }
            Item::Combination(q, w, n) => {
                if is_release_qualifier(q) && n.is_zero() {
                    1u8.hash(state);
                    qualifier_rank(q).hash(state);
                } else {
                    2u8.hash(state);
                    qualifier_rank(q).hash(state);
                    w.hash(state);
                    n.hash(state);
                }
            }
            Item::List(items) => {
                let end = items
                    .iter()
                    .rposition(|i| i.cmp_missing().is_ne())
                    .map_or(0, |i| i + 1);
                match items.get(..end).unwrap_or(&[]) {
                    [] => {
                        1u8.hash(state);
                        qualifier_rank("").hash(state);
                    }
                    [only] => only.hash_into(state),
                    many => {
                        3u8.hash(state);
                        many.len().hash(state);
                        for item in many {
                            item.hash_into(state);
                        }
                    }
                }
            }
        }
    }
}

fn other_digits_missing(n: &Num) -> Ordering {
    if n.is_zero() {
        Ordering::Equal
    } else {
        Ordering::Greater
    }
}

/// `ListItem.normalize`: drop null items at the end or before a qualifier
/// (or a list starting with one), then unwrap a lone nested list.
fn normalize(items: &mut Vec<Item>) {
    let mut i = items.len();
    while i > 0 {
        i -= 1;
        let null = items.get(i).is_some_and(Item::is_null);
        if !null {
            continue;
        }
        let drop = match items.get(i + 1) {
            None | Some(Item::Qualifier(_)) => true,
            Some(Item::List(next)) => {
                matches!(
                    next.first(),
                    Some(Item::Combination(..) | Item::Qualifier(_))
                )
            }
            Some(_) => false,
        };
        if drop {
            items.remove(i);
        }
    }
    if let [Item::List(_)] = items.as_slice() {
        if let Some(Item::List(inner)) = items.pop() {
            *items = inner;
        }
    }
}

/// Java's `Character.isDigit` on a character the ASCII-only main loop
/// treats as a letter.
fn is_other_digit(c: char) -> bool {
    c.is_numeric() && !c.is_ascii_digit()
}

/// Maven splits a letter-digit combination at its first Unicode digit and
/// parses the rest with `Integer.parseInt`, which fails or reads non-ASCII
/// digits; such versions are refused here rather than guessed.
fn check_combination(token: &str, at: usize) -> Result<(), VersionError> {
    match token.char_indices().find(|&(_, c)| is_other_digit(c)) {
        Some((i, c)) => Err(VersionError::new(
            at + i,
            format!("non-ASCII digit {c:?} next to letters and digits in Maven version"),
        )),
        None => Ok(()),
    }
}

/// Splits a version into items, as `ComparableVersion.parseVersion` does.
/// Byte offsets of `text` and of its lower-case form may differ for
/// non-ASCII text; errors point into the lower-case form then.
fn items(text: &str) -> Result<Item, VersionError> {
    let lower = text.to_lowercase();
    // The chain of lists: each new one is the last item of the one before.
    let mut lists: Vec<Vec<Item>> = vec![Vec::new()];
    let mut is_digit = false;
    let mut combination = false;
    let mut start = 0;
    let mut chars = lower.char_indices().peekable();
    let push = |lists: &mut Vec<Vec<Item>>, item: Item| {
        if let Some(list) = lists.last_mut() {
            list.push(item);
        }
    };
    let open = |lists: &mut Vec<Vec<Item>>| {
        if lists.last().is_some_and(|l| !l.is_empty()) {
            lists.push(Vec::new());
        }
    };
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, c)| c);
        let token = lower.get(start..i).unwrap_or("");
        if c == '.' {
            if i == start {
                push(&mut lists, Item::Number(Width::Int, Num::ZERO));
            } else {
                if combination {
                    check_combination(token, start)?;
                }
                push(&mut lists, Item::token(combination, is_digit, token));
            }
            combination = false;
            start = i + 1;
        } else if c == '-' {
            if i == start {
                push(&mut lists, Item::Number(Width::Int, Num::ZERO));
            } else {
                // `X-1` reads as `X1`.
                if !is_digit && next.is_some_and(is_other_digit) {
                    return Err(VersionError::new(
                        i + 1,
                        "non-ASCII digit after `-` in Maven version",
                    ));
                }
                if !is_digit && next.is_some_and(|n| n.is_ascii_digit()) {
                    combination = true;
                    continue;
                }
                if combination {
                    check_combination(token, start)?;
                }
                push(&mut lists, Item::token(combination, is_digit, token));
            }
            start = i + 1;
            open(&mut lists);
            combination = false;
        } else if c.is_ascii_digit() {
            if !is_digit && i > start {
                combination = true;
                open(&mut lists);
            }
            is_digit = true;
        } else {
            if is_digit && i > start {
                if combination {
                    check_combination(token, start)?;
                }
                push(&mut lists, Item::token(combination, true, token));
                start = i;
                lists.push(Vec::new());
                combination = false;
            }
            is_digit = false;
        }
    }
    if lower.len() > start {
        if !is_digit {
            open(&mut lists);
        }
        let token = lower.get(start..).unwrap_or("");
        if combination {
            check_combination(token, start)?;
        }
        push(&mut lists, Item::token(combination, is_digit, token));
    }
    // Close the chain from the innermost list out, normalizing each.
    let mut inner: Option<Vec<Item>> = None;
    while let Some(mut list) = lists.pop() {
        if let Some(child) = inner.take() {
            list.push(Item::List(child));
        }
        normalize(&mut list);
        inner = Some(list);
    }
    Ok(Item::List(inner.unwrap_or_default()))
}

/// A Maven version.
///
/// Ordered as `ComparableVersion` orders it (`1.0 == 1 == 1-0 == 1.0-ga`,
/// `1-alpha1 < 1-SNAPSHOT < 1 < 1-sp1 < 1.1`). `Display` prints the
/// version as given.
#[derive(Debug, Clone)]
pub struct Version {
    text: Box<str>,
    items: Item,
}

impl Version {
    /// Parses a version. Maven takes any string; here the empty string,
    /// whitespace, control characters, versions longer than 256 characters
    /// and non-ASCII digits inside a letter-digit combination are errors.
    pub fn parse(text: &str) -> Result<Version, VersionError> {
        if text.is_empty() {
            return Err(VersionError::new(0, "empty version"));
        }
        if let Some((i, c)) = text
            .char_indices()
            .find(|&(_, c)| c.is_whitespace() || c.is_control())
        {
            return Err(VersionError::new(
                i,
                format!("unexpected {c:?} in Maven version"),
            ));
        }
        if text.encode_utf16().count() > MAX_LEN {
            return Err(VersionError::new(
                MAX_LEN,
                "Maven versions are at most 256 characters",
            ));
        }
        Ok(Version {
            text: text.into(),
            items: items(text)?,
        })
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.items.compare(&other.items)
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
        self.items.hash_into(state);
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Parses a Maven version range: one or more `[a,b]`, `(a,b)`, `[a,)`,
/// `(,b]`, `[v]` joined by commas (a union), or a bare version, which here
/// means exactly that version (POLICY_SPEC §3), not Maven's soft
/// requirement.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let mut intervals = Vec::new();
    let mut rest = text;
    let mut previous_upper: Option<Option<Version>> = None;
    let offset = |rest: &str| text.len() - rest.len();
    while rest.starts_with(['[', '(']) {
        let close = rest
            .find([')', ']'])
            .ok_or_else(|| RangeError::new(offset(rest), "unclosed range: expected `]` or `)`"))?;
        let (body, after) = rest.split_at(close + 1);
        let (lo, hi) = restriction(body, offset(rest))?;
        if let Some(Some(upper)) = &previous_upper {
            let overlaps = match &lo {
                Bound::Unbounded => true,
                Bound::Included(v) | Bound::Excluded(v) => {
                    v < &crate::Version::Maven(upper.clone())
                }
            };
            if overlaps {
                return Err(RangeError::new(
                    offset(rest),
                    "ranges overlap or are out of order",
                ));
            }
        }
        previous_upper = Some(match &hi {
            Bound::Included(crate::Version::Maven(v))
            | Bound::Excluded(crate::Version::Maven(v)) => Some(v.clone()),
            _ => None,
        });
        intervals.push(Interval::new(lo, hi));
        rest = after.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r.trim_start();
        }
    }
    if !rest.is_empty() {
        if !intervals.is_empty() {
            return Err(RangeError::new(
                offset(rest),
                "expected `[` or `(`: after a range only more ranges may follow",
            ));
        }
        if let Some(i) = rest.find(['[', ']', '(', ')', ',']) {
            return Err(RangeError::new(i, "unbalanced range"));
        }
        let v = Version::parse(rest)?;
        return Ok(VersionSet::exact(crate::Version::Maven(v)));
    }
    if intervals.is_empty() {
        return Err(RangeError::new(0, "empty range"));
    }
    Ok(VersionSet::from_intervals(Ecosystem::Maven, intervals))
}

/// One `[a,b)`-style restriction starting at byte `at`.
fn restriction(body: &str, at: usize) -> Result<(Bound, Bound), RangeError> {
    let lower_inclusive = body.starts_with('[');
    let upper_inclusive = body.ends_with(']');
    let inner_raw = body.get(1..body.len() - 1).unwrap_or("");
    let lead = inner_raw.len() - inner_raw.trim_start().len();
    let inner = inner_raw.trim();
    let inner_at = at + 1 + lead;
    let version = |s: &str, pos: usize| {
        Version::parse(s)
            .map(crate::Version::Maven)
            .map_err(|e| RangeError::new(pos + e.position, e.message))
    };
    let Some(comma) = inner.find(',') else {
        if !lower_inclusive || !upper_inclusive {
            return Err(RangeError::new(
                at,
                "a single version must be written `[1.0]`",
            ));
        }
        let v = version(inner, inner_at)?;
        return Ok((Bound::Included(v.clone()), Bound::Included(v)));
    };
    let (lo_raw, hi_raw) = (
        inner.get(..comma).unwrap_or(""),
        inner.get(comma + 1..).unwrap_or(""),
    );
    let lo_text = lo_raw.trim();
    let hi_text = hi_raw.trim();
    let hi_at = inner_at + comma + 1 + (hi_raw.len() - hi_raw.trim_start().len());
    let lo = if lo_text.is_empty() {
        None
    } else {
        Some(version(lo_text, inner_at)?)
    };
    let hi = if hi_text.is_empty() {
        None
    } else {
        Some(version(hi_text, hi_at)?)
    };
    if let (Some(l), Some(h)) = (&lo, &hi) {
        let order = h.cmp(l);
        if order.is_lt() || (order.is_eq() && !(lower_inclusive && upper_inclusive)) {
            return Err(RangeError::new(
                at,
                "the range's upper bound is below its lower bound",
            ));
        }
    }
    let bound = |v: Option<crate::Version>, inclusive: bool| match v {
        None => Bound::Unbounded,
        Some(v) if inclusive => Bound::Included(v),
        Some(v) => Bound::Excluded(v),
    };
    Ok((bound(lo, lower_inclusive), bound(hi, upper_inclusive)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Version {
        Version::parse(s).unwrap()
    }

    #[test]
    fn order() {
        let sorted = [
            "1-alpha1",
            "1-alpha2",
            "1-beta1",
            "1-milestone1",
            "1-rc1",
            "1-SNAPSHOT",
            "1",
            "1-sp1",
            "1-abc",
            "1-1",
            "1.1",
        ];
        for pair in sorted.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        for same in ["1.0", "1-0", "1.0.0", "1-ga", "1.final", "1-release"] {
            assert_eq!(v(same), v("1"), "{same}");
        }
    }

    #[test]
    fn ranges() {
        let set = parse_range("(,1.0],[1.2,)").unwrap();
        let has = |s: &str| set.contains(&crate::Version::Maven(v(s)));
        assert!(has("1.0") && has("1.2") && has("0.1") && has("9"));
        assert!(!has("1.1") && !has("1.2-SNAPSHOT"));
        assert!(parse_range("[1.0,1.2),(1.1,1.3]").is_err());
        assert!(parse_range("[1.0)").is_err());
        assert_eq!(parse_range("[1.0,2.0),x").unwrap_err().position, 10);
        let exact = parse_range("2.0.4").unwrap();
        assert!(!exact.contains(&crate::Version::Maven(v("2.0.5"))));
    }
}
