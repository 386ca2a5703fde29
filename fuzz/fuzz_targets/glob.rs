//! Glob patterns from arbitrary text: compiling never panics, and whenever a
//! pattern compiles, the compiled engine and the naive reference evaluator
//! agree on every request name tried against it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use package_policy::reference::Reference;
use package_policy::{Engine, LayerSource, Request, RequestInput};

const ECOSYSTEMS: [&str; 7] = ["npm", "pypi", "maven", "rubygems", "golang", "nuget", "cargo"];

/// A YAML double-quoted scalar holding `s` exactly.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || " -_./*?[]{},@:!^~+".contains(c) {
            out.push(c);
        } else if u32::from(c) <= 0xFFFF {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push_str(&format!("\\U{:08X}", u32::from(c)));
        }
    }
    out.push('"');
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut lines = text.split('\n');
    let Some(pattern) = lines.next() else {
        return;
    };
    let eco = ECOSYSTEMS[usize::from(selector) % ECOSYSTEMS.len()];
    let yaml = format!(
        "schema_version: 1\nlayer: f\nrules:\n  - id: g\n    action: deny\n    match: {{ ecosystem: {eco}, package: {} }}\n",
        quoted(pattern)
    );
    let sources = [LayerSource::new("glob.yaml", yaml)];
    let engine = Engine::compile(&sources);
    let reference = Reference::compile(&sources);
    assert_eq!(engine.is_ok(), reference.is_ok(), "{pattern:?}");
    let (Ok(engine), Ok(reference)) = (engine, reference) else {
        return;
    };
    let now = jiff::Timestamp::UNIX_EPOCH;
    for name in lines.take(8) {
        let Ok(request) = Request::new(RequestInput {
            ecosystem: eco.into(),
            name: name.into(),
            ..RequestInput::default()
        }) else {
            continue;
        };
        assert_eq!(
            engine.evaluate(&request, now),
            reference.evaluate(&request, now),
            "{eco} pattern {pattern:?} name {name:?}"
        );
    }
});
