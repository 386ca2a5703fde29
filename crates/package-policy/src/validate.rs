//! Stage 2 of the pipeline: a parsed layer document → the validated model
//! (`crate::layer`). Each rule is checked on its own, so `validate` can
//! report every invalid rule; errors carry paths (`rules[3].match.versions`)
//! that `crate::locate` turns into lines and columns.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use package_versions::{Ecosystem, VersionSet};

use crate::decision::{Action, RuleRef};
use crate::document::{FeedAction, FeedDecl, RawLayer, RawMatch, RawMode, RawRule};
use crate::error::{CompileError, CompileErrorKind};
use crate::glob::{Glob, GlobError};
use crate::layer::{Conditions, Layer, Rule};
use crate::license;
use crate::limits::Limits;
use crate::one_or_many::OneOrMany;
use crate::request::provenance::ProvenanceCond;
use crate::source::LayerSource;

/// Parses and validates a policy set: layers outermost first, unique names.
pub(crate) fn parse_policy_set(
    sources: &[LayerSource],
    limits: &Limits,
) -> Result<Vec<Layer>, CompileError> {
    parse_policy_set_within(sources, limits, &HashSet::new())
}

/// [`parse_policy_set`] for layers inner to `outer` (the layer names of the
/// levels a stacked engine extends). Layers are checked one by one, the name
/// last, so the first error is the one a flat compile of all the layers meets.
pub(crate) fn parse_policy_set_within(
    sources: &[LayerSource],
    limits: &Limits,
    outer: &HashSet<&str>,
) -> Result<Vec<Layer>, CompileError> {
    let mut layers = Vec::with_capacity(sources.len());
    let mut names = HashSet::new();
    for src in sources {
        let layer = parse_layer(src, limits)?;
        let in_outer = outer.contains(&*layer.name);
        if in_outer || !names.insert(layer.name.clone()) {
            let err = CompileError::new(
                CompileErrorKind::Duplicate,
                &src.name,
                format!(
                    "duplicate layer name `{}` in the policy set{}",
                    layer.name,
                    if in_outer {
                        " (an outer level has it)"
                    } else {
                        ""
                    }
                ),
            )
            .with_path("layer")
            .in_layer(&layer.name);
            return Err(crate::locate::locate(&src.text, err));
        }
        layers.push(layer);
    }
    Ok(layers)
}

/// Parses and validates one layer; its first error, located.
pub(crate) fn parse_layer(src: &LayerSource, limits: &Limits) -> Result<Layer, CompileError> {
    let raw = crate::parse::layer(src, limits)?;
    let layer_name = raw.layer.clone();
    validate_layer(src, raw, limits)
        .map_err(|e| crate::locate::locate(&src.text, e.in_layer(&layer_name)))
}

fn validate_layer(
    src: &LayerSource,
    raw: RawLayer,
    limits: &Limits,
) -> Result<Layer, CompileError> {
    let mut first = None;
    let layer = check_layer(src, raw, limits, &mut |e| {
        first = Some(e);
        false
    });
    match (layer, first) {
        (Some(layer), None) => Ok(layer),
        (_, Some(e)) => Err(e),
        // check_layer returns no layer only after reporting an error.
        (None, None) => Err(CompileError::new(
            CompileErrorKind::Invalid,
            &src.name,
            "invalid layer",
        )),
    }
}

/// The errors of one layer, for `validate`: each rule is checked even when
/// an earlier one failed. At most `max` are kept (and located, together, in
/// one pass over the document); the second value counts the others.
pub(crate) fn layer_errors(
    src: &LayerSource,
    limits: &Limits,
    max: usize,
) -> (Vec<CompileError>, usize) {
    let raw = match crate::parse::layer(src, limits) {
        Ok(raw) => raw,
        Err(e) if max > 0 => return (vec![e], 0),
        Err(_) => return (Vec::new(), 1),
    };
    let layer_name = raw.layer.clone();
    let mut errors = Vec::new();
    let mut more = 0usize;
    check_layer(src, raw, limits, &mut |e| {
        if errors.len() < max {
            errors.push(e.in_layer(&layer_name));
        } else {
            more += 1;
        }
        true
    });
    crate::locate::locate_all(&src.text, &mut errors);
    (errors, more)
}

