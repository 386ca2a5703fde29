//! Policy trees: an engine stacked level by level decides exactly as the same
//! layers compiled flat, and as the reference evaluator, on random trees of
//! depth 1–4 (decision, explanation, resolution mode, default, digest, counts).
//!
//! `PROPTEST_CASES` overrides the number of trees (default 10,000).
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
use package_policy::{
    Action, CompileErrorKind, CompileOptions, Engine, FeedSource, LayerSource, Request,
    RequestInput,
};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use support::policy_gen::*;

fn now() -> Timestamp {
    "2026-06-01T12:00:00Z".parse().unwrap()
}

/// Compiles `levels[0]` and stacks each following level on the result.
fn stacked(levels: &[Vec<LayerSource>]) -> Result<Engine, package_policy::CompileError> {
    let (first, rest) = levels.split_first().unwrap();
    let mut engine = Engine::compile(first)?;
    for level in rest {
        engine = engine.stack(level)?;
    }
    Ok(engine)
}

#[test]
fn stacked_trees_agree_with_flat_and_reference() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10_000);
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
        proptest::collection::vec(layer_strategy(Shape::Mixed), 1..7),
        // Where each level starts (sorted, deduplicated): depth 1–4, and
        // sometimes a level with no layer of its own.
        proptest::collection::vec(0usize..7, 0..4),
        // A layer renamed after an earlier one: a duplicate across levels.
        proptest::option::weighted(0.05, (0usize..7, 0usize..7)),
        proptest::collection::vec(request_strategy(), 1..6),
    );
    let compiled = std::cell::Cell::new(0usize);
    runner
        .run(&strategy, |(layers, cuts, dup, requests)| {
            let mut sources: Vec<LayerSource> = layers
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    LayerSource::new(format!("l{i}.yaml"), render_layer(i, l, now, &usable))
                })
                .collect();
            if let Some((a, b)) = dup {
                let (a, b) = (a % sources.len(), b % sources.len());
                if a < b {
                    sources[b].text = sources[b].text.replacen(
                        &format!("layer: l{b}\n"),
                        &format!("layer: l{a}\n"),
                        1,
                    );
                }
            }
            let mut starts: Vec<usize> = cuts.iter().map(|c| c % (sources.len() + 1)).collect();
            starts.push(0);
            starts.sort_unstable();
            starts.dedup();
            starts.push(sources.len());
            let levels: Vec<Vec<LayerSource>> = starts
                .windows(2)
                .map(|w| sources[w[0]..w[1]].to_vec())
                .collect();
            let flat = Engine::compile(&sources);
            let stack = stacked(&levels);
            let (flat, stack) = match (flat, stack) {
                (Ok(f), Ok(s)) => (f, s),
                (Err(f), Err(s)) => {
                    prop_assert_eq!(&f.kind, &s.kind, "{:?} vs {:?}", f, s);
                    return Ok(());
                }
                (f, s) => {
                    return Err(TestCaseError::fail(format!(
                        "compile disagrees: flat {:?} stacked {:?}\n{:#?}",
                        f.err(),
                        s.err(),
                        levels
                    )))
                }
            };
            compiled.set(compiled.get() + 1);
            let reference = Reference::compile(&sources).unwrap();
            prop_assert_eq!(stack.digest(), flat.digest());
            prop_assert_eq!(stack.rule_count(), flat.rule_count());
            prop_assert_eq!(stack.layer_count(), flat.layer_count());
            prop_assert_eq!(stack.depth(), levels.len());
            for r in &requests {
                let Ok(req) = Request::new(input(r, now)) else {
                    continue;
                };
                let got = stack.evaluate(&req, now);
                prop_assert_eq!(&got, &flat.evaluate(&req, now), "{:?}\n{:#?}", r, levels);
                prop_assert_eq!(&got, &reference.evaluate(&req, now));
                prop_assert_eq!(stack.explain(&req, now), flat.explain(&req, now));
            }
            let r = &requests[0];
            let vs: Vec<String> = versions(r.ecosystem)
                .iter()
                .map(|s| s.to_string())
                .collect();
            let got = stack.evaluate_versions(&input(r, now), &vs, now);
            let want = flat.evaluate_versions(&input(r, now), &vs, now);
            prop_assert_eq!(got, want);
            Ok(())
        })
        .unwrap();
    let compiled = compiled.get();
    assert!(
        compiled * 10 >= cases as usize * 8,
        "only {compiled} of {cases} trees compiled"
    );
}

fn layer(name: &str, body: &str) -> LayerSource {
    LayerSource::new(
        format!("{name}.yaml"),
        format!("schema_version: 1\nlayer: {name}\n{body}"),
    )
}

