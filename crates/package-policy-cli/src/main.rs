//! The `package-policy` command line (POLICY_SPEC §6).

mod cmd;
mod decision_json;
mod feeds;
mod lockfile;
mod policy_files;
mod request_json;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit statuses shared by the subcommands.
pub mod exit {
    /// Success: compiled, evaluated, all tests passed, nothing denied.
    pub const OK: u8 = 0;
    /// `check`: policy errors; `test`: a test failed; `scan`: something is denied.
    pub const FAIL: u8 = 1;
    /// Usage errors, unreadable inputs, policy errors of `eval`/`explain`/`scan`/`test`.
    pub const USAGE: u8 = 2;
    /// Some requests could not be evaluated.
    pub const NOT_EVALUATED: u8 = 3;
}

#[derive(Parser)]
#[command(
    name = "package-policy",
    version,
    about = "Check, evaluate, explain, test, scan and analyse layered package policies"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Options shared by the commands that evaluate.
#[derive(clap::Args)]
pub struct PolicyArgs {
    /// A compiled bundle (`package-policy compile`); the `--policy` layers,
    /// if any, stack on top of it.
    #[arg(
        long = "engine",
        value_name = "FILE",
        required_unless_present = "policies"
    )]
    pub engine: Option<PathBuf>,
    /// A policy layer (YAML); repeat it, outermost (instance) first.
    #[arg(long = "policy", value_name = "FILE")]
    pub policies: Vec<PathBuf>,
    /// Loads an intelligence feed a layer declares: NAME=PATH (a JSON file,
    /// a directory of them, or JSON Lines).
    #[arg(long = "feed", value_name = "NAME=PATH")]
    pub feeds: Vec<String>,
    /// Fail when a feed record is invalid instead of skipping it.
    #[arg(long)]
    pub strict: bool,
    /// Skip and report a feed document that is not JSON or is empty, and a
    /// feed none of whose records yields a rule, instead of failing.
    #[arg(long)]
    pub lenient_feeds: bool,
    /// The evaluation time (RFC 3339); the system clock when absent.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Compile policy files as one policy set; report every error.
    Check {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Print at most N errors, then how many more there are (0: all).
        #[arg(long, value_name = "N", default_value_t = package_policy::DEFAULT_MAX_ERRORS)]
        max_errors: usize,
        /// `json`: one object on stdout, `{ok, errors: [{kind, message,
        /// source, layer, line, column, path}], more}`.
        #[arg(long, value_enum, default_value_t = cmd::lint::Format::Text)]
        format: cmd::lint::Format,
    },
    /// Evaluate package URLs, or JSON Lines requests from stdin.
    Eval {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Package URLs; without them, one JSON request per stdin line.
        #[arg(value_name = "PURL")]
        purls: Vec<String>,
        /// Decision-log lines: each decision also carries its `request`, `now`
        /// and the `policy` digest, as `replay` reads them.
        #[arg(long)]
        log: bool,
    },
    /// For each stdin line `{ecosystem, name, range, versions, ...facts}`, the
    /// newest version in range the policy serves (allow or warn), and the
    /// decision of each newer in-range version it refused.
    Resolve {
        #[command(flatten)]
        policy: PolicyArgs,
    },
    /// Show how every rule fared for one request, and why the decision is what it is.
    Explain {
        #[command(flatten)]
        policy: PolicyArgs,
        /// A package URL or a JSON request object.
        #[arg(value_name = "REQUEST")]
        request: String,
    },
    /// Report rules that never matter, ineffective or unowned exceptions and
    /// surprising range syntax. Exit 1 when any finding is a warning or error.
    Lint {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Report exceptions expiring within this window (`30m`, `72h`, `14d`).
        #[arg(long, value_name = "DURATION", default_value = "14d")]
        expiring: String,
        #[arg(long, value_enum, default_value_t = cmd::lint::Format::Text)]
        format: cmd::lint::Format,
    },
    /// Every region of requests two policy sets decide differently, with a
    /// witness request each. Exit 0 when equivalent, 1 when they differ.
    Diff {
        /// A layer of the old set; repeat it, outermost first.
        #[arg(long = "old", value_name = "FILE", required = true)]
        old: Vec<PathBuf>,
        /// A layer of the new set; repeat it, outermost first.
        #[arg(long = "new", value_name = "FILE", required = true)]
        new: Vec<PathBuf>,
        /// A feed both sets declare: NAME=PATH.
        #[arg(long = "feed", value_name = "NAME=PATH")]
        feeds: Vec<String>,
        /// Skip and report unreadable or empty feeds instead of failing.
        #[arg(long)]
        lenient_feeds: bool,
        /// Compare at this time (RFC 3339) and at every expiry after it.
        #[arg(long, value_name = "RFC3339")]
        now: Option<String>,
        #[arg(long, value_enum, default_value_t = cmd::lint::Format::Text)]
        format: cmd::lint::Format,
    },
    /// Re-decide a decision log (`eval --log` lines, or the Rails
    /// DecisionLog's) under a candidate policy; report every changed decision,
    /// grouped by rule. Exit 0 when none changes, 1 when some do, 3 when
    /// nothing changes but some lines could not be replayed.
    Replay {
        /// The decision log (JSON Lines); `-` for stdin.
        #[arg(value_name = "LOG")]
        log: PathBuf,
        #[command(flatten)]
        policy: PolicyArgs,
        #[arg(long, value_enum, default_value_t = cmd::lint::Format::Text)]
        format: cmd::lint::Format,
    },
    /// Run policy unit tests.
    Test {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// A compiled bundle the test file's policies stack on.
        #[arg(long = "engine", value_name = "FILE")]
        engine: Option<PathBuf>,
    },
    /// Compile a policy set (on a bundle, with --engine) into a bundle file.
    Compile {
        #[command(flatten)]
        policy: PolicyArgs,
        /// Where to write the bundle.
        #[arg(short = 'o', long = "output", value_name = "FILE")]
        output: PathBuf,
    },
    /// Evaluate every package of a lockfile or SBOM.
    Scan {
        #[command(flatten)]
        policy: PolicyArgs,
        #[arg(value_name = "LOCKFILE")]
        lockfile: PathBuf,
        #[arg(long, value_enum, default_value_t = cmd::scan::Format::Table)]
        format: cmd::scan::Format,
        /// Overrides the format detected from the file's name and content.
        #[arg(long, value_enum, value_name = "FORMAT")]
        lockfile_format: Option<lockfile::Kind>,
        /// The action for a package whose license cannot be read as SPDX;
        /// overrides the policy's `unreadable_license` (default: warn).
        #[arg(long, value_enum, value_name = "ACTION")]
        unreadable_license: Option<cmd::scan::UnreadableLicense>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check {
            files,
            max_errors,
            format,
        } => cmd::check::run(&files, max_errors, format),
        Command::Eval { policy, purls, log } => cmd::eval::run(&policy, &purls, log),
        Command::Explain { policy, request } => cmd::explain::run(&policy, &request),
        Command::Resolve { policy } => cmd::resolve::run(&policy),
        Command::Lint {
            policy,
            expiring,
            format,
        } => cmd::lint::run(&policy, &expiring, format),
        Command::Diff {
            old,
            new,
            feeds,
            lenient_feeds,
            now,
            format,
        } => cmd::diff::run(&cmd::diff::Args {
            old: &old,
            new: &new,
            feeds: &feeds,
            lenient_feeds,
            now: now.as_deref(),
            format,
        }),
        Command::Replay {
            log,
            policy,
            format,
        } => cmd::replay::run(&log, &policy, format),
        Command::Test { file, engine } => cmd::test::run(&file, engine.as_deref()),
        Command::Compile { policy, output } => cmd::compile::run(&policy, &output),
        Command::Scan {
            policy,
            lockfile,
            format,
            lockfile_format,
            unreadable_license,
        } => cmd::scan::run(
            &policy,
            &cmd::scan::Options {
                path: &lockfile,
                format,
                kind: lockfile_format,
                unreadable_license,
            },
        ),
    };
    ExitCode::from(code)
}
