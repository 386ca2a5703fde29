//! Semantic diff: every region of requests whose action differs between two
//! policy sets, with the rules responsible on each side and a witness request.
//!
//! Only requests that some changed rule could match can be decided
//! differently (unless the effective default changed), so the diff looks at
//! the names those rules admit. For each such name class it takes the rules
//! that admit the name on both sides and partitions every other fact on the
//! boundaries those rules draw: versions on the interval bounds (in the
//! ecosystem's own order), licenses on the ids named, publish time on
//! `now - published_within`, time on the expiries, projects and attributes on
//! the values written. One request per cell is decided by the reference
//! evaluator on each side; cells that differ become regions, adjacent
//! version cells merged. docs/decisions/diff-partitioning.md has the reasoning.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use package_versions::{Bound, Ecosystem, Interval, Version, VersionSet};

use crate::decision::{Action, Decision, RuleRef};
use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::Tok;
use crate::layer::{Layer, Rule};
use crate::matcher::GlobNfa;
use crate::request::{AttrValue, Request, RequestInput};
use crate::source::LayerSource;

use super::relate::RuleIndex;
use super::view::{ecosystems, patterns, NamePattern, View};
use super::witness::version_in;

/// Cells evaluated for one name class before the diff gives up (fail closed:
/// an error, never a partial answer presented as complete).
pub const MAX_CELLS_PER_NAME: usize = 250_000;

/// What one side decided for a region.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Outcome {
    pub action: Action,
    /// The deciding rules: the unsuppressed deny/warn rules, or the allow
    /// rules when allow won; empty when the default decided.
    pub rules: Vec<RuleRef>,
    pub default: bool,
}

/// A concrete request that the two sets decide differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Witness {
    /// Package URL of the ecosystem, name and version.
    pub purl: String,
    pub request: RequestInput,
    /// The evaluation time the difference shows at.
    pub now: Timestamp,
}

/// A set of requests decided `old.action` by the old set and `new.action` by the new.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    pub ecosystem: Ecosystem,
    /// Exact names the region holds (normalized); for names no rule names
    /// exactly, one representative.
    pub names: Vec<String>,
    /// False when `names` stands for every name matched by exactly `patterns`
    /// (and by no exact rule name).
    pub exact: bool,
    /// The glob patterns of either set that match the names.
    pub patterns: Vec<String>,
    /// The versions (in the ecosystem's order); `None` = requests without a version.
    pub versions: Option<VersionSet>,
    /// The other facts of the region, as conditions read them: `license`,
    /// `published_at`, `project`, `attributes`; absent facts are not listed.
    pub facts: BTreeMap<String, String>,
    pub old: Outcome,
    pub new: Outcome,
    pub witness: Witness,
}

/// The result of [`diff`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub now: Timestamp,
    pub regions: Vec<Region>,
}

impl Diff {
    pub fn is_equivalent(&self) -> bool {
        self.regions.is_empty()
    }
}

/// Why a diff could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DiffError {
    #[error("old policy: {0}")]
    Old(CompileError),
    #[error("new policy: {0}")]
    New(CompileError),
    #[error("{0}")]
    TooLarge(String),
    /// A rule uses a condition whose facts the diff does not partition yet
    /// (`provenance`, `provenance_downgrade`, `unless`): refused rather than
    /// answered incompletely.
    #[error("{0}")]
    Unsupported(String),
}

/// Compares two policy sets at `now` and at every expiry after it.
pub fn diff(
    old: &[LayerSource],
    new: &[LayerSource],
    now: Timestamp,
    options: &CompileOptions,
) -> Result<Diff, DiffError> {
    let old = View::load(old, options).map_err(DiffError::Old)?;
    let new = View::load(new, options).map_err(DiffError::New)?;
    for (side, view) in [("old", &old), ("new", &new)] {
        if let Some((_, r)) = view.rules().find(|(_, r)| {
            let c = &r.cond;
            c.provenance.is_some() || c.provenance_downgrade || c.unless.is_some()
        }) {
            return Err(DiffError::Unsupported(format!(
                "{side} policy: rule `{}/{}` uses provenance or `unless` conditions, which diff does not cover yet",
                r.rref.layer, r.rref.id
            )));
        }
    }
    Differ::new(&old, &new, now).run()
}