fn eval(engine: &Engine, purl: &str) -> package_policy::Decision {
    engine.evaluate(&Request::from_purl(purl).unwrap(), now())
}

#[test]
fn an_inner_allow_does_not_lift_an_outer_enforced_deny() {
    let base = Engine::compile(&[layer(
        "instance",
        "rules:\n  - id: evil\n    action: deny\n    enforced: true\n    match: { ecosystem: npm, package: evil }\n  - id: meh\n    action: deny\n    match: { ecosystem: npm, package: meh }\n",
    )])
    .unwrap();
    let project = base
        .stack(&[layer(
            "project",
            "rules:\n  - id: ok\n    action: allow\n    match: { ecosystem: npm, package: [evil, meh] }\n",
        )])
        .unwrap();
    let d = eval(&project, "pkg:npm/evil@1.0.0");
    assert_eq!(d.action, Action::Deny);
    assert_eq!(d.matched[0].id.as_ref(), "evil");
    assert_eq!(d.allowed_by[0].layer.as_ref(), "project");
    let d = eval(&project, "pkg:npm/meh@1.0.0");
    assert_eq!(d.action, Action::Allow);
    assert_eq!(d.suppressed[0].by.id.as_ref(), "ok");
    // The base is untouched.
    assert_eq!(eval(&base, "pkg:npm/meh@1.0.0").action, Action::Deny);
}

#[test]
fn defaults_combine_and_dry_run_levels_only_report() {
    let base = Engine::compile(&[layer("group", "default: warn\nrules: []\n")]).unwrap();
    let project = base
        .stack(&[layer(
            "candidate",
            "default: deny\nmode: dry_run\nrules:\n  - id: x\n    action: deny\n    match: { package: x }\n",
        )])
        .unwrap();
    let d = eval(&project, "pkg:npm/x@1.0.0");
    assert_eq!(d.action, Action::Warn);
    assert!(d.default);
    assert_eq!(d.dry_run[0].id.as_ref(), "x");
    let loose = base
        .stack(&[layer("project", "default: allow\nrules: []\n")])
        .unwrap();
    assert_eq!(eval(&loose, "pkg:npm/y@1.0.0").action, Action::Warn);
}

#[test]
fn layer_names_are_unique_across_levels() {
    let base = Engine::compile(&[layer("acme", "rules: []\n")]).unwrap();
    let err = base.stack(&[layer("acme", "rules: []\n")]).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Duplicate);
    assert!(err.to_string().contains("acme"), "{err}");
    let two = base.stack(&[layer("web", "rules: []\n")]).unwrap();
    let err = two.stack(&[layer("acme", "rules: []\n")]).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Duplicate);
}

#[test]
fn stacking_is_repeatable_and_shares_the_base() {
    let base = Engine::compile(&[layer(
        "instance",
        "rules:\n  - id: evil\n    action: deny\n    match: { ecosystem: npm, package: evil }\n",
    )])
    .unwrap();
    let group = base.stack(&[layer("group", "rules: []\n")]).unwrap();
    let a = group
        .stack(&[layer(
            "a",
            "rules:\n  - id: no-left-pad\n    action: deny\n    match: { ecosystem: npm, package: left-pad }\n",
        )])
        .unwrap();
    let b = group.stack(&[layer("b", "rules: []\n")]).unwrap();
    assert_eq!(eval(&a, "pkg:npm/left-pad@1.0.0").action, Action::Deny);
    assert_eq!(eval(&b, "pkg:npm/left-pad@1.0.0").action, Action::Allow);
    assert_eq!(eval(&b, "pkg:npm/evil@1.0.0").action, Action::Deny);
    assert_eq!((a.depth(), a.rule_count(), a.layer_count()), (3, 2, 3));
    assert_ne!(a.digest(), b.digest());
    // Stacking nothing keeps the policy set, so the digest.
    assert_eq!(group.stack(&[]).unwrap().digest(), group.digest());
}

