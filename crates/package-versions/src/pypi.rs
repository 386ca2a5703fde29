//! pypi versions and ranges (not implemented yet: exact versions only).

pub use crate::placeholder::Version;

use crate::{RangeError, VersionSet};

/// Parses a native range into a version set.
pub fn parse_range(text: &str) -> Result<VersionSet, RangeError> {
    crate::placeholder::unsupported(text)
}
