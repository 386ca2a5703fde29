# frozen_string_literal: true

require "spec_helper"

# Decision#allowed_after: when a refusal by time-bound rules ends.
RSpec.describe "Decision#allowed_after", :core do
  let(:engine) do
    PackagePolicy.compile(<<~YAML)
      schema_version: 1
      layer: acme
      rules:
        - id: cooldown
          action: deny
          match: { ecosystem: npm, published_within: 72h }
        - id: evil
          action: deny
          match: { ecosystem: npm, package: evil }
    YAML
  end
  let(:now) { Time.utc(2026, 6, 1, 12) }
  let(:published) { Time.utc(2026, 6, 1, 2) }

  it "is the frozen UTC Time the cooldown ends" do
    d = engine.evaluate(ecosystem: "npm", name: "left-pad", version: "1.3.0", published_at: published, now: now)
    expect(d).to be_deny
    expect(d.allowed_after).to eq(Time.utc(2026, 6, 4, 2))
    expect(d.allowed_after).to be_utc.and be_frozen
    expect(d.to_h[:allowed_after]).to eq(Time.utc(2026, 6, 4, 2))
    # The same at that time: allowed.
    expect(engine.evaluate(ecosystem: "npm", name: "left-pad", version: "1.3.0",
                           published_at: published, now: d.allowed_after)).to be_allow
  end

  it "is nil for an allow and for a refusal no time passing lifts" do
    expect(engine.evaluate(ecosystem: "npm", name: "left-pad", now: now).allowed_after).to be_nil
    d = engine.evaluate(ecosystem: "npm", name: "evil", published_at: published, now: now)
    expect(d).to be_deny
    expect(d.allowed_after).to be_nil
    expect(d.to_h).not_to have_key(:allowed_after)
  end

  it "is set per version in resolution mode" do
    got = engine.versions(ecosystem: "npm", name: "left-pad", versions: %w[1.3.0], published_at: published, now: now)
    expect(got["1.3.0"].allowed_after).to eq(Time.utc(2026, 6, 4, 2))
  end
end
