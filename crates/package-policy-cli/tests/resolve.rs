//! `package-policy resolve` through the binary: one answer per stdin line,
//! the chosen version or null, each newer refused version with its decision,
//! invalid versions reported, and a typed error line for a bad query.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const POLICY: &str = "\
schema_version: 1
layer: acme
rules:
  - id: lodash-bad
    action: deny
    reason: broken release
    match: { ecosystem: npm, package: lodash, versions: '4.17.22' }
  - id: cooldown
    action: deny
    match: { ecosystem: npm, published_within: 72h }
";

fn run(input: &str) -> (i32, Vec<Value>) {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("acme.yaml"), POLICY).unwrap();
    let out = Command::cargo_bin("package-policy")
        .unwrap()
        .current_dir(d.path())
        .args([
            "resolve",
            "--policy",
            "acme.yaml",
            "--now",
            "2026-06-01T12:00:00Z",
        ])
        .write_stdin(input)
        .output()
        .unwrap();
    let lines = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), lines)
}

#[test]
fn resolves_each_line() {
    let input = concat!(
        r#"{"ecosystem":"npm","name":"lodash","range":"^4.17.0","versions":["4.17.21","4.17.22","5.0.0","x.y"]}"#,
        "\n\n",
        r#"{"ecosystem":"npm","name":"left-pad","range":"*","versions":["1.3.0"],"published_at":"2026-06-01T10:00:00Z"}"#,
        "\n",
    );
    let (code, lines) = run(input);
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(lines.len(), 2);
    let a = &lines[0];
    assert_eq!(a["version"], "4.17.21");
    assert_eq!(a["decision"]["action"], "allow");
    assert_eq!(a["refused"].as_array().unwrap().len(), 1);
    assert_eq!(a["refused"][0]["version"], "4.17.22");
    assert_eq!(a["refused"][0]["action"], "deny");
    assert_eq!(a["refused"][0]["matched"][0]["reason"], "broken release");
    assert_eq!(a["invalid"][0]["version"], "x.y");
    assert_eq!(a["invalid"][0]["kind"], "version");
    let b = &lines[1];
    assert_eq!(b["version"], Value::Null);
    assert!(b.get("decision").is_none());
    assert_eq!(b["refused"][0]["version"], "1.3.0");
    assert_eq!(b["refused"][0]["allowed_after"], "2026-06-04T10:00:00Z");
}

#[test]
fn a_bad_line_gives_a_typed_error_line_and_the_rest_are_resolved() {
    let input = concat!(
        "not json\n",
        r#"{"ecosystem":"npm","name":"lodash","versions":["1.0.0"]}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"lodash","range":">>>","versions":["1.0.0"]}"#,
        "\n",
        r#"{"ecosystem":"nope","name":"lodash","range":"*","versions":["1.0.0"]}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"lodash","range":"*","versions":[1]}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"lodash","version":"1.0.0","range":"*","versions":["1.0.0"]}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"lodash","range":"*","versions":["1.0.0"]}"#,
        "\n",
    );
    let (code, lines) = run(input);
    // 3: some input was not evaluated (as `eval`).
    assert_eq!(code, 3, "{lines:?}");
    assert_eq!(lines.len(), 7);
    for l in &lines[..6] {
        assert!(l["error"].is_string(), "{l}");
    }
    assert!(lines[1]["error"].as_str().unwrap().contains("range"));
    assert_eq!(lines[2]["kind"], "version");
    assert_eq!(lines[3]["kind"], "ecosystem");
    assert_eq!(lines[6]["version"], "1.0.0");
}
