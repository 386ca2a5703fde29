//! RubyGems versions with a platform: Bundler writes `1.17.4-x86_64-linux-gnu`
//! (`version-platform`, split at the first `-`, as `Gem::Platform#to_s` makes
//! it), and SBOM tools copy that into purls. A plain `Gem::Version` reads `-`
//! as a pre-release (`1.0-rc1` is `1.0.pre.rc1`), so the suffix is a platform
//! only when it looks like one `Gem::Platform.new` recognizes: a known CPU
//! first, or a known operating system anywhere. `eval` and `scan` both read
//! versions through [`split_platform`].

/// Operating-system words of `Gem::Platform.new` (lib/rubygems/platform.rb).
const OPERATING_SYSTEMS: [&str; 18] = [
    "aix",
    "cygwin",
    "darwin",
    "macruby",
    "freebsd",
    "hpux",
    "java",
    "jruby",
    "dalvik",
    "dotnet",
    "linux",
    "mingw",
    "mswin",
    "netbsdelf",
    "openbsd",
    "bitrig",
    "solaris",
    "wasi",
];

/// CPU names that start a platform (`x86_64-linux`, `arm64-darwin`, `universal-java-17`).
fn is_cpu(s: &str) -> bool {
    let i86 = s.len() == 4
        && s.starts_with('i')
        && s.ends_with("86")
        && s.as_bytes().get(1).is_some_and(u8::is_ascii_digit);
    i86 || matches!(
        s,
        "x86"
            | "x86_64"
            | "x64"
            | "amd64"
            | "arm"
            | "arm64"
            | "aarch64"
            | "universal"
            | "ia64"
            | "riscv64"
            | "loongarch64"
    ) || ["armv", "powerpc", "ppc", "s390", "sparc", "mips"]
        .iter()
        .any(|p| s.starts_with(p))
}

fn is_platform(s: &str) -> bool {
    let mut parts = s.split('-');
    parts.next().is_some_and(is_cpu)
        || s.split('-')
            .any(|p| OPERATING_SYSTEMS.iter().any(|os| p.starts_with(os)))
}

/// Splits a RubyGems `version[-platform]` into the version and the platform
/// (`"1.13.10-java"` → `("1.13.10", Some("java"))`). A suffix that is no
/// platform stays part of the version (`"1.0-rc1"`, a pre-release).
pub fn split_platform(text: &str) -> (&str, Option<&str>) {
    match text.split_once('-') {
        Some((version, platform)) if is_platform(platform) => (version, Some(platform)),
        _ => (text, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_bundler_writes() {
        for (text, version, platform) in [
            (
                "1.17.4-x86_64-linux-gnu",
                "1.17.4",
                Some("x86_64-linux-gnu"),
            ),
            ("1.13.10-java", "1.13.10", Some("java")),
            ("2.0.0-arm64-darwin", "2.0.0", Some("arm64-darwin")),
            ("1.16.0-x64-mingw-ucrt", "1.16.0", Some("x64-mingw-ucrt")),
            ("1.15.5-x86-mingw32", "1.15.5", Some("x86-mingw32")),
            (
                "9.4.3.0-universal-java-17",
                "9.4.3.0",
                Some("universal-java-17"),
            ),
            (
                "1.0.0-aarch64-linux-musl",
                "1.0.0",
                Some("aarch64-linux-musl"),
            ),
            ("1.0.0-i686-linux", "1.0.0", Some("i686-linux")),
            ("1.0.0", "1.0.0", None),
            ("1.0-rc1", "1.0-rc1", None),
            ("1.0.0-beta-2", "1.0.0-beta-2", None),
        ] {
            assert_eq!(split_platform(text), (version, platform), "{text}");
        }
    }
}
