//! The glob denial-of-service figures of docs/benchmarks.md: the time of one
//! request against many adversarial globs, and the heap of compiling many long
//! globs without an ecosystem (peak_alloc), in a release build.

use std::time::{Duration, Instant};

use package_policy::{Engine, LayerSource, Request};
use peak_alloc::PeakAlloc;

#[global_allocator]
static ALLOC: PeakAlloc = PeakAlloc;

/// `count` distinct globs of about 1 KiB shaped `*a*a*…*a` (one- or
/// two-character pieces, so no literal prefilter can skip them).
fn adversarial_layer(count: usize) -> String {
    let mut s = String::from("schema_version: 1\nlayer: dos\nrules:\n");
    for i in 0..count {
        let mut g = String::new();
        let mut k = 0;
        while g.len() < 1000 {
            // The bits of `i` make each glob distinct.
            g.push_str(if k < 12 && (i >> k) & 1 == 1 {
                "*b"
            } else {
                "*a"
            });
            k += 1;
        }
        s.push_str(&format!(
            "  - id: g{i}\n    action: deny\n    reason: r\n    match: {{ ecosystem: npm, package: \"{g}\" }}\n"
        ));
    }
    s
}

/// `count` long globs without an ecosystem, each with a brace group.
fn long_layer(count: usize) -> String {
    let mut s = String::from("schema_version: 1\nlayer: long\nrules:\n");
    for i in 0..count {
        let mut g = format!("{{x,y,z,w}}{i}-");
        while g.len() < 1000 {
            g.push_str("*Ab_");
        }
        s.push_str(&format!(
            "  - id: l{i}\n    action: deny\n    reason: r\n    match: {{ package: \"{g}\" }}\n"
        ));
    }
    s
}

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1000);
    let now = jiff::Timestamp::now();

    let src = [LayerSource::new("dos.yaml", adversarial_layer(count))];
    let t = Instant::now();
    let engine = match Engine::compile(&src) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("compile: {e}");
            std::process::exit(1);
        }
    };
    println!("adversarial: {count} globs compiled in {:?}", t.elapsed());
    let name = format!("{}c", "a".repeat(1023));
    let request = match Request::from_purl(&format!("pkg:npm/{name}@1.0.0")) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("request: {e}");
            std::process::exit(1);
        }
    };
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(engine.evaluate(&request, now));
            t.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "adversarial: one request with a {}-byte name: median {:?}",
        name.len(),
        times.get(2).copied().unwrap_or_default()
    );
    drop(engine);

    let src = [LayerSource::new("long.yaml", long_layer(4 * count))];
    let before = ALLOC.current_usage();
    ALLOC.reset_peak_usage();
    let t = Instant::now();
    let engine = match Engine::compile(&src) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("compile: {e}");
            std::process::exit(1);
        }
    };
    let elapsed = t.elapsed();
    let peak = ALLOC.peak_usage().saturating_sub(before);
    let retained = ALLOC.current_usage().saturating_sub(before);
    println!(
        "long globs without ecosystem: {} compiled in {elapsed:?}, peak {:.1} MiB, retained {:.1} MiB",
        4 * count,
        peak as f64 / 1048576.0,
        retained as f64 / 1048576.0
    );
    drop(engine);
}
