//! package-url/vers-spec's tests (tests/data/vers.jsonl) and univers' GitLab
//! native-range cases (tests/data/univers_gitlab_vers.jsonl) through the
//! public API: `vers::parse`, `parse_range` and `Version::parse`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{lines, release_difference, Tally};
use package_versions::{parse_range, vers, Ecosystem, Version, VersionSet};
use serde_json::Value;
use std::cmp::Ordering;

/// The ecosystem of a vers type, if it is one of ours.
fn eco_of(scheme: &str) -> Option<Ecosystem> {
    Ecosystem::from_purl_type(scheme)
}

fn vers_tests(kind: &str) -> Vec<Value> {
    lines("vers.jsonl")
        .into_iter()
        .filter(|v| v["test_type"] == kind)
        .collect()
}

/// Maven comparison vectors that contradict Maven's own ComparableVersionTest
/// (tests/data/maven_compare.jsonl, Maven 3.9): vers-spec follows the order
/// before MNG-7644, which reads `.X` as `-X`. Each pair is checked against
/// Maven's order instead: `a` compared with `b`.
const MAVEN_SAYS: [(&str, &str, Ordering); 3] = [
    // testVersionsNumber: 2.0.a < 2-1.
    ("2.0.a", "2-1", Ordering::Less),
    // testMng7644: 2.0.0.abc == 2.0.abc, so 2.0.0.a == 2.0.a < 2-1.
    ("2.0.0.a", "2-1", Ordering::Less),
    ("2.0.0.a", "2.0.a", Ordering::Equal),
];

