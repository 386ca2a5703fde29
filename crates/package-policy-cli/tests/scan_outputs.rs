//! `scan --format junit|sarif|markdown`: each output is checked by reading it
//! back (SARIF against the OASIS 2.1.0 schema kept in tests/data, JUnit with
//! an XML parser).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;
use tempfile::TempDir;

const POLICY: &str = "\
schema_version: 1
layer: t
rules:
  - { id: no-evil, action: deny, reason: 'malware <& \"quoted\">', match: { ecosystem: npm, package: evil } }
  - { id: meh, action: warn, reason: deprecated, match: { ecosystem: npm, package: meh } }
";

/// Lines 3-8: evil (deny), meh (warn), fine (allow), a name that is a request
/// error, a git source (skipped), and the project (skipped).
const LOCK: &str = r#"{
  "lockfileVersion": 3, "packages": {
    "node_modules/evil": {"version": "1.0.0"},
    "node_modules/meh": {"version": "2.0.0"},
    "node_modules/fine": {"version": "3.0.0"},
    "node_modules/bad <name>": {"version": "1.0.0"},
    "node_modules/tooling": {"version": "1.0.0", "resolved": "git+https://github.com/a/b.git#abc"},
    "": {"name": "app|pipe"}
  }
}"#;

fn scan(format: &str) -> (i32, String, TempDir) {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("policy.yaml"), POLICY).unwrap();
    std::fs::write(d.path().join("package-lock.json"), LOCK).unwrap();
    let out = Command::cargo_bin("package-policy")
        .unwrap()
        .current_dir(d.path())
        .args([
            "scan",
            "--policy",
            "policy.yaml",
            "package-lock.json",
            "--format",
            format,
        ])
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        d,
    )
}

#[test]
fn sarif_is_valid_and_locates_each_result_at_its_line() {
    let (code, out, _d) = scan("sarif");
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&out).unwrap();
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    // The validator is not vacuous: a log without `version` is rejected.
    let mut broken = log.clone();
    broken.as_object_mut().unwrap().remove("version");
    assert!(!validator.is_valid(&broken));

    let results = log["runs"][0]["results"].as_array().unwrap();
    let got: Vec<(&str, &str, u64)> = results
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            assert_eq!(loc["artifactLocation"]["uri"], "package-lock.json");
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                loc["region"]["startLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("t/no-evil", "error", 3),
            ("t/meh", "warning", 4),
            ("not-evaluated", "error", 6)
        ]
    );
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["not-evaluated", "t/meh", "t/no-evil"]);
}

/// A test case as read back: its name, line, and the child element with
/// its message (`failure`, `error`, `skipped`, `system-out`), if any.
#[derive(Debug, PartialEq)]
struct Case {
    name: String,
    line: Option<String>,
    outcome: Option<(String, String)>,
}

#[test]
fn junit_reads_back_with_one_case_per_package() {
    let (code, out, _d) = scan("junit");
    assert_eq!(code, 1);
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut cases: Vec<Case> = Vec::new();
    let mut suite_attrs = Vec::new();
    let mut in_system_out = false;
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> Option<String> {
        e.try_get_attribute(key)
            .unwrap()
            .map(|a| a.unescape_value().unwrap().into_owned())
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                b"testsuite" => {
                    for k in ["tests", "failures", "errors", "skipped"] {
                        suite_attrs.push(attr(&e, k).unwrap());
                    }
                }
                b"testcase" => cases.push(Case {
                    name: attr(&e, "name").unwrap(),
                    line: attr(&e, "line"),
                    outcome: None,
                }),
                b"system-out" => in_system_out = true,
                b"testsuites" => {}
                other => {
                    let tag = String::from_utf8(other.to_vec()).unwrap();
                    cases.last_mut().unwrap().outcome = Some((tag, attr(&e, "message").unwrap()));
                }
            },
            Event::Text(t) if in_system_out => {
                let text = t.decode().unwrap().into_owned();
                let text = quick_xml::escape::unescape(&text).unwrap().into_owned();
                cases.last_mut().unwrap().outcome = Some(("system-out".into(), text));
                in_system_out = false;
            }
            _ => {}
        }
    }
    assert_eq!(suite_attrs, ["6", "1", "1", "2"]);
    let outcome = |name: &str| {
        let c = cases
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name}: {cases:?}"));
        c.outcome.clone().map(|(t, m)| (t, m, c.line.clone()))
    };
    let (tag, message, line) = outcome("evil@1.0.0").unwrap();
    assert_eq!((tag.as_str(), line.as_deref()), ("failure", Some("3")));
    assert_eq!(message, "t/no-evil: malware <& \"quoted\">");
    let (tag, message, _) = outcome("meh@2.0.0").unwrap();
    assert_eq!(tag, "system-out");
    assert!(message.starts_with("warn: t/meh: deprecated"), "{message}");
    assert_eq!(outcome("fine@3.0.0"), None);
    assert_eq!(outcome("bad <name>@1.0.0").unwrap().0, "error");
    let (tag, message, _) = outcome("tooling@1.0.0").unwrap();
    assert_eq!(
        (tag.as_str(), message.starts_with("git: ")),
        ("skipped", true)
    );
    assert_eq!(cases.len(), 6);
}

#[test]
fn markdown_lists_denied_and_warned_packages_first() {
    let (code, out, _d) = scan("markdown");
    assert_eq!(code, 1);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| **")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(
        rows[0].starts_with(
            "| **deny** | `evil` (npm) | 1.0.0 | t/no-evil | malware &lt;&amp; \"quoted\"&gt; |"
        ),
        "{}",
        rows[0]
    );
    assert!(
        rows[1].starts_with("| **error** | `bad <name>`"),
        "{}",
        rows[1]
    );
    assert!(rows[2].starts_with("| **warn** | `meh`"), "{}", rows[2]);
    assert!(
        out.contains("4 packages: 1 denied, 1 warned, 1 allowed, 1 not evaluated; 2 skipped"),
        "{out}"
    );
    // Each table row has exactly six unescaped pipes (five cells).
    for r in rows {
        let pipes = r.replace("\\|", "").matches('|').count();
        assert_eq!(pipes, 6, "{r}");
    }
}
