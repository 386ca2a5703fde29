# frozen_string_literal: true

require "spec_helper"
require "json"
require "stringio"

RSpec.describe PackagePolicy::DecisionLog, :core do
  let(:policy) { "schema_version: 1\nlayer: acme\nrules:\n  - id: evil\n    action: deny\n    match: { ecosystem: npm, package: evil }\n" }
  let(:engine) { PackagePolicy.compile(policy) }
  let(:io) { StringIO.new }
  let(:log) { described_class.new(io) }
  let(:start) { Time.utc(2026, 12, 1, 10, 0, 0) }

  def payload(request, decision)
    { request: request, decision: decision, digest: engine.digest, action: decision&.action }
  end

  it "writes one eval --log line per decision: the decision, request, now and policy digest" do
    log.call("evaluate.package_policy", start, start, "1", payload("pkg:npm/evil@1.0.0", engine.evaluate("pkg:npm/evil@1.0.0")))
    request = { ecosystem: :npm, name: "left-pad", version: "1.3.0", published_at: Time.utc(2026, 11, 30) }
    log.call("evaluate.package_policy", start, start, "2", payload(request, engine.evaluate(**request)))
    lines = io.string.lines.map { |l| JSON.parse(l) }
    expect(lines.size).to eq(2)
    expect(lines[0]).to include("action" => "deny", "request" => "pkg:npm/evil@1.0.0",
                                "now" => "2026-12-01T10:00:00.000000Z", "policy" => engine.digest)
    expect(lines[0]["matched"].first).to include("layer" => "acme", "id" => "evil")
    expect(lines[1]["request"]).to eq("ecosystem" => "npm", "name" => "left-pad", "version" => "1.3.0",
                                      "published_at" => "2026-11-30T00:00:00.000000Z")
  end

  it "skips events without a decision and prefers the payload's now" do
    log.call("evaluate.package_policy", start, start, "1", { request: "pkg:npm/x@1", digest: "d" })
    expect(io.string).to eq("")
    line = described_class.line(payload("pkg:npm/x@1.0.0", engine.evaluate("pkg:npm/x@1.0.0")).merge(now: Time.utc(2027, 1, 1)), start)
    expect(JSON.parse(line)["now"]).to eq("2027-01-01T00:00:00.000000Z")
  end
end
