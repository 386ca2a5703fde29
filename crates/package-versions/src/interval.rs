use std::cmp::Ordering;
use std::fmt;

use crate::{Ecosystem, Version};

/// One end of an interval.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Bound {
    Unbounded,
    Included(Version),
    Excluded(Version),
}

/// A contiguous run of versions between two bounds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Interval {
    pub lo: Bound,
    pub hi: Bound,
}

impl Interval {
    pub fn new(lo: Bound, hi: Bound) -> Self {
        Self { lo, hi }
    }

    /// The interval holding exactly `v`.
    pub fn exact(v: Version) -> Self {
        Self {
            lo: Bound::Included(v.clone()),
            hi: Bound::Included(v),
        }
    }

    pub fn all() -> Self {
        Self {
            lo: Bound::Unbounded,
            hi: Bound::Unbounded,
        }
    }

    /// `v` is at or above the lower bound.
    pub fn admits_from_below(&self, v: &Version) -> bool {
        match &self.lo {
            Bound::Unbounded => true,
            Bound::Included(l) => l <= v,
            Bound::Excluded(l) => l < v,
        }
    }

    /// `v` is at or below the upper bound.
    pub fn admits_from_above(&self, v: &Version) -> bool {
        match &self.hi {
            Bound::Unbounded => true,
            Bound::Included(h) => v <= h,
            Bound::Excluded(h) => v < h,
        }
    }

    pub fn contains(&self, v: &Version) -> bool {
        self.admits_from_below(v) && self.admits_from_above(v)
    }

    /// The versions in both intervals (possibly an empty interval).
    pub fn intersect(&self, other: &Interval) -> Interval {
        let lo = if cmp_lo(&self.lo, &other.lo) == Ordering::Greater {
            self.lo.clone()
        } else {
            other.lo.clone()
        };
        let hi = if cmp_hi(&self.hi, &other.hi) == Ordering::Less {
            self.hi.clone()
        } else {
            other.hi.clone()
        };
        Interval::new(lo, hi)
    }

    /// True when no version can lie in the interval.
    pub fn is_empty(&self) -> bool {
        match (&self.lo, &self.hi) {
            (Bound::Unbounded, _) | (_, Bound::Unbounded) => false,
            (Bound::Included(l), Bound::Included(h)) => l > h,
            (Bound::Included(l) | Bound::Excluded(l), Bound::Excluded(h))
            | (Bound::Excluded(l), Bound::Included(h)) => l >= h,
        }
    }
}

/// Orders lower bounds: the one admitting more versions first.
fn cmp_lo(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Less,
        (_, Bound::Unbounded) => Ordering::Greater,
        (Bound::Included(x), Bound::Included(y)) | (Bound::Excluded(x), Bound::Excluded(y)) => {
            x.cmp(y)
        }
        (Bound::Included(x), Bound::Excluded(y)) => x.cmp(y).then(Ordering::Less),
        (Bound::Excluded(x), Bound::Included(y)) => x.cmp(y).then(Ordering::Greater),
    }
}

/// Orders upper bounds: the one admitting fewer versions first.
fn cmp_hi(a: &Bound, b: &Bound) -> Ordering {
    match (a, b) {
        (Bound::Unbounded, Bound::Unbounded) => Ordering::Equal,
        (Bound::Unbounded, _) => Ordering::Greater,
        (_, Bound::Unbounded) => Ordering::Less,
        (Bound::Included(x), Bound::Included(y)) | (Bound::Excluded(x), Bound::Excluded(y)) => {
            x.cmp(y)
        }
        (Bound::Included(x), Bound::Excluded(y)) => x.cmp(y).then(Ordering::Greater),
        (Bound::Excluded(x), Bound::Included(y)) => x.cmp(y).then(Ordering::Less),
    }
}

/// True when an interval ending at `hi` and one starting at `lo` overlap or
/// touch with no version between them, so they merge into one.
fn joins(hi: &Bound, lo: &Bound) -> bool {
    match (hi, lo) {
        (Bound::Unbounded, _) | (_, Bound::Unbounded) => true,
        (Bound::Included(h), Bound::Included(l)) | (Bound::Excluded(h), Bound::Excluded(l)) => {
            // `<x` then `>x` leaves x out: only overlap joins.
            if matches!(hi, Bound::Excluded(_)) {
                l < h
            } else {
                l <= h
            }
        }
        (Bound::Included(h), Bound::Excluded(l)) | (Bound::Excluded(h), Bound::Included(l)) => {
            l <= h
        }
    }
}

