use thiserror::Error;

/// A version string that does not parse in its ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid version at byte {position}: {message}")]
#[non_exhaustive]
pub struct VersionError {
    /// Byte offset into the input where parsing failed.
    pub position: usize,
    pub message: String,
}

impl VersionError {
    pub fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}

/// A range string that does not parse in its ecosystem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid range at byte {position}: {message}")]
#[non_exhaustive]
pub struct RangeError {
    /// Byte offset into the input where parsing failed.
    pub position: usize,
    pub message: String,
}

impl RangeError {
    pub fn new(position: usize, message: impl Into<String>) -> Self {
        Self {
            position,
            message: message.into(),
        }
    }
}

impl From<VersionError> for RangeError {
    fn from(e: VersionError) -> Self {
        RangeError::new(e.position, e.message)
    }
}
