//! requirements.txt with pinned versions (`name==version`, as `pip freeze` and
//! `pip-compile` write them). Extras, environment markers and `--hash`
//! options are read past; an unpinned requirement is evaluated without a
//! version (name rules still apply). `-r`/`-c` includes are followed relative
//! to the including file (constraints are evaluated too: they pin what may be
//! installed), with cycle, depth and file-count limits. Editable, VCS, URL
//! and path requirements are skipped with their reason. Anything else (an
//! unknown option, a line that is not a requirement) is an error, so another
//! format read as requirements fails instead of yielding stray names.

use std::path::{Path, PathBuf};

use super::{conflict_marker, LockError, Package, Parsed, SkipReason, Skipped};

/// Include chains deeper than this are refused.
const MAX_DEPTH: usize = 16;
/// At most this many files are read for one scan.
const MAX_FILES: usize = 256;

/// Logical lines: `\` continuations joined, comments removed.
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut buf = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if buf.is_empty() {
            start = i + 1;
        }
        // A comment starts at `#` preceded by whitespace or at the line start.
        let line = match raw.find(" #").or_else(|| raw.starts_with('#').then_some(0)) {
            Some(at) => raw.get(..at).unwrap_or_default(),
            None => raw,
        };
        match line.trim_end().strip_suffix('\\') {
            Some(cont) => buf.push_str(cont),
            None => {
                buf.push_str(line);
                out.push((start, std::mem::take(&mut buf)));
            }
        }
    }
    if !buf.is_empty() {
        out.push((start, buf));
    }
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Every line reads as a requirement, an option or an include, and at least
/// one is a pin or an include.
pub fn looks_like(text: &str) -> bool {
    let mut pinned = false;
    for (_, line) in logical_lines(text) {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        match entry(l) {
            Ok(Line::Package(_, Some(_)) | Line::Include(_)) => pinned = true,
            Ok(_) => {}
            Err(_) => return false,
        }
    }
    pinned
}

pub fn parse(path: &Path, text: &str) -> Result<Parsed, LockError> {
    let mut reader = Reader {
        out: Parsed::default(),
        stack: vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned())],
        files: 1,
    };
    reader.file(path, None, text)?;
    Ok(reader.out)
}

struct Reader {
    out: Parsed,
    /// The include chain, for cycle detection.
    stack: Vec<PathBuf>,
    files: usize,
}

impl Reader {
    /// Reads one file; `label` names it when it is an include.
    fn file(&mut self, path: &Path, label: Option<&str>, text: &str) -> Result<(), LockError> {
        let in_file = |mut e: LockError| {
            if e.file.is_none() {
                e.file = label.map(str::to_owned);
            }
            e
        };
        for (line_no, line) in logical_lines(text) {
            let l = line.trim();
            if l.is_empty() {
                continue;
            }
            let at = super::At {
                file: label.map(str::to_owned),
                line: Some(line_no),
            };
            match entry(l).map_err(|m| in_file(LockError::line(line_no, m)))? {
                Line::Option => {}
                Line::Include(target) => {
                    self.include(path, target, line_no).map_err(in_file)?;
                }
                Line::Skip(name, reason) => self.out.skipped.push(Skipped {
                    at,
                    ..Skipped::new("pypi", name, reason).detail(l)
                }),
                Line::Package(name, version) => self.out.packages.push(Package {
                    version,
                    at,
                    ..Package::new("pypi", name, "")
                }),
            }
        }
        Ok(())
    }

