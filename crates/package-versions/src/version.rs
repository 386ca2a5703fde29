use std::cmp::Ordering;
use std::fmt;

use crate::{cargo, golang, maven, npm, nuget, pypi, rubygems, Ecosystem, VersionError};

/// A parsed version of one ecosystem.
///
/// Versions of the same ecosystem compare with that ecosystem's total order;
/// `a == b` exactly when `a.cmp(&b)` is `Equal` (so PyPI `1.0 == 1.0.0`).
/// Versions of different ecosystems never meet in a range; they order by
/// ecosystem only so that `Ord` stays total.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Version {
    Npm(npm::Version),
    Pypi(pypi::Version),
    Maven(maven::Version),
    Rubygems(rubygems::Version),
    Golang(golang::Version),
    Nuget(nuget::Version),
    Cargo(cargo::Version),
}

impl Version {
    /// Parses `text` in `ecosystem`'s syntax. Surrounding whitespace is an error.
    pub fn parse(ecosystem: Ecosystem, text: &str) -> Result<Version, VersionError> {
        Ok(match ecosystem {
            Ecosystem::Npm => Version::Npm(npm::Version::parse(text)?),
            Ecosystem::Pypi => Version::Pypi(pypi::Version::parse(text)?),
            Ecosystem::Maven => Version::Maven(maven::Version::parse(text)?),
            Ecosystem::Rubygems => Version::Rubygems(rubygems::Version::parse(text)?),
            Ecosystem::Golang => Version::Golang(golang::Version::parse(text)?),
            Ecosystem::Nuget => Version::Nuget(nuget::Version::parse(text)?),
            Ecosystem::Cargo => Version::Cargo(cargo::Version::parse(text)?),
        })
    }

    /// The text [`Version::parse_bound`] reads back to this exact value: the
    /// version's text, with [`crate::vers::BOUNDARY_MARK`] on a range end
    /// that is no version (for compiled engines saved as bytes).
    pub fn bound_text(&self) -> String {
        let mut text = self.to_string();
        if self.is_boundary() {
            text.push_str(crate::vers::BOUNDARY_MARK);
        }
        text
    }

    /// Reads [`Version::bound_text`]: a version, or a range end that is no
    /// version when the text ends in the boundary mark.
    pub fn parse_bound(ecosystem: Ecosystem, text: &str) -> Result<Version, VersionError> {
        let Some(version) = text.strip_suffix(crate::vers::BOUNDARY_MARK) else {
            return Version::parse(ecosystem, text);
        };
        match Version::parse(ecosystem, version)? {
            Version::Rubygems(v) => Ok(Version::Rubygems(v.into_boundary())),
            Version::Pypi(v) => Ok(Version::Pypi(v.into_boundary())),
            _ => Err(VersionError::new(
                version.len(),
                "only RubyGems and PyPI ranges have ends that are no version",
            )),
        }
    }

    /// True for a range end that is no version (RubyGems' end of `~>`,
    /// PyPI's end of `>v`): it displays as the version it sits beside.
    pub fn is_boundary(&self) -> bool {
        match self {
            Version::Rubygems(v) => v.is_boundary(),
            Version::Pypi(v) => v.is_boundary(),
            _ => false,
        }
    }

    pub fn ecosystem(&self) -> Ecosystem {
        match self {
            Version::Npm(_) => Ecosystem::Npm,
            Version::Pypi(_) => Ecosystem::Pypi,
            Version::Maven(_) => Ecosystem::Maven,
            Version::Rubygems(_) => Ecosystem::Rubygems,
            Version::Golang(_) => Ecosystem::Golang,
            Version::Nuget(_) => Ecosystem::Nuget,
            Version::Cargo(_) => Ecosystem::Cargo,
        }
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Version::Npm(a), Version::Npm(b)) => a.cmp(b),
            (Version::Pypi(a), Version::Pypi(b)) => a.cmp(b),
            (Version::Maven(a), Version::Maven(b)) => a.cmp(b),
            (Version::Rubygems(a), Version::Rubygems(b)) => a.cmp(b),
            (Version::Golang(a), Version::Golang(b)) => a.cmp(b),
            (Version::Nuget(a), Version::Nuget(b)) => a.cmp(b),
            (Version::Cargo(a), Version::Cargo(b)) => a.cmp(b),
            _ => self.ecosystem().cmp(&other.ecosystem()),
        }
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Version::Npm(v) => v.fmt(f),
            Version::Pypi(v) => v.fmt(f),
            Version::Maven(v) => v.fmt(f),
            Version::Rubygems(v) => v.fmt(f),
            Version::Golang(v) => v.fmt(f),
            Version::Nuget(v) => v.fmt(f),
            Version::Cargo(v) => v.fmt(f),
        }
    }
}
