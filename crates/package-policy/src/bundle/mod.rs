//! Compiled engines as bytes: `Engine::to_bytes` writes a bundle, and
//! `Engine::from_bytes` loads one without parsing or validating YAML again.
//!
//! Layout (docs/decisions/bundles.md): the magic `PPBUNDLE`, the format
//! version (u32 LE), the engine's policy digest (32 bytes), the payload's
//! length (u64 LE) and SHA-256 (32 bytes), then the payload: every level of
//! the engine, outermost first, in postcard. Loading checks each of these,
//! then every number inside the payload against what it refers to; any
//! failure is a typed [`LoadError`], never a panic or a different engine.

mod conditions;
mod wire;

use std::fmt;

use sha2::{Digest, Sha256};

use crate::engine::Engine;
use wire::{BundleWire, LevelWire};

/// The first bytes of every bundle.
pub const BUNDLE_MAGIC: [u8; 8] = *b"PPBUNDLE";

/// The format version this build writes and reads.
pub const BUNDLE_VERSION: u32 = 3;

const HEADER: usize = 8 + 4 + 32 + 8 + 32;

/// Why bytes are not a loadable bundle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LoadErrorKind {
    /// Not a bundle at all (wrong magic number).
    Foreign,
    /// A bundle of another format version.
    Version,
    /// Shorter or longer than its header says.
    Truncated,
    /// The payload does not match its checksum.
    Checksum,
    /// The payload passed its checksum but does not describe a valid engine.
    Corrupt,
}

impl LoadErrorKind {
    /// Every kind, for the gem's `BundleError::KINDS`.
    pub const ALL: [LoadErrorKind; 5] = [
        LoadErrorKind::Foreign,
        LoadErrorKind::Version,
        LoadErrorKind::Truncated,
        LoadErrorKind::Checksum,
        LoadErrorKind::Corrupt,
    ];

    /// The kind's name, as the CLI and the gem report it.
    pub fn as_str(self) -> &'static str {
        match self {
            LoadErrorKind::Foreign => "foreign",
            LoadErrorKind::Version => "version",
            LoadErrorKind::Truncated => "truncated",
            LoadErrorKind::Checksum => "checksum",
            LoadErrorKind::Corrupt => "corrupt",
        }
    }
}

/// A bundle that cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    pub kind: LoadErrorKind,
    pub message: String,
}

impl LoadError {
    fn new(kind: LoadErrorKind, message: impl Into<String>) -> LoadError {
        LoadError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bundle ({}): {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for LoadError {}

impl Engine {
    /// The engine as a bundle: every level, so a stacked engine loads whole.
    pub fn to_bytes(&self) -> Vec<u8> {
        let levels = self.levels();
        let texts: Vec<Vec<String>> = levels.iter().map(|l| LevelWire::version_texts(l)).collect();
        let wire = BundleWire {
            levels: levels
                .iter()
                .zip(&texts)
                .map(|(l, t)| LevelWire::from_level(l, t))
                .collect(),
        };
        // Plain data with known lengths: encoding cannot fail. Were it to,
        // the empty payload would fail to load rather than load as something.
        let payload = postcard::to_allocvec(&wire).unwrap_or_default();
        let digest = crate::digest::unhex(&self.inner.digest).unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER + payload.len());
        out.extend_from_slice(&BUNDLE_MAGIC);
        out.extend_from_slice(&BUNDLE_VERSION.to_le_bytes());
        out.extend_from_slice(&digest);
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&Sha256::digest(&payload));
        out.extend_from_slice(&payload);
        out
    }

    /// Loads a bundle written by [`Engine::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Engine, LoadError> {
        use LoadErrorKind::*;
        let magic = bytes.get(..8);
        if magic != Some(&BUNDLE_MAGIC[..]) {
            return Err(LoadError::new(
                if magic.is_none() && BUNDLE_MAGIC.starts_with(bytes) {
                    Truncated
                } else {
                    Foreign
                },
                "not a package_policy bundle (no PPBUNDLE magic number)",
            ));
        }
        let field = |at: usize, len: usize| {
            bytes
                .get(at..at + len)
                .ok_or_else(|| LoadError::new(Truncated, "the header is cut short"))
        };
        let mut version = [0u8; 4];
        version.copy_from_slice(field(8, 4)?);
        let version = u32::from_le_bytes(version);
        if version != BUNDLE_VERSION {
            return Err(LoadError::new(
                Version,
                format!(
                    "format version {version}; this build reads version {BUNDLE_VERSION} \
                     (recompile the policy set with this build)"
                ),
            ));
        }
        let mut digest = [0u8; 32];
        digest.copy_from_slice(field(12, 32)?);
        let mut len = [0u8; 8];
        len.copy_from_slice(field(44, 8)?);
        let len = u64::from_le_bytes(len);
        let checksum = field(52, 32)?;
        let payload = bytes.get(HEADER..).unwrap_or_default();
        if payload.len() as u64 != len {
            return Err(LoadError::new(
                Truncated,
                format!(
                    "the payload has {} bytes; the header says {len}",
                    payload.len()
                ),
            ));
        }
        if Sha256::digest(payload).as_slice() != checksum {
            return Err(LoadError::new(
                Checksum,
                "the payload does not match its SHA-256 checksum",
            ));
        }
        let (wire, rest): (BundleWire<'_>, &[u8]) = postcard::take_from_bytes(payload)
            .map_err(|e| LoadError::new(Corrupt, format!("the payload does not decode: {e}")))?;
        if !rest.is_empty() {
            return Err(LoadError::new(Corrupt, "bytes follow the payload"));
        }
        if wire.levels.len() > crate::stack::MAX_LEVELS {
            return Err(LoadError::new(Corrupt, "too many levels"));
        }
        let mut engine: Option<Engine> = None;
        for level in &wire.levels {
            engine = Some(
                level
                    .to_engine(engine.take())
                    .map_err(|m| LoadError::new(Corrupt, m))?,
            );
        }
        let Some(engine) = engine else {
            return Err(LoadError::new(Corrupt, "the bundle has no level"));
        };
        if engine.inner.digest != crate::digest::hex(&digest) {
            return Err(LoadError::new(
                Corrupt,
                "the engine's digest differs from the header's",
            ));
        }
        Ok(engine)
    }
}
