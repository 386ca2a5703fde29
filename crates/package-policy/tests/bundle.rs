//! Bundles: engines round-trip through bytes (flat, stacked, with every kind
//! of condition) and decide exactly as before; hostile bytes (truncated,
//! flipped, foreign, other versions, tampered with a fixed checksum) are typed
//! errors, never a panic or a different engine.
//!
//! `PROPTEST_CASES` scales the number of random policies (default 10,000 / 10).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeMap;

use jiff::Timestamp;
use package_policy::{
    Action, CompileOptions, Engine, FeedSource, LayerSource, LoadErrorKind, Request, BUNDLE_MAGIC,
    BUNDLE_VERSION,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use sha2::{Digest, Sha256};
use support::policy_gen::*;

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

const HEADER: usize = 84;

fn examples() -> Vec<LayerSource> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/policies/");
    ["instance.yaml", "group.yaml"]
        .iter()
        .map(|f| LayerSource::new(*f, std::fs::read_to_string(format!("{root}{f}")).unwrap()))
        .collect()
}

#[test]
fn random_policies_round_trip() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map_or(1_000, |n| n / 10);
    let usable: BTreeMap<&str, Vec<&str>> =
        ECOSYSTEMS.iter().map(|e| (*e, checked_ranges(e))).collect();
    let now = now();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec(layer_strategy(Shape::Mixed), 1..5),
        proptest::collection::vec(layer_strategy(Shape::Feed), 0..2),
        proptest::collection::vec(request_strategy(), 1..6),
    );
    runner
        .run(&strategy, |(outer, inner, requests)| {
            let render = |layers: &[GenLayer], from: usize| -> Vec<LayerSource> {
                layers
                    .iter()
                    .enumerate()
                    .map(|(i, l)| {
                        let n = from + i;
                        LayerSource::new(format!("l{n}.yaml"), render_layer(n, l, now, &usable))
                    })
                    .collect()
            };
            let Ok(base) = Engine::compile(&render(&outer, 0)) else {
                return Ok(());
            };
            let Ok(engine) = base.stack(&render(&inner, outer.len())) else {
                return Ok(());
            };
            let loaded = Engine::from_bytes(&engine.to_bytes()).unwrap();
            prop_assert_eq!(loaded.digest(), engine.digest());
            prop_assert_eq!(loaded.rule_count(), engine.rule_count());
            prop_assert_eq!(loaded.depth(), engine.depth());
            // Writing a loaded engine gives the same bytes.
            prop_assert_eq!(loaded.to_bytes(), engine.to_bytes());
            for r in &requests {
                let Ok(req) = Request::new(input(r, now)) else {
                    continue;
                };
                prop_assert_eq!(loaded.explain(&req, now), engine.explain(&req, now));
            }
            let r = &requests[0];
            let vs: Vec<String> = versions(r.ecosystem)
                .iter()
                .map(|s| s.to_string())
                .collect();
            prop_assert_eq!(
                loaded.evaluate_versions(&input(r, now), &vs, now),
                engine.evaluate_versions(&input(r, now), &vs, now)
            );
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_loaded_bundle_can_be_stacked_on() {
    let base = Engine::compile(&examples()).unwrap();
    let loaded = Engine::from_bytes(&base.to_bytes()).unwrap();
    let project = LayerSource::new(
        "project.yaml",
        "schema_version: 1\nlayer: acme/web\nrules:\n  - id: no-lodash\n    action: deny\n    match: { ecosystem: npm, package: lodash }\n",
    );
    let stacked = loaded.stack(std::slice::from_ref(&project)).unwrap();
    let mut all = examples();
    all.push(project);
    let flat = Engine::compile(&all).unwrap();
    assert_eq!(stacked.digest(), flat.digest());
    for purl in [
        "pkg:npm/lodash@4.17.21",
        "pkg:npm/event-stream@3.3.6",
        "pkg:pypi/django@4.2.1",
    ] {
        let req = Request::from_purl(purl).unwrap();
        assert_eq!(
            stacked.explain(&req, now()),
            flat.explain(&req, now()),
            "{purl}"
        );
    }
    let req = Request::from_purl("pkg:npm/lodash@4.17.21").unwrap();
    assert_eq!(stacked.evaluate(&req, now()).action, Action::Deny);
}

#[test]
fn feed_reports_and_shared_strings_survive() {
    let record = r#"{"id":"MAL-1","modified":"2026-01-01T00:00:00Z","summary":"bad","affected":[{"package":{"ecosystem":"npm","name":"bad"},"versions":["1.0.0","1.0.1"]}]}"#;
    // Skipped records: their reasons, counts and positions are part of the report.
    let other = r#"{"id":"MAL-2","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"Packagist","name":"x/y"},"versions":["1.0"]}]}"#;
    let layer = LayerSource::new(
        "i.yaml",
        "schema_version: 1\nlayer: instance\nfeeds:\n  - { name: ossf, format: osv, action: deny }\nrules: []\n",
    );
    let options = CompileOptions::default().lenient_feeds(true).with_feed(
        FeedSource::new("ossf")
            .with_document("m.json", record)
            .with_document("p.jsonl", format!("{other}\nnot json\n")),
    );
    let engine = Engine::compile_with(&[layer], &options).unwrap();
    let loaded = Engine::from_bytes(&engine.to_bytes()).unwrap();
    assert_eq!(loaded.feed_report(), engine.feed_report());
    let stats = &engine.feed_report().feeds[0].1;
    assert!(stats.reasons.len() >= 2, "{stats:?}");
    let req = Request::from_purl("pkg:npm/bad@1.0.1").unwrap();
    assert_eq!(loaded.evaluate(&req, now()), engine.evaluate(&req, now()));
}

/// A bundle with every part of the format in use.
fn sample() -> Vec<u8> {
    let base = Engine::compile(&examples()).unwrap();
    base.stack(&[LayerSource::new(
        "p.yaml",
        "schema_version: 1\nlayer: p\ndefault: warn\nrules:\n  - id: g\n    action: deny\n    expires: 2030-01-01\n    match: { package: '{x,y}*z[a-c]', project: 'acme/**', attributes: { k: 1, s: 'v' }, published_within: 3d }\n",
    )])
    .unwrap()
    .to_bytes()
}

fn reseal(mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = Sha256::digest(&bytes[HEADER..]);
    bytes[52..HEADER].copy_from_slice(&sum);
    bytes
}

#[test]
fn every_truncation_is_an_error() {
    let bytes = sample();
    for n in 0..bytes.len() {
        let err = Engine::from_bytes(&bytes[..n]).unwrap_err();
        let want = if n < HEADER || n > 8 {
            LoadErrorKind::Truncated
        } else {
            LoadErrorKind::Foreign
        };
        assert_eq!(err.kind, want, "cut at {n}: {err}");
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert_eq!(
        Engine::from_bytes(&longer).unwrap_err().kind,
        LoadErrorKind::Truncated
    );
}

#[test]
fn foreign_and_other_version_bytes_are_refused() {
    for foreign in [
        &b""[..],
        b"schema_version: 1\nlayer: x\n",
        b"\x7fELF\x02\x01\x01",
    ] {
        let kind = Engine::from_bytes(foreign).unwrap_err().kind;
        assert!(
            matches!(kind, LoadErrorKind::Foreign | LoadErrorKind::Truncated),
            "{kind:?}"
        );
    }
    let mut bytes = sample();
    let other = BUNDLE_VERSION + 1;
    bytes[8..12].copy_from_slice(&other.to_le_bytes());
    let err = Engine::from_bytes(&bytes).unwrap_err();
    assert_eq!(err.kind, LoadErrorKind::Version);
    assert!(
        err.to_string().contains(&format!("version {other}")),
        "{err}"
    );
    assert_eq!(&sample()[..8], &BUNDLE_MAGIC);
}

#[test]
fn every_flipped_byte_is_an_error() {
    let bytes = sample();
    for i in 0..bytes.len() {
        let mut bad = bytes.clone();
        bad[i] ^= 0x20;
        let err = Engine::from_bytes(&bad).unwrap_err();
        let want = match i {
            0..=7 => LoadErrorKind::Foreign,
            8..=11 => LoadErrorKind::Version,
            // The header's digest no longer names the engine inside.
            12..=43 => LoadErrorKind::Corrupt,
            44..=51 => LoadErrorKind::Truncated,
            _ => LoadErrorKind::Checksum,
        };
        assert_eq!(err.kind, want, "byte {i}: {err}");
    }
}

#[test]
fn tampered_payloads_never_panic() {
    let bytes = sample();
    let good = Engine::from_bytes(&bytes).unwrap();
    let req = Request::from_purl("pkg:npm/xqzb@1.0.0").unwrap();
    let mut loaded = 0;
    for i in HEADER..bytes.len() {
        for x in [0x01u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] ^= x;
            match Engine::from_bytes(&reseal(bad)) {
                Err(e) => assert_eq!(e.kind, LoadErrorKind::Corrupt, "byte {i}"),
                Ok(engine) => {
                    // Some bytes (a reason's text, a version bound) can change
                    // without breaking the structure: the engine is valid.
                    loaded += 1;
                    let _ = engine.evaluate(&req, now());
                    let _ = engine.explain(&req, now());
                    let _ = engine.to_bytes();
                }
            }
        }
    }
    assert!(loaded < (bytes.len() - HEADER) * 3);
    let _ = good;
}
