//! Purl parsing never panics; a parsed purl prints a canonical form that parses
//! back to the same components and prints identically; mapping it to a request
//! never panics, and the plain-purl fast path of `Request::from_purl` gives
//! what the full parser gives (`RequestInput::from_purl` always takes it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::{Purl, Request, RequestInput};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    assert_eq!(
        Request::from_purl(text),
        RequestInput::from_purl(text).and_then(Request::new),
        "{text:?}"
    );
    let Ok(purl) = Purl::parse(text) else {
        return;
    };
    let canonical = purl.to_string();
    let again = Purl::parse(&canonical)
        .unwrap_or_else(|e| panic!("{text:?}: canonical {canonical:?} does not parse: {e}"));
    assert_eq!(again, purl, "{text:?} → {canonical:?}");
    assert_eq!(again.to_string(), canonical);
});
