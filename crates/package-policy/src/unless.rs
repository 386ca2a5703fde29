//! Compiles a rule's `unless:` block and `provenance` condition into the
//! engine's matchers (`crate::matcher::Unless`, compiled provenance globs).
//! Both are rare, so nothing is cached: each glob is compiled where used.

use std::sync::Arc;

use package_versions::Ecosystem;

use crate::glob::Glob;
use crate::layer::Conditions;
use crate::matcher::{GlobNfa, Predicate, Unless};
use crate::request::provenance::ProvenanceCond;

type Compiled = ProvenanceCond<Arc<GlobNfa>>;

fn nfa(g: &Glob) -> Result<Arc<GlobNfa>, String> {
    GlobNfa::new(&g.toks).map(Arc::new)
}

fn provenance(c: &Conditions) -> Result<Option<Box<Compiled>>, (&'static str, String)> {
    c.provenance
        .as_ref()
        .map(|p| p.map_globs(&mut nfa).map(Box::new))
        .transpose()
        .map_err(|m| ("provenance", m))
}

/// Compiles an `unless` block. `Err((key, message))` for a pattern too large
/// to compile.
fn build(c: &Conditions) -> Result<Unless, (&'static str, String)> {
    let ecosystems = c
        .ecosystems
        .as_ref()
        .map_or(u8::MAX, |es| es.iter().fold(0, |m, e| m | 1 << e.index()));
    let packages = match &c.packages {
        None => None,
        Some(globs) => Some(
            Ecosystem::ALL
                .iter()
                .map(|eco| {
                    globs
                        .iter()
                        .map(|g| GlobNfa::new(&g.normalized(Some(*eco))))
                        .collect::<Result<Vec<_>, String>>()
                })
                .collect::<Result<Vec<_>, String>>()
                .map_err(|m| ("package", m))?,
        ),
    };
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
        attributes: c.attributes.clone(),
        provenance: provenance(c)?,
        provenance_downgrade: c.provenance_downgrade,
        unless: None,
    };
    Ok(Unless {
        ecosystems,
        packages,
        pred,
    })
}

/// The compiled `provenance` condition and `unless` block of a rule's
/// conditions, for `crate::compile`.
#[allow(clippy::type_complexity)]
pub(crate) fn compile_parts(
    c: &Conditions,
) -> Result<(Option<Box<Compiled>>, Option<Box<Unless>>), (&'static str, String)> {
    let unless = c
        .unless
        .as_deref()
        .map(|u| build(u).map(Box::new))
        .transpose()?;
    Ok((provenance(c)?, unless))
}
