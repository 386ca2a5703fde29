# frozen_string_literal: true

require "spec_helper"

# Provenance facts (`provenance:`, `previous_provenance:`) and `unless:`
# through the gem's public API.
RSpec.describe "provenance facts", :core do
  let(:engine) do
    PackagePolicy.compile(<<~YAML)
      schema_version: 1
      layer: acme
      rules:
        - id: acme-trusted-publishing
          action: deny
          match: { ecosystem: npm, package: "@acme/*" }
          unless:
            provenance: { trusted_publisher: true, repository: "github.com/acme/*" }
        - id: no-downgrade
          action: deny
          match: { provenance_downgrade: true }
    YAML
  end

  it "exempts a release published through a trusted publisher from an acme repository" do
    d = engine.evaluate(ecosystem: "npm", name: "@acme/web", version: "1.2.3",
                        provenance: { trusted_publisher: true, repository: "github.com/acme/web" })
    expect(d).to be_allow
    expect(engine.evaluate("pkg:npm/%40acme/web@1.2.3",
                           provenance: { "trusted_publisher" => true, "repository" => "github.com/acme/web" })).to be_allow
  end

  it "denies without the facts: a missing fact never satisfies an exemption" do
    expect(engine.evaluate("pkg:npm/%40acme/web@1.2.3")).to be_deny
    expect(engine.evaluate("pkg:npm/%40acme/web@1.2.3", provenance: { trusted_publisher: true })).to be_deny
    d = engine.evaluate("pkg:npm/%40acme/web@1.2.3",
                        provenance: { trusted_publisher: false, attested: true, repository: "github.com/acme/web" })
    expect(d.matched.map(&:id)).to eq(["acme-trusted-publishing"])
  end

  it "blocks a downgrade, in a request Hash and in evaluate_many" do
    request = { ecosystem: "npm", name: "left-pad", provenance: { attested: false },
                previous_provenance: { attested: true, trusted_publisher: true } }
    expect(engine.evaluate(request).matched.map(&:id)).to eq(["no-downgrade"])
    expect(engine.evaluate_many([request, request.merge(provenance: { trusted_publisher: true })]).map(&:action))
      .to eq(%i[deny allow])
  end

  it "raises RequestError (kind :provenance) for a misspelled or mistyped fact" do
    expect { engine.evaluate(ecosystem: "npm", name: "x", provenance: { atested: true }) }
      .to raise_error(PackagePolicy::RequestError, /atested/) { |e| expect(e.kind).to eq(:provenance) }
    expect { engine.evaluate(ecosystem: "npm", name: "x", previous_provenance: { attested: 1 }) }
      .to raise_error(PackagePolicy::RequestError) { |e| expect([e.kind, e.field]).to eq(%i[provenance previous_provenance]) }
    expect { engine.evaluate(ecosystem: "npm", name: "x", provenance: "github") }.to raise_error(TypeError)
  end

  it "reports an invalid provenance condition as a located PolicyError" do
    yaml = "schema_version: 1\nlayer: l\nrules:\n  - id: x\n    action: deny\n    match: { package: a }\n" \
           "    unless: { provenance: { publisher: travis } }\n"
    expect { PackagePolicy.compile(yaml) }.to raise_error(PackagePolicy::PolicyError) { |e|
      expect([e.kind, e.path, e.line]).to eq([:invalid, "rules[0].unless.provenance.publisher", 7])
    }
  end
end
