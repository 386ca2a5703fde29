//! Stand-in version type for ecosystems not implemented yet: exact string
//! equality only, and no ranges. Removed once every ecosystem has its module.

use std::fmt;

use crate::{RangeError, VersionError};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Version(String);

impl Version {
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        if text.is_empty() || text.trim() != text {
            return Err(VersionError::new(
                0,
                "empty version or surrounding whitespace",
            ));
        }
        Ok(Version(text.to_owned()))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn unsupported(_text: &str) -> Result<crate::VersionSet, RangeError> {
    Err(RangeError::new(
        0,
        "ranges for this ecosystem are not implemented yet",
    ))
}
