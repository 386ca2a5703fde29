//! The bad-input corpus: every policy in tests/bad_inputs/ and every generated
//! one below must fail to compile with a typed error that has a location, and
//! must finish: each case runs in its own thread and the run fails if one does
//! not finish within HANG_GUARD (a guard against hangs, not a timing check).
//!
//! A file's first line says what it expects:
//! `# expect: KIND [line=N] [column=N] [path=P]`. A line `--- # next layer`
//! splits a file into several layers of one policy set.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use package_policy::{CompileError, CompileErrorKind, Engine, LayerSource, Limits};

const HANG_GUARD: Duration = Duration::from_secs(10);

#[derive(Debug, Default)]
struct Expect {
    kind: Option<CompileErrorKind>,
    line: Option<usize>,
    column: Option<usize>,
    path: Option<String>,
    /// The document names its layer, so the error must too.
    layer: bool,
}

fn kind(name: &str) -> CompileErrorKind {
    match name {
        "Syntax" => CompileErrorKind::Syntax,
        "Invalid" => CompileErrorKind::Invalid,
        "Duplicate" => CompileErrorKind::Duplicate,
        "Limit" => CompileErrorKind::Limit,
        other => panic!("unknown kind {other}"),
    }
}

fn parse_expect(header: &str) -> Expect {
    let spec = header
        .strip_prefix("# expect:")
        .unwrap_or_else(|| panic!("first line must be `# expect: ...`, got {header:?}"));
    let mut e = Expect::default();
    for word in spec.split_whitespace() {
        match word.split_once('=') {
            Some(("line", n)) => e.line = Some(n.parse().unwrap()),
            Some(("column", n)) => e.column = Some(n.parse().unwrap()),
            Some(("path", p)) => e.path = Some(p.to_owned()),
            Some((k, _)) => panic!("unknown expectation {k}"),
            None => e.kind = Some(kind(word)),
        }
    }
    e
}

/// Compiles `sources` in a thread; None if it did not finish in time.
fn compile_guarded(sources: Vec<LayerSource>, limits: Limits) -> Option<Result<(), CompileError>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let r = Engine::compile_with_limits(&sources, &limits).map(|_| ());
        let _ = tx.send(r);
    });
    rx.recv_timeout(HANG_GUARD).ok()
}

/// None when the case behaves, else what is wrong.
fn check(name: &str, sources: Vec<LayerSource>, limits: Limits, expect: &Expect) -> Option<String> {
    let err = match compile_guarded(sources, limits) {
        None => return Some(format!("{name}: did not finish within {HANG_GUARD:?}")),
        Some(Ok(())) => return Some(format!("{name}: compiled, expected an error")),
        Some(Err(e)) => e,
    };
    let mut problems = Vec::new();
    if let Some(k) = &expect.kind {
        if &err.kind != k {
            problems.push(format!("kind {:?}, expected {k:?}", err.kind));
        }
    }
    if err.line.is_none() || err.column.is_none() {
        problems.push("no line/column".to_owned());
    }
    if expect.line.is_some() && err.line != expect.line {
        problems.push(format!("line {:?}, expected {:?}", err.line, expect.line));
    }
    if expect.column.is_some() && err.column != expect.column {
        problems.push(format!(
            "column {:?}, expected {:?}",
            err.column, expect.column
        ));
    }
    if expect.path.is_some() && err.path != expect.path {
        problems.push(format!("path {:?}, expected {:?}", err.path, expect.path));
    }
    if expect.layer && err.layer.is_none() {
        problems.push("no layer name".to_owned());
    }
    if err.source_name.is_empty() || err.message.is_empty() {
        problems.push("no source name or message".to_owned());
    }
    (!problems.is_empty()).then(|| format!("{name}: {} (error: {err})", problems.join("; ")))
}

