//! `package-policy check FILE...`: exit 0 when the files compile as one set.

use std::path::PathBuf;

use package_policy::validate;

use crate::exit;
use crate::policy_files::PolicyFiles;

pub fn run(files: &[PathBuf]) -> u8 {
    let policy = match PolicyFiles::read(files) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.0);
            return exit::FAIL;
        }
    };
    let errors = validate(&policy.sources);
    if errors.is_empty() {
        return exit::OK;
    }
    for e in &errors {
        eprint!("{}", policy.render(e));
    }
    exit::FAIL
}
