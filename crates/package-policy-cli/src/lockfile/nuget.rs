//! NuGet packages.lock.json (versions 1 and 2): per target framework, each
//! package with its `type` (`Direct`, `Transitive`, `CentralTransitive`) and
//! `resolved` version; `Project` references are workspace skips. A package
//! of several frameworks is one package (folded by the scan).

use serde::Deserialize;

use super::position::{Entries, Lines};
use super::{json_error, LockError, Package, Parsed, SkipReason, Skipped};

#[derive(Deserialize)]
struct Lock<'a> {
    version: Option<u64>,
    #[serde(borrow)]
    dependencies: Option<Entries<'a>>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(rename = "type")]
    kind: String,
    resolved: Option<String>,
}

pub fn parse(text: &str) -> Result<Parsed, LockError> {
    let lock: Lock = serde_json::from_str(text).map_err(|e| json_error(&e))?;
    if !matches!(lock.version, Some(1 | 2)) {
        return Err(LockError::new(format!(
            "unknown packages.lock.json version {:?} (1 and 2 are known)",
            lock.version
        )));
    }
    let deps = lock
        .dependencies
        .ok_or_else(|| LockError::new("no `dependencies`: not a packages.lock.json"))?;
    let lines = Lines::new(text);
    let mut out = Parsed {
        structure_seen: true,
        ..Parsed::default()
    };
    for (framework, raw) in deps.0 {
        let line = lines.line_of(raw.get()).unwrap_or(1);
        let packages: Entries = serde_json::from_str(raw.get())
            .map_err(|e| LockError::line(line, format!("{framework}: {e}")))?;
        for (name, raw) in packages.0 {
            let line = lines.line_of(raw.get()).unwrap_or(1);
            let e: Entry = serde_json::from_str(raw.get())
                .map_err(|err| LockError::line(line, format!("{framework}.{name}: {err}")))?;
            match (e.kind.as_str(), e.resolved) {
                ("Project", _) => out.skipped.push(
                    Skipped::new("nuget", name, SkipReason::Workspace)
                        .detail(format!("a project reference ({framework})"))
                        .at_line(line),
                ),
                ("Direct" | "Transitive" | "CentralTransitive", Some(v)) => {
                    out.packages.push(Package::new("nuget", name, v).at_line(line));
                }
                (kind, _) => {
                    return Err(LockError::line(
                        line,
                        format!("{framework}.{name}: type `{kind}` without a `resolved` version, or unknown"),
                    ))
                }
            }
        }
    }
    Ok(out)
}
