//! Inputs built to make glob matching slow or compiling big (issue 18): many
//! `*a*a*…` globs against a long name, and long globs without an ecosystem.
//! Each case runs in its own thread and fails if it does not finish within
//! HANG_GUARD (a guard against hangs, not a timing check). Decisions are
//! worked out here, and compared with the reference evaluator (whose
//! dynamic-programming matcher is polynomial on these).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::mpsc;
use std::time::Duration;

use package_policy::reference::Reference;
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

/// `count` distinct short residue globs (`*a`, `?`, `*b`, `[ab]` pieces,
/// after `prefix`): no table takes them; without a prefix no literal lets
/// the prefilter skip one, with `ab` every name below holds theirs. They are
/// compiled together into multi-pattern automata (index/automaton.rs).
fn residue_globs(count: usize, prefix: &str) -> String {
    let pieces = ["*a", "?", "*b", "[ab]"];
    let mut s = String::from("schema_version: 1\nlayer: residue\nrules:\n");
    for i in 0..count {
        let g: String = (0..8).map(|k| pieces[(i >> (2 * k)) & 3]).collect();
        s.push_str(&format!(
            "  - id: r{i}\n    action: deny\n    reason: r\n    match: {{ ecosystem: npm, package: \"{prefix}{g}?*\" }}\n"
        ));
    }
    s
}

#[test]
fn many_residue_globs_against_long_names() {
    for prefix in ["", "ab"] {
        let src = [LayerSource::new(
            "residue.yaml",
            residue_globs(1000, prefix),
        )];
        let engine = guarded({
            let src = src.clone();
            move || Engine::compile(&src).unwrap()
        });
        let reference = Reference::compile(&src).unwrap();
        let now = jiff::Timestamp::UNIX_EPOCH;
        let a_b: String = (0..1021)
            .map(|j| if j % 3 == 0 { 'b' } else { 'a' })
            .collect();
        let names = [
            format!("ab{a_b}x"),
            format!("ab{}", "a".repeat(1022)),
            "abab".to_owned(),
        ];
        let mut denied = 0;
        for name in names {
            let req = request("npm", &name);
            let e = guarded({
                let (engine, req) = (engine.clone(), req.clone());
                move || engine.evaluate(&req, now)
            });
            assert_eq!(e, reference.evaluate(&req, now), "{prefix} {}…", &name[..8]);
            denied += usize::from(e.action == Action::Deny);
        }
        // Every glob ends in `?*`: the names of `a` and `b` match some.
        assert!(denied >= 2, "{prefix}: {denied}");
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
