//! Many glob rules at once (issue 18): past 16 residue patterns the engine
//! compiles them together into multi-pattern automata (index/automaton.rs),
//! with a fallback to per-pattern NFAs. Random sets of 20 to 150 patterns and
//! random names (sharing a literal or not), through the public API: the engine, and the engine after a
//! bundle round trip, decide exactly as the reference evaluator.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use package_policy::reference::Reference;
use package_policy::{Engine, LayerSource, Request, RequestInput};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::policy_gen::{name_strategy, package_name, pattern_strategy};

const ECOSYSTEMS: [&str; 4] = ["npm", "pypi", "nuget", "golang"];

fn layer(eco: &str, patterns: &[String]) -> String {
    let mut s = String::from("schema_version: 1\nlayer: many\nrules:\n");
    for (i, p) in patterns.iter().enumerate() {
        s.push_str(&format!(
            "  - id: g{i}\n    action: deny\n    reason: r\n    match: {{ ecosystem: {eco}, package: \"{p}\" }}\n"
        ));
    }
    s
}

#[test]
fn many_residue_globs_agree_with_reference() {
    agree("");
}

/// Every pattern and name starts with `ab`: most names hold the literal of
/// more than 16 patterns, defeating the prefilter, so the automata of
/// patterns with a literal decide.
#[test]
fn globs_sharing_a_literal_agree_with_reference() {
    agree("ab");
}

fn agree(prefix: &str) {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .map_or(200, |n| (n / 50).max(1));
    let now = jiff::Timestamp::UNIX_EPOCH;
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..Config::default()
    });
    let strategy = (
        0..ECOSYSTEMS.len(),
        proptest::collection::vec(pattern_strategy(), 20..150),
        proptest::collection::vec(name_strategy(), 1..40),
    );
    let decided = std::cell::Cell::new(0usize);
    let denied = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(e, patterns, names)| {
            let eco = ECOSYSTEMS[e];
            // Only patterns valid in `eco` (some Go patterns are not).
            let patterns: Vec<String> = patterns
                .into_iter()
                .map(|p| package_name(eco, &format!("{prefix}{p}")))
                .filter(|p| {
                    Reference::compile(&[LayerSource::new(
                        "p.yaml",
                        layer(eco, std::slice::from_ref(p)),
                    )])
                    .is_ok()
                })
                .collect();
            let sources = [LayerSource::new("many.yaml", layer(eco, &patterns))];
            let engine = Engine::compile(&sources).unwrap();
            let loaded = Engine::from_bytes(&engine.to_bytes()).unwrap();
            let reference = Reference::compile(&sources).unwrap();
            for name in &names {
                let Ok(req) = Request::new(RequestInput {
                    ecosystem: eco.into(),
                    name: package_name(eco, &format!("{prefix}{name}")),
                    ..RequestInput::default()
                }) else {
                    continue;
                };
                let want = reference.evaluate(&req, now);
                prop_assert_eq!(&engine.evaluate(&req, now), &want, "{} {:?}", eco, name);
                prop_assert_eq!(
                    &loaded.evaluate(&req, now),
                    &want,
                    "{} {:?} (bundle)",
                    eco,
                    name
                );
                decided.set(decided.get() + 1);
                denied.set(denied.get() + usize::from(!want.matched.is_empty()));
            }
            Ok(())
        })
        .unwrap();
    // Enough requests were decided, and matched some rule, to mean something.
    let (decided, denied) = (decided.get(), denied.get());
    assert!(
        decided > 1_000 && denied * 20 > decided,
        "{decided} decided, {denied} denied"
    );
}
