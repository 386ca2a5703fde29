//! A seeded generator of realistic layered policy sets and request streams.
//!
//! Shape of a policy set of N rules (outermost layer first):
//! - `feed-1`, `feed-2`, …: a malicious-package feed (OSV `MAL-*` shape): enforced
//!   deny rules on exact names, 60% for every version, 30% one exact version, 10% a
//!   range. Split into documents of at most [`FEED_CHUNK`] rules to stay under the
//!   64 MiB layer limit of POLICY_SPEC §8, as separate feeds would be.
//! - `instance`: namespace globs guarding against dependency confusion (`@acmeN/*`,
//!   `com.acmeN.*:*`, `*-acmeN-internal`, `acmeN-*`, `github.com/acmeN/*`), ~3% of N
//!   capped at 5,000; advisory range rules on popular packages (~2% of N); license
//!   rules; cooldown rules (`published_within`).
//! - `group`: allow exceptions (mirrored namespaces, vetted packages) and a
//!   `license_not_in` allowlist warning.
//! - `project`: allow exceptions scoped to a project, some with an expiry.
//!
//! Requests carry a version, a single SPDX id, a publish time and a project; about
//! 2% of them are decided by a deny/warn rule (see [`HitClass`]).

use std::collections::HashSet;
use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};
use package_policy::{Action, Ecosystem, Engine, LayerSource, Request, RequestInput};

use crate::names::{NameSource, Names};

/// Rules per feed layer document (~100 bytes each in YAML).
pub const FEED_CHUNK: usize = 250_000;

/// The rule counts the benches use.
pub const SIZES: [usize; 4] = [1_000, 10_000, 100_000, 1_000_000];

/// Which condition kinds the engine under test accepts (probed, see [`Kinds::probe`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Kinds {
    pub globs: bool,
    /// Version ranges, per ecosystem (indexed by [`Ecosystem::index`]).
    pub versions: [bool; 7],
    pub license: bool,
    pub license_not_in: bool,
    pub cooldown: bool,
    pub project: bool,
}

impl Kinds {
    pub const ALL: Kinds = Kinds {
        globs: true,
        versions: [true; 7],
        license: true,
        license_not_in: true,
        cooldown: true,
        project: true,
    };
    pub const NAMES_ONLY: Kinds = Kinds {
        globs: true,
        versions: [false; 7],
        license: false,
        license_not_in: false,
        cooldown: false,
        project: false,
    };

    fn versions_for(&self, eco: Ecosystem) -> bool {
        self.versions.get(eco.index()).copied().unwrap_or(false)
    }

    /// What `Engine::compile` accepts today: one tiny layer per kind.
    /// Returns the kinds and a note per kind it rejects.
    pub fn probe() -> (Kinds, Vec<String>) {
        let mut notes = Vec::new();
        let mut ok = |what: &str, cond: &str| {
            let yaml = format!(
                "schema_version: 1\nlayer: probe\nrules:\n  - {{id: p, action: warn, match: {cond}}}\n"
            );
            match Engine::compile(&[LayerSource::new("probe.yaml", yaml)]) {
                Ok(_) => true,
                Err(e) => {
                    notes.push(format!("{what}: {e}"));
                    false
                }
            }
        };
        let mut kinds = Kinds {
            globs: ok("globs", "{ecosystem: npm, package: \"@acme/*\"}"),
            versions: [false; 7],
            license: ok("license", "{license: [AGPL-3.0-only]}"),
            license_not_in: ok("license_not_in", "{license_not_in: [MIT]}"),
            cooldown: ok("published_within", "{published_within: 72h}"),
            project: ok("project", "{project: \"acme/*\"}"),
        };
        for eco in Ecosystem::ALL {
            let lo = Ver(1, 2, 0);
            let hi = Ver(1, 4, 0);
            let exact = VersionSpec::Exact(Ver(1, 2, 3)).render(eco);
            let range = VersionSpec::Range(lo, hi).render(eco);
            let both = ok(
                &format!("versions ({eco})"),
                &format!("{{ecosystem: {eco}, versions: {exact:?}}}"),
            ) && ok(
                &format!("versions ({eco})"),
                &format!("{{ecosystem: {eco}, versions: {range:?}}}"),
            );
            if let Some(slot) = kinds.versions.get_mut(eco.index()) {
                *slot = both;
            }
        }
        (kinds, notes)
    }
}

/// A plain `major.minor.patch` version: every ecosystem orders these alike, so
/// peers without ecosystem-specific orders (Rego's `semver.compare`) agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ver(pub u32, pub u32, pub u32);

impl Ver {
    /// `1.2.3`, or `v1.2.3` for Go.
    pub fn render(self, eco: Ecosystem) -> String {
        let Ver(a, b, c) = self;
        match eco {
            Ecosystem::Golang => format!("v{a}.{b}.{c}"),
            _ => format!("{a}.{b}.{c}"),
        }
    }

