//! Bundle loading: any bytes load as a bundle or fail with a typed error,
//! never a panic. Raw input is tried as it is; it also mutates a real bundle
//! (and re-seals its checksum) so the payload decoder and the checks behind
//! it are reached, and whatever loads must evaluate, explain and re-encode.
#![no_main]

use jiff::Timestamp;
use libfuzzer_sys::fuzz_target;
use package_policy::{Engine, LayerSource, Request};
use sha2::{Digest, Sha256};

const HEADER: usize = 84;

fn seed() -> Vec<u8> {
    let layers = [
        LayerSource::new("a.yaml", "schema_version: 1\nlayer: a\ndefault: warn\nrules:\n  - id: r1\n    action: deny\n    enforced: true\n    reason: why\n    expires: 2030-01-01\n    match: { ecosystem: npm, package: ['@s/*', 'x{a,b}[c-d]?', 'evil'], versions: '>=1.0.0 <2.0.0' }\n  - id: r2\n    action: allow\n    match: { package: 'a*', project: 'acme/**', attributes: { k: 1 }, license: MIT, published_within: 3d }\n"),
        LayerSource::new("b.yaml", "schema_version: 1\nlayer: b\nmode: dry_run\nrules:\n  - id: r3\n    action: warn\n    match: { ecosystem: pypi, package: '**/z', license_not_in: [MIT] }\n"),
    ];
    match Engine::compile(&layers[..1]).and_then(|e| e.stack(&layers[1..])) {
        Ok(e) => e.to_bytes(),
        Err(_) => Vec::new(),
    }
}

fn exercise(engine: &Engine) {
    let now = Timestamp::from_second(1_780_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
    for purl in ["pkg:npm/evil@1.5.0", "pkg:npm/%40s/x@1.0.0", "pkg:pypi/a/z@1.0", "pkg:cargo/xac1@1.0.0"] {
        if let Ok(req) = Request::from_purl(purl) {
            let _ = engine.evaluate(&req, now);
            let _ = engine.explain(&req, now);
        }
    }
    let again = engine.to_bytes();
    let reloaded = Engine::from_bytes(&again).expect("a loaded engine's bundle loads");
    assert_eq!(reloaded.digest(), engine.digest());
}

fuzz_target!(|data: &[u8]| {
    if let Ok(engine) = Engine::from_bytes(data) {
        exercise(&engine);
    }
    // Mutations of a real bundle: (position, xor) pairs applied to the payload.
    let mut bytes = seed();
    let payload_len = bytes.len().saturating_sub(HEADER);
    if payload_len == 0 {
        return;
    }
    for pair in data.chunks_exact(3) {
        let at = HEADER + (usize::from(u16::from_le_bytes([pair[0], pair[1]])) % payload_len);
        bytes[at] ^= pair[2];
    }
    let sum = Sha256::digest(&bytes[HEADER..]);
    bytes[52..HEADER].copy_from_slice(&sum);
    if let Ok(engine) = Engine::from_bytes(&bytes) {
        exercise(&engine);
    }
});
