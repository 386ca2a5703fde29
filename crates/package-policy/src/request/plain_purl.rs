//! The plain package URL `pkg:type/name@version`: no namespace, qualifiers,
//! subpath or percent-escapes, a type whose purl form needs no folding. The
//! common form in SBOMs and lockfiles and the gem's hot path, read here as
//! borrowed slices instead of through `Purl` (no qualifier map, no owned
//! copies). Any other text gives `None` and goes through the full parser;
//! tests/request_purl.rs checks that both paths agree on every input.

use package_versions::Ecosystem;

/// The package a plain purl names, borrowed from the text.
pub(crate) struct PlainPurl<'a> {
    pub ecosystem: Ecosystem,
    pub name: &'a str,
    pub version: Option<&'a str>,
}

/// `text` read as a plain purl, or `None` when only the full parser may
/// read it (which then also reports what is wrong with it).
pub(crate) fn parse(text: &str) -> Option<PlainPurl<'_>> {
    let rest = text.strip_prefix("pkg:")?;
    let (ty, rest) = rest.split_once('/')?;
    // Types with no namespace in the request mapping and no purl-side
    // folding of the name (PyPI's is checked below); Maven and Go always
    // have a namespace, an npm scope is one.
    let ecosystem = match ty {
        "npm" => Ecosystem::Npm,
        "pypi" => Ecosystem::Pypi,
        "gem" => Ecosystem::Rubygems,
        "nuget" => Ecosystem::Nuget,
        "cargo" => Ecosystem::Cargo,
        _ => return None,
    };
    let (name, version) = match rest.rsplit_once('@') {
        Some((n, v)) => (n, Some(v)),
        None => (rest, None),
    };
    let plain = |s: &str, extra: &[u8]| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b) || extra.contains(&b))
    };
    if !plain(name, b"") || !version.is_none_or(|v| plain(v, b"+~")) {
        return None;
    }
    // The purl spec lowercases PyPI names and writes `_` as `-`; a gem
    // version may name a platform, which the `platform` qualifier must
    // agree with: both are the full parser's.
    let folded =
        ecosystem == Ecosystem::Pypi && name.bytes().any(|b| b.is_ascii_uppercase() || b == b'_');
    let gem_platform = ecosystem == Ecosystem::Rubygems && version.is_some_and(|v| v.contains('-'));
    if folded || gem_platform {
        return None;
    }
    Some(PlainPurl {
        ecosystem,
        name,
        version,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::limits::Limits;
    use crate::request::{Request, RequestInput};
    use proptest::prelude::*;
    use proptest::strategy::ValueTree;

    /// Purl-shaped text: mostly plain, with every way of leaving the plain form.
    fn purl_text() -> impl Strategy<Value = String> {
        let ty = prop::sample::select(vec![
            "npm", "npm", "pypi", "gem", "nuget", "cargo", "maven", "golang", "NPM", "pypI",
        ]);
        let prefix =
            prop::sample::select(vec!["pkg:", "pkg:", "pkg:", "pkg:", "PKG:", "pkg:/", "pk:"]);
        let name = prop_oneof![
            3 => "[a-z0-9][a-z0-9.-]{0,8}",
            1 => "[a-zA-Z0-9._-]{0,10}",
            1 => "[a-zA-Z0-9._~+@%/:!-]{0,10}",
        ];
        let version = prop::option::of(prop_oneof![
            3 => "[0-9]{1,2}(\\.[0-9]{1,2}){0,2}(-[a-z0-9.]{1,4})?",
            1 => "[a-zA-Z0-9._~+-]{0,10}",
            1 => "[a-zA-Z0-9._~+%@-]{0,10}",
        ]);
        let tail = prop::sample::select(vec!["", "", "", "", "?platform=java", "#sub", "?a=b#c"]);
        (prefix, ty, name, version, tail).prop_map(|(p, t, n, v, tail)| match v {
            Some(v) => format!("{p}{t}/{n}@{v}{tail}"),
            None => format!("{p}{t}/{n}{tail}"),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// Every input gives the same request, or the same error, through the
        /// fast path as through the full parser; small limits too.
        #[test]
        fn agrees_with_the_full_parser(text in purl_text(), name_limit in 1usize..16) {
            let limits = Limits {
                request_name_bytes: name_limit,
                request_version_bytes: name_limit,
                ..Limits::default()
            };
            let full = RequestInput::from_purl_with_limits(&text, &limits)
                .and_then(|input| Request::with_limits(input, &limits));
            prop_assert_eq!(Request::from_purl_with_limits(&text, &limits), full);
        }
    }

    /// The strategy above reaches the fast path often, and both outcomes of it.
    #[test]
    fn the_agreement_test_exercises_the_fast_path() {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let (mut plain, mut ok, mut err) = (0, 0, 0);
        for _ in 0..2000 {
            let text = purl_text().new_tree(&mut runner).unwrap().current();
            if parse(&text).is_some() {
                plain += 1;
                match Request::from_purl(&text) {
                    Ok(_) => ok += 1,
                    Err(_) => err += 1,
                }
            }
        }
        assert!(plain > 200 && ok > 100 && err > 10, "{plain} {ok} {err}");
    }

    #[test]
    fn reads_only_the_plain_form() {
        let p = parse("pkg:npm/left-pad@1.3.0").map(|p| (p.ecosystem, p.name, p.version));
        assert_eq!(p, Some((Ecosystem::Npm, "left-pad", Some("1.3.0"))));
        let p = parse("pkg:cargo/serde").map(|p| (p.ecosystem, p.name, p.version));
        assert_eq!(p, Some((Ecosystem::Cargo, "serde", None)));
        for full in [
            "pkg:npm/%40acme/web@1.0.0",
            "pkg:npm/@acme/web@1.0.0",
            "pkg:npm/a@1.0.0?x=y",
            "pkg:npm/a@1.0.0#sub",
            "pkg:NPM/a@1.0.0",
            "PKG:npm/a@1.0.0",
            "pkg://npm/a@1.0.0",
            "pkg:npm/a@",
            "pkg:npm/a@1%2E0",
            "pkg:pypi/Django@4.0",
            "pkg:pypi/zope_interface@5.0",
            "pkg:gem/nokogiri@1.16.0-x86_64-linux",
            "pkg:maven/g/a@1.0",
            "pkg:golang/github.com/a/b@v1.0.0",
        ] {
            assert!(parse(full).is_none(), "{full}");
        }
    }
}
