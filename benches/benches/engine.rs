//! Compile time and evaluate latency per policy size, the naive evaluator as the
//! baseline in the same run, and version parse + contains per ecosystem.
//!
//! `PP_BENCH_SIZES=1000,10000` limits the sizes (default: 1k, 10k, 100k, 1M).
//! Before timing, every request of the stream is decided by the engine and by the
//! naive evaluator; any difference aborts the run.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode};
use package_policy::{Action, Ecosystem, Engine, Request};
use package_policy_benches::naive::Naive;
use package_policy_benches::out::{write_json, WorkloadStats};
use package_policy_benches::workload::{self, Kinds, Workload};
use package_policy_benches::{standard_workload, Names};

fn sizes() -> Vec<usize> {
    std::env::var("PP_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| workload::SIZES.to_vec())
}

fn fail(msg: String) -> ! {
    eprintln!("bench aborted: {msg}");
    std::process::exit(1)
}

fn stats(w: &Workload, engine: &Engine, reqs: &[Request], missing: &[String]) -> WorkloadStats {
    let decisions: Vec<_> = reqs.iter().map(|r| engine.evaluate(r, w.now)).collect();
    let n = reqs.len().max(1) as f64;
    let rules = w.layers.iter().flat_map(|l| l.rules.iter());
    WorkloadStats {
        rules: w.rule_count(),
        layers: w
            .layers
            .iter()
            .map(|l| (l.name.clone(), l.rules.len()))
            .collect(),
        globs: rules
            .clone()
            .filter(|r| matches!(r.package, Some(workload::Package::Glob(_))))
            .count(),
        versioned: rules.clone().filter(|r| r.versions.is_some()).count(),
        allows: rules.filter(|r| r.action == Action::Allow).count(),
        yaml_bytes: w.yaml_sources().iter().map(|s| s.text.len()).sum(),
        requests: reqs.len(),
        denied_or_warned: decisions.iter().filter(|d| !d.matched.is_empty()).count() as f64 / n,
        any_rule: decisions
            .iter()
            .filter(|d| {
                !d.matched.is_empty() || !d.allowed_by.is_empty() || !d.suppressed.is_empty()
            })
            .count() as f64
            / n,
        names: w.names.as_str().to_owned(),
        missing_kinds: missing.to_vec(),
        cross_checked: 0,
    }
}

fn cross_check(w: &Workload, engine: &Engine, naive: &Naive, reqs: &[Request]) -> usize {
    for (spec, r) in w.requests.iter().zip(reqs) {
        let a = engine.evaluate(r, w.now);
        let b = naive.evaluate(r, w.now);
        if a != b {
            fail(format!(
                "engine and naive evaluator differ on {} {} {:?}:\nengine: {a:?}\nnaive:  {b:?}",
                spec.ecosystem, spec.name, spec.version
            ));
        }
    }
    reqs.len()
}

fn bench_size(c: &mut Criterion, size: usize, kinds: Kinds, missing: &[String], names: &Names) {
    let w = standard_workload(size, kinds, names);
    let yaml = w.yaml_sources();
    let json = w.json_sources();
    let engine = Engine::compile(&yaml).unwrap_or_else(|e| fail(format!("compile {size}: {e}")));
    let naive = Naive::compile(&yaml).unwrap_or_else(|e| fail(format!("naive {size}: {e}")));
    let reqs = w
        .engine_requests()
        .unwrap_or_else(|e| fail(format!("requests: {e}")));
    let mut st = stats(&w, &engine, &reqs, missing);
    // The naive scan of 1M rules costs ~ms per request: check a prefix there.
    let checked = if size >= 1_000_000 { 500 } else { reqs.len() };
    st.cross_checked = cross_check(&w, &engine, &naive, reqs.get(..checked).unwrap_or(&reqs));
    if let Err(e) = write_json(&format!("workload-{size}"), &st) {
        eprintln!("warning: could not write workload stats: {e}");
    }
    eprintln!(
        "workload {size}: {} rules, {:.2}% denied/warned, {:.2}% any rule, names: {}",
        st.rules,
        st.denied_or_warned * 100.0,
        st.any_rule * 100.0,
        st.names
    );

    let slow = size >= 100_000;
    let mut g = c.benchmark_group("compile");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(if slow { 20 } else { 5 }));
    // At 1M rules one YAML compile takes tens of seconds (the YAML parser is
    // most of it); generated sets that large arrive as JSON.
    if size < 1_000_000 {
        g.bench_with_input(BenchmarkId::new("yaml", size), &yaml, |b, y| {
            b.iter(|| Engine::compile(black_box(y)))
        });
    }
    g.bench_with_input(BenchmarkId::new("json", size), &json, |b, j| {
        b.iter(|| Engine::compile(black_box(j)))
    });
    g.finish();

    let mut g = c.benchmark_group("evaluate");
    g.bench_function(BenchmarkId::new("engine", size), |b| {
        let mut it = reqs.iter().cycle();
        b.iter(|| it.next().map(|r| engine.evaluate(black_box(r), w.now)))
    });
    let inputs: Vec<_> = w.requests.iter().map(|r| r.input()).collect();
    g.bench_function(BenchmarkId::new("engine+request", size), |b| {
        let mut it = inputs.iter().cycle();
        b.iter(|| {
            it.next()
                .map(|i| Request::new(black_box(i.clone())).map(|r| engine.evaluate(&r, w.now)))
        })
    });
    g.finish();

    let mut g = c.benchmark_group("evaluate");
    if slow {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    g.bench_function(BenchmarkId::new("naive", size), |b| {
        let mut it = reqs.iter().cycle();
        b.iter(|| it.next().map(|r| naive.evaluate(black_box(r), w.now)))
    });
    g.finish();
    bench_resolution(c, size, &w, &engine);
}

/// A typical version and range per ecosystem (native syntax).
const VERSION_CASES: [(Ecosystem, &str, &str); 7] = [
    (Ecosystem::Npm, "4.17.21", ">=4.17.0 <4.17.21 || ^3.0.0"),
    (Ecosystem::Pypi, "2.31.0", ">=2.0,<2.31.0,!=2.29.1"),
    (
        Ecosystem::Maven,
        "2.13.4.2",
        "[2.13.0,2.13.4.1),[2.14.0,2.14.1)",
    ),
    (Ecosystem::Rubygems, "7.0.8.1", "~> 7.0.4, != 7.0.6"),
    (Ecosystem::Golang, "v0.17.0", ">=v0.7.0, <v0.17.0"),
    (Ecosystem::Nuget, "13.0.3", "[12.0.0, 13.0.1)"),
    (Ecosystem::Cargo, "1.38.0", ">=1.18.4, <1.38.0"),
];

fn bench_versions(c: &mut Criterion) {
    let mut g = c.benchmark_group("version_parse_contains");
    for (eco, version, range) in VERSION_CASES {
        let set = match package_versions::parse_range(eco, range) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("skipping {eco} versions: range `{range}`: {e}");
                continue;
            }
        };
        if let Err(e) = package_versions::Version::parse(eco, version) {
            eprintln!("skipping {eco} versions: version `{version}`: {e}");
            continue;
        }
        g.bench_function(BenchmarkId::new("parse+contains", eco.as_str()), |b| {
            b.iter(|| {
                package_versions::Version::parse(eco, black_box(version)).map(|v| set.contains(&v))
            })
        });
    }
    g.finish();
}

