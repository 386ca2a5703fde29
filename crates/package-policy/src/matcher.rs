//! Compiled glob matchers and the name-independent conditions of a rule
//! (the engine's side; the reference evaluator has its own matchers).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Version, VersionSet};
use smallvec::SmallVec;

use crate::glob::Tok;
use crate::request::provenance::{is_downgrade, ProvenanceCond};
use crate::request::{AttrValue, Request};

/// One glob compiled to a small NFA, simulated Pike-VM style with dominated
/// states pruned: no backtracking, time linear in the name × the longest
/// star-free piece of the pattern (not × the whole pattern), 12 bytes per
/// instruction. See docs/decisions/glob-index.md.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct GlobNfa {
    insts: Box<[Inst]>,
    classes: Box<[Class]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Class {
    negated: bool,
    ranges: Box<[(char, char)]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Inst {
    Char(char),
    /// Any character but `/`.
    NotSlash,
    /// A character other than `/` in (or, negated, not in) class `n`.
    Class(u32),
    /// `*`: a run of characters other than `/` (a self-loop that may also be
    /// skipped). Once active it dominates the states from `floor` up to
    /// itself: they are in the same segment, so whatever they could still
    /// match, the loop can too.
    Star {
        floor: u32,
    },
    /// `**`'s run of any characters; dominates every lower state.
    AnyRun,
    Split(u32, u32),
    Jmp(u32),
    Match,
}

/// Patterns are at most a few KiB (§8), far below this.
const MAX_INSTS: usize = 1 << 20;

impl GlobNfa {
    pub(crate) fn new(toks: &[Tok]) -> Result<GlobNfa, String> {
        let mut c = Compiler::default();
        c.compile(toks, false)?;
        c.insts.push(Inst::Match);
        Ok(GlobNfa {
            insts: c.insts.into_boxed_slice(),
            classes: c.classes.into_boxed_slice(),
        })
    }

    pub(crate) fn is_match(&self, s: &str) -> bool {
        let words = self.insts.len().div_ceil(64);
        let mut cur = States::new(words);
        let mut next = States::new(words);
        let mut stack: SmallVec<[u32; 16]> = SmallVec::new();
        self.add(&mut cur, 0, &mut stack);
        for c in s.chars() {
            if cur.list.is_empty() {
                return false;
            }
            next.clear();
            for &pc in &cur.list {
                let (ok, to) = match self.insts.get(pc as usize) {
                    Some(Inst::Char(x)) => (*x == c, pc + 1),
                    Some(Inst::NotSlash) => (c != '/', pc + 1),
                    Some(Inst::Class(n)) => (self.class_holds(*n, c), pc + 1),
                    Some(Inst::Star { .. }) => (c != '/', pc),
                    Some(Inst::AnyRun) => (true, pc),
                    _ => (false, pc),
                };
                if ok {
                    self.add(&mut next, to, &mut stack);
                }
            }
            self.prune(&mut next);
            std::mem::swap(&mut cur, &mut next);
        }
        cur.list
            .iter()
            .any(|&pc| matches!(self.insts.get(pc as usize), Some(Inst::Match)))
    }

    fn class_holds(&self, n: u32, c: char) -> bool {
        c != '/'
            && self
                .classes
                .get(n as usize)
                .is_some_and(|k| k.ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != k.negated)
    }

    /// Adds `pc` and everything reachable from it without consuming input.
    fn add(&self, set: &mut States, pc: u32, stack: &mut SmallVec<[u32; 16]>) {
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if !set.insert(pc) {
                continue;
            }
            match self.insts.get(pc as usize) {
                Some(Inst::Split(a, b)) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Some(Inst::Jmp(a)) => stack.push(*a),
                Some(Inst::Star { .. } | Inst::AnyRun) => stack.push(pc + 1),
                _ => {}
            }
        }
    }

    /// Drops the states an active loop dominates (see [`Inst::Star`]), so a
    /// pattern such as `*a*a*a…` keeps a handful of states instead of one
    /// per piece.
    fn prune(&self, set: &mut States) {
        if set.list.len() < 2 {
            return;
        }
        set.list.sort_unstable_by(|a, b| b.cmp(a));
        // Walking down from the highest state: the nearest loop above
        // decides which lower states it dominates.
        let mut floor = u32::MAX;
        let mut kept = 0;
        for i in 0..set.list.len() {
            let Some(&pc) = set.list.get(i) else { break };
            if pc >= floor {
                set.remove_bit(pc);
                continue;
            }
            match self.insts.get(pc as usize) {
                Some(Inst::Star { floor: f }) => floor = *f,
                Some(Inst::AnyRun) => floor = 0,
                _ => {}
            }
            if let Some(slot) = set.list.get_mut(kept) {
                *slot = pc;
            }
            kept += 1;
        }
        set.list.truncate(kept);
    }
}

