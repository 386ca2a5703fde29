#![no_main]
include!("common.rs");

// No input panics; a vers URI of npm, cargo, golang or nuget that parses
// renders back to itself as a set. (The other types' round trip depends on
// their schemes' Display; tests/fuzz_regressions.rs has a RubyGems case.)
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if text.len() > 4096 {
        return;
    }
    let Ok((eco, set)) = vers::parse(text) else {
        return;
    };
    let mine = [
        Ecosystem::Npm,
        Ecosystem::Cargo,
        Ecosystem::Golang,
        Ecosystem::Nuget,
    ];
    if mine.contains(&eco) {
        let shown = set.to_string();
        assert_eq!(
            vers::parse(&shown),
            Ok((eco, set)),
            "{text:?} renders as {shown:?}"
        );
    }
});
