//! Pipfile.lock (pipfile-spec 6): every category (`default`, `develop` and
//! custom ones) maps names to `{version: "==x"}`; `git`, `path`/`file` and
//! `editable` entries are skipped with their reason.

use serde::Deserialize;

use super::position::{Entries, Lines};
use super::{json_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "pipfile-spec")]
    spec: Option<u64>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    git: Option<String>,
    path: Option<String>,
    file: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let top: Entries = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let lines = Lines::new(text);
    let meta = top
        .0
        .iter()
        .find(|(k, _)| k == "_meta")
        .ok_or_else(|| LockError::new("no `_meta`: not a Pipfile.lock"))?;
    let meta: Meta = serde_json::from_str(meta.1.get()).map_err(|e| json_error(&e))?;
    if meta.spec != Some(6) {
        return Err(LockError::new(format!(
            "unknown pipfile-spec {:?} (6 is known)",
            meta.spec
        )));
    }
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for (category, raw) in top.0.iter().filter(|(k, _)| k != "_meta") {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        let entries: Entries = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("{category}: {e}")))?;
        for (name, raw) in entries.0 {
            let line = lines.line_of(raw.get()).unwrap_or(1);
            let e: Entry = serde_json::from_str(raw.get())
                .map_err(|err| LockError::line(line, format!("{category}.{name}: {err}")))?;
            let version = e
                .version
                .as_deref()
                .map(|v| v.trim_start_matches("==").to_owned());
            let reason = match (&e.git, &e.path, &e.file) {
                (Some(g), _, _) => Some((SkipReason::Git, g)),
                (_, Some(p), _) => Some((SkipReason::Path, p)),
                (_, _, Some(f)) if f.starts_with("http") => Some((SkipReason::Url, f)),
                (_, _, Some(f)) => Some((SkipReason::Path, f)),
                _ => None,
            };
            match reason {
                Some((reason, detail)) => out.skipped.push(
                    Skipped::new("pypi", name, reason)
                        .version(version)
                        .detail(detail.as_str())
                        .at_line(line),
                ),
                None => out.packages.push(Package {
                    version,
                    ..Package::new("pypi", name, "").at_line(line)
                }),
            }
        }
    }
    Ok(out)
}
