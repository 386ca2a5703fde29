//! golang.org/x/mod's semver and pseudo-version tests (tests/data/go_*.jsonl)
//! through the public API.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{lines, s, Tally};
use package_versions::{golang, Ecosystem, Version};

fn go(text: &str) -> Result<golang::Version, package_versions::VersionError> {
    golang::Version::parse(text)
}

#[test]
fn go_valid() {
    let mut t = Tally::new("go_valid.jsonl");
    for v in lines("go_valid.jsonl") {
        let text = s(&v, "version");
        let valid = v["valid"].as_bool().unwrap();
        match go(&text) {
            Ok(p) => {
                let want = s(&v, "canonical");
                t.check(valid && p.canonical() == want, || {
                    format!(
                        "{text}: canonical {} want {want} (valid {valid})",
                        p.canonical()
                    )
                });
            }
            Err(e) => t.check(!valid, || format!("{text}: {e}")),
        }
    }
    t.finish();
}

#[test]
fn go_compare() {
    let mut t = Tally::new("go_compare.jsonl");
    for v in lines("go_compare.jsonl") {
        let (a, b) = (s(&v, "a"), s(&v, "b"));
        let (Ok(pa), Ok(pb)) = (
            Version::parse(Ecosystem::Golang, &a),
            Version::parse(Ecosystem::Golang, &b),
        ) else {
            // x/mod orders invalid strings below every valid version; we
            // reject them (go_valid.jsonl checks that they are invalid).
            t.exclude("an invalid version (rejected here, ordered lowest by x/mod)");
            continue;
        };
        let want = v["cmp"].as_i64().unwrap();
        let got = pa.cmp(&pb) as i64;
        t.check(got == want && (got == 0) == (pa == pb), || {
            format!("cmp({a}, {b}) = {got}, want {want}")
        });
    }
    t.finish();
}

#[test]
fn go_sort() {
    let mut t = Tally::new("go_sort.jsonl");
    for v in lines("go_sort.jsonl") {
        let sorted: Vec<String> = v["sorted"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_owned())
            .collect();
        // The golden list puts invalid strings first; the valid rest must
        // already be in our order.
        let valid: Vec<golang::Version> = sorted.iter().filter_map(|x| go(x).ok()).collect();
        let mut resorted = valid.clone();
        resorted.sort();
        t.check(resorted == valid && valid.len() > 20, || {
            format!("golden order differs: {valid:?}")
        });
    }
    t.finish();
}

#[test]
fn go_pseudo() {
    let mut t = Tally::new("go_pseudo.jsonl");
    for v in lines("go_pseudo.jsonl") {
        if v["pseudo_base_error"].as_bool() == Some(true) {
            let text = s(&v, "version");
            let r = go(&text).map(|p| p.pseudo_base());
            t.check(!matches!(r, Ok(Ok(_))), || format!("{text}: base {r:?}"));
            continue;
        }
        let text = s(&v, "pseudo_version");
        let older = s(&v, "older");
        let p = go(&text).unwrap();
        let base = p.pseudo_base();
        let base_text = match &base {
            Ok(Some(b)) => b.to_string(),
            _ => String::new(),
        };
        // A pseudo-version sorts after the version it was derived from.
        let after_older = older.is_empty() || go(&older).unwrap() < p;
        t.check(
            p.is_pseudo() == v["is_pseudo"].as_bool().unwrap()
                && base.is_ok()
                && base_text == older
                && after_older,
            || {
                format!(
                    "{text}: pseudo {} base {base:?} want {older}",
                    p.is_pseudo()
                )
            },
        );
    }
    t.finish();
}
