//! Layer documents: YAML → validated rules. The YAML parsers stay behind
//! `crate::yaml`.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use jiff::Timestamp;
use package_versions::Ecosystem;
use serde::Deserialize;

use crate::decision::{Action, RuleRef};
use crate::error::{CompileError, CompileErrorKind};
use crate::limits::Limits;
use crate::one_or_many::OneOrMany;
use crate::request::{normalize_name, AttrValue};

/// One layer's YAML text and the name errors should use for it (a file name).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LayerSource {
    pub name: String,
    pub text: String,
}

impl LayerSource {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
        }
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawAction {
    Allow,
    Warn,
    Deny,
}

impl From<RawAction> for Action {
    fn from(a: RawAction) -> Self {
        match a {
            RawAction::Allow => Action::Allow,
            RawAction::Warn => Action::Warn,
            RawAction::Deny => Action::Deny,
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum RawMode {
    Enforce,
    DryRun,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLayer {
    schema_version: u32,
    layer: String,
    default: Option<RawAction>,
    mode: Option<RawMode>,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    action: RawAction,
    reason: Option<String>,
    enforced: Option<bool>,
    expires: Option<String>,
    owner: Option<String>,
    ticket: Option<String>,
    #[serde(rename = "match")]
    conditions: RawMatch,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMatch {
    ecosystem: Option<OneOrMany<String>>,
    package: Option<OneOrMany<String>>,
    versions: Option<OneOrMany<String>>,
    license: Option<OneOrMany<String>>,
    license_not_in: Option<OneOrMany<String>>,
    published_within: Option<String>,
    project: Option<OneOrMany<String>>,
    attributes: Option<BTreeMap<String, AttrValue>>,
}

/// A validated layer.
#[derive(Debug, Clone)]
pub(crate) struct Layer {
    pub name: Arc<str>,
    pub default: Action,
    pub dry_run: bool,
    pub rules: Vec<Rule>,
}

/// A validated rule; conditions are normalized.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub rref: RuleRef,
    pub enforced: bool,
    pub expires: Option<Timestamp>,
    /// `None` = any ecosystem.
    pub ecosystems: Option<Vec<Ecosystem>>,
    /// `None` = any package. Raw (un-normalized) names; normalized per ecosystem at match time.
    pub packages: Option<Vec<String>>,
}

pub(crate) fn parse_layer(src: &LayerSource, limits: &Limits) -> Result<Layer, CompileError> {
    let raw: RawLayer = crate::yaml::from_str(src, limits)?;
    let invalid = |msg: String| CompileError::new(CompileErrorKind::Invalid, &src.name, msg);
    if raw.schema_version != 1 {
        return Err(invalid(format!(
            "schema_version {} is not supported (only 1 exists)",
            raw.schema_version
        ))
        .with_path("schema_version"));
    }
    let name: Arc<str> = Arc::from(raw.layer.as_str());
    let mut ids = HashSet::new();
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (i, r) in raw.rules.into_iter().enumerate() {
        let path = format!("rules[{i}]");
        let fail = |field: &str, msg: String| {
            invalid(msg)
                .with_path(format!("{path}{field}"))
                .in_layer(&name)
        };
        if !ids.insert(r.id.clone()) {
            return Err(CompileError::new(
                CompileErrorKind::Duplicate,
                &src.name,
                format!("duplicate rule id `{}`", r.id),
            )
            .with_path(format!("{path}.id"))
            .in_layer(&name));
        }
        let action = Action::from(r.action);
        let enforced = r.enforced.unwrap_or(false);
        if enforced && action == Action::Allow {
            return Err(fail(
                ".enforced",
                "`enforced` applies to deny and warn rules only".into(),
            ));
        }
        let expires = match &r.expires {
            None => None,
            Some(s) => Some(parse_expiry(s).map_err(|m| fail(".expires", m))?),
        };
        let m = r.conditions;
        let ecosystems = match m.ecosystem {
            None => None,
            Some(list) => Some(
                list.into_vec()
                    .iter()
                    .map(|e| {
                        e.parse::<Ecosystem>()
                            .map_err(|e| fail(".match.ecosystem", e.to_string()))
                    })
                    .collect::<Result<Vec<_>, _>>()?,
            ),
        };
        let packages = m.package.map(OneOrMany::into_vec);
        if let Some(p) = packages
            .as_ref()
            .and_then(|ps| ps.iter().find(|p| p.contains(['*', '?', '[', '{'])))
        {
            return Err(fail(
                ".match.package",
                format!("glob `{p}`: globs are not supported yet"),
            ));
        }
        for (key, present) in [
            ("versions", m.versions.is_some()),
            ("license", m.license.is_some()),
            ("license_not_in", m.license_not_in.is_some()),
            ("published_within", m.published_within.is_some()),
            ("project", m.project.is_some()),
            ("attributes", m.attributes.is_some()),
        ] {
            if present {
                return Err(fail(
                    &format!(".match.{key}"),
                    format!("`{key}` is not supported yet"),
                ));
            }
        }
        rules.push(Rule {
            rref: RuleRef {
                layer: name.clone(),
                id: Arc::from(r.id.as_str()),
                action,
                reason: r.reason.map(|s| Arc::from(s.as_str())),
                owner: r.owner.map(|s| Arc::from(s.as_str())),
                ticket: r.ticket.map(|s| Arc::from(s.as_str())),
            },
            enforced,
            expires,
            ecosystems,
            packages,
        });
    }
    Ok(Layer {
        name,
        default: raw.default.map(Action::from).unwrap_or(Action::Allow),
        dry_run: matches!(raw.mode, Some(RawMode::DryRun)),
        rules,
    })
}

/// A bare date means 00:00:00 UTC of that day; otherwise RFC 3339.
fn parse_expiry(s: &str) -> Result<Timestamp, String> {
    if let Ok(d) = s.parse::<jiff::civil::Date>() {
        if s.len() == 10 {
            return d
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|e| e.to_string());
        }
    }
    s.parse::<Timestamp>()
        .map_err(|e| format!("`{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time: {e}"))
}

impl Rule {
    pub(crate) fn matches_name(&self, eco: Ecosystem, normalized: &str) -> bool {
        match &self.packages {
            None => true,
            Some(ps) => ps.iter().any(|p| normalize_name(eco, p) == normalized),
        }
    }
}