#[test]
fn feeds_are_declared_by_the_level_that_takes_them() {
    let record = r#"{"id":"MAL-1","modified":"2026-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"bad"},"versions":["1.0.0"]}]}"#;
    let feed = || FeedSource::new("ossf").with_document("mal.json", record);
    let instance = layer(
        "instance",
        "feeds:\n  - { name: ossf, format: osv, action: deny, enforced: true }\nrules: []\n",
    );
    let project = layer(
        "project",
        "rules:\n  - id: ok\n    action: allow\n    match: { ecosystem: npm, package: bad }\n",
    );
    let options = CompileOptions::default().with_feed(feed());
    let base = Engine::compile_with(std::slice::from_ref(&instance), &options).unwrap();
    // The feed was compiled with the base: the inner level does not take it again.
    let err = base
        .stack_with(std::slice::from_ref(&project), &options)
        .unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Feed);
    let stacked = base.stack(std::slice::from_ref(&project)).unwrap();
    let flat = Engine::compile_with(&[instance, project], &options).unwrap();
    let d = eval(&stacked, "pkg:npm/bad@1.0.0");
    assert_eq!(d, eval(&flat, "pkg:npm/bad@1.0.0"));
    assert_eq!(
        d.action,
        Action::Deny,
        "an enforced feed is not lifted by an inner allow"
    );
    assert_eq!(stacked.digest(), flat.digest());
    // An inner level's own feed.
    let inner = layer(
        "inner",
        "feeds:\n  - { name: ossf, format: osv, action: warn }\nrules: []\n",
    );
    let plain = Engine::compile(&[layer("group", "rules: []\n")]).unwrap();
    let with_feed = plain.stack_with(&[inner], &options).unwrap();
    assert_eq!(eval(&with_feed, "pkg:npm/bad@1.0.0").action, Action::Warn);
    assert_eq!(with_feed.feed_report().feeds.len(), 1);
}

#[test]
fn a_tree_has_at_most_max_levels() {
    let mut engine = Engine::compile(&[]).unwrap();
    for i in 1..package_policy::MAX_LEVELS {
        engine = engine
            .stack(&[layer(&format!("l{i}"), "rules: []\n")])
            .unwrap();
    }
    let err = engine.stack(&[layer("deep", "rules: []\n")]).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Limit);
}

#[test]
fn resolution_mode_and_explain_cross_levels() {
    let base = Engine::compile(&[layer(
        "instance",
        "rules:\n  - id: old\n    action: deny\n    match: { ecosystem: npm, package: lib, versions: '<2.0.0' }\n",
    )])
    .unwrap();
    let project = base
        .stack(&[layer(
            "project",
            "rules:\n  - id: beta\n    action: warn\n    match: { ecosystem: npm, package: lib, versions: '>=3.0.0-0 <3.0.0' }\n",
        )])
        .unwrap();
    let input = RequestInput {
        ecosystem: "npm".into(),
        name: "lib".into(),
        ..RequestInput::default()
    };
    let vs: Vec<String> = ["1.0.0", "2.0.0", "3.0.0-rc.1"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let got: Vec<Action> = project
        .evaluate_versions(&input, &vs, now())
        .unwrap()
        .into_iter()
        .map(|d| d.unwrap().action)
        .collect();
    assert_eq!(got, [Action::Deny, Action::Allow, Action::Warn]);
    let req = Request::from_purl("pkg:npm/lib@1.0.0").unwrap();
    let ex = project.explain(&req, now());
    let ids: Vec<&str> = ex.rules.iter().map(|r| r.rule.id.as_ref()).collect();
    assert_eq!(ids, ["old", "beta"]);
}

#[test]
fn unreadable_license_is_the_most_severe_over_the_enforced_levels() {
    let set = |name: &str, action: &str| {
        layer(name, &format!("unreadable_license: {action}\nrules: []\n"))
    };
    let base = Engine::compile(&[set("instance", "warn")]).unwrap();
    assert_eq!(base.unreadable_license(), Some(Action::Warn));
    let deny = base.stack(&[set("project", "deny")]).unwrap();
    assert_eq!(deny.unreadable_license(), Some(Action::Deny));
    // An inner `allow` does not relax an outer `warn`, as with `default`.
    let allow = base.stack(&[set("project", "allow")]).unwrap();
    assert_eq!(allow.unreadable_license(), Some(Action::Warn));
    let flat = Engine::compile(&[set("instance", "warn"), set("project", "deny")]).unwrap();
    assert_eq!(deny.digest(), flat.digest());
    assert_eq!(deny.unreadable_license(), flat.unreadable_license());
    let unset = Engine::compile(&[layer("instance", "rules: []\n")]).unwrap();
    assert_eq!(unset.unreadable_license(), None);
    // Bundles carry it, and a level loaded on a base keeps the base's.
    let loaded = Engine::from_bytes(&deny.to_bytes()).unwrap();
    assert_eq!(loaded.unreadable_license(), Some(Action::Deny));
    let level = Engine::from_bytes(&allow.to_bytes()).unwrap();
    assert_eq!(level.unreadable_license(), Some(Action::Warn));
}
