# frozen_string_literal: true

require "spec_helper"
require "package_policy/live_policy"

RSpec.describe "EngineCache and LivePolicy with policy trees" do
  def layer(name, rules)
    { name: "#{name}.yml", source: <<~YAML }
      schema_version: 1
      layer: #{name}
      rules:
      #{rules.map { |id, action, pkg| "  - { id: #{id}, action: #{action}, match: { ecosystem: npm, package: #{pkg} } }" }.join("\n")}
    YAML
  end

  let(:instance) { layer("instance", [%w[no-evil deny evil], %w[pad warn left-pad]]) }
  let(:group) { layer("acme", [%w[pad-ok allow left-pad]]) }
  let(:projects) do
    {
      "acme/web" => layer("acme/web", [%w[no-lodash deny lodash]]),
      "acme/api" => layer("acme/api", [%w[no-chalk deny chalk]]),
    }
  end
  let(:cache) { PackagePolicy::EngineCache.new(max_entries: 64) }

  it "compiles each prefix once and stacks projects on their group's" do
    web = cache.fetch([instance, group, projects["acme/web"]])
    api = cache.fetch([instance, group, projects["acme/api"]])
    expect(cache.build_count("acme.yml")).to eq(1)
    expect(cache.build_count("instance.yml")).to eq(1)
    expect([web.engine.depth, api.engine.depth]).to eq([3, 3])
    expect(web.engine.evaluate("pkg:npm/lodash@4.17.21")).to be_deny
    expect(api.engine.evaluate("pkg:npm/lodash@4.17.21")).to be_allow
    expect(api.engine.evaluate("pkg:npm/left-pad@1.3.0")).to be_allow
    flat = PackagePolicy.compile(layers: [instance, group, projects["acme/web"]])
    expect(web.engine.digest).to eq(flat.digest)
    expect(web.digest).to eq(PackagePolicy::EngineCache.digest([instance, group, projects["acme/web"]]))
    expect(cache.digests).to include(PackagePolicy::EngineCache.digest([instance, group]))
  end

  it "serves many projects through LivePolicy from one shared group prefix" do
    policy = PackagePolicy::LivePolicy.new(->(project) { [instance, group, projects.fetch(project)] }, cache: cache)
    expect(policy.evaluate("pkg:npm/lodash@4.17.21", project: "acme/web")).to be_deny
    expect(policy.evaluate("pkg:npm/chalk@5.0.0", project: "acme/api")).to be_deny
    expect(policy.evaluate("pkg:npm/chalk@5.0.0", project: "acme/web")).to be_allow
    expect(cache.build_count("acme.yml")).to eq(1)
  end

  it "caches no prefix past the first layer that does not compile" do
    bad = { name: "bad.yml", source: "schema_version: 1\nlayer: bad\nrules:\n  - id: a\n    action: nope\n" }
    expect { cache.fetch([instance, bad, group]) }.to raise_error(PackagePolicy::PolicyError)
    expect(cache.digests).to eq([PackagePolicy::EngineCache.digest([instance])])
  end
end
