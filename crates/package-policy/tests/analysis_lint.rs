//! `analysis::lint`: one small policy per finding kind, and clean policies
//! that must produce no finding of that kind.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::analysis::{lint, Finding, FindingKind, LintOptions, Severity};
use package_policy::LayerSource;

fn now() -> jiff::Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

fn layer(name: &str, default: &str, rules: &str) -> LayerSource {
    LayerSource::new(
        format!("{name}.yaml"),
        format!("schema_version: 1\nlayer: {name}\ndefault: {default}\nrules:\n{rules}"),
    )
}

fn run(layers: &[LayerSource]) -> Vec<Finding> {
    lint(layers, &LintOptions::new(now())).unwrap()
}

fn kinds(findings: &[Finding], kind: FindingKind) -> Vec<(String, Option<usize>)> {
    findings
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| (f.rule_id.clone(), f.line))
        .collect()
}

/// An accountable exception, so only the finding under test shows.
const OWNED: &str = "    owner: sec@acme.example\n    ticket: SEC-1\n    expires: 2027-06-01\n";

#[test]
fn dead_rules() {
    let f = run(&[layer(
        "acme",
        "allow",
        "  - id: empty-range\n    action: deny\n    match: { ecosystem: npm, package: a, versions: \">1.0.0 <1.0.1-0\" }\n\
         \x20 - id: pypi-scope\n    action: deny\n    match: { ecosystem: pypi, package: \"@acme/*\" }\n\
         \x20 - id: maven-no-group\n    action: deny\n    match: { ecosystem: maven, package: log4j-core }\n\
         \x20 - id: licenses\n    action: warn\n    match: { license: [MIT], license_not_in: [MIT, Apache-2.0] }\n\
         \x20 - id: half-dead\n    action: deny\n    match: { ecosystem: cargo, package: [serde, serde/derive] }\n\
         \x20 - id: alive\n    action: deny\n    match: { ecosystem: npm, package: \"@acme/*\", versions: \">1.0.0 <1.0.1\", license: [MIT], license_not_in: [Apache-2.0] }\n",
    )]);
    assert_eq!(
        kinds(&f, FindingKind::DeadRule),
        vec![
            ("empty-range".into(), Some(5)),
            ("pypi-scope".into(), Some(8)),
            ("maven-no-group".into(), Some(11)),
            ("licenses".into(), Some(14)),
        ]
    );
    assert_eq!(
        kinds(&f, FindingKind::DeadPattern),
        vec![("half-dead".into(), Some(17))]
    );
    let dead = f.iter().find(|f| f.rule_id == "pypi-scope").unwrap();
    assert_eq!(dead.severity, Severity::Error);
    assert_eq!(dead.column, Some(5));
    assert!(
        dead.message
            .contains("`@` never occurs in a pypi package name"),
        "{}",
        dead.message
    );
    assert_eq!(
        dead.to_string(),
        format!(
            "acme.yaml:8:5: error[dead-rule] acme/pypi-scope: {}",
            dead.message
        )
    );
}

#[test]
fn shadowed_rules() {
    let f = run(&[
        layer(
            "instance",
            "allow",
            "  - id: scope\n    action: deny\n    enforced: true\n    match: { ecosystem: npm, package: \"@evil/*\" }\n\
             \x20 - id: all-lodash\n    action: warn\n    match: { ecosystem: npm, package: lodash }\n",
        ),
        layer(
            "project",
            "allow",
            "  - id: one-evil\n    action: deny\n    match: { ecosystem: npm, package: \"@evil/x\", versions: \"1.x\" }\n\
             \x20 - id: old-lodash\n    action: warn\n    match: { ecosystem: npm, package: lodash, versions: \"<4\" }\n\
             \x20 - id: old-lodash-deny\n    action: deny\n    match: { ecosystem: npm, package: lodash, versions: \"<3\" }\n\
             \x20 - id: enforced-evil\n    action: deny\n    enforced: true\n    match: { ecosystem: npm, package: \"@evil/y\" }\n",
        ),
    ]);
    // A deny under a deny, a warn under a warn; not a deny under a warn, and
    // not an enforced rule under an enforced one... which is shadowed too.
    assert_eq!(
        kinds(&f, FindingKind::ShadowedRule),
        vec![
            ("one-evil".into(), Some(5)),
            ("old-lodash".into(), Some(8)),
            ("enforced-evil".into(), Some(14)),
        ]
    );
    let one = f.iter().find(|f| f.rule_id == "one-evil").unwrap();
    assert!(one.message.contains("`instance/scope`"), "{}", one.message);
}

#[test]
fn a_rule_under_an_unenforced_one_is_not_shadowed_when_enforced() {
    let f = run(&[layer(
        "acme",
        "allow",
        "  - id: loose\n    action: deny\n    match: { ecosystem: npm, package: a }\n\
         \x20 - id: strict\n    action: deny\n    enforced: true\n    match: { ecosystem: npm, package: a }\n",
    )]);
    assert!(kinds(&f, FindingKind::ShadowedRule).is_empty(), "{f:?}");
}

