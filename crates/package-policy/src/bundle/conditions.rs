//! Issue 17's conditions in a bundle: a predicate's `provenance`,
//! `provenance_downgrade` and `unless` block, as owned data with every glob as
//! its tokens. Read back through the compile step's own functions
//! (`crate::unless`) and checked like the rest of the payload. A predicate
//! without them costs one byte.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::SignedDuration;
use package_versions::{Bound, Ecosystem, Interval, Version, VersionSet};
use serde::{Deserialize, Serialize};

use crate::advisory::{FixScope, Fixes};
use crate::glob::Tok;
use crate::index::PatternWire;
use crate::matcher::{Predicate, TokGlob, Unless};
use crate::request::provenance::{ProvenanceCond, Publisher};
use crate::request::AttrValue;
use crate::unless::{compile_packages, compile_provenance};

#[derive(Serialize, Deserialize)]
pub(crate) struct ConditionsWire {
    provenance: Option<ProvenanceWire>,
    provenance_downgrade: bool,
    unless: Option<Box<UnlessWire>>,
}

#[derive(Serialize, Deserialize)]
struct ProvenanceWire {
    attested: Option<bool>,
    trusted_publisher: Option<bool>,
    publisher: Option<Vec<String>>,
    issuer: Option<Vec<PatternWire>>,
    repository: Option<Vec<PatternWire>>,
    workflow: Option<Vec<PatternWire>>,
    predicate_type: Option<Vec<String>>,
}

#[derive(Serialize, Deserialize)]
struct UnlessWire {
    ecosystems: u8,
    packages: Option<Vec<PatternWire>>,
    /// The ecosystem's index, then interval bounds, low then high: 0
    /// unbounded, 1 included, 2 excluded, with the version's text.
    versions: Option<(u8, Vec<(u8, String)>)>,
    license: Option<Vec<String>>,
    license_not_in: Option<Vec<String>>,
    published_within: Option<(i64, i32)>,
    project: Option<Vec<PatternWire>>,
    attributes: Option<Vec<(String, AttrWire)>>,
    /// `fixes_advisory`: the place of the rule's layer in its level, whose
    /// scope of fix versions it reads.
    fixes_advisory: Option<u32>,
    /// Its provenance conditions; an `unless` never has an `unless`.
    rest: ConditionsWire,
}

#[derive(Serialize, Deserialize)]
enum AttrWire {
    Bool(bool),
    Int(i64),
    String(String),
}

fn patterns(globs: &[Vec<Tok>]) -> Vec<PatternWire> {
    globs.iter().map(|t| PatternWire::from_toks(t)).collect()
}

fn toks_of(list: &[PatternWire]) -> Result<Vec<Vec<Tok>>, String> {
    list.iter().map(PatternWire::to_toks).collect()
}

impl ConditionsWire {
    /// `None` when `p` has none of these conditions.
    pub(crate) fn of(p: &Predicate) -> Option<Box<ConditionsWire>> {
        if p.provenance.is_none() && !p.provenance_downgrade && p.unless.is_none() {
            return None;
        }
        Some(Box::new(ConditionsWire::parts(p)))
    }

    fn parts(p: &Predicate) -> ConditionsWire {
        let globs = |v: &Option<Vec<TokGlob>>| {
            v.as_ref()
                .map(|gs| gs.iter().map(|(t, _)| PatternWire::from_toks(t)).collect())
        };
        ConditionsWire {
            provenance: p.provenance.as_deref().map(|c| ProvenanceWire {
                attested: c.attested,
                trusted_publisher: c.trusted_publisher,
                publisher: c
                    .publisher
                    .as_ref()
                    .map(|ps| ps.iter().map(|p| p.as_str().to_owned()).collect()),
                issuer: globs(&c.issuer),
                repository: globs(&c.repository),
                workflow: globs(&c.workflow),
                predicate_type: c.predicate_type.clone(),
            }),
            provenance_downgrade: p.provenance_downgrade,
            unless: p.unless.as_deref().map(|u| Box::new(UnlessWire::of(u))),
        }
    }

    /// Sets these conditions of `p` from the wire, checked.
    /// `scopes`: each layer's fix versions in scope, for `fixes_advisory`.
    pub(crate) fn apply(
        &self,
        p: &mut Predicate,
        nested: bool,
        scopes: &[Arc<Fixes>],
    ) -> Result<(), String> {
        if let Some(w) = &self.provenance {
            let toks = |v: &Option<Vec<PatternWire>>| v.as_deref().map(toks_of).transpose();
            let publisher = match &w.publisher {
                None => None,
                Some(names) => Some(
                    names
                        .iter()
                        .map(|n| {
                            Publisher::parse(n).ok_or_else(|| format!("unknown publisher `{n}`"))
                        })
                        .collect::<Result<Vec<_>, String>>()?,
                ),
            };
            let cond: ProvenanceCond<Vec<Tok>> = ProvenanceCond {
                attested: w.attested,
                trusted_publisher: w.trusted_publisher,
                publisher,
                issuer: toks(&w.issuer)?,
                repository: toks(&w.repository)?,
                workflow: toks(&w.workflow)?,
                predicate_type: w.predicate_type.clone(),
            };
            p.provenance = Some(Box::new(compile_provenance(&cond, Vec::clone)?));
        }
        p.provenance_downgrade = self.provenance_downgrade;
        if let Some(u) = &self.unless {
            if nested {
                return Err("an `unless` block holds another".into());
            }
            p.unless = Some(Box::new(u.to_unless(scopes)?));
        }
        Ok(())
    }
}

