//! Where a bench run leaves its side results (workload statistics, heap
//! figures, cross-checks) for the report: `PP_BENCH_OUT` or target/bench-report.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

pub fn out_dir() -> PathBuf {
    std::env::var("PP_BENCH_OUT").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-report"),
        PathBuf::from,
    )
}

/// Writes `value` as `<out_dir>/<name>.json`.
pub fn write_json<T: Serialize>(name: &str, value: &T) -> std::io::Result<()> {
    let dir = out_dir();
    std::fs::create_dir_all(&dir)?;
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    std::fs::write(dir.join(format!("{name}.json")), text)
}

pub fn read_json<T: for<'de> Deserialize<'de>>(name: &str) -> Option<T> {
    let text = std::fs::read_to_string(out_dir().join(format!("{name}.json"))).ok()?;
    serde_json::from_str(&text).ok()
}

/// What one generated workload contains and how the engine decided its stream.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct WorkloadStats {
    pub rules: usize,
    /// (layer, rules) in order.
    pub layers: Vec<(String, usize)>,
    pub globs: usize,
    pub versioned: usize,
    pub allows: usize,
    pub yaml_bytes: usize,
    pub requests: usize,
    /// Share of requests whose action came from a deny/warn rule.
    pub denied_or_warned: f64,
    /// Share of requests that any rule matched (including suppressed ones).
    pub any_rule: f64,
    pub names: String,
    /// Condition kinds the engine rejected when the run was made.
    pub missing_kinds: Vec<String>,
    /// Requests on which the engine and the naive evaluator were compared.
    pub cross_checked: usize,
}
