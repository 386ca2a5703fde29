//! `Engine::resolve` through the public API: the newest in-range version the
//! policy serves (allow or warn), each newer in-range version it refused with
//! its decision, unparseable versions reported and never chosen, native range
//! syntax per ecosystem, and typed errors for bad input.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{Action, Engine, LayerSource, Request, RequestErrorKind, RequestInput};

const POLICY: &str = "\
schema_version: 1
layer: acme
rules:
  - id: lodash-bad
    action: deny
    reason: broken release
    match: { ecosystem: npm, package: lodash, versions: '4.17.22' }
  - id: lodash-cooldown
    action: deny
    match: { ecosystem: npm, package: lodash, published_within: 72h }
  - id: lodash-old-warn
    action: warn
    match: { ecosystem: npm, package: lodash, versions: '<4.17.20' }
  - id: django-5
    action: deny
    match: { ecosystem: pypi, package: django, versions: '>=5' }
  - id: banned
    action: deny
    match: { ecosystem: cargo, package: banned }
";

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

fn engine() -> Engine {
    Engine::compile(&[LayerSource::new("acme.yaml", POLICY)]).unwrap()
}

fn input(eco: &str, name: &str) -> RequestInput {
    RequestInput {
        ecosystem: eco.into(),
        name: name.into(),
        ..RequestInput::default()
    }
}

fn strings(vs: &[&str]) -> Vec<String> {
    vs.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_newest_served_version_and_why_the_newer_ones_were_refused() {
    let e = engine();
    let versions = strings(&[
        "4.17.20", "4.17.22", "4.17.21", "5.0.0", "4.17.19", "4.17.23",
    ]);
    let r = e
        .resolve(&input("npm", "lodash"), "^4.17.0", &versions, now())
        .unwrap();
    // 4.17.23 is in range and unrefused; 5.0.0 is out of range.
    assert_eq!(r.version.as_deref(), Some("4.17.23"));
    assert!(r.refused.is_empty());
    let r = e
        .resolve(
            &input("npm", "lodash"),
            ">=4.17.0 <4.17.23",
            &versions,
            now(),
        )
        .unwrap();
    assert_eq!(r.version.as_deref(), Some("4.17.21"));
    assert_eq!(r.decision.as_ref().unwrap().action, Action::Allow);
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].version, "4.17.22");
    assert_eq!(&*r.refused[0].decision.matched[0].id, "lodash-bad");
    assert_eq!(
        r.refused[0].decision.matched[0].reason.as_deref(),
        Some("broken release")
    );
}

#[test]
fn a_warned_version_is_served_and_carries_its_warning() {
    let e = engine();
    let versions = strings(&["4.17.18", "4.17.19"]);
    let r = e
        .resolve(&input("npm", "lodash"), "4.17.x", &versions, now())
        .unwrap();
    assert_eq!(r.version.as_deref(), Some("4.17.19"));
    let d = r.decision.unwrap();
    assert_eq!(d.action, Action::Warn);
    assert_eq!(&*d.matched[0].id, "lodash-old-warn");
}

#[test]
fn refusals_say_when_they_end() {
    let e = engine();
    let fresh = RequestInput {
        published_at: Some("2026-06-01T10:00:00Z".parse().unwrap()),
        ..input("npm", "lodash")
    };
    let r = e
        .resolve(&fresh, "^4", &strings(&["4.17.21", "4.17.23"]), now())
        .unwrap();
    // Every version of the request is fresh (one fact for the package):
    // nothing is served, and each refusal says when the cooldown ends.
    assert_eq!(r.version, None);
    assert_eq!(r.refused.len(), 2);
    assert_eq!(r.refused[0].version, "4.17.23");
    let after: Timestamp = "2026-06-04T10:00:00Z".parse().unwrap();
    assert!(r
        .refused
        .iter()
        .all(|x| x.decision.allowed_after == Some(after)));
}