/// A rule's identity for change detection: layer, action, times, conditions.
fn rule_key(layer: &Layer, rule: &Rule) -> String {
    format!(
        "{}|{}|{}|{}|{:?}|{:?}",
        layer.name, layer.dry_run, rule.rref.action, rule.enforced, rule.expires, rule.cond
    )
}

/// The same without the package condition: rules of different names with
/// equal such keys decide equal requests alike.
fn shape_key(layer: &Layer, rule: &Rule) -> String {
    let mut cond = rule.cond.clone();
    cond.packages = None;
    format!(
        "{}|{}|{}|{}|{:?}|{:?}",
        layer.name, layer.dry_run, rule.rref.action, rule.enforced, rule.expires, cond
    )
}

struct Side<'v> {
    view: &'v View,
    rules: Vec<(usize, &'v Rule)>,
    index: RuleIndex,
}

impl<'v> Side<'v> {
    fn new(view: &'v View) -> Self {
        let rules: Vec<(usize, &Rule)> = view.rules().map(|(at, r)| (at.layer, r)).collect();
        let index = RuleIndex::build(rules.iter().map(|(_, r)| *r));
        Side { view, rules, index }
    }

    /// Rules admitting `name` in `eco`, in order.
    fn admitting(&self, eco: Ecosystem, name: &str) -> Vec<(usize, &'v Rule)> {
        self.index
            .by_name(eco, name)
            .into_iter()
            .filter_map(|n| self.rules.get(n as usize).copied())
            .filter(|(_, r)| admits(r, eco, name))
            .collect()
    }

    /// The layers with only `rules` in them.
    fn sub_layers(&self, rules: &[(usize, &Rule)]) -> Vec<Layer> {
        let mut layers: Vec<Layer> = self
            .view
            .layers
            .iter()
            .map(|l| Layer {
                name: l.name.clone(),
                default: l.default,
                dry_run: l.dry_run,
                unreadable_license: l.unreadable_license,
                rules: Vec::new(),
                feeds: Vec::new(),
                fixes: Vec::new(),
            })
            .collect();
        for (li, r) in rules {
            if let Some(l) = layers.get_mut(*li) {
                l.rules.push((*r).clone());
            }
        }
        layers
    }
}

fn admits(rule: &Rule, eco: Ecosystem, name: &str) -> bool {
    rule.cond
        .ecosystems
        .as_ref()
        .is_none_or(|es| es.contains(&eco))
        && patterns(rule, eco).is_none_or(|ps| {
            ps.iter().any(|(p, toks)| match p {
                NamePattern::Exact(n) => n == name,
                NamePattern::Glob(_) => GlobNfa::new(toks).is_ok_and(|g| g.is_match(name)),
            })
        })
}

/// Which names of one ecosystem need looking at.
#[derive(Default)]
struct Focus {
    all: bool,
    names: BTreeSet<String>,
    globs: Vec<Vec<Tok>>,
}

/// Names decided alike, with whether they are exact and the rules admitting them.
type Group<'v> = (
    Vec<String>,
    bool,
    Vec<(usize, &'v Rule)>,
    Vec<(usize, &'v Rule)>,
);

struct Differ<'v> {
    old: Side<'v>,
    new: Side<'v>,
    now: Timestamp,
}

impl<'v> Differ<'v> {
    fn new(old: &'v View, new: &'v View, now: Timestamp) -> Self {
        Differ {
            old: Side::new(old),
            new: Side::new(new),
            now,
        }
    }

