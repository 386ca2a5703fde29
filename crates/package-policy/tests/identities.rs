//! Canonical identities (issue 18): a request names its ecosystem's canonical
//! name or is a request error, and the engine, the reference evaluator and
//! `package_policy::names` (the one home of name normalization) agree.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{
    names, Action, Ecosystem, Engine, LayerSource, Request, RequestError, RequestInput,
};
use serde_json::Value;

fn now() -> Timestamp {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

fn layer(rules: &str) -> Vec<LayerSource> {
    vec![LayerSource::new(
        "sec.yaml",
        format!("schema_version: 1\nlayer: sec\nrules:\n{rules}"),
    )]
}

fn input(ecosystem: &str, name: &str, version: Option<&str>) -> RequestInput {
    RequestInput {
        ecosystem: ecosystem.into(),
        name: name.into(),
        version: version.map(Into::into),
        ..RequestInput::default()
    }
}

/// The engine's action, checked against the reference evaluator's.
fn decide(sources: &[LayerSource], req: &Request) -> Action {
    let engine = Engine::compile(sources).unwrap();
    let reference = Reference::compile(sources).unwrap();
    let d = engine.evaluate(req, now());
    assert_eq!(d, reference.evaluate(req, now()), "{req:?}");
    d.action
}

#[test]
fn the_bad_request_corpus_is_refused_with_its_field() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/bad_inputs/requests.jsonl"
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap();
        let result: Result<Request, RequestError> = match (&v["purl"], &v["request"]) {
            (Value::String(p), _) => Request::from_purl(p),
            (_, Value::Object(r)) => Request::new(input(
                r["ecosystem"].as_str().unwrap(),
                r["name"].as_str().unwrap(),
                r.get("version").and_then(Value::as_str),
            )),
            _ => panic!("{line}: needs purl or request"),
        };
        let e = result.expect_err(line);
        assert_eq!(e.field, v["field"].as_str().unwrap(), "{line}: {e}");
        n += 1;
    }
    assert!(n >= 20, "{n} entries");
}

#[test]
fn go_paths_on_case_insensitive_hosts_compare_in_lowercase() {
    // A deny written in one spelling holds for every spelling, exact or glob,
    // and whichever side is upper case.
    for (rule, spellings) in [
        (
            "github.com/Evil-Org/tool",
            &[
                "github.com/evil-org/tool",
                "github.com/EVIL-ORG/TOOL",
                "github.com/Evil-Org/tool",
            ][..],
        ),
        (
            "github.com/evil-org/*",
            &["github.com/Evil-Org/x", "github.com/evil-org/X"][..],
        ),
        (
            "gitlab.com/[A-Z]*/x",
            &["gitlab.com/abc/x", "gitlab.com/Abc/X"][..],
        ),
        (
            "bitbucket.org/{Evil,Bad}/**",
            &["bitbucket.org/evil/a/B", "bitbucket.org/BAD/x"][..],
        ),
    ] {
        let src = layer(&format!(
            "  - {{ id: d, action: deny, match: {{ ecosystem: golang, package: \"{rule}\" }} }}\n"
        ));
        for name in spellings {
            let req = Request::new(input("golang", name, Some("v1.0.0"))).unwrap();
            assert_eq!(req.name(), name.to_ascii_lowercase(), "{name}");
            assert_eq!(decide(&src, &req), Action::Deny, "{rule} vs {name}");
            let purl = format!("pkg:golang/{name}@v1.0.0");
            assert_eq!(
                decide(&src, &Request::from_purl(&purl).unwrap()),
                Action::Deny,
                "{purl}"
            );
        }
    }
    // Other hosts resolve paths exactly: another case is another module.
    let src = layer("  - { id: d, action: deny, match: { ecosystem: golang, package: \"example.com/Evil/x\" } }\n");
    let other = Request::new(input("golang", "example.com/evil/x", None)).unwrap();
    assert_eq!(other.name(), "example.com/evil/x");
    assert_eq!(decide(&src, &other), Action::Allow);
    let same = Request::new(input("golang", "example.com/Evil/x", None)).unwrap();
    assert_eq!(decide(&src, &same), Action::Deny);
    // A wildcard host with upper case cannot be read either way: compile error.
    let src =
        layer("  - { id: d, action: deny, match: { ecosystem: golang, package: \"*/Evil/x\" } }\n");
    let e = Engine::compile(&src).unwrap_err();
    assert!(e.to_string().contains("github.com"), "{e}");
    assert_eq!(Reference::compile(&src).unwrap_err(), e);
    // In lowercase it reads the same on every host.
    let src =
        layer("  - { id: d, action: deny, match: { ecosystem: golang, package: \"*/evil/x\" } }\n");
    let req = Request::new(input("golang", "github.com/EVIL/x", None)).unwrap();
    assert_eq!(decide(&src, &req), Action::Deny);
}

