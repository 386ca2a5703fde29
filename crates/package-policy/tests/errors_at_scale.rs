//! Errors at scale (issue 14): `validate` locates every error of a document
//! in one pass, so thousands of invalid rules cost about one read of the
//! document (this runs in the debug build of `cargo test`, in about a second
//! here; before, each error re-read the document). Reporting is capped.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use package_policy::{
    validate, validate_capped, CompileErrorKind, LayerSource, DEFAULT_MAX_ERRORS,
};

/// `n` rules, each with an invalid range, 5 lines each after a 3-line header:
/// rule i's `versions` value is on line 8 + 5i, column 17.
fn invalid_yaml(n: usize) -> String {
    let mut text = String::from("schema_version: 1\nlayer: many\nrules:\n");
    for i in 0..n {
        text.push_str(&format!(
            "  - id: r{i}\n    action: deny\n    match:\n      ecosystem: npm\n      versions: \">=>{i}\"\n"
        ));
    }
    text
}

#[test]
fn ten_thousand_invalid_rules_are_all_located() {
    let n = 10_000;
    let src = LayerSource::new("many.yaml", invalid_yaml(n));
    let errors = validate(std::slice::from_ref(&src));
    assert_eq!(errors.len(), n);
    for (i, e) in errors.iter().enumerate() {
        assert_eq!(e.kind, CompileErrorKind::Invalid);
        assert_eq!(e.layer.as_deref(), Some("many"));
        assert_eq!(
            e.path.as_deref(),
            Some(format!("rules[{i}].match.versions").as_str())
        );
        assert_eq!((e.line, e.column), (Some(4 + 5 * i + 4), Some(17)), "{e}");
    }
}

#[test]
fn reporting_is_capped_and_counts_the_rest() {
    let sources = [
        LayerSource::new("a.yaml", invalid_yaml(150)),
        LayerSource::new(
            "b.yaml",
            invalid_yaml(30).replace("layer: many", "layer: other"),
        ),
    ];
    let report = validate_capped(&sources, DEFAULT_MAX_ERRORS);
    assert_eq!(report.errors.len(), 100);
    assert_eq!(report.more, 80);
    assert!(!report.is_ok());
    assert!(report.errors.iter().all(|e| e.line.is_some()));
    let report = validate_capped(&sources, 170);
    assert_eq!((report.errors.len(), report.more), (170, 10));
    assert_eq!(report.errors[149].source_name, "a.yaml");
    assert_eq!(report.errors[150].source_name, "b.yaml");
    assert_eq!(report.errors[169].layer.as_deref(), Some("other"));
    let report = validate_capped(&sources, 0);
    assert_eq!((report.errors.len(), report.more), (0, 180));
    // No cap: every error.
    assert_eq!(validate(&sources).len(), 180);
    // A set that compiles.
    let ok = LayerSource::new("ok.yaml", "schema_version: 1\nlayer: ok\nrules: []\n");
    assert!(validate_capped(&[ok], 1).is_ok());
}

#[test]
fn a_one_line_json_layer_with_thousands_of_errors() {
    let rules: Vec<String> = (0..3_000)
        .map(|i| {
            format!(
                r#"{{"id":"r{i}","action":"deny","match":{{"ecosystem":"pypi","package":"p{i}","versions":["==1.0",">=>{i}"]}}}}"#
            )
        })
        .collect();
    let text = format!(
        r#"{{"schema_version":1,"layer":"big","rules":[{}]}}"#,
        rules.join(",")
    );
    let errors = validate(&[LayerSource::new("big.json", text.clone())]);
    assert_eq!(errors.len(), 3_000);
    for (i, e) in errors.iter().enumerate() {
        let col = e.column.unwrap();
        assert_eq!(e.line, Some(1));
        // The column (characters; the text is ASCII) points at the bad range.
        assert!(text[col - 1..].starts_with(&format!("\">=>{i}\"")), "{e}");
    }
}
