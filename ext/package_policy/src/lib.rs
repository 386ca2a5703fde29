//! Ruby glue: converts Ruby values to engine inputs and back. No policy logic here.

mod error;

use magnus::{function, method, prelude::*, Error, RHash, Ruby};

#[magnus::wrap(
    class = "PackagePolicy::Engine",
    free_immediately,
    size,
    frozen_shareable
)]
struct RbEngine(engine::Engine);

fn compile(ruby: &Ruby, layers: Vec<(String, String)>) -> Result<RbEngine, Error> {
    let sources: Vec<engine::LayerSource> = layers
        .into_iter()
        .map(|(name, text)| engine::LayerSource::new(name, text))
        .collect();
    engine::Engine::compile(&sources)
        .map(RbEngine)
        .map_err(|e| error::policy_error(ruby, &e))
}

impl RbEngine {
    fn evaluate_purl(ruby: &Ruby, rb_self: &Self, purl: String) -> Result<RHash, Error> {
        let request =
            engine::Request::from_purl(&purl).map_err(|e| error::request_error(ruby, &e))?;
        let decision = rb_self.0.evaluate(&request, jiff::Timestamp::now());
        decision_to_hash(ruby, &decision)
    }

    fn rule_count(&self) -> usize {
        self.0.rule_count()
    }
}

fn rule_to_hash(ruby: &Ruby, r: &engine::RuleRef) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("layer"), &*r.layer)?;
    h.aset(ruby.to_symbol("id"), &*r.id)?;
    h.aset(ruby.to_symbol("action"), ruby.to_symbol(r.action.as_str()))?;
    if let Some(reason) = &r.reason {
        h.aset(ruby.to_symbol("reason"), &**reason)?;
    }
    Ok(h)
}

fn decision_to_hash(ruby: &Ruby, d: &engine::Decision) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    h.aset(ruby.to_symbol("action"), ruby.to_symbol(d.action.as_str()))?;
    let matched = ruby.ary_new();
    for r in &d.matched {
        matched.push(rule_to_hash(ruby, r)?)?;
    }
    h.aset(ruby.to_symbol("matched"), matched)?;
    h.aset(ruby.to_symbol("default"), d.default)?;
    Ok(h)
}

#[magnus::init(name = "package_policy")]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.define_module("PackagePolicy")?;
    module.define_singleton_method("_compile", function!(compile, 1))?;
    let class = module.define_class("Engine", ruby.class_object())?;
    class.define_method("_evaluate_purl", method!(RbEngine::evaluate_purl, 1))?;
    class.define_method("rule_count", method!(RbEngine::rule_count, 0))?;
    Ok(())
}
