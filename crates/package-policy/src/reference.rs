//! The reference evaluator: POLICY_SPEC §4 read literally, rule by rule.
//!
//! It is the oracle the compiled engine is checked against (tests, proptest,
//! fuzzing) and the baseline in benchmarks. It shares the parser and the
//! validated rule model with the engine, but none of the index: every
//! condition is checked here with its own simple matcher (globs by a dynamic
//! program over pattern and name positions). Never used on the hot path.

use jiff::Timestamp;

use crate::advisory::Fix;
use crate::decision::{Action, Decision, RuleRef, Suppressed};
use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::{Glob, Tok};
use crate::layer::{Conditions, Layer, Rule};
use crate::limits::Limits;
use crate::names::normalize as normalize_name;
use crate::request::provenance::{Provenance, ProvenanceCond};
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
        crate::feed::check_declared(&layers, sources, false)?;
        Ok(Reference { layers })
    }

    /// Decides `req` at `now` by the five steps of §4.
    pub fn evaluate(&self, req: &Request, now: Timestamp) -> Decision {
        evaluate(&self.layers, req, now)
    }
}

/// `fixes`: the fix versions of the advisory feeds of the rule's layer and
/// every layer outside it (the scope `fixes_advisory` reads).
pub(crate) fn holds(rule: &Rule, req: &Request, now: Timestamp, fixes: &[&[Fix]]) -> bool {
    conditions_hold(&rule.cond, req, now, fixes)
        && rule
            .cond
            .unless
            .as_deref()
            .is_none_or(|u| !conditions_hold(u, req, now, fixes))
}

/// Every condition of one block (`match` or `unless`) holds.
fn conditions_hold(c: &Conditions, req: &Request, now: Timestamp, fixes: &[&[Fix]]) -> bool {
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
        && c.provenance
            .as_ref()
            .is_none_or(|p| provenance_holds(p, req.provenance.as_deref()))
        && (!c.provenance_downgrade
            || downgrade(
                req.provenance.as_deref(),
                req.previous_provenance.as_deref(),
            ))
        && (!c.fixes_advisory || fixes_advisory(req, fixes))
}

/// The request's version equals (in its ecosystem's order) a fix version of
/// its package in `fixes`: every entry compared, no index.
fn fixes_advisory(req: &Request, fixes: &[&[Fix]]) -> bool {
    let Some(v) = req.version.as_ref() else {
        return false;
    };
    let name = normalize_name(req.ecosystem, &req.name);
    fixes.iter().flat_map(|l| l.iter()).any(|f| {
        f.ecosystem == req.ecosystem
            && normalize_name(f.ecosystem, &f.name) == name
            && f.version.cmp(v).is_eq()
    })
}

/// Every fact the condition names is present and matches.
fn provenance_holds(c: &ProvenanceCond<Glob>, p: Option<&Provenance>) -> bool {
    let Some(p) = p else { return false };
    let text = |fact: Option<&str>, globs: &Option<Vec<Glob>>| match globs {
        None => true,
        Some(gs) => fact.is_some_and(|f| {
            let chars: Vec<char> = f.chars().collect();
            gs.iter().any(|g| glob_matches(&g.toks, &chars))
        }),
    };
    c.attested.is_none_or(|want| p.attested() == Some(want))
        && c.trusted_publisher
            .is_none_or(|want| p.trusted_publisher() == Some(want))
        && c.publisher
            .as_ref()
            .is_none_or(|ps| p.publisher().is_some_and(|have| ps.contains(&have)))
        && text(p.issuer(), &c.issuer)
        && text(p.repository(), &c.repository)
        && text(p.workflow(), &c.workflow)
        && c.predicate_type.as_ref().is_none_or(|ts| {
            p.predicate_type()
                .is_some_and(|have| ts.iter().any(|t| t == have))
        })
}

/// §5's downgrade read literally: both releases described, and the previous
/// one trusted more (trusted publisher > attested > none, counting facts
/// stated true) or bound to a repository this one is not bound to.
fn downgrade(current: Option<&Provenance>, previous: Option<&Provenance>) -> bool {
    let rank = |p: &Provenance| {
        if p.trusted_publisher() == Some(true) {
            2
        } else if p.attested() == Some(true) {
            1
        } else {
            0
        }
    };
    match (current, previous) {
        (Some(cur), Some(prev)) => {
            rank(prev) > rank(cur)
                || prev
                    .repository()
                    .is_some_and(|r| cur.repository() != Some(r))
        }
        _ => false,
    }
}