    fn run(&self) -> Result<Diff, DiffError> {
        let focus = self.focus();
        let mut regions = Vec::new();
        for eco in Ecosystem::ALL {
            let Some(f) = focus.get(&eco) else {
                continue;
            };
            // Name classes grouped by the shape of the rules admitting them.
            let mut groups: Vec<Group<'_>> = Vec::new();
            let mut by_shape: HashMap<String, usize> = HashMap::new();
            for (name, exact) in self.classes(eco, f) {
                let old = self.old.admitting(eco, &name);
                let new = self.new.admitting(eco, &name);
                let keys = |side: &Side, rs: &[(usize, &Rule)]| -> Vec<String> {
                    rs.iter()
                        .filter_map(|(li, r)| Some(rule_key(side.view.layers.get(*li)?, r)))
                        .collect()
                };
                if self.old.view.effective_default() == self.new.view.effective_default()
                    && keys(&self.old, &old) == keys(&self.new, &new)
                {
                    continue;
                }
                let shape = |side: &Side, rs: &[(usize, &Rule)]| -> String {
                    rs.iter()
                        .filter_map(|(li, r)| Some(shape_key(side.view.layers.get(*li)?, r)))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let sig = format!(
                    "{exact}\n{}\n--\n{}",
                    shape(&self.old, &old),
                    shape(&self.new, &new)
                );
                match by_shape.get(&sig) {
                    Some(&g) if exact => {
                        if let Some(group) = groups.get_mut(g) {
                            group.0.push(name);
                        }
                    }
                    _ => {
                        by_shape.insert(sig, groups.len());
                        groups.push((vec![name], exact, old, new));
                    }
                }
            }
            for (names, exact, old, new) in groups {
                regions.extend(self.compare(eco, names, exact, &old, &new)?);
            }
        }
        Ok(Diff {
            now: self.now,
            regions,
        })
    }

    /// The names changed rules admit, per ecosystem.
    fn focus(&self) -> BTreeMap<Ecosystem, Focus> {
        let mut out: BTreeMap<Ecosystem, Focus> = BTreeMap::new();
        let keys = |side: &Side| -> HashMap<String, usize> {
            let mut m = HashMap::new();
            for (li, r) in &side.rules {
                if let Some(l) = side.view.layers.get(*li) {
                    *m.entry(rule_key(l, r)).or_insert(0) += 1;
                }
            }
            m
        };
        let (old_keys, new_keys) = (keys(&self.old), keys(&self.new));
        let all = self.old.view.effective_default() != self.new.view.effective_default();
        for (side, other) in [(&self.old, &new_keys), (&self.new, &old_keys)] {
            for (li, r) in &side.rules {
                let Some(l) = side.view.layers.get(*li) else {
                    continue;
                };
                let key = rule_key(l, r);
                if !all && other.contains_key(&key) {
                    continue;
                }
                for eco in ecosystems(r) {
                    let f = out.entry(eco).or_default();
                    match patterns(r, eco) {
                        None => f.all = true,
                        Some(ps) => {
                            for (p, toks) in ps {
                                match p {
                                    NamePattern::Exact(n) => {
                                        f.names.insert(n);
                                    }
                                    NamePattern::Glob(_) if toks == [Tok::RecAll] => f.all = true,
                                    NamePattern::Glob(_) => f.globs.push(toks),
                                }
                            }
                        }
                    }
                }
            }
        }
        if all {
            for eco in Ecosystem::ALL {
                out.entry(eco).or_default().all = true;
            }
        }
        out
    }

    /// Representative names: (name, is an exact rule name).
    fn classes(&self, eco: Ecosystem, focus: &Focus) -> Vec<(String, bool)> {
        let mut exact: BTreeSet<String> = BTreeSet::new();
        let mut globs: Vec<Vec<Tok>> = Vec::new();
        for side in [&self.old, &self.new] {
            for (_, r) in &side.rules {
                if !ecosystems(r).contains(&eco) {
                    continue;
                }
                for (p, toks) in patterns(r, eco).unwrap_or_default() {
                    match p {
                        NamePattern::Exact(n) => {
                            exact.insert(n);
                        }
                        NamePattern::Glob(_) => globs.push(toks),
                    }
                }
            }
        }
        dedup_globs(&mut globs);
        let mut focus_globs = focus.globs.clone();
        dedup_globs(&mut focus_globs);
        let mut out: Vec<(String, bool)> = Vec::new();
        let focus_nfas: Vec<GlobNfa> = focus_globs
            .iter()
            .filter_map(|t| GlobNfa::new(t).ok())
            .collect();
        for n in &exact {
            if focus.all || focus.names.contains(n) || focus_nfas.iter().any(|g| g.is_match(n)) {
                out.push((n.clone(), true));
            }
        }
        // Names no rule names exactly: instances of the globs, filled with
        // pieces of the other globs so overlaps show, and a fresh name.
        let sources: &[Vec<Tok>] = if focus.all { &globs } else { &focus_globs };
        let pieces = literal_pieces(&globs);
        let mut seen: BTreeSet<String> = BTreeSet::new();
        for g in sources {
            for name in instances(g, &pieces) {
                if !exact.contains(&name) && seen.insert(name.clone()) {
                    out.push((name, false));
                }
            }
        }
        if focus.all {
            let fresh = fresh_name(eco);
            if !exact.contains(&fresh) {
                out.push((fresh, false));
            }
        }
        // A name the ecosystem cannot have is no request (a rule without
        // `ecosystem` names `@s/a` for PyPI too).
        out.retain(|(n, _)| crate::names::check(eco, n).is_ok());
        out
    }

    fn compare(
        &self,
        eco: Ecosystem,
        names: Vec<String>,
        exact: bool,
        old: &[(usize, &Rule)],
        new: &[(usize, &Rule)],
    ) -> Result<Vec<Region>, DiffError> {
        let Some(name) = names.first().cloned() else {
            return Ok(Vec::new());
        };
        let rules: Vec<&Rule> = old.iter().chain(new).map(|(_, r)| *r).collect();
        let old_layers = self.old.sub_layers(old);
        let new_layers = self.new.sub_layers(new);
        let cells = Cells::new(eco, &rules, self.now);
        let total = cells.count();
        if total > MAX_CELLS_PER_NAME {
            return Err(DiffError::TooLarge(format!(
                "{eco} `{name}`: {total} combinations of facts, over the limit of {MAX_CELLS_PER_NAME}"
            )));
        }
        let mut patterns_of_name: Vec<String> = Vec::new();
        for r in &rules {
            for (p, toks) in patterns(r, eco).unwrap_or_default() {
                if let NamePattern::Glob(text) = p {
                    if GlobNfa::new(&toks).is_ok_and(|g| g.is_match(&name)) {
                        patterns_of_name.push(text);
                    }
                }
            }
        }
        patterns_of_name.sort();
        patterns_of_name.dedup();
        // Regions keyed by everything but the version, versions merged.
        let mut found: Vec<Region> = Vec::new();
        let mut slot: HashMap<String, usize> = HashMap::new();
        for cell in cells.iter() {
            let input = RequestInput {
                ecosystem: eco.as_str().to_owned(),
                name: name.clone(),
                version: cell.version.as_ref().map(|v| v.0.clone()),
                license: cell.license.clone(),
                published_at: cell.published_at,
                project: cell.project.clone(),
                attributes: cell.attributes.clone(),
                ..RequestInput::default()
            };
            let Ok(req) = Request::new(input.clone()) else {
                continue;
            };
            let a = crate::reference::evaluate(&old_layers, &req, cell.now);
            let b = crate::reference::evaluate(&new_layers, &req, cell.now);
            if a.action == b.action {
                continue;
            }
            let (old_o, new_o) = (outcome(&a), outcome(&b));
            let facts = cell.facts(self.now);
            // Cells merge only when the same rules hold on both sides.
            let key = format!(
                "{}|{:?}|{:?}|{:?}|{}",
                cell.now,
                facts,
                holding(&a),
                holding(&b),
                cell.version.is_some()
            );
            let versions = cell
                .version
                .as_ref()
                .map(|(_, iv)| VersionSet::from_intervals(eco, vec![iv.clone()]));
            match slot.get(&key).and_then(|i| found.get_mut(*i)) {
                Some(region) => {
                    if let (Some(have), Some(more)) = (&region.versions, &versions) {
                        region.versions = Some(have.union(more));
                    }
                }
                None => {
                    slot.insert(key, found.len());
                    found.push(Region {
                        ecosystem: eco,
                        names: names.clone(),
                        exact,
                        patterns: patterns_of_name.clone(),
                        versions,
                        facts,
                        old: old_o,
                        new: new_o,
                        witness: Witness {
                            purl: purl_of(eco, &name, input.version.as_deref()),
                            request: input,
                            now: cell.now,
                        },
                    });
                }
            }
        }
        Ok(found)
    }
}

/// Every rule that held (whatever its part in the outcome).
fn holding(d: &Decision) -> Vec<(&str, &str)> {
    let mut ids: Vec<(&str, &str)> = d
        .matched
        .iter()
        .chain(&d.allowed_by)
        .chain(d.suppressed.iter().map(|s| &s.rule))
        .map(|r| (&*r.layer, &*r.id))
        .collect();
    ids.sort_unstable();
    ids
}

fn outcome(d: &Decision) -> Outcome {
    let rules = match d.action {
        _ if d.default => Vec::new(),
        Action::Allow => d.allowed_by.clone(),
        _ => d.matched.clone(),
    };
    Outcome {
        action: d.action,
        rules,
        default: d.default,
    }
}

fn dedup_globs(globs: &mut Vec<Vec<Tok>>) {
    let mut seen = std::collections::HashSet::new();
    globs.retain(|g| seen.insert(g.clone()));
}

/// A name of `eco` no rule is likely to name.
fn fresh_name(eco: Ecosystem) -> String {
    match eco {
        Ecosystem::Maven => "zz.unnamed:zz-unnamed".to_owned(),
        Ecosystem::Golang => "zz.example/unnamed".to_owned(),
        _ => "zz-unnamed".to_owned(),
    }
}

/// The maximal literal runs of the globs, as fillers for the others' wildcards.
fn literal_pieces(globs: &[Vec<Tok>]) -> Vec<String> {
    let mut out: BTreeSet<String> = BTreeSet::new();
    for g in globs.iter().take(200) {
        let mut cur = String::new();
        for t in g {
            match t {
                Tok::Lit(c) => cur.push(*c),
                _ => {
                    if !cur.is_empty() {
                        out.insert(std::mem::take(&mut cur));
                    }
                }
            }
        }
        if !cur.is_empty() {
            out.insert(cur);
        }
    }
    out.into_iter().collect()
}

/// Names a glob matches: each wildcard filled with nothing, `w`, or a piece.
fn instances(toks: &[Tok], pieces: &[String]) -> Vec<String> {
    const CAP: usize = 64;
    let mut out: Vec<String> = vec![String::new()];
    for t in toks {
        let options: Vec<String> = match t {
            Tok::Lit(c) => vec![c.to_string()],
            Tok::One => vec!["w".into()],
            Tok::Star => {
                let mut o = vec![String::new(), "w".to_owned()];
                o.extend(pieces.iter().filter(|p| !p.contains('/')).cloned());
                o
            }
            Tok::Class { negated, ranges } => {
                let pick = if *negated {
                    ('a'..='z')
                        .chain('0'..='9')
                        .find(|c| !ranges.iter().any(|(lo, hi)| lo <= c && c <= hi))
                } else {
                    ranges.first().map(|r| r.0)
                };
                pick.map(|c| vec![c.to_string()]).unwrap_or_default()
            }
            Tok::Alt(alts) => alts.iter().flat_map(|a| instances(a, &[])).collect(),
            Tok::RecDir => vec![String::new(), "w/".to_owned()],
            Tok::RecAll => vec!["w".to_owned(), "w/w".to_owned()],
        };
        let mut next = Vec::new();
        for prefix in &out {
            for o in &options {
                if next.len() < CAP {
                    next.push(format!("{prefix}{o}"));
                }
            }
        }
        out = next;
    }
    out.retain(|n| !n.is_empty());
    out
}

/// A purl for a witness (the request itself is authoritative).
fn purl_of(eco: Ecosystem, name: &str, version: Option<&str>) -> String {
    let ty = match eco {
        Ecosystem::Rubygems => "gem",
        e => e.as_str(),
    };
    let (namespace, base) = match eco {
        Ecosystem::Npm if name.starts_with('@') => match name.split_once('/') {
            Some((s, n)) => (Some(s.to_owned()), n.to_owned()),
            None => (None, name.to_owned()),
        },
        Ecosystem::Maven => match name.split_once(':') {
            Some((g, a)) => (Some(g.to_owned()), a.to_owned()),
            None => (None, name.to_owned()),
        },
        Ecosystem::Golang => match name.rsplit_once('/') {
            Some((p, n)) => (Some(p.to_owned()), n.to_owned()),
            None => (None, name.to_owned()),
        },
        _ => (None, name.to_owned()),
    };
    crate::purl::Purl::build(crate::purl::PurlParts {
        ty: ty.to_owned(),
        namespace,
        name: base,
        version: version.map(str::to_owned),
        qualifiers: BTreeMap::new(),
        subpath: None,
    })
    .map(|p| p.to_string())
    .unwrap_or_else(|_| format!("pkg:{ty}/{name}"))
}

/// One combination of facts.
struct Cell {
    now: Timestamp,
    /// The witness text and the elementary interval it stands for.
    version: Option<(String, Interval)>,
    license: Option<String>,
    published_at: Option<Timestamp>,
    project: Option<String>,
    attributes: BTreeMap<String, AttrValue>,
}

impl Cell {
    fn facts(&self, base_now: Timestamp) -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        if self.now != base_now {
            f.insert("now".into(), self.now.to_string());
        }
        if let Some(l) = &self.license {
            f.insert("license".into(), l.clone());
        }
        if let Some(p) = self.published_at {
            let age = self.now.duration_since(p);
            f.insert("published_at".into(), format!("{p} (age {age:#})"));
        }
        if let Some(p) = &self.project {
            f.insert("project".into(), p.clone());
        }
        if !self.attributes.is_empty() {
            f.insert("attributes".into(), format!("{:?}", self.attributes));
        }
        f
    }
}

