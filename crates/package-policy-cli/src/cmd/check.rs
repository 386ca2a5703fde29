//! `package-policy check FILE...`: exit 0 when the files compile as one set.

use std::io::Write as _;
use std::path::PathBuf;

use package_policy::{validate_capped, CompileError, Validation};
use serde_json::json;

use super::lint::Format;
use crate::exit;
use crate::policy_files::PolicyFiles;

/// `max_errors` 0 prints every error.
pub fn run(files: &[PathBuf], max_errors: usize, format: Format) -> u8 {
    let policy = match PolicyFiles::read(files) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.0);
            return exit::FAIL;
        }
    };
    let cap = if max_errors == 0 {
        usize::MAX
    } else {
        max_errors
    };
    let report = validate_capped(&policy.sources, cap);
    if let Format::Json = format {
        println!("{}", report_json(&report));
        return if report.is_ok() { exit::OK } else { exit::FAIL };
    }
    if report.is_ok() {
        return exit::OK;
    }
    let mut err = std::io::stderr().lock();
    for e in &report.errors {
        let _ = err.write_all(policy.render(e).as_bytes());
    }
    if report.more > 0 {
        let _ = writeln!(
            err,
            "... and {} more error{} (--max-errors N prints more, 0 all)",
            report.more,
            if report.more == 1 { "" } else { "s" },
        );
    }
    exit::FAIL
}

fn report_json(report: &Validation) -> serde_json::Value {
    let errors: Vec<_> = report.errors.iter().map(error_json).collect();
    json!({ "ok": report.is_ok(), "errors": errors, "more": report.more })
}

/// One error; `kind` is the core's name for it (as Ruby's `PolicyError#kind`).
fn error_json(e: &CompileError) -> serde_json::Value {
    json!({
        "kind": e.kind.as_str(),
        "message": e.message,
        "source": e.source_name,
        "layer": e.layer.as_deref().unwrap_or(&e.source_name),
        "line": e.line,
        "column": e.column,
        "path": e.path,
    })
}
