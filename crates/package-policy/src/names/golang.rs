//! Go module paths, checked as `golang.org/x/mod/module.CheckPath` does, less
//! two rules: the Windows file-name rules (reserved names like `CON`), and the
//! dot required in the first element (SBOMs name the standard library
//! `stdlib`). See docs/decisions/canonical-identities.md.

/// Hosts that resolve repository paths whatever their letter case: a module
/// path there is compared in lowercase, so a deny on one spelling holds for all.
pub const CASE_INSENSITIVE_HOSTS: [&str; 3] = ["github.com", "gitlab.com", "bitbucket.org"];

/// Characters of a path element besides ASCII letters and digits.
pub(super) fn allowed(c: char) -> bool {
    matches!(c, '-' | '.' | '_' | '~')
}

/// Whether a path on `host` (its first element) is compared in lowercase.
pub(crate) fn host_folds_case(host: &str) -> bool {
    CASE_INSENSITIVE_HOSTS.contains(&host)
}

pub(super) fn folds_case(path: &str) -> bool {
    host_folds_case(path.split('/').next().unwrap_or(path))
}

pub(super) fn check(path: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("`{path}` is not a Go module path: {why}"));
    if path.contains('!') {
        // Rejected rather than decoded: the escaped form appears only in proxy
        // URLs and cache directories, never in go.mod or go.sum.
        return bad(
            "`!` is the module proxy's case-encoding (`!a` for `A`); write the path as go.mod does",
        );
    }
    if path.starts_with('/') || path.ends_with('/') {
        return bad("a leading or trailing `/`");
    }
    for (i, elem) in path.split('/').enumerate() {
        if elem.is_empty() {
            return bad("an empty path element (`//`)");
        }
        if elem.bytes().all(|b| b == b'.') {
            return bad("a `.` or `..` element");
        }
        if elem.starts_with('.') || elem.ends_with('.') {
            return bad("a path element starts or ends with `.`");
        }
        if let Some(c) = elem
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || allowed(*c)))
        {
            return bad(&format!("`{c}` never occurs in a module path"));
        }
        if i == 0 {
            if elem.starts_with('-') {
                return bad("the first element starts with `-`");
            }
            if elem
                .bytes()
                .any(|b| b.is_ascii_uppercase() || matches!(b, b'_' | b'~'))
            {
                return bad("the first element (the host) holds only lowercase letters, digits, `.` and `-`");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_paths() {
        for ok in [
            "github.com/Azure/azure-sdk-for-go",
            "gopkg.in/yaml.v3",
            "golang.org/x/net",
            "stdlib",
            "k8s.io/api",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "github.com/x/../y",
            "github.com/x/./y",
            "github.com//x",
            "github.com/x/",
            "/github.com/x",
            "github.com/!azure/x",
            "GitHub.com/x",
            "github.com/x/.y",
            "github.com/x/y.",
            "github.com/x y",
            "github.com/x%2Fy",
            "-x.com/y",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn case_insensitive_hosts() {
        assert!(folds_case("github.com/Evil/x"));
        assert!(folds_case("bitbucket.org/a"));
        assert!(!folds_case("example.com/Evil/x"));
        assert!(!folds_case("github.com.evil.example/x"));
    }
}
