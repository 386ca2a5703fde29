//! Provenance conditions and `unless` through the Rust API: the digest
//! covers them, explain names exemptions, resolution mode reads a version
//! inside `unless`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{
    Action, Engine, LayerSource, ProvenanceInput, Request, RequestInput, RuleOutcome,
};

fn engine(rules: &str) -> Engine {
    let yaml = format!("schema_version: 1\nlayer: l\nrules:\n{rules}");
    Engine::compile(&[LayerSource::new("l.yaml", yaml)]).unwrap()
}

#[test]
fn the_digest_covers_every_new_condition() {
    let base = "  - id: r\n    action: deny\n    match: { package: \"@acme/*\" }\n";
    let variants = [
        "    unless: { provenance: { trusted_publisher: true } }\n",
        "    unless: { provenance: { trusted_publisher: false } }\n",
        "    unless: { provenance: { attested: true } }\n",
        "    unless: { provenance: { publisher: github } }\n",
        "    unless: { provenance: { publisher: gitlab } }\n",
        "    unless: { provenance: { issuer: \"https://token.actions.githubusercontent.com\" } }\n",
        "    unless: { provenance: { repository: \"github.com/acme/*\" } }\n",
        "    unless: { provenance: { workflow: \"github.com/acme/*\" } }\n",
        "    unless: { provenance: { predicate_type: \"https://slsa.dev/provenance/v1\" } }\n",
        "    unless: { provenance_downgrade: true }\n",
        "    unless: { package: \"@acme/web\" }\n",
        "    unless: { ecosystem: npm }\n",
    ];
    let mut digests: Vec<String> = variants
        .iter()
        .map(|u| engine(&format!("{base}{u}")).digest())
        .collect();
    digests.push(engine(base).digest());
    digests.push(
        engine("  - id: r\n    action: deny\n    match: { package: \"@acme/*\", provenance_downgrade: true }\n")
            .digest(),
    );
    digests.push(
        engine("  - id: r\n    action: deny\n    match: { package: \"@acme/*\", provenance: { attested: true } }\n")
            .digest(),
    );
    let unique: std::collections::BTreeSet<&String> = digests.iter().collect();
    assert_eq!(unique.len(), digests.len(), "{digests:#?}");
    // Any-of lists and case of repository patterns do not change it.
    let a = engine(&format!(
        "{base}    unless: {{ provenance: {{ publisher: [github, gitlab], repository: [\"github.com/ACME/*\", \"gitlab.com/acme/*\"] }} }}\n"
    ));
    let b = engine(&format!(
        "{base}    unless:\n      provenance:\n        repository: [\"gitlab.com/acme/*\", \"github.com/acme/*\"]\n        publisher: [gitlab, github, gitlab]\n"
    ));
    assert_eq!(a.digest(), b.digest());
}

#[test]
fn explain_names_an_exempted_rule_and_resolution_reads_versions_in_unless() {
    let e = engine(
        "  - id: cooldown\n    action: deny\n    match: { ecosystem: npm, package: lodash }\n    unless: { ecosystem: npm, versions: \"4.17.21\" }\n",
    );
    let input = RequestInput {
        ecosystem: "npm".into(),
        name: "lodash".into(),
        version: Some("4.17.21".into()),
        provenance: Some(ProvenanceInput::default()),
        ..RequestInput::default()
    };
    let now = jiff::Timestamp::now();
    let req = Request::new(input.clone()).unwrap();
    let x = e.explain(&req, now);
    assert_eq!(x.rules[0].outcome, RuleOutcome::Exempted);
    assert_eq!(x.decision.action, Action::Allow);
    let all = e
        .evaluate_versions(&input, &["4.17.20".into(), "4.17.21".into()], now)
        .unwrap();
    let actions: Vec<Action> = all.into_iter().map(|d| d.unwrap().action).collect();
    assert_eq!(actions, [Action::Deny, Action::Allow]);
}
