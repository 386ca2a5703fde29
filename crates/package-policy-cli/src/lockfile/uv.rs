//! uv.lock (version 1): TOML `[[package]]` tables whose `source` says where
//! each comes from: `registry` packages are evaluated; `editable` and
//! `virtual` (the project and its workspace members), `path`/`directory`,
//! `git` and `url` sources are skipped with their reason.

use serde::Deserialize;
use toml::Spanned;

use super::position::Lines;
use super::{toml_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
struct Lock {
    version: Option<Spanned<i64>>,
    #[serde(default)]
    package: Vec<Spanned<Entry>>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: Option<String>,
    source: Option<toml::Table>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = Lines::new(text);
    match &lock.version {
        Some(v) if *v.get_ref() == 1 => {}
        Some(v) => {
            let (line, column) = lines.line_col(v.span().start);
            return Err(LockError::at(
                line,
                column,
                format!("unknown uv.lock version {} (1 is known)", v.get_ref()),
            ));
        }
        None => return Err(LockError::new("no `version`: not a uv.lock")),
    }
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for p in lock.package {
        let line = lines.line_col(p.span().start).0;
        let p = p.into_inner();
        let source = p.source.unwrap_or_default();
        let kind = source.keys().next().map(String::as_str).unwrap_or("");
        let reason = match kind {
            "registry" => {
                out.packages.push(Package {
                    version: p.version,
                    ..Package::new("pypi", p.name, "").at_line(line)
                });
                continue;
            }
            "editable" | "virtual" => SkipReason::Workspace,
            "path" | "directory" => SkipReason::Path,
            "git" => SkipReason::Git,
            "url" => SkipReason::Url,
            other => {
                return Err(LockError::line(
                    line,
                    format!("`{}`: unknown source kind `{other}`", p.name),
                ))
            }
        };
        let detail = source
            .get(kind)
            .and_then(|v| v.as_str())
            .map(|v| format!("{kind} {v}"))
            .unwrap_or_default();
        out.skipped.push(
            Skipped::new("pypi", p.name, reason)
                .version(p.version)
                .detail(detail)
                .at_line(line),
        );
    }
    Ok(out)
}
