//! Loads and compiles a generated OSV feed and prints the time it took.
//!
//! `cargo run --release -p package-policy --example feed_load [RECORDS]`
//! (default 100,000 records, shaped like the OpenSSF malicious-packages data:
//! most records cover a whole package, some list versions, some carry ranges).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::time::Instant;

use package_policy::{CompileOptions, Engine, FeedSource, LayerSource, Request};

const LAYER: &str = "\
schema_version: 1
layer: instance
feeds:
  - { name: ossf, format: osv, action: deny, enforced: true, reason_prefix: 'OpenSSF: ' }
";

fn record(i: usize) -> String {
    let (eco, name) = match i % 7 {
        0..=2 => ("npm", format!("evil-pkg-{i}")),
        3 => ("PyPI", format!("evil_pkg_{i}")),
        4 => ("RubyGems", format!("evil-gem-{i}")),
        5 => ("crates.io", format!("evil-crate-{i}")),
        _ => ("Go", format!("github.com/evil/mod{i}")),
    };
    let affected = match i % 4 {
        // The whole package, as most malicious-package records say.
        0 | 1 => format!(
            r#"{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"0"}}]}}]}}"#
        ),
        2 => format!(
            r#"{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"versions":["1.0.{i}","1.1.0","2.0.0"]}}"#
        ),
        _ => format!(
            r#"{{"package":{{"ecosystem":"{eco}","name":"{name}"}},"ranges":[{{"type":"SEMVER","events":[{{"introduced":"1.2.0"}},{{"fixed":"1.3.{}"}}]}}]}}"#,
            i % 50
        ),
    };
    format!(
        r#"{{"schema_version":"1.5.0","id":"MAL-2025-{i}","modified":"2025-01-01T00:00:00Z","published":"2025-01-01T00:00:00Z","summary":"Malicious code in {name} ({eco})","details":"Any computer that has this package installed should be considered compromised.","affected":[{affected}]}}"#
    )
}

/// User + system CPU seconds of this process (Linux), so the figure means
/// something on a machine shared with other builds.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line: 12 and 13 here.
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("RECORDS must be a number"))
        .unwrap_or(100_000);
    let text: String = (0..n).map(|i| record(i) + "\n").collect();
    let bytes = text.len();
    let options = CompileOptions::default()
        .with_feed(FeedSource::new("ossf").with_document("generated.jsonl", text));
    let layers = [LayerSource::new("instance.yaml", LAYER)];
    let start = Instant::now();
    let cpu = cpu_seconds();
    let engine = Engine::compile_with(&layers, &options).expect("compiles");
    let elapsed = start.elapsed();
    let cpu = cpu_seconds() - cpu;
    let stats = &engine.feed_report().feeds[0].1;
    println!(
        "{n} OSV records ({:.1} MB) loaded and compiled in {:.3} s wall, {cpu:.2} s CPU: {} rules, {} skipped",
        bytes as f64 / 1e6,
        elapsed.as_secs_f64(),
        stats.rules,
        stats.skipped
    );
    // A sanity check that the rules work.
    let r = Request::from_purl("pkg:npm/evil-pkg-8").unwrap();
    let d = engine.evaluate(&r, jiff::Timestamp::now());
    println!("pkg:npm/evil-pkg-8 → {}", d.action);
}
