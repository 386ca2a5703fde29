//! Arbitrary bytes as a policy layer: compiling never panics, and a failure is
//! a typed error with a position (bounded time: run with -timeout).
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::{Engine, LayerSource};

fuzz_target!(|data: &[u8]| {
    let source = match LayerSource::from_bytes("fuzz.yaml", data.to_vec()) {
        Ok(s) => s,
        Err(e) => {
            assert!(e.line.is_some(), "invalid UTF-8 without a position: {e}");
            return;
        }
    };
    if let Err(e) = Engine::compile(&[source]) {
        let _ = e.to_string();
        assert!(
            e.line.is_some() || e.path.is_some(),
            "error without a location: {e:?}"
        );
    }
});
