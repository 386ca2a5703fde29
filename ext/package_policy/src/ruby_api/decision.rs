//! `PackagePolicy::Decision`: the engine's Decision, wrapped as is. Accessors
//! build Ruby objects only when called, so `evaluate` allocates one object.

use magnus::{
    method,
    prelude::*,
    typed_data::{self, Obj},
    Error, RArray, RModule, Ruby, StaticSymbol,
};

use super::rule;
use super::symbols::action;

#[derive(PartialEq, Eq, Hash)]
#[magnus::wrap(
    class = "PackagePolicy::Decision",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbDecision(engine::Decision);

/// A frozen `Decision` object.
pub fn wrap(ruby: &Ruby, decision: engine::Decision) -> Obj<RbDecision> {
    let obj = ruby.obj_wrap(RbDecision(decision));
    obj.freeze();
    obj
}

impl RbDecision {
    fn action(ruby: &Ruby, rb_self: &Self) -> StaticSymbol {
        action(ruby, rb_self.0.action)
    }

    fn is_deny(&self) -> bool {
        self.0.action == engine::Action::Deny
    }

    fn is_warn(&self) -> bool {
        self.0.action == engine::Action::Warn
    }

    fn is_allow(&self) -> bool {
        self.0.action == engine::Action::Allow
    }

    fn is_default(&self) -> bool {
        self.0.default
    }

    /// `[seconds, nanoseconds]` since the epoch, or nil; `Decision#allowed_after`
    /// makes the Time.
    fn allowed_after_parts(&self) -> Option<(i64, i32)> {
        self.0
            .allowed_after
            .map(|t| (t.as_second(), t.subsec_nanosecond()))
    }

    fn matched(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        rule::array(ruby, &rb_self.0.matched)
    }

    fn allowed_by(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        rule::array(ruby, &rb_self.0.allowed_by)
    }

    fn dry_run(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        rule::array(ruby, &rb_self.0.dry_run)
    }

    /// Each suppressed rule, with `by` set to the allow rule that suppressed it.
    fn suppressed(ruby: &Ruby, rb_self: &Self) -> Result<RArray, Error> {
        let ary = ruby.ary_new_capa(rb_self.0.suppressed.len());
        for s in &rb_self.0.suppressed {
            ary.push(rule::wrap(ruby, s.rule.clone(), Some(s.by.clone())))?;
        }
        ary.freeze();
        Ok(ary)
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Decision", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("action", method!(RbDecision::action, 0))?;
    class.define_method("deny?", method!(RbDecision::is_deny, 0))?;
    class.define_method("warn?", method!(RbDecision::is_warn, 0))?;
    class.define_method("allow?", method!(RbDecision::is_allow, 0))?;
    class.define_method("default?", method!(RbDecision::is_default, 0))?;
    class.define_method(
        "_allowed_after",
        method!(RbDecision::allowed_after_parts, 0),
    )?;
    class.define_method("matched", method!(RbDecision::matched, 0))?;
    class.define_method("allowed_by", method!(RbDecision::allowed_by, 0))?;
    class.define_method("suppressed", method!(RbDecision::suppressed, 0))?;
    class.define_method("dry_run", method!(RbDecision::dry_run, 0))?;
    class.define_method(
        "eql?",
        method!(<RbDecision as typed_data::IsEql>::is_eql, 1),
    )?;
    class.define_method("==", method!(<RbDecision as typed_data::IsEql>::is_eql, 1))?;
    class.define_method("hash", method!(<RbDecision as typed_data::Hash>::hash, 0))?;
    Ok(())
}
