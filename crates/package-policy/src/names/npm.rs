//! npm package names as the registry accepts them (the rules of
//! `validate-npm-package-name`, legacy names included): `name` or
//! `@scope/name`, each part URL-safe (what `encodeURIComponent` leaves alone)
//! and not starting with `.` or `_`. Upper case is allowed: old packages have it.

/// URL-safe characters besides ASCII letters and digits.
pub(super) fn allowed(c: char) -> bool {
    matches!(c, '-' | '_' | '.' | '!' | '~' | '*' | '\'' | '(' | ')')
}

pub(super) fn check(name: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("`{name}` is not an npm package name: {why}"));
    let parts: Vec<&str> = match name.strip_prefix('@') {
        Some(scoped) => match scoped.split_once('/') {
            Some((scope, base)) if !base.contains('/') => vec![scope, base],
            Some(_) => return bad("a `/` beyond the one after its `@scope`"),
            None => return bad("an `@scope` without `/name`"),
        },
        None if name.contains('/') => return bad("a `/` without an `@scope`"),
        None => vec![name],
    };
    for part in parts {
        if part.is_empty() {
            return bad("an empty scope or name");
        }
        if part.starts_with('.') || part.starts_with('_') {
            return bad("a scope or name starts with `.` or `_`");
        }
        if let Some(c) = part
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || allowed(*c)))
        {
            return bad(&format!("`{c}` is not URL-safe"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_scopes() {
        for ok in [
            "lodash",
            "@babel/core",
            "JSONStream",
            "lodash.merge",
            "@a/b-c_d",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "@acme/evil/x",
            "evil/x",
            "@acme",
            "@/x",
            "@acme/",
            "..",
            "@acme/..",
            ".bin",
            "%65vil",
            "@acme/ev@il",
            "a:b",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
