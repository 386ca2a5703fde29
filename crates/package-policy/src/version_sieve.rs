//! The version conditions of every rule naming one exact package, merged into
//! one interval map: a request's version finds the rules whose `versions`
//! condition holds with one binary search, instead of one search per rule.
//! A malicious-package feed often lists dozens of versions of one name, and
//! advisory feeds many ranges of one popular package.
//!
//! The distinct bound versions p0 < p1 < … < p(m-1) cut the version line into
//! 2m+1 regions: below p0, p0 itself, between p0 and p1, p1, …, above p(m-1).
//! Every interval covers a run of whole regions, so each region lists the
//! rules it belongs to.

use package_versions::{Bound, Ecosystem, Version, VersionSet};
use smallvec::SmallVec;

/// Rule numbers a request may match (defined here, below the name index
/// that re-exports it, so the two modules do not import each other).
pub(crate) type Candidates = SmallVec<[u32; 32]>;

/// Below this many versioned rules under one name, checking each rule's own
/// set is as cheap as the map.
pub(crate) const SIEVE_MIN: usize = 4;

/// Region lists may hold at most this many entries per interval (plus a
/// constant): nested ranges would otherwise grow quadratically.
const MAX_FANOUT: usize = 16;

#[derive(Debug, Clone)]
pub(crate) struct VersionSieve {
    /// Every rule of the group, for callers that need them all.
    all: Box<[u32]>,
    /// Rules without a `versions` condition of this scheme: always candidates.
    always: Box<[u32]>,
    points: Box<[Version]>,
    /// Region `r` lists `ids[offsets[r]..offsets[r + 1]]`.
    offsets: Box<[u32]>,
    ids: Box<[u32]>,
}

impl VersionSieve {
    /// `None` when fewer than [`SIEVE_MIN`] rules carry versions of
    /// `ecosystem`, or when the map would be too large.
    pub(crate) fn build<'a>(
        ecosystem: Ecosystem,
        rules: &[u32],
        versions_of: &impl Fn(u32) -> Option<&'a VersionSet>,
    ) -> Option<VersionSieve> {
        let mut always = Vec::new();
        let mut ranged: Vec<(u32, &VersionSet)> = Vec::new();
        for &id in rules {
            match versions_of(id) {
                Some(set) if set.ecosystem() == ecosystem => ranged.push((id, set)),
                _ => always.push(id),
            }
        }
        if ranged.len() < SIEVE_MIN {
            return None;
        }
        let mut points: Vec<Version> = ranged
            .iter()
            .flat_map(|(_, set)| set.intervals())
            .flat_map(|i| [&i.lo, &i.hi])
            .filter_map(|b| match b {
                Bound::Included(v) | Bound::Excluded(v) => Some(v.clone()),
                Bound::Unbounded => None,
            })
            .collect();
        points.sort();
        points.dedup();
        let regions = 2 * points.len() + 1;
        let region_of = |v: &Version| points.binary_search(v).ok();
        // Each interval as a run of regions [first, last].
        let mut runs: Vec<(usize, usize, u32)> = Vec::new();
        for (id, set) in &ranged {
            for i in set.intervals() {
                let first = match &i.lo {
                    Bound::Unbounded => 0,
                    Bound::Included(v) => 2 * region_of(v)? + 1,
                    Bound::Excluded(v) => 2 * region_of(v)? + 2,
                };
                let last = match &i.hi {
                    Bound::Unbounded => regions - 1,
                    Bound::Included(v) => 2 * region_of(v)? + 1,
                    Bound::Excluded(v) => 2 * region_of(v)?,
                };
                if first <= last {
                    runs.push((first, last, *id));
                }
            }
        }
        let total: usize = runs.iter().map(|(f, l, _)| l - f + 1).sum();
        if total > MAX_FANOUT * runs.len() + 256 {
            return None;
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); regions];
        for (first, last, id) in runs {
            for list in lists.get_mut(first..=last)? {
                list.push(id);
            }
        }
        let mut offsets = Vec::with_capacity(regions + 1);
        let mut ids = Vec::with_capacity(total);
        offsets.push(0);
        for mut list in lists {
            list.sort_unstable();
            list.dedup();
            ids.extend(list);
            offsets.push(u32::try_from(ids.len()).ok()?);
        }
        Some(VersionSieve {
            all: rules.into(),
            always: always.into_boxed_slice(),
            points: points.into_boxed_slice(),
            offsets: offsets.into_boxed_slice(),
            ids: ids.into_boxed_slice(),
        })
    }

    pub(crate) fn all(&self) -> &[u32] {
        &self.all
    }

    /// Appends the rules whose `versions` condition may hold for `version`:
    /// the unversioned ones, plus, with a version, those whose set holds it.
    pub(crate) fn select(&self, version: Option<&Version>, out: &mut Candidates) {
        out.extend_from_slice(&self.always);
        let Some(v) = version else {
            return;
        };
        let below = self.points.partition_point(|p| p < v);
        let region = match self.points.get(below) {
            Some(p) if p == v => 2 * below + 1,
            _ => 2 * below,
        };
        let (Some(&start), Some(&end)) = (self.offsets.get(region), self.offsets.get(region + 1))
        else {
            return;
        };
        if let Some(ids) = self.ids.get(start as usize..end as usize) {
            out.extend_from_slice(ids);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use package_versions::parse_range;

    fn sets(ranges: &[&str]) -> Vec<VersionSet> {
        ranges
            .iter()
            .map(|r| parse_range(Ecosystem::Npm, r).unwrap_or_else(|e| panic!("{r}: {e}")))
            .collect()
    }

    /// The sieve selects exactly the rules whose own set holds the version.
    #[test]
    fn selects_what_each_set_contains() {
        let sets = sets(&[
            "1.0.0",
            "1.0.1",
            ">=1.0.0 <2.0.0",
            "<1.0.1",
            ">1.0.1",
            "^2.0.0 || 0.9.x",
            "*",
        ]);
        let ids: Vec<u32> = (0..=sets.len() as u32).collect();
        let of = |id: u32| sets.get(id as usize);
        let sieve = VersionSieve::build(Ecosystem::Npm, &ids, &of).expect("built");
        for v in [
            "0.1.0",
            "0.9.5",
            "1.0.0",
            "1.0.1",
            "1.0.2",
            "1.5.0",
            "2.0.0",
            "2.1.0",
            "3.0.0",
            "1.0.1-rc.1",
        ] {
            let v = Version::parse(Ecosystem::Npm, v).expect("version");
            let mut got = Candidates::new();
            sieve.select(Some(&v), &mut got);
            got.sort_unstable();
            let mut want: Vec<u32> = ids
                .iter()
                .copied()
                .filter(|&id| of(id).is_none_or(|s| s.contains(&v)))
                .collect();
            want.sort_unstable();
            assert_eq!(got.as_slice(), want.as_slice(), "version {v:?}");
        }
        let mut none = Candidates::new();
        sieve.select(None, &mut none);
        assert_eq!(none.as_slice(), &[sets.len() as u32]);
    }

    #[test]
    fn few_versioned_rules_keep_the_plain_list() {
        let sets = sets(&["1.0.0", "2.0.0"]);
        let of = |id: u32| sets.get(id as usize);
        assert!(VersionSieve::build(Ecosystem::Npm, &[0, 1, 2, 3], &of).is_none());
    }
}