impl UnlessWire {
    fn of(u: &Unless) -> UnlessWire {
        let p = &u.pred;
        let versions = p.versions.as_ref().map(|set| {
            let mut bounds = Vec::new();
            for i in set.intervals() {
                for b in [&i.lo, &i.hi] {
                    bounds.push(match b {
                        Bound::Unbounded => (0, String::new()),
                        Bound::Included(v) => (1, v.bound_text()),
                        Bound::Excluded(v) => (2, v.bound_text()),
                    });
                }
            }
            (
                u8::try_from(set.ecosystem().index()).unwrap_or(u8::MAX),
                bounds,
            )
        });
        let ids = |l: &Option<Box<[&'static str]>>| {
            l.as_ref()
                .map(|l| l.iter().map(|s| (*s).to_owned()).collect())
        };
        UnlessWire {
            ecosystems: u.ecosystems,
            packages: u.package_toks.as_deref().map(patterns),
            versions,
            license: ids(&p.license),
            license_not_in: ids(&p.license_not_in),
            published_within: p.published_within.map(|d| (d.as_secs(), d.subsec_nanos())),
            project: p.project_toks.as_deref().map(patterns),
            attributes: p.attributes.as_ref().map(|attrs| {
                attrs
                    .iter()
                    .map(|(k, v)| {
                        let v = match v {
                            AttrValue::Bool(b) => AttrWire::Bool(*b),
                            AttrValue::Int(i) => AttrWire::Int(*i),
                            AttrValue::String(s) => AttrWire::String(s.clone()),
                        };
                        (k.clone(), v)
                    })
                    .collect()
            }),
            fixes_advisory: p.fixes_advisory.as_ref().map(|s| s.layer),
            rest: ConditionsWire::parts(p),
        }
    }

    fn to_unless(&self, scopes: &[Arc<Fixes>]) -> Result<Unless, String> {
        if self.ecosystems == 0 {
            return Err("an `unless` block admits no ecosystem".into());
        }
        let package_toks = self.packages.as_deref().map(toks_of).transpose()?;
        let packages = package_toks.as_deref().map(compile_packages).transpose()?;
        let versions = match &self.versions {
            None => None,
            Some((code, bounds)) => Some(Arc::new(version_set(*code, bounds)?)),
        };
        let license = |l: &Option<Vec<String>>| -> Result<Option<Box<[&'static str]>>, String> {
            l.as_ref()
                .map(|ids| {
                    ids.iter()
                        .map(|id| crate::license::parse_id(id))
                        .collect::<Result<Vec<_>, String>>()
                        .map(Vec::into_boxed_slice)
                })
                .transpose()
        };
        let project_toks = self.project.as_deref().map(toks_of).transpose()?;
        let project = project_toks
            .as_ref()
            .map(|ts| {
                ts.iter()
                    .map(|t| crate::matcher::GlobNfa::new(t).map(Arc::new))
                    .collect::<Result<Box<[_]>, String>>()
            })
            .transpose()?;
        let published_within = match self.published_within {
            None => None,
            Some((s, n)) => {
                if !(0..=999_999_999).contains(&n) || s < 0 || (s == 0 && n == 0) {
                    return Err("a duration is malformed".into());
                }
                Some(SignedDuration::new(s, n))
            }
        };
        let attributes = self.attributes.as_ref().map(|list| {
            list.iter()
                .map(|(k, v)| {
                    let v = match v {
                        AttrWire::Bool(b) => AttrValue::Bool(*b),
                        AttrWire::Int(i) => AttrValue::Int(*i),
                        AttrWire::String(s) => AttrValue::String(s.clone()),
                    };
                    (k.clone(), v)
                })
                .collect::<BTreeMap<_, _>>()
        });
        let mut pred = Predicate {
            versions,
            license: license(&self.license)?,
            license_not_in: license(&self.license_not_in)?,
            published_within,
            project,
            project_toks: project_toks.map(Vec::into_boxed_slice),
            attributes,
            ..Predicate::default()
        };
        pred.fixes_advisory = match self.fixes_advisory {
            None => None,
            Some(layer) => Some(FixScope {
                layer,
                fixes: scopes
                    .get(layer as usize)
                    .cloned()
                    .ok_or_else(|| format!("fix scope of layer {layer} is out of range"))?,
            }),
        };
        self.rest.apply(&mut pred, true, scopes)?;
        Ok(Unless {
            ecosystems: self.ecosystems,
            packages,
            package_toks,
            pred,
        })
    }
}

fn version_set(code: u8, bounds: &[(u8, String)]) -> Result<VersionSet, String> {
    let eco = Ecosystem::ALL
        .get(code as usize)
        .copied()
        .ok_or_else(|| format!("unknown ecosystem code {code}"))?;
    let bound = |(kind, text): &(u8, String)| -> Result<Bound, String> {
        let v = || Version::parse_bound(eco, text).map_err(|e| e.to_string());
        match kind {
            0 => Ok(Bound::Unbounded),
            1 => Ok(Bound::Included(v()?)),
            2 => Ok(Bound::Excluded(v()?)),
            _ => Err("unknown bound kind".into()),
        }
    };
    if bounds.len() % 2 != 0 {
        return Err("a version set is malformed".into());
    }
    let mut intervals = Vec::with_capacity(bounds.len() / 2);
    for pair in bounds.chunks_exact(2) {
        if let [lo, hi] = pair {
            intervals.push(Interval::new(bound(lo)?, bound(hi)?));
        }
    }
    let set = VersionSet::from_intervals(eco, intervals);
    if set.intervals().is_empty() {
        return Err("a version set is empty".into());
    }
    Ok(set)
}
