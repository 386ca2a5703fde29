//! `package-policy diff`: every region of requests the two policy sets decide
//! differently, with the rules responsible and a witness request.

use std::path::PathBuf;

use package_policy::analysis::{self, Outcome, Region};
use package_policy::CompileOptions;
use serde_json::{json, Value};

use super::lint::Format;
use crate::policy_files::PolicyFiles;
use crate::{decision_json, exit, request_json};

pub struct Args<'a> {
    pub old: &'a [PathBuf],
    pub new: &'a [PathBuf],
    pub feeds: &'a [String],
    pub lenient_feeds: bool,
    pub now: Option<&'a str>,
    pub format: Format,
}

pub fn run(args: &Args<'_>) -> u8 {
    let now = match super::parse_now(args.now) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let read = |paths: &[PathBuf]| {
        PolicyFiles::read(paths).map_err(|e| {
            eprintln!("{}", e.0);
            exit::USAGE
        })
    };
    let (old, new) = match (read(args.old), read(args.new)) {
        (Ok(o), Ok(n)) => (o, n),
        (Err(code), _) | (_, Err(code)) => return code,
    };
    let mut options = CompileOptions::default().lenient_feeds(args.lenient_feeds);
    for f in args.feeds {
        match crate::feeds::read(f) {
            Ok(feed) => options = options.with_feed(feed),
            Err(e) => {
                eprintln!("{e}");
                return exit::USAGE;
            }
        }
    }
    let d = match analysis::diff(&old.sources, &new.sources, now, &options) {
        Ok(d) => d,
        Err(analysis::DiffError::Old(e)) => {
            eprint!("old policy: {}", old.render(&e));
            return exit::USAGE;
        }
        Err(analysis::DiffError::New(e)) => {
            eprint!("new policy: {}", new.render(&e));
            return exit::USAGE;
        }
        Err(e) => {
            eprintln!("diff: {e}");
            return exit::USAGE;
        }
    };
    match args.format {
        Format::Text => {
            for r in &d.regions {
                print!("{}", text(r));
            }
            if d.is_equivalent() {
                println!("equivalent: no request is decided differently");
            } else {
                println!("{} regions decided differently", d.regions.len());
            }
        }
        Format::Json => {
            let regions: Vec<Value> = d.regions.iter().map(region_json).collect();
            let out = json!({
                "equivalent": d.is_equivalent(),
                "now": d.now.to_string(),
                "regions": regions,
            });
            println!("{out}");
        }
    }
    if d.is_equivalent() {
        exit::OK
    } else {
        exit::FAIL
    }
}

fn side(o: &Outcome) -> String {
    if o.default {
        return format!("{} (default)", o.action);
    }
    let ids: Vec<String> = o
        .rules
        .iter()
        .map(|r| format!("{}/{}", r.layer, r.id))
        .collect();
    format!("{} by {}", o.action, ids.join(", "))
}

fn names(r: &Region) -> String {
    if r.any_name {
        format!(
            "any name where no rule naming packages holds (such as {})",
            r.names.join(", ")
        )
    } else if r.exact {
        let shown: Vec<&str> = r.names.iter().take(5).map(String::as_str).collect();
        let more = r.names.len().saturating_sub(shown.len());
        let mut s = shown.join(", ");
        if more > 0 {
            s.push_str(&format!(" and {more} more"));
        }
        s
    } else if r.patterns.is_empty() {
        format!("names no rule names (such as {})", r.names.join(", "))
    } else {
        format!(
            "names matching only {} (such as {})",
            r.patterns.join(", "),
            r.names.join(", ")
        )
    }
}

fn text(r: &Region) -> String {
    let versions = match &r.versions {
        Some(v) => format!("versions {v}"),
        None => "no version".to_owned(),
    };
    let mut out = format!(
        "{} {}, {}: {} -> {}\n",
        r.ecosystem,
        names(r),
        versions,
        r.old.action,
        r.new.action
    );
    for (k, v) in &r.facts {
        out.push_str(&format!("  {k}: {v}\n"));
    }
    out.push_str(&format!(
        "  old: {}\n  new: {}\n",
        side(&r.old),
        side(&r.new)
    ));
    out.push_str(&format!(
        "  witness: {} {} at {}\n",
        r.witness.purl,
        request_json::to_json(&r.witness.request),
        r.witness.now
    ));
    out
}

fn outcome_json(o: &Outcome) -> Value {
    let rules: Vec<Value> = o
        .rules
        .iter()
        .map(|r| Value::Object(decision_json::rule(r)))
        .collect();
    json!({ "action": o.action.as_str(), "rules": rules, "default": o.default })
}

pub fn region_json(r: &Region) -> Value {
    json!({
        "ecosystem": r.ecosystem.as_str(),
        "names": r.names,
        "exact": r.exact,
        "any_name": r.any_name,
        "patterns": r.patterns,
        "versions": r.versions.as_ref().map(ToString::to_string),
        "facts": r.facts,
        "old": outcome_json(&r.old),
        "new": outcome_json(&r.new),
        "witness": {
            "purl": r.witness.purl,
            "request": request_json::to_json(&r.witness.request),
            "now": r.witness.now.to_string(),
        },
    })
}
