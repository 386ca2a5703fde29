//! How two rules relate: whether one covers every request the other matches
//! (shadowing), whether they may both match one request (overlap), and an
//! index that finds the rules that may match a name without trying them all.
//! `covers` answers "yes" only when certain; `overlaps` answers "no" only when
//! certain, so neither makes the lint report a rule wrongly.

use std::collections::{BTreeMap, HashMap};

use package_versions::Ecosystem;

use crate::glob::Tok;
use crate::layer::Rule;
use crate::matcher::GlobNfa;

use super::view::{ecosystems, patterns, NamePattern};

fn glob_matches(toks: &[Tok], name: &str) -> bool {
    GlobNfa::new(toks).is_ok_and(|nfa| nfa.is_match(name))
}

/// Every name `q` admits is admitted by `p` (certain cases only).
fn pattern_covers(p: &(NamePattern, Vec<Tok>), q: &(NamePattern, Vec<Tok>)) -> bool {
    match &q.0 {
        NamePattern::Exact(n) => glob_matches(&p.1, n),
        NamePattern::Glob(_) => p.1 == q.1 || p.1 == [Tok::RecAll],
    }
}

/// Some name is admitted by both (uncertain cases count as yes).
fn pattern_overlaps(p: &(NamePattern, Vec<Tok>), q: &(NamePattern, Vec<Tok>)) -> bool {
    match (&p.0, &q.0) {
        (NamePattern::Exact(a), NamePattern::Exact(b)) => a == b,
        (NamePattern::Exact(a), NamePattern::Glob(_)) => glob_matches(&q.1, a),
        (NamePattern::Glob(_), NamePattern::Exact(b)) => glob_matches(&p.1, b),
        (NamePattern::Glob(_), NamePattern::Glob(_)) => true,
    }
}

fn projects(rule: &Rule) -> Option<Vec<(NamePattern, Vec<Tok>)>> {
    rule.cond.project.as_ref().map(|gs| {
        gs.iter()
            .map(|g| (super::view::pattern_of(&g.toks), g.toks.clone()))
            .collect()
    })
}

/// `s` matches every request `r` matches (conditions only; not actions or times).
pub(crate) fn covers(s: &Rule, r: &Rule) -> bool {
    let (sc, rc) = (&s.cond, &r.cond);
    // Not certain for conditions this analysis does not model.
    if sc.provenance.is_some() || sc.provenance_downgrade || sc.unless.is_some() {
        return false;
    }
    let r_ecos = ecosystems(r);
    if let Some(se) = &sc.ecosystems {
        if !r_ecos.iter().all(|e| se.contains(e)) {
            return false;
        }
    }
    if sc.packages.is_some() {
        for eco in &r_ecos {
            let sp = patterns(s, *eco).unwrap_or_default();
            let ok = match patterns(r, *eco) {
                None => sp.iter().any(|p| p.1 == [Tok::RecAll]),
                Some(rp) => rp.iter().all(|q| sp.iter().any(|p| pattern_covers(p, q))),
            };
            if !ok {
                return false;
            }
        }
    }
    let versions = match (&sc.versions, &rc.versions) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => b.intersection(a) == *b,
    };
    let license = match (&sc.license, &rc.license) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => b.iter().all(|id| a.contains(id)),
    };
    // Not satisfiable with a larger list implies not with a smaller one.
    let not_in = match (&sc.license_not_in, &rc.license_not_in) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => a.iter().all(|id| b.contains(id)),
    };
    let published = match (sc.published_within, rc.published_within) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => b <= a,
    };
    let project = match (projects(s), projects(r)) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => b.iter().all(|q| a.iter().any(|p| pattern_covers(p, q))),
    };
    let attributes = match (&sc.attributes, &rc.attributes) {
        (None, _) => true,
        (Some(a), _) if a.is_empty() => true,
        (Some(_), None) => false,
        (Some(a), Some(b)) => a.iter().all(|(k, v)| b.get(k) == Some(v)),
    };
    versions && license && not_in && published && project && attributes
}

/// Some request may match both rules (conditions only).
pub(crate) fn overlaps(a: &Rule, d: &Rule) -> bool {
    let a_ecos = ecosystems(a);
    let common: Vec<Ecosystem> = ecosystems(d)
        .into_iter()
        .filter(|e| a_ecos.contains(e))
        .collect();
    if common.is_empty() {
        return false;
    }
    let names = common
        .iter()
        .any(|eco| match (patterns(a, *eco), patterns(d, *eco)) {
            (Some(ps), Some(qs)) => ps.iter().any(|p| qs.iter().any(|q| pattern_overlaps(p, q))),
            _ => true,
        });
    let versions = match (&a.cond.versions, &d.cond.versions) {
        (Some(x), Some(y)) => !x.intersection(y).is_empty(),
        _ => true,
    };
    let project = match (projects(a), projects(d)) {
        (Some(ps), Some(qs)) => ps.iter().any(|p| qs.iter().any(|q| pattern_overlaps(p, q))),
        _ => true,
    };
    let attributes = match (&a.cond.attributes, &d.cond.attributes) {
        (Some(x), Some(y)) => x.iter().all(|(k, v)| y.get(k).is_none_or(|w| w == v)),
        _ => true,
    };
    names && versions && project && attributes
}

/// Rule numbers by the names they admit, per ecosystem.
#[derive(Default)]
pub(crate) struct RuleIndex {
    ecos: Vec<EcoIndex>,
}

