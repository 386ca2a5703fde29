# POLICY_SPEC §4 as an OPA team would write it: exact names indexed in an object
# (data.policy.exact[ecosystem][name]), globs scanned with glob.match per
# ecosystem, rules without a package condition scanned. Only the action and the
# unsuppressed deny/warn rules are computed (what the cross-check compares).
package pp

import rego.v1

candidates contains r if {
	some r in data.policy.exact[input.ecosystem][input.name]
}

candidates contains r if {
	some r in data.policy.globs[input.ecosystem]
	glob.match(r.pattern, ["/"], input.name)
}

candidates contains r if {
	some r in data.policy.generic
	ecosystem_ok(r)
}

ecosystem_ok(r) if not r.ecosystems

ecosystem_ok(r) if input.ecosystem in r.ecosystems

active(r) if not r.expires_ns

active(r) if input.now_ns < r.expires_ns

versions_ok(r) if not r.versions

versions_ok(r) if {
	some iv in r.versions
	iv.eq == input.version
}

versions_ok(r) if {
	some iv in r.versions
	semver.compare(input.version, iv.lo) >= 0
	semver.compare(input.version, iv.hi) < 0
}

license_ok(r) if not r.license

license_ok(r) if input.license in r.license

# Fail closed: a request without a license is outside any allowlist.
not_in_ok(r) if not r.license_not_in

not_in_ok(r) if {
	r.license_not_in
	not input.license in r.license_not_in
}

recent_ok(r) if not r.within_ns

recent_ok(r) if time.parse_rfc3339_ns(input.published_at) > input.now_ns - r.within_ns

project_ok(r) if not r.project

project_ok(r) if glob.match(r.project, ["/"], input.project)

m contains r if {
	some r in candidates
	active(r)
	versions_ok(r)
	license_ok(r)
	not_in_ok(r)
	recent_ok(r)
	project_ok(r)
}

allows contains a if {
	some a in m
	a.action == "allow"
}

# An allow suppresses a deny/warn that is not enforced, or one in its own layer
# or a layer inside it.
suppressed(d) if {
	not d.enforced
	count(allows) > 0
}

suppressed(d) if {
	some a in allows
	a.layer <= d.layer
}

blocking contains d if {
	some d in m
	d.action != "allow"
	not suppressed(d)
}

# Mutually exclusive definitions rather than an `else` chain: regorus 0.14's
# RVM leaves the chain's value undefined (the interpreter evaluates it).
has_deny if {
	some d in blocking
	d.action == "deny"
}

action := "deny" if has_deny

action := "warn" if {
	not has_deny
	count(blocking) > 0
}

action := "allow" if {
	count(blocking) == 0
	count(allows) > 0
}

action := data.policy.default_action if {
	count(blocking) == 0
	count(allows) == 0
}

decision := {"action": action, "matched": sort([d.key | some d in blocking])}
