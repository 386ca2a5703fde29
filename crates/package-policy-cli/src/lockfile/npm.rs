//! npm package-lock.json / npm-shrinkwrap.json. lockfileVersion 2 and 3: the
//! flat `packages` map keyed by install path
//! (`node_modules/a/node_modules/@s/b`); lockfileVersion 1: the nested
//! `dependencies` tree. A registry tarball URL names the package; git, path,
//! link and other URL sources, the project and its workspaces are skipped.

use serde::Deserialize;

use super::position::{Entries, Lines};
use super::registry_url::{non_registry, registry_tarball};
use super::{json_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock<'a> {
    lockfile_version: Option<serde_json::Value>,
    #[serde(borrow)]
    packages: Option<Entries<'a>>,
    #[serde(borrow)]
    dependencies: Option<Entries<'a>>,
}

/// A `packages` entry (v2, v3).
#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    #[serde(default)]
    link: bool,
    /// A string (SPDX) in current lockfiles; old ones may hold an object.
    license: Option<serde_json::Value>,
}

/// A `dependencies` entry (v1).
#[derive(Deserialize)]
struct Dependency<'a> {
    version: Option<String>,
    resolved: Option<String>,
    #[serde(borrow)]
    dependencies: Option<Entries<'a>>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let lines = Lines::new(text);
    let version = match &lock.lockfile_version {
        None => return Err(LockError::new("no `lockfileVersion`: not a package-lock.json")),
        Some(v) => v.as_u64().filter(|v| (1..=3).contains(v)).ok_or_else(|| {
            LockError::new(format!(
                "unknown lockfileVersion {v} (1, 2 and 3 are known); a newer npm may have written it"
            ))
        })?,
    };
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    match (version, lock.packages, lock.dependencies) {
        (2 | 3, Some(packages), _) => {
            for (path, raw) in packages.0 {
                let line = lines.line_of(raw.get()).unwrap_or(1);
                let entry: Entry = serde_json::from_str(raw.get())
                    .map_err(|e| LockError::line(line, format!("packages[{path:?}]: {e}")))?;
                entry_v2(&path, entry, line, &mut out);
            }
        }
        (2 | 3, None, _) => {
            return Err(LockError::new(format!(
                "lockfileVersion {version} without `packages`: the file is incomplete"
            )))
        }
        (_, _, Some(deps)) => tree_v1(deps, &lines, &mut out, 0)?,
        (_, _, None) => {}
    }
    Ok(out)
}

fn entry_v2(path: &str, entry: Entry, line: usize, out: &mut Parsed) {
    let install_name = path
        .rfind("node_modules/")
        .and_then(|i| path.get(i + "node_modules/".len()..));
    let Some(install_name) = install_name else {
        // "" is the project itself; other paths outside node_modules are workspace members.
        let label = entry.name.unwrap_or_else(|| path.to_owned());
        let detail = if path.is_empty() {
            "the project itself"
        } else {
            path
        };
        out.skipped.push(
            Skipped::new("npm", label, SkipReason::Workspace)
                .version(entry.version)
                .detail(detail)
                .at_line(line),
        );
        return;
    };
    // An alias (`"a": "npm:b@1"`) installs `b` under the path `a`; `name` is the real one.
    let name = entry.name.unwrap_or_else(|| install_name.to_owned());
    if entry.link {
        out.skipped.push(
            Skipped::new("npm", name, SkipReason::Link)
                .detail(entry.resolved.unwrap_or_default())
                .at_line(line),
        );
        return;
    }
    let license = entry.license.and_then(|l| l.as_str().map(str::to_owned));
    package(name, entry.version, entry.resolved, license, line, out);
}

/// The registry package of an entry, or its skip: a registry tarball URL
/// names the package; another source skips it.
fn package(
    name: String,
    version: Option<String>,
    resolved: Option<String>,
    license: Option<String>,
    line: usize,
    out: &mut Parsed,
) {
    if let Some((name, version)) = resolved.as_deref().and_then(registry_tarball) {
        out.packages.push(Package {
            license,
            ..Package::new("npm", name, version).at_line(line)
        });
        return;
    }
    let reason = resolved
        .as_deref()
        .and_then(non_registry)
        .or_else(|| version.as_deref().and_then(non_registry));
    if let Some(reason) = reason {
        let detail = resolved.or_else(|| version.clone()).unwrap_or_default();
        out.skipped.push(
            Skipped::new("npm", name, reason)
                .version(version)
                .detail(detail)
                .at_line(line),
        );
        return;
    }
    out.packages.push(Package {
        version,
        license,
        ..Package::new("npm", name, "").at_line(line)
    });
}

