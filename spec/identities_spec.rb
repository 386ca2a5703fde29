# frozen_string_literal: true

require "spec_helper"
require "json"

# Issue 18's canonical identities through the gem: a name is its ecosystem's
# canonical name or a RequestError, and a RubyGems platform is a platform.
RSpec.describe "canonical identities", :core do
  let(:engine) do
    PackagePolicy.compile(<<~YAML)
      schema_version: 1
      layer: sec
      rules:
        - { id: go-evil, action: deny, match: { ecosystem: golang, package: github.com/Evil-Org/tool } }
        - { id: nuget-evil, action: deny, match: { ecosystem: nuget, package: İnfo.Stealer } }
        - { id: nokogiri-cve, action: deny, match: { ecosystem: gem, package: nokogiri, versions: ">= 1.13.10, < 1.14" } }
    YAML
  end

  corpus = File.expand_path("../crates/package-policy/tests/bad_inputs/requests.jsonl", __dir__)
  File.readlines(corpus, chomp: true).reject(&:empty?).each do |line|
    entry = JSON.parse(line)
    it "refuses #{entry["why"]}" do
      request = entry["purl"] || entry["request"].transform_keys(&:to_sym)
      call = request.is_a?(String) ? -> { engine.evaluate(request) } : -> { engine.evaluate(**request) }
      expect(&call).to raise_error(PackagePolicy::RequestError) { |e| expect(e.field).to eq(entry["field"].to_sym) }
    end
  end

  it "compares Go paths on github.com in any case" do
    %w[github.com/evil-org/tool github.com/EVIL-ORG/TOOL].each do |name|
      expect(engine.evaluate(ecosystem: "golang", name: name, version: "v1.0.0")).to be_deny
    end
    expect(engine.evaluate("pkg:golang/github.com/Evil-Org/Tool@v1.0.0")).to be_deny
  end

  it "lowercases NuGet ids as .NET's invariant culture (İ stays one character)" do
    expect(engine.evaluate(ecosystem: "nuget", name: "İNFO.STEALER")).to be_deny
    expect(engine.evaluate(ecosystem: "nuget", name: "info.stealer")).to be_allow
  end

  it "reads a RubyGems platform suffix as a platform, not a pre-release" do
    expect(engine.evaluate("pkg:gem/nokogiri@1.13.10-java")).to be_deny
    expect(engine.evaluate("pkg:gem/nokogiri@1.13.10-x86_64-linux-gnu")).to be_deny
    expect(engine.evaluate(ecosystem: "rubygems", name: "nokogiri", version: "1.13.10-arm64-darwin")).to be_deny
    expect(engine.evaluate(ecosystem: "rubygems", name: "nokogiri", version: "1.13.10-rc1")).to be_allow
  end
end