/// Checks a layer, passing each error to `report`, which says whether to go
/// on with the next rule. `None` when any error was reported.
fn check_layer(
    src: &LayerSource,
    raw: RawLayer,
    limits: &Limits,
    report: &mut dyn FnMut(CompileError) -> bool,
) -> Option<Layer> {
    let mut failed = false;
    let mut fail = |e: CompileError| {
        failed = true;
        report(e)
    };
    let invalid = |path: &str, msg: String| {
        CompileError::new(CompileErrorKind::Invalid, &src.name, msg).with_path(path)
    };
    let limit = |path: &str, msg: String| {
        CompileError::new(CompileErrorKind::Limit, &src.name, msg).with_path(path)
    };
    if raw.schema_version != 1 {
        fail(invalid(
            "schema_version",
            format!(
                "schema_version {} is not supported (only 1 exists)",
                raw.schema_version
            ),
        ));
        return None;
    }
    if raw.layer.is_empty()
        || raw
            .layer
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        fail(invalid(
            "layer",
            format!(
                "layer name `{}` is empty or has whitespace or control characters",
                raw.layer
            ),
        ));
        return None;
    }
    if raw.layer.len() > limits.rule_id_bytes {
        fail(limit(
            "layer",
            format!("layer name is longer than {} bytes", limits.rule_id_bytes),
        ));
        return None;
    }
    let name: Arc<str> = Arc::from(raw.layer.as_str());
    let mut ids = HashSet::new();
    // Feeds repeat one reason thousands of times: share the text.
    let mut strings: HashMap<String, Arc<str>> = HashMap::new();
    let mut intern = |s: String| -> Arc<str> {
        strings
            .entry(s)
            .or_insert_with_key(|k| Arc::from(k.as_str()))
            .clone()
    };
    let mut rules = Vec::with_capacity(raw.rules.len());
    for (i, r) in raw.rules.into_iter().enumerate() {
        let rule = check_rule(i, r, src, limits, &mut ids, &name, &mut intern);
        match rule {
            Ok(rule) => rules.push(rule),
            Err(e) => {
                if !fail(e) {
                    return None;
                }
            }
        }
    }
    if let Err((path, msg)) = validate_decls(&raw.feeds, limits) {
        fail(invalid(&path, msg));
    }
    if failed {
        return None;
    }
    Some(Layer {
        name,
        default: raw.default.map(Action::from).unwrap_or(Action::Allow),
        dry_run: matches!(raw.mode, Some(RawMode::DryRun)),
        unreadable_license: raw.unreadable_license.map(Action::from),
        rules,
        feeds: raw.feeds,
        fixes: Vec::new(),
    })
}

/// One rule of a layer named `layer`: its first error, or the rule.
fn check_rule(
    i: usize,
    r: RawRule,
    src: &LayerSource,
    limits: &Limits,
    ids: &mut HashSet<String>,
    layer: &Arc<str>,
    intern: &mut dyn FnMut(String) -> Arc<str>,
) -> Result<Rule, CompileError> {
    let invalid = |path: &str, msg: String| {
        CompileError::new(CompileErrorKind::Invalid, &src.name, msg).with_path(path)
    };
    let limit = |path: &str, msg: String| {
        CompileError::new(CompileErrorKind::Limit, &src.name, msg).with_path(path)
    };
    let path = format!("rules[{i}]");
    let at = |field: &str| format!("{path}.{field}");
    if r.id.len() > limits.rule_id_bytes {
        return Err(limit(
            &at("id"),
            format!("rule id is longer than {} bytes", limits.rule_id_bytes),
        ));
    }
    if !valid_id(&r.id) {
        return Err(invalid(
            &at("id"),
            format!("rule id `{}` must match [A-Za-z0-9][A-Za-z0-9._:-]*", r.id),
        ));
    }
    if !ids.insert(r.id.clone()) {
        return Err(CompileError::new(
            CompileErrorKind::Duplicate,
            &src.name,
            format!("duplicate rule id `{}` in layer `{}`", r.id, layer),
        )
        .with_path(at("id")));
    }
    for (key, value) in [
        ("reason", &r.reason),
        ("owner", &r.owner),
        ("ticket", &r.ticket),
    ] {
        if value
            .as_ref()
            .is_some_and(|v| v.len() > limits.reason_bytes)
        {
            return Err(limit(
                &at(key),
                format!("`{key}` is longer than {} bytes", limits.reason_bytes),
            ));
        }
    }
    let action = Action::from(r.action);
    let enforced = r.enforced.unwrap_or(false);
    if enforced && action == Action::Allow {
        return Err(invalid(
            &at("enforced"),
            "`enforced` applies to deny and warn rules only".into(),
        ));
    }
    let expires = match &r.expires {
        None => None,
        Some(s) => Some(parse_expiry(s).map_err(|m| invalid(&at("expires"), m))?),
    };
    let mut cond = validate_match(r.conditions, &format!("{path}.match"), src, limits)?;
    if cond.fixes_advisory {
        return Err(invalid(
            &format!("{path}.match.fixes_advisory"),
            "`fixes_advisory` is an exemption: put it under `unless`".into(),
        ));
    }
    if let Some(raw) = r.unless {
        let unless = validate_match(raw, &at("unless"), src, limits)?;
        if unless.is_empty() {
            return Err(invalid(
                &at("unless"),
                "an empty `unless` always holds, so the rule would never match; omit it".into(),
            ));
        }
        cond.unless = Some(Box::new(unless));
    }
    Ok(Rule {
        rref: RuleRef {
            layer: layer.clone(),
            id: Arc::from(r.id.as_str()),
            action,
            reason: r.reason.map(&mut *intern),
            owner: r.owner.map(&mut *intern),
            ticket: r.ticket.map(&mut *intern),
        },
        enforced,
        expires,
        cond,
    })
}

