//! Runs the shared YAML case files (tests/cases/*.yaml) against the compiled
//! engine and the reference evaluator. RSpec runs the same files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::Path;

use jiff::Timestamp;
use package_policy::reference::Reference;
use package_policy::{
    AttrValue, CompileError, CompileErrorKind, CompileOptions, Decision, Engine, FeedSource,
    LayerSource, ProvenanceInput, Request, RequestError, RequestInput,
};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseFile {
    name: String,
    now: Option<String>,
    layers: Vec<String>,
    /// Feed data by feed name: files relative to `tests/`.
    #[serde(default)]
    feeds: BTreeMap<String, Vec<String>>,
    compile_error: Option<ExpectedCompileError>,
    #[serde(default)]
    cases: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedCompileError {
    line: Option<usize>,
    column: Option<usize>,
    path: Option<String>,
    layer: Option<String>,
    /// `syntax`, `invalid`, `duplicate` or `limit`.
    kind: Option<String>,
    /// A substring of the message.
    message: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    request: RawRequest,
    expect: Option<Expect>,
    /// `request`: the request must be rejected.
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    purl: Option<String>,
    ecosystem: Option<String>,
    name: Option<String>,
    version: Option<String>,
    license: Option<String>,
    published_at: Option<String>,
    project: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, AttrValue>,
    provenance: Option<BTreeMap<String, AttrValue>>,
    previous_provenance: Option<BTreeMap<String, AttrValue>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    action: String,
    matched: Option<Vec<String>>,
    allowed_by: Option<Vec<String>>,
    suppressed: Option<Vec<ExpectSuppressed>>,
    dry_run: Option<Vec<String>>,
    default: Option<bool>,
    /// RFC 3339, or `none` for a decision no time passing changes.
    allowed_after: Option<String>,
}

#[derive(Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct ExpectSuppressed {
    rule: String,
    by: String,
}

fn request(raw: &RawRequest) -> Result<Request, RequestError> {
    if let Some(purl) = &raw.purl {
        return Request::from_purl(purl);
    }
    let published_at = raw
        .published_at
        .as_ref()
        .map(|t| t.parse::<Timestamp>().expect("published_at in a case file"));
    Request::new(RequestInput {
        ecosystem: raw
            .ecosystem
            .clone()
            .expect("request needs purl or ecosystem"),
        name: raw.name.clone().expect("request needs purl or name"),
        version: raw.version.clone(),
        license: raw.license.clone(),
        published_at,
        project: raw.project.clone(),
        attributes: raw.attributes.clone(),
        provenance: raw
            .provenance
            .clone()
            .map(|p| ProvenanceInput::from_fields("provenance", p))
            .transpose()?,
        previous_provenance: raw
            .previous_provenance
            .clone()
            .map(|p| ProvenanceInput::from_fields("previous_provenance", p))
            .transpose()?,
    })
}

fn refs(rules: &[package_policy::RuleRef]) -> Vec<String> {
    rules
        .iter()
        .map(|r| format!("{}/{}", r.layer, r.id))
        .collect()
}

fn check_decision(ctx: &str, d: &Decision, e: &Expect) {
    assert_eq!(d.action.as_str(), e.action, "{ctx}: action in {d:#?}");
    if let Some(m) = &e.matched {
        assert_eq!(&refs(&d.matched), m, "{ctx}: matched");
    }
    if let Some(a) = &e.allowed_by {
        assert_eq!(&refs(&d.allowed_by), a, "{ctx}: allowed_by");
    }
    if let Some(s) = &e.suppressed {
        let got: Vec<ExpectSuppressed> = d
            .suppressed
            .iter()
            .map(|s| ExpectSuppressed {
                rule: format!("{}/{}", s.rule.layer, s.rule.id),
                by: format!("{}/{}", s.by.layer, s.by.id),
            })
            .collect();
        assert_eq!(&got, s, "{ctx}: suppressed");
    }
    if let Some(dr) = &e.dry_run {
        assert_eq!(&refs(&d.dry_run), dr, "{ctx}: dry_run");
    }
    if let Some(after) = &e.allowed_after {
        let want = (after != "none").then(|| after.parse::<Timestamp>().unwrap());
        assert_eq!(d.allowed_after, want, "{ctx}: allowed_after");
    }
    if let Some(def) = e.default {
        assert_eq!(d.default, def, "{ctx}: default");
    }
}

