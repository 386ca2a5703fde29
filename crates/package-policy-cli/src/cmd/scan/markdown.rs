//! `--format markdown`: a short summary and table for a merge-request
//! comment: denied, unevaluated and warned packages only (the rest are
//! counted), at most 50 rows.

use std::io::{self, Write};

use super::Row;

const MAX_ROWS: usize = 50;

pub fn write(out: &mut dyn Write, rows: &[Row], lockfile: &str) -> io::Result<()> {
    writeln!(out, "### package-policy scan: `{}`\n", code(lockfile))?;
    writeln!(out, "{}\n", super::table::summary(rows))?;
    let mut shown: Vec<&Row> = rows
        .iter()
        .filter(|r| matches!(r.action_str(), "deny" | "error" | "warn"))
        .collect();
    if shown.is_empty() {
        return writeln!(out, "Nothing denied or warned.");
    }
    let rank = |r: &Row| match r.action_str() {
        "deny" => 0,
        "error" => 1,
        _ => 2,
    };
    shown.sort_by_key(|r| rank(r));
    writeln!(out, "| Action | Package | Version | Rule | Reason |")?;
    writeln!(out, "|---|---|---|---|---|")?;
    for r in shown.iter().take(MAX_ROWS) {
        let (rule, reason) = r.rule_and_reason();
        writeln!(
            out,
            "| **{}** | `{}` ({}) | {} | {} | {} |",
            r.action_str(),
            code(&r.name),
            cell(&r.ecosystem),
            cell(r.version.as_deref().unwrap_or("-")),
            cell(&rule),
            cell(&reason)
        )?;
    }
    if shown.len() > MAX_ROWS {
        writeln!(out, "\n…and {} more.", shown.len() - MAX_ROWS)?;
    }
    Ok(())
}

/// A table cell: one line, `|` escaped, HTML-significant characters escaped.
fn cell(s: &str) -> String {
    super::rows::one_line(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('|', "\\|")
}

/// Inside a code span: no backticks, one line, `|` escaped for tables.
fn code(s: &str) -> String {
    super::rows::one_line(s)
        .replace('`', "'")
        .replace('|', "\\|")
}
