# frozen_string_literal: true

require "spec_helper"

# Advisory feeds (kind: advisories) and `unless: { fixes_advisory: true }`:
# a cooldown that lets the first fixed version of an advisory through.
RSpec.describe "advisory feeds and fixes_advisory", :core do
  data_dir = File.expand_path("../crates/package-policy/tests/data/advisories", __dir__)
  let(:policy) do
    <<~YAML
      schema_version: 1
      layer: acme
      feeds:
        - { name: ghsa, format: osv, kind: advisories }
      rules:
        - id: cooldown
          action: deny
          match: { published_within: 72h }
          unless: { fixes_advisory: true }
    YAML
  end
  let(:feeds) do
    { ghsa: Dir[File.join(data_dir, "*.json")].sort.map { |f| { origin: File.basename(f), text: File.read(f) } } }
  end
  let(:engine) { PackagePolicy.compile(policy, feeds: feeds) }
  let(:now) { Time.utc(2026, 6, 1, 12) }
  let(:published) { Time.utc(2026, 6, 1, 10) }

  it "lets the fix through on the day it is published and holds other new releases" do
    expect(engine.evaluate(ecosystem: "npm", name: "lodash", version: "4.17.21", published_at: published, now: now))
      .to be_allow
    held = engine.evaluate(ecosystem: "npm", name: "lodash", version: "4.17.22", published_at: published, now: now)
    expect(held).to be_deny
    expect(held.allowed_after).to eq(Time.utc(2026, 6, 4, 10))
    expect(engine.evaluate(ecosystem: "pypi", name: "Django", version: "4.2.11", published_at: published, now: now))
      .to be_allow
  end

  it "reports the fix versions the feed gave" do
    stats = engine.feed_report[:feeds].first
    expect(stats).to include(name: "ghsa", records: 2, rules: 0, fixes: 5)
  end

  it "fails closed on a declared advisory feed without data" do
    expect { PackagePolicy.compile(policy) }.to raise_error(PackagePolicy::PolicyError, /ghsa.*no data/)
    expect { PackagePolicy.compile(policy, feeds: { ghsa: "" }) }.to raise_error(PackagePolicy::PolicyError, /empty/)
  end

  it "refuses fixes_advisory with no advisory feed in scope" do
    bare = policy.sub(/feeds:\n.*\n/, "")
    expect { PackagePolicy.compile(bare) }.to raise_error(PackagePolicy::PolicyError) { |e|
      expect(e.path).to eq("rules[0].unless.fixes_advisory")
    }
  end
end
