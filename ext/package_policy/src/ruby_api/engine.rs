//! `PackagePolicy::Engine` and the module functions that build or check one.
//! lib/package_policy/engine.rb owns the keyword arguments and the docs.

use jiff::Timestamp;
use magnus::{
    function, method, prelude::*, typed_data::Obj, Error, RArray, RHash, RModule, RString, Ruby,
    Value,
};

use super::convert::{string, timestamp};
use super::decision::{self, RbDecision};
use super::request::{self, Fields, OwnedRequest};
use crate::error::{compile_error_details, ExtError};
use crate::helpers::{guard, measure, nogvl};

#[magnus::wrap(
    class = "PackagePolicy::Engine",
    free_immediately,
    size,
    frozen_shareable
)]
pub struct RbEngine(engine::Engine, Heap);

/// Rust heap an engine holds: its own level (what its compile, stack or load
/// kept) and in all, each shared outer level counted once.
#[derive(Clone, Copy)]
struct Heap {
    own: usize,
    total: usize,
}

/// `[[name, text], ...]` (built by `PackagePolicy.compile`) as layer sources.
/// The text's bytes go to the core as they are, so invalid UTF-8 is a
/// `PolicyError` with the line and column of the first bad byte.
pub(super) fn sources(layers: RArray) -> Result<Vec<engine::LayerSource>, ExtError> {
    layers
        .into_iter()
        .map(|pair| {
            let pair = RArray::try_convert(pair)?;
            let name: String = pair.entry(0)?;
            let text: RString = pair.entry(1)?;
            // SAFETY: the slice is copied at once; no Ruby code runs (and so
            // nothing can move or mutate the String) while it is borrowed.
            let bytes = unsafe { text.as_slice() }.to_vec();
            engine::LayerSource::from_bytes(name, bytes).map_err(ExtError::from)
        })
        .collect()
}

/// `[[feed name, [[origin, text], ...]], ...]` (built by `PackagePolicy.compile`).
pub(super) fn feeds(feeds: RArray) -> Result<Vec<engine::FeedSource>, ExtError> {
    let list: Vec<(String, Vec<(String, String)>)> = feeds.to_vec()?;
    Ok(list
        .into_iter()
        .map(|(name, docs)| {
            docs.into_iter()
                .fold(engine::FeedSource::new(name), |feed, (origin, text)| {
                    feed.with_document(origin, text)
                })
        })
        .collect())
}

/// `PackagePolicy._compile(layers, feeds, strict_feeds, lenient_feeds)` → a
/// frozen, shareable Engine.
fn compile(
    ruby: &Ruby,
    layers: RArray,
    feed_data: RArray,
    strict_feeds: bool,
    lenient_feeds: bool,
) -> Result<Obj<RbEngine>, ExtError> {
    guard(|| {
        let sources = sources(layers)?;
        let options = options(feed_data, strict_feeds, lenient_feeds)?;
        let size = input_size(&sources, &options);
        let (compiled, own) = maybe_nogvl(size, || {
            measure(|| engine::Engine::compile_with(&sources, &options))
        })?;
        Ok(wrap_engine(ruby, compiled?, Heap { own, total: own }))
    })
}

fn options(
    feed_data: RArray,
    strict_feeds: bool,
    lenient_feeds: bool,
) -> Result<engine::CompileOptions, ExtError> {
    let mut options = engine::CompileOptions::default();
    options.feeds = feeds(feed_data)?;
    options.strict_feeds = strict_feeds;
    options.lenient_feeds = lenient_feeds;
    Ok(options)
}

/// Bytes of layer and feed text a compile reads.
fn input_size(sources: &[engine::LayerSource], options: &engine::CompileOptions) -> usize {
    let layers: usize = sources.iter().map(|s| s.text.len()).sum();
    let feeds: usize = options
        .feeds
        .iter()
        .flat_map(|f| f.documents.iter().map(|d| d.text.len()))
        .sum();
    layers.saturating_add(feeds)
}

/// Inputs past this many bytes are compiled, encoded or loaded without the GVL.
const NOGVL_BYTES: usize = 64 << 10;

/// Runs `f` without the GVL when `bytes` is large, else directly (releasing
/// and retaking the GVL costs more than a small job).
fn maybe_nogvl<R>(bytes: usize, f: impl FnOnce() -> R) -> Result<R, ExtError> {
    if bytes > NOGVL_BYTES {
        nogvl(f)
    } else {
        Ok(f())
    }
}

fn wrap_engine(ruby: &Ruby, e: engine::Engine, heap: Heap) -> Obj<RbEngine> {
    let obj = ruby.obj_wrap(RbEngine(e, heap));
    obj.freeze();
    obj
}

