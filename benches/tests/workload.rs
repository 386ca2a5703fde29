#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{Action, Engine};
use package_policy_benches::naive::Naive;
use package_policy_benches::workload::{HitClass, Package};
use package_policy_benches::{Config, Kinds, Names, Workload};

fn generate(rules: usize, kinds: Kinds) -> Workload {
    generate_with(rules, kinds, 5_000)
}

fn generate_with(rules: usize, kinds: Kinds, requests: usize) -> Workload {
    let mut cfg = Config::new(rules);
    cfg.kinds = kinds;
    cfg.requests = requests;
    Workload::generate(&cfg, &Names::synthetic(rules + 30_000, 3))
}

#[test]
fn generation_is_seeded_and_sized() {
    let a = generate(10_000, Kinds::ALL);
    let b = generate(10_000, Kinds::ALL);
    assert_eq!(a.rule_count(), 10_000);
    let ya: Vec<_> = a.yaml_sources().into_iter().map(|s| s.text).collect();
    let yb: Vec<_> = b.yaml_sources().into_iter().map(|s| s.text).collect();
    assert_eq!(ya, yb);
    let names: Vec<_> = a.layers.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["feed-1", "instance", "group", "project"]);
    let rules: Vec<_> = a.layers.iter().flat_map(|l| &l.rules).collect();
    let globs = rules
        .iter()
        .filter(|r| matches!(r.package, Some(Package::Glob(_))))
        .count();
    assert!(globs >= 300, "{globs}");
    assert!(rules.iter().any(|r| !r.license.is_empty()));
    assert!(rules.iter().any(|r| !r.license_not_in.is_empty()));
    assert!(rules.iter().any(|r| r.published_within_hours.is_some()));
    assert!(rules.iter().any(|r| r.project.is_some()));
    assert!(rules.iter().filter(|r| r.action == Action::Allow).count() >= 40);
}

#[test]
fn about_two_percent_of_requests_are_meant_to_hit() {
    let w = generate(10_000, Kinds::ALL);
    let hits = w
        .requests
        .iter()
        .filter(|r| {
            matches!(
                r.class,
                HitClass::Feed
                    | HitClass::Glob
                    | HitClass::Range
                    | HitClass::License
                    | HitClass::Cooldown
            )
        })
        .count();
    let share = hits as f64 / w.requests.len() as f64;
    assert!((0.01..0.04).contains(&share), "{share}");
}

#[test]
fn without_globs_or_versions_the_workload_names_only_exact_packages() {
    let w = generate(2_000, Kinds::NAMES_ONLY);
    assert_eq!(w.rule_count(), 2_000);
    for r in w.layers.iter().flat_map(|l| &l.rules) {
        assert!(r.versions.is_none(), "{}", r.id);
        assert!(r.license.is_empty(), "{}", r.id);
    }
}

/// The workload compiles with whatever the engine accepts today, YAML and JSON
/// alike, and the engine agrees with the naive evaluator on every request.
#[test]
fn engine_and_naive_agree_on_the_stream() {
    let (kinds, _) = Kinds::probe();
    let w = generate_with(1_000, kinds, 3_000);
    let engine = Engine::compile(&w.yaml_sources()).unwrap();
    let from_json = Engine::compile(&w.json_sources()).unwrap();
    let naive = Naive::compile(&w.yaml_sources()).unwrap();
    let mut decided = 0;
    for r in w.engine_requests().unwrap() {
        let d = engine.evaluate(&r, w.now);
        assert_eq!(d, naive.evaluate(&r, w.now));
        assert_eq!(d, from_json.evaluate(&r, w.now));
        if !d.matched.is_empty() {
            decided += 1;
        }
    }
    let share = decided as f64 / w.requests.len() as f64;
    assert!((0.005..0.05).contains(&share), "{share}");
}
