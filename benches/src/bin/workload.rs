//! Writes one generated workload to a directory, for benches outside Rust (the
//! Ruby gem's): `workload RULES DIR` → DIR/NN-LAYER.yaml (in policy-set order),
//! DIR/requests.jsonl (one request per line, POLICY_SPEC §5 fields) and
//! DIR/meta.json (`now`, rule count, names source).

use std::io::Write as _;
use std::path::PathBuf;

use package_policy_benches::workload::{self, Kinds};
use package_policy_benches::{standard_workload, Names};
use serde_json::json;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(rules), Some(dir)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
    ) else {
        eprintln!("usage: workload RULES DIR");
        std::process::exit(2);
    };
    if let Err(e) = run(rules, &dir) {
        eprintln!("{}: {e}", dir.display());
        std::process::exit(1);
    }
}

fn run(rules: usize, dir: &std::path::Path) -> std::io::Result<()> {
    let (kinds, _) = Kinds::probe();
    let mut cfg = package_policy_benches::Config::new(rules);
    cfg.kinds = kinds;
    let names = Names::load(workload::names_needed(&cfg), 42);
    let w = standard_workload(rules, kinds, &names);
    std::fs::create_dir_all(dir)?;
    for (i, src) in w.yaml_sources().iter().enumerate() {
        std::fs::write(dir.join(format!("{i:02}-{}", src.name)), &src.text)?;
    }
    let mut out = std::io::BufWriter::new(std::fs::File::create(dir.join("requests.jsonl"))?);
    for r in &w.requests {
        let i = r.input();
        let line = json!({
            "ecosystem": i.ecosystem,
            "name": i.name,
            "version": i.version,
            "license": i.license,
            "published_at": i.published_at.map(|t| t.to_string()),
            "project": i.project,
        });
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    let meta =
        json!({"now": w.now.to_string(), "rules": w.rule_count(), "names": w.names.as_str()});
    std::fs::write(dir.join("meta.json"), meta.to_string())
}