/// A set of instruction numbers: a bitset for membership, a list for order.
struct States {
    bits: SmallVec<[u64; 4]>,
    list: SmallVec<[u32; 16]>,
}

impl States {
    fn new(words: usize) -> States {
        States {
            bits: smallvec::smallvec![0; words],
            list: SmallVec::new(),
        }
    }

    fn insert(&mut self, pc: u32) -> bool {
        let (w, b) = ((pc / 64) as usize, pc % 64);
        match self.bits.get_mut(w) {
            Some(word) if *word & (1 << b) == 0 => {
                *word |= 1 << b;
                self.list.push(pc);
                true
            }
            _ => false,
        }
    }

    fn remove_bit(&mut self, pc: u32) {
        if let Some(word) = self.bits.get_mut((pc / 64) as usize) {
            *word &= !(1 << (pc % 64));
        }
    }

    fn clear(&mut self) {
        for &pc in &self.list {
            if let Some(word) = self.bits.get_mut((pc / 64) as usize) {
                *word = 0;
            }
        }
        self.list.clear();
    }
}

#[derive(Default)]
struct Compiler {
    insts: Vec<Inst>,
    classes: Vec<Class>,
    /// The first instruction of the current segment: after the last `/`,
    /// `**` or group that may hold a `/`.
    segment_start: u32,
}

impl Compiler {
    fn here(&self) -> Result<u32, String> {
        if self.insts.len() >= MAX_INSTS {
            return Err("pattern too large".into());
        }
        Ok(self.insts.len() as u32)
    }

    /// Compiles `toks`; inside a `{}` group (`in_alt`) a `*` dominates
    /// nothing, since states of other alternatives are not its to drop.
    fn compile(&mut self, toks: &[Tok], in_alt: bool) -> Result<(), String> {
        for t in toks {
            match t {
                Tok::Lit(c) => {
                    self.insts.push(Inst::Char(*c));
                    if *c == '/' && !in_alt {
                        self.segment_start = self.here()?;
                    }
                }
                Tok::One => self.insts.push(Inst::NotSlash),
                Tok::Star => {
                    let pc = self.here()?;
                    let floor = if in_alt { pc } else { self.segment_start };
                    self.insts.push(Inst::Star { floor });
                }
                Tok::RecAll => {
                    self.insts.push(Inst::AnyRun);
                    self.segment_start = self.here()?;
                }
                Tok::RecDir => {
                    // (.*/)? — skip, or any run of characters then `/`.
                    let split = self.here()?;
                    self.insts.extend([
                        Inst::Split(split + 1, split + 3),
                        Inst::AnyRun,
                        Inst::Char('/'),
                    ]);
                    self.segment_start = self.here()?;
                }
                Tok::Class { negated, ranges } => {
                    let n = u32::try_from(self.classes.len())
                        .map_err(|_| "pattern too large".to_owned())?;
                    self.classes.push(Class {
                        negated: *negated,
                        ranges: ranges.clone().into_boxed_slice(),
                    });
                    self.insts.push(Inst::Class(n));
                }
                Tok::Alt(alts) => self.alternatives(alts)?,
            }
        }
        Ok(())
    }