#[derive(Default)]
struct EcoIndex {
    exact: BTreeMap<String, Vec<u32>>,
    globs: Vec<(u32, GlobNfa)>,
    /// Globs by their literal prefix, else their literal suffix, else neither.
    by_prefix: HashMap<String, Vec<u32>>,
    by_suffix: HashMap<String, Vec<u32>>,
    /// Globs (indexes into `globs`) with neither.
    unanchored: Vec<u32>,
    by_glob_text: HashMap<String, Vec<u32>>,
    /// Rules with no `package`, or the pattern `**`.
    any_name: Vec<u32>,
    /// Rules with a glob too big to simulate: candidates for every name.
    unsimulable: Vec<u32>,
}

impl RuleIndex {
    pub(crate) fn build<'r>(rules: impl Iterator<Item = &'r Rule>) -> RuleIndex {
        let mut ecos: Vec<EcoIndex> = Ecosystem::ALL.iter().map(|_| EcoIndex::default()).collect();
        for (n, rule) in rules.enumerate() {
            let n = n as u32;
            for eco in ecosystems(rule) {
                let Some(ix) = ecos.get_mut(eco.index()) else {
                    continue;
                };
                let Some(ps) = patterns(rule, eco) else {
                    ix.any_name.push(n);
                    continue;
                };
                for (p, toks) in ps {
                    match p {
                        NamePattern::Exact(name) => ix.exact.entry(name).or_default().push(n),
                        NamePattern::Glob(text) => {
                            if toks == [Tok::RecAll] {
                                ix.any_name.push(n);
                                continue;
                            }
                            ix.by_glob_text.entry(text).or_default().push(n);
                            let Ok(nfa) = GlobNfa::new(&toks) else {
                                // Too big to simulate: a candidate for every name.
                                ix.unsimulable.push(n);
                                continue;
                            };
                            let g = ix.globs.len() as u32;
                            ix.globs.push((n, nfa));
                            let (prefix, suffix) = literal_ends(&toks);
                            if !prefix.is_empty() {
                                ix.by_prefix.entry(prefix).or_default().push(g);
                            } else if !suffix.is_empty() {
                                ix.by_suffix.entry(suffix).or_default().push(g);
                            } else {
                                ix.unanchored.push(g);
                            }
                        }
                    }
                }
            }
        }
        RuleIndex { ecos }
    }

    /// Rules whose `package` may admit `name` in `eco` (sorted, unique).
    pub(crate) fn by_name(&self, eco: Ecosystem, name: &str) -> Vec<u32> {
        let mut out = self.admitting(eco, name);
        if let Some(ix) = self.ecos.get(eco.index()) {
            out.extend(&ix.unsimulable);
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// Rules whose `package` admits `name` in `eco`, as the reference's
    /// matcher decides (sorted, unique); a glob too big to simulate admits
    /// nothing, as in `GlobNfa`.
    pub(crate) fn admitting(&self, eco: Ecosystem, name: &str) -> Vec<u32> {
        let Some(ix) = self.ecos.get(eco.index()) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = ix.any_name.clone();
        out.extend(ix.exact.get(name).into_iter().flatten());
        let mut globs: Vec<u32> = ix.unanchored.clone();
        for (i, _) in name.char_indices().skip(1).chain([(name.len(), ' ')]) {
            if let Some(head) = name.get(..i) {
                globs.extend(ix.by_prefix.get(head).into_iter().flatten());
            }
        }
        for (i, _) in name.char_indices() {
            if let Some(tail) = name.get(i..) {
                globs.extend(ix.by_suffix.get(tail).into_iter().flatten());
            }
        }
        for g in globs {
            if let Some((n, nfa)) = ix.globs.get(g as usize) {
                if nfa.is_match(name) {
                    out.push(*n);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Rules with the same glob pattern in `eco`, or admitting every name.
    pub(crate) fn by_glob(&self, eco: Ecosystem, text: &str) -> Vec<u32> {
        let Some(ix) = self.ecos.get(eco.index()) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = ix.any_name.clone();
        out.extend(&ix.unsimulable);
        out.extend(ix.by_glob_text.get(text).into_iter().flatten());
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Rules that may admit some name `toks` admits: exact names it matches
    /// (scanning only those sharing its literal prefix), every glob, every
    /// rule without `package`.
    pub(crate) fn overlapping_glob(&self, eco: Ecosystem, toks: &[Tok]) -> Vec<u32> {
        let Some(ix) = self.ecos.get(eco.index()) else {
            return Vec::new();
        };
        let mut out: Vec<u32> = ix.any_name.clone();
        out.extend(&ix.unsimulable);
        out.extend(ix.globs.iter().map(|(n, _)| *n));
        if let Ok(nfa) = GlobNfa::new(toks) {
            let (prefix, _) = literal_ends(toks);
            for (name, rules) in ix.exact.range(prefix.clone()..) {
                if !name.starts_with(&prefix) {
                    break;
                }
                if nfa.is_match(name) {
                    out.extend(rules);
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The literal characters a glob starts and ends with.
fn literal_ends(toks: &[Tok]) -> (String, String) {
    let lit = |t: &Tok| match t {
        Tok::Lit(c) => Some(*c),
        _ => None,
    };
    let prefix: String = toks.iter().map_while(lit).collect();
    let mut suffix: Vec<char> = toks.iter().rev().map_while(lit).collect();
    suffix.reverse();
    (prefix, suffix.into_iter().collect())
}
