//! Stage 3 of the pipeline: validated layers → the compiled `Engine`, and
//! the entry points that run the stages in order (parse → validate → feeds
//! → compile). Evaluation lives in `crate::engine` and knows nothing of this.

use std::sync::Arc;

use package_versions::{Ecosystem, VersionSet};
use rustc_hash::FxHashMap;

use crate::advisory::FixScope;
use crate::decision::Action;
use crate::digest::digest;
use crate::engine::{CompiledRule, Engine, Inner, NO_PREDICATE};
use crate::error::{CompileError, CompileErrorKind};
use crate::feed::{CompileOptions, FeedReport};
use crate::glob::render;
use crate::index::{NameIndexBuilder, ResiduePool};
use crate::layer::Layer;
use crate::limits::Limits;
use crate::matcher::{GlobNfa, Predicate};
use crate::source::LayerSource;
use crate::validate::parse_policy_set;

impl Engine {
    /// Compiles layers, outermost (instance) first, with the default limits.
    pub fn compile(sources: &[LayerSource]) -> Result<Engine, CompileError> {
        Self::compile_with_limits(sources, &Limits::default())
    }

    /// Compiles layers under caller-chosen limits (POLICY_SPEC §8).
    pub fn compile_with_limits(
        sources: &[LayerSource],
        limits: &Limits,
    ) -> Result<Engine, CompileError> {
        Self::compile_with(
            sources,
            &CompileOptions {
                limits: limits.clone(),
                ..CompileOptions::default()
            },
        )
    }

    /// Compiles layers with intelligence feeds and limits. Every feed a layer
    /// declares must be supplied, and every feed supplied must be declared.
    pub fn compile_with(
        sources: &[LayerSource],
        options: &CompileOptions,
    ) -> Result<Engine, CompileError> {
        let mut layers = parse_policy_set(sources, &options.limits)?;
        let report = crate::feed::attach(&mut layers, sources, options)?;
        crate::feed::check_declared(&layers, sources, false)?;
        let mut inner = build(&layers, sources, None)?;
        inner.feeds = report;
        inner.limits = options.limits.clone();
        Ok(Engine::from_inner(inner))
    }
}

