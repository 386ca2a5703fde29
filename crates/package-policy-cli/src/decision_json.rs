//! The decision JSON of POLICY_SPEC §6. Keys in a fixed order so output is
//! stable and diffable; a rule without a reason has no `reason` key.

use package_policy::{Decision, RuleRef};
use serde_json::{json, Map, Value};

pub fn rule(r: &RuleRef) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("layer".into(), json!(&*r.layer));
    m.insert("id".into(), json!(&*r.id));
    m.insert("action".into(), json!(r.action.as_str()));
    for (key, val) in [
        ("reason", &r.reason),
        ("owner", &r.owner),
        ("ticket", &r.ticket),
    ] {
        if let Some(v) = val {
            m.insert(key.into(), json!(&**v));
        }
    }
    m
}

/// `dry_run` appears only when a dry-run layer would have matched, and
/// `allowed_after` (RFC 3339) only when time passing would lift a refusal, so
/// the common case prints exactly the shape of POLICY_SPEC §6.
pub fn decision(d: &Decision) -> Value {
    let rules =
        |rs: &[RuleRef]| -> Vec<Value> { rs.iter().map(|r| Value::Object(rule(r))).collect() };
    let suppressed: Vec<Value> = d
        .suppressed
        .iter()
        .map(|s| {
            let mut m = rule(&s.rule);
            m.insert("by".into(), Value::Object(rule(&s.by)));
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("action".into(), json!(d.action.as_str()));
    m.insert("matched".into(), Value::Array(rules(&d.matched)));
    m.insert("allowed_by".into(), Value::Array(rules(&d.allowed_by)));
    m.insert("suppressed".into(), Value::Array(suppressed));
    m.insert("default".into(), json!(d.default));
    if !d.dry_run.is_empty() {
        m.insert("dry_run".into(), Value::Array(rules(&d.dry_run)));
    }
    if let Some(t) = d.allowed_after {
        m.insert("allowed_after".into(), json!(t.to_string()));
    }
    Value::Object(m)
}

pub fn error(message: &str) -> Value {
    json!({ "error": message })
}

/// A request that was not evaluated; `kind` (the core's name, as Ruby's
/// `RequestError#kind`) when the core rejected it, absent for bad JSON.
pub fn request_error(e: &crate::request_json::BadRequest) -> Value {
    let mut v = error(&e.message);
    if let (Some(kind), Some(m)) = (&e.kind, v.as_object_mut()) {
        m.insert("kind".into(), json!(kind.as_str()));
    }
    v
}
