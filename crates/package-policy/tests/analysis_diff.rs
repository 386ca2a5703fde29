//! `analysis::diff` against the reference evaluator on random pairs of
//! layered policy sets: every witness is decided differently (and as the
//! region says), every random request decided differently falls in a
//! reported region, and equivalent rewrites report nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;

use jiff::{SignedDuration, Timestamp};
use package_policy::analysis::{diff, Diff};
use package_policy::reference::Reference;
use package_policy::{Action, CompileOptions, Decision, LayerSource, Request, RequestInput};

/// xorshift64*: seeded, so a failure names its case.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn now() -> Timestamp {
    "2026-12-01T00:00:00Z".parse().unwrap()
}

const NPM_NAMES: [&str; 6] = ["a", "ab", "b", "@s/a", "@s/b", "zz"];
const PYPI_NAMES: [&str; 4] = ["a", "ab", "Foo.Bar", "zz"];
const GLOBS: [&str; 5] = ["a*", "*b", "@s/*", "**", "foo-*"];
const NPM_RANGES: [&str; 6] = [
    ">=1.0.0 <2.0.0",
    "1.2.3",
    "<1.0.0",
    "^2.0.0",
    ">1.0.0",
    "1.x || >=3.0.0-0",
];
const PYPI_RANGES: [&str; 4] = [">=1.0,<2.0", "==1.2.3", ">1.0", "<1.0"];
const NPM_VERSIONS: [&str; 10] = [
    "0.9.0",
    "1.0.0",
    "1.0.1",
    "1.2.3",
    "1.5.0-rc.1",
    "2.0.0",
    "2.5.0",
    "3.0.0-0",
    "3.1.0",
    "0.0.1",
];
const PYPI_VERSIONS: [&str; 7] = ["0.9", "1.0", "1.0.post1", "1.2.3", "1.9", "2.0", "2.0rc1"];
const LICENSES: [&str; 3] = ["MIT", "GPL-3.0-only", "Apache-2.0"];
const REQ_LICENSES: [&str; 6] = [
    "MIT",
    "GPL-3.0-only",
    "Apache-2.0",
    "MIT AND GPL-3.0-only",
    "MIT OR Apache-2.0",
    "0BSD",
];
const PROJECTS: [&str; 3] = ["acme/*", "acme/web", "beta/**"];
const REQ_PROJECTS: [&str; 4] = ["acme/web", "acme/api", "beta/x/y", "other/x"];

#[derive(Clone, Debug)]
struct RuleSpec {
    id: String,
    action: &'static str,
    enforced: bool,
    expires: Option<&'static str>,
    ecosystem: Option<&'static str>,
    packages: Vec<&'static str>,
    versions: Option<&'static str>,
    license: Option<&'static str>,
    license_not_in: Option<&'static str>,
    published_within: Option<&'static str>,
    project: Option<&'static str>,
    attributes: Option<&'static str>,
}

impl RuleSpec {
    fn random(rng: &mut Rng, id: String) -> RuleSpec {
        let action = *rng.pick(&["deny", "warn", "allow", "allow"]);
        let ecosystem = match rng.below(4) {
            0 => None,
            1 => Some("pypi"),
            _ => Some("npm"),
        };
        let mut packages = Vec::new();
        if rng.chance(80) {
            for _ in 0..1 + rng.below(2) {
                let p = if rng.chance(40) {
                    *rng.pick(&GLOBS)
                } else if ecosystem == Some("pypi") {
                    *rng.pick(&PYPI_NAMES)
                } else {
                    *rng.pick(&NPM_NAMES)
                };
                if !packages.contains(&p) {
                    packages.push(p);
                }
            }
        }
        let versions = match ecosystem {
            Some("npm") if rng.chance(50) => Some(*rng.pick(&NPM_RANGES)),
            Some("pypi") if rng.chance(50) => Some(*rng.pick(&PYPI_RANGES)),
            _ => None,
        };
        RuleSpec {
            id,
            action,
            enforced: action != "allow" && rng.chance(30),
            expires: rng
                .chance(15)
                .then(|| *rng.pick(&["2026-11-01", "2026-12-20", "2027-03-01"])),
            ecosystem,
            packages,
            versions,
            license: rng.chance(10).then(|| *rng.pick(&LICENSES)),
            license_not_in: rng
                .chance(10)
                .then(|| *rng.pick(&["[MIT, Apache-2.0]", "[MIT]"])),
            published_within: rng.chance(12).then(|| *rng.pick(&["1d", "3d"])),
            project: rng.chance(12).then(|| *rng.pick(&PROJECTS)),
            attributes: rng
                .chance(8)
                .then(|| *rng.pick(&["{ internal: true }", "{ tier: gold }"])),
        }
    }

