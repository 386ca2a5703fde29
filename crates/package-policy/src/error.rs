use std::fmt;

use thiserror::Error;

/// What went wrong while compiling a policy set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[non_exhaustive]
pub enum CompileErrorKind {
    /// The YAML does not parse, or has the wrong shape (unknown key, wrong type).
    Syntax,
    /// A value is well-formed YAML but not a valid policy value.
    Invalid,
    /// Two layers share a name, or two rules in a layer share an id.
    Duplicate,
    /// A limit of POLICY_SPEC §8 was exceeded.
    Limit,
    /// A feed is declared but not supplied (or the reverse), or, under
    /// `strict_feeds`, a feed record is invalid.
    Feed,
}

impl CompileErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [CompileErrorKind; 5] = [
        CompileErrorKind::Syntax,
        CompileErrorKind::Invalid,
        CompileErrorKind::Duplicate,
        CompileErrorKind::Limit,
        CompileErrorKind::Feed,
    ];

    /// The kind's stable name: Ruby's `PolicyError#kind` symbol and the
    /// CLI's JSON `kind`. The one place these names are spelled.
    pub const fn as_str(&self) -> &'static str {
        match self {
            CompileErrorKind::Syntax => "syntax",
            CompileErrorKind::Invalid => "invalid",
            CompileErrorKind::Duplicate => "duplicate",
            CompileErrorKind::Limit => "limit",
            CompileErrorKind::Feed => "feed",
        }
    }
}

impl fmt::Display for CompileErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A policy error with its location: the layer, and a line/column where the
/// parser knows it, else a path such as `rules[3].match.versions`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
#[non_exhaustive]
pub struct CompileError {
    pub kind: CompileErrorKind,
    /// The layer's source name (file name) as given to the compiler.
    pub source_name: String,
    /// The `layer:` name when known.
    pub layer: Option<String>,
    /// 1-based line and column.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub path: Option<String>,
    pub message: String,
}

impl CompileError {
    pub(crate) fn new(
        kind: CompileErrorKind,
        source_name: &str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            source_name: source_name.to_owned(),
            layer: None,
            line: None,
            column: None,
            path: None,
            message: message.into(),
        }
    }

    pub(crate) fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub(crate) fn with_path(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }

    pub(crate) fn in_layer(mut self, layer: &str) -> Self {
        self.layer = Some(layer.to_owned());
        self
    }
}

impl fmt::Display for CompileError {
    /// `FILE:LINE:COL: message`, the form compilers and editors understand.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source_name)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        f.write_str(": ")?;
        if let Some(p) = &self.path {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.message)
    }
}

/// What is wrong with a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[non_exhaustive]
pub enum RequestErrorKind {
    Purl,
    Ecosystem,
    Name,
    Version,
    License,
    Time,
    Project,
    Attributes,
    Limit,
    /// A `provenance` or `previous_provenance` object is invalid.
    Provenance,
}

impl RequestErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [RequestErrorKind; 10] = [
        RequestErrorKind::Purl,
        RequestErrorKind::Ecosystem,
        RequestErrorKind::Name,
        RequestErrorKind::Version,
        RequestErrorKind::License,
        RequestErrorKind::Time,
        RequestErrorKind::Project,
        RequestErrorKind::Attributes,
        RequestErrorKind::Limit,
        RequestErrorKind::Provenance,
    ];

    /// The kind's stable name: Ruby's `RequestError#kind` symbol and the
    /// CLI's JSON `kind`. The one place these names are spelled.
    pub const fn as_str(&self) -> &'static str {
        match self {
            RequestErrorKind::Purl => "purl",
            RequestErrorKind::Ecosystem => "ecosystem",
            RequestErrorKind::Name => "name",
            RequestErrorKind::Version => "version",
            RequestErrorKind::License => "license",
            RequestErrorKind::Time => "time",
            RequestErrorKind::Project => "project",
            RequestErrorKind::Attributes => "attributes",
            RequestErrorKind::Limit => "limit",
            RequestErrorKind::Provenance => "provenance",
        }
    }
}

impl fmt::Display for RequestErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A request that cannot be evaluated. Never silently allowed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Error)]
#[error("{field}: {message}")]
#[non_exhaustive]
pub struct RequestError {
    pub kind: RequestErrorKind,
    /// The request field at fault (`purl`, `name`, `version`, ...).
    pub field: &'static str,
    pub message: String,
}

impl RequestError {
    pub(crate) fn new(
        kind: RequestErrorKind,
        field: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            field,
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator as _;

    use super::{CompileErrorKind, RequestErrorKind};

    fn distinct(names: &[&str]) -> bool {
        let set: std::collections::BTreeSet<_> = names.iter().collect();
        set.len() == names.len() && names.iter().all(|n| !n.is_empty() && *n != "other")
    }

    /// `ALL` is what the bindings and the CLI list; strum sees every variant.
    #[test]
    fn all_lists_every_kind_once_with_its_own_name() {
        assert_eq!(
            CompileErrorKind::iter().collect::<Vec<_>>(),
            CompileErrorKind::ALL
        );
        assert_eq!(
            RequestErrorKind::iter().collect::<Vec<_>>(),
            RequestErrorKind::ALL
        );
        assert!(distinct(&CompileErrorKind::ALL.map(|k| k.as_str())));
        assert!(distinct(&RequestErrorKind::ALL.map(|k| k.as_str())));
    }
}