    fn alternatives(&mut self, alts: &[Vec<Tok>]) -> Result<(), String> {
        // Split to each alternative in turn; each jumps to the end.
        let mut jumps = Vec::new();
        for (i, alt) in alts.iter().enumerate() {
            let last = i + 1 == alts.len();
            let split = self.here()?;
            if !last {
                self.insts.push(Inst::Split(split + 1, 0));
            }
            self.compile(alt, true)?;
            jumps.push(self.here()?);
            self.insts.push(Inst::Jmp(0));
            if !last {
                let next = self.here()?;
                if let Some(Inst::Split(_, b)) = self.insts.get_mut(split as usize) {
                    *b = next;
                }
            }
        }
        let end = self.here()?;
        for j in jumps {
            if let Some(Inst::Jmp(t)) = self.insts.get_mut(j as usize) {
                *t = end;
            }
        }
        // A `/` inside the group ends the segment for the loops after it.
        if alts.iter().flatten().any(|t| *t == Tok::Lit('/')) {
            self.segment_start = end;
        }
        Ok(())
    }
}

/// The conditions of a rule other than ecosystem and package, shared by every
/// rule with an identical set (deduplicated at compile time).
#[derive(Debug, Default)]
pub(crate) struct Predicate {
    pub versions: Option<Arc<VersionSet>>,
    pub license: Option<Box<[&'static str]>>,
    pub license_not_in: Option<Box<[&'static str]>>,
    pub published_within: Option<SignedDuration>,
    pub project: Option<Box<[Arc<GlobNfa>]>>,
    /// The patterns of `project`, for bundles.
    pub project_toks: Option<Box<[Vec<Tok>]>>,
    pub attributes: Option<BTreeMap<String, AttrValue>>,
    pub provenance: Option<Box<ProvenanceCond<TokGlob>>>,
    pub provenance_downgrade: bool,
    /// `fixes_advisory: true` (only in an `unless` block), with the fixes
    /// in the rule's scope.
    pub fixes_advisory: Option<crate::advisory::FixScope>,
    pub unless: Option<Box<Unless>>,
}

/// A compiled glob with its tokens (kept for bundles).
pub(crate) type TokGlob = (Vec<Tok>, GlobNfa);

impl Predicate {
    /// `Ok` when every condition holds, else the key of the first that fails
    /// (`unless` when the rule's `unless` block holds).
    /// With `version: None` the `versions` condition is skipped (resolution
    /// mode checks it separately), and so is an `unless` block that reads it.
    pub(crate) fn check(
        &self,
        req: &Request,
        version: Option<Option<&Version>>,
        now: Timestamp,
    ) -> Result<(), &'static str> {
        if let (Some(set), Some(v)) = (&self.versions, version) {
            if !v.is_some_and(|v| set.contains(v)) {
                return Err("versions");
            }
        }
        if let Some(ids) = &self.license {
            if !req.license.as_ref().is_some_and(|l| l.names_any(ids)) {
                return Err("license");
            }
        }
        if let Some(ids) = &self.license_not_in {
            // Fail closed: an unknown license cannot be shown to be in the list.
            if req
                .license
                .as_ref()
                .is_some_and(|l| l.satisfiable_with(ids))
            {
                return Err("license_not_in");
            }
        }
        if let Some(d) = self.published_within {
            let recent = match (req.published_at, now.checked_sub(d)) {
                (Some(p), Ok(since)) => p > since,
                _ => false,
            };
            if !recent {
                return Err("published_within");
            }
        }
        if let Some(globs) = &self.project {
            if !req
                .project
                .as_deref()
                .is_some_and(|p| globs.iter().any(|g| g.is_match(p)))
            {
                return Err("project");
            }
        }
        if let Some(attrs) = &self.attributes {
            if !attrs.iter().all(|(k, v)| req.attributes.get(k) == Some(v)) {
                return Err("attributes");
            }
        }
        if let Some(p) = &self.provenance {
            if !p.holds(req.provenance.as_deref(), |g, s| g.1.is_match(s)) {
                return Err("provenance");
            }
        }
        if self.provenance_downgrade
            && !is_downgrade(
                req.provenance.as_deref(),
                req.previous_provenance.as_deref(),
            )
        {
            return Err("provenance_downgrade");
        }
        if let (Some(scope), Some(v)) = (&self.fixes_advisory, version) {
            if !v.is_some_and(|v| scope.fixes.contains(req.ecosystem, &req.name, v)) {
                return Err("fixes_advisory");
            }
        }
        // Without the version, a block that reads it is left to the caller.
        if let Some(u) = &self.unless {
            if (version.is_some() || !u.needs_version()) && u.holds(req, version, now) {
                return Err("unless");
            }
        }
        Ok(())
    }
}

/// A rule's `unless:` block, compiled (by `crate::unless::build`): its own
/// ecosystem and package conditions (a rule's are in the name index) and the
/// rest as a predicate. When it holds, the rule does not match.
#[derive(Debug)]
pub(crate) struct Unless {
    /// Bit `Ecosystem::index` set when the `ecosystem` condition admits it.
    pub ecosystems: u8,
    /// Per ecosystem (`Ecosystem::index`): the `package` globs normalized
    /// for it. `None`: no `package` condition.
    pub packages: Option<Vec<Vec<GlobNfa>>>,
    /// The `package` patterns as written, for bundles.
    pub package_toks: Option<Vec<Vec<Tok>>>,
    pub pred: Predicate,
}

impl Unless {
    /// Whether the block has a `versions` condition (resolution mode checks
    /// such a block per version).
    pub(crate) fn needs_version(&self) -> bool {
        self.pred.versions.is_some() || self.pred.fixes_advisory.is_some()
    }

