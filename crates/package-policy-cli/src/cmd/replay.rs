//! `package-policy replay`: re-decides logged decisions under a candidate
//! policy and reports every decision that would change, grouped by rule.
//! A log line is a decision as `eval --log` prints it: the decision's keys
//! plus `request`, `now` and `policy` (the digest of the set that decided).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use package_policy::{Action, Engine};
use serde::Deserialize;
use serde_json::{json, Value};

use super::lint::Format;
use crate::{exit, request_json, PolicyArgs};

#[derive(Deserialize)]
struct Logged {
    request: Value,
    now: String,
    action: String,
    #[serde(default)]
    matched: Vec<LoggedRule>,
    #[serde(default)]
    allowed_by: Vec<LoggedRule>,
    #[serde(default)]
    policy: Option<String>,
}

#[derive(Deserialize)]
struct LoggedRule {
    layer: String,
    id: String,
}

/// Changes that share their actions and rules on both sides.
#[derive(Default)]
struct Group {
    count: u64,
    example: Option<Value>,
}

type GroupKey = (String, String, Vec<String>, Vec<String>);

#[derive(Default)]
struct Tally {
    replayed: u64,
    changed: u64,
    skipped: u64,
    policies: BTreeMap<String, u64>,
    groups: BTreeMap<GroupKey, Group>,
}

/// At most this many skipped lines are printed one by one.
const SHOWN_SKIPS: u64 = 20;

pub fn run(log: &Path, args: &PolicyArgs, format: Format) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let input: Box<dyn Read> = if log.as_os_str() == "-" {
        Box::new(std::io::stdin())
    } else {
        match std::fs::File::open(log) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("{}: cannot read the decision log: {e}", log.display());
                return exit::USAGE;
            }
        }
    };
    let mut tally = Tally::default();
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut buf = Vec::new();
    let mut line_no = 0u64;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("{}: {e}", log.display());
                return exit::USAGE;
            }
        }
        line_no += 1;
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if let Err(reason) = replay_line(&buf, &loaded.engine, &mut tally) {
            tally.skipped += 1;
            if tally.skipped <= SHOWN_SKIPS {
                eprintln!("{}:{line_no}: skipped: {reason}", log.display());
            }
        }
    }
    if tally.skipped > SHOWN_SKIPS {
        eprintln!("... {} lines skipped in all", tally.skipped);
    }
    report(&tally, &loaded.engine, format);
    if tally.changed > 0 {
        exit::FAIL
    } else if tally.skipped > 0 {
        exit::NOT_EVALUATED
    } else {
        exit::OK
    }
}

fn ids(rules: &[LoggedRule]) -> Vec<String> {
    rules
        .iter()
        .map(|r| format!("{}/{}", r.layer, r.id))
        .collect()
}

fn replay_line(line: &[u8], engine: &Engine, tally: &mut Tally) -> Result<(), String> {
    let logged: Logged =
        serde_json::from_slice(line).map_err(|e| format!("not a decision-log line: {e}"))?;
    let now: jiff::Timestamp = logged
        .now
        .parse()
        .map_err(|e| format!("now: `{}` is not an RFC 3339 time: {e}", logged.now))?;
    if !matches!(logged.action.as_str(), "allow" | "warn" | "deny") {
        return Err(format!(
            "action: `{}` is not allow, warn or deny",
            logged.action
        ));
    }
    let request = request_json::from_value(logged.request.clone())?;
    let decision = engine.evaluate(&request, now);
    tally.replayed += 1;
    *tally
        .policies
        .entry(logged.policy.unwrap_or_else(|| "(none)".into()))
        .or_default() += 1;
    if decision.action.as_str() == logged.action {
        return Ok(());
    }
    tally.changed += 1;
    let old_rules = if logged.action == "allow" {
        ids(&logged.allowed_by)
    } else {
        ids(&logged.matched)
    };
    let deciding = if decision.action == Action::Allow {
        &decision.allowed_by
    } else {
        &decision.matched
    };
    let new_rules: Vec<String> = deciding
        .iter()
        .map(|r| format!("{}/{}", r.layer, r.id))
        .collect();
    let key = (
        logged.action,
        decision.action.as_str().to_owned(),
        old_rules,
        new_rules,
    );
    let group = tally.groups.entry(key).or_default();
    group.count += 1;
    if group.example.is_none() {
        group.example = Some(request_json::of_request(&request));
    }
    Ok(())
}

fn rules_text(rules: &[String]) -> String {
    if rules.is_empty() {
        "the default".to_owned()
    } else {
        rules.join(", ")
    }
}

fn report(tally: &Tally, engine: &Engine, format: Format) {
    let mut groups: Vec<(&GroupKey, &Group)> = tally.groups.iter().collect();
    groups.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    match format {
        Format::Text => {
            println!(
                "{} of {} replayed decisions change under policy {} ({} lines skipped)",
                tally.changed,
                tally.replayed,
                engine.digest(),
                tally.skipped
            );
            for ((old, new, old_rules, new_rules), g) in groups {
                println!(
                    "{:>10}  {old} -> {new}: was {}, now {}",
                    g.count,
                    rules_text(old_rules),
                    rules_text(new_rules)
                );
                if let Some(e) = &g.example {
                    println!("            e.g. {e}");
                }
            }
        }
        Format::Json => {
            let list: Vec<Value> = groups
                .into_iter()
                .map(|((old, new, old_rules, new_rules), g)| {
                    json!({
                        "old_action": old,
                        "new_action": new,
                        "old_rules": old_rules,
                        "new_rules": new_rules,
                        "count": g.count,
                        "example": g.example,
                    })
                })
                .collect();
            let out = json!({
                "policy": engine.digest(),
                "replayed": tally.replayed,
                "changed": tally.changed,
                "skipped": tally.skipped,
                "logged_policies": tally.policies,
                "groups": list,
            });
            println!("{out}");
        }
    }
}
