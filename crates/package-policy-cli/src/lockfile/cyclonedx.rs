//! CycloneDX JSON SBOMs: every component (nested ones too) with a package URL
//! of a supported type. The SBOM's own subject (`metadata.component`) is not a
//! dependency and is left out.

use serde::Deserialize;

use super::{json_error, LockError, Package, Parsed};

#[derive(Deserialize)]
struct Bom {
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Component {
    name: Option<String>,
    purl: Option<String>,
    #[serde(default)]
    licenses: Vec<LicenseChoice>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct LicenseChoice {
    license: Option<License>,
    expression: Option<String>,
}

#[derive(Deserialize)]
struct License {
    id: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let bom: Bom = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    let mut out = Parsed::default();
    let mut stack: Vec<&Component> = bom.components.iter().rev().collect();
    while let Some(c) = stack.pop() {
        stack.extend(c.components.iter().rev());
        let label = c.name.as_deref().unwrap_or("(unnamed)");
        let Some(purl) = &c.purl else {
            out.skipped.push(format!("{label}: no purl"));
            continue;
        };
        match package_from_purl(purl) {
            Some(mut p) => {
                p.license = license(&c.licenses);
                out.packages.push(p);
            }
            None => out
                .skipped
                .push(format!("{purl}: not a supported package type")),
        }
    }
    Ok(out)
}

/// One license entry becomes the request's expression; several entries have no
/// agreed combination in CycloneDX, so none is guessed.
fn license(choices: &[LicenseChoice]) -> Option<String> {
    match choices {
        [one] => one
            .expression
            .clone()
            .or_else(|| one.license.as_ref().and_then(|l| l.id.clone())),
        _ => None,
    }
}

/// `pkg:type/namespace/name@version?qualifiers#subpath` → a package of a
/// supported ecosystem. Percent-escapes are decoded.
fn package_from_purl(purl: &str) -> Option<Package> {
    let rest = purl.strip_prefix("pkg:")?;
    let rest = rest.split(['?', '#']).next()?;
    let (ty, path) = rest.split_once('/')?;
    let ecosystem = match ty.to_ascii_lowercase().as_str() {
        "npm" => "npm",
        "pypi" => "pypi",
        "maven" => "maven",
        "gem" => "rubygems",
        "golang" => "golang",
        "nuget" => "nuget",
        "cargo" => "cargo",
        _ => return None,
    };
    let (path, version) = match path.rsplit_once('@') {
        Some((p, v)) if !p.is_empty() => (p, Some(decode(v))),
        _ => (path, None),
    };
    let segments: Vec<String> = path.split('/').map(decode).collect();
    let name = if ecosystem == "maven" {
        segments.join(":")
    } else {
        segments.join("/")
    };
    Some(Package {
        ecosystem,
        name,
        version,
        license: None,
    })
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_components_purls_and_licenses() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
          "metadata": {"component": {"name": "app", "purl": "pkg:npm/app@1.0.0"}},
          "components": [
            {"name": "core", "purl": "pkg:maven/org.apache/core@2.0?type=jar",
             "licenses": [{"license": {"id": "Apache-2.0"}}],
             "components": [{"name": "web", "purl": "pkg:npm/%40acme/web@1.2.3#sub"}]},
            {"name": "libc", "purl": "pkg:deb/debian/libc6@2.36"},
            {"name": "nopurl"},
            {"name": "dual", "purl": "pkg:gem/rack@3.0.0",
             "licenses": [{"expression": "MIT OR Ruby"}]}
          ]}"#;
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, &str, Option<&str>, Option<&str>)> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem,
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.license.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("maven", "org.apache:core", Some("2.0"), Some("Apache-2.0")),
                ("npm", "@acme/web", Some("1.2.3"), None),
                ("rubygems", "rack", Some("3.0.0"), Some("MIT OR Ruby")),
            ]
        );
        assert_eq!(parsed.skipped.len(), 2);
    }
}