#[test]
fn ineffective_exceptions() {
    let rules_outer = "  - id: ban\n    action: deny\n    enforced: true\n    match: { ecosystem: npm, package: evil }\n\
                       \x20 - id: old-lodash\n    action: warn\n    match: { ecosystem: npm, package: lodash, versions: \"<4\" }\n";
    let rules_inner = format!(
        "  - id: allow-evil\n    action: allow\n{OWNED}    match: {{ ecosystem: npm, package: evil }}\n\
         \x20 - id: allow-new-lodash\n    action: allow\n{OWNED}    match: {{ ecosystem: npm, package: lodash, versions: \">=4\" }}\n\
         \x20 - id: allow-old-lodash\n    action: allow\n{OWNED}    match: {{ ecosystem: npm, package: lodash, versions: \"3.x\" }}\n\
         \x20 - id: allow-nothing\n    action: allow\n{OWNED}    match: {{ ecosystem: pypi, package: requests }}\n"
    );
    let f = run(&[
        layer("instance", "allow", rules_outer),
        layer("project", "allow", &rules_inner),
    ]);
    let found = kinds(&f, FindingKind::IneffectiveException);
    let ids: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["allow-evil", "allow-new-lodash", "allow-nothing"]);
    let evil = f.iter().find(|f| f.rule_id == "allow-evil").unwrap();
    assert!(
        evil.message.contains("enforced in an outer layer"),
        "{}",
        evil.message
    );
    // Under a deny default (allowlist mode) every allow overrides the default.
    let f = run(&[
        layer("instance", "deny", rules_outer),
        layer("project", "allow", &rules_inner),
    ]);
    assert!(kinds(&f, FindingKind::IneffectiveException).is_empty());
}

#[test]
fn exception_accountability_and_expiry() {
    let f = lint(
        &[layer(
            "acme",
            "deny",
            "  - id: bare\n    action: allow\n    match: { ecosystem: npm, package: a }\n\
             \x20 - id: soon\n    action: allow\n    owner: o\n    ticket: T-1\n    expires: 2026-12-10\n    match: { ecosystem: npm, package: b }\n\
             \x20 - id: gone\n    action: allow\n    owner: o\n    ticket: T-2\n    expires: 2026-11-01\n    match: { ecosystem: npm, package: c }\n\
             \x20 - id: fine\n    action: allow\n    owner: o\n    ticket: T-3\n    expires: 2027-12-01\n    match: { ecosystem: npm, package: d }\n",
        )],
        &LintOptions {
            expiring_within: jiff::SignedDuration::from_hours(14 * 24),
            ..LintOptions::new(now())
        },
    )
    .unwrap();
    assert_eq!(
        kinds(&f, FindingKind::UnaccountableException),
        vec![("bare".into(), Some(5))]
    );
    let bare = f.iter().find(|f| f.rule_id == "bare").unwrap();
    assert!(
        bare.message.contains("owner, ticket, expires"),
        "{}",
        bare.message
    );
    assert_eq!(
        kinds(&f, FindingKind::ExpiringException),
        vec![("soon".into(), Some(8))]
    );
    assert_eq!(
        kinds(&f, FindingKind::ExpiredException),
        vec![("gone".into(), Some(14))]
    );
    // A shorter window no longer reports `soon`.
    let short = LintOptions {
        expiring_within: jiff::SignedDuration::from_hours(24),
        ..LintOptions::new(now())
    };
    let f = lint(&[layer("acme", "deny", "  - id: soon\n    action: allow\n    owner: o\n    ticket: T-1\n    expires: 2026-12-10\n    match: { ecosystem: npm, package: b }\n")], &short).unwrap();
    assert!(kinds(&f, FindingKind::ExpiringException).is_empty());
}

#[test]
fn duplicate_ids_across_layers() {
    let f = run(&[
        layer(
            "instance",
            "allow",
            "  - id: x\n    action: deny\n    match: { ecosystem: npm, package: a }\n",
        ),
        layer(
            "project",
            "allow",
            "  - id: x\n    action: deny\n    match: { ecosystem: npm, package: b }\n",
        ),
    ]);
    assert_eq!(
        kinds(&f, FindingKind::DuplicateId),
        vec![("x".into(), Some(5))]
    );
    assert_eq!(
        f.iter()
            .find(|f| f.kind == FindingKind::DuplicateId)
            .unwrap()
            .layer,
        "project"
    );
}

#[test]
fn surprising_native_syntax() {
    let f = run(&[layer(
        "acme",
        "deny",
        &format!(
            "  - id: nuget-bare\n    action: allow\n{OWNED}    match: {{ ecosystem: nuget, package: newtonsoft.json, versions: \"13.0.1\" }}\n\
             \x20 - id: nuget-exact\n    action: allow\n{OWNED}    match: {{ ecosystem: nuget, package: log4net, versions: \"[2.0.10]\" }}\n\
             \x20 - id: pypi-gt\n    action: deny\n    match: {{ ecosystem: pypi, package: django, versions: \">1.0,<2.0\" }}\n\
             \x20 - id: pypi-ge\n    action: deny\n    match: {{ ecosystem: pypi, package: flask, versions: \">=1.0\" }}\n\
             \x20 - id: npm-star\n    action: deny\n    match: {{ ecosystem: npm, package: \"*\", published_within: 3d }}\n\
             \x20 - id: npm-all\n    action: deny\n    match: {{ ecosystem: npm, package: \"**\", published_within: 3d }}\n"
        ),
    )]);
    let ids: Vec<String> = kinds(&f, FindingKind::SurprisingSyntax)
        .into_iter()
        .map(|k| k.0)
        .collect();
    assert_eq!(ids, ["nuget-bare", "pypi-gt", "npm-star"]);
    let pypi = f.iter().find(|f| f.rule_id == "pypi-gt").unwrap();
    assert!(pypi.message.contains("1.0.post1"), "{}", pypi.message);
}

#[test]
fn the_example_policies_have_no_errors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies");
    let layers: Vec<LayerSource> = ["instance.yaml", "group.yaml", "project.yaml"]
        .iter()
        .map(|f| LayerSource::new(*f, std::fs::read_to_string(dir.join(f)).unwrap()))
        .collect();
    let f = run(&layers);
    let errors: Vec<&Finding> = f.iter().filter(|f| f.severity == Severity::Error).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
