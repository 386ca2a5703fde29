//! Package names: the one home of name normalization (POLICY_SPEC §2) and of
//! what each ecosystem accepts as a canonical name. Requests, rule patterns
//! (`glob.rs`), the reference evaluator, the lint, the CLI and the gem all go
//! through these functions, so a name cannot be read two ways.
//!
//! A name that its registry would never hold (a Maven group with a `/`, an npm
//! name with a second `/`, a Go path with `..`) is an error, never another
//! package: see docs/decisions/canonical-identities.md.

use std::borrow::Cow;

use package_versions::Ecosystem;

mod golang;
mod npm;
mod rubygems;

pub(crate) use golang::host_folds_case;
pub use golang::CASE_INSENSITIVE_HOSTS;
pub use rubygems::split_platform as split_rubygems_platform;

/// How each character of a name is normalized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CharMap {
    /// npm, RubyGems, Maven, Go on other hosts: as written.
    Exact,
    /// PEP 503: ASCII lowercase, `.` and `_` become `-` (runs collapse).
    Pypi,
    /// Lowercase, `_` becomes `-`.
    Cargo,
    /// .NET's invariant lowercasing.
    Nuget,
    /// Go paths on case-insensitive hosts.
    AsciiLower,
}

impl CharMap {
    /// The map for `name` in `eco` (a Go path's host decides its case).
    pub(crate) fn of(eco: Ecosystem, name: &str) -> CharMap {
        match eco {
            Ecosystem::Golang if golang::folds_case(name) => CharMap::AsciiLower,
            other => CharMap::of_ecosystem(other),
        }
    }

    /// The map of `eco` regardless of the name (Go: exact).
    pub(crate) fn of_ecosystem(eco: Ecosystem) -> CharMap {
        match eco {
            Ecosystem::Pypi => CharMap::Pypi,
            Ecosystem::Cargo => CharMap::Cargo,
            Ecosystem::Nuget => CharMap::Nuget,
            _ => CharMap::Exact,
        }
    }

    /// One character normalized: always exactly one character, so patterns
    /// normalize literal by literal as names do.
    pub(crate) fn map(self, c: char) -> char {
        match self {
            CharMap::Exact => c,
            CharMap::Pypi if matches!(c, '-' | '_' | '.') => '-',
            CharMap::Pypi | CharMap::AsciiLower => c.to_ascii_lowercase(),
            CharMap::Cargo if c == '_' => '-',
            CharMap::Cargo | CharMap::Nuget => lower_invariant(c),
        }
    }

    /// Whether letter case is folded (class ranges `[A-Z]` become `[a-z]`).
    pub(crate) fn folds_case(self) -> bool {
        self != CharMap::Exact
    }

    /// PyPI collapses a run of separators into one `-`.
    pub(crate) fn collapses_separators(self) -> bool {
        self == CharMap::Pypi
    }
}

/// .NET's `ToLowerInvariant` for one character: Unicode's simple (one to one)
/// lowercase mapping, except that U+0130 `İ` stays itself (dotnet/runtime,
/// `GlobalizationNative_ChangeCaseInvariant`, matching Windows' invariant
/// culture). Rust's `char::to_lowercase` is the full mapping, which turns `İ`
/// into two characters `i̇`; it is the only character whose full lowercase
/// mapping is longer than one.
fn lower_invariant(c: char) -> char {
    if c == '\u{130}' {
        return c;
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The per-ecosystem normalization of POLICY_SPEC §2, for names already
/// checked by [`canonical`] (and for display of others).
pub fn normalize(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    let map = CharMap::of(ecosystem, name);
    if map == CharMap::Exact {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let n = map.map(c);
        if map.collapses_separators() && n == '-' && out.ends_with('-') {
            continue;
        }
        out.push(n);
    }
    Cow::Owned(out)
}

/// `name` checked against its ecosystem's rules and normalized: the name the
/// engine compares. The error says why `name` is no name of `ecosystem`.
pub fn canonical(ecosystem: Ecosystem, name: &str) -> Result<String, String> {
    check(ecosystem, name)?;
    Ok(normalize(ecosystem, name).into_owned())
}

/// Why `name` is not a name of `ecosystem`, if it is not.
pub fn check(ecosystem: Ecosystem, name: &str) -> Result<(), String> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "`{name}` is empty or has whitespace or control characters"
        ));
    }
    // Registries other than NuGet accept ASCII names only, so a non-ASCII
    // name there names no package: refused rather than compared, which also
    // keeps look-alikes (Cyrillic `е`, full-width letters) away from any
    // registry that might fold them. NuGet ids may hold Unicode letters.
    if ecosystem != Ecosystem::Nuget && !name.is_ascii() {
        return Err(format!(
            "`{name}` is not ASCII; {ecosystem} package names are"
        ));
    }
    match ecosystem {
        Ecosystem::Npm => npm::check(name),
        Ecosystem::Maven => check_maven(name),
        Ecosystem::Golang => golang::check(name),
        _ => match name.chars().find(|c| !allowed_char(ecosystem, *c)) {
            Some(c) => Err(format!(
                "`{name}`: `{c}` never occurs in a {ecosystem} name"
            )),
            None => Ok(()),
        },
    }
}

