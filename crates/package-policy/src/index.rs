//! The name index of one ecosystem: which rules' package conditions hold for
//! a normalized name, without looking at every rule.
//!
//! Each pattern (after brace expansion, when small) is sorted into the
//! cheapest strategy, as globset does: exact names in a hash map; `lit*` and
//! `lit/**` in prefix tables, `*lit` and `**/lit` in suffix tables, each keyed
//! by the literal and probed once per distinct literal length; the residue as
//! one small NFA per pattern (matcher.rs) behind an Aho-Corasick prefilter over a literal every
//! match must contain. Cost per name grows with the number of distinct
//! prefix/suffix lengths and prefilter hits, not with the number of rules.
//! See docs/decisions/glob-index.md.

use std::sync::Arc;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use package_versions::{Ecosystem, Version, VersionSet};

use crate::glob::{render, Tok};
use crate::matcher::GlobNfa;
use crate::version_sieve::VersionSieve;

mod automaton;
mod wire;
use automaton::ResidueDfa;
pub(crate) use wire::{IndexWire, PatternWire};

/// Rule numbers (positions in the engine's rule list) sharing one key.
#[derive(Debug, Clone)]
pub(crate) enum Ids {
    One(u32),
    Many(Box<[u32]>),
    /// An exact name with many versioned rules: their intervals merged.
    Sieved(Box<VersionSieve>),
}

impl Ids {
    fn from_vec(mut v: Vec<u32>) -> Ids {
        v.sort_unstable();
        v.dedup();
        match v.as_slice() {
            [one] => Ids::One(*one),
            _ => Ids::Many(v.into_boxed_slice()),
        }
    }

    pub(crate) fn as_slice(&self) -> &[u32] {
        match self {
            Ids::One(one) => std::slice::from_ref(one),
            Ids::Many(v) => v,
            Ids::Sieved(s) => s.all(),
        }
    }

    /// The rules that may hold for a request with `version` (`None`: the
    /// request has none); every rule when `version` is not given.
    fn select(&self, version: Option<Option<&Version>>, out: &mut Candidates) {
        match (self, version) {
            (Ids::Sieved(s), Some(v)) => s.select(v, out),
            _ => out.extend_from_slice(self.as_slice()),
        }
    }
}

pub(crate) use crate::version_sieve::Candidates;

/// Literal keys probed at every distinct length.
#[derive(Debug, Default)]
struct AffixTable {
    lens: Box<[usize]>,
    map: FxHashMap<Box<str>, Ids>,
    /// The two bytes at the end keys are anchored at (the first two for
    /// prefixes, the last two for suffixes) that some key can have: most names
    /// are ruled out with one bit test instead of a hash probe per length.
    /// Empty when a key is shorter than two bytes (every name is probed).
    pairs: Box<[u64]>,
}

/// Which two bytes of a name or key the pair filter looks at.
#[derive(Clone, Copy)]
enum Anchor {
    Start,
    End,
}

fn pair(s: &str, anchor: Anchor) -> Option<usize> {
    let b = s.as_bytes();
    let (x, y) = match anchor {
        Anchor::Start => (*b.first()?, *b.get(1)?),
        Anchor::End => (*b.get(b.len().checked_sub(2)?)?, *b.last()?),
    };
    Some(usize::from(x) << 8 | usize::from(y))
}

/// Tables with fewer keys than this get no pair filter.
const PAIR_FILTER_MIN_KEYS: usize = 64;

impl AffixTable {
    fn build(entries: FxHashMap<String, Vec<u32>>, anchor: Anchor) -> AffixTable {
        let mut lens: Vec<usize> = entries.keys().map(String::len).collect();
        lens.sort_unstable();
        lens.dedup();
        // The 8 KiB filter pays for itself on big tables only: a small one
        // (a project's few `name-*` rules) is probed at its few lengths, and
        // a stacked engine's own level stays small.
        let filtered = entries.len() >= PAIR_FILTER_MIN_KEYS;
        let mut pairs = vec![0u64; if filtered { 1 << 10 } else { 0 }];
        for key in entries.keys().filter(|_| filtered) {
            match pair(key, anchor) {
                Some(p) => {
                    if let Some(word) = pairs.get_mut(p / 64) {
                        *word |= 1 << (p % 64);
                    }
                }
                None => {
                    pairs.clear();
                    break;
                }
            }
        }
        let mut map = FxHashMap::default();
        map.reserve(entries.len());
        for (k, v) in entries {
            map.insert(k.into_boxed_str(), Ids::from_vec(v));
        }
        AffixTable {
            lens: lens.into_boxed_slice(),
            map,
            pairs: pairs.into_boxed_slice(),
        }
    }

