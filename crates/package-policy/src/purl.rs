//! Package URLs (purl), parsed and built per the package-url specification,
//! including the type-specific rules its test suite checks (case folding,
//! required or prohibited namespaces, required qualifiers).
//!
//! Written here rather than taken from the `packageurl` crate: that crate
//! passes 562 of the 586 purl-spec tests (it lacks the type rules of brew, cpan,
//! git, swift and vscode-extension). See docs/security.md for the corpus result.

use std::collections::BTreeMap;
use std::fmt;

use thiserror::Error;

/// A purl that does not follow the specification.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
#[error("{message}")]
pub struct PurlError {
    message: String,
}

impl PurlError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    pub fn message(&self) -> &str {
        &self.message
    }
}

/// The components of a package URL, normalized for its type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Purl {
    ty: String,
    namespace: Option<String>,
    name: String,
    version: Option<String>,
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
}

/// Components as a caller supplies them, before validation (the "build" side).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurlParts {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    pub qualifiers: BTreeMap<String, String>,
    pub subpath: Option<String>,
}

impl Purl {
    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath`.
    pub fn parse(input: &str) -> Result<Purl, PurlError> {
        let (rest, subpath) = match input.rsplit_once('#') {
            Some((r, s)) => (r, clean_subpath(s)?),
            None => (input, None),
        };
        let (rest, qualifiers) = match rest.rsplit_once('?') {
            Some((r, q)) => (r, parse_qualifiers(q)?),
            None => (rest, BTreeMap::new()),
        };
        let (scheme, rest) = rest
            .split_once(':')
            .ok_or_else(|| PurlError::new("missing the `pkg:` scheme"))?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return Err(PurlError::new(format!("scheme `{scheme}` is not `pkg`")));
        }
        let rest = rest.trim_start_matches('/');
        let (ty, rest) = rest
            .split_once('/')
            .ok_or_else(|| PurlError::new("missing the type or the name"))?;
        // The version follows the last `@` of the last segment: `@` may start an
        // npm scope (`@babel/core`) and may appear inside a brew name (`node@20`).
        let last_slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (path, version) = match rest.get(last_slash..).and_then(|s| s.rfind('@')) {
            Some(at) => {
                let at = last_slash + at;
                let v = rest.get(at + 1..).unwrap_or_default();
                (rest.get(..at).unwrap_or_default(), Some(decode(v)?))
            }
            None => (rest, None),
        };
        // A trailing `/` leaves an empty name (an error), as the spec's tests expect.
        let split = if ty.eq_ignore_ascii_case("git") {
            // git: the namespace is the host; the name is the repository path.
            path.trim_start_matches('/').split_once('/')
        } else {
            path.rsplit_once('/')
        };
        let (namespace, name) = match split {
            Some((ns, n)) => (Some(ns), n),
            None => (None, path),
        };
        let namespace = match namespace {
            None => None,
            Some(ns) => {
                let segments = ns
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(decode_segment)
                    .collect::<Result<Vec<_>, _>>()?;
                (!segments.is_empty()).then(|| segments.join("/"))
            }
        };
        Purl::build(PurlParts {
            ty: ty.to_owned(),
            namespace,
            name: name
                .split('/')
                .filter(|seg| !seg.is_empty())
                .map(decode_segment)
                .collect::<Result<Vec<_>, _>>()?
                .join("/"),
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
            subpath,
        })
    }

    /// Validates and normalizes components (the specification's "build").
    pub fn build(parts: PurlParts) -> Result<Purl, PurlError> {
        let ty = parts.ty.to_ascii_lowercase();
        validate_type(&ty)?;
        for key in parts.qualifiers.keys() {
            validate_qualifier_key(key)?;
        }
        let rules = TypeRules::of(&ty);
        let namespace = parts
            .namespace
            .map(|ns| ns.trim_matches('/').to_owned())
            .filter(|ns| !ns.is_empty());
        let mut namespace = match namespace {
            Some(ns) if rules.lowercase_namespace => Some(ns.to_lowercase()),
            other => other,
        };
        match (rules.namespace, &namespace) {
            (Requirement::Required, None) => {
                return Err(PurlError::new(format!("type `{ty}` requires a namespace")))
            }
            (Requirement::Prohibited, Some(_)) => {
                return Err(PurlError::new(format!("type `{ty}` has no namespace")))
            }
            _ => {}
        }
        let mut name = parts.name;
        if name.is_empty() {
            return Err(PurlError::new("the name is required"));
        }
        let mut version = parts.version.filter(|v| !v.is_empty());
        let qualifiers: BTreeMap<String, String> = parts
            .qualifiers
            .into_iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        match ty.as_str() {
            "pypi" => name = name.to_lowercase().replace('_', "-"),
            // Databricks registries are case-insensitive, Azure ML ones are not.
            "mlflow"
                if qualifiers
                    .get("repository_url")
                    .is_some_and(|u| u.contains("azuredatabricks.net")) =>
            {
                name = name.to_lowercase();
            }
            "huggingface" => version = version.map(|v| v.to_lowercase()),
            "cpan" => {
                if name.contains("::") {
                    return Err(PurlError::new(
                        "a cpan name is a distribution name (`URI-PackageURL`), not a module name (`URI::PackageURL`)",
                    ));
                }
                namespace = namespace.map(|ns| ns.to_uppercase());
            }
            "chrome-extension" => {
                if name.len() != 32 || !name.bytes().all(|b| (b'a'..=b'p').contains(&b)) {
                    return Err(PurlError::new(
                        "a chrome-extension name is 32 characters from a to p",
                    ));
                }
                if let Some(v) = &version {
                    let parts: Vec<&str> = v.split('.').collect();
                    if parts.len() > 4
                        || parts
                            .iter()
                            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
                    {
                        return Err(PurlError::new(
                            "a chrome-extension version is one to four dot-separated integers",
                        ));
                    }
                }
            }
            _ => {}
        }
        if rules.lowercase_name {
            name = name.to_lowercase();
        }
        for key in rules.required_qualifiers {
            if !qualifiers.contains_key(*key) {
                return Err(PurlError::new(format!(
                    "type `{ty}` requires the `{key}` qualifier"
                )));
            }
        }
        if rules.version_required && version.is_none() {
            return Err(PurlError::new(format!("type `{ty}` requires a version")));
        }
        let subpath = match parts.subpath {
            Some(s) => {
                let segments: Vec<&str> = s
                    .split('/')
                    .filter(|seg| !matches!(*seg, "" | "." | ".."))
                    .collect();
                (!segments.is_empty()).then(|| segments.join("/"))
            }
            None => None,
        };
        Ok(Purl {
            ty,
            namespace,
            name,
            version,
            qualifiers,
            subpath,
        })
    }

    /// The type, lowercase (`npm`, `maven`, ...).
    pub fn ty(&self) -> &str {
        &self.ty
    }

    /// Decoded namespace segments joined by `/`.
    pub fn namespace(&self) -> Option<&str> {
        self.namespace.as_deref()
    }

    /// The decoded name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The decoded version.
    pub fn version(&self) -> Option<&str> {
        self.version.as_deref()
    }

    pub fn qualifiers(&self) -> &BTreeMap<String, String> {
        &self.qualifiers
    }

    pub fn subpath(&self) -> Option<&str> {
        self.subpath.as_deref()
    }
}

impl fmt::Display for Purl {
    /// The canonical form: lowercase type, sorted qualifiers, percent-encoding
    /// of everything outside `A-Za-z0-9.-_~:`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/') {
                write!(f, "{}/", Encoded(seg))?;
            }
        }
        // A git name is a repository path; elsewhere a `/` in the name is encoded.
        if self.ty == "git" {
            for (i, seg) in self.name.split('/').enumerate() {
                if i > 0 {
                    f.write_str("/")?;
                }
                write!(f, "{}", Encoded(seg))?;
            }
        } else {
            write!(f, "{}", Encoded(&self.name))?;
        }
        if let Some(v) = &self.version {
            write!(f, "@{}", Encoded(v))?;
        }
        let mut sep = '?';
        for (k, v) in &self.qualifiers {
            write!(f, "{sep}{k}={}", Encoded(v))?;
            sep = '&';
        }
        if let Some(s) = &self.subpath {
            f.write_str("#")?;
            for (i, seg) in s.split('/').enumerate() {
                if i > 0 {
                    f.write_str("/")?;
                }
                write!(f, "{}", Encoded(seg))?;
            }
        }
        Ok(())
    }
}

struct Encoded<'a>(&'a str);

impl fmt::Display for Encoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0.bytes() {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
                write!(f, "{}", char::from(b))?;
            } else {
                write!(f, "%{b:02X}")?;
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Requirement {
    Optional,
    Required,
    Prohibited,
}

/// The type-specific rules of the purl-spec type definitions that change
/// parsing or validation.
struct TypeRules {
    namespace: Requirement,
    lowercase_namespace: bool,
    lowercase_name: bool,
    version_required: bool,
    required_qualifiers: &'static [&'static str],
}

impl TypeRules {
    fn of(ty: &str) -> TypeRules {
        let mut r = TypeRules {
            namespace: Requirement::Optional,
            lowercase_namespace: false,
            lowercase_name: false,
            version_required: false,
            required_qualifiers: &[],
        };
        match ty {
            "alpm" | "apk" | "bitbucket" | "composer" | "deb" | "github" | "gitlab" | "hex"
            | "git" => {
                r.lowercase_namespace = true;
                r.lowercase_name = true;
            }
            "brew" | "bitnami" | "pub" | "oci" => r.lowercase_name = true,
            "rpm" | "qpkg" => r.lowercase_namespace = true,
            "vscode-extension" | "maven" => r.namespace = Requirement::Required,
            "cran" => r.version_required = true,
            "swift" => {
                r.namespace = Requirement::Required;
                r.version_required = true;
            }
            "julia" => r.required_qualifiers = &["uuid"],
            "swid" => r.required_qualifiers = &["tag_id"],
            "otp" | "vcpkg" | "chrome-extension" | "cargo" | "gem" | "nuget" | "pypi" => {
                r.namespace = Requirement::Prohibited
            }
            _ => {}
        }
        if ty == "brew" {
            r.lowercase_namespace = true;
        }
        if ty == "oci" {
            r.namespace = Requirement::Prohibited;
        }
        r
    }
}

fn validate_type(ty: &str) -> Result<(), PurlError> {
    let mut bytes = ty.bytes();
    match bytes.next() {
        None => return Err(PurlError::new("the type is required")),
        Some(b) if !b.is_ascii_alphabetic() => {
            return Err(PurlError::new(format!(
                "type `{ty}` must start with a letter"
            )))
        }
        Some(_) => {}
    }
    if !bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+')) {
        return Err(PurlError::new(format!(
            "type `{ty}` may only hold letters, digits, `.`, `-` and `+`"
        )));
    }
    Ok(())
}

fn validate_qualifier_key(key: &str) -> Result<(), PurlError> {
    let ok = key.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
        && key.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        });
    if !ok {
        return Err(PurlError::new(format!(
            "qualifier key `{key}` must be lowercase letters, digits, `.`, `-` or `_`, starting with a letter"
        )));
    }
    Ok(())
}

fn parse_qualifiers(q: &str) -> Result<BTreeMap<String, String>, PurlError> {
    let mut out = BTreeMap::new();
    for pair in q.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| PurlError::new(format!("qualifier `{pair}` has no `=`")))?;
        validate_qualifier_key(key)?;
        let value = decode(value)?;
        if value.is_empty() {
            continue;
        }
        if out.insert(key.to_owned(), value).is_some() {
            return Err(PurlError::new(format!("qualifier `{key}` appears twice")));
        }
    }
    Ok(out)
}

fn clean_subpath(s: &str) -> Result<Option<String>, PurlError> {
    // Dot segments go whether written plainly or encoded (`%2E%2E`), so the
    // canonical form parses back to the same subpath.
    let mut segments = Vec::new();
    for seg in s.split('/') {
        let seg = decode_segment(seg)?;
        if !matches!(seg.as_str(), "" | "." | "..") {
            segments.push(seg);
        }
    }
    Ok((!segments.is_empty()).then(|| segments.join("/")))
}

/// A decoded path segment must not smuggle in a separator.
fn decode_segment(s: &str) -> Result<String, PurlError> {
    let d = decode(s)?;
    if d.contains('/') {
        return Err(PurlError::new(format!("segment `{s}` decodes to a `/`")));
    }
    Ok(d)
}

/// Percent-decoding; a malformed escape or invalid UTF-8 is an error, never
/// passed through.
pub(crate) fn decode(s: &str) -> Result<String, PurlError> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = |j: usize| bytes.get(j).and_then(|c| char::from(*c).to_digit(16));
            match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h * 16 + l).unwrap_or(0));
                    i += 3;
                }
                _ => {
                    return Err(PurlError::new(format!(
                        "`{s}` has a malformed percent escape at byte {i}"
                    )))
                }
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PurlError::new(format!("`{s}` decodes to invalid UTF-8")))
}
