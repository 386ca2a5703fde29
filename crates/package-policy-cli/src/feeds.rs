//! `--feed NAME=PATH`: intelligence feeds compiled into the layers that declare them.
//! PATH is a JSON file, a JSON Lines file, or a directory searched recursively
//! for `*.json` and `*.jsonl` files (such as a checkout of the OpenSSF
//! malicious-packages repository's `osv/` tree), read in path order.

use std::path::{Path, PathBuf};

use package_policy::{CompileOptions, Engine, FeedSource};

use crate::exit;
use crate::policy_files::PolicyFiles;

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "jsonl")
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Reads `NAME=PATH` into a feed source.
pub fn read(arg: &str) -> Result<FeedSource, String> {
    let (name, path) = arg
        .split_once('=')
        .filter(|(n, p)| !n.is_empty() && !p.is_empty())
        .ok_or_else(|| format!("--feed {arg}: expected NAME=PATH"))?;
    let path = Path::new(path);
    let mut files = Vec::new();
    if path.is_dir() {
        collect(path, &mut files).map_err(|e| format!("--feed {arg}: {e}"))?;
        files.sort();
    } else {
        files.push(path.to_owned());
    }
    let mut source = FeedSource::new(name);
    for f in files {
        let text = std::fs::read_to_string(&f)
            .map_err(|e| format!("--feed {arg}: {}: {e}", f.display()))?;
        source = source.with_document(f.display().to_string(), text);
    }
    Ok(source)
}

/// How feed problems are treated: `--strict`, `--lenient-feeds`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Strictness {
    pub strict: bool,
    pub lenient: bool,
}

/// Compiles the policy files with the feeds given on the command line, on
/// `base` when given (the files stack on it); prints skipped feed documents
/// and records to stderr, with counts.
pub fn compile(
    base: Option<&Engine>,
    files: &PolicyFiles,
    feeds: &[String],
    how: Strictness,
) -> Result<Engine, u8> {
    let mut options = CompileOptions::default()
        .strict_feeds(how.strict)
        .lenient_feeds(how.lenient);
    for f in feeds {
        options = options.with_feed(read(f).map_err(|e| {
            eprintln!("{e}");
            exit::USAGE
        })?);
    }
    let compiled = match base {
        Some(base) => base.stack_with(&files.sources, &options),
        None => Engine::compile_with(&files.sources, &options),
    };
    let engine = compiled.map_err(|e| {
        eprint!("{}", files.render(&e));
        exit::USAGE
    })?;
    let report = engine.feed_report();
    for issue in &report.issues {
        eprintln!("warning: {issue}");
    }
    for (name, s) in &report.feeds {
        if !s.reasons.is_empty() {
            eprintln!(
                "feed {name}: {} records, {} rules, {} fix versions, {} withdrawn, {} skipped ({})",
                s.records,
                s.rules,
                s.fixes,
                s.withdrawn,
                s.skipped,
                s.reasons_text()
            );
        }
    }
    Ok(engine)
}
