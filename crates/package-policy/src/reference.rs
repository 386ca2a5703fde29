//! The reference evaluator: POLICY_SPEC §4 read literally, rule by rule.
//!
//! It is the oracle the compiled engine is checked against (tests, proptest,
//! fuzzing) and the baseline in benchmarks. It shares the parser and the
//! validated rule model with the engine, but none of the index: every
//! condition is checked here with its own simple matcher (globs by recursive
//! backtracking over the tokens). Never used on the hot path.

use jiff::Timestamp;

use crate::decision::{Action, Decision, RuleRef, Suppressed};
use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::Tok;
use crate::layer::{Layer, Rule};
use crate::limits::Limits;
use crate::names::normalize as normalize_name;
use crate::request::Request;
use crate::source::LayerSource;
use crate::validate::parse_policy_set;

/// A policy set evaluated by scanning every rule.
#[derive(Debug, Clone)]
pub struct Reference {
    layers: Vec<Layer>,
}

impl Reference {
    /// Parses and validates `sources` exactly as [`crate::Engine::compile`] does.
    pub fn compile(sources: &[LayerSource]) -> Result<Reference, CompileError> {
        Self::compile_with_limits(sources, &Limits::default())
    }

    pub fn compile_with_limits(
        sources: &[LayerSource],
        limits: &Limits,
    ) -> Result<Reference, CompileError> {
        Ok(Reference {
            layers: parse_policy_set(sources, limits)?,
        })
    }

    /// With feeds, exactly as [`crate::Engine::compile_with`]: feed records
    /// become rules of their layers (enforced unless the declaration says
    /// `enforced: false`), checked here rule by rule like any other.
    pub fn compile_with(
        sources: &[LayerSource],
        options: &CompileOptions,
    ) -> Result<Reference, CompileError> {
        let mut layers = parse_policy_set(sources, &options.limits)?;
        crate::feed::attach(&mut layers, sources, options)?;
        Ok(Reference { layers })
    }

    /// Decides `req` at `now` by the five steps of §4.
    pub fn evaluate(&self, req: &Request, now: Timestamp) -> Decision {
        evaluate(&self.layers, req, now)
    }
}

pub(crate) fn holds(rule: &Rule, req: &Request, now: Timestamp) -> bool {
    let c = &rule.cond;
    c.ecosystems
        .as_ref()
        .is_none_or(|es| es.contains(&req.ecosystem))
        && c.packages.as_ref().is_none_or(|ps| {
            ps.iter().any(|g| {
                let pattern = g.normalized(Some(req.ecosystem));
                // The request name is normalized already; normalizing it again is harmless.
                let name: Vec<char> = normalize_name(req.ecosystem, &req.name).chars().collect();
                glob_matches(&pattern, &name)
            })
        })
        && c.versions.as_ref().is_none_or(|set| {
            req.version
                .as_ref()
                .is_some_and(|v| set.intervals().iter().any(|i| i.contains(v)))
        })
        && c.license
            .as_ref()
            .is_none_or(|ids| req.license.as_ref().is_some_and(|l| l.names_any(ids)))
        && c.license_not_in.as_ref().is_none_or(|ids| {
            req.license
                .as_ref()
                .is_none_or(|l| !l.satisfiable_with(ids))
        })
        && c.published_within.is_none_or(|d| {
            req.published_at
                .is_some_and(|p| now.checked_sub(d).is_ok_and(|since| p > since))
        })
        && c.project.as_ref().is_none_or(|ps| {
            req.project.as_ref().is_some_and(|proj| {
                let chars: Vec<char> = proj.chars().collect();
                ps.iter().any(|g| glob_matches(&g.toks, &chars))
            })
        })
        && c.attributes.as_ref().is_none_or(|attrs| {
            attrs
                .iter()
                .all(|(k, v)| req.attributes.get(k).is_some_and(|rv| rv == v))
        })
}

