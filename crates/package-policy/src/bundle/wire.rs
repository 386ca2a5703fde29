//! The payload of a bundle: each level of an engine in its compiled form
//! (rules, shared predicates, version sets, name index tables), strings in one
//! table per level so that shared texts (layer names, feed reasons) stay
//! shared after loading. Reading checks every number against what it refers
//! to; nothing read is trusted.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Bound, Ecosystem, Interval, Version, VersionSet};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use crate::advisory::Fix;
use crate::decision::{Action, RuleRef};
use crate::engine::{CompiledRule, Engine, Inner, NO_PREDICATE};
use crate::feed::{FeedIssue, FeedIssueReason, FeedReport, FeedStats};
use crate::index::{IndexWire, NameIndex, PatternWire};
use crate::matcher::{GlobNfa, Predicate};
use crate::request::AttrValue;

use super::conditions::ConditionsWire;

#[derive(Serialize, Deserialize)]
pub(crate) struct BundleWire<'a> {
    #[serde(borrow)]
    pub levels: Vec<LevelWire<'a>>,
}

#[derive(Serialize, Deserialize)]
pub(crate) struct LevelWire<'a> {
    #[serde(borrow)]
    strings: Vec<&'a str>,
    layers: Vec<LayerWire>,
    rules: Vec<RuleWire>,
    #[serde(borrow)]
    version_sets: Vec<SetWire<'a>>,
    predicates: Vec<PredicateWire>,
    #[serde(borrow)]
    indexes: Vec<IndexWire<'a>>,
    digest: [u8; 32],
    /// The level's `unreadable_license` (over it and the outer levels).
    unreadable_license: Option<u8>,
    feeds: Vec<FeedWire>,
    issues: Vec<IssueWire>,
    /// Per layer of the level, its advisory feeds' fix versions.
    fixes: Vec<Vec<FixWire>>,
    /// Whether a layer of this level or an outer one declares an advisory feed.
    advisory_declared: bool,
}

/// One fix version: ecosystem code, normalized name, version text, advisory id.
#[derive(Serialize, Deserialize)]
struct FixWire {
    ecosystem: u8,
    name: String,
    version: String,
    advisory: String,
}

#[derive(Serialize, Deserialize)]
struct FeedWire {
    name: String,
    /// documents, records, rules, withdrawn, superseded, skipped, fixes.
    counts: [u64; 7],
    /// Issue counts by reason name (`FeedIssueReason::as_str`).
    reasons: Vec<(String, u64)>,
}

#[derive(Serialize, Deserialize)]
struct LayerWire {
    name: u32,
    default: u8,
    dry_run: bool,
}

#[derive(Serialize, Deserialize)]
struct RuleWire {
    /// Place of the rule's layer among this level's layers.
    layer: u32,
    id: u32,
    action: u8,
    reason: Option<u32>,
    owner: Option<u32>,
    ticket: Option<u32>,
    enforced: bool,
    ecosystems: u8,
    expires: Option<(i64, i32)>,
    predicate: u32,
}

#[derive(Serialize, Deserialize)]
struct SetWire<'a> {
    ecosystem: u8,
    /// Interval bounds, low then high: 0 unbounded, 1 included, 2 excluded,
    /// with the version's text.
    #[serde(borrow)]
    bounds: Vec<(u8, &'a str)>,
}

#[derive(Serialize, Deserialize)]
struct PredicateWire {
    versions: Option<u32>,
    license: Option<Vec<u32>>,
    license_not_in: Option<Vec<u32>>,
    published_within: Option<(i64, i32)>,
    project: Option<Vec<PatternWire>>,
    attributes: Option<Vec<(u32, AttrWire)>>,
    /// `provenance`, `provenance_downgrade` and `unless` (issue 17).
    conditions: Option<Box<ConditionsWire>>,
}

#[derive(Serialize, Deserialize)]
enum AttrWire {
    Bool(bool),
    Int(i64),
    String(u32),
}

#[derive(Serialize, Deserialize)]
struct IssueWire {
    feed: String,
    origin: String,
    line: Option<u64>,
    column: Option<u64>,
    record_id: Option<String>,
    reason: String,
    message: String,
    skipped: bool,
}

/// Interns strings while a level is written.
#[derive(Default)]
struct Strings<'a> {
    list: Vec<&'a str>,
    ids: FxHashMap<&'a str, u32>,
}

impl<'a> Strings<'a> {
    fn id(&mut self, s: &'a str) -> u32 {
        let next = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        *self.ids.entry(s).or_insert_with(|| {
            self.list.push(s);
            next
        })
    }
}

