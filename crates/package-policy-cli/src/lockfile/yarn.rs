//! yarn.lock v1: blocks headed by the specs they satisfy
//! (`"@babel/core@^7.0.0", "@babel/core@^7.1.0":`), each with a `version` line.

use super::{LockError, Package, Parsed};

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    if text.contains("\n__metadata:") || text.starts_with("__metadata:") {
        return Err(LockError::new(
            "this is a Yarn 2+ (berry) lockfile; only yarn.lock v1 is supported",
        ));
    }
    let mut out = Parsed::default();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            let header = line
                .strip_suffix(':')
                .ok_or_else(|| LockError::at(line_no, "expected a `spec, spec:` header"))?;
            let first = header.split(", ").next().unwrap_or(header);
            let spec = first.trim_matches('"');
            current = Some((line_no, package_name(spec, line_no)?));
            continue;
        }
        let Some(rest) = line.trim_start().strip_prefix("version ") else {
            continue;
        };
        // Only the block's own (2-space) version line, not a nested one.
        if line.len() - line.trim_start().len() != 2 {
            continue;
        }
        let Some((_, name)) = current.take() else {
            return Err(LockError::at(line_no, "`version` outside a package block"));
        };
        out.packages
            .push(Package::new("npm", name, rest.trim().trim_matches('"')));
    }
    if let Some((line_no, name)) = current {
        return Err(LockError::at(line_no, format!("`{name}` has no version")));
    }
    Ok(out)
}

/// `@scope/name@^1.0.0` → `@scope/name`; an alias `a@npm:b@^1` → `b`.
fn package_name(spec: &str, line_no: usize) -> Result<String, LockError> {
    let split = |s: &str| -> Option<(String, String)> {
        let at = s.get(1..)?.find('@')? + 1;
        Some((s.get(..at)?.to_owned(), s.get(at + 1..)?.to_owned()))
    };
    let (name, range) =
        split(spec).ok_or_else(|| LockError::at(line_no, format!("`{spec}` has no `@range`")))?;
    if let Some(target) = range.strip_prefix("npm:") {
        if let Some((real, _)) = split(target) {
            return Ok(real);
        }
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let got: Vec<(String, Option<String>)> = parse(text)
            .unwrap()
            .packages
            .into_iter()
            .map(|p| (p.name, p.version))
            .collect();
        assert_eq!(
            got,
            [
                ("@babel/core".to_owned(), Some("7.2.0".to_owned())),
                ("string-width".to_owned(), Some("4.2.3".to_owned())),
                ("left-pad".to_owned(), Some("1.3.0".to_owned())),
            ]
        );
    }

    #[test]
    fn berry_and_broken_blocks_are_errors() {
        assert!(parse("__metadata:\n  version: 6\n").is_err());
        let e = parse("a@^1:\n  resolved \"x\"\n").unwrap_err();
        assert_eq!(e.line, Some(1));
    }
}
