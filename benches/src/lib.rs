//! Benchmark support for package_policy: a seeded workload generator
//! ([`workload`]), package names ([`names`]), the machine description
//! ([`machine`]) and, with the `peers` feature, the same workload for
//! regorus and cedar-policy ([`peers`]).

pub mod machine;
pub mod naive;
pub mod names;
pub mod out;
#[cfg(feature = "peers")]
pub mod peers;
pub mod workload;

pub use names::Names;
pub use workload::{Config, Kinds, Workload};

/// Generates the workload of `rules` rules with the kinds the engine accepts.
pub fn standard_workload(rules: usize, kinds: Kinds, names: &Names) -> Workload {
    let mut cfg = Config::new(rules);
    cfg.kinds = kinds;
    Workload::generate(&cfg, names)
}
