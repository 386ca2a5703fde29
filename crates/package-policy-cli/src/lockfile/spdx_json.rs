//! SPDX 2.2/2.3 JSON documents: every package, named by its `purl` external
//! references (read with the core's purl parser, as CycloneDX purls are);
//! a package without one is skipped. The license is `licenseConcluded`, else
//! `licenseDeclared`, unless it is NOASSERTION or NONE.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::position::Lines;
use super::purls::package_of_purl;
use super::{json_error, LockError, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc<'a> {
    spdx_version: Option<String>,
    #[serde(default, borrow)]
    packages: Vec<&'a RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpdxPackage {
    name: Option<String>,
    version_info: Option<String>,
    license_concluded: Option<String>,
    license_declared: Option<String>,
    #[serde(default)]
    external_refs: Vec<ExternalRef>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExternalRef {
    reference_type: String,
    reference_locator: String,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let doc: Doc = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    match doc.spdx_version.as_deref() {
        Some("SPDX-2.2" | "SPDX-2.3") => {}
        v => {
            return Err(LockError::new(format!(
                "unknown spdxVersion {v:?} (SPDX-2.2 and SPDX-2.3 JSON are read)"
            )))
        }
    }
    let lines = Lines::new(text);
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for raw in doc.packages {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        let p: SpdxPackage = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("package: {e}")))?;
        let license = [&p.license_concluded, &p.license_declared]
            .into_iter()
            .flatten()
            .find(|l| !matches!(l.as_str(), "NOASSERTION" | "NONE"))
            .cloned();
        let purls: Vec<&str> = p
            .external_refs
            .iter()
            .filter(|r| r.reference_type == "purl")
            .map(|r| r.reference_locator.as_str())
            .collect();
        if purls.is_empty() {
            out.skipped.push(
                Skipped::new(
                    "",
                    p.name.unwrap_or_default(),
                    SkipReason::UnsupportedEcosystem,
                )
                .version(p.version_info)
                .detail("no purl")
                .at_line(line),
            );
            continue;
        }
        for purl in purls {
            match package_of_purl(purl, line) {
                Ok(mut pkg) => {
                    pkg.license = license.clone();
                    out.packages.push(pkg);
                }
                Err(skip) => out.skipped.push(skip),
            }
        }
    }
    Ok(out)
}
