//! Advisory feeds (`kind: advisories`) and `unless: { fixes_advisory: true }`
//! through the public API: fix versions from real OSV records, failing closed
//! on missing or useless data, every range evaluated or reported, the digest
//! and bundles carrying the data, resolution mode, and the scope rule (a
//! layer's feed exempts its own rules and inner ones, never outer ones).
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
    Request, RequestInput,
};

const NOW: &str = "2026-06-01T12:00:00Z";

fn now() -> Timestamp {
    NOW.parse().unwrap()
}

fn data(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/advisories")
        .join(file);
    std::fs::read_to_string(path).unwrap()
}

const LODASH: &str = "GHSA-35jh-r3h4-6jhm.json";
const DJANGO: &str = "PYSEC-0000-CVE-2024-27351.json";

fn feed(name: &str, files: &[&str]) -> FeedSource {
    files.iter().fold(FeedSource::new(name), |f, file| {
        f.with_document(*file, data(file))
    })
}

/// A layer holding new releases 72 hours unless they fix an advisory.
fn cooldown_layer(layer: &str, feed_decl: Option<&str>) -> LayerSource {
    let feeds = feed_decl.map_or(String::new(), |name| {
        format!("feeds:\n  - {{ name: {name}, format: osv, kind: advisories }}\n")
    });
    LayerSource::new(
        format!("{layer}.yaml"),
        format!(
            "schema_version: 1\nlayer: {layer}\n{feeds}rules:\n  - id: cooldown\n    action: deny\n    match: {{ published_within: 72h }}\n    unless: {{ fixes_advisory: true }}\n"
        ),
    )
}

fn options(feeds: Vec<FeedSource>) -> CompileOptions {
    feeds
        .into_iter()
        .fold(CompileOptions::default(), CompileOptions::with_feed)
}

fn fresh(eco: &str, name: &str, version: &str) -> Request {
    Request::new(RequestInput {
        ecosystem: eco.into(),
        name: name.into(),
        version: Some(version.into()),
        published_at: Some("2026-06-01T10:00:00Z".parse().unwrap()),
        ..RequestInput::default()
    })
    .unwrap()
}

fn action(engine: &Engine, req: &Request) -> Action {
    engine.evaluate(req, now()).action
}

#[test]
fn the_first_fixed_version_passes_the_cooldown_and_nothing_else_does() {
    let sources = [cooldown_layer("acme", Some("ghsa"))];
    let opts = options(vec![feed("ghsa", &[LODASH, DJANGO])]);
    let engine = Engine::compile_with(&sources, &opts).unwrap();
    let reference = Reference::compile_with(&sources, &opts).unwrap();
    for (eco, name, version, want) in [
        ("npm", "lodash", "4.17.21", Action::Allow),
        ("npm", "lodash-es", "4.17.21", Action::Allow),
        ("npm", "lodash", "4.17.20", Action::Deny),
        ("npm", "lodash", "4.17.22", Action::Deny),
        ("pypi", "Django", "3.2.25", Action::Allow),
        ("pypi", "django", "4.2.11", Action::Allow),
        ("pypi", "django", "5.0.3", Action::Allow),
        ("pypi", "django", "5.0.2", Action::Deny),
        ("cargo", "lodash", "4.17.21", Action::Deny),
    ] {
        let req = fresh(eco, name, version);
        let d = engine.evaluate(&req, now());
        assert_eq!(d.action, want, "{eco}/{name}@{version}");
        assert_eq!(d, reference.evaluate(&req, now()), "{eco}/{name}@{version}");
    }
    let stats = &engine.feed_report().feeds[0].1;
    // lodash and lodash-es, then django's three runs.
    assert_eq!((stats.records, stats.fixes, stats.rules), (2, 5, 0));
}

