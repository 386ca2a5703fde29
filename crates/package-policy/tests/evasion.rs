//! A deny rule must not be escaped by spelling the same package differently.
//! Each case is documented in docs/security.md; each test fails if the
//! protection it names breaks.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jiff::Timestamp;
use package_policy::{Action, Engine, LayerSource, Request, RequestErrorKind, RequestInput};

fn engine(rules: &str) -> Engine {
    let yaml = format!("schema_version: 1\nlayer: sec\nrules:\n{rules}");
    Engine::compile(&[LayerSource::new("sec.yaml", yaml)]).unwrap()
}

fn deny(id: &str, ecosystem: &str, package: &str) -> String {
    format!("  - id: {id}\n    action: deny\n    match: {{ ecosystem: {ecosystem}, package: \"{package}\" }}\n")
}

fn now() -> Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

fn action_for(engine: &Engine, request: Request) -> Action {
    engine.evaluate(&request, now()).action
}

fn by_name(ecosystem: &str, name: &str) -> Result<Request, package_policy::RequestError> {
    Request::new(RequestInput {
        ecosystem: ecosystem.into(),
        name: name.into(),
        ..RequestInput::default()
    })
}

/// Every spelling must be denied, or refused as a request error: never allowed.
fn never_allowed(engine: &Engine, ecosystem: &str, spellings: &[&str]) {
    for name in spellings {
        match by_name(ecosystem, name) {
            Ok(r) => assert_eq!(action_for(engine, r), Action::Deny, "{ecosystem} {name:?}"),
            Err(e) => assert_eq!(e.kind, RequestErrorKind::Name, "{ecosystem} {name:?}: {e}"),
        }
    }
}

#[test]
fn case_in_case_insensitive_ecosystems() {
    let e = engine(
        &[
            deny("py", "pypi", "Evil-Pkg"),
            deny("nu", "nuget", "Evil.Package"),
            deny("crate", "cargo", "evil_crate"),
        ]
        .concat(),
    );
    for (eco, names) in [
        ("pypi", &["evil-pkg", "EVIL-PKG", "Evil-pkg"][..]),
        (
            "nuget",
            &["evil.package", "EVIL.PACKAGE", "eViL.pAcKaGe"][..],
        ),
        (
            "cargo",
            &["evil_crate", "Evil_Crate", "EVIL-CRATE", "evil-crate"][..],
        ),
    ] {
        for name in names {
            let r = by_name(eco, name).unwrap();
            assert_eq!(action_for(&e, r), Action::Deny, "{eco} {name}");
        }
    }
    // npm, RubyGems, Maven and Go are case-sensitive: another case is another
    // package (POLICY_SPEC §2), so it is not denied by this rule.
    let e = engine(&deny("npm", "npm", "evil"));
    assert_eq!(
        action_for(&e, by_name("npm", "Evil").unwrap()),
        Action::Allow
    );
}

#[test]
fn pypi_separators() {
    let e = engine(&deny("py", "pypi", "foo-bar"));
    never_allowed(
        &e,
        "pypi",
        &[
            "foo-bar",
            "Foo_Bar",
            "foo.bar",
            "FOO__BAR",
            "foo-_.bar",
            "foo_bar",
        ],
    );
    // And the rule side is normalized the same way.
    let e = engine(&deny("py", "pypi", "Foo_Bar"));
    never_allowed(&e, "pypi", &["foo-bar", "foo.bar"]);
    let r = Request::from_purl("pkg:pypi/Foo.Bar@1.0").unwrap();
    assert_eq!(action_for(&e, r), Action::Deny);
}

