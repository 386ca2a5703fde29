//! npm-style sources (package-lock, yarn, pnpm, bun): which entries come from
//! a registry, and which package a registry tarball URL holds.

use super::SkipReason;

/// The package of a registry tarball URL: `<registry>/<name>/-/<base>-<version>.tgz`
/// (npm's layout, which Verdaccio, Artifactory and Nexus follow), with a scope
/// as `@scope/name` or `@scope%2fname`. The URL is what is installed, so it
/// names the package, whatever key or alias the lockfile files it under.
pub fn registry_tarball(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let rest = rest.split(['#', '?']).next()?;
    let (before, file) = rest.rsplit_once("/-/")?;
    let file = file.strip_suffix(".tgz")?;
    let (_host, path) = before.split_once('/')?;
    let mut segments = path.rsplit('/');
    let last = decode(segments.next()?);
    let name = if last.starts_with('@') && last.contains('/') {
        last
    } else {
        match segments.next() {
            Some(scope) if scope.starts_with('@') => format!("{}/{last}", decode(scope)),
            _ => last,
        }
    };
    let base = name.rsplit('/').next()?;
    let version = file.strip_prefix(base)?.strip_prefix('-')?;
    (!version.is_empty() && !base.is_empty() && !file.contains('/'))
        .then(|| (name.clone(), version.to_owned()))
}

/// Why a dependency spec or resolved source is not a registry package, when it
/// is not: git repositories (URLs, `github:` and `user/repo` shorthands),
/// local paths, links, and other URLs.
pub fn non_registry(spec: &str) -> Option<SkipReason> {
    const GIT: [&str; 8] = [
        "git+",
        "git:",
        "git@",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
        "git://",
    ];
    const PATH: [&str; 6] = ["file:", "./", "../", "/", "~/", "portal:"];
    if GIT.iter().any(|p| spec.starts_with(p)) {
        return Some(SkipReason::Git);
    }
    if spec.starts_with("link:") {
        return Some(SkipReason::Link);
    }
    if PATH.iter().any(|p| spec.starts_with(p)) {
        return Some(SkipReason::Path);
    }
    if spec.starts_with("http://") || spec.starts_with("https://") {
        let bare = spec.split(['#', '?']).next().unwrap_or(spec);
        return Some(
            if bare.ends_with(".git") || spec.starts_with("https://codeload.github.com/") {
                SkipReason::Git
            } else {
                SkipReason::Url
            },
        );
    }
    // `user/repo` and `user/repo#ref`: GitHub shorthand.
    let shorthand = !spec.starts_with('@')
        && !spec.contains(':')
        && spec.split('#').next().is_some_and(|r| r.contains('/'));
    shorthand.then_some(SkipReason::Git)
}

fn decode(s: &str) -> String {
    s.replace("%40", "@")
        .replace("%2f", "/")
        .replace("%2F", "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_tarballs_name_their_package() {
        let t = |u: &str| registry_tarball(u);
        assert_eq!(
            t("https://registry.npmjs.org/evil/-/evil-1.0.0.tgz"),
            Some(("evil".into(), "1.0.0".into()))
        );
        assert_eq!(
            t("https://registry.yarnpkg.com/@babel/core/-/core-7.2.0.tgz#abc"),
            Some(("@babel/core".into(), "7.2.0".into()))
        );
        assert_eq!(
            t("https://r.example/api/npm/x/@s%2fb/-/b-1.0.0-rc.1.tgz"),
            Some(("@s/b".into(), "1.0.0-rc.1".into()))
        );
        assert_eq!(t("https://example.com/evil/-/other-1.0.0.tgz"), None);
        assert_eq!(t("https://example.com/files/evil-1.0.0.tgz"), None);
        assert_eq!(t("file:evil-1.0.0.tgz"), None);
    }

    #[test]
    fn sources_that_are_not_registries() {
        let n = non_registry;
        assert_eq!(n("webpack/tooling#v1.28.1"), Some(SkipReason::Git));
        assert_eq!(
            n("git+ssh://git@github.com/a/b.git#abc"),
            Some(SkipReason::Git)
        );
        assert_eq!(n("github:a/b"), Some(SkipReason::Git));
        assert_eq!(n("https://github.com/a/b.git"), Some(SkipReason::Git));
        assert_eq!(n("file:../x"), Some(SkipReason::Path));
        assert_eq!(n("link:../x"), Some(SkipReason::Link));
        assert_eq!(n("https://example.com/x.tgz"), Some(SkipReason::Url));
        assert_eq!(n("^1.2.3"), None);
        assert_eq!(n("npm:real@^1"), None);
        assert_eq!(n("1.x || >=2.5.0"), None);
    }
}
