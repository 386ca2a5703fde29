//! Properties of the PyPI, Maven and RubyGems orders and ranges: the order is
//! total and consistent with `Eq` and `Hash`, `Display` parses back, and a
//! range's `VersionSet` agrees with evaluating its comparators one by one.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use package_versions::{parse_range, Ecosystem, Version};
use proptest::prelude::*;

fn hash_of(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn order_laws(a: &Version, b: &Version, c: &Version) -> Result<(), TestCaseError> {
    prop_assert_eq!(a.cmp(b), b.cmp(a).reverse());
    prop_assert_eq!(a == b, a.cmp(b) == Ordering::Equal);
    if a == b {
        prop_assert_eq!(hash_of(a), hash_of(b));
    }
    let mut sorted = [a, b, c];
    sorted.sort();
    prop_assert!(sorted[0] <= sorted[1] && sorted[1] <= sorted[2]);
    prop_assert!(sorted[0] <= sorted[2], "not transitive: {:?}", sorted);
    Ok(())
}

fn round_trip(eco: Ecosystem, v: &Version) -> Result<(), TestCaseError> {
    let shown = v.to_string();
    let again = Version::parse(eco, &shown).unwrap();
    prop_assert_eq!(&again, v);
    prop_assert_eq!(again.to_string(), shown);
    Ok(())
}

// ---- PyPI -----------------------------------------------------------------

const PYPI: &str = "[vV]?([0-2]!)?[0-2](\\.[0-2]){0,3}((a|b|rc|alpha|beta|c|pre|preview|A|RC)[0-2]?)?(\\.post[0-2]?|-[0-2]|\\.r[0-2])?([._-]?dev[0-2]?)?(\\+[a-c0-2]{1,2}([._-][a-c0-2]{1,2}){0,2})?";
const PYPI_PUBLIC: &str = "[vV]?([0-2]!)?[0-2](\\.[0-2]){0,3}((a|b|rc|alpha|beta|c|pre|preview|A|RC)[0-2]?)?(\\.post[0-2]?|-[0-2]|\\.r[0-2])?([._-]?dev[0-2]?)?";

fn pypi(s: &str) -> Version {
    Version::parse(Ecosystem::Pypi, s).unwrap()
}

fn as_pypi(v: &Version) -> &package_versions::pypi::Version {
    match v {
        Version::Pypi(p) => p,
        _ => unreachable!(),
    }
}

/// (epoch, release numbers) from `base_version`.
fn pypi_base(v: &Version) -> (u64, Vec<u64>) {
    let base = as_pypi(v).base_version();
    let (epoch, release) = base.split_once('!').unwrap_or(("0", &base));
    let release = release.split('.').map(|n| n.parse().unwrap()).collect();
    (epoch.parse().unwrap(), release)
}

fn padded_prefix(release: &[u64], prefix: &[u64]) -> bool {
    (0..prefix.len()).all(|i| release.get(i).copied().unwrap_or(0) == prefix[i])
}

/// PEP 440 as packaging evaluates one specifier, written from the
/// operators' definitions rather than from intervals.
fn pypi_holds(op: &str, spec: &str, v: &Version) -> bool {
    let public = Version::Pypi(as_pypi(v).public());
    if let Some(prefix) = spec.strip_suffix(".*") {
        let (pe, pr) = pypi_base(&pypi(prefix));
        let (ve, vr) = pypi_base(v);
        let inside = pe == ve && padded_prefix(&vr, &pr);
        return if op == "==" { inside } else { !inside };
    }
    let s = pypi(spec);
    let sp = as_pypi(&s);
    let same_base = pypi_base(v) == pypi_base(&s) || {
        let (a, mut ra) = pypi_base(v);
        let (b, mut rb) = pypi_base(&s);
        while ra.last() == Some(&0) {
            ra.pop();
        }
        while rb.last() == Some(&0) {
            rb.pop();
        }
        a == b && ra == rb
    };
    match op {
        ">=" => v >= &s,
        "<=" => public <= s,
        "==" if sp.local().is_some() => v == &s,
        "==" => public == s,
        "!=" if sp.local().is_some() => v != &s,
        "!=" => public != s,
        // Generated `<` and `>` specifiers are final releases.
        "<" => v < &s && !(as_pypi(v).is_prerelease() && same_base),
        ">" => {
            v > &s && !(same_base && (as_pypi(v).is_postrelease() || as_pypi(v).local().is_some()))
        }
        "~=" => {
            let (e, r) = pypi_base(&s);
            let (ve, vr) = pypi_base(v);
            v >= &s && e == ve && padded_prefix(&vr, &r[..r.len() - 1])
        }
        other => panic!("{other}"),
    }
}

fn pypi_spec() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        (prop_oneof![Just(">="), Just("<=")], PYPI_PUBLIC).prop_map(|(o, v)| (o.to_owned(), v)),
        (prop_oneof![Just("=="), Just("!=")], PYPI).prop_map(|(o, v)| (o.to_owned(), v)),
        (prop_oneof![Just("<"), Just(">")], "[0-2](\\.[0-2]){0,2}")
            .prop_map(|(o, v)| (o.to_owned(), v)),
        ("[0-2](\\.[0-2]){1,2}(a[0-2])?").prop_map(|v| ("~=".to_owned(), v)),
        (prop_oneof![Just("=="), Just("!=")], "[0-2](\\.[0-2]){0,2}")
            .prop_map(|(o, v)| (o.to_owned(), format!("{v}.*"))),
    ]
}

