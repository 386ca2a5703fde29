//! OSV vulnerability records of an advisory feed → fix versions.
//!
//! A fix version is the version of an OSV `fixed` event that closes an
//! affected interval of a `SEMVER` or `ECOSYSTEM` range (events read in
//! version order, as `osv::range_intervals` does): the first version after
//! an affected run. `last_affected` names no fix. `GIT` ranges name commits,
//! not versions, and are reported as skipped; so is any other range type.

use std::sync::Arc;

use package_versions::Bound;

use super::osv::{self, checked_id, Bounds, Converted, Issue, Record};
use super::report::FeedIssueReason as Reason;
use crate::advisory::Fix;

impl Record {
    /// The fix versions of this record, one per `fixed` event of each
    /// affected package of a supported ecosystem. Errors make the whole
    /// record invalid; a record that names no fix version is skipped with
    /// a reason (an advisory without a fix yet exempts nothing).
    pub(crate) fn fixes(self, bounds: &Bounds, notes: &mut Vec<Issue>) -> Result<Converted, Issue> {
        let id = checked_id(self.id, bounds)?;
        if self.withdrawn.is_some() {
            return Ok(Converted::Withdrawn);
        }
        if self.affected.is_empty() {
            return Err((Reason::NoAffected, "`affected` is empty".into()));
        }
        let id: Arc<str> = Arc::from(id.as_str());
        let mut left_out: Vec<Issue> = Vec::new();
        let mut fixes = Vec::new();
        for (i, a) in self.affected.into_iter().enumerate() {
            let p = a
                .package
                .ok_or_else(|| (Reason::NoPackage, format!("affected[{i}] has no `package`")))?;
            let Some(eco) = osv::ecosystem(&p.ecosystem) else {
                left_out.push((
                    Reason::UnsupportedEcosystem,
                    format!(
                        "affected[{i}]: ecosystem `{}` is not supported",
                        super::truncate(p.ecosystem, 64)
                    ),
                ));
                continue;
            };
            if p.name.is_empty() {
                return Err((
                    Reason::NoPackage,
                    format!("affected[{i}].package.name is empty"),
                ));
            }
            if p.name.len() > bounds.name_bytes {
                left_out.push((
                    Reason::NameTooLong,
                    format!(
                        "affected[{i}]: the package name is {} bytes, over the limit of {}",
                        p.name.len(),
                        bounds.name_bytes
                    ),
                ));
                continue;
            }
            let name = crate::names::normalize(eco, &p.name).into_owned();
            for (ri, r) in a.ranges.iter().enumerate() {
                if r.kind != "SEMVER" && r.kind != "ECOSYSTEM" {
                    left_out.push((
                        Reason::UnsupportedRange,
                        format!(
                            "affected[{i}].ranges[{ri}]: a `{}` range does not name {eco} versions; skipped",
                            super::truncate(r.kind.clone(), 32)
                        ),
                    ));
                    continue;
                }
                let intervals = osv::range_intervals(eco, &r.events).map_err(|e| {
                    (
                        Reason::InvalidVersion,
                        format!("affected[{i}].ranges[{ri}]: {e}"),
                    )
                })?;
                for iv in intervals {
                    if let Bound::Excluded(v) = iv.hi {
                        fixes.push(Fix {
                            ecosystem: eco,
                            name: name.clone(),
                            version: v,
                            advisory: id.clone(),
                        });
                    }
                }
            }
        }
        if fixes.is_empty() {
            let mut parts: Vec<String> = left_out.into_iter().map(|(_, m)| m).collect();
            parts.insert(
                0,
                "no SEMVER or ECOSYSTEM range of a supported package has a `fixed` event".into(),
            );
            return Err((
                Reason::NoFixedVersion,
                format!(
                    "the record names no fix version: {}",
                    super::truncate(parts.join("; "), 512)
                ),
            ));
        }
        notes.extend(left_out);
        Ok(Converted::Fixes(fixes))
    }
}
