//! One module per subcommand, plus the loading they share.

pub mod check;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod lint;
pub mod replay;
pub mod scan;
pub mod test;

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

/// Reads and compiles the policy files; prints errors and returns the exit
/// status (2) on failure.
pub fn load(args: &PolicyArgs) -> Result<Loaded, u8> {
    let now = parse_now(args.now.as_deref())?;
    let files = PolicyFiles::read(&args.policies).map_err(|e| {
        eprintln!("{}", e.0);
        exit::USAGE
    })?;
    let engine = crate::feeds::compile(
        &files,
        &args.feeds,
        crate::feeds::Strictness {
            strict: args.strict,
            lenient: args.lenient_feeds,
        },
    )?;
    Ok(Loaded { engine, now })
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
