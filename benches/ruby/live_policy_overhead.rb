# frozen_string_literal: true

# What LivePolicy adds on top of Engine#evaluate: the freshness check and the
# notification payload. Run after `rake compile`:
#   ruby -Ilib benches/ruby/live_policy_overhead.rb
require "benchmark/ips"
require "package_policy"
require "package_policy/live_policy"
require "package_policy/prometheus_subscriber"
require "active_support/notifications"

layer = <<~YAML
  schema_version: 1
  layer: instance
  rules:
    - { id: no-event-stream, action: deny, match: { ecosystem: npm, package: event-stream } }
    - { id: request-deprecated, action: warn, match: { ecosystem: npm, package: request } }
YAML
purl = "pkg:npm/event-stream@3.3.6"
engine = PackagePolicy.compile(layer)
quiet = PackagePolicy::LivePolicy.new(->(_) { [layer] })
notified = PackagePolicy::LivePolicy.new(->(_) { [layer] }, notifier: ActiveSupport::Notifications)
fanout = ActiveSupport::Notifications::Fanout.new # a notifier of its own, with one subscriber
fanout.subscribe("evaluate.package_policy", PackagePolicy::PrometheusSubscriber.new)
subscribed = PackagePolicy::LivePolicy.new(->(_) { [layer] },
                                           notifier: ActiveSupport::Notifications::Instrumenter.new(fanout))

Benchmark.ips do |x|
  x.report("Engine#evaluate") { engine.evaluate(purl) }
  x.report("LivePolicy, no notifier") { quiet.evaluate(purl) }
  x.report("LivePolicy, AS::Notifications, no subscriber") { notified.evaluate(purl) }
  x.report("LivePolicy, AS::Notifications + PrometheusSubscriber") { subscribed.evaluate(purl) }
  x.compare!
end
