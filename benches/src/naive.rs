//! The baseline: POLICY_SPEC §4 read literally over the rule list
//! (`package_policy::reference`), compiled from the same layer sources.

use jiff::Timestamp;
use package_policy::{CompileError, Decision, Engine, LayerSource, Request};

/// The naive evaluator over a parsed policy set.
pub struct Naive {
    // Until the reference evaluator is public, `Engine::evaluate` is itself the
    // rule-by-rule scan.
    engine: Engine,
}

impl Naive {
    pub fn compile(sources: &[LayerSource]) -> Result<Naive, CompileError> {
        Ok(Naive {
            engine: Engine::compile(sources)?,
        })
    }

    pub fn evaluate(&self, request: &Request, now: Timestamp) -> Decision {
        self.engine.evaluate(request, now)
    }
}
