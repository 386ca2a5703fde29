//! Lines of entries in parsed files: byte offsets → 1-based line and column,
//! and JSON objects read as ordered (key, raw value) pairs whose raw text
//! still points into the file.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// Line starts of a text, for offset → line lookups in O(log lines).
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { text, starts }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        let start = self.starts.get(idx).copied().unwrap_or(0);
        let column = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (idx + 1, column)
    }

    /// The line of `part`, a slice of the text.
    pub fn line_of(&self, part: &str) -> Option<usize> {
        let offset = (part.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        (offset + part.len() <= self.text.len()).then(|| self.line_col(offset).0)
    }
}

/// A JSON object's members in file order, duplicates kept (each is evaluated:
/// a repeated key must not hide the first), values left raw.
pub struct Entries<'a>(pub Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Entries<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Entries<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, &'a RawValue>()? {
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_to_lines_and_columns() {
        let text = "ab\ncdé\nf";
        let l = Lines::new(text);
        assert_eq!(l.line_col(0), (1, 1));
        assert_eq!(l.line_col(3), (2, 1));
        assert_eq!(l.line_col(7), (2, 4));
        assert_eq!(l.line_col(8), (3, 1));
        assert_eq!(l.line_of(text.get(4..).unwrap()), Some(2));
    }

    #[test]
    fn entries_keep_order_duplicates_and_positions() {
        let text = "{\n \"b\": 1,\n \"a\": {\"x\": 2},\n \"b\": 3\n}";
        let e: Entries = serde_json::from_str(text).unwrap();
        let lines = Lines::new(text);
        let got: Vec<(&str, Option<usize>)> =
            e.0.iter()
                .map(|(k, v)| (k.as_str(), lines.line_of(v.get())))
                .collect();
        assert_eq!(got, [("b", Some(2)), ("a", Some(3)), ("b", Some(4))]);
    }
}
