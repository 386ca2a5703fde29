//! End-to-end tests of the `package-policy` binary: every subcommand, every
//! exit status and the error format.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tempfile::TempDir;

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A temporary directory holding the given files.
fn files(list: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in list {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const ACME: &str = "\
schema_version: 1
layer: acme
rules:
  - id: event-stream-backdoor
    action: deny
    reason: flatmap-stream backdoor
    enforced: true
    match: { ecosystem: npm, package: event-stream }
  - id: left-pad-warn
    action: warn
    match: { ecosystem: npm, package: left-pad }
  - id: temporary-ban
    action: deny
    expires: 2026-01-01
    match: { ecosystem: npm, package: colors }
";

const PROJECT: &str = "\
schema_version: 1
layer: web
rules:
  - id: left-pad-ok
    action: allow
    reason: vendored and reviewed
    owner: secteam@acme.example
    ticket: SEC-1234
    match: { ecosystem: npm, package: left-pad }
  - id: try-to-allow-event-stream
    action: allow
    match: { ecosystem: npm, package: event-stream }
";

/// `action: dney` on line 5, column 13.
const TYPO: &str = "\
schema_version: 1
layer: typo
rules:
  - id: x
    action: dney
    match: { ecosystem: npm, package: x }
";

fn policies() -> TempDir {
    files(&[
        ("acme.yaml", ACME),
        ("web.yaml", PROJECT),
        ("typo.yaml", TYPO),
    ])
}

fn stdout_lines(out: &std::process::Output) -> Vec<Value> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

// ---- check ----------------------------------------------------------------

#[test]
fn check_accepts_a_valid_policy_set() {
    let d = policies();
    bin()
        .current_dir(d.path())
        .args(["check", "acme.yaml", "web.yaml"])
        .assert()
        .code(0)
        .stderr("");
}

#[test]
fn check_reports_file_line_column_and_a_caret() {
    let d = policies();
    let out = bin()
        .current_dir(d.path())
        .args(["check", "acme.yaml", "typo.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert!(
        lines[0].starts_with("typo.yaml:5:13: ") && lines[0].contains("dney"),
        "{err}"
    );
    assert_eq!(lines[1].trim_start(), "--> typo.yaml:5:13");
    assert_eq!(lines[3], "5 |     action: dney");
    // The caret sits under column 13 of the quoted line.
    let caret_col = lines[4].find('^').unwrap() - "5 | ".len() + 1;
    assert_eq!(caret_col, 13, "{err}");
}

/// `check --format json` names each error's kind as the core does (the names
/// Ruby's `PolicyError#kind` has too), for every kind `check` can meet.
#[test]
fn check_json_names_every_error_kind() {
    use package_policy::CompileErrorKind as K;
    let rule = |r: &str| format!("schema_version: 1\nlayer: l\nrules:\n{r}");
    for kind in K::ALL {
        let text = match kind {
            K::Syntax => "schema_version: 1\nlayer: l\nrules: [\n".to_owned(),
            K::Invalid => rule("  - { id: a, action: deny, match: { ecosystem: npm, versions: '>= nope' } }\n"),
            K::Duplicate => rule(
                "  - { id: a, action: deny, match: { ecosystem: npm } }\n  - { id: a, action: deny, match: { ecosystem: pypi } }\n",
            ),
            K::Limit => rule(&format!(
                "  - {{ id: {}, action: deny, match: {{ ecosystem: npm }} }}\n",
                "a".repeat(200)
            )),
            // A declared feed that is not supplied: check has no --feed.
            K::Feed => "schema_version: 1\nlayer: l\nfeeds:\n  - { name: mal, format: osv, action: deny }\nrules: []\n".to_owned(),
            _ => panic!("no trigger for {kind}"),
        };
        let d = files(&[("p.yaml", &text)]);
        let out = bin()
            .current_dir(d.path())
            .args(["check", "--format", "json", "p.yaml"])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        if kind == K::Feed && v["ok"] == true {
            // validate checks layers alone; a feed is checked where it is supplied.
            assert_eq!(out.status.code(), Some(0));
            continue;
        }
        assert_eq!(out.status.code(), Some(1), "{kind}: {v}");
        assert_eq!(v["ok"], false);
        assert_eq!(v["errors"][0]["kind"], kind.as_str(), "{v}");
        assert_eq!(v["errors"][0]["source"], "p.yaml");
    }
}

/// `eval` names what is wrong with a request as the core does (the names
/// Ruby's `RequestError#kind` has too).
#[test]
fn eval_json_names_every_request_error_kind() {
    use package_policy::RequestErrorKind as K;
    let d = policies();
    for kind in K::ALL {
        let line = match kind {
            K::Purl => r#""npm/left-pad""#.to_owned(),
            K::Ecosystem => r#"{"ecosystem": "cobol", "name": "x"}"#.to_owned(),
            K::Name => r#"{"ecosystem": "npm", "name": "has space"}"#.to_owned(),
            K::Version => r#"{"ecosystem": "npm", "name": "x", "version": " 1.0.0"}"#.to_owned(),
            K::License => r#"{"ecosystem": "npm", "name": "x", "license": "MIT AND ("}"#.to_owned(),
            K::Time => {
                r#"{"ecosystem": "npm", "name": "x", "published_at": "yesterday"}"#.to_owned()
            }
            K::Project => r#"{"ecosystem": "npm", "name": "x", "project": "has space"}"#.to_owned(),
            K::Limit => format!(r#"{{"ecosystem": "npm", "name": "{}"}}"#, "x".repeat(5000)),
            K::Provenance => {
                r#"{"ecosystem": "npm", "name": "x", "provenance": {"atested": true}}"#.to_owned()
            }
            // JSON attribute values are typed by the schema (a float is a
            // schema error); only the Ruby binding converts them itself.
            K::Attributes => continue,
            _ => panic!("no trigger for {kind}"),
        };
        let line = if line.starts_with('"') {
            format!(r#"{{"purl": {line}}}"#)
        } else {
            line
        };
        let out = bin()
            .current_dir(d.path())
            .args(["eval", "--policy", "acme.yaml"])
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(3), "{kind}");
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["kind"], kind.as_str(), "{kind}: {v}");
    }
    // A schema error is no request kind: no `kind`.
    let out = bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml"])
        .write_stdin("{\"ecosystem\": \"npm\", \"nmae\": \"x\"}\n")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["error"].is_string() && v.get("kind").is_none(), "{v}");
}

#[test]
fn check_reports_every_invalid_rule() {
    let d = files(&[(
        "two.yaml",
        "schema_version: 1\nlayer: two\nrules:\n  - { id: a, action: allow, enforced: true, match: { package: x } }\n  - { id: b, action: deny, match: { ecosystem: npm, versions: \">=>1\" } }\n",
    )]);
    let out = bin()
        .current_dir(d.path())
        .args(["check", "two.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    let arrows: Vec<&str> = err
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .collect();
    assert_eq!(arrows.len(), 2, "{err}");
    assert!(
        arrows[0].starts_with("two.yaml:4:") && arrows[1].starts_with("two.yaml:5:"),
        "{err}"
    );
}

/// A one-line JSON layer of `n` rules with an invalid range each, about
/// 1.1 MB at 3,000 rules (issue 18: `check` of such a layer printed 8 GB).
fn minified_invalid_layer(n: usize) -> String {
    let rules: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","action":"deny","reason":"{pad}","match":{{"ecosystem":"pypi","package":"p{i}","versions":["==1.0", ">=>{i}"]}}}}"#,
                pad = "x".repeat(250)
            )
        })
        .collect();
    format!(
        r#"{{"schema_version":1,"layer":"big","rules":[{}]}}"#,
        rules.join(",")
    )
}

#[test]
fn check_caps_the_errors_and_quotes_a_window_of_a_long_line() {
    let layer = minified_invalid_layer(3_000);
    assert!(layer.len() > 1_000_000 && !layer.contains('\n'));
    let d = files(&[("big.json", &layer)]);
    let run = |args: &[&str]| {
        let out = bin()
            .current_dir(d.path())
            .args(args)
            .assert()
            .code(1)
            .get_output()
            .clone();
        String::from_utf8(out.stderr).unwrap()
    };
    let err = run(&["check", "big.json"]);
    let arrows = err
        .lines()
        .filter(|l| l.contains("--> big.json:1:"))
        .count();
    assert_eq!(arrows, 100, "the default cap");
    assert!(
        err.contains("... and 2900 more errors"),
        "{}",
        &err[err.len() - 300..]
    );
    // Each error: a message (the range text), its position and a window of
    // the line of at most ~120 characters: far from the 1.1 MB line.
    assert!(err.len() < 100 * 600, "{} bytes", err.len());
    for quoted in err.lines().filter(|l| l.starts_with("1 | ")) {
        assert!(quoted.chars().count() <= "1 | ".len() + 126, "{quoted}");
    }
    // The caret still points at the offending value.
    let lines: Vec<&str> = err.lines().collect();
    let at = lines.iter().position(|l| l.starts_with("1 | ")).unwrap();
    let caret = lines[at + 1].find('^').unwrap();
    assert!(lines[at][caret..].starts_with("\">=>0\""), "{}", lines[at]);

    let ten = run(&["check", "--max-errors", "10", "big.json"]);
    assert_eq!(ten.lines().filter(|l| l.contains("--> ")).count(), 10);
    assert!(ten.contains("... and 2990 more errors"));
    let all = run(&["check", "--max-errors", "0", "big.json"]);
    assert_eq!(all.lines().filter(|l| l.contains("--> ")).count(), 3_000);
    assert!(!all.contains("more error"));
    assert!(all.len() < 3_000 * 600, "{} bytes", all.len());
}

#[test]
fn check_rejects_duplicate_layer_names() {
    let d = policies();
    bin()
        .current_dir(d.path())
        .args(["check", "acme.yaml", "acme.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("acme.yaml").and(predicate::str::contains("duplicate")));
}

#[test]
fn check_reports_an_unreadable_file() {
    bin()
        .args(["check", "/nonexistent/policy.yaml"])
        .assert()
        .code(1)
        .stderr(predicate::str::starts_with("/nonexistent/policy.yaml: "));
}

#[test]
fn check_without_files_is_a_usage_error() {
    bin().arg("check").assert().code(2);
}

// ---- eval -----------------------------------------------------------------

#[test]
fn eval_writes_one_decision_per_purl_in_order() {
    let d = policies();
    let out = bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml", "--policy", "web.yaml"])
        .args(["--now", "2025-06-01T00:00:00Z"])
        .args([
            "pkg:npm/event-stream@3.3.6",
            "pkg:npm/left-pad@1.3.0",
            "pkg:npm/lodash@4.17.21",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 3);
    // Enforced deny in the outer layer: the project's allow cannot suppress it.
    assert_eq!(
        lines[0].to_string(),
        r#"{"action":"deny","matched":[{"layer":"acme","id":"event-stream-backdoor","action":"deny","reason":"flatmap-stream backdoor"}],"allowed_by":[{"layer":"web","id":"try-to-allow-event-stream","action":"allow"}],"suppressed":[],"default":false}"#
    );
    // A warn that is not enforced is suppressed; owner and ticket are carried.
    assert_eq!(lines[1]["action"], "allow");
    assert_eq!(lines[1]["suppressed"][0]["id"], "left-pad-warn");
    assert_eq!(lines[1]["suppressed"][0]["by"]["id"], "left-pad-ok");
    assert_eq!(lines[1]["allowed_by"][0]["owner"], "secteam@acme.example");
    assert_eq!(lines[1]["allowed_by"][0]["ticket"], "SEC-1234");
    assert!(lines[1]["suppressed"][0].get("reason").is_none());
    assert_eq!(lines[2]["default"], true);
}

#[test]
fn eval_now_decides_whether_a_rule_has_expired() {
    let d = policies();
    let at = |now: &str| {
        let out = bin()
            .current_dir(d.path())
            .args([
                "eval",
                "--policy",
                "acme.yaml",
                "--now",
                now,
                "pkg:npm/colors@1.4.1",
            ])
            .assert()
            .code(0)
            .get_output()
            .clone();
        stdout_lines(&out)[0]["action"].as_str().unwrap().to_owned()
    };
    assert_eq!(at("2025-12-31T23:59:59Z"), "deny");
    assert_eq!(at("2026-01-01T00:00:00Z"), "allow");
}

#[test]
fn eval_reads_json_lines_and_goes_on_after_a_bad_request() {
    let d = policies();
    let input = concat!(
        r#"{"purl":"pkg:npm/event-stream@3.3.6"}"#,
        "\n\n",
        "not json\n",
        r#"{"ecosystem":"npm","name":"left-pad","version":"1.3.0"}"#,
        "\n",
        r#"{"ecosystem":"npm","name":"x","versoin":"1"}"#,
        "\n",
        r#"{"ecosystem":"cobol","name":"x"}"#,
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
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 5, "the blank line is not a request");
    assert_eq!(lines[0]["action"], "deny");
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["action"], "warn");
    assert!(lines[3]["error"].as_str().unwrap().contains("versoin"));
    assert!(lines[4]["error"].as_str().unwrap().contains("cobol"));
}

#[test]
fn eval_survives_a_line_that_is_not_utf8() {
    let d = policies();
    let mut input = b"\xff\xfe\n".to_vec();
    input.extend_from_slice(b"{\"purl\":\"pkg:npm/left-pad@1.0.0\"}\n");
    let out = bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml"])
        .write_stdin(input)
        .assert()
        .code(3)
        .get_output()
        .clone();
    let lines = stdout_lines(&out);
    assert!(lines[0]["error"].as_str().unwrap().contains("UTF-8"));
    assert_eq!(lines[1]["action"], "warn");
}

#[test]
fn eval_with_a_bad_purl_argument_exits_3() {
    let d = policies();
    let out = bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "acme.yaml",
            "npm/left-pad",
            "pkg:npm/left-pad@1.0.0",
        ])
        .assert()
        .code(3)
        .get_output()
        .clone();
    let lines = stdout_lines(&out);
    assert!(lines[0]["error"].as_str().unwrap().contains("pkg:"));
    assert_eq!(lines[1]["action"], "warn");
}

#[test]
fn eval_policy_error_exits_2_with_location() {
    let d = policies();
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "typo.yaml", "pkg:npm/x@1"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("typo.yaml:5:13: ").and(predicate::str::contains("^")));
}

