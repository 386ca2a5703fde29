//! SBOM purls → packages, through the core's purl parser (the one `eval`
//! uses), so an SBOM cannot name a package differently from `eval`.

use package_policy::{Ecosystem, Purl, RequestInput};

use super::{At, Package, SkipReason, Skipped};

/// The package a purl names, a skip for a type without an ecosystem, or (as a
/// package with a `problem`) a purl that does not parse.
pub fn package_of_purl(purl: &str, line: usize) -> Result<Package, Skipped> {
    let invalid = |message: String| Package {
        version: None,
        problem: Some(message),
        ..Package::new("", purl, "").at_line(line)
    };
    let parsed = match Purl::parse(purl) {
        Ok(p) => p,
        Err(e) => return Ok(invalid(format!("`{purl}`: {}", e.message()))),
    };
    if Ecosystem::from_purl_type(parsed.ty()).is_none() {
        return Err(Skipped {
            at: At::line(line),
            ..Skipped::new(parsed.ty(), parsed.name(), SkipReason::UnsupportedEcosystem)
                .version(parsed.version())
                .detail(purl)
        });
    }
    Ok(match RequestInput::from_purl(purl) {
        Ok(input) => Package {
            version: input.version,
            ..Package::new(&input.ecosystem, input.name, "").at_line(line)
        },
        Err(e) => invalid(e.to_string()),
    })
}
