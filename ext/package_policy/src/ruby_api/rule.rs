//! `PackagePolicy::Rule`: a frozen reference to one rule, as carried in decisions.

use magnus::{
    method,
    prelude::*,
    typed_data::{self, Obj},
    Error, RArray, RModule, RString, Ruby,
};

use super::symbols::{action, fstring};

/// A rule reference; `by` is the allow rule that suppressed it, in
/// `Decision#suppressed` entries.
#[derive(PartialEq, Eq, Hash)]
#[magnus::wrap(
    class = "PackagePolicy::Rule",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbRule {
    rule: engine::RuleRef,
    by: Option<engine::RuleRef>,
}

/// A frozen `Rule` object.
pub fn wrap(ruby: &Ruby, rule: engine::RuleRef, by: Option<engine::RuleRef>) -> Obj<RbRule> {
    let obj = ruby.obj_wrap(RbRule { rule, by });
    obj.freeze();
    obj
}

/// A frozen Array of frozen `Rule` objects.
pub fn array(ruby: &Ruby, rules: &[engine::RuleRef]) -> Result<RArray, Error> {
    let ary = ruby.ary_new_capa(rules.len());
    for r in rules {
        ary.push(wrap(ruby, r.clone(), None))?;
    }
    ary.freeze();
    Ok(ary)
}

impl RbRule {
    fn layer(ruby: &Ruby, rb_self: &Self) -> RString {
        fstring(ruby, &rb_self.rule.layer)
    }

    fn id(ruby: &Ruby, rb_self: &Self) -> RString {
        fstring(ruby, &rb_self.rule.id)
    }

    fn action(ruby: &Ruby, rb_self: &Self) -> magnus::StaticSymbol {
        action(ruby, rb_self.rule.action)
    }

    fn reason(ruby: &Ruby, rb_self: &Self) -> Option<RString> {
        rb_self.rule.reason.as_deref().map(|s| fstring(ruby, s))
    }

    fn owner(ruby: &Ruby, rb_self: &Self) -> Option<RString> {
        rb_self.rule.owner.as_deref().map(|s| fstring(ruby, s))
    }

    fn ticket(ruby: &Ruby, rb_self: &Self) -> Option<RString> {
        rb_self.rule.ticket.as_deref().map(|s| fstring(ruby, s))
    }

    fn by(ruby: &Ruby, rb_self: &Self) -> Option<Obj<RbRule>> {
        rb_self.by.clone().map(|by| wrap(ruby, by, None))
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Rule", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("layer", method!(RbRule::layer, 0))?;
    class.define_method("id", method!(RbRule::id, 0))?;
    class.define_method("action", method!(RbRule::action, 0))?;
    class.define_method("reason", method!(RbRule::reason, 0))?;
    class.define_method("owner", method!(RbRule::owner, 0))?;
    class.define_method("ticket", method!(RbRule::ticket, 0))?;
    class.define_method("by", method!(RbRule::by, 0))?;
    class.define_method("eql?", method!(<RbRule as typed_data::IsEql>::is_eql, 1))?;
    class.define_method("==", method!(<RbRule as typed_data::IsEql>::is_eql, 1))?;
    class.define_method("hash", method!(<RbRule as typed_data::Hash>::hash, 0))?;
    Ok(())
}