    fn yaml(&self, vers_form: bool) -> String {
        let mut m = Vec::new();
        if let Some(e) = self.ecosystem {
            m.push(format!("ecosystem: {e}"));
        }
        if !self.packages.is_empty() {
            let list: Vec<String> = self.packages.iter().map(|p| format!("\"{p}\"")).collect();
            m.push(format!("package: [{}]", list.join(", ")));
        }
        if let Some(v) = self.versions {
            let text = match (vers_form, self.ecosystem) {
                (true, Some(e)) => vers_of(e, v),
                _ => v.to_owned(),
            };
            m.push(format!("versions: \"{text}\""));
        }
        if let Some(l) = self.license {
            m.push(format!("license: {l}"));
        }
        if let Some(l) = self.license_not_in {
            m.push(format!("license_not_in: {l}"));
        }
        if let Some(d) = self.published_within {
            m.push(format!("published_within: {d}"));
        }
        if let Some(p) = self.project {
            m.push(format!("project: \"{p}\""));
        }
        if let Some(a) = self.attributes {
            m.push(format!("attributes: {a}"));
        }
        let mut s = format!("  - id: {}\n    action: {}\n", self.id, self.action);
        if self.enforced {
            s.push_str("    enforced: true\n");
        }
        if let Some(e) = self.expires {
            s.push_str(&format!("    expires: {e}\n"));
        }
        s.push_str(&format!("    match: {{ {} }}\n", m.join(", ")));
        s
    }
}

/// The same set in `vers:` syntax, written by hand for each range used.
fn vers_of(eco: &str, native: &str) -> String {
    let body = match native {
        ">=1.0.0 <2.0.0" => ">=1.0.0|<2.0.0",
        "1.2.3" => "1.2.3",
        "<1.0.0" => "<1.0.0",
        "^2.0.0" => ">=2.0.0|<3.0.0-0",
        ">1.0.0" => ">1.0.0",
        "1.x || >=3.0.0-0" => ">=1.0.0-0|<2.0.0-0|>=3.0.0-0",
        // PEP 440: `<V` leaves out V's pre-releases, so the set ends below 2.0.dev0.
        ">=1.0,<2.0" => ">=1.0|<2.0.dev0",
        "<1.0" => "<1.0.dev0",
        // PEP 440: `==1.2.3` also holds for local versions (1.2.3+1) and `>1.0`
        // leaves out 1.0's post-releases: no plain vers: form; the diff finds both.
        _ => return native.to_owned(),
    };
    format!("vers:{eco}/{body}")
}

#[derive(Clone, Debug)]
struct SetSpec {
    layers: Vec<(String, &'static str, Vec<RuleSpec>)>,
}

impl SetSpec {
    fn random(rng: &mut Rng) -> SetSpec {
        let mut layers = Vec::new();
        for (li, name) in ["instance", "project"].iter().enumerate() {
            let default = if rng.chance(15) {
                *rng.pick(&["warn", "deny"])
            } else {
                "allow"
            };
            let rules = (0..rng.below(5))
                .map(|i| RuleSpec::random(rng, format!("r{li}-{i}")))
                .collect();
            layers.push(((*name).to_owned(), default, rules));
        }
        SetSpec { layers }
    }

    fn mutate(&self, rng: &mut Rng) -> SetSpec {
        let mut s = self.clone();
        for _ in 0..1 + rng.below(2) {
            let li = rng.below(s.layers.len());
            let layer = &mut s.layers[li];
            let n = layer.2.len();
            match rng.below(6) {
                0 if n > 0 => {
                    layer.2.remove(rng.below(n));
                }
                1 if n > 0 => {
                    let r = &mut layer.2[rng.below(n)];
                    r.action = *rng.pick(&["deny", "warn", "allow"]);
                    if r.action == "allow" {
                        r.enforced = false;
                    }
                }
                2 if n > 0 => {
                    let r = &mut layer.2[rng.below(n)];
                    r.versions = match r.ecosystem {
                        Some("npm") => Some(*rng.pick(&NPM_RANGES)),
                        Some("pypi") => Some(*rng.pick(&PYPI_RANGES)),
                        _ => None,
                    };
                }
                3 if n > 0 => {
                    let r = &mut layer.2[rng.below(n)];
                    r.enforced = r.action != "allow" && !r.enforced;
                }
                4 => layer.1 = *rng.pick(&["allow", "allow", "warn", "deny"]),
                _ => {
                    let id = format!("n{li}-{}", rng.next() % 1000);
                    if !layer.2.iter().any(|r| r.id == id) {
                        layer.2.push(RuleSpec::random(rng, id));
                    }
                }
            }
        }
        s
    }

