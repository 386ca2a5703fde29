//! node-semver's own fixtures (tests/data/npm_*.jsonl) through the public API.
//! Semantics are node-semver with `includePrerelease: true` (POLICY_SPEC §3);
//! vectors asserted without it are checked where the two modes must agree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{is_pre, lines, release_difference, s, Tally};
use package_versions::{parse_range, vers, Ecosystem, Version};
use serde_json::Value;

const ECO: Ecosystem = Ecosystem::Npm;

fn loose(v: &Value) -> bool {
    v["options"]["loose"].as_bool() == Some(true)
}

fn include_prerelease(v: &Value) -> bool {
    v["options"]["includePrerelease"].as_bool() == Some(true)
}

#[test]
fn npm_valid() {
    let mut t = Tally::new("npm_valid.jsonl");
    for v in lines("npm_valid.jsonl") {
        let text = s(&v, "version");
        let Ok(Version::Npm(p)) = Version::parse(ECO, &text) else {
            t.check(false, || format!("{text}: does not parse"));
            continue;
        };
        let join = |key: &str| {
            v[key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(".")
        };
        let ok = p.major() == v["major"].as_u64().unwrap()
            && p.minor() == v["minor"].as_u64().unwrap()
            && p.patch() == v["patch"].as_u64().unwrap()
            && p.pre() == join("prerelease")
            && p.build() == join("build");
        t.check(ok, || format!("{text}: parsed as {p:?}"));
    }
    t.finish();
}

#[test]
fn npm_invalid() {
    // Invalid even in loose mode implies invalid in strict mode: all run.
    let mut t = Tally::new("npm_invalid.jsonl");
    for v in lines("npm_invalid.jsonl") {
        let text = s(&v, "version");
        let r = Version::parse(ECO, &text);
        t.check(r.is_err(), || format!("{text}: parsed as {r:?}"));
    }
    t.finish();
}

#[test]
fn npm_compare() {
    let mut t = Tally::new("npm_compare.jsonl");
    for v in lines("npm_compare.jsonl") {
        let (a, b) = (s(&v, "a"), s(&v, "b"));
        if a.trim() != a || b.trim() != b {
            // POLICY_SPEC §3: surrounding whitespace makes a version invalid.
            let rejected = Version::parse(ECO, &a).is_err() || Version::parse(ECO, &b).is_err();
            assert!(rejected, "{a:?} / {b:?} accepted with whitespace");
            t.exclude("surrounding whitespace (an error by POLICY_SPEC §3)");
            continue;
        }
        let (pa, pb) = (Version::parse(ECO, &a), Version::parse(ECO, &b));
        let (Ok(pa), Ok(pb)) = (pa, pb) else {
            // `loose` only widens parsing; strictly valid pairs still run.
            if loose(&v) {
                t.exclude("loose-only version syntax");
            } else {
                t.check(false, || format!("{a} / {b}: does not parse"));
            }
            continue;
        };
        let want = v["cmp"].as_i64().unwrap();
        let got = pa.cmp(&pb) as i64;
        t.check(got == want && (got == 0) == (pa == pb), || {
            format!("cmp({a}, {b}) = {got}, want {want}")
        });
    }
    t.finish();
}

#[test]
fn npm_range() {
    let mut t = Tally::new("npm_range.jsonl");
    for v in lines("npm_range.jsonl") {
        let range = s(&v, "range");
        let include = v["include"].as_bool().unwrap();
        let Some(version) = v["version"].as_str() else {
            t.exclude("version is not a string");
            continue;
        };
        let set = parse_range(ECO, &range);
        let ver = Version::parse(ECO, version);
        let (set, ver) = match (set, ver) {
            (Ok(set), Ok(ver)) => (set, ver),
            (set, ver) => {
                if loose(&v) {
                    t.exclude("loose-only range or version syntax");
                } else {
                    // node-semver answers false for an invalid range or version.
                    t.check(!include, || {
                        format!("{range} / {version}: {:?} {:?}", set.err(), ver.err())
                    });
                }
                continue;
            }
        };
        let got = set.contains(&ver);
        if !include_prerelease(&v) && is_pre(ECO, &ver) && !include {
            // Without includePrerelease node-semver hides pre-releases outside
            // a comparator's own x.y.z; §3 includes them. Only a "yes" carries over.
            t.exclude("pre-release excluded only without includePrerelease");
            continue;
        }
        t.check(got == include, || {
            format!("{range} contains {version}: got {got}, want {include} ({set})")
        });
    }
    t.finish();
}

#[test]
fn npm_range_parse() {
    let mut t = Tally::new("npm_range_parse.jsonl");
    for v in lines("npm_range_parse.jsonl") {
        let range = s(&v, "range");
        let ours = parse_range(ECO, &range);
        let Some(canonical) = v["canonical"].as_str() else {
            // Invalid even in loose mode implies invalid in strict mode.
            t.check(ours.is_err(), || format!("{range}: accepted as {ours:?}"));
            continue;
        };
        let ours = match ours {
            Ok(set) => set,
            Err(e) if loose(&v) => {
                let _ = e;
                t.exclude("loose-only range syntax");
                continue;
            }
            Err(e) => {
                t.check(false, || format!("{range}: {e}"));
                continue;
            }
        };
        let back = vers::parse(&ours.to_string());
        assert_eq!(
            back,
            Ok((ECO, ours.clone())),
            "{range}: vers round trip of {ours}"
        );
        // The canonical form uses plain comparators only; its set is the reference.
        let want = parse_range(ECO, canonical).unwrap();
        if include_prerelease(&v) {
            t.check(ours == want, || {
                format!("{range}: {ours} != {canonical} ({want})")
            });
        } else {
            // Without includePrerelease the canonical form differs in `-0`
            // bounds; both must agree on every release version.
            let diff = release_difference(&ours, &want);
            t.check(diff.is_none(), || {
                format!("{range}: {ours} and {canonical} differ at {diff:?}")
            });
        }
    }
    t.finish();
}

#[test]
fn npm_outside() {
    let mut t = Tally::new("npm_outside.jsonl");
    for v in lines("npm_outside.jsonl") {
        let range = s(&v, "range");
        let version = s(&v, "version");
        let want = v["outside"].as_bool().unwrap();
        let (set, ver) = match (parse_range(ECO, &range), Version::parse(ECO, &version)) {
            (Ok(set), Ok(ver)) => (set, ver),
            _ if loose(&v) => {
                t.exclude("loose-only range or version syntax");
                continue;
            }
            (set, ver) => {
                t.check(false, || format!("{range} / {version}: {set:?} {ver:?}"));
                continue;
            }
        };
        if !include_prerelease(&v) && is_pre(ECO, &ver) {
            t.exclude("pre-release outside-check only without includePrerelease");
            continue;
        }
        let intervals = set.intervals();
        let got = match v["hilo"].as_str().unwrap() {
            ">" => intervals.last().is_some_and(|i| !i.admits_from_above(&ver)),
            _ => intervals
                .first()
                .is_some_and(|i| !i.admits_from_below(&ver)),
        };
        t.check(got == want, || {
            format!(
                "{version} outside {} {range}: got {got}, want {want} ({set})",
                v["hilo"]
            )
        });
    }
    t.finish();
}
