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

/// `count` distinct residue globs of eight short pieces (`*a`, `?`, `*b`,
/// `[ab]`, picked by the bits of the rule number) and a final `?*`: no table
/// takes them and no literal of two characters lets the prefilter skip one.
/// With `prefix` (`ab`), every glob has that literal and every name tried
/// holds it (names tried start with `ab` either way), so the prefilter
/// selects all of them.
fn residue_layer(count: usize, prefix: &str) -> String {
    let pieces = ["*a", "?", "*b", "[ab]"];
    let mut s = String::from("schema_version: 1\nlayer: residue\nrules:\n");
    for i in 0..count {
        let mut g: String = prefix.to_owned();
        g.extend((0..8).map(|k| pieces.get((i >> (2 * k)) & 3).copied().unwrap_or("*")));
        g.push_str("?*");
        s.push_str(&format!(
            "  - id: r{i}\n    action: deny\n    reason: r\n    match: {{ ecosystem: npm, package: \"{g}\" }}\n"
        ));
    }
    s
}

/// The median of five evaluations of `request`.
fn median(engine: &Engine, request: &Request, now: jiff::Timestamp) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(engine.evaluate(request, now));
            t.elapsed()
        })
        .collect();
    times.sort();
    times.get(2).copied().unwrap_or_default()
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

    for (n, prefix) in [
        (count, ""),
        (10 * count, ""),
        (count, "ab"),
        (10 * count, "ab"),
    ] {
        let src = [LayerSource::new("residue.yaml", residue_layer(n, prefix))];
        let before = ALLOC.current_usage();
        let t = Instant::now();
        let engine = match Engine::compile(&src) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("compile: {e}");
                std::process::exit(1);
            }
        };
        let compiled = t.elapsed();
        let name: String = (0..1021)
            .map(|j| if j % 3 == 0 { 'b' } else { 'a' })
            .collect();
        let request = match Request::from_purl(&format!("pkg:npm/ab{name}x@1.0.0")) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("request: {e}");
                std::process::exit(1);
            }
        };
        let first = {
            let t = Instant::now();
            std::hint::black_box(engine.evaluate(&request, now));
            t.elapsed()
        };
        let compiled_heap = ALLOC.current_usage().saturating_sub(before);
        println!(
            "residue{prefix}: {n} globs compiled in {compiled:?} ({:.1} MiB); 1,024-byte name: first request {first:?}, then median {:?}",
            compiled_heap as f64 / 1048576.0,
            median(&engine, &request, now)
        );
        // 200 distinct pseudo-random 1,024-byte names over `a`, `b`.
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut times: Vec<Duration> = (0..200)
            .filter_map(|_| {
                let name: String = (0..1022)
                    .map(|_| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        if seed >> 63 == 1 {
                            'a'
                        } else {
                            'b'
                        }
                    })
                    .collect();
                let request = Request::from_purl(&format!("pkg:npm/ab{name}@1.0.0")).ok()?;
                let t = Instant::now();
                std::hint::black_box(engine.evaluate(&request, now));
                Some(t.elapsed())
            })
            .collect();
        times.sort();
        println!(
            "residue{prefix}: {n} globs, 200 distinct random 1,024-byte names: median {:?}, max {:?}; heap now {:.1} MiB",
            times.get(times.len() / 2).copied().unwrap_or_default(),
            times.last().copied().unwrap_or_default(),
            ALLOC.current_usage().saturating_sub(before) as f64 / 1048576.0
        );
    }

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