fn action_code(a: Action) -> u8 {
    match a {
        Action::Allow => 0,
        Action::Warn => 1,
        Action::Deny => 2,
    }
}

fn action_of(code: u8) -> Result<Action, String> {
    match code {
        0 => Ok(Action::Allow),
        1 => Ok(Action::Warn),
        2 => Ok(Action::Deny),
        _ => Err(format!("unknown action code {code}")),
    }
}

fn ecosystem_of(code: u8) -> Result<Ecosystem, String> {
    Ecosystem::ALL
        .iter()
        .copied()
        .find(|e| e.index() == code as usize)
        .ok_or_else(|| format!("unknown ecosystem code {code}"))
}

fn duration_wire(d: SignedDuration) -> (i64, i32) {
    (d.as_secs(), d.subsec_nanos())
}

fn duration_of((s, n): (i64, i32)) -> Result<SignedDuration, String> {
    if !(-999_999_999..=999_999_999).contains(&n) || (s != 0 && n != 0 && (s < 0) != (n < 0)) {
        return Err("a duration is malformed".into());
    }
    Ok(SignedDuration::new(s, n))
}

impl<'a> LevelWire<'a> {
    /// `level`'s compiled form. `texts` keeps the version texts it borrows.
    pub(crate) fn from_level(level: &'a Inner, texts: &'a [String]) -> LevelWire<'a> {
        let mut strings = Strings::default();
        let layers = level
            .layer_names
            .iter()
            .zip(level.layer_modes.iter())
            .map(|(name, (default, dry_run))| LayerWire {
                name: strings.id(name),
                default: action_code(*default),
                dry_run: *dry_run,
            })
            .collect();
        let offset = level
            .layers_total
            .saturating_sub(u32::try_from(level.layer_names.len()).unwrap_or(u32::MAX));
        let rules = level
            .rules
            .iter()
            .map(|r| RuleWire {
                layer: r.layer.saturating_sub(offset),
                id: strings.id(&r.rref.id),
                action: action_code(r.rref.action),
                reason: r.rref.reason.as_deref().map(|s| strings.id(s)),
                owner: r.rref.owner.as_deref().map(|s| strings.id(s)),
                ticket: r.rref.ticket.as_deref().map(|s| strings.id(s)),
                enforced: r.enforced,
                ecosystems: r.ecosystems,
                expires: r.expires.map(|t| (t.as_second(), t.subsec_nanosecond())),
                predicate: r.predicate,
            })
            .collect();
        // Version sets shared between predicates are written once.
        let mut set_ids: FxHashMap<*const VersionSet, u32> = FxHashMap::default();
        let mut version_sets: Vec<SetWire<'a>> = Vec::new();
        let mut text = texts.iter();
        let mut predicates = Vec::with_capacity(level.predicates.len());
        for p in &level.predicates {
            let versions = p.versions.as_ref().map(|set| {
                let next = u32::try_from(version_sets.len()).unwrap_or(u32::MAX);
                *set_ids.entry(Arc::as_ptr(set)).or_insert_with(|| {
                    let mut w = SetWire {
                        ecosystem: u8::try_from(set.ecosystem().index()).unwrap_or(u8::MAX),
                        bounds: Vec::new(),
                    };
                    for i in set.intervals() {
                        for b in [&i.lo, &i.hi] {
                            w.bounds.push(match b {
                                Bound::Unbounded => (0, ""),
                                Bound::Included(_) => (1, text.next().map_or("", |s| s)),
                                Bound::Excluded(_) => (2, text.next().map_or("", |s| s)),
                            });
                        }
                    }
                    version_sets.push(w);
                    next
                })
            });
            let ids = |list: &Option<Box<[&'static str]>>, strings: &mut Strings<'a>| {
                list.as_ref()
                    .map(|l| l.iter().map(|s| strings.id(s)).collect())
            };
            predicates.push(PredicateWire {
                versions,
                license: ids(&p.license, &mut strings),
                license_not_in: ids(&p.license_not_in, &mut strings),
                published_within: p.published_within.map(duration_wire),
                project: p
                    .project_toks
                    .as_ref()
                    .map(|globs| globs.iter().map(|t| PatternWire::from_toks(t)).collect()),
                attributes: p.attributes.as_ref().map(|attrs| {
                    attrs
                        .iter()
                        .map(|(k, v)| {
                            let v = match v {
                                AttrValue::Bool(b) => AttrWire::Bool(*b),
                                AttrValue::Int(i) => AttrWire::Int(*i),
                                AttrValue::String(s) => AttrWire::String(strings.id(s)),
                            };
                            (strings.id(k), v)
                        })
                        .collect()
                }),
                conditions: ConditionsWire::of(p),
            });
        }
        LevelWire {
            strings: strings.list,
            layers,
            rules,
            version_sets,
            predicates,
            indexes: level.indexes.iter().map(NameIndex::to_wire).collect(),
            digest: crate::digest::unhex(&level.digest).unwrap_or_default(),
            unreadable_license: level.unreadable_license.map(action_code),
            feeds: level
                .feeds
                .feeds
                .iter()
                .map(|(name, s)| {
                    let n = |x: usize| x as u64;
                    FeedWire {
                        name: name.clone(),
                        counts: [
                            n(s.documents),
                            n(s.records),
                            n(s.rules),
                            n(s.withdrawn),
                            n(s.superseded),
                            n(s.skipped),
                            n(s.fixes),
                        ],
                        reasons: s
                            .reasons
                            .iter()
                            .map(|(r, c)| (r.as_str().to_owned(), n(*c)))
                            .collect(),
                    }
                })
                .collect(),
            issues: level
                .feeds
                .issues
                .iter()
                .map(|i| IssueWire {
                    feed: i.feed.clone(),
                    origin: i.origin.clone(),
                    line: i.line.map(|l| l as u64),
                    column: i.column.map(|c| c as u64),
                    record_id: i.record_id.clone(),
                    reason: i.reason.as_str().to_owned(),
                    message: i.message.clone(),
                    skipped: i.skipped,
                })
                .collect(),
            fixes: level
                .layer_fixes
                .iter()
                .map(|own| {
                    own.iter()
                        .map(|f| FixWire {
                            ecosystem: u8::try_from(f.ecosystem.index()).unwrap_or(u8::MAX),
                            name: f.name.clone(),
                            version: f.version.to_string(),
                            advisory: f.advisory.to_string(),
                        })
                        .collect()
                })
                .collect(),
            advisory_declared: level.advisory_declared,
        }
    }

