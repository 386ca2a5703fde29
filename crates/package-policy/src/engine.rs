use std::collections::HashSet;
use std::sync::Arc;

use jiff::Timestamp;

use crate::decision::Decision;
use crate::error::{CompileError, CompileErrorKind};
use crate::layer::{parse_layer, Layer, LayerSource};
use crate::limits::Limits;
use crate::request::Request;

/// A compiled, immutable policy set. `Send + Sync`; clones share the same data.
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    layers: Vec<Layer>,
}

impl Engine {
    /// Compiles layers, outermost (instance) first, under the default limits.
    pub fn compile(sources: &[LayerSource]) -> Result<Engine, CompileError> {
        Engine::compile_with_limits(sources, &Limits::default())
    }

    /// Compiles layers under `limits` (POLICY_SPEC §8; docs/limits.md).
    pub fn compile_with_limits(
        sources: &[LayerSource],
        limits: &Limits,
    ) -> Result<Engine, CompileError> {
        let mut layers = Vec::with_capacity(sources.len());
        let mut names = HashSet::new();
        for src in sources {
            let layer = parse_layer(src, limits).map_err(|e| e.located(&src.text))?;
            if !names.insert(layer.name.clone()) {
                return Err(CompileError::new(
                    CompileErrorKind::Duplicate,
                    &src.name,
                    format!("duplicate layer name `{}` in the policy set", layer.name),
                )
                .with_path("layer")
                .in_layer(&layer.name)
                .located(&src.text));
            }
            layers.push(layer);
        }
        Ok(Engine {
            inner: Arc::new(Inner { layers }),
        })
    }

    /// Decides `request` at time `now`.
    pub fn evaluate(&self, request: &Request, now: Timestamp) -> Decision {
        crate::reference::evaluate(&self.inner.layers, request, now)
    }

    /// Number of rules over all layers.
    pub fn rule_count(&self) -> usize {
        self.inner.layers.iter().map(|l| l.rules.len()).sum()
    }
}

/// Every error in `sources`, for surfaces that check a policy before saving it.
/// Empty when the set compiles.
pub fn validate(sources: &[LayerSource]) -> Vec<CompileError> {
    match Engine::compile(sources) {
        Ok(_) => Vec::new(),
        Err(e) => vec![e],
    }
}
