//! A real PyPI Integrity API provenance object (tests/data/provenance, see
//! the README there) mapped to request facts as docs/policy.md documents,
//! then decided by a policy that requires a given publisher.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{Engine, LayerSource, ProvenanceInput, Request, RequestInput};
use serde_json::Value;

/// Standard base64 (the statement is base64 in the DSSE envelope).
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        acc = (acc << 6) | u32::from(value(c));
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

/// docs/policy.md's mapping of a PyPI provenance object: a bundle exists only
/// for a Trusted Publisher, so both `attested` and `trusted_publisher`; the
/// publisher `kind` lower-cased; `repository` from a GitHub or GitLab
/// publisher's `repository` (`owner/name`) on its host; the predicate type
/// from the attestation's in-toto statement.
fn pypi_facts(provenance: &Value) -> ProvenanceInput {
    let bundle = &provenance["attestation_bundles"][0];
    let publisher = &bundle["publisher"];
    let kind = publisher["kind"].as_str().unwrap().to_ascii_lowercase();
    let statement = bundle["attestations"][0]["envelope"]["statement"]
        .as_str()
        .unwrap();
    let statement: Value = serde_json::from_slice(&base64(statement)).unwrap();
    let repository = publisher["repository"]
        .as_str()
        .map(|r| match kind.as_str() {
            "gitlab" => format!("gitlab.com/{r}"),
            _ => format!("github.com/{r}"),
        });
    ProvenanceInput {
        attested: Some(true),
        trusted_publisher: Some(true),
        publisher: Some(match kind.as_str() {
            "github" | "gitlab" | "google" => kind.clone(),
            _ => "other".into(),
        }),
        repository,
        workflow: publisher["workflow"].as_str().map(str::to_owned),
        predicate_type: statement["predicateType"].as_str().map(str::to_owned),
        ..ProvenanceInput::default()
    }
}

#[test]
fn a_real_pypi_provenance_object_maps_to_facts() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/provenance/pypi_gcb_attestation_test-0.0.0.tar.gz.provenance.json"
    );
    let provenance: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let facts = pypi_facts(&provenance);
    assert_eq!(facts.publisher.as_deref(), Some("google"));
    assert_eq!(
        facts.predicate_type.as_deref(),
        Some("https://docs.pypi.org/attestations/publish/v1")
    );
    assert_eq!(
        facts.repository, None,
        "a Google publisher names no repository"
    );

    let policy = "\
schema_version: 1
layer: acme
rules:
  - id: pypi-from-ci
    action: deny
    match: { ecosystem: pypi, package: gcb-attestation-test }
    unless:
      provenance:
        trusted_publisher: true
        publisher: [github, google]
        predicate_type: https://docs.pypi.org/attestations/publish/v1
  - id: pypi-repository-pinned
    action: warn
    match: { ecosystem: pypi, package: gcb-attestation-test }
    unless: { provenance: { repository: \"github.com/acme/*\" } }
";
    let engine = Engine::compile(&[LayerSource::new("acme.yaml", policy)]).unwrap();
    let now = jiff::Timestamp::now();
    let with = Request::new(RequestInput {
        ecosystem: "pypi".into(),
        name: "gcb_attestation_test".into(),
        version: Some("0.0.0".into()),
        provenance: Some(facts),
        ..RequestInput::default()
    })
    .unwrap();
    let d = engine.evaluate(&with, now);
    // Trusted publishing from Google Cloud Build: the deny is exempted; the
    // repository pin cannot be shown (no repository fact), so it warns.
    assert_eq!(d.action, package_policy::Action::Warn, "{d:?}");
    assert_eq!(&*d.matched[0].id, "pypi-repository-pinned");
    let without = Request::new(RequestInput {
        provenance: None,
        ..with.to_input()
    })
    .unwrap();
    assert_eq!(
        engine.evaluate(&without, now).action,
        package_policy::Action::Deny
    );
}
