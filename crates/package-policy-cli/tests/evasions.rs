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

/// `rails` alone, then beside an unrelated rule whose range has the same vers
/// display (`~> 1.4.4` ends below 1.5's pre-releases; `< 1.5` does not).
const RAILS: &str = "\
schema_version: 1
layer: acme
rules:
  - id: rails
    action: deny
    match: { ecosystem: rubygems, package: rails, versions: \">= 1.4.4, < 1.5\" }
";
const OTHER: &str = "  - id: other
    action: deny
    match: { ecosystem: rubygems, package: other, versions: \"~> 1.4.4\" }
";

#[test]
fn an_unrelated_rule_does_not_change_a_decision() {
    let with_other = format!("{RAILS}{OTHER}");
    let d = files(&[("alone.yaml", RAILS), ("both.yaml", &with_other)]);
    for file in ["alone.yaml", "both.yaml"] {
        bin()
            .current_dir(d.path())
            .args(["eval", "--policy", file, "pkg:gem/rails@1.5.0.rc1"])
            .assert()
            .code(0)
            .stdout(predicate::str::starts_with(r#"{"action":"deny""#));
    }
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "both.yaml", "pkg:gem/other@1.5.0.rc1"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with(r#"{"action":"allow""#));
}

// ---- feeds fail closed -------------------------------------------------------

/// A deny feed that says nothing about `enforced`, and a project that allows `evil`.
const INTEL: &str = "\
schema_version: 1
layer: intel
feeds:
  - { name: ossf, format: osv, action: deny }
";
const WANTS_EVIL: &str = "\
schema_version: 1
layer: project
rules:
  - { id: wants-evil, action: allow, match: { ecosystem: npm, package: evil } }
";
const EVIL: &str =
    r#"{"id": "MAL-2025-9", "affected": [{"package": {"ecosystem": "npm", "name": "evil"}}]}"#;

fn bad_feed(file: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../package-policy/tests/bad_feeds")
        .join(file);
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn a_bad_feed_fails_every_command_unless_lenient() {
    for (file, at) in [
        (
            "html_error_page.json",
            "feed.json:1:1: feed `ossf`: not an OSV JSON",
        ),
        (
            "truncated_array.json",
            "feed.json:1:284: feed `ossf`: not an OSV JSON",
        ),
        (
            "truncated_record.json",
            "feed.json:17:1: feed `ossf`: not an OSV JSON",
        ),
        (
            "empty.jsonl",
            "feed.json:1:1: feed `ossf`: the document is empty",
        ),
        (
            "empty_array.json",
            "feed.json:1:1: feed `ossf`: the document is an empty array",
        ),
        (
            "all_records_fail.jsonl",
            "intel.yaml: feeds[0]: feed `ossf`: none of its 6 records yields a rule",
        ),
    ] {
        let text = bad_feed(file);
        let d = files(&[
            ("intel.yaml", INTEL),
            ("feed.json", &text),
            (
                "package-lock.json",
                r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/evil": {"version": "1.0.0"}}}"#,
            ),
        ]);
        let run = |cmd: &[&str], lenient: bool| {
            let mut c = bin();
            c.current_dir(d.path()).args(cmd);
            c.args(["--policy", "intel.yaml", "--feed", "ossf=feed.json"]);
            if lenient {
                c.arg("--lenient-feeds");
            }
            c.assert()
        };
        for cmd in [
            &["eval", "pkg:npm/evil@1.0.0"][..],
            &["explain", "pkg:npm/evil@1.0.0"],
            &["scan", "package-lock.json"],
            &["lint"],
        ] {
            run(cmd, false)
                .code(2)
                .stdout("")
                .stderr(predicate::str::starts_with(at))
                .stderr(predicate::str::contains("--lenient-feeds"));
        }
        // Leniency: the command runs, and the skipped data is counted on stderr.
        run(&["eval", "pkg:npm/evil@1.0.0"], true)
            .code(0)
            .stderr(predicate::str::contains("feed ossf: "))
            .stderr(predicate::str::contains("skipped"));
        // `diff` takes --feed and --lenient-feeds too.
        bin()
            .current_dir(d.path())
            .args(["diff", "--old", "intel.yaml", "--new", "intel.yaml"])
            .args(["--feed", "ossf=feed.json"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("feed `ossf`"));
        bin()
            .current_dir(d.path())
            .args(["diff", "--old", "intel.yaml", "--new", "intel.yaml"])
            .args(["--feed", "ossf=feed.json", "--lenient-feeds"])
            .assert()
            .code(0);
    }
}

#[test]
fn a_layer_can_declare_its_feed_lenient() {
    let lenient = INTEL.replace("action: deny }", "action: deny, strict: false }");
    let d = files(&[
        ("intel.yaml", &lenient),
        ("feed.json", &bad_feed("html_error_page.json")),
    ]);
    bin()
        .current_dir(d.path())
        .args(["eval", "--policy", "intel.yaml", "--feed", "ossf=feed.json"])
        .arg("pkg:npm/evil@1.0.0")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("1 unreadable_document"));
}

#[test]
fn a_project_allow_does_not_suppress_a_feed_record() {
    let d = files(&[
        ("intel.yaml", INTEL),
        ("project.yaml", WANTS_EVIL),
        ("feed.jsonl", EVIL),
    ]);
    let eval = |intel: &str| {
        bin()
            .current_dir(d.path())
            .args(["eval", "--policy", intel, "--policy", "project.yaml"])
            .args(["--feed", "ossf=feed.jsonl", "pkg:npm/evil@1.0.0"])
            .assert()
            .code(0)
    };
    eval("intel.yaml").stdout(predicate::str::starts_with(r#"{"action":"deny""#));
    let opt_out = INTEL.replace("action: deny }", "action: deny, enforced: false }");
    std::fs::write(d.path().join("optout.yaml"), opt_out).unwrap();
    eval("optout.yaml").stdout(predicate::str::starts_with(r#"{"action":"allow""#));
}
