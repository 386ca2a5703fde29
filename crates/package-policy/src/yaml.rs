//! The YAML limits pass of the parse stage.
//!
//! Layers are deserialized by serde_yaml_ng (the maintained fork of the archived
//! serde_yaml, see `crate::parse`). Before that, one pass over yaml-rust2's
//! events enforces the limits of POLICY_SPEC §8 with positions: nesting depth,
//! and the nodes that aliases expand to, counted from anchor sizes so an alias
//! bomb fails after reading its few hundred bytes, not after expanding it.
//! See docs/decisions/yaml-parser.md.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{CompileError, CompileErrorKind};
use crate::limits::Limits;
use crate::source::{line_col, LayerSource};

/// 1-based line and column of a yaml-rust2 marker (its column counts from 0).
fn position(mark: &Marker) -> (usize, usize) {
    (mark.line(), mark.col() + 1)
}

fn limit_error(src: &LayerSource, mark: Marker, message: String) -> CompileError {
    let (line, column) = position(&mark);
    CompileError::new(CompileErrorKind::Limit, &src.name, message).at(line, column)
}

/// The YAML 1.2 printable set (§5.1): what may appear in a document.
fn yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// One open collection during the limits pass.
struct Open {
    anchor: usize,
    /// For a mapping: the scalar keys seen, and whether the next node is a key.
    keys: Option<(HashSet<String>, bool)>,
    /// `nodes` when the collection started.
    first_node: u64,
    depth: usize,
    /// The deepest nesting reached inside, aliases expanded.
    deepest: usize,
    /// For a mapping: the last key and where it is, to report a blank value.
    last_key: Option<(String, Marker)>,
}

/// What an anchor stands for once expanded.
#[derive(Clone, Copy)]
struct Anchored {
    nodes: u64,
    /// Nesting levels the anchored node adds (0 for a scalar).
    height: usize,
}

/// Size and characters, as for YAML.
pub(crate) fn check_size_and_characters(
    src: &LayerSource,
    limits: &Limits,
) -> Result<(), CompileError> {
    let text = &src.text;
    if text.len() > limits.layer_bytes {
        // Placed at the first character past the limit.
        let mut cut = limits.layer_bytes;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let (line, column) = line_col(text, cut);
        let mut err = CompileError::new(
            CompileErrorKind::Limit,
            &src.name,
            format!(
                "the document is {} bytes, over the limit of {} (Limits::layer_bytes)",
                text.len(),
                limits.layer_bytes
            ),
        )
        .at(line, column);
        // The layer name, read from the part within the limit only.
        err.layer = crate::locate::find(text.get(..cut).unwrap_or(""), []).layer;
        return Err(err);
    }
    if let Some((i, c)) = text.char_indices().find(|(_, c)| !yaml_printable(*c)) {
        let (line, column) = line_col(text, i);
        return Err(CompileError::new(
            CompileErrorKind::Syntax,
            &src.name,
            format!(
                "character U+{:04X} is not allowed in YAML (no control characters, no NUL)",
                u32::from(c)
            ),
        )
        .at(line, column));
    }
    Ok(())
}

