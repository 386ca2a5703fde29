//! Pypi version parsing never panics, and `Display` parses back to an equal
//! version that orders and hashes consistently.
#![no_main]

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use libfuzzer_sys::fuzz_target;
use package_versions::{Ecosystem, Version};

fn hash_of(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(v) = Version::parse(Ecosystem::Pypi, text) else {
        return;
    };
    let shown = v.to_string();
    let again = Version::parse(Ecosystem::Pypi, &shown).expect("Display output parses");
    assert_eq!(again, v, "{text:?} shown as {shown:?}");
    assert_eq!(hash_of(&again), hash_of(&v));
});
