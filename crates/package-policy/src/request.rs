//! Requests: parsed and normalized once, then matched.

use std::borrow::Cow;
use std::collections::BTreeMap;

use jiff::Timestamp;
use package_versions::{Ecosystem, Version};
use serde::Deserialize;

use crate::error::{RequestError, RequestErrorKind};
use crate::license::LicenseExpr;
use crate::limits::Limits;
use crate::purl::Purl;
use check::{check_len, check_request};

mod check;

/// An attribute value; compared with its type (`"true"` is not `true`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(untagged)]
pub enum AttrValue {
    Bool(bool),
    Int(i64),
    String(String),
}

/// A request as callers give it, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInput {
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    pub license: Option<String>,
    pub published_at: Option<Timestamp>,
    pub project: Option<String>,
    pub attributes: BTreeMap<String, AttrValue>,
}

/// A validated, normalized request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub(crate) ecosystem: Ecosystem,
    /// The name normalized per ecosystem.
    pub(crate) name: String,
    pub(crate) version: Option<Version>,
    pub(crate) license: Option<LicenseExpr>,
    pub(crate) published_at: Option<Timestamp>,
    pub(crate) project: Option<String>,
    pub(crate) attributes: BTreeMap<String, AttrValue>,
}

impl Request {
    /// Validates and normalizes `input` under the default limits.
    pub fn new(input: RequestInput) -> Result<Request, RequestError> {
        Request::with_limits(input, &Limits::default())
    }

    /// Validates and normalizes `input` under `limits`.
    pub fn with_limits(input: RequestInput, limits: &Limits) -> Result<Request, RequestError> {
        check_request(&input, limits)?;
        let ecosystem: Ecosystem =
            input
                .ecosystem
                .parse()
                .map_err(|e: package_versions::UnknownEcosystem| {
                    RequestError::new(RequestErrorKind::Ecosystem, "ecosystem", e.to_string())
                })?;
        validate_name(&input.name)?;
        validate_charset(ecosystem, &input.name)?;
        let version = match &input.version {
            None => None,
            Some(v) => Some(Version::parse(ecosystem, v).map_err(|e| {
                RequestError::new(RequestErrorKind::Version, "version", format!("`{v}`: {e}"))
            })?),
        };
        let license = match &input.license {
            None => None,
            Some(l) => Some(LicenseExpr::parse(l).map_err(|e| {
                RequestError::new(
                    RequestErrorKind::License,
                    "license",
                    format!("`{l}` is not a valid SPDX expression: {e}"),
                )
            })?),
        };
        if let Some(p) = &input.project {
            if p.is_empty() || p.chars().any(|c| c.is_whitespace() || c.is_control()) {
                return Err(RequestError::new(
                    RequestErrorKind::Project,
                    "project",
                    format!("`{p}` is empty or has whitespace or control characters"),
                ));
            }
        }
        Ok(Request {
            ecosystem,
            name: normalize_name(ecosystem, &input.name).into_owned(),
            version,
            license,
            published_at: input.published_at,
            project: input.project,
            attributes: input.attributes,
        })
    }

    /// Parses a package URL such as `pkg:npm/%40acme/web@1.2.3` under the
    /// default limits. Qualifiers and subpath are ignored.
    pub fn from_purl(purl: &str) -> Result<Request, RequestError> {
        Request::from_purl_with_limits(purl, &Limits::default())
    }

    /// [`Request::from_purl`] under `limits`.
    pub fn from_purl_with_limits(purl: &str, limits: &Limits) -> Result<Request, RequestError> {
        check_len("purl", purl, limits.purl_bytes)?;
        let input = purl_input(purl)?;
        Request::with_limits(input, limits)
    }

    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn version(&self) -> Option<&Version> {
        self.version.as_ref()
    }

    pub fn license(&self) -> Option<&LicenseExpr> {
        self.license.as_ref()
    }

    pub fn published_at(&self) -> Option<Timestamp> {
        self.published_at
    }

    pub fn project(&self) -> Option<&str> {
        self.project.as_deref()
    }

    pub fn attributes(&self) -> &BTreeMap<String, AttrValue> {
        &self.attributes
    }
}

impl RequestInput {
    /// The package a purl names (ecosystem, name, version) with no other
    /// facts, for callers that add license, publish time, project or
    /// attributes before [`Request::new`]. Default purl length limit.
    pub fn from_purl(purl: &str) -> Result<RequestInput, RequestError> {
        RequestInput::from_purl_with_limits(purl, &Limits::default())
    }

