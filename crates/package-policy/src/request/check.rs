//! Request limits of POLICY_SPEC §8, checked before any parsing so an oversized
//! request costs nothing but its length check.

use super::{AttrValue, RequestInput};
use crate::error::{RequestError, RequestErrorKind};
use crate::limits::Limits;

fn over(field: &'static str, what: &str, len: usize, limit: usize) -> RequestError {
    RequestError::new(
        RequestErrorKind::Limit,
        field,
        format!("{what} is {len} bytes, over the limit of {limit}"),
    )
}

pub(crate) fn check_len(
    field: &'static str,
    value: &str,
    limit: usize,
) -> Result<(), RequestError> {
    if value.len() > limit {
        return Err(over(field, field, value.len(), limit));
    }
    Ok(())
}

/// Checks the sizes of a request's name and version against `limits`.
pub(crate) fn check_package(
    name: &str,
    version: Option<&str>,
    limits: &Limits,
) -> Result<(), RequestError> {
    check_len("name", name, limits.request_name_bytes)?;
    if let Some(v) = version {
        check_len("version", v, limits.request_version_bytes)?;
    }
    Ok(())
}

/// Checks the sizes of a request's fields against `limits`.
pub(crate) fn check_request(input: &RequestInput, limits: &Limits) -> Result<(), RequestError> {
    check_package(&input.name, input.version.as_deref(), limits)?;
    if input.attributes.len() > limits.attribute_entries {
        return Err(RequestError::new(
            RequestErrorKind::Limit,
            "attributes",
            format!(
                "{} entries, over the limit of {}",
                input.attributes.len(),
                limits.attribute_entries
            ),
        ));
    }
    for (key, value) in &input.attributes {
        // Keys share the value limit: both are attacker-sized strings.
        if key.len() > limits.attribute_value_bytes {
            return Err(over(
                "attributes",
                "an attribute name",
                key.len(),
                limits.attribute_value_bytes,
            ));
        }
        if let AttrValue::String(s) = value {
            if s.len() > limits.attribute_value_bytes {
                return Err(over(
                    "attributes",
                    &format!("attribute `{key}`"),
                    s.len(),
                    limits.attribute_value_bytes,
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> RequestInput {
        RequestInput {
            ecosystem: "npm".into(),
            name: "left-pad".into(),
            version: Some("1.0.0".into()),
            ..RequestInput::default()
        }
    }

    #[test]
    fn limits_are_inclusive_and_typed() {
        let limits = Limits::default();
        let mut i = input();
        i.name = "a".repeat(limits.request_name_bytes);
        assert!(check_request(&i, &limits).is_ok());
        i.name.push('a');
        let e = check_request(&i, &limits).unwrap_err();
        assert_eq!((e.kind, e.field), (RequestErrorKind::Limit, "name"));

        let mut i = input();
        i.version = Some("1".repeat(limits.request_version_bytes + 1));
        assert_eq!(check_request(&i, &limits).unwrap_err().field, "version");

        let mut i = input();
        for n in 0..=limits.attribute_entries {
            i.attributes.insert(format!("k{n}"), AttrValue::Bool(true));
        }
        assert_eq!(check_request(&i, &limits).unwrap_err().field, "attributes");
        i.attributes.pop_first();
        assert!(check_request(&i, &limits).is_ok());

        let mut i = input();
        i.attributes.insert(
            "team".into(),
            AttrValue::String("x".repeat(limits.attribute_value_bytes + 1)),
        );
        assert_eq!(
            check_request(&i, &limits).unwrap_err().kind,
            RequestErrorKind::Limit
        );
        let mut i = input();
        i.attributes.insert(
            "k".repeat(limits.attribute_value_bytes + 1),
            AttrValue::Int(1),
        );
        assert_eq!(
            check_request(&i, &limits).unwrap_err().kind,
            RequestErrorKind::Limit
        );
    }

    #[test]
    fn raised_limits_admit_more() {
        let limits = Limits {
            request_name_bytes: 4096,
            ..Limits::default()
        };
        let mut i = input();
        i.name = "a".repeat(2000);
        assert!(check_request(&i, &limits).is_ok());
        assert!(check_request(&i, &Limits::default()).is_err());
    }
}