/// `PackagePolicy._load(bytes)` → the Engine a bundle holds.
fn load(ruby: &Ruby, bytes: RString) -> Result<Obj<RbEngine>, ExtError> {
    guard(|| {
        // SAFETY: copied at once; no Ruby code runs while the slice is borrowed.
        let owned = unsafe { bytes.as_slice() }.to_vec();
        let (loaded, own) = maybe_nogvl(owned.len(), || {
            measure(|| engine::Engine::from_bytes(&owned))
        })?;
        Ok(wrap_engine(ruby, loaded?, Heap { own, total: own }))
    })
}

/// `PackagePolicy._validate(layers, max_errors)` → `[]` or error detail
/// Hashes, at most `max_errors` (nil: all), then `{kind: :more, more: N}`.
fn validate(ruby: &Ruby, layers: RArray, max_errors: Option<usize>) -> Result<RArray, ExtError> {
    guard(|| {
        let cap = max_errors.unwrap_or(usize::MAX);
        let report = match sources(layers) {
            Ok(sources) => engine::validate_capped(&sources, cap),
            Err(ExtError::Compile(e)) => {
                let mut one = engine::Validation::default();
                if cap > 0 {
                    one.errors.push(e);
                } else {
                    one.more = 1;
                }
                one
            }
            Err(e) => return Err(e),
        };
        let ary = ruby.ary_new_capa(report.errors.len() + 1);
        for e in &report.errors {
            ary.push(compile_error_details(ruby, e)?)?;
        }
        if report.more > 0 {
            let h = ruby.hash_new();
            let s = if report.more == 1 { "" } else { "s" };
            h.aset(
                ruby.to_symbol("message"),
                format!("and {} more error{s} (max_errors: {cap})", report.more),
            )?;
            for key in ["line", "column", "layer", "source", "path"] {
                h.aset(ruby.to_symbol(key), ruby.qnil())?;
            }
            h.aset(ruby.to_symbol("kind"), ruby.to_symbol("more"))?;
            h.aset(ruby.to_symbol("more"), report.more)?;
            ary.push(h)?;
        }
        Ok(ary)
    })
}

pub(super) fn now_or_clock(ruby: &Ruby, now: Value) -> Result<Timestamp, ExtError> {
    Ok(timestamp(ruby, now, "now")?.unwrap_or_else(Timestamp::now))
}

impl RbEngine {
    /// `_evaluate_purl(purl, now)`: the hot path; one Decision object per call.
    fn evaluate_purl(
        ruby: &Ruby,
        rb_self: &Self,
        purl: RString,
        now: Value,
    ) -> Result<Obj<RbDecision>, ExtError> {
        guard(|| {
            let now = now_or_clock(ruby, now)?;
            // SAFETY: the string is borrowed only while the purl is read
            // into an owned request; no Ruby code runs meanwhile, so the GC
            // can neither move nor free it (it is an argument, so it is live).
            let text = unsafe { purl.as_str() }?;
            let request = rb_self.0.request_from_purl(text)?;
            Ok(decision::wrap(ruby, rb_self.0.evaluate(&request, now)))
        })
    }

    /// `_evaluate_request(purl, hash, now)`: one request from a Hash (or
    /// keywords) and an optional purl beside it, evaluated at once: no batch,
    /// no GVL release (one request costs less than the release).
    fn evaluate_request(
        ruby: &Ruby,
        rb_self: &Self,
        purl: Value,
        hash: RHash,
        now: Value,
    ) -> Result<Obj<RbDecision>, ExtError> {
        guard(|| {
            let now = now_or_clock(ruby, now)?;
            let owned = request::from_hash(ruby, purl, hash, rb_self.0.limits())?;
            let request = owned.into_request(&rb_self.0)?;
            Ok(decision::wrap(ruby, rb_self.0.evaluate(&request, now)))
        })
    }

