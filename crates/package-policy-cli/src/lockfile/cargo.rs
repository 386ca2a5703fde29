//! Cargo.lock: TOML `[[package]]` tables. Packages without a registry source
//! are workspace members or path dependencies, git sources are git: both are
//! skipped with their reason. Lockfile versions 1 to 4 are known.

use serde::Deserialize;
use toml::Spanned;

use super::position::Lines;
use super::{toml_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Lock {
    version: Option<Spanned<i64>>,
    #[serde(default)]
    package: Vec<Spanned<Entry>>,
    /// Version 1 keeps checksums here.
    #[allow(dead_code)]
    metadata: Option<toml::Table>,
    #[allow(dead_code)]
    patch: Option<toml::Table>,
}

/// Cargo's own fields: another format read as Cargo.lock fails on its first
/// foreign key.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    version: String,
    source: Option<String>,
    #[allow(dead_code)]
    checksum: Option<String>,
    #[allow(dead_code)]
    dependencies: Option<Vec<String>>,
    #[allow(dead_code)]
    replace: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let lines = Lines::new(text);
    if let Some(v) = &lock.version {
        if !(1..=4).contains(v.get_ref()) {
            let (line, column) = lines.line_col(v.span().start);
            return Err(LockError::at(
                line,
                column,
                format!(
                    "unknown Cargo.lock version {} (1 to 4 are known)",
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
        let reason = match p.source.as_deref() {
            Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => {
                out.packages
                    .push(Package::new("cargo", p.name, p.version).at_line(line));
                continue;
            }
            Some(s) if s.starts_with("git+") => SkipReason::Git,
            Some(_) => SkipReason::Url,
            None => SkipReason::Workspace,
        };
        let detail = p
            .source
            .unwrap_or_else(|| "a workspace member or path dependency".to_owned());
        out.skipped.push(
            Skipped::new("cargo", p.name, reason)
                .version(Some(p.version))
                .detail(detail)
                .at_line(line),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_packages_only() {
        let text = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"forked\"\nversion = \"0.2.0\"\nsource = \"git+https://example.com/forked#abc\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.packages,
            [Package::new("cargo", "serde", "1.0.0").at_line(7)]
        );
        let reasons: Vec<SkipReason> = parsed.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons, [SkipReason::Workspace, SkipReason::Git]);
        let e = parse("[[package]]\nname = 1\n").unwrap_err();
        assert_eq!(e.line, 2);
        let e = parse("version = 9\n").unwrap_err();
        assert!(e.message.contains("unknown Cargo.lock version 9"), "{e}");
        let poetry = "[[package]]\nname = \"a\"\nversion = \"1\"\ndescription = \"\"\n";
        assert_eq!(parse(poetry).unwrap_err().line, 4);
    }
}
