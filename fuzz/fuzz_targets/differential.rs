//! Differential target: a policy set and a request built from the fuzzer's
//! bytes; the compiled engine must decide exactly as the reference evaluator
//! (POLICY_SPEC §4 read literally), and both must agree on whether it compiles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::reference::Reference;
use package_policy::{Engine, Request};

include!("policy_gen.rs");

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let now = Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let (Ok(sources), Ok(input)) = (policy(&mut u, now), request(&mut u, now)) else {
        return;
    };
    let engine = Engine::compile(&sources);
    let reference = Reference::compile(&sources);
    assert_eq!(engine.is_ok(), reference.is_ok(), "compile disagreement on {sources:#?}");
    let (Ok(engine), Ok(reference)) = (engine, reference) else {
        return;
    };
    let Ok(req) = Request::new(input) else {
        return;
    };
    assert_eq!(engine.evaluate(&req, now), reference.evaluate(&req, now), "on {sources:#?}\n{req:?}");
});
