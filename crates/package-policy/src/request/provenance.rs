//! Provenance facts of a release (how it was built and published) and the
//! `provenance` / `provenance_downgrade` conditions that read them. The one
//! home of the facts' wire schema: [`ProvenanceInput::from_fields`] is what
//! the CLI's JSON, the case files and Ruby's Hashes all go through.
//! See docs/decisions/provenance-trust-order.md.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use crate::error::{CompileError, RequestError, RequestErrorKind};
use crate::glob::Glob;
use crate::limits::Limits;
use crate::one_or_many::OneOrMany;
use crate::request::AttrValue;

/// Who ran the build that published a release (the OIDC identity's platform).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Publisher {
    Github,
    Gitlab,
    Google,
    Other,
}

impl Publisher {
    pub const ALL: [Publisher; 4] = [
        Publisher::Github,
        Publisher::Gitlab,
        Publisher::Google,
        Publisher::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Publisher::Github => "github",
            Publisher::Gitlab => "gitlab",
            Publisher::Google => "google",
            Publisher::Other => "other",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Publisher> {
        Publisher::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for Publisher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The keys of a provenance object, in the order docs list them.
pub const PROVENANCE_KEYS: [&str; 7] = [
    "attested",
    "trusted_publisher",
    "publisher",
    "issuer",
    "repository",
    "workflow",
    "predicate_type",
];

/// Provenance facts as callers give them (every key optional), before
/// validation. Read from the wire by [`ProvenanceInput::from_fields`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvenanceInput {
    /// The release carries a verified provenance attestation.
    pub attested: Option<bool>,
    /// The release was published through a trusted publisher (OIDC, no token).
    pub trusted_publisher: Option<bool>,
    /// `github`, `gitlab`, `google` or `other`.
    pub publisher: Option<String>,
    /// The OIDC issuer URL.
    pub issuer: Option<String>,
    /// The source repository, `host/path` (`github.com/acme/web`).
    pub repository: Option<String>,
    /// The workflow or pipeline path and ref
    /// (`.github/workflows/release.yml@refs/tags/v1.2.3`).
    pub workflow: Option<String>,
    /// The attestation's predicate type URI.
    pub predicate_type: Option<String>,
}

impl ProvenanceInput {
    /// Reads a provenance object given as key/value pairs (JSON, YAML or a
    /// Ruby Hash). An unknown key or a value of the wrong type is an error:
    /// a misspelled fact must never read as absent. `field` names the request
    /// field (`provenance` or `previous_provenance`) in errors.
    pub fn from_fields(
        field: &'static str,
        fields: impl IntoIterator<Item = (String, AttrValue)>,
    ) -> Result<ProvenanceInput, RequestError> {
        let bad = |m: String| RequestError::new(RequestErrorKind::Provenance, field, m);
        let mut out = ProvenanceInput::default();
        for (key, value) in fields {
            let type_error = |want: &str| bad(format!("`{key}` must be {want}, got {value:?}"));
            match (key.as_str(), &value) {
                ("attested", AttrValue::Bool(b)) => out.attested = Some(*b),
                ("trusted_publisher", AttrValue::Bool(b)) => out.trusted_publisher = Some(*b),
                ("attested" | "trusted_publisher", _) => return Err(type_error("true or false")),
                (k, AttrValue::String(s)) if PROVENANCE_KEYS.contains(&k) => {
                    let slot = match k {
                        "publisher" => &mut out.publisher,
                        "issuer" => &mut out.issuer,
                        "repository" => &mut out.repository,
                        "workflow" => &mut out.workflow,
                        _ => &mut out.predicate_type,
                    };
                    *slot = Some(s.clone());
                }
                (k, _) if PROVENANCE_KEYS.contains(&k) => return Err(type_error("a string")),
                _ => {
                    return Err(bad(format!(
                        "unknown key `{key}` (known: {})",
                        PROVENANCE_KEYS.join(", ")
                    )))
                }
            }
        }
        Ok(out)
    }

    /// The object as key/value pairs, only the keys given (the inverse of
    /// [`ProvenanceInput::from_fields`]).
    pub fn to_fields(&self) -> BTreeMap<String, AttrValue> {
        let mut out = BTreeMap::new();
        for (k, v) in [
            ("attested", self.attested),
            ("trusted_publisher", self.trusted_publisher),
        ] {
            if let Some(b) = v {
                out.insert(k.to_owned(), AttrValue::Bool(b));
            }
        }
        for (k, v) in [
            ("publisher", &self.publisher),
            ("issuer", &self.issuer),
            ("repository", &self.repository),
            ("workflow", &self.workflow),
            ("predicate_type", &self.predicate_type),
        ] {
            if let Some(s) = v {
                out.insert(k.to_owned(), AttrValue::String(s.clone()));
            }
        }
        out
    }
}

/// Validated provenance facts of one release.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provenance {
    pub(crate) attested: Option<bool>,
    pub(crate) trusted_publisher: Option<bool>,
    pub(crate) publisher: Option<Publisher>,
    pub(crate) issuer: Option<Box<str>>,
    /// Lower-cased: the forges compare owner and repository names without case.
    pub(crate) repository: Option<Box<str>>,
    pub(crate) workflow: Option<Box<str>>,
    pub(crate) predicate_type: Option<Box<str>>,
}

impl Provenance {
    /// Validates `input` as the request field `field`: strings non-empty,
    /// without whitespace or control characters, within the attribute value
    /// limit; a repository in `host/path` form.
    pub(crate) fn new(
        field: &'static str,
        input: &ProvenanceInput,
        limits: &Limits,
    ) -> Result<Provenance, RequestError> {
        let bad = |m: String| RequestError::new(RequestErrorKind::Provenance, field, m);
        let text = |key: &str, v: &Option<String>| -> Result<Option<Box<str>>, RequestError> {
            let Some(s) = v else { return Ok(None) };
            if s.len() > limits.attribute_value_bytes {
                return Err(RequestError::new(
                    RequestErrorKind::Limit,
                    field,
                    format!(
                        "`{key}` is {} bytes, over the limit of {}",
                        s.len(),
                        limits.attribute_value_bytes
                    ),
                ));
            }
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(bad(format!(
                    "`{key}`: `{s}` is empty or has whitespace or control characters"
                )));
            }
            Ok(Some(Box::from(s.as_str())))
        };
        let publisher = match &input.publisher {
            None => None,
            Some(p) => Some(Publisher::parse(p).ok_or_else(|| {
                bad(format!(
                    "`publisher`: `{p}` is not one of github, gitlab, google, other"
                ))
            })?),
        };
        let repository = text("repository", &input.repository)?;
        if let Some(r) = &repository {
            if r.contains("://") || !r.contains('/') || r.ends_with('/') {
                return Err(bad(format!(
                    "`repository`: `{r}` is not `host/path` (such as `github.com/acme/web`, no scheme)"
                )));
            }
        }
        Ok(Provenance {
            attested: input.attested,
            trusted_publisher: input.trusted_publisher,
            publisher,
            issuer: text("issuer", &input.issuer)?,
            repository: repository.map(|r| Box::from(r.to_lowercase().as_str())),
            workflow: text("workflow", &input.workflow)?,
            predicate_type: text("predicate_type", &input.predicate_type)?,
        })
    }

