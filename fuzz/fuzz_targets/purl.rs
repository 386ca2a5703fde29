//! Purl parsing never panics; a parsed purl prints a canonical form that parses
//! back to the same components and prints identically; mapping it to a request
//! never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::{Purl, Request};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = Request::from_purl(text);
    let Ok(purl) = Purl::parse(text) else {
        return;
    };
    let canonical = purl.to_string();
    let again = Purl::parse(&canonical)
        .unwrap_or_else(|e| panic!("{text:?}: canonical {canonical:?} does not parse: {e}"));
    assert_eq!(again, purl, "{text:?} → {canonical:?}");
    assert_eq!(again.to_string(), canonical);
});
