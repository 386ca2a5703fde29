//! Random layered policies and requests for the differential tests (engine
//! vs. reference, stacked vs. flat). Names come from a tiny alphabet so that
//! globs, normalization and suppression interact often.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};
use package_policy::{AttrValue, Ecosystem, ProvenanceInput, RequestInput};
use proptest::prelude::*;

pub const ECOSYSTEMS: [&str; 7] = [
    "npm", "pypi", "cargo", "nuget", "rubygems", "maven", "golang",
];

/// Sample ranges per ecosystem. Besides plain ranges, each has the bounds
/// where ecosystems differ: the pre-release boundaries just below a release
/// (`1.5.a`, `1.5.0-0`, `1.5.dev0`, `v1.5.0-0`, `1.5-alpha`), ends that no
/// version spells (RubyGems `~>`, PyPI `>`), epochs, qualifiers, and pairs
/// whose vers display is equal though the sets differ (`~> 1.4.4` and
/// `>= 1.4.4, < 1.5`), so that rules sharing compiled parts by a lossy key
/// would decide differently from the reference.
pub fn ranges(eco: &str) -> &'static [&'static str] {
    match eco {
        "npm" => &[
            ">=1.0.0 <2.0.0",
            "^1.5.0",
            "1.0.0 || >=2.0.0-alpha",
            "<1.0.0",
            "vers:npm/>=1.0.0|<1.5.0",
            "~1.4.4",
            ">=1.4.4 <1.5.0",
            ">=1.4.4 <1.5.0-0",
            "<1.5.0-alpha",
            ">=1.5.0-0",
            "vers:npm/<1.5.0-0",
        ],
        "pypi" => &[
            ">=1.0,<2.0",
            "==1.5.*",
            "!=1.0",
            "<1.0rc1",
            "vers:pypi/>=2.0",
            "~=1.4.4",
            ">=1.4.4,<1.5",
            "<1.5.dev0",
            ">1.5",
            ">=1.5,!=1.5",
            "vers:pypi/>1.5",
            "<=1.5",
            "<1!1.5",
            ">=1!1.0",
        ],
        "cargo" => &[
            "^1.0",
            ">=1.0.0, <2.0.0",
            "<2.0.0",
            "=1.5.0",
            "vers:cargo/>1.0.0",
            "~1.4.4",
            ">=1.4.4, <1.5",
            "<1.5.0-0",
            ">=1.5.0-0",
            "^1.5.0-alpha",
        ],
        "nuget" => &[
            "[1.0,2.0)",
            "1.5.0",
            "(,1.0]",
            "[2.0.0-alpha,)",
            "vers:nuget/>=1.0.0",
            "[1.4.4,1.5.0)",
            "[1.4.4,1.5.0-0)",
            "[1.5.0-beta,)",
            "(,1.5.0-beta]",
            "1.5.*",
            "1.5.0-*",
        ],
        "rubygems" => &[
            "~> 1.4.4",
            ">= 1.4.4, < 1.5",
            "vers:gem/>=1.4.4|<1.5",
            "< 1.5.a",
            "< 1.5.A",
            ">= 1.5.0.rc1",
            "!= 1.5",
            "~> 1.5",
            "> 1.5",
            "~> 1.0",
        ],
        "maven" => &[
            "[1.0,2.0)",
            "[1.4.4,1.5)",
            "[1.4.4,1.5-alpha)",
            "(,1.5-SNAPSHOT)",
            "[1.5-alpha,)",
            "[1.5]",
            "(1.5,)",
            "vers:maven/>=1.4.4|<1.5",
        ],
        _ => &[
            ">=v1.0.0, <v2.0.0",
            ">=v1.4.4, <v1.5.0",
            ">=v1.4.4, <v1.5.0-0",
            ">=v1.5.0-0",
            "<v1.5.0-rc.1",
            "v1.5.0",
            "vers:golang/>=1.4.4|<1.5.0",
        ],
    }
}

