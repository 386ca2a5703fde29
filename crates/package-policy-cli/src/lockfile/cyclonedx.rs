//! CycloneDX JSON SBOMs: every component (nested ones too), named by its
//! package URL read with the core's purl parser, the one `eval` uses. The
//! SBOM's own subject (`metadata.component`) is not a dependency and is not
//! read. Components without a purl or of a type the engine has no ecosystem
//! for are skipped with their reason; a purl that does not parse is reported
//! as not evaluated.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::position::Lines;
use super::purls::package_of_purl;
use super::{json_error, LockError, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Bom<'a> {
    bom_format: Option<String>,
    spec_version: Option<String>,
    #[serde(default, borrow)]
    components: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct Component<'a> {
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    #[serde(default)]
    licenses: Vec<LicenseChoice>,
    #[serde(default, borrow)]
    components: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
struct LicenseChoice {
    license: Option<License>,
    expression: Option<String>,
}

#[derive(Deserialize)]
struct License {
    id: Option<String>,
    name: Option<String>,
}

/// Components nested deeper than this are refused.
const MAX_DEPTH: usize = 64;

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let bom: Bom = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if bom.bom_format.as_deref() != Some("CycloneDX") {
        return Err(LockError::new("`bomFormat` is not \"CycloneDX\""));
    }
    match bom.spec_version.as_deref() {
        Some(v)
            if v.strip_prefix("1.")
                .is_some_and(|m| m.parse::<u8>().is_ok_and(|m| m <= 7)) => {}
        v => {
            return Err(LockError::new(format!(
                "unknown CycloneDX specVersion {v:?} (1.0 to 1.7 are known)"
            )))
        }
    }
    let lines = Lines::new(text);
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    // Depth-first, in file order.
    let mut stack: Vec<(&RawValue, usize)> = bom.components.iter().rev().map(|c| (*c, 0)).collect();
    while let Some((raw, depth)) = stack.pop() {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        if depth > MAX_DEPTH {
            return Err(LockError::line(line, "components nested too deeply"));
        }
        let c: Component = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("component: {e}")))?;
        stack.extend(c.components.iter().rev().map(|n| (*n, depth + 1)));
        let label = c.name.clone().unwrap_or_else(|| "(unnamed)".to_owned());
        let Some(purl) = &c.purl else {
            out.skipped.push(
                Skipped::new("", label, SkipReason::UnsupportedEcosystem)
                    .version(c.version.clone())
                    .detail("no purl")
                    .at_line(line),
            );
            continue;
        };
        match package_of_purl(purl, line) {
            Ok(mut p) => {
                p.license = license(&c.licenses);
                out.packages.push(p);
            }
            Err(skip) => out.skipped.push(skip),
        }
    }
    Ok(out)
}

/// The component's licenses as one expression: several entries must all hold
/// (CycloneDX gives no other combination), so they are joined with `AND`.
fn license(choices: &[LicenseChoice]) -> Option<String> {
    let parts: Vec<String> = choices
        .iter()
        .filter_map(|c| {
            c.expression.clone().or_else(|| {
                c.license
                    .as_ref()
                    .and_then(|l| l.id.clone().or_else(|| l.name.clone()))
            })
        })
        .collect();
    match parts.as_slice() {
        [] => None,
        [one] => Some(one.clone()),
        many => Some(
            many.iter()
                .map(|p| format!("({p})"))
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::type_complexity)] // a row of expected fields
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
             "licenses": [{"expression": "MIT OR Ruby"}, {"license": {"name": "Custom"}}]}
          ]}"#;
        let parsed = parse(text).unwrap();
        let got: Vec<(&str, &str, Option<&str>, Option<&str>, Option<usize>)> = parsed
            .packages
            .iter()
            .map(|p| {
                (
                    p.ecosystem.as_str(),
                    p.name.as_str(),
                    p.version.as_deref(),
                    p.license.as_deref(),
                    p.at.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "maven",
                    "org.apache:core",
                    Some("2.0"),
                    Some("Apache-2.0"),
                    Some(4)
                ),
                ("npm", "@acme/web", Some("1.2.3"), None, Some(6)),
                (
                    "rubygems",
                    "rack",
                    Some("3.0.0"),
                    Some("(MIT OR Ruby) AND (Custom)"),
                    Some(9)
                ),
            ]
        );
        assert_eq!(parsed.skipped.len(), 2);
        assert!(parse(r#"{"bomFormat": "CycloneDX", "specVersion": "2.0"}"#).is_err());
        assert!(parse(r#"{"lockfileVersion": 3}"#).is_err());
    }
}
