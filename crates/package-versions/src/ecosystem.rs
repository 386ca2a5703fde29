use std::fmt;
use std::str::FromStr;

/// A package ecosystem: decides the version order, range syntax and name rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ecosystem {
    Npm,
    Pypi,
    Maven,
    Rubygems,
    Golang,
    Nuget,
    Cargo,
}

impl Ecosystem {
    pub const ALL: [Ecosystem; 7] = [
        Ecosystem::Npm,
        Ecosystem::Pypi,
        Ecosystem::Maven,
        Ecosystem::Rubygems,
        Ecosystem::Golang,
        Ecosystem::Nuget,
        Ecosystem::Cargo,
    ];

    /// The canonical name used in policies and decisions.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Npm => "npm",
            Ecosystem::Pypi => "pypi",
            Ecosystem::Maven => "maven",
            Ecosystem::Rubygems => "rubygems",
            Ecosystem::Golang => "golang",
            Ecosystem::Nuget => "nuget",
            Ecosystem::Cargo => "cargo",
        }
    }

    /// Index into per-ecosystem tables.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The ecosystem of a package-url / vers type (`gem`, `golang`, ...).
    pub fn from_purl_type(t: &str) -> Option<Ecosystem> {
        match t.to_ascii_lowercase().as_str() {
            "npm" => Some(Ecosystem::Npm),
            "pypi" => Some(Ecosystem::Pypi),
            "maven" => Some(Ecosystem::Maven),
            "gem" => Some(Ecosystem::Rubygems),
            "golang" => Some(Ecosystem::Golang),
            "nuget" => Some(Ecosystem::Nuget),
            "cargo" => Some(Ecosystem::Cargo),
            _ => None,
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The name given is not one of the supported ecosystems or their aliases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown ecosystem `{0}` (expected one of npm, pypi, maven, rubygems, golang, nuget, cargo)"
)]
pub struct UnknownEcosystem(pub String);

impl FromStr for Ecosystem {
    type Err = UnknownEcosystem;

    /// Accepts the canonical names and the aliases `gem` and `go` (case-sensitive,
    /// so a typo such as `NPM` is reported rather than guessed).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "npm" => Ok(Ecosystem::Npm),
            "pypi" => Ok(Ecosystem::Pypi),
            "maven" => Ok(Ecosystem::Maven),
            "rubygems" | "gem" => Ok(Ecosystem::Rubygems),
            "golang" | "go" => Ok(Ecosystem::Golang),
            "nuget" => Ok(Ecosystem::Nuget),
            "cargo" => Ok(Ecosystem::Cargo),
            _ => Err(UnknownEcosystem(s.to_owned())),
        }
    }
}
