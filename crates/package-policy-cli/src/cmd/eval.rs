//! `package-policy eval`: one JSON decision per request, in input order.

use std::io::{BufRead, BufWriter, Write};

use package_policy::Request;

use crate::request_json::BadRequest;
use crate::{decision_json, exit, request_json, PolicyArgs};

/// With `log`, each decision also carries its request, `now` and the policy
/// digest: a decision-log line (`replay` reads them).
pub fn run(args: &PolicyArgs, purls: &[String], log: bool) -> u8 {
    let loaded = match super::load(args) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut all_evaluated = true;
    let mut emit = |req: Result<Request, BadRequest>| -> std::io::Result<()> {
        let value = match req {
            Ok(r) => {
                let mut value = decision_json::decision(&loaded.engine.evaluate(&r, loaded.now));
                if let (true, Some(m)) = (log, value.as_object_mut()) {
                    m.insert("request".into(), request_json::of_request(&r));
                    m.insert("now".into(), loaded.now.to_string().into());
                    m.insert("policy".into(), loaded.engine.digest().into());
                }
                value
            }
            Err(e) => {
                all_evaluated = false;
                decision_json::request_error(&e)
            }
        };
        writeln!(out, "{value}")
    };
    let written = if purls.is_empty() {
        read_stdin(&mut emit)
    } else {
        purls
            .iter()
            .try_for_each(|p| emit(Request::from_purl(p).map_err(BadRequest::from)))
    };
    if let Err(e) = written.and_then(|()| out.flush()) {
        eprintln!("eval: {e}");
        return exit::USAGE;
    }
    if all_evaluated {
        exit::OK
    } else {
        exit::NOT_EVALUATED
    }
}

/// Blank lines are not requests and produce no output line; a line that is
/// not UTF-8 is a bad request, and reading goes on.
fn read_stdin(
    emit: &mut impl FnMut(Result<Request, BadRequest>) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    loop {
        buf.clear();
        if input.read_until(b'\n', &mut buf)? == 0 {
            return Ok(());
        }
        line_no += 1;
        match std::str::from_utf8(&buf) {
            Err(e) => emit(Err(format!("line {line_no}: not UTF-8: {e}").into()))?,
            Ok(line) if line.trim().is_empty() => {}
            Ok(line) => emit(request_json::parse_json(line))?,
        }
    }
}
