# frozen_string_literal: true

require "spec_helper"
require "yaml"

RSpec.describe PackagePolicy, :core do
  let(:acme) { layer_yaml("acme", [deny("event-stream-backdoor", { "ecosystem" => "npm", "package" => "event-stream" }, reason: "flatmap-stream backdoor")]) }
  let(:bad) { "schema_version: 1\nlayer: broken\nrules:\n  - id: a\n    action: nope\n    match: {}\n" }

  describe ".compile" do
    it "takes one YAML String" do
      engine = described_class.compile(acme)
      expect(engine).to be_a(PackagePolicy::Engine)
      expect(engine.evaluate("pkg:npm/event-stream@3.3.6")).to be_deny
    end

    it "takes an Array of layers, outermost first" do
      project = layer_yaml("web", [allow("ok", { "package" => "event-stream" })])
      engine = described_class.compile([acme, project])
      expect(engine.rule_count).to eq(2)
      # The allow rule suppresses the (not enforced) deny of an outer layer.
      expect(engine.evaluate("pkg:npm/event-stream@3.3.6")).to be_allow
    end

    it "takes layers: with names, and errors name the source" do
      expect { described_class.compile(layers: [{ name: "acme.yaml", source: acme }, { name: "broken.yaml", source: bad }]) }
        .to raise_error(PackagePolicy::PolicyError) { |e|
          expect(e.source).to eq("broken.yaml")
          expect(e.message).to start_with("broken.yaml:5:")
          expect(e.line).to eq(5)
        }
    end

    it "rejects an unknown layer key instead of ignoring it" do
      expect { described_class.compile(layers: [{ name: "a", sorce: acme }]) }.to raise_error(ArgumentError, /sorce/)
    end

    it "rejects both a policy and layers:, and neither" do
      expect { described_class.compile(acme, layers: [acme]) }.to raise_error(ArgumentError)
      expect { described_class.compile }.to raise_error(ArgumentError)
    end

    it "rejects a layer that is not a String" do
      expect { described_class.compile([acme, 42]) }.to raise_error(TypeError, /Integer/)
    end

    it "raises PolicyError with line, column and layer for a malformed layer" do
      expect { described_class.compile(bad) }
        .to raise_error(PackagePolicy::PolicyError) { |e|
          expect(e).to be_a(PackagePolicy::Error)
          expect(e.line).to eq(5)
          expect(e.column).to be_a(Integer)
          expect(e.layer).to be_a(String)
          expect(e.to_h).to include(line: 5)
        }
    end

    it "raises PolicyError with a position for invalid UTF-8, and validate reports it" do
      text = "schema_version: 1\nlayer: \xff\n".dup.force_encoding(Encoding::BINARY)
      expect { described_class.compile(text) }.to raise_error(PackagePolicy::PolicyError) { |e| expect([e.line, e.column]).to eq([2, 8]) }
      expect(described_class.validate(text).first).to include(line: 2, kind: :syntax)
    end

    it "raises PolicyError for duplicate layer names" do
      expect { described_class.compile([acme, acme]) }.to raise_error(PackagePolicy::PolicyError, /duplicate layer/)
    end

    it "returns a frozen engine" do
      expect(described_class.compile(acme)).to be_frozen
    end
  end

  describe ".validate" do
    let(:many_bad) do
      rules = (0...250).map { |i| "  - { id: r#{i}, action: deny, match: { ecosystem: npm, versions: \">=>#{i}\" } }" }
      "schema_version: 1\nlayer: many\nrules:\n#{rules.join("\n")}\n"
    end

    it "caps the errors at 100, then counts the rest" do
      errors = described_class.validate(many_bad)
      expect(errors.size).to eq(101)
      expect(errors.take(100).map { |e| e[:line] }).to eq((4...104).to_a)
      expect(errors.last).to include(kind: :more, more: 150, line: nil)
    end

    it "takes max_errors: (nil for all)" do
      expect(described_class.validate(many_bad, max_errors: 10).last).to include(kind: :more, more: 240)
      expect(described_class.validate(many_bad, max_errors: nil).size).to eq(250)
      expect(described_class.validate(many_bad, max_errors: 0)).to eq([{ message: "and 250 more errors (max_errors: 0)",
                                                                          line: nil, column: nil, layer: nil,
                                                                          source: nil, path: nil, kind: :more,
                                                                          more: 250 }])
      expect { described_class.validate(many_bad, max_errors: -1) }.to raise_error(ArgumentError)
      expect { described_class.validate(many_bad, max_errors: "5") }.to raise_error(ArgumentError)
    end

    it "returns [] for a policy set that compiles" do
      expect(described_class.validate([acme])).to eq([])
    end

    it "returns Hashes with message, line, column, layer and path" do
      errors = described_class.validate(layers: [{ name: "broken.yaml", source: bad }])
      expect(errors.size).to eq(1)
      expect(errors.first).to include(line: 5, source: "broken.yaml")
      expect(errors.first.keys).to include(:message, :line, :column, :layer, :path)
      expect(errors.first[:message]).to be_a(String)
    end

    it "reports every invalid rule, each with its path and line" do
      two_bad = <<~YAML
        schema_version: 1
        layer: acme
        rules:
          - { id: a, action: allow, enforced: true, match: { package: x } }
          - { id: ok, action: deny, match: { ecosystem: npm, package: evil } }
          - { id: b, action: deny, match: { ecosystem: npm, versions: ">=>1" } }
      YAML
      errors = described_class.validate(two_bad)
      expect(errors.map { |e| [e[:path], e[:line]] })
        .to eq([["rules[0].enforced", 4], ["rules[2].match.versions", 6]])
    end

    it "does not raise for bad YAML" do
      expect(described_class.validate("{")).not_to be_empty
    end
  end
end
