//! Pypi range parsing never panics; a parsed set answers `contains` and
//! renders without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_versions::{parse_range, Ecosystem, Version};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(set) = parse_range(Ecosystem::Pypi, text) else {
        return;
    };
    for probe in ["0", "1.0", "1.0.1", "2"] {
        if let Ok(v) = Version::parse(Ecosystem::Pypi, probe) {
            let _ = set.contains(&v);
        }
    }
    let _ = set.complement();
    let _ = set.to_string();
});