    /// Every condition of the block holds for `req` (with `version` as
    /// [`Predicate::check`] reads it).
    pub(crate) fn holds(
        &self,
        req: &Request,
        version: Option<Option<&Version>>,
        now: Timestamp,
    ) -> bool {
        let eco = req.ecosystem.index();
        self.ecosystems & (1 << eco) != 0
            && self.packages.as_ref().is_none_or(|per_eco| {
                per_eco
                    .get(eco)
                    .is_some_and(|gs| gs.iter().any(|g| g.is_match(&req.name)))
            })
            && self.pred.check(req, version, now).is_ok()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::glob::Glob;
    use crate::reference::glob_matches;

    /// Every pattern of up to four atoms against every name of up to four
    /// characters over `a`, `b`, `/`: the pruned NFA agrees with the
    /// reference's backtracking matcher.
    #[test]
    fn agrees_with_the_reference_exhaustively() {
        let atoms = [
            "a", "b", "/", "*", "?", "**", "[ab]", "[!a]", "{a,b*}", "{a/,*b}",
        ];
        let mut names = vec![String::new()];
        for len in 1..=4 {
            let mut more = Vec::new();
            for n in names.iter().filter(|n| n.chars().count() == len - 1) {
                for c in ['a', 'b', '/'] {
                    more.push(format!("{n}{c}"));
                }
            }
            names.extend(more);
        }
        let mut patterns = vec![String::new()];
        let mut checked = 0;
        for _ in 0..4 {
            let mut longer = Vec::new();
            for p in &patterns {
                for a in atoms {
                    longer.push(format!("{p}{a}"));
                }
            }
            for p in &longer {
                let Ok(g) = Glob::parse(p, 64, 4) else {
                    continue;
                };
                let nfa = GlobNfa::new(&g.toks).unwrap();
                for n in &names {
                    let chars: Vec<char> = n.chars().collect();
                    assert_eq!(
                        nfa.is_match(n),
                        glob_matches(&g.toks, &chars),
                        "pattern {p:?} name {n:?}"
                    );
                    checked += 1;
                }
            }
            patterns = longer;
        }
        assert!(checked > 100_000, "{checked}");
    }

    /// A pattern of many `*` pieces keeps a bounded state set.
    #[test]
    fn star_pieces_do_not_accumulate_states() {
        let pattern = "*a".repeat(400);
        let g = Glob::parse(&pattern, 1024, 4).unwrap();
        let nfa = GlobNfa::new(&g.toks).unwrap();
        let name = format!("{}c", "a".repeat(1000));
        assert!(!nfa.is_match(&name));
        assert!(nfa.is_match(&"a".repeat(1000)));
        assert!(!nfa.is_match(&"a".repeat(399)));
    }
}