#[test]
fn nuget_names_lowercase_as_dotnet_invariant_culture() {
    // .NET's ToLowerInvariant leaves U+0130 as itself, one character;
    // Rust's `str::to_lowercase` would make it two (`i` + U+0307).
    let req = Request::new(input("nuget", "İNFO.Stealer", None)).unwrap();
    assert_eq!(req.name(), "İnfo.stealer");
    assert_eq!(req.name().chars().count(), "İNFO.Stealer".chars().count());
    let src =
        layer("  - { id: d, action: deny, match: { ecosystem: nuget, package: \"İnfo.*\" } }\n");
    assert_eq!(decide(&src, &req), Action::Deny);
    let dotless = Request::new(input("nuget", "info.stealer", None)).unwrap();
    assert_eq!(decide(&src, &dotless), Action::Allow);
    let e = Request::new(input("nuget", "i\u{307}nfo.stealer", None)).unwrap_err();
    assert_eq!(e.field, "name");
}

#[test]
fn rubygems_platform_suffixes_are_platforms() {
    let src = layer(
        "  - { id: d, action: deny, match: { ecosystem: gem, package: nokogiri, versions: \">= 1.13.10, < 1.14\" } }\n",
    );
    for purl in [
        "pkg:gem/nokogiri@1.13.10-java",
        "pkg:gem/nokogiri@1.13.10-x86_64-linux-gnu",
        "pkg:gem/nokogiri@1.13.10-arm64-darwin",
        "pkg:gem/nokogiri@1.13.10?platform=java",
        "pkg:gem/nokogiri@1.13.10-java?platform=java",
    ] {
        let req = Request::from_purl(purl).unwrap_or_else(|e| panic!("{purl}: {e}"));
        assert_eq!(req.version().unwrap().to_string(), "1.13.10", "{purl}");
        assert_eq!(decide(&src, &req), Action::Deny, "{purl}");
    }
    let req = Request::new(input(
        "rubygems",
        "nokogiri",
        Some("1.13.10-x64-mingw-ucrt"),
    ))
    .unwrap();
    assert_eq!(decide(&src, &req), Action::Deny);
    // A suffix that is no platform keeps RubyGems' reading: a pre-release.
    let pre = Request::new(input("rubygems", "nokogiri", Some("1.13.10-rc1"))).unwrap();
    assert_eq!(decide(&src, &pre), Action::Allow);
    assert_eq!(
        names::split_rubygems_platform("1.17.4-x86_64-linux-gnu"),
        ("1.17.4", Some("x86_64-linux-gnu"))
    );
}

#[test]
fn one_normalization_for_requests_and_patterns() {
    for (eco, name) in [
        (Ecosystem::Pypi, "Zope._-Interface"),
        (Ecosystem::Nuget, "İNFO.Σtealer"),
        (Ecosystem::Cargo, "Foo_Bar"),
        (Ecosystem::Golang, "github.com/Azure/Go-Autorest"),
        (Ecosystem::Golang, "example.com/Azure/Go-Autorest"),
        (Ecosystem::Npm, "@Acme/Web"),
    ] {
        let req = Request::new(input(eco.as_str(), name, None)).unwrap();
        assert_eq!(
            req.name(),
            names::canonical(eco, name).unwrap(),
            "{eco} {name}"
        );
        assert_eq!(req.name(), names::normalize(eco, name), "{eco} {name}");
        // The name written as a rule matches itself in any spelling.
        let src = layer(&format!(
            "  - {{ id: d, action: deny, match: {{ ecosystem: {eco}, package: \"{name}\" }} }}\n"
        ));
        let again = Request::new(input(eco.as_str(), req.name(), None)).unwrap();
        assert_eq!(decide(&src, &again), Action::Deny, "{eco} {name}");
    }
}
