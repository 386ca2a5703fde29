# frozen_string_literal: true

require "spec_helper"
require "package_policy/prometheus_subscriber"

RSpec.describe PackagePolicy::PrometheusSubscriber do
  subject(:metrics) { described_class.new }

  def evaluated(action, *rules, duration: 0.5)
    metrics.call("evaluate.package_policy", nil, nil, "id",
                 { action: action, duration: duration,
                   rules: rules.map { |layer, id| { layer: layer, id: id, action: action } } })
  end

  def value(text, series)
    line = text.lines.find { |l| l.start_with?("#{series} ") }
    line && line.split(" ").last
  end

  it "counts decisions by action and by rule" do
    2.times { evaluated(:deny, %w[instance no-event-stream]) }
    evaluated(:warn, %w[instance request-deprecated])
    evaluated(:allow)
    text = metrics.to_prometheus
    expect(value(text, 'package_policy_decisions_total{action="deny"}')).to eq("2")
    expect(value(text, 'package_policy_decisions_total{action="warn"}')).to eq("1")
    expect(value(text, 'package_policy_decisions_total{action="allow"}')).to eq("1")
    expect(value(text, 'package_policy_rule_decisions_total{layer="instance",rule="no-event-stream",action="deny"}')).to eq("2")
    expect(value(text, 'package_policy_rule_decisions_total{layer="instance",rule="request-deprecated",action="warn"}')).to eq("1")
    expect(value(text, "package_policy_evaluate_seconds_count")).to eq("4")
    expect(value(text, "package_policy_evaluate_seconds_sum")).to eq("2.0")
  end

  it "counts request errors and reload errors apart from decisions" do
    metrics.call("evaluate.package_policy", nil, nil, "id", { duration: 0.1, exception: %w[PackagePolicy::RequestError bad] })
    metrics.call("reload_error.package_policy", nil, nil, "id", { message: "bad" })
    text = metrics.to_prometheus
    expect(value(text, "package_policy_request_errors_total")).to eq("1")
    expect(value(text, "package_policy_reload_errors_total")).to eq("1")
    expect(value(text, 'package_policy_decisions_total{action="deny"}')).to eq("0")
  end

  it "writes valid exposition text: HELP and TYPE once per family, escaped labels" do
    evaluated(:deny, ["odd \"layer\"\\", "multi\nline"])
    text = metrics.to_prometheus
    expect(text).to end_with("\n")
    expect(text).to include('layer="odd \\"layer\\"\\\\",rule="multi\\nline"')
    families = text.lines.grep(/\A# TYPE /).map { |l| l.split[2] }
    expect(families).to eq(families.uniq)
    text.lines.reject { |l| l.start_with?("#") }.each do |line|
      expect(line).to match(/\A[a-z_]+(\{([a-z]+="([^"\\\n]|\\.)*",?)+\})? [0-9.e+-]+\n\z/)
    end
  end

  it "counts every event when threads record at once" do
    Array.new(4) { Thread.new { 250.times { evaluated(:allow) } } }.each(&:join)
    expect(value(metrics.to_prometheus, 'package_policy_decisions_total{action="allow"}')).to eq("1000")
  end
end
