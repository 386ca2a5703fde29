//! Arbitrary bytes as an OSV feed document: compiling never panics; a strict
//! (default) compile either succeeds or fails with a typed feed error that has
//! a location; a lenient one always compiles, and every skipped document,
//! record or affected package is counted by reason in the report.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::{CompileErrorKind, CompileOptions, Engine, FeedSource, LayerSource};

const LAYER: &str =
    "schema_version: 1\nlayer: intel\nfeeds:\n  - { name: ossf, format: osv, action: deny }\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let layers = [LayerSource::new("intel.yaml", LAYER)];
    let feed = FeedSource::new("ossf").with_document("feed.json", text);
    let strict = CompileOptions::default().with_feed(feed.clone());
    if let Err(e) = Engine::compile_with(&layers, &strict) {
        assert_eq!(e.kind, CompileErrorKind::Feed, "{e:?}");
        assert!(e.line.is_some() || e.path.is_some(), "error without a location: {e:?}");
    }
    let lenient = strict.lenient_feeds(true);
    let engine = Engine::compile_with(&layers, &lenient).expect("a lenient feed compiles");
    let report = engine.feed_report();
    let counted: usize = report.feeds.iter().flat_map(|(_, s)| s.reasons.values()).sum();
    assert_eq!(counted, report.issues.len());
});