#[test]
fn eval_usage_errors_exit_2() {
    let d = policies();
    // No --policy.
    bin().args(["eval", "pkg:npm/x@1"]).assert().code(2);
    // --now that is not RFC 3339.
    bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "acme.yaml",
            "--now",
            "yesterday",
            "pkg:npm/x@1",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--now"));
    // Unknown subcommand and unknown flag.
    bin().arg("evaluate").assert().code(2);
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "acme.yaml", "--polcy", "x"])
        .assert()
        .code(2);
}

// ---- explain --------------------------------------------------------------

#[test]
fn explain_names_the_winner_and_the_suppressions() {
    let d = policies();
    let out = bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml", "--policy", "web.yaml"])
        .arg("pkg:npm/left-pad@1.3.0")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    // Every rule with its outcome: matched, the first failed condition, or expired.
    let outcome = |rule: &str| -> String {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{rule} ")))
            .unwrap_or_else(|| panic!("{rule} missing:\n{text}"));
        line.rsplit("  ").next().unwrap().trim().to_owned()
    };
    assert_eq!(
        outcome("acme/event-stream-backdoor"),
        "`package` does not hold"
    );
    assert_eq!(outcome("acme/left-pad-warn"), "matched");
    assert_eq!(outcome("acme/temporary-ban"), "inactive (expired)");
    assert_eq!(outcome("web/left-pad-ok"), "matched");
    assert!(text.contains("decision: allow"), "{text}");
    assert!(
        text.contains(
            "acme/left-pad-warn (warn) matched but is suppressed by web/left-pad-ok: it is not enforced"
        ),
        "{text}"
    );
    assert!(
        text.contains("[owner secteam@acme.example] [ticket SEC-1234]"),
        "{text}"
    );
}

