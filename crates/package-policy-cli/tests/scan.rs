//! `scan` fails closed: every entry of a lockfile is evaluated, listed as
//! skipped with its reason, or the scan fails at `FILE:LINE:COLUMN` (exit 2).
//! Each test is built from a small file reproducing a defect of issue 15 or
//! of issue 18's scan items.
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

fn files(list: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().unwrap();
    for (name, text) in list {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

const ALLOW_ALL: &str = "schema_version: 1\nlayer: open\n";

/// Denies `evil` in every ecosystem the tests use.
const DENY_EVIL: &str = "\
schema_version: 1
layer: t
rules:
  - { id: npm, action: deny, match: { ecosystem: npm, package: [evil, tooling, tar, local, linked] } }
  - { id: gem, action: deny, match: { ecosystem: rubygems, package: evil } }
  - { id: pypi, action: deny, match: { ecosystem: pypi, package: evil } }
  - { id: go, action: deny, match: { ecosystem: golang, package: example.com/evil } }
  - { id: gpl, action: deny, match: { license: [GPL-2.0-only] } }
";

/// Runs a scan; returns the exit status, stdout and stderr.
fn scan(dir: &TempDir, policy: &str, lockfile: &Path, extra: &[&str]) -> (i32, String, String) {
    std::fs::write(dir.path().join("policy.yaml"), policy).unwrap();
    let out = bin()
        .arg("scan")
        .arg("--policy")
        .arg(dir.path().join("policy.yaml"))
        .arg(lockfile)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scan_rows(dir: &TempDir, policy: &str, lockfile: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = scan(dir, policy, lockfile, &args);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out} {err}"));
    (code, v.as_array().unwrap().clone())
}

fn row<'a>(rows: &'a [Value], name: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["name"] == name)
        .unwrap_or_else(|| panic!("{name} not in {rows:?}"))
}

// ---- Gemfile.lock --------------------------------------------------------------

#[test]
fn a_conflict_marker_is_an_error_at_its_line() {
    let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n<<<<<<< HEAD\n    evil (1.0.0)\n=======\n    evil (1.0.1)\n>>>>>>> branch\n";
    let d = files(&[("Gemfile.lock", lock)]);
    let (code, _, err) = scan(&d, DENY_EVIL, &d.path().join("Gemfile.lock"), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Gemfile.lock:4:1: a merge-conflict marker"),
        "{err}"
    );
}

#[test]
fn an_unexpected_unindented_line_is_an_error_not_a_section_end() {
    let lock = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.0.0)\nnot a section\n    evil (1.0.0)\n";
    let d = files(&[("Gemfile.lock", lock)]);
    let (code, _, err) = scan(&d, DENY_EVIL, &d.path().join("Gemfile.lock"), &[]);
    assert_eq!(code, 2);
    assert!(err.contains("Gemfile.lock:5:1: unexpected line"), "{err}");
}

#[test]
fn a_byte_order_mark_is_accepted_by_every_format() {
    for name in [
        "package-lock.json",
        "yarn.lock",
        "Gemfile.lock",
        "poetry.lock",
        "requirements.txt",
        "go.sum",
        "Cargo.lock",
        "cyclonedx.json",
    ] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let d = files(&[(name, &format!("\u{feff}{text}"))]);
        let (code, with_bom) = scan_rows(&d, ALLOW_ALL, &d.path().join(name), &[]);
        let (_, without) = scan_rows(&d, ALLOW_ALL, &fixture(name), &[]);
        assert_eq!(code, 0, "{name}");
        assert_eq!(with_bom, without, "{name}");
    }
    // The gems of the first section were hidden by a BOM.
    let d = files(&[(
        "Gemfile.lock",
        "\u{feff}GEM\n  remote: https://rubygems.org/\n  specs:\n    evil (1.0.0)\n",
    )]);
    let (code, _, _) = scan(&d, DENY_EVIL, &d.path().join("Gemfile.lock"), &[]);
    assert_eq!(code, 1);
}

// ---- npm and yarn sources --------------------------------------------------------

