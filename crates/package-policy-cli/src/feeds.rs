//! `--feed NAME=PATH`: intelligence feeds compiled into the layers that declare them.

use package_policy::Engine;

use crate::exit;
use crate::policy_files::PolicyFiles;

/// Compiles the policy files with the feeds given on the command line.
pub fn compile(files: &PolicyFiles, feeds: &[String], _strict: bool) -> Result<Engine, u8> {
    if let Some(f) = feeds.first() {
        eprintln!("--feed {f}: feeds are not supported yet");
        return Err(exit::USAGE);
    }
    files.compile().map_err(|e| {
        eprint!("{}", files.render(&e));
        exit::USAGE
    })
}