    /// `_evaluate_many(requests, now)`: converts every request to owned Rust
    /// data, evaluates them all without the GVL, then builds the Decisions.
    /// The first request that cannot be evaluated raises, naming its index.
    fn evaluate_many(
        ruby: &Ruby,
        rb_self: &Self,
        requests: RArray,
        now: Value,
    ) -> Result<RArray, ExtError> {
        guard(|| {
            let now = now_or_clock(ruby, now)?;
            let mut owned = Vec::with_capacity(requests.len());
            for (i, value) in requests.into_iter().enumerate() {
                owned.push(
                    request::from_value(ruby, value, rb_self.0.limits())
                        .map_err(|e| e.at_index(i))?,
                );
            }
            let engine = &rb_self.0;
            let decisions = nogvl(move || {
                owned
                    .into_iter()
                    .map(|r: OwnedRequest| {
                        r.into_request(engine).map(|req| engine.evaluate(&req, now))
                    })
                    .collect::<Vec<_>>()
            })?;
            let out = ruby.ary_new_capa(decisions.len());
            for (i, d) in decisions.into_iter().enumerate() {
                let d = d.map_err(|e| ExtError::from(e).at_index(i))?;
                out.push(decision::wrap(ruby, d))?;
            }
            Ok(out)
        })
    }

    /// `_versions(ecosystem, name, versions, license, published_at, project, attributes, now)`:
    /// resolution mode, a Hash of version → Decision in the order given.
    #[allow(clippy::too_many_arguments)]
    fn versions(
        ruby: &Ruby,
        rb_self: &Self,
        ecosystem: Value,
        name: Value,
        versions: RArray,
        license: Value,
        published_at: Value,
        project: Value,
        attributes: Value,
        now: Value,
    ) -> Result<RHash, ExtError> {
        guard(|| {
            let nil = ruby.qnil().as_value();
            let fields = Fields {
                ecosystem,
                name,
                version: nil,
                license,
                published_at,
                project,
                attributes,
                provenance: nil,
                previous_provenance: nil,
            };
            let input = fields.into_input(ruby)?;
            let now = now_or_clock(ruby, now)?;
            let list = versions
                .into_iter()
                .map(|v| string(v, "versions", false))
                .collect::<Result<Vec<String>, ExtError>>()?;
            let engine = &rb_self.0;
            let decided = nogvl(|| engine.evaluate_versions(&input, &list, now))??;
            let out = ruby.hash_new();
            for (i, (version, d)) in list.iter().zip(decided).enumerate() {
                let d = d.map_err(|e| ExtError::from(e).at_index(i))?;
                out.aset(version.as_str(), decision::wrap(ruby, d))?;
            }
            Ok(out)
        })
    }

    /// `_resolve(facts, range, versions, now)`: `[version or nil, Decision or
    /// nil, [[version, Decision], ...] refused newest first, [[version, kind,
    /// message], ...] invalid]`; lib/package_policy/engine.rb wraps it in a
    /// frozen `Resolution`. The GVL is released while it works.
    fn resolve(
        ruby: &Ruby,
        rb_self: &Self,
        facts: RHash,
        range: Value,
        versions: RArray,
        now: Value,
    ) -> Result<RArray, ExtError> {
        guard(|| {
            let nil = ruby.qnil().as_value();
            let input = match request::from_hash(ruby, nil, facts, rb_self.0.limits())? {
                OwnedRequest::Fields(input) => *input,
                OwnedRequest::Purl(_) => {
                    return Err(ExtError::Argument(
                        "resolve needs ecosystem: and name:, not a purl".to_owned(),
                    ))
                }
            };
            let range = string(range, "range", false)?;
            let now = now_or_clock(ruby, now)?;
            let list = versions
                .into_iter()
                .map(|v| string(v, "versions", false))
                .collect::<Result<Vec<String>, ExtError>>()?;
            let engine = &rb_self.0;
            let r = nogvl(|| engine.resolve(&input, &range, &list, now))??;
            let out = ruby.ary_new_capa(4);
            out.push(r.version)?;
            out.push(r.decision.map(|d| decision::wrap(ruby, d)))?;
            let refused = ruby.ary_new_capa(r.refused.len());
            for x in r.refused {
                refused.push((x.version, decision::wrap(ruby, x.decision)))?;
            }
            out.push(refused)?;
            let invalid = ruby.ary_new_capa(r.invalid.len());
            for i in r.invalid {
                invalid.push((
                    i.version,
                    ruby.to_symbol(i.error.kind.as_str()),
                    i.error.to_string(),
                ))?;
            }
            out.push(invalid)?;
            Ok(out)
        })
    }

    /// `_stack(layers, feeds, strict_feeds, lenient_feeds)`: a new Engine
    /// with `layers` inner to this one's, sharing this one's compiled levels.
    fn stack(
        ruby: &Ruby,
        rb_self: &Self,
        layers: RArray,
        feed_data: RArray,
        strict_feeds: bool,
        lenient_feeds: bool,
    ) -> Result<Obj<RbEngine>, ExtError> {
        guard(|| {
            let sources = sources(layers)?;
            let options = options(feed_data, strict_feeds, lenient_feeds)?;
            let size = input_size(&sources, &options);
            let base = &rb_self.0;
            let (stacked, own) =
                maybe_nogvl(size, || measure(|| base.stack_with(&sources, &options)))?;
            let total = rb_self.1.total.saturating_add(own);
            Ok(wrap_engine(ruby, stacked?, Heap { own, total }))
        })
    }

