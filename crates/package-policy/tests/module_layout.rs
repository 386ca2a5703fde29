//! The compile pipeline's shape (issue 14), checked from the source files:
//! no module cycles in `src/`, `error.rs` a leaf, and evaluation apart from
//! parsing and compiling. A module is a top-level file or directory of
//! `src/`; an edge is a `crate::` path in its non-test code (items that
//! `lib.rs` re-exports count for the module that defines them).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The text before the file's `#[cfg(test)]` module (tests may use anything),
/// without comments.
fn code(text: &str) -> String {
    let text = text.find("#[cfg(test)]").map_or(text, |i| &text[..i]);
    text.lines()
        .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The first identifiers of every `crate::` path, braces expanded one level.
fn crate_paths(text: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            out.extend(group[..end].split(',').map(|p| ident(p.trim())));
        } else {
            out.push(ident(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

/// `pub use MODULE::{A, B};` lines of lib.rs: item → module.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines() {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, items)) = rest.trim_end_matches(';').split_once("::") else {
            continue;
        };
        let items = items.trim_start_matches('{').trim_end_matches('}');
        for item in items.split(',') {
            out.insert(item.trim().to_owned(), module.to_owned());
        }
    }
    out
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let items = reexports(&lib);
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            for sub in std::fs::read_dir(&path).unwrap() {
                let sub = sub.unwrap().path();
                if sub.file_stem().is_some_and(|s| s != "tests") {
                    files.push((name.clone(), sub));
                }
            }
        } else if name != "lib" {
            files.push((name, path));
        }
    }
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
    let mut graph = Graph::new();
    for (module, path) in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let edges = graph.entry(module.clone()).or_default();
        for first in crate_paths(&code(&text)) {
            let target = if modules.contains(&first) {
                first
            } else if let Some(m) = items.get(&first) {
                m.clone()
            } else {
                continue;
            };
            if target != module {
                edges.insert(target);
            }
        }
    }
    graph
}

/// A cycle, as the modules on it, if there is one.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|n| n == node) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        stack.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_cycles() {
    let graph = graph();
    assert!(graph.len() > 10, "read the modules: {graph:?}");
    if let Some(cycle) = find_cycle(&graph) {
        panic!("module cycle: {}", cycle.join(" -> "));
    }
}

#[test]
fn the_checker_sees_a_cycle() {
    let mut graph = Graph::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&graph).unwrap(), ["a", "b", "a"]);
    let text = "use crate::{x::A, y};\nfn f() { crate::z::g(); }";
    assert_eq!(crate_paths(text), ["x", "y", "z"]);
}

#[test]
fn errors_import_nothing_of_the_pipeline() {
    let graph = graph();
    assert_eq!(
        graph.get("error"),
        Some(&BTreeSet::new()),
        "error.rs is a leaf"
    );
}

#[test]
fn evaluation_is_apart_from_parsing_and_compiling() {
    let graph = graph();
    let engine = graph.get("engine").unwrap();
    for stage in [
        "source", "parse", "yaml", "json", "document", "validate", "locate", "compile", "layer",
    ] {
        assert!(
            !engine.contains(stage),
            "engine.rs uses {stage}: {engine:?}"
        );
    }
}