fn check_compile_error(ctx: &str, err: &CompileError, e: &ExpectedCompileError) {
    if let Some(l) = e.line {
        assert_eq!(err.line, Some(l), "{ctx}: line of {err}");
    }
    if let Some(c) = e.column {
        assert_eq!(err.column, Some(c), "{ctx}: column of {err}");
    }
    if let Some(p) = &e.path {
        assert_eq!(
            err.path.as_deref(),
            Some(p.as_str()),
            "{ctx}: path of {err}"
        );
    }
    if let Some(l) = &e.layer {
        assert_eq!(
            err.layer.as_deref(),
            Some(l.as_str()),
            "{ctx}: layer of {err}"
        );
    }
    if let Some(k) = &e.kind {
        let want = match k.as_str() {
            "syntax" => CompileErrorKind::Syntax,
            "invalid" => CompileErrorKind::Invalid,
            "duplicate" => CompileErrorKind::Duplicate,
            "limit" => CompileErrorKind::Limit,
            other => panic!("{ctx}: unknown error kind `{other}`"),
        };
        assert_eq!(err.kind, want, "{ctx}: kind of {err}");
    }
    if let Some(m) = &e.message {
        assert!(err.message.contains(m.as_str()), "{ctx}: message of {err}");
    }
}

fn run_file(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).unwrap();
    let file: CaseFile =
        serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let ctx = format!("{} ({})", path.display(), file.name);
    let sources: Vec<LayerSource> = file
        .layers
        .iter()
        .enumerate()
        .map(|(i, t)| LayerSource::new(format!("layers[{i}]"), t.clone()))
        .collect();
    let now = file
        .now
        .as_ref()
        .map_or_else(Timestamp::now, |t| t.parse().expect("now"));
    let tests = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut options = CompileOptions::default();
    for (name, files) in &file.feeds {
        let mut feed = FeedSource::new(name);
        for f in files {
            let text = std::fs::read_to_string(tests.join(f))
                .unwrap_or_else(|e| panic!("{ctx}: feed file {f}: {e}"));
            feed = feed.with_document(f, text);
        }
        options = options.with_feed(feed);
    }
    let compiled = Engine::compile_with(&sources, &options);
    let reference = Reference::compile_with(&sources, &options);
    if let Some(expected) = &file.compile_error {
        let err = compiled.expect_err(&format!("{ctx}: should not compile"));
        check_compile_error(&ctx, &err, expected);
        assert_eq!(Some(err), reference.err(), "{ctx}: reference error");
        assert!(file.cases.is_empty(), "{ctx}: cases after a compile error");
        return 1;
    }
    let engine = compiled.unwrap_or_else(|e| panic!("{ctx}: {e}"));
    let reference = reference.unwrap();
    assert!(!file.cases.is_empty(), "{ctx}: no cases");
    for (i, case) in file.cases.iter().enumerate() {
        let cctx = format!("{ctx} case {i}");
        match (request(&case.request), &case.error, &case.expect) {
            (Err(_), Some(kind), None) if kind == "request" => {}
            (Err(e), _, _) => panic!("{cctx}: unexpected request error {e}"),
            (Ok(_), Some(_), _) => panic!("{cctx}: request should be rejected"),
            (Ok(req), None, Some(expect)) => {
                let d = engine.evaluate(&req, now);
                check_decision(&cctx, &d, expect);
                assert_eq!(d, reference.evaluate(&req, now), "{cctx}: reference");
                let explained = engine.explain(&req, now);
                assert_eq!(explained.decision, d, "{cctx}: explain");
            }
            (Ok(_), None, None) => panic!("{cctx}: needs expect or error"),
        }
    }
    file.cases.len()
}

#[test]
fn case_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty());
    let total: usize = paths.iter().map(|p| run_file(p)).sum();
    eprintln!("{} case files, {total} cases", paths.len());
}
