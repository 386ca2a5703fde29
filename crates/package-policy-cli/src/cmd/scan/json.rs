//! `--format json`: one array, a package's coordinates and place merged with
//! its decision JSON, `error`, or `skipped: {reason, detail}`.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{Outcome, Row};
use crate::decision_json;

pub fn write(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let items: Vec<Value> = rows.iter().map(item).collect();
    serde_json::to_writer_pretty(&mut *out, &items)?;
    writeln!(out)
}

fn item(r: &Row) -> Value {
    let mut obj = Map::new();
    obj.insert("ecosystem".into(), json!(r.ecosystem));
    obj.insert("name".into(), json!(r.name));
    obj.insert("version".into(), json!(r.version));
    if let Some(file) = &r.at.file {
        obj.insert("file".into(), json!(file));
    }
    if let Some(line) = r.at.line {
        obj.insert("line".into(), json!(line));
    }
    let result = match &r.outcome {
        Outcome::Decided {
            decision,
            action,
            license_error,
        } => {
            let mut d = decision_json::decision(decision);
            if let Value::Object(m) = &mut d {
                m.insert("action".into(), json!(action.as_str()));
                if let Some(e) = license_error {
                    m.insert("license_error".into(), json!(e));
                }
            }
            d
        }
        Outcome::Error(e) => decision_json::error(e),
        Outcome::Skipped { reason, detail } => {
            json!({"skipped": {"reason": reason.as_str(), "detail": detail}})
        }
    };
    if let Value::Object(m) = result {
        obj.extend(m);
    }
    Value::Object(obj)
}