#[test]
fn resolution_mode_checks_the_exemption_per_version() {
    let sources = [cooldown_layer("acme", Some("ghsa"))];
    let engine = Engine::compile_with(&sources, &options(vec![feed("ghsa", &[LODASH])])).unwrap();
    let input = RequestInput {
        ecosystem: "npm".into(),
        name: "lodash".into(),
        published_at: Some("2026-06-01T10:00:00Z".parse().unwrap()),
        ..RequestInput::default()
    };
    let versions: Vec<String> = ["4.17.20", "4.17.21", "4.17.22"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let got: Vec<Action> = engine
        .evaluate_versions(&input, &versions, now())
        .unwrap()
        .into_iter()
        .map(|d| d.unwrap().action)
        .collect();
    assert_eq!(got, [Action::Deny, Action::Allow, Action::Deny]);
}

#[test]
fn a_declared_advisory_feed_without_usable_data_fails_closed() {
    let sources = [cooldown_layer("acme", Some("ghsa"))];
    // No data at all.
    let err = Engine::compile_with(&sources, &CompileOptions::default()).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Feed);
    assert!(err.message.contains("no data"), "{err}");
    // An error page instead of JSON.
    let html = FeedSource::new("ghsa").with_document("ghsa.json", "<html>502</html>");
    let err = Engine::compile_with(&sources, &options(vec![html])).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Feed);
    assert!(err.message.contains("not an OSV JSON"), "{err}");
    // Records, none of which names a fix version (no `fixed` event).
    let unfixed = r#"{"id": "GHSA-x", "affected": [{"package": {"ecosystem": "npm", "name": "a"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"last_affected": "1.0.0"}]}]}]}"#;
    let only_unfixed = FeedSource::new("ghsa").with_document("ghsa.json", unfixed);
    let err = Engine::compile_with(&sources, &options(vec![only_unfixed.clone()])).unwrap_err();
    assert!(err.message.contains("yields a fix version"), "{err}");
    assert!(err.message.contains("no_fixed_version"), "{err}");
    // Lenient: compiles, reports, and the exemption never holds.
    let lenient = options(vec![only_unfixed]).lenient_feeds(true);
    let engine = Engine::compile_with(&sources, &lenient).unwrap();
    assert_eq!(
        engine.feed_report().issues[0].reason,
        FeedIssueReason::NoFixedVersion
    );
    assert_eq!(action(&engine, &fresh("npm", "a", "1.0.0")), Action::Deny);
}

#[test]
fn git_and_unknown_ranges_are_reported_not_read() {
    let record = r#"{"id": "OSV-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "pkg"},
        "ranges": [
          {"type": "GIT", "repo": "https://example.com/pkg", "events": [{"introduced": "0"}, {"fixed": "a1b2c3"}]},
          {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}
        ]}]}"#;
    let sources = [cooldown_layer("acme", Some("ghsa"))];
    let f = FeedSource::new("ghsa").with_document("osv.json", record);
    let engine = Engine::compile_with(&sources, &options(vec![f])).unwrap();
    let issues = &engine.feed_report().issues;
    assert_eq!(issues.len(), 1, "{issues:?}");
    assert_eq!(issues[0].reason, FeedIssueReason::UnsupportedRange);
    assert!(!issues[0].skipped);
    assert!(issues[0].message.contains("`GIT` range"), "{}", issues[0]);
    assert_eq!(action(&engine, &fresh("pypi", "pkg", "2.0")), Action::Allow);
    // The commit is no version: nothing else is exempted.
    assert_eq!(action(&engine, &fresh("pypi", "pkg", "1.0")), Action::Deny);
    // A record whose only range is GIT names no fix version: skipped with both reasons.
    let git_only = r#"{"id": "OSV-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "pkg"},
        "ranges": [{"type": "GIT", "repo": "https://example.com/pkg", "events": [{"fixed": "a1b2c3"}]}]}]}"#;
    let f = FeedSource::new("ghsa")
        .with_document("osv.json", record)
        .with_document("git.json", git_only);
    let engine = Engine::compile_with(&sources, &options(vec![f])).unwrap();
    let skipped = engine
        .feed_report()
        .issues
        .iter()
        .find(|i| i.skipped)
        .unwrap();
    assert_eq!(skipped.reason, FeedIssueReason::NoFixedVersion);
    assert!(skipped.message.contains("`GIT` range"), "{skipped}");
}

