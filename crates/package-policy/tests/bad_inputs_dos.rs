//! Inputs built to make glob matching slow or compiling big (issue 18): many
//! `*a*a*…` globs against a long name, and long globs without an ecosystem.
//! Each case runs in its own thread and fails if it does not finish within
//! HANG_GUARD (a guard against hangs, not a timing check). The reference
//! evaluator backtracks (exponentially on these), so the expected decisions
//! are worked out here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::mpsc;
use std::time::Duration;

use package_policy::{Action, Engine, LayerSource, Request, RequestInput};

const HANG_GUARD: Duration = Duration::from_secs(60);

fn guarded<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(HANG_GUARD)
        .unwrap_or_else(|_| panic!("did not finish within {HANG_GUARD:?}"))
}

/// `count` distinct globs of about 1 KiB of one-character pieces (`*a*b*a…`):
/// no literal prefilter skips them and a plain NFA keeps one state per piece.
fn star_pieces(count: usize, eco: &str) -> String {
    let mut s = String::from("schema_version: 1\nlayer: dos\nrules:\n");
    for i in 0..count {
        let mut g = String::new();
        let mut k = 0;
        while g.len() < 1000 {
            g.push_str(if k < 12 && (i >> k) & 1 == 1 {
                "*b"
            } else {
                "*a"
            });
            k += 1;
        }
        s.push_str(&format!(
            "  - id: g{i}\n    action: deny\n    reason: r\n    match: {{ ecosystem: {eco}, package: \"{g}\" }}\n"
        ));
    }
    s
}

fn request(eco: &str, name: &str) -> Request {
    Request::new(RequestInput {
        ecosystem: eco.into(),
        name: name.into(),
        ..RequestInput::default()
    })
    .unwrap()
}

#[test]
fn many_star_piece_globs_against_a_long_name() {
    let src = [LayerSource::new("dos.yaml", star_pieces(200, "npm"))];
    let engine = guarded(move || Engine::compile(&src).unwrap());
    let now = jiff::Timestamp::UNIX_EPOCH;
    let long_a = "a".repeat(1023);
    for name in [format!("{long_a}c"), long_a.clone(), format!("b{long_a}")] {
        let req = request("npm", &name);
        let e = guarded({
            let engine = engine.clone();
            move || engine.evaluate(&req, now)
        });
        // Glob 0 (`*a` × 500) matches 1023 `a`s with anything but `/` around
        // them, unless the name ends in a character other than `a`.
        let expected = if name.ends_with('c') {
            Action::Allow
        } else {
            Action::Deny
        };
        assert_eq!(e.action, expected, "{}…", &name[..8]);
    }
}

/// Long globs without an ecosystem, each with a brace group whose
/// alternatives are not table patterns: compiled once per distinct
/// normalization, not once per ecosystem and alternative.
#[test]
fn long_globs_without_ecosystem_compile() {
    let mut s = String::from("schema_version: 1\nlayer: long\nrules:\n");
    for i in 0..300 {
        let mut g = format!("{{x,y,z,w}}{i}-");
        while g.len() < 1000 {
            g.push_str("*Ab_");
        }
        s.push_str(&format!(
            "  - id: l{i}\n    action: deny\n    reason: r\n    match: {{ package: \"{g}\" }}\n"
        ));
    }
    let src = [LayerSource::new("long.yaml", s)];
    let engine = guarded(move || Engine::compile(&src).unwrap());
    let now = jiff::Timestamp::UNIX_EPOCH;
    let name = format!("x7-{}", "Ab_".repeat(300));
    let npm = guarded({
        let (engine, req) = (engine.clone(), request("npm", &name));
        move || engine.evaluate(&req, now)
    });
    assert_eq!(npm.action, Action::Deny);
    let npm_other = guarded({
        let (engine, req) = (engine.clone(), request("npm", &format!("q{name}")));
        move || engine.evaluate(&req, now)
    });
    assert_eq!(npm_other.action, Action::Allow);
}