#[test]
fn explain_says_why_an_enforced_rule_survives() {
    let d = policies();
    let out = bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml", "--policy", "web.yaml"])
        .arg("pkg:npm/event-stream@3.3.6")
        .assert()
        .code(0)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("decision: deny"), "{text}");
    assert!(
        text.contains("acme/event-stream-backdoor (deny): flatmap-stream backdoor decides"),
        "{text}"
    );
    assert!(
        text.contains("cannot suppress an enforced rule of an outer layer:\n    web/try-to-allow-event-stream (allow)"),
        "{text}"
    );
}

#[test]
fn explain_says_when_the_default_applied() {
    let d = policies();
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml"])
        .arg(r#"{"ecosystem":"npm","name":"lodash","version":"4.17.21"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains("effective default"));
}

#[test]
fn explain_exit_codes() {
    let d = policies();
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "acme.yaml", "nonsense"])
        .assert()
        .code(3);
    bin()
        .current_dir(d.path())
        .args(["explain", "--policy", "typo.yaml", "pkg:npm/x@1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--> typo.yaml:5:13"));
}

// ---- test -----------------------------------------------------------------

const TESTS_PASSING: &str = "\
policies: [acme.yaml, web.yaml]
now: 2025-06-01T00:00:00Z
tests:
  - name: event-stream stays blocked
    request: pkg:npm/event-stream@3.3.6
    expect: { action: deny, matched: [event-stream-backdoor] }
  - name: left-pad exception
    request: { ecosystem: npm, name: left-pad, version: 1.3.0 }
    expect: { action: allow, matched: [] }
  - name: the temporary ban ends
    now: 2026-02-01T00:00:00Z
    request: pkg:npm/colors@1.4.1
    expect: { action: allow }
