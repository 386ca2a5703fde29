//! Shared helpers for the conformance suites: reading the vectors in
//! tests/data and tallying what ran, passed and was excluded (with why).
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use package_versions::{Bound, Ecosystem, Version, VersionSet};
use serde_json::Value;

pub fn lines(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{name}: {e}: {l}")))
        .collect()
}

/// Counts for one vector file; `finish` fails the test on any failure.
pub struct Tally {
    file: &'static str,
    total: usize,
    passed: usize,
    excluded: BTreeMap<&'static str, usize>,
    failures: Vec<String>,
}

impl Tally {
    pub fn new(file: &'static str) -> Self {
        Tally {
            file,
            total: 0,
            passed: 0,
            excluded: BTreeMap::new(),
            failures: Vec::new(),
        }
    }

    pub fn exclude(&mut self, reason: &'static str) {
        self.total += 1;
        *self.excluded.entry(reason).or_default() += 1;
    }

    pub fn check(&mut self, ok: bool, what: impl FnOnce() -> String) {
        self.total += 1;
        if ok {
            self.passed += 1;
        } else {
            self.failures.push(what());
        }
    }

    pub fn excluded(&self, reason: &str) -> usize {
        self.excluded.get(reason).copied().unwrap_or(0)
    }

    pub fn finish(self) {
        println!(
            "{}: {} vectors, {} passed, {} failed, {} excluded {:?}",
            self.file,
            self.total,
            self.passed,
            self.failures.len(),
            self.total - self.passed - self.failures.len(),
            self.excluded
        );
        assert!(self.passed > 0, "{}: no vector ran", self.file);
        assert!(
            self.failures.is_empty(),
            "{}: {} failures:\n{}",
            self.file,
            self.failures.len(),
            self.failures.join("\n")
        );
    }
}

pub fn s(v: &Value, key: &str) -> String {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("no string {key} in {v}"))
        .to_owned()
}

/// Checks that two sets hold the same release versions (no pre-release):
/// all a reference run without `includePrerelease` can tell apart. Membership
/// of releases only changes at a bound, so probing the release at or after
/// each bound, its next patch, and 0.0.0 finds any difference. Returns one.
pub fn release_difference(a: &VersionSet, b: &VersionSet) -> Option<Version> {
    let eco = a.ecosystem();
    let mut probes = vec![(0, 0, 0)];
    for set in [a, b] {
        for i in set.intervals() {
            for bound in [&i.lo, &i.hi] {
                if let Bound::Included(v) | Bound::Excluded(v) = bound {
                    let (major, minor, patch) = triple(v);
                    probes.push((major, minor, patch));
                    probes.push((major, minor, patch + 1));
                }
            }
        }
    }
    probes.into_iter().find_map(|(x, y, z)| {
        let v = Version::parse(eco, &format!("{x}.{y}.{z}")).ok()?;
        (a.contains(&v) != b.contains(&v)).then_some(v)
    })
}

fn triple(v: &Version) -> (u64, u64, u64) {
    match v {
        Version::Npm(v) => (v.major(), v.minor(), v.patch()),
        Version::Cargo(v) => (v.major(), v.minor(), v.patch()),
        _ => panic!("release probes are for SemVer ecosystems"),
    }
}

pub fn is_pre(eco: Ecosystem, v: &Version) -> bool {
    match v {
        Version::Npm(v) => !v.pre().is_empty(),
        Version::Cargo(v) => !v.pre().is_empty(),
        _ => panic!("is_pre is for SemVer ecosystems ({eco})"),
    }
}