    pub fn attested(&self) -> Option<bool> {
        self.attested
    }

    pub fn trusted_publisher(&self) -> Option<bool> {
        self.trusted_publisher
    }

    pub fn publisher(&self) -> Option<Publisher> {
        self.publisher
    }

    pub fn issuer(&self) -> Option<&str> {
        self.issuer.as_deref()
    }

    /// The repository, lower-cased.
    pub fn repository(&self) -> Option<&str> {
        self.repository.as_deref()
    }

    pub fn workflow(&self) -> Option<&str> {
        self.workflow.as_deref()
    }

    pub fn predicate_type(&self) -> Option<&str> {
        self.predicate_type.as_deref()
    }

    /// The facts back as an input (repository lower-cased).
    pub fn to_input(&self) -> ProvenanceInput {
        let s = |v: &Option<Box<str>>| v.as_deref().map(str::to_owned);
        ProvenanceInput {
            attested: self.attested,
            trusted_publisher: self.trusted_publisher,
            publisher: self.publisher.map(|p| p.as_str().to_owned()),
            issuer: s(&self.issuer),
            repository: s(&self.repository),
            workflow: s(&self.workflow),
            predicate_type: s(&self.predicate_type),
        }
    }

    /// What the facts show, on the order trusted publisher > attested > none:
    /// only facts stated `true` count, so an absent fact never adds trust.
    pub(crate) fn trust(&self) -> u8 {
        if self.trusted_publisher == Some(true) {
            2
        } else if self.attested == Some(true) {
            1
        } else {
            0
        }
    }
}