    pub fn semver(self) -> String {
        let Ver(a, b, c) = self;
        format!("{a}.{b}.{c}")
    }
}

/// A `versions` condition: one exact version, or the half-open range `[lo, hi)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSpec {
    Exact(Ver),
    Range(Ver, Ver),
}

impl VersionSpec {
    /// The ecosystem's native syntax, as a feed or an advisory would write it.
    pub fn render(self, eco: Ecosystem) -> String {
        let v = |x: Ver| x.render(eco);
        match (self, eco) {
            (VersionSpec::Exact(x), Ecosystem::Npm | Ecosystem::Maven) => v(x),
            (VersionSpec::Exact(x), Ecosystem::Pypi) => format!("=={}", v(x)),
            (VersionSpec::Exact(x), Ecosystem::Rubygems) => format!("= {}", v(x)),
            (VersionSpec::Exact(x), Ecosystem::Golang | Ecosystem::Cargo) => format!("={}", v(x)),
            (VersionSpec::Exact(x), Ecosystem::Nuget) => format!("[{}]", v(x)),
            (VersionSpec::Range(lo, hi), Ecosystem::Npm) => format!(">={} <{}", v(lo), v(hi)),
            (VersionSpec::Range(lo, hi), Ecosystem::Pypi) => format!(">={},<{}", v(lo), v(hi)),
            (VersionSpec::Range(lo, hi), Ecosystem::Maven) => format!("[{},{})", v(lo), v(hi)),
            (VersionSpec::Range(lo, hi), Ecosystem::Nuget) => format!("[{}, {})", v(lo), v(hi)),
            (VersionSpec::Range(lo, hi), Ecosystem::Rubygems) => {
                format!(">= {}, < {}", v(lo), v(hi))
            }
            (VersionSpec::Range(lo, hi), Ecosystem::Golang | Ecosystem::Cargo) => {
                format!(">={}, <{}", v(lo), v(hi))
            }
        }
    }

    pub fn contains(self, x: Ver) -> bool {
        match self {
            VersionSpec::Exact(v) => v == x,
            VersionSpec::Range(lo, hi) => lo <= x && x < hi,
        }
    }
}

/// A `package` condition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Package {
    Exact(String),
    Glob(String),
}

impl Package {
    pub fn text(&self) -> &str {
        match self {
            Package::Exact(s) | Package::Glob(s) => s,
        }
    }
}

/// One generated rule; every field maps onto POLICY_SPEC §2.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    pub id: String,
    pub action: Action,
    pub enforced: bool,
    pub reason: Option<String>,
    pub owner: Option<String>,
    pub ticket: Option<String>,
    pub expires: Option<Timestamp>,
    /// Empty: any ecosystem.
    pub ecosystems: Vec<Ecosystem>,
    pub package: Option<Package>,
    pub versions: Option<VersionSpec>,
    pub license: Vec<&'static str>,
    pub license_not_in: Vec<&'static str>,
    pub published_within_hours: Option<u32>,
    pub project: Option<String>,
}

impl RuleSpec {
    fn new(id: String, action: Action) -> RuleSpec {
        RuleSpec {
            id,
            action,
            enforced: false,
            reason: None,
            owner: None,
            ticket: None,
            expires: None,
            ecosystems: Vec::new(),
            package: None,
            versions: None,
            license: Vec::new(),
            license_not_in: Vec::new(),
            published_within_hours: None,
            project: None,
        }
    }