#[test]
fn percent_encoding_in_purls() {
    let e = engine(&[deny("n", "npm", "evil"), deny("s", "npm", "@acme/evil")].concat());
    for purl in [
        "pkg:npm/evil@1.0.0",
        "pkg:npm/%65vil@1.0.0",
        "pkg:npm/%65%76%69%6C@1.0.0",
        "pkg:npm/%65%76%69%6c",
        "pkg:NPM/evil",
        "pkg:npm/%40acme/evil",
        "pkg:npm/@acme/%65vil",
        "pkg:npm/%40acme/evil?repository_url=https://other.example#x",
    ] {
        let r = Request::from_purl(purl).unwrap_or_else(|e| panic!("{purl}: {e}"));
        assert_eq!(action_for(&e, r), Action::Deny, "{purl}");
    }
    // Decoded exactly once: `%2565vil` is the name `%65vil`, never `evil`,
    // and `%` never occurs in an npm name, so it is a name error.
    let e = Request::from_purl("pkg:npm/%2565vil@1.0.0").unwrap_err();
    assert_eq!(e.kind, RequestErrorKind::Name, "{e}");
    assert!(e.message.contains("`%65vil`"), "{e}");
    // Escapes that would smuggle separators or bytes are errors, not names.
    for purl in [
        "pkg:npm/%40acme%2Fevil",
        "pkg:npm/ev%00il",
        "pkg:npm/evil%",
        "pkg:npm/%ZZevil",
    ] {
        assert!(Request::from_purl(purl).is_err(), "{purl}");
    }
}

#[test]
fn unicode_confusables() {
    let e = engine(
        &[
            deny("n", "npm", "evil"),
            deny("p", "pypi", "evil"),
            deny("g", "rubygems", "evil"),
            deny("c", "cargo", "evil"),
        ]
        .concat(),
    );
    // Cyrillic е (U+0435), full-width ｅ, dotless ı, a combining mark, a
    // zero-width joiner: all refused in ASCII-only registries.
    for eco in ["npm", "pypi", "rubygems", "cargo", "maven", "golang"] {
        for name in [
            "\u{0435}vil",
            "\u{FF45}vil",
            "ev\u{0131}l",
            "e\u{0301}vil",
            "ev\u{200D}il",
        ] {
            let err = by_name(eco, name).unwrap_err();
            assert_eq!(err.kind, RequestErrorKind::Name, "{eco} {name}");
        }
    }
    never_allowed(&e, "npm", &["evil", "\u{0435}vil"]);
    // Through a purl too.
    assert!(Request::from_purl("pkg:npm/%D0%B5vil@1.0.0").is_err());
    // NuGet ids may be Unicode: the look-alike is its own package, compared
    // exactly, so feeds name it (as the OSV malicious-packages feed does).
    let e = engine(
        &[
            deny("a", "nuget", "Evil"),
            deny("b", "nuget", "\u{0415}vil"),
        ]
        .concat(),
    );
    never_allowed(&e, "nuget", &["evil", "EVIL", "\u{0415}vil", "\u{0435}vil"]);
}

fn deny_versions(id: &str, ecosystem: &str, package: &str, versions: &str) -> String {
    format!(
        "  - id: {id}\n    action: deny\n    match: {{ ecosystem: {ecosystem}, package: \"{package}\", versions: \"{versions}\" }}\n"
    )
}

fn with_version(
    ecosystem: &str,
    name: &str,
    version: &str,
) -> Result<Request, package_policy::RequestError> {
    Request::new(RequestInput {
        ecosystem: ecosystem.into(),
        name: name.into(),
        version: Some(version.into()),
        ..RequestInput::default()
    })
}

/// Each version spelling must be denied, or refused as a version error.
fn versions_never_allowed(engine: &Engine, ecosystem: &str, name: &str, versions: &[&str]) {
    for v in versions {
        match with_version(ecosystem, name, v) {
            Ok(r) => assert_eq!(
                action_for(engine, r),
                Action::Deny,
                "{ecosystem} {name} {v:?}"
            ),
            Err(e) => assert_eq!(
                e.kind,
                RequestErrorKind::Version,
                "{ecosystem} {name} {v:?}: {e}"
            ),
        }
    }
}

