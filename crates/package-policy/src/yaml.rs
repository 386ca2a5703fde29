//! The only module that talks to YAML parsers.
//!
//! Layers are deserialized by serde_yaml_ng (the maintained fork of the archived
//! serde_yaml). Before that, one pass over yaml-rust2's events enforces the
//! limits of POLICY_SPEC §8 with positions: nesting depth, and the nodes that
//! aliases expand to, counted from anchor sizes so an alias bomb fails after
//! reading its few hundred bytes, not after expanding it. The same event stream
//! maps error paths such as `rules[3].match.versions` to a line and column
//! ([`locate`]), computed only when an error is reported.
//! See docs/decisions/yaml-parser.md.

use std::collections::{HashMap, HashSet};

use serde::de::DeserializeOwned;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{CompileError, CompileErrorKind};
use crate::layer::LayerSource;
use crate::limits::Limits;

/// Deserializes one layer document after checking it against `limits`.
/// A document whose first character is `{` is JSON (which YAML 1.2 reads
/// alike) and takes the JSON fast path.
pub(crate) fn from_str<T: DeserializeOwned>(
    src: &LayerSource,
    limits: &Limits,
) -> Result<T, CompileError> {
    if src.text.trim_start().starts_with('{') {
        if let Some(result) = json_from_str(src, limits) {
            return result;
        }
    }
    check_document(src, limits).map_err(|e| e.located(&src.text))?;
    serde_yaml_ng::from_str(&src.text).map_err(|e| {
        let err = CompileError::new(CompileErrorKind::Syntax, &src.name, e.to_string());
        let err = match e.location() {
            Some(loc) => err.at(loc.line(), loc.column()),
            // Errors about the document as a whole (it is empty, say).
            None => err.at(1, 1),
        };
        // Names the layer when the document says it.
        err.located(&src.text)
    })
}

impl LayerSource {
    /// A layer from raw bytes (a file's content): invalid UTF-8 is a syntax
    /// error at the line and column of the first bad byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, CompileError> {
        let name = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(LayerSource { name, text }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let prefix = e.as_bytes().get(..valid).unwrap_or_default();
                // The prefix is valid UTF-8 by construction.
                let (line, column) = line_col(std::str::from_utf8(prefix).unwrap_or(""), valid);
                Err(CompileError::new(
                    CompileErrorKind::Syntax,
                    &name,
                    format!("invalid UTF-8 at byte {valid}"),
                )
                .at(line, column))
            }
        }
    }
}

/// 1-based line and column (in characters) of byte `index` of `text`.
fn line_col(text: &str, index: usize) -> (usize, usize) {
    let before = text.get(..index).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

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
}

/// What an anchor stands for once expanded.
#[derive(Clone, Copy)]
struct Anchored {
    nodes: u64,
    /// Nesting levels the anchored node adds (0 for a scalar).
    height: usize,
}

