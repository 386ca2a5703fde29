//! The peer comparison (feature `peers`): this engine, regorus (interpreter,
//! compiled policy, RVM) and, on the name-only subset, cedar-policy, on the same
//! workload as benches/engine.rs. Before timing, the engines' answers (action and
//! unsuppressed rules) are compared request by request; a mismatch aborts the run.
//!
//! `PP_BENCH_PEER_SIZES` (default 1000,10000) and `PP_BENCH_CHECK`
//! (requests cross-checked against regorus per size; default: the whole stream
//! up to 10,000 rules, 1,000 requests beyond).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, SamplingMode};
use package_policy::Engine;
use package_policy_benches::out::write_json;
use package_policy_benches::peers::{cedar, rego, Answer};
use package_policy_benches::workload::{self, Kinds, Workload};
use package_policy_benches::{standard_workload, Names};
use serde::Serialize;

fn fail(msg: String) -> ! {
    eprintln!("bench aborted: {msg}");
    std::process::exit(1)
}

fn env_sizes(var: &str, default: &[usize]) -> Vec<usize> {
    std::env::var(var)
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| default.to_vec())
}

#[derive(Serialize)]
struct CrossCheck {
    rules: usize,
    name_only_rules: usize,
    requests: usize,
    regorus_checked: usize,
    cedar_checked: usize,
    regorus_data_bytes: usize,
    /// Why the RVM was left out, when it could not evaluate the policy.
    rvm_error: Option<String>,
}

fn check(what: &str, w: &Workload, i: usize, ours: &Answer, theirs: &Answer) {
    if ours != theirs {
        let r = w.requests.get(i);
        fail(format!(
            "{what} differs on request {i} {:?}:\n  package-policy: {ours:?}\n  {what}: {theirs:?}",
            r.map(|r| (r.ecosystem, &r.name, r.version, r.license, &r.project))
        ));
    }
}

