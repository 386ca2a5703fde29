//! dtolnay/semver's requirement tests (tests/data/cargo_*.jsonl) through the
//! public API. Operators are read as node-semver reads them with
//! `includePrerelease: true` (POLICY_SPEC §3), so the semver crate's rule that
//! hides pre-releases of other x.y.z triples is not applied: its "no" for such
//! a pre-release is excluded, its "yes" must still hold.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{is_pre, lines, s, Tally};
use package_versions::{parse_range, vers, Ecosystem, Version};

const ECO: Ecosystem = Ecosystem::Cargo;

#[test]
fn cargo_range() {
    let mut t = Tally::new("cargo_range.jsonl");
    for v in lines("cargo_range.jsonl") {
        let range = s(&v, "range");
        let version = s(&v, "version");
        let include = v["include"].as_bool().unwrap();
        let set = parse_range(ECO, &range);
        let ver = Version::parse(ECO, &version);
        let (Ok(set), Ok(ver)) = (set, ver) else {
            t.check(false, || format!("{range} / {version}: does not parse"));
            continue;
        };
        let back = vers::parse(&set.to_string());
        assert_eq!(
            back,
            Ok((ECO, set.clone())),
            "{range}: vers round trip of {set}"
        );
        if !include && is_pre(ECO, &ver) {
            t.exclude("pre-release hidden by the semver crate's pre-release rule");
            continue;
        }
        let got = set.contains(&ver);
        t.check(got == include, || {
            format!("{range} contains {version}: got {got}, want {include} ({set})")
        });
    }
    t.finish();
}

#[test]
fn cargo_req_invalid() {
    let mut t = Tally::new("cargo_req_invalid.jsonl");
    for v in lines("cargo_req_invalid.jsonl") {
        let range = s(&v, "range");
        let r = parse_range(ECO, &range);
        t.check(r.is_err(), || format!("{range:?}: accepted as {r:?}"));
    }
    t.finish();
}
