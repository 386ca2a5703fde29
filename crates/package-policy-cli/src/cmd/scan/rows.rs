//! Packages → rows: folded to one per package, licenses read, evaluated.

use std::collections::HashMap;

use package_policy::{Action, Decision, Request, RequestInput};

use crate::cmd::Loaded;
use crate::lockfile::{license, At, Package, Parsed, SkipReason};

/// One line of a scan's result.
pub struct Row {
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    pub at: At,
    pub outcome: Outcome,
}

pub enum Outcome {
    /// Evaluated. `action` is the decision's, raised by the unreadable-license
    /// action when `license_error` is set.
    Decided {
        decision: Decision,
        action: Action,
        license_error: Option<String>,
    },
    /// Could not be evaluated (a bad name, version or purl).
    Error(String),
    Skipped {
        reason: SkipReason,
        detail: String,
    },
}

impl Row {
    /// `deny`, `warn`, `allow`, `error` or `skipped`.
    pub fn action_str(&self) -> &'static str {
        match &self.outcome {
            Outcome::Decided { action, .. } => action.as_str(),
            Outcome::Error(_) => "error",
            Outcome::Skipped { .. } => "skipped",
        }
    }

    /// The deciding rule (`layer/id`, `(default)`, `(unreadable-license)`) and
    /// the reason, each on one line.
    pub fn rule_and_reason(&self) -> (String, String) {
        let (rule, reason) = match &self.outcome {
            Outcome::Decided {
                decision,
                action,
                license_error,
            } => {
                let (rule, reason) = deciding(decision);
                match license_error {
                    Some(e) if *action > decision.action => {
                        ("(unreadable-license)".to_owned(), e.clone())
                    }
                    Some(e) if reason.is_empty() => (rule, e.clone()),
                    Some(e) => (rule, format!("{reason}; {e}")),
                    None => (rule, reason),
                }
            }
            Outcome::Error(e) => ("-".to_owned(), e.clone()),
            Outcome::Skipped { reason, detail } if detail.is_empty() => {
                ("-".to_owned(), reason.as_str().to_owned())
            }
            Outcome::Skipped { reason, detail } => {
                ("-".to_owned(), format!("{}: {detail}", reason.as_str()))
            }
        };
        (one_line(&rule), one_line(&reason))
    }
}

pub fn one_line(s: &str) -> String {
    s.replace(['\n', '\r', '\t'], " ")
}

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

/// One package, one row: packages are folded on (ecosystem, normalized name,
/// version); the licenses of folded entries must all hold (`AND`).
fn fold(packages: Vec<Package>) -> Vec<Package> {
    let mut index: HashMap<(String, String, Option<String>), usize> = HashMap::new();
    let mut out: Vec<Package> = Vec::with_capacity(packages.len());
    for p in packages {
        if p.problem.is_some() {
            out.push(p);
            continue;
        }
        let key = match Request::new(RequestInput {
            ecosystem: p.ecosystem.clone(),
            name: p.name.clone(),
            ..RequestInput::default()
        }) {
            Ok(r) => (
                r.ecosystem().as_str().to_owned(),
                r.name().to_owned(),
                p.version.clone(),
            ),
            Err(_) => (p.ecosystem.clone(), p.name.clone(), p.version.clone()),
        };
        match index.get(&key).and_then(|&i| out.get_mut(i)) {
            Some(first) => {
                if let Some(l) = p.license {
                    first.license = match first.license.take() {
                        None => Some(l),
                        Some(f) if f == l => Some(f),
                        Some(f) => Some(format!("({f}) AND ({l})")),
                    };
                }
            }
            None => {
                index.insert(key, out.len());
                out.push(p);
            }
        }
    }
    out
}

pub fn evaluate(parsed: Parsed, loaded: &Loaded, unreadable_license: Action) -> Vec<Row> {
    let packages = fold(parsed.packages);
    let total = packages.len();
    let progress = super::progress::Progress::new(total);
    let mut rows = Vec::with_capacity(total + parsed.skipped.len());
    for (i, p) in packages.into_iter().enumerate() {
        progress.tick(i + 1);
        let outcome = outcome(&p, loaded, unreadable_license);
        rows.push(Row {
            ecosystem: p.ecosystem,
            name: p.name,
            version: p.version,
            at: p.at,
            outcome,
        });
    }
    progress.finish();
    rows.extend(parsed.skipped.into_iter().map(|s| Row {
        ecosystem: s.ecosystem,
        name: s.name,
        version: s.version,
        at: s.at,
        outcome: Outcome::Skipped {
            reason: s.reason,
            detail: s.detail,
        },
    }));
    rows
}

fn outcome(p: &Package, loaded: &Loaded, unreadable_license: Action) -> Outcome {
    if let Some(problem) = &p.problem {
        return Outcome::Error(one_line(problem));
    }
    let (license, license_error) = match p.license.as_deref().map(license::canonical) {
        None => (None, None),
        Some(Ok(l)) => (Some(l), None),
        Some(Err(e)) => (None, Some(e)),
    };
    let request = Request::new(RequestInput {
        ecosystem: p.ecosystem.clone(),
        name: p.name.clone(),
        version: p.version.clone(),
        license,
        ..RequestInput::default()
    });
    match request {
        Err(e) => Outcome::Error(one_line(&e.to_string())),
        Ok(r) => {
            let decision = loaded.engine.evaluate(&r, loaded.now);
            let action = match &license_error {
                Some(_) => decision.action.max(unreadable_license),
                None => decision.action,
            };
            Outcome::Decided {
                decision,
                action,
                license_error,
            }
        }
    }
}
