//! `package-policy explain`: how each rule fared for one request, then the
//! POLICY_SPEC §4 reasoning in plain words.

use package_policy::{Decision, RuleRef};

use crate::{exit, request_json, PolicyArgs};

pub fn run(args: &PolicyArgs, request: &str) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let req = match request_json::parse_arg(request) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("request: {e}");
            return exit::NOT_EVALUATED;
        }
    };
    let d = loaded.engine.evaluate(&req, loaded.now);
    print!("{}", reasoning(&d));
    exit::OK
}

fn name(r: &RuleRef) -> String {
    format!("{}/{} ({})", r.layer, r.id, r.action)
}

fn with_reason(r: &RuleRef) -> String {
    match &r.reason {
        Some(reason) => format!("{}: {reason}", name(r)),
        None => name(r),
    }
}

/// The §4 steps as sentences: who won, what suppressed what, why the default applied.
pub fn reasoning(d: &Decision) -> String {
    let mut out = format!("decision: {}\n", d.action);
    if let Some(first) = d.matched.first() {
        out.push_str(&format!(
            "  {} decides: it is the most severe rule that matched and was not suppressed.\n",
            with_reason(first)
        ));
        for r in d.matched.iter().skip(1) {
            out.push_str(&format!("  {} also matched.\n", with_reason(r)));
        }
    }
    for s in &d.suppressed {
        out.push_str(&format!(
            "  {} matched but is suppressed by {}: it is not enforced, or the allow rule's layer is its own or an outer one.\n",
            name(&s.rule),
            name(&s.by)
        ));
    }
    if d.matched.is_empty() && !d.allowed_by.is_empty() {
        out.push_str("  no deny or warn rule is left unsuppressed, and an allow rule matched:\n");
    } else if !d.allowed_by.is_empty() {
        out.push_str("  allow rules that matched (they could not suppress the rules above):\n");
    }
    for a in &d.allowed_by {
        out.push_str(&format!("    {}\n", with_reason(a)));
    }
    if d.default {
        out.push_str(&format!(
            "  no rule matched, so the effective default applies: {} (the most severe `default` over all layers).\n",
            d.action
        ));
    }
    for r in &d.dry_run {
        out.push_str(&format!(
            "  dry run: {} would have matched (its layer is in dry_run mode and takes no part).\n",
            with_reason(r)
        ));
    }
    out
}
