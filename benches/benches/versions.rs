// Bench setup may panic on a bad fixture; the workspace lints apply to this package.
#![allow(clippy::panic)]
//! Version parsing and range membership for the npm, Cargo, Go and NuGet
//! schemes: parse one typical version and test it against a typical range
//! (figures in docs/benchmarks.md; nothing here is asserted).
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use package_versions::{parse_range, Ecosystem, Version};

const CASES: [(Ecosystem, &str, &str); 4] = [
    (Ecosystem::Npm, "4.17.21", ">=4.0.0 <4.17.21 || ^5.1.0"),
    (Ecosystem::Cargo, "1.0.197", "^1.0.100, <1.0.200"),
    (Ecosystem::Golang, "v1.9.3", ">=v1.2.0, <v1.9.4 || >=v2.0.0"),
    (Ecosystem::Nuget, "13.0.3", "[12.0.1, 13.0.4)"),
];

fn versions(c: &mut Criterion) {
    for (eco, version, range) in CASES {
        let set = parse_range(eco, range).unwrap_or_else(|e| panic!("{e}"));
        let parsed = Version::parse(eco, version).unwrap_or_else(|e| panic!("{e}"));
        c.bench_function(&format!("versions/{eco}/parse"), |b| {
            b.iter(|| Version::parse(eco, black_box(version)))
        });
        c.bench_function(&format!("versions/{eco}/contains"), |b| {
            b.iter(|| set.contains(black_box(&parsed)))
        });
        c.bench_function(&format!("versions/{eco}/parse+contains"), |b| {
            b.iter(|| Version::parse(eco, black_box(version)).is_ok_and(|v| set.contains(&v)))
        });
        c.bench_function(&format!("versions/{eco}/parse_range"), |b| {
            b.iter(|| parse_range(eco, black_box(range)))
        });
    }
}

criterion_group!(benches, versions);
criterion_main!(benches);