    /// False when no key can match `name` (its anchored pair is absent).
    fn may_match(&self, name: &str, anchor: Anchor) -> bool {
        if self.map.is_empty() {
            return false;
        }
        if self.pairs.is_empty() {
            return true;
        }
        pair(name, anchor).is_some_and(|p| {
            self.pairs
                .get(p / 64)
                .is_some_and(|word| word & (1 << (p % 64)) != 0)
        })
    }
}

#[derive(Debug)]
struct Residue {
    matchers: Vec<(Arc<ResidueGlob>, Ids)>,
    /// Entries without a usable literal, compiled together (index/automaton.rs):
    /// run for every name, one pass over it per automaton.
    automata_always: Vec<ResidueDfa>,
    /// Entries with a literal, compiled together: run instead of their own
    /// NFAs when the prefilter selects more than [`DIRECT_MAX`] of them.
    automata_on_demand: Vec<ResidueDfa>,
    /// Per entry: whether an `automata_on_demand` automaton holds it.
    on_demand: Box<[bool]>,
    prefilter: Option<AhoCorasick>,
    /// For each prefilter literal, the residue entries that need it.
    by_literal: Vec<Box<[u32]>>,
    /// Entries without a usable literal and in no automaton: always checked
    /// with their own NFAs.
    always: Box<[u32]>,
}

/// The index of one ecosystem.
#[derive(Debug)]
pub(crate) struct NameIndex {
    exact: FxHashMap<Box<str>, Ids>,
    /// `lit*`: the rest of the name has no `/`.
    prefix_segment: AffixTable,
    /// `lit**` with `lit` empty or ending in `/`: any rest.
    prefix_any: AffixTable,
    /// `*lit`: the start of the name has no `/`.
    suffix_segment: AffixTable,
    /// `**/lit`: the name ends with `/lit` (the bare `lit` is an exact entry).
    suffix_any: AffixTable,
    residue: Residue,
    /// Rules without a package condition.
    any: Box<[u32]>,
}

/// Collects patterns before the tables are built.
#[derive(Default)]
pub(crate) struct NameIndexBuilder {
    exact: FxHashMap<String, Vec<u32>>,
    prefix_segment: FxHashMap<String, Vec<u32>>,
    prefix_any: FxHashMap<String, Vec<u32>>,
    suffix_segment: FxHashMap<String, Vec<u32>>,
    suffix_any: FxHashMap<String, Vec<u32>>,
    /// (pattern in the pool, rule)
    residue: Vec<(u32, u32)>,
    any: Vec<u32>,
}

/// One residue pattern: its matcher and the longest literal every match holds.
#[derive(Debug)]
pub(crate) struct ResidueGlob {
    nfa: GlobNfa,
    literal: Box<str>,
    /// The pattern, for bundles (index/wire.rs).
    toks: Box<[Tok]>,
}

/// The residue patterns of all ecosystems, each distinct normalized pattern
/// compiled once (a glob without `ecosystem` normalizes alike for most
/// ecosystems, so it is not compiled seven times).
#[derive(Debug, Default)]
pub(crate) struct ResiduePool {
    ids: FxHashMap<String, u32>,
    globs: Vec<Arc<ResidueGlob>>,
}

impl ResiduePool {
    fn intern(&mut self, toks: &[Tok]) -> Result<u32, String> {
        let key = render(toks);
        if let Some(&id) = self.ids.get(&key) {
            return Ok(id);
        }
        let id = u32::try_from(self.globs.len()).map_err(|_| "too many patterns".to_owned())?;
        self.globs.push(Arc::new(ResidueGlob {
            nfa: GlobNfa::new(toks)?,
            literal: required_literal(toks).into_boxed_str(),
            toks: toks.into(),
        }));
        self.ids.insert(key, id);
        Ok(id)
    }
}

/// Residue patterns below this count are all tried, without a prefilter.
const PREFILTER_MIN: usize = 16;

/// Residue patterns below this count keep their own NFAs (no automaton).
const AUTOMATON_MIN: usize = 16;

/// Up to this many prefilter-selected entries are checked with their own
/// NFAs; past it (a name that defeats the prefilter), the automata decide.
const DIRECT_MAX: usize = 16;

/// Brace groups are expanded into separate patterns up to this many.
const MAX_EXPANSION: usize = 64;