/// Size, NUL bytes, depth and alias expansion, in one streaming pass.
pub(crate) fn check_document(src: &LayerSource, limits: &Limits) -> Result<(), CompileError> {
    check_size_and_characters(src, limits)?;
    let text = &src.text;
    let mut parser = Parser::new_from_str(text);
    let mut anchors: HashMap<usize, Anchored> = HashMap::new();
    let mut open: Vec<Open> = Vec::new();
    // Nodes including alias expansions, and the part aliases contributed.
    let mut nodes: u64 = 0;
    let mut expanded: u64 = 0;
    let mut documents = 0usize;
    let alias_limit = u64::try_from(limits.alias_expansion).unwrap_or(u64::MAX);
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let (line, column) = position(e.marker());
            CompileError::new(CompileErrorKind::Syntax, &src.name, e.info().to_owned())
                .at(line, column)
        })?;
        match event {
            Event::StreamEnd => return Ok(()),
            Event::Scalar(value, style, anchor, tag) => {
                if crate::blank::is_yaml_null(&value, style, tag.as_ref()) {
                    let empty = value.is_empty() && tag.is_none();
                    return Err(blank_error(src, open.last(), empty, mark));
                }
                if let Some(o) = open.last_mut() {
                    if let Some((seen, true)) = o.keys.as_mut() {
                        o.last_key = Some((value.clone(), mark));
                        if !seen.insert(value) {
                            let (line, column) = position(&mark);
                            return Err(CompileError::new(
                                CompileErrorKind::Syntax,
                                &src.name,
                                "duplicate key in a mapping (the later one would silently win)",
                            )
                            .at(line, column));
                        }
                    }
                }
                toggle_key(&mut open);
                nodes += 1;
                if anchor > 0 {
                    anchors.insert(
                        anchor,
                        Anchored {
                            nodes: 1,
                            height: 0,
                        },
                    );
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                toggle_key(&mut open);
                let keys = matches!(event, Event::MappingStart(..)).then(|| (HashSet::new(), true));
                let depth = open.len() + 1;
                if depth > limits.yaml_depth {
                    return Err(limit_error(
                        src,
                        mark,
                        format!(
                            "nesting deeper than {} levels (Limits::yaml_depth)",
                            limits.yaml_depth
                        ),
                    ));
                }
                open.push(Open {
                    anchor,
                    keys,
                    first_node: nodes,
                    depth,
                    deepest: depth,
                    last_key: None,
                });
                nodes += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(done) = open.pop() {
                    if done.anchor > 0 {
                        anchors.insert(
                            done.anchor,
                            Anchored {
                                nodes: nodes - done.first_node,
                                height: done.deepest - done.depth + 1,
                            },
                        );
                    }
                    if let Some(parent) = open.last_mut() {
                        parent.deepest = parent.deepest.max(done.deepest);
                    }
                }
            }
            Event::Alias(id) => {
                toggle_key(&mut open);
                // The parser rejects aliases to unknown anchors; an anchor still
                // open (a recursive alias) counts as one node.
                let target = anchors.get(&id).copied().unwrap_or(Anchored {
                    nodes: 1,
                    height: 0,
                });
                nodes = nodes.saturating_add(target.nodes);
                expanded = expanded.saturating_add(target.nodes);
                if expanded > alias_limit {
                    return Err(limit_error(
                        src,
                        mark,
                        format!(
                            "aliases expand to more than {} nodes (Limits::alias_expansion)",
                            limits.alias_expansion
                        ),
                    ));
                }
                let depth = open.len() + target.height;
                if depth > limits.yaml_depth {
                    return Err(limit_error(
                        src,
                        mark,
                        format!(
                            "this alias nests deeper than {} levels (Limits::yaml_depth)",
                            limits.yaml_depth
                        ),
                    ));
                }
                if let Some(parent) = open.last_mut() {
                    parent.deepest = parent.deepest.max(depth);
                }
            }
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    let (line, column) = position(&mark);
                    return Err(CompileError::new(
                        CompileErrorKind::Syntax,
                        &src.name,
                        "a second YAML document: a layer is one document (give each layer its own source)",
                    )
                    .at(line, column));
                }
            }
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
    }
}

/// A null scalar, named by its key when it is a mapping's value. An empty
/// value has no place of its own (the parser marks the next token): it is
/// placed at its key, or in a list at the `-` or `,` before it.
fn blank_error(
    src: &LayerSource,
    parent: Option<&Open>,
    empty: bool,
    mark: Marker,
) -> CompileError {
    let key = parent
        .filter(|o| matches!(o.keys, Some((_, false))))
        .and_then(|o| o.last_key.as_ref());
    let (line, column) = match key {
        Some((_, key_mark)) if empty => position(key_mark),
        _ if empty => before_blanks(&src.text, mark).unwrap_or_else(|| position(&mark)),
        _ => position(&mark),
    };
    CompileError::new(
        CompileErrorKind::Invalid,
        &src.name,
        crate::blank::message(key.map(|(k, _)| k.as_str())),
    )
    .at(line, column)
}

