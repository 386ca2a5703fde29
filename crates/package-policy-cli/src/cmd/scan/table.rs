//! `--format table`: aligned columns and a summary line.

use std::io::{self, Write};

use super::Row;

pub fn write(out: &mut dyn Write, rows: &[Row]) -> io::Result<()> {
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            let version = r.version.clone().unwrap_or_else(|| "-".to_owned());
            let (rule, reason) = r.rule_and_reason();
            [
                super::rows::one_line(&r.name),
                super::rows::one_line(&version),
                r.action_str().to_owned(),
                rule,
                reason,
            ]
        })
        .collect();
    let header = ["PACKAGE", "VERSION", "ACTION", "RULE", "REASON"].map(str::to_owned);
    let mut widths = [0usize; 4];
    for row in std::iter::once(&header).chain(&cells) {
        for (w, c) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(c.chars().count());
        }
    }
    for row in std::iter::once(&header).chain(&cells) {
        let [a, b, c, d, e] = row;
        let [wa, wb, wc, wd] = widths;
        let line = format!("{a:wa$}  {b:wb$}  {c:wc$}  {d:wd$}  {e}");
        writeln!(out, "{}", line.trim_end())?;
    }
    writeln!(out, "\n{}", summary(rows))
}

/// `N packages: D denied, W warned, A allowed, E not evaluated; S skipped`.
pub fn summary(rows: &[Row]) -> String {
    let count = |a: &str| rows.iter().filter(|r| r.action_str() == a).count();
    let skipped = count("skipped");
    format!(
        "{} packages: {} denied, {} warned, {} allowed, {} not evaluated; {skipped} skipped",
        rows.len() - skipped,
        count("deny"),
        count("warn"),
        count("allow"),
        count("error")
    )
}
