//! `allowed_after` through the binary: `eval`'s JSON and `explain`.
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
  - id: cooldown
    action: deny
    match: { ecosystem: npm, published_within: 72h }
  - id: evil
    action: deny
    match: { ecosystem: npm, package: evil }
";

fn dir() -> TempDir {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("acme.yaml"), POLICY).unwrap();
    d
}

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

#[test]
fn eval_says_when_a_cooldown_ends() {
    let d = dir();
    let input = concat!(
        r#"{"ecosystem":"npm","name":"left-pad","version":"1.3.0","published_at":"2026-06-01T02:00:00Z"}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"evil","version":"1.0.0","published_at":"2026-06-01T02:00:00Z"}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"left-pad","version":"1.3.0","published_at":"2026-05-01T02:00:00Z"}"#,
        "\n",
    );
    let out = bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "acme.yaml",
            "--now",
            "2026-06-01T12:00:00Z",
        ])
        .write_stdin(input)
        .assert()
        .code(0)
        .get_output()
        .clone();
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["action"], "deny");
    assert_eq!(lines[0]["allowed_after"], "2026-06-04T02:00:00Z");
    // Also held by a permanent deny: no time passing helps, no key.
    assert_eq!(lines[1]["action"], "deny");
    assert!(lines[1].get("allowed_after").is_none(), "{}", lines[1]);
    assert_eq!(lines[2]["action"], "allow");
    assert!(lines[2].get("allowed_after").is_none(), "{}", lines[2]);
}

#[test]
fn explain_says_when_a_cooldown_ends() {
    let d = dir();
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml", "--now", "2026-06-01T12:00:00Z"])
        .arg(r#"{"ecosystem":"npm","name":"left-pad","version":"1.3.0","published_at":"2026-06-01T02:00:00Z"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("allowed after 2026-06-04T02:00:00Z"));
}