/// Sample versions per ecosystem: on and beside every bound of [`ranges`].
pub fn versions(eco: &str) -> &'static [&'static str] {
    match eco {
        "pypi" => &[
            "0.9",
            "1.0rc1",
            "1.0",
            "1.4.4",
            "1.5.dev0",
            "1.5rc1",
            "1.5",
            "1.5+local",
            "1.5.post1",
            "2.0",
            "2.0.post1",
            "1!1.5",
        ],
        "rubygems" => &[
            "1.0",
            "1.4.4",
            "1.4.9",
            "1.5.0.rc1",
            "1.5.A",
            "1.5.a",
            "1.5",
            "1.5.0",
            "1.6",
        ],
        "maven" => &[
            "1.0",
            "1.4.4",
            "1.5-alpha",
            "1.5-SNAPSHOT",
            "1.5-rc1",
            "1.5",
            "1.5.0",
            "1.5-sp1",
            "2.0",
        ],
        "golang" => &[
            "v1.0.0",
            "v1.4.4",
            "v1.5.0-0",
            "v1.5.0-0.20240101000000-abcdefabcdef",
            "v1.5.0-rc.1",
            "v1.5.0",
            "v1.6.0",
        ],
        "nuget" => &[
            "0.9.0",
            "1.0.0",
            "1.4.4",
            "1.5.0-0",
            "1.5.0-beta",
            "1.5.0",
            "1.5.0.1",
            "2.0.0-alpha",
            "2.0.0",
        ],
        _ => &[
            "0.9.0",
            "1.0.0-rc.1",
            "1.0.0",
            "1.4.4",
            "1.5.0-0",
            "1.5.0-alpha",
            "1.5.0-rc.1",
            "1.5.0",
            "2.0.0-alpha",
            "2.0.0",
        ],
    }
}

/// Maven names are `group:artifact`: generated names get a group.
pub fn package_name(eco: &str, name: &str) -> String {
    if eco == "maven" && !name.contains(':') {
        format!("g:{name}")
    } else {
        name.to_owned()
    }
}

pub fn eco_of(name: &str) -> Ecosystem {
    name.parse().unwrap()
}

/// Every sample range and version parses: none is silently left out.
pub fn checked_ranges(eco: &str) -> Vec<&'static str> {
    for v in versions(eco) {
        package_versions::Version::parse(eco_of(eco), v)
            .unwrap_or_else(|e| panic!("{eco} version {v}: {e}"));
    }
    ranges(eco)
        .iter()
        .map(|r| {
            package_versions::parse_range(eco_of(eco), r)
                .unwrap_or_else(|e| panic!("{eco} range {r}: {e}"));
            *r
        })
        .collect()
}

pub fn name_strategy() -> impl Strategy<Value = String> {
    let plain = proptest::collection::vec(
        prop_oneof![
            4 => Just('a'),
            3 => Just('b'),
            1 => Just('A'),
            1 => Just('-'),
            1 => Just('_'),
            1 => Just('.'),
            2 => Just('/'),
        ],
        1..5,
    )
    .prop_map(|cs| cs.into_iter().collect::<String>());
    // Go paths on a host that folds case and on one that does not.
    prop_oneof![
        3 => plain.clone(),
        1 => (go_host(), plain).prop_map(|(h, p)| format!("{h}/{p}")),
    ]
}

pub fn go_host() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("github.com"), Just("example.com")]
}

pub fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop_oneof![Just("a"), Just("b"), Just("A"), Just("-"), Just("_"), Just(".")]
            .prop_map(str::to_owned),
        3 => Just("*".to_owned()),
        1 => Just("?".to_owned()),
        1 => Just("[ab]".to_owned()),
        1 => Just("[!a]".to_owned()),
        1 => Just("[A-B]".to_owned()),
        1 => Just("{a,b}".to_owned()),
        1 => Just("{a-,}".to_owned()),
    ]
}

pub fn pattern_strategy() -> impl Strategy<Value = String> {
    let segment = prop_oneof![
        1 => Just("**".to_owned()),
        // Adjacent `*` atoms would form an invalid `**`; collapse them.
        6 => proptest::collection::vec(atom(), 1..4).prop_map(|v| {
            let mut s = v.concat();
            while s.contains("**") {
                s = s.replace("**", "*");
            }
            s
        }),
    ];
    let segments = proptest::collection::vec(segment, 1..4).prop_map(|segs| segs.join("/"));
    prop_oneof![
        3 => segments.clone(),
        1 => (go_host(), segments).prop_map(|(h, p)| format!("{h}/{p}")),
    ]
}

