//! The name-only subset (deny rules on ecosystem + package, no exceptions) as
//! Cedar policies: `forbid … resource == Pkg::"eco/name"` for exact names, and
//! `like` for globs. Cedar's `*` also matches `/`, so a glob's `/` count is
//! checked too (globset's `*` stays inside one segment).

use std::str::FromStr;

use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityUid, PolicySet, Request, Response,
    RestrictedExpression,
};
use package_policy::Action;

use super::Answer;
use crate::workload::{Package, Workload};

fn uid(text: &str) -> Result<EntityUid, String> {
    EntityUid::from_str(text).map_err(|e| e.to_string())
}

fn pkg_uid(eco: &str, name: &str) -> Result<EntityUid, String> {
    uid(&format!(
        "Pkg::{}",
        serde_json::to_string(&format!("{eco}/{name}")).unwrap_or_default()
    ))
}

/// Policy text for `w.name_only()`, and the `layer/id` key of each policy in
/// order (`policy0` is the blanket permit).
pub fn policy_text(w: &Workload) -> (String, Vec<String>) {
    let mut text = String::from("permit(principal, action, resource);\n");
    let mut keys = vec![String::new()];
    for l in &w.layers {
        for r in &l.rules {
            let Some(p) = &r.package else { continue };
            for eco in &r.ecosystems {
                match p {
                    Package::Exact(name) => {
                        let id =
                            serde_json::to_string(&format!("{eco}/{name}")).unwrap_or_default();
                        text.push_str(&format!(
                            "forbid(principal, action, resource == Pkg::{id});\n"
                        ));
                    }
                    Package::Glob(pattern) => {
                        let lit = serde_json::to_string(pattern).unwrap_or_default();
                        text.push_str(&format!(
                            "forbid(principal, action, resource) when {{ context.ecosystem == \"{eco}\" && context.name like {lit} && context.slashes == {} }};\n",
                            pattern.matches('/').count()
                        ));
                    }
                }
                keys.push(format!("{}/{}", l.name, r.id));
            }
        }
    }
    (text, keys)
}

pub struct Cedar {
    policies: PolicySet,
    keys: Vec<String>,
    authorizer: Authorizer,
    entities: Entities,
}

impl Cedar {
    pub fn compile(text: &str, keys: Vec<String>) -> Result<Cedar, String> {
        Ok(Cedar {
            policies: PolicySet::from_str(text).map_err(|e| e.to_string())?,
            keys,
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
        })
    }

    pub fn eval(&self, r: &Request) -> Response {
        self.authorizer
            .is_authorized(r, &self.policies, &self.entities)
    }

    pub fn answer(&self, resp: &Response) -> Answer {
        let action = match resp.decision() {
            Decision::Allow => Action::Allow,
            Decision::Deny => Action::Deny,
        };
        let mut matched: Vec<String> = resp
            .diagnostics()
            .reason()
            .filter_map(|id| {
                let k: usize = id.to_string().strip_prefix("policy")?.parse().ok()?;
                self.keys.get(k).filter(|s| !s.is_empty()).cloned()
            })
            .collect();
        matched.sort();
        matched.dedup();
        Answer { action, matched }
    }
}

pub fn requests(w: &Workload) -> Result<Vec<Request>, String> {
    let principal = uid("User::\"proxy\"")?;
    let action = uid("Action::\"download\"")?;
    w.requests
        .iter()
        .map(|r| {
            let eco = r.ecosystem.as_str();
            let context = Context::from_pairs([
                (
                    "ecosystem".to_owned(),
                    RestrictedExpression::new_string(eco.to_owned()),
                ),
                (
                    "name".to_owned(),
                    RestrictedExpression::new_string(r.name.clone()),
                ),
                (
                    "slashes".to_owned(),
                    RestrictedExpression::new_long(r.name.matches('/').count() as i64),
                ),
            ])
            .map_err(|e| e.to_string())?;
            Request::new(
                principal.clone(),
                action.clone(),
                pkg_uid(eco, &r.name)?,
                context,
                None,
            )
            .map_err(|e| e.to_string())
        })
        .collect()
}
