//! `Engine::resolve`: the newest version in a client's range that the policy
//! serves, with the decision of each newer in-range version it refused.
//!
//! Served means allow or warn (a proxy serves a warned package and passes
//! the warning on); deny is refused. Versions that do not parse are reported,
//! never chosen. Decisions come from resolution mode
//! ([`Engine::evaluate_versions`]), newest first in growing batches, so the
//! common answer (the newest in range is served) decides a handful of
//! versions, and the worst case decides each version once.

use jiff::Timestamp;
use package_versions::{Version, VersionSet};

use crate::decision::{Action, Decision};
use crate::engine::Engine;
use crate::error::{RequestError, RequestErrorKind};
use crate::request::RequestInput;

/// At most this many versions per call (a registry's largest packages have
/// a few thousand).
pub const MAX_RESOLVE_VERSIONS: usize = 65_536;

/// What [`Engine::resolve`] found.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Resolution {
    /// The newest version in range that the policy serves (allow or warn),
    /// as given; `None` when there is none.
    pub version: Option<String>,
    /// The decision for `version` (allow, or warn with its rules).
    pub decision: Option<Decision>,
    /// Every in-range version newer than `version` (all in-range versions
    /// when there is none), newest first, with the decision that refused it.
    pub refused: Vec<Refusal>,
    /// The versions that do not parse in the ecosystem, in the order given.
    pub invalid: Vec<InvalidVersion>,
}

/// A version the policy refused, and why (its rules, `allowed_after`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Refusal {
    pub version: String,
    pub decision: Decision,
}

/// A listed version that is not a version of the ecosystem.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct InvalidVersion {
    pub version: String,
    pub error: RequestError,
}

/// Whether a decision's package is served.
fn served(d: &Decision) -> bool {
    d.action != Action::Deny
}

impl Engine {
    /// The newest of `versions` that satisfies `range` (the ecosystem's
    /// native syntax, or a `vers:` URI) and that the policy serves, for the
    /// package and facts of `input` (its `version` must be absent), at `now`.
    ///
    /// Errors: a bad package or facts, a `version` in `input`, a range that
    /// does not parse (kind `version`, field `range`) or over the range size
    /// limit, or more than [`MAX_RESOLVE_VERSIONS`] versions (kind `limit`).
    pub fn resolve(
        &self,
        input: &RequestInput,
        range: &str,
        versions: &[String],
        now: Timestamp,
    ) -> Result<Resolution, RequestError> {
        if input.version.is_some() {
            return Err(RequestError::new(
                RequestErrorKind::Version,
                "version",
                "resolve takes `versions` and a `range`, not a `version`",
            ));
        }
        let base = self.request(input.clone())?;
        let limits = self.limits();
        if range.len() > limits.range_bytes {
            return Err(RequestError::new(
                RequestErrorKind::Limit,
                "range",
                format!("range is longer than {} bytes", limits.range_bytes),
            ));
        }
        if versions.len() > MAX_RESOLVE_VERSIONS {
            return Err(RequestError::new(
                RequestErrorKind::Limit,
                "versions",
                format!("more than {MAX_RESOLVE_VERSIONS} versions"),
            ));
        }
        let set: VersionSet =
            package_versions::parse_range(base.ecosystem, range).map_err(|e| {
                RequestError::new(
                    RequestErrorKind::Version,
                    "range",
                    format!("`{range}` is not a {} range: {e}", base.ecosystem),
                )
            })?;
        let mut invalid = Vec::new();
        // (parsed, index into `versions`) of the versions in range.
        let mut candidates: Vec<(Version, usize)> = Vec::new();
        for (i, text) in versions.iter().enumerate() {
            match parse(base.ecosystem, text, limits.request_version_bytes) {
                Ok(v) => {
                    if set.contains(&v) {
                        candidates.push((v, i));
                    }
                }
                Err(error) => invalid.push(InvalidVersion {
                    version: text.clone(),
                    error,
                }),
            }
        }
        // Newest first; equal versions keep the order given.
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut refused = Vec::new();
        let mut start = 0;
        let mut batch = 4;
        while start < candidates.len() {
            let end = candidates.len().min(start + batch);
            let texts: Vec<String> = candidates
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .filter_map(|(_, i)| versions.get(*i).cloned())
                .collect();
            let decisions = self.evaluate_versions(input, &texts, now)?;
            for (text, d) in texts.into_iter().zip(decisions) {
                // Parsed once already: an error here would be a bug; report it.
                let d = match d {
                    Ok(d) => d,
                    Err(error) => {
                        invalid.push(InvalidVersion {
                            version: text,
                            error,
                        });
                        continue;
                    }
                };
                if served(&d) {
                    return Ok(Resolution {
                        version: Some(text),
                        decision: Some(d),
                        refused,
                        invalid,
                    });
                }
                refused.push(Refusal {
                    version: text,
                    decision: d,
                });
            }
            start = end;
            batch *= 4;
        }
        Ok(Resolution {
            version: None,
            decision: None,
            refused,
            invalid,
        })
    }
}

fn parse(
    eco: package_versions::Ecosystem,
    text: &str,
    max: usize,
) -> Result<Version, RequestError> {
    if text.len() > max {
        return Err(RequestError::new(
            RequestErrorKind::Limit,
            "versions",
            format!("version is longer than {max} bytes"),
        ));
    }
    Version::parse(eco, text).map_err(|e| {
        RequestError::new(
            RequestErrorKind::Version,
            "versions",
            format!("`{text}`: {e}"),
        )
    })
}
