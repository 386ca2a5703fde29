# frozen_string_literal: true

require "spec_helper"
require "yaml"
require "package_policy/live_policy"
require_relative "support"

RSpec.describe PackagePolicy::Instrumentation do
  let(:notifier) { PackagePolicySpec::RecordingNotifier.new }
  let(:live) do
    layers = [
      PackagePolicySpec.layer("instance", [
        PackagePolicySpec.rule("no-event-stream", "deny", "npm", "event-stream", reason: "flatmap-stream backdoor"),
        PackagePolicySpec.rule("request-deprecated", "warn", "npm", "request", reason: "deprecated"),
      ]),
    ]
    PackagePolicy::LivePolicy.new(->(_) { layers }, notifier: notifier)
  end

  def event = notifier.named("evaluate.package_policy").last

  it "carries action, rule ids, layers, digest and duration of a deny" do
    decision = live.evaluate("pkg:npm/event-stream@3.3.6", project: "acme/web")
    expect(event).to include(action: :deny, rule_ids: ["no-event-stream"], layers: ["instance"],
                             digest: live.digest, project: "acme/web", default: false,
                             decision: decision)
    # The project is the request's project fact too, so the request is a Hash.
    expect(event[:request]).to eq({ purl: "pkg:npm/event-stream@3.3.6", project: "acme/web" })
    expect(event[:rules]).to eq([{ layer: "instance", id: "no-event-stream", action: :deny, reason: "flatmap-stream backdoor" }])
    expect(event[:duration]).to be_a(Float).and(be >= 0)
    expect(event[:layer_names]).to eq(["layer 1"])
  end

  it "reports a warn with its rule" do
    live.evaluate("pkg:npm/request@2.88.2")
    expect(event).to include(action: :warn, rule_ids: ["request-deprecated"])
  end

  it "reports a default allow with no rules" do
    live.evaluate("pkg:npm/left-pad@1.3.0")
    expect(event).to include(action: :allow, default: true, rule_ids: [], layers: [])
  end

  it "reports a request the engine rejects, with its duration and no decision" do
    expect { live.evaluate("not-a-purl") }.to raise_error(PackagePolicy::RequestError)
    expect(event[:exception].first).to eq("PackagePolicy::RequestError")
    expect(event).not_to have_key(:action)
    expect(event[:duration]).to be_a(Float)
  end

  describe ".rule_hash" do
    it "reads Hashes and objects with readers alike, leaving out what is absent" do
      as_object = Struct.new(:layer, :id, :action, :reason, :owner, :ticket)
                        .new("web", "legacy", :allow, nil, "alice@acme.example", "SEC-1")
      expected = { layer: "web", id: "legacy", action: :allow, owner: "alice@acme.example", ticket: "SEC-1" }
      expect(described_class.rule_hash(as_object)).to eq(expected)
      expect(described_class.rule_hash(expected)).to eq(expected)
    end
  end

  it "builds no payload when the notifier says nobody listens" do
    fanout = Struct.new(:listening) { def listening?(_name) = listening }.new(false)
    quiet = Struct.new(:notifier, :calls) { def instrument(*) = (self.calls += 1) && yield }.new(fanout, 0)
    policy = PackagePolicy::LivePolicy.new(->(_) { [PackagePolicySpec.layer("x", [])] }, notifier: quiet)
    expect(policy.evaluate("pkg:npm/a@1.0.0")).to be_allow
    expect(quiet.calls).to eq(0)
    fanout.listening = true
    policy.evaluate("pkg:npm/a@1.0.0")
    expect(quiet.calls).to eq(1)
  end

  it "only runs the block without a notifier" do
    decision = PackagePolicy::LivePolicy.new(->(_) { [PackagePolicySpec.layer("x", [])] }).evaluate("pkg:npm/a@1.0.0")
    expect(decision).to be_allow
  end
end