    /// The version texts of `level`'s sets, in the order `from_level` takes them.
    pub(crate) fn version_texts(level: &Inner) -> Vec<String> {
        let mut seen: HashSet<*const VersionSet> = HashSet::new();
        let mut out = Vec::new();
        for p in &level.predicates {
            if let Some(set) = &p.versions {
                if seen.insert(Arc::as_ptr(set)) {
                    for i in set.intervals() {
                        for b in [&i.lo, &i.hi] {
                            if let Bound::Included(v) | Bound::Excluded(v) = b {
                                out.push(v.bound_text());
                            }
                        }
                    }
                }
            }
        }
        out
    }

    /// The level on top of `base`, checked.
    pub(crate) fn to_engine(&self, base: Option<Engine>) -> Result<Engine, String> {
        let s = |i: u32| -> Result<&'a str, String> {
            self.strings
                .get(i as usize)
                .copied()
                .ok_or_else(|| format!("string {i} is out of range"))
        };
        let shared: Vec<Arc<str>> = self.strings.iter().map(|x| Arc::from(*x)).collect();
        let arc = |i: u32| -> Result<Arc<str>, String> {
            shared
                .get(i as usize)
                .cloned()
                .ok_or_else(|| format!("string {i} is out of range"))
        };
        let (outer_layers, outer_rules, outer_default) = match &base {
            Some(b) => (b.inner.layers_total, b.inner.rules_total, b.inner.default),
            None => (0, 0, Action::Allow),
        };
        // Layers: unique names over the whole set.
        let mut names: HashSet<&str> = match &base {
            Some(b) => b
                .levels()
                .iter()
                .flat_map(|l| l.layer_names.iter().map(|n| &**n))
                .collect(),
            None => HashSet::new(),
        };
        let mut layer_names = Vec::with_capacity(self.layers.len());
        let mut layer_modes = Vec::with_capacity(self.layers.len());
        let mut default = outer_default;
        for l in &self.layers {
            let name = arc(l.name)?;
            if name.is_empty() || !names.insert(s(l.name)?) {
                return Err(format!("layer name `{name}` is empty or repeated"));
            }
            let d = action_of(l.default)?;
            if !l.dry_run {
                default = default.max(d);
            }
            layer_names.push(name);
            layer_modes.push((d, l.dry_run));
        }
        let own_layers = u32::try_from(self.layers.len()).map_err(|_| "too many layers")?;
        let layers_total = outer_layers
            .checked_add(own_layers)
            .ok_or("too many layers")?;
        let rules_total = outer_rules
            .checked_add(self.rules.len())
            .ok_or("too many rules")?;
        let mut rules = Vec::with_capacity(self.rules.len());
        let mut last_layer = 0;
        for r in &self.rules {
            let (Some(lname), Some(&(_, dry_run))) = (
                layer_names.get(r.layer as usize),
                layer_modes.get(r.layer as usize),
            ) else {
                return Err(format!("layer {} is out of range", r.layer));
            };
            if r.layer < last_layer {
                return Err("rules are out of layer order".into());
            }
            last_layer = r.layer;
            let action = action_of(r.action)?;
            if r.enforced && action == Action::Allow {
                return Err("an allow rule is enforced".into());
            }
            if r.ecosystems >= 1 << Ecosystem::ALL.len() {
                return Err("unknown ecosystem bits".into());
            }
            if r.predicate != NO_PREDICATE && r.predicate as usize >= self.predicates.len() {
                return Err(format!("predicate {} is out of range", r.predicate));
            }
            let opt = |i: Option<u32>| i.map(arc).transpose();
            rules.push(CompiledRule {
                rref: RuleRef {
                    layer: lname.clone(),
                    id: arc(r.id)?,
                    action,
                    reason: opt(r.reason)?,
                    owner: opt(r.owner)?,
                    ticket: opt(r.ticket)?,
                },
                layer: outer_layers + r.layer,
                enforced: r.enforced,
                dry_run,
                ecosystems: r.ecosystems,
                expires: r
                    .expires
                    .map(|(sec, ns)| Timestamp::new(sec, ns).map_err(|e| e.to_string()))
                    .transpose()?,
                predicate: r.predicate,
            });
        }
        let mut sets = Vec::with_capacity(self.version_sets.len());
        for w in &self.version_sets {
            let eco = ecosystem_of(w.ecosystem)?;
            let bound = |(kind, text): (u8, &str)| -> Result<Bound, String> {
                let v = || Version::parse_bound(eco, text).map_err(|e| e.to_string());
                match kind {
                    0 => Ok(Bound::Unbounded),
                    1 => Ok(Bound::Included(v()?)),
                    2 => Ok(Bound::Excluded(v()?)),
                    _ => Err("unknown bound kind".into()),
                }
            };
            if w.bounds.len() % 2 != 0 {
                return Err("a version set is malformed".into());
            }
            let mut intervals = Vec::with_capacity(w.bounds.len() / 2);
            for pair in w.bounds.chunks_exact(2) {
                if let [lo, hi] = pair {
                    intervals.push(Interval::new(bound(*lo)?, bound(*hi)?));
                }
            }
            let set = VersionSet::from_intervals(eco, intervals);
            if set.intervals().is_empty() {
                return Err("a version set is empty".into());
            }
            sets.push(Arc::new(set));
        }
        let license = |ids: &Option<Vec<u32>>| -> Result<Option<Box<[&'static str]>>, String> {
            let Some(ids) = ids else {
                return Ok(None);
            };
            ids.iter()
                .map(|&i| {
                    let name = s(i)?;
                    crate::license::parse_id(name)
                })
                .collect::<Result<Vec<_>, String>>()
                .map(|v| Some(v.into_boxed_slice()))
        };
        if self.fixes.len() != self.layers.len() {
            return Err("the fix versions do not cover every layer".into());
        }
        let mut layer_fixes = Vec::with_capacity(self.fixes.len());
        for own in &self.fixes {
            let mut list = Vec::with_capacity(own.len());
            for f in own {
                let eco = ecosystem_of(f.ecosystem)?;
                let version = Version::parse(eco, &f.version)
                    .map_err(|e| format!("fix version `{}`: {e}", f.version))?;
                if f.name.is_empty() || f.advisory.is_empty() {
                    return Err("a fix version has no package or advisory".into());
                }
                list.push(Fix {
                    ecosystem: eco,
                    name: f.name.clone(),
                    version,
                    advisory: Arc::from(f.advisory.as_str()),
                });
            }
            layer_fixes.push(list);
        }
        let scopes = crate::advisory::scopes(
            base.as_ref().map(|b| &b.inner.fixes),
            layer_fixes.iter().map(Vec::as_slice),
        );
        let advisory_declared =
            self.advisory_declared || base.as_ref().is_some_and(|b| b.inner.advisory_declared);
        let mut predicates = Vec::with_capacity(self.predicates.len());
        for p in &self.predicates {
            let (project, project_toks) = match &p.project {
                None => (None, None),
                Some(globs) => {
                    let toks = globs
                        .iter()
                        .map(PatternWire::to_toks)
                        .collect::<Result<Vec<_>, String>>()?;
                    let nfas = toks
                        .iter()
                        .map(|t| GlobNfa::new(t).map(Arc::new))
                        .collect::<Result<Vec<_>, String>>()?;
                    (Some(nfas.into_boxed_slice()), Some(toks.into_boxed_slice()))
                }
            };
            let attributes = match &p.attributes {
                None => None,
                Some(list) => {
                    let mut map = BTreeMap::new();
                    for (k, v) in list {
                        let v = match v {
                            AttrWire::Bool(b) => AttrValue::Bool(*b),
                            AttrWire::Int(i) => AttrValue::Int(*i),
                            AttrWire::String(i) => AttrValue::String(s(*i)?.to_owned()),
                        };
                        map.insert(s(*k)?.to_owned(), v);
                    }
                    Some(map)
                }
            };
            let mut predicate = Predicate {
                versions: p
                    .versions
                    .map(|i| {
                        sets.get(i as usize)
                            .cloned()
                            .ok_or_else(|| format!("version set {i} is out of range"))
                    })
                    .transpose()?,
                license: license(&p.license)?,
                license_not_in: license(&p.license_not_in)?,
                published_within: p.published_within.map(duration_of).transpose()?,
                project,
                project_toks,
                attributes,
                ..Predicate::default()
            };
            if let Some(c) = &p.conditions {
                c.apply(&mut predicate, false, &scopes)?;
            }
            predicates.push(predicate);
        }
        if self.indexes.len() != Ecosystem::ALL.len() {
            return Err("the name index does not cover every ecosystem".into());
        }
        let mut indexes = Vec::with_capacity(self.indexes.len());
        for (w, eco) in self.indexes.iter().zip(Ecosystem::ALL) {
            let mut index = NameIndex::from_wire(w, rules.len())?;
            let versions_of = |id: u32| {
                let rule: &CompiledRule = rules.get(id as usize)?;
                if rule.predicate == NO_PREDICATE {
                    return None;
                }
                predicates.get(rule.predicate as usize)?.versions.as_deref()
            };
            index.merge_versions(eco, versions_of);
            indexes.push(index);
        }
        let n = |x: u64| usize::try_from(x).unwrap_or(usize::MAX);
        let reason = |name: &str| {
            FeedIssueReason::from_name(name)
                .ok_or_else(|| format!("unknown feed issue reason `{name}`"))
        };
        let mut feeds = Vec::with_capacity(self.feeds.len());
        for f in &self.feeds {
            let [documents, records, rules, withdrawn, superseded, skipped, fixes] =
                f.counts.map(n);
            let mut reasons = BTreeMap::new();
            for (r, c) in &f.reasons {
                reasons.insert(reason(r)?, n(*c));
            }
            feeds.push((
                f.name.clone(),
                FeedStats {
                    documents,
                    records,
                    rules,
                    withdrawn,
                    superseded,
                    skipped,
                    fixes,
                    reasons,
                },
            ));
        }
        let mut issues = Vec::with_capacity(self.issues.len());
        for i in &self.issues {
            issues.push(FeedIssue {
                feed: i.feed.clone(),
                origin: i.origin.clone(),
                line: i.line.map(n),
                column: i.column.map(n),
                record_id: i.record_id.clone(),
                reason: reason(&i.reason)?,
                message: i.message.clone(),
                skipped: i.skipped,
            });
        }
        let feeds = FeedReport { feeds, issues };
        let own_unreadable = self.unreadable_license.map(action_of).transpose()?;
        let unreadable_license = match &base {
            Some(b) => own_unreadable.max(b.inner.unreadable_license),
            None => own_unreadable,
        };
        let fixes = scopes
            .last()
            .cloned()
            .or_else(|| base.as_ref().map(|b| b.inner.fixes.clone()))
            .unwrap_or_default();
        Ok(Engine::from_inner(Inner {
            rules,
            predicates,
            indexes,
            default,
            unreadable_license,
            digest: crate::digest::hex(&self.digest),
            feeds,
            base,
            layer_names: layer_names.into_boxed_slice(),
            layer_modes: layer_modes.into_boxed_slice(),
            layers_total,
            rules_total,
            // Limits are not part of the bundle: a loaded engine checks
            // requests under the defaults (stack on it to choose others).
            limits: crate::limits::Limits::default(),
            fixes,
            layer_fixes: layer_fixes.into_boxed_slice(),
            advisory_declared,
        }))
    }
}
