//! pnpm-lock.yaml, lockfile versions 6 and 9: the `packages` map keyed
//! `/name@version(peers)` (v6) or `name@version` (v9). The resolution decides
//! the source: a registry tarball URL names the package, git repositories,
//! directories and other URLs are skipped; `importers` (the project and its
//! workspace members) are listed as workspace skips.

use serde::Deserialize;
use serde_yaml_ng::{Mapping, Value};

use super::registry_url::{non_registry, registry_tarball};
use super::yaml_keys::key_lines;
use super::{LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    lockfile_version: Value,
    #[serde(default)]
    importers: Mapping,
    #[serde(default)]
    packages: Mapping,
}

#[derive(Deserialize, Default)]
struct Entry {
    #[serde(default)]
    resolution: Resolution,
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize, Default)]
struct Resolution {
    tarball: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    repo: Option<String>,
    directory: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = serde_yaml_ng::from_str(text).map_err(|e| yaml_error(&e))?;
    let version = match &lock.lockfile_version {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => format!("{other:?}"),
    };
    let major = version.split('.').next().unwrap_or_default();
    if major != "6" && major != "9" {
        let line = key_lines(text, "", 0)
            .get("lockfileVersion")
            .copied()
            .unwrap_or(1);
        return Err(LockError::line(
            line,
            format!("pnpm lockfileVersion {version} is not read (6.x and 9.x are)"),
        ));
    }
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    let importer_lines = key_lines(text, "importers", 2);
    for key in lock.importers.keys() {
        let key = key.as_str().unwrap_or_default();
        out.skipped.push(
            Skipped::new("npm", key, SkipReason::Workspace)
                .detail("a pnpm importer (the project or a workspace member)")
                .at_line(importer_lines.get(key).copied().unwrap_or(1)),
        );
    }
    let lines = key_lines(text, "packages", 2);
    for (key, value) in lock.packages {
        let key = key.as_str().unwrap_or_default().to_owned();
        let line = lines.get(&key).copied().unwrap_or(1);
        let entry: Entry = serde_yaml_ng::from_value(value)
            .map_err(|e| LockError::line(line, format!("packages[{key:?}]: {e}")))?;
        classify(&key, entry, line, &mut out);
    }
    Ok(out)
}

fn classify(key: &str, entry: Entry, line: usize, out: &mut Parsed) {
    // `/@s/name@1.0.0(peer@2.0.0)` → `@s/name`, `1.0.0`.
    let bare = key.strip_prefix('/').unwrap_or(key);
    let bare = bare.split('(').next().unwrap_or(bare);
    let (key_name, key_version) = match bare.get(1..).and_then(|r| r.find('@')) {
        Some(at) => (bare.get(..=at).unwrap_or(bare), bare.get(at + 2..)),
        None => (bare, None),
    };
    let name = entry.name.unwrap_or_else(|| key_name.to_owned());
    let version = entry.version.or_else(|| key_version.map(str::to_owned));
    let r = entry.resolution;
    let skip = |reason, detail: &str, out: &mut Parsed| {
        out.skipped.push(
            Skipped::new("npm", name.clone(), reason)
                .version(version.clone())
                .detail(detail)
                .at_line(line),
        );
    };
    if r.kind.as_deref() == Some("git") || r.repo.is_some() {
        return skip(SkipReason::Git, r.repo.as_deref().unwrap_or(key), out);
    }
    if let Some(dir) = &r.directory {
        return skip(SkipReason::Path, dir, out);
    }
    if let Some(t) = &r.tarball {
        if let Some((n, v)) = registry_tarball(t) {
            out.packages.push(Package::new("npm", n, v).at_line(line));
            return;
        }
        return skip(non_registry(t).unwrap_or(SkipReason::Path), t, out);
    }
    if let Some(reason) = version.as_deref().and_then(non_registry) {
        return skip(reason, version.as_deref().unwrap_or_default(), out);
    }
    out.packages.push(Package {
        version,
        ..Package::new("npm", name, "").at_line(line)
    });
}

/// A YAML error with its line and column.
pub fn yaml_error(e: &serde_yaml_ng::Error) -> LockError {
    match e.location() {
        Some(l) => LockError::at(l.line(), l.column(), e.to_string()),
        None => LockError::new(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_and_peer_suffixes() {
        let text = "lockfileVersion: '6.0'\npackages:\n  /@s/a@1.0.0(react@18.0.0):\n    resolution: {integrity: x}\n  github.com/u/g/abc:\n    resolution: {tarball: https://codeload.github.com/u/g/tar.gz/abc}\n    name: g\n    version: 0.1.0\n  /nice@1.0.0:\n    resolution: {tarball: https://registry.npmjs.org/evil/-/evil-1.0.0.tgz}\n  file:local:\n    resolution: {directory: local, type: directory}\n    name: local\n";
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>, Option<usize>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.at.line))
            .collect();
        assert_eq!(
            got,
            [
                ("@s/a", Some("1.0.0"), Some(3)),
                ("evil", Some("1.0.0"), Some(9))
            ]
        );
        let reasons: Vec<SkipReason> = parsed.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(reasons, [SkipReason::Git, SkipReason::Path]);
        assert!(parse("lockfileVersion: 5.4\n").is_err());
    }
}
