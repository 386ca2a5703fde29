//! Apache Maven's own test vectors (tests/data/maven_*.jsonl, see
//! tests/data/README.md) run through the public API. Vectors whose expected
//! value depends on a reading POLICY_SPEC §3 does not use are skipped with a
//! counted reason; docs/versions.md lists the counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Ordering;

use package_versions::{parse_range, Ecosystem, Version};
use vectors::{lines, text, Tally};

mod vectors;

fn parse(s: &str) -> Option<Version> {
    Version::parse(Ecosystem::Maven, s).ok()
}

fn ordering(n: i64) -> Ordering {
    n.cmp(&0)
}

#[test]
fn compare() {
    let mut t = Tally::default();
    for case in lines("maven_compare.jsonl") {
        let (a, b) = (text(&case, "a"), text(&case, "b"));
        let (Some(va), Some(vb)) = (parse(a), parse(b)) else {
            t.check(false, || format!("{a:?} or {b:?} did not parse"));
            continue;
        };
        let want = ordering(case["cmp"].as_i64().unwrap());
        let got = va.cmp(&vb);
        t.check(got == want && got.is_eq() == (va == vb), || {
            format!(
                "{a} vs {b}: want {want:?}, got {got:?} ({})",
                text(&case, "test")
            )
        });
    }
    t.finish("maven_compare.jsonl", &[]);
}

#[test]
fn range() {
    let mut t = Tally::default();
    for case in lines("maven_range.jsonl") {
        let (range, version) = (text(&case, "range"), text(&case, "version"));
        let want = case["include"].as_bool().unwrap();
        let v = parse(version).unwrap();
        let set = parse_range(Ecosystem::Maven, range).unwrap();
        let got = set.contains(&v);
        if !range.starts_with(['[', '(']) && want && !got {
            // Maven reads a bare version as a soft requirement (anything).
            t.skip("bare version: exactly that version under §3, not a soft requirement");
            continue;
        }
        t.check(got == want, || {
            format!("{range} ∋ {version}: want {want}, got {got}")
        });
    }
    t.finish(
        "maven_range.jsonl",
        &[(
            "bare version: exactly that version under §3, not a soft requirement",
            1,
        )],
    );
}

#[test]
fn invalid_ranges() {
    let mut t = Tally::default();
    for case in lines("maven_range_invalid.jsonl") {
        let range = text(&case, "range");
        t.check(parse_range(Ecosystem::Maven, range).is_err(), || {
            format!("{range} parsed")
        });
    }
    t.finish("maven_range_invalid.jsonl", &[]);
}

#[test]
fn parse_versions() {
    // DefaultArtifactVersion's major/minor/... accessors are not part of this
    // API; the versions must parse and equal themselves.
    let mut t = Tally::default();
    for case in lines("maven_parse.jsonl") {
        let input = text(&case, "version");
        let v = parse(input);
        t.check(v.as_ref().is_some_and(|v| v.to_string() == input), || {
            format!("{input:?}")
        });
    }
    t.finish("maven_parse.jsonl", &[]);
}
