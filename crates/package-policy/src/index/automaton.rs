//! The residue's multi-pattern automata: residue globs compiled together,
//! up to [`CHUNK`] at a time, into lazy DFAs (regex-automata's hybrid engine),
//! so a name is read once per automaton however many patterns it holds. Only
//! the Thompson NFA is built at compile time (linear in the patterns, under a
//! size limit); DFA states are built during searches into a cache of bounded
//! size per thread. When the cache thrashes (patterns whose product explodes)
//! the automaton gives up for that search and its patterns' own pruned NFAs
//! (matcher.rs) decide instead. See docs/decisions/residue-automaton.md.

use std::sync::Arc;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::Pool;
use regex_automata::{Anchored, Input, MatchKind};
use regex_syntax::hir::{
    Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange, Hir, Look, Repetition,
};

use crate::glob::Tok;

/// Patterns compiled together (at most): a chunk whose DFA explodes costs
/// only its own patterns the fallback.
const CHUNK: usize = 64;
/// Per automaton: its Thompson NFA (a chunk over it falls back whole) ...
const NFA_SIZE_LIMIT: usize = 1 << 20;
/// ... and the DFA-state cache of each thread using it.
const CACHE_CAPACITY: usize = 1 << 19;
/// Give up (for one search) once the cache was cleared this often and
/// fewer than [`MIN_BYTES_PER_STATE`] bytes were searched per new state.
const MIN_CACHE_CLEARS: usize = 3;
const MIN_BYTES_PER_STATE: usize = 10;
/// A pattern with more wildcards than this, or more tokens than
/// [`MAX_TOKENS`], is left to its pruned NFA: long star chains are the shape
/// that makes a DFA explode (each state records every pattern's progress),
/// and the pruned NFA matches them in time linear in the name.
const MAX_WILDCARDS: usize = 16;
const MAX_TOKENS: usize = 256;

type CachePool = Pool<Cache, Box<dyn Fn() -> Cache + Send + Sync>>;

/// Several residue patterns in one lazy DFA; pattern `i` of the DFA is
/// residue entry `members[i]`.
pub(super) struct ResidueDfa {
    dfa: Arc<DFA>,
    caches: CachePool,
    members: Box<[u32]>,
}

impl std::fmt::Debug for ResidueDfa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ResidueDfa")
            .field("members", &self.members)
            .finish_non_exhaustive()
    }
}

/// Whether `toks` is small enough to go into an automaton.
pub(super) fn eligible(toks: &[Tok]) -> bool {
    let wildcards = toks.iter().filter(|t| !matches!(t, Tok::Lit(_))).count();
    toks.len() <= MAX_TOKENS && wildcards <= MAX_WILDCARDS
}

impl ResidueDfa {
    /// The automata for `patterns` (residue entry number, tokens), and the
    /// entries that fit in none of them.
    pub(super) fn build_all(patterns: &[(u32, &[Tok])]) -> (Vec<ResidueDfa>, Vec<u32>) {
        let mut automata = Vec::new();
        let mut left = Vec::new();
        for chunk in patterns.chunks(CHUNK) {
            match ResidueDfa::build(chunk) {
                Some(a) => automata.push(a),
                None => left.extend(chunk.iter().map(|(n, _)| *n)),
            }
        }
        (automata, left)
    }