fn valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

/// Items of a list condition; an empty list is an error (it would never hold).
fn items<T>(
    value: OneOrMany<T>,
    path: &str,
    src: &LayerSource,
) -> Result<Vec<(String, T)>, CompileError> {
    let items = value.indexed();
    if items.is_empty() {
        return Err(CompileError::new(
            CompileErrorKind::Invalid,
            &src.name,
            "an empty list never holds; omit the key to match every request",
        )
        .with_path(path));
    }
    Ok(items)
}

fn validate_match(
    m: RawMatch,
    path: &str,
    src: &LayerSource,
    limits: &Limits,
) -> Result<Conditions, CompileError> {
    let at = |key: &str, suffix: &str| format!("{path}.{key}{suffix}");
    let invalid = |p: String, msg: String| {
        CompileError::new(CompileErrorKind::Invalid, &src.name, msg).with_path(p)
    };
    let glob = |p: String, text: &str| {
        Glob::parse(text, limits.glob_bytes, limits.glob_braces).map_err(|e| {
            let kind = match e {
                GlobError::Invalid(_) => CompileErrorKind::Invalid,
                GlobError::TooLong(_) | GlobError::TooManyBraces(_) => CompileErrorKind::Limit,
            };
            CompileError::new(kind, &src.name, format!("pattern `{text}`: {e}")).with_path(p)
        })
    };
    let mut c = Conditions::default();
    if let Some(list) = m.ecosystem {
        let mut es = Vec::new();
        for (sfx, e) in items(list, &at("ecosystem", ""), src)? {
            es.push(
                e.parse::<Ecosystem>()
                    .map_err(|err| invalid(at("ecosystem", &sfx), err.to_string()))?,
            );
        }
        es.sort();
        es.dedup();
        c.ecosystems = Some(es);
    }
    if let Some(list) = m.package {
        let mut gs = Vec::new();
        let golang = c
            .ecosystems
            .as_ref()
            .is_none_or(|es| es.contains(&Ecosystem::Golang));
        for (sfx, p) in items(list, &at("package", ""), src)? {
            let g = glob(at("package", &sfx), &p)?;
            if let Some(why) = g.golang_case_problem().filter(|_| golang) {
                return Err(invalid(
                    at("package", &sfx),
                    format!("pattern `{p}`: {why}"),
                ));
            }
            gs.push(g);
        }
        c.packages = Some(gs);
    }
    if let Some(list) = m.versions {
        let list = items(list, &at("versions", ""), src)?;
        let eco = versions_ecosystem(&c.ecosystems, &list)
            .map_err(|(sfx, msg)| invalid(at("versions", &sfx), msg))?;
        let mut set: Option<VersionSet> = None;
        for (sfx, text) in &list {
            let p = at("versions", sfx);
            if text.len() > limits.range_bytes {
                return Err(CompileError::new(
                    CompileErrorKind::Limit,
                    &src.name,
                    format!("range is longer than {} bytes", limits.range_bytes),
                )
                .with_path(p));
            }
            if text.trim().is_empty() {
                return Err(invalid(
                    p,
                    "empty range; omit `versions` to match every version".into(),
                ));
            }
            let parsed = package_versions::parse_range(eco, text)
                .map_err(|e| invalid(p, format!("`{text}` is not a valid {eco} range: {e}")))?;
            set = Some(match set {
                None => parsed,
                Some(s) => s.union(&parsed),
            });
        }
        let set = set.unwrap_or_else(|| VersionSet::empty(eco));
        if set.is_empty() {
            return Err(invalid(
                at("versions", ""),
                "the range holds no version at all".into(),
            ));
        }
        c.versions = Some(set);
        c.ecosystems = Some(vec![eco]);
    }
    for (key, value, slot) in [
        ("license", m.license, &mut c.license),
        ("license_not_in", m.license_not_in, &mut c.license_not_in),
    ] {
        if let Some(list) = value {
            let mut ids = Vec::new();
            for (sfx, text) in items(list, &at(key, ""), src)? {
                ids.push(license::parse_id(&text).map_err(|m| invalid(at(key, &sfx), m))?);
            }
            ids.sort_unstable();
            ids.dedup();
            *slot = Some(ids);
        }
    }
    if let Some(text) = m.published_within {
        c.published_within =
            Some(parse_duration(&text).map_err(|m| invalid(at("published_within", ""), m))?);
    }
    if let Some(list) = m.project {
        let mut gs = Vec::new();
        for (sfx, p) in items(list, &at("project", ""), src)? {
            gs.push(glob(at("project", &sfx), &p)?);
        }
        c.project = Some(gs);
    }
    if let Some(attrs) = m.attributes {
        if let Some(k) = attrs.keys().find(|k| k.is_empty()) {
            return Err(invalid(
                at("attributes", ""),
                format!("empty attribute name `{k}`"),
            ));
        }
        c.attributes = Some(attrs);
    }
    if let Some(raw) = m.provenance {
        let p = at("provenance", "");
        c.provenance = Some(ProvenanceCond::validate(raw, &p, &glob, &invalid)?);
    }
    match m.provenance_downgrade {
        None => {}
        Some(true) => c.provenance_downgrade = true,
        Some(false) => {
            return Err(invalid(
                at("provenance_downgrade", ""),
                "only `provenance_downgrade: true` is a condition; omit the key otherwise".into(),
            ))
        }
    }
    match m.fixes_advisory {
        None => {}
        Some(true) => c.fixes_advisory = true,
        Some(false) => {
            return Err(invalid(
                at("fixes_advisory", ""),
                "only `fixes_advisory: true` is a condition; omit the key otherwise".into(),
            ))
        }
    }
    Ok(c)
}

