//! Resolution mode, explain and digest through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{
    Action, Engine, LayerSource, Request, RequestErrorKind, RequestInput, RuleOutcome,
};

const POLICY: &str = r#"
schema_version: 1
layer: acme
rules:
  - id: old-lodash
    action: deny
    reason: prototype pollution
    match: { ecosystem: npm, package: lodash, versions: "<4.17.21" }
  - id: lodash-5
    action: warn
    match: { ecosystem: npm, package: lodash, versions: ">=5.0.0-0", license: MIT }
  - id: expired
    action: deny
    expires: 2020-01-01
    match: { ecosystem: npm, package: lodash }
  - id: pypi-only
    action: deny
    match: { ecosystem: pypi }
  - id: exception
    action: allow
    match: { ecosystem: npm, package: lodash, versions: "4.17.15" }
"#;

fn now() -> Timestamp {
    "2026-06-01T00:00:00Z".parse().unwrap()
}

fn engine(text: &str) -> Engine {
    Engine::compile(&[LayerSource::new("acme.yaml", text)]).unwrap()
}

fn lodash() -> RequestInput {
    RequestInput {
        ecosystem: "npm".into(),
        name: "lodash".into(),
        license: Some("MIT".into()),
        ..RequestInput::default()
    }
}

#[test]
fn resolution_mode_equals_one_by_one() {
    let e = engine(POLICY);
    let r = Reference::compile(&[LayerSource::new("acme.yaml", POLICY)]).unwrap();
    let versions: Vec<String> = [
        "5.0.0",
        "4.17.20",
        "bad version",
        "4.17.15",
        "4.17.21",
        "5.0.0-beta.1",
        "1.0.0",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = e.evaluate_versions(&lodash(), &versions, now()).unwrap();
    assert_eq!(out.len(), versions.len());
    let actions: Vec<Option<Action>> = out
        .iter()
        .map(|d| d.as_ref().ok().map(|d| d.action))
        .collect();
    use Action::*;
    assert_eq!(
        actions,
        vec![
            Some(Warn),
            Some(Deny),
            None,
            Some(Allow),
            Some(Allow),
            Some(Warn),
            Some(Deny)
        ]
    );
    assert_eq!(out[2].as_ref().unwrap_err().kind, RequestErrorKind::Version);
    for (v, d) in versions.iter().zip(&out) {
        if let Ok(d) = d {
            let one = Request::new(RequestInput {
                version: Some(v.clone()),
                ..lodash()
            })
            .unwrap();
            assert_eq!(d, &e.evaluate(&one, now()), "{v}");
            assert_eq!(d, &r.evaluate(&one, now()), "{v}");
        }
    }
}

#[test]
fn resolution_mode_rejects_a_bad_base_request() {
    let e = engine(POLICY);
    let bad = RequestInput {
        name: "bad name".into(),
        ..lodash()
    };
    assert!(e.evaluate_versions(&bad, &["1.0.0".into()], now()).is_err());
    // The base request's own version is ignored, even when it would not parse.
    let with_version = RequestInput {
        version: Some("not-a-version".into()),
        ..lodash()
    };
    assert!(e
        .evaluate_versions(&with_version, &[], now())
        .unwrap()
        .is_empty());
}

#[test]
fn explain_gives_every_rule_its_outcome() {
    let e = engine(POLICY);
    let req = Request::new(RequestInput {
        version: Some("4.17.15".into()),
        license: Some("Apache-2.0".into()),
        ..lodash()
    })
    .unwrap();
    let x = e.explain(&req, now());
    let outcomes: Vec<(&str, RuleOutcome)> =
        x.rules.iter().map(|r| (&*r.rule.id, r.outcome)).collect();
    assert_eq!(
        outcomes,
        vec![
            ("old-lodash", RuleOutcome::Matched),
            ("lodash-5", RuleOutcome::Failed("versions")),
            ("expired", RuleOutcome::Inactive),
            ("pypi-only", RuleOutcome::Failed("ecosystem")),
            ("exception", RuleOutcome::Matched),
        ]
    );
    assert_eq!(x.decision, e.evaluate(&req, now()));
    assert_eq!(x.decision.action, Action::Allow);
    assert_eq!(x.decision.suppressed.len(), 1);

    let other = Request::new(RequestInput {
        name: "underscore".into(),
        ..lodash()
    })
    .unwrap();
    let x = e.explain(&other, now());
    assert_eq!(x.rules[0].outcome, RuleOutcome::Failed("package"));
}

#[test]
fn digest_ignores_formatting_key_order_and_list_order() {
    let a = "schema_version: 1\nlayer: l\nrules:\n  - id: r\n    action: deny\n    match: { ecosystem: [npm, pypi], package: [b, a], license: [MIT, Apache-2.0] }\n";
    let b = r#"
# the same policy, written differently
layer: "l"
schema_version: 1
rules:
  - match:
      license: [Apache-2.0, MIT]
      package: [a, b, a]
      ecosystem:
        - pypi
        - npm
    action: deny
    id: r
"#;
    let c = a.replace("action: deny", "action: warn");
    assert_eq!(engine(a).digest(), engine(b).digest());
    assert_ne!(engine(a).digest(), engine(&c).digest());
    assert_eq!(engine(a).digest().len(), 64);
    // Equivalent ranges spelled differently are one version set.
    let r1 = "schema_version: 1\nlayer: l\nrules:\n  - { id: r, action: deny, match: { ecosystem: npm, versions: \">=1.0.0 <2.0.0\" } }\n";
    let r2 = "schema_version: 1\nlayer: l\nrules:\n  - { id: r, action: deny, match: { ecosystem: npm, versions: \"vers:npm/>=1.0.0|<2.0.0\" } }\n";
    assert_eq!(engine(r1).digest(), engine(r2).digest());
}

#[test]
fn engines_are_shared_across_threads() {
    let e = engine(POLICY);
    let req = Request::new(RequestInput {
        version: Some("4.0.0".into()),
        ..lodash()
    })
    .unwrap();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (e, req) = (e.clone(), req.clone());
            std::thread::spawn(move || e.evaluate(&req, now()).action)
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), Action::Deny);
    }
}