#[test]
fn native_ranges_per_ecosystem() {
    let e = engine();
    let django = strings(&["4.2.11", "5.0.3", "4.2.12rc1", "4.1", "not-a-version!"]);
    let r = e
        .resolve(&input("pypi", "Django"), ">=4.2,<6", &django, now())
        .unwrap();
    // 5.0.3 is denied; the pre-release is in range (a range denotes every version
    // between its bounds) and newer than 4.2.11.
    assert_eq!(r.version.as_deref(), Some("4.2.12rc1"));
    assert_eq!(r.refused.len(), 1);
    assert_eq!(r.refused[0].version, "5.0.3");
    assert_eq!(r.invalid.len(), 1);
    assert_eq!(r.invalid[0].version, "not-a-version!");
    assert_eq!(r.invalid[0].error.kind, RequestErrorKind::Version);
    for (eco, name, range, versions, want) in [
        (
            "maven",
            "g:a",
            "[1.0,2.0)",
            &["1.5", "2.0", "1.0"][..],
            Some("1.5"),
        ),
        (
            "rubygems",
            "rails",
            "~> 7.1.0",
            &["7.1.3", "7.2.0", "7.1.10"],
            Some("7.1.10"),
        ),
        (
            "golang",
            "github.com/a/b",
            ">=v1.2.0",
            &["v1.2.0", "v1.10.0", "v1.3.0"],
            Some("v1.10.0"),
        ),
        (
            "nuget",
            "Newtonsoft.Json",
            "[13.0,14.0)",
            &["13.0.3", "12.0.1"],
            Some("13.0.3"),
        ),
        (
            "cargo",
            "serde",
            "^1.0.100",
            &["1.0.99", "1.0.200", "2.0.0"],
            Some("1.0.200"),
        ),
        ("cargo", "banned", "*", &["1.0.0"], None),
        ("npm", "lodash", ">=9", &["4.17.21"], None),
    ] {
        let r = e
            .resolve(&input(eco, name), range, &strings(versions), now())
            .unwrap_or_else(|err| panic!("{eco} {range}: {err}"));
        assert_eq!(r.version.as_deref(), want, "{eco} {range}");
    }
}

#[test]
fn every_decision_is_the_reference_decision_of_that_version() {
    let sources = [LayerSource::new("acme.yaml", POLICY)];
    let e = Engine::compile(&sources).unwrap();
    let reference = Reference::compile(&sources).unwrap();
    let versions = strings(&["4.17.17", "4.17.19", "4.17.22", "4.17.20"]);
    let r = e
        .resolve(&input("npm", "lodash"), "<4.17.21", &versions, now())
        .unwrap();
    for (v, d) in r
        .refused
        .iter()
        .map(|x| (&x.version, &x.decision))
        .chain(r.version.iter().zip(r.decision.iter()))
    {
        let req = Request::new(RequestInput {
            version: Some(v.clone()),
            ..input("npm", "lodash")
        })
        .unwrap();
        assert_eq!(d, &reference.evaluate(&req, now()), "{v}");
    }
    assert_eq!(r.version.as_deref(), Some("4.17.20"));
}

#[test]
fn bad_input_is_a_typed_error() {
    let e = engine();
    let vs = strings(&["1.0.0"]);
    let err = e
        .resolve(&input("npm", "lodash"), ">>>nope", &vs, now())
        .unwrap_err();
    assert_eq!((err.kind, err.field), (RequestErrorKind::Version, "range"));
    let err = e
        .resolve(&input("nosuch", "x"), "*", &vs, now())
        .unwrap_err();
    assert_eq!(err.kind, RequestErrorKind::Ecosystem);
    let with_version = RequestInput {
        version: Some("1.0.0".into()),
        ..input("npm", "lodash")
    };
    let err = e.resolve(&with_version, "*", &vs, now()).unwrap_err();
    assert_eq!(err.field, "version");
    let err = e
        .resolve(&input("npm", "lodash"), &"1".repeat(100_000), &vs, now())
        .unwrap_err();
    assert_eq!(err.kind, RequestErrorKind::Limit);
    let many = vec!["1.0.0".to_string(); package_policy::MAX_RESOLVE_VERSIONS + 1];
    let err = e
        .resolve(&input("npm", "lodash"), "*", &many, now())
        .unwrap_err();
    assert_eq!((err.kind, err.field), (RequestErrorKind::Limit, "versions"));
    // No versions at all: nothing chosen, nothing refused.
    let r = e.resolve(&input("npm", "lodash"), "*", &[], now()).unwrap();
    assert_eq!((r.version, r.refused.len()), (None, 0));
}
