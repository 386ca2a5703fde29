//! Lockfiles and SBOMs → the packages they pin. One small module per format;
//! the format is detected from the name and content unless given.
//!
//! Nothing is dropped silently (docs/decisions/scan-skip-or-fail.md): every
//! entry becomes a [`Package`], a [`Skipped`] with its reason, or the whole
//! read fails with a located [`LockError`].

mod bun;
mod cargo;
mod cyclonedx;
mod detect;
mod gemfile;
mod gosum;
mod gradle;
pub mod license;
mod npm;
mod nuget;
mod pipfile;
mod pnpm;
mod poetry;
mod position;
mod purls;
mod registry_url;
mod requirements;
mod spdx_json;
mod uv;
mod yaml_keys;
mod yarn;
mod yarn_berry;

use std::fmt;
use std::path::Path;

use clap::ValueEnum;

pub use detect::detect;

/// One pinned package. `version` is absent only for unpinned requirements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    /// An SPDX expression (or what the file says instead) when it records one.
    pub license: Option<String>,
    /// Where the entry is: the line, and the file when it is not the one scanned
    /// (a requirements include).
    pub at: At,
    /// Why the entry names no package (a purl that does not parse): reported
    /// as not evaluated.
    pub problem: Option<String>,
}

/// A place in the scanned file or in a file it includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct At {
    pub file: Option<String>,
    pub line: Option<usize>,
}

impl At {
    pub fn line(line: usize) -> Self {
        Self {
            file: None,
            line: Some(line),
        }
    }
}

impl Package {
    pub fn new(ecosystem: &str, name: impl Into<String>, version: impl Into<String>) -> Self {
        Self {
            ecosystem: ecosystem.to_owned(),
            name: name.into(),
            version: Some(version.into()),
            license: None,
            at: At::default(),
            problem: None,
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.at = At::line(line);
        self
    }
}

/// Why an entry is listed rather than evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Fetched from a git repository, not a registry.
    Git,
    /// A local directory or file.
    Path,
    /// A symlink to a local package.
    Link,
    /// The project itself or one of its workspace members.
    Workspace,
    /// go.sum lists only its go.mod: resolved for the module graph, not built.
    GoModOnly,
    /// A tarball or other URL that is not a registry's.
    Url,
    /// A package type the engine has no ecosystem for.
    UnsupportedEcosystem,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Git => "git",
            SkipReason::Path => "path",
            SkipReason::Link => "link",
            SkipReason::Workspace => "workspace",
            SkipReason::GoModOnly => "go.mod-only",
            SkipReason::Url => "url",
            SkipReason::UnsupportedEcosystem => "unsupported-ecosystem",
        }
    }
}

/// An entry that is not a registry package, with its reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    pub reason: SkipReason,
    /// The source as the file gives it (a URL, a path, a purl).
    pub detail: String,
    pub at: At,
}

impl Skipped {
    pub fn new(ecosystem: &str, name: impl Into<String>, reason: SkipReason) -> Self {
        Self {
            ecosystem: ecosystem.to_owned(),
            name: name.into(),
            version: None,
            reason,
            detail: String::new(),
            at: At::default(),
        }
    }

    pub fn version(mut self, version: Option<impl Into<String>>) -> Self {
        self.version = version.map(Into::into);
        self
    }

    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.at = At::line(line);
        self
    }
}

/// What a lockfile holds: its packages and the entries skipped, in file order.
#[derive(Debug, Default)]
pub struct Parsed {
    pub packages: Vec<Package>,
    pub skipped: Vec<Skipped>,
    /// The file has its format's structure (a header, a version field), so
    /// holding no entries means an empty lockfile rather than a misread one.
    pub structure_seen: bool,
}