/// Whether `pat` matches all of `name`: a dynamic program over (pattern
/// position, name position), the plainest reading of the syntax that stays
/// O(pattern × name) (backtracking is exponential on `*a*a*a…b`).
///
/// `reach[j]` says whether the tokens consumed so far match `name[..j]`; each
/// token maps that set to the set after it, and the glob matches when the
/// whole name is reached after the last token.
pub(crate) fn glob_matches(pat: &[Tok], name: &[char]) -> bool {
    let mut start = vec![false; name.len() + 1];
    if let Some(first) = start.first_mut() {
        *first = true;
    }
    after(pat, name, start).last().copied().unwrap_or(false)
}

/// The name positions reachable after matching `toks` from any position set in `reach`.
fn after(toks: &[Tok], name: &[char], reach: Vec<bool>) -> Vec<bool> {
    toks.iter()
        .fold(reach, |reach, tok| step(tok, name, &reach))
}

/// The name positions reachable after one token from the positions in `reach`.
fn step(tok: &Tok, name: &[char], reach: &[bool]) -> Vec<bool> {
    let mut next = vec![false; reach.len()];
    // The name's characters paired with the positions before and after them.
    let chars = reach.iter().zip(name).zip(next.iter_mut().skip(1));
    match tok {
        Tok::Lit(l) => chars.for_each(|((r, c), n)| *n = *r && c == l),
        Tok::One => chars.for_each(|((r, c), n)| *n = *r && *c != '/'),
        Tok::Class { negated, ranges } => chars.for_each(|((r, c), n)| {
            let listed = ranges.iter().any(|(lo, hi)| lo <= c && c <= hi);
            *n = *r && *c != '/' && listed != *negated;
        }),
        Tok::Star => {
            // From a reached position, every later one up to the next `/`.
            let mut on = false;
            for (j, n) in next.iter_mut().enumerate() {
                let crossed = j.checked_sub(1).and_then(|k| name.get(k));
                on = on && crossed.is_some_and(|c| *c != '/');
                on = on || reach.get(j).copied().unwrap_or(false);
                *n = on;
            }
        }
        Tok::RecAll => {
            // From a reached position, every later one.
            let mut on = false;
            for (r, n) in reach.iter().zip(next.iter_mut()) {
                on = on || *r;
                *n = on;
            }
        }
        Tok::RecDir => {
            // A reached position itself, and the position after every later `/`.
            let mut on = false;
            for (j, n) in next.iter_mut().enumerate() {
                let crossed = j.checked_sub(1).and_then(|k| name.get(k));
                let here = reach.get(j).copied().unwrap_or(false);
                *n = here || (on && crossed == Some(&'/'));
                on = on || here;
            }
        }
        Tok::Alt(alts) => {
            for alt in alts {
                let ends = after(alt, name, reach.to_vec());
                next.iter_mut().zip(ends).for_each(|(n, e)| *n = *n || e);
            }
        }
    }
    next
}

fn active(rule: &Rule, now: Timestamp) -> bool {
    rule.expires.is_none_or(|e| now < e)
}

/// §4's decision with `allowed_after` read literally: the first time after
/// `now`, among every expiry and every `published_at + published_within` of
/// the policy, at which the decision is less severe.
pub(crate) fn evaluate(layers: &[Layer], req: &Request, now: Timestamp) -> Decision {
    let mut d = decide(layers, req, now);
    if d.action == Action::Allow {
        return d;
    }
    let mut times: Vec<Timestamp> = Vec::new();
    for rule in layers.iter().flat_map(|l| &l.rules) {
        times.extend(rule.expires);
        for c in std::iter::once(&rule.cond).chain(rule.cond.unless.as_deref()) {
            if let (Some(w), Some(p)) = (c.published_within, req.published_at) {
                times.extend(p.checked_add(w).ok());
            }
        }
    }
    times.retain(|t| *t > now);
    times.sort();
    d.allowed_after = times
        .into_iter()
        .find(|t| decide(layers, req, *t).action < d.action);
    d
}