/// Nesting beyond this is not a real node_modules tree.
const MAX_DEPTH: usize = 256;

fn tree_v1(
    deps: Entries<'_>,
    lines: &Lines<'_>,
    out: &mut Parsed,
    depth: usize,
) -> Result<(), LockError> {
    for (key, raw) in deps.0 {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        if depth > MAX_DEPTH {
            return Err(LockError::line(line, "dependencies nested too deeply"));
        }
        let dep: Dependency = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("dependencies[{key:?}]: {e}")))?;
        // An alias is written `"version": "npm:real@1.0.0"`.
        let (name, version) = match dep.version.as_deref().and_then(|v| v.strip_prefix("npm:")) {
            Some(target) => match target.get(1..).and_then(|t| t.find('@')) {
                Some(at) => (
                    target.get(..=at).unwrap_or(target).to_owned(),
                    target.get(at + 2..).map(str::to_owned),
                ),
                None => (target.to_owned(), None),
            },
            None => (key, dep.version),
        };
        package(name, version, dep.resolved, None, line, out);
        if let Some(nested) = dep.dependencies {
            tree_v1(nested, lines, out, depth + 1)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::type_complexity)] // a row of expected fields
    fn aliases_links_workspaces_and_sources() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "root", "version": "1.0.0"},
            "packages/app": {"name": "app", "version": "0.1.0"},
            "node_modules/app": {"resolved": "packages/app", "link": true},
            "node_modules/my-alias": {"name": "real-pkg", "version": "2.0.0"},
            "node_modules/a/node_modules/@s/b": {"version": "1.0.0", "license": "MIT"},
            "node_modules/tooling": {"version": "1.28.1", "resolved": "git+ssh://git@github.com/webpack/tooling.git#abc"},
            "node_modules/nice": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"},
            "node_modules/tar": {"version": "1.0.0", "resolved": "https://example.com/tar.tgz"},
            "node_modules/local": {"version": "1.0.0", "resolved": "file:local-1.0.0.tgz"}
        }}"#;
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>, Option<&str>, Option<usize>)> = parsed
            .packages
            .iter()
            .map(|p| {
                let v = p.version.as_deref();
                (p.name.as_str(), v, p.license.as_deref(), p.at.line)
            })
            .collect();
        assert_eq!(
            got,
            [
                ("real-pkg", Some("2.0.0"), None, Some(5)),
                ("@s/b", Some("1.0.0"), Some("MIT"), Some(6)),
                ("evil", Some("1.0.0"), None, Some(8)),
            ]
        );
        let skipped: Vec<(&str, SkipReason)> = parsed
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("root", SkipReason::Workspace),
                ("app", SkipReason::Workspace),
                ("app", SkipReason::Link),
                ("tooling", SkipReason::Git),
                ("tar", SkipReason::Url),
                ("local", SkipReason::Path),
            ]
        );
    }

    #[test]
    fn version_one_trees() {
        let text = r#"{"lockfileVersion": 1, "dependencies": {
            "a": {"version": "1.0.0", "resolved": "https://registry.npmjs.org/a/-/a-1.0.0.tgz",
                  "dependencies": {"b": {"version": "2.0.0"}}},
            "alias": {"version": "npm:@s/real@3.0.0"},
            "g": {"version": "github:u/g#abc"}
        }}"#;
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("1.0.0")),
                ("b", Some("2.0.0")),
                ("@s/real", Some("3.0.0"))
            ]
        );
        assert_eq!(parsed.skipped.len(), 1);
        assert_eq!(parsed.skipped[0].reason, SkipReason::Git);
    }

    #[test]
    fn unknown_versions_and_incomplete_files_are_errors() {
        for v in ["0", "4", "99", "\"3\""] {
            let e = parse(&format!(r#"{{"lockfileVersion": {v}, "packages": {{}}}}"#)).unwrap_err();
            assert!(e.message.contains("unknown lockfileVersion"), "{v}: {e}");
        }
        let e = parse(r#"{"lockfileVersion": 2, "dependencies": {}}"#).unwrap_err();
        assert!(e.message.contains("without `packages`"), "{e}");
        let e = parse("{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/a\": {")
            .unwrap_err();
        assert_eq!(e.line, 4, "{e}");
    }
}
