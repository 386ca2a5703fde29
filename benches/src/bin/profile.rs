//! A steady loop over one phase of the standard workload, for `perf record`
//! or `valgrind --tool=callgrind` when a figure misses its target:
//! `profile compile-json|compile-yaml|evaluate|resolve RULES [SECONDS]`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use package_policy::Engine;
use package_policy_benches::workload::{self, Kinds};
use package_policy_benches::{standard_workload, Config, Names};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(phase), Some(rules)) = (
        args.first(),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: profile compile-json|compile-yaml|evaluate|resolve RULES [SECONDS]");
        std::process::exit(2);
    };
    let seconds = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10.0);
    let (kinds, _) = Kinds::probe();
    let mut cfg = Config::new(rules);
    cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&cfg), 42);
    let w = standard_workload(rules, kinds, &names);
    // Built before the policy text and the engine, so the requests sit
    // together in memory as a service's freshly parsed ones would.
    let mut reqs = w.engine_requests().unwrap_or_else(|e| {
        eprintln!("requests: {e}");
        std::process::exit(1)
    });
    let sources = match phase.as_str() {
        "compile-yaml" => w.yaml_sources(),
        _ => w.json_sources(),
    };
    let compile = || {
        Engine::compile(&sources).unwrap_or_else(|e| {
            eprintln!("compile: {e}");
            std::process::exit(1)
        })
    };
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let mut n = 0u64;
    let start = Instant::now();
    let cpu_start = thread_cpu_ns();
    if phase.starts_with("compile") {
        while Instant::now() < deadline {
            black_box(compile());
            n += 1;
        }
    } else {
        let engine = compile();
        if std::env::var_os("PROFILE_COMPACT").is_some() {
            // Fresh, contiguous copies: what a service evaluating requests it
            // just parsed sees, instead of requests scattered over the heap
            // the workload generator left behind.
            let fresh = reqs.to_vec();
            drop(reqs);
            reqs = fresh;
        }
        // The loop runs for SECONDS after the (possibly long) compile.
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        if phase == "resolve" {
            resolve(&engine, w.now, deadline);
            return;
        }
        let start_eval = Instant::now();
        let cpu_eval = thread_cpu_ns();
        while Instant::now() < deadline {
            for r in &reqs {
                black_box(engine.evaluate(r, w.now));
            }
            n += reqs.len() as u64;
        }
        let per = start_eval.elapsed().as_secs_f64() / n.max(1) as f64;
        println!(
            "{n} evaluations, {:.0} ns each{}",
            per * 1e9,
            cpu_per(cpu_eval, n, 1.0, "ns")
        );
        return;
    }
    let per = start.elapsed().as_secs_f64() / n.max(1) as f64;
    println!(
        "{n} compiles, {:.1} ms each{}",
        per * 1e3,
        cpu_per(cpu_start, n, 1e-6, "ms")
    );
}

/// This thread's CPU time in nanoseconds (Linux schedstat), so figures on a
/// shared machine can be read without the time spent waiting for a core.
fn thread_cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// ", N unit of CPU each" since `start`, or nothing off Linux.
fn cpu_per(start: Option<u64>, n: u64, scale: f64, unit: &str) -> String {
    match (start, thread_cpu_ns()) {
        (Some(a), Some(b)) => format!(
            " ({:.1} {unit} of CPU each)",
            b.saturating_sub(a) as f64 / n.max(1) as f64 * scale
        ),
        _ => String::new(),
    }
}

/// `Engine::resolve` over the 500 versions of the criterion bench
/// (`resolution` group): every version in range (`>=0`), and the 100 oldest.
fn resolve(engine: &Engine, now: jiff::Timestamp, deadline: Instant) {
    let versions: Vec<String> = (0..5)
        .flat_map(|a| (0..10).flat_map(move |b| (0..10).map(move |p| format!("{a}.{b}.{p}"))))
        .collect();
    let input = package_policy::RequestInput {
        ecosystem: "npm".into(),
        name: "lodash".into(),
        license: Some("MIT".into()),
        published_at: now
            .checked_sub(jiff::SignedDuration::from_hours(24 * 400))
            .ok(),
        project: Some("acme/api".into()),
        ..package_policy::RequestInput::default()
    };
    // (range, calls, time spent)
    let mut runs = [(">=0", 0u64, Duration::ZERO), ("<1.0.0", 0, Duration::ZERO)];
    // At least 1,000 calls each, however long the compile took.
    while runs.iter().any(|r| r.1 < 1_000) || Instant::now() < deadline {
        for (range, n, spent) in &mut runs {
            let t = Instant::now();
            for _ in 0..100 {
                black_box(engine.resolve(&input, range, &versions, now).ok());
            }
            *spent += t.elapsed();
            *n += 100;
        }
    }
    for (range, n, spent) in runs {
        let r = engine.resolve(&input, range, &versions, now).ok();
        let refused = r.as_ref().map_or(0, |r| r.refused.len());
        println!(
            "resolve {range}: {n} calls, {:.1} µs each ({refused} refused)",
            spent.as_secs_f64() / n.max(1) as f64 * 1e6
        );
    }
}
