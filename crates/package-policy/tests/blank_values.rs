//! Blank is not absent (issue 18): every field of a layer, rule, match block
//! and feed declaration left blank (`key:`), `~`, `null` or JSON `null` is a
//! compile error at its line and column, where it used to read as "key
//! absent", i.e. no condition.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{CompileErrorKind, CompileOptions, Engine, FeedSource, LayerSource};

/// A layer that uses every field, one per line, so a field is found by its key.
const FULL: &str = "\
schema_version: 1
layer: acme
default: allow
mode: enforce
feeds:
  - name: mal
    format: osv
    action: deny
    enforced: true
    reason_prefix: \"malicious: \"
rules:
  - id: r1
    action: deny
    reason: why
    enforced: true
    expires: 2099-01-01
    owner: sec
    ticket: SEC-1
    match:
      ecosystem: npm
      package: evil
      versions: \"< 2\"
      license: MIT
      license_not_in: Apache-2.0
      published_within: 7d
      project: web
      attributes:
        tier: gold
";

const FEED: &str = r#"{"id":"MAL-1","modified":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"bad"},"versions":["1.0.0"]}]}"#;

fn options() -> CompileOptions {
    CompileOptions::default().with_feed(FeedSource::new("mal").with_document("mal.json", FEED))
}

fn compile(text: &str) -> Result<Engine, package_policy::CompileError> {
    Engine::compile_with(&[LayerSource::new("acme.yaml", text)], &options())
}

/// Every `key: value` line of FULL: (line number, key, column of the key).
fn fields() -> Vec<(usize, String, usize)> {
    FULL.lines()
        .enumerate()
        .filter_map(|(i, l)| {
            let trimmed = l.trim_start_matches([' ', '-']);
            let (key, _) = trimmed.split_once(':')?;
            Some((i + 1, key.to_owned(), l.len() - trimmed.len() + 1))
        })
        .collect()
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '-']).len()
}

/// FULL with the value of line `line` (and the block under it) replaced by `blank`.
fn with_blank(line: usize, blank: &str) -> String {
    let mut out = String::new();
    let mut under: Option<usize> = None;
    for (i, l) in FULL.lines().enumerate() {
        if let Some(key_indent) = under {
            if l.len() - l.trim_start().len() > key_indent {
                continue;
            }
            under = None;
        }
        if i + 1 == line {
            let (key, _) = l.split_once(':').unwrap();
            out.push_str(&format!("{key}:{blank}\n"));
            under = Some(indent(l));
        } else {
            out.push_str(&format!("{l}\n"));
        }
    }
    out
}

#[test]
fn the_full_layer_compiles() {
    compile(FULL).unwrap();
    assert!(fields().len() >= 28, "{:?}", fields());
}

#[test]
fn every_blank_yaml_field_is_an_error_at_its_key() {
    for (line, key, column) in fields() {
        for blank in ["", " ~", " null", " Null", " NULL", " !!null ''"] {
            let text = with_blank(line, blank);
            let e = compile(&text)
                .err()
                .unwrap_or_else(|| panic!("`{key}:{blank}` (line {line}) compiled:\n{text}"));
            assert_eq!(e.kind, CompileErrorKind::Invalid, "`{key}:{blank}`: {e}");
            assert_eq!(e.line, Some(line), "`{key}:{blank}`: {e}");
            if blank.contains("!!") {
                // Tagged: the line is enough.
            } else if blank.is_empty() {
                // An empty value has no place of its own: the key's.
                assert_eq!(e.column, Some(column), "`{key}:{blank}`: {e}");
            } else {
                assert_eq!(
                    e.column,
                    Some(column + key.len() + 2),
                    "`{key}:{blank}`: {e}"
                );
            }
            assert!(e.message.contains(&format!("`{key}` is blank")), "{e}");
            let layer = (key != "layer").then_some("acme");
            assert_eq!(e.layer.as_deref(), layer, "{e}");
        }
    }
}