/// The line and column of the last non-blank character before `mark`
/// (whose index counts characters).
fn before_blanks(text: &str, mark: Marker) -> Option<(usize, usize)> {
    let end = text
        .char_indices()
        .nth(mark.index())
        .map_or(text.len(), |(i, _)| i);
    let (i, _) = text
        .get(..end)?
        .char_indices()
        .rev()
        .find(|(_, c)| !c.is_whitespace())?;
    Some(line_col(text, i))
}

/// In a mapping, nodes alternate between key and value.
fn toggle_key(open: &mut [Open]) {
    if let Some((_, expect_key)) = open.last_mut().and_then(|o| o.keys.as_mut()) {
        *expect_key = !*expect_key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> LayerSource {
        LayerSource::new("t.yaml", text)
    }

    fn check(text: &str) -> Result<(), CompileError> {
        check_document(&src(text), &Limits::default())
    }

    /// yaml-rust2 keeps yielding events after an error: the pass ends at the first.
    #[test]
    fn stops_at_a_parse_error() {
        assert!(check("# cme\n*ules# : ").is_err());
    }

    #[test]
    fn depth_limit_is_exact() {
        let limit = Limits::default().yaml_depth;
        let ok = format!("{}{}", "[".repeat(limit), "]".repeat(limit));
        assert!(check(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(limit + 1), "]".repeat(limit + 1));
        let e = check(&deep).unwrap_err();
        assert_eq!(e.kind, CompileErrorKind::Limit);
        assert_eq!((e.line, e.column), (Some(1), Some(limit + 1)));
    }

    #[test]
    fn alias_expansion_is_counted_from_anchor_sizes() {
        // 1,000 items aliased 100 times = 100,000 expanded nodes (the limit, plus
        // the sequence node itself each time): just over.
        let items = vec!["x"; 999].join(", ");
        let aliases = vec!["*a"; 100].join(", ");
        let at_limit = format!("a: &a [{items}]\nb: [{aliases}]\n");
        assert!(check(&at_limit).is_ok());
        let over = format!("a: &a [{items}]\nb: [{aliases}, *a]\n");
        let e = check(&over).unwrap_err();
        assert_eq!(e.kind, CompileErrorKind::Limit);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn aliases_count_toward_depth() {
        let limit = Limits::default().yaml_depth;
        let half = limit / 2 + 1;
        let text = format!(
            "a: &a {}{}\nb: {}*a{}\n",
            "[".repeat(half),
            "]".repeat(half),
            "[".repeat(half),
            "]".repeat(half)
        );
        assert_eq!(check(&text).unwrap_err().kind, CompileErrorKind::Limit);
    }

    #[test]
    fn nul_and_invalid_utf8_have_positions() {
        let e = check("layer: a\nid: b\0c\n").unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.column),
            (CompileErrorKind::Syntax, Some(2), Some(6))
        );
        let e = LayerSource::from_bytes("t.yaml", b"layer: a\nid: \xff\n".to_vec()).unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.column),
            (CompileErrorKind::Syntax, Some(2), Some(5))
        );
        assert!(LayerSource::from_bytes("t.yaml", b"layer: a\n".to_vec()).is_ok());
    }

    /// Figures for docs/decisions/yaml-parser.md; prints, asserts nothing.
    #[test]
    #[ignore = "measurement: cargo test --release -p package-policy --lib measure_parse_speed -- --ignored --nocapture"]
    fn measure_parse_speed() {
        use std::time::Instant;
        let mut text = String::from("schema_version: 1\nlayer: feed\nrules:\n");
        for i in 0..100_000 {
            text.push_str(&format!(
                "  - id: mal-{i}\n    action: deny\n    reason: malicious package {i}\n    match: {{ ecosystem: npm, package: evil-package-{i} }}\n"
            ));
        }
        let source = src(&text);
        let limits = Limits::default();
        let mb = text.len() as f64 / 1e6;
        let t = Instant::now();
        check(&text).unwrap();
        let pre = t.elapsed();
        let t = Instant::now();
        let _: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
        let serde = t.elapsed();
        let t = Instant::now();
        let engine = crate::Engine::compile_with_limits(&[source], &limits).unwrap();
        let compile = t.elapsed();
        eprintln!(
            "{mb:.1} MB, {} rules: limits pass {pre:?}, serde_yaml_ng to Value {serde:?}, Engine::compile {compile:?}",
            engine.rule_count()
        );
    }
}
