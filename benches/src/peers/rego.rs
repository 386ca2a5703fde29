//! The workload as Rego data plus one idiomatic policy ([`POLICY`]), evaluated
//! by regorus three ways: the interpreter (`eval_rule`), a compiled policy
//! (`CompiledPolicy::eval_with_input`) and the Rego VM (RVM).

use std::collections::BTreeMap;

use package_policy::Ecosystem;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::{CompiledPolicy, Value};
use serde_json::{json, Map, Value as Json};

use super::{parse_action, Answer};
use crate::workload::{Package, RuleSpec, VersionSpec, Workload};

pub const POLICY: &str = include_str!("policy.rego");
pub const ENTRY: &str = "data.pp.decision";

fn rule_json(layer: usize, layer_name: &str, r: &RuleSpec) -> Json {
    let mut o = Map::new();
    o.insert("key".into(), json!(format!("{layer_name}/{}", r.id)));
    o.insert("layer".into(), json!(layer));
    o.insert("action".into(), json!(r.action.as_str()));
    o.insert("enforced".into(), json!(r.enforced));
    if let Some(Package::Glob(p)) = &r.package {
        o.insert("pattern".into(), json!(p));
    }
    if r.package.is_none() && !r.ecosystems.is_empty() {
        let ecos: Vec<&str> = r.ecosystems.iter().map(|e| e.as_str()).collect();
        o.insert("ecosystems".into(), json!(ecos));
    }
    if let Some(v) = r.versions {
        let iv = match v {
            VersionSpec::Exact(x) => json!({"eq": x.semver()}),
            VersionSpec::Range(lo, hi) => json!({"lo": lo.semver(), "hi": hi.semver()}),
        };
        o.insert("versions".into(), json!([iv]));
    }
    if !r.license.is_empty() {
        o.insert("license".into(), json!(r.license));
    }
    if !r.license_not_in.is_empty() {
        o.insert("license_not_in".into(), json!(r.license_not_in));
    }
    if let Some(h) = r.published_within_hours {
        o.insert("within_ns".into(), json!(i64::from(h) * 3_600_000_000_000));
    }
    if let Some(p) = &r.project {
        o.insert("project".into(), json!(p));
    }
    if let Some(t) = r.expires {
        o.insert("expires_ns".into(), json!(ns(t)));
    }
    Json::Object(o)
}

fn ns(t: jiff::Timestamp) -> i64 {
    i64::try_from(t.as_nanosecond()).unwrap_or(i64::MAX)
}

/// `{"policy": {exact, globs, generic, default_action}}` as JSON text.
pub fn data_json(w: &Workload) -> String {
    let mut exact: BTreeMap<&str, Map<String, Json>> = BTreeMap::new();
    let mut globs: BTreeMap<&str, Vec<Json>> = BTreeMap::new();
    let mut generic = Vec::new();
    let mut default = package_policy::Action::Allow;
    for (li, l) in w.layers.iter().enumerate() {
        default = default.max(l.default);
        for r in &l.rules {
            let rj = rule_json(li, &l.name, r);
            let ecos: Vec<Ecosystem> = if r.ecosystems.is_empty() {
                Ecosystem::ALL.to_vec()
            } else {
                r.ecosystems.clone()
            };
            match &r.package {
                Some(Package::Exact(name)) => {
                    for e in ecos {
                        let by_name = exact.entry(e.as_str()).or_default();
                        match by_name.get_mut(name.as_str()) {
                            Some(Json::Array(list)) => list.push(rj.clone()),
                            _ => {
                                by_name.insert(name.clone(), json!([rj.clone()]));
                            }
                        }
                    }
                }
                Some(Package::Glob(_)) => {
                    for e in ecos {
                        globs.entry(e.as_str()).or_default().push(rj.clone());
                    }
                }
                None => generic.push(rj),
            }
        }
    }
    json!({"policy": {
        "exact": exact,
        "globs": globs,
        "generic": generic,
        "default_action": default.as_str(),
    }})
    .to_string()
}

