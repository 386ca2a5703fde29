//! pypa/packaging's own test vectors (tests/data/pypi_*.jsonl, see
//! tests/data/README.md) run through the public API. Vectors whose expected
//! value depends on a mode POLICY_SPEC §3 does not use are skipped with a
//! counted reason; docs/versions.md lists the counts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Ordering;

use package_versions::{parse_range, pypi, Ecosystem, Version};
use serde_json::Value;
use vectors::{lines, text, Tally};

mod vectors;

fn parse(s: &str) -> Option<Version> {
    Version::parse(Ecosystem::Pypi, s).ok()
}

fn pypi(v: &Version) -> &pypi::Version {
    match v {
        Version::Pypi(p) => p,
        other => panic!("not a PyPI version: {other:?}"),
    }
}

#[test]
fn compare() {
    let mut t = Tally::default();
    for case in lines("pypi_compare.jsonl") {
        let (a, b) = (text(&case, "a"), text(&case, "b"));
        let want = match case["cmp"].as_i64().unwrap() {
            -1 => Ordering::Less,
            0 => Ordering::Equal,
            _ => Ordering::Greater,
        };
        let got = parse(a).unwrap().cmp(&parse(b).unwrap());
        t.check(got == want, || {
            format!("{a} vs {b}: want {want:?}, got {got:?}")
        });
    }
    t.finish("pypi_compare.jsonl", &[]);
}

#[test]
fn normalize() {
    let mut t = Tally::default();
    for case in lines("pypi_normalize.jsonl") {
        let (input, want) = (text(&case, "version"), text(&case, "normalized"));
        if input.trim() != input {
            // packaging strips it; POLICY_SPEC §3 makes it an error.
            assert!(parse(input).is_none(), "{input:?} parsed");
            t.skip("surrounding whitespace: rejected under §3 (checked)");
            continue;
        }
        match parse(input) {
            Some(v) => {
                let shown = v.to_string();
                let again = parse(&shown);
                t.check(shown == want && again == Some(v), || {
                    format!("{input}: want {want}, got {shown}")
                });
            }
            None => t.check(false, || format!("{input}: did not parse")),
        }
    }
    t.finish(
        "pypi_normalize.jsonl",
        &[("surrounding whitespace: rejected under §3 (checked)", 2)],
    );
}

#[test]
fn invalid() {
    let mut t = Tally::default();
    for case in lines("pypi_invalid.jsonl") {
        let input = text(&case, "version");
        t.check(parse(input).is_none(), || format!("{input:?} parsed"));
    }
    t.finish("pypi_invalid.jsonl", &[]);
}

#[test]
fn valid_with_properties() {
    let mut t = Tally::default();
    for case in lines("pypi_valid.jsonl") {
        let input = text(&case, "version");
        let Some(parsed) = parse(input) else {
            t.check(false, || format!("{input}: did not parse"));
            continue;
        };
        let v = pypi(&parsed);
        let mut ok = true;
        let obj = case.as_object().unwrap();
        for (key, want) in obj {
            ok &= match key.as_str() {
                "version" => true,
                "public" => Some(v.public().to_string().as_str()) == want.as_str(),
                "base_version" => Some(v.base_version().as_str()) == want.as_str(),
                "local" => v.local().as_deref() == want.as_str(),
                "is_prerelease" => Some(v.is_prerelease()) == want.as_bool(),
                "is_postrelease" => Some(v.is_postrelease()) == want.as_bool(),
                "is_devrelease" => Some(v.is_devrelease()) == want.as_bool(),
                "epoch" => {
                    let shown = v.base_version();
                    let epoch = shown.split_once('!').map_or("0", |(e, _)| e);
                    want.as_u64().map(|n| n.to_string()).as_deref() == Some(epoch)
                }
                "release" => {
                    let shown = v.base_version();
                    let rel = shown.split_once('!').map_or(shown.as_str(), |(_, r)| r);
                    let want: Vec<String> = want
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(ToString::to_string)
                        .collect();
                    rel == want.join(".")
                }
                // pre/post/dev as tuples: their normalized spelling is in `public`.
                "pre" | "post" | "dev" => {
                    let public = v.public().to_string();
                    match want {
                        Value::Null => match key.as_str() {
                            "pre" => !v.is_prerelease() || v.is_devrelease(),
                            "post" => !v.is_postrelease(),
                            _ => !v.is_devrelease(),
                        },
                        Value::Array(parts) => {
                            let spelled: String = parts
                                .iter()
                                .map(|p| p.to_string().replace('"', ""))
                                .collect();
                            public.contains(&spelled)
                        }
                        n => public.contains(&format!(".{key}{n}")),
                    }
                }
                other => panic!("unknown property {other}"),
            };
        }
        t.check(ok, || format!("{input}: properties differ: {case}"));
    }
    t.finish("pypi_valid.jsonl", &[]);
}