#[test]
fn npm_git_tarball_path_and_link_sources_are_skipped_with_their_reason() {
    let lock = r#"{"name": "app", "lockfileVersion": 3, "packages": {
  "": {"name": "app", "version": "1.0.0"},
  "node_modules/tooling": {"version": "1.28.1", "resolved": "git+ssh://git@github.com/webpack/tooling.git#0123456789abcdef"},
  "node_modules/tar": {"version": "1.0.0", "resolved": "https://example.com/tar-1.0.0.tgz"},
  "node_modules/local": {"version": "1.0.0", "resolved": "file:local-1.0.0.tgz"},
  "node_modules/linked": {"resolved": "../linked", "link": true},
  "node_modules/ok": {"version": "2.0.0", "resolved": "https://registry.npmjs.org/ok/-/ok-2.0.0.tgz"}
}}"#;
    let d = files(&[("package-lock.json", lock)]);
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("package-lock.json"), &[]);
    assert_eq!(code, 0, "{rows:?}");
    for (name, reason) in [
        ("tooling", "git"),
        ("tar", "url"),
        ("local", "path"),
        ("linked", "link"),
        ("app", "workspace"),
    ] {
        assert_eq!(row(&rows, name)["skipped"]["reason"], reason, "{name}");
    }
    assert_eq!(row(&rows, "ok")["action"], "allow");
}

#[test]
fn yarn_git_tarball_path_and_link_sources_are_skipped_with_their_reason() {
    let lock = r#"# yarn lockfile v1


tooling@webpack/tooling#v1.28.1:
  version "1.28.1"
  resolved "https://codeload.github.com/webpack/tooling/tar.gz/0123456789abcdef"

tar@https://example.com/tar-1.0.0.tgz:
  version "1.0.0"
  resolved "https://example.com/tar-1.0.0.tgz#00"

local@file:../local:
  version "1.0.0"

ok@^2.0.0:
  version "2.0.0"
  resolved "https://registry.yarnpkg.com/ok/-/ok-2.0.0.tgz#00"
"#;
    let d = files(&[("yarn.lock", lock)]);
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("yarn.lock"), &[]);
    assert_eq!(code, 0, "{rows:?}");
    for (name, reason) in [("tooling", "git"), ("tar", "url"), ("local", "path")] {
        assert_eq!(row(&rows, name)["skipped"]["reason"], reason, "{name}");
    }
    assert_eq!(row(&rows, "ok")["line"], 15);
}

/// Issue 18: an alias key cannot rename the package its registry URL holds.
#[test]
fn a_registry_tarball_url_names_the_package_not_its_alias_key() {
    let yarn = "# yarn lockfile v1\n\n\nnice@https://registry.yarnpkg.com/evil/-/evil-1.0.0.tgz:\n  version \"1.0.0\"\n  resolved \"https://registry.yarnpkg.com/evil/-/evil-1.0.0.tgz#00\"\n";
    let npm = r#"{"lockfileVersion": 3, "packages": {"": {}, "node_modules/nice": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"}}}"#;
    let d = files(&[("yarn.lock", yarn), ("package-lock.json", npm)]);
    for name in ["yarn.lock", "package-lock.json"] {
        let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join(name), &[]);
        assert_eq!(code, 1, "{name}: {rows:?}");
        assert_eq!(row(&rows, "evil")["action"], "deny", "{name}");
    }
}

// ---- CycloneDX: purls and licenses -------------------------------------------------

