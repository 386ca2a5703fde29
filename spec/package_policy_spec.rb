# frozen_string_literal: true

require "spec_helper"

RSpec.describe PackagePolicy, :core do
  let(:layer) do
    <<~YAML
      schema_version: 1
      layer: acme
      rules:
        - id: event-stream-backdoor
          action: deny
          reason: flatmap-stream backdoor
          match: { ecosystem: npm, package: event-stream }
    YAML
  end

  it "compiles a layer and denies a listed package" do
    decision = described_class.compile(layer).evaluate("pkg:npm/event-stream@3.3.6")
    expect(decision).to be_deny
    expect(decision.matched.map { |r| r[:id] }).to eq(["event-stream-backdoor"])
  end

  it "allows by default what no rule names" do
    decision = described_class.compile(layer).evaluate("pkg:npm/left-pad@1.3.0")
    expect(decision).to be_allow
    expect(decision).to be_default
  end

  it "raises PolicyError with line and column for a malformed layer" do
    expect { described_class.compile("schema_version: 1\nlayer: x\nrules:\n  - id: a\n    action: nope\n") }
      .to raise_error(PackagePolicy::PolicyError) { |e|
        expect(e.line).to eq(5)
        expect(e.column).to be_a(Integer)
      }
  end

  it "raises RequestError for a request that is not a purl" do
    expect { described_class.compile(layer).evaluate("npm/left-pad") }.to raise_error(PackagePolicy::RequestError)
  end
end