fn run_all(cases: Vec<(String, Vec<LayerSource>, Limits, Expect)>) {
    let count = cases.len();
    let failures: Vec<String> = cases
        .into_iter()
        .filter_map(|(name, sources, limits, expect)| check(&name, sources, limits, &expect))
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {count} cases:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn corpus_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_inputs");
    let mut cases = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
    {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let mut expect = parse_expect(text.lines().next().unwrap_or_default());
        expect.layer = text.contains("\nlayer: acme\n");
        let mut lines_before = 0;
        let sources = text
            .split("--- # next layer\n")
            .enumerate()
            .map(|(i, part)| {
                // Later layers keep their line numbers in the file.
                let padded = format!("{}{part}", "\n".repeat(lines_before));
                lines_before += part.matches('\n').count() + 1;
                LayerSource::new(format!("{name}#{i}"), padded)
            })
            .collect();
        cases.push((name, sources, Limits::default(), expect));
    }
    assert!(
        cases.len() >= 20,
        "the corpus went missing: {} files",
        cases.len()
    );
    run_all(cases);
}

const VALID: &str = "schema_version: 1
layer: acme
default: allow
mode: enforce
rules:
  - id: r1
    action: deny
    reason: bad
    enforced: true
    expires: 2030-01-01
    owner: sec@acme.example
    ticket: SEC-1
    match:
      ecosystem: npm
      package: left-pad
";

fn one(name: &str, text: String, expect: Expect) -> (String, Vec<LayerSource>, Limits, Expect) {
    (
        name.to_owned(),
        vec![LayerSource::new(name, text)],
        Limits::default(),
        expect,
    )
}

fn expect(kind: CompileErrorKind, line: Option<usize>) -> Expect {
    Expect {
        kind: Some(kind),
        line,
        ..Expect::default()
    }
}

#[test]
fn the_valid_base_compiles() {
    Engine::compile(&[LayerSource::new("valid.yaml", VALID)]).unwrap();
}

/// Every field of the base layer, given a value of the wrong type, fails at
/// that field's line.
#[test]
fn wrong_types_in_every_field() {
    let mut cases = Vec::new();
    for (line_no, line) in VALID.lines().enumerate() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let indent = &key[..key.len() - key.trim_start().len()];
        let key = key.trim_start().trim_start_matches("- ");
        let prefix = &line[..line.find(key).unwrap()];
        let wrongs: &[&str] = if value.trim().is_empty() {
            &["\"text\"", "42"] // a mapping or list expected
        } else {
            &["{ wrong: type }", "[[nested]]"]
        };
        for wrong in wrongs {
            let mut text = String::new();
            let mut skipping = false;
            for (i, l) in VALID.lines().enumerate() {
                if i == line_no {
                    text.push_str(&format!("{prefix}{key}: {wrong}\n"));
                    skipping = value.trim().is_empty();
                    continue;
                }
                // Drop the children of a replaced mapping or list.
                if skipping && l.starts_with(&format!("{indent}  ")) {
                    continue;
                }
                skipping = false;
                text.push_str(l);
                text.push('\n');
            }
            let name = format!("{key}={wrong}");
            let e = Expect {
                line: Some(line_no + 1),
                ..Expect::default()
            };
            cases.push(one(&name, text, e));
        }
    }
    // Scalars of the wrong kind.
    for (from, to) in [
        ("schema_version: 1", "schema_version: one"),
        ("default: allow", "default: maybe"),
        ("mode: enforce", "mode: fast"),
        ("action: deny", "action: block"),
        ("enforced: true", "enforced: \"yes\""),
        ("enforced: true", "enforced: 1"),
        ("schema_version: 1", "schema_version: -1"),
        (
            "schema_version: 1",
            "schema_version: 99999999999999999999999",
        ),
    ] {
        let line = VALID.lines().position(|l| l.contains(from)).unwrap() + 1;
        cases.push(one(
            to,
            VALID.replace(from, to),
            Expect {
                line: Some(line),
                ..Expect::default()
            },
        ));
    }
    assert!(cases.len() > 30);
    run_all(cases);
}

