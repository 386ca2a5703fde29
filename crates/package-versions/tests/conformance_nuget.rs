//! NuGet.Client's NuGet.Versioning tests (tests/data/nuget_*.jsonl) through
//! the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{lines, s, Tally};
use package_versions::{parse_range, Ecosystem, Version};

const ECO: Ecosystem = Ecosystem::Nuget;

#[test]
fn nuget_compare() {
    let mut t = Tally::new("nuget_compare.jsonl");
    for v in lines("nuget_compare.jsonl") {
        let (a, b) = (s(&v, "a"), s(&v, "b"));
        if a.trim() != a || b.trim() != b {
            // NuGetVersion.Parse trims; POLICY_SPEC §3 makes it an error.
            let rejected = Version::parse(ECO, &a).is_err() || Version::parse(ECO, &b).is_err();
            assert!(rejected, "{a:?} / {b:?} accepted with whitespace");
            t.exclude("surrounding whitespace (an error by POLICY_SPEC §3)");
            continue;
        }
        let (pa, pb) = (
            Version::parse(ECO, &a).unwrap(),
            Version::parse(ECO, &b).unwrap(),
        );
        let got = pa.cmp(&pb) as i64;
        let ok = match v["cmp"].as_i64() {
            Some(want) => got == want && (got == 0) == (pa == pb),
            // Only "not equal" is asserted.
            None => got != 0 && pa != pb,
        };
        // Display is NuGet's normalized form; it must read back equal.
        let back = Version::parse(ECO, &pa.to_string()).unwrap();
        t.check(ok && back == pa, || {
            format!(
                "cmp({a}, {b}) = {got}, want {}; {a} reads back as {back}",
                v["cmp"]
            )
        });
    }
    t.finish();
}

#[test]
fn nuget_invalid() {
    let mut t = Tally::new("nuget_invalid.jsonl");
    for v in lines("nuget_invalid.jsonl") {
        let text = s(&v, "version");
        let strict_only = v["api"].as_str() == Some("NuGetVersion.TryParseStrict")
            && !text.is_empty()
            && text.split('.').count() != 3
            && text
                .split('.')
                .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
        if strict_only {
            // TryParseStrict wants exactly three numbers (SemVer); NuGetVersion
            // (what nuget.org serves) takes 1 to 4, and so do we.
            t.exclude("strict SemVer parse of a 1, 2 or 4 part version");
            continue;
        }
        let r = Version::parse(ECO, &text);
        t.check(r.is_err(), || format!("{text:?}: parsed as {r:?}"));
    }
    t.finish();
}

#[test]
fn nuget_range() {
    let mut t = Tally::new("nuget_range.jsonl");
    for v in lines("nuget_range.jsonl") {
        let range = s(&v, "range");
        let version = s(&v, "version");
        let include = v["include"].as_bool().unwrap();
        let set = parse_range(ECO, &range).unwrap_or_else(|e| panic!("{range}: {e}"));
        let ver = Version::parse(ECO, &version).unwrap();
        let got = set.contains(&ver);
        t.check(got == include, || {
            format!("{range} contains {version}: got {got}, want {include} ({set})")
        });
    }
    t.finish();
}

#[test]
fn nuget_range_invalid() {
    let mut t = Tally::new("nuget_range_invalid.jsonl");
    for v in lines("nuget_range_invalid.jsonl") {
        let range = s(&v, "range");
        let r = parse_range(ECO, &range);
        t.check(r.is_err(), || format!("{range:?}: accepted as {r:?}"));
    }
    t.finish();
}