/// Every compile-side limit of §8 that the engine checks (the YAML loader's
/// size, depth and alias limits are tested with the loader).
#[test]
fn compile_limits_are_errors_with_a_path() {
    use package_policy::{CompileErrorKind, Limits};
    let rule = |m: &str| {
        format!("schema_version: 1\nlayer: l\nrules:\n  - {{ id: abcdefgh, action: deny, reason: \"0123456789\", {m} }}\n")
    };
    type Case = (fn(&mut Limits), String, &'static str);
    let cases: Vec<Case> = vec![
        (|l| l.rule_id_bytes = 7, rule("match: {}"), "rules[0].id"),
        (|l| l.reason_bytes = 9, rule("match: {}"), "rules[0].reason"),
        (
            |l| l.glob_bytes = 4,
            rule("match: { package: \"abcde*\" }"),
            "rules[0].match.package",
        ),
        (
            |l| l.glob_braces = 1,
            rule("match: { package: \"{a,b}{c,d}\" }"),
            "rules[0].match.package",
        ),
        (
            |l| l.range_bytes = 5,
            rule("match: { ecosystem: npm, versions: \">=1.0.0\" }"),
            "rules[0].match.versions",
        ),
    ];
    for (lower, text, path) in cases {
        let src = [LayerSource::new("l.yaml", text.clone())];
        assert!(Engine::compile(&src).is_ok(), "{text}");
        let mut limits = Limits::default();
        lower(&mut limits);
        let err = Engine::compile_with_limits(&src, &limits).unwrap_err();
        assert_eq!(err.kind, CompileErrorKind::Limit, "{err}");
        assert_eq!(err.path.as_deref(), Some(path), "{err}");
        assert_eq!(err.layer.as_deref(), Some("l"));
        let reference = Reference::compile_with_limits(&src, &limits).unwrap_err();
        assert_eq!(reference, err);
    }
}

/// `validate` reports every invalid rule of every layer, each with its
/// location, not just the first; a set that compiles has none.
#[test]
fn validate_reports_every_error() {
    let bad = "schema_version: 1\nlayer: acme\nrules:\n\
        - { id: a, action: deny, match: { ecosystem: npm, versions: \">=>1\" } }\n\
        - { id: ok, action: deny, match: { ecosystem: npm, package: evil } }\n\
        - { id: b, action: allow, enforced: true, match: { package: x } }\n\
        - { id: a, action: warn, match: { package: \"{a,b\" } }\n";
    let broken = "schema_version: 1\nlayer: [oops\n";
    let sources = [
        LayerSource::new("acme.yaml", bad),
        LayerSource::new("broken.yaml", broken),
    ];
    let errors = package_policy::validate(&sources);
    let got: Vec<(&str, Option<&str>, Option<usize>)> = errors
        .iter()
        .map(|e| (e.source_name.as_str(), e.path.as_deref(), e.line))
        .collect();
    assert_eq!(
        got,
        [
            ("acme.yaml", Some("rules[0].match.versions"), Some(4)),
            ("acme.yaml", Some("rules[2].enforced"), Some(6)),
            ("acme.yaml", Some("rules[3].id"), Some(7)),
            ("broken.yaml", None, Some(3)),
        ],
        "{errors:#?}"
    );
    assert!(errors[..3]
        .iter()
        .all(|e| e.layer.as_deref() == Some("acme")));
    // Compiling stops at the first.
    assert_eq!(Engine::compile(&sources).unwrap_err(), errors[0]);
    assert!(package_policy::validate(&[LayerSource::new("ok.yaml", POLICY)]).is_empty());
}

/// An engine compiled with raised limits checks its requests with them, in
/// `evaluate_versions` and in the engine's request constructors (issue 14).
#[test]
fn engine_limits_apply_to_requests() {
    use package_policy::{Limits, RequestErrorKind};
    let src = [LayerSource::new(
        "l.yaml",
        "schema_version: 1\nlayer: l\nrules:\n  - id: r\n    action: deny\n    reason: r\n    match: { ecosystem: npm, package: \"long-*\" }\n",
    )];
    let mut raised = Limits::default();
    raised.request_name_bytes = 4096;
    // Lowered: the version grammars cap versions at 256 bytes themselves.
    raised.request_version_bytes = 16;
    raised.purl_bytes = 8192;
    let big = Engine::compile_with_limits(&src, &raised).unwrap();
    let small = Engine::compile(&src).unwrap();
    assert_eq!(big.limits(), &raised);
    assert_eq!(small.limits(), &Limits::default());

    let name = format!("long-{}", "x".repeat(2000));
    let input = RequestInput {
        ecosystem: "npm".into(),
        name: name.clone(),
        ..RequestInput::default()
    };
    let now = jiff::Timestamp::UNIX_EPOCH;
    // A 2 KiB name: within the raised limit, past the default one.
    let req = big.request(input.clone()).unwrap();
    assert_eq!(big.evaluate(&req, now).action, Action::Deny);
    assert_eq!(
        small.request(input.clone()).unwrap_err().kind,
        RequestErrorKind::Limit
    );
    let purl = format!("pkg:npm/{name}@1.0.0");
    assert_eq!(
        big.evaluate(&big.request_from_purl(&purl).unwrap(), now)
            .action,
        Action::Deny
    );
    assert!(small.request_from_purl(&purl).is_err());

    // Resolution mode: the base request and each version under the engine's limits.
    let long_version = format!("1.0.0-{}", "a".repeat(20));
    let out = big
        .evaluate_versions(&input, &[long_version.clone(), "1.0.0".into()], now)
        .unwrap();
    assert_eq!(out[0].as_ref().unwrap_err().kind, RequestErrorKind::Limit);
    assert_eq!(out[1].as_ref().unwrap().action, Action::Deny);
    let short = RequestInput {
        name: "long-x".into(),
        ..input.clone()
    };
    let out = small
        .evaluate_versions(&short, &[long_version], now)
        .unwrap();
    assert_eq!(out[0].as_ref().unwrap().action, Action::Deny);
    assert!(small.evaluate_versions(&input, &[], now).is_err());
}

/// A layer's `unreadable_license` (for scanners): the most severe over the
/// enforce-mode layers, `None` when unset; it enters the digest only when set;
/// an unknown action or a blank value is a compile error.
#[test]
fn unreadable_license_is_a_layer_setting() {
    let layer = |name: &str, extra: &str| {
        LayerSource::new(
            format!("{name}.yaml"),
            format!("schema_version: 1\nlayer: {name}\n{extra}rules: []\n"),
        )
    };
    let none = Engine::compile(&[layer("a", "")]).unwrap();
    assert_eq!(none.unreadable_license(), None);
    let set = Engine::compile(&[
        layer("a", "unreadable_license: allow\n"),
        layer("b", "unreadable_license: warn\n"),
        layer("c", "mode: dry_run\nunreadable_license: deny\n"),
    ])
    .unwrap();
    assert_eq!(set.unreadable_license(), Some(package_policy::Action::Warn));
    let allow = Engine::compile(&[layer("a", "unreadable_license: allow\n")]).unwrap();
    assert_eq!(
        allow.unreadable_license(),
        Some(package_policy::Action::Allow)
    );
    assert_ne!(allow.digest(), none.digest());
    for bad in ["unreadable_license: maybe\n", "unreadable_license:\n"] {
        let e = Engine::compile(&[layer("a", bad)]).unwrap_err();
        assert_eq!(e.line, Some(3), "{bad}: {e}");
    }
}
