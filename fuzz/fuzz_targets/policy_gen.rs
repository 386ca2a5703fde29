// Random policy sets and requests from the fuzzer's bytes, shared by the
// `differential` and `stack` targets (included with `include!`).
use std::collections::BTreeMap;
use std::fmt::Write as _;

use jiff::{SignedDuration, Timestamp};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use package_policy::{AttrValue, LayerSource, RequestInput};

const ECOSYSTEMS: &[&str] = &["npm", "pypi", "cargo", "nuget", "rubygems", "maven", "golang"];
// Name atoms: letters, separators that normalize differently per ecosystem,
// and glob metacharacters (only some of them valid in a pattern).
const ATOMS: &[&str] = &["a", "b", "A", "-", "_", ".", "/", "@s/", "*", "?", "[ab]", "[!a]", "{a,b}", "**"];
const NAME_ATOMS: &[&str] = &["a", "b", "A", "-", "_", ".", "/", "@s/"];
// Besides plain ranges, the bounds where ecosystems differ: pre-release
// boundaries (`1.5.a`, `1.5.0-0`, `1.5.dev0`, `v1.5.0-0`, `1.5-alpha`), ends no
// version spells (RubyGems `~>`, PyPI `>`), epochs, qualifiers, and pairs whose
// vers display is equal though the sets differ (`~> 1.4.4`, `>= 1.4.4, < 1.5`).
const RANGES: &[(&str, &[&str])] = &[
    ("npm", &[">=1.0.0 <2.0.0", "^1.5.0", "1.0.0 || >=2.0.0-alpha", "<1.0.0", "vers:npm/>=1.0.0|<1.5.0", "~1.4.4", ">=1.4.4 <1.5.0", ">=1.4.4 <1.5.0-0", "<1.5.0-alpha", ">=1.5.0-0"]),
    ("pypi", &[">=1.0,<2.0", "==1.5.*", "!=1.0", "<1.0rc1", "vers:pypi/>=2.0", "~=1.4.4", ">=1.4.4,<1.5", "<1.5.dev0", ">1.5", ">=1.5,!=1.5", "vers:pypi/>1.5", "<1!1.5"]),
    ("cargo", &["^1.0", ">=1.0.0, <2.0.0", "<2.0.0", "=1.5.0", "~1.4.4", ">=1.4.4, <1.5", "<1.5.0-0", "^1.5.0-alpha"]),
    ("nuget", &["[1.0,2.0)", "1.5.0", "(,1.0]", "[2.0.0-alpha,)", "[1.4.4,1.5.0)", "[1.4.4,1.5.0-0)", "[1.5.0-beta,)", "1.5.*"]),
    ("rubygems", &["~> 1.4.4", ">= 1.4.4, < 1.5", "vers:gem/>=1.4.4|<1.5", "< 1.5.a", "< 1.5.A", ">= 1.5.0.rc1", "!= 1.5", "> 1.5"]),
    ("maven", &["[1.0,2.0)", "[1.4.4,1.5)", "[1.4.4,1.5-alpha)", "(,1.5-SNAPSHOT)", "[1.5-alpha,)", "[1.5]", "vers:maven/>=1.4.4|<1.5"]),
    ("golang", &[">=v1.0.0, <v2.0.0", ">=v1.4.4, <v1.5.0", ">=v1.4.4, <v1.5.0-0", ">=v1.5.0-0", "<v1.5.0-rc.1", "vers:golang/>=1.4.4|<1.5.0"]),
];
const VERSIONS: &[(&str, &[&str])] = &[
    ("npm", &["0.9.0", "1.0.0-rc.1", "1.0.0", "1.4.4", "1.5.0-0", "1.5.0-alpha", "1.5.0", "2.0.0-alpha", "2.0.0"]),
    ("pypi", &["0.9", "1.0rc1", "1.0", "1.4.4", "1.5.dev0", "1.5rc1", "1.5", "1.5+local", "1.5.post1", "2.0.post1", "1!1.5"]),
    ("cargo", &["0.9.0", "1.0.0-rc.1", "1.0.0", "1.4.4", "1.5.0-0", "1.5.0-alpha", "1.5.0", "2.0.0"]),
    ("nuget", &["0.9.0", "1.0.0", "1.4.4", "1.5.0-0", "1.5.0-beta", "1.5.0", "2.0.0-alpha", "2.0.0"]),
    ("rubygems", &["1.0", "1.4.4", "1.5.0.rc1", "1.5.A", "1.5.a", "1.5", "1.6"]),
    ("maven", &["1.0", "1.4.4", "1.5-alpha", "1.5-SNAPSHOT", "1.5", "1.5.0", "1.5-sp1", "2.0"]),
    ("golang", &["v1.0.0", "v1.4.4", "v1.5.0-0", "v1.5.0-0.20240101000000-abcdefabcdef", "v1.5.0-rc.1", "v1.5.0"]),
];
const LICENSES: &[&str] = &["MIT", "Apache-2.0", "GPL-3.0-only"];
const PROJECTS: &[&str] = &["acme/**", "acme/*", "*/web", "other"];

fn pick<'a, T>(u: &mut Unstructured<'_>, items: &'a [T]) -> Result<&'a T> {
    u.choose(items)
}