enum Strategy {
    Exact(String),
    PrefixSegment(String),
    PrefixAny(String),
    SuffixSegment(String),
    /// `**/lit`: both the exact `lit` and the suffix `/lit`.
    DirSuffix(String),
    Residue,
}

fn literal(toks: &[Tok]) -> Option<String> {
    toks.iter()
        .map(|t| match t {
            Tok::Lit(c) => Some(*c),
            _ => None,
        })
        .collect()
}

fn classify(toks: &[Tok]) -> Strategy {
    if let Some(lit) = literal(toks) {
        return Strategy::Exact(lit);
    }
    match toks {
        [head @ .., Tok::Star] => {
            if let Some(lit) = literal(head) {
                return Strategy::PrefixSegment(lit);
            }
        }
        [head @ .., Tok::RecAll] => {
            if let Some(lit) = literal(head) {
                return Strategy::PrefixAny(lit);
            }
        }
        _ => {}
    }
    match toks {
        [Tok::Star, tail @ ..] => literal(tail).map_or(Strategy::Residue, Strategy::SuffixSegment),
        [Tok::RecDir, tail @ ..] => literal(tail).map_or(Strategy::Residue, Strategy::DirSuffix),
        _ => Strategy::Residue,
    }
}

/// All brace-free token sequences of `toks`, or `None` past [`MAX_EXPANSION`].
fn expand(toks: &[Tok]) -> Option<Vec<Vec<Tok>>> {
    let mut out: Vec<Vec<Tok>> = vec![Vec::new()];
    for t in toks {
        match t {
            Tok::Alt(alts) => {
                if out.len().checked_mul(alts.len())? > MAX_EXPANSION {
                    return None;
                }
                out = out
                    .iter()
                    .flat_map(|prefix| {
                        alts.iter().map(move |a| {
                            let mut v = prefix.clone();
                            v.extend(a.iter().cloned());
                            v
                        })
                    })
                    .collect();
            }
            other => out.iter_mut().for_each(|v| v.push(other.clone())),
        }
    }
    Some(out)
}

/// The longest run of literal characters every match contains.
fn required_literal(toks: &[Tok]) -> String {
    let mut best = String::new();
    let mut cur = String::new();
    for t in toks {
        if let Tok::Lit(c) = t {
            cur.push(*c);
        } else {
            if cur.len() > best.len() {
                best = std::mem::take(&mut cur);
            }
            cur.clear();
        }
    }
    if cur.len() > best.len() {
        best = cur;
    }
    best
}

impl NameIndexBuilder {
    /// A rule without a package condition.
    pub(crate) fn add_any(&mut self, rule: u32) {
        self.any.push(rule);
    }

    /// One normalized pattern of `rule`. Brace groups are expanded when
    /// every alternative lands in a table; otherwise the pattern goes to the
    /// residue whole (one matcher, not one per alternative), interned in
    /// `pool` so that ecosystems normalizing it alike share it.
    pub(crate) fn add_pattern(
        &mut self,
        toks: &[Tok],
        rule: u32,
        pool: &mut ResiduePool,
    ) -> Result<(), String> {
        let classified: Option<Vec<Strategy>> = expand(toks).and_then(|alts| {
            alts.iter()
                .map(|alt| match classify(alt) {
                    Strategy::Residue => None,
                    s => Some(s),
                })
                .collect()
        });
        let Some(strategies) = classified else {
            let id = pool.intern(toks)?;
            self.residue.push((id, rule));
            return Ok(());
        };
        for strategy in strategies {
            match strategy {
                Strategy::Exact(s) => self.exact.entry(s).or_default().push(rule),
                Strategy::PrefixSegment(s) => self.prefix_segment.entry(s).or_default().push(rule),
                Strategy::PrefixAny(s) => self.prefix_any.entry(s).or_default().push(rule),
                Strategy::SuffixSegment(s) => self.suffix_segment.entry(s).or_default().push(rule),
                Strategy::DirSuffix(s) => {
                    self.suffix_any
                        .entry(format!("/{s}"))
                        .or_default()
                        .push(rule);
                    self.exact.entry(s).or_default().push(rule);
                }
                Strategy::Residue => {}
            }
        }
        Ok(())
    }