#[derive(Debug, Clone)]
pub struct GenRule {
    pub action: &'static str,
    pub enforced: bool,
    pub expires: Option<i64>,
    pub cond: GenCond,
    pub unless: Option<GenCond>,
}

/// A `provenance:` condition; every key optional.
#[derive(Debug, Clone)]
pub struct GenProvCond {
    pub attested: Option<bool>,
    pub trusted_publisher: Option<bool>,
    pub publisher: Option<Vec<&'static str>>,
    pub repository: Option<Vec<&'static str>>,
    pub workflow: Option<Vec<&'static str>>,
    pub issuer: Option<&'static str>,
    pub predicate_type: Option<&'static str>,
}

/// Provenance facts of a request; every key optional.
#[derive(Debug, Clone)]
pub struct GenProv {
    pub attested: Option<bool>,
    pub trusted_publisher: Option<bool>,
    pub publisher: Option<&'static str>,
    pub repository: Option<&'static str>,
    pub workflow: Option<&'static str>,
    pub issuer: Option<&'static str>,
    pub predicate_type: Option<&'static str>,
}

pub const ISSUERS: [&str; 2] = [
    "https://token.actions.githubusercontent.com",
    "https://gitlab.com",
];
pub const PREDICATES: [&str; 2] = [
    "https://slsa.dev/provenance/v1",
    "https://docs.pypi.org/attestations/publish/v1",
];

pub fn prov_cond_strategy() -> impl Strategy<Value = GenProvCond> {
    (
        proptest::option::weighted(0.5, any::<bool>()),
        proptest::option::weighted(0.5, any::<bool>()),
        proptest::option::weighted(
            0.2,
            proptest::sample::subsequence(vec!["github", "gitlab", "other"], 1..3),
        ),
        proptest::option::weighted(
            0.5,
            proptest::sample::subsequence(
                vec![
                    "github.com/acme/*",
                    "github.com/ACME/web",
                    "**",
                    "gitlab.com/**",
                ],
                1..3,
            ),
        ),
        proptest::option::weighted(
            0.2,
            proptest::sample::subsequence(
                vec![
                    ".github/workflows/release.yml@refs/tags/*",
                    ".github/workflows/*@refs/heads/main",
                ],
                1..2,
            ),
        ),
        proptest::option::weighted(0.15, proptest::sample::select(ISSUERS.to_vec())),
        proptest::option::weighted(0.15, proptest::sample::select(PREDICATES.to_vec())),
    )
        .prop_map(
            |(
                attested,
                trusted_publisher,
                publisher,
                repository,
                workflow,
                issuer,
                predicate_type,
            )| {
                GenProvCond {
                    attested,
                    trusted_publisher,
                    publisher,
                    repository,
                    workflow,
                    issuer,
                    predicate_type,
                }
            },
        )
}

pub fn prov_strategy() -> impl Strategy<Value = GenProv> {
    (
        proptest::option::weighted(0.7, any::<bool>()),
        proptest::option::weighted(0.7, any::<bool>()),
        proptest::option::weighted(
            0.5,
            prop_oneof![Just("github"), Just("gitlab"), Just("other")],
        ),
        proptest::option::weighted(
            0.7,
            prop_oneof![
                Just("github.com/acme/web"),
                Just("github.com/Acme/Web"),
                Just("github.com/evil/web"),
                Just("gitlab.com/acme/web"),
            ],
        ),
        proptest::option::weighted(
            0.5,
            prop_oneof![
                Just(".github/workflows/release.yml@refs/tags/v1"),
                Just(".github/workflows/ci.yml@refs/heads/main"),
            ],
        ),
        proptest::option::weighted(0.5, proptest::sample::select(ISSUERS.to_vec())),
        proptest::option::weighted(0.5, proptest::sample::select(PREDICATES.to_vec())),
    )
        .prop_map(
            |(
                attested,
                trusted_publisher,
                publisher,
                repository,
                workflow,
                issuer,
                predicate_type,
            )| {
                GenProv {
                    attested,
                    trusted_publisher,
                    publisher,
                    repository,
                    workflow,
                    issuer,
                    predicate_type,
                }
            },
        )
}

