//! Policy trees: an engine stacked on another shares the other's compiled
//! levels (rules, predicates, name indexes, feed rules) through `Arc` and
//! compiles only the layers it adds. Evaluation gathers the rules that hold
//! level by level, outermost first, which is §4's layer and position order,
//! and decides once; so `base.stack(L)` decides exactly as a flat compile of
//! `base`'s layers followed by `L` (docs/decisions/policy-trees.md).

use std::collections::HashSet;

use crate::compile::build;
use crate::digest::{chain, hex, unhex};
use crate::engine::Engine;
use crate::error::{CompileError, CompileErrorKind};
use crate::feed::CompileOptions;
use crate::source::LayerSource;
use crate::validate::parse_policy_set_within;

/// Levels one engine may have: evaluation visits each of them, and a tree
/// deeper than this is not a hierarchy of owners (GitLab allows 20 subgroups).
pub const MAX_LEVELS: usize = 64;

impl Engine {
    /// A new engine whose policy set is this engine's layers followed by
    /// `layers` (inner, closer to the project), with the default limits.
    /// This engine's compiled levels are shared, not copied.
    pub fn stack(&self, layers: &[LayerSource]) -> Result<Engine, CompileError> {
        self.stack_with(layers, &CompileOptions::default())
    }

    /// [`Engine::stack`] with feeds (declared by the added layers) and limits.
    /// Feeds that outer layers declare were compiled with them and are not
    /// given again.
    pub fn stack_with(
        &self,
        layers: &[LayerSource],
        options: &CompileOptions,
    ) -> Result<Engine, CompileError> {
        let depth = self.levels().len();
        if depth >= MAX_LEVELS {
            return Err(CompileError::new(
                CompileErrorKind::Limit,
                layers.first().map_or("", |s| s.name.as_str()),
                format!("a policy tree has at most {MAX_LEVELS} levels"),
            ));
        }
        // Layer names are unique over the whole policy set, outer levels included.
        let outer: HashSet<&str> = self
            .levels()
            .iter()
            .flat_map(|l| l.layer_names.iter().map(|n| &**n))
            .collect();
        let mut parsed = parse_policy_set_within(layers, &options.limits, &outer)?;
        let report = crate::feed::attach(&mut parsed, layers, options)?;
        crate::feed::check_declared(&parsed, layers, self.inner.advisory_declared)?;
        let mut inner = build(&parsed, layers, Some(&self.inner))?;
        let base = &*self.inner;
        let offset = base.layers_total;
        let layers_total = u32::try_from(parsed.len())
            .ok()
            .and_then(|n| n.checked_add(offset));
        let rules_total = base.rules_total.checked_add(inner.rules.len());
        let (Some(layers_total), Some(rules_total)) = (layers_total, rules_total) else {
            return Err(CompileError::new(
                CompileErrorKind::Limit,
                "",
                "too many layers or rules in the policy set",
            ));
        };
        let Some(base_digest) = unhex(&base.digest) else {
            return Err(CompileError::new(
                CompileErrorKind::Invalid,
                "",
                "internal error: the base engine's digest is not a digest",
            ));
        };
        let digest = hex(&chain(Some(base_digest), &parsed));
        for rule in &mut inner.rules {
            rule.layer = rule.layer.saturating_add(offset);
        }
        inner.default = inner.default.max(base.default);
        inner.unreadable_license = inner.unreadable_license.max(base.unreadable_license);
        inner.digest = digest;
        inner.feeds = report;
        inner.layers_total = layers_total;
        inner.rules_total = rules_total;
        inner.base = Some(self.clone());
        inner.limits = options.limits.clone();
        Ok(Engine::from_inner(inner))
    }

    /// How many levels (compile or stack calls) this engine is made of.
    pub fn depth(&self) -> usize {
        self.levels().len()
    }
}