/// Whether a release is less trusted than its predecessor: both provenance
/// objects given, and the previous shows more trust, or names a repository
/// the current one does not name (another one, or none).
pub(crate) fn is_downgrade(current: Option<&Provenance>, previous: Option<&Provenance>) -> bool {
    let (Some(cur), Some(prev)) = (current, previous) else {
        return false;
    };
    prev.trust() > cur.trust()
        || prev
            .repository
            .as_ref()
            .is_some_and(|r| cur.repository.as_ref() != Some(r))
}

/// A validated `provenance:` condition: every key given must be present in
/// the request's provenance and match. Globs as written (`G = Glob`) in the
/// layer model; compiled (`G = Arc<GlobNfa>`) in the engine, by
/// [`ProvenanceCond::map_globs`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct ProvenanceCond<G> {
    pub attested: Option<bool>,
    pub trusted_publisher: Option<bool>,
    /// Any of; sorted, without duplicates.
    pub publisher: Option<Vec<Publisher>>,
    pub issuer: Option<Vec<G>>,
    /// Patterns lower-cased, as request repositories are.
    pub repository: Option<Vec<G>>,
    pub workflow: Option<Vec<G>>,
    /// Exact URIs, any of; sorted, without duplicates.
    pub predicate_type: Option<Vec<String>>,
}

/// `provenance:` as written in a layer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProvenanceCond {
    pub attested: Option<bool>,
    pub trusted_publisher: Option<bool>,
    pub publisher: Option<OneOrMany<String>>,
    pub issuer: Option<OneOrMany<String>>,
    pub repository: Option<OneOrMany<String>>,
    pub workflow: Option<OneOrMany<String>>,
    pub predicate_type: Option<OneOrMany<String>>,
}