fn bom(components: &str) -> String {
    format!(r#"{{"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [{components}]}}"#)
}

/// Issue 18: scan reads purls with the parser `eval` uses, so both decide alike.
#[test]
fn sbom_purls_are_read_as_eval_reads_them() {
    let purls = [
        "pkg:npm//evil@1.0.0",
        "pkg:npm/evil/@1.0.0",
        "pkg://npm/evil@1.0.0",
        "PKG:npm/evil@1.0.0",
        "pkg:npm/evil@1.0.1?x=1#sub",
    ];
    for purl in purls {
        let d = files(&[
            (
                "bom.json",
                &bom(&format!(r#"{{"name": "x", "purl": "{purl}"}}"#)),
            ),
            ("policy.yaml", DENY_EVIL),
        ]);
        let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("bom.json"), &[]);
        let eval = bin()
            .arg("eval")
            .arg("--policy")
            .arg(d.path().join("policy.yaml"))
            .arg(purl)
            .output()
            .unwrap();
        let eval: Value = serde_json::from_slice(&eval.stdout).unwrap();
        assert_eq!(rows.len(), 1, "{purl}: {rows:?}");
        match eval.get("action") {
            Some(action) => {
                assert_eq!(&rows[0]["action"], action, "{purl}");
                assert_eq!(code, 1, "{purl}");
            }
            None => {
                assert!(rows[0]["error"].is_string(), "{purl}: {rows:?}");
                assert_eq!(code, 3, "{purl}");
            }
        }
    }
}

#[test]
fn deprecated_spdx_ids_read_as_the_spdx_list_defines_them() {
    let sbom = bom(
        r#"{"name": "a", "purl": "pkg:npm/a@1.0.0", "licenses": [{"license": {"id": "GPL-2.0"}}]},
           {"name": "b", "purl": "pkg:npm/b@1.0.0", "licenses": [{"expression": "LGPL-3.0+"}]},
           {"name": "c", "purl": "pkg:npm/c@1.0.0", "licenses": [{"license": {"id": "LGPL-2.1"}}]}"#,
    );
    let d = files(&[("bom.json", &sbom)]);
    let (code, rows) = scan_rows(&d, ALLOW_ALL, &d.path().join("bom.json"), &[]);
    assert_eq!(code, 0, "{rows:?}");
    assert!(rows.iter().all(|r| r["action"] == "allow"), "{rows:?}");
    // `GPL-2.0` is GPL-2.0-only: the license rule fires.
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("bom.json"), &[]);
    assert_eq!(code, 1);
    assert_eq!(row(&rows, "a")["action"], "deny");
    assert_eq!(row(&rows, "b")["action"], "allow");
}

#[test]
fn an_unreadable_license_is_one_line_and_its_action_is_selectable() {
    let sbom = bom(
        r#"{"name": "odd", "purl": "pkg:npm/odd@1.0.0", "licenses": [{"license": {"name": "See LICENSE\nfile"}}]},
           {"name": "fine", "purl": "pkg:npm/fine@1.0.0", "licenses": [{"license": {"id": "MIT"}}]}"#,
    );
    let d = files(&[("bom.json", &sbom)]);
    let (code, out, _) = scan(&d, ALLOW_ALL, &d.path().join("bom.json"), &[]);
    assert_eq!(code, 0, "{out}");
    // Header, two rows, blank, summary: the newline did not break the table.
    assert_eq!(out.lines().count(), 5, "{out}");
    let odd = out.lines().find(|l| l.starts_with("odd ")).unwrap();
    assert!(
        odd.contains("warn") && odd.contains("(unreadable-license)"),
        "{odd}"
    );
    assert!(out.contains("1 warned"), "{out}");
    let (code, rows) = scan_rows(
        &d,
        ALLOW_ALL,
        &d.path().join("bom.json"),
        &["--unreadable-license", "deny"],
    );
    assert_eq!(code, 1);
    assert_eq!(row(&rows, "odd")["action"], "deny");
    assert!(row(&rows, "odd")["license_error"].is_string());
    let (code, rows) = scan_rows(
        &d,
        ALLOW_ALL,
        &d.path().join("bom.json"),
        &["--unreadable-license", "allow"],
    );
    assert_eq!(code, 0);
    assert_eq!(row(&rows, "odd")["action"], "allow");

    // The policy may choose (a layer's `unreadable_license`); the flag overrides it.
    let strict = "schema_version: 1\nlayer: open\nunreadable_license: deny\n";
    let (code, rows) = scan_rows(&d, strict, &d.path().join("bom.json"), &[]);
    assert_eq!(code, 1);
    assert_eq!(row(&rows, "odd")["action"], "deny");
    assert_eq!(row(&rows, "fine")["action"], "allow");
    let (code, rows) = scan_rows(
        &d,
        strict,
        &d.path().join("bom.json"),
        &["--unreadable-license", "allow"],
    );
    assert_eq!(code, 0);
    assert_eq!(row(&rows, "odd")["action"], "allow");
    let lenient = "schema_version: 1\nlayer: open\nunreadable_license: allow\n";
    let (code, rows) = scan_rows(&d, lenient, &d.path().join("bom.json"), &[]);
    assert_eq!(code, 0);
    assert_eq!(row(&rows, "odd")["action"], "allow");
}

#[test]
fn one_package_one_row() {
    let sbom = bom(r#"{"name": "a", "purl": "pkg:npm/evil@1.0.0?arch=x64"},
           {"name": "a", "purl": "pkg:npm/evil@1.0.0?arch=arm64"},
           {"name": "b", "purl": "pkg:pypi/Foo_Bar@1.0"},
           {"name": "b", "purl": "pkg:pypi/foo-bar@1.0"}"#);
    let d = files(&[("bom.json", &sbom)]);
    let (_, rows) = scan_rows(&d, ALLOW_ALL, &d.path().join("bom.json"), &[]);
    assert_eq!(rows.len(), 2, "{rows:?}");
}

// ---- go.sum ------------------------------------------------------------------------

#[test]
fn go_mod_only_versions_are_skipped_not_evaluated() {
    let sum = "example.com/evil v1.0.0/go.mod h1:aaaa=\nexample.com/ok v1.2.0 h1:bbbb=\nexample.com/ok v1.2.0/go.mod h1:cccc=\n";
    let d = files(&[("go.sum", sum)]);
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("go.sum"), &[]);
    assert_eq!(code, 0, "{rows:?}");
    assert_eq!(
        row(&rows, "example.com/evil")["skipped"]["reason"],
        "go.mod-only"
    );
    assert_eq!(row(&rows, "example.com/ok")["action"], "allow");
}

// ---- requirements.txt ----------------------------------------------------------------

#[test]
fn requirements_includes_are_followed_relative_to_the_file() {
    let d = files(&[
        (
            "reqs/requirements.txt",
            "-r base.txt\n-r dev/a.txt\n-c constraints.txt\n-r base.txt\n-r dev/a.txt\n",
        ),
        ("reqs/base.txt", "flask==3.0.0\n"),
        ("reqs/dev/a.txt", "evil==1.0\n"),
        ("reqs/constraints.txt", "jinja2==3.1.6\n"),
    ]);
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("reqs/requirements.txt"), &[]);
    assert_eq!(code, 1, "{rows:?}");
    let evil = row(&rows, "evil");
    assert!(evil["file"].as_str().unwrap().ends_with("a.txt"), "{evil}");
    assert_eq!(evil["line"], 1);
    assert_eq!(rows.len(), 3);
    // A cycle is an error located in the file that closes it.
    let d = files(&[
        ("requirements.txt", "a==1\n-r more.txt\n"),
        ("more.txt", "\n-r requirements.txt\n"),
    ]);
    let (code, _, err) = scan(&d, ALLOW_ALL, &d.path().join("requirements.txt"), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("more.txt:2:1: ") && err.contains("cycle"),
        "{err}"
    );
}

