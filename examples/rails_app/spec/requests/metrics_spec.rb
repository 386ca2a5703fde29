# frozen_string_literal: true

require "rails_helper"

RSpec.describe "GET /metrics" do
  # Counters live for the whole process: compare before and after.
  def scrape
    get "/metrics"
    expect(response).to have_http_status(:ok)
    expect(response.headers["Content-Type"]).to start_with("text/plain; version=0.0.4")
    response.body.lines.reject { |l| l.start_with?("#") }.to_h do |line|
      series, value = line.split(" ")
      [series, Float(value)]
    end
  end

  it "counts the decisions the gate made, by action and by rule" do
    before = scrape
    get "/packages/npm/event-stream/3.3.6"
    get "/packages/npm/event-stream/3.3.6"
    get "/packages/npm/request/2.88.2"
    get "/packages/npm/left-pad/1.3.0"
    get "/packages/cobol/payroll/1.0"
    after = scrape

    delta = ->(series) { after.fetch(series, 0.0) - before.fetch(series, 0.0) }
    expect(delta.call('package_policy_decisions_total{action="deny"}')).to eq(2)
    expect(delta.call('package_policy_decisions_total{action="warn"}')).to eq(1)
    expect(delta.call('package_policy_decisions_total{action="allow"}')).to eq(1)
    expect(delta.call('package_policy_rule_decisions_total{layer="instance",rule="event-stream-backdoor",action="deny"}')).to eq(2)
    expect(delta.call('package_policy_rule_decisions_total{layer="instance",rule="request-deprecated",action="warn"}')).to eq(1)
    expect(delta.call("package_policy_request_errors_total")).to eq(1)
    expect(delta.call("package_policy_evaluate_seconds_count")).to eq(5)
  end
end
