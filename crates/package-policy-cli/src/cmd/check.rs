//! `package-policy check FILE...`: exit 0 when the files compile as one set.

use std::io::Write as _;
use std::path::PathBuf;

use package_policy::validate_capped;

use crate::exit;
use crate::policy_files::PolicyFiles;

/// `max_errors` 0 prints every error.
pub fn run(files: &[PathBuf], max_errors: usize) -> u8 {
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
