# frozen_string_literal: true

require "spec_helper"

# Engine#resolve: the newest version in the client's range the policy serves.
RSpec.describe "Engine#resolve", :core do
  let(:engine) do
    PackagePolicy.compile(<<~YAML)
      schema_version: 1
      layer: acme
      rules:
        - id: lodash-bad
          action: deny
          reason: broken release
          match: { ecosystem: npm, package: lodash, versions: "4.17.22" }
        - id: old-warn
          action: warn
          match: { ecosystem: npm, package: lodash, versions: "<4.17.20" }
        - id: cooldown
          action: deny
          match: { ecosystem: npm, published_within: 72h }
    YAML
  end
  let(:now) { Time.utc(2026, 6, 1, 12) }

  it "returns a frozen Resolution with the chosen version and the refused newer ones" do
    r = engine.resolve(ecosystem: "npm", name: "lodash", range: "^4.17.0",
                       versions: %w[4.17.20 4.17.22 4.17.21 5.0.0 bogus!], now: now)
    expect(r).to be_frozen
    expect(r).to be_found
    expect(r.version).to eq("4.17.21")
    expect(r.decision).to be_allow
    expect(r.refused.map(&:version)).to eq(["4.17.22"])
    expect(r.refused.first).to be_frozen
    expect(r.refused.first.decision.matched.first.reason).to eq("broken release")
    expect(r).to be_invalid
    expect(r.invalid.map(&:version)).to eq(["bogus!"])
    expect(r.invalid.first.kind).to eq(:version)
    expect(r.refused).to be_frozen
  end

  it "serves a warned version and passes the warning on" do
    r = engine.resolve(ecosystem: "npm", name: "lodash", range: "<4.17.20", versions: %w[4.17.19], now: now)
    expect(r.version).to eq("4.17.19")
    expect(r.decision).to be_warn
  end

  it "takes request facts, and says when each refusal ends" do
    r = engine.resolve(ecosystem: "npm", name: "left-pad", range: "*", versions: %w[1.3.0],
                       published_at: Time.utc(2026, 6, 1, 10), now: now)
    expect(r).not_to be_found
    expect(r.version).to be_nil
    expect(r.refused.first.decision.allowed_after).to eq(Time.utc(2026, 6, 4, 10))
  end

  it "raises RequestError for a range the ecosystem cannot read" do
    expect { engine.resolve(ecosystem: "npm", name: "lodash", range: ">>>", versions: %w[1.0.0]) }
      .to raise_error(PackagePolicy::RequestError) { |e| expect(e.kind).to eq(:version) }
    expect { engine.resolve(ecosystem: "cobol", name: "x", range: "*", versions: []) }
      .to raise_error(PackagePolicy::RequestError)
  end
end
