# frozen_string_literal: true

require "rails_helper"
require "json"

RSpec.describe "The decision log" do
  it "appends one replayable line per decision: decision, request, now and policy digest" do
    log = PACKAGE_POLICY_DECISION_LOG.io
    before = File.size(log.path)
    get "/packages/npm/event-stream/3.3.6", headers: { "X-Project" => "acme/web" }
    lines = File.read(log.path).byteslice(before..).lines.map { |l| JSON.parse(l) }
    expect(lines.size).to eq(1)
    line = lines.first
    expect(line).to include("action" => "deny", "policy" => PackagePolicy::Railtie.policy.digest)
    expect(line["matched"].map { |r| r["id"] }).to eq(["event-stream-backdoor"])
    expect(line["now"]).to match(/\A\d{4}-\d\d-\d\dT/)
    expect(line["request"]).to be_a(String).or be_a(Hash)
  end
end
