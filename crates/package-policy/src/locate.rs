//! Error positions: the paths that validation reports (`layer`,
//! `rules[3].match.versions[1]`) turned into 1-based lines and columns.
//!
//! All errors of one document are located together in one pass over its
//! YAML events (JSON reads as YAML), so reporting thousands of errors costs
//! one read of the document, not one per error. Only the error path pays:
//! a document that compiles is never read here.

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::CompileError;

/// Path steps in one string: `KEY` + key text, `INDEX` + decimal. Neither
/// byte may appear in a document (no control characters, `parse` checks), so
/// no key can be read as structure, and a prefix of steps is a prefix of text.
const KEY: char = '\u{1}';
const INDEX: char = '\u{2}';
/// The step of a key that is not a plain scalar: matches no wanted path.
const OPAQUE: &str = "\u{1}\u{0}";

/// `rules[3].match.versions` → `␁rules␂3␁match␁versions`; `None` when malformed.
fn encode(path: &str) -> Option<String> {
    let mut out = String::with_capacity(path.len() + 4);
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !key.is_empty() {
            out.push(KEY);
            out.push_str(key);
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (n, after) = r.split_once(']')?;
            let n: usize = n.parse().ok()?;
            out.push(INDEX);
            out.push_str(&n.to_string());
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(out)
}

/// The encoded path and its ancestors, longest first (the root is "").
fn prefixes(encoded: &str) -> impl Iterator<Item = &str> {
    let cuts = encoded
        .char_indices()
        .filter(|&(_, c)| c == KEY || c == INDEX)
        .map(|(i, _)| i);
    std::iter::once(encoded.len())
        .chain(cuts.collect::<Vec<_>>().into_iter().rev())
        .filter_map(|i| encoded.get(..i))
}

/// What one pass over a document found.
#[derive(Debug, Default)]
pub(crate) struct Positions {
    /// Wanted paths (and their ancestors) found, with their 1-based positions.
    found: HashMap<String, (usize, usize)>,
    /// Whether the whole document was read: only then does a missing path
    /// fall back to its nearest enclosing value.
    complete: bool,
    /// The top-level `layer:` name, when a plain scalar.
    pub layer: Option<String>,
}

impl Positions {
    /// The position of the value at `path`, or of the nearest enclosing value
    /// where the path leaves the document (a missing key, an alias).
    pub(crate) fn get(&self, path: &str) -> Option<(usize, usize)> {
        let encoded = encode(path)?;
        for (n, prefix) in prefixes(&encoded).enumerate() {
            if let Some(&at) = self.found.get(prefix) {
                return (n == 0 || self.complete).then_some(at);
            }
        }
        None
    }
}

/// One frame per open collection.
struct Open {
    /// Length of the encoded path of this collection.
    len: usize,
    /// A mapping: whether the next node is a key, and the last key read.
    /// A sequence: `None`.
    map: Option<(bool, String)>,
    /// A sequence: the index of its next item.
    next: usize,
}

/// Finds the positions of `paths` (and the layer name) in `text` in one pass.
pub(crate) fn find<'p>(text: &str, paths: impl IntoIterator<Item = &'p str>) -> Positions {
    // Every wanted path with its ancestors, and those not yet found exactly.
    let mut wanted: HashSet<String> = HashSet::new();
    let mut missing: HashSet<String> = HashSet::new();
    for p in paths {
        if let Some(e) = encode(p) {
            for prefix in prefixes(&e) {
                if !wanted.insert(prefix.to_owned()) {
                    break;
                }
            }
            missing.insert(e);
        }
    }
    let layer_key = format!("{KEY}layer");
    let mut out = Positions::default();
    let mut parser = Parser::new_from_str(text);
    // yaml-rust2 may go on yielding events after an error: a budget
    // proportional to the text bounds the pass whatever it does.
    let mut budget = text.len().saturating_mul(2).saturating_add(16);
    let mut open: Vec<Open> = Vec::new();
    let mut path = String::new();
    // A mapping is placed at its first key (yaml-rust2 marks a block mapping
    // at its first `:`): its path waits for the next event.
    let mut pending: Option<(String, Marker)> = None;
    loop {
        let Some(b) = budget.checked_sub(1) else {
            return out;
        };
        budget = b;
        // Done early once every path is found exactly and the layer named.
        if missing.is_empty() && out.layer.is_some() {
            return out;
        }
        let Ok((event, mark)) = parser.next_token() else {
            return out;
        };
        if let Some((p, own)) = pending.take() {
            let at = match event {
                Event::Scalar(..) => mark,
                _ => own,
            };
            missing.remove(&p);
            out.found.insert(p, (at.line(), at.col() + 1));
        }
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        if is_node {
            // The node's path, or `None` for a mapping key.
            let mut is_key = false;
            match open.last_mut() {
                None => {}
                Some(o) => match &mut o.map {
                    Some((expect_key, key)) => {
                        if *expect_key {
                            is_key = true;
                            *key = match &event {
                                Event::Scalar(s, ..) => format!("{KEY}{s}"),
                                _ => OPAQUE.to_owned(),
                            };
                        } else {
                            path.truncate(o.len);
                            path.push_str(key);
                        }
                        *expect_key = !*expect_key;
                    }
                    None => {
                        path.truncate(o.len);
                        path.push(INDEX);
                        path.push_str(&o.next.to_string());
                        o.next += 1;
                    }
                },
            }
            if is_key {
                // A key that is a collection: its contents match nothing.
                if matches!(event, Event::SequenceStart(..) | Event::MappingStart(..)) {
                    if let Some(o) = open.last() {
                        path.truncate(o.len);
                    }
                    path.push_str(OPAQUE);
                }
            } else if wanted.contains(path.as_str()) {
                if matches!(event, Event::MappingStart(..)) {
                    pending = Some((path.clone(), mark));
                } else {
                    missing.remove(path.as_str());
                    out.found
                        .insert(path.clone(), (mark.line(), mark.col() + 1));
                }
            }
            if !is_key && open.len() == 1 && path == layer_key {
                if let Event::Scalar(name, style, _, tag) = &event {
                    // A blank `layer:` names no layer.
                    if !crate::blank::is_yaml_null(name, *style, tag.as_ref()) {
                        out.layer = Some(name.clone());
                    }
                }
            }
        }
        match event {
            Event::SequenceStart(..) => open.push(Open {
                len: path.len(),
                map: None,
                next: 0,
            }),
            Event::MappingStart(..) => open.push(Open {
                len: path.len(),
                map: Some((true, String::new())),
                next: 0,
            }),
            Event::SequenceEnd | Event::MappingEnd => {
                open.pop();
            }
            Event::StreamEnd | Event::DocumentEnd => {
                out.complete = true;
                return out;
            }
            _ => {}
        }
    }
}