/// The conditions of a `match` or `unless` block.
#[derive(Debug, Clone)]
pub struct GenCond {
    pub ecosystems: Option<Vec<&'static str>>,
    pub packages: Option<Vec<String>>,
    pub versions: Option<usize>,
    pub license: Option<Vec<&'static str>>,
    pub license_not_in: Option<Vec<&'static str>>,
    pub published_within: Option<&'static str>,
    pub project: Option<Vec<&'static str>>,
    pub attributes: Option<Vec<(&'static str, AttrValue)>>,
    pub provenance: Option<GenProvCond>,
    pub provenance_downgrade: bool,
    /// Rendered in `unless` blocks only (Shape::Advisory).
    pub fixes_advisory: bool,
}

#[derive(Debug, Clone)]
pub struct GenLayer {
    pub default: Option<&'static str>,
    pub dry_run: bool,
    pub rules: Vec<GenRule>,
    /// An advisory feed `adv{i}` declared by the layer, with its fix
    /// versions (Shape::Advisory; data from [`advisory_feeds`]).
    pub advisories: Option<Vec<GenFix>>,
}

/// One fix version of an advisory feed: a package and an index into
/// [`versions`] of its ecosystem, as requests pick theirs.
#[derive(Debug, Clone)]
pub struct GenFix {
    pub ecosystem: &'static str,
    pub name: String,
    pub version: usize,
}

pub fn fix_strategy() -> impl Strategy<Value = GenFix> {
    (
        proptest::sample::select(ECOSYSTEMS.to_vec()),
        name_strategy(),
        0usize..64,
    )
        .prop_map(|(ecosystem, name, version)| GenFix {
            ecosystem,
            name,
            version,
        })
}

/// OSV's name of an ecosystem.
pub fn osv_ecosystem(eco: &str) -> &'static str {
    match eco {
        "npm" => "npm",
        "pypi" => "PyPI",
        "cargo" => "crates.io",
        "nuget" => "NuGet",
        "rubygems" => "RubyGems",
        "maven" => "Maven",
        _ => "Go",
    }
}

/// The data of each layer's advisory feed: one OSV record per fix, whose
/// only `fixed` event is the fix version.
pub fn advisory_feeds(layers: &[GenLayer]) -> Vec<package_policy::FeedSource> {
    let mut out = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let Some(fixes) = &l.advisories else { continue };
        let mut text = String::new();
        for (n, f) in fixes.iter().enumerate() {
            let vs = versions(f.ecosystem);
            let record = serde_json::json!({
                "id": format!("ADV-{i}-{n}"),
                "affected": [{
                    "package": {
                        "ecosystem": osv_ecosystem(f.ecosystem),
                        "name": package_name(f.ecosystem, &f.name),
                    },
                    "ranges": [{ "type": "ECOSYSTEM", "events": [
                        { "introduced": "0" },
                        { "fixed": vs[f.version % vs.len()] },
                    ]}],
                }],
            });
            text.push_str(&record.to_string());
            text.push('\n');
        }
        out.push(
            package_policy::FeedSource::new(format!("adv{i}")).with_document("adv.jsonl", text),
        );
    }
    out
}

/// Drops `fixes_advisory` from rules with no advisory feed in scope (their
/// layer or one before it), which would not compile.
pub fn scope_fixes_advisory(layers: &mut [GenLayer]) {
    let mut declared = false;
    for l in layers {
        declared = declared || l.advisories.is_some();
        if !declared {
            for r in &mut l.rules {
                if let Some(u) = &mut r.unless {
                    u.fixes_advisory = false;
                }
            }
        }
    }
}

pub fn licenses() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::sample::subsequence(vec!["MIT", "Apache-2.0", "GPL-3.0-only"], 1..3)
}

pub fn attr_value() -> impl Strategy<Value = AttrValue> {
    prop_oneof![
        Just(AttrValue::Bool(true)),
        Just(AttrValue::Int(1)),
        Just(AttrValue::String("1".into())),
    ]
}