    fn include(&mut self, from: &Path, target: &str, line_no: usize) -> Result<(), LockError> {
        let path = from.parent().unwrap_or(Path::new("")).join(target);
        let label = path.display().to_string();
        if self.stack.len() >= MAX_DEPTH {
            return Err(LockError::line(
                line_no,
                format!("includes nested more than {MAX_DEPTH} deep"),
            ));
        }
        if self.files >= MAX_FILES {
            return Err(LockError::line(
                line_no,
                format!("more than {MAX_FILES} files included"),
            ));
        }
        let canonical = std::fs::canonicalize(&path)
            .map_err(|e| LockError::line(line_no, format!("cannot read `{label}`: {e}")))?;
        if self.stack.contains(&canonical) {
            return Err(LockError::line(
                line_no,
                format!("`{label}` includes itself (an include cycle)"),
            ));
        }
        let text = super::read(&path).map_err(|mut e| {
            e.file = Some(label.clone());
            e
        })?;
        conflict_marker(&text).map_err(|mut e| {
            e.file = Some(label.clone());
            e
        })?;
        self.files += 1;
        self.stack.push(canonical);
        let result = self.file(&path, Some(&label), &text);
        self.stack.pop();
        result
    }
}

/// What one logical line is.
enum Line<'a> {
    /// A pip option that names no package (`--index-url`, `--hash`...).
    Option,
    /// `-r FILE` / `-c FILE`.
    Include(&'a str),
    Skip(String, SkipReason),
    Package(String, Option<String>),
}

/// Options that name no package, with whether they take a value.
const OPTIONS: [(&str, bool); 16] = [
    ("-i", true),
    ("--index-url", true),
    ("--extra-index-url", true),
    ("--no-index", false),
    ("-f", true),
    ("--find-links", true),
    ("--trusted-host", true),
    ("--pre", false),
    ("--prefer-binary", false),
    ("--only-binary", true),
    ("--no-binary", true),
    ("--require-hashes", false),
    ("--use-feature", true),
    ("--hash", true),
    ("--config-settings", true),
    ("-Z", false),
];

fn entry(l: &str) -> Result<Line<'_>, String> {
    if l.starts_with('-') {
        let (opt, value) = match l.split_once(['=', ' ', '\t']) {
            Some((o, v)) => (o, v.trim()),
            None => (l, ""),
        };
        // `-rfile` is `-r file`.
        let (opt, value) = match opt.get(..2) {
            Some(short @ ("-r" | "-c" | "-e")) if opt.len() > 2 && !opt.starts_with("--") => {
                (short, l.get(2..).unwrap_or_default().trim())
            }
            _ => (opt, value),
        };
        return match opt {
            "-r" | "--requirement" | "-c" | "--constraint" if !value.is_empty() => {
                Ok(Line::Include(value))
            }
            "-e" | "--editable" if !value.is_empty() => {
                Ok(Line::Skip(egg_name(value), source_reason(value)))
            }
            _ => match OPTIONS.iter().find(|(o, _)| *o == opt) {
                Some((_, needs_value)) if !needs_value || !value.is_empty() => Ok(Line::Option),
                _ => Err(format!("`{l}`: unknown pip option or missing value")),
            },
        };
    }
    if is_source(l) {
        return Ok(Line::Skip(egg_name(l), source_reason(l)));
    }
    let spec = l.split(';').next().unwrap_or(l).trim();
    let name_end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = spec.get(..name_end).unwrap_or_default();
    if !is_name(name) {
        return Err(format!("`{l}` does not start with a package name"));
    }
    let mut rest = spec.get(name_end..).unwrap_or_default().trim_start();
    if rest.starts_with('[') {
        let close = rest
            .find(']')
            .ok_or_else(|| format!("unclosed `[` in `{l}`"))?;
        rest = rest.get(close + 1..).unwrap_or_default().trim_start();
    }
    if let Some(url) = rest.strip_prefix('@') {
        return Ok(Line::Skip(name.to_owned(), source_reason(url.trim())));
    }
    // Per-requirement options (`--hash=...`) follow the specifier.
    let rest = rest.split(" --").next().unwrap_or(rest).trim();
    let rest = rest
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or(rest)
        .trim();
    if !(rest.is_empty() || rest.starts_with(['=', '<', '>', '!', '~'])) {
        return Err(format!(
            "`{l}`: expected a version specifier (`==1.0`) after `{name}`"
        ));
    }
    let pinned = rest
        .strip_prefix("===")
        .or_else(|| rest.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains([',', '*']));
    Ok(Line::Package(name.to_owned(), pinned.map(str::to_owned)))
}

