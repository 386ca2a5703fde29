# frozen_string_literal: true

# TEMPORARY: what the gem on main can do yet. Examples that need more skip
# (and say why) until issue 5 lands; then these probes and skips go.
module GemCapabilities
  PROBE = <<~YAML
    schema_version: 1
    layer: probe
    rules:
      - { id: d, action: deny, owner: o, ticket: t, match: { ecosystem: npm, package: a } }
      - { id: a, action: allow, match: { ecosystem: npm, package: a } }
  YAML

  def self.rule_owner_and_ticket?
    rule = PackagePolicy.compile("schema_version: 1\nlayer: p\nrules:\n" \
                                 "  - { id: d, action: deny, owner: o, ticket: t, match: { ecosystem: npm, package: a } }\n")
                        .evaluate("pkg:npm/a@1.0.0").matched.first
    PackagePolicy::Instrumentation.rule_hash(rule).key?(:ticket)
  end

  def self.allowed_by?
    PackagePolicy.compile(PROBE).evaluate("pkg:npm/a@1.0.0").respond_to?(:allowed_by)
  end
end
