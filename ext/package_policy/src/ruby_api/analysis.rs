//! `PackagePolicy._lint` and `PackagePolicy._diff`: policy analysis results as
//! frozen Hashes; lib/package_policy/analysis.rb wraps them and owns the
//! keyword arguments and docs.

use engine::analysis;
use magnus::{
    function, prelude::*, Error, IntoValue, RArray, RHash, RModule, RString, Ruby, Value,
};

use super::engine::{feeds, now_or_clock, sources};
use crate::error::ExtError;
use crate::helpers::guard;

fn frozen_str(ruby: &Ruby, s: &str) -> RString {
    let s = ruby.str_new(s);
    s.freeze();
    s
}

/// `_lint(layers, feeds, strict_feeds, lenient_feeds, now, expiring)` →
/// frozen finding Hashes.
fn lint(
    ruby: &Ruby,
    layers: RArray,
    feed_data: RArray,
    strict_feeds: bool,
    lenient_feeds: bool,
    now: Value,
    expiring: String,
) -> Result<RArray, ExtError> {
    guard(|| {
        let sources = sources(layers)?;
        let mut options = analysis::LintOptions::new(now_or_clock(ruby, now)?);
        options.compile.feeds = feeds(feed_data)?;
        options.compile.strict_feeds = strict_feeds;
        options.compile.lenient_feeds = lenient_feeds;
        options.expiring_within = analysis::parse_duration(&expiring)
            .map_err(|e| ExtError::Argument(format!("expiring: {e}")))?;
        let findings = analysis::lint(&sources, &options)?;
        let out = ruby.ary_new_capa(findings.len());
        for f in &findings {
            let h = ruby.hash_new();
            h.aset(
                ruby.to_symbol("kind"),
                ruby.to_symbol(f.kind.as_str().replace('-', "_")),
            )?;
            h.aset(
                ruby.to_symbol("severity"),
                ruby.to_symbol(f.severity.as_str()),
            )?;
            h.aset(ruby.to_symbol("source"), frozen_str(ruby, &f.source_name))?;
            h.aset(ruby.to_symbol("layer"), frozen_str(ruby, &f.layer))?;
            h.aset(ruby.to_symbol("id"), frozen_str(ruby, &f.rule_id))?;
            h.aset(ruby.to_symbol("line"), f.line)?;
            h.aset(ruby.to_symbol("column"), f.column)?;
            h.aset(ruby.to_symbol("message"), frozen_str(ruby, &f.message))?;
            h.freeze();
            out.push(h)?;
        }
        Ok(out)
    })
}

fn sym_hash(ruby: &Ruby, pairs: Vec<(&str, Value)>) -> Result<RHash, Error> {
    let h = ruby.hash_new();
    for (k, v) in pairs {
        h.aset(ruby.to_symbol(k), v)?;
    }
    h.freeze();
    Ok(h)
}

fn str_array(ruby: &Ruby, items: &[String]) -> Result<RArray, Error> {
    let a = ruby.ary_new_capa(items.len());
    for s in items {
        a.push(frozen_str(ruby, s))?;
    }
    a.freeze();
    Ok(a)
}

fn outcome(ruby: &Ruby, o: &analysis::Outcome) -> Result<RHash, Error> {
    let rules = ruby.ary_new_capa(o.rules.len());
    for r in &o.rules {
        rules.push(sym_hash(
            ruby,
            vec![
                ("layer", frozen_str(ruby, &r.layer).as_value()),
                ("id", frozen_str(ruby, &r.id).as_value()),
                ("action", ruby.to_symbol(r.action.as_str()).as_value()),
            ],
        )?)?;
    }
    rules.freeze();
    sym_hash(
        ruby,
        vec![
            ("action", ruby.to_symbol(o.action.as_str()).as_value()),
            ("rules", rules.as_value()),
            ("default", o.default.into_value_with(ruby)),
        ],
    )
}