    /// One automaton for `patterns`, or `None` past the NFA size limit.
    fn build(patterns: &[(u32, &[Tok])]) -> Option<ResidueDfa> {
        let hirs: Vec<Hir> = patterns.iter().map(|(_, toks)| whole(toks)).collect();
        let nfa = thompson::Compiler::new()
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(NFA_SIZE_LIMIT))
                    .which_captures(WhichCaptures::None),
            )
            .build_many_from_hir(&hirs)
            .ok()?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    // Every pattern that matches, not the first.
                    .match_kind(MatchKind::All)
                    .cache_capacity(CACHE_CAPACITY)
                    .skip_cache_capacity_check(false)
                    .minimum_cache_clear_count(Some(MIN_CACHE_CLEARS))
                    .minimum_bytes_per_state(Some(MIN_BYTES_PER_STATE)),
            )
            .build_from_nfa(nfa)
            .ok()?;
        let dfa = Arc::new(dfa);
        let for_pool = Arc::clone(&dfa);
        let create: Box<dyn Fn() -> Cache + Send + Sync> =
            Box::new(move || for_pool.create_cache());
        Some(ResidueDfa {
            dfa,
            caches: Pool::new(create),
            members: patterns.iter().map(|(n, _)| *n).collect(),
        })
    }

    /// Calls `hit` with the residue entry of every pattern matching all of
    /// `name`. `Err` when the automaton gave up (its cache thrashes): nothing
    /// was reported and the caller runs the members' NFAs instead.
    pub(super) fn matches(&self, name: &str, mut hit: impl FnMut(u32)) -> Result<(), ()> {
        let mut cache = self.caches.get();
        let cache: &mut Cache = &mut cache;
        let input = Input::new(name).anchored(Anchored::Yes);
        let mut sid = self
            .dfa
            .start_state_forward(cache, &input)
            .map_err(|_| ())?;
        for &b in name.as_bytes() {
            sid = self.dfa.next_state(cache, sid, b).map_err(|_| ())?;
            if sid.is_dead() {
                return Ok(());
            }
            if sid.is_quit() {
                return Err(());
            }
        }
        sid = self.dfa.next_eoi_state(cache, sid).map_err(|_| ())?;
        if sid.is_match() {
            for i in 0..self.dfa.match_len(cache, sid) {
                let pattern = self.dfa.match_pattern(cache, sid, i);
                if let Some(&n) = self.members.get(pattern.as_usize()) {
                    hit(n);
                }
            }
        }
        Ok(())
    }

    /// The entries whose patterns this automaton holds.
    pub(super) fn members(&self) -> &[u32] {
        &self.members
    }
}

/// The glob as a regular expression matching whole names (§2's semantics:
/// `*`, `?` and classes never match `/`). The search is anchored at the start;
/// the end is anchored here, so every match ends at the end of the name.
fn whole(toks: &[Tok]) -> Hir {
    let mut parts = seq(toks);
    parts.push(Hir::look(Look::End));
    Hir::concat(parts)
}

fn seq(toks: &[Tok]) -> Vec<Hir> {
    toks.iter().map(tok).collect()
}

fn tok(t: &Tok) -> Hir {
    match t {
        Tok::Lit(c) => Hir::literal(c.encode_utf8(&mut [0; 4]).as_bytes()),
        Tok::One => not_slash(),
        Tok::Star => any_run(byte_not_slash()),
        Tok::Class { negated, ranges } => {
            let mut class = ClassUnicode::new(
                ranges
                    .iter()
                    .map(|&(lo, hi)| ClassUnicodeRange::new(lo, hi)),
            );
            if *negated {
                class.negate();
            }
            class.difference(&slash());
            Hir::class(Class::Unicode(class))
        }
        // `**`: anything at all; `**/`: nothing, or anything ending in `/`.
        Tok::RecAll => any_run(any_byte()),
        Tok::RecDir => Hir::repetition(Repetition {
            min: 0,
            max: Some(1),
            greedy: true,
            sub: Box::new(Hir::concat(vec![any_run(any_byte()), tok(&Tok::Lit('/'))])),
        }),
        Tok::Alt(alts) => Hir::alternation(alts.iter().map(|a| Hir::concat(seq(a))).collect()),
    }
}

fn slash() -> ClassUnicode {
    ClassUnicode::new([ClassUnicodeRange::new('/', '/')])
}

/// Runs (`*`, `**`) are over bytes, not characters: the DFA is much
/// smaller, and the names matched are the same. `/` is one byte that is never
/// part of a multi-byte character, and every other token starts at a
/// character's first byte, so in a match of a whole (valid UTF-8) name a
/// run can only end inside a character where another run takes over, and
/// the same split at a character boundary matches too.
fn any_byte() -> Hir {
    Hir::class(Class::Bytes(ClassBytes::new([ClassBytesRange::new(
        0, 0xFF,
    )])))
}

fn byte_not_slash() -> Hir {
    let mut class = ClassBytes::new([ClassBytesRange::new(b'/', b'/')]);
    class.negate();
    Hir::class(Class::Bytes(class))
}

