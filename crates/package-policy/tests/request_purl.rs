//! Request::from_purl: purl types onto ecosystems and names, limits, errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{Ecosystem, Limits, Request, RequestErrorKind};

fn ok(purl: &str) -> Request {
    Request::from_purl(purl).unwrap_or_else(|e| panic!("{purl}: {e}"))
}

fn err(purl: &str) -> RequestErrorKind {
    match Request::from_purl(purl) {
        Ok(r) => panic!("{purl}: expected an error, got {r:?}"),
        Err(e) => e.kind,
    }
}

#[test]
fn purl_types_map_to_ecosystems_and_names() {
    for (purl, eco, name) in [
        ("pkg:npm/%40acme/web@1.2.3", Ecosystem::Npm, "@acme/web"),
        ("pkg:npm/@babel/core@7.0.0", Ecosystem::Npm, "@babel/core"),
        ("pkg:npm/lodash", Ecosystem::Npm, "lodash"),
        (
            "pkg:maven/org.apache.commons/commons-io@2.11.0",
            Ecosystem::Maven,
            "org.apache.commons:commons-io",
        ),
        (
            "pkg:golang/github.com/gorilla/mux@v1.8.0",
            Ecosystem::Golang,
            "github.com/gorilla/mux",
        ),
        (
            "pkg:golang/golang.org/x/net",
            Ecosystem::Golang,
            "golang.org/x/net",
        ),
        ("pkg:gem/rails@7.0.0", Ecosystem::Rubygems, "rails"),
        (
            "pkg:pypi/Django_Package@1.0",
            Ecosystem::Pypi,
            "django-package",
        ),
        (
            "pkg:nuget/Newtonsoft.Json@13.0.1",
            Ecosystem::Nuget,
            "newtonsoft.json",
        ),
        ("pkg:cargo/serde_json@1.0.0", Ecosystem::Cargo, "serde-json"),
        ("pkg:NPM/lodash@4.17.21", Ecosystem::Npm, "lodash"),
    ] {
        let r = ok(purl);
        assert_eq!((r.ecosystem(), r.name()), (eco, name), "{purl}");
    }
}

#[test]
fn version_is_decoded_and_qualifiers_ignored() {
    let r = ok("pkg:npm/lodash@4.17.21?repository_url=https://evil.example#lib/x.js");
    assert_eq!(
        r.version().map(ToString::to_string).as_deref(),
        Some("4.17.21")
    );
    let plain = ok("pkg:npm/lodash@4.17.21");
    assert_eq!(r, plain);
    let encoded = ok("pkg:npm/lodash@4%2E17%2E21");
    assert_eq!(encoded, plain);
}

#[test]
fn percent_encoding_cannot_hide_a_name() {
    assert_eq!(ok("pkg:npm/%6C%6F%64%61%73%68@1.0.0").name(), "lodash");
    // An encoded `/` would let a name pose as a scope or path: rejected.
    assert_eq!(err("pkg:npm/%40acme%2Fweb"), RequestErrorKind::Purl);
}

#[test]
fn malformed_purls_are_purl_errors() {
    for purl in [
        "npm/lodash@1.0.0",
        "pkg:npm",
        "pkg:npm/",
        "pkg:npm/@1.0.0",
        "pkg:npm/lodash%zz",
        "pkg:npm/lodash%C3",
        "pkg:npm/a%2Fb/c",
        "pkg:npm/acme/web@1.0.0",
        "pkg:pypi/ns/django@1.0",
        "pkg:maven/commons-io@2.11.0",
        "pkg:deb/debian/curl@7.50.3",
        "pkg:3npm/x",
        "",
    ] {
        assert_eq!(err(purl), RequestErrorKind::Purl, "{purl}");
    }
}

#[test]
fn control_characters_and_bad_versions_are_errors() {
    assert_eq!(err("pkg:npm/lo%00dash@1.0.0"), RequestErrorKind::Name);
    assert_eq!(err("pkg:npm/lo%20dash@1.0.0"), RequestErrorKind::Name);
    assert_eq!(err("pkg:npm/lodash@%201.0.0"), RequestErrorKind::Version);
}

#[test]
fn limits_apply_to_purls() {
    let limits = Limits::default();
    let long_purl = format!("pkg:npm/{}", "a".repeat(limits.purl_bytes));
    assert_eq!(err(&long_purl), RequestErrorKind::Limit);
    let long_name = format!("pkg:npm/{}", "a".repeat(limits.request_name_bytes + 1));
    let e = Request::from_purl(&long_name).unwrap_err();
    assert_eq!((e.kind, e.field), (RequestErrorKind::Limit, "name"));
    let long_version = format!(
        "pkg:npm/a@1.0.0-{}",
        "a".repeat(limits.request_version_bytes)
    );
    let e = Request::from_purl(&long_version).unwrap_err();
    assert_eq!((e.kind, e.field), (RequestErrorKind::Limit, "version"));
    // At the limit is fine.
    let at_limit = format!("pkg:npm/{}", "a".repeat(limits.request_name_bytes));
    assert!(Request::from_purl(&at_limit).is_ok());
    // Raised limits admit the longer purl.
    let mut raised = Limits::default();
    raised.purl_bytes = 8192;
    raised.request_name_bytes = 8192;
    assert!(Request::from_purl_with_limits(&long_purl, &raised).is_ok());
}
