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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_packages_only() {
        let text = "[[package]]\nname = \"Django\"\nversion = \"4.2.1\"\n\n[[package]]\nname = \"mine\"\nversion = \"0.1\"\n[package.source]\ntype = \"git\"\nurl = \"https://example.com/mine.git\"\n\n[metadata]\ncontent-hash = \"00\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.packages, [Package::new("pypi", "Django", "4.2.1")]);
        assert_eq!(parsed.skipped.len(), 1);
    }
}
