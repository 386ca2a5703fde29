//! `PackagePolicy._lint` and `PackagePolicy._diff`: policy analysis results as
//! frozen Hashes; lib/package_policy/analysis.rb wraps them and owns the
//! keyword arguments and docs.

use engine::analysis;
use magnus::{function, prelude::*, Error, RArray, RModule, RString, Ruby, Value};

use super::engine::{feeds, now_or_clock, sources};
use crate::error::ExtError;
use crate::helpers::guard;

fn frozen_str(ruby: &Ruby, s: &str) -> RString {
    let s = ruby.str_new(s);
    s.freeze();
    s
}

/// `_lint(layers, feeds, strict_feeds, now, expiring)` → frozen finding Hashes.
fn lint(
    ruby: &Ruby,
    layers: RArray,
    feed_data: RArray,
    strict_feeds: bool,
    now: Value,
    expiring: String,
) -> Result<RArray, ExtError> {
    guard(|| {
        let sources = sources(layers)?;
        let mut options = analysis::LintOptions::new(now_or_clock(ruby, now)?);
        options.compile.feeds = feeds(feed_data)?;
        options.compile.strict_feeds = strict_feeds;
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

pub fn init(_ruby: &Ruby, module: RModule) -> Result<(), Error> {
    module.define_singleton_method("_lint", function!(lint, 5))?;
    Ok(())
}
