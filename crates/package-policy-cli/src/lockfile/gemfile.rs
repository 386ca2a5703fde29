//! Bundler's Gemfile.lock: the `specs:` of each `GEM` section, one gem per
//! 4-space line `name (version[-platform])`; 6-space lines are dependencies.
//! `GIT` and `PATH` sections are not registry packages and are noted as skipped.

use super::{LockError, Package, Parsed};

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let mut out = Parsed::default();
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if !line.starts_with(' ') {
            section = line.trim_end();
            in_specs = false;
            continue;
        }
        if line.trim_end() == "  specs:" {
            in_specs = true;
            continue;
        }
        if !in_specs || !line.starts_with("    ") || line.starts_with("     ") {
            continue;
        }
        let entry = line.trim();
        let (name, rest) = entry.split_once(" (").ok_or_else(|| {
            LockError::at(
                line_no,
                format!("expected `name (version)`, found `{entry}`"),
            )
        })?;
        let inside = rest
            .strip_suffix(')')
            .ok_or_else(|| LockError::at(line_no, format!("unclosed `(` in `{entry}`")))?;
        // Bundler's own reading: the version has no `-`; what follows is the platform.
        let version = inside.split('-').next().unwrap_or(inside);
        match section {
            "GEM" => out.packages.push(Package::new("rubygems", name, version)),
            other => out.skipped.push(format!(
                "{name} {version}: from a {other} source, not the registry"
            )),
        }
    }
    Ok(out)
}
