//! A name index in a bundle (bundle/): its tables' keys and rule lists as they
//! are, so loading inserts them without classifying patterns again. Derived
//! parts (affix lengths and pair filters, the residue's prefilter, version
//! sieves) are rebuilt by the same code that builds them at compile time.

use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{build_residue, AffixTable, Anchor, Ids, NameIndex, ResiduePool};
use crate::glob::Tok;

/// Keys with their rule lists, flattened: key `k` has the next `counts[k]` ids.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct TableWire<'a> {
    #[serde(borrow)]
    keys: Vec<&'a str>,
    counts: Vec<u32>,
    ids: Vec<u32>,
}

/// A glob token, flat: alternatives are bracketed, never nested, so reading
/// one cannot recurse.
#[derive(Serialize, Deserialize, Clone, Copy)]
pub(crate) enum TokWire {
    Lit(char),
    One,
    Star,
    RecDir,
    RecAll,
    /// A class with the next `n` ranges of the pattern's range list.
    Class(bool, u32),
    AltOpen,
    AltNext,
    AltClose,
}

/// A glob: its tokens and the ranges its classes use.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct PatternWire {
    toks: Vec<TokWire>,
    ranges: Vec<(char, char)>,
}

#[derive(Serialize, Deserialize, Default)]
pub(crate) struct IndexWire<'a> {
    #[serde(borrow)]
    exact: TableWire<'a>,
    #[serde(borrow)]
    prefix_segment: TableWire<'a>,
    #[serde(borrow)]
    prefix_any: TableWire<'a>,
    #[serde(borrow)]
    suffix_segment: TableWire<'a>,
    #[serde(borrow)]
    suffix_any: TableWire<'a>,
    residue: Vec<(PatternWire, Vec<u32>)>,
    any: Vec<u32>,
}

impl PatternWire {
    pub(crate) fn from_toks(toks: &[Tok]) -> PatternWire {
        let mut out = PatternWire::default();
        out.push(toks);
        out
    }

    fn push(&mut self, toks: &[Tok]) {
        for t in toks {
            let w = match t {
                Tok::Lit(c) => TokWire::Lit(*c),
                Tok::One => TokWire::One,
                Tok::Star => TokWire::Star,
                Tok::RecDir => TokWire::RecDir,
                Tok::RecAll => TokWire::RecAll,
                Tok::Class { negated, ranges } => {
                    self.ranges.extend_from_slice(ranges);
                    TokWire::Class(*negated, u32::try_from(ranges.len()).unwrap_or(u32::MAX))
                }
                Tok::Alt(alts) => {
                    self.toks.push(TokWire::AltOpen);
                    for (i, a) in alts.iter().enumerate() {
                        if i > 0 {
                            self.toks.push(TokWire::AltNext);
                        }
                        self.push(a);
                    }
                    TokWire::AltClose
                }
            };
            self.toks.push(w);
        }
    }

    /// The tokens, or why they do not form a glob (nested or unbalanced
    /// braces, class ranges out of bounds).
    pub(crate) fn to_toks(&self) -> Result<Vec<Tok>, String> {
        let bad = || "a glob pattern is malformed".to_owned();
        let mut ranges = self.ranges.iter();
        let mut top: Vec<Tok> = Vec::new();
        // The alternatives of the open brace group, when inside one.
        let mut alts: Option<Vec<Vec<Tok>>> = None;
        for w in &self.toks {
            let tok = match *w {
                TokWire::Lit(c) => Tok::Lit(c),
                TokWire::One => Tok::One,
                TokWire::Star => Tok::Star,
                TokWire::RecDir => Tok::RecDir,
                TokWire::RecAll => Tok::RecAll,
                TokWire::Class(negated, n) => {
                    let mut rs = Vec::new();
                    for _ in 0..n {
                        rs.push(*ranges.next().ok_or_else(bad)?);
                    }
                    Tok::Class {
                        negated,
                        ranges: rs,
                    }
                }
                TokWire::AltOpen => {
                    if alts.is_some() {
                        return Err(bad());
                    }
                    alts = Some(vec![Vec::new()]);
                    continue;
                }
                TokWire::AltNext => {
                    alts.as_mut().ok_or_else(bad)?.push(Vec::new());
                    continue;
                }
                TokWire::AltClose => Tok::Alt(alts.take().ok_or_else(bad)?),
            };
            match alts.as_mut().and_then(|a| a.last_mut()) {
                Some(alt) => alt.push(tok),
                None => top.push(tok),
            }
        }
        if alts.is_some() || ranges.next().is_some() {
            return Err(bad());
        }
        Ok(top)
    }
}

