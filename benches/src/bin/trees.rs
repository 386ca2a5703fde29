//! Policy trees at scale (docs/benchmarks.md, "Policy trees"): the standard
//! workload of N rules as the instance level, 100 groups of 50 rules and
//! 10,000 projects of 10 rules. Measures building every project engine by
//! stacking against compiling each flat (a sample, extrapolated), the heap
//! and resident memory with all engines alive, evaluate at depth 4 against
//! flat, and bundle load against compile.
//!
//! `cargo run --release -p package-policy-benches --bin trees -- [RULES] [PROJECTS]`

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use package_policy::{Engine, LayerSource, Request};
use package_policy_benches::workload::{self, Kinds};
use package_policy_benches::{standard_workload, Names};
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

const GROUPS: usize = 100;
const GROUP_RULES: usize = 50;
const PROJECT_RULES: usize = 10;

/// A layer named `name` with `n` rules on names drawn from `names`: mostly
/// exact denies and allows, some with a version range, one glob in ten.
fn layer(name: &str, n: usize, names: &[String], seed: usize) -> LayerSource {
    let mut y = format!("schema_version: 1\nlayer: {name}\nrules:\n");
    for i in 0..n {
        let pkg = names
            .get((seed * 7919 + i * 104_729) % names.len().max(1))
            .map_or("x", String::as_str);
        let (action, cond) = match i % 10 {
            0 => ("deny", format!("package: '{pkg}-*'")),
            1..=3 => ("allow", format!("package: '{pkg}'")),
            4 => ("warn", format!("package: '{pkg}', versions: '<1.0.0'")),
            _ => ("deny", format!("package: '{pkg}'")),
        };
        let _ = writeln!(
            y,
            "  - id: r{i}\n    action: {action}\n    match: {{ ecosystem: npm, {cond} }}"
        );
    }
    LayerSource::new(format!("{name}.yaml"), y)
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / 1_048_576.0
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(i).copied().unwrap_or_default()
}

/// Mean time per evaluation over `requests`, best of three passes.
fn eval_ns(engine: &Engine, requests: &[Request]) -> f64 {
    let now = jiff::Timestamp::now();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let mut denied = 0usize;
        for r in requests {
            denied += usize::from(engine.evaluate(r, now).action == package_policy::Action::Deny);
        }
        std::hint::black_box(denied);
        best = best.min(t.elapsed().as_nanos() as f64 / requests.len().max(1) as f64);
    }
    best
}

