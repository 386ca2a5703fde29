//! Provenance facts and `unless` through the binary: `eval` JSON lines,
//! `explain` and `test` files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const POLICY: &str = "\
schema_version: 1
layer: acme
rules:
  - id: acme-trusted-publishing
    action: deny
    match: { ecosystem: npm, package: \"@acme/*\" }
    unless:
      provenance: { trusted_publisher: true, repository: \"github.com/acme/*\" }
  - id: no-downgrade
    action: deny
    match: { provenance_downgrade: true }
";

const TESTS: &str = "\
policies: [acme.yaml]
tests:
  - name: trusted publishing from an acme repository passes
    request:
      ecosystem: npm
      name: \"@acme/web\"
      version: 1.2.3
      provenance: { trusted_publisher: true, repository: github.com/acme/web }
    expect: { action: allow }
  - name: a token publish is refused
    request:
      ecosystem: npm
      name: \"@acme/web\"
      provenance: { attested: true, trusted_publisher: false, repository: github.com/acme/web }
    expect: { action: deny, matched: [acme-trusted-publishing] }
  - name: a downgrade is refused
    request:
      ecosystem: npm
      name: left-pad
      provenance: { attested: false }
      previous_provenance: { attested: true }
    expect: { action: deny, matched: [no-downgrade] }
";

fn dir() -> TempDir {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("acme.yaml"), POLICY).unwrap();
    std::fs::write(d.path().join("acme_test.yaml"), TESTS).unwrap();
    d
}

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

#[test]
fn eval_reads_provenance_facts_from_json_lines() {
    let d = dir();
    let input = concat!(
        r#"{"purl":"pkg:npm/%40acme/web@1.2.3","provenance":{"trusted_publisher":true,"repository":"github.com/acme/web"}}"#,
        "\n",
        r#"{"purl":"pkg:npm/%40acme/web@1.2.3","provenance":{"trusted_publisher":true,"repository":"github.com/evil/web"}}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"left-pad","provenance":{},"previous_provenance":{"attested":true}}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"x","provenance":{"trusted_publishr":true}}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"x","previous_provenance":{"attested":"yes"}}"#,
        "\n",
    );
    let out = bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml"])
        .write_stdin(input)
        .assert()
        .code(3)
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["action"], "allow");
    assert_eq!(lines[1]["action"], "deny");
    assert_eq!(lines[1]["matched"][0]["id"], "acme-trusted-publishing");
    assert_eq!(lines[2]["matched"][0]["id"], "no-downgrade");
    assert_eq!(lines[3]["kind"], "provenance", "{}", lines[3]);
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .contains("trusted_publishr"));
    assert_eq!(lines[4]["kind"], "provenance", "{}", lines[4]);
    assert!(lines[4]["error"]
        .as_str()
        .unwrap()
        .starts_with("previous_provenance"));
}

#[test]
fn explain_says_a_rule_was_exempted() {
    let d = dir();
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml"])
        .arg(r#"{"ecosystem":"npm","name":"@acme/web","provenance":{"trusted_publisher":true,"repository":"github.com/acme/web"}}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("exempted (`unless` holds)"));
}

#[test]
fn test_files_carry_provenance_facts() {
    let d = dir();
    bin()
        .current_dir(d.path())
        .args(["test", "acme_test.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS: 3/3"));
}
