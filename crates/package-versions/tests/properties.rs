//! Properties of the npm, Cargo, Go and NuGet schemes: a total order consistent
//! with `==` and `Hash`, display that parses back, interval sets that agree
//! with evaluating comparators one by one, and vers URIs that round-trip.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use package_versions::{parse_range, vers, Ecosystem, Version, VersionSet};
use proptest::prelude::*;

// ---- version text generators (small alphabets so that ties are common) ----

fn semver_text(v_prefix: bool) -> impl Strategy<Value = String> {
    let num = prop_oneof![Just(0u64), Just(1), Just(2), Just(10)];
    let ident = prop_oneof![
        Just("0"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("alpha"),
        Just("beta"),
        Just("rc"),
        Just("a1"),
        Just("x-y"),
    ];
    let pre = prop::collection::vec(ident, 0..3);
    let build = prop::option::of(prop_oneof![Just("b1"), Just("build.5"), Just("0")]);
    (num.clone(), num.clone(), num, pre, build, any::<bool>()).prop_map(
        move |(a, b, c, pre, build, v)| {
            let mut s = format!("{}{a}.{b}.{c}", if v && v_prefix { "v" } else { "" });
            if !pre.is_empty() {
                s.push('-');
                s.push_str(&pre.join("."));
            }
            if let Some(b) = build {
                s.push('+');
                s.push_str(b);
            }
            s
        },
    )
}

fn go_text() -> impl Strategy<Value = String> {
    prop_oneof![
        semver_text(false).prop_map(|s| format!("v{s}")),
        (0u64..3).prop_map(|m| format!("v{m}")),
        (0u64..3, 0u64..3).prop_map(|(m, n)| format!("v{m}.{n}")),
        (0u64..3).prop_map(|m| format!("v{m}.0.0+incompatible")),
        (0u64..3, 0u64..3).prop_map(|(m, p)| format!("v{m}.1.{p}-0.20060102150405-abcdef")),
    ]
}

fn nuget_text() -> impl Strategy<Value = String> {
    let num = prop_oneof![Just(0u32), Just(1), Just(2), Just(10)];
    let parts = prop::collection::vec(num, 1..5);
    let label = prop_oneof![
        Just("alpha"),
        Just("Alpha"),
        Just("BETA"),
        Just("beta"),
        Just("1"),
        Just("2"),
        Just("10"),
        Just("-3"),
        Just("rc-1"),
    ];
    let labels = prop::collection::vec(label, 0..3);
    let meta = prop::option::of(prop_oneof![Just("m1"), Just("01.x")]);
    (parts, labels, meta).prop_map(|(parts, labels, meta)| {
        let mut s = parts
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(".");
        if !labels.is_empty() {
            s.push('-');
            s.push_str(&labels.join("."));
        }
        if let Some(m) = meta {
            s.push('+');
            s.push_str(m);
        }
        s
    })
}

fn version_text(eco: Ecosystem) -> BoxedStrategy<String> {
    match eco {
        Ecosystem::Npm => semver_text(true).boxed(),
        Ecosystem::Cargo => semver_text(false).boxed(),
        Ecosystem::Golang => go_text().boxed(),
        Ecosystem::Nuget => nuget_text().boxed(),
        _ => unreachable!(),
    }
}

fn version(eco: Ecosystem) -> BoxedStrategy<Version> {
    version_text(eco)
        .prop_map(move |t| Version::parse(eco, &t).unwrap_or_else(|e| panic!("{t}: {e}")))
        .boxed()
}

const ECOS: [Ecosystem; 4] = [
    Ecosystem::Npm,
    Ecosystem::Cargo,
    Ecosystem::Golang,
    Ecosystem::Nuget,
];

fn hash_of(v: &Version) -> u64 {
    let mut h = DefaultHasher::new();
    v.hash(&mut h);
    h.finish()
}

fn eco_and_three() -> impl Strategy<Value = (Version, Version, Version)> {
    prop::sample::select(ECOS.to_vec())
        .prop_flat_map(|eco| (version(eco), version(eco), version(eco)))
}

// ---- comparator ranges: a native range plus a naive evaluator ----

#[derive(Debug, Clone, Copy)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

impl Op {
    fn holds(self, v: &Version, bound: &Version) -> bool {
        let o = v.cmp(bound);
        match self {
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
            Op::Eq => o == Ordering::Equal,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Eq => "=",
        }
    }
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Lt),
        Just(Op::Le),
        Just(Op::Gt),
        Just(Op::Ge),
        Just(Op::Eq)
    ]
}

