//! Concrete versions inside intervals: the witnesses of the diff and the
//! emptiness test of the lint. Candidates are derived from the interval's own
//! bounds (each numeric part bumped up and down, then suffixes that sort just
//! above or below a release in the ecosystems' orders) and each is checked by
//! parsing it and testing membership, so a witness is never wrong; an interval
//! none of them lands in is reported as such, never guessed.

use package_versions::{Bound, Ecosystem, Interval, Version};

/// Suffixes that move a version a little up or down in some ecosystem's order.
const SUFFIXES: [&str; 17] = [
    "",
    "-0",
    ".0",
    "-1",
    ".1",
    "-alpha",
    "-alpha.0",
    "a0",
    "rc1",
    ".dev0",
    ".post0",
    ".post1",
    "-SNAPSHOT",
    "-rc.1",
    ".0.1",
    "-0.0",
    "+1",
];

/// Versions that stand for "far below" and "far above" any bound.
const EXTREMES: [&str; 8] = [
    "0.0.0-0",
    "0.0.0",
    "0",
    "0.0.1",
    "1.0.0",
    "999999.0.0",
    "0.dev0",
    "0.0.0-alpha",
];

/// The text of a version of `eco` inside `iv`, if one is found.
pub(crate) fn version_in(eco: Ecosystem, iv: &Interval) -> Option<String> {
    // The included bounds first: the simplest witnesses.
    for b in [&iv.lo, &iv.hi] {
        if let Bound::Included(v) = b {
            let text = v.to_string();
            if accepts(eco, iv, &text) {
                return Some(text);
            }
        }
    }
    let mut bases: Vec<String> = Vec::new();
    for b in [&iv.lo, &iv.hi] {
        if let Bound::Included(v) | Bound::Excluded(v) = b {
            let text = v.to_string();
            bases.extend(bumps(&text));
            bases.push(text);
        }
    }
    for base in &bases {
        for sfx in SUFFIXES {
            let text = format!("{base}{sfx}");
            if accepts(eco, iv, &text) {
                return Some(text);
            }
        }
    }
    EXTREMES
        .iter()
        .map(|e| {
            if eco == Ecosystem::Golang {
                format!("v{e}")
            } else {
                (*e).to_owned()
            }
        })
        .find(|t| accepts(eco, iv, t))
}

fn accepts(eco: Ecosystem, iv: &Interval, text: &str) -> bool {
    Version::parse(eco, text).is_ok_and(|v| iv.contains(&v))
}

/// `text` with each run of digits moved one up and one down (and what follows
/// it dropped, for the up move): 1.2.3 → 2, 1.3, 1.2.4, 0.2.3, 1.1.3, 1.2.2.
fn bumps(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while bytes.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        let (Some(head), Some(digits), Some(tail)) =
            (text.get(..start), text.get(start..i), text.get(i..))
        else {
            continue;
        };
        let Ok(n) = digits.parse::<u64>() else {
            continue;
        };
        if let Some(up) = n.checked_add(1) {
            out.push(format!("{head}{up}"));
            out.push(format!("{head}{up}{}", zeroed(tail)));
        }
        if let Some(down) = n.checked_sub(1) {
            out.push(format!("{head}{down}{tail}"));
            out.push(format!("{head}{down}{}", nines(tail)));
        }
    }
    out
}

/// The numeric parts of `tail` set to 0 (1.2.3 bumped at 2 → 1.3.0).
fn zeroed(tail: &str) -> String {
    digits_replaced(tail, "0")
}

/// The numeric parts of `tail` set high (1.2.3 lowered at 2 → 1.1.99999).
fn nines(tail: &str) -> String {
    digits_replaced(tail, "99999")
}

fn digits_replaced(tail: &str, with: &str) -> String {
    let mut out = String::with_capacity(tail.len());
    let mut in_digits = false;
    for c in tail.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push_str(with);
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first(eco: Ecosystem, range: &str) -> Option<String> {
        let set = package_versions::parse_range(eco, range).unwrap();
        set.intervals().iter().find_map(|iv| version_in(eco, iv))
    }

    #[test]
    fn witnesses_lie_in_open_intervals() {
        for (eco, range) in [
            (Ecosystem::Npm, ">1.0.0 <1.0.1"),
            (Ecosystem::Npm, "<1.0.0"),
            (Ecosystem::Pypi, ">1.0,<1.1"),
            (Ecosystem::Pypi, ">1.0"),
            (Ecosystem::Maven, "(1.0,1.1)"),
            (Ecosystem::Nuget, "(1.0.0,1.0.1)"),
            (Ecosystem::Rubygems, "> 1.0, < 1.0.1"),
            (Ecosystem::Golang, ">v1.0.0, <v1.0.1"),
            (Ecosystem::Cargo, ">1.0.0, <1.0.1"),
        ] {
            let w = first(eco, range).unwrap_or_else(|| panic!("{eco} {range}"));
            let set = package_versions::parse_range(eco, range).unwrap();
            assert!(
                set.contains(&Version::parse(eco, &w).unwrap()),
                "{eco} {range} {w}"
            );
        }
    }

    #[test]
    fn an_interval_without_versions_has_no_witness() {
        // Nothing sorts between 1.0.0 and the first pre-release of 1.0.1.
        assert_eq!(first(Ecosystem::Npm, ">1.0.0 <1.0.1-0"), None);
    }
}
