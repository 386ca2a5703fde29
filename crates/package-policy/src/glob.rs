//! Globs of POLICY_SPEC §2: parsing, validation and per-ecosystem normalization.
//!
//! Semantics (globset's, with a literal separator `/`): `*`, `?` and classes
//! never match `/`; `**` is a whole segment only and matches zero or more
//! segments (`**/x` holds for `x` and `a/b/x`, `a/**` for everything below `a/`);
//! `{a,b}` alternatives, not nested. Matching lives elsewhere: the index
//! (`index.rs`) and the reference evaluator each have their own matcher.

use std::fmt::{self, Write as _};

use package_versions::Ecosystem;

use crate::names::{self, CharMap};

/// One element of a parsed glob.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Tok {
    Lit(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `[...]`: one character other than `/` in (or, negated, not in) the ranges.
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
    /// `{a,b}`: one of the alternatives (which hold no `**` and no braces).
    Alt(Vec<Vec<Tok>>),
    /// `**/` (a leading or inner `**` segment with its separator): zero or more
    /// whole segments, i.e. the empty string or anything ending in `/`.
    RecDir,
    /// A trailing `**` segment (or the whole pattern `**`): anything at all.
    RecAll,
}

/// A validated glob, as written (normalized per ecosystem on demand).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Glob {
    pub raw: String,
    pub toks: Vec<Tok>,
}

/// Why a pattern is not a valid glob.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GlobError {
    Invalid(String),
    TooLong(usize),
    TooManyBraces(usize),
}

impl fmt::Display for GlobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GlobError::Invalid(m) => f.write_str(m),
            GlobError::TooLong(max) => write!(f, "longer than the limit of {max} bytes"),
            GlobError::TooManyBraces(max) => write!(f, "more than {max} `{{}}` groups"),
        }
    }
}

impl Glob {
    /// Parses `raw`; `max_bytes` and `max_braces` are the §8 limits.
    pub(crate) fn parse(raw: &str, max_bytes: usize, max_braces: usize) -> Result<Glob, GlobError> {
        if raw.len() > max_bytes {
            return Err(GlobError::TooLong(max_bytes));
        }
        if raw.is_empty() {
            return Err(GlobError::Invalid("empty pattern".into()));
        }
        if let Some(c) = raw.chars().find(|c| c.is_whitespace() || c.is_control()) {
            return Err(GlobError::Invalid(format!(
                "{c:?} can never occur in a name (whitespace and control characters are request errors)"
            )));
        }
        let chars: Vec<char> = raw.chars().collect();
        let mut p = Parser {
            chars: &chars,
            pos: 0,
            braces: 0,
        };
        let toks = p.sequence(false)?;
        if p.braces > max_braces {
            return Err(GlobError::TooManyBraces(max_braces));
        }
        Ok(Glob {
            raw: raw.to_owned(),
            toks,
        })
    }

    /// The tokens with literals normalized as `eco` normalizes names
    /// (metacharacters untouched). `None` normalizes nothing (project paths).
    pub(crate) fn normalized(&self, eco: Option<Ecosystem>) -> Vec<Tok> {
        match eco {
            None => self.toks.clone(),
            Some(e) => normalize_toks(e, &self.toks),
        }
    }
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
    braces: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Parses up to the end, or (inside braces) up to `,` or `}`.
    fn sequence(&mut self, in_alt: bool) -> Result<Vec<Tok>, GlobError> {
        let mut out = Vec::new();
        while let Some(c) = self.peek() {
            match c {
                ',' | '}' if in_alt => break,
                '}' => {
                    return Err(GlobError::Invalid(format!(
                        "unmatched `}}` at character {}",
                        self.pos + 1
                    )))
                }
                '\\' => {
                    return Err(GlobError::Invalid(
                        "`\\` escapes are not supported (names never contain metacharacters)"
                            .into(),
                    ))
                }
                '*' if self.chars.get(self.pos + 1) == Some(&'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let next = self.peek();
                    let whole = (start == 0 || self.chars.get(start - 1) == Some(&'/'))
                        && matches!(next, None | Some('/'));
                    if !whole || in_alt || next == Some('*') {
                        return Err(GlobError::Invalid(format!(
                            "`**` at character {} must be a whole segment (`**`, `**/x`, `a/**`, `a/**/b`) outside braces",
                            start + 1
                        )));
                    }
                    if next == Some('/') {
                        self.pos += 1;
                        // `a/**/` followed by nothing would need a name ending in `/`.
                        if self.peek().is_none() {
                            return Err(GlobError::Invalid("a pattern cannot end with `/`".into()));
                        }
                        out.push(Tok::RecDir);
                    } else {
                        out.push(Tok::RecAll);
                    }
                }
                '*' => {
                    self.pos += 1;
                    out.push(Tok::Star);
                }
                '?' => {
                    self.pos += 1;
                    out.push(Tok::One);
                }
                '[' => out.push(self.class()?),
                '{' => {
                    if in_alt {
                        return Err(GlobError::Invalid(format!(
                            "nested `{{` at character {} (alternatives cannot nest)",
                            self.pos + 1
                        )));
                    }
                    let open = self.pos;
                    self.pos += 1;
                    self.braces += 1;
                    let mut alts = Vec::new();
                    loop {
                        alts.push(self.sequence(true)?);
                        match self.peek() {
                            Some(',') => self.pos += 1,
                            Some('}') => {
                                self.pos += 1;
                                break;
                            }
                            _ => {
                                return Err(GlobError::Invalid(format!(
                                    "unclosed `{{` at character {}",
                                    open + 1
                                )))
                            }
                        }
                    }
                    out.push(Tok::Alt(alts));
                }
                _ => {
                    self.pos += 1;
                    out.push(Tok::Lit(c));
                }
            }
        }
        Ok(out)
    }