    /// Only ecosystem and package conditions (the subset Cedar is compared on).
    pub fn is_name_only(&self) -> bool {
        self.versions.is_none()
            && self.license.is_empty()
            && self.license_not_in.is_empty()
            && self.published_within_hours.is_none()
            && self.project.is_none()
            && self.expires.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct LayerSpec {
    pub name: String,
    pub default: Action,
    pub rules: Vec<RuleSpec>,
}

/// Why a request was generated; the decision itself comes from the engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HitClass {
    Clean,
    /// A popular package or a feed name at a version outside every rule.
    NearMiss,
    Feed,
    Glob,
    Range,
    License,
    Cooldown,
    /// Matches a deny rule that an allow exception suppresses.
    Excepted,
}

#[derive(Debug, Clone)]
pub struct RequestSpec {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: Option<Ver>,
    pub license: Option<&'static str>,
    pub published_at: Timestamp,
    pub project: String,
    pub class: HitClass,
}

impl RequestSpec {
    pub fn input(&self) -> RequestInput {
        RequestInput {
            ecosystem: self.ecosystem.as_str().to_owned(),
            name: self.name.clone(),
            version: self.version.map(|v| v.render(self.ecosystem)),
            license: self.license.map(str::to_owned),
            published_at: Some(self.published_at),
            project: Some(self.project.clone()),
            ..RequestInput::default()
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Config {
    pub rules: usize,
    pub requests: usize,
    pub seed: u64,
    pub kinds: Kinds,
}

impl Config {
    pub fn new(rules: usize) -> Config {
        Config {
            rules,
            requests: 10_000,
            seed: 0x00C0_FFEE,
            kinds: Kinds::ALL,
        }
    }
}

/// A generated policy set and request stream.
#[derive(Debug, Clone)]
pub struct Workload {
    pub layers: Vec<LayerSpec>,
    pub requests: Vec<RequestSpec>,
    /// The evaluation clock (fixed, so runs are reproducible).
    pub now: Timestamp,
    pub names: NameSource,
}

const PERMISSIVE: [&str; 8] = [
    "MIT",
    "Apache-2.0",
    "ISC",
    "BSD-3-Clause",
    "BSD-2-Clause",
    "0BSD",
    "Unlicense",
    "MPL-2.0",
];
const DENIED_LICENSES: [&str; 3] = ["AGPL-3.0-only", "AGPL-3.0-or-later", "SSPL-1.0"];
const WARNED_LICENSES: [&str; 2] = ["GPL-3.0-only", "GPL-2.0-only"];
const PROJECTS: [&str; 6] = [
    "acme/web",
    "acme/api",
    "acme/platform/infra",
    "acme/mobile",
    "beta/tools",
    "beta/data/etl",
];

/// Popular packages that advisory range rules target, per ecosystem.
const POPULAR: [(Ecosystem, &str); 40] = [
    (Ecosystem::Npm, "lodash"),
    (Ecosystem::Npm, "react"),
    (Ecosystem::Npm, "express"),
    (Ecosystem::Npm, "axios"),
    (Ecosystem::Npm, "moment"),
    (Ecosystem::Npm, "minimist"),
    (Ecosystem::Npm, "@babel/traverse"),
    (Ecosystem::Npm, "jsonwebtoken"),
    (Ecosystem::Npm, "ws"),
    (Ecosystem::Npm, "semver"),
    (Ecosystem::Pypi, "requests"),
    (Ecosystem::Pypi, "django"),
    (Ecosystem::Pypi, "urllib3"),
    (Ecosystem::Pypi, "pyyaml"),
    (Ecosystem::Pypi, "jinja2"),
    (Ecosystem::Pypi, "pillow"),
    (Ecosystem::Pypi, "cryptography"),
    (Ecosystem::Pypi, "numpy"),
    (
        Ecosystem::Maven,
        "com.fasterxml.jackson.core:jackson-databind",
    ),
    (Ecosystem::Maven, "org.apache.logging.log4j:log4j-core"),
    (Ecosystem::Maven, "org.springframework:spring-web"),
    (Ecosystem::Maven, "org.yaml:snakeyaml"),
    (Ecosystem::Maven, "commons-collections:commons-collections"),
    (Ecosystem::Rubygems, "rails"),
    (Ecosystem::Rubygems, "nokogiri"),
    (Ecosystem::Rubygems, "rack"),
    (Ecosystem::Rubygems, "activesupport"),
    (Ecosystem::Golang, "golang.org/x/net"),
    (Ecosystem::Golang, "golang.org/x/crypto"),
    (Ecosystem::Golang, "github.com/gin-gonic/gin"),
    (Ecosystem::Golang, "google.golang.org/grpc"),
    (Ecosystem::Nuget, "newtonsoft.json"),
    (Ecosystem::Nuget, "system.text.json"),
    (Ecosystem::Nuget, "log4net"),
    (Ecosystem::Cargo, "tokio"),
    (Ecosystem::Cargo, "hyper"),
    (Ecosystem::Cargo, "openssl"),
    (Ecosystem::Cargo, "regex"),
    (Ecosystem::Cargo, "time"),
    (Ecosystem::Cargo, "smallvec"),
];

/// The ecosystem mix of a malicious-package feed (mostly npm, then PyPI).
fn feed_ecosystem(rng: &mut fastrand::Rng) -> Ecosystem {
    match rng.u32(..100) {
        0..75 => Ecosystem::Npm,
        75..93 => Ecosystem::Pypi,
        93..95 => Ecosystem::Maven,
        95..97 => Ecosystem::Rubygems,
        97..98 => Ecosystem::Golang,
        98..99 => Ecosystem::Nuget,
        _ => Ecosystem::Cargo,
    }
}

/// The ecosystem mix of a registry proxy's traffic.
fn traffic_ecosystem(rng: &mut fastrand::Rng) -> Ecosystem {
    match rng.u32(..100) {
        0..55 => Ecosystem::Npm,
        55..75 => Ecosystem::Pypi,
        75..85 => Ecosystem::Maven,
        85..90 => Ecosystem::Rubygems,
        90..94 => Ecosystem::Golang,
        94..97 => Ecosystem::Nuget,
        _ => Ecosystem::Cargo,
    }
}

/// A plausible, already-normalized name of `eco` derived from an npm name.
pub fn derive_name(eco: Ecosystem, npm: &str) -> String {
    let (scope, base) = match npm.strip_prefix('@').and_then(|s| s.split_once('/')) {
        Some((scope, base)) => (Some(scope), base),
        None => (None, npm),
    };
    let collapse = |s: &str, sep: char| -> String {
        let mut out = String::with_capacity(s.len());
        let mut last_sep = true;
        for c in s.chars() {
            if matches!(c, '-' | '_' | '.') {
                if !last_sep {
                    out.push(sep);
                }
                last_sep = true;
            } else {
                out.push(c);
                last_sep = false;
            }
        }
        while out.ends_with(sep) {
            out.pop();
        }
        if out.is_empty() {
            out.push('x');
        }
        out
    };
    match eco {
        Ecosystem::Npm => npm.to_owned(),
        Ecosystem::Pypi => collapse(base, '-'),
        Ecosystem::Maven => format!(
            "{}:{}",
            scope.map_or_else(
                || "org.example".to_owned(),
                |s| format!("io.{}", collapse(s, '.'))
            ),
            collapse(base, '-')
        ),
        Ecosystem::Rubygems => collapse(base, '_'),
        Ecosystem::Golang => format!(
            "github.com/{}/{}",
            scope.map_or_else(|| "x".to_owned(), |s| collapse(s, '-')),
            collapse(base, '-')
        ),
        Ecosystem::Nuget => collapse(base, '.'),
        Ecosystem::Cargo => collapse(base, '-'),
    }
}

fn random_ver(rng: &mut fastrand::Rng, majors: std::ops::Range<u32>) -> Ver {
    Ver(rng.u32(majors), rng.u32(..20), rng.u32(..30))
}

/// A glob of kind `i % 5` and a name it matches.
fn namespace_glob(i: usize, word: &str) -> (Ecosystem, String, String) {
    let n = i / 5;
    match i % 5 {
        0 => (
            Ecosystem::Npm,
            format!("@acme{n}/*"),
            format!("@acme{n}/{word}"),
        ),
        1 => (
            Ecosystem::Maven,
            format!("com.acme{n}.*:*"),
            format!("com.acme{n}.svc:{word}"),
        ),
        2 => {
            let eco = [Ecosystem::Npm, Ecosystem::Pypi, Ecosystem::Cargo]
                .get(n % 3)
                .copied()
                .unwrap_or(Ecosystem::Npm);
            (
                eco,
                format!("*-acme{n}-internal"),
                format!("{word}-acme{n}-internal"),
            )
        }
        3 => (
            Ecosystem::Pypi,
            format!("acme{n}-*"),
            format!("acme{n}-{word}"),
        ),
        _ => (
            Ecosystem::Golang,
            format!("github.com/acme{n}/*"),
            format!("github.com/acme{n}/{word}"),
        ),
    }
}

/// How many names [`Workload::generate`] draws from the pool for `cfg`.
pub fn names_needed(cfg: &Config) -> usize {
    cfg.rules + cfg.requests.min(20_000) + 1_000
}

struct Generator<'a> {
    rng: fastrand::Rng,
    pool: &'a [String],
    next_name: usize,
}

impl Generator<'_> {
    fn npm_name(&mut self) -> String {
        let name = self
            .pool
            .get(self.next_name % self.pool.len().max(1))
            .cloned()
            .unwrap_or_else(|| format!("pkg{}", self.next_name));
        self.next_name += 1;
        name
    }

    fn word(&mut self) -> String {
        let n = self.npm_name();
        derive_name(Ecosystem::Cargo, &n)
    }

    fn pick<'b, T>(&mut self, xs: &'b [T]) -> Option<&'b T> {
        if xs.is_empty() {
            None
        } else {
            xs.get(self.rng.usize(..xs.len()))
        }
    }
}

