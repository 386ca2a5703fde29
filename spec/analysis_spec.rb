# frozen_string_literal: true

require "spec_helper"

RSpec.describe "PackagePolicy.lint", :core do
  let(:acme) do
    <<~YAML
      schema_version: 1
      layer: acme
      rules:
        - id: evil-scope
          action: deny
          match: { ecosystem: npm, package: "@evil/*" }
        - id: evil-one
          action: deny
          match: { ecosystem: npm, package: "@evil/one" }
        - id: py-scope
          action: deny
          match: { ecosystem: pypi, package: "@evil/*" }
        - id: waiver
          action: allow
          owner: sec@acme.example
          ticket: SEC-1
          expires: 2026-12-05
          match: { ecosystem: npm, package: "@evil/two" }
    YAML
  end
  let(:now) { Time.utc(2026, 12, 1) }

  it "returns frozen findings with kind, severity, location and a message" do
    found = PackagePolicy.lint(layers: [{ name: "acme.yaml", source: acme }], now: now)
    expect(found).to be_frozen
    expect(found.map(&:kind)).to eq(%i[shadowed_rule dead_rule expiring_exception])
    shadowed = found.first
    expect(shadowed).to be_frozen
    expect(shadowed).to be_warning
    expect(shadowed).to have_attributes(source: "acme.yaml", layer: "acme", id: "evil-one", line: 7, column: 5)
    expect(shadowed.message).to include("acme/evil-scope")
    expect(found[1]).to be_error
    expect(found[1].to_s).to start_with("acme.yaml:10:5: error[dead-rule] acme/py-scope: ")
    expect(found[2]).to be_info
    expect(found[2].to_h).to include(kind: :expiring_exception, id: "waiver")
  end

  it "takes expiring: as a window" do
    found = PackagePolicy.lint(acme, now: now, expiring: "2d")
    expect(found.map(&:kind)).not_to include(:expiring_exception)
  end

  it "raises PolicyError for a set that does not compile, ArgumentError for a bad window" do
    expect { PackagePolicy.lint("schema_version: 1\nlayer: x\nrules: 3\n") }.to raise_error(PackagePolicy::PolicyError)
    expect { PackagePolicy.lint(acme, expiring: "2w") }.to raise_error(ArgumentError, /expiring/)
  end
end

RSpec.describe "PackagePolicy.diff", :core do
  let(:old) { "schema_version: 1\nlayer: acme\nrules:\n  - id: lodash-old\n    action: deny\n    match: { ecosystem: npm, package: lodash, versions: \"<4.17.21\" }\n" }
  let(:new) { old.sub("<4.17.21", "<4.17.19") }

  it "returns frozen regions with both outcomes and a witness the engines decide differently" do
    diff = PackagePolicy.diff(old, new, now: Time.utc(2026, 12, 1))
    expect(diff).to be_frozen
    expect(diff).not_to be_equivalent
    expect(diff.regions.size).to eq(1)
    region = diff.regions.first
    expect(region).to be_frozen
    expect(region).to include(ecosystem: :npm, names: ["lodash"], exact: true, any_name: false,
                              versions: "vers:npm/>=4.17.19|<4.17.21")
    expect(region[:old]).to include(action: :deny, default: false)
    expect(region[:old][:rules].first).to include(layer: "acme", id: "lodash-old")
    expect(region[:new]).to include(action: :allow, default: true)
    witness = region[:witness][:purl]
    expect(PackagePolicy.compile(old).evaluate(witness)).to be_deny
    expect(PackagePolicy.compile(new).evaluate(witness)).to be_allow
  end

  it "reports a rule for every name once, as an any_name region" do
    gpl = "schema_version: 1\nlayer: org\nrules:\n  - id: gpl\n    action: warn\n    match: { ecosystem: pypi, license: [GPL-3.0-only] }\n"
    diff = PackagePolicy.diff(gpl, gpl.sub("action: warn", "action: deny"))
    expect(diff.regions.map { |r| r.slice(:ecosystem, :any_name, :exact) }.uniq)
      .to eq([{ ecosystem: :pypi, any_name: true, exact: false }])
    diff.regions.each do |r|
      expect(r[:witness][:request]).to include(license: "GPL-3.0-only")
      expect([r[:old][:action], r[:new][:action]]).to eq(%i[warn deny])
    end
  end

  it "is equivalent for a native range and its vers: form; raises PolicyError on a bad set" do
    expect(PackagePolicy.diff(new, new.sub("\"<4.17.19\"", "\"vers:npm/<4.17.19\""))).to be_equivalent
    expect { PackagePolicy.diff(old, "layer: x\n") }.to raise_error(PackagePolicy::PolicyError)
  end
end
