//! Compiled glob matchers and the name-independent conditions of a rule
//! (the engine's side; the reference evaluator has its own matchers).

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Version, VersionSet};
use smallvec::SmallVec;

use crate::glob::Tok;
use crate::request::{AttrValue, Request};

/// One glob compiled to a small NFA, simulated Pike-VM style: time linear in
/// pattern × name, no backtracking, a few words of memory per pattern.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct GlobNfa {
    insts: Box<[Inst]>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Inst {
    Char(char),
    /// Any character but `/`.
    NotSlash,
    AnyChar,
    /// A character other than `/` in (or, negated, not in) the ranges.
    Class(bool, Box<[(char, char)]>),
    Split(u32, u32),
    Jmp(u32),
    Match,
}

/// Patterns are at most a few KiB (§8), far below this.
const MAX_INSTS: usize = 1 << 20;

impl GlobNfa {
    pub(crate) fn new(toks: &[Tok]) -> Result<GlobNfa, String> {
        let mut insts = Vec::new();
        compile(toks, &mut insts)?;
        insts.push(Inst::Match);
        Ok(GlobNfa {
            insts: insts.into_boxed_slice(),
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
                let ok = match self.insts.get(pc as usize) {
                    Some(Inst::Char(x)) => *x == c,
                    Some(Inst::NotSlash) => c != '/',
                    Some(Inst::AnyChar) => true,
                    Some(Inst::Class(negated, ranges)) => {
                        c != '/' && ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
                    }
                    _ => false,
                };
                if ok {
                    self.add(&mut next, pc + 1, &mut stack);
                }
            }
            std::mem::swap(&mut cur, &mut next);
        }
        cur.list
            .iter()
            .any(|&pc| matches!(self.insts.get(pc as usize), Some(Inst::Match)))
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
                _ => {}
            }
        }
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

    fn clear(&mut self) {
        self.bits.iter_mut().for_each(|w| *w = 0);
        self.list.clear();
    }
}

fn here(insts: &[Inst]) -> Result<u32, String> {
    if insts.len() >= MAX_INSTS {
        return Err("pattern too large".into());
    }
    Ok(insts.len() as u32)
}

/// Emits `body` repeated zero or more times.
fn star(insts: &mut Vec<Inst>, body: Inst) -> Result<(), String> {
    let l = here(insts)?;
    insts.extend([Inst::Split(l + 1, l + 3), body, Inst::Jmp(l)]);
    Ok(())
}

fn compile(toks: &[Tok], insts: &mut Vec<Inst>) -> Result<(), String> {
    for t in toks {
        match t {
            Tok::Lit(c) => insts.push(Inst::Char(*c)),
            Tok::One => insts.push(Inst::NotSlash),
            Tok::Star => star(insts, Inst::NotSlash)?,
            Tok::RecAll => star(insts, Inst::AnyChar)?,
            Tok::RecDir => {
                // (.*/)? — skip, or any run of characters then `/`.
                let split = here(insts)?;
                insts.push(Inst::Split(split + 1, 0));
                star(insts, Inst::AnyChar)?;
                insts.push(Inst::Char('/'));
                let end = here(insts)?;
                if let Some(Inst::Split(_, b)) = insts.get_mut(split as usize) {
                    *b = end;
                }
            }
            Tok::Class { negated, ranges } => {
                insts.push(Inst::Class(*negated, ranges.clone().into_boxed_slice()))
            }
            Tok::Alt(alts) => {
                // Split to each alternative in turn; each jumps to the end.
                let mut jumps = Vec::new();
                for (i, alt) in alts.iter().enumerate() {
                    let last = i + 1 == alts.len();
                    let split = here(insts)?;
                    if !last {
                        insts.push(Inst::Split(split + 1, 0));
                    }
                    compile(alt, insts)?;
                    jumps.push(here(insts)?);
                    insts.push(Inst::Jmp(0));
                    if !last {
                        let next = here(insts)?;
                        if let Some(Inst::Split(_, b)) = insts.get_mut(split as usize) {
                            *b = next;
                        }
                    }
                }
                let end = here(insts)?;
                for j in jumps {
                    if let Some(Inst::Jmp(t)) = insts.get_mut(j as usize) {
                        *t = end;
                    }
                }
            }
        }
    }
    Ok(())
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
}

impl Predicate {
    /// `Ok` when every condition holds, else the key of the first that fails.
    /// With `version: None` the `versions` condition is skipped (resolution
    /// mode checks it separately).
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
        Ok(())
    }
}
