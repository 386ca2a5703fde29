//! npm package-lock.json, lockfileVersion 2 and 3: the flat `packages` map,
//! keyed by install path (`node_modules/a/node_modules/@s/b`).

use serde::Deserialize;

use super::{json_error, LockError, Package, Parsed};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    lockfile_version: u32,
    /// serde_json's `preserve_order` keeps the file's order.
    #[serde(default)]
    packages: serde_json::Map<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    link: bool,
    /// A string (SPDX) in current lockfiles; old ones may hold an object.
    license: Option<serde_json::Value>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if lock.lockfile_version < 2 {
        return Err(LockError::new(format!(
            "package-lock.json lockfileVersion {} is not supported (2 and 3 are); run `npm install` with npm 7 or later to upgrade it",
            lock.lockfile_version
        )));
    }
    let mut out = Parsed::default();
    for (path, value) in lock.packages {
        // "" is the project itself; paths outside node_modules are workspace members.
        let Some(idx) = path.rfind("node_modules/") else {
            continue;
        };
        let entry: Entry = serde_json::from_value(value)
            .map_err(|e| LockError::new(format!("packages[{path:?}]: {e}")))?;
        if entry.link {
            out.skipped
                .push(format!("{path}: a link to a local package"));
            continue;
        }
        let install_name = path.get(idx + "node_modules/".len()..).unwrap_or_default();
        // An alias (`"a": "npm:b@1"`) installs `b` under the path `a`; `name` is the real one.
        let name = entry.name.unwrap_or_else(|| install_name.to_owned());
        let Some(version) = entry.version else {
            out.skipped.push(format!("{path}: no version"));
            continue;
        };
        let license = entry.license.and_then(|l| l.as_str().map(str::to_owned));
        out.packages.push(Package {
            license,
            ..Package::new("npm", name, version)
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_links_workspaces_and_old_lockfiles() {
        let text = r#"{"lockfileVersion": 3, "packages": {
            "": {"name": "root", "version": "1.0.0"},
            "packages/app": {"name": "app", "version": "0.1.0"},
            "node_modules/app": {"resolved": "packages/app", "link": true},
            "node_modules/my-alias": {"name": "real-pkg", "version": "2.0.0"},
            "node_modules/a/node_modules/@s/b": {"version": "1.0.0", "license": "MIT"}
        }}"#;
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, Option<&str>, Option<&str>)> = parsed
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref(), p.license.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("real-pkg", Some("2.0.0"), None),
                ("@s/b", Some("1.0.0"), Some("MIT"))
            ]
        );
        assert_eq!(parsed.skipped.len(), 1);
        let v1 = parse(r#"{"lockfileVersion": 1, "dependencies": {}}"#).unwrap_err();
        assert!(v1.message.contains("lockfileVersion 1"));
    }
}
