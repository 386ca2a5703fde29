//! Blank is not absent: a key written with no value (`versions:`), `~`,
//! `null` or JSON `null` reads as null, which serde turns into "key absent",
//! i.e. "no condition", so a blank `versions` would allow every version and a
//! blank `expires` make an exception permanent. No field of a layer takes
//! null, so any null in a layer document is a compile error at its position.
//! See docs/decisions/blank-values.md.

use yaml_rust2::parser::Tag;
use yaml_rust2::scanner::TScalarStyle;

/// Whether a YAML scalar resolves to null (YAML 1.2 core schema, as
/// serde_yaml_ng reads it): plain and empty, `~`, `null`, `Null`, `NULL`,
/// or tagged `!!null`.
pub(crate) fn is_yaml_null(value: &str, style: TScalarStyle, tag: Option<&Tag>) -> bool {
    match tag {
        Some(tag) => {
            tag.suffix == "null" && matches!(tag.handle.as_str(), "!!" | "tag:yaml.org,2002:")
        }
        None => style == TScalarStyle::Plain && (value.is_empty() || is_null_word(value)),
    }
}

fn is_null_word(value: &str) -> bool {
    matches!(value, "~" | "null" | "Null" | "NULL")
}

/// The error message for a null value of `key` (None: a list item or a key).
pub(crate) fn message(key: Option<&str>) -> String {
    match key {
        Some(key) => format!(
            "`{key}` is blank (null): write a value, or leave the key out (a blank value is not an absent one)"
        ),
        None => "a blank (null) value: write a value (a blank value is not an absent one)".into(),
    }
}

/// The first `null` of a JSON document that serde_json accepted: its byte
/// offset and the key it is the value of (None in a list). One byte scan;
/// outside strings, the only bare word starting with `n` is `null`.
pub(crate) fn json_null(text: &str) -> Option<(usize, Option<String>)> {
    let bytes = text.as_bytes();
    // Per open container: whether it is an object.
    let mut objects: Vec<bool> = Vec::new();
    let mut key: Option<(usize, usize)> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'{' | b'[' => objects.push(b == b'{'),
            b'}' | b']' => {
                objects.pop();
            }
            b'"' => {
                let start = i;
                i = string_end(bytes, i + 1);
                let next = bytes
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().find(|c| !c.is_ascii_whitespace()));
                if next == Some(&b':') {
                    key = Some((start, i));
                }
            }
            b'n' => {
                let in_object = objects.last() == Some(&true);
                let name = key
                    .filter(|_| in_object)
                    .and_then(|(s, e)| text.get(s..=e))
                    .map(|quoted| {
                        serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.into())
                    });
                return Some((i, name));
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Index of the closing quote of a JSON string whose content starts at `i`.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_nulls_are_found_with_their_key() {
        assert_eq!(json_null(r#"{"a": "null", "b": 1}"#), None);
        assert_eq!(
            json_null(r#"{"a": "x", "b":null}"#),
            Some((15, Some("b".into())))
        );
        assert_eq!(json_null(r#"{"a": ["x", null]}"#), Some((12, None)));
        assert_eq!(
            json_null(r#"{"a\"n": {"v\u0041": null}}"#),
            Some((21, Some("vA".into())))
        );
    }

    #[test]
    fn yaml_null_spellings() {
        for v in ["", "~", "null", "Null", "NULL"] {
            assert!(is_yaml_null(v, TScalarStyle::Plain, None), "{v}");
            assert!(!is_yaml_null(v, TScalarStyle::DoubleQuoted, None), "{v}");
        }
        assert!(!is_yaml_null("nul", TScalarStyle::Plain, None));
        let null_tag = Tag {
            handle: "tag:yaml.org,2002:".into(),
            suffix: "null".into(),
        };
        assert!(is_yaml_null("", TScalarStyle::Plain, Some(&null_tag)));
        let str_tag = Tag {
            handle: "tag:yaml.org,2002:".into(),
            suffix: "str".into(),
        };
        assert!(!is_yaml_null("", TScalarStyle::Plain, Some(&str_tag)));
    }
}