/// Alternatives (OR) of comparators (AND), as text, with the parsed bounds.
#[derive(Debug, Clone)]
struct Comparators {
    eco: Ecosystem,
    text: String,
    alternatives: Vec<Vec<(Op, Version)>>,
}

impl Comparators {
    fn holds(&self, v: &Version) -> bool {
        self.alternatives
            .iter()
            .any(|all| all.iter().all(|(op, b)| op.holds(v, b)))
    }
}

/// npm and Go take `||`; Cargo takes one comma-separated set.
fn comparators(eco: Ecosystem) -> BoxedStrategy<Comparators> {
    let max_alts = if eco == Ecosystem::Cargo { 1 } else { 3 };
    let clause = prop::collection::vec((op(), version_text(eco)), 1..4);
    prop::collection::vec(clause, 1..=max_alts)
        .prop_map(move |alts| {
            let sep = if eco == Ecosystem::Npm { " " } else { ", " };
            let text = alts
                .iter()
                .map(|all| {
                    all.iter()
                        .map(|(op, v)| format!("{}{v}", op.text()))
                        .collect::<Vec<_>>()
                        .join(sep)
                })
                .collect::<Vec<_>>()
                .join(" || ");
            let alternatives = alts
                .iter()
                .map(|all| {
                    all.iter()
                        .map(|(op, v)| (*op, Version::parse(eco, v).unwrap()))
                        .collect()
                })
                .collect();
            Comparators {
                eco,
                text,
                alternatives,
            }
        })
        .boxed()
}

/// NuGet intervals: a bare minimum, `[a]`, `[a, b)`, `(a, b]`, `(, b]`, `(a,)`.
fn nuget_range() -> impl Strategy<Value = (String, u8, Version, Version)> {
    (nuget_text(), nuget_text(), 0u8..6).prop_filter_map("empty interval", |(a, b, kind)| {
        let (va, vb) = (
            Version::parse(Ecosystem::Nuget, &a).unwrap(),
            Version::parse(Ecosystem::Nuget, &b).unwrap(),
        );
        let (lo, hi, la, lb) = if va <= vb {
            (a, b, va, vb)
        } else {
            (b, a, vb, va)
        };
        let text = match kind {
            0 => lo,
            1 => format!("[{lo}]"),
            2 if la != lb => format!("[{lo}, {hi})"),
            3 if la != lb => format!("({lo}, {hi}]"),
            4 => format!("(, {hi}]"),
            5 => format!("({lo},)"),
            _ => return None,
        };
        Some((text, kind, la, lb))
    })
}

fn nuget_holds(kind: u8, lo: &Version, hi: &Version, v: &Version) -> bool {
    match kind {
        0 => v >= lo,
        1 => v == lo,
        2 => v >= lo && v < hi,
        3 => v > lo && v <= hi,
        4 => v <= hi,
        _ => v > lo,
    }
}

fn round_trips(set: &VersionSet) -> Result<(), TestCaseError> {
    let shown = set.to_string();
    prop_assert_eq!(
        vers::parse(&shown),
        Ok((set.ecosystem(), set.clone())),
        "{}",
        shown
    );
    Ok(())
}

