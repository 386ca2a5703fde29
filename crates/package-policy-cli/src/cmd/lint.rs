//! `package-policy lint`: findings about rules that never matter, exceptions
//! without effect or owner, and surprising range syntax (docs/analysis.md).

use package_policy::analysis::{self, Finding, LintOptions, Severity};
use package_policy::CompileOptions;
use serde_json::{json, Value};

use crate::policy_files::PolicyFiles;
use crate::{exit, PolicyArgs};

/// Output of the analysis commands (lint, diff, replay).
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

pub fn run(args: &PolicyArgs, expiring: &str, format: Format) -> u8 {
    // Lint reads the rules as written; a bundle holds them compiled.
    if args.engine.is_some() || args.policies.is_empty() {
        eprintln!("lint: give the policy files with --policy (a bundle cannot be linted)");
        return exit::USAGE;
    }
    let now = match super::parse_now(args.now.as_deref()) {
        Ok(n) => n,
        Err(code) => return code,
    };
    let window = match analysis::parse_duration(expiring) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("--expiring: {e}");
            return exit::USAGE;
        }
    };
    let files = match PolicyFiles::read(&args.policies) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}", e.0);
            return exit::USAGE;
        }
    };
    let mut compile = CompileOptions::default()
        .strict_feeds(args.strict)
        .lenient_feeds(args.lenient_feeds);
    for f in &args.feeds {
        match crate::feeds::read(f) {
            Ok(feed) => compile = compile.with_feed(feed),
            Err(e) => {
                eprintln!("{e}");
                return exit::USAGE;
            }
        }
    }
    let options = LintOptions {
        expiring_within: window,
        compile,
        ..LintOptions::new(now)
    };
    let findings = match analysis::lint(&files.sources, &options) {
        Ok(f) => f,
        Err(e) => {
            eprint!("{}", files.render(&e));
            return exit::USAGE;
        }
    };
    match format {
        Format::Text => {
            for f in &findings {
                println!("{f}");
            }
            let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
            eprintln!(
                "{} errors, {} warnings, {} notes",
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            );
        }
        Format::Json => {
            let list: Vec<Value> = findings.iter().map(finding_json).collect();
            println!("{}", Value::Array(list));
        }
    }
    if findings.iter().any(|f| f.severity > Severity::Info) {
        exit::FAIL
    } else {
        exit::OK
    }
}

pub fn finding_json(f: &Finding) -> Value {
    json!({
        "kind": f.kind.as_str(),
        "severity": f.severity.as_str(),
        "file": f.source_name,
        "layer": f.layer,
        "id": f.rule_id,
        "line": f.line,
        "column": f.column,
        "message": f.message,
    })
}
