//! gradle.lockfile: `group:artifact:version=configurations` lines (Maven
//! coordinates), `empty=...` for configurations without dependencies, and
//! comments. Anything else is an error.

use super::{LockError, Package, Parsed};

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let mut out = Parsed::default();
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if l.starts_with('#') {
            out.structure_seen |= l.contains("Gradle");
            continue;
        }
        let (coords, _configurations) = l.split_once('=').ok_or_else(|| {
            LockError::line(
                line_no,
                format!("expected `group:artifact:version=configurations`, found `{l}`"),
            )
        })?;
        if coords == "empty" {
            out.structure_seen = true;
            continue;
        }
        let mut parts = coords.split(':');
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(g), Some(a), Some(v), None)
                if !g.is_empty() && !a.is_empty() && !v.is_empty() =>
            {
                out.packages
                    .push(Package::new("maven", format!("{g}:{a}"), v).at_line(line_no));
            }
            _ => {
                return Err(LockError::line(
                    line_no,
                    format!("`{coords}` is not `group:artifact:version`"),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_and_empty_configurations() {
        let p = parse("# Gradle\na:b:1.0=compileClasspath\nempty=x\n").unwrap();
        assert_eq!(p.packages, [Package::new("maven", "a:b", "1.0").at_line(2)]);
        assert_eq!(parse("a:b=x\n").unwrap_err().line, 1);
    }
}
