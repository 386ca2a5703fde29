//! Canonical identities (issue 18) through the binary: `eval` and `scan` read
//! a name or a RubyGems platform the same way, and a name that is no canonical
//! name of its ecosystem is a request error (exit 3), never another package.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const POLICY: &str = "\
schema_version: 1
layer: sec
rules:
  - { id: go-evil, action: deny, match: { ecosystem: golang, package: github.com/Evil-Org/tool } }
  - { id: nuget-evil, action: deny, match: { ecosystem: nuget, package: İnfo.Stealer } }
  - { id: nokogiri-cve, action: deny, match: { ecosystem: gem, package: nokogiri, versions: \">= 1.13.10, < 1.14\" } }
  - { id: npm-scope, action: deny, match: { ecosystem: npm, package: \"@acme/*\" } }
";

fn bin() -> Command {
    Command::cargo_bin("package-policy").unwrap()
}

fn dir(list: &[(&str, &str)]) -> TempDir {
    let d = TempDir::new().unwrap();
    std::fs::write(d.path().join("policy.yaml"), POLICY).unwrap();
    for (name, text) in list {
        std::fs::write(d.path().join(name), text).unwrap();
    }
    d
}

/// `eval` of purls: the exit status and one JSON value per purl.
fn eval(d: &TempDir, args: &[&str], stdin: &str) -> (i32, Vec<Value>) {
    let out = bin()
        .current_dir(d.path())
        .args([
            "eval",
            "--policy",
            "policy.yaml",
            "--now",
            "2026-06-01T00:00:00Z",
        ])
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let values = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (out.status.code().unwrap(), values)
}

fn scan(d: &TempDir, file: &str) -> (i32, Vec<Value>) {
    let out = bin()
        .current_dir(d.path())
        .args(["scan", "--policy", "policy.yaml", "--format", "json", file])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (out.status.code().unwrap(), v.as_array().unwrap().clone())
}

fn action_of<'a>(rows: &'a [Value], name: &str) -> &'a Value {
    &rows
        .iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {rows:?}"))["action"]
}

#[test]
fn eval_refuses_the_bad_request_corpus() {
    let corpus = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../package-policy/tests/bad_inputs/requests.jsonl"
    );
    let d = dir(&[]);
    for line in std::fs::read_to_string(corpus).unwrap().lines() {
        let entry: Value = serde_json::from_str(line).unwrap();
        let (code, out) = match &entry["purl"] {
            Value::String(p) => eval(&d, &[p], ""),
            _ => eval(&d, &[], &format!("{}\n", entry["request"])),
        };
        assert_eq!(code, 3, "{line}: {out:?}");
        let error = out[0]["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{line}: {out:?}"));
        let field = entry["field"].as_str().unwrap();
        assert!(error.starts_with(&format!("{field}: ")), "{line}: {error}");
    }
}

#[test]
fn go_paths_on_github_are_one_module_in_any_case_in_eval_and_scan() {
    let sum = "github.com/EVIL-ORG/Tool v1.0.0 h1:aaaa=\ngithub.com/EVIL-ORG/Tool v1.0.0/go.mod h1:bbbb=\nexample.com/Evil-Org/tool v1.0.0 h1:cccc=\n";
    let d = dir(&[("go.sum", sum)]);
    let (code, out) = eval(
        &d,
        &[
            "pkg:golang/github.com/evil-org/tool@v1.0.0",
            "pkg:golang/github.com/EVIL-ORG/TOOL@v1.0.0",
        ],
        "",
    );
    assert_eq!(code, 0, "{out:?}");
    assert!(out.iter().all(|v| v["action"] == "deny"), "{out:?}");
    let (code, rows) = scan(&d, "go.sum");
    assert_eq!(code, 1, "{rows:?}");
    assert_eq!(action_of(&rows, "github.com/EVIL-ORG/Tool"), "deny");
    assert_eq!(action_of(&rows, "example.com/Evil-Org/tool"), "allow");
}

#[test]
fn a_gem_platform_is_read_alike_by_eval_and_every_scan_reader() {
    let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.10-java)\n    ffi (1.17.4-x86_64-linux-gnu)\n\nPLATFORMS\n  java\n";
    let sbom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
      {"type": "library", "name": "nokogiri", "version": "1.13.10-x86_64-linux-gnu", "purl": "pkg:gem/nokogiri@1.13.10-x86_64-linux-gnu"},
      {"type": "library", "name": "ffi", "version": "1.17.4", "purl": "pkg:gem/ffi@1.17.4?platform=arm64-darwin"}]}"#;
    let d = dir(&[("Gemfile.lock", lock), ("bom.cdx.json", sbom)]);
    let (code, out) = eval(
        &d,
        &[
            "pkg:gem/nokogiri@1.13.10-java",
            "pkg:gem/nokogiri@1.13.10-x86_64-linux-gnu",
            "pkg:gem/ffi@1.17.4-x86_64-linux-gnu",
        ],
        "",
    );
    assert_eq!(code, 0, "{out:?}");
    assert_eq!(out[0]["action"], "deny");
    assert_eq!(out[1]["action"], "deny");
    assert_eq!(out[2]["action"], "allow", "read, not refused: {out:?}");
    for file in ["Gemfile.lock", "bom.cdx.json"] {
        let (code, rows) = scan(&d, file);
        assert_eq!(code, 1, "{file}: {rows:?}");
        let noko = rows.iter().find(|r| r["name"] == "nokogiri").unwrap();
        assert_eq!(
            (&noko["version"], &noko["action"]),
            (&"1.13.10".into(), &"deny".into()),
            "{file}"
        );
        let ffi = rows.iter().find(|r| r["name"] == "ffi").unwrap();
        assert_eq!(
            (&ffi["version"], &ffi["action"]),
            (&"1.17.4".into(), &"allow".into()),
            "{file}"
        );
    }
}

#[test]
fn nuget_ids_fold_as_dotnet_does_in_scan() {
    let lock = r#"{"version": 1, "dependencies": {"net8.0": {
      "İNFO.STEALER": {"type": "Direct", "requested": "[1.0.0, )", "resolved": "1.0.0", "contentHash": "x"}}}}"#;
    let d = dir(&[("packages.lock.json", lock)]);
    let (code, rows) = scan(&d, "packages.lock.json");
    assert_eq!(code, 1, "{rows:?}");
    assert_eq!(action_of(&rows, "İNFO.STEALER"), "deny");
}

#[test]
fn scan_reports_a_non_canonical_sbom_name_as_not_evaluated() {
    let sbom = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1, "components": [
      {"type": "library", "name": "x", "purl": "pkg:maven/org/evil/x@1.0"},
      {"type": "library", "name": "y", "purl": "pkg:golang/github.com/evil/x/../y@v1.0.0"}]}"#;
    let d = dir(&[("bom.cdx.json", sbom)]);
    let (code, rows) = scan(&d, "bom.cdx.json");
    assert_eq!(code, 3, "{rows:?}");
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r["error"].is_string()), "{rows:?}");
}
