//! requirements.txt with pinned versions (`name==version`, as `pip freeze` and
//! `pip-compile` write them). Extras, environment markers and `--hash`
//! options are ignored; an unpinned requirement is evaluated without a version
//! (name rules still apply) and noted; pip options (`-r`, `-e`, `--index-url`)
//! and URL requirements are noted as skipped.

use super::{LockError, Package, Parsed};

/// Logical lines: `\` continuations joined, comments removed.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if buf.is_empty() {
            start = i + 1;
        }
        // A comment starts at `#` preceded by whitespace or at the line start.
        let line = match raw.find(" #").or_else(|| raw.starts_with('#').then_some(0)) {
            Some(at) => raw.get(..at).unwrap_or_default(),
            None => raw,
        };
        match line.trim_end().strip_suffix('\\') {
            Some(cont) => buf.push_str(cont),
            None => {
                buf.push_str(line);
                out.push((start, std::mem::take(&mut buf)));
            }
        }
    }
    if !buf.is_empty() {
        out.push((start, buf));
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// At least one `name==version` line, and nothing that is not a requirement.
pub fn looks_like(text: &str) -> bool {
    let mut pinned = false;
    for (_, line) in logical_lines(text) {
        let l = line.trim();
        if l.is_empty() || l.starts_with('-') || l.contains("://") {
            continue;
        }
        let name_part = l
            .split(['=', '<', '>', '!', '~', '[', ';', ' '])
            .next()
            .unwrap_or("");
        if !is_name(name_part) {
            return false;
        }
        pinned |= l.contains("==");
    }
    pinned
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let mut out = Parsed::default();
    for (line_no, line) in logical_lines(text) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if l.starts_with('-') || l.contains("://") || l.contains(" @ ") {
            out.skipped.push(format!(
                "line {line_no}: `{l}` (not a pinned index requirement)"
            ));
            continue;
        }
        // Drop options and environment markers after the specifier.
        let spec = l.split(';').next().unwrap_or(l);
        let spec = spec.split(" --").next().unwrap_or(spec).trim();
        let name_end = spec
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(spec.len());
        let name = spec.get(..name_end).unwrap_or_default();
        if !is_name(name) {
            return Err(LockError::at(
                line_no,
                format!("`{l}` does not start with a package name"),
            ));
        }
        let mut rest = spec.get(name_end..).unwrap_or_default().trim_start();
        if rest.starts_with('[') {
            let close = rest
                .find(']')
                .ok_or_else(|| LockError::at(line_no, format!("unclosed `[` in `{l}`")))?;
            rest = rest.get(close + 1..).unwrap_or_default().trim_start();
        }
        let pinned = rest
            .strip_prefix("===")
            .or_else(|| rest.strip_prefix("=="))
            .map(str::trim)
            .filter(|v| !v.is_empty() && !v.contains([',', '*']));
        match pinned {
            Some(version) => out.packages.push(Package::new("pypi", name, version)),
            None => {
                out.skipped.push(format!(
                    "line {line_no}: `{name}` is not pinned to one version; evaluated without a version"
                ));
                out.packages.push(Package {
                    version: None,
                    ..Package::new("pypi", name, "")
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_extras_markers_hashes_and_continuations() {
        let text = "# comment\n-r base.txt\nrequests[security]==2.31.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:abc\nDjango===4.2.1  # pinned\nflask>=2\ngit+https://example.com/x.git\n";
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", Some("2.31.0")),
                ("Django", Some("4.2.1")),
                ("flask", None)
            ]
        );
        assert_eq!(parsed.skipped.len(), 3);
        assert!(looks_like(text));
        assert!(!looks_like("hello world\n"));
    }
}