/// The partition of every fact but the name, from the boundaries of `rules`.
struct Cells {
    nows: Vec<Timestamp>,
    versions: Vec<Option<(String, Interval)>>,
    licenses: Vec<Option<String>>,
    ages: Vec<Option<jiff::SignedDuration>>,
    projects: Vec<Option<String>>,
    attributes: Vec<BTreeMap<String, AttrValue>>,
}

impl Cells {
    fn new(eco: Ecosystem, rules: &[&Rule], now: Timestamp) -> Cells {
        let mut nows: BTreeSet<Timestamp> = BTreeSet::from([now]);
        nows.extend(rules.iter().filter_map(|r| r.expires).filter(|e| *e > now));
        Cells {
            nows: nows.into_iter().collect(),
            versions: version_cells(eco, rules),
            licenses: license_cells(rules),
            ages: age_cells(rules),
            projects: project_cells(rules),
            attributes: attribute_cells(rules),
        }
    }

    fn count(&self) -> usize {
        [
            self.nows.len(),
            self.versions.len(),
            self.licenses.len(),
            self.ages.len(),
            self.projects.len(),
            self.attributes.len(),
        ]
        .iter()
        .fold(1usize, |a, b| a.saturating_mul(*b))
    }

    fn iter(&self) -> impl Iterator<Item = Cell> + '_ {
        self.nows.iter().flat_map(move |now| {
            self.versions.iter().flat_map(move |v| {
                self.licenses.iter().flat_map(move |l| {
                    self.ages.iter().flat_map(move |age| {
                        self.projects.iter().flat_map(move |p| {
                            self.attributes.iter().map(move |a| Cell {
                                now: *now,
                                version: v.clone(),
                                license: l.clone(),
                                published_at: age.and_then(|d| now.checked_sub(d).ok()),
                                project: p.clone(),
                                attributes: a.clone(),
                            })
                        })
                    })
                })
            })
        })
    }
}