/// Resolution mode: one popular package with 500 published versions, decided at
/// once (`evaluate_versions`) and one by one; both must agree.
fn bench_resolution(c: &mut Criterion, size: usize, w: &Workload, engine: &Engine) {
    let versions: Vec<String> = (0..5)
        .flat_map(|a| (0..10).flat_map(move |b| (0..10).map(move |p| format!("{a}.{b}.{p}"))))
        .collect();
    let input = package_policy::RequestInput {
        ecosystem: "npm".into(),
        name: "lodash".into(),
        license: Some("MIT".into()),
        published_at: w
            .now
            .checked_sub(jiff::SignedDuration::from_hours(24 * 400))
            .ok(),
        project: Some("acme/api".into()),
        ..package_policy::RequestInput::default()
    };
    let one_by_one = |v: &String| {
        Request::new(package_policy::RequestInput {
            version: Some(v.clone()),
            ..input.clone()
        })
        .map(|r| engine.evaluate(&r, w.now))
    };
    let all = match engine.evaluate_versions(&input, &versions, w.now) {
        Ok(all) => all,
        Err(e) => fail(format!("evaluate_versions: {e}")),
    };
    for (v, d) in versions.iter().zip(&all) {
        if d.as_ref().ok() != one_by_one(v).as_ref().ok() {
            fail(format!(
                "evaluate_versions differs from evaluate on lodash {v}"
            ));
        }
    }
    let mut g = c.benchmark_group("resolution");
    g.bench_function(BenchmarkId::new("evaluate_versions", size), |b| {
        b.iter(|| engine.evaluate_versions(black_box(&input), black_box(&versions), w.now))
    });
    g.bench_function(BenchmarkId::new("one_by_one", size), |b| {
        b.iter(|| versions.iter().map(one_by_one).collect::<Vec<_>>())
    });
    // Resolve over the same 500 versions: the newest in range the policy
    // serves. `>=0`: every version in range; `<1.0.0`: the 100 oldest.
    for range in [">=0", "<1.0.0"] {
        if let Err(e) = engine.resolve(&input, range, &versions, w.now) {
            fail(format!("resolve {range}: {e}"));
        }
        g.bench_function(BenchmarkId::new(format!("resolve {range}"), size), |b| {
            b.iter(|| engine.resolve(black_box(&input), range, black_box(&versions), w.now))
        });
    }
    g.finish();
}

fn main() {
    let (kinds, missing) = Kinds::probe();
    for m in &missing {
        eprintln!("engine does not accept yet: {m}");
    }
    let sizes = sizes();
    let max = sizes.iter().copied().max().unwrap_or(1_000);
    let mut probe_cfg = package_policy_benches::Config::new(max);
    probe_cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&probe_cfg), 42);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for size in sizes {
        bench_size(&mut c, size, kinds, &missing, &names);
    }
    bench_versions(&mut c);
    c.final_summary();
}