proptest! {
    #[test]
    fn pypi_order(a in PYPI, b in PYPI, c in PYPI) {
        let (a, b, c) = (pypi(&a), pypi(&b), pypi(&c));
        order_laws(&a, &b, &c)?;
        round_trip(Ecosystem::Pypi, &a)?;
    }

    #[test]
    fn pypi_range_agrees(specs in prop::collection::vec(pypi_spec(), 1..4), v in PYPI) {
        let text = specs.iter().map(|(o, s)| format!("{o}{s}")).collect::<Vec<_>>().join(", ");
        let set = parse_range(Ecosystem::Pypi, &text).unwrap();
        let v = pypi(&v);
        let want = specs.iter().all(|(o, s)| pypi_holds(o, s, &v));
        prop_assert_eq!(set.contains(&v), want, "{} ∋ {}", text, v);
    }
}

// ---- Maven ----------------------------------------------------------------

fn maven_version() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("0"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("01"),
        Just("alpha"),
        Just("a"),
        Just("b"),
        Just("beta"),
        Just("m"),
        Just("rc"),
        Just("cr"),
        Just("snapshot"),
        Just("SNAPSHOT"),
        Just("ga"),
        Just("final"),
        Just("release"),
        Just("sp"),
        Just("x"),
        Just("abc"),
    ];
    let sep = prop_oneof![Just("."), Just("-"), Just("")];
    ("[0-2]", prop::collection::vec((sep, token), 0..5)).prop_map(|(first, rest)| {
        let mut s = first;
        for (sep, tok) in rest {
            s.push_str(sep);
            s.push_str(tok);
        }
        s
    })
}

fn maven(s: &str) -> Version {
    Version::parse(Ecosystem::Maven, s).unwrap()
}

proptest! {
    #[test]
    fn maven_order(a in maven_version(), b in maven_version(), c in maven_version()) {
        let (a, b, c) = (maven(&a), maven(&b), maven(&c));
        order_laws(&a, &b, &c)?;
        round_trip(Ecosystem::Maven, &a)?;
    }

    #[test]
    fn maven_range_agrees(
        mut bounds in prop::collection::vec(maven_version(), 2..6),
        closed in prop::collection::vec(any::<bool>(), 6),
        v in maven_version(),
    ) {
        // Sorted, distinct bounds make valid non-overlapping restrictions.
        let mut parsed: Vec<(Version, String)> = bounds.drain(..).map(|s| (maven(&s), s)).collect();
        parsed.sort_by(|a, b| a.0.cmp(&b.0));
        parsed.dedup_by(|a, b| a.0 == b.0);
        prop_assume!(parsed.len() >= 2);
        let v = maven(&v);
        let mut parts = Vec::new();
        let mut want = false;
        for (i, pair) in parsed.chunks(2).enumerate() {
            let [(lo, lo_s), (hi, hi_s)] = pair else { continue };
            let (li, hi_inc) = (closed[i * 2], closed[i * 2 + 1]);
            parts.push(format!("{}{lo_s},{hi_s}{}", if li { '[' } else { '(' }, if hi_inc { ']' } else { ')' }));
            let above = if li { &v >= lo } else { &v > lo };
            let below = if hi_inc { &v <= hi } else { &v < hi };
            want |= above && below;
        }
        let text = parts.join(",");
        let set = parse_range(Ecosystem::Maven, &text).unwrap();
        prop_assert_eq!(set.contains(&v), want, "{} ∋ {}", text, v);
    }
}

// ---- RubyGems -------------------------------------------------------------

const GEM: &str = "[0-2](\\.([0-2]|[a-bA]{1,2})){0,4}(-[0-2a-b]{1,2}(\\.[0-2a-b]{1,2}){0,2})?";

fn gem(s: &str) -> Version {
    Version::parse(Ecosystem::Rubygems, s).unwrap()
}

fn as_gem(v: &Version) -> &package_versions::rubygems::Version {
    match v {
        Version::Rubygems(g) => g,
        _ => unreachable!(),
    }
}

fn gem_holds(op: &str, r: &Version, v: &Version) -> bool {
    match op {
        "=" => v == r,
        "!=" => v != r,
        ">" => v > r,
        "<" => v < r,
        ">=" => v >= r,
        "<=" => v <= r,
        "~>" => {
            let release = Version::Rubygems(as_gem(v).release());
            let bump = Version::Rubygems(as_gem(r).bump());
            v >= r && release < bump
        }
        other => panic!("{other}"),
    }
}

proptest! {
    #[test]
    fn rubygems_order(a in GEM, b in GEM, c in GEM) {
        let (a, b, c) = (gem(&a), gem(&b), gem(&c));
        order_laws(&a, &b, &c)?;
        round_trip(Ecosystem::Rubygems, &a)?;
    }

    #[test]
    fn rubygems_range_agrees(
        constraints in prop::collection::vec(
            (prop_oneof![Just("="), Just("!="), Just(">"), Just("<"), Just(">="), Just("<="), Just("~>")], GEM),
            1..4,
        ),
        v in GEM,
    ) {
        let text = constraints.iter().map(|(o, s)| format!("{o} {s}")).collect::<Vec<_>>().join(", ");
        let set = parse_range(Ecosystem::Rubygems, &text).unwrap();
        let v = gem(&v);
        let want = constraints.iter().all(|(o, s)| gem_holds(o, &gem(s), &v));
        prop_assert_eq!(set.contains(&v), want, "{} ∋ {}", text, v);
    }
}