/// Elementary intervals between the bounds of every `versions` set, each with
/// a witness (an interval no version lies in is left out), and "no version".
fn version_cells(eco: Ecosystem, rules: &[&Rule]) -> Vec<Option<(String, Interval)>> {
    let mut points: Vec<Version> = Vec::new();
    for r in rules {
        for iv in r.cond.versions.iter().flat_map(|s| s.intervals()) {
            for b in [&iv.lo, &iv.hi] {
                if let Bound::Included(v) | Bound::Excluded(v) = b {
                    points.push(v.clone());
                }
            }
        }
    }
    points.sort();
    points.dedup();
    let mut ivs = Vec::with_capacity(points.len() * 2 + 1);
    let mut lo = Bound::Unbounded;
    for p in points {
        ivs.push(Interval::new(lo, Bound::Excluded(p.clone())));
        ivs.push(Interval::exact(p.clone()));
        lo = Bound::Excluded(p);
    }
    ivs.push(Interval::new(lo, Bound::Unbounded));
    let mut out: Vec<Option<(String, Interval)>> = vec![None];
    out.extend(
        ivs.into_iter()
            .filter(|iv| !iv.is_empty())
            .filter_map(|iv| version_in(eco, &iv).map(|w| Some((w, iv)))),
    );
    out
}