/// A URL, VCS or path requirement rather than a name.
fn is_source(l: &str) -> bool {
    l.split_once("://").is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+')
    }) || l.starts_with("file:")
        || l.starts_with(['.', '/', '~'])
        || ["git+", "hg+", "svn+", "bzr+"]
            .iter()
            .any(|p| l.starts_with(p))
}

fn source_reason(s: &str) -> SkipReason {
    if ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| s.starts_with(p))
    {
        SkipReason::Git
    } else if s.starts_with("http://") || s.starts_with("https://") {
        SkipReason::Url
    } else {
        SkipReason::Path
    }
}

/// The project name a URL's `#egg=name` gives, else the URL itself.
fn egg_name(s: &str) -> String {
    s.split_once("#egg=")
        .map(|(_, n)| n.split(['&', ' ']).next().unwrap_or(n))
        .unwrap_or(s)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Parsed) -> Vec<(&str, Option<&str>)> {
        p.packages
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_deref()))
            .collect()
    }

    #[test]
    fn pins_extras_markers_hashes_and_continuations() {
        let text = "# comment\n--index-url https://pypi.org/simple\nrequests[security]==2.31.0 ; python_version >= \"3.8\" \\\n    --hash=sha256:abc\nDjango===4.2.1  # pinned\nflask>=2\ngit+https://example.com/x.git#egg=x\n-e ./local\nmine @ file:///src/mine\n";
        let parsed = parse(Path::new("requirements.txt"), text).unwrap();
        assert_eq!(
            names(&parsed),
            [
                ("requests", Some("2.31.0")),
                ("Django", Some("4.2.1")),
                ("flask", None)
            ]
        );
        let skipped: Vec<(&str, SkipReason)> = parsed
            .skipped
            .iter()
            .map(|s| (s.name.as_str(), s.reason))
            .collect();
        assert_eq!(
            skipped,
            [
                ("x", SkipReason::Git),
                ("./local", SkipReason::Path),
                ("mine", SkipReason::Path)
            ]
        );
        assert!(looks_like(text));
        assert!(!looks_like("hello world\n"));
    }

    #[test]
    fn other_formats_are_errors_not_names() {
        let gemfile = "GEM\n  remote: https://rubygems.org/\n  specs:\n    rails (8.0.0)\n";
        let e = parse(Path::new("Gemfile.lock"), gemfile).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(parse(Path::new("r.txt"), "--frobnicate\n").is_err());
    }

    #[test]
    fn includes_are_followed_with_cycles_refused() {
        let d = tempfile::tempdir().unwrap();
        let w = |n: &str, t: &str| std::fs::write(d.path().join(n), t).unwrap();
        w("base.txt", "a==1.0\n-c sub/constraints.txt\n");
        std::fs::create_dir(d.path().join("sub")).unwrap();
        w("sub/constraints.txt", "b==2.0\n");
        w("top.txt", "-r base.txt\n--requirement=base.txt\nc==3.0\n");
        let top = d.path().join("top.txt");
        let parsed = parse(&top, &std::fs::read_to_string(&top).unwrap()).unwrap();
        assert_eq!(
            names(&parsed),
            [
                ("a", Some("1.0")),
                ("b", Some("2.0")),
                ("a", Some("1.0")),
                ("b", Some("2.0")),
                ("c", Some("3.0"))
            ]
        );
        let b = &parsed.packages[1];
        assert!(b.at.file.as_deref().unwrap().ends_with("constraints.txt"));
        assert_eq!(b.at.line, Some(1));
        w("loop.txt", "x==1\n-r loop2.txt\n");
        w("loop2.txt", "-r loop.txt\n");
        let lp = d.path().join("loop.txt");
        let e = parse(&lp, &std::fs::read_to_string(&lp).unwrap()).unwrap_err();
        assert!(e.message.contains("cycle"), "{e}");
        assert!(e.file.as_deref().unwrap().ends_with("loop2.txt"), "{e:?}");
        let e = parse(&lp, "-r missing.txt\n").unwrap_err();
        assert_eq!(e.line, 1);
    }
}
