# frozen_string_literal: true

require "spec_helper"
require "package_policy/engine_cache"

RSpec.describe "policy trees and bundles", :core do
  let(:instance) do
    layer_yaml("instance", [
                 deny("evil", { "ecosystem" => "npm", "package" => "evil" }, enforced: true),
                 warn_rule("pad", { "ecosystem" => "npm", "package" => "left-pad" }),
               ])
  end
  let(:group) { layer_yaml("acme", [allow("pad-ok", { "ecosystem" => "npm", "package" => "left-pad" })]) }
  let(:project) { layer_yaml("acme/web", [allow("evil-ok", { "ecosystem" => "npm", "package" => "evil" })]) }

  describe "Engine#stack" do
    it "decides and digests exactly as the flat compile" do
      stacked = PackagePolicy.compile(instance).stack(group).stack(layers: [{ name: "web.yaml", source: project }])
      flat = PackagePolicy.compile([instance, group, project])
      %w[pkg:npm/evil@1.0.0 pkg:npm/left-pad@1.3.0 pkg:npm/other@1.0.0].each do |purl|
        expect(stacked.evaluate(purl).to_h).to eq(flat.evaluate(purl).to_h)
      end
      expect(stacked.digest).to eq(flat.digest)
      expect([stacked.rule_count, stacked.layer_count, stacked.depth]).to eq([4, 3, 3])
      expect(stacked).to be_frozen
    end

    it "leaves the base as it was and refuses a layer name an outer level has" do
      base = PackagePolicy.compile(instance)
      base.stack(group)
      expect(base.evaluate("pkg:npm/left-pad@1.3.0")).to be_warn
      expect { base.stack(instance) }.to raise_error(PackagePolicy::PolicyError) { |e| expect(e.kind).to eq(:duplicate) }
    end
  end

  describe "bundles" do
    it "round-trip through a binary String and can be stacked on" do
      engine = PackagePolicy.compile([instance, group])
      bytes = engine.to_bytes
      expect(bytes.encoding).to eq(Encoding::BINARY)
      loaded = PackagePolicy.load(bytes)
      expect(loaded.digest).to eq(engine.digest)
      expect(loaded.evaluate("pkg:npm/left-pad@1.3.0")).to be_allow
      expect(loaded.stack(project).digest).to eq(PackagePolicy.compile([instance, group, project]).digest)
    end

    it "raises BundleError with a kind for bytes that are not a bundle" do
      bytes = PackagePolicy.compile(instance).to_bytes
      {
        "schema_version: 1" => :foreign,
        bytes[0, 40] => :truncated,
        bytes[0...-1] + (bytes[-1].ord ^ 1).chr => :checksum,
      }.each do |bad, kind|
        expect { PackagePolicy.load(bad) }.to raise_error(PackagePolicy::BundleError) { |e| expect(e.kind).to eq(kind) }
      end
      expect(PackagePolicy::BundleError.ancestors).to include(PackagePolicy::Error)
      expect(PackagePolicy::BundleError::KINDS).to eq(%i[foreign version truncated checksum corrupt])
      expect { PackagePolicy.load(nil) }.to raise_error(TypeError)
    end

    it "loads large bundles from several threads at once" do
      rules = Array.new(5_000) { |i| deny("r#{i}", { "ecosystem" => "npm", "package" => "pkg-#{i}" }) }
      bytes = PackagePolicy.compile(layer_yaml("big", rules)).to_bytes
      engines = Array.new(4) { Thread.new { PackagePolicy.load(bytes) } }.map(&:value)
      expect(engines.map { |e| e.evaluate("pkg:npm/pkg-42@1.0.0").action }.uniq).to eq([:deny])
    end
  end

  describe "memory" do
    let(:big) { layer_yaml("big", Array.new(2_000) { |i| deny("r#{i}", { "ecosystem" => "npm", "package" => "pkg-#{i}" }) }) }

    it "counts an engine's own level and its shared levels once" do
      base = PackagePolicy.compile(big)
      expect(base.memsize).to be > 2_000 * 50
      expect(base.own_memsize).to eq(base.memsize)
      stacked = base.stack(project)
      expect(stacked.own_memsize).to be < base.memsize / 10
      expect(stacked.memsize).to eq(base.memsize + stacked.own_memsize)
      loaded = PackagePolicy.load(base.to_bytes)
      expect(loaded.memsize).to be > 2_000 * 50
    end

    it "bounds an EngineCache by bytes, a shared prefix counted once" do
      layers = ->(p) { [{ name: "big.yml", source: big }, { name: "p#{p}.yml", source: layer_yaml("p#{p}", []) }] }
      base_bytes = PackagePolicy.compile(big).memsize
      cache = PackagePolicy::EngineCache.new(max_entries: 1_000, max_bytes: base_bytes * 2)
      10.times { |p| cache.fetch(layers.call(p)) }
      # The prefix and ten small levels fit: the prefix is not counted per project.
      expect(cache.size).to eq(11)
      expect(cache.bytesize).to be < base_bytes * 2
      tight = PackagePolicy::EngineCache.new(max_entries: 1_000, max_bytes: base_bytes / 2)
      3.times { |p| tight.fetch(layers.call(p)) }
      expect(tight.bytesize).to be <= base_bytes / 2
      expect(tight.size).to be < 4
      expect { PackagePolicy::EngineCache.new(max_bytes: 0) }.to raise_error(ArgumentError)
    end
  end
end
