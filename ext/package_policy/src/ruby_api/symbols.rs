//! Symbols and frozen strings built once, not per decision.

use magnus::{value::Lazy, RString, Ruby, StaticSymbol};

static ALLOW: Lazy<StaticSymbol> = Lazy::new(|ruby| ruby.sym_new("allow"));
static WARN: Lazy<StaticSymbol> = Lazy::new(|ruby| ruby.sym_new("warn"));
static DENY: Lazy<StaticSymbol> = Lazy::new(|ruby| ruby.sym_new("deny"));

pub fn action(ruby: &Ruby, action: engine::Action) -> StaticSymbol {
    match action {
        engine::Action::Allow => ruby.get_inner(&ALLOW),
        engine::Action::Warn => ruby.get_inner(&WARN),
        engine::Action::Deny => ruby.get_inner(&DENY),
    }
}

/// A frozen, deduplicated String (Ruby's fstring table): rule ids, layers and
/// reasons repeat across decisions, so callers holding many share one copy.
pub fn fstring(ruby: &Ruby, s: &str) -> RString {
    ruby.str_new(s).to_interned_str()
}