/// What the generated policies look like.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// Every condition, random names and globs.
    Mixed,
    /// Like a malicious-package or advisory feed: many versioned rules on a
    /// few exact names, so the per-name merge of version conditions is built.
    Feed,
    /// Mixed, with advisory feeds and `unless: { fixes_advisory: true }`.
    Advisory,
}

pub fn rule_strategy(shape: Shape) -> impl Strategy<Value = GenRule> {
    (
        prop_oneof![Just("deny"), Just("warn"), Just("allow")],
        any::<bool>(),
        proptest::option::weighted(0.2, prop_oneof![Just(-3600i64), Just(0), Just(3600)]),
        cond_strategy(shape),
        // `unless` names packages less often: each name pattern is one more
        // chance of an invalid policy (Go case rules).
        proptest::option::weighted(
            0.2,
            (cond_strategy(shape), proptest::bool::weighted(0.3)).prop_map(|(mut c, names)| {
                if !names {
                    c.packages = None;
                }
                c
            }),
        ),
    )
        .prop_map(|(action, enforced, expires, cond, unless)| GenRule {
            action,
            enforced: enforced && action != "allow",
            expires,
            cond,
            unless,
        })
}

pub fn cond_strategy(shape: Shape) -> impl Strategy<Value = GenCond> {
    let fixes_weight = if matches!(shape, Shape::Advisory) {
        0.4
    } else {
        0.0
    };
    let (packages, versions_weight, ecosystems) = match shape {
        Shape::Mixed | Shape::Advisory => (
            proptest::collection::vec(prop_oneof![name_strategy(), pattern_strategy()], 1..3)
                .boxed(),
            0.3,
            proptest::sample::subsequence(ECOSYSTEMS.to_vec(), 1..3).boxed(),
        ),
        Shape::Feed => (
            proptest::collection::vec(
                prop_oneof![
                    Just("a".to_owned()),
                    Just("A".to_owned()),
                    Just("b".to_owned())
                ],
                1..2,
            )
            .boxed(),
            0.9,
            proptest::sample::subsequence(ECOSYSTEMS.to_vec(), 1..2).boxed(),
        ),
    };
    (
        (
            proptest::option::weighted(0.6, ecosystems),
            proptest::option::weighted(0.8, packages),
            proptest::option::weighted(versions_weight, 0usize..64),
        ),
        (
            proptest::option::weighted(0.15, licenses()),
            proptest::option::weighted(0.15, licenses()),
            proptest::option::weighted(0.15, prop_oneof![Just("30m"), Just("72h"), Just("14d")]),
            proptest::option::weighted(
                0.15,
                proptest::sample::subsequence(vec!["acme/**", "acme/*", "*/web", "other"], 1..3),
            ),
            proptest::option::weighted(
                0.15,
                proptest::collection::vec((prop_oneof![Just("k"), Just("j")], attr_value()), 0..3),
            ),
            proptest::option::weighted(0.15, prov_cond_strategy()),
            proptest::bool::weighted(0.1),
            proptest::bool::weighted(fixes_weight),
        ),
    )
        .prop_map(
            |(
                (ecosystems, packages, versions),
                (
                    license,
                    license_not_in,
                    published_within,
                    project,
                    attributes,
                    provenance,
                    provenance_downgrade,
                    fixes_advisory,
                ),
            )| GenCond {
                ecosystems,
                packages,
                versions,
                license,
                license_not_in,
                published_within,
                project,
                attributes,
                provenance,
                provenance_downgrade,
                fixes_advisory,
            },
        )
}

pub fn layer_strategy(shape: Shape) -> impl Strategy<Value = GenLayer> {
    let rules = match shape {
        Shape::Mixed | Shape::Advisory => 0..7,
        Shape::Feed => 4..16,
    };
    let advisories = if matches!(shape, Shape::Advisory) {
        proptest::option::weighted(0.6, proptest::collection::vec(fix_strategy(), 1..6)).boxed()
    } else {
        Just(None).boxed()
    };
    (
        proptest::option::weighted(0.3, prop_oneof![Just("allow"), Just("warn"), Just("deny")]),
        proptest::bool::weighted(0.2),
        proptest::collection::vec(rule_strategy(shape), rules),
        advisories,
    )
        .prop_map(|(default, dry_run, rules, advisories)| GenLayer {
            default,
            dry_run,
            rules,
            advisories,
        })
}

