//! The package-url specification's own test suite (tests/data/purl.json, the
//! 43 files of purl-spec's tests/ directory) and its older flat test file.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use package_policy::{Purl, PurlParts};
use serde_json::{json, Value};

/// Tests this parser deliberately does not pass, with the reason (also in
/// docs/security.md). Keyed by (file, test_type, input).
const KEY_CASE: &str = "qualifier keys must be lowercase (the required gem/rpm parse tests reject `Platform=`, `Arch=`); this recommended test lowercases them instead";
const EXCLUDED: &[(&str, &str, &str, &str)] = &[
    (
        "gem-test.json",
        "validate",
        r#"pkg:gem/jruby-launcher@1.1.2?Platform=java"#,
        KEY_CASE,
    ),
    (
        "maven-test.json",
        "validate",
        r#"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=https://repo.spring.io/release"#,
        KEY_CASE,
    ),
    (
        "maven-test.json",
        "parse",
        r#"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=https://repo.spring.io/release"#,
        KEY_CASE,
    ),
    (
        "maven-test.json",
        "validate",
        r#"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release"#,
        KEY_CASE,
    ),
    (
        "maven-test.json",
        "parse",
        r#"pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?type=pom&repositorY_url=repo.spring.io/release"#,
        KEY_CASE,
    ),
    (
        "rpm-test.json",
        "validate",
        r#"pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25"#,
        KEY_CASE,
    ),
];

/// Entries of the old flat test file (purl-spec before the per-type tests)
/// that the current specification, checked above, contradicts.
const LEGACY_EXCLUDED: &[(&str, &str)] = &[
    ("pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E%2E/api/annotations/", "internally inconsistent: keeps an encoded `..` in the subpath component but drops it in the canonical form (we drop dot segments, encoded or not)"),
    ("pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E/api/annotations/", "internally inconsistent: keeps an encoded `.` in the subpath component but drops it in the canonical form (we drop dot segments, encoded or not)"),
    ("pkg:gem/jruby-launcher@1.1.2?Platform=java", KEY_CASE),
    ("pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?classifier=sources&repositorY_url=repo.spring.io/release", KEY_CASE),
    ("pkg:Maven/org.apache.xmlgraphics/batik-anim@1.9.1?extension=pom&repositorY_url=repo.spring.io/release", KEY_CASE),
    ("pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25", KEY_CASE),
    ("pkg:conan/bincrafters/cctz@2.3", "old conan rule (a namespace needs a `channel`); the current conan tests accept `pkg:conan/openssl.org/openssl@3.0.3?arch=...` without one"),
    ("pkg:conan/cctz@2.3?channel=stable", "old conan rule (a `channel` needs a namespace), dropped from the current type definition"),
    ("pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111?repository_url=https://hub-ci.huggingface.co", "old encoding: `/` left unencoded in qualifier values; the current tests encode it as %2F"),
    ("pkg:mlflow/CreditFraud@3?repository_url=https://adb-5245952564735461.0.azuredatabricks.net/api/2.0/mlflow", "old encoding: `/` left unencoded in qualifier values; the current tests encode it as %2F"),
    ("pkg:mlflow/CreditFraud@3?repository_url=https://westus2.api.azureml.ms/mlflow/v1.0/subscriptions/a50f2011-fab8-4164-af23-c62881ef8c95/resourceGroups/TestResourceGroup/providers/Microsoft.MachineLearningServices/workspaces/TestWorkspace", "old encoding: `/` left unencoded in qualifier values; the current tests encode it as %2F"),
    ("pkg:mlflow/trafficsigns@10?model_uuid=36233173b22f4c89b451f1228d700d49&run_id=410a3121-2709-4f88-98dd-dba0ef056b0a&repository_url=https://adb-5245952564735461.0.azuredatabricks.net/api/2.0/mlflow", "old encoding: `/` left unencoded in qualifier values; the current tests encode it as %2F"),
    ("pkg:cpan/URI::PackageURL@2.11", "old cpan rule (module names allowed); the current cpan tests reject `::` names"),
    ("pkg:cpan/Perl-Version@1.013", "old cpan rule (a distribution name needs an author namespace); the current cpan tests accept `pkg:cpan/URI-PackageURL`"),
];

fn components(p: &Purl) -> Value {
    let q: serde_json::Map<String, Value> = p
        .qualifiers()
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "type": p.ty(), "namespace": p.namespace(), "name": p.name(), "version": p.version(),
        "qualifiers": if q.is_empty() { Value::Null } else { Value::Object(q) },
        "subpath": p.subpath(),
    })
}

fn build(input: &Value) -> Result<String, String> {
    let s = |k: &str| input[k].as_str().map(str::to_owned);
    let qualifiers: BTreeMap<String, String> = input["qualifiers"]
        .as_object()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default();
    Purl::build(PurlParts {
        ty: s("type").unwrap_or_default(),
        namespace: s("namespace"),
        name: s("name").unwrap_or_default(),
        version: s("version"),
        qualifiers,
        subpath: s("subpath"),
    })
    .map(|p| p.to_string())
    .map_err(|e| e.to_string())
}

