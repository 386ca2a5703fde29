//! `package-policy compile` and `--engine`: bundles written once, loaded by
//! `eval`, `explain`, `scan` and `test`, with `--policy` layers stacked on top.
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

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

const INSTANCE: &str = "\
schema_version: 1
layer: instance
feeds:
  - { name: ossf, format: osv, action: deny, enforced: true }
rules:
  - id: event-stream-backdoor
    action: deny
    enforced: true
    match: { ecosystem: npm, package: event-stream }
  - id: left-pad-warn
    action: warn
    match: { ecosystem: npm, package: left-pad }
";

const PROJECT: &str = "\
schema_version: 1
layer: web
rules:
  - id: left-pad-ok
    action: allow
    match: { ecosystem: npm, package: left-pad }
";

const FEED: &str = r#"{"id":"MAL-2026-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"evil-pkg"},"versions":["1.0.0"]}]}"#;

fn dir() -> TempDir {
    let d = TempDir::new().unwrap();
    for (name, text) in [
        ("instance.yaml", INSTANCE),
        ("web.yaml", PROJECT),
        ("mal.json", FEED),
        ("package-lock.json", r#"{"name":"app","lockfileVersion":3,"packages":{"":{"name":"app"},"node_modules/left-pad":{"version":"1.3.0"},"node_modules/evil-pkg":{"version":"1.0.0"}}}"#),
        (
            "tests.yaml",
            "policies: [web.yaml]\nnow: 2026-06-01T00:00:00Z\ntests:\n  - name: feed deny holds\n    request: pkg:npm/evil-pkg@1.0.0\n    expect: { action: deny, matched: [MAL-2026-1] }\n  - name: project allow\n    request: pkg:npm/left-pad@1.3.0\n    expect: { action: allow }\n",
        ),
    ] {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

/// Compiles the instance layer with its feed into `instance.bundle`; returns stdout.
fn compile(d: &TempDir) -> String {
    let out = bin()
        .current_dir(d.path())
        .args([
            "compile",
            "--policy",
            "instance.yaml",
            "--feed",
            "ossf=mal.json",
            "-o",
            "instance.bundle",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    String::from_utf8(out.stdout).unwrap()
}

fn eval(d: &TempDir, args: &[&str]) -> Vec<Value> {
    let out = bin()
        .current_dir(d.path())
        .arg("eval")
        .args(args)
        .args(["pkg:npm/left-pad@1.3.0", "pkg:npm/evil-pkg@1.0.0"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn compile_prints_digest_and_rule_count() {
    let d = dir();
    let stdout = compile(&d);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    let digest = lines[0].strip_prefix("digest: ").unwrap();
    assert_eq!(digest.len(), 64);
    assert_eq!(lines[1], "rules: 3");
    let bytes = std::fs::read(d.path().join("instance.bundle")).unwrap();
    assert_eq!(&bytes[..8], b"PPBUNDLE");
}

#[test]
fn eval_on_a_bundle_equals_eval_on_the_layers() {
    let d = dir();
    compile(&d);
    let from_layers = eval(
        &d,
        &[
            "--policy",
            "instance.yaml",
            "--feed",
            "ossf=mal.json",
            "--policy",
            "web.yaml",
        ],
    );
    let from_bundle = eval(&d, &["--engine", "instance.bundle", "--policy", "web.yaml"]);
    assert_eq!(from_bundle, from_layers);
    assert_eq!(from_bundle[0]["action"], "allow");
    assert_eq!(from_bundle[1]["action"], "deny");
    // The bundle alone: the project's exception is not there.
    let alone = eval(&d, &["--engine", "instance.bundle"]);
    assert_eq!(alone[0]["action"], "warn");
}

#[test]
fn a_bundle_of_a_stack_equals_its_layers() {
    let d = dir();
    compile(&d);
    bin()
        .current_dir(d.path())
        .args([
            "compile",
            "--engine",
            "instance.bundle",
            "--policy",
            "web.yaml",
            "-o",
            "web.bundle",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("rules: 4"));
    let flat = eval(
        &d,
        &[
            "--policy",
            "instance.yaml",
            "--feed",
            "ossf=mal.json",
            "--policy",
            "web.yaml",
        ],
    );
    assert_eq!(eval(&d, &["--engine", "web.bundle"]), flat);
}

#[test]
fn explain_scan_and_test_take_an_engine() {
    let d = dir();
    compile(&d);
    bin()
        .current_dir(d.path())
        .args([
            "explain",
            "--engine",
            "instance.bundle",
            "--policy",
            "web.yaml",
            "pkg:npm/left-pad@1.3.0",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("left-pad-ok"));
    bin()
        .current_dir(d.path())
        .args([
            "scan",
            "--engine",
            "instance.bundle",
            "--policy",
            "web.yaml",
            "--format",
            "json",
            "package-lock.json",
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("evil-pkg"));
    bin()
        .current_dir(d.path())
        .args(["test", "--engine", "instance.bundle", "tests.yaml"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS: 2/2"));
}

#[test]
fn bad_bundles_are_usage_errors_with_their_kind() {
    let d = dir();
    compile(&d);
    let mut bytes = std::fs::read(d.path().join("instance.bundle")).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(d.path().join("bad.bundle"), &bytes).unwrap();
    bin()
        .current_dir(d.path())
        .args(["eval", "--engine", "bad.bundle", "pkg:npm/x@1.0.0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.bundle: bundle (checksum)"));
    bin()
        .current_dir(d.path())
        .args(["eval", "--engine", "instance.yaml", "pkg:npm/x@1.0.0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bundle (foreign)"));
    // Neither an engine nor a policy.
    bin()
        .current_dir(d.path())
        .args(["eval", "pkg:npm/x@1.0.0"])
        .assert()
        .code(2);
    // The feed was compiled into the bundle; giving it again is an error.
    bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--engine",
            "instance.bundle",
            "--policy",
            "web.yaml",
            "--feed",
            "ossf=mal.json",
            "pkg:npm/x@1.0.0",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ossf"));
}
