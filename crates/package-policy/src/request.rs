//! Requests: parsed and normalized once, then matched.

use std::collections::BTreeMap;

use jiff::Timestamp;
use package_versions::{Ecosystem, Version};
use serde::Deserialize;

use crate::error::{RequestError, RequestErrorKind};
use crate::license::LicenseExpr;
use crate::limits::Limits;
use crate::names;
use crate::purl::Purl;
use check::{check_len, check_package, check_request};
use provenance::{Provenance, ProvenanceInput};

mod check;
mod plain_purl;
pub(crate) mod provenance;

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
    /// How this release was built and published.
    pub provenance: Option<ProvenanceInput>,
    /// The same facts for the package's previous release.
    pub previous_provenance: Option<ProvenanceInput>,
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
    /// Boxed: most requests carry none, and stay small.
    pub(crate) provenance: Option<Box<Provenance>>,
    pub(crate) previous_provenance: Option<Box<Provenance>>,
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
        let (name, version) = package(ecosystem, &input.name, input.version.as_deref())?;
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
        let provenance = |field, p: &Option<ProvenanceInput>| {
            p.as_ref()
                .map(|p| Provenance::new(field, p, limits).map(Box::new))
                .transpose()
        };
        Ok(Request {
            ecosystem,
            name,
            version,
            license,
            published_at: input.published_at,
            provenance: provenance("provenance", &input.provenance)?,
            previous_provenance: provenance("previous_provenance", &input.previous_provenance)?,
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
        if let Some(p) = plain_purl::parse(purl) {
            // What `with_limits` checks of a request with only these facts.
            check_package(p.name, p.version, limits)?;
            let (name, version) = package(p.ecosystem, p.name, p.version)?;
            return Ok(Request::package_only(p.ecosystem, name, version));
        }
        let input = purl_input(purl)?;
        Request::with_limits(input, limits)
    }

    fn package_only(ecosystem: Ecosystem, name: String, version: Option<Version>) -> Request {
        Request {
            ecosystem,
            name,
            version,
            license: None,
            published_at: None,
            project: None,
            attributes: BTreeMap::new(),
            provenance: None,
            previous_provenance: None,
        }
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

    pub fn provenance(&self) -> Option<&Provenance> {
        self.provenance.as_deref()
    }

    pub fn previous_provenance(&self) -> Option<&Provenance> {
        self.previous_provenance.as_deref()
    }

    /// The request's facts as an input again (names and versions normalized).
    pub fn to_input(&self) -> RequestInput {
        RequestInput {
            ecosystem: self.ecosystem.as_str().to_owned(),
            name: self.name.clone(),
            version: self.version.as_ref().map(ToString::to_string),
            license: self.license.as_ref().map(|l| l.as_str().to_owned()),
            published_at: self.published_at,
            project: self.project.clone(),
            attributes: self.attributes.clone(),
            provenance: self.provenance.as_ref().map(|p| p.to_input()),
            previous_provenance: self.previous_provenance.as_ref().map(|p| p.to_input()),
        }
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

/// A request's package: its name normalized and its version parsed (the
/// full path and the plain-purl path both go through here).
fn package(
    ecosystem: Ecosystem,
    name: &str,
    version: Option<&str>,
) -> Result<(String, Option<Version>), RequestError> {
    let name = names::canonical(ecosystem, name)
        .map_err(|m| RequestError::new(RequestErrorKind::Name, "name", m))?;
    let version = version.map(|v| parse_version(ecosystem, v)).transpose()?;
    Ok((name, version))
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
    let version = match (ecosystem, purl.version()) {
        (Ecosystem::Rubygems, Some(v)) => {
            Some(gem_purl_version(v, purl.qualifiers().get("platform")).map_err(|m| bad(&m))?)
        }
        (_, v) => v.map(str::to_owned),
    };
    Ok(RequestInput {
        ecosystem: ecosystem.as_str().to_owned(),
        name,
        version,
        ..RequestInput::default()
    })
}

/// A gem purl's version without the platform a tool may have appended to it
/// (`1.17.4-x86_64-linux-gnu`); the purl's `platform` qualifier, when given,
/// must be that platform.
fn gem_purl_version(text: &str, qualifier: Option<&String>) -> Result<String, String> {
    let (version, platform) = names::split_rubygems_platform(text);
    match (platform, qualifier) {
        (Some(p), Some(q)) if p != q.as_str() => Err(format!(
            "the version names platform `{p}`, the `platform` qualifier `{q}`"
        )),
        _ => Ok(version.to_owned()),
    }
}

/// Parses a request version in `ecosystem`. A RubyGems platform suffix
/// (`-java`, `-x86_64-linux`) is read as Bundler writes it and left out:
/// rules match the versions of every platform.
fn parse_version(ecosystem: Ecosystem, text: &str) -> Result<Version, RequestError> {
    let bad = |m: String| RequestError::new(RequestErrorKind::Version, "version", m);
    let (version, platform) = match ecosystem {
        Ecosystem::Rubygems => names::split_rubygems_platform(text),
        _ => (text, None),
    };
    if let Some(c) = platform.and_then(|p| {
        p.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-')))
    }) {
        return Err(bad(format!(
            "`{text}`: `{c}` never occurs in a RubyGems platform"
        )));
    }
    Version::parse(ecosystem, version).map_err(|e| bad(format!("`{text}`: {e}")))
}
