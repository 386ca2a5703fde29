//! The analysis module's one window on the parser: a policy set's validated
//! rules with their layer, their position in the source and the native range
//! texts as written. Everything else in `analysis` reads rules through here.

use package_versions::Ecosystem;
use serde::Deserialize;

use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::Tok;
use crate::layer::{Layer, Rule};
use crate::one_or_many::OneOrMany;
use crate::source::LayerSource;
use crate::validate::parse_policy_set;

/// A parsed policy set, as analysis sees it.
#[derive(Debug, Clone)]
pub(crate) struct View {
    pub layers: Vec<Layer>,
    sources: Vec<SourceInfo>,
}

#[derive(Debug, Clone, Default)]
struct SourceInfo {
    name: String,
    /// Line and column of `rules[i]`.
    positions: Vec<(usize, usize)>,
    /// The `versions` items of `rules[i]` as written.
    versions: Vec<Vec<String>>,
}

/// Where a rule is: layer index and position in the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RuleAt {
    pub layer: usize,
    pub index: usize,
}

/// Only the texts analysis needs; the strict parse has validated the rest.
#[derive(Deserialize)]
struct TextDoc {
    #[serde(default)]
    rules: Vec<TextRule>,
}

#[derive(Deserialize)]
struct TextRule {
    #[serde(rename = "match", default)]
    conditions: TextMatch,
}

#[derive(Deserialize, Default)]
struct TextMatch {
    versions: Option<OneOrMany<String>>,
}

impl View {
    /// Parses `sources` as the engine does (feeds attached after each
    /// layer's own rules) and records positions and range texts.
    pub(crate) fn load(
        sources: &[LayerSource],
        options: &CompileOptions,
    ) -> Result<View, CompileError> {
        let layers = Self::load_rules(sources, options)?.layers;
        let mut infos = Vec::with_capacity(sources.len());
        for src in sources {
            let doc: TextDoc = crate::parse::from_str(src, &options.limits)?;
            infos.push(SourceInfo {
                name: src.name.clone(),
                positions: crate::locate::rule_positions(&src.text),
                versions: doc
                    .rules
                    .into_iter()
                    .map(|r| {
                        r.conditions
                            .versions
                            .map(|v| v.indexed().into_iter().map(|(_, t)| t).collect())
                            .unwrap_or_default()
                    })
                    .collect(),
            });
        }
        Ok(View {
            layers,
            sources: infos,
        })
    }

    /// The rules only, without positions or range texts (a second read of
    /// each document, which the diff does not need).
    pub(crate) fn load_rules(
        sources: &[LayerSource],
        options: &CompileOptions,
    ) -> Result<View, CompileError> {
        let mut layers = parse_policy_set(sources, &options.limits)?;
        crate::feed::attach(&mut layers, sources, options)?;
        let sources = sources
            .iter()
            .map(|s| SourceInfo {
                name: s.name.clone(),
                ..SourceInfo::default()
            })
            .collect();
        Ok(View { layers, sources })
    }

    /// Every rule with where it is, outermost layer first, in position order.
    pub(crate) fn rules(&self) -> impl Iterator<Item = (RuleAt, &Rule)> + '_ {
        self.layers.iter().enumerate().flat_map(|(li, l)| {
            l.rules.iter().enumerate().map(move |(ri, r)| {
                (
                    RuleAt {
                        layer: li,
                        index: ri,
                    },
                    r,
                )
            })
        })
    }

    pub(crate) fn rule(&self, at: RuleAt) -> Option<&Rule> {
        self.layers.get(at.layer)?.rules.get(at.index)
    }

    pub(crate) fn dry_run(&self, layer: usize) -> bool {
        self.layers.get(layer).is_some_and(|l| l.dry_run)
    }

    pub(crate) fn source_name(&self, layer: usize) -> &str {
        self.sources.get(layer).map_or("", |s| s.name.as_str())
    }

    /// Line and column of a rule written in the layer (none for feed rules).
    pub(crate) fn position(&self, at: RuleAt) -> Option<(usize, usize)> {
        self.sources.get(at.layer)?.positions.get(at.index).copied()
    }

    /// The `versions` items as written (empty for feed rules and rules without).
    pub(crate) fn version_texts(&self, at: RuleAt) -> &[String] {
        self.sources
            .get(at.layer)
            .and_then(|s| s.versions.get(at.index))
            .map_or(&[], Vec::as_slice)
    }

    /// The most severe default of the enforce-mode layers (POLICY_SPEC §4).
    pub(crate) fn effective_default(&self) -> crate::Action {
        self.layers
            .iter()
            .filter(|l| !l.dry_run)
            .map(|l| l.default)
            .max()
            .unwrap_or(crate::Action::Allow)
    }
}

/// The ecosystems a rule applies to.
pub(crate) fn ecosystems(rule: &Rule) -> Vec<Ecosystem> {
    match &rule.cond.ecosystems {
        Some(es) => es.clone(),
        None => Ecosystem::ALL.to_vec(),
    }
}

/// A package pattern normalized for one ecosystem: an exact name or a glob.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum NamePattern {
    Exact(String),
    Glob(String),
}

/// The rule's package patterns in `eco`, normalized; `None` = every name.
pub(crate) fn patterns(rule: &Rule, eco: Ecosystem) -> Option<Vec<(NamePattern, Vec<Tok>)>> {
    let globs = rule.cond.packages.as_ref()?;
    Some(
        globs
            .iter()
            .map(|g| {
                let toks = g.normalized(Some(eco));
                (pattern_of(&toks), toks)
            })
            .collect(),
    )
}

pub(crate) fn pattern_of(toks: &[Tok]) -> NamePattern {
    let lits: Option<String> = toks
        .iter()
        .map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
        .collect();
    match lits {
        Some(s) => NamePattern::Exact(s),
        None => NamePattern::Glob(crate::glob::render(toks)),
    }
}