fn table<'a>(t: &'a [(&str, &'a [&'a str])], eco: &str) -> &'a [&'a str] {
    t.iter().find(|(e, _)| *e == eco).map_or(&[], |(_, v)| v)
}

fn word(u: &mut Unstructured<'_>, atoms: &[&str]) -> Result<String> {
    let n = u.int_in_range(1..=4)?;
    let mut s = String::new();
    for _ in 0..n {
        s.push_str(pick(u, atoms)?);
    }
    Ok(s)
}

/// Maven names are `group:artifact`: generated names get a group.
fn package_name(eco: Option<&str>, name: String) -> String {
    if eco == Some("maven") && !name.contains(':') {
        format!("g:{name}")
    } else {
        name
    }
}

fn yaml_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn rule(u: &mut Unstructured<'_>, out: &mut String, id: usize, now: Timestamp) -> Result<()> {
    let action = *pick(u, &["deny", "warn", "allow"])?;
    let _ = write!(out, "  - id: r{id}\n    action: {action}\n");
    if action != "allow" && u.arbitrary()? {
        out.push_str("    enforced: true\n");
    }
    if u.ratio(1, 5)? {
        let hours = u.int_in_range(-48i64..=48)?;
        let _ = writeln!(out, "    expires: {}", now + SignedDuration::from_hours(hours));
    }
    out.push_str("    match:\n");
    let eco = if u.ratio(3, 4)? { Some(*pick(u, ECOSYSTEMS)?) } else { None };
    if let Some(e) = eco {
        let _ = writeln!(out, "      ecosystem: {e}");
    }
    if u.ratio(3, 4)? {
        let _ = writeln!(out, "      package: {}", yaml_str(&package_name(eco, word(u, ATOMS)?)));
    }
    if let Some(e) = eco {
        if u.ratio(1, 3)? {
            let _ = writeln!(out, "      versions: {}", yaml_str(pick(u, table(RANGES, e))?));
        }
    }
    if u.ratio(1, 6)? {
        let key = *pick(u, &["license", "license_not_in"])?;
        let _ = writeln!(out, "      {key}: {}", pick(u, LICENSES)?);
    }
    if u.ratio(1, 6)? {
        let _ = writeln!(out, "      published_within: {}", pick(u, &["30m", "72h", "14d"])?);
    }
    if u.ratio(1, 6)? {
        let _ = writeln!(out, "      project: {}", yaml_str(pick(u, PROJECTS)?));
    }
    if u.ratio(1, 6)? {
        let v = *pick(u, &["true", "1", "'1'"])?;
        let _ = writeln!(out, "      attributes: {{ k: {v} }}");
    }
    // A blank `match:` is an error (blank is not absent): no conditions is `{}`.
    if out.ends_with("    match:\n") {
        out.truncate(out.len() - 1);
        out.push_str(" {}\n");
    }
    Ok(())
}

#[allow(dead_code)]
fn policy(u: &mut Unstructured<'_>, now: Timestamp) -> Result<Vec<LayerSource>> {
    policy_of(u, now, 3)
}

/// A policy set of 1 to `max` layers named `l0`, `l1`, ….
fn policy_of(u: &mut Unstructured<'_>, now: Timestamp, max: usize) -> Result<Vec<LayerSource>> {
    let mut layers = Vec::new();
    for l in 0..u.int_in_range(1..=max)? {
        let mut text = format!(
            "schema_version: 1\nlayer: l{l}\ndefault: {}\nmode: {}\nrules:\n",
            pick(u, &["allow", "warn", "deny"])?,
            if u.ratio(1, 5)? { "dry_run" } else { "enforce" },
        );
        for id in 0..u.int_in_range(0..=6)? {
            rule(u, &mut text, id, now)?;
        }
        if text.ends_with("rules:\n") {
            text.push_str("  []\n");
        }
        layers.push(LayerSource::new(format!("l{l}.yaml"), text));
    }
    Ok(layers)
}

fn request(u: &mut Unstructured<'_>, now: Timestamp) -> Result<RequestInput> {
    let eco = *pick(u, ECOSYSTEMS)?;
    let mut attributes = BTreeMap::new();
    if u.arbitrary()? {
        let v = match u.int_in_range(0..=2)? {
            0 => AttrValue::Bool(true),
            1 => AttrValue::Int(1),
            _ => AttrValue::String("1".into()),
        };
        attributes.insert("k".to_owned(), v);
    }
    Ok(RequestInput {
        ecosystem: eco.to_owned(),
        name: package_name(Some(eco), word(u, NAME_ATOMS)?),
        version: if u.ratio(4, 5)? { Some((*pick(u, table(VERSIONS, eco))?).to_owned()) } else { None },
        license: if u.arbitrary()? { Some((*pick(u, &["MIT", "MIT OR GPL-3.0-only", "Apache-2.0 AND MIT"])?).to_owned()) } else { None },
        published_at: if u.arbitrary()? { Some(now - SignedDuration::from_hours(u.int_in_range(0..=400)?)) } else { None },
        project: if u.arbitrary()? { Some((*pick(u, &["acme/web", "acme/api/v2", "other"])?).to_owned()) } else { None },
        attributes,
        ..RequestInput::default()
    })
}

