//! The core's bad-input corpus (crates/package-policy/tests/bad_inputs/)
//! through `package-policy check`: exit 1 and a `FILE:LINE:COL: message` line
//! for each, with the line the case expects.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use tempfile::TempDir;

#[test]
fn check_reports_every_bad_input_with_a_position() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../package-policy/tests/bad_inputs");
    let mut paths: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 20, "corpus missing: {}", paths.len());
    let dir = TempDir::new().unwrap();
    let mut failures = Vec::new();
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let expected_line = text
            .lines()
            .next()
            .and_then(|l| l.split_whitespace().find_map(|w| w.strip_prefix("line=")))
            .map(|n| n.parse::<usize>().unwrap());
        // One file per layer, each keeping its line numbers in the original.
        let mut files = Vec::new();
        let mut lines_before = 0;
        for (i, part) in text.split("--- # next layer\n").enumerate() {
            let file = dir.path().join(format!("{i}-{name}"));
            std::fs::write(&file, format!("{}{part}", "\n".repeat(lines_before))).unwrap();
            lines_before += part.matches('\n').count() + 1;
            files.push(file);
        }
        let out = Command::cargo_bin("package-policy")
            .unwrap()
            .arg("check")
            .args(&files)
            .timeout(Duration::from_secs(10))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(1) {
            failures.push(format!(
                "{name}: exit {:?}, stderr {stderr}",
                out.status.code()
            ));
            continue;
        }
        // FILE:LINE:COL: message
        let located = stderr.lines().find_map(|l| {
            let mut parts = l.rsplit(".yaml:").next()?.splitn(3, ':');
            let line = parts.next()?.parse::<usize>().ok()?;
            let _column = parts.next()?.parse::<usize>().ok()?;
            Some(line)
        });
        match (located, expected_line) {
            (None, _) => failures.push(format!("{name}: no FILE:LINE:COL in {stderr}")),
            (Some(l), Some(e)) if l != e => {
                failures.push(format!("{name}: line {l}, expected {e}: {stderr}"))
            }
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
