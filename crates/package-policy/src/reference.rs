//! The reference evaluator: POLICY_SPEC §4 read literally, rule by rule.
//!
//! It is the oracle the compiled engine is checked against (tests, proptest,
//! fuzzing) and the baseline in benchmarks. Never used on the hot path.

use jiff::Timestamp;

use crate::decision::{Action, Decision, RuleRef, Suppressed};
use crate::layer::{Layer, Rule};
use crate::request::Request;

fn holds(rule: &Rule, req: &Request) -> bool {
    rule.ecosystems
        .as_ref()
        .is_none_or(|es| es.contains(&req.ecosystem))
        && rule.matches_name(req.ecosystem, &req.name)
}

fn active(rule: &Rule, now: Timestamp) -> bool {
    rule.expires.is_none_or(|e| now < e)
}

/// Evaluates `req` against `layers` (outermost first) by scanning every rule.
pub(crate) fn evaluate(layers: &[Layer], req: &Request, now: Timestamp) -> Decision {
    // Step 1 and 2: active rules whose conditions hold, with their layer index.
    let mut m: Vec<(usize, &Rule)> = Vec::new();
    let mut dry_run = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        for rule in &layer.rules {
            if active(rule, now) && holds(rule, req) {
                if layer.dry_run {
                    dry_run.push(rule.rref.clone());
                } else {
                    m.push((li, rule));
                }
            }
        }
    }
    // Step 3: suppression.
    let allows: Vec<&(usize, &Rule)> = m
        .iter()
        .filter(|(_, r)| r.rref.action == Action::Allow)
        .collect();
    let mut matched: Vec<RuleRef> = Vec::new();
    let mut suppressed = Vec::new();
    for (li, rule) in m.iter().filter(|(_, r)| r.rref.action != Action::Allow) {
        let by = allows
            .iter()
            .find(|(ai, _)| !rule.enforced || ai <= li)
            .map(|(_, a)| a.rref.clone());
        match by {
            Some(by) => suppressed.push(Suppressed {
                rule: rule.rref.clone(),
                by,
            }),
            None => matched.push(rule.rref.clone()),
        }
    }
    // Most severe first; the sort is stable, so layer and position order remain.
    matched.sort_by_key(|r| std::cmp::Reverse(r.action));
    let allowed_by: Vec<RuleRef> = allows.iter().map(|(_, r)| r.rref.clone()).collect();
    // Step 4.
    let (action, default) = if let Some(first) = matched.first() {
        (first.action, false)
    } else if !allowed_by.is_empty() {
        (Action::Allow, false)
    } else {
        let d = layers
            .iter()
            .filter(|l| !l.dry_run)
            .map(|l| l.default)
            .max()
            .unwrap_or(Action::Allow);
        (d, true)
    };
    Decision {
        action,
        matched,
        allowed_by,
        suppressed,
        dry_run,
        default,
    }
}
