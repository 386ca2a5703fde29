//! RubyGems's own test vectors (tests/data/rubygems_*.jsonl, see
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
    Version::parse(Ecosystem::Rubygems, s).ok()
}

fn ordering(n: i64) -> Ordering {
    n.cmp(&0)
}

fn rubygems(v: &Version) -> &package_versions::rubygems::Version {
    match v {
        Version::Rubygems(r) => r,
        other => panic!("not a RubyGems version: {other:?}"),
    }
}

#[test]
fn compare() {
    let mut t = Tally::default();
    for case in lines("rubygems_compare.jsonl") {
        let (a, b) = (text(&case, "a"), text(&case, "b"));
        let (Some(va), Some(vb)) = (parse(a), parse(b)) else {
            // Gem::Version strips whitespace and reads "" as "0"; §3 does not.
            assert!(
                a.trim() != a || b.trim() != b || a.is_empty() || b.is_empty(),
                "{a:?} {b:?}"
            );
            t.skip("empty or whitespace-padded version: an error under §3");
            continue;
        };
        match case["cmp"].as_i64() {
            Some(n) => {
                let want = ordering(n);
                let got = va.cmp(&vb);
                t.check(got == want && (got.is_eq() == (va == vb)), || {
                    format!("{a} vs {b}: want {want:?}, got {got:?}")
                });
            }
            None => t.check(va != vb, || format!("{a} == {b}")),
        }
    }
    t.finish(
        "rubygems_compare.jsonl",
        &[("empty or whitespace-padded version: an error under §3", 5)],
    );
}

#[test]
fn invalid_versions() {
    let mut t = Tally::default();
    for case in lines("rubygems_invalid.jsonl") {
        let input = text(&case, "version");
        t.check(parse(input).is_none(), || format!("{input:?} parsed"));
    }
    t.finish("rubygems_invalid.jsonl", &[]);
}

#[test]
fn invalid_requirements() {
    let mut t = Tally::default();
    for case in lines("rubygems_requirement_invalid.jsonl") {
        let input = text(&case, "requirement");
        t.check(parse_range(Ecosystem::Rubygems, input).is_err(), || {
            format!("{input:?} parsed")
        });
    }
    t.finish("rubygems_requirement_invalid.jsonl", &[]);
}

#[test]
fn range() {
    let mut t = Tally::default();
    for case in lines("rubygems_range.jsonl") {
        let (range, version) = (text(&case, "range"), text(&case, "version"));
        let want = case["include"].as_bool().unwrap();
        let Some(v) = parse(version) else {
            assert!(
                version.trim() != version || version.is_empty(),
                "{version:?}"
            );
            t.skip("empty or whitespace-padded version: an error under §3");
            continue;
        };
        let set = match parse_range(Ecosystem::Rubygems, range) {
            Ok(set) => set,
            Err(e) => {
                t.check(false, || format!("{range}: {e}"));
                continue;
            }
        };
        let got = set.contains(&v);
        t.check(got == want, || {
            format!("{range} ∋ {version}: want {want}, got {got}")
        });
    }
    t.finish(
        "rubygems_range.jsonl",
        &[("empty or whitespace-padded version: an error under §3", 10)],
    );
}

#[test]
fn version_properties() {
    let mut t = Tally::default();
    for case in lines("rubygems_version_props.jsonl") {
        let kind = text(&case, "type");
        match kind {
            "prerelease" => {
                let v = parse(text(&case, "version")).unwrap();
                let want = case["prerelease"].as_bool().unwrap();
                t.check(rubygems(&v).is_prerelease() == want, || format!("{case}"));
            }
            "bump" | "release" => {
                let v = parse(text(&case, "version")).unwrap();
                let want = parse(text(&case, kind)).unwrap();
                let got = if kind == "bump" {
                    rubygems(&v).bump()
                } else {
                    rubygems(&v).release()
                };
                t.check(
                    Version::Rubygems(got.clone()) == want && got.to_string() == text(&case, kind),
                    || format!("{case}: got {got}"),
                );
            }
            // eql? is string equality of the stored version: Display.
            "eql" => {
                let a = parse(text(&case, "a")).unwrap();
                let b = parse(text(&case, "b")).unwrap();
                let want = case["eql"].as_bool().unwrap();
                t.check((a.to_string() == b.to_string()) == want, || {
                    format!("{case}")
                });
            }
            _ => t.skip("approximate_recommendation is not part of this API"),
        }
    }
    t.finish(
        "rubygems_version_props.jsonl",
        &[("approximate_recommendation is not part of this API", 7)],
    );
}
