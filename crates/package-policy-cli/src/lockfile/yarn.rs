//! yarn.lock v1: blocks headed by the specs they satisfy
//! (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`), each with a `version`
//! and, for fetched packages, a `resolved` URL. A registry tarball URL names
//! the package (an alias key cannot rename it); git, path, link and other URL
//! sources are skipped with their reason.

use super::registry_url::{non_registry, registry_tarball};
use super::{LockError, Package, Parsed, Skipped};

/// One block while it is read.
struct Block {
    line: usize,
    /// The first spec: `name@range`.
    name: String,
    range: String,
    version: Option<String>,
    resolved: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    if text.contains("\n__metadata:") || text.starts_with("__metadata:") {
        return Err(LockError::new(
            "this is a Yarn 2+ (berry) lockfile; give --lockfile-format yarn-berry",
        ));
    }
    let mut out = Parsed {
        structure_seen: text.contains("# yarn lockfile v1"),
        ..Parsed::default()
    };
    let mut current: Option<Block> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            if let Some(b) = current.take() {
                finish(b, &mut out)?;
            }
            let header = line.strip_suffix(':').ok_or_else(|| {
                LockError::line(
                    line_no,
                    "expected a `spec, spec:` header or an indented field",
                )
            })?;
            let first = header.split(", ").next().unwrap_or(header);
            let (name, range) = split_spec(first.trim_matches('"'), line_no)?;
            current = Some(Block {
                line: line_no,
                name,
                range,
                version: None,
                resolved: None,
            });
            continue;
        }
        // Only the block's own (2-space) fields, not nested dependency lists.
        if line.len() - line.trim_start().len() != 2 {
            continue;
        }
        let Some(block) = current.as_mut() else {
            return Err(LockError::line(line_no, "a field outside a package block"));
        };
        let field = line.trim_start();
        let value = |key: &str| {
            field
                .strip_prefix(key)
                .filter(|r| r.starts_with(' '))
                .map(|r| r.trim().trim_matches('"').to_owned())
        };
        if let Some(v) = value("version") {
            block.version = Some(v);
        } else if let Some(r) = value("resolved") {
            block.resolved = Some(r);
        }
    }
    if let Some(b) = current.take() {
        finish(b, &mut out)?;
    }
    Ok(out)
}

fn finish(b: Block, out: &mut Parsed) -> Result<(), LockError> {
    let source = b.resolved.as_deref().unwrap_or(&b.range);
    let tarball = b
        .resolved
        .as_deref()
        .and_then(registry_tarball)
        .or_else(|| registry_tarball(&b.range));
    if let Some((name, version)) = tarball {
        out.packages
            .push(Package::new("npm", name, version).at_line(b.line));
        return Ok(());
    }
    if let Some(reason) =
        non_registry(&b.range).or_else(|| b.resolved.as_deref().and_then(non_registry))
    {
        out.skipped.push(
            Skipped::new("npm", b.name, reason)
                .version(b.version)
                .detail(source)
                .at_line(b.line),
        );
        return Ok(());
    }
    let version = b
        .version
        .ok_or_else(|| LockError::line(b.line, format!("`{}` has no version", b.name)))?;
    out.packages
        .push(Package::new("npm", b.name, version).at_line(b.line));
    Ok(())
}

/// `@scope/name@^1.0.0` → (`@scope/name`, `^1.0.0`); an alias
/// `a@npm:b@^1` → (`b`, `^1`).
fn split_spec(spec: &str, line_no: usize) -> Result<(String, String), LockError> {
    let split = |s: &str| -> Option<(String, String)> {
        let at = s.get(1..)?.find('@')? + 1;
        Some((s.get(..at)?.to_owned(), s.get(at + 1..)?.to_owned()))
    };
    let (name, range) =
        split(spec).ok_or_else(|| LockError::line(line_no, format!("`{spec}` has no `@range`")))?;
    if let Some(target) = range.strip_prefix("npm:") {
        if let Some(real) = split(target) {
            return Ok(real);
        }
    }
    Ok((name, range))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::SkipReason;

    #[test]
    fn scoped_names_aliases_and_nested_version_lines() {
        let text = r#"# yarn lockfile v1


"@babel/core@^7.0.0", "@babel/core@^7.1.0":
  version "7.2.0"
  dependencies:
    foo "1"

string-width-cjs@npm:string-width@^4.2.0:
  version "4.2.3"

left-pad@1.3.0:
  version "1.3.0"
"#;
        let got: Vec<(String, Option<String>, Option<usize>)> = parse(text)
            .unwrap()
            .packages
            .into_iter()
            .map(|p| (p.name, p.version, p.at.line))
            .collect();
        assert_eq!(
            got,
            [
                ("@babel/core".to_owned(), Some("7.2.0".to_owned()), Some(4)),
                ("string-width".to_owned(), Some("4.2.3".to_owned()), Some(9)),
                ("left-pad".to_owned(), Some("1.3.0".to_owned()), Some(12)),
            ]
        );
    }

    #[test]
    fn sources_decide_the_package_or_the_skip() {
        let text = r#"# yarn lockfile v1

nice@https://registry.yarnpkg.com/evil/-/evil-1.0.0.tgz:
  version "1.0.0"
  resolved "https://registry.yarnpkg.com/evil/-/evil-1.0.0.tgz#00"

tooling@webpack/tooling#v1.28.1:
  version "1.28.1"
  resolved "https://codeload.github.com/webpack/tooling/tar.gz/abc"

local@file:../local:
  version "0.1.0"

linked@link:../linked:
  version "0.0.0"

tar@https://example.com/tar-1.0.0.tgz:
  version "1.0.0"
  resolved "https://example.com/tar-1.0.0.tgz#00"
"#;
        let parsed = parse(text).unwrap();
        assert_eq!(
            parsed.packages,
            [Package::new("npm", "evil", "1.0.0").at_line(3)]
        );
        let skipped: Vec<(&str, SkipReason)> = parsed
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("tooling", SkipReason::Git),
                ("local", SkipReason::Path),
                ("linked", SkipReason::Link),
                ("tar", SkipReason::Url),
            ]
        );
    }

    #[test]
    fn berry_and_broken_blocks_are_errors() {
        assert!(parse("__metadata:\n  version: 6\n").is_err());
        let e = parse("a@^1:\n  resolved \"x\"\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