pub fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn list(items: &[impl AsRef<str>]) -> String {
    let q: Vec<String> = items.iter().map(|s| quote(s.as_ref())).collect();
    format!("[{}]", q.join(", "))
}

/// Renders a layer as YAML; `None` when a `versions` condition has no usable
/// range (its ecosystem's range parser is not there yet).
pub fn render_layer(
    i: usize,
    l: &GenLayer,
    now: Timestamp,
    usable: &BTreeMap<&str, Vec<&str>>,
) -> String {
    let mut y = format!("schema_version: 1\nlayer: l{i}\n");
    if let Some(d) = l.default {
        let _ = writeln!(y, "default: {d}");
    }
    if l.dry_run {
        y.push_str("mode: dry_run\n");
    }
    if l.advisories.is_some() {
        let _ = writeln!(
            y,
            "feeds:\n  - {{ name: adv{i}, format: osv, kind: advisories }}"
        );
    }
    y.push_str("rules:\n");
    for (n, r) in l.rules.iter().enumerate() {
        let _ = writeln!(y, "  - id: r{n}\n    action: {}", r.action);
        if r.enforced {
            y.push_str("    enforced: true\n");
        }
        if let Some(e) = r.expires {
            let _ = writeln!(y, "    expires: \"{}\"", now + SignedDuration::from_secs(e));
        }
        render_cond(&mut y, "match", &r.cond, usable);
        if let Some(u) = &r.unless {
            // An empty `unless` is a compile error; leave it out.
            let mut block = String::new();
            render_cond(&mut block, "unless", u, usable);
            if !block.contains("{}") {
                y.push_str(&block);
            }
        }
    }
    if l.rules.is_empty() {
        y.push_str("  []\n");
    }
    y
}

/// Renders a `match` or `unless` block of conditions.
pub fn render_cond(y: &mut String, key: &str, r: &GenCond, usable: &BTreeMap<&str, Vec<&str>>) {
    {
        // A blank block is an error: an empty block is written `{}`.
        let match_at = y.len();
        let head = format!("    {key}:\n");
        y.push_str(&head);
        let mut ecos = r.ecosystems.clone();
        if let Some(v) = r.versions {
            // `versions` needs one ecosystem: keep the first listed (or npm).
            let eco = ecos
                .as_ref()
                .and_then(|e| e.first().copied())
                .unwrap_or("npm");
            if let Some(range) = usable.get(eco).and_then(|rs| rs.get(v % rs.len().max(1))) {
                ecos = Some(vec![eco]);
                let _ = writeln!(y, "      versions: {}", quote(range));
            }
        }
        if let Some(e) = &ecos {
            let _ = writeln!(y, "      ecosystem: {}", list(e));
        }
        if let Some(p) = &r.packages {
            let p: Vec<String> = match ecos.as_deref() {
                Some([only]) => p.iter().map(|n| package_name(only, n)).collect(),
                _ => p.clone(),
            };
            let _ = writeln!(y, "      package: {}", list(&p));
        }
        if let Some(l) = &r.license {
            let _ = writeln!(y, "      license: {}", list(l));
        }
        if let Some(l) = &r.license_not_in {
            let _ = writeln!(y, "      license_not_in: {}", list(l));
        }
        if let Some(d) = r.published_within {
            let _ = writeln!(y, "      published_within: {d}");
        }
        if let Some(p) = &r.project {
            let _ = writeln!(y, "      project: {}", list(p));
        }
        if let Some(a) = &r.attributes {
            let unique: BTreeMap<&str, &AttrValue> = a.iter().map(|(k, v)| (*k, v)).collect();
            let items: Vec<String> = unique
                .iter()
                .map(|(k, v)| match v {
                    AttrValue::Bool(b) => format!("{k}: {b}"),
                    AttrValue::Int(i) => format!("{k}: {i}"),
                    AttrValue::String(s) => format!("{k}: {}", quote(s)),
                })
                .collect();
            let _ = writeln!(y, "      attributes: {{{}}}", items.join(", "));
        }
        if let Some(p) = &r.provenance {
            let mut items = Vec::new();
            for (k, v) in [
                ("attested", p.attested),
                ("trusted_publisher", p.trusted_publisher),
            ] {
                if let Some(b) = v {
                    items.push(format!("{k}: {b}"));
                }
            }
            for (k, v) in [
                ("publisher", &p.publisher),
                ("repository", &p.repository),
                ("workflow", &p.workflow),
            ] {
                if let Some(v) = v {
                    items.push(format!("{k}: {}", list(v)));
                }
            }
            for (k, v) in [("issuer", p.issuer), ("predicate_type", p.predicate_type)] {
                if let Some(v) = v {
                    items.push(format!("{k}: {}", quote(v)));
                }
            }
            if items.is_empty() {
                items.push("attested: true".into());
            }
            let _ = writeln!(y, "      provenance: {{{}}}", items.join(", "));
        }
        if r.provenance_downgrade {
            y.push_str("      provenance_downgrade: true\n");
        }
        if r.fixes_advisory && key == "unless" {
            y.push_str("      fixes_advisory: true\n");
        }
        if y.len() == match_at + head.len() {
            y.truncate(match_at);
            let _ = writeln!(y, "    {key}: {{}}");
        }
    }
}