/// Versions outside the rule stay allowed: the checks above are not vacuous.
fn versions_allowed(engine: &Engine, ecosystem: &str, name: &str, versions: &[&str]) {
    for v in versions {
        let r = with_version(ecosystem, name, v).unwrap_or_else(|e| panic!("{v}: {e}"));
        assert_eq!(
            action_for(engine, r),
            Action::Allow,
            "{ecosystem} {name} {v:?}"
        );
    }
}

#[test]
fn pre_releases_inside_a_deny_range() {
    let e = engine(
        &[
            deny_versions("n", "npm", "evil", ">=1.0.0 <2.0.0"),
            deny_versions("c", "cargo", "evil", ">=1.0.0, <2.0.0"),
            deny_versions("p", "pypi", "evil", ">=1.0,<2.0"),
            deny_versions("g", "rubygems", "evil", "~> 1.0"),
            deny_versions("m", "maven", "org.evil:evil", "[1.0,2.0)"),
            deny_versions("u", "nuget", "evil", "[1.0.0, 2.0.0)"),
            deny_versions("o", "golang", "example.com/evil", ">=v1.0.0, <v2.0.0"),
        ]
        .concat(),
    );
    versions_never_allowed(
        &e,
        "npm",
        "evil",
        &["1.5.0-beta.1", "1.0.1-0", "2.0.0-rc.1"],
    );
    versions_never_allowed(&e, "cargo", "evil", &["1.5.0-beta.1", "2.0.0-rc.1"]);
    versions_never_allowed(&e, "pypi", "evil", &["1.5rc1", "1.5.dev0", "1.5a1.post1"]);
    versions_never_allowed(&e, "rubygems", "evil", &["1.5.pre", "1.9.rc1"]);
    versions_never_allowed(
        &e,
        "maven",
        "org.evil:evil",
        &["1.5-SNAPSHOT", "1.5-beta-1"],
    );
    versions_never_allowed(&e, "nuget", "evil", &["1.5.0-beta", "1.5.0-rc.1"]);
    versions_never_allowed(
        &e,
        "golang",
        "example.com/evil",
        &["v1.5.0-beta.1", "v1.5.1-0.20240101000000-abcdefabcdef"],
    );
    versions_allowed(&e, "npm", "evil", &["2.0.0", "0.9.9"]);
    versions_allowed(&e, "pypi", "evil", &["2.0", "0.9"]);
}

#[test]
fn build_metadata() {
    let e = engine(
        &[
            deny_versions("n", "npm", "evil", "1.2.3"),
            deny_versions("c", "cargo", "evil", "=1.2.3"),
            deny_versions("u", "nuget", "evil", "[1.2.3]"),
            deny_versions("o", "golang", "example.com/evil", ">=v1.2.3, <=v1.2.3"),
        ]
        .concat(),
    );
    versions_never_allowed(&e, "npm", "evil", &["1.2.3+build.5", "1.2.3+0"]);
    versions_never_allowed(&e, "cargo", "evil", &["1.2.3+build.5"]);
    versions_never_allowed(&e, "nuget", "evil", &["1.2.3+sha.abc"]);
    versions_never_allowed(&e, "golang", "example.com/evil", &["v1.2.3+incompatible"]);
    versions_allowed(&e, "npm", "evil", &["1.2.4+build.5"]);
}

#[test]
fn v_prefix() {
    let e = engine(
        &[
            deny_versions("n", "npm", "evil", "1.2.3"),
            deny_versions("p", "pypi", "evil", "==1.2.3"),
            deny_versions("c", "cargo", "evil", "=1.2.3"),
        ]
        .concat(),
    );
    versions_never_allowed(&e, "npm", "evil", &["v1.2.3", "=1.2.3", "V1.2.3"]);
    versions_never_allowed(&e, "pypi", "evil", &["v1.2.3", "V1.2.3"]);
    versions_never_allowed(&e, "cargo", "evil", &["v1.2.3"]);
}

