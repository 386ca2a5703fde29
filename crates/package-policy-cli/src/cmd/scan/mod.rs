//! `package-policy scan`: evaluates every package of a lockfile or SBOM and
//! lists every entry it does not evaluate, with the reason.

mod json;
mod junit;
mod markdown;
mod progress;
mod rows;
mod sarif;
mod table;

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use package_policy::Action;

use crate::lockfile::{self, Kind};
use crate::{exit, PolicyArgs};

pub use rows::{Outcome, Row};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
    /// JUnit XML: a test case per package
    Junit,
    /// SARIF 2.1.0: a result per denied or warned package, at its line
    Sarif,
    /// A short Markdown table for a merge-request comment
    Markdown,
}

/// What a scan does with a license it cannot read (docs/cli.md).
#[derive(Clone, Copy, ValueEnum)]
pub enum UnreadableLicense {
    Allow,
    Warn,
    Deny,
}

impl UnreadableLicense {
    fn action(self) -> Action {
        match self {
            UnreadableLicense::Allow => Action::Allow,
            UnreadableLicense::Warn => Action::Warn,
            UnreadableLicense::Deny => Action::Deny,
        }
    }
}

pub struct Options<'a> {
    pub path: &'a Path,
    pub format: Format,
    pub kind: Option<Kind>,
    /// The flag, which overrides the policy's `unreadable_license`.
    pub unreadable_license: Option<UnreadableLicense>,
}

pub fn run(args: &PolicyArgs, opts: &Options) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let name = opts.path.display().to_string();
    let parsed = lockfile::read(opts.path).and_then(|text| {
        let kind = opts
            .kind
            .or_else(|| lockfile::detect(opts.path, &text))
            .ok_or_else(|| {
                lockfile::LockError::new("unrecognised lockfile format; give --lockfile-format")
            })?;
        lockfile::parse(kind, opts.path, &text)
    });
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{}", e.located(&name));
            return exit::USAGE;
        }
    };
    // The flag, else the policy's `unreadable_license`, else warn.
    let unreadable_license = opts
        .unreadable_license
        .map(UnreadableLicense::action)
        .or(loaded.engine.unreadable_license())
        .unwrap_or(Action::Warn);
    let rows = rows::evaluate(parsed, &loaded, unreadable_license);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = match opts.format {
        Format::Table => table::write(&mut out, &rows),
        Format::Json => json::write(&mut out, &rows),
        Format::Junit => junit::write(&mut out, &rows, &name),
        Format::Sarif => sarif::write(&mut out, &rows, &name),
        Format::Markdown => markdown::write(&mut out, &rows, &name),
    }
    .and_then(|()| out.flush());
    if let Err(e) = written {
        eprintln!("scan: {e}");
        return exit::USAGE;
    }
    let action = |a: Action| {
        rows.iter()
            .any(|r| matches!(&r.outcome, Outcome::Decided { action, .. } if *action == a))
    };
    if action(Action::Deny) {
        exit::FAIL
    } else if rows.iter().any(|r| matches!(r.outcome, Outcome::Error(_))) {
        exit::NOT_EVALUATED
    } else {
        exit::OK
    }
}