/// The characters a registry allows in a name besides ASCII letters and
/// digits (separators included), before normalization. The lint uses the
/// same table to call a pattern impossible.
pub(crate) fn allowed_char(eco: Ecosystem, c: char) -> bool {
    if eco == Ecosystem::Nuget {
        return c.is_alphanumeric() || matches!(c, '.' | '_' | '-');
    }
    c.is_ascii_alphanumeric()
        || match eco {
            Ecosystem::Npm => npm::allowed(c) || matches!(c, '@' | '/'),
            Ecosystem::Pypi | Ecosystem::Rubygems | Ecosystem::Maven => {
                matches!(c, '.' | '_' | '-') || (eco == Ecosystem::Maven && c == ':')
            }
            Ecosystem::Cargo => matches!(c, '_' | '-'),
            Ecosystem::Golang => golang::allowed(c) || c == '/',
            Ecosystem::Nuget => false,
        }
}

/// Maven coordinates `group:artifact`, each part of `[A-Za-z0-9_.-]` as
/// Maven's model validator requires: so no `/` can smuggle in a path.
fn check_maven(name: &str) -> Result<(), String> {
    let Some((group, artifact)) = name.split_once(':') else {
        return Err(format!("`{name}`: a Maven name is `group:artifact`"));
    };
    for (part, what) in [(group, "group"), (artifact, "artifact")] {
        if part.is_empty() {
            return Err(format!("`{name}`: the Maven {what} is empty"));
        }
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(format!(
                "`{name}`: `{c}` never occurs in a Maven {what} (letters, digits, `.`, `_`, `-`)"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nuget_lowercases_as_dotnet_invariant_culture() {
        // U+0130 stays one character, itself (dotnet/runtime pal_casing.c).
        assert_eq!(normalize(Ecosystem::Nuget, "\u{130}x"), "\u{130}x");
        assert_eq!(normalize(Ecosystem::Nuget, "ΑΣ.Εvil"), "ασ.εvil");
        assert_eq!(
            normalize(Ecosystem::Nuget, "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        // Every character maps to exactly one.
        for c in ['\u{130}', 'ǅ', 'Σ', 'ẞ', 'K'] {
            assert_eq!(
                normalize(Ecosystem::Nuget, &c.to_string()).chars().count(),
                1
            );
        }
    }

    #[test]
    fn maven_coordinates() {
        assert!(check(Ecosystem::Maven, "org.apache.logging.log4j:log4j-core").is_ok());
        for bad in [
            "org/apache:x",
            "org.apache:x/y",
            "log4j-core",
            ":x",
            "g:",
            "a:b:c",
        ] {
            assert!(check(Ecosystem::Maven, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pypi_runs_collapse() {
        assert_eq!(
            normalize(Ecosystem::Pypi, "Zope._-Interface"),
            "zope-interface"
        );
        assert_eq!(normalize(Ecosystem::Cargo, "Foo_Bar"), "foo-bar");
        assert_eq!(normalize(Ecosystem::Npm, "Foo_Bar"), "Foo_Bar");
    }
}