#[test]
fn leading_zeros() {
    let e = engine(
        &[
            deny_versions("n", "npm", "evil", "1.2.3"),
            deny_versions("p", "pypi", "evil", "==1.2"),
            deny_versions("g", "rubygems", "evil", "= 1.2"),
            deny_versions("m", "maven", "org.evil:evil", "[1.2]"),
            deny_versions("u", "nuget", "evil", "[1.2.0]"),
        ]
        .concat(),
    );
    versions_never_allowed(&e, "npm", "evil", &["01.2.3", "1.02.3", "1.2.03"]);
    versions_never_allowed(&e, "pypi", "evil", &["1.02", "01.2", "1.2.0", "1.02.00"]);
    versions_never_allowed(&e, "rubygems", "evil", &["1.02", "01.2"]);
    versions_never_allowed(&e, "maven", "org.evil:evil", &["1.02", "01.2", "1.2.0"]);
    versions_never_allowed(&e, "nuget", "evil", &["1.02.0", "01.2.0", "1.2"]);
}

#[test]
fn surrounding_whitespace_is_a_request_error() {
    for v in [" 1.2.3", "1.2.3 ", "1.2.3\n", "\t1.2.3"] {
        let e = with_version("npm", "evil", v).unwrap_err();
        assert_eq!(e.kind, RequestErrorKind::Version, "{v:?}");
    }
}

/// A rule's decision does not depend on unrelated rules: rules share compiled
/// predicates only when their conditions are equal, and `~> 1.4.4` (below
/// every pre-release of 1.5) is not `< 1.5` (RubyGems: 1.5.0.rc1 < 1.5), nor
/// PyPI `>1.5` (after every 1.5.postN) the `>1.5` left by `>=1.5, !=1.5`.
#[test]
fn unrelated_rules_do_not_change_a_decision() {
    let rails = deny_versions("rails", "rubygems", "rails", ">= 1.4.4, < 1.5");
    let other = deny_versions("other", "rubygems", "other", "~> 1.4.4");
    let py = deny_versions("py", "pypi", "evil", ">=1.5, !=1.5");
    let py_other = deny_versions("py-other", "pypi", "other", ">1.5");
    for rules in [
        [rails.as_str(), py.as_str()].concat(),
        [
            rails.as_str(),
            other.as_str(),
            py.as_str(),
            py_other.as_str(),
        ]
        .concat(),
        [
            other.as_str(),
            rails.as_str(),
            py_other.as_str(),
            py.as_str(),
        ]
        .concat(),
    ] {
        let e = engine(&rules);
        versions_never_allowed(&e, "rubygems", "rails", &["1.5.0.rc1", "1.5.A", "1.4.4"]);
        versions_allowed(&e, "rubygems", "rails", &["1.5", "1.5.0"]);
        versions_never_allowed(&e, "pypi", "evil", &["1.5.post1", "1.6"]);
        versions_allowed(&e, "pypi", "evil", &["1.5"]);
    }
    // The unrelated rules themselves keep their own meaning.
    let e = engine(
        &[
            rails.as_str(),
            other.as_str(),
            py.as_str(),
            py_other.as_str(),
        ]
        .concat(),
    );
    versions_allowed(&e, "rubygems", "other", &["1.5.0.rc1", "1.5.A"]);
    versions_never_allowed(&e, "rubygems", "other", &["1.4.9"]);
    versions_allowed(&e, "pypi", "other", &["1.5.post1"]);
}

/// The audit digest tells apart sets whose vers display is the same.
#[test]
fn digest_tells_boundaries_apart() {
    let digest =
        |versions: &str| engine(&deny_versions("r", "rubygems", "rails", versions)).digest();
    assert_ne!(digest("~> 1.4.4"), digest(">= 1.4.4, < 1.5"));
    let digest = |versions: &str| engine(&deny_versions("r", "pypi", "evil", versions)).digest();
    assert_ne!(digest(">1.5"), digest(">=1.5, !=1.5"));
}