/// The one ecosystem a `versions` condition is read in (POLICY_SPEC §2): the
/// single `ecosystem` value, or the type of the `vers:` URIs; both must agree.
fn versions_ecosystem(
    ecosystems: &Option<Vec<Ecosystem>>,
    list: &[(String, String)],
) -> Result<Ecosystem, (String, String)> {
    let mut eco = match ecosystems.as_deref() {
        Some([one]) => Some(*one),
        Some(_) => {
            return Err((
                String::new(),
                "`versions` needs exactly one ecosystem, but `ecosystem` lists several".into(),
            ))
        }
        None => None,
    };
    for (sfx, text) in list {
        let Some(rest) = text.strip_prefix("vers:") else {
            continue;
        };
        let ty = rest.split('/').next().unwrap_or_default();
        let vers_eco = Ecosystem::from_purl_type(ty)
            .ok_or_else(|| (sfx.clone(), format!("`{text}`: unknown vers type `{ty}`")))?;
        match eco {
            None => eco = Some(vers_eco),
            Some(e) if e != vers_eco => {
                return Err((
                    sfx.clone(),
                    format!("`{text}`: vers type `{ty}` does not agree with ecosystem `{e}`"),
                ))
            }
            Some(_) => {}
        }
    }
    eco.ok_or_else(|| {
        (
            String::new(),
            "`versions` needs exactly one ecosystem: add `ecosystem` or use a vers: URI".into(),
        )
    })
}