    /// [`RequestInput::from_purl`] under `limits` (an engine's: [`crate::Engine::limits`]).
    pub fn from_purl_with_limits(
        purl: &str,
        limits: &Limits,
    ) -> Result<RequestInput, RequestError> {
        check_len("purl", purl, limits.purl_bytes)?;
        purl_input(purl)
    }
}

/// Maps a purl's components onto a request: the purl type picks the
/// ecosystem and the namespace is folded into the ecosystem's own name form.
fn purl_input(text: &str) -> Result<RequestInput, RequestError> {
    let bad = |m: &str| RequestError::new(RequestErrorKind::Purl, "purl", format!("`{text}`: {m}"));
    let purl = Purl::parse(text).map_err(|e| bad(e.message()))?;
    let ecosystem = Ecosystem::from_purl_type(purl.ty()).ok_or_else(|| {
        bad(&format!(
            "unsupported type `{}` (supported: npm, pypi, maven, gem, golang, nuget, cargo)",
            purl.ty()
        ))
    })?;
    let name = match (ecosystem, purl.namespace()) {
        (_, None) => purl.name().to_owned(),
        (Ecosystem::Npm, Some(scope)) if scope.starts_with('@') && !scope.contains('/') => {
            format!("{scope}/{}", purl.name())
        }
        (Ecosystem::Npm, Some(_)) => {
            return Err(bad("an npm namespace is one scope starting with `@`"))
        }
        (Ecosystem::Maven, Some(group)) => format!("{group}:{}", purl.name()),
        (Ecosystem::Golang, Some(path)) => format!("{path}/{}", purl.name()),
        (_, Some(_)) => return Err(bad(&format!("type `{}` has no namespace", purl.ty()))),
    };
    Ok(RequestInput {
        ecosystem: ecosystem.as_str().to_owned(),
        name,
        version: purl.version().map(str::to_owned),
        ..RequestInput::default()
    })
}

/// Registries other than NuGet accept ASCII names only, so a non-ASCII name
/// there names no package: it is refused rather than compared, which also
/// keeps look-alikes (Cyrillic `е` for Latin `e`, full-width letters) from
/// reaching a registry that might fold them. NuGet ids may hold Unicode letters
/// (real malicious packages use homoglyphs); they are compared exactly after
/// lowercasing, so a deny rule must name the look-alike itself.
fn validate_charset(ecosystem: Ecosystem, name: &str) -> Result<(), RequestError> {
    if ecosystem != Ecosystem::Nuget && !name.is_ascii() {
        return Err(RequestError::new(
            RequestErrorKind::Name,
            "name",
            format!("`{name}` is not ASCII; {ecosystem} package names are"),
        ));
    }
    Ok(())
}

fn validate_name(name: &str) -> Result<(), RequestError> {
    if name.is_empty() || name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(RequestError::new(
            RequestErrorKind::Name,
            "name",
            format!("`{name}` is empty or has whitespace or control characters"),
        ));
    }
    Ok(())
}

/// The per-ecosystem name normalization of POLICY_SPEC §2, applied to request
/// names and to rule patterns alike.
pub fn normalize_name(ecosystem: Ecosystem, name: &str) -> Cow<'_, str> {
    match ecosystem {
        Ecosystem::Pypi => {
            let mut out = String::with_capacity(name.len());
            let mut in_sep = false;
            for c in name.chars() {
                if matches!(c, '-' | '_' | '.') {
                    if !in_sep {
                        out.push('-');
                    }
                    in_sep = true;
                } else {
                    out.push(c.to_ascii_lowercase());
                    in_sep = false;
                }
            }
            Cow::Owned(out)
        }
        // Character by character (as NuGet's ToLowerInvariant does), never
        // `str::to_lowercase`, whose final-sigma rule depends on neighbours and
        // would disagree with patterns normalized around metacharacters.
        Ecosystem::Nuget => Cow::Owned(name.chars().flat_map(char::to_lowercase).collect()),
        Ecosystem::Cargo => Cow::Owned(
            name.chars()
                .flat_map(char::to_lowercase)
                .map(|c| if c == '_' { '-' } else { c })
                .collect(),
        ),
        _ => Cow::Borrowed(name),
    }
}