fn eco_comparators_and_probes() -> impl Strategy<Value = (Comparators, Comparators, Vec<Version>)> {
    prop::sample::select(vec![Ecosystem::Npm, Ecosystem::Cargo, Ecosystem::Golang]).prop_flat_map(
        |eco| {
            (
                comparators(eco),
                comparators(eco),
                prop::collection::vec(version(eco), 1..12),
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn order_is_total_and_consistent((a, b, c) in eco_and_three()) {
        prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
        prop_assert_eq!(a == b, a.cmp(&b) == Ordering::Equal);
        prop_assert_eq!(a.partial_cmp(&b), Some(a.cmp(&b)));
        if a == b {
            prop_assert_eq!(hash_of(&a), hash_of(&b));
        }
        if a <= b && b <= c {
            prop_assert!(a <= c, "{} <= {} <= {} but not {} <= {}", a, b, c, a, c);
        }
        prop_assert_eq!(a.cmp(&a), Ordering::Equal);
    }

    #[test]
    fn display_parses_back_stably(
        (eco, text) in prop::sample::select(ECOS.to_vec()).prop_flat_map(|e| (Just(e), version_text(e)))
    ) {
        prop_assert!(Version::parse(eco, &text).is_ok(), "{}", text);
        // Whatever ecosystem also accepts the text must round-trip it too.
        for e in ECOS {
            if let Ok(v) = Version::parse(e, &text) {
                let shown = v.to_string();
                let back = Version::parse(e, &shown).unwrap();
                prop_assert_eq!(&back, &v);
                prop_assert_eq!(back.to_string(), shown);
            }
        }
    }

    #[test]
    fn contains_agrees_with_the_comparators((x, y, probes) in eco_comparators_and_probes()) {
        let eco = x.eco;
        let sx = parse_range(eco, &x.text).unwrap_or_else(|e| panic!("{}: {e}", x.text));
        let sy = parse_range(eco, &y.text).unwrap_or_else(|e| panic!("{}: {e}", y.text));
        let union = sx.union(&sy);
        let inter = sx.intersection(&sy);
        let compl = sx.complement();
        // Probe the given versions and every bound of both ranges.
        let mut all = probes;
        for c in [&x, &y] {
            for alt in &c.alternatives {
                all.extend(alt.iter().map(|(_, v)| v.clone()));
            }
        }
        for v in &all {
            let (ix, iy) = (x.holds(v), y.holds(v));
            prop_assert_eq!(sx.contains(v), ix, "{} contains {}? set {}", x.text, v, sx);
            prop_assert_eq!(union.contains(v), ix || iy);
            prop_assert_eq!(inter.contains(v), ix && iy);
            prop_assert_eq!(compl.contains(v), !ix);
        }
        for set in [&sx, &sy, &union, &inter, &compl] {
            round_trips(set)?;
        }
    }

    #[test]
    fn nuget_intervals_agree(
        (x, kx, lx, hx) in nuget_range(),
        (y, ky, ly, hy) in nuget_range(),
        probes in prop::collection::vec(version(Ecosystem::Nuget), 1..12),
    ) {
        let fx = |v: &Version| nuget_holds(kx, &lx, &hx, v);
        let fy = |v: &Version| nuget_holds(ky, &ly, &hy, v);
        let sx = parse_range(Ecosystem::Nuget, &x).unwrap_or_else(|e| panic!("{x}: {e}"));
        let sy = parse_range(Ecosystem::Nuget, &y).unwrap_or_else(|e| panic!("{y}: {e}"));
        let (union, inter) = (sx.union(&sy), sx.intersection(&sy));
        let mut probes = probes;
        probes.extend([lx.clone(), hx.clone(), ly.clone(), hy.clone()]);
        for v in &probes {
            prop_assert_eq!(sx.contains(v), fx(v), "{} contains {}", x, v);
            prop_assert_eq!(union.contains(v), fx(v) || fy(v));
            prop_assert_eq!(inter.contains(v), fx(v) && fy(v));
        }
        for set in [&sx, &sy, &union, &inter, &sx.complement()] {
            round_trips(set)?;
        }
    }
}
