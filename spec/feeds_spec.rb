# frozen_string_literal: true

require "spec_helper"
require "json"

RSpec.describe "PackagePolicy.compile with feeds:", :core do
  let(:layer) do
    "schema_version: 1\nlayer: acme\nfeeds:\n  - { name: ossf-malicious, format: osv, action: deny, enforced: true }\nrules: []\n"
  end
  let(:record) do
    JSON.generate({ "id" => "MAL-1", "summary" => "Malicious code in evil (npm)",
                    "affected" => [{ "package" => { "ecosystem" => "npm", "name" => "evil" },
                                     "ranges" => [{ "type" => "SEMVER", "events" => [{ "introduced" => "0" }] }] }] })
  end

  it "compiles feed records into rules of the declaring layer" do
    engine = PackagePolicy.compile(layer, feeds: { "ossf-malicious" => record })
    d = engine.evaluate("pkg:npm/evil@1.2.3")
    expect(d).to be_deny
    expect(d.matched.map(&:to_s)).to eq(["acme/MAL-1"])
    expect(engine.evaluate("pkg:npm/good@1.0.0")).to be_allow
  end

  it "takes documents with origins, and Arrays of them" do
    engine = PackagePolicy.compile(layer, feeds: { "ossf-malicious" => [{ origin: "mal.jsonl", text: record }] })
    expect(engine.evaluate("pkg:npm/evil@1.0.0")).to be_deny
  end

  it "fails when a declared feed is not supplied: a missing feed never weakens a policy" do
    expect { PackagePolicy.compile(layer) }.to raise_error(PackagePolicy::PolicyError, /ossf-malicious/)
  end

  it "rejects unknown document keys and non-Hash feeds" do
    expect { PackagePolicy.compile(layer, feeds: { "ossf-malicious" => [{ orign: "x", text: record }] }) }.to raise_error(ArgumentError, /orign/)
    expect { PackagePolicy.compile(layer, feeds: [record]) }.to raise_error(TypeError)
  end

  it "fails on a bad record under strict_feeds: true" do
    expect { PackagePolicy.compile(layer, feeds: { "ossf-malicious" => "{\"id\": 1}" }, strict_feeds: true) }
      .to raise_error(PackagePolicy::PolicyError)
  end
end
