//! The `package-policy` command line (see POLICY_SPEC §6).

use std::process::ExitCode;

fn main() -> ExitCode {
    eprintln!("package-policy: no subcommands yet");
    ExitCode::from(2)
}
