//! `package-policy scan`: evaluates every package of a lockfile or SBOM.

use std::io::{BufWriter, Write};
use std::path::Path;

use package_policy::{Action, Decision, Request, RequestInput};
use serde_json::json;

use crate::lockfile::{self, Kind, Package};
use crate::{decision_json, exit, Format, PolicyArgs};

/// Above this many packages, progress goes to stderr.
const PROGRESS_OVER: usize = 10_000;

pub fn run(args: &PolicyArgs, path: &Path, format: Format, kind: Option<Kind>) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{name}: cannot read: {e}");
            return exit::USAGE;
        }
    };
    let Some(kind) = kind.or_else(|| lockfile::detect(&text)) else {
        eprintln!("{name}: unrecognised lockfile format; give --lockfile-format");
        return exit::USAGE;
    };
    let parsed = match lockfile::parse(kind, &text) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{name}:{e}");
            return exit::USAGE;
        }
    };
    for note in &parsed.skipped {
        eprintln!("{name}: skipped {note}");
    }

    let total = parsed.packages.len();
    let mut rows = Vec::with_capacity(total);
    for (i, p) in parsed.packages.iter().enumerate() {
        if total > PROGRESS_OVER && (i + 1) % PROGRESS_OVER == 0 {
            eprintln!("scan: {}/{total} packages", i + 1);
        }
        let outcome = request(p).map(|r| loaded.engine.evaluate(&r, loaded.now));
        rows.push((p, outcome));
    }

    let denied = rows
        .iter()
        .any(|(_, o)| matches!(o, Ok(d) if d.action == Action::Deny));
    let failed = rows.iter().any(|(_, o)| o.is_err());
    let written = match format {
        Format::Table => print_table(&rows),
        Format::Json => print_json(&rows),
    };
    if let Err(e) = written {
        eprintln!("scan: {e}");
        return exit::USAGE;
    }
    if denied {
        exit::FAIL
    } else if failed {
        exit::NOT_EVALUATED
    } else {
        exit::OK
    }
}

fn request(p: &Package) -> Result<Request, String> {
    Request::new(RequestInput {
        ecosystem: p.ecosystem.to_owned(),
        name: p.name.clone(),
        version: p.version.clone(),
        license: p.license.clone(),
        ..RequestInput::default()
    })
    .map_err(|e| e.to_string())
}

type Row<'a> = (&'a Package, Result<Decision, String>);

/// The rule that decided, and its reason: the first unsuppressed deny/warn
/// rule, else the first allow rule, else the default.
fn deciding(d: &Decision) -> (String, String) {
    match d.matched.first().or_else(|| d.allowed_by.first()) {
        Some(r) => (
            format!("{}/{}", r.layer, r.id),
            r.reason.as_deref().unwrap_or("").to_owned(),
        ),
        None => ("(default)".to_owned(), String::new()),
    }
}

fn print_table(rows: &[Row]) -> std::io::Result<()> {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|(p, o)| {
            let version = p.version.clone().unwrap_or_else(|| "-".to_owned());
            let (action, rule, reason) = match o {
                Ok(d) => {
                    let (rule, reason) = deciding(d);
                    (d.action.as_str().to_owned(), rule, reason)
                }
                Err(e) => ("error".to_owned(), "-".to_owned(), e.clone()),
            };
            [p.name.clone(), version, action, rule, reason]
        })
        .collect();
    let header = ["PACKAGE", "VERSION", "ACTION", "RULE", "REASON"].map(str::to_owned);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&cells) {
        for (w, c) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for row in std::iter::once(&header).chain(&cells) {
        let [a, b, c, d, e] = row;
        let [wa, wb, wc, wd] = widths;
        let line = format!("{a:wa$}  {b:wb$}  {c:wc$}  {d:wd$}  {e}");
        writeln!(out, "{}", line.trim_end())?;
    }
    let count = |a: &str| cells.iter().filter(|[_, _, c, _, _]| c == a).count();
    writeln!(
        out,
        "\n{} packages: {} denied, {} warned, {} allowed, {} not evaluated",
        cells.len(),
        count("deny"),
        count("warn"),
        count("allow"),
        count("error")
    )?;
    out.flush()
}

/// One JSON array: each package's coordinates merged with its decision JSON
/// (or `error`).
fn print_json(rows: &[Row]) -> std::io::Result<()> {
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|(p, o)| {
            let mut obj = serde_json::Map::new();
            obj.insert("ecosystem".into(), json!(p.ecosystem));
            obj.insert("name".into(), json!(p.name));
            obj.insert("version".into(), json!(p.version));
            let result = match o {
                Ok(d) => decision_json::decision(d),
                Err(e) => decision_json::error(e),
            };
            if let serde_json::Value::Object(r) = result {
                obj.extend(r);
            }
            serde_json::Value::Object(obj)
        })
        .collect();
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, &items)?;
    writeln!(out)?;
    out.flush()
}
