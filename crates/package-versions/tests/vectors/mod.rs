//! Shared by the PyPI, Maven and RubyGems conformance tests: reading a
//! JSON Lines vector file and tallying passes, failures and counted skips.

use std::collections::BTreeMap;

use serde_json::Value;

pub fn lines(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

pub fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("{key} in {v}"))
}

/// Outcome counts of one file: failures are listed, skips counted by reason.
#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub failures: Vec<String>,
    pub skipped: BTreeMap<&'static str, usize>,
}

impl Tally {
    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }

    pub fn skip(&mut self, reason: &'static str) {
        *self.skipped.entry(reason).or_default() += 1;
    }

    pub fn finish(self, file: &str, expected_skips: &[(&str, usize)]) {
        eprintln!("{file}: {} passed, skipped {:?}", self.passed, self.skipped);
        assert!(
            self.failures.is_empty(),
            "{file}: {} failures:\n{}",
            self.failures.len(),
            self.failures.join("\n")
        );
        let skipped: Vec<(&str, usize)> = self.skipped.into_iter().collect();
        assert_eq!(
            skipped, expected_skips,
            "{file}: skips differ from docs/versions.md"
        );
        assert!(self.passed > 0, "{file}: nothing ran");
    }
}