#[derive(Debug, Clone)]
pub struct GenRequest {
    pub ecosystem: &'static str,
    pub name: String,
    pub version: Option<usize>,
    pub license: Option<&'static str>,
    pub published_ago: Option<i64>,
    pub project: Option<&'static str>,
    pub attributes: Vec<(&'static str, AttrValue)>,
    pub provenance: Option<GenProv>,
    pub previous_provenance: Option<GenProv>,
}

pub fn request_strategy() -> impl Strategy<Value = GenRequest> {
    (
        proptest::sample::select(ECOSYSTEMS.to_vec()),
        name_strategy(),
        proptest::option::weighted(0.8, 0usize..64),
        proptest::option::of(prop_oneof![
            Just("MIT"),
            Just("MIT OR Apache-2.0"),
            Just("GPL-3.0-only AND MIT"),
            Just("Apache-2.0"),
            Just("LicenseRef-x"),
        ]),
        proptest::option::of(prop_oneof![
            Just(600i64),
            Just(7200),
            Just(5 * 86400),
            Just(20 * 86400),
            Just(-60)
        ]),
        proptest::option::of(prop_oneof![
            Just("acme/web"),
            Just("acme/x/web"),
            Just("other")
        ]),
        proptest::collection::vec((prop_oneof![Just("k"), Just("j")], attr_value()), 0..3),
        proptest::option::weighted(0.5, prov_strategy()),
        proptest::option::weighted(0.5, prov_strategy()),
    )
        .prop_map(
            |(
                ecosystem,
                name,
                version,
                license,
                published_ago,
                project,
                attributes,
                provenance,
                previous_provenance,
            )| GenRequest {
                ecosystem,
                name,
                version,
                license,
                published_ago,
                project,
                attributes,
                provenance,
                previous_provenance,
            },
        )
}

pub fn prov_input(p: &GenProv) -> ProvenanceInput {
    let s = |v: Option<&str>| v.map(str::to_owned);
    ProvenanceInput {
        attested: p.attested,
        trusted_publisher: p.trusted_publisher,
        publisher: s(p.publisher),
        issuer: s(p.issuer),
        repository: s(p.repository),
        workflow: s(p.workflow),
        predicate_type: s(p.predicate_type),
    }
}

pub fn input(r: &GenRequest, now: Timestamp) -> RequestInput {
    RequestInput {
        ecosystem: r.ecosystem.to_owned(),
        name: package_name(r.ecosystem, &r.name),
        version: r.version.map(|v| {
            let vs = versions(r.ecosystem);
            vs[v % vs.len()].to_owned()
        }),
        license: r.license.map(str::to_owned),
        published_at: r.published_ago.map(|s| now - SignedDuration::from_secs(s)),
        project: r.project.map(str::to_owned),
        attributes: r
            .attributes
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        provenance: r.provenance.as_ref().map(prov_input),
        previous_provenance: r.previous_provenance.as_ref().map(prov_input),
    }
}