/// Recursive backtracking glob matcher: the plainest reading of the syntax.
pub(crate) fn glob_matches(pat: &[Tok], name: &[char]) -> bool {
    let Some((first, rest)) = pat.split_first() else {
        return name.is_empty();
    };
    // One character other than `/` satisfying `ok`, then the rest.
    let single = |ok: &dyn Fn(char) -> bool| match name.split_first() {
        Some((c, tail)) => *c != '/' && ok(*c) && glob_matches(rest, tail),
        None => false,
    };
    match first {
        Tok::Lit(l) => match name.split_first() {
            Some((c, tail)) => c == l && glob_matches(rest, tail),
            None => false,
        },
        Tok::One => single(&|_| true),
        Tok::Class { negated, ranges } => {
            single(&|c| ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated)
        }
        Tok::Star => {
            // Try every run of non-`/` characters, shortest first.
            let mut tail = name;
            loop {
                if glob_matches(rest, tail) {
                    return true;
                }
                match tail.split_first() {
                    Some((c, t)) if *c != '/' => tail = t,
                    _ => return false,
                }
            }
        }
        Tok::RecAll => true,
        Tok::RecDir => {
            // Zero segments, or everything up to and including any `/`.
            glob_matches(rest, name)
                || name
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c == '/')
                    .any(|(i, _)| glob_matches(rest, name.get(i + 1..).unwrap_or_default()))
        }
        Tok::Alt(alts) => alts.iter().any(|alt| {
            let mut joined = alt.clone();
            joined.extend_from_slice(rest);
            glob_matches(&joined, name)
        }),
    }
}

fn active(rule: &Rule, now: Timestamp) -> bool {
    rule.expires.is_none_or(|e| now < e)
}

pub(crate) fn evaluate(layers: &[Layer], req: &Request, now: Timestamp) -> Decision {
    // Steps 1 and 2: M = the active rules whose conditions all hold, with their layer index.
    let mut m: Vec<(usize, &Rule)> = Vec::new();
    let mut dry_run = Vec::new();
    for (li, layer) in layers.iter().enumerate() {
        for rule in &layer.rules {
            if active(rule, now) && holds(rule, req, now) {
                if layer.dry_run {
                    dry_run.push(rule.rref.clone());
                } else {
                    m.push((li, rule));
                }
            }
        }
    }
    // Step 3: a deny/warn rule d is suppressed by an allow rule a when d is not
    // enforced, or when a's layer is d's or outside it; `by` is the first such a.
    let allows: Vec<&(usize, &Rule)> = m
        .iter()
        .filter(|(_, r)| r.rref.action == Action::Allow)
        .collect();
    let mut matched: Vec<RuleRef> = Vec::new();
    let mut suppressed = Vec::new();
    for (li, rule) in m.iter().filter(|(_, r)| r.rref.action != Action::Allow) {
        let by = allows
            .iter()
            .find(|(ai, _)| !rule.enforced || ai <= li)
            .map(|(_, a)| a.rref.clone());
        match by {
            Some(by) => suppressed.push(Suppressed {
                rule: rule.rref.clone(),
                by,
            }),
            None => matched.push(rule.rref.clone()),
        }
    }
    // Step 5's order: most severe first; the sort is stable, so layer and position remain.
    matched.sort_by_key(|r| std::cmp::Reverse(r.action));
    let allowed_by: Vec<RuleRef> = allows.iter().map(|(_, r)| r.rref.clone()).collect();
    // Step 4.
    let (action, default) = if let Some(first) = matched.first() {
        (first.action, false)
    } else if !allowed_by.is_empty() {
        (Action::Allow, false)
    } else {
        let d = layers
            .iter()
            .filter(|l| !l.dry_run)
            .map(|l| l.default)
            .max()
            .unwrap_or(Action::Allow);
        (d, true)
    };
    Decision {
        action,
        matched,
        allowed_by,
        suppressed,
        dry_run,
        default,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glob::Glob;

    fn m(p: &str, n: &str) -> bool {
        let g = Glob::parse(p, 1024, 16).unwrap();
        glob_matches(&g.toks, &n.chars().collect::<Vec<_>>())
    }

    #[test]
    fn glob_semantics() {
        assert!(m("@acme/*", "@acme/web"));
        assert!(!m("@acme/*", "@acme/web/x"));
        assert!(!m("*", "a/b"));
        assert!(m("**", "a/b"));
        assert!(m("**/x", "x"));
        assert!(m("**/x", "a/b/x"));
        assert!(!m("**/x", "ax"));
        assert!(m("a/**", "a/b/c"));
        assert!(!m("a/**", "a"));
        assert!(m("a/**/b", "a/b"));
        assert!(m("a/**/b", "a/x/y/b"));
        assert!(!m("a/**/b", "a/xb"));
        assert!(m("{foo,bar}-*", "bar-x"));
        assert!(m("[a-c]?", "bz"));
        assert!(!m("[!a]", "/"));
        assert!(!m("?", "/"));
        assert!(m("{,x}y", "y"));
    }
}