#[test]
fn generated_limits_and_encodings() {
    let limits = Limits::default();
    let mut cases = Vec::new();

    // One byte past the document size limit (padding in a comment).
    let mut big = String::with_capacity(limits.layer_bytes + 1);
    big.push_str(VALID);
    big.push('#');
    while big.len() <= limits.layer_bytes {
        big.push_str("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n#");
    }
    cases.push(one("oversize", big, expect(CompileErrorKind::Limit, None)));

    // Nesting: flow, block and mixed, one level past the limit.
    let d = limits.yaml_depth;
    cases.push(one(
        "deep_flow",
        format!(
            "schema_version: 1\nlayer: a\nx: {}{}\n",
            "[".repeat(d),
            "]".repeat(d)
        ),
        expect(CompileErrorKind::Limit, Some(3)),
    ));
    let mut block = String::from("schema_version: 1\nlayer: a\n");
    for i in 0..d {
        block.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    block.push_str(&format!("{}leaf: 1\n", "  ".repeat(d)));
    cases.push(one(
        "deep_block",
        block,
        expect(CompileErrorKind::Limit, None),
    ));
    cases.push(one(
        "deep_flow_huge",
        format!("x: {}", "{a: ".repeat(1_000_000)),
        expect(CompileErrorKind::Limit, Some(1)),
    ));

    // Alias bombs: "billion laughs" (9 levels of 10), a wide one, and a deep one.
    let mut laughs = String::from("schema_version: 1\nlayer: a\nl0: &l0 [lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*l{}", i - 1); 10].join(", ");
        laughs.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
    }
    cases.push(one(
        "billion_laughs",
        laughs,
        expect(CompileErrorKind::Limit, None),
    ));
    let wide = format!(
        "schema_version: 1\nlayer: a\nbase: &b [{}]\nuse: [{}]\n",
        vec!["x"; 1000].join(", "),
        vec!["*b"; 200].join(", ")
    );
    cases.push(one(
        "alias_wide",
        wide,
        expect(CompileErrorKind::Limit, Some(4)),
    ));
    let half = d / 2 + 1;
    let deep_alias = format!(
        "schema_version: 1\nlayer: a\nbase: &b {}{}\nuse: {}*b{}\n",
        "[".repeat(half),
        "]".repeat(half),
        "[".repeat(half),
        "]".repeat(half)
    );
    cases.push(one(
        "alias_deep",
        deep_alias,
        expect(CompileErrorKind::Limit, Some(4)),
    ));

    // Encodings.
    cases.push(one(
        "nul_byte",
        VALID.replace("left-pad", "left\0-pad"),
        expect(CompileErrorKind::Syntax, Some(15)),
    ));
    cases.push(one(
        "control_char",
        VALID.replace("left-pad", "left\u{1}pad"),
        expect(CompileErrorKind::Syntax, Some(15)),
    ));
    cases.push(one(
        "del_char",
        VALID.replace("left-pad", "left\u{7f}pad"),
        expect(CompileErrorKind::Syntax, Some(15)),
    ));
    cases.push(one(
        "duplicate_nested_key",
        VALID.replace(
            "      package: left-pad\n",
            "      package: left-pad\n      package: right-pad\n",
        ),
        expect(CompileErrorKind::Syntax, Some(16)),
    ));
    run_all(cases);

    let mut bytes = VALID.as_bytes().to_vec();
    bytes.extend_from_slice(b"# \xc3\x28 broken\n");
    let e = LayerSource::from_bytes("utf8.yaml", bytes).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (CompileErrorKind::Syntax, Some(16), Some(3))
    );
}

/// Limits are the caller's: what one setting refuses, a higher one admits.
#[test]
fn limits_can_be_raised() {
    let text = format!(
        "schema_version: 1\nlayer: a\nrules: []\n# {}\n",
        "x".repeat(2000)
    );
    let src = [LayerSource::new("big.yaml", text)];
    let mut small = Limits::default();
    small.layer_bytes = 1000;
    assert_eq!(
        Engine::compile_with_limits(&src, &small).unwrap_err().kind,
        CompileErrorKind::Limit
    );
    Engine::compile(&src).unwrap();

    let d = Limits::default().yaml_depth;
    let deep = format!(
        "schema_version: 1\nlayer: a\nrules: {}{}\n",
        "[".repeat(d + 1),
        "]".repeat(d + 1)
    );
    let src = [LayerSource::new("deep.yaml", deep)];
    assert_eq!(
        Engine::compile(&src).unwrap_err().kind,
        CompileErrorKind::Limit
    );
    let mut raised = Limits::default();
    raised.yaml_depth = d + 10;
    // Within the raised limit it parses, then fails on shape (rules are mappings).
    assert_eq!(
        Engine::compile_with_limits(&src, &raised).unwrap_err().kind,
        CompileErrorKind::Syntax
    );

    let bomb = format!(
        "schema_version: 1\nlayer: a\nrules: []\nbase: &b [{}]\n",
        vec!["x"; 99].join(", ")
    ) + &format!("use: [{}]\n", vec!["*b"; 2000].join(", "));
    let src = [LayerSource::new("aliases.yaml", bomb)];
    assert_eq!(
        Engine::compile(&src).unwrap_err().kind,
        CompileErrorKind::Limit
    );
    let mut raised = Limits::default();
    raised.alias_expansion = 300_000;
    // Admitted by the limits pass; the unknown key `base` is then the error.
    assert_eq!(
        Engine::compile_with_limits(&src, &raised).unwrap_err().kind,
        CompileErrorKind::Syntax
    );
}

