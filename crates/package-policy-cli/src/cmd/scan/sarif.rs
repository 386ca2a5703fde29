//! `--format sarif`: SARIF 2.1.0, one result per denied, warned or
//! unevaluated package, located at its lockfile line, so code-scanning UIs
//! annotate the line that pins it.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{json, Value};

use super::{Outcome, Row};

pub fn write(out: &mut dyn Write, rows: &[Row], lockfile: &str) -> io::Result<()> {
    let mut rules: BTreeMap<String, String> = BTreeMap::new();
    let results: Vec<Value> = rows
        .iter()
        .filter_map(|r| {
            let level = match &r.outcome {
                Outcome::Decided { action, .. } => match action.as_str() {
                    "deny" => "error",
                    "warn" => "warning",
                    _ => return None,
                },
                Outcome::Error(_) => "error",
                Outcome::Skipped { .. } => return None,
            };
            let (rule, reason) = match &r.outcome {
                Outcome::Error(_) => ("not-evaluated".to_owned(), r.rule_and_reason().1),
                _ => r.rule_and_reason(),
            };
            rules
                .entry(rule.clone())
                .or_insert_with(|| rule_description(&rule));
            let version = r.version.as_deref().unwrap_or("(no version)");
            let mut text = format!(
                "{} {} {version}: {} by {rule}",
                r.ecosystem,
                r.name,
                r.action_str()
            );
            if !reason.is_empty() {
                text.push_str(": ");
                text.push_str(&reason);
            }
            let file = r.at.file.as_deref().unwrap_or(lockfile);
            let location = match r.at.line {
                Some(line) => {
                    json!({"artifactLocation": {"uri": uri(file)}, "region": {"startLine": line}})
                }
                None => json!({"artifactLocation": {"uri": uri(file)}}),
            };
            Some(json!({
                "ruleId": rule,
                "level": level,
                "message": {"text": text},
                "locations": [{"physicalLocation": location}],
            }))
        })
        .collect();
    let rules: Vec<Value> = rules
        .into_iter()
        .map(|(id, text)| json!({"id": id, "shortDescription": {"text": text}}))
        .collect();
    let log = json!({
        "$schema": "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "package-policy",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

fn rule_description(rule: &str) -> String {
    match rule {
        "(default)" => "the policy's default action".to_owned(),
        "(unreadable-license)" => "a license that is not an SPDX expression".to_owned(),
        "not-evaluated" => "a package that could not be evaluated".to_owned(),
        r => format!("policy rule {r}"),
    }
}

/// A relative URI reference for a path: `/` separators, reserved and
/// non-ASCII bytes percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:@!$&'()*+,;=".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
