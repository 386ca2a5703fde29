//! `package-policy test FILE`: policy unit tests, in the manner of `opa test`.
//!
//! ```yaml
//! policies: [instance.yaml, project.yaml]   # relative to this file, outermost first
//! now: 2026-11-25T00:00:00Z                 # optional; a test may set its own
//! tests:
//!   - name: event-stream is blocked
//!     request: pkg:npm/event-stream@3.3.6   # a purl, or a request object (§5)
//!     expect: { action: deny, matched: [event-stream-backdoor] }
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use package_policy::Decision;
use serde::Deserialize;

use crate::policy_files::PolicyFiles;
use crate::{decision_json, exit, request_json};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestFile {
    policies: Vec<String>,
    /// Feed name → path relative to the test file.
    #[serde(default)]
    feeds: BTreeMap<String, String>,
    now: Option<String>,
    tests: Vec<TestCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestCase {
    name: String,
    request: serde_yaml_ng::Value,
    now: Option<String>,
    expect: Expect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    action: ExpectedAction,
    matched: Option<Vec<String>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum ExpectedAction {
    Allow,
    Warn,
    Deny,
}

impl ExpectedAction {
    fn as_str(self) -> &'static str {
        match self {
            ExpectedAction::Allow => "allow",
            ExpectedAction::Warn => "warn",
            ExpectedAction::Deny => "deny",
        }
    }
}

/// Runs the tests of `file`; its policies stack on the bundle `engine`, if given.
pub fn run(file: &Path, engine: Option<&Path>) -> u8 {
    let name = file.display().to_string();
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{name}: cannot read test file: {e}");
            return exit::USAGE;
        }
    };
    let spec: TestFile = match serde_yaml_ng::from_str(&text) {
        Ok(s) => s,
        Err(e) => {
            match e.location() {
                Some(l) => eprintln!("{name}:{}:{}: {e}", l.line(), l.column()),
                None => eprintln!("{name}: {e}"),
            }
            return exit::USAGE;
        }
    };
    let base = file.parent().unwrap_or(Path::new("."));
    let resolve = |p: &str| -> PathBuf { base.join(p) };
    let paths: Vec<PathBuf> = spec.policies.iter().map(|p| resolve(p)).collect();
    let files = match PolicyFiles::read(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}", e.0);
            return exit::USAGE;
        }
    };
    let feeds: Vec<String> = spec
        .feeds
        .iter()
        .map(|(n, p)| format!("{n}={}", resolve(p).display()))
        .collect();
    let base = match engine.map(super::load_bundle).transpose() {
        Ok(b) => b,
        Err(code) => return code,
    };
    let engine = match crate::feeds::compile(
        base.as_ref(),
        &files,
        &feeds,
        crate::feeds::Strictness::default(),
    ) {
        Ok(e) => e,
        Err(code) => return code,
    };
    let default_now = match time(spec.now.as_deref(), None) {
        Ok(t) => t,
        Err(m) => {
            eprintln!("{name}: now: {m}");
            return exit::USAGE;
        }
    };

    let mut failed = 0usize;
    let total = spec.tests.len();
    for case in spec.tests {
        let now = match time(case.now.as_deref(), Some(default_now)) {
            Ok(t) => t,
            Err(m) => {
                println!("FAIL {}\n    now: {m}", case.name);
                failed += 1;
                continue;
            }
        };
        let request = match request_json::from_yaml(case.request) {
            Ok(r) => r,
            Err(m) => {
                println!("FAIL {}\n    request: {m}", case.name);
                failed += 1;
                continue;
            }
        };
        let decision = engine.evaluate(&request, now);
        match diff(&case.expect, &decision) {
            None => println!("ok   {}", case.name),
            Some(lines) => {
                failed += 1;
                println!("FAIL {}", case.name);
                for l in lines {
                    println!("    {l}");
                }
                println!("    decision: {}", decision_json::decision(&decision));
            }
        }
    }
    println!("--------------------------------------------------------------------------------");
    println!("PASS: {}/{total}", total - failed);
    if failed > 0 {
        println!("FAIL: {failed}/{total}");
    }
    if failed == 0 {
        exit::OK
    } else {
        exit::FAIL
    }
}

fn time(text: Option<&str>, fallback: Option<Timestamp>) -> Result<Timestamp, String> {
    match (text, fallback) {
        (Some(s), _) => s
            .parse()
            .map_err(|e| format!("`{s}` is not an RFC 3339 time: {e}")),
        (None, Some(t)) => Ok(t),
        (None, None) => Ok(Timestamp::now()),
    }
}

/// The expectation's fields that differ from the decision, as `-` expected
/// and `+` actual lines; `None` when the test passes.
fn diff(expect: &Expect, d: &Decision) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    if expect.action.as_str() != d.action.as_str() {
        lines.push(format!("- action: {}", expect.action.as_str()));
        lines.push(format!(
            "+ action: {}{}",
            d.action,
            if d.default { " (the default)" } else { "" }
        ));
    }
    if let Some(want) = &expect.matched {
        let got: Vec<&str> = d.matched.iter().map(|r| &*r.id).collect();
        if *want != got {
            lines.push(format!("- matched: [{}]", want.join(", ")));
            lines.push(format!("+ matched: [{}]", got.join(", ")));
        }
    }
    (!lines.is_empty()).then_some(lines)
}
