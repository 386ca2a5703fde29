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

const OLD: &str = "\
schema_version: 1
layer: acme
rules:
  - id: lodash-old
    action: deny
    match: { ecosystem: npm, package: lodash, versions: \"<4.17.21\" }
";

const NEW: &str = "\
schema_version: 1
layer: acme
rules:
  - id: lodash-old
    action: deny
    match: { ecosystem: npm, package: lodash, versions: \"<4.17.19\" }
";

#[test]
fn diff_reports_regions_with_witnesses_and_exits_one() {
    let dir = files(&[("old.yaml", OLD), ("new.yaml", NEW)]);
    let out = bin()
        .current_dir(dir.path())
        .args([
            "diff",
            "--old",
            "old.yaml",
            "--new",
            "new.yaml",
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("npm lodash, versions vers:npm/>=4.17.19|<4.17.21: deny -> allow\n  old: deny by acme/lodash-old\n  new: allow (default)\n  witness: pkg:npm/lodash@4.17.19 "), "{stdout}");
    let out = bin()
        .current_dir(dir.path())
        .args([
            "diff", "--old", "old.yaml", "--new", "new.yaml", "--format", "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["equivalent"], false);
    let r = &v["regions"][0];
    assert_eq!(r["old"]["action"], "deny");
    assert_eq!(r["old"]["rules"][0]["id"], "lodash-old");
    assert_eq!(r["new"]["default"], true);
    // The witness is a request `eval` reads, and eval decides it differently.
    let witness = r["witness"]["request"].to_string();
    let decide = |policy: &str| -> Value {
        let out = bin()
            .current_dir(dir.path())
            .args(["eval", "--policy", policy])
            .write_stdin(witness.clone())
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(decide("old.yaml")["action"], "deny");
    assert_eq!(decide("new.yaml")["action"], "allow");
}

#[test]
fn diff_of_equivalent_sets_exits_zero() {
    let vers = NEW.replace("\"<4.17.19\"", "\"vers:npm/<4.17.19\"");
    let dir = files(&[
        ("a.yaml", NEW),
        ("b.yaml", &vers),
        ("bad.yaml", "layer: x\n"),
    ]);
    let out = bin()
        .current_dir(dir.path())
        .args(["diff", "--old", "a.yaml", "--new", "b.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "equivalent: no request is decided differently\n"
    );
    bin()
        .current_dir(dir.path())
        .args(["diff", "--old", "a.yaml", "--new", "bad.yaml"])
        .assert()
        .code(2);
}

#[test]
fn eval_log_lines_replay_under_a_candidate_policy() {
    let dir = files(&[("old.yaml", OLD), ("new.yaml", NEW)]);
    let requests = [
        r#"{"purl":"pkg:npm/lodash@4.17.20"}"#,
        r#"{"purl":"pkg:npm/lodash@4.17.19"}"#,
        r#"{"purl":"pkg:npm/lodash@4.17.1"}"#,
        r#"{"ecosystem":"npm","name":"lodash","version":"4.17.21","license":"MIT"}"#,
    ]
    .join("\n");
    let out = bin()
        .current_dir(dir.path())
        .args([
            "eval",
            "--log",
            "--policy",
            "old.yaml",
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .write_stdin(requests)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let log = String::from_utf8(out.stdout).unwrap();
    let first: Value = serde_json::from_str(log.lines().next().unwrap()).unwrap();
    assert_eq!(first["action"], "deny");
    assert_eq!(first["now"], "2026-12-01T00:00:00Z");
    assert_eq!(first["request"]["name"], "lodash");
    assert!(first["policy"].as_str().unwrap().len() > 10);
    let log = format!("{log}not json\n");
    std::fs::write(dir.path().join("decisions.jsonl"), &log).unwrap();

    let out = bin()
        .current_dir(dir.path())
        .args([
            "replay",
            "decisions.jsonl",
            "--policy",
            "new.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (
            v["replayed"].as_u64(),
            v["changed"].as_u64(),
            v["skipped"].as_u64()
        ),
        (Some(4), Some(2), Some(1))
    );
    let g = &v["groups"][0];
    assert_eq!(
        (
            g["old_action"].as_str(),
            g["new_action"].as_str(),
            g["count"].as_u64()
        ),
        (Some("deny"), Some("allow"), Some(2))
    );
    assert_eq!(g["old_rules"][0], "acme/lodash-old");
    assert_eq!(g["new_rules"].as_array().unwrap().len(), 0);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("decisions.jsonl:5: skipped: not a decision-log line"),
        "{stderr}"
    );

    // Replayed under the policy that logged them: nothing changes (exit 3: a line was skipped).
    let out = bin()
        .current_dir(dir.path())
        .args(["replay", "decisions.jsonl", "--policy", "old.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .starts_with("0 of 4 replayed decisions change"));
}