impl ProvenanceCond<Glob> {
    /// Validates a written condition at `path` (`rules[3].match.provenance`).
    /// `glob` parses one pattern under the layer's limits; `invalid` makes
    /// the layer's error for a path and message.
    pub(crate) fn validate(
        raw: RawProvenanceCond,
        path: &str,
        glob: &dyn Fn(String, &str) -> Result<Glob, CompileError>,
        invalid: &dyn Fn(String, String) -> CompileError,
    ) -> Result<ProvenanceCond<Glob>, CompileError> {
        let empty = raw.attested.is_none()
            && raw.trusted_publisher.is_none()
            && raw.publisher.is_none()
            && raw.issuer.is_none()
            && raw.repository.is_none()
            && raw.workflow.is_none()
            && raw.predicate_type.is_none();
        if empty {
            return Err(invalid(
                path.to_owned(),
                "`provenance: {}` states no fact; give at least one key or omit it".into(),
            ));
        }
        let list = |key: &str, v: OneOrMany<String>| {
            let items = v.indexed();
            if items.is_empty() {
                return Err(invalid(
                    format!("{path}.{key}"),
                    "an empty list never holds; omit the key".into(),
                ));
            }
            Ok(items)
        };
        let plain = |key: &str, sfx: &str, text: &str| {
            if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(invalid(
                    format!("{path}.{key}{sfx}"),
                    format!("`{text}` is empty or has whitespace or control characters"),
                ));
            }
            Ok(())
        };
        let globs = |key: &str,
                     v: Option<OneOrMany<String>>,
                     lower: bool|
         -> Result<Option<Vec<Glob>>, CompileError> {
            let Some(v) = v else { return Ok(None) };
            let mut out = Vec::new();
            for (sfx, text) in list(key, v)? {
                let text = if lower { text.to_lowercase() } else { text };
                out.push(glob(format!("{path}.{key}{sfx}"), &text)?);
            }
            Ok(Some(out))
        };
        let publisher = match raw.publisher {
            None => None,
            Some(v) => {
                let mut ps = Vec::new();
                for (sfx, text) in list("publisher", v)? {
                    ps.push(Publisher::parse(&text).ok_or_else(|| {
                        invalid(
                            format!("{path}.publisher{sfx}"),
                            format!("`{text}` is not one of github, gitlab, google, other"),
                        )
                    })?);
                }
                ps.sort();
                ps.dedup();
                Some(ps)
            }
        };
        let predicate_type = match raw.predicate_type {
            None => None,
            Some(v) => {
                let mut ts = Vec::new();
                for (sfx, text) in list("predicate_type", v)? {
                    plain("predicate_type", &sfx, &text)?;
                    ts.push(text);
                }
                ts.sort();
                ts.dedup();
                Some(ts)
            }
        };
        Ok(ProvenanceCond {
            attested: raw.attested,
            trusted_publisher: raw.trusted_publisher,
            publisher,
            issuer: globs("issuer", raw.issuer, false)?,
            repository: globs("repository", raw.repository, true)?,
            workflow: globs("workflow", raw.workflow, false)?,
            predicate_type,
        })
    }
}

impl<G> ProvenanceCond<G> {
    /// The same condition with each glob turned into a matcher by `compile`.
    pub(crate) fn map_globs<H>(
        &self,
        compile: &mut dyn FnMut(&G) -> Result<H, String>,
    ) -> Result<ProvenanceCond<H>, String> {
        let mut globs = |v: &Option<Vec<G>>| -> Result<Option<Vec<H>>, String> {
            v.as_ref()
                .map(|gs| gs.iter().map(&mut *compile).collect())
                .transpose()
        };
        Ok(ProvenanceCond {
            attested: self.attested,
            trusted_publisher: self.trusted_publisher,
            publisher: self.publisher.clone(),
            issuer: globs(&self.issuer)?,
            repository: globs(&self.repository)?,
            workflow: globs(&self.workflow)?,
            predicate_type: self.predicate_type.clone(),
        })
    }