/// Fills each error's line and column from its path where the parser gave
/// none, and its layer name when unknown: one pass over `text` for all.
pub(crate) fn locate_all(text: &str, errors: &mut [CompileError]) {
    let needs = |e: &CompileError| e.layer.is_none() || (e.line.is_none() && e.path.is_some());
    if !errors.iter().any(needs) {
        return;
    }
    let positions = find(
        text,
        errors
            .iter()
            .filter(|e| e.line.is_none())
            .filter_map(|e| e.path.as_deref()),
    );
    for e in errors.iter_mut() {
        if e.layer.is_none() {
            e.layer.clone_from(&positions.layer);
        }
        if e.line.is_none() {
            if let Some((line, column)) = e.path.as_deref().and_then(|p| positions.get(p)) {
                e.line = Some(line);
                e.column = Some(column);
            }
        }
    }
}

/// [`locate_all`] for one error.
pub(crate) fn locate(text: &str, mut error: CompileError) -> CompileError {
    locate_all(text, std::slice::from_mut(&mut error));
    error
}

/// The 1-based line and column of each item of the top-level `rules` list, in
/// one pass (analysis findings point at rules). Empty when the document has
/// no such list.
pub(crate) fn rule_positions(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut parser = Parser::new_from_str(text);
    let mut budget = text.len().saturating_mul(2).saturating_add(16);
    // Depth of open collections; in the root mapping, whether the next node
    // is a key and whether the last key was `rules`.
    let mut depth = 0usize;
    let mut expect_key = true;
    let mut in_rules = false;
    let mut rules_list = false;
    let mut pending: Option<Marker> = None;
    loop {
        let Some(b) = budget.checked_sub(1) else {
            return out;
        };
        budget = b;
        let Ok((event, mark)) = parser.next_token() else {
            return out;
        };
        if let Some(own) = pending.take() {
            let at = if matches!(event, Event::Scalar(..)) {
                mark
            } else {
                own
            };
            out.push((at.line(), at.col() + 1));
        }
        let is_node = matches!(
            event,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        if is_node && depth == 1 {
            if expect_key {
                in_rules = matches!(&event, Event::Scalar(k, ..) if k == "rules");
            } else {
                rules_list = in_rules && matches!(event, Event::SequenceStart(..));
            }
            expect_key = !expect_key;
        } else if is_node && depth == 2 && rules_list {
            if matches!(event, Event::MappingStart(..)) {
                pending = Some(mark);
            } else {
                out.push((mark.line(), mark.col() + 1));
            }
        }
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => {
                depth = depth.saturating_sub(1);
                if depth == 1 {
                    rules_list = false;
                }
            }
            Event::StreamEnd | Event::DocumentEnd => return out,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, path: &str) -> Option<(usize, usize)> {
        find(text, [path]).get(path)
    }

    #[test]
    fn finds_values_by_path() {
        let text = "schema_version: 1\nlayer: acme\nrules:\n  - id: a\n    action: deny\n    match: { ecosystem: npm }\n  - id: b\n    action: deny\n    match:\n      ecosystem: npm\n      versions: [\"1\", \">= 2\"]\n";
        assert_eq!(at(text, "schema_version"), Some((1, 17)));
        assert_eq!(at(text, "layer"), Some((2, 8)));
        assert_eq!(at(text, "rules[0].id"), Some((4, 9)));
        assert_eq!(at(text, "rules[0].match.ecosystem"), Some((6, 25)));
        assert_eq!(at(text, "rules[1].match.versions"), Some((11, 17)));
        assert_eq!(at(text, "rules[1].match.versions[1]"), Some((11, 23)));
        // A missing key: the nearest enclosing value (the match mapping).
        assert_eq!(at(text, "rules[1].match.license"), Some((10, 7)));
        assert_eq!(at(text, "rules[1]"), Some((7, 5)));
        // Past the end of a list: the list.
        assert_eq!(at(text, "rules[7].id"), Some((4, 3)));
        assert_eq!(at(text, "rules[x"), None);
        assert_eq!(at("{ unclosed", "layer"), None);
        assert_eq!(find(text, []).layer.as_deref(), Some("acme"));
        assert_eq!(find("layer: [a]\n", []).layer, None);
        assert_eq!(find("rules: []\n", []).layer, None);
        assert_eq!(find("rules: {layer: x}\n", []).layer, None);
    }

    #[test]
    fn many_paths_in_one_pass() {
        let text = "rules:\n  - id: a\n  - id: b\n  - {id: c}\n";
        let paths = ["rules[0].id", "rules[1].id", "rules[2].id", "rules[2].x"];
        let found = find(text, paths);
        assert_eq!(found.get("rules[0].id"), Some((2, 9)));
        assert_eq!(found.get("rules[1].id"), Some((3, 9)));
        assert_eq!(found.get("rules[2].id"), Some((4, 10)));
        assert_eq!(found.get("rules[2].x"), Some((4, 6)));
        // Keys that are collections are skipped, never matched.
        let text = "? [a, b]\n: {id: x}\nid: y\n";
        assert_eq!(at(text, "id"), Some((3, 5)));
    }

    #[test]
    fn rule_positions_in_one_pass() {
        let text =
            "layer: a\nrules:\n  - id: a\n    action: deny\n  - {id: b}\n  - &x c\nother: [1]\n";
        assert_eq!(rule_positions(text), [(3, 5), (5, 6), (6, 8)]);
        assert!(rule_positions("rules: {a: 1}\n").is_empty());
        assert!(rule_positions("[1, 2]").is_empty());
    }

    /// Found by the layer_compile fuzz target: yaml-rust2 keeps yielding events
    /// after an error; the pass must end.
    #[test]
    fn terminates_after_a_parse_error() {
        let text = "# cme\n*ules# : ";
        assert_eq!(at(text, "layer"), None);
        assert_eq!(find(text, []).layer, None);
    }
}