fn rule(fields: &str) -> String {
    format!("schema_version: 1\nlayer: acme\nrules:\n  - id: r\n    action: deny\n{fields}")
}

/// Limits on rule fields (POLICY_SPEC §8), one step past each, and patterns
/// built to be slow to compile or match.
#[test]
fn generated_rule_field_limits() {
    let l = Limits::default();
    let mut cases = Vec::new();
    let limit = |line| expect(CompileErrorKind::Limit, Some(line));
    cases.push(one(
        "long_id",
        format!("schema_version: 1\nlayer: acme\nrules:\n  - id: {}\n    action: deny\n    match: {{}}\n", "i".repeat(l.rule_id_bytes + 1)),
        limit(4),
    ));
    cases.push(one(
        "long_reason",
        rule(&format!(
            "    reason: {}\n    match: {{}}\n",
            "r".repeat(l.reason_bytes + 1)
        )),
        limit(6),
    ));
    cases.push(one(
        "long_glob",
        rule(&format!(
            "    match: {{ ecosystem: npm, package: \"{}*\" }}\n",
            "g".repeat(l.glob_bytes)
        )),
        limit(6),
    ));
    cases.push(one(
        "many_brace_groups",
        rule(&format!(
            "    match: {{ ecosystem: npm, package: \"{}\" }}\n",
            "{a,b}".repeat(l.glob_braces + 1)
        )),
        limit(6),
    ));
    cases.push(one(
        "long_range",
        rule(&format!(
            "    match: {{ ecosystem: npm, package: x, versions: \"{}\" }}\n",
            vec!["1.0.0"; l.range_bytes / 6 + 1].join(" || ")
        )),
        limit(6),
    ));
    cases.push(one(
        "deeply_nested_braces",
        rule(&format!(
            "    match: {{ ecosystem: npm, package: \"{}a{}\" }}\n",
            "{x,".repeat(200),
            "}".repeat(200)
        )),
        Expect::default(),
    ));
    run_all(cases);
}

/// Patterns and ranges at their limits compile, and matching them against
/// adversarial names finishes (hang guard, not a timing check).
#[test]
fn adversarial_patterns_finish() {
    let l = Limits::default();
    let star_glob = "*a".repeat(l.glob_bytes / 2 - 1) + "b";
    let braces = "{a,b,c,d}".repeat(l.glob_braces);
    let ranges = vec!["^1.0.0"; (l.range_bytes - 10) / 10].join(" || ");
    let yaml = format!(
        "schema_version: 1\nlayer: acme\nrules:\n  - id: stars\n    action: deny\n    match: {{ ecosystem: npm, package: \"{star_glob}\" }}\n  - id: braces\n    action: deny\n    match: {{ ecosystem: npm, package: \"{braces}\" }}\n  - id: ranges\n    action: deny\n    match: {{ ecosystem: npm, package: x, versions: \"{ranges}\" }}\n"
    );
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let engine = Engine::compile(&[LayerSource::new("adversarial.yaml", yaml)]).unwrap();
        let now = jiff::Timestamp::UNIX_EPOCH;
        let mut actions = Vec::new();
        for name in ["a".repeat(1024), "ab".repeat(512), "abcd".repeat(256)] {
            let r = package_policy::Request::new(package_policy::RequestInput {
                ecosystem: "npm".into(),
                name,
                version: Some("1.5.0".into()),
                ..Default::default()
            })
            .unwrap();
            actions.push(engine.evaluate(&r, now).action);
        }
        let _ = tx.send(actions);
    });
    let actions = rx.recv_timeout(HANG_GUARD).expect("did not finish");
    // `aaaa…` has no `b`: the star glob cannot match it.
    assert_eq!(actions[0], package_policy::Action::Allow);
}