fn not_slash() -> Hir {
    let mut class = slash();
    class.negate();
    Hir::class(Class::Unicode(class))
}

fn any_run(sub: Hir) -> Hir {
    Hir::repetition(Repetition {
        min: 0,
        max: None,
        greedy: true,
        sub: Box::new(sub),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use crate::glob::Glob;
    use crate::reference::glob_matches;

    fn names() -> Vec<String> {
        let mut names = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = names
                .iter()
                .flat_map(|n| ["a", "b", "/", "é", "😀"].map(|c| format!("{n}{c}")))
                .collect();
            names.extend(longer);
        }
        names.sort();
        names.dedup();
        names
    }

    /// Every pattern of up to three atoms, compiled 64 to an automaton,
    /// against every name of up to four characters over `a`, `b`, `/`, `é`, `😀`:
    /// each automaton reports exactly the patterns the reference matches.
    #[test]
    fn agrees_with_the_reference_exhaustively() {
        let atoms = [
            "a", "b", "/", "é", "*", "?", "**", "[ab]", "[!a]", "[!é]", "{a,b*}", "{a/,*b}", "{,?}",
        ];
        let mut patterns = vec![String::new()];
        let mut globs = Vec::new();
        for _ in 0..3 {
            patterns = patterns
                .iter()
                .flat_map(|p| atoms.map(|a| format!("{p}{a}")))
                .collect();
            globs.extend(patterns.iter().filter_map(|p| Glob::parse(p, 64, 4).ok()));
        }
        let entries: Vec<(u32, &[Tok])> = globs
            .iter()
            .enumerate()
            .map(|(i, g)| (i as u32, g.toks.as_slice()))
            .collect();
        let (automata, left) = ResidueDfa::build_all(&entries);
        assert!(left.is_empty(), "{} patterns left", left.len());
        let names = names();
        let mut checked = 0;
        for a in &automata {
            for n in &names {
                let chars: Vec<char> = n.chars().collect();
                let mut hits = Vec::new();
                a.matches(n, |i| hits.push(i)).unwrap();
                hits.sort_unstable();
                let expected: Vec<u32> = a
                    .members()
                    .iter()
                    .copied()
                    .filter(|&i| glob_matches(&globs[i as usize].toks, &chars))
                    .collect();
                assert_eq!(hits, expected, "name {n:?}");
                checked += a.members().len();
            }
        }
        assert!(checked > 500_000, "{checked}");
    }

    #[test]
    fn long_star_chains_are_left_to_the_nfa() {
        let g = Glob::parse(&"*a".repeat(20), 1024, 4).unwrap();
        assert!(!eligible(&g.toks));
        let g = Glob::parse("@scope*/*-plugin-*x", 1024, 4).unwrap();
        assert!(eligible(&g.toks));
    }

    /// Patterns whose product explodes make the lazy DFA give up; the
    /// caller falls back, so `matches` says so instead of answering.
    #[test]
    fn exploding_chunks_give_up_or_answer_right() {
        let globs: Vec<Glob> = (0..64)
            .map(|i| {
                let p: String = (0..16)
                    .map(|k| if (i >> (k % 6)) & 1 == 1 { "*a" } else { "*b" })
                    .collect();
                Glob::parse(&format!("{p}?"), 1024, 4).unwrap()
            })
            .collect();
        let entries: Vec<(u32, &[Tok])> = globs
            .iter()
            .enumerate()
            .map(|(i, g)| (i as u32, g.toks.as_slice()))
            .collect();
        let (automata, left) = ResidueDfa::build_all(&entries);
        assert!(left.is_empty());
        for k in 0..20 {
            let name: String = (0..600)
                .map(|j| if (j * 7 + k) % 3 == 0 { 'a' } else { 'b' })
                .collect();
            let chars: Vec<char> = name.chars().collect();
            let mut hits = Vec::new();
            // On `Err` (gave up) the caller's NFAs decide.
            if automata[0].matches(&name, |i| hits.push(i)).is_ok() {
                let expected: Vec<u32> = (0..64)
                    .filter(|&i| glob_matches(&globs[i as usize].toks, &chars))
                    .collect();
                hits.sort_unstable();
                assert_eq!(hits, expected);
            }
        }
    }
}