/// A lockfile that cannot be read: `FILE:LINE:COLUMN: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockError {
    /// Set when the error is in an included file.
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LockError {
    /// An error about the file as a whole: reported at its start.
    pub fn new(message: impl Into<String>) -> Self {
        Self::at(1, 1, message)
    }

    pub fn at(line: usize, column: usize, message: impl Into<String>) -> Self {
        Self {
            file: None,
            line,
            column,
            message: message.into(),
        }
    }

    pub fn line(line: usize, message: impl Into<String>) -> Self {
        Self::at(line, 1, message)
    }

    /// `FILE:LINE:COLUMN: message`, the file being `scanned` unless the error
    /// is in an included one.
    pub fn located(&self, scanned: &str) -> String {
        let file = self.file.as_deref().unwrap_or(scanned);
        format!("{file}:{self}")
    }
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // One line, whatever the message quotes.
        let message = self.message.replace(['\n', '\r'], " ");
        write!(f, "{}:{}: {message}", self.line, self.column)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Kind {
    /// npm package-lock.json or npm-shrinkwrap.json (lockfileVersion 1, 2 or 3)
    #[value(name = "npm")]
    Npm,
    /// yarn.lock (v1)
    #[value(name = "yarn")]
    Yarn,
    /// yarn.lock of Yarn 2+ (berry)
    #[value(name = "yarn-berry")]
    YarnBerry,
    /// pnpm-lock.yaml (lockfileVersion 6 and 9)
    #[value(name = "pnpm")]
    Pnpm,
    /// bun.lock (text lockfile)
    #[value(name = "bun")]
    Bun,
    /// Bundler's Gemfile.lock
    #[value(name = "gemfile-lock")]
    Gemfile,
    /// poetry.lock
    #[value(name = "poetry")]
    Poetry,
    /// requirements.txt (name==version; -r/-c includes are followed)
    #[value(name = "requirements")]
    Requirements,
    /// go.sum
    #[value(name = "go-sum")]
    GoSum,
    /// Cargo.lock
    #[value(name = "cargo")]
    Cargo,
    /// CycloneDX JSON SBOM
    #[value(name = "cyclonedx")]
    CycloneDx,
    /// SPDX 2.2/2.3 JSON SBOM
    #[value(name = "spdx")]
    Spdx,
    /// uv.lock
    #[value(name = "uv")]
    Uv,
    /// Pipfile.lock
    #[value(name = "pipfile")]
    Pipfile,
    /// NuGet packages.lock.json
    #[value(name = "nuget")]
    Nuget,
    /// gradle.lockfile
    #[value(name = "gradle")]
    Gradle,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Npm => "npm",
            Kind::Yarn => "yarn",
            Kind::YarnBerry => "yarn-berry",
            Kind::Pnpm => "pnpm",
            Kind::Bun => "bun",
            Kind::Spdx => "spdx",
            Kind::Uv => "uv",
            Kind::Pipfile => "pipfile",
            Kind::Nuget => "nuget",
            Kind::Gradle => "gradle",
            Kind::Gemfile => "gemfile-lock",
            Kind::Poetry => "poetry",
            Kind::Requirements => "requirements",
            Kind::GoSum => "go-sum",
            Kind::Cargo => "cargo",
            Kind::CycloneDx => "cyclonedx",
        }
    }
}

/// Reads a lockfile as text: the one place a UTF-8 byte-order mark is
/// accepted (and removed) for every format, and invalid UTF-8 is located.
pub fn read(path: &Path) -> Result<String, LockError> {
    let bytes = std::fs::read(path).map_err(|e| LockError::new(format!("cannot read: {e}")))?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let before = bytes.get(..e.valid_up_to()).unwrap_or_default();
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            Err(LockError::at(line, column, "not UTF-8 text"))
        }
    }
}

/// Reads `text` (from `path`, which requirements includes are relative to)
/// as `kind`.
pub fn parse(kind: Kind, path: &Path, text: &str) -> Result<Parsed, LockError> {
    if text.trim().is_empty() {
        return Err(LockError::new(
            "the file is empty; an empty lockfile still has its format's header",
        ));
    }
    conflict_marker(text)?;
    let parsed = match kind {
        Kind::Npm => npm::parse(text),
        Kind::Yarn => yarn::parse(text),
        Kind::YarnBerry => yarn_berry::parse(text),
        Kind::Pnpm => pnpm::parse(text),
        Kind::Bun => bun::parse(text),
        Kind::Spdx => spdx_json::parse(text),
        Kind::Uv => uv::parse(text),
        Kind::Pipfile => pipfile::parse(text),
        Kind::Nuget => nuget::parse(text),
        Kind::Gradle => gradle::parse(text),
        Kind::Gemfile => gemfile::parse(text),
        Kind::Poetry => poetry::parse(text),
        Kind::Requirements => requirements::parse(path, text),
        Kind::GoSum => gosum::parse(text),
        Kind::Cargo => cargo::parse(text),
        Kind::CycloneDx => cyclonedx::parse(text),
    }?;
    if parsed.packages.is_empty() && parsed.skipped.is_empty() && !parsed.structure_seen {
        return Err(LockError::new(format!(
            "no packages found: this is not a {} lockfile, or not one this reader knows",
            kind.as_str()
        )));
    }
    Ok(parsed)
}

/// A merge-conflict marker (`<<<<<<<`, `=======`, `>>>>>>>`) means two
/// versions of the file are interleaved: neither can be trusted.
fn conflict_marker(text: &str) -> Result<(), LockError> {
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("<<<<<<<")
            || line.starts_with(">>>>>>>")
            || line.starts_with("|||||||")
            || line == "======="
        {
            return Err(LockError::line(
                i + 1,
                "a merge-conflict marker: resolve the conflict and regenerate the lockfile",
            ));
        }
    }
    Ok(())
}

/// A TOML error with the line and column it points at.
fn toml_error(text: &str, e: &toml::de::Error) -> LockError {
    let (line, column) = e
        .span()
        .map_or((1, 1), |s| position::Lines::new(text).line_col(s.start));
    LockError::at(line, column, e.message().trim())
}

/// A JSON error with its line and column.
fn json_error(e: &serde_json::Error) -> LockError {
    let mut message = e.to_string();
    // serde_json appends " at line L column C"; the prefix says it already.
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    LockError::at(e.line().max(1), e.column().max(1), message)
}