fn request(ruby: &Ruby, r: &engine::RequestInput) -> Result<RHash, Error> {
    let opt = |v: &Option<String>| match v {
        Some(s) => frozen_str(ruby, s).as_value(),
        None => ruby.qnil().as_value(),
    };
    let attrs = ruby.hash_new();
    for (k, v) in &r.attributes {
        let v = match v {
            engine::AttrValue::Bool(b) => b.into_value_with(ruby),
            engine::AttrValue::Int(i) => i.into_value_with(ruby),
            engine::AttrValue::String(s) => frozen_str(ruby, s).as_value(),
        };
        attrs.aset(frozen_str(ruby, k), v)?;
    }
    attrs.freeze();
    sym_hash(
        ruby,
        vec![
            ("ecosystem", ruby.to_symbol(&r.ecosystem).as_value()),
            ("name", frozen_str(ruby, &r.name).as_value()),
            ("version", opt(&r.version)),
            ("license", opt(&r.license)),
            ("published_at", opt(&r.published_at.map(|t| t.to_string()))),
            ("project", opt(&r.project)),
            ("attributes", attrs.as_value()),
        ],
    )
}

fn region(ruby: &Ruby, r: &analysis::Region) -> Result<RHash, Error> {
    let facts = ruby.hash_new();
    for (k, v) in &r.facts {
        facts.aset(ruby.to_symbol(k), frozen_str(ruby, v))?;
    }
    facts.freeze();
    let versions = match &r.versions {
        Some(v) => frozen_str(ruby, &v.to_string()).as_value(),
        None => ruby.qnil().as_value(),
    };
    let witness = sym_hash(
        ruby,
        vec![
            ("purl", frozen_str(ruby, &r.witness.purl).as_value()),
            ("request", request(ruby, &r.witness.request)?.as_value()),
            (
                "now",
                frozen_str(ruby, &r.witness.now.to_string()).as_value(),
            ),
        ],
    )?;
    sym_hash(
        ruby,
        vec![
            ("ecosystem", ruby.to_symbol(r.ecosystem.as_str()).as_value()),
            ("names", str_array(ruby, &r.names)?.as_value()),
            ("exact", r.exact.into_value_with(ruby)),
            ("any_name", r.any_name.into_value_with(ruby)),
            ("patterns", str_array(ruby, &r.patterns)?.as_value()),
            ("versions", versions),
            ("facts", facts.as_value()),
            ("old", outcome(ruby, &r.old)?.as_value()),
            ("new", outcome(ruby, &r.new)?.as_value()),
            ("witness", witness.as_value()),
        ],
    )
}

/// `_diff(old_layers, new_layers, feeds, lenient_feeds, now)` → frozen region Hashes.
fn diff(
    ruby: &Ruby,
    old: RArray,
    new: RArray,
    feed_data: RArray,
    lenient_feeds: bool,
    now: Value,
) -> Result<RArray, ExtError> {
    guard(|| {
        let (old, new) = (sources(old)?, sources(new)?);
        let mut options = engine::CompileOptions::default();
        options.feeds = feeds(feed_data)?;
        options.lenient_feeds = lenient_feeds;
        let d = match analysis::diff(&old, &new, now_or_clock(ruby, now)?, &options) {
            Ok(d) => d,
            Err(analysis::DiffError::Old(e) | analysis::DiffError::New(e)) => return Err(e.into()),
            Err(e) => return Err(ExtError::Argument(e.to_string())),
        };
        let out = ruby.ary_new_capa(d.regions.len());
        for r in &d.regions {
            out.push(region(ruby, r)?)?;
        }
        out.freeze();
        Ok(out)
    })
}

pub fn init(_ruby: &Ruby, module: RModule) -> Result<(), Error> {
    module.define_singleton_method("_lint", function!(lint, 6))?;
    module.define_singleton_method("_diff", function!(diff, 5))?;
    Ok(())
}
