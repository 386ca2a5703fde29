//! OSV importer tests on generated records; plus the shared corpus of real
//! OpenSSF records when /work/shared/corpora is present (read in place).

use package_versions::{Ecosystem, Version};
use serde_json::json;

use super::*;

/// `load` under the default limits.
fn load(source: &FeedSource) -> Loaded {
    super::load(
        source,
        &crate::Limits::default(),
        crate::document::FeedKind::Rules,
    )
}

fn source(lines: &[serde_json::Value]) -> FeedSource {
    let text: Vec<String> = lines.iter().map(|v| v.to_string()).collect();
    FeedSource::new("t").with_document("feed.jsonl", text.join("\n"))
}

fn v(eco: Ecosystem, s: &str) -> Version {
    Version::parse(eco, s).unwrap()
}

fn covers(rule: &FeedRule, version: &str) -> bool {
    rule.versions
        .as_ref()
        .is_none_or(|set| set.contains(&v(rule.ecosystem, version)))
}

#[test]
fn introduced_zero_without_versions_covers_everything() {
    let l = load(&source(&[json!({
        "id": "MAL-1", "summary": "Malicious code in evil (npm)",
        "affected": [{"package": {"ecosystem": "npm", "name": "evil"},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}]}]}]
    })]));
    assert!(l.issues.is_empty(), "{:?}", l.issues);
    let r = &l.rules[0];
    assert_eq!(
        (&*r.id, r.ecosystem, r.package.as_str()),
        ("MAL-1", Ecosystem::Npm, "evil")
    );
    assert_eq!(r.summary.as_deref(), Some("Malicious code in evil (npm)"));
    assert!(covers(r, "0.0.1") && covers(r, "99.0.0"));
}

#[test]
fn exact_versions_only_cover_themselves() {
    let l = load(&source(&[json!({
        "id": "MAL-2",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Req-uests"},
                      "versions": ["1.0.0", "1.0.2"]}]
    })]));
    let r = &l.rules[0];
    assert_eq!(r.ecosystem, Ecosystem::Pypi);
    assert!(covers(r, "1.0.0") && covers(r, "1.0.2"));
    assert!(!covers(r, "1.0.1") && !covers(r, "0.9"));
}

#[test]
fn fixed_and_last_affected_close_intervals_in_version_order() {
    // Events deliberately out of order: the importer sorts them.
    let l = load(&source(&[json!({
        "id": "GHSA-x",
        "affected": [{"package": {"ecosystem": "npm", "name": "@ctrl/tinycolor"},
                      "ranges": [{"type": "SEMVER", "events": [
                          {"fixed": "2.0.0"}, {"introduced": "1.0.0"},
                          {"last_affected": "4.1.2"}, {"introduced": "4.1.1"},
                          {"limit": "9.9.9"}]}]}]
    })]));
    let r = &l.rules[0];
    for (version, expect) in [
        ("0.9.0", false),
        ("1.0.0", true),
        ("1.5.0", true),
        ("2.0.0", false),
        ("4.1.0", false),
        ("4.1.1", true),
        ("4.1.2", true),
        ("4.1.3", false),
    ] {
        assert_eq!(covers(r, version), expect, "{version}");
    }
}

#[test]
fn go_versions_gain_their_v_and_unsupported_ecosystems_are_noted() {
    let l = load(&source(&[json!({
        "id": "GO-1",
        "affected": [
            {"package": {"ecosystem": "Go", "name": "github.com/x/y"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]},
            {"package": {"ecosystem": "Packagist", "name": "x/y"}, "versions": ["1.0"]},
            {"package": {"ecosystem": "crates.io", "name": "my_crate"}, "versions": ["0.1.0"]}
        ]
    })]));
    assert_eq!(l.rules.len(), 2);
    assert_eq!(l.rules[0].ecosystem, Ecosystem::Golang);
    assert!(covers(&l.rules[0], "v1.1.9"));
    assert!(!covers(&l.rules[0], "v1.2.0"));
    assert_eq!(l.rules[1].ecosystem, Ecosystem::Cargo);
    assert_eq!(l.issues.len(), 1);
    assert!(!l.issues[0].skipped);
    assert!(l.issues[0].message.contains("Packagist"));
}