";

const TESTS_FAILING: &str = "\
policies: [acme.yaml]
tests:
  - name: passes
    request: pkg:npm/event-stream@3.3.6
    expect: { action: deny }
  - name: wrong expectation
    request: pkg:npm/left-pad@1.3.0
    expect: { action: allow, matched: [left-pad-ok] }
";

#[test]
fn test_passes() {
    let d = policies();
    std::fs::write(d.path().join("policy_test.yaml"), TESTS_PASSING).unwrap();
    // Run from elsewhere: policy paths are relative to the test file.
    bin()
        .current_dir(std::env::temp_dir())
        .arg("test")
        .arg(d.path().join("policy_test.yaml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("PASS: 3/3"));
}

#[test]
fn test_failure_shows_a_diff() {
    let d = policies();
    std::fs::write(d.path().join("t.yaml"), TESTS_FAILING).unwrap();
    let out = bin()
        .current_dir(d.path())
        .args(["test", "t.yaml"])
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("ok   passes"), "{text}");
    assert!(text.contains("FAIL wrong expectation"), "{text}");
    assert!(
        text.contains("- action: allow\n    + action: warn"),
        "{text}"
    );
    assert!(
        text.contains("- matched: [left-pad-ok]\n    + matched: [left-pad-warn]"),
        "{text}"
    );
    assert!(text.contains("FAIL: 1/2"), "{text}");
}

#[test]
fn test_file_errors_exit_2() {
    let d = policies();
    std::fs::write(
        d.path().join("unknown-key.yaml"),
        "policies: [acme.yaml]\ntest: []\n",
    )
    .unwrap();
    bin()
        .current_dir(d.path())
        .args(["test", "unknown-key.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown-key.yaml:2:1"));
    std::fs::write(
        d.path().join("bad-policy.yaml"),
        "policies: [typo.yaml]\ntests: []\n",
    )
    .unwrap();
    bin()
        .current_dir(d.path())
        .args(["test", "bad-policy.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo.yaml:5:13"));
    bin().args(["test", "/nonexistent.yaml"]).assert().code(2);
}

// ---- scan -----------------------------------------------------------------

/// Denies one package known to be in each fixture.
const DENY_ONE_PER_FIXTURE: &str = "\
schema_version: 1
layer: scan
rules:
  - { id: npm-lock, action: deny, reason: test, match: { ecosystem: npm, package: chalk } }
  - { id: yarn, action: deny, match: { ecosystem: npm, package: '@babel/parser' } }
  - { id: gem, action: deny, match: { ecosystem: rubygems, package: avo-pro } }
  - { id: poetry, action: deny, match: { ecosystem: pypi, package: anyio } }
  - { id: pip, action: deny, match: { ecosystem: pypi, package: Jinja2 } }
  - { id: go, action: deny, match: { ecosystem: golang, package: github.com/spf13/pflag } }
  - { id: crate, action: deny, match: { ecosystem: cargo, package: aho-corasick } }
  - { id: warn-only, action: warn, match: { ecosystem: npm, package: '@babel/types' } }
";

const ALLOW_ALL: &str = "schema_version: 1\nlayer: open\n";

fn scan_json(policy: &Path, lockfile: &str) -> (i32, Vec<Value>) {
    let out = bin()
        .arg("scan")
        .arg("--policy")
        .arg(policy)
        .arg(fixture(lockfile))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    (out.status.code().unwrap(), v.as_array().unwrap().clone())
}

#[test]
fn scan_finds_the_denied_package_in_every_fixture() {
    let d = files(&[
        ("scan.yaml", DENY_ONE_PER_FIXTURE),
        ("open.yaml", ALLOW_ALL),
    ]);
    for (lockfile, name, version) in [
        ("package-lock.json", "chalk", "2.4.2"),
        ("yarn.lock", "@babel/parser", "7.29.7"),
        ("Gemfile.lock", "avo-pro", "3.32.4"),
        ("poetry.lock", "anyio", "4.13.0"),
        ("requirements.txt", "jinja2", "3.1.6"),
        ("go.sum", "github.com/spf13/pflag", "v1.0.9"),
        ("Cargo.lock", "aho-corasick", "1.1.5"),
        ("cyclonedx.json", "@babel/types", "7.21.2"),
    ] {
        let (code, rows) = scan_json(&d.path().join("scan.yaml"), lockfile);
        let row = rows
            .iter()
            .find(|r| r["name"] == name && r["version"] == version)
            .unwrap_or_else(|| panic!("{lockfile}: {name} {version} not found"));
        let expected = if lockfile == "cyclonedx.json" {
            "warn"
        } else {
            "deny"
        };
        assert_eq!(row["action"], expected, "{lockfile}");
        let denied = rows.iter().filter(|r| r["action"] == "deny").count();
        assert_eq!(code, if denied > 0 { 1 } else { 0 }, "{lockfile}");
        // Nothing is denied by an open policy.
        let (code, open_rows) = scan_json(&d.path().join("open.yaml"), lockfile);
        assert_eq!(code, 0, "{lockfile}");
        assert_eq!(open_rows.len(), rows.len());
    }
}

#[test]
fn scan_go_sum_lists_each_module_version_once() {
    let d = files(&[("open.yaml", ALLOW_ALL)]);
    let (_, rows) = scan_json(&d.path().join("open.yaml"), "go.sum");
    let text = std::fs::read_to_string(fixture("go.sum")).unwrap();
    let mut expected: Vec<(String, String)> = text
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_owned(), f[1].trim_end_matches("/go.mod").to_owned())
        })
        .collect();
    expected.dedup();
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["version"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn scan_table_has_the_columns_and_the_reason() {
    let d = files(&[("scan.yaml", DENY_ONE_PER_FIXTURE)]);
    let out = bin()
        .arg("scan")
        .arg("--policy")
        .arg(d.path().join("scan.yaml"))
        .arg(fixture("package-lock.json"))
        .assert()
        .code(1)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["PACKAGE", "VERSION", "ACTION", "RULE", "REASON"]);
    let chalk: Vec<&str> = text
        .lines()
        .find(|l| l.starts_with("chalk "))
        .unwrap()
        .split_whitespace()
        .collect();
    assert_eq!(chalk, ["chalk", "2.4.2", "deny", "scan/npm-lock", "test"]);
    assert!(text.contains("1 denied"), "{text}");
}

