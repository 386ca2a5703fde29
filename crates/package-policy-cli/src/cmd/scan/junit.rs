//! `--format junit`: one test case per package (GitLab and Jenkins read it):
//! a denied package is a failure, an unevaluated one an error, a warned one
//! passes with a `system-out` note, a skipped entry is a skipped test.

use std::io::{self, Write};

use quick_xml::escape::escape;

use super::{Outcome, Row};

pub fn write(out: &mut dyn Write, rows: &[Row], lockfile: &str) -> io::Result<()> {
    let count = |a: &str| rows.iter().filter(|r| r.action_str() == a).count();
    let (failures, errors, skipped) = (count("deny"), count("error"), count("skipped"));
    let attrs = format!(
        "tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\"",
        rows.len()
    );
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"package-policy scan\" {attrs}>")?;
    writeln!(out, "  <testsuite name=\"{}\" {attrs}>", text(lockfile))?;
    for r in rows {
        let version = r.version.as_deref().unwrap_or("-");
        let file = r.at.file.as_deref().unwrap_or(lockfile);
        let line =
            r.at.line
                .map(|l| format!(" line=\"{l}\""))
                .unwrap_or_default();
        write!(
            out,
            "    <testcase classname=\"{}\" name=\"{}@{}\" file=\"{}\"{line}",
            text(&r.ecosystem),
            text(&r.name),
            text(version),
            text(file)
        )?;
        let (rule, reason) = r.rule_and_reason();
        let detail = if reason.is_empty() {
            rule.clone()
        } else {
            format!("{rule}: {reason}")
        };
        match (&r.outcome, r.action_str()) {
            (Outcome::Decided { .. }, "deny") => writeln!(
                out,
                ">\n      <failure type=\"deny\" message=\"{}\"/>\n    </testcase>",
                text(&detail)
            )?,
            (Outcome::Decided { .. }, "warn") => writeln!(
                out,
                ">\n      <system-out>warn: {}</system-out>\n    </testcase>",
                text(&detail)
            )?,
            (Outcome::Error(_), _) => writeln!(
                out,
                ">\n      <error type=\"not-evaluated\" message=\"{}\"/>\n    </testcase>",
                text(&reason)
            )?,
            (Outcome::Skipped { .. }, _) => writeln!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                text(&reason)
            )?,
            _ => writeln!(out, "/>")?,
        }
    }
    writeln!(out, "  </testsuite>\n</testsuites>")
}

/// Escaped for XML text and attributes; characters XML 1.0 cannot hold become
/// U+FFFD.
fn text(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| match c {
            '\t' | '\n' | '\r' => ' ',
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => '\u{FFFD}',
            c => c,
        })
        .collect();
    escape(clean.as_str()).into_owned()
}
