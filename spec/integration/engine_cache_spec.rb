# frozen_string_literal: true

require "spec_helper"
require "package_policy/engine_cache"

RSpec.describe PackagePolicy::EngineCache do
  def layer(name, package)
    { name: name, source: <<~YAML }
      schema_version: 1
      layer: #{name}
      rules:
        - id: no-#{package}
          action: deny
          match: { ecosystem: npm, package: #{package} }
    YAML
  end

  let(:compiles) { [] }
  let(:compiler) do
    lambda do |layers|
      compiles << layers.map { |l| l[:name] }
      described_class::DEFAULT_COMPILER.call(layers)
    end
  end
  let(:cache) { described_class.new(max_entries: 2, compiler: compiler) }

  describe ".digest" do
    it "is a SHA-256 of the names and sources" do
      expect(described_class.digest([layer("a", "evil")])).to match(/\Asha256:\h{64}\z/)
    end

    it "changes with any source, name or order" do
      a = layer("a", "evil")
      b = layer("b", "worse")
      digests = [
        [a, b], [b, a], [a], [a.merge(name: "renamed"), b], [a.merge(source: "#{a[:source]}\n"), b],
      ].map { |set| described_class.digest(set) }
      expect(digests.uniq.size).to eq(digests.size)
    end

    it "cannot be made to collide by moving bytes between name and source" do
      expect(described_class.digest([{ name: "ab", source: "c" }]))
        .not_to eq(described_class.digest([{ name: "a", source: "bc" }]))
    end

    it "names String layers by position" do
      expect(described_class.digest(["x"])).to eq(described_class.digest([{ name: "layer 1", source: "x" }]))
    end
  end

  describe ".normalize" do
    it "rejects a layer that is neither a String nor a Hash with a String source" do
      expect { described_class.normalize([42]) }.to raise_error(ArgumentError, /layer 1: expected a String/)
      expect { described_class.normalize([{ name: "x" }]) }.to raise_error(ArgumentError, /needs :source/)
      expect { described_class.normalize([{ name: "x", source: nil }]) }.to raise_error(ArgumentError, /must be a String/)
    end
  end

  it "compiles once per digest and returns the same engine" do
    first = cache.fetch([layer("a", "evil")])
    second = cache.fetch([layer("a", "evil")])
    expect(second).to equal(first)
    expect(compiles.size).to eq(1)
    expect(first.engine.evaluate("pkg:npm/evil@1.0.0")).to be_deny
    expect(first.layer_names).to eq(["a"])
    expect(first).to be_frozen
  end

  it "evicts the least recently used entry past max_entries" do
    a = cache.fetch([layer("a", "x")])
    b = cache.fetch([layer("b", "x")])
    cache.fetch([layer("a", "x")]) # a is now the most recent
    c = cache.fetch([layer("c", "x")])
    expect(cache.digests).to eq([a.digest, c.digest])
    expect(cache[b.digest]).to be_nil
  end

  it "caches nothing for layers that do not compile" do
    bad = { name: "bad.yml", source: "schema_version: 1\nlayer: bad\nrules:\n  - id: a\n    action: nope\n" }
    expect { cache.fetch([bad]) }.to raise_error(PackagePolicy::PolicyError)
    expect(cache.size).to eq(0)
  end

  it "compiles a set once when many threads ask for it at once" do
    set = [layer("a", "evil")]
    entries = Array.new(8) { Thread.new { cache.fetch(set) } }.map(&:value)
    expect(entries.uniq.size).to eq(1)
    expect(compiles.size).to eq(1)
  end
end
