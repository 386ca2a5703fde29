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

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::Timestamp;
use package_versions::{Bound, Ecosystem, Interval, Version, VersionSet};

use crate::decision::{Action, Decision, RuleRef};
use crate::error::CompileError;
use crate::feed::CompileOptions;
use crate::glob::Tok;
use crate::layer::{Conditions, Layer, Rule};
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
    /// True when the region holds for every name of the ecosystem on which
    /// no rule naming packages holds (rules without `package`, or with `**`,
    /// decide it); `names` then holds one representative.
    pub any_name: bool,
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
    let old = View::load_rules(old, options).map_err(DiffError::Old)?;
    let new = View::load_rules(new, options).map_err(DiffError::New)?;
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
    /// Per rule: its identity for change detection, and the same without
    /// its package condition (formatted once: a diff asks for them per name).
    keys: Vec<String>,
    shapes: Vec<String>,
}

impl<'v> Side<'v> {
    fn new(view: &'v View) -> Self {
        let rules: Vec<(usize, &Rule)> = view.rules().map(|(at, r)| (at.layer, r)).collect();
        let index = RuleIndex::build(rules.iter().map(|(_, r)| *r));
        let layer = |li: usize| view.layers.get(li);
        let keys = rules
            .iter()
            .map(|(li, r)| layer(*li).map(|l| rule_key(l, r)).unwrap_or_default())
            .collect();
        let shapes = rules
            .iter()
            .map(|(li, r)| layer(*li).map(|l| shape_key(l, r)).unwrap_or_default())
            .collect();
        Side {
            view,
            rules,
            index,
            keys,
            shapes,
        }
    }

    /// Rules admitting `name` in `eco`, as positions in `rules`, in order.
    fn admitting(&self, eco: Ecosystem, name: &str) -> Vec<usize> {
        self.index
            .admitting(eco, name)
            .into_iter()
            .map(|n| n as usize)
            .collect()
    }

    fn pick(&self, at: &[usize]) -> Vec<(usize, &'v Rule)> {
        at.iter()
            .filter_map(|n| self.rules.get(*n).copied())
            .collect()
    }

    fn keys_of(&self, at: &[usize]) -> Vec<&str> {
        at.iter()
            .filter_map(|n| self.keys.get(*n).map(String::as_str))
            .collect()
    }

