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