    /// Every key given is present in `p` and matches; `is_match` matches one
    /// glob against a fact.
    pub(crate) fn holds(
        &self,
        p: Option<&Provenance>,
        is_match: impl Fn(&G, &str) -> bool,
    ) -> bool {
        let Some(p) = p else { return false };
        let flag = |want: Option<bool>, have: Option<bool>| want.is_none_or(|w| have == Some(w));
        let globs = |want: &Option<Vec<G>>, have: &Option<Box<str>>| {
            want.as_ref().is_none_or(|gs| {
                have.as_ref()
                    .is_some_and(|h| gs.iter().any(|g| is_match(g, h)))
            })
        };
        flag(self.attested, p.attested)
            && flag(self.trusted_publisher, p.trusted_publisher)
            && self
                .publisher
                .as_ref()
                .is_none_or(|ps| p.publisher.is_some_and(|h| ps.contains(&h)))
            && globs(&self.issuer, &p.issuer)
            && globs(&self.repository, &p.repository)
            && globs(&self.workflow, &p.workflow)
            && self.predicate_type.as_ref().is_none_or(|ts| {
                p.predicate_type
                    .as_ref()
                    .is_some_and(|h| ts.iter().any(|t| t.as_str() == &**h))
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn prov(fields: &[(&str, AttrValue)]) -> Provenance {
        let input = ProvenanceInput::from_fields(
            "provenance",
            fields.iter().map(|(k, v)| ((*k).to_owned(), v.clone())),
        )
        .unwrap();
        Provenance::new("provenance", &input, &Limits::default()).unwrap()
    }

    #[test]
    fn wire_keys_and_types_are_checked() {
        let e = ProvenanceInput::from_fields(
            "previous_provenance",
            [("atested".to_owned(), AttrValue::Bool(true))],
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.field),
            (RequestErrorKind::Provenance, "previous_provenance")
        );
        assert!(ProvenanceInput::from_fields(
            "provenance",
            [("attested".to_owned(), AttrValue::String("true".into()))]
        )
        .is_err());
        assert!(ProvenanceInput::from_fields(
            "provenance",
            [("repository".to_owned(), AttrValue::Bool(true))]
        )
        .is_err());
        let input = ProvenanceInput {
            repository: Some("https://github.com/a/b".into()),
            ..ProvenanceInput::default()
        };
        assert!(Provenance::new("provenance", &input, &Limits::default()).is_err());
        let input = ProvenanceInput {
            publisher: Some("GitHub".into()),
            ..ProvenanceInput::default()
        };
        assert!(Provenance::new("provenance", &input, &Limits::default()).is_err());
        let input = ProvenanceInput {
            workflow: Some(String::new()),
            ..ProvenanceInput::default()
        };
        assert!(Provenance::new("provenance", &input, &Limits::default()).is_err());
    }

    #[test]
    fn strings_are_limited_like_attribute_values() {
        let limits = Limits::default();
        let at = |n: usize| ProvenanceInput {
            workflow: Some("w".repeat(n)),
            ..ProvenanceInput::default()
        };
        assert!(Provenance::new("provenance", &at(limits.attribute_value_bytes), &limits).is_ok());
        let e = Provenance::new("provenance", &at(limits.attribute_value_bytes + 1), &limits)
            .unwrap_err();
        assert_eq!((e.kind, e.field), (RequestErrorKind::Limit, "provenance"));
    }

    #[test]
    fn fields_round_trip() {
        let input = ProvenanceInput {
            attested: Some(false),
            repository: Some("github.com/a/b".into()),
            ..ProvenanceInput::default()
        };
        assert_eq!(
            ProvenanceInput::from_fields("provenance", input.to_fields()).unwrap(),
            input
        );
    }

    #[test]
    fn downgrades() {
        let tp = prov(&[
            ("trusted_publisher", AttrValue::Bool(true)),
            (
                "repository",
                AttrValue::String("github.com/Acme/Web".into()),
            ),
        ]);
        let att = prov(&[
            ("attested", AttrValue::Bool(true)),
            (
                "repository",
                AttrValue::String("github.com/acme/web".into()),
            ),
        ]);
        let none = prov(&[]);
        assert!(is_downgrade(Some(&att), Some(&tp)));
        assert!(!is_downgrade(Some(&tp), Some(&att)));
        assert!(is_downgrade(Some(&none), Some(&att)), "lost the repository");
        assert!(!is_downgrade(Some(&att), Some(&none)));
        assert!(!is_downgrade(None, Some(&tp)), "current facts missing");
        assert!(!is_downgrade(Some(&none), None), "no previous facts");
        let moved = prov(&[
            ("trusted_publisher", AttrValue::Bool(true)),
            (
                "repository",
                AttrValue::String("github.com/evil/web".into()),
            ),
        ]);
        assert!(is_downgrade(Some(&moved), Some(&tp)));
    }
}
