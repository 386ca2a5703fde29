//! Bundler's Gemfile.lock: the `specs:` of each source section, one gem per
//! 4-space line `name (version[-platform])`; 6-space lines are dependencies.
//! `GEM` sections are registry packages; `GIT`, `PATH` and `PLUGIN SOURCE`
//! sections are skipped with their reason. Every unindented line must be a
//! section Bundler writes: anything else (a stray or conflicting line) would
//! end a section and hide the gems after it, so it is an error.

use super::{LockError, Package, Parsed, SkipReason, Skipped};

/// The sections Bundler writes, sources first.
const SOURCES: [&str; 4] = ["GEM", "GIT", "PATH", "PLUGIN SOURCE"];
const OTHERS: [&str; 5] = [
    "PLATFORMS",
    "DEPENDENCIES",
    "RUBY VERSION",
    "BUNDLED WITH",
    "CHECKSUMS",
];

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let mut out = Parsed::default();
    let mut section = "";
    let mut in_specs = false;
    for (i, line) in text.lines().enumerate() {
        let line_no = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        if !line.starts_with(' ') {
            section = line.trim_end();
            if !SOURCES.contains(&section) && !OTHERS.contains(&section) {
                return Err(LockError::line(
                    line_no,
                    format!("unexpected line `{section}`: not a Gemfile.lock section"),
                ));
            }
            out.structure_seen |= SOURCES.contains(&section);
            in_specs = false;
            continue;
        }
        if !SOURCES.contains(&section) {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if line.trim_end() == "  specs:" {
            in_specs = true;
            continue;
        }
        match (in_specs, indent) {
            (false, 2) | (true, 6..) => continue,
            (true, 4) => {}
            _ => {
                return Err(LockError::at(
                    line_no,
                    indent + 1,
                    format!("unexpected indentation in a {section} section"),
                ))
            }
        }
        let entry = line.trim();
        let (name, rest) = entry.split_once(" (").ok_or_else(|| {
            LockError::at(
                line_no,
                5,
                format!("expected `name (version)`, found `{entry}`"),
            )
        })?;
        let inside = rest
            .strip_suffix(')')
            .ok_or_else(|| LockError::at(line_no, 5, format!("unclosed `(` in `{entry}`")))?;
        // The platform suffix is read by the core, as `eval` reads it.
        let (version, _platform) = package_policy::names::split_rubygems_platform(inside);
        let reason = match section {
            "GEM" => {
                out.packages
                    .push(Package::new("rubygems", name, version).at_line(line_no));
                continue;
            }
            "GIT" => SkipReason::Git,
            "PATH" => SkipReason::Path,
            _ => SkipReason::UnsupportedEcosystem,
        };
        out.skipped.push(
            Skipped::new("rubygems", name, reason)
                .version(Some(version))
                .detail(format!("from a {section} section"))
                .at_line(line_no),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_dependencies_and_git_sources() {
        let text = "GIT\n  remote: https://github.com/x/y.git\n  revision: abc\n  specs:\n    y (0.1.0)\n\nGEM\n  remote: https://rubygems.org/\n  specs:\n    ffi (1.17.4-x86_64-linux-gnu)\n    nokogiri (1.13.10-java)\n    rails (8.0.0)\n      actionpack (= 8.0.0)\n\nCHECKSUMS\n    rails (8.0.0) sha256=00\n";
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>, Option<usize>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.at.line))
            .collect();
        assert_eq!(
            got,
            [
                ("ffi", Some("1.17.4"), Some(10)),
                ("nokogiri", Some("1.13.10"), Some(11)),
                ("rails", Some("8.0.0"), Some(12))
            ]
        );
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].reason, SkipReason::Git);
        assert!(parse("GEM\n  specs:\n    broken 1.0\n").is_err());
    }

    #[test]
    fn stray_lines_are_errors_not_section_ends() {
        let e = parse("GEM\n  specs:\n    a (1.0)\nstray\n    evil (1.0)\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, 1), "{e}");
        let e = parse("GEM\n  specs:\n    a (1.0)\n   evil (1.0)\n").unwrap_err();
        assert_eq!((e.line, e.column), (4, 4), "{e}");
        let empty =
            parse("GEM\n  remote: https://rubygems.org/\n  specs:\n\nBUNDLED WITH\n   2.5.0\n")
                .unwrap();
        assert!(empty.packages.is_empty() && empty.structure_seen);
    }
}
