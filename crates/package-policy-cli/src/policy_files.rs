//! Reading policy files and printing their errors the way compilers do:
//! a `FILE:LINE:COL: message` line editors can jump to, then the offending
//! line with a caret under the column (as rustc and regorus print them).
//! Only a window of the line around the column is quoted, so a one-line
//! (minified) document does not print itself once per error.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use package_policy::{CompileError, LayerSource};

/// Characters quoted on each side of the column.
const WINDOW: usize = 60;

/// The policy files of one command, kept so errors can quote their lines.
pub struct PolicyFiles {
    pub sources: Vec<LayerSource>,
    /// Source name → index into `sources`.
    by_name: HashMap<String, usize>,
    /// Per source, built on the first error that quotes it: the byte offset
    /// where each line starts, and whether the text is ASCII (then columns
    /// are byte offsets). Quoting N errors reads each file once.
    lines: RefCell<HashMap<usize, (Vec<usize>, bool)>>,
}

/// A file that could not be read: `FILE: message`.
#[derive(Debug)]
pub struct ReadError(pub String);

impl PolicyFiles {
    /// Reads `paths` in order; each file's name in errors is the path as given.
    pub fn read<P: AsRef<Path>>(paths: &[P]) -> Result<Self, ReadError> {
        let mut sources = Vec::with_capacity(paths.len());
        let mut by_name = HashMap::new();
        for p in paths {
            let p = p.as_ref();
            let name = p.display().to_string();
            let text = std::fs::read_to_string(p)
                .map_err(|e| ReadError(format!("{name}: cannot read policy file: {e}")))?;
            by_name.insert(name.clone(), sources.len());
            sources.push(LayerSource::new(name, text));
        }
        Ok(Self {
            sources,
            by_name,
            lines: RefCell::new(HashMap::new()),
        })
    }

    /// Line `line` (1-based) of source `i`, without its line break, and
    /// whether the source is ASCII.
    fn line(&self, i: usize, line: usize) -> Option<(&str, bool)> {
        let text = &self.sources.get(i)?.text;
        let mut cache = self.lines.borrow_mut();
        let (starts, ascii) = cache.entry(i).or_insert_with(|| {
            let starts = std::iter::once(0)
                .chain(text.match_indices('\n').map(|(at, _)| at + 1))
                .collect();
            (starts, text.is_ascii())
        });
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |&next| next - 1);
        let l = text.get(start..end)?;
        Some((l.strip_suffix('\r').unwrap_or(l), *ascii))
    }

    /// `FILE:LINE:COL: message`, then `--> FILE:LINE:COL`, the line (a window
    /// of at most 2 × 60 characters around the column) and a caret.
    pub fn render(&self, err: &CompileError) -> String {
        let mut out = format!("{err}\n");
        let (Some(line), Some(col)) = (err.line, err.column) else {
            return out;
        };
        let Some(&i) = self.by_name.get(&err.source_name) else {
            return out;
        };
        let Some((src_line, ascii)) = self.line(i, line) else {
            return out;
        };
        let (quoted, caret_at) = window(src_line, col.saturating_sub(1), ascii);
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        // Tabs keep their width in the caret line so the caret stays aligned.
        let lead: String = quoted
            .chars()
            .take(caret_at)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{pad}--> {}:{line}:{col}", err.source_name);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {quoted}");
        let _ = writeln!(out, "{pad} | {lead}^");
        out
    }
}

/// The part of `line` around character `col` (0-based) that is quoted, with
/// `...` where it was cut, and the caret's character position within it.
/// Costs O(WINDOW) for an `ascii` line, else O(col + WINDOW).
fn window(line: &str, col: usize, ascii: bool) -> (String, usize) {
    let start_char = col.saturating_sub(WINDOW);
    let from = if ascii {
        start_char.min(line.len())
    } else {
        line.char_indices()
            .nth(start_char)
            .map_or(line.len(), |(b, _)| b)
    };
    let rest = line.get(from..).unwrap_or("");
    let mut quoted = String::new();
    let mut caret_at = col - start_char;
    if from > 0 {
        quoted.push_str("...");
        caret_at += 3;
    }
    for (taken, c) in rest.chars().enumerate() {
        if taken == 2 * WINDOW {
            quoted.push_str("...");
            break;
        }
        quoted.push(c);
    }
    (quoted, caret_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded_and_keep_the_caret() {
        let (q, at) = window("short line", 6, true);
        assert_eq!((q.as_str(), at), ("short line", 6));
        let long = format!("{}X{}", "a".repeat(10_000), "b".repeat(10_000));
        let (q, at) = window(&long, 10_000, true);
        assert!(q.chars().count() <= 2 * WINDOW + 6, "{}", q.len());
        assert_eq!(q.chars().nth(at), Some('X'));
        let wide = format!("{}X{}", "é".repeat(500), "ü".repeat(500));
        let (q, at) = window(&wide, 500, false);
        assert_eq!(q.chars().nth(at), Some('X'));
        assert!(q.starts_with("...") && q.ends_with("..."));
    }
}
