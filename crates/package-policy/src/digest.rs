//! The audit digest: SHA-256 over a canonical form of the validated policy set.
//!
//! The canonical form is built from the validated model, never from the YAML
//! text, so formatting, comments, quoting, key order, alias use and the order
//! of any-of lists do not change it; ranges enter as their normalized version
//! sets, by their exact text (`VersionSet::canonical`). Every string is
//! length-prefixed so no two policy sets share a form.
//!
//! The digest is chained layer by layer, so that an engine stacked on another
//! (stack.rs) extends its base's digest without the base's layers:
//! `d0 = SHA-256("package_policy/v1\n")`, `dN = SHA-256(dN-1 ‖ layer N's form)`,
//! and the digest is `dN` in hex. A flat compile of the same layers chains
//! the same way, so both agree (docs/decisions/policy-trees.md).

use std::fmt::Write as _;

use sha2::{Digest, Sha256};

use crate::glob::render;
use crate::layer::{Conditions, Layer};

fn field(out: &mut String, key: &str, value: &str) {
    let _ = write!(out, "{key}={}:{value};", value.len());
}

fn list(out: &mut String, key: &str, mut items: Vec<String>) {
    items.sort();
    items.dedup();
    let _ = write!(out, "{key}=[{}]", items.len());
    for i in &items {
        field(out, "", i);
    }
}

/// The canonical text of one layer.
fn canonical(l: &Layer) -> String {
    let mut out = String::new();
    field(&mut out, "layer", &l.name);
    field(&mut out, "default", l.default.as_str());
    field(
        &mut out,
        "mode",
        if l.dry_run { "dry_run" } else { "enforce" },
    );
    // Only when set, so digests of layers without it stay as they were.
    if let Some(a) = l.unreadable_license {
        field(&mut out, "unreadable_license", a.as_str());
    }
    // Advisory feeds' fix versions: data that changes decisions. Only when
    // present, like `unreadable_license`.
    if !l.fixes.is_empty() {
        list(
            &mut out,
            "fixes",
            l.fixes
                .iter()
                .map(|f| format!("{}|{}|{}|{}", f.ecosystem, f.name, f.version, f.advisory))
                .collect(),
        );
    }
    out.push('\n');
    for r in &l.rules {
        let rr = &r.rref;
        field(&mut out, "id", &rr.id);
        field(&mut out, "action", rr.action.as_str());
        for (k, v) in [
            ("reason", &rr.reason),
            ("owner", &rr.owner),
            ("ticket", &rr.ticket),
        ] {
            if let Some(v) = v {
                field(&mut out, k, v);
            }
        }
        field(
            &mut out,
            "enforced",
            if r.enforced { "true" } else { "false" },
        );
        if let Some(e) = r.expires {
            field(&mut out, "expires", &e.to_string());
        }
        out.push_str(&conditions(&r.cond));
        out.push('\n');
    }
    out
}

/// The canonical text of every condition of a rule (its `match` and `unless`).
fn conditions(c: &Conditions) -> String {
    let mut out = String::new();
    if let Some(es) = &c.ecosystems {
        list(
            &mut out,
            "ecosystem",
            es.iter().map(|e| e.to_string()).collect(),
        );
    }
    if let Some(ps) = &c.packages {
        list(
            &mut out,
            "package",
            ps.iter().map(|g| render(&g.toks)).collect(),
        );
    }
    out.push_str(&predicate(c));
    out
}

/// The canonical text of a rule's conditions other than its ecosystems and
/// names: the part of [`canonical`] that the compiled engine evaluates as one
/// predicate, so rules with equal texts share one. Empty when there is none.
/// Version sets enter by their exact text
/// ([`package_versions::VersionSet::canonical`]), never their vers display.
pub(crate) fn predicate(c: &Conditions) -> String {
    let mut out = String::new();
    if let Some(v) = &c.versions {
        field(&mut out, "versions", &v.canonical());
    }
    if let Some(ids) = &c.license {
        list(
            &mut out,
            "license",
            ids.iter().map(|s| s.to_string()).collect(),
        );
    }
    if let Some(ids) = &c.license_not_in {
        list(
            &mut out,
            "license_not_in",
            ids.iter().map(|s| s.to_string()).collect(),
        );
    }
    if let Some(d) = c.published_within {
        field(&mut out, "published_within", &d.as_secs().to_string());
    }
    if let Some(ps) = &c.project {
        list(
            &mut out,
            "project",
            ps.iter().map(|g| render(&g.toks)).collect(),
        );
    }
    if let Some(attrs) = &c.attributes {
        let _ = write!(out, "attributes=[{}]", attrs.len());
        for (k, v) in attrs {
            field(&mut out, "", k);
            let typed = match v {
                crate::request::AttrValue::Bool(b) => format!("bool:{b}"),
                crate::request::AttrValue::Int(i) => format!("int:{i}"),
                crate::request::AttrValue::String(s) => format!("string:{s}"),
            };
            field(&mut out, "", &typed);
        }
    }
    // Written only when present, so digests of policies without them stay.
    if let Some(p) = &c.provenance {
        out.push_str("provenance{");
        for (k, v) in [
            ("attested", p.attested),
            ("trusted_publisher", p.trusted_publisher),
        ] {
            if let Some(b) = v {
                field(&mut out, k, if b { "true" } else { "false" });
            }
        }
        if let Some(ps) = &p.publisher {
            list(
                &mut out,
                "publisher",
                ps.iter().map(|p| p.as_str().to_owned()).collect(),
            );
        }
        for (k, v) in [
            ("issuer", &p.issuer),
            ("repository", &p.repository),
            ("workflow", &p.workflow),
        ] {
            if let Some(gs) = v {
                list(&mut out, k, gs.iter().map(|g| render(&g.toks)).collect());
            }
        }
        if let Some(ts) = &p.predicate_type {
            list(&mut out, "predicate_type", ts.clone());
        }
        out.push('}');
    }
    if c.provenance_downgrade {
        field(&mut out, "provenance_downgrade", "true");
    }
    if c.fixes_advisory {
        field(&mut out, "fixes_advisory", "true");
    }
    if let Some(u) = &c.unless {
        field(&mut out, "unless", &conditions(u));
    }
    out
}

/// The chain's first link: the digest of an empty policy set.
fn seed() -> [u8; 32] {
    Sha256::digest(b"package_policy/v1\n").into()
}

/// The chain extended by `layers`, from `base` (`None`: the seed).
pub(crate) fn chain(base: Option<[u8; 32]>, layers: &[Layer]) -> [u8; 32] {
    let mut d = base.unwrap_or_else(seed);
    for l in layers {
        let mut h = Sha256::new();
        h.update(d);
        h.update(canonical(l).as_bytes());
        d = h.finalize().into();
    }
    d
}

/// Lower-case hex of a chain value.
pub(crate) fn hex(d: &[u8; 32]) -> String {
    let mut hex = String::with_capacity(64);
    for b in d {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The chain value a digest's hex spells, or `None`.
pub(crate) fn unhex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (slot, pair) in out.iter_mut().zip(b.chunks_exact(2)) {
        let text = std::str::from_utf8(pair).ok()?;
        *slot = u8::from_str_radix(text, 16).ok()?;
    }
    Some(out)
}

/// The digest of the policy set `layers`.
pub(crate) fn digest(layers: &[Layer]) -> String {
    hex(&chain(None, layers))
}