/// No license, each id named, one named by none, each named id with another,
/// and all named ids together (AND), and the choices (OR) of pairs.
fn license_cells(rules: &[&Rule]) -> Vec<Option<String>> {
    let mut ids: BTreeSet<&str> = BTreeSet::new();
    for r in rules {
        ids.extend(r.cond.license.iter().flatten().copied());
        ids.extend(r.cond.license_not_in.iter().flatten().copied());
    }
    if ids.is_empty() {
        return vec![None];
    }
    let other = ["0BSD", "Zlib", "ISC", "MIT", "Unlicense", "BSL-1.0"]
        .into_iter()
        .find(|o| !ids.contains(o))
        .unwrap_or("CC0-1.0");
    let list: Vec<&str> = ids.iter().copied().collect();
    let mut out: Vec<Option<String>> = vec![None, Some(other.to_owned())];
    for id in &list {
        out.push(Some((*id).to_owned()));
        out.push(Some(format!("{id} AND {other}")));
        out.push(Some(format!("{id} OR {other}")));
    }
    if list.len() > 1 {
        out.push(Some(list.join(" AND ")));
        out.push(Some(format!("{} AND {other}", list.join(" AND "))));
        for (i, a) in list.iter().enumerate() {
            for b in list.iter().skip(i + 1) {
                out.push(Some(format!("{a} OR {b}")));
                out.push(Some(format!("{a} AND {b}")));
            }
        }
    }
    out
}

