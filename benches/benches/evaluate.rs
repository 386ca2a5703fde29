use criterion::{criterion_group, criterion_main, Criterion};
use package_policy::{Engine, LayerSource, Request};

fn evaluate(c: &mut Criterion) {
    let yaml = "schema_version: 1\nlayer: acme\nrules:\n  - id: evil\n    action: deny\n    match: { ecosystem: npm, package: evil }\n";
    let engine =
        Engine::compile(&[LayerSource::new("acme.yaml", yaml)]).unwrap_or_else(|e| panic!("{e}"));
    let now = jiff::Timestamp::now();
    c.bench_function("evaluate/exact", |b| {
        b.iter(|| {
            let r = Request::from_purl("pkg:npm/evil@1.0.0").unwrap_or_else(|e| panic!("{e}"));
            engine.evaluate(&r, now)
        })
    });
}

criterion_group!(benches, evaluate);
criterion_main!(benches);
