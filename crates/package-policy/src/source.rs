//! Stage 0 of the pipeline: a layer's source text and the name errors use
//! for it. Bytes become text here (invalid UTF-8 is a located error); every
//! later stage reads `LayerSource::text`.

use crate::error::{CompileError, CompileErrorKind};

/// One layer's YAML (or JSON) text and the name errors should use for it (a file name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LayerSource {
    pub name: String,
    pub text: String,
}

impl LayerSource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }

    /// A layer from raw bytes (a file's content): invalid UTF-8 is a syntax
    /// error at the line and column of the first bad byte.
    pub fn from_bytes(name: impl Into<String>, bytes: Vec<u8>) -> Result<Self, CompileError> {
        let name = name.into();
        match String::from_utf8(bytes) {
            Ok(text) => Ok(LayerSource { name, text }),
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let prefix = e.as_bytes().get(..valid).unwrap_or_default();
                // The prefix is valid UTF-8 by construction.
                let (line, column) = line_col(std::str::from_utf8(prefix).unwrap_or(""), valid);
                Err(CompileError::new(
                    CompileErrorKind::Syntax,
                    &name,
                    format!("invalid UTF-8 at byte {valid}"),
                )
                .at(line, column))
            }
        }
    }
}

/// 1-based line and column (in characters) of byte `index` of `text`.
pub(crate) fn line_col(text: &str, index: usize) -> (usize, usize) {
    let before = text.get(..index).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