impl Workload {
    /// Generates the policy set and request stream for `cfg` from `names`.
    pub fn generate(cfg: &Config, names: &Names) -> Workload {
        let now: Timestamp = "2026-11-25T12:00:00Z"
            .parse()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let kinds = cfg.kinds;
        let mut g = Generator {
            rng: fastrand::Rng::with_seed(cfg.seed ^ cfg.rules as u64),
            pool: &names.names,
            next_name: 0,
        };
        let n = cfg.rules.max(100);
        let n_glob = if kinds.globs {
            (n * 3 / 100).clamp(20, 5_000)
        } else {
            0
        };
        let n_range = (n * 2 / 100).max(10);
        let n_allow = (n / 200).max(10);
        let mut instance = Vec::new();
        let mut group = Vec::new();
        let mut project = Vec::new();
        // Every exact (ecosystem, name) a rule names: clean requests avoid them.
        let mut taken: HashSet<(Ecosystem, String)> = HashSet::new();

        // Namespace globs.
        let mut globs = Vec::with_capacity(n_glob);
        for i in 0..n_glob {
            let (eco, pattern, _) = namespace_glob(i, "");
            let mut r = RuleSpec::new(format!("internal-namespace-{i}"), Action::Deny);
            r.reason = Some("internal namespace: served by the internal registry only".into());
            r.ecosystems = vec![eco];
            r.package = Some(Package::Glob(pattern));
            globs.push(i);
            instance.push(r);
        }

        // Advisory ranges on popular packages (and, at scale, on more packages).
        let mut range_pkgs: Vec<(Ecosystem, String)> = POPULAR
            .iter()
            .filter(|(e, _)| kinds.versions_for(*e))
            .map(|(e, p)| (*e, (*p).to_owned()))
            .collect();
        if kinds.versions_for(Ecosystem::Npm) {
            while range_pkgs.len() < n_range / 10 {
                let name = g.npm_name();
                range_pkgs.push((Ecosystem::Npm, name));
            }
        }
        let mut ranges = Vec::new();
        if !range_pkgs.is_empty() {
            for i in 0..n_range {
                let Some((eco, pkg)) = g.pick(&range_pkgs).cloned() else {
                    break;
                };
                let lo = Ver(g.rng.u32(..20), g.rng.u32(..20), 0);
                let hi = Ver(lo.0, lo.1 + g.rng.u32(1..4), 0);
                let action = if g.rng.u8(..10) < 8 {
                    Action::Deny
                } else {
                    Action::Warn
                };
                let mut r = RuleSpec::new(format!("GHSA-{i:04x}-adv"), action);
                r.reason = Some(format!("vulnerable {pkg} {lo:?}..{hi:?}"));
                r.ecosystems = vec![eco];
                r.versions = Some(VersionSpec::Range(lo, hi));
                r.package = Some(Package::Exact(pkg.clone()));
                taken.insert((eco, pkg));
                ranges.push(instance.len());
                instance.push(r);
            }
        }

        // License and cooldown rules.
        if kinds.license {
            let mut r = RuleSpec::new("no-network-copyleft".into(), Action::Deny);
            r.reason = Some("network copyleft licenses are not allowed".into());
            r.license = DENIED_LICENSES.to_vec();
            instance.push(r);
            let mut r = RuleSpec::new("review-gpl".into(), Action::Warn);
            r.reason = Some("GPL: ask legal".into());
            r.license = WARNED_LICENSES.to_vec();
            instance.push(r);
        }
        if kinds.cooldown {
            for eco in Ecosystem::ALL {
                let mut r = RuleSpec::new(format!("cooldown-{eco}"), Action::Warn);
                r.reason = Some("published less than 3 days ago".into());
                r.ecosystems = vec![eco];
                r.published_within_hours = Some(72);
                instance.push(r);
            }
            let mut r = RuleSpec::new("cooldown-hard".into(), Action::Deny);
            r.reason = Some("published less than a day ago".into());
            r.ecosystems = vec![Ecosystem::Npm, Ecosystem::Pypi];
            r.published_within_hours = Some(24);
            instance.push(r);
        }

        // Group: allow exceptions and the license allowlist.
        let mut excepted_globs = Vec::new();
        for k in 0..(n_allow / 2).min(n_glob / 2) {
            let i = k * 2;
            let (eco, pattern, _) = namespace_glob(i, "");
            let mut r = RuleSpec::new(format!("mirrored-{i}"), Action::Allow);
            r.reason = Some("mirrored in the internal registry".into());
            r.owner = Some("platform@acme.example".into());
            r.ecosystems = vec![eco];
            r.package = Some(Package::Glob(pattern));
            excepted_globs.push(i);
            group.push(r);
        }
        let mut vetted = Vec::new();
        while vetted.len() < n_allow / 4 {
            let eco = traffic_ecosystem(&mut g.rng);
            let npm = g.npm_name();
            let name = derive_name(eco, &npm);
            if !taken.insert((eco, name.clone())) {
                continue;
            }
            let mut r = RuleSpec::new(format!("vetted-{}", group.len()), Action::Allow);
            r.ecosystems = vec![eco];
            r.package = Some(Package::Exact(name.clone()));
            r.ticket = Some(format!("LEGAL-{}", group.len()));
            vetted.push((eco, name));
            group.push(r);
        }
        if kinds.license_not_in {
            let mut r = RuleSpec::new("license-allowlist".into(), Action::Warn);
            r.reason = Some("license outside the allowlist".into());
            r.license_not_in = PERMISSIVE.to_vec();
            r.license_not_in.extend(WARNED_LICENSES);
            r.license_not_in.extend(DENIED_LICENSES);
            group.push(r);
        }

        // Project: exceptions for one project, some expiring.
        let mut project_exceptions = Vec::new();
        if kinds.project {
            for k in 0..(n_allow / 4).max(1) {
                let Some(&ri) = g.pick(&ranges) else { break };
                let Some(rule) = instance.get(ri) else { break };
                let mut r = RuleSpec::new(format!("web-exception-{k}"), Action::Allow);
                r.ecosystems.clone_from(&rule.ecosystems);
                r.package.clone_from(&rule.package);
                r.versions = rule.versions;
                r.project = Some("acme/web".into());
                r.owner = Some("web-team@acme.example".into());
                r.ticket = Some(format!("SEC-{}", 1000 + k));
                if k % 2 == 0 {
                    r.expires = "2027-06-30T00:00:00Z".parse().ok();
                }
                project_exceptions.push(ri);
                project.push(r);
            }
        }

        // The feed fills the rest.
        let fixed = instance.len() + group.len() + project.len();
        let n_feed = cfg.rules.saturating_sub(fixed);
        let mut feed = Vec::with_capacity(n_feed);
        while feed.len() < n_feed {
            let eco = feed_ecosystem(&mut g.rng);
            let npm = g.npm_name();
            let name = derive_name(eco, &npm);
            if !taken.insert((eco, name.clone())) {
                continue;
            }
            let i = feed.len();
            let mut r = RuleSpec::new(format!("MAL-2025-{i}"), Action::Deny);
            r.enforced = true;
            r.reason = Some(format!("Malicious code in {name} ({eco})"));
            r.ecosystems = vec![eco];
            if kinds.versions_for(eco) {
                r.versions = match g.rng.u8(..10) {
                    0..6 => None,
                    6..9 => Some(VersionSpec::Exact(random_ver(&mut g.rng, 0..10))),
                    _ => {
                        let lo = random_ver(&mut g.rng, 0..10);
                        Some(VersionSpec::Range(lo, Ver(lo.0 + 1, 0, 0)))
                    }
                };
            }
            r.package = Some(Package::Exact(name));
            feed.push(r);
        }

        let mut layers = Vec::new();
        let mut feed_iter = feed.into_iter().peekable();
        let mut k = 1;
        while feed_iter.peek().is_some() {
            let rules: Vec<RuleSpec> = feed_iter.by_ref().take(FEED_CHUNK).collect();
            layers.push(LayerSpec {
                name: format!("feed-{k}"),
                default: Action::Allow,
                rules,
            });
            k += 1;
        }
        let feed_layers = layers.len();
        layers.push(LayerSpec {
            name: "instance".into(),
            default: Action::Allow,
            rules: instance,
        });
        layers.push(LayerSpec {
            name: "group".into(),
            default: Action::Allow,
            rules: group,
        });
        layers.push(LayerSpec {
            name: "project".into(),
            default: Action::Allow,
            rules: project,
        });

        // Requests.
        let feed_rules: Vec<&RuleSpec> = layers
            .iter()
            .take(feed_layers)
            .flat_map(|l| l.rules.iter())
            .collect();
        let instance_rules = layers.get(feed_layers).map_or(&[][..], |l| &l.rules[..]);
        let clean_start = g.next_name;
        let clean_pool: Vec<String> = names
            .names
            .iter()
            .cycle()
            .skip(clean_start)
            .take(cfg.requests.min(20_000))
            .cloned()
            .collect();
        let mut requests = Vec::with_capacity(cfg.requests);
        while requests.len() < cfg.requests {
            let roll = g.rng.u32(..10_000);
            let eco = traffic_ecosystem(&mut g.rng);
            let mut req = RequestSpec {
                ecosystem: eco,
                name: String::new(),
                version: if g.rng.u8(..100) < 95 {
                    Some(random_ver(&mut g.rng, 0..40))
                } else {
                    None
                },
                license: Some(weighted_license(&mut g.rng)),
                published_at: now
                    .checked_sub(SignedDuration::from_hours(24 * g.rng.i64(30..2_000)))
                    .unwrap_or(now),
                project: g.pick(&PROJECTS).copied().unwrap_or("acme/web").to_owned(),
                class: HitClass::Clean,
            };
            let clean_name = |g: &mut Generator, eco: Ecosystem| -> Option<String> {
                let npm = g.pick(&clean_pool)?.clone();
                let name = derive_name(eco, &npm);
                (!taken.contains(&(eco, name.clone()))).then_some(name)
            };
            match roll {
                0..100 => {
                    let Some(r) = g.pick(&feed_rules) else {
                        continue;
                    };
                    req.ecosystem = r.ecosystems.first().copied().unwrap_or(Ecosystem::Npm);
                    req.name = r
                        .package
                        .as_ref()
                        .map(|p| p.text().to_owned())
                        .unwrap_or_default();
                    match r.versions {
                        Some(VersionSpec::Exact(v) | VersionSpec::Range(v, _)) => {
                            req.version = Some(v);
                        }
                        None => {}
                    }
                    req.class = HitClass::Feed;
                }
                100..140 if n_glob > 0 => {
                    let i = g.rng.usize(..n_glob);
                    if excepted_globs.contains(&i) {
                        continue;
                    }
                    let word = g.word();
                    let (e, _, name) = namespace_glob(i, &word);
                    req.ecosystem = e;
                    req.name = name;
                    req.class = HitClass::Glob;
                }
                140..170 if !ranges.is_empty() => {
                    let Some(&ri) = g.pick(&ranges) else { continue };
                    let Some(r) = instance_rules.get(ri) else {
                        continue;
                    };
                    req.ecosystem = r.ecosystems.first().copied().unwrap_or(Ecosystem::Npm);
                    req.name = r
                        .package
                        .as_ref()
                        .map(|p| p.text().to_owned())
                        .unwrap_or_default();
                    if let Some(VersionSpec::Range(lo, _) | VersionSpec::Exact(lo)) = r.versions {
                        req.version = Some(lo);
                    }
                    if req.project == "acme/web" {
                        req.project = "acme/api".into();
                    }
                    req.class = HitClass::Range;
                }
                170..190 if kinds.license => {
                    let Some(name) = clean_name(&mut g, eco) else {
                        continue;
                    };
                    req.name = name;
                    let bad = [DENIED_LICENSES[0], WARNED_LICENSES[0]];
                    req.license = g.pick(&bad).copied();
                    req.class = HitClass::License;
                }
                190..200 if kinds.cooldown => {
                    let Some(name) = clean_name(&mut g, eco) else {
                        continue;
                    };
                    req.name = name;
                    req.published_at = now
                        .checked_sub(SignedDuration::from_mins(g.rng.i64(10..60 * 60)))
                        .unwrap_or(now);
                    req.class = HitClass::Cooldown;
                }
                200..260 => {
                    // An exception: a mirrored namespace, a vetted package or a project waiver.
                    match g.rng.u8(..3) {
                        0 if !excepted_globs.is_empty() => {
                            let Some(&i) = g.pick(&excepted_globs) else {
                                continue;
                            };
                            let word = g.word();
                            let (e, _, name) = namespace_glob(i, &word);
                            req.ecosystem = e;
                            req.name = name;
                        }
                        1 if !vetted.is_empty() => {
                            let Some((e, name)) = g.pick(&vetted).cloned() else {
                                continue;
                            };
                            req.ecosystem = e;
                            req.name = name;
                            if kinds.license {
                                req.license = Some(WARNED_LICENSES[0]);
                            }
                        }
                        _ if !project_exceptions.is_empty() => {
                            let Some(&ri) = g.pick(&project_exceptions) else {
                                continue;
                            };
                            let Some(r) = instance_rules.get(ri) else {
                                continue;
                            };
                            req.ecosystem = r.ecosystems.first().copied().unwrap_or(Ecosystem::Npm);
                            req.name = r
                                .package
                                .as_ref()
                                .map(|p| p.text().to_owned())
                                .unwrap_or_default();
                            if let Some(VersionSpec::Range(lo, _) | VersionSpec::Exact(lo)) =
                                r.versions
                            {
                                req.version = Some(lo);
                            }
                            req.project = "acme/web".into();
                        }
                        _ => continue,
                    }
                    req.class = HitClass::Excepted;
                }
                260..1_500 if !range_pkgs.is_empty() => {
                    // Popular packages at current versions (majors above every range).
                    let Some((e, name)) = g.pick(&range_pkgs).cloned() else {
                        continue;
                    };
                    req.ecosystem = e;
                    req.name = name;
                    req.version = Some(random_ver(&mut g.rng, 40..60));
                    req.class = HitClass::NearMiss;
                }
                _ => {
                    let Some(name) = clean_name(&mut g, eco) else {
                        continue;
                    };
                    req.name = name;
                }
            }
            if req.name.is_empty() {
                continue;
            }
            requests.push(req);
        }
        Workload {
            layers,
            requests,
            now,
            names: names.source,
        }
    }

