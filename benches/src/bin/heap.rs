//! Heap per rule: live bytes the compiled engine keeps, and the peak while
//! compiling, counted by a global allocator (peak_alloc). Sizes from argv or
//! `PP_BENCH_SIZES`; results to target/bench-report/heap.json.

use package_policy::Engine;
use package_policy_benches::out::write_json;
use package_policy_benches::workload::{self, Kinds};
use package_policy_benches::{standard_workload, Names};
use peak_alloc::PeakAlloc;
use serde::Serialize;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

#[derive(Debug, Serialize)]
struct HeapFigure {
    rules: usize,
    /// Bytes still allocated after compiling, with the sources dropped.
    retained_bytes: usize,
    /// Highest allocation while compiling, over the sources already in memory.
    peak_bytes: usize,
    source_bytes: usize,
    retained_per_rule: f64,
    peak_per_rule: f64,
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .chain(std::env::var("PP_BENCH_SIZES").ok())
        .flat_map(|a| {
            a.split(',')
                .filter_map(|x| x.trim().parse().ok())
                .collect::<Vec<usize>>()
        })
        .collect();
    let sizes = if sizes.is_empty() {
        workload::SIZES.to_vec()
    } else {
        sizes
    };
    let (kinds, _) = Kinds::probe();
    let max = sizes.iter().copied().max().unwrap_or(1_000);
    let mut cfg = package_policy_benches::Config::new(max);
    cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&cfg), 42);
    let mut figures = Vec::new();
    for size in sizes {
        let w = standard_workload(size, kinds, &names);
        let sources = w.yaml_sources();
        let rules = w.rule_count();
        drop(w);
        let source_bytes: usize = sources
            .iter()
            .map(|s| s.text.capacity() + s.name.capacity())
            .sum();
        let before = ALLOC.current_usage();
        ALLOC.reset_peak_usage();
        let engine = match Engine::compile(&sources) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("compile {size}: {e}");
                std::process::exit(1);
            }
        };
        let peak = ALLOC.peak_usage().saturating_sub(before);
        drop(sources);
        let after_sources = ALLOC.current_usage();
        // `before` included the sources; what remains beyond them is the engine.
        let retained = (after_sources + source_bytes).saturating_sub(before);
        let f = HeapFigure {
            rules,
            retained_bytes: retained,
            peak_bytes: peak,
            source_bytes,
            retained_per_rule: retained as f64 / rules.max(1) as f64,
            peak_per_rule: peak as f64 / rules.max(1) as f64,
        };
        println!(
            "{:>9} rules: {:>7.1} B/rule retained ({:.1} MiB), peak {:.1} MiB while compiling",
            f.rules,
            f.retained_per_rule,
            f.retained_bytes as f64 / 1048576.0,
            f.peak_bytes as f64 / 1048576.0
        );
        figures.push(f);
        drop(engine);
    }
    if let Err(e) = write_json("heap", &figures) {
        eprintln!("could not write heap.json: {e}");
    }
}
