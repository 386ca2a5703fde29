//! Differential test: the compiled engine (index, shared predicates, interval
//! sweeps) must decide exactly as the reference evaluator (§4 read literally)
//! over random layered policies and requests. Names come from a tiny alphabet
//! so that globs, normalization and suppression interact often.
//!
//! `PROPTEST_CASES` overrides the number of policies (default 10,000).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::collections::BTreeMap;

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{CompileOptions, Engine, LayerSource, Request, RequestInput};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::policy_gen::*;

#[test]
fn compiled_engine_agrees_with_reference() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
    agree_with_reference(Shape::Mixed, cases);
}

#[test]
fn feed_shaped_policies_agree_with_reference() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map_or(2_000, |n| n / 5);
    agree_with_reference(Shape::Feed, cases);
}

#[test]
fn advisory_policies_agree_with_reference() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map_or(2_000, |n| n / 5);
    agree_with_reference(Shape::Advisory, cases);
}

fn agree_with_reference(shape: Shape, cases: u32) {
    let usable: BTreeMap<&str, Vec<&str>> =
        ECOSYSTEMS.iter().map(|e| (*e, checked_ranges(e))).collect();
    let now: Timestamp = "2026-06-01T12:00:00Z".parse().unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        // ChaCha dominates the run time in debug builds; XorShift is plenty here.
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..Config::default()
    });
    let strategy = (
        proptest::collection::vec(layer_strategy(shape), 1..5),
        proptest::collection::vec(request_strategy(), 1..8),
    );
    let compiled = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(mut layers, mut requests)| {
            scope_fixes_advisory(&mut layers);
            // Requests for the fix versions themselves, so exemptions apply.
            let fixes: Vec<GenFix> = layers
                .iter()
                .flat_map(|l| l.advisories.iter().flatten().cloned())
                .collect();
            for f in fixes {
                requests.push(GenRequest {
                    ecosystem: f.ecosystem,
                    name: f.name,
                    version: Some(f.version),
                    ..requests[0].clone()
                });
            }
            let mut options = CompileOptions::default();
            for f in advisory_feeds(&layers) {
                options = options.with_feed(f);
            }
            let sources: Vec<LayerSource> = layers
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    LayerSource::new(format!("l{i}.yaml"), render_layer(i, l, now, &usable))
                })
                .collect();
            let engine = Engine::compile_with(&sources, &options);
            let reference = Reference::compile_with(&sources, &options);
            let (engine, reference) = match (engine, reference) {
                (Ok(e), Ok(r)) => (e, r),
                (Err(e), Err(r)) => {
                    prop_assert_eq!(e, r);
                    return Ok(());
                }
                (e, r) => {
                    return Err(TestCaseError::fail(format!(
                        "compile disagrees: engine {:?} reference {:?}",
                        e.err(),
                        r.err()
                    )))
                }
            };
            compiled.set(compiled.get() + 1);
            for r in &requests {
                let inp = input(r, now);
                let Ok(req) = Request::new(inp.clone()) else {
                    continue;
                };
                let got = engine.evaluate(&req, now);
                let want = reference.evaluate(&req, now);
                prop_assert_eq!(&got, &want, "request {:?}\n{:#?}", r, sources);
                prop_assert_eq!(engine.explain(&req, now).decision, got);
            }
            // Resolution mode over every sample version equals one-by-one evaluation.
            let r = &requests[0];
            let vs: Vec<String> = versions(r.ecosystem)
                .iter()
                .map(|s| s.to_string())
                .collect();
            if let Ok(all) = engine.evaluate_versions(&input(r, now), &vs, now) {
                for (v, got) in vs.iter().zip(all) {
                    let one = Request::new(RequestInput {
                        version: Some(v.clone()),
                        ..input(r, now)
                    });
                    match (got, one) {
                        (Ok(d), Ok(req)) => {
                            prop_assert_eq!(d, reference.evaluate(&req, now), "version {}", v)
                        }
                        (Err(_), Err(_)) => {}
                        (g, o) => {
                            return Err(TestCaseError::fail(format!(
                                "version {v}: resolution {g:?} vs request {o:?}"
                            )))
                        }
                    }
                }
            }
            Ok(())
        })
        .unwrap();
    // Most generated policies must compile, or the test checks little.
    let compiled = compiled.get();
    assert!(
        compiled * 10 >= cases as usize * 9,
        "only {compiled} of {cases} policies compiled"
    );
}
