//! `lint`, `diff` and `replay` end to end.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use serde_json::Value;
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

const LINTY: &str = "\
schema_version: 1
layer: acme
rules:
  - id: evil-scope
    action: deny
    match: { ecosystem: npm, package: \"@evil/*\" }
  - id: evil-one
    action: deny
    match: { ecosystem: npm, package: \"@evil/one\" }
  - id: waiver
    action: allow
    expires: 2026-12-05
    match: { ecosystem: npm, package: \"@evil/two\" }
";

#[test]
fn lint_prints_located_findings_and_fails_on_warnings() {
    let dir = files(&[("acme.yaml", LINTY)]);
    let out = bin()
        .current_dir(dir.path())
        .args([
            "lint",
            "--policy",
            "acme.yaml",
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(
        lines[0].starts_with("acme.yaml:7:5: warning[shadowed-rule] acme/evil-one: "),
        "{stdout}"
    );
    assert!(lines[1].starts_with("acme.yaml:10:5: warning[unaccountable-exception] acme/waiver: exception without owner, ticket;"), "{stdout}");
    assert!(
        lines[2].starts_with("acme.yaml:10:5: info[expiring-exception] acme/waiver: "),
        "{stdout}"
    );
    assert_eq!(lines.len(), 3, "{stdout}");
    // A shorter window: the expiry is no longer reported.
    let out = bin()
        .current_dir(dir.path())
        .args([
            "lint",
            "--policy",
            "acme.yaml",
            "--now",
            "2026-12-01T00:00:00Z",
            "--expiring",
            "2d",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let kinds: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["shadowed-rule", "unaccountable-exception"]);
    assert_eq!(v[0]["line"], 7);
    assert_eq!(v[0]["id"], "evil-one");
}

#[test]
fn lint_of_a_clean_policy_exits_zero_and_bad_input_two() {
    let clean = "schema_version: 1\nlayer: acme\nrules:\n  - id: a\n    action: deny\n    match: { ecosystem: npm, package: evil }\n";
    let dir = files(&[
        ("acme.yaml", clean),
        ("bad.yaml", "schema_version: 1\nlayer: x\nrules: 3\n"),
    ]);
    bin()
        .current_dir(dir.path())
        .args(["lint", "--policy", "acme.yaml"])
        .assert()
        .code(0);
    bin()
        .current_dir(dir.path())
        .args(["lint", "--policy", "bad.yaml"])
        .assert()
        .code(2);
    bin()
        .current_dir(dir.path())
        .args(["lint", "--policy", "acme.yaml", "--expiring", "2w"])
        .assert()
        .code(2);
}
