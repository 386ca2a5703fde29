//! Advisory feeds through the binary: `--feed NAME=PATH` supplies a feed
//! declared `kind: advisories`, and a cooldown with `unless: { fixes_advisory:
//! true }` lets the fix through; a declared but missing feed fails closed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

const POLICY: &str = "\
schema_version: 1
layer: acme
feeds:
  - { name: ghsa, format: osv, kind: advisories }
rules:
  - id: cooldown
    action: deny
    match: { published_within: 72h }
    unless: { fixes_advisory: true }
";

/// The core's real OSV records (tests/data/advisories, see its README).
fn advisories() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../package-policy/tests/data/advisories")
}

fn dir() -> TempDir {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("acme.yaml"), POLICY).unwrap();
    d
}

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

#[test]
fn eval_lets_the_fix_through_the_cooldown() {
    let d = dir();
    let feed = format!("ghsa={}", advisories().display());
    let input = concat!(
        r#"{"ecosystem":"npm","name":"lodash","version":"4.17.21","published_at":"2026-06-01T10:00:00Z"}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"lodash","version":"4.17.22","published_at":"2026-06-01T10:00:00Z"}"#,
        "\n",
        r#"{"ecosystem":"pypi","name":"django","version":"4.2.11","published_at":"2026-06-01T10:00:00Z"}"#,
        "\n",
    );
    let out = bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "acme.yaml",
            "--feed",
            &feed,
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
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["action"], "allow", "{}", lines[0]);
    assert_eq!(lines[1]["action"], "deny", "{}", lines[1]);
    assert_eq!(lines[1]["allowed_after"], "2026-06-04T10:00:00Z");
    assert_eq!(lines[2]["action"], "allow", "{}", lines[2]);
}

#[test]
fn a_declared_advisory_feed_that_is_not_given_fails_closed() {
    let d = dir();
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml"])
        .write_stdin("{\"purl\":\"pkg:npm/lodash@4.17.21\"}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "feed `ghsa` is declared but no data was given",
        ));
    // An empty file is no feed either.
    std::fs::write(d.path().join("empty.json"), "").unwrap();
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml", "--feed", "ghsa=empty.json"])
        .write_stdin("{\"purl\":\"pkg:npm/lodash@4.17.21\"}\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
}

#[test]
fn explain_shows_the_exemption() {
    let d = dir();
    let feed = format!("ghsa={}", advisories().display());
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml", "--feed", &feed, "--now", "2026-06-01T12:00:00Z"])
        .arg(r#"{"ecosystem":"npm","name":"lodash","version":"4.17.21","published_at":"2026-06-01T10:00:00Z"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("exempted (`unless` holds)"))
        .stdout(predicate::str::contains("decision: allow"));
}