fn fail(what: &str, e: impl std::fmt::Display) -> ! {
    eprintln!("{what}: {e}");
    std::process::exit(1)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let rules: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let projects: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let (kinds, _) = Kinds::probe();
    let mut cfg = package_policy_benches::Config::new(rules);
    cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&cfg), 42);
    let w = standard_workload(rules, kinds, &names);
    let sources = w.json_sources();
    let requests = match w.engine_requests() {
        Ok(r) => r,
        Err(e) => fail("requests", e),
    };
    let pool: Vec<String> = (0..5_000).map(|i| format!("tree-pkg-{i}")).collect();
    drop(w);
    println!("instance level: {rules} rules (standard workload, JSON layers)");

    // The instance level, compiled, then saved and loaded as a bundle.
    let heap0 = ALLOC.current_usage();
    let t = Instant::now();
    let instance = Engine::compile(&sources).unwrap_or_else(|e| fail("compile", e));
    let compile = t.elapsed();
    let instance_heap = ALLOC.current_usage().saturating_sub(heap0);
    let t = Instant::now();
    let bytes = instance.to_bytes();
    let write = t.elapsed();
    let mut load = Duration::MAX;
    for _ in 0..3 {
        let t = Instant::now();
        let loaded = Engine::from_bytes(&bytes).unwrap_or_else(|e| fail("load", e));
        load = load.min(t.elapsed());
        assert_eq!(loaded.digest(), instance.digest());
    }
    println!(
        "compile {:.1} ms, bundle {:.1} MiB written in {:.1} ms, loaded in {:.1} ms ({:.1}% of compile); engine heap {:.1} MiB",
        compile.as_secs_f64() * 1e3,
        mib(bytes.len()),
        write.as_secs_f64() * 1e3,
        load.as_secs_f64() * 1e3,
        100.0 * load.as_secs_f64() / compile.as_secs_f64(),
        mib(instance_heap)
    );
    drop(bytes);

    // Groups, then projects, by stacking.
    let group_layers: Vec<LayerSource> = (0..GROUPS)
        .map(|g| layer(&format!("group-{g}"), GROUP_RULES, &pool, g))
        .collect();
    let project_layers: Vec<LayerSource> = (0..projects)
        .map(|p| layer(&format!("project-{p}"), PROJECT_RULES, &pool, GROUPS + p))
        .collect();
    let heap1 = ALLOC.current_usage();
    let rss1 = rss_kib();
    let t = Instant::now();
    let groups: Vec<Engine> = group_layers
        .iter()
        .map(|l| {
            instance
                .stack(std::slice::from_ref(l))
                .unwrap_or_else(|e| fail("stack group", e))
        })
        .collect();
    let groups_time = t.elapsed();
    let mut stack_times = Vec::with_capacity(projects);
    let t = Instant::now();
    let engines: Vec<Engine> = project_layers
        .iter()
        .enumerate()
        .map(|(p, l)| {
            let s = Instant::now();
            let e = groups
                .get(p % GROUPS)
                .map(|g| g.stack(std::slice::from_ref(l)))
                .unwrap_or_else(|| fail("group", "missing"))
                .unwrap_or_else(|e| fail("stack project", e));
            stack_times.push(s.elapsed());
            e
        })
        .collect();
    let projects_time = t.elapsed();
    let tree_heap = ALLOC.current_usage().saturating_sub(heap1);
    let tree_rss = rss_kib().saturating_sub(rss1);
    stack_times.sort_unstable();
    println!(
        "stacked {GROUPS} groups in {:.1} ms; {projects} projects in {:.1} ms (per project: p50 {:.1} µs, p99 {:.1} µs)",
        groups_time.as_secs_f64() * 1e3,
        projects_time.as_secs_f64() * 1e3,
        percentile(&stack_times, 0.5).as_secs_f64() * 1e6,
        percentile(&stack_times, 0.99).as_secs_f64() * 1e6,
    );
    println!(
        "all {} engines alive: heap beyond the instance {:.1} MiB ({:.0} B per project engine incl. its group's share), RSS +{:.1} MiB; process RSS {:.1} MiB",
        projects + GROUPS,
        mib(tree_heap),
        tree_heap as f64 / projects.max(1) as f64,
        tree_rss as f64 / 1024.0,
        rss_kib() as f64 / 1024.0,
    );
    // A 20-rule layer on the instance (the "≤ 1 ms" case).
    let twenty = layer("twenty", 20, &pool, 7);
    let mut best = Duration::MAX;
    for _ in 0..20 {
        let t = Instant::now();
        let e = instance.stack(std::slice::from_ref(&twenty));
        best = best.min(t.elapsed());
        drop(e);
    }
    let h = ALLOC.current_usage();
    let kept = instance.stack(std::slice::from_ref(&twenty));
    let own = ALLOC.current_usage().saturating_sub(h);
    println!(
        "stack a 20-rule layer: {:.1} µs; its own heap {} B",
        best.as_secs_f64() * 1e6,
        own
    );
    drop(kept);

    // Flat compiles of a sample of projects, extrapolated.
    let sample = 3;
    let t = Instant::now();
    for p in 0..sample {
        let mut all = sources.clone();
        all.extend(group_layers.get(p % GROUPS).cloned());
        all.extend(project_layers.get(p).cloned());
        drop(Engine::compile(&all).unwrap_or_else(|e| fail("flat", e)));
    }
    let flat_each = t.elapsed() / sample as u32;
    println!(
        "flat compile per project {:.1} ms (mean of {sample}) → {projects} projects ≈ {:.0} s, vs {:.2} s stacking groups and projects ({:.0}×)",
        flat_each.as_secs_f64() * 1e3,
        flat_each.as_secs_f64() * projects as f64,
        (groups_time + projects_time).as_secs_f64(),
        flat_each.as_secs_f64() * projects as f64 / (groups_time + projects_time).as_secs_f64()
    );

    // Evaluate at depth 4 (instance → group → subgroup → project) vs flat.
    let sub = layer("subgroup", 20, &pool, 99_999);
    let deep = groups
        .first()
        .map(|g| g.stack(std::slice::from_ref(&sub)))
        .and_then(Result::ok)
        .and_then(|s| {
            project_layers
                .first()
                .map(|p| s.stack(std::slice::from_ref(p)))
        })
        .and_then(Result::ok)
        .unwrap_or_else(|| fail("deep", "stack failed"));
    let mut all = sources.clone();
    all.extend(group_layers.first().cloned());
    all.push(sub);
    all.extend(project_layers.first().cloned());
    let flat = Engine::compile(&all).unwrap_or_else(|e| fail("flat", e));
    assert_eq!(deep.digest(), flat.digest());
    let now = jiff::Timestamp::now();
    for r in requests.iter().take(2_000) {
        assert_eq!(deep.evaluate(r, now), flat.evaluate(r, now));
    }
    // Interleaved rounds, best of each: this VM's noise (other jobs) swamps
    // a single pass. The instance level alone and the instance loaded from
    // its bundle show what depth costs apart from memory layout.
    let loaded = Engine::from_bytes(&instance.to_bytes()).unwrap_or_else(|e| fail("load", e));
    let (mut d, mut f, mut i, mut l) = (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..3 {
        d = d.min(eval_ns(&deep, &requests));
        f = f.min(eval_ns(&flat, &requests));
        i = i.min(eval_ns(&instance, &requests));
        l = l.min(eval_ns(&loaded, &requests));
    }
    println!(
        "evaluate ({} requests): depth {} {:.0} ns, flat {:.0} ns ({:.2}×); the instance level alone {:.0} ns, loaded from its bundle {:.0} ns",
        requests.len(),
        deep.depth(),
        d,
        f,
        d / f,
        i,
        l
    );
    drop(engines);
}
