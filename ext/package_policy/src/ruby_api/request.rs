//! Requests from Ruby (a purl String, keyword fields, or a Hash) as owned
//! Rust data, so evaluation can run without the GVL.

use magnus::{prelude::*, r_hash::ForEach, RHash, RString, Ruby, Symbol, Value};

use super::convert::{attributes, class_name, opt_string, string, timestamp};
use crate::error::ExtError;

/// A request converted from Ruby, not yet validated by the engine.
pub enum OwnedRequest {
    Purl(String),
    /// Boxed: the fields with provenance objects are far larger than a purl.
    Fields(Box<engine::RequestInput>),
}

impl OwnedRequest {
    /// Validates and normalizes the request for `engine`, under the limits it
    /// was compiled with (the engine's work; no Ruby here).
    pub fn into_request(
        self,
        engine: &engine::Engine,
    ) -> Result<engine::Request, engine::RequestError> {
        match self {
            OwnedRequest::Purl(purl) => engine.request_from_purl(&purl),
            OwnedRequest::Fields(input) => engine.request(*input),
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
    pub provenance: Value,
    pub previous_provenance: Value,
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
            provenance: nil,
            previous_provenance: nil,
        }
    }

    fn has_facts(&self) -> bool {
        [
            self.license,
            self.published_at,
            self.project,
            self.attributes,
            self.provenance,
            self.previous_provenance,
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
        let mut input = engine::RequestInput {
            ecosystem: string(self.ecosystem, "ecosystem", true)?,
            name: string(self.name, "name", false)?,
            version: opt_string(self.version, "version")?,
            ..engine::RequestInput::default()
        };
        self.add_facts(ruby, &mut input)?;
        Ok(input)
    }

    /// A purl names the package; the other facts come from their own fields.
    pub fn with_purl(
        self,
        ruby: &Ruby,
        purl: String,
        limits: &engine::Limits,
    ) -> Result<OwnedRequest, ExtError> {
        if [self.ecosystem, self.name, self.version]
            .iter()
            .any(|v| !v.is_nil())
        {
            return Err(ExtError::Argument(
                "give either a purl or ecosystem:/name:/version:, not both".to_owned(),
            ));
        }
        if !self.has_facts() {
            return Ok(OwnedRequest::Purl(purl));
        }
        let mut input = engine::RequestInput::from_purl_with_limits(&purl, limits)?;
        self.add_facts(ruby, &mut input)?;
        Ok(OwnedRequest::Fields(Box::new(input)))
    }

    fn add_facts(&self, ruby: &Ruby, input: &mut engine::RequestInput) -> Result<(), ExtError> {
        input.license = opt_string(self.license, "license")?;
        input.published_at = timestamp(ruby, self.published_at, "published_at")?;
        input.project = opt_string(self.project, "project")?;
        input.attributes = attributes(ruby, self.attributes)?;
        input.provenance = provenance(ruby, self.provenance, "provenance")?;
        input.previous_provenance =
            provenance(ruby, self.previous_provenance, "previous_provenance")?;
        Ok(())
    }
}

/// A provenance Hash (Symbol or String keys), read by the core's one reader
/// of provenance objects; `nil` is absent.
fn provenance(
    ruby: &Ruby,
    value: Value,
    field: &'static str,
) -> Result<Option<engine::ProvenanceInput>, ExtError> {
    if value.is_nil() {
        return Ok(None);
    }
    let hash = RHash::from_value(value).ok_or_else(|| {
        ExtError::Type(format!(
            "{field}: expected a Hash, got {}",
            class_name(value)
        ))
    })?;
    let mut pairs = Vec::new();
    let mut failure = None;
    hash.foreach(|key: Value, v: Value| {
        let pair = string(key, field, true).and_then(|k| {
            let v = if v.is_kind_of(ruby.class_true_class()) {
                engine::AttrValue::Bool(true)
            } else if v.is_kind_of(ruby.class_false_class()) {
                engine::AttrValue::Bool(false)
            } else if let Some(s) = RString::from_value(v) {
                engine::AttrValue::String(s.to_string()?)
            } else {
                return Err(ExtError::request(
                    engine::RequestErrorKind::Provenance,
                    field,
                    format!(
                        "`{k}`: expected a String, true or false, got {}",
                        class_name(v)
                    ),
                ));
            };
            Ok((k, v))
        });
        match pair {
            Ok(p) => {
                pairs.push(p);
                Ok(ForEach::Continue)
            }
            Err(e) => {
                failure = Some(e);
                Ok(ForEach::Stop)
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(Some(engine::ProvenanceInput::from_fields(field, pairs)?))
}

/// One element of `evaluate_many`: a purl String or a request Hash.
pub fn from_value(
    ruby: &Ruby,
    value: Value,
    limits: &engine::Limits,
) -> Result<OwnedRequest, ExtError> {
    if let Some(s) = RString::from_value(value) {
        return Ok(OwnedRequest::Purl(s.to_string()?));
    }
    let hash = RHash::from_value(value).ok_or_else(|| {
        ExtError::Type(format!(
            "a request is a purl String or a Hash, got {}",
            class_name(value)
        ))
    })?;
    from_hash(ruby, ruby.qnil().as_value(), hash, limits)
}

const KEYS: [&str; 10] = [
    "purl",
    "ecosystem",
    "name",
    "version",
    "license",
    "published_at",
    "project",
    "attributes",
    "provenance",
    "previous_provenance",
];

/// A request Hash with Symbol or String keys (the one reader of the request
/// wire schema in Ruby: `Engine#evaluate`'s keywords and Hash, and each
/// Hash of `evaluate_many`). `purl`, when not nil, is the purl given apart
/// from the Hash (`evaluate(purl, license: ...)`). An unknown key, or one
/// given twice (as a Symbol and a String), is an ArgumentError: a misspelled
/// fact must never read as absent.
pub fn from_hash(
    ruby: &Ruby,
    purl: Value,
    hash: RHash,
    limits: &engine::Limits,
) -> Result<OwnedRequest, ExtError> {
    let mut fields = Fields::empty(ruby);
    let mut hash_purl = ruby.qnil().as_value();
    let mut seen = 0u16; // bit i: KEYS[i] was given
    let mut failure = None;
    hash.foreach(|key: Value, v: Value| {
        let found = key_name(key).and_then(|name| {
            let i = KEYS.iter().position(|k| *k == name).ok_or_else(|| {
                ExtError::Argument(format!(
                    "unknown request key `{name}` (known: {})",
                    KEYS.join(", ")
                ))
            })?;
            if seen & (1 << i) != 0 {
                return Err(ExtError::Argument(format!(
                    "request key `{name}` given twice"
                )));
            }
            seen |= 1 << i;
            Ok(i)
        });
        let i = match found {
            Ok(i) => i,
            Err(e) => {
                failure = Some(e);
                return Ok(ForEach::Stop);
            }
        };
        let slot = match i {
            0 => &mut hash_purl,
            1 => &mut fields.ecosystem,
            2 => &mut fields.name,
            3 => &mut fields.version,
            4 => &mut fields.license,
            5 => &mut fields.published_at,
            6 => &mut fields.project,
            7 => &mut fields.attributes,
            8 => &mut fields.provenance,
            _ => &mut fields.previous_provenance,
        };
        *slot = v;
        Ok(ForEach::Continue)
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    let purl = match (purl.is_nil(), hash_purl.is_nil()) {
        (false, false) => {
            return Err(ExtError::Argument(
                "the purl is given twice (as an argument and as purl:)".to_owned(),
            ))
        }
        (true, true) => return Ok(OwnedRequest::Fields(Box::new(fields.into_input(ruby)?))),
        (false, true) => purl,
        (true, false) => hash_purl,
    };
    fields.with_purl(ruby, string(purl, "purl", false)?, limits)
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