// ---- versions, empty and misread files ----------------------------------------------------

#[test]
fn unknown_versions_incomplete_and_empty_files_are_errors() {
    let d = files(&[
        ("v4/package-lock.json", r#"{"lockfileVersion": 4, "packages": {"node_modules/evil": {"version": "1.0.0"}}}"#),
        ("v99/package-lock.json", r#"{"lockfileVersion": 99, "packages": {}}"#),
        ("v2/package-lock.json", r#"{"lockfileVersion": 2, "dependencies": {"evil": {"version": "1.0.0"}}}"#),
        ("empty/package-lock.json", ""),
        ("empty/Gemfile.lock", "\n"),
        ("empty/requirements.txt", ""),
        ("truncated/package-lock.json", "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/evil\": {\n      \"version\": \"1.0"),
    ]);
    for (path, expected) in [
        (
            "v4/package-lock.json",
            "package-lock.json:1:1: unknown lockfileVersion 4",
        ),
        (
            "v99/package-lock.json",
            "package-lock.json:1:1: unknown lockfileVersion 99",
        ),
        ("v2/package-lock.json", "without `packages`"),
        (
            "empty/package-lock.json",
            "package-lock.json:1:1: the file is empty",
        ),
        ("empty/Gemfile.lock", "Gemfile.lock:1:1: the file is empty"),
        ("empty/requirements.txt", "the file is empty"),
        ("truncated/package-lock.json", "package-lock.json:5:"),
    ] {
        let (code, _, err) = scan(&d, ALLOW_ALL, &d.path().join(path), &[]);
        assert_eq!(code, 2, "{path}");
        assert!(err.contains(expected), "{path}: {err}");
    }
}

#[test]
fn a_file_forced_through_the_wrong_format_is_an_error() {
    let d = files(&[]);
    for (name, kind) in [
        ("Gemfile.lock", "requirements"),
        ("Gemfile.lock", "yarn"),
        ("package-lock.json", "cyclonedx"),
        ("cyclonedx.json", "npm"),
        ("poetry.lock", "cargo"),
        ("Cargo.lock", "poetry"),
        ("requirements.txt", "gemfile-lock"),
        ("go.sum", "requirements"),
        ("yarn.lock", "gemfile-lock"),
    ] {
        let (code, out, err) = scan(&d, ALLOW_ALL, &fixture(name), &["--lockfile-format", kind]);
        assert_eq!(code, 2, "{name} as {kind}: {out}");
        let located = format!("{name}:");
        assert!(err.contains(&located), "{name} as {kind}: {err}");
    }
}

#[test]
fn skipped_entries_are_listed_in_the_table() {
    let sum = "example.com/gomod v1.0.0/go.mod h1:aaaa=\nexample.com/ok v1.2.0 h1:bbbb=\n";
    let d = files(&[("go.sum", sum)]);
    let (code, out, _) = scan(&d, ALLOW_ALL, &d.path().join("go.sum"), &[]);
    assert_eq!(code, 0);
    let line = out
        .lines()
        .find(|l| l.starts_with("example.com/gomod"))
        .unwrap();
    assert!(
        line.contains("skipped") && line.contains("go.mod-only"),
        "{line}"
    );
    assert!(
        out.contains("1 packages: 0 denied, 0 warned, 1 allowed, 0 not evaluated; 1 skipped"),
        "{out}"
    );
    bin()
        .arg("scan")
        .arg("--help")
        .assert()
        .stdout(predicate::str::contains("--unreadable-license"));
}

// ---- readers of real files ----------------------------------------------------------

/// Each new reader on a real file (tests/fixtures/README.md): detected from
/// its content under a neutral name and from its name, forced with
/// `--lockfile-format`, with the counts and one known package at its line.
#[test]
fn new_readers_scan_real_files() {
    for (file, kind, ecosystem, name, version, line, packages, skipped) in [
        (
            "pnpm-lock-v9.yaml",
            "pnpm",
            "npm",
            "is-odd",
            "3.0.1",
            43,
            4,
            4,
        ),
        (
            "pnpm-lock-v6.yaml",
            "pnpm",
            "npm",
            "is-positive",
            "1.0.0",
            15,
            2,
            1,
        ),
        (
            "yarn-berry.lock",
            "yarn-berry",
            "npm",
            "@babel/parser",
            "7.29.7",
            0,
            21,
            1,
        ),
        (
            "bun.lock",
            "bun",
            "npm",
            "@babel/code-frame",
            "7.24.7",
            36,
            20,
            1,
        ),
        ("uv.lock", "uv", "pypi", "anyio", "4.13.0", 19, 12, 1),
        (
            "Pipfile.lock",
            "pipfile",
            "pypi",
            "iniconfig",
            "2.3.0",
            0,
            12,
            0,
        ),
        (
            "packages.lock.json",
            "nuget",
            "nuget",
            "Serilog",
            "4.1.0",
            63,
            35,
            3,
        ),
        (
            "gradle.lockfile",
            "gradle",
            "maven",
            "org.burningwave:core",
            "12.66.2",
            7,
            12,
            0,
        ),
        (
            "spdx-2.3.json",
            "spdx",
            "maven",
            "org.apache.jena:apache-jena",
            "3.12.0",
            0,
            1,
            3,
        ),
    ] {
        let text = std::fs::read_to_string(fixture(file)).unwrap();
        let d = files(&[("neutral", &text)]);
        let (code, rows) = scan_rows(&d, ALLOW_ALL, &d.path().join("neutral"), &[]);
        assert_eq!(code, 0, "{file}: {rows:?}");
        let (_, by_name) = scan_rows(&d, ALLOW_ALL, &fixture(file), &[]);
        let (_, forced) = scan_rows(
            &d,
            ALLOW_ALL,
            &d.path().join("neutral"),
            &["--lockfile-format", kind],
        );
        assert_eq!(rows, by_name, "{file}");
        assert_eq!(rows, forced, "{file}");
        let evaluated = rows.iter().filter(|r| r.get("skipped").is_none()).count();
        assert_eq!(
            (evaluated, rows.len() - evaluated),
            (packages, skipped),
            "{file}"
        );
        let row = rows
            .iter()
            .find(|r| r["name"] == name && r["version"] == version)
            .unwrap_or_else(|| panic!("{file}: {name} {version} missing from {rows:?}"));
        assert_eq!(row["ecosystem"], ecosystem, "{file}");
        assert_eq!(row["action"], "allow", "{file}");
        if line > 0 {
            assert_eq!(row["line"], line, "{file}");
        }
        // A deny rule on the package fires.
        let deny = format!(
            "schema_version: 1\nlayer: t\nrules:\n  - {{ id: x, action: deny, match: {{ ecosystem: {ecosystem}, package: '{name}' }} }}\n"
        );
        let (code, _) = scan_rows(&d, &deny, &fixture(file), &[]);
        assert_eq!(code, 1, "{file}");
    }
}

#[test]
fn package_lock_version_one_trees() {
    let lock = r#"{
  "name": "app",
  "version": "1.0.0",
  "lockfileVersion": 1,
  "requires": true,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
      "dependencies": {
        "evil": {"version": "2.0.0", "resolved": "https://registry.npmjs.org/evil/-/evil-2.0.0.tgz"}
      }
    },
    "tooling": {"version": "github:webpack/tooling#0123456789abcdef"}
  }
}"#;
    let d = files(&[("package-lock.json", lock)]);
    let (code, rows) = scan_rows(&d, DENY_EVIL, &d.path().join("package-lock.json"), &[]);
    assert_eq!(code, 1, "{rows:?}");
    assert_eq!(row(&rows, "evil")["line"], 11);
    assert_eq!(row(&rows, "tooling")["skipped"]["reason"], "git");
}