/// Range errors that POLICY_SPEC §3 wants: an empty set, and `===` with a
/// string no valid request version can equal.
fn skip_or_fail(t: &mut Tally, range: &str, e: &package_versions::RangeError) {
    if range.trim().is_empty() {
        assert!(e.message.contains("empty"), "{e}");
        t.skip("empty specifier set: an error under §3 (checked)");
    } else if e
        .message
        .contains("=== with a string that is not a PEP 440 version")
    {
        t.skip("=== with a non-PEP 440 string: an error here (checked)");
    } else {
        t.check(false, || format!("{range}: {e}"));
    }
}

/// Whether packaging ran this vector with pre-releases excluded.
fn excludes_prereleases(case: &Value) -> bool {
    if case["installed"] == Value::Bool(true) {
        return false;
    }
    match &case["contains_prereleases"] {
        Value::Bool(b) => !b,
        _ => case["prereleases"] == Value::Bool(false),
    }
}

#[test]
fn range() {
    let mut t = Tally::default();
    for case in lines("pypi_range.jsonl") {
        let (range, version) = (text(&case, "range"), text(&case, "version"));
        let want = case["include"].as_bool().unwrap();
        let Some(v) = parse(version) else {
            t.skip("version is not PEP 440: a request error under §3");
            continue;
        };
        if excludes_prereleases(&case) && pypi(&v).is_prerelease() {
            t.skip("pre-release under prereleases=False");
            continue;
        }
        let set = match parse_range(Ecosystem::Pypi, range) {
            Ok(set) => set,
            Err(e) => {
                skip_or_fail(&mut t, range, &e);
                continue;
            }
        };
        let got = set.contains(&v);
        if got != want && range.contains("===") {
            // packaging compares the raw strings; here, PEP 440 equality.
            t.skip("=== raw string differs from an equal version");
            continue;
        }
        t.check(got == want, || {
            format!("{range} ∋ {version}: want {want}, got {got}")
        });
    }
    t.finish(
        "pypi_range.jsonl",
        &[
            ("=== raw string differs from an equal version", 19),
            ("=== with a non-PEP 440 string: an error here (checked)", 1),
            ("empty specifier set: an error under §3 (checked)", 112),
            ("pre-release under prereleases=False", 48),
            ("version is not PEP 440: a request error under §3", 27),
        ],
    );
}

#[test]
fn filter() {
    let mut t = Tally::default();
    for case in lines("pypi_filter.jsonl") {
        let range = text(&case, "range");
        let input: Vec<&str> = case["input"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let want: Vec<&str> = case["expected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        // filter() drops strings that are not versions; here they are request
        // errors, so they leave the input (unless packaging kept one).
        if want.iter().any(|s| parse(s).is_none()) {
            t.skip("=== keeps a non-PEP 440 string");
            continue;
        }
        let (input, parsed): (Vec<&str>, Vec<Version>) = input
            .iter()
            .filter_map(|s| parse(s).map(|v| (*s, v)))
            .unzip();
        let is_pre = |s: &&str| parse(s).is_some_and(|v| pypi(&v).is_prerelease());
        let mode = match &case["filter_prereleases"] {
            Value::Bool(b) => Some(*b),
            _ => case["prereleases"].as_bool(),
        };
        let same_as_included = match mode {
            Some(true) => true,
            // Without pre-releases in the input, the mode changes nothing.
            Some(false) => !input.iter().any(is_pre),
            // The default keeps pre-releases only when no final matched.
            None => !input.iter().any(is_pre) || !want.iter().any(|s| !is_pre(s)),
        };
        if !same_as_included {
            t.skip("pre-releases dropped by filter()'s default or prereleases=False");
            continue;
        }
        let set = match parse_range(Ecosystem::Pypi, range) {
            Ok(set) => set,
            Err(e) => {
                skip_or_fail(&mut t, range, &e);
                continue;
            }
        };
        let got: Vec<&str> = input
            .iter()
            .zip(&parsed)
            .filter(|(_, v)| set.contains(v))
            .map(|(s, _)| *s)
            .collect();
        if got != want && range.contains("===") {
            t.skip("=== raw string differs from an equal version");
            continue;
        }
        t.check(got == want, || {
            format!("{range} filter {input:?}: want {want:?}, got {got:?}")
        });
    }
    t.finish(
        "pypi_filter.jsonl",
        &[
            ("=== keeps a non-PEP 440 string", 23),
            ("=== raw string differs from an equal version", 4),
            ("=== with a non-PEP 440 string: an error here (checked)", 4),
            ("empty specifier set: an error under §3 (checked)", 4),
            (
                "pre-releases dropped by filter()'s default or prereleases=False",
                38,
            ),
        ],
    );
}

#[test]
fn specifier_valid() {
    let mut t = Tally::default();
    for case in lines("pypi_specifier_valid.jsonl") {
        let spec = text(&case, "specifier");
        let want = case["valid"].as_bool().unwrap();
        let got = parse_range(Ecosystem::Pypi, spec).is_ok();
        if want && !got && spec.trim_start().starts_with("===") {
            t.skip("=== with a non-PEP 440 string: an error here");
            continue;
        }
        t.check(got == want, || {
            format!("{spec:?}: want valid={want}, got {got}")
        });
    }
    t.finish("pypi_specifier_valid.jsonl", &[]);
}
