//! Feeds fail closed: every document in tests/bad_feeds/ fails the compile
//! with a typed error at its position (or at the declaration), unless the
//! feed is lenient, and then every problem is counted in the feed report.
//! Feed rules are enforced by default, in the engine and the reference alike.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{
    Action, CompileErrorKind, CompileOptions, Engine, FeedIssueReason, FeedSource, LayerSource,
    Request,
};

fn instance(decl_extra: &str) -> LayerSource {
    LayerSource::new(
        "instance.yaml",
        format!(
            "schema_version: 1\nlayer: instance\nfeeds:\n  - {{ name: ossf, format: osv, action: deny{decl_extra} }}\n"
        ),
    )
}

fn feed(file: &str) -> FeedSource {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/bad_feeds")
        .join(file);
    FeedSource::new("ossf").with_document(file, std::fs::read_to_string(path).unwrap())
}

/// (line, column) of an error in a feed document; `None`: at the declaration.
type At = Option<(usize, usize)>;

/// File, then where the error is: source, position, and what it says.
const CASES: &[(&str, &str, At, &str)] = &[
    (
        "html_error_page.json",
        "html_error_page.json",
        Some((1, 1)),
        "not an OSV JSON",
    ),
    (
        "truncated_array.json",
        "truncated_array.json",
        Some((1, 284)),
        "EOF while parsing",
    ),
    (
        "truncated_record.json",
        "truncated_record.json",
        Some((17, 0)),
        "EOF while parsing",
    ),
    (
        "empty.jsonl",
        "empty.jsonl",
        Some((1, 1)),
        "the document is empty",
    ),
    (
        "empty_array.json",
        "empty_array.json",
        Some((1, 1)),
        "the document is an empty array",
    ),
    (
        "all_records_fail.jsonl",
        "instance.yaml",
        None,
        "none of its 6 records yields a rule",
    ),
];

#[test]
fn bad_feed_documents_fail_the_compile_where_they_are() {
    for &(file, source, at, needle) in CASES {
        let options = CompileOptions::default().with_feed(feed(file));
        let e = Engine::compile_with(&[instance("")], &options).unwrap_err();
        assert_eq!(e.kind, CompileErrorKind::Feed, "{file}: {e}");
        assert_eq!(e.source_name, source, "{file}: {e}");
        if let Some((line, column)) = at {
            assert_eq!(e.line, Some(line), "{file}: {e}");
            // serde_json reports column 0 at the end of input: shown as 1.
            assert_eq!(e.column, Some(column.max(1)), "{file}: {e}");
        } else {
            assert_eq!(e.path.as_deref(), Some("feeds[0]"), "{file}: {e}");
        }
        assert!(e.message.contains("feed `ossf`"), "{file}: {e}");
        assert!(e.message.contains(needle), "{file}: {e}");
        // The reference evaluator refuses it alike.
        assert_eq!(
            Reference::compile_with(&[instance("")], &options).unwrap_err(),
            e
        );
    }
}

#[test]
fn lenient_feeds_compile_and_count_every_problem() {
    for &(file, ..) in CASES {
        for (extra, lenient) in [("", true), (", strict: false", false)] {
            let options = CompileOptions::default()
                .with_feed(feed(file))
                .lenient_feeds(lenient);
            let engine = Engine::compile_with(&[instance(extra)], &options)
                .unwrap_or_else(|e| panic!("{file}{extra}: {e}"));
            let report = engine.feed_report();
            let stats = &report.feeds[0].1;
            assert_eq!(stats.rules, 0, "{file}");
            assert_eq!(stats.reasons.values().sum::<usize>(), report.issues.len());
            assert!(!report.issues.is_empty(), "{file}: nothing reported");
        }
    }
    let options = CompileOptions::default()
        .with_feed(feed("all_records_fail.jsonl"))
        .lenient_feeds(true);
    let engine = Engine::compile_with(&[instance("")], &options).unwrap();
    let stats = &engine.feed_report().feeds[0].1;
    assert_eq!((stats.records, stats.skipped), (6, 6));
    let count = |r| stats.reasons.get(&r).copied().unwrap_or(0);
    assert_eq!(count(FeedIssueReason::NoAffected), 1);
    assert_eq!(count(FeedIssueReason::NoId), 1);
    assert_eq!(count(FeedIssueReason::InvalidVersion), 1);
    assert_eq!(count(FeedIssueReason::UnsupportedEcosystem), 1);
    assert_eq!(count(FeedIssueReason::InvalidRecord), 1);
    assert_eq!(count(FeedIssueReason::NotJson), 1);
}

const RECORD: &str = r#"{"id": "MAL-2025-9", "summary": "Malicious code in evil (npm)", "affected": [{"package": {"ecosystem": "npm", "name": "evil"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]}"#;

const PROJECT: &str = "\
schema_version: 1
layer: project
rules:
  - { id: wants-evil, action: allow, match: { ecosystem: npm, package: evil } }
";

#[test]
fn feed_rules_are_enforced_by_default_in_engine_and_reference() {
    let now: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let req = Request::from_purl("pkg:npm/evil@1.0.0").unwrap();
    for (extra, want) in [
        ("", Action::Deny),
        (", enforced: true", Action::Deny),
        (", enforced: false", Action::Allow),
    ] {
        let sources = [instance(extra), LayerSource::new("project.yaml", PROJECT)];
        let options = CompileOptions::default()
            .with_feed(FeedSource::new("ossf").with_document("ossf.jsonl", RECORD));
        let engine = Engine::compile_with(&sources, &options).unwrap();
        let reference = Reference::compile_with(&sources, &options).unwrap();
        let got = engine.evaluate(&req, now);
        assert_eq!(got.action, want, "{extra:?}");
        assert_eq!(got, reference.evaluate(&req, now), "{extra:?}");
    }
}