/// None when the test passes, else what went wrong.
fn run(test: &Value) -> Option<String> {
    let failure = test["expected_failure"].as_bool().unwrap_or(false);
    let expected = &test["expected_output"];
    let got: Result<Value, String> = match test["test_type"].as_str().unwrap() {
        "parse" => Purl::parse(test["input"].as_str().unwrap())
            .map(|p| components(&p))
            .map_err(|e| e.to_string()),
        // "validate" in this schema version: parse, then print the canonical form.
        "validate" => Purl::parse(test["input"].as_str().unwrap())
            .map(|p| Value::String(p.to_string()))
            .map_err(|e| e.to_string()),
        "build" => build(&test["input"]).map(Value::String),
        other => return Some(format!("unknown test type {other}")),
    };
    match (failure, got) {
        (true, Err(_)) => None,
        (true, Ok(v)) => Some(format!("expected a failure, got {v}")),
        (false, Err(e)) => Some(format!("unexpected error: {e}")),
        (false, Ok(v)) if &v == expected => None,
        (false, Ok(v)) => Some(format!("expected {expected}, got {v}")),
    }
}

#[test]
fn purl_spec_suite() {
    let corpus: Value = serde_json::from_str(include_str!("data/purl.json")).unwrap();
    let (mut passed, mut excluded, mut failures) = (0, 0, Vec::new());
    for (path, file) in corpus["files"].as_object().unwrap() {
        let file_name = path.rsplit('/').next().unwrap();
        for test in file["tests"].as_array().unwrap() {
            let ty = test["test_type"].as_str().unwrap();
            let input = match &test["input"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let is_excluded = EXCLUDED
                .iter()
                .any(|(f, t, i, _)| *f == file_name && *t == ty && *i == input);
            match (run(test), is_excluded) {
                (None, false) => passed += 1,
                (Some(_), true) => excluded += 1,
                (None, true) => {
                    failures.push(format!("{file_name} {ty} {input}: excluded but passes"))
                }
                (Some(why), false) => failures.push(format!("{file_name} {ty} {input}: {why}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(passed + excluded, 586, "the corpus has 586 tests");
    assert_eq!(excluded, EXCLUDED.len());
    eprintln!("purl-spec: {passed} passed, {excluded} excluded");
}

#[test]
fn legacy_test_suite_data() {
    let corpus: Value =
        serde_json::from_str(include_str!("data/purl_legacy_test_suite_data.json")).unwrap();
    let mut failures = Vec::new();
    let (mut passed, mut excluded) = (0, 0);
    for t in corpus.as_array().unwrap() {
        let purl = t["purl"].as_str().unwrap();
        if let Some((_, why)) = LEGACY_EXCLUDED.iter().find(|(p, _)| *p == purl) {
            // An excluded entry must still be handled without a panic.
            let _ = Purl::parse(purl);
            assert!(!why.is_empty());
            excluded += 1;
            continue;
        }
        let invalid = t["is_invalid"].as_bool().unwrap();
        match (Purl::parse(purl), invalid) {
            (Err(_), true) => passed += 1,
            (Ok(p), true) => failures.push(format!("{purl}: expected invalid, got {p}")),
            (Err(e), false) => failures.push(format!("{purl}: {e}")),
            (Ok(p), false) => {
                let mut expected = json!({
                    "type": t["type"], "namespace": t["namespace"], "name": t["name"],
                    "version": t["version"], "qualifiers": t["qualifiers"], "subpath": t["subpath"],
                });
                if expected["qualifiers"]
                    .as_object()
                    .is_some_and(|q| q.is_empty())
                {
                    expected["qualifiers"] = Value::Null;
                }
                let got = components(&p);
                if got != expected {
                    failures.push(format!("{purl}: expected {expected}, got {got}"));
                } else if p.to_string() != t["canonical_purl"].as_str().unwrap() {
                    failures.push(format!(
                        "{purl}: canonical {p}, expected {}",
                        t["canonical_purl"]
                    ));
                } else {
                    passed += 1;
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(excluded, LEGACY_EXCLUDED.len());
    assert_eq!(passed + excluded, 59, "the legacy file has 59 entries");
    eprintln!("purl legacy suite: {passed} passed, {excluded} excluded");
}

/// Inputs the `purl` fuzz target found (fuzz/fuzz_targets/purl.rs).
const FUZZ_REGRESSIONS: &[&str] = &[
    // git: an empty segment after the type and runs of `/` inside the name.
    "pkg:git//codeberg.org/forge///////////////////////////////////////jo/forgejo@a71d2c07cfca03b55371089de6aa230d8c951fa0toptions/locale_readme.md",
    // A dot segment written encoded.
    "pkg:npm/a#%2E/b/%2E%2E",
];

/// The canonical form parses back to the same purl and prints identically,
/// for every parseable input of both suites and every fuzz finding.
#[test]
fn canonical_form_round_trips() {
    let corpus: Value = serde_json::from_str(include_str!("data/purl.json")).unwrap();
    let legacy: Value =
        serde_json::from_str(include_str!("data/purl_legacy_test_suite_data.json")).unwrap();
    let mut inputs: Vec<String> = FUZZ_REGRESSIONS.iter().map(|s| (*s).to_owned()).collect();
    for file in corpus["files"].as_object().unwrap().values() {
        for t in file["tests"].as_array().unwrap() {
            if let Some(s) = t["input"].as_str() {
                inputs.push(s.to_owned());
            }
        }
    }
    inputs.extend(
        legacy
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["purl"].as_str().unwrap().to_owned()),
    );
    let mut checked = 0;
    for input in &inputs {
        let Ok(purl) = Purl::parse(input) else {
            continue;
        };
        let canonical = purl.to_string();
        let again = Purl::parse(&canonical).unwrap_or_else(|e| panic!("{input}: {canonical}: {e}"));
        assert_eq!(again, purl, "{input} → {canonical}");
        assert_eq!(again.to_string(), canonical);
        checked += 1;
    }
    assert!(checked > 400, "{checked}");
}
