//! Stage 1 of the pipeline: a layer's text → its document
//! (`crate::document`), under the limits of POLICY_SPEC §8. JSON takes
//! serde_json's fast path (`crate::json`); everything else is YAML, checked
//! by one event pass (`crate::yaml`) and read by serde_yaml_ng.

use serde::de::DeserializeOwned;

use crate::document::RawLayer;
use crate::error::{CompileError, CompileErrorKind};
use crate::limits::Limits;
use crate::source::LayerSource;

/// Parses one layer document. Errors are located and name the layer when
/// the document says it.
pub(crate) fn layer(src: &LayerSource, limits: &Limits) -> Result<RawLayer, CompileError> {
    from_str(src, limits).map_err(|e| crate::locate::locate(&src.text, e))
}

/// Deserializes a document after checking it against `limits`. A document
/// whose first character is `{` is JSON (which YAML 1.2 reads alike) and
/// takes the JSON fast path.
pub(crate) fn from_str<T: DeserializeOwned>(
    src: &LayerSource,
    limits: &Limits,
) -> Result<T, CompileError> {
    if src.text.trim_start().starts_with('{') {
        if let Some(result) = crate::json::from_str(src, limits) {
            return result;
        }
    }
    crate::yaml::check_document(src, limits)?;
    serde_yaml_ng::from_str(&src.text).map_err(|e| {
        let err = CompileError::new(CompileErrorKind::Syntax, &src.name, e.to_string());
        match e.location() {
            Some(loc) => err.at(loc.line(), loc.column()),
            // Errors about the document as a whole (it is empty, say).
            None => err.at(1, 1),
        }
    })
}