#[test]
fn blank_list_items_and_flow_values_are_errors() {
    for (text, line, column) in [
        (
            "schema_version: 1\nlayer: a\nrules:\n  - id: r\n    action: allow\n    match: { ecosystem: npm, package: x, versions: [\"< 1\", ~] }\n",
            6,
            60,
        ),
        (
            "schema_version: 1\nlayer: a\nrules:\n  - id: r\n    action: allow\n    match: { ecosystem: npm, package: x, versions: }\n",
            6,
            42,
        ),
        (
            "schema_version: 1\nlayer: a\nrules:\n  - id: r\n    action: allow\n    match:\n      package:\n        - x\n        -\n",
            9,
            9,
        ),
    ] {
        let e = compile(text).err().unwrap_or_else(|| panic!("compiled:\n{text}"));
        assert_eq!(e.kind, CompileErrorKind::Invalid, "{e}");
        assert_eq!((e.line, e.column), (Some(line), Some(column)), "{e}\n{text}");
    }
}

/// FULL as a JSON document.
fn full_json() -> serde_json::Value {
    let v: serde_yaml_ng::Value = serde_yaml_ng::from_str(FULL).unwrap();
    let mut json = serde_json::to_value(v).unwrap();
    // YAML read the date as a string already; keep every value a string or number.
    json["rules"][0]["expires"] = "2099-01-01".into();
    json
}

/// Paths to every leaf and mapping value of a JSON value.
fn paths(v: &serde_json::Value, at: Vec<serde_json::Value>, out: &mut Vec<Vec<serde_json::Value>>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                let mut p = at.clone();
                p.push(k.clone().into());
                out.push(p.clone());
                paths(child, p, out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let mut p = at.clone();
                p.push(i.into());
                paths(child, p, out);
            }
        }
        _ => {}
    }
}

fn slot<'v>(v: &'v mut serde_json::Value, path: &[serde_json::Value]) -> &'v mut serde_json::Value {
    path.iter().fold(v, |v, step| match step {
        serde_json::Value::String(k) => &mut v[k.as_str()],
        serde_json::Value::Number(n) => &mut v[n.as_u64().unwrap() as usize],
        _ => unreachable!(),
    })
}

#[test]
fn every_json_null_is_an_error_with_its_position() {
    let full = full_json();
    let text = serde_json::to_string_pretty(&full).unwrap();
    compile(&text).unwrap();
    let mut all = Vec::new();
    paths(&full, Vec::new(), &mut all);
    assert!(all.len() >= 25);
    for path in all {
        let mut doc = full.clone();
        *slot(&mut doc, &path) = serde_json::Value::Null;
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let e = compile(&text)
            .err()
            .unwrap_or_else(|| panic!("null at {path:?} compiled:\n{text}"));
        assert_eq!(e.kind, CompileErrorKind::Invalid, "{path:?}: {e}");
        let (line, column) = (e.line.unwrap(), e.column.unwrap());
        let at = text.lines().nth(line - 1).unwrap();
        assert_eq!(
            at.get(column - 1..column + 3),
            Some("null"),
            "{path:?}: {e} points at {at:?}"
        );
        let key = path.last().unwrap().as_str().unwrap();
        assert!(e.message.contains(&format!("`{key}` is blank")), "{e}");
    }
}

/// The attack of issue 18: an exception whose `versions` was left blank
/// allowed every version of the denied package.
#[test]
fn a_blank_versions_no_longer_widens_an_exception() {
    let text = "schema_version: 1\nlayer: acme\nrules:\n  - id: no-lodash\n    action: deny\n    match: { ecosystem: npm, package: lodash }\n  - id: except-old\n    action: allow\n    match:\n      ecosystem: npm\n      package: lodash\n      versions:\n";
    let Err(e) = compile(text) else {
        panic!("a blank versions compiled");
    };
    assert_eq!((e.line, e.column), (Some(12), Some(7)), "{e}");
    assert!(e.message.contains("`versions` is blank"), "{e}");
}

#[test]
fn quoted_empty_and_the_word_null_are_strings_not_blanks() {
    // `reason: ""` is an empty string, not a blank; `owner: "null"` a name.
    let text = "schema_version: 1\nlayer: acme\nrules:\n  - id: r\n    action: deny\n    reason: \"\"\n    owner: \"null\"\n    match: { ecosystem: npm, package: \"null\" }\n";
    Engine::compile(&[LayerSource::new("acme.yaml", text)]).unwrap();
}
