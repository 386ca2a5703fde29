//! What a package name of each ecosystem can look like, so the lint can tell
//! a pattern that no package of its ecosystem could ever have. Only certain
//! cases are reported: a literal character the registry never allows in a
//! name, or a structure it never has (npm `/` outside a scope, Maven without
//! or with several `:`).

use package_versions::Ecosystem;

use crate::glob::Tok;
use crate::names::allowed_char as allowed;

/// Why no name of `eco` can match the normalized pattern `toks`, when that is certain.
pub(crate) fn impossible(eco: Ecosystem, toks: &[Tok]) -> Option<String> {
    let lits = || {
        toks.iter().filter_map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
    };
    if let Some(c) = lits().find(|c| !allowed(eco, *c)) {
        return Some(format!("`{c}` never occurs in a {eco} package name"));
    }
    let exact = toks.iter().all(|t| matches!(t, Tok::Lit(_)));
    match eco {
        Ecosystem::Npm => {
            let slashes = lits().filter(|c| *c == '/').count();
            let scoped = matches!(toks.first(), Some(Tok::Lit('@')));
            if slashes > 1 || (slashes == 1 && !scoped && exact) {
                return Some(
                    "an npm name has a `/` only after an `@scope` (`@scope/name`)".to_owned(),
                );
            }
            if lits().skip(1).any(|c| c == '@') && exact {
                return Some("an npm name has `@` only at its start (`@scope/name`)".to_owned());
            }
        }
        Ecosystem::Maven => {
            let colons = lits().filter(|c| *c == ':').count();
            if colons > 1 {
                return Some("a Maven name has exactly one `:` (`group:artifact`)".to_owned());
            }
            if colons == 0 && exact {
                return Some("a Maven name is `group:artifact`, with a `:`".to_owned());
            }
        }
        Ecosystem::Golang => {
            let host: String = toks
                .iter()
                .map_while(|t| match t {
                    Tok::Lit(c) if *c != '/' => Some(*c),
                    _ => None,
                })
                .collect();
            if host.chars().any(|c| c.is_ascii_uppercase()) {
                return Some(format!(
                    "a Go module path's first element (the host) is lowercase, not `{host}`"
                ));
            }
        }
        _ => {}
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::Glob;

    fn bad(eco: Ecosystem, p: &str) -> bool {
        let g = Glob::parse(p, 1024, 16).unwrap();
        impossible(eco, &g.normalized(Some(eco))).is_some()
    }

    #[test]
    fn impossible_names() {
        assert!(bad(Ecosystem::Pypi, "@acme/*"));
        assert!(bad(Ecosystem::Cargo, "serde/derive"));
        assert!(bad(Ecosystem::Maven, "log4j-core"));
        assert!(bad(Ecosystem::Maven, "a:b:c"));
        assert!(bad(Ecosystem::Npm, "lodash/fp"));
        assert!(bad(Ecosystem::Rubygems, "rails™"));
        assert!(!bad(Ecosystem::Npm, "@acme/*"));
        assert!(!bad(Ecosystem::Maven, "com.acme.*"));
        assert!(!bad(Ecosystem::Maven, "org.apache:log4j-core"));
        assert!(!bad(Ecosystem::Pypi, "Zope.Interface"));
        assert!(!bad(Ecosystem::Golang, "github.com/acme/*"));
        assert!(bad(Ecosystem::Golang, "GitHub.com/acme/*"));
        assert!(!bad(Ecosystem::Golang, "example.com/Acme/*"));
        assert!(!bad(Ecosystem::Nuget, "Newtonsoft.Json"));
    }
}