fn decide(layers: &[Layer], req: &Request, now: Timestamp) -> Decision {
    // Steps 1 and 2: M = the active rules whose conditions all hold, with their layer index.
    let mut m: Vec<(usize, &Rule)> = Vec::new();
    let mut dry_run = Vec::new();
    let all_fixes: Vec<&[Fix]> = layers.iter().map(|l| l.fixes.as_slice()).collect();
    for (li, layer) in layers.iter().enumerate() {
        let scope = all_fixes.get(..=li).unwrap_or_default();
        for rule in &layer.rules {
            if active(rule, now) && holds(rule, req, now, scope) {
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
        allowed_after: None,
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
        assert!(m("a*/**/*b", "ab/x/cb"));
        assert!(!m("a*/**/*b", "a/b/"));
        assert!(m("{a/*,b}c", "a/xc"));
    }

    /// The recursive backtracking reading of the syntax (the reference's
    /// matcher before issue 18): exponential on adversarial input, so only
    /// a cross-check of the dynamic program on small inputs.
    fn backtrack(pat: &[Tok], name: &[char]) -> bool {
        let Some((first, rest)) = pat.split_first() else {
            return name.is_empty();
        };
        let single = |ok: &dyn Fn(char) -> bool| match name.split_first() {
            Some((c, tail)) => *c != '/' && ok(*c) && backtrack(rest, tail),
            None => false,
        };
        match first {
            Tok::Lit(l) => name
                .split_first()
                .is_some_and(|(c, tail)| c == l && backtrack(rest, tail)),
            Tok::One => single(&|_| true),
            Tok::Class { negated, ranges } => {
                single(&|c| ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated)
            }
            Tok::Star => {
                let run = name.iter().take_while(|c| **c != '/').count();
                (0..=run).any(|k| backtrack(rest, &name[k..]))
            }
            Tok::RecAll => true,
            Tok::RecDir => {
                backtrack(rest, name)
                    || (0..name.len()).any(|i| name[i] == '/' && backtrack(rest, &name[i + 1..]))
            }
            Tok::Alt(alts) => alts.iter().any(|alt| {
                let mut joined = alt.clone();
                joined.extend_from_slice(rest);
                backtrack(&joined, name)
            }),
        }
    }

    /// Every pattern of up to three atoms against every name of up to five
    /// characters over `a`, `b`, `/`: the dynamic program and backtracking agree.
    #[test]
    fn dynamic_program_agrees_with_backtracking() {
        let atoms = [
            "a", "b", "/", "*", "?", "**", "[ab]", "[!a]", "{a,b*}", "{a/,*b}", "{,?}",
        ];
        let mut names = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| ['a', 'b', '/'].map(|c| format!("{n}{c}")))
                .collect();
            names.extend(longer);
        }
        names.sort();
        names.dedup();
        let mut patterns = vec![String::new()];
        let mut checked = 0;
        for _ in 0..3 {
            patterns = patterns
                .iter()
                .flat_map(|p| atoms.map(|a| format!("{p}{a}")))
                .collect();
            for p in &patterns {
                let Ok(g) = Glob::parse(p, 64, 4) else {
                    continue;
                };
                for n in &names {
                    let chars: Vec<char> = n.chars().collect();
                    assert_eq!(
                        glob_matches(&g.toks, &chars),
                        backtrack(&g.toks, &chars),
                        "pattern {p:?} name {n:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// Star-heavy patterns against long names are quadratic work here;
    /// backtracking took exponential time on them (issue 18). Correctness only.
    #[test]
    fn adversarial_globs_are_decided() {
        let name = "a".repeat(1024);
        let stars = "*a".repeat(30);
        assert!(!m(&format!("{stars}b"), &name));
        assert!(m(&stars, &name));
        assert!(!m(&format!("{stars}*b*"), &format!("{name}/b")));
        let braces = "{*a,a*}".repeat(16);
        assert!(!m(&format!("{braces}b"), &name));
        assert!(m(&format!("**/{stars}/**/b"), &format!("{name}/{name}/b")));
        assert!(!m(&format!("**/{stars}/**/b"), &format!("{name}/{name}/c")));
    }
}
