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

pub mod analysis;
mod bundle;
mod decision;
mod digest;
mod engine;
mod error;
mod explain;
pub mod feed;
mod glob;
mod index;
mod layer;
mod license;
mod limits;
mod matcher;
mod one_or_many;
pub mod purl;
pub mod reference;
mod request;
mod request_check;
mod stack;
mod version_sieve;
mod yaml;

pub use bundle::{LoadError, LoadErrorKind, BUNDLE_MAGIC, BUNDLE_VERSION};
pub use decision::{Action, Decision, RuleRef, Suppressed};
pub use engine::{validate, Engine};
pub use error::{CompileError, CompileErrorKind, RequestError, RequestErrorKind};
pub use explain::{Explanation, RuleExplanation, RuleOutcome};
pub use feed::{CompileOptions, FeedIssue, FeedReport, FeedSource, FeedStats};
pub use layer::LayerSource;
pub use license::LicenseExpr;
pub use limits::Limits;
pub use package_versions::Ecosystem;
pub use purl::{Purl, PurlError, PurlParts};
pub use request::{AttrValue, Request, RequestInput};
pub use stack::MAX_LEVELS;
