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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_dependencies_and_git_sources() {
        let text = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    ffi (1.17.4-x86_64-linux-gnu)\n    rails (8.0.0)\n      actionpack (= 8.0.0)\n\nCHECKSUMS\n    rails (8.0.0) sha256=00\n";
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(got, [("ffi", Some("1.17.4")), ("rails", Some("8.0.0"))]);
        assert_eq!(parsed.skipped.len(), 1);
        assert!(parse("GEM\n  specs:\n    broken 1.0\n").is_err());
    }
}