/// A set of versions of one ecosystem: sorted, disjoint, non-touching intervals.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VersionSet {
    ecosystem: Ecosystem,
    intervals: Vec<Interval>,
}

impl VersionSet {
    pub fn empty(ecosystem: Ecosystem) -> Self {
        Self {
            ecosystem,
            intervals: Vec::new(),
        }
    }

    pub fn all(ecosystem: Ecosystem) -> Self {
        Self {
            ecosystem,
            intervals: vec![Interval::all()],
        }
    }

    pub fn exact(v: Version) -> Self {
        Self {
            ecosystem: v.ecosystem(),
            intervals: vec![Interval::exact(v)],
        }
    }

    /// Normalizes any list of intervals (in any order, overlapping or empty).
    pub fn from_intervals(ecosystem: Ecosystem, mut intervals: Vec<Interval>) -> Self {
        intervals.retain(|i| !i.is_empty());
        intervals.sort_by(|a, b| cmp_lo(&a.lo, &b.lo));
        let mut out: Vec<Interval> = Vec::with_capacity(intervals.len());
        for next in intervals {
            if let Some(last) = out.last_mut() {
                if joins(&last.hi, &next.lo) {
                    if cmp_hi(&next.hi, &last.hi) == Ordering::Greater {
                        last.hi = next.hi;
                    }
                    continue;
                }
            }
            out.push(next);
        }
        Self {
            ecosystem,
            intervals: out,
        }
    }

    pub fn ecosystem(&self) -> Ecosystem {
        self.ecosystem
    }

    pub fn intervals(&self) -> &[Interval] {
        &self.intervals
    }

    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Binary search over the intervals; no allocation.
    pub fn contains(&self, v: &Version) -> bool {
        let idx = self.intervals.partition_point(|i| i.admits_from_below(v));
        idx.checked_sub(1)
            .and_then(|i| self.intervals.get(i))
            .is_some_and(|i| i.admits_from_above(v))
    }

    pub fn union(&self, other: &VersionSet) -> VersionSet {
        let mut all = self.intervals.clone();
        all.extend(other.intervals.iter().cloned());
        VersionSet::from_intervals(self.ecosystem, all)
    }

    pub fn intersection(&self, other: &VersionSet) -> VersionSet {
        let mut out = Vec::new();
        for a in &self.intervals {
            for b in &other.intervals {
                out.push(a.intersect(b));
            }
        }
        VersionSet::from_intervals(self.ecosystem, out)
    }

    /// The versions not in this set.
    pub fn complement(&self) -> VersionSet {
        let mut out = Vec::with_capacity(self.intervals.len() + 1);
        let mut lo = Bound::Unbounded;
        for i in &self.intervals {
            let hi = match &i.lo {
                Bound::Unbounded => None,
                Bound::Included(v) => Some(Bound::Excluded(v.clone())),
                Bound::Excluded(v) => Some(Bound::Included(v.clone())),
            };
            if let Some(hi) = hi {
                out.push(Interval::new(
                    std::mem::replace(&mut lo, Bound::Unbounded),
                    hi,
                ));
            }
            lo = match &i.hi {
                Bound::Unbounded => return VersionSet::from_intervals(self.ecosystem, out),
                Bound::Included(v) => Bound::Excluded(v.clone()),
                Bound::Excluded(v) => Bound::Included(v.clone()),
            };
        }
        out.push(Interval::new(lo, Bound::Unbounded));
        VersionSet::from_intervals(self.ecosystem, out)
    }
}

/// Renders the set as a canonical `vers:` URI, which [`crate::vers::parse`]
/// reads back to an equal set: `vers:npm/>=1.0.0|<2.0.0|3.1.0`. A hole
/// between two intervals is written `!=v`; the empty set is `vers:npm/`.
impl fmt::Display for VersionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::vers::write_set(f, self, false)
    }
}

impl VersionSet {
    /// An exact text of the set: two sets have the same text only when they
    /// are equal. It is the `Display` vers URI, except that a range end no
    /// version spells (RubyGems' end of `~> 1.4`, just below `1.5.A`; PyPI's
    /// end of `>1.5`, above every `1.5.postN`) carries
    /// [`crate::vers::BOUNDARY_MARK`]: the vers URI writes those as the
    /// version beside them, so `~> 1.4.4` and `>= 1.4.4, < 1.5` share it.
    /// Use this, never `to_string()`, to key or digest a set.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = crate::vers::write_set(&mut out, self, true);
        out
    }
}