    pub fn rule_count(&self) -> usize {
        self.layers.iter().map(|l| l.rules.len()).sum()
    }

    /// The same policy set restricted to deny rules on ecosystem and package
    /// alone, with no allow exceptions: what Cedar is compared on.
    pub fn name_only(&self) -> Workload {
        let layers = self
            .layers
            .iter()
            .map(|l| LayerSpec {
                name: l.name.clone(),
                default: l.default,
                rules: l
                    .rules
                    .iter()
                    .filter(|r| r.action == Action::Deny && r.package.is_some() && r.is_name_only())
                    .cloned()
                    .collect(),
            })
            .collect();
        Workload {
            layers,
            requests: self.requests.clone(),
            now: self.now,
            names: self.names,
        }
    }

    /// One YAML document per layer, rules in flow style (as generated feeds are).
    pub fn yaml_sources(&self) -> Vec<LayerSource> {
        self.layers
            .iter()
            .map(|l| LayerSource::new(format!("{}.yaml", l.name), render_yaml(l)))
            .collect()
    }

    /// The same documents as JSON (a YAML 1.2 subset the engine reads alike).
    pub fn json_sources(&self) -> Vec<LayerSource> {
        self.layers
            .iter()
            .map(|l| LayerSource::new(format!("{}.json", l.name), render_json(l)))
            .collect()
    }

