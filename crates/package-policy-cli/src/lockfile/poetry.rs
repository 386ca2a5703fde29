//! poetry.lock: TOML `[[package]]` tables. Git, path and URL sources are not
//! registry packages and are noted as skipped.

use serde::Deserialize;

use super::{toml_error, LockError, Package, Parsed};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    name: String,
    version: String,
    source: Option<Source>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: String,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut out = Parsed::default();
    for p in lock.package {
        match p.source.as_ref().map(|s| s.kind.as_str()) {
            None | Some("legacy") => out.packages.push(Package::new("pypi", p.name, p.version)),
            Some(kind) => out.skipped.push(format!(
                "{} {}: from a {kind} source, not an index",
                p.name, p.version
            )),
        }
    }
    Ok(out)
}
