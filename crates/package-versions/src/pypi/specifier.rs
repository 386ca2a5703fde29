//! PEP 440 specifier sets as version sets, with packaging's semantics and
//! pre-releases included (`prereleases=True`).
//!
//! Each specifier maps to intervals the way packaging's own range engine
//! does; a comma-separated set is their intersection.

use super::{Num, Parser, Version};
use crate::{Bound, Ecosystem, Interval, RangeError, VersionError, VersionSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Compatible,
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
    Identity,
}

const OPERATORS: [(&str, Op); 8] = [
    ("===", Op::Identity),
    ("~=", Op::Compatible),
    ("==", Op::Equal),
    ("!=", Op::NotEqual),
    ("<=", Op::LessEqual),
    (">=", Op::GreaterEqual),
    ("<", Op::Less),
    (">", Op::Greater),
];

/// Parses a specifier set such as `>=1.0, !=1.3.*, <2`. Whitespace around
/// specifiers and after operators is allowed (it is part of the syntax);
/// empty items between commas are skipped, as packaging does, but a set
/// with no specifier at all is an error.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    let mut sets = Vec::new();
    let mut offset = 0;
    for item in text.split(',') {
        let start = offset + (item.len() - item.trim_start().len());
        offset += item.len() + 1;
        let spec = item.trim();
        if spec.is_empty() {
            continue;
        }
        sets.push(specifier(spec, start)?);
    }
    if sets.is_empty() {
        return Err(RangeError::new(0, "empty specifier set"));
    }
    Ok(intersect_all(Ecosystem::Pypi, &sets))
}

/// The intersection of many sets as the complement of the union of their
/// complements: one sort instead of a pairwise fold that is quadratic in the
/// number of specifiers (hundreds of `!=` fit in a 4 KiB range).
pub(crate) fn intersect_all(ecosystem: Ecosystem, sets: &[VersionSet]) -> VersionSet {
    let holes: Vec<Interval> = sets
        .iter()
        .flat_map(|s| s.complement().intervals().to_vec())
        .collect();
    VersionSet::from_intervals(ecosystem, holes).complement()
}

fn at(offset: usize, e: VersionError) -> RangeError {
    RangeError::new(offset + e.position, e.message)
}

/// One specifier (trimmed), starting at byte `offset` of the whole range.
fn specifier(spec: &str, offset: usize) -> Result<VersionSet, RangeError> {
    let (symbol, op) = OPERATORS
        .iter()
        .find(|(s, _)| spec.starts_with(s))
        .copied()
        .ok_or_else(|| {
            RangeError::new(
                offset,
                format!("expected an operator (~=, ==, !=, <=, >=, <, >, ===) in {spec:?}"),
            )
        })?;
    let after_op = &spec[symbol.len()..];
    let version_text = after_op.trim_start();
    let vpos = offset + symbol.len() + (after_op.len() - version_text.len());
    if version_text.is_empty() {
        return Err(RangeError::new(
            vpos,
            "expected a version after the operator",
        ));
    }
    if op == Op::Identity {
        return identity(version_text, vpos);
    }
    let mut p = Parser {
        text: version_text,
        pos: 0,
    };
    let (epoch, release) = p.epoch_release().map_err(|e| at(vpos, e))?;
    let wildcard_allowed = matches!(op, Op::Equal | Op::NotEqual);
    if wildcard_allowed && version_text.get(p.pos..) == Some(".*") {
        let lo = Version::release_dev0(&epoch, &release);
        let hi = Version::release_dev0(&epoch, &next_prefix(&release));
        let set = interval_set(vec![Interval::new(
            Bound::Included(wrap(lo)),
            Bound::Excluded(wrap(hi)),
        )]);
        return Ok(if op == Op::NotEqual {
            set.complement()
        } else {
            set
        });
    }
    if op == Op::Compatible && release.len() < 2 {
        return Err(RangeError::new(
            vpos,
            "~= needs a version with at least two release numbers (~=1.0)",
        ));
    }
    let (pre, post, dev) = p.suffixes();
    let local = if wildcard_allowed {
        p.local().map_err(|e| at(vpos, e))?
    } else if p.peek() == Some(b'+') {
        return Err(RangeError::new(
            vpos + p.pos,
            format!("a local version label is not allowed with {symbol}"),
        ));
    } else {
        None
    };
    if p.pos != version_text.len() {
        let message = if version_text.get(p.pos..).is_some_and(|r| r.contains('*')) {
            "a `.*` wildcard is only allowed directly after the release numbers of == and !="
        } else {
            "unexpected character in PEP 440 version"
        };
        return Err(RangeError::new(vpos + p.pos, message));
    }
    let v = Version {
        epoch,
        release,
        pre,
        post,
        dev,
        local,
        after_posts: false,
    };
    Ok(interval_set(intervals(op, v)))
}

/// `===V` compares strings in packaging. Versions here are compared as PEP
/// 440 versions, so `===` reads as exact equality, local label included
/// (see docs/versions.md); a string that is not a version is an error,
/// since no valid request version could ever match it.
fn identity(text: &str, pos: usize) -> Result<VersionSet, RangeError> {
    if let Some(i) = text.find(|c: char| c.is_whitespace() || c == ';' || c == ')') {
        return Err(RangeError::new(pos + i, "unexpected character after ==="));
    }
    let v = Version::parse(text).map_err(|e| {
        RangeError::new(
            pos + e.position,
            format!(
                "=== with a string that is not a PEP 440 version matches no version ({})",
                e.message
            ),
        )
    })?;
    Ok(VersionSet::exact(crate::Version::Pypi(v)))
}