    /// `to_bytes` → a binary (ASCII-8BIT) String holding the bundle.
    fn to_bytes(ruby: &Ruby, rb_self: &Self) -> Result<RString, ExtError> {
        guard(|| {
            let engine = &rb_self.0;
            let bytes = maybe_nogvl(engine.rule_count().saturating_mul(64), || engine.to_bytes())?;
            Ok(ruby.str_from_slice(&bytes))
        })
    }

    /// Bytes of Rust heap this engine holds, each shared outer level once.
    fn memsize(&self) -> usize {
        self.1.total
    }

    /// Bytes of Rust heap this engine's own level holds (what stacking it cost).
    fn own_memsize(&self) -> usize {
        self.1.own
    }

    fn depth(&self) -> usize {
        self.0.depth()
    }

    fn layer_count(&self) -> usize {
        self.0.layer_count()
    }

    /// Hex SHA-256 of the compiled policy set's canonical form.
    fn digest(&self) -> String {
        self.0.digest()
    }

    fn rule_count(&self) -> usize {
        self.0.rule_count()
    }

    /// `{feeds: [{name:, documents:, records:, rules:, fixes:, withdrawn:,
    /// superseded:, skipped:, reasons: {not_json: 1, ...}}], issues: [String]}`,
    /// all frozen: what the feeds contributed and every skipped part.
    fn feed_report(ruby: &Ruby, rb_self: &Self) -> Result<RHash, Error> {
        let report = rb_self.0.feed_report();
        let feeds = ruby.ary_new_capa(report.feeds.len());
        for (name, s) in &report.feeds {
            let h = ruby.hash_new();
            h.aset(ruby.to_symbol("name"), name.as_str())?;
            for (key, n) in [
                ("documents", s.documents),
                ("records", s.records),
                ("rules", s.rules),
                ("fixes", s.fixes),
                ("withdrawn", s.withdrawn),
                ("superseded", s.superseded),
                ("skipped", s.skipped),
            ] {
                h.aset(ruby.to_symbol(key), n)?;
            }
            let reasons = ruby.hash_new();
            for (reason, n) in &s.reasons {
                reasons.aset(ruby.to_symbol(reason.as_str()), *n)?;
            }
            reasons.freeze();
            h.aset(ruby.to_symbol("reasons"), reasons)?;
            h.freeze();
            feeds.push(h)?;
        }
        feeds.freeze();
        let issues = ruby.ary_new_capa(report.issues.len());
        for i in &report.issues {
            let text = ruby.str_new(&i.to_string());
            text.freeze();
            issues.push(text)?;
        }
        issues.freeze();
        let out = ruby.hash_new();
        out.aset(ruby.to_symbol("feeds"), feeds)?;
        out.aset(ruby.to_symbol("issues"), issues)?;
        out.freeze();
        Ok(out)
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    module.define_singleton_method("_compile", function!(compile, 4))?;
    module.define_singleton_method("_validate", function!(validate, 2))?;
    module.define_singleton_method("_load", function!(load, 1))?;
    let class = module.define_class("Engine", ruby.class_object())?;
    class.undef_default_alloc_func();
    class.define_method("_evaluate_purl", method!(RbEngine::evaluate_purl, 2))?;
    class.define_method("_evaluate_request", method!(RbEngine::evaluate_request, 3))?;
    class.define_method("_evaluate_many", method!(RbEngine::evaluate_many, 2))?;
    class.define_method("_versions", method!(RbEngine::versions, 8))?;
    class.define_method("_resolve", method!(RbEngine::resolve, 4))?;
    class.define_method("digest", method!(RbEngine::digest, 0))?;
    class.define_method("_stack", method!(RbEngine::stack, 4))?;
    class.define_method("to_bytes", method!(RbEngine::to_bytes, 0))?;
    class.define_method("depth", method!(RbEngine::depth, 0))?;
    class.define_method("memsize", method!(RbEngine::memsize, 0))?;
    class.define_method("own_memsize", method!(RbEngine::own_memsize, 0))?;
    class.define_method("layer_count", method!(RbEngine::layer_count, 0))?;
    class.define_method("rule_count", method!(RbEngine::rule_count, 0))?;
    class.define_method("feed_report", method!(RbEngine::feed_report, 0))?;
    Ok(())
}
