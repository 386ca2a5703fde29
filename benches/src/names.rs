//! Package names for workloads: real npm names when `all-the-package-names` is
//! installed (bin/bench installs it under target/, never committed), else a
//! seeded synthetic list with the same rough shape (~40% scoped, hyphenated words).

use std::path::{Path, PathBuf};

/// Where the names came from, for the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameSource {
    /// The npm package `all-the-package-names`.
    Npm,
    Synthetic,
}

impl NameSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NameSource::Npm => "all-the-package-names (real npm names)",
            NameSource::Synthetic => "synthetic (seeded)",
        }
    }
}

/// A pool of distinct, valid npm-style names, in a seeded random order.
#[derive(Debug, Clone)]
pub struct Names {
    pub source: NameSource,
    pub names: Vec<String>,
}

/// `PP_BENCH_NAMES` or the place bin/bench installs the npm package.
pub fn default_names_path() -> PathBuf {
    if let Ok(p) = std::env::var("PP_BENCH_NAMES") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../target/bench-data/node_modules/all-the-package-names/names.json")
}

/// A usable request name: no whitespace or control characters, sane length,
/// and not the odd junk entries (leading `-`/`.`) of the registry's history.
fn usable(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 100
        && !name.starts_with(['-', '.', '_'])
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-._@/".contains(&b))
        && name.matches('/').count() <= usize::from(name.starts_with('@'))
}

impl Names {
    /// At least `want` names: real ones if the npm list is installed, else synthetic.
    pub fn load(want: usize, seed: u64) -> Names {
        match Self::from_npm_list(&default_names_path(), seed) {
            Some(n) if n.names.len() >= want => n,
            _ => Self::synthetic(want, seed),
        }
    }

    fn from_npm_list(path: &Path, seed: u64) -> Option<Names> {
        let text = std::fs::read_to_string(path).ok()?;
        let all: Vec<String> = serde_json::from_str(&text).ok()?;
        let mut names: Vec<String> = all.into_iter().filter(|n| usable(n)).collect();
        fastrand::Rng::with_seed(seed).shuffle(&mut names);
        Some(Names {
            source: NameSource::Npm,
            names,
        })
    }

    /// `want` distinct names built from syllables, ~40% of them scoped.
    pub fn synthetic(want: usize, seed: u64) -> Names {
        const SYL: [&str; 24] = [
            "re", "act", "lo", "dash", "ex", "press", "vue", "node", "web", "pack", "mo", "ment",
            "axi", "os", "type", "script", "jest", "lint", "core", "util", "data", "fire", "net",
            "io",
        ];
        const SUFFIX: [&str; 8] = [
            "", "-js", "-utils", "-cli", "-plugin", "-core", "2", "-lite",
        ];
        let mut rng = fastrand::Rng::with_seed(seed ^ 0x5eed);
        let mut seen = std::collections::HashSet::with_capacity(want);
        let mut names = Vec::with_capacity(want);
        let word = |rng: &mut fastrand::Rng| -> String {
            let n = rng.usize(2..5);
            (0..n)
                .map(|_| SYL.get(rng.usize(..SYL.len())).copied().unwrap_or("x"))
                .collect()
        };
        while names.len() < want {
            let base = format!(
                "{}{}{}",
                word(&mut rng),
                if rng.bool() { "-" } else { "" },
                word(&mut rng)
            );
            let suffix = SUFFIX.get(rng.usize(..SUFFIX.len())).copied().unwrap_or("");
            let name = if rng.u8(..100) < 40 {
                format!("@{}/{base}{suffix}", word(&mut rng))
            } else {
                format!("{base}{suffix}{}", rng.u32(..1000))
            };
            if seen.insert(name.clone()) {
                names.push(name);
            }
        }
        Names {
            source: NameSource::Synthetic,
            names,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_names_are_distinct_usable_and_seeded() {
        let a = Names::synthetic(2_000, 7);
        let b = Names::synthetic(2_000, 7);
        assert_eq!(a.names, b.names);
        let set: std::collections::HashSet<_> = a.names.iter().collect();
        assert_eq!(set.len(), 2_000);
        assert!(a.names.iter().all(|n| usable(n)), "{:?}", a.names.first());
        let scoped = a.names.iter().filter(|n| n.starts_with('@')).count();
        assert!((600..1_000).contains(&scoped), "{scoped}");
    }

    #[test]
    fn junk_names_are_skipped() {
        assert!(usable("lodash"));
        assert!(usable("@babel/core"));
        assert!(!usable("-----hsad-----"));
        assert!(!usable("Upper"));
        assert!(!usable("a/b/c"));
        assert!(!usable("has space"));
    }
}