/// Walks a package-lock v1 `dependencies` tree on its own (not through the
/// reader): every (name, version) installed.
fn v1_tree(deps: &serde_json::Map<String, Value>, out: &mut Vec<(String, String)>) {
    for (name, entry) in deps {
        out.push((name.clone(), entry["version"].as_str().unwrap().to_owned()));
        if let Some(nested) = entry.get("dependencies").and_then(Value::as_object) {
            v1_tree(nested, out);
        }
    }
}

/// A real lockfileVersion 1 file (snyk's goof demo app, tests/fixtures/README.md):
/// every installed (name, version) of the nested tree is one row, as an
/// independent walk of the JSON counts them (698 entries, 552 distinct; the
/// same figures from Python's json module are in the README), each at the
/// line of its key.
#[test]
fn package_lock_v1_real_file_matches_an_independent_count() {
    let path = fixture("package-lock-v1.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["lockfileVersion"], 1);
    let mut entries = Vec::new();
    v1_tree(doc["dependencies"].as_object().unwrap(), &mut entries);
    let expected: std::collections::BTreeSet<(String, String)> = entries.iter().cloned().collect();
    assert_eq!((entries.len(), expected.len()), (698, 552));

    let d = TempDir::new().unwrap();
    for extra in [&[][..], &["--lockfile-format", "npm"][..]] {
        let (code, rows) = scan_rows(&d, ALLOW_ALL, &path, extra);
        assert_eq!(code, 0);
        assert!(rows
            .iter()
            .all(|r| r["action"] == "allow" && r["ecosystem"] == "npm"));
        let got: std::collections::BTreeSet<(String, String)> = rows
            .iter()
            .map(|r| {
                let name = r["name"].as_str().unwrap().to_owned();
                (name, r["version"].as_str().unwrap().to_owned())
            })
            .collect();
        assert_eq!(rows.len(), got.len(), "one row per package");
        assert_eq!(got, expected);
        let lines: Vec<&str> = text.lines().collect();
        for r in &rows {
            let line = lines[r["line"].as_u64().unwrap() as usize - 1];
            assert!(
                line.trim_start()
                    .starts_with(&format!("\"{}\": {{", r["name"].as_str().unwrap())),
                "{r}: {line}"
            );
        }
    }
}
