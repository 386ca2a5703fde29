//! `package-policy resolve`: for each stdin line `{ecosystem, name, range,
//! versions, ...request facts}`, the newest version in range that the policy
//! serves (allow or warn) and the decision of each newer one it refused.

use std::io::{BufRead, BufWriter, Write};

use jiff::Timestamp;
use package_policy::{Engine, Resolution};
use serde_json::{json, Map, Value};

use crate::request_json::BadRequest;
use crate::{decision_json, exit, request_json, PolicyArgs};

pub fn run(args: &PolicyArgs) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut all_resolved = true;
    let result = (|| -> std::io::Result<()> {
        loop {
            buf.clear();
            if input.read_until(b'\n', &mut buf)? == 0 {
                return Ok(());
            }
            line_no += 1;
            let answer = match std::str::from_utf8(&buf) {
                Err(e) => Err(format!("line {line_no}: not UTF-8: {e}").into()),
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => resolve_line(&loaded.engine, line, loaded.now),
            };
            let value = answer.unwrap_or_else(|e| {
                all_resolved = false;
                decision_json::request_error(&e)
            });
            writeln!(out, "{value}")?;
        }
    })();
    if let Err(e) = result.and_then(|()| out.flush()) {
        eprintln!("resolve: {e}");
        return exit::USAGE;
    }
    if all_resolved {
        exit::OK
    } else {
        exit::NOT_EVALUATED
    }
}

/// One line: the query's `range` and `versions`, the rest a request.
fn resolve_line(engine: &Engine, line: &str, now: Timestamp) -> Result<Value, BadRequest> {
    let value: Value = serde_json::from_str(line).map_err(|e| format!("request: {e}"))?;
    let Value::Object(mut m) = value else {
        return Err("request: a resolve query is a JSON object".into());
    };
    let range = match m.remove("range") {
        Some(Value::String(r)) => r,
        Some(_) => return Err("request: `range` must be a string".into()),
        None => return Err("request: needs `range` (the client's version range)".into()),
    };
    let versions: Vec<String> = match m.remove("versions") {
        Some(Value::Array(vs)) => vs
            .into_iter()
            .map(|v| match v {
                Value::String(s) => Ok(s),
                _ => Err(BadRequest::from("request: `versions` must be strings")),
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("request: `versions` must be an array of strings".into()),
        None => return Err("request: needs `versions` (the published versions)".into()),
    };
    if m.contains_key("version") {
        return Err("request: resolve takes `versions` and a `range`, not a `version`".into());
    }
    let req = request_json::from_value(Value::Object(m))?;
    let r = engine.resolve(&req.to_input(), &range, &versions, now)?;
    Ok(resolution(&r))
}

/// `{version, decision?, refused: [{version, ...decision}], invalid: [{version, kind, error}]}`.
pub fn resolution(r: &Resolution) -> Value {
    let mut m = Map::new();
    m.insert("version".into(), json!(r.version));
    if let Some(d) = &r.decision {
        m.insert("decision".into(), decision_json::decision(d));
    }
    let refused: Vec<Value> = r
        .refused
        .iter()
        .map(|x| {
            let mut one = Map::new();
            one.insert("version".into(), json!(x.version));
            if let Value::Object(d) = decision_json::decision(&x.decision) {
                one.extend(d);
            }
            Value::Object(one)
        })
        .collect();
    m.insert("refused".into(), Value::Array(refused));
    let invalid: Vec<Value> = r
        .invalid
        .iter()
        .map(|i| json!({ "version": i.version, "kind": i.error.kind.as_str(), "error": i.error.to_string() }))
        .collect();
    m.insert("invalid".into(), Value::Array(invalid));
    Value::Object(m)
}
