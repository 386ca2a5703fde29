//! Policy analysis: lint, semantic diff and the pieces they share. Rules are
//! read through [`view`], the module's one window on the parser.

pub mod diff;
pub mod lint;
mod names;
mod relate;
mod view;
mod witness;

pub use diff::{diff, Diff, DiffError, Outcome, Region, Witness};
pub use lint::{lint, Finding, FindingKind, LintOptions, Severity};

/// A duration as `published_within` writes it (`30m`, `72h`, `14d`), for
/// options such as the lint's expiry window.
pub fn parse_duration(text: &str) -> Result<jiff::SignedDuration, String> {
    crate::validate::parse_duration(text)
}