/// The request stream as Rego inputs (versions as plain semver for `semver.compare`).
pub fn inputs(w: &Workload) -> Result<Vec<Value>, String> {
    let now = ns(w.now);
    w.requests
        .iter()
        .map(|r| {
            let mut o = Map::new();
            o.insert("ecosystem".into(), json!(r.ecosystem.as_str()));
            o.insert("name".into(), json!(r.name));
            if let Some(v) = r.version {
                o.insert("version".into(), json!(v.semver()));
            }
            if let Some(l) = r.license {
                o.insert("license".into(), json!(l));
            }
            o.insert("published_at".into(), json!(r.published_at.to_string()));
            o.insert("project".into(), json!(r.project));
            o.insert("now_ns".into(), json!(now));
            Value::from_json_str(&Json::Object(o).to_string()).map_err(|e| e.to_string())
        })
        .collect()
}

pub fn answer(v: &Value) -> Result<Answer, String> {
    let text = v.to_json_str().map_err(|e| e.to_string())?;
    let j: Json = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let action = parse_action(j.get("action").and_then(Json::as_str).unwrap_or(""))
        .map_err(|e| format!("{e} in {text}"))?;
    let matched = j
        .get("matched")
        .and_then(Json::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Ok(Answer { action, matched })
}

/// Parses the data and the policy into a regorus engine (what "compile" costs).
pub fn load(data_json: &str) -> Result<regorus::Engine, String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("policy.rego".into(), POLICY.into())
        .map_err(|e| e.to_string())?;
    let data = Value::from_json_str(data_json).map_err(|e| e.to_string())?;
    engine.add_data(data).map_err(|e| e.to_string())?;
    Ok(engine)
}

/// The interpreter: `set_input` + `eval_rule` per request.
pub struct Interpreter {
    engine: regorus::Engine,
}

impl Interpreter {
    pub fn new(data_json: &str) -> Result<Interpreter, String> {
        Ok(Interpreter {
            engine: load(data_json)?,
        })
    }

    /// The policy's intermediate rules for `input`, to diagnose a mismatch.
    pub fn explain(&mut self, input: &Value) -> String {
        self.engine.set_input(input.clone());
        ["candidates", "m", "allows", "blocking", "action"]
            .iter()
            .map(|r| {
                let v = self.engine.eval_rule(format!("data.pp.{r}"));
                format!(
                    "{r} = {}",
                    v.map_or_else(|e| e.to_string(), |v| v.to_string())
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    pub fn eval(&mut self, input: &Value) -> Result<Value, String> {
        self.engine.set_input(input.clone());
        self.engine
            .eval_rule(ENTRY.into())
            .map_err(|e| e.to_string())
    }
}

pub fn compile_policy(data_json: &str) -> Result<CompiledPolicy, String> {
    let mut engine = load(data_json)?;
    engine
        .compile_with_entrypoint(&ENTRY.into())
        .map_err(|e| e.to_string())
}

/// A compiled policy: `eval_with_input` per request.
pub struct Compiled {
    policy: CompiledPolicy,
}

impl Compiled {
    pub fn new(data_json: &str) -> Result<Compiled, String> {
        Ok(Compiled {
            policy: compile_policy(data_json)?,
        })
    }

    pub fn eval(&self, input: &Value) -> Result<Value, String> {
        self.policy
            .eval_with_input(input.clone())
            .map_err(|e| e.to_string())
    }
}

/// The Rego VM: the policy compiled to an RVM program, data loaded once.
pub struct Rvm {
    vm: RegoVM,
}

impl Rvm {
    pub fn new(data_json: &str) -> Result<Rvm, String> {
        let compiled = compile_policy(data_json)?;
        let program =
            Compiler::compile_from_policy(&compiled, &[ENTRY]).map_err(|e| e.to_string())?;
        let mut vm = RegoVM::new_with_policy(compiled);
        vm.load_program(program);
        let data = Value::from_json_str(data_json).map_err(|e| e.to_string())?;
        vm.set_data(data).map_err(|e| e.to_string())?;
        Ok(Rvm { vm })
    }

    pub fn eval(&mut self, input: &Value) -> Result<Value, String> {
        self.vm.set_input(input.clone());
        self.vm
            .execute_entry_point_by_name(ENTRY)
            .map_err(|e| e.to_string())
    }
}
