//! Compiles a rule's `unless:` block and `provenance` condition into the
//! engine's matchers (`crate::matcher::Unless`, compiled provenance globs).
//! Both are rare, so nothing is cached: each glob is compiled where used.

use std::sync::Arc;

use package_versions::Ecosystem;

use crate::advisory::FixScope;
use crate::glob::{Glob, Tok};
use crate::layer::Conditions;
use crate::matcher::{GlobNfa, Predicate, TokGlob, Unless};
use crate::request::provenance::ProvenanceCond;

type Compiled = ProvenanceCond<TokGlob>;

fn nfa(g: &Glob) -> Result<Arc<GlobNfa>, String> {
    GlobNfa::new(&g.toks).map(Arc::new)
}

/// A provenance condition's globs compiled (also for patterns read from a bundle).
pub(crate) fn compile_provenance<G>(
    p: &ProvenanceCond<G>,
    toks: impl Fn(&G) -> Vec<Tok>,
) -> Result<Compiled, String> {
    p.map_globs(&mut |g| {
        let t = toks(g);
        GlobNfa::new(&t).map(|n| (t, n))
    })
}

fn provenance(c: &Conditions) -> Result<Option<Box<Compiled>>, (&'static str, String)> {
    c.provenance
        .as_ref()
        .map(|p| compile_provenance(p, |g| g.toks.clone()).map(Box::new))
        .transpose()
        .map_err(|m| ("provenance", m))
}

/// The per-ecosystem matchers of an `unless` block's `package` patterns
/// (normalized per ecosystem, as a rule's are in the name index).
pub(crate) fn compile_packages(toks: &[Vec<Tok>]) -> Result<Vec<Vec<GlobNfa>>, String> {
    Ecosystem::ALL
        .iter()
        .map(|eco| {
            toks.iter()
                .map(|t| {
                    let g = Glob {
                        raw: String::new(),
                        toks: t.clone(),
                    };
                    GlobNfa::new(&g.normalized(Some(*eco)))
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .collect()
}

/// Compiles an `unless` block. `Err((key, message))` for a pattern too large
/// to compile.
fn build(c: &Conditions, scope: Option<&FixScope>) -> Result<Unless, (&'static str, String)> {
    let ecosystems = c
        .ecosystems
        .as_ref()
        .map_or(u8::MAX, |es| es.iter().fold(0, |m, e| m | 1 << e.index()));
    let package_toks: Option<Vec<Vec<Tok>>> = c
        .packages
        .as_ref()
        .map(|gs| gs.iter().map(|g| g.toks.clone()).collect());
    let packages = package_toks
        .as_deref()
        .map(compile_packages)
        .transpose()
        .map_err(|m| ("package", m))?;
    let pred = Predicate {
        versions: c.versions.clone().map(Arc::new),
        license: c.license.clone().map(Vec::into_boxed_slice),
        license_not_in: c.license_not_in.clone().map(Vec::into_boxed_slice),
        published_within: c.published_within,
        project: c
            .project
            .as_ref()
            .map(|gs| gs.iter().map(nfa).collect::<Result<Box<[_]>, _>>())
            .transpose()
            .map_err(|m| ("project", m))?,
        project_toks: c
            .project
            .as_ref()
            .map(|gs| gs.iter().map(|g| g.toks.clone()).collect()),
        attributes: c.attributes.clone(),
        provenance: provenance(c)?,
        provenance_downgrade: c.provenance_downgrade,
        fixes_advisory: match (c.fixes_advisory, scope) {
            (false, _) => None,
            (true, Some(s)) => Some(s.clone()),
            // Dropping the condition would widen the exemption: refuse.
            (true, None) => {
                return Err((
                    "fixes_advisory",
                    "no advisory feed is in scope of this rule".into(),
                ))
            }
        },
        unless: None,
    };
    Ok(Unless {
        ecosystems,
        packages,
        package_toks,
        pred,
    })
}

/// The compiled `provenance` condition and `unless` block of a rule's
/// conditions, for `crate::compile`; `scope`: the fixes the rule's layer
/// sees (`None` only when no advisory feed is in scope, which compiling
/// refuses for a `fixes_advisory` condition beforehand).
#[allow(clippy::type_complexity)]
pub(crate) fn compile_parts(
    c: &Conditions,
    scope: Option<&FixScope>,
) -> Result<(Option<Box<Compiled>>, Option<Box<Unless>>), (&'static str, String)> {
    let unless = c
        .unless
        .as_deref()
        .map(|u| build(u, scope).map(Box::new))
        .transpose()?;
    Ok((provenance(c)?, unless))
}
