//! poetry.lock: TOML `[[package]]` tables. Git, directory, file and URL
//! sources are skipped with their reason; `legacy` (a private index) is a
//! registry. Lock versions 1.x and 2.x are known.

use serde::Deserialize;
use toml::Spanned;

use super::position::Lines;
use super::{toml_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Spanned<Entry>>,
    metadata: Option<Metadata>,
}

#[derive(Deserialize)]
struct Metadata {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = Lines::new(text);
    let Some(metadata) = lock.metadata else {
        return Err(LockError::new("no `[metadata]` table: not a poetry.lock"));
    };
    if let Some(v) = metadata.lock_version {
        if !(v.get_ref().starts_with("1.") || v.get_ref().starts_with("2.")) {
            let (line, column) = lines.line_col(v.span().start);
            return Err(LockError::at(
                line,
                column,
                format!(
                    "unknown poetry lock-version {} (1.x and 2.x are known)",
                    v.get_ref()
                ),
            ));
        }
    }
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for p in lock.package {
        let line = lines.line_col(p.span().start).0;
        let p = p.into_inner();
        let reason = match p.source.as_ref().map(|s| s.kind.as_str()) {
            None | Some("legacy") => {
                out.packages
                    .push(Package::new("pypi", p.name, p.version).at_line(line));
                continue;
            }
            Some("git") => SkipReason::Git,
            Some("directory" | "file") => SkipReason::Path,
            Some(_) => SkipReason::Url,
        };
        let detail = p
            .source
            .map(|s| format!("{} source {}", s.kind, s.url.unwrap_or_default()))
            .unwrap_or_default();
        out.skipped.push(
            Skipped::new("pypi", p.name, reason)
                .version(Some(p.version))
                .detail(detail.trim_end())
                .at_line(line),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_packages_only() {
        let text = "[[package]]\nname = \"Django\"\nversion = \"4.2.1\"\n\n[[package]]\nname = \"mine\"\nversion = \"0.1\"\n[package.source]\ntype = \"git\"\nurl = \"https://example.com/mine.git\"\n\n[metadata]\ncontent-hash = \"00\"\nlock-version = \"2.1\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.packages,
            [Package::new("pypi", "Django", "4.2.1").at_line(1)]
        );
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].reason, SkipReason::Git);
        let e = parse("[metadata]\nlock-version = \"9.0\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
    }
}
