//! package-url `vers:` URIs (not implemented yet).

use crate::{Ecosystem, RangeError, VersionSet};

/// The vers / purl type of an ecosystem.
pub fn type_name(ecosystem: Ecosystem) -> &'static str {
    match ecosystem {
        Ecosystem::Rubygems => "gem",
        other => other.as_str(),
    }
}

/// Parses `vers:<type>/<constraints>`.
pub fn parse(text: &str) -> Result<(Ecosystem, VersionSet), RangeError> {
    Err(RangeError::new(
        0,
        format!("vers is not implemented yet: {text}"),
    ))
}
