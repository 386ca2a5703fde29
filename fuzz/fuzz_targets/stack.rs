//! Stack target: a policy set from the fuzzer's bytes, cut into one to four
//! levels; the engine stacked level by level must decide, explain and digest
//! exactly as the set compiled flat, and both must agree on whether it compiles.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::{Engine, Request};

include!("policy_gen.rs");

fn stacked(levels: &[&[LayerSource]]) -> std::result::Result<Engine, package_policy::CompileError> {
    let mut engine = Engine::compile(levels.first().copied().unwrap_or_default())?;
    for level in levels.iter().skip(1) {
        engine = engine.stack(level)?;
    }
    Ok(engine)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let now = Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    let Ok(mut sources) = policy_of(&mut u, now, 6) else {
        return;
    };
    // Sometimes a later layer takes an earlier one's name.
    if u.ratio(1, 16).unwrap_or(false) && sources.len() > 1 {
        let last = sources.len() - 1;
        if let Some(s) = sources.last_mut() {
            s.text = s.text.replacen(&format!("layer: l{last}\n"), "layer: l0\n", 1);
        }
    }
    let mut starts = vec![0, sources.len()];
    for _ in 0..u.int_in_range(0..=3).unwrap_or(0) {
        starts.push(u.int_in_range(0..=sources.len()).unwrap_or(0));
    }
    starts.sort_unstable();
    starts.dedup();
    let levels: Vec<&[LayerSource]> = starts
        .windows(2)
        .filter_map(|w| sources.get(w[0]..w[1]))
        .collect();
    let Ok(input) = request(&mut u, now) else {
        return;
    };
    let flat = Engine::compile(&sources);
    let stack = stacked(&levels);
    assert_eq!(flat.is_ok(), stack.is_ok(), "compile disagreement on {levels:#?}");
    let (Ok(flat), Ok(stack)) = (flat, stack) else {
        return;
    };
    assert_eq!(flat.digest(), stack.digest());
    assert_eq!(flat.rule_count(), stack.rule_count());
    let Ok(req) = Request::new(input) else {
        return;
    };
    assert_eq!(flat.explain(&req, now), stack.explain(&req, now), "on {levels:#?}\n{req:?}");
});
