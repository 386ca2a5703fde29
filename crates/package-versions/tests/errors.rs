//! Bad input gives a typed error that points at the fault.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_versions::{parse_range, vers, Ecosystem, Version};

fn version_error_at(eco: Ecosystem, text: &str) -> usize {
    Version::parse(eco, text)
        .map(|v| panic!("{text:?} parsed as {v}"))
        .unwrap_err()
        .position
}

fn range_error_at(eco: Ecosystem, text: &str) -> usize {
    parse_range(eco, text)
        .map(|s| panic!("{text:?} parsed as {s}"))
        .unwrap_err()
        .position
}

#[test]
fn versions_point_at_the_fault() {
    use Ecosystem::*;
    let cases = [
        (Npm, "1.2.x", 4),
        (Npm, "1.02.3", 2),
        (Npm, " 1.2.3", 0),
        (Npm, "1.2.3 ", 5),
        (Npm, "1.2.3-", 6),
        (Npm, "1.2.3-01", 6),
        (Npm, "9007199254740992.0.0", 0),
        (Cargo, "v1.2.3", 0),
        (Cargo, "1.2", 3),
        (Cargo, "1.2.3+", 6),
        (Golang, "1.2.3", 0),
        (Golang, "v1.2-pre", 4),
        (Golang, "v1.2.3.4", 6),
        (Nuget, "1.2.3.4.5", 8),
        (Nuget, "1.2a", 3),
        (Nuget, "1.0.0-01", 6),
        (Nuget, "1.0.0+", 6),
        (Nuget, "2147483648.0", 0),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .map(|&(eco, text, at)| (eco, text, at, version_error_at(eco, text)))
        .filter(|c| c.2 != c.3)
        .collect();
    assert!(wrong.is_empty(), "(eco, input, want, got): {wrong:?}");
}

#[test]
fn ranges_point_at_the_fault() {
    use Ecosystem::*;
    let cases = [
        (Npm, ">=1.2.3 <2.x.5", 9),
        (Npm, "1.2.3 || >=abc", 11),
        (Cargo, ">=1.0, <2.0 ||", 12),
        (Cargo, ">=1.0,", 6),
        (Golang, ">=v1.2.0, <v1.3-pre", 15),
        (Golang, ">=v1.2.0 <1.x", 12),
        (Nuget, "[1.0, 2.0", 8),
        (Nuget, "[1.0, 2.0.*)", 10),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .map(|&(eco, text, at)| (eco, text, at, range_error_at(eco, text)))
        .filter(|c| c.2 != c.3)
        .collect();
    assert!(wrong.is_empty(), "(eco, input, want, got): {wrong:?}");
}

#[test]
fn vers_points_at_the_fault() {
    let cases = [
        ("vers:npm/>=1.0.0| <2.0.0", 17),
        ("vers:npm/>=2.0.0|<1.0.0", 18),
        ("vers:npm/>=1.0.0||<2.0.0", 17),
        ("vers:conan/1.0", 5),
        ("vers:npm/1.0.0|abc", 15),
        ("vers:npm/1.0%2g", 12),
        ("npm/1.0.0", 0),
    ];
    let wrong: Vec<_> = cases
        .iter()
        .map(|&(text, at)| (text, at, vers::parse(text).unwrap_err()))
        .filter(|c| c.1 != c.2.position)
        .collect();
    assert!(wrong.is_empty(), "(input, want, got): {wrong:?}");
}

#[test]
fn empty_and_whitespace_are_errors() {
    for eco in [
        Ecosystem::Npm,
        Ecosystem::Cargo,
        Ecosystem::Golang,
        Ecosystem::Nuget,
    ] {
        for text in ["", " ", "\t1.0.0", "1.0.0\n"] {
            assert!(Version::parse(eco, text).is_err(), "{eco} {text:?}");
        }
    }
}
