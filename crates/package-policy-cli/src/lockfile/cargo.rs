//! Cargo.lock: TOML `[[package]]` tables. Packages without a registry source
//! are workspace members, path or git dependencies: noted as skipped.

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
    source: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
    let mut out = Parsed::default();
    for p in lock.package {
        match p.source.as_deref() {
            Some(s) if s.starts_with("registry+") || s.starts_with("sparse+") => {
                out.packages.push(Package::new("cargo", p.name, p.version));
            }
            Some(s) => out.skipped.push(format!(
                "{} {}: from {s}, not a registry",
                p.name, p.version
            )),
            None => out.skipped.push(format!(
                "{} {}: a workspace or path package",
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
    fn registry_packages_only() {
        let text = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\n\n[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[[package]]\nname = \"forked\"\nversion = \"0.2.0\"\nsource = \"git+https://example.com/forked#abc\"\n";
        let parsed = parse(text).unwrap();
        assert_eq!(parsed.packages, [Package::new("cargo", "serde", "1.0.0")]);
        assert_eq!(parsed.skipped.len(), 2);
        let e = parse("[[package]]\nname = 1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }
}
