//! Requests as JSON objects (POLICY_SPEC §5), or a bare package URL.

use std::collections::BTreeMap;

use std::fmt;

use package_policy::{
    AttrValue, ProvenanceInput, Request, RequestError, RequestErrorKind, RequestInput,
};
use serde::Deserialize;

/// A request that could not be read: a `RequestError` of the core (its
/// `kind` named as Ruby's `RequestError#kind`), or a JSON/schema problem.
#[derive(Debug)]
pub struct BadRequest {
    pub kind: Option<RequestErrorKind>,
    pub message: String,
}

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<RequestError> for BadRequest {
    fn from(e: RequestError) -> Self {
        BadRequest {
            message: e.to_string(),
            kind: Some(e.kind),
        }
    }
}

impl From<String> for BadRequest {
    fn from(message: String) -> Self {
        BadRequest {
            kind: None,
            message,
        }
    }
}

impl From<&str> for BadRequest {
    fn from(message: &str) -> Self {
        message.to_owned().into()
    }
}

impl From<BadRequest> for String {
    fn from(e: BadRequest) -> Self {
        e.message
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRequest {
    purl: Option<String>,
    ecosystem: Option<String>,
    name: Option<String>,
    version: Option<String>,
    license: Option<String>,
    published_at: Option<String>,
    project: Option<String>,
    #[serde(default)]
    attributes: BTreeMap<String, AttrValue>,
    provenance: Option<BTreeMap<String, AttrValue>>,
    previous_provenance: Option<BTreeMap<String, AttrValue>>,
}

/// A request as the JSON object [`parse_json`] reads (the fields given only).
pub fn to_json(input: &RequestInput) -> serde_json::Value {
    use serde_json::{json, Map, Value};
    let mut m = Map::new();
    m.insert("ecosystem".into(), json!(input.ecosystem));
    m.insert("name".into(), json!(input.name));
    let optional = [
        ("version", &input.version),
        ("license", &input.license),
        ("project", &input.project),
    ];
    for (key, value) in optional {
        if let Some(v) = value {
            m.insert(key.into(), json!(v));
        }
    }
    if let Some(p) = input.published_at {
        m.insert("published_at".into(), json!(p.to_string()));
    }
    if !input.attributes.is_empty() {
        let attrs: Map<String, Value> = input
            .attributes
            .iter()
            .map(|(k, v)| (k.clone(), attr_json(v)))
            .collect();
        m.insert("attributes".into(), Value::Object(attrs));
    }
    for (key, p) in [
        ("provenance", &input.provenance),
        ("previous_provenance", &input.previous_provenance),
    ] {
        if let Some(p) = p {
            let facts: Map<String, Value> = p
                .to_fields()
                .into_iter()
                .map(|(k, v)| (k, attr_json(&v)))
                .collect();
            m.insert(key.into(), Value::Object(facts));
        }
    }
    Value::Object(m)
}

fn attr_json(v: &AttrValue) -> serde_json::Value {
    match v {
        AttrValue::Bool(b) => serde_json::json!(b),
        AttrValue::Int(i) => serde_json::json!(i),
        AttrValue::String(s) => serde_json::json!(s),
    }
}

/// A parsed request back as a JSON object (names and versions normalized).
pub fn of_request(r: &Request) -> serde_json::Value {
    to_json(&r.to_input())
}

/// Parses a request from a JSON value (an object, or a purl string).
pub fn from_value(value: serde_json::Value) -> Result<Request, BadRequest> {
    if let serde_json::Value::String(purl) = &value {
        return Ok(Request::from_purl(purl)?);
    }
    let raw: RawRequest = serde_json::from_value(value).map_err(|e| format!("request: {e}"))?;
    from_raw(raw)
}

/// Parses one JSON Lines request.
pub fn parse_json(line: &str) -> Result<Request, BadRequest> {
    let raw: RawRequest = serde_json::from_str(line).map_err(|e| format!("request: {e}"))?;
    from_raw(raw)
}

/// Parses a YAML/JSON value holding a request object, or a string purl.
pub fn from_yaml(value: serde_yaml_ng::Value) -> Result<Request, BadRequest> {
    if let serde_yaml_ng::Value::String(purl) = &value {
        return Ok(Request::from_purl(purl)?);
    }
    let raw: RawRequest = serde_yaml_ng::from_value(value).map_err(|e| format!("request: {e}"))?;
    from_raw(raw)
}

/// A command-line request: a JSON object when it starts with `{`, else a purl.
pub fn parse_arg(arg: &str) -> Result<Request, BadRequest> {
    if arg.trim_start().starts_with('{') {
        parse_json(arg)
    } else {
        Ok(Request::from_purl(arg)?)
    }
}

fn from_raw(raw: RawRequest) -> Result<Request, BadRequest> {
    let published_at = match &raw.published_at {
        None => None,
        Some(s) => Some(s.parse::<jiff::Timestamp>().map_err(|e| BadRequest {
            kind: Some(RequestErrorKind::Time),
            message: format!("published_at: `{s}` is not an RFC 3339 time: {e}"),
        })?),
    };
    // The core reads provenance objects (one home for their keys and types).
    let provenance = |field, p: Option<BTreeMap<String, AttrValue>>| {
        p.map(|p| ProvenanceInput::from_fields(field, p))
            .transpose()
    };
    let facts = RequestInput {
        provenance: provenance("provenance", raw.provenance)?,
        previous_provenance: provenance("previous_provenance", raw.previous_provenance)?,
        license: raw.license,
        published_at,
        project: raw.project,
        attributes: raw.attributes,
        ..RequestInput::default()
    };
    let input = match (raw.purl, raw.ecosystem, raw.name) {
        (Some(purl), None, None) if raw.version.is_none() => purl_input(&purl, facts)?,
        (Some(_), _, _) => {
            return Err("request: give either `purl` or `ecosystem` and `name`, not both".into())
        }
        (None, Some(ecosystem), Some(name)) => RequestInput {
            ecosystem,
            name,
            version: raw.version,
            ..facts
        },
        (None, _, _) => {
            return Err("request: needs `purl`, or `ecosystem` and `name`".into());
        }
    };
    Ok(Request::new(input)?)
}

/// The ecosystem, name and version a purl denotes, with the other facts added.
fn purl_input(purl: &str, facts: RequestInput) -> Result<RequestInput, BadRequest> {
    let req = Request::from_purl(purl)?;
    Ok(RequestInput {
        ecosystem: req.ecosystem().as_str().to_owned(),
        name: req.name().to_owned(),
        version: req.version().map(ToString::to_string),
        ..facts
    })
}
