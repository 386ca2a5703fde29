//! Ruby values → owned Rust data, with type errors that name the field.

use std::collections::BTreeMap;

use jiff::Timestamp;
use magnus::{prelude::*, r_hash::ForEach, Integer, RHash, RString, Ruby, Symbol, Time, Value};

use crate::error::ExtError;

/// A String (or Symbol, for ecosystems) as a Rust String.
pub fn string(value: Value, field: &str, symbol_ok: bool) -> Result<String, ExtError> {
    if let Some(s) = RString::from_value(value) {
        return Ok(s.to_string()?);
    }
    if symbol_ok {
        if let Some(s) = Symbol::from_value(value) {
            return Ok(s.name()?.into_owned());
        }
    }
    Err(ExtError::Type(format!(
        "{field}: expected a String, got {}",
        class_name(value)
    )))
}

pub fn opt_string(value: Value, field: &str) -> Result<Option<String>, ExtError> {
    if value.is_nil() {
        Ok(None)
    } else {
        string(value, field, false).map(Some)
    }
}

/// A Time (or anything with `to_time`, such as ActiveSupport::TimeWithZone)
/// or an RFC 3339 String, as a Timestamp. `nil` is absent.
pub fn timestamp(ruby: &Ruby, value: Value, field: &str) -> Result<Option<Timestamp>, ExtError> {
    if value.is_nil() {
        return Ok(None);
    }
    if let Some(s) = RString::from_value(value) {
        let text = s.to_string()?;
        return text.parse::<Timestamp>().map(Some).map_err(|e| {
            ExtError::request(
                engine::RequestErrorKind::Time,
                field,
                format!("`{text}` is not an RFC 3339 time: {e}"),
            )
        });
    }
    let time = match Time::from_value(value) {
        Some(t) => t,
        None if !value.is_kind_of(ruby.class_integer())
            && value.respond_to("to_time", false)? =>
        {
            Time::try_convert(value.funcall::<_, _, Value>("to_time", ())?)
                .map_err(|_| ExtError::Type(format!("{field}: to_time did not return a Time")))?
        }
        None => {
            return Err(ExtError::Type(format!(
                "{field}: expected a Time or an RFC 3339 String, got {}",
                class_name(value)
            )))
        }
    };
    let ts = time.timespec()?;
    Timestamp::new(ts.tv_sec, i32::try_from(ts.tv_nsec).unwrap_or(0))
        .map(Some)
        .map_err(|e| {
            ExtError::request(
                engine::RequestErrorKind::Time,
                field,
                format!("time out of range: {e}"),
            )
        })
}

/// A Hash of attribute name → true/false/Integer/String, compared with its
/// type by the engine. Keys may be Strings or Symbols.
pub fn attributes(
    ruby: &Ruby,
    value: Value,
) -> Result<BTreeMap<String, engine::AttrValue>, ExtError> {
    let mut out = BTreeMap::new();
    if value.is_nil() {
        return Ok(out);
    }
    let hash = RHash::from_value(value).ok_or_else(|| {
        ExtError::Type(format!(
            "attributes: expected a Hash, got {}",
            class_name(value)
        ))
    })?;
    let mut failure = None;
    hash.foreach(|key: Value, v: Value| match attribute(ruby, key, v) {
        Ok((k, v)) => {
            out.insert(k, v);
            Ok(ForEach::Continue)
        }
        Err(e) => {
            failure = Some(e);
            Ok(ForEach::Stop)
        }
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

fn attribute(
    ruby: &Ruby,
    key: Value,
    value: Value,
) -> Result<(String, engine::AttrValue), ExtError> {
    let key = string(key, "attributes", true)?;
    let v = if value.is_kind_of(ruby.class_true_class()) {
        engine::AttrValue::Bool(true)
    } else if value.is_kind_of(ruby.class_false_class()) {
        engine::AttrValue::Bool(false)
    } else if let Some(i) = Integer::from_value(value) {
        engine::AttrValue::Int(i.to_i64().map_err(|_| {
            ExtError::request(
                engine::RequestErrorKind::Attributes,
                "attributes",
                format!("`{key}`: integer out of range"),
            )
        })?)
    } else if let Some(s) = RString::from_value(value) {
        engine::AttrValue::String(s.to_string()?)
    } else {
        return Err(ExtError::request(
            engine::RequestErrorKind::Attributes,
            "attributes",
            format!(
                "`{key}`: expected a String, Integer, true or false, got {}",
                class_name(value)
            ),
        ));
    };
    Ok((key, v))
}

pub fn class_name(value: Value) -> String {
    value
        .class()
        .funcall::<_, _, String>("name", ())
        .unwrap_or_else(|_| "an object".to_owned())
}