fn bench_size(c: &mut Criterion, size: usize, kinds: Kinds, names: &Names) {
    let w = standard_workload(size, kinds, names);
    let engine = Engine::compile(&w.yaml_sources()).unwrap_or_else(|e| fail(e.to_string()));
    let reqs = w.engine_requests().unwrap_or_else(|e| fail(e.to_string()));
    let data = rego::data_json(&w);
    let inputs = rego::inputs(&w).unwrap_or_else(|e| fail(e));
    let mut interp = rego::Interpreter::new(&data).unwrap_or_else(|e| fail(e));
    let compiled = rego::Compiled::new(&data).unwrap_or_else(|e| fail(e));
    let mut rvm = rego::Rvm::new(&data).unwrap_or_else(|e| fail(e));

    let default_check = if size <= 10_000 { reqs.len() } else { 1_000 };
    let n_check = std::env::var("PP_BENCH_CHECK")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default_check)
        .min(reqs.len());
    let mut rvm_error: Option<String> = None;
    for (i, (r, input)) in reqs.iter().zip(&inputs).take(n_check).enumerate() {
        let ours = Answer::of(&engine.evaluate(r, w.now));
        let a = interp.eval(input).and_then(|v| rego::answer(&v));
        let a =
            a.unwrap_or_else(|e| fail(format!("{e}\n{}\ninput: {input}", interp.explain(input))));
        check("regorus", &w, i, &ours, &a);
        let a = compiled.eval(input).and_then(|v| rego::answer(&v));
        check(
            "regorus-compiled",
            &w,
            i,
            &ours,
            &a.unwrap_or_else(|e| fail(e)),
        );
        if rvm_error.is_none() {
            match rvm.eval(input).and_then(|v| rego::answer(&v)) {
                Ok(a) => check("regorus-rvm", &w, i, &ours, &a),
                // Left out of the timing, and the report says why.
                Err(e) => rvm_error = Some(format!("request {i}: {e}")),
            }
        }
    }

    // Cedar on the name-only subset, against this engine on the same subset.
    let sub = w.name_only();
    let sub_sources = sub.yaml_sources();
    let sub_engine = Engine::compile(&sub_sources).unwrap_or_else(|e| fail(e.to_string()));
    let (text, keys) = cedar::policy_text(&sub);
    let ced = cedar::Cedar::compile(&text, keys.clone()).unwrap_or_else(|e| fail(e));
    let creqs = cedar::requests(&sub).unwrap_or_else(|e| fail(e));
    for (i, (r, cr)) in reqs.iter().zip(&creqs).enumerate() {
        let ours = Answer::of(&sub_engine.evaluate(r, w.now));
        check("cedar", &w, i, &ours, &ced.answer(&ced.eval(cr)));
    }
    let cc = CrossCheck {
        rules: w.rule_count(),
        name_only_rules: sub.rule_count(),
        requests: reqs.len(),
        regorus_checked: n_check,
        cedar_checked: creqs.len(),
        regorus_data_bytes: data.len(),
        rvm_error: rvm_error.clone(),
    };
    if let Some(e) = &rvm_error {
        eprintln!("regorus RVM left out: {e}");
    }
    eprintln!(
        "peers {size}: regorus agreed on {n_check} requests, cedar on {} ({} name-only rules)",
        cc.cedar_checked, cc.name_only_rules
    );
    if let Err(e) = write_json(&format!("peers-{size}"), &cc) {
        eprintln!("warning: {e}");
    }

    let slow = size >= 10_000;
    let mut g = c.benchmark_group("peer_evaluate");
    g.bench_function(BenchmarkId::new("engine", size), |b| {
        let mut it = reqs.iter().cycle();
        b.iter(|| it.next().map(|r| engine.evaluate(black_box(r), w.now)))
    });
    if slow {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    g.bench_function(BenchmarkId::new("regorus", size), |b| {
        let mut it = inputs.iter().cycle();
        b.iter(|| it.next().map(|i| interp.eval(black_box(i))))
    });
    g.bench_function(BenchmarkId::new("regorus-compiled", size), |b| {
        let mut it = inputs.iter().cycle();
        b.iter(|| it.next().map(|i| compiled.eval(black_box(i))))
    });
    if rvm_error.is_none() {
        g.bench_function(BenchmarkId::new("regorus-rvm", size), |b| {
            let mut it = inputs.iter().cycle();
            b.iter(|| it.next().map(|i| rvm.eval(black_box(i))))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("cedar_evaluate");
    g.bench_function(BenchmarkId::new("engine", size), |b| {
        let mut it = reqs.iter().cycle();
        b.iter(|| it.next().map(|r| sub_engine.evaluate(black_box(r), w.now)))
    });
    if slow {
        g.sample_size(10).sampling_mode(SamplingMode::Flat);
    }
    g.bench_function(BenchmarkId::new("cedar", size), |b| {
        let mut it = creqs.iter().cycle();
        b.iter(|| it.next().map(|r| ced.eval(black_box(r))))
    });
    g.finish();

    let mut g = c.benchmark_group("peer_compile");
    g.sample_size(10).sampling_mode(SamplingMode::Flat);
    g.measurement_time(Duration::from_secs(if slow { 15 } else { 5 }));
    g.bench_function(BenchmarkId::new("regorus", size), |b| {
        b.iter(|| rego::load(black_box(&data)).map(drop))
    });
    if rvm_error.is_none() {
        g.bench_function(BenchmarkId::new("regorus-rvm", size), |b| {
            b.iter(|| rego::Rvm::new(black_box(&data)).map(drop))
        });
    }
    g.bench_function(BenchmarkId::new("cedar", size), |b| {
        b.iter(|| cedar::Cedar::compile(black_box(&text), keys.clone()).map(drop))
    });
    g.bench_function(BenchmarkId::new("engine-name-only", size), |b| {
        b.iter(|| Engine::compile(black_box(&sub_sources)).map(drop))
    });
    g.finish();
}

fn main() {
    let (kinds, missing) = Kinds::probe();
    for m in &missing {
        eprintln!("engine does not accept yet: {m}");
    }
    // At 100k rules cross-checking regorus and Cedar alone takes over ten minutes.
    let sizes = env_sizes("PP_BENCH_PEER_SIZES", &[1_000, 10_000]);
    let max = env_sizes("PP_BENCH_SIZES", &workload::SIZES)
        .into_iter()
        .chain(sizes.iter().copied())
        .max()
        .unwrap_or(1_000);
    let mut cfg = package_policy_benches::Config::new(max);
    cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&cfg), 42);
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    for size in sizes {
        bench_size(&mut c, size, kinds, &names);
    }
    c.final_summary();
}