/// Sorting and equality vectors of one scheme.
fn order_vectors(t: &mut Tally, scheme: &str) {
    let eco = eco_of(scheme).unwrap();
    for kind in ["comparison", "equality"] {
        for v in vers_tests(kind) {
            if v["input"]["input_scheme"] != scheme {
                continue;
            }
            let texts: Vec<String> = v["input"]["versions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_owned())
                .collect();
            let parsed: Vec<Version> = texts
                .iter()
                .map(|x| Version::parse(eco, x).unwrap_or_else(|e| panic!("{x}: {e}")))
                .collect();
            let maven_says = MAVEN_SAYS.iter().find(|(a, b, _)| {
                scheme == "maven"
                    && texts.len() == 2
                    && texts.contains(&(*a).to_owned())
                    && texts.contains(&(*b).to_owned())
            });
            if let Some((a, b, want)) = maven_says {
                let pa = Version::parse(eco, a).unwrap();
                let pb = Version::parse(eco, b).unwrap();
                let got = pa.cmp(&pb);
                t.check(got == *want, || {
                    format!("{a} vs {b}: got {got:?}, Maven says {want:?}")
                });
                continue;
            }
            if kind == "equality" {
                let want = v["expected_output"].as_bool().unwrap();
                let got = parsed[0] == parsed[1];
                t.check(got == want, || {
                    format!("{texts:?} equal: got {got}, want {want}")
                });
            } else {
                let mut idx: Vec<usize> = (0..parsed.len()).collect();
                idx.sort_by(|&a, &b| parsed[a].cmp(&parsed[b]));
                // The expected lists may change the letter case of labels.
                let got: Vec<String> = idx.iter().map(|&i| texts[i].to_lowercase()).collect();
                let want: Vec<String> = v["expected_output"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_str().unwrap().to_lowercase())
                    .collect();
                t.check(got == want, || format!("sorted {got:?}, want {want:?}"));
            }
        }
    }
}

#[test]
fn vers_nuget_order() {
    let mut t = Tally::new("vers.jsonl nuget comparison/equality");
    order_vectors(&mut t, "nuget");
    t.finish();
}

#[test]
fn vers_maven_order() {
    let mut t = Tally::new("vers.jsonl maven comparison/equality");
    order_vectors(&mut t, "maven");
    t.finish();
}

#[test]
fn vers_parse() {
    let mut t = Tally::new("vers.jsonl parse");
    for v in vers_tests("parse") {
        let input = v["input"].as_str().unwrap();
        let scheme = input
            .strip_prefix("vers:")
            .and_then(|r| r.split('/').next())
            .unwrap();
        let Some(eco) = eco_of(scheme) else {
            t.exclude("a vers type outside the seven ecosystems (datetime)");
            continue;
        };
        let got = vers::parse(input);
        if v["expected_failure"].as_bool() == Some(true) {
            t.check(got.is_err(), || format!("{input}: accepted as {got:?}"));
            continue;
        }
        let constraints = v["expected_output"]["version_constraints"]
            .as_array()
            .unwrap();
        let versions: Option<Vec<Version>> = constraints
            .iter()
            .map(|c| Version::parse(eco, c[1].as_str().unwrap()).ok())
            .collect();
        let Some(versions) = versions else {
            // `1.0%2F0` parses as vers, but is no npm version.
            t.exclude("a version that is not valid in its ecosystem");
            continue;
        };
        let Ok((got_eco, set)) = got else {
            t.check(false, || format!("{input}: {got:?}"));
            continue;
        };
        // Each constraint's own version is in the set exactly when its
        // comparator includes equality.
        let ok = got_eco == eco
            && constraints.iter().zip(&versions).all(|(c, ver)| {
                let inclusive = matches!(c[0].as_str().unwrap(), "=" | ">=" | "<=");
                set.contains(ver) == inclusive
            });
        t.check(ok, || format!("{input}: {set}"));
    }
    t.finish();
}

/// Validate vectors whose input the current specification rejects (they
/// predate its canonical-form rules; see `vers_strict_canonical_form`), each
/// with the word our error must give. Every other vector must validate.
const VALIDATE_NOW_REJECTED: [(&str, &str); 5] = [
    // "recommended" vectors that sort their input; sorting is now the user's job.
    (
        "vers:pypi/0.0.2|0.0.6|0.0.0|0.0.1|0.0.4|0.0.5|0.0.3",
        "sorted",
    ),
    (
        "vers:pypi/0.0.2|0.0.6|>=0.0.0|0.0.1|0.0.4|0.0.5|0.0.3",
        "sorted",
    ),
    // `>` then `>=`: two lower bounds in a row, a redundant sequence.
    (
        "vers:pypi/>0.0.0|>=0.0.1|0.0.2|<0.0.3|0.0.4|<0.0.5|>=0.0.6",
        "sequence",
    ),
    (
        "vers:pypi/>0.0.0|>=0.0.1|0.0.2|0.0.3|0.0.4|<0.0.5|>=0.0.6|!=0.8",
        "sequence",
    ),
    // `>=0.0.1` twice.
    (
        "vers:pypi/>0.0.0|>=0.0.1|>=0.0.1|0.0.2|0.0.3|0.0.4|<0.0.5|<=0.0.6|!=0.7|8.0|>12|<15.3",
        "duplicate",
    ),
];

#[test]
fn vers_validate() {
    let mut t = Tally::new("vers.jsonl validate");
    for v in vers_tests("validate") {
        let input = v["input"].as_str().unwrap();
        let expected = v["expected_output"].as_str().unwrap();
        let got = vers::parse(input);
        if let Some((_, reason)) = VALIDATE_NOW_REJECTED.iter().find(|(i, _)| *i == input) {
            t.check(
                got.as_ref().is_err_and(|e| e.message.contains(reason)),
                || format!("{input}: want an error about {reason}, got {got:?}"),
            );
            continue;
        }
        // Valid: the same set as the expected form, and our own form of it
        // (which may simplify, e.g. drop a `!=` outside every range) reads back.
        let ok = match &got {
            Ok((_, set)) => {
                vers::parse(expected).as_ref().ok() == got.as_ref().ok() && round_trips(set)
            }
            Err(_) => false,
        };
        t.check(ok, || format!("{input}: want {expected}, got {got:?}"));
    }
    t.finish();
}

/// The strictness the validate vectors predate, on inputs of their kind.
#[test]
fn vers_strict_canonical_form() {
    for input in [
        "vers:pypi/>0.0.1|<0.1",
        "vers:pypi/!=0.0.1|>0.1",
        "vers:pypi/*",
    ] {
        assert!(vers::parse(input).is_ok(), "{input}");
    }
    for input in [
        "vers:pypi/>0.0.0|>=0.0.1",
        "vers:pypi/0.0.2|0.0.1",
        "vers:npm/1.0.0|1.0.0",
        "vers:npm/<1.0.0|<=2.0.0",
        "vers:npm/>=1.0.0|>=2.0.0",
        "vers:NPM/1.0.0",
        "VERS:npm/1.0.0",
        "vers:npm/=1.0.0",
        "vers:npm/*|1.0.0",
    ] {
        assert!(vers::parse(input).is_err(), "{input} accepted");
    }
}

#[test]
fn vers_containment() {
    let mut t = Tally::new("vers.jsonl containment");
    for v in vers_tests("containment") {
        let input = v["input"]["vers"].as_str().unwrap();
        let version = v["input"]["version"].as_str().unwrap();
        let want = v["expected_output"].as_bool().unwrap();
        let (eco, set) = match vers::parse(input) {
            Ok(x) => x,
            Err(e) => {
                // One test lists its constraints unsorted.
                assert!(e.message.contains("sorted"), "{input}: {e}");
                t.exclude("unsorted constraints (an error by the specification)");
                continue;
            }
        };
        let ver = Version::parse(eco, version).unwrap();
        let got = set.contains(&ver);
        t.check(got == want, || {
            format!("{input} contains {version}: got {got}")
        });
    }
    t.finish();
}

/// A set's own Display must read back to the same set.
fn round_trips(set: &VersionSet) -> bool {
    vers::parse(&set.to_string()) == Ok((set.ecosystem(), set.clone()))
}

/// `<=1.2` (a partial version): univers writes `<=1.2.0`, node-semver (the
/// reference) reads `<1.3.0-0`.
fn npm_partial_le(native: &str) -> bool {
    native.split("||").any(|alt| {
        alt.split_whitespace().any(|c| {
            c.strip_prefix("<=")
                .is_some_and(|v| v.split(['-', '+']).next().unwrap_or("").split('.').count() < 3)
        })
    })
}

/// from_native cases whose expected vers contradicts node-semver, with what
/// node-semver makes of them (x-range after `>=` is its lower end; a space is
/// AND; `2.1` is `2.1.x`).
const NODE_DISAGREES: [(&str, &str); 4] = [
    (">= 2.2.x", ">=2.2.0-0"),
    (">= 1.x", ">=1.0.0-0"),
    ("2.1 || 2.6", ">=2.1.0-0 <2.2.0-0 || >=2.6.0-0 <2.7.0-0"),
    ("1.1.2 1.2.2", "<0.0.0-0"),
];

/// Checks a native range against the vers a converter produced from it.
fn compare_native(t: &mut Tally, eco: Ecosystem, native: &str, expected: &str) {
    let ours = parse_range(eco, native);
    let want = match vers::parse(expected) {
        Ok((_, want)) => want,
        Err(e) => {
            let non_canonical = ["duplicate", "sequence", "sorted"]
                .iter()
                .any(|w| e.message.contains(w));
            assert!(non_canonical, "{expected}: {e}");
            t.exclude("expected vers is not canonical (duplicate version or bad sequence)");
            return;
        }
    };
    let ours = match ours {
        Ok(set) => set,
        Err(e) if eco == Ecosystem::Golang => {
            // univers coerces `v19.03.11`, `v2021-08-11`, `v1.2.3.4`.
            let _ = e;
            t.exclude("not a Go module version (x/mod/semver rejects it)");
            return;
        }
        Err(e) => {
            t.check(false, || format!("{native}: {e}"));
            return;
        }
    };
    if let Some((_, reading)) = NODE_DISAGREES.iter().find(|(n, _)| *n == native) {
        // Still checked: against node-semver's own desugaring.
        let node = parse_range(eco, reading).unwrap();
        assert_eq!(ours, node, "{native} should read as {reading}");
        t.exclude("vers-spec's expected vers contradicts node-semver");
        return;
    }
    if eco == Ecosystem::Npm && npm_partial_le(native) {
        t.exclude("`<=` with a partial version: univers disagrees with node-semver");
        return;
    }
    let ok = round_trips(&ours)
        && match eco {
            // The vers was derived without includePrerelease: compare releases.
            Ecosystem::Npm => release_difference(&ours, &want).is_none(),
            _ => ours == want,
        };
    t.check(ok, || format!("{eco} {native}: {ours} vs {expected}"));
}

#[test]
fn vers_from_native() {
    let mut t = Tally::new("vers.jsonl from_native");
    for v in vers_tests("from_native") {
        let scheme = v["input"]["scheme"].as_str().unwrap();
        let Some(eco) = eco_of(scheme) else {
            t.exclude("a scheme outside the seven ecosystems");
            continue;
        };
        if !matches!(eco, Ecosystem::Npm | Ecosystem::Nuget) {
            t.exclude("pypi/gem native ranges (their suites live with those schemes)");
            continue;
        }
        let native = v["input"]["native_range"].as_str().unwrap();
        let expected = v["expected_output"].as_str().unwrap();
        compare_native(&mut t, eco, native, expected);
    }
    t.finish();
}

/// GitLab advisories' native ranges, with `||` between alternatives.
#[test]
fn univers_gitlab() {
    let mut t = Tally::new("univers_gitlab_vers.jsonl");
    for v in lines("univers_gitlab_vers.jsonl") {
        let scheme = v["input"]["scheme"].as_str().unwrap();
        let eco = eco_of(scheme).unwrap();
        if !matches!(eco, Ecosystem::Npm | Ecosystem::Golang) {
            t.exclude("pypi/gem native ranges (their suites live with those schemes)");
            continue;
        }
        let native = v["input"]["native_range"].as_str().unwrap();
        let expected = v["expected_output"].as_str().unwrap();
        compare_native(&mut t, eco, native, expected);
    }
    t.finish();
}