#[test]
fn withdrawn_invalid_and_superseded_records() {
    let l = load(&source(&[
        json!({"id": "MAL-3", "modified": "2024-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "npm", "name": "a"}}]}),
        json!({"id": "MAL-4", "withdrawn": "2024-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "npm", "name": "b"}}]}),
        json!({"summary": "no id", "affected": []}),
        json!({"id": "MAL-5", "affected": [{"package": {"ecosystem": "npm", "name": "c"},
               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": 5}]}]}]}),
        json!({"id": "MAL-6", "affected": [{"package": {"ecosystem": "npm", "name": "d"},
               "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"bogus": "1"}]}]}]}),
        // A later withdrawal of MAL-3 wins over the earlier record.
        json!({"id": "MAL-3", "modified": "2025-01-01T00:00:00Z", "withdrawn": "2025-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "npm", "name": "a"}}]}),
    ]));
    assert!(l.rules.is_empty(), "{:?}", l.rules);
    assert_eq!(l.stats.records, 6);
    assert_eq!(l.stats.withdrawn, 2);
    assert_eq!(l.stats.superseded, 1);
    assert_eq!(l.stats.skipped, 3);
    let skipped: Vec<(Option<usize>, Option<&str>)> = l
        .issues
        .iter()
        .filter(|i| i.skipped)
        .map(|i| (i.line, i.record_id.as_deref()))
        .collect();
    // Lines 4 and 5 do not deserialize (a number where a version belongs, an
    // unknown event), line 3 has no id.
    assert_eq!(skipped.len(), 3);
    assert!(skipped.contains(&(Some(3), None)));
    let shown = l
        .issues
        .iter()
        .find(|i| i.line == Some(4))
        .unwrap()
        .to_string();
    assert!(shown.starts_with("feed.jsonl:4: "), "{shown}");
}

#[test]
fn a_json_array_a_pretty_record_and_a_bad_line() {
    let array = FeedSource::new("t").with_document(
        "all.json",
        json!([{"id": "A", "affected": [{"package": {"ecosystem": "npm", "name": "a"}}]},
               {"id": "B", "affected": [{"package": {"ecosystem": "npm", "name": "b"}}]}])
        .to_string(),
    );
    assert_eq!(load(&array).rules.len(), 2);
    let pretty = FeedSource::new("t").with_document(
        "MAL-7.json",
        serde_json::to_string_pretty(
            &json!({"id": "MAL-7", "affected": [{"package": {"ecosystem": "RubyGems", "name": "x"}}]}),
        )
        .unwrap(),
    );
    assert_eq!(load(&pretty).rules.len(), 1);
    let lines = FeedSource::new("t").with_document(
        "f.jsonl",
        "{\"id\": \"C\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"c\"}}]}\n{oops\n",
    );
    let l = load(&lines);
    assert_eq!(l.rules.len(), 1);
    assert_eq!(l.issues[0].line, Some(2));
}

/// The real OpenSSF sample, read in place (licence unconfirmed: never copied).
#[test]
fn the_openssf_sample_loads_when_present() {
    let path = "/work/shared/corpora/osv_malicious_sample.jsonl";
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let feed = FeedSource::new("ossf").with_document(path, text.clone());
    let l = load(&feed);
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    assert!(l.issues.is_empty(), "{:#?}", l.issues);
    assert_eq!(l.stats.records, lines);
    assert_eq!(l.stats.skipped, 0, "{:#?}", l.issues);
    // Every non-withdrawn, non-superseded record yields at least one rule.
    let withdrawn = text.lines().filter(|l| l.contains("\"withdrawn\"")).count();
    assert!(l.stats.withdrawn >= 1 && l.stats.withdrawn <= withdrawn);
    assert_eq!(
        l.stats.records - l.stats.withdrawn - l.stats.superseded,
        l.rules
            .iter()
            .map(|r| &r.id)
            .collect::<std::collections::HashSet<_>>()
            .len()
    );
    // It compiles under the default, fail-closed options.
    let instance = "schema_version: 1\nlayer: instance\nfeeds:\n  - { name: ossf, format: osv, action: deny }\n";
    let engine = crate::Engine::compile_with(
        &[crate::LayerSource::new("instance.yaml", instance)],
        &CompileOptions::default().with_feed(feed).strict_feeds(true),
    )
    .unwrap();
    assert_eq!(engine.feed_report().feeds[0].1.rules, l.stats.rules);
}

// ---- compiled into an engine ------------------------------------------------

use crate::{Action, CompileError, CompileErrorKind, Engine, LayerSource, Request};

const INSTANCE: &str = "\
schema_version: 1
layer: instance
feeds:
  - { name: ossf, format: osv, action: deny, enforced: true, reason_prefix: 'OpenSSF: ' }
rules:
  - id: own-rule
    action: warn
    match: { ecosystem: npm, package: noisy }
";

const PROJECT: &str = "\
schema_version: 1
layer: project
rules:
  - id: wants-evil
    action: allow
    match: { ecosystem: npm, package: evil }
";

fn ossf() -> FeedSource {
    source(&[
        json!({"id": "MAL-10", "summary": "Malicious code in evil (npm)",
               "affected": [{"package": {"ecosystem": "npm", "name": "evil"},
                             "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.2.0"}]}]}]}),
        json!({"id": "MAL-11",
               "affected": [{"package": {"ecosystem": "PyPI", "name": "Bad_Pkg"}, "versions": ["0.1"]}]}),
        json!({"id": "MAL-12", "withdrawn": "2024-01-01T00:00:00Z",
               "affected": [{"package": {"ecosystem": "npm", "name": "innocent"}}]}),
    ])
}

fn named(f: FeedSource, name: &str) -> FeedSource {
    FeedSource {
        name: name.into(),
        ..f
    }
}

fn layers() -> Vec<LayerSource> {
    vec![
        LayerSource::new("instance.yaml", INSTANCE),
        LayerSource::new("project.yaml", PROJECT),
    ]
}

fn decide(engine: &Engine, purl: &str) -> crate::Decision {
    engine.evaluate(&Request::from_purl(purl).unwrap(), jiff::Timestamp::now())
}

#[test]
fn feed_records_become_enforced_rules_of_their_layer() {
    let options = CompileOptions::default().with_feed(named(ossf(), "ossf"));
    let engine = Engine::compile_with(&layers(), &options).unwrap();
    let d = decide(&engine, "pkg:npm/evil@1.1.0");
    assert_eq!(d.action, Action::Deny);
    let m = &d.matched[0];
    assert_eq!((&*m.layer, &*m.id), ("instance", "MAL-10"));
    assert_eq!(
        m.reason.as_deref(),
        Some("OpenSSF: Malicious code in evil (npm)")
    );
    // Enforced in the outer layer: the project's allow cannot suppress it.
    assert_eq!(d.allowed_by[0].id.as_ref(), "wants-evil");
    // Outside the range, the project's allow decides.
    assert_eq!(decide(&engine, "pkg:npm/evil@1.2.0").action, Action::Allow);
    // PyPI names are normalized on both sides; a record without summary keeps the prefix.
    let d = decide(&engine, "pkg:pypi/bad-pkg@0.1");
    assert_eq!(d.action, Action::Deny);
    assert_eq!(d.matched[0].reason.as_deref(), Some("OpenSSF: "));
    assert_eq!(
        decide(&engine, "pkg:pypi/bad-pkg@0.2").action,
        Action::Allow
    );
    // Withdrawn records make no rule.
    assert_eq!(
        decide(&engine, "pkg:npm/innocent@1.0.0").action,
        Action::Allow
    );
    let report = engine.feed_report();
    assert_eq!(report.feeds[0].0, "ossf");
    assert_eq!(report.feeds[0].1.rules, 2);
    assert_eq!(report.feeds[0].1.withdrawn, 1);
    // The layer's own rules stay, and come first.
    assert_eq!(engine.rule_count(), 1 + 2 + 1);
}

#[test]
fn feeds_must_be_declared_and_supplied() {
    let e = Engine::compile_with(&layers(), &CompileOptions::default()).unwrap_err();
    assert_eq!(e.kind, CompileErrorKind::Feed);
    assert_eq!(e.source_name, "instance.yaml");
    assert!(e.message.contains("ossf"), "{e}");
    let stray = CompileOptions::default()
        .with_feed(named(ossf(), "ossf"))
        .with_feed(named(ossf(), "typo"));
    let e = Engine::compile_with(&layers(), &stray).unwrap_err();
    assert!(
        e.message.contains("no layer declares a feed named `typo`"),
        "{e}"
    );
    // Checking a policy does not need the data.
    assert!(crate::validate(&layers()).is_empty());
}

#[test]
fn strict_feeds_fail_on_the_first_invalid_record() {
    let feed = FeedSource::new("ossf").with_document(
        "ossf.jsonl",
        "{\"id\": \"MAL-1\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"a\"}}]}\n{\"id\": \"MAL-2\", \"affected\": []}\n",
    );
    let lenient = Engine::compile_with(
        &layers(),
        &CompileOptions::default().with_feed(feed.clone()),
    )
    .unwrap();
    let issues = &lenient.feed_report().issues;
    assert_eq!(issues.len(), 1);
    assert_eq!(
        issues[0].to_string(),
        "ossf.jsonl:2: MAL-2: `affected` is empty (record skipped)"
    );
    let e = Engine::compile_with(
        &layers(),
        &CompileOptions::default().with_feed(feed).strict_feeds(true),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "ossf.jsonl:2:1: feed `ossf`: MAL-2: `affected` is empty (no_affected; strict feeds reject an invalid record)"
    );
}

#[test]
fn feed_declarations_are_validated() {
    for (decl, needle) in [
        (
            "{ name: x, format: osv, action: allow, enforced: true }",
            "enforced",
        ),
        ("{ name: x, format: csv, action: deny }", "csv"),
        (
            "{ name: x, format: osv, action: deny, reason: y }",
            "reason",
        ),
    ] {
        let yaml = format!("schema_version: 1\nlayer: l\nfeeds:\n  - {decl}\n");
        let errs = crate::validate(&[LayerSource::new("l.yaml", yaml)]);
        assert_eq!(errs.len(), 1, "{decl}");
        assert!(errs[0].to_string().contains(needle), "{}", errs[0]);
    }
    let twice = "schema_version: 1\nlayer: l\nfeeds:\n  - { name: x, format: osv, action: deny }\n  - { name: x, format: osv, action: warn }\n";
    assert!(!crate::validate(&[LayerSource::new("l.yaml", twice)]).is_empty());
}

#[test]
fn ecosystem_spellings_are_read_by_their_base() {
    let l = load(&source(&[
        json!({"id": "M-1", "affected": [{"package": {"ecosystem": "Maven:https://repo.example/maven2", "name": "org.evil:evil"}}]}),
        json!({"id": "N-1", "affected": [{"package": {"ecosystem": "NPM", "name": "evil"}}]}),
        json!({"id": "P-1", "affected": [{"package": {"ecosystem": "pypi", "name": "evil"}}]}),
        json!({"id": "D-1", "affected": [{"package": {"ecosystem": "Debian:11", "name": "evil"}}]}),
        json!({"id": "X-1", "affected": [
            {"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "evil"}},
            {"package": {"ecosystem": "crates.io", "name": "evil"}}]}),
    ]));
    let ecos: Vec<Ecosystem> = l.rules.iter().map(|r| r.ecosystem).collect();
    assert_eq!(
        ecos,
        [
            Ecosystem::Maven,
            Ecosystem::Npm,
            Ecosystem::Pypi,
            Ecosystem::Cargo
        ]
    );
    // Debian-only: a skipped record; the Ubuntu entry beside a crate: a note.
    assert_eq!(l.stats.skipped, 1);
    assert_eq!(
        l.stats.reasons.get(&FeedIssueReason::UnsupportedEcosystem),
        Some(&2)
    );
    let d = l.issues.iter().find(|i| i.skipped).unwrap();
    assert_eq!(d.record_id.as_deref(), Some("D-1"));
    assert!(d.message.contains("Debian:11"), "{d}");
}

#[test]
fn records_over_the_limits_are_skipped_with_a_trace() {
    let long_id = "MAL-".to_owned() + &"9".repeat(300);
    let long_name = "a".repeat(2000);
    let l = load(&source(&[
        json!({"id": long_id, "affected": [{"package": {"ecosystem": "npm", "name": "evil"}}]}),
        json!({"id": "MAL-1", "affected": [{"package": {"ecosystem": "npm", "name": long_name}}]}),
        json!({"id": "MAL-2", "affected": [{"package": {"ecosystem": "npm", "name": "ok"}}]}),
    ]));
    assert_eq!(l.rules.len(), 1);
    assert_eq!(l.stats.skipped, 2);
    assert_eq!(l.stats.reasons.get(&FeedIssueReason::IdTooLong), Some(&1));
    assert_eq!(l.stats.reasons.get(&FeedIssueReason::NameTooLong), Some(&1));
    let id = l
        .issues
        .iter()
        .find(|i| i.reason == FeedIssueReason::IdTooLong)
        .unwrap();
    // Reported, cut to the limit rather than quoted whole.
    assert!(id.record_id.as_ref().unwrap().len() <= crate::Limits::default().rule_id_bytes);
    assert!(id.message.contains("over the rule-id limit"), "{id}");
}

fn one_doc(origin: &str, text: &str) -> FeedSource {
    FeedSource::new("ossf").with_document(origin, text)
}

#[test]
fn unreadable_and_empty_documents_are_document_issues() {
    let html = "<!DOCTYPE html>\n<html><body>502 Bad Gateway</body></html>\n";
    let truncated_array = "[{\"id\": \"MAL-1\", \"affected\": [{\"package\": {\"ecosys";
    let truncated_record = "{\n  \"id\": \"MAL-1\",\n  \"affected\": [\n    {\"package\": {\"ecosystem\": \"npm\", \"name\": \"a\"}}\n";
    for (text, reason, line) in [
        (html, FeedIssueReason::UnreadableDocument, 1),
        (truncated_array, FeedIssueReason::UnreadableDocument, 1),
        (truncated_record, FeedIssueReason::UnreadableDocument, 5),
        ("", FeedIssueReason::EmptyDocument, 1),
        (" \n\n", FeedIssueReason::EmptyDocument, 1),
        ("[]", FeedIssueReason::EmptyDocument, 1),
    ] {
        let l = load(&one_doc("f.json", text));
        assert_eq!(l.stats.records, 0, "{text:?}");
        assert_eq!(l.issues.len(), 1, "{text:?}");
        let i = &l.issues[0];
        assert_eq!(
            (i.reason, i.line, i.skipped),
            (reason, Some(line), true),
            "{text:?}: {i}"
        );
    }
}

fn compile_one(feed: FeedSource, decl_extra: &str, lenient: bool) -> Result<Engine, CompileError> {
    let instance = format!(
        "schema_version: 1\nlayer: instance\nfeeds:\n  - {{ name: ossf, format: osv, action: deny{decl_extra} }}\n"
    );
    Engine::compile_with(
        &[LayerSource::new("instance.yaml", instance)],
        &CompileOptions::default()
            .with_feed(feed)
            .lenient_feeds(lenient),
    )
}

#[test]
fn feeds_fail_closed_unless_lenient() {
    let good = "{\"id\": \"MAL-1\", \"affected\": [{\"package\": {\"ecosystem\": \"npm\", \"name\": \"a\"}}]}\n";
    let html = "<html><body>502 Bad Gateway</body></html>\n";
    let all_fail = "{\"id\": \"MAL-1\", \"affected\": []}\n{\"affected\": []}\n";
    let cases: Vec<(&str, FeedSource, &str)> = vec![
        ("html page", one_doc("ossf.json", html), "ossf.json:1:1: feed `ossf`: not an OSV JSON"),
        (
            "html page beside a good document",
            one_doc("good.jsonl", good).with_document("bad.json", html),
            "bad.json:1:1: feed `ossf`: not an OSV JSON",
        ),
        ("empty document", one_doc("ossf.jsonl", ""), "ossf.jsonl:1:1: feed `ossf`: the document is empty"),
        ("no documents", FeedSource::new("ossf"), "instance.yaml: feeds[0]: feed `ossf` has no records"),
        (
            "all records fail",
            one_doc("ossf.jsonl", all_fail),
            "instance.yaml: feeds[0]: feed `ossf`: none of its 2 records yields a rule (1 no_id, 1 no_affected;",
        ),
    ];
    for (what, feed, message) in cases {
        let e = compile_one(feed.clone(), "", false).unwrap_err();
        assert_eq!(e.kind, CompileErrorKind::Feed, "{what}");
        assert!(e.to_string().starts_with(message), "{what}: {e}");
        assert!(e.to_string().contains("--lenient-feeds"), "{what}: {e}");
        assert_eq!(e.layer.as_deref(), Some("instance"), "{what}");
        // Leniency, from the caller or the declaration: compiled, and reported.
        for (extra, lenient) in [("", true), (", strict: false", false)] {
            let engine = compile_one(feed.clone(), extra, lenient)
                .unwrap_or_else(|e| panic!("{what} {extra}: {e}"));
            let report = engine.feed_report();
            let stats = &report.feeds[0].1;
            let issues: usize = stats.reasons.values().sum();
            assert_eq!(issues, report.issues.len(), "{what}");
        }
    }
    // `strict: true` is the default, said out loud.
    assert!(compile_one(one_doc("ossf.json", html), ", strict: true", false).is_err());
    assert!(compile_one(one_doc("ossf.jsonl", good), "", false).is_ok());
}

#[test]
fn feed_rules_are_enforced_unless_declared_otherwise() {
    let project = LayerSource::new("project.yaml", PROJECT);
    let compile = |extra: &str| {
        let instance = format!(
            "schema_version: 1\nlayer: instance\nfeeds:\n  - {{ name: ossf, format: osv, action: deny{extra} }}\n"
        );
        Engine::compile_with(
            &[LayerSource::new("instance.yaml", instance), project.clone()],
            &CompileOptions::default().with_feed(named(ossf(), "ossf")),
        )
        .unwrap()
    };
    // No `enforced` key: the project's allow cannot suppress the record.
    let d = decide(&compile(""), "pkg:npm/evil@1.1.0");
    assert_eq!(d.action, Action::Deny);
    assert_eq!(d.allowed_by[0].id.as_ref(), "wants-evil");
    // Said explicitly: it can.
    let d = decide(&compile(", enforced: false"), "pkg:npm/evil@1.1.0");
    assert_eq!(d.action, Action::Allow);
    assert_eq!(d.suppressed[0].rule.id.as_ref(), "MAL-10");
}
