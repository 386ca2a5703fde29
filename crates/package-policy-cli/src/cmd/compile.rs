//! `package-policy compile`: a policy set (on a bundle, with `--engine`)
//! compiled once and written as a bundle that `--engine` and the gem load
//! without compiling again.

use std::path::Path;

use crate::{exit, PolicyArgs};

pub fn run(args: &PolicyArgs, output: &Path) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let engine = loaded.engine;
    if let Err(e) = std::fs::write(output, engine.to_bytes()) {
        eprintln!("{}: cannot write bundle: {e}", output.display());
        return exit::USAGE;
    }
    println!("digest: {}", engine.digest());
    println!("rules: {}", engine.rule_count());
    exit::OK
}