#[test]
fn scan_format_override_and_detection_failures() {
    let d = files(&[
        ("open.yaml", ALLOW_ALL),
        ("notes.txt", "hello world\nthis is not a lockfile\n"),
    ]);
    let policy = d.path().join("open.yaml");
    // Undetectable content.
    bin()
        .arg("scan")
        .arg("--policy")
        .arg(&policy)
        .arg(d.path().join("notes.txt"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--lockfile-format"));
    // A forced format that does not fit names the line.
    bin()
        .arg("scan")
        .arg("--policy")
        .arg(&policy)
        .arg(fixture("Gemfile.lock"))
        .args(["--lockfile-format", "go-sum"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Gemfile.lock:1:1: "));
    // A forced format that fits is used.
    bin()
        .arg("scan")
        .arg("--policy")
        .arg(&policy)
        .arg(fixture("go.sum"))
        .args(["--lockfile-format", "go-sum"])
        .assert()
        .code(0);
}

#[test]
fn scan_reports_unevaluated_packages_with_exit_3() {
    let lock = r#"{"lockfileVersion": 3, "packages": {
        "": {"name": "app"},
        "node_modules/ok": {"version": "1.0.0"},
        "node_modules/bad name": {"version": "1.0.0"}
    }}"#;
    let d = files(&[("open.yaml", ALLOW_ALL), ("package-lock.json", lock)]);
    // Whitespace makes the name a request error: reported, never a silent allow.
    let out = bin()
        .arg("scan")
        .arg("--policy")
        .arg(d.path().join("open.yaml"))
        .arg(d.path().join("package-lock.json"))
        .assert()
        .code(3)
        .get_output()
        .clone();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.lines()
            .any(|l| l.starts_with("bad name") && l.contains("error")),
        "{text}"
    );
    assert!(text.contains("1 not evaluated"), "{text}");
}

#[test]
fn scan_shows_progress_over_ten_thousand_packages() {
    let mut big = String::new();
    for i in 0..10_001 {
        big.push_str(&format!("pkg-{i}==1.0.{i}\n"));
    }
    let d = files(&[("open.yaml", ALLOW_ALL), ("requirements.txt", &big)]);
    let out = bin()
        .arg("scan")
        .arg("--policy")
        .arg(d.path().join("open.yaml"))
        .arg(d.path().join("requirements.txt"))
        .args(["--format", "json"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("scan: 10000/10001 packages"), "{err}");
    // Below the threshold: quiet.
    let small = files(&[("open.yaml", ALLOW_ALL), ("requirements.txt", "a==1\n")]);
    bin()
        .arg("scan")
        .arg("--policy")
        .arg(small.path().join("open.yaml"))
        .arg(small.path().join("requirements.txt"))
        .assert()
        .code(0)
        .stderr("");
}

// ---- feeds ----------------------------------------------------------------

const FEED_LAYER: &str = "\
schema_version: 1
layer: intel
feeds:
  - { name: ossf, format: osv, action: deny, enforced: true, reason_prefix: 'malicious: ' }
";

fn osv(id: &str, eco: &str, name: &str, versions: &[&str]) -> String {
    serde_json::json!({
        "id": id, "summary": format!("Malicious code in {name}"),
        "affected": [{"package": {"ecosystem": eco, "name": name}, "versions": versions}]
    })
    .to_string()
}

#[test]
fn feed_from_a_json_lines_file() {
    let lines = [
        osv("MAL-1", "npm", "evil", &["1.0.0"]),
        osv("MAL-2", "PyPI", "bad", &[]),
        r#"{"id": "MAL-3", "affected": "nope"}"#.to_owned(),
    ]
    .join("\n");
    let d = files(&[("intel.yaml", FEED_LAYER), ("ossf.jsonl", &lines)]);
    let out = bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "intel.yaml",
            "--feed",
            "ossf=ossf.jsonl",
        ])
        .args([
            "pkg:npm/evil@1.0.0",
            "pkg:npm/evil@1.0.1",
            "pkg:pypi/bad@9.9",
        ])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let lines = stdout_lines(&out);
    assert_eq!(lines[0]["matched"][0]["id"], "MAL-1");
    assert_eq!(
        lines[0]["matched"][0]["reason"],
        "malicious: Malicious code in evil"
    );
    assert_eq!(lines[1]["action"], "allow");
    assert_eq!(lines[2]["action"], "deny");
    // The invalid record is reported with its file, line and id, and skipped.
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("ossf.jsonl:3: "), "{err}");
    // --strict turns it into a failure.
    bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "intel.yaml",
            "--feed",
            "ossf=ossf.jsonl",
            "--strict",
        ])
        .arg("pkg:npm/evil@1.0.0")
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::starts_with("ossf.jsonl:3:1: "));
}

