//! The JSON fast path of the parse stage.

use std::collections::HashSet;

use serde::de::DeserializeOwned;

use crate::error::{CompileError, CompileErrorKind};
use crate::limits::Limits;
use crate::source::{line_col, LayerSource};

/// JSON documents (feeds, generated layers) are read by serde_json, about
/// ten times faster than the YAML path, under the same limits and checks:
/// size and characters as for YAML, then one byte scan for nesting depth and
/// duplicate keys (JSON has no aliases; serde_json's own recursion limit
/// bounds the parse before the scan). `None` when the document is not JSON
/// (flow-style YAML, or broken): the YAML path reads and reports it.
/// See docs/decisions/yaml-parser.md.
pub(crate) fn from_str<T: DeserializeOwned>(
    src: &LayerSource,
    limits: &Limits,
) -> Option<Result<T, CompileError>> {
    if let Err(e) = crate::yaml::check_size_and_characters(src, limits) {
        return Some(Err(e));
    }
    match serde_json::from_str(&src.text) {
        Ok(value) => Some(
            check_json(src, limits)
                .and_then(|()| json_blank(src))
                .map(|()| value),
        ),
        Err(e) if e.is_data() => Some(
            check_json(src, limits)
                .and_then(|()| json_blank(src))
                .and(Err(json_error(src, &e))),
        ),
        Err(_) => None,
    }
}

fn json_error(src: &LayerSource, e: &serde_json::Error) -> CompileError {
    // serde_json phrases type errors as "invalid type: …, expected …", as
    // serde_yaml_ng does; its positions are 1-based, columns in bytes.
    let (line, column) = if e.line() == 0 {
        (1, 1)
    } else {
        let start = line_start(&src.text, e.line());
        let mut upto = start
            .saturating_add(e.column().saturating_sub(1))
            .min(src.text.len());
        while !src.text.is_char_boundary(upto) {
            upto -= 1;
        }
        line_col(&src.text, upto)
    };
    let message = e.to_string();
    // serde_json appends " at line L column C"; the error carries them.
    let message = match message.rfind(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message).to_owned(),
        None => message,
    };
    CompileError::new(CompileErrorKind::Syntax, &src.name, message).at(line, column)
}

/// A JSON `null` is a blank value, as in YAML (see `crate::blank`).
fn json_blank(src: &LayerSource) -> Result<(), CompileError> {
    match crate::blank::json_null(&src.text) {
        None => Ok(()),
        Some((i, key)) => {
            let (line, column) = line_col(&src.text, i);
            Err(CompileError::new(
                CompileErrorKind::Invalid,
                &src.name,
                crate::blank::message(key.as_deref()),
            )
            .at(line, column))
        }
    }
}

/// Byte offset where 1-based `line` starts.
fn line_start(text: &str, line: usize) -> usize {
    if line <= 1 {
        return 0;
    }
    text.match_indices('\n')
        .nth(line - 2)
        .map_or(text.len(), |(i, _)| i + 1)
}

/// Nesting depth and duplicate keys of a JSON document, in one byte scan.
/// Syntax errors are left to serde_json, which reports them with a position.
fn check_json(src: &LayerSource, limits: &Limits) -> Result<(), CompileError> {
    let text = &src.text;
    let bytes = text.as_bytes();
    // Per open container: for an object, the keys seen so far.
    let mut open: Vec<Option<HashSet<std::borrow::Cow<'_, str>>>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' | b'[' => {
                if open.len() >= limits.yaml_depth {
                    let (line, column) = line_col(text, i);
                    return Err(CompileError::new(
                        CompileErrorKind::Limit,
                        &src.name,
                        format!(
                            "nesting deeper than {} levels (Limits::yaml_depth)",
                            limits.yaml_depth
                        ),
                    )
                    .at(line, column));
                }
                open.push((b == b'{').then(HashSet::new));
            }
            b'}' | b']' => {
                open.pop();
            }
            b'"' => {
                let start = i;
                let end = string_end(bytes, i + 1);
                i = end;
                // A string in an object followed by `:` is a key.
                let is_key = bytes
                    .get(end + 1..)
                    .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()))
                    == Some(&b':');
                if let (true, Some(Some(seen))) = (is_key, open.last_mut()) {
                    let raw = text.get(start + 1..end).unwrap_or("");
                    let key = if raw.contains('\\') {
                        // Escapes spell one key many ways: compare decoded text.
                        let quoted = text.get(start..=end).unwrap_or("");
                        serde_json::from_str::<String>(quoted).map_or(raw.into(), Into::into)
                    } else {
                        raw.into()
                    };
                    if !seen.insert(key) {
                        let (line, column) = line_col(text, start);
                        return Err(CompileError::new(
                            CompileErrorKind::Syntax,
                            &src.name,
                            "duplicate key in a mapping (the later one would silently win)",
                        )
                        .at(line, column));
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// Index of the closing quote of a JSON string whose content starts at `i`
/// (or the end of the input, for serde_json to report).
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}