/// Checks a layer's `feeds:` entries; `Err((path, message))`.
pub(crate) fn validate_decls(decls: &[FeedDecl], limits: &Limits) -> Result<(), (String, String)> {
    let mut names = HashSet::new();
    for (i, d) in decls.iter().enumerate() {
        let at = |key: &str| format!("feeds[{i}].{key}");
        if d.name.is_empty() || d.name.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err((
                at("name"),
                format!("feed name `{}` is empty or has whitespace", d.name),
            ));
        }
        if !names.insert(d.name.as_str()) {
            return Err((
                at("name"),
                format!("feed `{}` is declared twice in this layer", d.name),
            ));
        }
        if d.is_advisories() {
            // Advisory records make no rules: nothing to act on or enforce.
            for (key, given) in [
                ("action", d.action.is_some()),
                ("enforced", d.enforced.is_some()),
                ("reason_prefix", d.reason_prefix.is_some()),
            ] {
                if given {
                    return Err((
                        at(key),
                        format!(
                            "an advisory feed makes no rules, so `{key}` does not apply; omit it"
                        ),
                    ));
                }
            }
            continue;
        }
        if d.action.is_none() {
            return Err((
                at("action"),
                "a feed of kind `rules` needs `action` (allow, warn or deny)".into(),
            ));
        }
        if d.enforced == Some(true) && matches!(d.action, Some(FeedAction::Allow)) {
            return Err((
                at("enforced"),
                "`enforced` applies to deny and warn feeds only".into(),
            ));
        }
        if d.reason_prefix
            .as_ref()
            .is_some_and(|p| p.len() > limits.reason_bytes)
        {
            return Err((
                at("reason_prefix"),
                format!(
                    "`reason_prefix` is longer than {} bytes",
                    limits.reason_bytes
                ),
            ));
        }
    }
    Ok(())
}

/// `30m`, `72h`, `14d`: a positive whole number of minutes, hours or days.
pub(crate) fn parse_duration(text: &str) -> Result<SignedDuration, String> {
    let bad = || format!("`{text}` is not a duration such as `30m`, `72h` or `14d`");
    let unit = text.chars().last().ok_or_else(bad)?;
    let digits = text.get(..text.len() - 1).ok_or_else(bad)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let n: i64 = digits.parse().map_err(|_| bad())?;
    let secs_per = match unit {
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(bad()),
    };
    if n == 0 {
        return Err(format!("`{text}`: a zero duration never holds"));
    }
    // About a century is plenty and keeps `now - d` in range.
    let secs = n
        .checked_mul(secs_per)
        .filter(|s| *s <= 100 * 366 * 86_400)
        .ok_or_else(|| format!("`{text}` is longer than a century"))?;
    Ok(SignedDuration::from_secs(secs))
}

/// A bare date means 00:00:00 UTC of that day; otherwise RFC 3339.
fn parse_expiry(s: &str) -> Result<Timestamp, String> {
    if s.len() == 10 {
        if let Ok(d) = s.parse::<jiff::civil::Date>() {
            return d
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .map_err(|e| e.to_string());
        }
    }
    s.parse::<Timestamp>()
        .map_err(|e| format!("`{s}` is neither a date (YYYY-MM-DD) nor an RFC 3339 time: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("30m"), Ok(SignedDuration::from_secs(1800)));
        assert_eq!(parse_duration("72h"), Ok(SignedDuration::from_hours(72)));
        assert_eq!(
            parse_duration("14d"),
            Ok(SignedDuration::from_hours(14 * 24))
        );
        for bad in [
            "",
            "d",
            "14",
            "1w",
            "-1d",
            "0d",
            "1.5h",
            " 1d",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn expiry_dates_are_utc_midnight() {
        assert_eq!(
            parse_expiry("2027-01-31").unwrap(),
            "2027-01-31T00:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert!(parse_expiry("2027-01-31T10:00:00+02:00").is_ok());
        assert!(parse_expiry("tomorrow").is_err());
    }

    #[test]
    fn rule_ids() {
        assert!(valid_id("a"));
        assert!(valid_id("GHSA-xxxx:1.2_x"));
        assert!(!valid_id("-a"));
        assert!(!valid_id("a b"));
        assert!(!valid_id(""));
    }
}
