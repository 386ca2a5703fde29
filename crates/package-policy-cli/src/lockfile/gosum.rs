//! go.sum: `module version[/go.mod] h1:hash` lines. A module version with a
//! tree hash is built and evaluated (once); one listed only by its go.mod hash
//! was resolved for the module graph but is not built: skipped as go.mod-only.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use super::{LockError, Package, Parsed, SkipReason, Skipped};

fn fields(line: &str) -> Option<(&str, &str, &str)> {
    let mut it = line.split_whitespace();
    let (m, v, h) = (it.next()?, it.next()?, it.next()?);
    it.next().is_none().then_some((m, v, h))
}

/// Every non-blank line has three fields and a hash with an `h<N>:` prefix.
pub fn looks_like(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).peekable();
    lines.peek().is_some()
        && lines.all(|l| {
            fields(l).is_some_and(|(_, v, h)| {
                v.starts_with('v') && h.starts_with('h') && h.contains(':')
            })
        })
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    // (module, version) in first-seen order, with its line and whether the
    // module's tree (not only its go.mod) is listed.
    let mut order: Vec<(&str, &str, usize)> = Vec::new();
    let mut built: HashMap<(&str, &str), bool> = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (module, version, _) = fields(line).ok_or_else(|| {
            LockError::line(
                i + 1,
                format!("expected `module version hash`, found `{line}`"),
            )
        })?;
        let (version, tree) = match version.strip_suffix("/go.mod") {
            Some(v) => (v, false),
            None => (version, true),
        };
        match built.entry((module, version)) {
            Entry::Vacant(e) => {
                e.insert(tree);
                order.push((module, version, i + 1));
            }
            Entry::Occupied(mut e) => *e.get_mut() |= tree,
        }
    }
    let mut out = Parsed::default();
    for (module, version, line) in order {
        if built.get(&(module, version)).copied().unwrap_or(false) {
            out.packages
                .push(Package::new("golang", module, version).at_line(line));
        } else {
            out.skipped.push(
                Skipped::new("golang", module, SkipReason::GoModOnly)
                    .version(Some(version))
                    .detail("only its go.mod is listed: resolved for the module graph, not built")
                    .at_line(line),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_mod_only_versions_are_skipped() {
        let text = "a v1.0.0 h1:x=\na v1.0.0/go.mod h1:y=\nb v0.1.0/go.mod h1:z=\nc v2.0.0/go.mod h1:z=\nc v2.0.0 h1:w=\n";
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>, Option<usize>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.at.line))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("v1.0.0"), Some(1)),
                ("c", Some("v2.0.0"), Some(4))
            ]
        );
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].reason, SkipReason::GoModOnly);
        assert_eq!(parsed.skipped[0].name, "b");
    }
}
