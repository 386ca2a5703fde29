//! bun.lock (text lockfile, lockfileVersion 0 and 1): JSON with trailing
//! commas. `packages` maps an install key to `["name@spec", registry, meta,
//! integrity]`; the first element names what is installed (an alias key
//! cannot rename it). Workspace, git, path, link and URL specs are skipped.

use serde::Deserialize;

use super::position::{Entries, Lines};
use super::registry_url::{non_registry, registry_tarball};
use super::{json_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock<'a> {
    lockfile_version: Option<u64>,
    #[serde(borrow)]
    workspaces: Option<Entries<'a>>,
    #[serde(borrow)]
    packages: Option<Entries<'a>>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    // Same length and offsets, so positions still point into the file.
    let json = strip_trailing_commas(text);
    let lock: Lock = serde_json::from_str(&json).map_err(|e| json_error(&e))?;
    if !matches!(lock.lockfile_version, Some(0 | 1)) {
        return Err(LockError::new(format!(
            "unknown bun.lock lockfileVersion {:?} (0 and 1 are known)",
            lock.lockfile_version
        )));
    }
    let lines = Lines::new(&json);
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for (path, raw) in lock.workspaces.map(|w| w.0).unwrap_or_default() {
        let label = if path.is_empty() {
            "(root)"
        } else {
            path.as_str()
        };
        out.skipped.push(
            Skipped::new("npm", label, SkipReason::Workspace)
                .detail("a bun workspace")
                .at_line(lines.line_of(raw.get()).unwrap_or(1)),
        );
    }
    for (key, raw) in lock.packages.map(|p| p.0).unwrap_or_default() {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        let value: Vec<serde_json::Value> = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("packages[{key:?}]: {e}")))?;
        let first = value.first().and_then(|v| v.as_str()).ok_or_else(|| {
            LockError::line(line, format!("packages[{key:?}]: no `name@version`"))
        })?;
        let at = first
            .get(1..)
            .and_then(|r| r.find('@'))
            .ok_or_else(|| LockError::line(line, format!("`{first}` has no `@`")))?;
        let name = first.get(..=at).unwrap_or(first);
        let spec = first.get(at + 2..).unwrap_or_default();
        if let Some((n, v)) = registry_tarball(spec) {
            out.packages.push(Package::new("npm", n, v).at_line(line));
            continue;
        }
        let reason = if spec.starts_with("workspace:") {
            Some(SkipReason::Workspace)
        } else {
            non_registry(spec)
        };
        match reason {
            Some(reason) => out
                .skipped
                .push(Skipped::new("npm", name, reason).detail(spec).at_line(line)),
            None => out
                .packages
                .push(Package::new("npm", name, spec).at_line(line)),
        }
    }
    Ok(out)
}

/// Replaces each comma that only precedes a closing `}` or `]` (outside
/// strings) with a space.
fn strip_trailing_commas(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b',' => {
                let next = bytes
                    .get(i + 1..)
                    .and_then(|r| r.iter().find(|c| !c.is_ascii_whitespace()));
                if matches!(next, Some(b'}' | b']')) {
                    if let Some(c) = out.get_mut(i) {
                        *c = b' ';
                    }
                }
            }
            _ => {}
        }
    }
    // Only ASCII commas were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailing_commas_aliases_and_sources() {
        let text = "{\n  \"lockfileVersion\": 1,\n  \"workspaces\": { \"\": { \"name\": \"app\", }, },\n  \"packages\": {\n    \"nice\": [\"evil@1.0.0\", \"\", {}, \"sha\"],\n    \"g\": [\"g@github:u/g#abc\", {}, \"abc\"],\n    \"w\": [\"w@workspace:packages/w\"],\n    \"s\": [\"@s/x@2.0.0\", \"\", {}, \"sha\",],\n  },\n}\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.packages,
            [
                Package::new("npm", "evil", "1.0.0").at_line(5),
                Package::new("npm", "@s/x", "2.0.0").at_line(8)
            ]
        );
        let reasons: Vec<SkipReason> = parsed.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                SkipReason::Workspace,
                SkipReason::Git,
                SkipReason::Workspace
            ]
        );
        assert_eq!(strip_trailing_commas("[\"a,]\", 1,]"), "[\"a,]\", 1 ]");
    }
}