#[test]
fn feed_from_a_directory_of_records() {
    let d = files(&[("intel.yaml", FEED_LAYER)]);
    let dir = d.path().join("osv/malicious/npm/evil");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("MAL-1.json"),
        osv("MAL-1", "npm", "evil", &["1.0.0"]),
    )
    .unwrap();
    std::fs::write(dir.join("README.md"), "not a record").unwrap();
    let gems = d.path().join("osv/malicious/rubygems/bad");
    std::fs::create_dir_all(&gems).unwrap();
    std::fs::write(
        gems.join("MAL-2.json"),
        osv("MAL-2", "RubyGems", "bad", &[]),
    )
    .unwrap();
    let out = bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "intel.yaml", "--feed", "ossf=osv"])
        .args(["pkg:npm/evil@1.0.0", "pkg:gem/bad@1.0"])
        .assert()
        .code(0)
        .get_output()
        .clone();
    let lines = stdout_lines(&out);
    assert_eq!(lines[0]["matched"][0]["id"], "MAL-1");
    assert_eq!(lines[1]["matched"][0]["id"], "MAL-2");
}

#[test]
fn feed_errors_exit_2() {
    let d = files(&[("intel.yaml", FEED_LAYER), ("x.json", "[]")]);
    // Declared but not supplied: the policy would silently be weaker.
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "intel.yaml", "pkg:npm/x@1.0.0"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("feed `ossf` is declared"));
    // Supplied but not declared: a typo.
    bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "intel.yaml",
            "--feed",
            "ossf=x.json",
            "--feed",
            "osf=x.json",
        ])
        .arg("pkg:npm/x@1.0.0")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`osf`"));
    for bad in ["ossf", "ossf=", "ossf=missing.json"] {
        bin()
            .current_dir(d.path())
            .args([
                "eval",
                "--policy",
                "intel.yaml",
                "--feed",
                bad,
                "pkg:npm/x@1.0.0",
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("--feed"));
    }
    // `check` needs no feed data.
    bin()
        .current_dir(d.path())
        .args(["check", "intel.yaml"])
        .assert()
        .code(0);
}

// ---- the shipped examples ---------------------------------------------------

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies")
}

#[test]
fn the_example_policies_pass_their_tests() {
    bin()
        .arg("test")
        .arg(examples().join("policy_test.yaml"))
        .assert()
        .code(0)
        .stdout(predicate::str::contains("FAIL").not());
}

#[test]
fn the_example_policies_scan_a_real_lockfile() {
    let e = examples();
    let out = bin()
        .arg("scan")
        .args(["--now", "2026-11-25T12:00:00Z"])
        .arg("--policy")
        .arg(e.join("instance.yaml"))
        .arg("--policy")
        .arg(e.join("group.yaml"))
        .arg("--policy")
        .arg(e.join("project.yaml"))
        .arg(fixture("package-lock.json"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    let denied = rows.iter().any(|r| r["action"] == "deny");
    assert_eq!(out.status.code(), Some(if denied { 1 } else { 0 }));
}