    fn class(&mut self) -> Result<Tok, GlobError> {
        let open = self.pos;
        self.pos += 1;
        let negated = matches!(self.peek(), Some('!' | '^'));
        if negated {
            self.pos += 1;
        }
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let c = self.peek().ok_or_else(|| {
                GlobError::Invalid(format!("unclosed `[` at character {}", open + 1))
            })?;
            if c == ']' && !first {
                self.pos += 1;
                break;
            }
            first = false;
            self.pos += 1;
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|n| *n != ']') {
                let hi = self.chars.get(self.pos + 1).copied().unwrap_or(c);
                if hi < c {
                    return Err(GlobError::Invalid(format!(
                        "class range `{c}-{hi}` at character {} is reversed",
                        open + 1
                    )));
                }
                self.pos += 2;
                ranges.push((c, hi));
            } else {
                ranges.push((c, c));
            }
        }
        Ok(Tok::Class { negated, ranges })
    }
}

/// The character map of a pattern in `eco`. A Go pattern takes its host's
/// (its first path element, when written literally): paths on
/// case-insensitive hosts compare in lowercase, as their names do.
fn char_map(eco: Ecosystem, toks: &[Tok]) -> CharMap {
    match eco {
        Ecosystem::Golang => match literal_host(toks) {
            Some(host) if names::host_folds_case(&host) => CharMap::AsciiLower,
            _ => CharMap::Exact,
        },
        other => CharMap::of_ecosystem(other),
    }
}

/// The pattern's first path element when it is all literal.
fn literal_host(toks: &[Tok]) -> Option<String> {
    let mut host = String::new();
    for t in toks {
        match t {
            Tok::Lit('/') => return Some(host),
            Tok::Lit(c) => host.push(*c),
            _ => return None,
        }
    }
    Some(host)
}

impl Glob {
    /// Why this pattern cannot be read as a Go path pattern: its host is a
    /// wildcard that may stand for a case-insensitive host (where names
    /// compare in lowercase) or for another (where they compare exactly), and
    /// it has upper-case letters, so it would match one spelling on one kind
    /// of host and another on the other.
    pub(crate) fn golang_case_problem(&self) -> Option<String> {
        if literal_host(&self.toks).is_some() || !has_upper(&self.toks) {
            return None;
        }
        let first: Vec<Tok> = self
            .toks
            .iter()
            .take_while(|t| **t != Tok::Lit('/'))
            .cloned()
            .collect();
        let open = first.iter().any(|t| match t {
            Tok::RecDir | Tok::RecAll => true,
            Tok::Alt(alts) => alts.iter().flatten().any(|a| *a == Tok::Lit('/')),
            _ => false,
        });
        let folding = names::CASE_INSENSITIVE_HOSTS.iter().find(|h| {
            let host: Vec<char> = h.chars().collect();
            open || ends(&first, &host, 1) & (1 << host.len()) != 0
        })?;
        Some(format!(
            "as a Go module path its host may be {folding}, where paths compare in lowercase, or another host, where case matters: write the host, or the pattern in lowercase"
        ))
    }
}

/// The positions of `s` (a host: at most 63 characters) where a match of
/// the segment tokens `toks` can end, when one may start at the positions
/// set in `starts`. Bit sets, so the cost is tokens × length², never
/// exponential.
fn ends(toks: &[Tok], s: &[char], starts: u64) -> u64 {
    let mut set = starts;
    for t in toks {
        let mut next = 0u64;
        for p in (0..=s.len()).filter(|p| set & (1 << p) != 0) {
            let here = s.get(p).copied();
            let one = |ok: bool| if ok { 1u64 << (p + 1) } else { 0 };
            next |= match t {
                Tok::Lit(c) => one(here == Some(*c)),
                Tok::One => one(here.is_some_and(|c| c != '/')),
                Tok::Class { negated, ranges } => one(here.is_some_and(|c| {
                    c != '/' && ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
                })),
                Tok::Star => {
                    let run = s.iter().skip(p).take_while(|c| **c != '/').count();
                    (p..=p + run).fold(0, |m, q| m | 1 << q)
                }
                Tok::Alt(alts) => alts.iter().fold(0, |m, a| m | ends(a, s, 1 << p)),
                Tok::RecDir | Tok::RecAll => (p..=s.len()).fold(0, |m, q| m | 1 << q),
            };
        }
        set = next;
    }
    set
}

