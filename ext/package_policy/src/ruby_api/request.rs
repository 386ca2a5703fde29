//! Requests from Ruby (a purl String, keyword fields, or a Hash) as owned
//! Rust data, so evaluation can run without the GVL.

use magnus::{prelude::*, r_hash::ForEach, RHash, RString, Ruby, Symbol, Value};

use super::convert::{attributes, class_name, opt_string, string, timestamp};
use crate::error::ExtError;

/// A request converted from Ruby, not yet validated by the engine.
pub enum OwnedRequest {
    Purl(String),
    Fields(engine::RequestInput),
}

impl OwnedRequest {
    /// Validates and normalizes the request (the engine's work; no Ruby here).
    pub fn into_request(self) -> Result<engine::Request, engine::RequestError> {
        match self {
            OwnedRequest::Purl(purl) => engine::Request::from_purl(&purl),
            OwnedRequest::Fields(input) => engine::Request::new(input),
        }
    }
}

/// The request fields, in the order `Engine#_evaluate` takes them.
pub struct Fields {
    pub ecosystem: Value,
    pub name: Value,
    pub version: Value,
    pub license: Value,
    pub published_at: Value,
    pub project: Value,
    pub attributes: Value,
}

impl Fields {
    fn empty(ruby: &Ruby) -> Self {
        let nil = ruby.qnil().as_value();
        Fields {
            ecosystem: nil,
            name: nil,
            version: nil,
            license: nil,
            published_at: nil,
            project: nil,
            attributes: nil,
        }
    }

    fn has_facts(&self) -> bool {
        [
            self.license,
            self.published_at,
            self.project,
            self.attributes,
        ]
        .iter()
        .any(|v| !v.is_nil())
    }

    pub fn into_input(self, ruby: &Ruby) -> Result<engine::RequestInput, ExtError> {
        if self.ecosystem.is_nil() || self.name.is_nil() {
            return Err(ExtError::Argument(
                "a request needs ecosystem: and name: (or a purl)".to_owned(),
            ));
        }
        Ok(engine::RequestInput {
            ecosystem: string(self.ecosystem, "ecosystem", true)?,
            name: string(self.name, "name", false)?,
            version: opt_string(self.version, "version")?,
            license: opt_string(self.license, "license")?,
            published_at: timestamp(ruby, self.published_at, "published_at")?,
            project: opt_string(self.project, "project")?,
            attributes: attributes(ruby, self.attributes)?,
        })
    }
}

/// One element of `evaluate_many`: a purl String or a request Hash.
pub fn from_value(ruby: &Ruby, value: Value) -> Result<OwnedRequest, ExtError> {
    if let Some(s) = RString::from_value(value) {
        return Ok(OwnedRequest::Purl(s.to_string()?));
    }
    let hash = RHash::from_value(value).ok_or_else(|| {
        ExtError::Type(format!(
            "a request is a purl String or a Hash, got {}",
            class_name(value)
        ))
    })?;
    from_hash(ruby, hash)
}

const KEYS: &str = "purl, ecosystem, name, version, license, published_at, project, attributes";

/// A request Hash with Symbol or String keys. An unknown key is an
/// ArgumentError: a misspelled fact must never read as absent.
fn from_hash(ruby: &Ruby, hash: RHash) -> Result<OwnedRequest, ExtError> {
    let mut fields = Fields::empty(ruby);
    let mut purl = ruby.qnil().as_value();
    let mut failure = None;
    hash.foreach(|key: Value, v: Value| {
        let name = match key_name(key) {
            Ok(n) => n,
            Err(e) => {
                failure = Some(e);
                return Ok(ForEach::Stop);
            }
        };
        let slot = match name.as_str() {
            "purl" => &mut purl,
            "ecosystem" => &mut fields.ecosystem,
            "name" => &mut fields.name,
            "version" => &mut fields.version,
            "license" => &mut fields.license,
            "published_at" => &mut fields.published_at,
            "project" => &mut fields.project,
            "attributes" => &mut fields.attributes,
            other => {
                failure = Some(ExtError::Argument(format!(
                    "unknown request key `{other}` (known: {KEYS})"
                )));
                return Ok(ForEach::Stop);
            }
        };
        *slot = v;
        Ok(ForEach::Continue)
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    if purl.is_nil() {
        return Ok(OwnedRequest::Fields(fields.into_input(ruby)?));
    }
    with_purl(string(purl, "purl", false)?, &fields)
}

/// A purl names the package; the other facts come from their own keys.
pub fn with_purl(purl: String, fields: &Fields) -> Result<OwnedRequest, ExtError> {
    if [fields.ecosystem, fields.name, fields.version]
        .iter()
        .any(|v| !v.is_nil())
    {
        return Err(ExtError::Argument(
            "give either a purl or ecosystem:/name:/version:, not both".to_owned(),
        ));
    }
    if fields.has_facts() {
        return Err(ExtError::Argument(
            "license:, published_at:, project: and attributes: need ecosystem: and name: \
             (purl requests carry no other facts yet)"
                .to_owned(),
        ));
    }
    Ok(OwnedRequest::Purl(purl))
}

fn key_name(key: Value) -> Result<String, ExtError> {
    if let Some(s) = Symbol::from_value(key) {
        return Ok(s.name()?.into_owned());
    }
    if let Some(s) = RString::from_value(key) {
        return Ok(s.to_string()?);
    }
    Err(ExtError::Argument(format!(
        "request keys are Symbols or Strings, got {}",
        class_name(key)
    )))
}
