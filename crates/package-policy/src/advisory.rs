//! Advisory intelligence: the fix versions that advisory feeds (`kind:
//! advisories`, OSV vulnerability records) give, and the index that an
//! `unless: { fixes_advisory: true }` block consults.
//!
//! Scope: a rule's `fixes_advisory` consults the advisory feeds of its own
//! layer and of the layers outside it (outer levels included), never those of
//! layers inside it, so a project layer cannot bring a feed that exempts an
//! organization's rule (docs/decisions/advisory-feeds.md). Stacking keeps
//! this: a level extends its base's scope layer by layer, as a flat compile does.

use std::sync::Arc;

use package_versions::{Ecosystem, Version};
use rustc_hash::FxHashMap;

/// One fix: `version` of package `name` (normalized for `ecosystem`) is the
/// first fixed version of advisory `advisory`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fix {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Version,
    pub advisory: Arc<str>,
}

/// The fix versions in a scope, per ecosystem and normalized name, sorted
/// in the ecosystem's order without duplicates (equal in that order counts
/// as the same version: PyPI `1.0` is `1.0.0`).
#[derive(Debug, Default)]
pub(crate) struct Fixes {
    per_eco: Vec<FxHashMap<Box<str>, Vec<Version>>>,
}

impl Fixes {
    /// `base` extended by `more`.
    fn extended(base: &Fixes, more: &[Fix]) -> Fixes {
        let mut per_eco = if base.per_eco.is_empty() {
            Ecosystem::ALL
                .iter()
                .map(|_| FxHashMap::default())
                .collect()
        } else {
            base.per_eco.clone()
        };
        for f in more {
            if let Some(map) = per_eco.get_mut(f.ecosystem.index()) {
                map.entry(Box::from(f.name.as_str()))
                    .or_insert_with(Vec::new)
                    .push(f.version.clone());
            }
        }
        for map in &mut per_eco {
            for list in map.values_mut() {
                list.sort();
                list.dedup_by(|a, b| (*a).cmp(b).is_eq());
            }
        }
        Fixes { per_eco }
    }

    /// Whether `version` of `name` (normalized) fixes an advisory.
    #[inline]
    pub(crate) fn contains(&self, ecosystem: Ecosystem, name: &str, version: &Version) -> bool {
        self.per_eco
            .get(ecosystem.index())
            .and_then(|m| m.get(name))
            .is_some_and(|list| list.binary_search(version).is_ok())
    }
}

/// The scope a rule's `fixes_advisory` consults: its layer's place among its
/// level's layers and the fixes of that layer and every outer one.
#[derive(Debug, Clone)]
pub(crate) struct FixScope {
    pub layer: u32,
    pub fixes: Arc<Fixes>,
}

/// Per layer of a level, the fixes its rules see: `base` (the outer levels'
/// whole scope) extended by each layer's own fixes in turn. Layers that add
/// none share the scope before them.
pub(crate) fn scopes<'a>(
    base: Option<&Arc<Fixes>>,
    layers: impl IntoIterator<Item = &'a [Fix]>,
) -> Vec<Arc<Fixes>> {
    let mut current = base.cloned().unwrap_or_default();
    let mut out = Vec::new();
    for own in layers {
        if !own.is_empty() {
            current = Arc::new(Fixes::extended(&current, own));
        }
        out.push(current.clone());
    }
    out
}
