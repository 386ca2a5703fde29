//! Layers written as JSON (feeds, generated policies) take serde_json's fast
//! path: same policy, same engine, same limits and located errors as YAML.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::reference::Reference;
use package_policy::{Action, CompileErrorKind, Engine, LayerSource, Request};

const YAML: &str = r#"schema_version: 1
layer: acme
default: warn
rules:
  - id: old-lodash
    action: deny
    reason: prototype pollution
    match: { ecosystem: npm, package: lodash, versions: "<4.17.21" }
  - id: internal
    action: deny
    enforced: true
    match: { ecosystem: [npm, pypi], package: ["@acme/*", "acme-*"] }
  - id: vetted
    action: allow
    owner: security
    ticket: SEC-1
    expires: 2030-01-01
    match: { ecosystem: npm, package: "@acme/ui", attributes: { tier: 1, mirrored: true } }
"#;

const JSON: &str = r#"
{"schema_version": 1, "layer": "acme", "default": "warn", "rules": [
  {"id": "old-lodash", "action": "deny", "reason": "prototype pollution",
   "match": {"ecosystem": "npm", "package": "lodash", "versions": "<4.17.21"}},
  {"id": "internal", "action": "deny", "enforced": true,
   "match": {"ecosystem": ["npm", "pypi"], "package": ["@acme/*", "acme-*"]}},
  {"id": "vetted", "action": "allow", "owner": "security", "ticket": "SEC-1",
   "expires": "2030-01-01",
   "match": {"ecosystem": "npm", "package": "@acme/ui", "attributes": {"tier": 1, "mirrored": true}}}
]}
"#;

fn compile(name: &str, text: &str) -> Result<Engine, package_policy::CompileError> {
    Engine::compile(&[LayerSource::new(name, text)])
}

#[test]
fn json_and_yaml_compile_to_the_same_policy() {
    let (y, j) = (
        compile("a.yaml", YAML).unwrap(),
        compile("a.json", JSON).unwrap(),
    );
    assert_eq!(y.digest(), j.digest());
    let now = "2026-06-01T00:00:00Z".parse().unwrap();
    for purl in [
        "pkg:npm/lodash@4.17.20",
        "pkg:npm/lodash@4.17.21",
        "pkg:npm/%40acme/ui@1.0.0",
        "pkg:pypi/acme-tools@1.0",
        "pkg:npm/left-pad@1.0.0",
    ] {
        let r = Request::from_purl(purl).unwrap();
        assert_eq!(y.evaluate(&r, now), j.evaluate(&r, now), "{purl}");
    }
    let r = Request::from_purl("pkg:npm/lodash@4.17.20").unwrap();
    assert_eq!(j.evaluate(&r, now).action, Action::Deny);
    // The reference evaluator reads JSON through the same loader.
    let reference = Reference::compile(&[LayerSource::new("a.json", JSON)]).unwrap();
    assert_eq!(reference.evaluate(&r, now), j.evaluate(&r, now));
}

#[test]
fn json_errors_are_typed_and_located() {
    // Unknown key: strict, with the line and column of the key's object.
    let e = compile(
        "bad.json",
        "{\"schema_version\": 1, \"layer\": \"x\",\n \"rulez\": []}",
    )
    .unwrap_err();
    assert_eq!(e.kind, CompileErrorKind::Syntax);
    assert!(e.message.contains("rulez"), "{e}");
    assert_eq!(e.line, Some(2), "{e}");

    // Wrong type deep inside: the position of the value.
    let text = "{\"schema_version\": 1, \"layer\": \"x\", \"rules\": [\n  {\"id\": \"r\", \"action\": \"deny\", \"enforced\": \"yes\", \"match\": {}}]}";
    let e = compile("bad.json", text).unwrap_err();
    assert_eq!(
        (e.kind.clone(), e.line),
        (CompileErrorKind::Syntax, Some(2)),
        "{e}"
    );
    assert!(
        !e.message.contains(" at line "),
        "position kept out of the message: {e}"
    );

    // Invalid values are found after parsing, with a path and a position.
    let text = "{\"schema_version\": 1, \"layer\": \"x\", \"rules\": [\n  {\"id\": \"r\", \"action\": \"deny\",\n   \"match\": {\"ecosystem\": \"npm\", \"versions\": \">=>1\"}}]}";
    let e = compile("bad.json", text).unwrap_err();
    assert_eq!(e.kind, CompileErrorKind::Invalid, "{e}");
    assert_eq!(e.path.as_deref(), Some("rules[0].match.versions"));
    assert_eq!(e.line, Some(3), "{e}");

    // A truncated document is not JSON: the YAML path reports it.
    let e = compile("bad.json", "{\"schema_version\": 1, \"layer\": ").unwrap_err();
    assert_eq!(e.kind, CompileErrorKind::Syntax);
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn flow_style_yaml_is_still_yaml() {
    let flow = "{schema_version: 1, layer: acme, rules: [{id: r, action: deny, match: {ecosystem: npm, package: evil}}]}";
    let engine = compile("flow.yaml", flow).unwrap();
    let r = Request::from_purl("pkg:npm/evil@1.0.0").unwrap();
    let now = "2026-06-01T00:00:00Z".parse().unwrap();
    assert_eq!(engine.evaluate(&r, now).action, Action::Deny);
}

#[test]
fn json_duplicate_keys_are_errors_even_when_escaped() {
    let text = "{\"schema_version\": 1, \"layer\": \"x\", \"rules\": [\n {\"id\": \"r\", \"action\": \"deny\", \"match\": {\"attributes\": {\"tier\": 1, \"ti\\u0065r\": 2}}}]}";
    let e = compile("dup.json", text).unwrap_err();
    assert_eq!((e.kind, e.line), (CompileErrorKind::Syntax, Some(2)));
    assert!(e.message.contains("duplicate key"), "{}", e.message);
}

#[test]
fn json_limits_hold() {
    // Nesting past Limits::yaml_depth fails at the bracket, before serde_json's own limit.
    let deep = format!(
        "{{\"schema_version\": 1, \"layer\": \"x\", \"rules\": [], \"x\": {}1{}}}",
        "[".repeat(100),
        "]".repeat(100)
    );
    let e = compile("deep.json", &deep).unwrap_err();
    assert_eq!(e.kind, CompileErrorKind::Limit);
    assert!(e.message.contains("nesting"), "{e}");

    // Brackets inside strings are not nesting.
    let text = format!(
        "{{\"schema_version\": 1, \"layer\": \"x\", \"rules\": [{{\"id\": \"r\", \"action\": \"deny\", \"reason\": \"{}\\\"{}\", \"match\": {{\"ecosystem\": \"npm\", \"package\": \"evil\"}}}}]}}",
        "[{".repeat(100),
        "}]".repeat(100)
    );
    compile("strings.json", &text).unwrap();

    // NUL and control characters, as for YAML.
    let e = compile("nul.json", "{\"schema_version\": 1,\u{0} \"layer\": \"x\"}").unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (CompileErrorKind::Syntax, Some(1), Some(22))
    );
}
