//! `Version::bound_text` / `Version::parse_bound`: every range end, including
//! the ends no version spells, reads back to an equal value (compiled engines
//! saved as bytes rely on it).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use package_versions::{parse_range, Bound, Ecosystem, Version};

#[test]
fn every_range_end_reads_back_exactly() {
    let cases = [
        (Ecosystem::Rubygems, "~> 1.4.4"),
        (Ecosystem::Rubygems, ">= 1.4.4, < 1.5"),
        (Ecosystem::Pypi, ">1.5"),
        (Ecosystem::Pypi, "~=1.4.4"),
        (Ecosystem::Npm, ">=1.4.4 <1.5.0-0"),
        (Ecosystem::Golang, ">=v1.5.0-0"),
    ];
    let mut boundaries = 0;
    for (eco, range) in cases {
        let set = parse_range(eco, range).unwrap();
        for i in set.intervals() {
            for b in [&i.lo, &i.hi] {
                let (Bound::Included(v) | Bound::Excluded(v)) = b else {
                    continue;
                };
                boundaries += usize::from(v.is_boundary());
                let back = Version::parse_bound(eco, &v.bound_text()).unwrap();
                assert_eq!(&back, v, "{range}: {}", v.bound_text());
                assert_eq!(back.is_boundary(), v.is_boundary(), "{range}");
            }
        }
    }
    assert_eq!(boundaries, 2, "`~> 1.4.4` and `>1.5` end on no version");
    // The mark is refused where no range end can carry it.
    assert!(Version::parse_bound(Ecosystem::Npm, "1.5.0#boundary").is_err());
    // A plain version is not a boundary.
    assert!(!Version::parse_bound(Ecosystem::Rubygems, "1.5")
        .unwrap()
        .is_boundary());
}