    /// The requests, validated and normalized once.
    pub fn engine_requests(&self) -> Result<Vec<Request>, package_policy::RequestError> {
        self.requests
            .iter()
            .map(|r| Request::new(r.input()))
            .collect()
    }
}

fn weighted_license(rng: &mut fastrand::Rng) -> &'static str {
    match rng.u8(..100) {
        0..50 => "MIT",
        50..70 => "Apache-2.0",
        70..85 => "ISC",
        85..95 => "BSD-3-Clause",
        _ => "BSD-2-Clause",
    }
}

fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| String::from("\"\""))
}

fn list(xs: &[&str]) -> String {
    let items: Vec<String> = xs.iter().map(|x| q(x)).collect();
    format!("[{}]", items.join(", "))
}

/// `key: value` pairs of a rule, values already rendered as JSON/YAML flow scalars.
/// `key: value` pairs, values rendered as JSON (also valid YAML flow) scalars.
type Fields = Vec<(&'static str, String)>;

fn rule_fields(r: &RuleSpec) -> (Fields, Fields) {
    let mut top = vec![("id", q(&r.id)), ("action", q(r.action.as_str()))];
    if r.enforced {
        top.push(("enforced", "true".into()));
    }
    if let Some(s) = &r.reason {
        top.push(("reason", q(s)));
    }
    if let Some(s) = &r.owner {
        top.push(("owner", q(s)));
    }
    if let Some(s) = &r.ticket {
        top.push(("ticket", q(s)));
    }
    if let Some(t) = r.expires {
        top.push(("expires", q(&t.to_string())));
    }
    let mut m = Vec::new();
    match r.ecosystems.as_slice() {
        [] => {}
        [one] => m.push(("ecosystem", q(one.as_str()))),
        many => {
            let names: Vec<&str> = many.iter().map(|e| e.as_str()).collect();
            m.push(("ecosystem", list(&names)));
        }
    }
    if let Some(p) = &r.package {
        m.push(("package", q(p.text())));
    }
    if let (Some(v), Some(eco)) = (r.versions, r.ecosystems.first()) {
        m.push(("versions", q(&v.render(*eco))));
    }
    if !r.license.is_empty() {
        m.push(("license", list(&r.license)));
    }
    if !r.license_not_in.is_empty() {
        m.push(("license_not_in", list(&r.license_not_in)));
    }
    if let Some(h) = r.published_within_hours {
        m.push(("published_within", q(&format!("{h}h"))));
    }
    if let Some(p) = &r.project {
        m.push(("project", q(p)));
    }
    (top, m)
}

fn join(fields: &[(&str, String)], quote_keys: bool) -> String {
    let parts: Vec<String> = fields
        .iter()
        .map(|(k, v)| {
            if quote_keys {
                format!("\"{k}\": {v}")
            } else {
                format!("{k}: {v}")
            }
        })
        .collect();
    parts.join(", ")
}

fn render_yaml(l: &LayerSpec) -> String {
    let mut out = String::with_capacity(64 + l.rules.len() * 120);
    let _ = writeln!(
        out,
        "schema_version: 1\nlayer: {}\ndefault: {}\nrules:",
        q(&l.name),
        l.default.as_str()
    );
    if l.rules.is_empty() {
        out.push_str("  []\n");
    }
    for r in &l.rules {
        let (top, m) = rule_fields(r);
        let _ = writeln!(
            out,
            "  - {{{}, match: {{{}}}}}",
            join(&top, false),
            join(&m, false)
        );
    }
    out
}

fn render_json(l: &LayerSpec) -> String {
    let mut out = String::with_capacity(64 + l.rules.len() * 130);
    let _ = write!(
        out,
        "{{\"schema_version\": 1, \"layer\": {}, \"default\": {}, \"rules\": [",
        q(&l.name),
        q(l.default.as_str())
    );
    for (i, r) in l.rules.iter().enumerate() {
        let (top, m) = rule_fields(r);
        let _ = write!(
            out,
            "{}\n{{{}, \"match\": {{{}}}}}",
            if i == 0 { "" } else { "," },
            join(&top, true),
            join(&m, true)
        );
    }
    out.push_str("\n]}\n");
    out
}