#[test]
fn the_advisory_data_is_part_of_the_digest_and_the_bundle() {
    let sources = [cooldown_layer("acme", Some("ghsa"))];
    let lodash = Engine::compile_with(&sources, &options(vec![feed("ghsa", &[LODASH])])).unwrap();
    let both =
        Engine::compile_with(&sources, &options(vec![feed("ghsa", &[LODASH, DJANGO])])).unwrap();
    assert_ne!(lodash.digest(), both.digest());
    // The same data in another document order: the same digest.
    let reordered = FeedSource::new("ghsa")
        .with_document(DJANGO, data(DJANGO))
        .with_document(LODASH, data(LODASH));
    let again = Engine::compile_with(&sources, &options(vec![reordered])).unwrap();
    assert_eq!(again.digest(), both.digest());
    let loaded = Engine::from_bytes(&both.to_bytes()).unwrap();
    assert_eq!(loaded.digest(), both.digest());
    for (eco, name, version) in [
        ("npm", "lodash", "4.17.21"),
        ("npm", "lodash", "4.17.20"),
        ("pypi", "django", "4.2.11"),
        ("pypi", "django", "4.2.12"),
    ] {
        let req = fresh(eco, name, version);
        assert_eq!(
            loaded.evaluate(&req, now()),
            both.evaluate(&req, now()),
            "{name}@{version}"
        );
    }
    assert_eq!(
        action(&loaded, &fresh("pypi", "django", "4.2.11")),
        Action::Allow
    );
}

#[test]
fn an_inner_layers_feed_never_exempts_an_outer_rule() {
    let org = cooldown_layer("org", Some("org-ghsa"));
    let project = cooldown_layer("project", Some("project-ghsa"));
    let org_feed = feed("org-ghsa", &[DJANGO]);
    let project_feed = feed("project-ghsa", &[LODASH]);
    let flat = Engine::compile_with(
        &[org.clone(), project.clone()],
        &options(vec![org_feed.clone(), project_feed.clone()]),
    )
    .unwrap();
    let base = Engine::compile_with(&[org], &options(vec![org_feed])).unwrap();
    let stacked = base
        .stack_with(&[project], &options(vec![project_feed]))
        .unwrap();
    let loaded = Engine::from_bytes(&stacked.to_bytes()).unwrap();
    assert_eq!(flat.digest(), stacked.digest());
    for engine in [&flat, &stacked, &loaded] {
        // The project's lodash fix does not lift the organization's cooldown.
        let d = engine.evaluate(&fresh("npm", "lodash", "4.17.21"), now());
        assert_eq!(d.action, Action::Deny);
        assert_eq!(d.matched.len(), 1);
        assert_eq!(&*d.matched[0].layer, "org");
        // The organization's django fix exempts both layers' rules.
        assert_eq!(
            action(engine, &fresh("pypi", "django", "4.2.11")),
            Action::Allow
        );
    }
    // A project rule may rely on an outer layer's feed.
    let base = Engine::compile_with(
        &[cooldown_layer("org", Some("ghsa"))],
        &options(vec![feed("ghsa", &[DJANGO])]),
    )
    .unwrap();
    let stacked = base.stack(&[cooldown_layer("project", None)]).unwrap();
    assert_eq!(
        action(&stacked, &fresh("pypi", "django", "4.2.11")),
        Action::Allow
    );
    let loaded = Engine::from_bytes(&base.to_bytes()).unwrap();
    assert!(loaded.stack(&[cooldown_layer("project", None)]).is_ok());
}

#[test]
fn declarations_are_checked() {
    let layer = |decl: &str| {
        LayerSource::new(
            "l.yaml",
            format!("schema_version: 1\nlayer: l\nfeeds:\n  - {decl}\nrules: []\n"),
        )
    };
    for (decl, path, says) in [
        (
            "{ name: a, format: osv, kind: advisories, action: deny }",
            "feeds[0].action",
            "makes no rules",
        ),
        (
            "{ name: a, format: osv, kind: advisories, enforced: true }",
            "feeds[0].enforced",
            "makes no rules",
        ),
        (
            "{ name: a, format: osv }",
            "feeds[0].action",
            "needs `action`",
        ),
    ] {
        let err = Engine::compile(&[layer(decl)]).unwrap_err();
        assert_eq!(err.path.as_deref(), Some(path), "{decl}: {err}");
        assert!(err.message.contains(says), "{decl}: {err}");
    }
    // One feed name, two kinds.
    let sources = [
        LayerSource::new(
            "a.yaml",
            "schema_version: 1\nlayer: a\nfeeds:\n  - { name: f, format: osv, kind: advisories }\n",
        ),
        LayerSource::new(
            "b.yaml",
            "schema_version: 1\nlayer: b\nfeeds:\n  - { name: f, format: osv, action: deny }\n",
        ),
    ];
    let err = Engine::compile_with(&sources, &options(vec![feed("f", &[LODASH])])).unwrap_err();
    assert_eq!(err.kind, CompileErrorKind::Feed);
    assert_eq!(err.path.as_deref(), Some("feeds[0].kind"), "{err}");
}
