//! Reading policy files and printing their errors the way compilers do:
//! a `FILE:LINE:COL: message` line editors can jump to, then the offending
//! line with a caret under the column (as rustc and regorus print them).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

use package_policy::{CompileError, LayerSource};

/// The policy files of one command, kept so errors can quote their lines.
pub struct PolicyFiles {
    pub sources: Vec<LayerSource>,
    texts: HashMap<String, String>,
}

/// A file that could not be read: `FILE: message`.
#[derive(Debug)]
pub struct ReadError(pub String);

impl PolicyFiles {
    /// Reads `paths` in order; each file's name in errors is the path as given.
    pub fn read<P: AsRef<Path>>(paths: &[P]) -> Result<Self, ReadError> {
        let mut sources = Vec::with_capacity(paths.len());
        let mut texts = HashMap::new();
        for p in paths {
            let p = p.as_ref();
            let name = p.display().to_string();
            let text = std::fs::read_to_string(p)
                .map_err(|e| ReadError(format!("{name}: cannot read policy file: {e}")))?;
            texts.insert(name.clone(), text.clone());
            sources.push(LayerSource::new(name, text));
        }
        Ok(Self { sources, texts })
    }

    /// `FILE:LINE:COL: message`, then `--> FILE:LINE:COL`, the line and a caret.
    pub fn render(&self, err: &CompileError) -> String {
        let mut out = format!("{err}\n");
        let (Some(line), Some(col)) = (err.line, err.column) else {
            return out;
        };
        let Some(text) = self.texts.get(&err.source_name) else {
            return out;
        };
        let Some(src_line) = text.lines().nth(line.saturating_sub(1)) else {
            return out;
        };
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        // Tabs keep their width in the caret line so the caret stays aligned.
        let lead: String = src_line
            .chars()
            .take(col.saturating_sub(1))
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let _ = writeln!(out, "{pad}--> {}:{line}:{col}", err.source_name);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{line} | {src_line}");
        let _ = writeln!(out, "{pad} | {lead}^");
        out
    }
}