fn has_upper(toks: &[Tok]) -> bool {
    toks.iter().any(|t| match t {
        Tok::Lit(c) => c.is_ascii_uppercase(),
        Tok::Class { ranges, .. } => ranges.iter().any(|(lo, hi)| *lo <= 'Z' && *hi >= 'A'),
        Tok::Alt(alts) => alts.iter().any(|a| has_upper(a)),
        _ => false,
    })
}

fn normalize_toks(eco: Ecosystem, toks: &[Tok]) -> Vec<Tok> {
    map_toks(char_map(eco, toks), toks)
}

fn map_toks(map: CharMap, toks: &[Tok]) -> Vec<Tok> {
    let mut out: Vec<Tok> = Vec::with_capacity(toks.len());
    for t in toks {
        match t {
            Tok::Lit(c) => {
                let n = map.map(*c);
                // PyPI: a run of separators becomes one `-`.
                if map.collapses_separators() && n == '-' && out.last() == Some(&Tok::Lit('-')) {
                    continue;
                }
                out.push(Tok::Lit(n));
            }
            Tok::Class { negated, ranges } => {
                let ranges = ranges
                    .iter()
                    .map(|&(lo, hi)| {
                        if lo == hi {
                            let n = map.map(lo);
                            (n, n)
                        } else if lo.is_ascii_uppercase()
                            && hi.is_ascii_uppercase()
                            && map.folds_case()
                        {
                            (lo.to_ascii_lowercase(), hi.to_ascii_lowercase())
                        } else {
                            (lo, hi)
                        }
                    })
                    .collect();
                out.push(Tok::Class {
                    negated: *negated,
                    ranges,
                });
            }
            Tok::Alt(alts) => out.push(Tok::Alt(alts.iter().map(|a| map_toks(map, a)).collect())),
            other => out.push(other.clone()),
        }
    }
    out
}

/// Renders tokens back as a glob (canonical: used for digests and messages).
pub(crate) fn render(toks: &[Tok]) -> String {
    let mut s = String::new();
    render_into(toks, &mut s);
    s
}

fn render_into(toks: &[Tok], s: &mut String) {
    for t in toks {
        match t {
            Tok::Lit(c) => s.push(*c),
            Tok::One => s.push('?'),
            Tok::Star => s.push('*'),
            Tok::RecDir => s.push_str("**/"),
            Tok::RecAll => s.push_str("**"),
            Tok::Class { negated, ranges } => {
                s.push('[');
                if *negated {
                    s.push('!');
                }
                for (lo, hi) in ranges {
                    if lo == hi {
                        s.push(*lo);
                    } else {
                        let _ = write!(s, "{lo}-{hi}");
                    }
                }
                s.push(']');
            }
            Tok::Alt(alts) => {
                s.push('{');
                for (i, a) in alts.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    render_into(a, s);
                }
                s.push('}');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Glob, GlobError> {
        Glob::parse(s, 1024, 16)
    }

    #[test]
    fn accepts_whole_segment_recursion_only() {
        for ok in [
            "**", "**/x", "a/**", "a/**/b", "@acme/*", "{a,b}-*", "[a-z]?x",
        ] {
            assert!(parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "a**", "**a", "a/**b", "***", "{a,{b}}", "{a", "a}", "[a", "a\\*", "", "a b", "{**,a}",
            "a/**/", "[z-a]",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn limits_are_enforced() {
        assert_eq!(Glob::parse("abcd", 3, 16), Err(GlobError::TooLong(3)));
        assert_eq!(
            Glob::parse("{a,b}{c,d}", 64, 1),
            Err(GlobError::TooManyBraces(1))
        );
    }

    #[test]
    fn literal_patterns_normalize_like_names() {
        use crate::names::normalize as normalize_name;
        for name in [
            "Zope._-Interface",
            "ΑΣ",
            "Foo_Bar",
            "x.-_.y",
            "ǅemo",
            "İx",
            "a__",
            "-A-",
        ] {
            let g = parse(name).unwrap();
            for eco in Ecosystem::ALL {
                assert_eq!(
                    render(&g.normalized(Some(eco))),
                    normalize_name(eco, name),
                    "{eco} {name}"
                );
            }
        }
    }

    #[test]
    fn pypi_normalization_keeps_metacharacters() {
        let g = parse("Zope.*").unwrap();
        assert_eq!(render(&g.normalized(Some(Ecosystem::Pypi))), "zope-*");
        let g = parse("Foo__.-Bar[A-Z_]").unwrap();
        assert_eq!(
            render(&g.normalized(Some(Ecosystem::Pypi))),
            "foo-bar[a-z-]"
        );
        let g = parse("Foo_Bar*").unwrap();
        assert_eq!(render(&g.normalized(Some(Ecosystem::Cargo))), "foo-bar*");
        assert_eq!(render(&g.normalized(Some(Ecosystem::Npm))), "Foo_Bar*");
    }
}