    pub(crate) fn build(self, pool: &ResiduePool) -> Result<NameIndex, String> {
        let mut exact = FxHashMap::default();
        exact.reserve(self.exact.len());
        for (k, v) in self.exact {
            exact.insert(k.into_boxed_str(), Ids::from_vec(v));
        }
        Ok(NameIndex {
            exact,
            prefix_segment: AffixTable::build(self.prefix_segment, Anchor::Start),
            prefix_any: AffixTable::build(self.prefix_any, Anchor::Start),
            suffix_segment: AffixTable::build(self.suffix_segment, Anchor::End),
            suffix_any: AffixTable::build(self.suffix_any, Anchor::End),
            residue: build_residue(self.residue, pool)?,
            any: self.any.into_boxed_slice(),
        })
    }
}

fn build_residue(entries: Vec<(u32, u32)>, pool: &ResiduePool) -> Result<Residue, String> {
    // Identical patterns share one matcher.
    let mut by_pattern: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    let mut order = Vec::new();
    for (id, rule) in entries {
        let slot = by_pattern.entry(id).or_default();
        if slot.is_empty() {
            order.push(id);
        }
        slot.push(rule);
    }
    let mut matchers = Vec::with_capacity(order.len());
    for id in order {
        let ids = by_pattern.remove(&id).unwrap_or_default();
        let glob = pool
            .globs
            .get(id as usize)
            .ok_or_else(|| "unknown pattern".to_owned())?;
        matchers.push((glob.clone(), Ids::from_vec(ids)));
    }
    let n_matchers = u32::try_from(matchers.len()).map_err(|_| "too many patterns".to_owned())?;
    let has_literal = |n: u32| {
        matchers
            .get(n as usize)
            .is_some_and(|(g, _)| g.literal.chars().count() >= 2)
    };
    // Eligible entries into automata: those without a literal (always run)
    // and those with one (run when the prefilter is defeated).
    let mut automata_always = Vec::new();
    let mut automata_on_demand = Vec::new();
    let mut on_demand = vec![false; matchers.len()];
    let mut always = Vec::new();
    if matchers.len() >= AUTOMATON_MIN {
        let mut free: Vec<(u32, &[Tok])> = Vec::new();
        let mut with_literal: Vec<(u32, &[Tok])> = Vec::new();
        for (n, (glob, _)) in (0..n_matchers).zip(&matchers) {
            if automaton::eligible(&glob.toks) {
                if has_literal(n) {
                    with_literal.push((n, &glob.toks));
                } else {
                    free.push((n, &glob.toks));
                }
            } else if !has_literal(n) {
                always.push(n);
            }
        }
        let (built, left) = ResidueDfa::build_all(&free);
        automata_always = built;
        always.extend(left);
        always.sort_unstable();
        let (built, _) = ResidueDfa::build_all(&with_literal);
        for &n in built.iter().flat_map(|a| a.members()) {
            if let Some(slot) = on_demand.get_mut(n as usize) {
                *slot = true;
            }
        }
        automata_on_demand = built;
    } else {
        always = (0..n_matchers).filter(|&n| !has_literal(n)).collect();
    }
    // Every entry with a literal goes behind the prefilter.
    let mut literals: Vec<&str> = Vec::new();
    let mut by_literal: Vec<Vec<u32>> = Vec::new();
    let mut literal_ix: FxHashMap<&str, usize> = FxHashMap::default();
    for (n, (glob, _)) in (0..n_matchers).zip(&matchers) {
        if !has_literal(n) {
            continue;
        }
        let lit: &str = &glob.literal;
        let ix = *literal_ix.entry(lit).or_insert_with(|| {
            literals.push(lit);
            by_literal.push(Vec::new());
            by_literal.len() - 1
        });
        if let Some(list) = by_literal.get_mut(ix) {
            list.push(n);
        }
    }
    // A handful of patterns is cheaper to try directly than to prefilter.
    let prefilter = if matchers.len() < PREFILTER_MIN {
        always = (0..n_matchers).collect();
        literals.clear();
        by_literal.clear();
        None
    } else if literals.is_empty() {
        None
    } else {
        Some(AhoCorasick::new(&literals).map_err(|e| e.to_string())?)
    };
    let by_literal = by_literal.into_iter().map(Vec::into_boxed_slice).collect();
    Ok(Residue {
        matchers,
        automata_always,
        automata_on_demand,
        on_demand: on_demand.into_boxed_slice(),
        prefilter,
        by_literal,
        always: always.into_boxed_slice(),
    })
}

impl AffixTable {
    fn probe_prefixes(&self, name: &str, ok: impl Fn(usize) -> bool, out: &mut Candidates) {
        if !self.may_match(name, Anchor::Start) {
            return;
        }
        for &len in self.lens.iter() {
            if len > name.len() {
                break;
            }
            if !name.is_char_boundary(len) || !ok(len) {
                continue;
            }
            if let Some(ids) = name.get(..len).and_then(|k| self.map.get(k)) {
                out.extend_from_slice(ids.as_slice());
            }
        }
    }