/// No publish time, exactly each `published_within` boundary (not within it,
/// within every longer one), and just now (within all).
fn age_cells(rules: &[&Rule]) -> Vec<Option<jiff::SignedDuration>> {
    let mut ds: BTreeSet<jiff::SignedDuration> = BTreeSet::new();
    ds.extend(rules.iter().filter_map(|r| r.cond.published_within));
    if ds.is_empty() {
        return vec![None];
    }
    let mut out = vec![None, Some(jiff::SignedDuration::ZERO)];
    out.extend(ds.into_iter().map(Some));
    out
}

fn project_cells(rules: &[&Rule]) -> Vec<Option<String>> {
    let globs: Vec<Vec<Tok>> = rules
        .iter()
        .flat_map(|r| r.cond.project.iter().flatten())
        .map(|g| g.toks.clone())
        .collect();
    if globs.is_empty() {
        return vec![None];
    }
    let pieces = literal_pieces(&globs);
    let mut out: BTreeSet<String> = BTreeSet::from(["zz/unnamed".to_owned()]);
    for g in &globs {
        out.extend(instances(g, &pieces));
    }
    let mut cells = vec![None];
    cells.extend(out.into_iter().map(Some));
    cells
}

/// Each attribute key absent, with each value written, or with another value.
fn attribute_cells(rules: &[&Rule]) -> Vec<BTreeMap<String, AttrValue>> {
    let mut values: BTreeMap<&str, Vec<&AttrValue>> = BTreeMap::new();
    for r in rules {
        for (k, v) in r.cond.attributes.iter().flatten() {
            let e = values.entry(k.as_str()).or_default();
            if !e.contains(&v) {
                e.push(v);
            }
        }
    }
    let mut out = vec![BTreeMap::new()];
    let other = AttrValue::String("zz-other".to_owned());
    for (k, vs) in values {
        let mut next = Vec::new();
        for base in &out {
            next.push(base.clone());
            for v in vs.iter().copied().chain([&other]) {
                let mut m = base.clone();
                m.insert(k.to_owned(), v.clone());
                next.push(m);
            }
        }
        out = next;
    }
    out
}