/// Compiles one level; `base`: the level it is stacked on.
pub(crate) fn build(
    layers: &[Layer],
    sources: &[LayerSource],
    base: Option<&Inner>,
) -> Result<Inner, CompileError> {
    let scopes = crate::advisory::scopes(
        base.map(|b| &b.fixes),
        layers.iter().map(|l| l.fixes.as_slice()),
    );
    let mut builders: Vec<NameIndexBuilder> = Ecosystem::ALL
        .iter()
        .map(|_| NameIndexBuilder::default())
        .collect();
    let mut rules = Vec::with_capacity(layers.iter().map(|l| l.rules.len()).sum());
    let mut predicates: Vec<Predicate> = Vec::new();
    let mut predicate_ids: FxHashMap<String, u32> = FxHashMap::default();
    let mut version_sets: FxHashMap<String, Arc<VersionSet>> = FxHashMap::default();
    let mut project_globs: FxHashMap<String, Arc<GlobNfa>> = FxHashMap::default();
    let mut residue_pool = ResiduePool::default();
    for (li, layer) in layers.iter().enumerate() {
        let source_name = sources.get(li).map_or("", |s| s.name.as_str());
        for (pos, rule) in layer.rules.iter().enumerate() {
            let fail = |key: &str, msg: String| {
                CompileError::new(CompileErrorKind::Limit, source_name, msg)
                    .with_path(format!("rules[{pos}].match.{key}"))
                    .in_layer(&layer.name)
            };
            let number =
                u32::try_from(rules.len()).map_err(|_| fail("package", "too many rules".into()))?;
            let c = &rule.cond;
            let ecos: Vec<Ecosystem> = c
                .ecosystems
                .clone()
                .unwrap_or_else(|| Ecosystem::ALL.to_vec());
            let mut mask = 0u8;
            for eco in &ecos {
                mask |= 1 << eco.index();
                let Some(b) = builders.get_mut(eco.index()) else {
                    continue;
                };
                match &c.packages {
                    None => b.add_any(number),
                    Some(globs) => {
                        for g in globs {
                            b.add_pattern(&g.normalized(Some(*eco)), number, &mut residue_pool)
                                .map_err(|m| fail("package", m))?;
                        }
                    }
                }
            }
            // Rules share a predicate when the digest's canonical text of
            // their conditions is equal, which holds only for equal conditions.
            let mut key = crate::digest::predicate(c);
            let scope = scopes.get(li).map(|fixes| FixScope {
                layer: li as u32,
                fixes: fixes.clone(),
            });
            // `fixes_advisory` reads its layer's scope: shared only within it.
            if c.unless.as_ref().is_some_and(|u| u.fixes_advisory) {
                key.push_str(&format!("fixes_scope={li};"));
            }
            let predicate = match (!key.is_empty()).then_some(key) {
                None => NO_PREDICATE,
                Some(key) => {
                    if let Some(&id) = predicate_ids.get(&key) {
                        id
                    } else {
                        let id = u32::try_from(predicates.len())
                            .map_err(|_| fail("versions", "too many conditions".into()))?;
                        let versions = c.versions.as_ref().map(|v| {
                            version_sets
                                .entry(v.canonical())
                                .or_insert_with(|| Arc::new(v.clone()))
                                .clone()
                        });
                        let project = match &c.project {
                            None => None,
                            Some(globs) => Some(
                                globs
                                    .iter()
                                    .map(|g| {
                                        let text = render(&g.toks);
                                        if let Some(re) = project_globs.get(&text) {
                                            return Ok(re.clone());
                                        }
                                        let re = Arc::new(
                                            GlobNfa::new(&g.toks)
                                                .map_err(|m| fail("project", m))?,
                                        );
                                        project_globs.insert(text, re.clone());
                                        Ok(re)
                                    })
                                    .collect::<Result<Vec<_>, CompileError>>()?
                                    .into_boxed_slice(),
                            ),
                        };
                        let (provenance, unless) = crate::unless::compile_parts(c, scope.as_ref())
                            .map_err(|(key, m)| fail(key, m))?;
                        predicates.push(Predicate {
                            versions,
                            license: c.license.clone().map(Vec::into_boxed_slice),
                            license_not_in: c.license_not_in.clone().map(Vec::into_boxed_slice),
                            published_within: c.published_within,
                            project,
                            project_toks: c
                                .project
                                .as_ref()
                                .map(|globs| globs.iter().map(|g| g.toks.clone()).collect()),
                            attributes: c.attributes.clone(),
                            provenance,
                            provenance_downgrade: c.provenance_downgrade,
                            fixes_advisory: None,
                            unless,
                        });
                        predicate_ids.insert(key, id);
                        id
                    }
                }
            };
            rules.push(CompiledRule {
                rref: rule.rref.clone(),
                layer: li as u32,
                enforced: rule.enforced,
                dry_run: layer.dry_run,
                ecosystems: mask,
                expires: rule.expires,
                predicate,
            });
        }
    }
    let versions_of = |id: u32| {
        let rule: &CompiledRule = rules.get(id as usize)?;
        if rule.predicate == NO_PREDICATE {
            return None;
        }
        predicates.get(rule.predicate as usize)?.versions.as_deref()
    };
    let indexes = builders
        .into_iter()
        .zip(Ecosystem::ALL)
        .map(|(b, eco)| {
            let mut index = b.build(&residue_pool).map_err(|m| {
                CompileError::new(
                    CompileErrorKind::Limit,
                    "",
                    format!("package patterns: {m}"),
                )
            })?;
            index.merge_versions(eco, versions_of);
            Ok(index)
        })
        .collect::<Result<Vec<_>, CompileError>>()?;
    let default = layers
        .iter()
        .filter(|l| !l.dry_run)
        .map(|l| l.default)
        .max()
        .unwrap_or(Action::Allow);
    // Like `default`: the most severe over the enforce-mode layers that set it.
    let unreadable_license = layers
        .iter()
        .filter(|l| !l.dry_run)
        .filter_map(|l| l.unreadable_license)
        .max();
    rules.shrink_to_fit();
    Ok(Inner {
        rules_total: rules.len(),
        rules,
        predicates,
        indexes,
        default,
        unreadable_license,
        digest: digest(layers),
        feeds: FeedReport::default(),
        base: None,
        layer_names: layers.iter().map(|l| l.name.clone()).collect(),
        layer_modes: layers.iter().map(|l| (l.default, l.dry_run)).collect(),
        layers_total: u32::try_from(layers.len()).unwrap_or(u32::MAX),
        limits: Limits::default(),
        fixes: scopes
            .last()
            .cloned()
            .or_else(|| base.map(|b| b.fixes.clone()))
            .unwrap_or_default(),
        layer_fixes: layers.iter().map(|l| l.fixes.clone()).collect(),
        advisory_declared: base.is_some_and(|b| b.advisory_declared)
            || crate::feed::declares(layers),
    })
}

/// How many errors `validate_capped` reports by default (the CLI's `check`
/// and Ruby's `PackagePolicy.validate` too): enough to fix a batch, few
/// enough to read.
pub const DEFAULT_MAX_ERRORS: usize = 100;

/// The errors of a policy set as reported: the first ones, and how many more.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Validation {
    /// The first errors (at most the cap), in source and document order.
    pub errors: Vec<CompileError>,
    /// How many errors there are beyond `errors`.
    pub more: usize,
}

impl Validation {
    /// True when the set compiles.
    pub fn is_ok(&self) -> bool {
        self.errors.is_empty() && self.more == 0
    }
}

/// Every error in `sources`, for surfaces that check a policy before saving it:
/// each layer's syntax error, or else each invalid rule (a rule's first
/// error); then what only the whole set shows. Empty when the set compiles.
/// Time is linear in the size of the sources, however many errors there are.
pub fn validate(sources: &[LayerSource]) -> Vec<CompileError> {
    validate_capped(sources, usize::MAX).errors
}

/// [`validate`], keeping only the first `max_errors` errors (and locating
/// only those); `Validation::more` counts the rest.
pub fn validate_capped(sources: &[LayerSource], max_errors: usize) -> Validation {
    let limits = Limits::default();
    let mut out = Validation::default();
    for src in sources {
        let room = max_errors.saturating_sub(out.errors.len());
        let (errors, more) = crate::validate::layer_errors(src, &limits, room);
        out.errors.extend(errors);
        out.more += more;
    }
    if !out.is_ok() {
        return out;
    }
    // Feed data is not part of a policy: declarations are checked, data is not needed.
    let options = CompileOptions {
        require_feeds: false,
        ..CompileOptions::default()
    };
    if let Err(e) = Engine::compile_with(sources, &options) {
        if max_errors > 0 {
            out.errors.push(e);
        } else {
            out.more = 1;
        }
    }
    out
}