    fn probe_suffixes(&self, name: &str, ok: impl Fn(usize) -> bool, out: &mut Candidates) {
        if !self.may_match(name, Anchor::End) {
            return;
        }
        for &len in self.lens.iter() {
            if len > name.len() {
                break;
            }
            let start = name.len() - len;
            if !name.is_char_boundary(start) || !ok(start) {
                continue;
            }
            if let Some(ids) = name.get(start..).and_then(|k| self.map.get(k)) {
                out.extend_from_slice(ids.as_slice());
            }
        }
    }
}

impl NameIndex {
    /// Merges the version conditions of the rules sharing an exact name
    /// (version_sieve.rs), where there are enough of them to pay.
    pub(crate) fn merge_versions<'a>(
        &mut self,
        ecosystem: Ecosystem,
        versions_of: impl Fn(u32) -> Option<&'a VersionSet>,
    ) {
        for ids in self.exact.values_mut() {
            if let Ids::Many(list) = ids {
                if let Some(sieve) = VersionSieve::build(ecosystem, list, &versions_of) {
                    *ids = Ids::Sieved(Box::new(sieve));
                }
            }
        }
    }

    /// Appends (unsorted, possibly repeated) the rules whose package condition
    /// holds for the normalized `name`. With `version`, exact-name rules whose
    /// `versions` condition cannot hold may be left out.
    pub(crate) fn candidates(
        &self,
        name: &str,
        version: Option<Option<&Version>>,
        out: &mut Candidates,
    ) {
        out.extend_from_slice(&self.any);
        if let Some(ids) = self.exact.get(name) {
            ids.select(version, out);
        }
        let first_slash = name.find('/');
        let last_slash = name.rfind('/');
        self.prefix_segment
            .probe_prefixes(name, |len| last_slash.is_none_or(|s| s < len), out);
        self.prefix_any.probe_prefixes(name, |_| true, out);
        self.suffix_segment.probe_suffixes(
            name,
            |start| first_slash.is_none_or(|s| s >= start),
            out,
        );
        self.suffix_any.probe_suffixes(name, |_| true, out);
        self.residue.candidates(name, out);
    }
}

impl Residue {
    fn candidates(&self, name: &str, out: &mut Candidates) {
        // Fail closed: what an automaton could not decide (it gave up), its
        // members' own NFAs decide.
        let mut undecided: SmallVec<[&ResidueDfa; 2]> = SmallVec::new();
        let run = |a: &'_ ResidueDfa, out: &mut Candidates| -> bool {
            a.matches(name, |n| {
                if let Some((_, ids)) = self.matchers.get(n as usize) {
                    out.extend_from_slice(ids.as_slice());
                }
            })
            .is_ok()
        };
        for a in &self.automata_always {
            if !run(a, out) {
                undecided.push(a);
            }
        }
        let check = |n: u32, out: &mut Candidates| {
            if let Some((re, ids)) = self.matchers.get(n as usize) {
                if re.nfa.is_match(name) {
                    out.extend_from_slice(ids.as_slice());
                }
            }
        };
        for n in undecided.iter().flat_map(|a| a.members()) {
            check(*n, out);
        }
        for &n in self.always.iter() {
            check(n, out);
        }
        let Some(ac) = &self.prefilter else {
            return;
        };
        let mut seen: SmallVec<[u32; 8]> = SmallVec::new();
        let mut selected: SmallVec<[u32; 16]> = SmallVec::new();
        for m in ac.find_overlapping_iter(name) {
            let lit = m.pattern().as_u32();
            if seen.contains(&lit) {
                continue;
            }
            seen.push(lit);
            selected.extend_from_slice(self.by_literal.get(lit as usize).map_or(&[][..], |b| b));
        }
        let in_automaton = |n: u32| self.on_demand.get(n as usize).copied().unwrap_or(false);
        let covered = selected.iter().filter(|&&n| in_automaton(n)).count();
        if covered <= DIRECT_MAX {
            selected.iter().for_each(|&n| check(n, out));
            return;
        }
        // The name defeats the prefilter: one pass per automaton instead of
        // one NFA per selected pattern (a repeated candidate is harmless).
        let mut all_decided = true;
        for a in &self.automata_on_demand {
            all_decided &= run(a, out);
        }
        for &n in &selected {
            if !all_decided || !in_automaton(n) {
                check(n, out);
            }
        }
    }
}
