//! Yarn 2+ (berry) yarn.lock, `__metadata.version` 4 to 10: YAML entries keyed
//! by the descriptors they satisfy, each with the `resolution` installed
//! (`name@npm:1.2.3`). The resolution's protocol decides: `npm:` is a
//! registry package (an alias key cannot rename it), `patch:` the patched
//! registry package, `workspace:` a workspace, git/`file:`/`portal:`/`link:`
//! and URLs skipped; an unknown protocol is an error.

use serde::Deserialize;
use serde_yaml_ng::{Mapping, Value};

use super::pnpm::yaml_error;
use super::registry_url::non_registry;
use super::yaml_keys::key_lines;
use super::{LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
struct Metadata {
    version: Value,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    resolution: String,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let doc: Mapping = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(&e))?;
    let lines = key_lines(text, "", 0);
    let meta = doc
        .get("__metadata")
        .cloned()
        .ok_or_else(|| LockError::new("no `__metadata`: not a Yarn 2+ lockfile"))?;
    let meta: Metadata = serde_yaml_ng::from_value(meta).map_err(|e| yaml_error(&e))?;
    let version = match &meta.version {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    };
    if !matches!(version, Some(4..=10)) {
        let line = lines.get("__metadata").copied().unwrap_or(1);
        return Err(LockError::line(
            line + 1,
            format!(
                "unknown yarn lockfile version {:?} (4 to 10 are known)",
                meta.version
            ),
        ));
    }
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for (key, value) in doc {
        let key = key.as_str().unwrap_or_default().to_owned();
        if key == "__metadata" {
            continue;
        }
        let line = lines.get(&key).copied().unwrap_or(1);
        let e: Entry = serde_yaml_ng::from_value(value)
            .map_err(|err| LockError::line(line, format!("{key:?}: {err}")))?;
        let at = e
            .resolution
            .get(1..)
            .and_then(|r| r.find('@'))
            .ok_or_else(|| {
                LockError::line(line, format!("resolution `{}` has no `@`", e.resolution))
            })?;
        let name = e.resolution.get(..=at).unwrap_or_default().to_owned();
        let reference = e.resolution.get(at + 2..).unwrap_or_default();
        let reason = if let Some(v) = reference.strip_prefix("npm:") {
            out.packages
                .push(Package::new("npm", name, v).at_line(line));
            continue;
        } else if reference.starts_with("patch:") {
            match e.version {
                Some(v) => {
                    out.packages
                        .push(Package::new("npm", name, v).at_line(line));
                    continue;
                }
                None => return Err(LockError::line(line, "a patch: entry without a version")),
            }
        } else if reference.starts_with("workspace:") {
            SkipReason::Workspace
        } else if let Some(reason) = non_registry(reference) {
            reason
        } else {
            return Err(LockError::line(
                line,
                format!("resolution `{}`: unknown protocol", e.resolution),
            ));
        };
        out.skipped.push(
            Skipped::new("npm", name, reason)
                .version(e.version)
                .detail(reference)
                .at_line(line),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolutions_decide() {
        let text = "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n\"nice@npm:evil@^1\":\n  version: 1.0.0\n  resolution: \"evil@npm:1.0.0\"\n\n\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n\"g@https://github.com/u/g.git#commit=abc\":\n  version: 0.1.0\n  resolution: \"g@https://github.com/u/g.git#commit=abc\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.packages,
            [Package::new("npm", "evil", "1.0.0").at_line(5)]
        );
        let reasons: Vec<SkipReason> = parsed.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons, [SkipReason::Workspace, SkipReason::Git]);
        assert!(parse("__metadata:\n  version: 99\n").is_err());
    }
}