    fn sources(&self, vers_form: bool) -> Vec<LayerSource> {
        self.layers
            .iter()
            .map(|(name, default, rules)| {
                let body: String = rules.iter().map(|r| r.yaml(vers_form)).collect();
                let rules = if body.is_empty() {
                    " []\n".to_owned()
                } else {
                    format!("\n{body}")
                };
                LayerSource::new(
                    format!("{name}.yaml"),
                    format!("schema_version: 1\nlayer: {name}\ndefault: {default}\nrules:{rules}"),
                )
            })
            .collect()
    }
}

fn random_request(rng: &mut Rng) -> RequestInput {
    let pypi = rng.chance(30);
    let (names, versions): (&[&str], &[&str]) = if pypi {
        (&PYPI_NAMES, &PYPI_VERSIONS)
    } else {
        (&NPM_NAMES, &NPM_VERSIONS)
    };
    let extra = ["foo-x", "a-b", "xb"];
    let name = if rng.chance(20) {
        *rng.pick(&extra)
    } else {
        *rng.pick(names)
    };
    RequestInput {
        ecosystem: if pypi { "pypi" } else { "npm" }.to_owned(),
        name: name.to_owned(),
        version: rng.chance(90).then(|| (*rng.pick(versions)).to_owned()),
        license: rng
            .chance(50)
            .then(|| (*rng.pick(&REQ_LICENSES)).to_owned()),
        published_at: rng
            .chance(50)
            .then(|| now() - SignedDuration::from_hours(*rng.pick(&[1i64, 30, 60, 100]))),
        project: rng
            .chance(50)
            .then(|| (*rng.pick(&REQ_PROJECTS)).to_owned()),
        attributes: match rng.below(4) {
            0 => [("internal".to_owned(), package_policy::AttrValue::Bool(true))].into(),
            1 => [(
                "tier".to_owned(),
                package_policy::AttrValue::String("gold".into()),
            )]
            .into(),
            _ => Default::default(),
        },
        ..RequestInput::default()
    }
}

/// Every rule that matched: what decides the action, whatever the outcome.
fn matches(d: &Decision) -> BTreeSet<(String, String)> {
    d.matched
        .iter()
        .chain(&d.allowed_by)
        .chain(d.suppressed.iter().map(|s| &s.rule))
        .map(|r| (r.layer.to_string(), r.id.to_string()))
        .collect()
}

fn compare(old: &[LayerSource], new: &[LayerSource]) -> Diff {
    diff(old, new, now(), &CompileOptions::default()).unwrap()
}

#[test]
fn diff_is_sound_and_complete_on_random_policy_pairs() {
    let mut rng = Rng(0x5EED_D1FF);
    let (mut checked, mut differing, mut witnesses) = (0usize, 0usize, 0usize);
    for case in 0..250 {
        let old_spec = SetSpec::random(&mut rng);
        let new_spec = old_spec.mutate(&mut rng);
        let (old, new) = (old_spec.sources(false), new_spec.sources(false));
        let (Ok(ro), Ok(rn)) = (Reference::compile(&old), Reference::compile(&new)) else {
            panic!("case {case}: generated policy does not compile");
        };
        let d = compare(&old, &new);
        for r in &d.regions {
            let req = Request::new(r.witness.request.clone()).unwrap();
            let (a, b) = (
                ro.evaluate(&req, r.witness.now),
                rn.evaluate(&req, r.witness.now),
            );
            assert_ne!(a.action, b.action, "case {case}: witness {:?}", r.witness);
            assert_eq!(
                (a.action, b.action),
                (r.old.action, r.new.action),
                "case {case}"
            );
            witnesses += 1;
        }
        for _ in 0..48 {
            let input = random_request(&mut rng);
            let req = Request::new(input.clone()).unwrap();
            let (a, b) = (ro.evaluate(&req, now()), rn.evaluate(&req, now()));
            checked += 1;
            if a.action == b.action {
                continue;
            }
            differing += 1;
            let key = (matches(&a), matches(&b));
            let covered = d
                .regions
                .iter()
                .filter(|r| r.witness.now == now())
                .any(|r| {
                    let w = Request::new(r.witness.request.clone()).unwrap();
                    r.ecosystem == req.ecosystem()
                        && (
                            matches(&ro.evaluate(&w, now())),
                            matches(&rn.evaluate(&w, now())),
                        ) == key
                        && (a.default, b.default) == (r.old.default, r.new.default)
                });
            assert!(
                covered,
                "case {case}: {input:?} is {} then {}, in no region\nold:\n{}\nnew:\n{}\nregions: {:#?}",
                a.action,
                b.action,
                old.iter().map(|s| s.text.as_str()).collect::<String>(),
                new.iter().map(|s| s.text.as_str()).collect::<String>(),
                d.regions
            );
        }
    }
    assert!(checked >= 10_000, "{checked}");
    // The generator must actually produce differences for the test to mean anything.
    assert!(
        differing > 300 && witnesses > 300,
        "{differing} {witnesses}"
    );
}

#[test]
fn equivalent_rewrites_report_no_difference() {
    let mut rng = Rng(0xE0_1234);
    for case in 0..150 {
        let spec = SetSpec::random(&mut rng);
        let base = spec.sources(false);
        // Rules reordered within each layer.
        let mut reordered = spec.clone();
        for layer in &mut reordered.layers {
            layer.2.reverse();
        }
        // A package list split into one rule per item.
        let mut split = spec.clone();
        for layer in &mut split.layers {
            layer.2 = layer
                .2
                .iter()
                .flat_map(|r| {
                    if r.packages.len() < 2 {
                        return vec![r.clone()];
                    }
                    r.packages
                        .iter()
                        .enumerate()
                        .map(|(i, p)| RuleSpec {
                            id: format!("{}-{i}", r.id),
                            packages: vec![*p],
                            ..r.clone()
                        })
                        .collect()
                })
                .collect();
        }
        for (what, other) in [
            ("reordered", reordered.sources(false)),
            ("split", split.sources(false)),
            ("vers", spec.sources(true)),
        ] {
            let d = compare(&base, &other);
            assert!(d.is_equivalent(), "case {case} {what}: {:#?}", d.regions);
        }
    }
}

#[test]
fn a_changed_range_is_one_region_with_its_interval_and_rules() {
    let old = [LayerSource::new(
        "acme.yaml",
        "schema_version: 1\nlayer: acme\nrules:\n  - id: lodash-old\n    action: deny\n    match: { ecosystem: npm, package: lodash, versions: \"<4.17.21\" }\n",
    )];
    let new = [LayerSource::new(
        "acme.yaml",
        "schema_version: 1\nlayer: acme\nrules:\n  - id: lodash-old\n    action: deny\n    match: { ecosystem: npm, package: lodash, versions: \"<4.17.19\" }\n",
    )];
    let d = compare(&old, &new);
    assert_eq!(d.regions.len(), 1, "{:#?}", d.regions);
    let r = &d.regions[0];
    assert_eq!(r.names, ["lodash"]);
    assert_eq!(
        r.versions.as_ref().unwrap().to_string(),
        "vers:npm/>=4.17.19|<4.17.21"
    );
    assert_eq!((r.old.action, r.new.action), (Action::Deny, Action::Allow));
    assert_eq!(&*r.old.rules[0].id, "lodash-old");
    assert!(r.new.default);
    assert_eq!(r.witness.purl, "pkg:npm/lodash@4.17.19");
    assert!(compare(&old, &old).is_equivalent());
}

#[test]
fn a_changed_license_rule_is_reported_once_for_any_name_not_per_package() {
    let set = |action: &str| {
        let mut feed = String::from("schema_version: 1\nlayer: feed\nrules:\n");
        for i in 0..300 {
            let versions = if i % 2 == 0 {
                ", versions: \"<2.0.0\""
            } else {
                ""
            };
            feed.push_str(&format!(
                "  - {{ id: mal-{i}, action: deny, enforced: true, match: {{ ecosystem: npm, package: pkg-{i}{versions} }} }}\n"
            ));
        }
        let org = format!(
            "schema_version: 1\nlayer: org\nrules:\n  - {{ id: gpl, action: {action}, match: {{ license: [GPL-3.0-only] }} }}\n  - {{ id: young, action: warn, match: {{ ecosystem: npm, published_within: 3d }} }}\n"
        );
        vec![
            LayerSource::new("feed.yaml", feed),
            LayerSource::new("org.yaml", org),
        ]
    };
    let (old, new) = (set("warn"), set("deny"));
    let d = compare(&old, &new);
    assert!(!d.regions.is_empty());
    // The feed's 300 packages are decided by their own deny (the same on both
    // sides) or, outside its versions, as any other name: no region names one.
    assert!(
        d.regions.iter().all(|r| r.any_name && !r.exact),
        "{:#?}",
        d.regions
    );
    // Per ecosystem: with or without a version, and npm's two classes of
    // publish age; not one per package.
    assert_eq!(d.regions.len(), 2 * 6 + 4, "{:#?}", d.regions);
    let (ro, rn) = (
        Reference::compile(&old).unwrap(),
        Reference::compile(&new).unwrap(),
    );
    for r in &d.regions {
        assert_eq!(r.witness.request.license.as_deref(), Some("GPL-3.0-only"));
        // The region holds for a named package too, where its own rule does not hold.
        let mut named = r.witness.request.clone();
        named.name = "pkg-2".into();
        named.version = Some("2.0.0".into());
        if r.ecosystem.as_str() == "npm" {
            let req = Request::new(named).unwrap();
            assert_eq!(
                (
                    ro.evaluate(&req, r.witness.now).action,
                    rn.evaluate(&req, r.witness.now).action
                ),
                (r.old.action, r.new.action)
            );
        }
    }
}
