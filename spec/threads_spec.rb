# frozen_string_literal: true

require "spec_helper"

# One engine shared by 16 threads answers exactly as a serial run does.
# PACKAGE_POLICY_THREAD_EVALS=100000 runs the full size (issue 8's bar).
RSpec.describe "an engine shared across threads" do
  let(:engine) do
    rules = Array.new(200) { |i| deny("deny-#{i}", { "ecosystem" => "npm", "package" => "bad-#{i}" }) }
    rules << warn_rule("warn-beta", { "ecosystem" => "pypi", "package" => Array.new(50) { |i| "beta-#{i * 4 + 1}" } })
    rules << allow("vetted", { "ecosystem" => "npm", "package" => "bad-7" })
    PackagePolicy.compile([layer_yaml("acme", rules), layer_yaml("web", [allow("web-ok", { "package" => %w[bad-1 bad-10 bad-11] })], default: "warn")])
  end
  let(:requests) do
    Array.new(1_000) do |i|
      case i % 4
      when 0 then "pkg:npm/bad-#{i % 250}@1.0.0"
      when 1 then "pkg:pypi/beta-#{i}@1.0"
      when 2 then { ecosystem: "npm", name: "bad-#{i % 30}", version: "2.0.0" }
      else "pkg:cargo/fine-#{i}@0.1.0"
      end
    end
  end
  let(:evals_per_thread) { Integer(ENV.fetch("PACKAGE_POLICY_THREAD_EVALS", "5000")) }

  it "16 threads × evaluate agree with a serial run" do
    serial = requests.map { |r| engine.evaluate(r, now: "2026-06-01T00:00:00Z") }
    mismatches = Array.new(16) do |t|
      Thread.new do
        bad = 0
        evals_per_thread.times do |n|
          i = (n * 16 + t) % requests.size
          bad += 1 unless engine.evaluate(requests[i], now: "2026-06-01T00:00:00Z") == serial[i]
        end
        bad
      end
    end.sum(&:value)
    expect(mismatches).to eq(0)
    expect(serial.map(&:action).tally.keys).to include(:deny, :warn, :allow)
  end

  it "16 threads × evaluate_many (GVL released) agree with a serial run" do
    serial = requests.map { |r| engine.evaluate(r, now: "2026-06-01T00:00:00Z") }
    batches = [evals_per_thread / requests.size, 1].max
    results = Array.new(16) do
      Thread.new { Array.new(batches) { engine.evaluate_many(requests, now: "2026-06-01T00:00:00Z") } }
    end.flat_map(&:value)
    expect(results).to all(eq(serial))
  end
end
