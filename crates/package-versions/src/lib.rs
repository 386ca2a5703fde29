//! Versions and version ranges, ecosystem by ecosystem.
//!
//! Every ecosystem has its own total order and range syntax. A range is parsed
//! once into a [`VersionSet`]: a sorted list of disjoint intervals over that
//! order, so `contains` is a binary search and rules on one package can be
//! merged with [`VersionSet::union`] and [`VersionSet::intersection`].
//! Pre-releases are ordinary members of the order: a range denotes every
//! version between its bounds (POLICY_SPEC §3).

mod ecosystem;
mod error;
mod interval;
mod semver_core;
mod semver_range;
mod version;

pub mod cargo;
pub mod golang;
pub mod maven;
pub mod npm;
pub mod nuget;
pub mod pypi;
pub mod rubygems;
pub mod vers;

pub use ecosystem::{Ecosystem, UnknownEcosystem};
pub use error::{RangeError, VersionError};
pub use interval::{Bound, Interval, VersionSet};
pub use version::Version;

/// Parses `text` as a range of `ecosystem`: its native syntax, or a `vers:` URI
/// whose type must be `ecosystem`.
pub fn parse_range(ecosystem: Ecosystem, text: &str) -> Result<VersionSet, RangeError> {
    if text.starts_with("vers:") {
        let (eco, set) = vers::parse(text)?;
        if eco != ecosystem {
            return Err(RangeError::new(
                0,
                format!("vers type `{eco}` does not match ecosystem `{ecosystem}`"),
            ));
        }
        return Ok(set);
    }
    match ecosystem {
        Ecosystem::Npm => npm::parse_range(text),
        Ecosystem::Pypi => pypi::parse_range(text),
        Ecosystem::Maven => maven::parse_range(text),
        Ecosystem::Rubygems => rubygems::parse_range(text),
        Ecosystem::Golang => golang::parse_range(text),
        Ecosystem::Nuget => nuget::parse_range(text),
        Ecosystem::Cargo => cargo::parse_range(text),
    }
}