fn interval_set(intervals: Vec<Interval>) -> VersionSet {
    VersionSet::from_intervals(Ecosystem::Pypi, intervals)
}

fn wrap(v: Version) -> crate::Version {
    crate::Version::Pypi(v)
}

/// The release with its last number incremented: `1.2` → `1.3`.
fn next_prefix(release: &[Num]) -> Vec<Num> {
    let mut next = release.to_vec();
    if let Some(last) = next.last_mut() {
        *last = last.succ();
    }
    next
}

/// The least version above `v` and all its local versions.
fn after_locals(v: &Version) -> Version {
    let mut next = v.public();
    if let Some(dev) = &v.dev {
        next.dev = Some(dev.succ());
    } else {
        next.post = Some(v.post.as_ref().map_or(Num::ZERO, Num::succ));
        next.dev = Some(Num::ZERO);
    }
    next
}

fn intervals(op: Op, v: Version) -> Vec<Interval> {
    use Bound::{Excluded, Included, Unbounded};
    match op {
        Op::GreaterEqual => vec![Interval::new(Included(wrap(v)), Unbounded)],
        Op::LessEqual => vec![Interval::new(Unbounded, Excluded(wrap(after_locals(&v))))],
        Op::Greater => {
            // The next version above V, skipping V's local versions and,
            // unless V is itself a post-release, V's post-releases.
            let (next, inclusive) = if let Some(dev) = &v.dev {
                let dev = Some(dev.succ());
                (Version { dev, ..v }, true)
            } else if let Some(post) = &v.post {
                let post = Some(post.succ());
                let dev = Some(Num::ZERO);
                (Version { post, dev, ..v }, true)
            } else if let Some((kind, n)) = &v.pre {
                let pre = Some((*kind, n.succ()));
                let dev = Some(Num::ZERO);
                (Version { pre, dev, ..v }, true)
            } else {
                let after_posts = true;
                (Version { after_posts, ..v }, false)
            };
            let lo = if inclusive {
                Included(wrap(next))
            } else {
                Excluded(wrap(next))
            };
            vec![Interval::new(lo, Unbounded)]
        }
        Op::Less => {
            // `<V` leaves out V's own pre-releases unless V is one.
            let bound = if v.is_prerelease() {
                v
            } else {
                Version {
                    dev: Some(Num::ZERO),
                    ..v
                }
            };
            let least = Version::release_dev0(&Num::ZERO, &[Num::ZERO]);
            if bound <= least {
                return Vec::new();
            }
            vec![Interval::new(Unbounded, Excluded(wrap(bound)))]
        }
        Op::Equal | Op::NotEqual => {
            let hi = if v.local.is_some() {
                Included(wrap(v.clone()))
            } else {
                Excluded(wrap(after_locals(&v)))
            };
            let equal = vec![Interval::new(Included(wrap(v)), hi)];
            if op == Op::Equal {
                equal
            } else {
                interval_set(equal).complement().intervals().to_vec()
            }
        }
        Op::Compatible => {
            let prefix = v.release.get(..v.release.len() - 1).unwrap_or(&[]);
            let hi = Version::release_dev0(&v.epoch, &next_prefix(prefix));
            vec![Interval::new(Included(wrap(v)), Excluded(wrap(hi)))]
        }
        Op::Identity => vec![Interval::exact(wrap(v))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(range: &str, version: &str) -> bool {
        let set = parse_range(range).unwrap();
        set.contains(&crate::Version::Pypi(Version::parse(version).unwrap()))
    }

    #[test]
    fn greater_than_skips_post_releases_of_a_final() {
        assert!(!contains(">1.0", "1.0.post1"));
        assert!(!contains(">1.0", "1.0+local"));
        assert!(contains(">1.0", "1.0.0.1"));
        assert!(contains(">1.0", "1.1.dev0"));
        assert!(contains(">1.0.post1", "1.0.post2.dev0"));
    }

    #[test]
    fn less_than_skips_own_prereleases() {
        assert!(!contains("<2.0", "2.0rc1"));
        assert!(contains("<2.0", "1.9.post1.dev3"));
        assert!(contains("<2.0rc1", "2.0b1"));
        assert!(parse_range("<0.dev0").unwrap().is_empty());
    }

    #[test]
    fn equality_and_wildcards() {
        assert!(contains("==1.0", "1.0+anything"));
        assert!(!contains("==1.0+a", "1.0+b"));
        assert!(contains("==1.2.*", "1.2.0rc1"));
        assert!(!contains("==1.2.*", "1.3.dev0"));
        assert!(contains("!=1.2.*", "1.3.dev0"));
        assert!(contains("~=1.4.5", "1.4.9"));
        assert!(!contains("~=1.4.5", "1.5.0.dev0"));
    }

    #[test]
    fn errors_point_at_the_fault() {
        assert_eq!(parse_range(">=1.0, <=2.0+x").unwrap_err().position, 12);
        assert_eq!(parse_range(">=1.0, foo").unwrap_err().position, 7);
        assert!(parse_range("~=1").is_err());
        assert!(parse_range(">=1.*").is_err());
        assert!(parse_range(" , ").is_err());
    }
}
