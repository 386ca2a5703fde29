use std::fmt;

use thiserror::Error;

/// What went wrong while compiling a policy set.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
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