impl<'a> TableWire<'a> {
    /// Keys in sorted order, so that equal engines write equal bytes.
    fn from_map<'m: 'a>(map: impl Iterator<Item = (&'m str, &'m Ids)>) -> TableWire<'a> {
        let mut entries: Vec<(&str, &Ids)> = map.collect();
        entries.sort_unstable_by_key(|(k, _)| *k);
        let mut t = TableWire::default();
        for (k, ids) in entries {
            let list = ids.as_slice();
            t.keys.push(k);
            t.counts.push(u32::try_from(list.len()).unwrap_or(u32::MAX));
            t.ids.extend_from_slice(list);
        }
        t
    }

    /// Each key with its rule list; every id below `rules`.
    fn entries(&self, rules: usize) -> Result<Vec<(&'a str, Vec<u32>)>, String> {
        if self.keys.len() != self.counts.len() {
            return Err("an index table is malformed".into());
        }
        let mut ids = self.ids.iter();
        let mut out = Vec::with_capacity(self.keys.len());
        for (k, &n) in self.keys.iter().zip(&self.counts) {
            let mut list = Vec::with_capacity((n as usize).min(self.ids.len()));
            for _ in 0..n {
                let id = *ids
                    .next()
                    .ok_or_else(|| "an index table is malformed".to_owned())?;
                list.push(check_id(id, rules)?);
            }
            if list.is_empty() {
                return Err("an index key has no rule".into());
            }
            out.push((*k, list));
        }
        if ids.next().is_some() {
            return Err("an index table is malformed".into());
        }
        Ok(out)
    }

    fn affix(&self, rules: usize, anchor: Anchor) -> Result<AffixTable, String> {
        let mut map: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        for (k, list) in self.entries(rules)? {
            if map.insert(k.to_owned(), list).is_some() {
                return Err("an index key is repeated".into());
            }
        }
        Ok(AffixTable::build(map, anchor))
    }
}

fn check_id(id: u32, rules: usize) -> Result<u32, String> {
    if (id as usize) < rules {
        Ok(id)
    } else {
        Err(format!("rule number {id} is out of range"))
    }
}

impl NameIndex {
    pub(crate) fn to_wire(&self) -> IndexWire<'_> {
        fn table(t: &AffixTable) -> TableWire<'_> {
            TableWire::from_map(t.map.iter().map(|(k, v)| (&**k, v)))
        }
        IndexWire {
            exact: TableWire::from_map(self.exact.iter().map(|(k, v)| (&**k, v))),
            prefix_segment: table(&self.prefix_segment),
            prefix_any: table(&self.prefix_any),
            suffix_segment: table(&self.suffix_segment),
            suffix_any: table(&self.suffix_any),
            residue: self
                .residue
                .matchers
                .iter()
                .map(|(g, ids)| (PatternWire::from_toks(&g.toks), ids.as_slice().to_vec()))
                .collect(),
            any: self.any.to_vec(),
        }
    }

    /// The index of a level with `rules` rules; version sieves are merged by
    /// the caller, as at compile time.
    pub(crate) fn from_wire(w: &IndexWire<'_>, rules: usize) -> Result<NameIndex, String> {
        let mut exact = FxHashMap::default();
        let entries = w.exact.entries(rules)?;
        exact.reserve(entries.len());
        for (k, list) in entries {
            if exact.insert(Box::from(k), Ids::from_vec(list)).is_some() {
                return Err("an index key is repeated".into());
            }
        }
        let mut residue = Vec::new();
        let mut pool = ResiduePool::default();
        for (pattern, ids) in &w.residue {
            let glob = pool.intern(&pattern.to_toks()?)?;
            if ids.is_empty() {
                return Err("an index pattern has no rule".into());
            }
            for &id in ids {
                residue.push((glob, check_id(id, rules)?));
            }
        }
        let any = w
            .any
            .iter()
            .map(|&id| check_id(id, rules))
            .collect::<Result<Vec<u32>, String>>()?;
        Ok(NameIndex {
            exact,
            prefix_segment: w.prefix_segment.affix(rules, Anchor::Start)?,
            prefix_any: w.prefix_any.affix(rules, Anchor::Start)?,
            suffix_segment: w.suffix_segment.affix(rules, Anchor::End)?,
            suffix_any: w.suffix_any.affix(rules, Anchor::End)?,
            residue: build_residue(residue, &pool)?,
            any: any.into_boxed_slice(),
        })
    }
}
