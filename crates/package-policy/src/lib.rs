//! package_policy: layered package rules compiled into an immutable engine.
//!
//! ```
//! use package_policy::{Engine, LayerSource, Request};
//! let yaml = "schema_version: 1\nlayer: acme\nrules:\n  - id: no-evil\n    action: deny\n    match: { ecosystem: npm, package: evil }\n";
//! let engine = Engine::compile(&[LayerSource::new("acme.yaml", yaml)]).unwrap();
//! let request = Request::from_purl("pkg:npm/evil@1.0.0").unwrap();
//! let decision = engine.evaluate(&request, jiff::Timestamp::now());
//! assert_eq!(decision.action, package_policy::Action::Deny);
//! ```

mod advisory;
pub mod analysis;
mod blank;
mod bundle;
mod compile;
mod cooldown;
mod decision;
mod digest;
mod document;
mod engine;
mod error;
mod explain;
pub mod feed;
mod glob;
mod index;
mod json;
mod layer;
mod license;
mod limits;
mod locate;
mod matcher;
pub mod names;
mod one_or_many;
mod parse;
pub mod purl;
pub mod reference;
mod request;
mod resolve;
mod source;
mod stack;
mod unless;
mod validate;
mod version_sieve;
mod yaml;

pub use bundle::{LoadError, LoadErrorKind, BUNDLE_MAGIC, BUNDLE_VERSION};
pub use compile::{validate, validate_capped, Validation, DEFAULT_MAX_ERRORS};
pub use decision::{Action, Decision, RuleRef, Suppressed};
pub use engine::Engine;
pub use error::{CompileError, CompileErrorKind, RequestError, RequestErrorKind};
pub use explain::{Explanation, RuleExplanation, RuleOutcome};
pub use feed::{CompileOptions, FeedIssue, FeedIssueReason, FeedReport, FeedSource, FeedStats};
pub use license::LicenseExpr;
pub use limits::Limits;
pub use package_versions::Ecosystem;
pub use purl::{Purl, PurlError, PurlParts};
pub use request::provenance::{Provenance, ProvenanceInput, Publisher, PROVENANCE_KEYS};
pub use request::{AttrValue, Request, RequestInput};
pub use resolve::{InvalidVersion, Refusal, Resolution, MAX_RESOLVE_VERSIONS};
pub use source::LayerSource;
pub use stack::MAX_LEVELS;
