//! One module per subcommand, plus the loading they share.

pub mod check;
pub mod compile;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod lint;
pub mod replay;
pub mod resolve;
pub mod scan;
pub mod test;

use std::path::Path;

use jiff::Timestamp;
use package_policy::Engine;

use crate::exit;
use crate::policy_files::PolicyFiles;
use crate::PolicyArgs;

/// A compiled policy set and the time to evaluate at.
pub struct Loaded {
    pub engine: Engine,
    pub now: Timestamp,
}

/// Loads the bundle and compiles the policy files (stacked on the bundle);
/// prints errors and returns the exit status (2) on failure.
pub fn load(args: &PolicyArgs) -> Result<Loaded, u8> {
    let now = parse_now(args.now.as_deref())?;
    let base = args.engine.as_deref().map(load_bundle).transpose()?;
    let files = PolicyFiles::read(&args.policies).map_err(|e| {
        eprintln!("{}", e.0);
        exit::USAGE
    })?;
    let engine = match (base, files.sources.is_empty()) {
        (Some(base), true) if args.feeds.is_empty() => base,
        (base, _) => crate::feeds::compile(
            base.as_ref(),
            &files,
            &args.feeds,
            crate::feeds::Strictness {
                strict: args.strict,
                lenient: args.lenient_feeds,
            },
        )?,
    };
    Ok(Loaded { engine, now })
}

/// Reads a bundle written by `package-policy compile`.
pub fn load_bundle(path: &Path) -> Result<Engine, u8> {
    let name = path.display();
    let bytes = std::fs::read(path).map_err(|e| {
        eprintln!("{name}: cannot read bundle: {e}");
        exit::USAGE
    })?;
    Engine::from_bytes(&bytes).map_err(|e| {
        eprintln!("{name}: {e}");
        exit::USAGE
    })
}

pub fn parse_now(now: Option<&str>) -> Result<Timestamp, u8> {
    match now {
        None => Ok(Timestamp::now()),
        Some(s) => s.parse().map_err(|e| {
            eprintln!("--now: `{s}` is not an RFC 3339 time: {e}");
            exit::USAGE
        }),
    }
}