    fn shape_of(&self, at: &[usize]) -> String {
        at.iter()
            .filter_map(|n| self.shapes.get(*n).map(String::as_str))
            .collect::<Vec<_>>()
            .join("\n")
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
    requests: RefCell<HashMap<String, Option<Request>>>,
}

impl<'v> Differ<'v> {
    fn new(old: &'v View, new: &'v View, now: Timestamp) -> Self {
        Differ {
            old: Side::new(old),
            new: Side::new(new),
            now,
            requests: RefCell::new(HashMap::new()),
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
                if self.old.view.effective_default() == self.new.view.effective_default()
                    && self.old.keys_of(&old) == self.new.keys_of(&new)
                {
                    continue;
                }
                // Exact names group by the shape of their rules (listed
                // together); glob-only names by the very rules admitting them
                // (one representative stands for the patterns' names).
                let sig = if exact {
                    format!(
                        "{}\n--\n{}",
                        self.old.shape_of(&old),
                        self.new.shape_of(&new)
                    )
                } else {
                    format!("glob {old:?} {new:?}")
                };
                match by_shape.get(&sig) {
                    Some(&g) => {
                        if let (Some(group), true) = (groups.get_mut(g), exact) {
                            group.0.push(name);
                        }
                    }
                    _ => {
                        by_shape.insert(sig, groups.len());
                        groups.push((vec![name], exact, self.old.pick(&old), self.new.pick(&new)));
                    }
                }
            }
            for (names, exact, old, new) in groups {
                let kind = if exact {
                    NameKind::Exact
                } else {
                    NameKind::Glob
                };
                regions.extend(self.compare(eco, names, kind, &old, &new)?);
            }
            // Requests on which no rule naming packages holds are decided
            // alike for every name: once, by the rules admitting any name.
            if f.all {
                let any = |side: &Side<'v>| -> Vec<(usize, &'v Rule)> {
                    side.rules
                        .iter()
                        .filter(|(_, r)| ecosystems(r).contains(&eco) && any_name(r))
                        .copied()
                        .collect()
                };
                let (old, new) = (any(&self.old), any(&self.new));
                regions.extend(self.compare(
                    eco,
                    vec![fresh_name(eco)],
                    NameKind::Any,
                    &old,
                    &new,
                )?);
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
        fn keys<'s>(side: &'s Side) -> HashMap<&'s str, usize> {
            let mut m = HashMap::new();
            for k in &side.keys {
                *m.entry(k.as_str()).or_insert(0) += 1;
            }
            m
        }
        let (old_keys, new_keys) = (keys(&self.old), keys(&self.new));
        let all = self.old.view.effective_default() != self.new.view.effective_default();
        for (side, other) in [(&self.old, &new_keys), (&self.new, &old_keys)] {
            for ((_, r), key) in side.rules.iter().zip(&side.keys) {
                if !all && other.contains_key(key.as_str()) {
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
        // A name the ecosystem cannot have is no request (a rule without
        // `ecosystem` names `@s/a` for PyPI too).
        out.retain(|(n, _)| crate::names::check(eco, n).is_ok());
        out
    }

    fn compare(
        &self,
        eco: Ecosystem,
        names: Vec<String>,
        kind: NameKind,
        old: &[(usize, &Rule)],
        new: &[(usize, &Rule)],
    ) -> Result<Vec<Region>, DiffError> {
        let Some(name) = names.first().cloned() else {
            return Ok(Vec::new());
        };
        let class_rules: Vec<ClassRule> = [(0usize, old, &self.old), (1, new, &self.new)]
            .into_iter()
            .flat_map(|(side, rs, view)| {
                rs.iter().map(move |(li, r)| ClassRule {
                    rule: r,
                    side,
                    layer: *li,
                    dry_run: view.view.layers.get(*li).is_some_and(|l| l.dry_run),
                    specific: !any_name(r),
                })
            })
            .collect();
        let cells = Cells {
            eco,
            name: &name,
            now: self.now,
            rules: &class_rules,
            named: kind != NameKind::Any,
            requests: &self.requests,
        };
        let states = cells.states()?;
        if states.is_empty() {
            return Ok(Vec::new());
        }
        let rules: Vec<&Rule> = class_rules.iter().map(|r| r.rule).collect();
        let old_layers = self.old.sub_layers(old);
        let new_layers = self.new.sub_layers(new);
        let mut patterns_of_name: Vec<String> = Vec::new();
        if kind != NameKind::Any {
            for r in &rules {
                for (p, toks) in patterns(r, eco).unwrap_or_default() {
                    if let NamePattern::Glob(text) = p {
                        if GlobNfa::new(&toks).is_ok_and(|g| g.is_match(&name)) {
                            patterns_of_name.push(text);
                        }
                    }
                }
            }
        }
        patterns_of_name.sort();
        patterns_of_name.dedup();
        let mut found: Vec<Region> = Vec::new();
        for State { cell, .. } in states {
            let input = RequestInput {
                ecosystem: eco.as_str().to_owned(),
                name: name.clone(),
                version: cell.version.clone(),
                license: cell.license.clone(),
                published_at: cell.published_at(),
                project: cell.project.clone(),
                attributes: cell.attributes.clone(),
                ..RequestInput::default()
            };
            let Ok(req) = Request::new(input.clone()) else {
                continue;
            };
            let a = crate::reference::decide(&old_layers, &req, cell.now);
            let b = crate::reference::decide(&new_layers, &req, cell.now);
            if a.action == b.action {
                continue;
            }
            found.push(Region {
                ecosystem: eco,
                names: names.clone(),
                exact: kind == NameKind::Exact,
                any_name: kind == NameKind::Any,
                patterns: patterns_of_name.clone(),
                versions: cell
                    .version
                    .as_ref()
                    .map(|_| VersionSet::from_intervals(eco, cell.intervals.clone())),
                facts: cell.facts(self.now),
                old: outcome(&a),
                new: outcome(&b),
                witness: Witness {
                    purl: purl_of(eco, &name, input.version.as_deref()),
                    request: input,
                    now: cell.now,
                },
            });
        }
        Ok(found)
    }
}

/// What a name class stands for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum NameKind {
    /// Names some rule names exactly.
    Exact,
    /// Names only globs match (one representative).
    Glob,
    /// Any name of the ecosystem, where no rule naming packages holds.
    Any,
}

/// The rule admits every name (no `package`, or `**` among them).
fn any_name(rule: &Rule) -> bool {
    rule.cond
        .packages
        .as_ref()
        .is_none_or(|ps| ps.iter().any(|g| g.toks.as_slice() == [Tok::RecAll]))
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

/// One combination of facts: the representative request of a class of
/// requests on which the same rules of both sets hold.
#[derive(Clone)]
struct Cell {
    now: Timestamp,
    /// A witness version, if the class has versions.
    version: Option<String>,
    /// Every elementary version interval the class reaches.
    intervals: Vec<Interval>,
    license: Option<String>,
    age: Option<jiff::SignedDuration>,
    project: Option<String>,
    attributes: BTreeMap<String, AttrValue>,
}

impl Cell {
    fn published_at(&self) -> Option<Timestamp> {
        self.age.and_then(|d| self.now.checked_sub(d).ok())
    }

    fn facts(&self, base_now: Timestamp) -> BTreeMap<String, String> {
        let mut f = BTreeMap::new();
        if self.now != base_now {
            f.insert("now".into(), self.now.to_string());
        }
        if let Some(l) = &self.license {
            f.insert("license".into(), l.clone());
        }
        if let Some(p) = self.published_at() {
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

/// A class of cells: which rules of the name class may still hold (one bit
/// per rule, old then new), and a representative.
#[derive(Clone)]
struct State {
    bits: Vec<bool>,
    cell: Cell,
}

/// The fact dimensions, in the order they are split on: versions first (a
/// feed's rules constrain nothing else, so most states end there), time last.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Dim {
    Version,
    Project,
    Attributes,
    License,
    Age,
    Now,
}

impl Dim {
    const ORDER: [Dim; 6] = [
        Dim::Version,
        Dim::Project,
        Dim::Attributes,
        Dim::License,
        Dim::Age,
        Dim::Now,
    ];

    fn constrains(self, rule: &Rule) -> bool {
        let c = &rule.cond;
        match self {
            Dim::Version => c.versions.is_some(),
            Dim::Project => c.project.is_some(),
            Dim::Attributes => c.attributes.as_ref().is_some_and(|a| !a.is_empty()),
            Dim::License => c.license.is_some() || c.license_not_in.is_some(),
            Dim::Age => c.published_within.is_some(),
            Dim::Now => rule.expires.is_some(),
        }
    }

    /// The rule's conditions on this dimension alone.
    fn project(self, c: &Conditions) -> Conditions {
        match self {
            Dim::Version => Conditions {
                versions: c.versions.clone(),
                ..Conditions::default()
            },
            Dim::Project => Conditions {
                project: c.project.clone(),
                ..Conditions::default()
            },
            Dim::Attributes => Conditions {
                attributes: c.attributes.clone(),
                ..Conditions::default()
            },
            Dim::License => Conditions {
                license: c.license.clone(),
                license_not_in: c.license_not_in.clone(),
                ..Conditions::default()
            },
            Dim::Age => Conditions {
                published_within: c.published_within,
                ..Conditions::default()
            },
            Dim::Now => Conditions::default(),
        }
    }
}

/// A rule of the name class, with what the pruning needs to know of it.
struct ClassRule<'r> {
    rule: &'r Rule,
    /// 0 = old set, 1 = new set.
    side: usize,
    layer: usize,
    dry_run: bool,
    /// Names packages (not every name of the ecosystem).
    specific: bool,
}

/// The requests of one name class, split on every fact the class's rules
/// draw a boundary in, one dimension at a time. After each dimension, cells
/// on which the same rules may still hold merge into one state, and states
/// that cannot be decided differently are dropped: so the work follows the
/// number of distinct rule combinations, not the product of every fact's values.
struct Cells<'a, 'r> {
    eco: Ecosystem,
    name: &'a str,
    now: Timestamp,
    rules: &'a [ClassRule<'r>],
    /// A class of named packages: states where no rule naming packages holds
    /// are decided as for any name (the any-name class reports them).
    named: bool,
    /// Requests carrying one dimension's value, parsed once per diff.
    requests: &'a RefCell<HashMap<String, Option<Request>>>,
}

impl Cells<'_, '_> {
    fn states(&self) -> Result<Vec<State>, DiffError> {
        let n = self.rules.len();
        let mut states = vec![State {
            bits: vec![true; n],
            cell: Cell {
                now: self.now,
                version: None,
                intervals: Vec::new(),
                license: None,
                age: None,
                project: None,
                attributes: BTreeMap::new(),
            },
        }];
        let mut done: Vec<Dim> = Vec::new();
        let rules: Vec<&Rule> = self.rules.iter().map(|r| r.rule).collect();
        for dim in Dim::ORDER {
            // Most classes end after their versions: a feed's deny holds on
            // both sides, or no rule naming the package holds.
            if states.is_empty() {
                break;
            }
            let classes: Vec<(Vec<bool>, Cell)> = match dim {
                Dim::Version => self.split(dim, version_cells(self.eco, &rules), |c, v| {
                    if let Some((w, iv)) = v {
                        c.version = Some(w.clone());
                        c.intervals.push(iv.clone());
                    }
                }),
                Dim::Project => self.split(dim, project_cells(&rules), |c, v| {
                    c.project = v.clone();
                }),
                Dim::Attributes => self.split(dim, attribute_cells(&rules), |c, v| {
                    c.attributes = v.clone();
                }),
                Dim::License => self.split(dim, license_cells(&rules), |c, v| {
                    c.license = v.clone();
                }),
                Dim::Age => self.split(dim, age_cells(&rules), |c, v| c.age = *v),
                Dim::Now => {
                    let mut nows: BTreeSet<Timestamp> = BTreeSet::from([self.now]);
                    nows.extend(
                        rules
                            .iter()
                            .filter_map(|r| r.expires)
                            .filter(|e| *e > self.now),
                    );
                    nows.into_iter()
                        .map(|t| {
                            let sig = rules
                                .iter()
                                .map(|r| r.expires.is_none_or(|e| t < e))
                                .collect();
                            let mut c = self.blank();
                            c.now = t;
                            (sig, c)
                        })
                        .collect()
                }
            };
            done.push(dim);
            states = self.step(states, &classes, dim, &done);
            if states.len() > MAX_CELLS_PER_NAME {
                return Err(DiffError::TooLarge(format!(
                    "{} `{}`: over {MAX_CELLS_PER_NAME} combinations of rules that hold",
                    self.eco, self.name
                )));
            }
        }
        Ok(states)
    }

    fn blank(&self) -> Cell {
        Cell {
            now: self.now,
            version: None,
            intervals: Vec::new(),
            license: None,
            age: None,
            project: None,
            attributes: BTreeMap::new(),
        }
    }

    /// `values` of one dimension grouped by the truth of each rule's
    /// conditions on it, each group with its signature and a cell carrying it.
    fn split<T>(
        &self,
        dim: Dim,
        values: Vec<T>,
        set: impl Fn(&mut Cell, &T),
    ) -> Vec<(Vec<bool>, Cell)> {
        // Rules that say nothing of this dimension hold on all of its values.
        let conds: Vec<Option<Conditions>> = self
            .rules
            .iter()
            .map(|r| dim.constrains(r.rule).then(|| dim.project(&r.rule.cond)))
            .collect();
        let mut out: Vec<(Vec<bool>, Cell)> = Vec::new();
        if conds.iter().all(Option::is_none) {
            let mut cell = None;
            // One value stands for all; a version keeps its kind (with or without).
            let mut with_version = None;
            for v in values {
                let mut c = self.blank();
                set(&mut c, &v);
                match (&c.version, &mut with_version) {
                    (Some(_), None) => with_version = Some(c),
                    (Some(_), Some(have)) => have.intervals.extend(c.intervals),
                    (None, _) => {
                        cell.get_or_insert(c);
                    }
                }
            }
            out.extend(cell.map(|c| (vec![true; conds.len()], c)));
            out.extend(with_version.map(|c| (vec![true; conds.len()], c)));
            return out;
        }
        let mut slot: HashMap<Vec<bool>, usize> = HashMap::new();
        let mut requests = self.requests.borrow_mut();
        for v in values {
            let mut cell = self.blank();
            set(&mut cell, &v);
            // The projected conditions never read the name: one valid name
            // per ecosystem lets every class share the parsed requests.
            let key = format!(
                "{}|{:?}|{:?}|{:?}|{:?}|{:?}",
                self.eco, cell.version, cell.license, cell.age, cell.project, cell.attributes
            );
            let req = requests.entry(key).or_insert_with(|| {
                Request::new(RequestInput {
                    ecosystem: self.eco.as_str().to_owned(),
                    name: fresh_name(self.eco),
                    version: cell.version.clone(),
                    license: cell.license.clone(),
                    published_at: cell.published_at(),
                    project: cell.project.clone(),
                    attributes: cell.attributes.clone(),
                    ..RequestInput::default()
                })
                .ok()
            });
            // A value no request can carry is no cell.
            let Some(req) = req.as_ref() else {
                continue;
            };
            let sig: Vec<bool> = conds
                .iter()
                .map(|c| {
                    c.as_ref()
                        .is_none_or(|c| crate::reference::conditions_hold(c, req, self.now, &[]))
                })
                .collect();
            // A version class keeps every interval; requests with and without
            // a version stay apart (a region says which it is).
            let key: Vec<bool> = sig
                .iter()
                .copied()
                .chain([cell.version.is_some()])
                .collect();
            match slot.get(&key).and_then(|i| out.get_mut(*i)) {
                Some((_, have)) => have.intervals.extend(cell.intervals),
                None => {
                    slot.insert(key, out.len());
                    out.push((sig, cell));
                }
            }
        }
        out
    }

    /// Every state refined by every class of `dim`, merged and pruned.
    fn step(
        &self,
        states: Vec<State>,
        classes: &[(Vec<bool>, Cell)],
        dim: Dim,
        done: &[Dim],
    ) -> Vec<State> {
        let mut out: Vec<State> = Vec::new();
        let mut slot: HashMap<(Vec<bool>, bool), usize> = HashMap::new();
        for s in &states {
            for (sig, class) in classes {
                let bits: Vec<bool> = s.bits.iter().zip(sig).map(|(a, b)| *a && *b).collect();
                if !self.may_differ(&bits, done) {
                    continue;
                }
                let mut cell = s.cell.clone();
                match dim {
                    Dim::Version => {
                        cell.version.clone_from(&class.version);
                        cell.intervals.clone_from(&class.intervals);
                    }
                    Dim::Project => cell.project.clone_from(&class.project),
                    Dim::Attributes => cell.attributes.clone_from(&class.attributes),
                    Dim::License => cell.license.clone_from(&class.license),
                    Dim::Age => cell.age = class.age,
                    Dim::Now => cell.now = class.now,
                }
                let key = (bits, cell.version.is_some());
                match slot.get(&key).and_then(|i| out.get_mut(*i)) {
                    Some(have) => {
                        let more = std::mem::take(&mut cell.intervals);
                        // The earliest time represents the state (a
                        // difference now rather than after an expiry).
                        if cell.now < have.cell.now {
                            let kept = std::mem::take(&mut have.cell.intervals);
                            have.cell = cell;
                            have.cell.intervals = kept;
                        }
                        have.cell.intervals.extend(more);
                    }
                    None => {
                        slot.insert(key.clone(), out.len());
                        out.push(State { bits: key.0, cell });
                    }
                }
            }
        }
        out
    }

    /// False when the two sets must decide every request of the state alike:
    /// in a named class, no rule naming packages can hold any more; or on both
    /// sides a definitely holding enforced deny no possible allow can suppress.
    fn may_differ(&self, bits: &[bool], done: &[Dim]) -> bool {
        let holds = |i: usize| bits.get(i).copied().unwrap_or(false);
        if self.named
            && !self
                .rules
                .iter()
                .enumerate()
                .any(|(i, r)| r.specific && holds(i))
        {
            return false;
        }
        let definite = |r: &ClassRule| {
            Dim::ORDER
                .iter()
                .all(|d| done.contains(d) || !d.constrains(r.rule))
        };
        let sure_deny = |side: usize| {
            self.rules.iter().enumerate().any(|(i, d)| {
                d.side == side
                    && holds(i)
                    && !d.dry_run
                    && d.rule.rref.action == Action::Deny
                    && definite(d)
                    && !self.rules.iter().enumerate().any(|(j, a)| {
                        a.side == side
                            && holds(j)
                            && !a.dry_run
                            && a.rule.rref.action == Action::Allow
                            && (!d.rule.enforced || a.layer <= d.layer)
                    })
            })
        };
        !(sure_deny(0) && sure_deny(1))
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
