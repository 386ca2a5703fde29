//! go.sum: `module version[/go.mod] h1:hash` lines. Each module version is
//! listed once, whether go.sum holds its tree hash, its go.mod hash or both.

use super::{LockError, Package, Parsed};

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
    let mut out = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (module, version, _) = fields(line).ok_or_else(|| {
            LockError::at(
                i + 1,
                format!("expected `module version hash`, found `{line}`"),
            )
        })?;
        let version = version.strip_suffix("/go.mod").unwrap_or(version);
        out.packages.push(Package::new("golang", module, version));
    }
    Ok(out)
}
