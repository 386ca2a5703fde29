//! `package-policy explain`: how each rule fared for one request, then the
//! POLICY_SPEC §4 reasoning in plain words.

use std::fmt::Write as _;

use package_policy::{Explanation, RuleExplanation, RuleOutcome, RuleRef};

use crate::{exit, request_json, PolicyArgs};

/// Above this many rules (feeds make tens of thousands), rules that fail on
/// `ecosystem` or `package` are counted instead of listed.
const LIST_ALL_UP_TO: usize = 200;

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
    let x = loaded.engine.explain(&req, loaded.now);
    print!("{}", render(&x));
    exit::OK
}

fn name(r: &RuleRef) -> String {
    format!("{}/{}", r.layer, r.id)
}

fn with_reason(r: &RuleRef) -> String {
    match &r.reason {
        Some(reason) => format!("{} ({}): {reason}", name(r), r.action),
        None => format!("{} ({})", name(r), r.action),
    }
}

fn is_name_miss(e: &RuleExplanation) -> bool {
    matches!(e.outcome, RuleOutcome::Failed("ecosystem" | "package"))
}

/// The rule table, then the §4 steps as sentences.
pub fn render(x: &Explanation) -> String {
    let mut out = String::from("rules:\n");
    let collapse = x.rules.len() > LIST_ALL_UP_TO;
    let shown: Vec<&RuleExplanation> = x
        .rules
        .iter()
        .filter(|e| !(collapse && is_name_miss(e)))
        .collect();
    let width = shown.iter().map(|e| name(&e.rule).len()).max().unwrap_or(0);
    for e in &shown {
        let mut tags = vec![e.rule.action.as_str()];
        if e.enforced {
            tags.push("enforced");
        }
        if e.dry_run {
            tags.push("dry run");
        }
        let _ = writeln!(
            out,
            "  {:width$}  {:<22}  {}",
            name(&e.rule),
            format!("[{}]", tags.join(", ")),
            e.outcome
        );
    }
    if collapse {
        let hidden = x.rules.len() - shown.len();
        let _ = writeln!(
            out,
            "  ... and {hidden} more rules whose ecosystem or package does not match"
        );
    }

    let d = &x.decision;
    let _ = writeln!(out, "\ndecision: {}", d.action);
    if let Some(t) = d.allowed_after {
        let _ = writeln!(
            out,
            "  allowed after {t}: from then on the time-bound rules that decide (release-age cooldowns, expiring rules) no longer refuse it."
        );
    }
    let enforced = |r: &RuleRef| {
        x.rules
            .iter()
            .any(|e| e.enforced && e.rule.layer == r.layer && e.rule.id == r.id)
    };
    if let Some(first) = d.matched.first() {
        let _ = writeln!(
            out,
            "  {} decides: it is the most severe rule that matched and was not suppressed.",
            with_reason(first)
        );
        for r in d.matched.iter().skip(1) {
            let _ = writeln!(out, "  {} also matched.", with_reason(r));
        }
    }
    for s in &d.suppressed {
        let why = if enforced(&s.rule) {
            format!(
                "it is enforced, but the allow rule's layer `{}` is its own layer or an outer one",
                s.by.layer
            )
        } else {
            "it is not enforced, so any matching allow rule suppresses it".to_owned()
        };
        let _ = writeln!(
            out,
            "  {} matched but is suppressed by {}: {why}.",
            with_reason(&s.rule),
            name(&s.by)
        );
    }
    if !d.allowed_by.is_empty() {
        if d.matched.is_empty() {
            let _ = writeln!(
                out,
                "  no deny or warn rule is left unsuppressed, and these allow rules matched:"
            );
        } else {
            let _ = writeln!(
                out,
                "  these allow rules matched but cannot suppress an enforced rule of an outer layer:"
            );
        }
        for a in &d.allowed_by {
            let mut line = format!("    {}", with_reason(a));
            if let Some(o) = &a.owner {
                let _ = write!(line, " [owner {o}]");
            }
            if let Some(t) = &a.ticket {
                let _ = write!(line, " [ticket {t}]");
            }
            let _ = writeln!(out, "{line}");
        }
    }
    if d.default {
        let _ = writeln!(
            out,
            "  no rule decided, so the effective default applies: {} (the most severe `default` over the enforce-mode layers).",
            x.default
        );
    }
    for r in &d.dry_run {
        let _ = writeln!(
            out,
            "  dry run: {} would have matched (its layer is in dry_run mode and takes no part).",
            with_reason(r)
        );
    }
    out
}
