# frozen_string_literal: true

require "rails_helper"

RSpec.describe "Instrumentation and the Railtie" do
  def events_during(name)
    events = []
    subscriber = ActiveSupport::Notifications.subscribe(name) { |*args| events << ActiveSupport::Notifications::Event.new(*args) }
    yield
    events
  ensure
    ActiveSupport::Notifications.unsubscribe(subscriber)
  end

  it "publishes evaluate.package_policy with action, rules, layers, digest and duration" do
    events = events_during("evaluate.package_policy") do
      get "/packages/npm/event-stream/3.3.6", headers: { "X-Project" => "acme/web" }
    end
    expect(events.size).to eq(1)
    payload = events.first.payload
    expect(payload).to include(action: :deny, rule_ids: ["event-stream-backdoor"], layers: ["instance"],
                               project: "acme/web", digest: PackagePolicy::Railtie.policy.digest)
    expect(payload[:duration]).to be_a(Float)
    expect(payload[:layer_names].map { |n| File.basename(n) })
      .to eq(%w[10-instance.yml 20-acme.yml 30-acme-web.yml])
  end

  it "carries each deciding rule's owner and ticket for the audit log" do
    events = events_during("evaluate.package_policy") { get "/packages/npm/event-stream/3.3.6" }
    expect(events.first.payload[:rules].first).to include(owner: "secteam@acme.example", ticket: "SEC-1001")
  end

  it "publishes versions.package_policy for a metadata document" do
    events = events_during("versions.package_policy") { get "/metadata/npm/left-pad" }
    expect(events.first.payload).to include(ecosystem: "npm", name: "left-pad", count: 3, allowed: 3, denied: [])
  end

  it "builds the policy from config.package_policy and compiles it at boot" do
    policy = PackagePolicy::Railtie.policy
    expect(policy).to be_a(PackagePolicy::LivePolicy)
    expect(policy.loader.paths).to eq(Rails.application.config.package_policy.layers.map { |p| Rails.root.join(p).to_s })
    # Compiled before any request of this spec: one entry per prefix of the
    # layers (instance; instance + group; …), each level stacked on the last.
    expect(policy.cache.size).to eq(Rails.application.config.package_policy.layers.size)
  end

  it "preloads the projects config.package_policy.preload names for a callable" do
    layers = { "acme/web" => ["schema_version: 1\nlayer: web\n"], "acme/api" => ["schema_version: 1\nlayer: api\n"] }
    options = ActiveSupport::OrderedOptions.new.merge!(layers: layers.method(:fetch), check_interval: 60, max_engines: 4)
    policy = PackagePolicy::Railtie.build_policy(options, root: Rails.root)
    expect(PackagePolicy::Railtie.preload(policy, true)).to eq([]) # projects unknown: compiled on first use
    expect(PackagePolicy::Railtie.preload(policy, %w[acme/web]).map(&:layer_names)).to eq([["layer 1"]])
    expect(policy.cache.size).to eq(1)
    expect(PackagePolicy::Railtie.preload(policy, false)).to eq([])
  end
end
