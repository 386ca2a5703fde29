//! Issue 18's evasions through the binary: inputs that used to fail open.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

fn files(list: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in list {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

/// A deny, and an exception whose `versions` was left blank (line 12).
const BLANK_VERSIONS: &str = "\
schema_version: 1
layer: acme
rules:
  - id: no-lodash
    action: deny
    match: { ecosystem: npm, package: lodash }
  - id: except-old-lodash
    action: allow
    match:
      ecosystem: npm
      package: lodash
      versions:
";

/// The same in JSON, with `null` on line 3.
const NULL_VERSIONS: &str = r#"{"schema_version": 1, "layer": "acme", "rules": [
  {"id": "no-lodash", "action": "deny", "match": {"ecosystem": "npm", "package": "lodash"}},
  {"id": "except", "action": "allow", "match": {"ecosystem": "npm", "package": "lodash", "versions": null}}]}
"#;

#[test]
fn check_rejects_a_blank_value_with_its_position() {
    let d = files(&[("acme.yaml", BLANK_VERSIONS), ("acme.json", NULL_VERSIONS)]);
    bin()
        .current_dir(d.path())
        .args(["check", "acme.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "acme.yaml:12:7: `versions` is blank (null)",
        ));
    bin()
        .current_dir(d.path())
        .args(["check", "acme.json"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with(
            "acme.json:3:102: `versions` is blank (null)",
        ));
}

#[test]
fn eval_refuses_a_policy_with_a_blank_value() {
    let d = files(&[("acme.yaml", BLANK_VERSIONS), ("acme.json", NULL_VERSIONS)]);
    for file in ["acme.yaml", "acme.json"] {
        bin()
            .current_dir(d.path())
            .args(["eval", "--policy", file, "pkg:npm/lodash@4.17.20"])
            .assert()
            .code(2)
            .stdout("")
            .stderr(predicate::str::contains("`versions` is blank (null)"));
    }
}
