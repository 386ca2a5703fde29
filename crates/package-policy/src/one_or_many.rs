//! `x` or `[x, y]` in a layer. A hand-written visitor rather than
//! `#[serde(untagged)]`: untagged buffers the value and reports "did not match
//! any variant" at the enclosing mapping, where this reports the offending value
//! itself, with the parser's line and column.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    self, Deserialize, DeserializeOwned, Deserializer, IntoDeserializer, SeqAccess, Visitor,
};

/// One value or a list of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    #[cfg(test)]
    pub(crate) fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }

    /// The items, each with the path suffix that locates it (`[i]` in a list).
    pub(crate) fn indexed(self) -> Vec<(String, T)> {
        match self {
            OneOrMany::One(t) => vec![(String::new(), t)],
            OneOrMany::Many(v) => v
                .into_iter()
                .enumerate()
                .map(|(i, t)| (format!("[{i}]"), t))
                .collect(),
        }
    }
}

struct OneOrManyVisitor<T>(PhantomData<T>);

impl<T: DeserializeOwned> OneOrManyVisitor<T> {
    fn one<'a, E: de::Error, V: IntoDeserializer<'a, E>>(v: V) -> Result<OneOrMany<T>, E> {
        T::deserialize(v.into_deserializer()).map(OneOrMany::One)
    }
}

impl<'de, T: DeserializeOwned> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = OneOrMany<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Self::one(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Self::one(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Self::one(v)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Self::one(v)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Self::one(v)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Self::one(v)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(OneOrMany::Many(items))
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(OneOrManyVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(yaml: &str) -> Result<Vec<String>, String> {
        serde_yaml_ng::from_str::<OneOrMany<String>>(yaml)
            .map(OneOrMany::into_vec)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn one_or_many_strings() {
        assert_eq!(parse("npm").unwrap(), ["npm"]);
        assert_eq!(parse("[npm, pypi]").unwrap(), ["npm", "pypi"]);
        assert_eq!(parse("[]").unwrap(), Vec::<String>::new());
        let e = parse("{ a: b }").unwrap_err();
        assert!(e.contains("a string or a list of strings"), "{e}");
        assert!(parse("[a, [b]]").is_err());
        assert!(parse("5").is_err());
        assert!(parse("true").is_err());
    }
}
