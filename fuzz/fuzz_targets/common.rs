// Shared checks for the version and range targets (included with `include!`).
use package_versions::{parse_range, vers, Ecosystem, Version};

/// Any input: no panic; a version that parses displays to text that parses
/// back equal; a range that parses renders a vers URI that reads back equal.
#[allow(dead_code)]
fn check_version(eco: Ecosystem, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(v) = Version::parse(eco, text) {
        let shown = v.to_string();
        let back = Version::parse(eco, &shown).expect("display re-parses");
        assert_eq!(back, v, "{text:?} displays as {shown:?}");
        assert_eq!(back.cmp(&v), std::cmp::Ordering::Equal);
    }
}

#[allow(dead_code)]
fn check_range(eco: Ecosystem, data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > 4096 {
        return; // POLICY_SPEC §8: ranges are at most 4 KiB
    }
    if let Ok(set) = parse_range(eco, text) {
        let shown = set.to_string();
        let back = vers::parse(&shown).expect("vers display re-parses");
        assert_eq!(back, (eco, set), "{text:?} renders as {shown:?}");
    }
}