/// JSON documents (feeds, generated layers) are read by serde_json, about
/// ten times faster than the YAML path, under the same limits and checks:
/// size and characters as for YAML, then one byte scan for nesting depth and
/// duplicate keys (JSON has no aliases; serde_json's own recursion limit
/// bounds the parse before the scan). `None` when the document is not JSON
/// (flow-style YAML, or broken): the YAML path reads and reports it.
/// See docs/decisions/yaml-parser.md.
fn json_from_str<T: DeserializeOwned>(
    src: &LayerSource,
    limits: &Limits,
) -> Option<Result<T, CompileError>> {
    if let Err(e) = check_size_and_characters(src, limits) {
        return Some(Err(e));
    }
    match serde_json::from_str(&src.text) {
        Ok(value) => Some(check_json(src, limits).map(|()| value)),
        Err(e) if e.is_data() => Some(check_json(src, limits).and(Err(json_error(src, &e)))),
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
    CompileError::new(CompileErrorKind::Syntax, &src.name, message)
        .at(line, column)
        .located(&src.text)
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

/// Size and characters, as for YAML.
fn check_size_and_characters(src: &LayerSource, limits: &Limits) -> Result<(), CompileError> {
    let text = &src.text;
    if text.len() > limits.layer_bytes {
        // Placed at the first character past the limit.
        let mut cut = limits.layer_bytes;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let (line, column) = line_col(text, cut);
        return Err(CompileError::new(
            CompileErrorKind::Limit,
            &src.name,
            format!(
                "the document is {} bytes, over the limit of {} (Limits::layer_bytes)",
                text.len(),
                limits.layer_bytes
            ),
        )
        .at(line, column));
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
fn check_document(src: &LayerSource, limits: &Limits) -> Result<(), CompileError> {
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
            Event::Scalar(value, _, anchor, _) => {
                if let Some((seen, true)) = open.last_mut().and_then(|o| o.keys.as_mut()) {
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

/// In a mapping, nodes alternate between key and value.
fn toggle_key(open: &mut [Open]) {
    if let Some((_, expect_key)) = open.last_mut().and_then(|o| o.keys.as_mut()) {
        *expect_key = !*expect_key;
    }
}

enum Step<'p> {
    Key(&'p str),
    Index(usize),
}

/// `rules[3].match.versions` → [Key(rules), Index(3), Key(match), Key(versions)].
fn parse_path(path: &str) -> Option<Vec<Step<'_>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (part.get(..i)?, part.get(i..)?),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let (n, after) = r.split_once(']')?;
            steps.push(Step::Index(n.parse().ok()?));
            rest = after;
        }
        if !rest.is_empty() {
            return None;
        }
    }
    Some(steps)
}

/// The 1-based line and column of the value at `path` (`layer`,
/// `rules[3].match.versions`, `rules[3].match.versions[1]`). Where the path
/// leaves the document (a missing key, an alias), the nearest enclosing value.
/// `None` when the document does not parse or the path is malformed.
pub(crate) fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    walk(text, path).map(|(_, at, _)| position(&at))
}

/// The 1-based line and column of each item of the top-level `rules` list, in
/// one pass (analysis findings point at rules; `locate` per rule would re-read
/// the document each time). Empty when the document has no such list.
pub(crate) fn rule_positions(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut events = Events::new(text);
    let root = loop {
        match events.next() {
            Some((Event::StreamStart | Event::DocumentStart | Event::Nothing, _)) => {}
            Some(node) => break node,
            None => return out,
        }
    };
    if !matches!(root.0, Event::MappingStart(..)) {
        return out;
    }
    let Some(Some((Event::SequenceStart(..), _))) = events.find_key("rules") else {
        return out;
    };
    while let Some(item) = events.next() {
        if matches!(item.0, Event::SequenceEnd) {
            break;
        }
        out.push(position(&events.position_of(&item)));
        if events.skip(&item.0).is_none() {
            break;
        }
    }
    out
}

/// The `layer:` name of a document that failed before it was read, so errors
/// can name their layer. Only a plain top-level scalar counts.
pub(crate) fn layer_name(text: &str) -> Option<String> {
    match walk(text, "layer")? {
        (Event::Scalar(name, ..), _, true) => Some(name),
        _ => None,
    }
}

/// Follows `path`: the node reached, where it starts, and whether the whole
/// path was found (else the node is the nearest enclosing one).
fn walk(text: &str, path: &str) -> Option<(Event, Marker, bool)> {
    let steps = parse_path(path)?;
    let mut events = Events::new(text);
    let mut node = loop {
        let (event, mark) = events.next()?;
        match event {
            Event::StreamStart | Event::DocumentStart | Event::Nothing => {}
            other => break (other, mark),
        }
    };
    let mut at = events.position_of(&node);
    for step in steps {
        let found = match (step, &node.0) {
            (Step::Key(key), Event::MappingStart(..)) => events.find_key(key)?,
            (Step::Index(i), Event::SequenceStart(..)) => events.find_item(i)?,
            _ => None,
        };
        match found {
            Some(next) => {
                node = next;
                at = events.position_of(&node);
            }
            None => return Some((node.0, at, false)),
        }
    }
    Some((node.0, at, true))
}

type Node = (Event, Marker);

/// The event stream for [`walk`]: ends at the first parse error or at the end
/// of the document, and after a budget of events proportional to the text, so
/// a walk always terminates whatever the parser does after an error.
struct Events<'t> {
    parser: Parser<std::str::Chars<'t>>,
    budget: usize,
}

impl<'t> Events<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            parser: Parser::new_from_str(text),
            budget: text.len().saturating_mul(2).saturating_add(16),
        }
    }

    fn next(&mut self) -> Option<Node> {
        self.budget = self.budget.checked_sub(1)?;
        match self.parser.next_token().ok()? {
            (Event::StreamEnd | Event::DocumentEnd, _) => None,
            node => Some(node),
        }
    }

    /// Where a node starts. yaml-rust2 marks a block mapping at its first
    /// `:`, so a mapping is placed at its first key instead.
    fn position_of(&mut self, node: &Node) -> Marker {
        if matches!(node.0, Event::MappingStart(..)) {
            if let Ok((Event::Scalar(..), first_key)) = self.parser.peek() {
                return *first_key;
            }
        }
        node.1
    }

    /// Inside a mapping: the value of `key`, or `Some(None)` when the mapping
    /// lacks it; `None` when the document ends or breaks first.
    fn find_key(&mut self, key: &str) -> Option<Option<Node>> {
        loop {
            let k = self.next()?;
            let is_key = match &k.0 {
                Event::MappingEnd => return Some(None),
                Event::Scalar(s, ..) => s == key,
                _ => false,
            };
            if !is_key {
                self.skip(&k.0)?;
            }
            let value = self.next()?;
            if is_key {
                return Some(Some(value));
            }
            self.skip(&value.0)?;
        }
    }

    /// Inside a sequence: item `index`, or `Some(None)` when it is shorter.
    fn find_item(&mut self, index: usize) -> Option<Option<Node>> {
        let mut i = 0;
        loop {
            let item = self.next()?;
            if matches!(item.0, Event::SequenceEnd) {
                return Some(None);
            }
            if i == index {
                return Some(Some(item));
            }
            self.skip(&item.0)?;
            i += 1;
        }
    }

    /// Consumes the rest of a node whose first event is `first`.
    fn skip(&mut self, first: &Event) -> Option<()> {
        if !matches!(first, Event::SequenceStart(..) | Event::MappingStart(..)) {
            return Some(());
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next()?.0 {
                Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
                Event::SequenceEnd | Event::MappingEnd => depth -= 1,
                _ => {}
            }
        }
        Some(())
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

    #[test]
    fn locate_finds_values_by_path() {
        let text = "schema_version: 1\nlayer: acme\nrules:\n  - id: a\n    action: deny\n    match: { ecosystem: npm }\n  - id: b\n    action: deny\n    match:\n      ecosystem: npm\n      versions: [\"1\", \">= 2\"]\n";
        assert_eq!(locate(text, "schema_version"), Some((1, 17)));
        assert_eq!(locate(text, "layer"), Some((2, 8)));
        assert_eq!(locate(text, "rules[0].id"), Some((4, 9)));
        assert_eq!(locate(text, "rules[0].match.ecosystem"), Some((6, 25)));
        assert_eq!(locate(text, "rules[1].match.versions"), Some((11, 17)));
        assert_eq!(locate(text, "rules[1].match.versions[1]"), Some((11, 23)));
        // A missing key: the nearest enclosing value (the match mapping).
        assert_eq!(locate(text, "rules[1].match.license"), Some((10, 7)));
        assert_eq!(locate(text, "rules[1]"), Some((7, 5)));
        // Past the end of a list: the list.
        assert_eq!(locate(text, "rules[7].id"), Some((4, 3)));
        assert_eq!(locate(text, "rules[x"), None);
        assert_eq!(locate("{ unclosed", "layer"), None);
        assert_eq!(layer_name(text).as_deref(), Some("acme"));
        assert_eq!(layer_name("layer: [a]\n"), None);
        assert_eq!(layer_name("rules: []\n"), None);
    }

    /// Found by the layer_compile fuzz target: yaml-rust2 keeps yielding events
    /// after an error, and the path walk used to wait for a `MappingEnd`.
    #[test]
    fn locate_terminates_after_a_parse_error() {
        let text = "# cme\n*ules# : ";
        assert!(check(text).is_err());
        assert_eq!(locate(text, "layer"), None);
        assert_eq!(layer_name(text), None);
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
