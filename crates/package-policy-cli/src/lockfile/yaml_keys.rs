//! Lines of the keys of a YAML mapping, for readers whose YAML parser keeps
//! no positions: the keys at one indentation below a top-level section.

use std::collections::HashMap;

/// The line of each key indented `indent` spaces under the top-level
/// `section:` (the whole file when `section` is empty), first occurrence.
pub fn key_lines(text: &str, section: &str, indent: usize) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut inside = section.is_empty();
    let header = format!("{section}:");
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.trim().is_empty() && !line.starts_with('#') {
            inside = section.is_empty() || line.trim_end() == header;
            if !section.is_empty() {
                continue;
            }
        }
        if !inside {
            continue;
        }
        let body = line.get(indent..).unwrap_or_default();
        let spaces = line.get(..indent).unwrap_or_default();
        if spaces.len() != indent
            || !spaces.chars().all(|c| c == ' ')
            || body.starts_with([' ', '#'])
            || body.is_empty()
        {
            continue;
        }
        if let Some(key) = key_of(body) {
            out.entry(key).or_insert(i + 1);
        }
    }
    out
}

/// `'quoted key': ...`, `"quoted": ...`, `plain key:` or `plain: value`.
fn key_of(body: &str) -> Option<String> {
    if let Some(q) = body.chars().next().filter(|c| *c == '\'' || *c == '"') {
        let rest = body.get(1..)?;
        let end = rest.find(q)?;
        return Some(rest.get(..end)?.to_owned());
    }
    let body = body.trim_end();
    if let Some(k) = body.strip_suffix(':') {
        return Some(k.to_owned());
    }
    body.split_once(": ").map(|(k, _)| k.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_under_a_section() {
        let text = "a: 1\npackages:\n\n  /x@1.0.0:\n    resolution: {}\n  '@s/y@2.0.0':\n    z: 1\n  w@1: {}\nother:\n  q: 1\n";
        let k = key_lines(text, "packages", 2);
        assert_eq!(k.get("/x@1.0.0"), Some(&4));
        assert_eq!(k.get("@s/y@2.0.0"), Some(&6));
        assert_eq!(k.get("w@1"), Some(&8));
        assert_eq!(k.get("q"), None);
        assert_eq!(
            key_lines("\"a@npm:1, a@npm:2\":\n  version: 1\n", "", 0).get("a@npm:1, a@npm:2"),
            Some(&1)
        );
    }
}
